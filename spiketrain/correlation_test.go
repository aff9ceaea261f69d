package spiketrain

import (
	"fmt"
	"math"
	"sort"
	"testing"

	"github.com/hebb-snn/hebb/rng"
)

// argmaxLag returns the lag of the largest count.
func argmaxLag(c Correlogram) float64 {
	best := 0
	for k, v := range c.Counts {
		if v > c.Counts[best] {
			best = k
		}
	}
	return c.Lags[best]
}

// genMerge returns the sorted union of trains.
func genMerge(trains ...Train) Train {
	var m Train
	for _, tr := range trains {
		m = append(m, tr...)
	}
	sort.Float64s(m)
	return m
}

func TestCorrelogramHand(t *testing.T) {
	// Train 0, 1, 3: lags between distinct spikes ±1, ±2, ±3; none at 0.
	c, err := AutoCorrelogram(Train{0, 1, 3}, 3, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{1, 1, 1, 0, 1, 1, 1}
	if len(c.Counts) != 7 || c.Refs != 3 {
		t.Fatalf("autocorrelogram %+v", c)
	}
	rate := c.Rate()
	for k := range want {
		closeTo(t, "lag", c.Lags[k], float64(k-3), 0)
		closeTo(t, "auto count", c.Counts[k], want[k], 0)
		// 1 pair / (3 reference spikes · 1 ms) = 1000/3 Hz.
		closeTo(t, "auto rate", rate[k], want[k]*1000/3, 1e-9)
	}
	// Two coincident spikes: the self pairs are left out, the two
	// distinct pairs count at lag 0.
	c, _ = AutoCorrelogram(Train{5, 5}, 2, 1)
	closeTo(t, "coincident", c.Counts[2], 2, 0)

	// a = 0, 10; b = 2, 13: lags b − a = 2, 13, −8, 3; within ±5 ms only 2
	// and 3. A lag of exactly ½ bin goes to the bin above: b = 0.5.
	c, err = CrossCorrelogram(Train{0, 10}, Train{0.5, 2, 13}, 5, 1)
	if err != nil {
		t.Fatal(err)
	}
	wantX := []float64{0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0}
	for k := range wantX {
		closeTo(t, fmt.Sprintf("cross count at lag %g ms", c.Lags[k]), c.Counts[k], wantX[k], 0)
	}
	if _, err := CrossCorrelogram(nil, nil, 5, 0); err == nil {
		t.Error("bin 0: no error")
	}
	if _, err := AutoCorrelogram(nil, -1, 1); err == nil {
		t.Error("negative maxLag: no error")
	}
	c, _ = AutoCorrelogram(nil, 5, 1)
	if r := c.Rate(); !math.IsNaN(r[0]) {
		t.Errorf("rate without reference spikes = %g, want NaN", r[0])
	}
}

// TestCorrelogramBrute compares the correlograms with a direct count of
// the pairs whose lag d satisfies (k − ½)·bin ≤ d < (k + ½)·bin, on random
// integer trains where many lags fall exactly on bin edges (bin 2 ms, edges
// at odd lags).
func TestCorrelogramBrute(t *testing.T) {
	s := rng.New(29)
	for range 50 {
		a := genIntTrain(&s, s.IntN(30), 100)
		b := genIntTrain(&s, s.IntN(30), 100)
		const maxLag, bin = 11.0, 2.0
		cross, _ := CrossCorrelogram(a, b, maxLag, bin)
		auto, _ := AutoCorrelogram(a, maxLag, bin)
		for k, lag := range cross.Lags {
			nc, na := 0.0, 0.0
			for i, u := range a {
				for _, v := range b {
					if d := v - u; d >= lag-bin/2 && d < lag+bin/2 {
						nc++
					}
				}
				for j, v := range a {
					if d := v - u; i != j && d >= lag-bin/2 && d < lag+bin/2 {
						na++
					}
				}
			}
			if cross.Counts[k] != nc || auto.Counts[k] != na {
				t.Fatalf("lag %g: cross %g (direct %g), auto %g (direct %g)", lag, cross.Counts[k], nc, auto.Counts[k], na)
			}
		}
	}
}

// TestCrossCorrelogramShift: a Poisson train against itself shifted by
// 7 ms peaks at +7 ms with every reference spike paired there (plus chance
// pairs); reversed, at −7 ms.
func TestCrossCorrelogramShift(t *testing.T) {
	s := rng.New(3)
	a := genPoisson(&s, 20, 20000)
	b := make(Train, len(a))
	for i, v := range a {
		b[i] = v + 7
	}
	c, err := CrossCorrelogram(a, b, 20, 1)
	if err != nil {
		t.Fatal(err)
	}
	if lag := argmaxLag(c); lag != 7 {
		t.Errorf("peak at %g ms, want 7", lag)
	}
	// Chance pairs in a 1 ms bin: n·(20 Hz · 1 ms) = 0.02 n.
	k := 20 + 7
	if got := c.Counts[k]; got < float64(len(a)) || got > float64(len(a))*1.1 {
		t.Errorf("count at 7 ms = %g, want %d plus about %.0f chance pairs", got, len(a), 0.02*float64(len(a)))
	}
	c, _ = CrossCorrelogram(b, a, 20, 1)
	if lag := argmaxLag(c); lag != -7 {
		t.Errorf("reversed: peak at %g ms, want −7", lag)
	}
}

// TestAutoCorrelogramPoisson: the autocorrelogram of a Poisson train, as a
// rate, is flat at the train's rate. Each pair counts twice (±lag), so the
// standard error of the mean rate is rate·√(2/pairs).
func TestAutoCorrelogramPoisson(t *testing.T) {
	s := rng.New(5)
	const rate, T = 20.0, 100000.0
	tr := genPoisson(&s, rate, T)
	c, err := AutoCorrelogram(tr, 100, 5)
	if err != nil {
		t.Fatal(err)
	}
	mean, total := 0.0, 0.0
	for k, r := range c.Rate() {
		mean += r
		total += c.Counts[k]
	}
	mean /= float64(len(c.Counts))
	// The rate of the train itself, n/T, is the reference.
	emp := float64(len(tr)) * 1000 / T
	t.Logf("autocorrelogram mean rate %.3f Hz, train rate %.3f Hz, %g pairs", mean, emp, total)
	closeTo(t, "autocorrelogram rate (Hz)", mean, emp, 4*emp*math.Sqrt(2/total))
	for k := range c.Counts {
		if c.Counts[k] != c.Counts[len(c.Counts)-1-k] {
			t.Fatalf("autocorrelogram not symmetric at lag %g", c.Lags[k])
		}
	}
}

// TestTrialCorrelogramShift: trains that follow the stimulus identically in
// every trial correlate only through it, and the shift predictor removes
// the peak exactly; trains coupled within a trial keep theirs.
func TestTrialCorrelogramShift(t *testing.T) {
	var ref, target []Train
	for range 10 {
		ref = append(ref, Train{10, 50, 90})
		target = append(target, Train{15, 55, 95})
	}
	raw, err := TrialCorrelogram(ref, target, 10, 1, false)
	if err != nil {
		t.Fatal(err)
	}
	if raw.Counts[15] != 30 || raw.Refs != 30 {
		t.Errorf("raw count at +5 ms = %g (refs %d), want 30", raw.Counts[15], raw.Refs)
	}
	corr, _ := TrialCorrelogram(ref, target, 10, 1, true)
	for k, v := range corr.Counts {
		if v != 0 {
			t.Errorf("stimulus-locked: corrected count %g at %g ms, want 0", v, corr.Lags[k])
		}
	}
	// Coupled: each trial has its own Poisson reference and the target
	// follows it by 3 ms.
	ref, target = nil, nil
	n := 0
	for r := range 20 {
		s := rng.New(9, uint64(r))
		a := genPoisson(&s, 20, 1000)
		b := make(Train, len(a))
		for i, v := range a {
			b[i] = v + 3
		}
		ref, target = append(ref, a), append(target, b)
		n += len(a)
	}
	corr, _ = TrialCorrelogram(ref, target, 10, 1, true)
	t.Logf("coupled: corrected count at +3 ms %g of %d reference spikes", corr.Counts[13], n)
	if lag := argmaxLag(corr); lag != 3 {
		t.Errorf("coupled: peak at %g ms, want 3", lag)
	}
	// The peak keeps all n pairs less the chance level (0.02 per reference
	// spike): allow 10%.
	if v := corr.Counts[13]; v < 0.9*float64(n) || v > 1.1*float64(n) {
		t.Errorf("coupled: corrected count at 3 ms = %g, want about %d", v, n)
	}
	if _, err := TrialCorrelogram(ref[:1], target[:1], 10, 1, true); err == nil {
		t.Error("shift with one trial: no error")
	}
	if _, err := TrialCorrelogram(ref, target[:2], 10, 1, false); err == nil {
		t.Error("different trial counts: no error")
	}
}

func TestSpikeTriggeredAverage(t *testing.T) {
	// Signal s(t) = t sampled every 0.5 ms from 0 to 50 ms (101 samples).
	sig := make([]float64, 101)
	for i := range sig {
		sig[i] = 0.5 * float64(i)
	}
	// Spikes 10, 20.2 (nearest sample 20) and 30 are averaged; 0.5 (window
	// starts before the signal) and 49.9 (nearest sample 50, window ends
	// after it) are skipped. Mean at lag L: (10 + 20 + 30)/3 + L = 20 + L.
	tr := Train{0.5, 10, 20.2, 30, 49.9}
	sta, err := SpikeTriggeredAverage(tr, sig, 0, 0.5, 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	if sta.Spikes != 3 || len(sta.Lags) != 7 {
		t.Fatalf("STA %+v", sta)
	}
	for k, l := range sta.Lags {
		closeTo(t, "lag", l, -2+0.5*float64(k), 1e-12)
		closeTo(t, "STA", sta.Mean[k], 20+l, 1e-12)
	}
	none, err := SpikeTriggeredAverage(Train{0}, sig, 0, 0.5, 2, 1)
	if err != nil || none.Spikes != 0 || !math.IsNaN(none.Mean[0]) {
		t.Errorf("no usable spike: %+v, %v", none, err)
	}
	for _, p := range [][3]float64{{0, 2, 1}, {0.5, -1, 1}, {0.5, 40, 40}, {math.NaN(), 1, 1}} {
		if _, err := SpikeTriggeredAverage(tr, sig, 0, p[0], p[1], p[2]); err == nil {
			t.Errorf("dt %g, before %g, after %g: no error", p[0], p[1], p[2])
		}
	}
}

func TestChiHand(t *testing.T) {
	closeTo(t, "χ identical", Chi([][]float64{{1, 2, 3}, {1, 2, 3}}), 1, 1e-15)
	// Anti-phase traces: the population average is constant, χ = 0.
	closeTo(t, "χ anti-phase", Chi([][]float64{{1, 0, 1, 0}, {0, 1, 0, 1}}), 0, 0)
	for name, v := range map[string]float64{
		"no trace":       Chi(nil),
		"ragged":         Chi([][]float64{{1, 2}, {1}}),
		"constant":       Chi([][]float64{{1, 1}, {2, 2}}),
		"one sample":     Chi([][]float64{{1}, {2}}),
		"no neuron":      Synchrony(&Group{Start: 0, Stop: 100}, 10),
		"silent neurons": Synchrony(&Group{Trains: []Train{nil, nil}, Start: 0, Stop: 100}, 10),
		"one bin":        Synchrony(&Group{Trains: []Train{{1}, {2}}, Start: 0, Stop: 100}, 100),
	} {
		if !math.IsNaN(v) {
			t.Errorf("χ of %s = %g, want NaN", name, v)
		}
	}
}

// TestSynchronyPoisson: N independent Poisson neurons have
// Var(population mean) = (1/N)·mean single variance, so χ² = 1/N. With M
// bins of Poisson population counts of mean λ, the relative SE of the
// estimated χ² is √(2/M + 1/(λM)) and that of χ half of it; tolerance 4 SE.
// Identical trains have χ = 1. The streaming Synchrony must equal Chi of
// the binned counts.
func TestSynchronyPoisson(t *testing.T) {
	const N, rate, T, bin = 25, 20.0, 200000.0, 5.0
	g := &Group{Start: 0, Stop: T}
	for i := range N {
		s := rng.New(13, uint64(i))
		g.Trains = append(g.Trains, genPoisson(&s, rate, T))
		g.IDs = append(g.IDs, i)
	}
	M := T / bin
	lambda := N * rate * bin / 1000
	chi := Synchrony(g, bin)
	t.Logf("χ = %.4f, 1/√N = %.4f", chi, 1/math.Sqrt(N))
	closeTo(t, "χ independent", chi, 1/math.Sqrt(N), 4*0.5*math.Sqrt(2/M+1/(lambda*M))/math.Sqrt(N))

	traces := make([][]float64, N)
	for i, tr := range g.Trains {
		traces[i] = BinCounts(nil, tr, 0, T, bin)
	}
	closeTo(t, "Synchrony = Chi(BinCounts)", chi, Chi(traces), 1e-12)

	same := &Group{Trains: []Train{g.Trains[0], g.Trains[0], g.Trains[0]}, Start: 0, Stop: T}
	closeTo(t, "χ identical trains", Synchrony(same, bin), 1, 1e-12)
}

// TestCountCorrelation: a = X ∪ Y and b = X ∪ Z for independent Poisson
// X, Y, Z of rates r_x, r_y, r_z share only X, so their counts in any bin
// correlate with ρ = r_x/√((r_x + r_y)(r_x + r_z)) = 10/√(20·40) = 0.35355.
// The SE of a Pearson coefficient from M pairs is about (1 − ρ²)/√M;
// tolerance 4 SE.
func TestCountCorrelation(t *testing.T) {
	// Hand: counts in 10 ms bins of [0, 40]: a = 1, 0, 1, 0; b identical
	// → 1; c = 0, 1, 0, 1 → −1.
	a, b, c := Train{1, 21}, Train{2, 22}, Train{12, 32}
	closeTo(t, "ρ same counts", CountCorrelation(a, b, 0, 40, 10), 1, 1e-15)
	closeTo(t, "ρ opposite counts", CountCorrelation(a, c, 0, 40, 10), -1, 1e-15)
	if v := CountCorrelation(a, Train{1, 11, 21, 31}, 0, 40, 10); !math.IsNaN(v) {
		t.Errorf("constant counts: ρ = %g, want NaN", v)
	}

	const T, bin = 400000.0, 20.0
	s := rng.New(17)
	x := genPoisson(&s, 10, T)
	y := genPoisson(&s, 10, T)
	z := genPoisson(&s, 30, T)
	M := T / bin
	rho := 10 / math.Sqrt(20*40)
	t.Logf("ρ shared = %.4f (closed form %.4f), ρ independent = %.4f", CountCorrelation(genMerge(x, y), genMerge(x, z), 0, T, bin), rho, CountCorrelation(y, z, 0, T, bin))
	closeTo(t, "ρ shared input", CountCorrelation(genMerge(x, y), genMerge(x, z), 0, T, bin), rho, 4*(1-rho*rho)/math.Sqrt(M))
	closeTo(t, "ρ independent", CountCorrelation(y, z, 0, T, bin), 0, 4/math.Sqrt(M))
}
