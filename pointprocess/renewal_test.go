package pointprocess

import (
	"math"
	"testing"

	"github.com/hebb-snn/hebb/rng"
)

// intervals returns the differences of consecutive events.
func intervals(ev []float64) []float64 {
	out := make([]float64, 0, len(ev))
	for k := 1; k < len(ev); k++ {
		out = append(out, ev[k]-ev[k-1])
	}
	return out
}

func TestGammaRenewalCV(t *testing.T) {
	// Rate 0.02 /ms (mean interval 50 ms); ~2·10⁵ intervals per shape.
	// By the delta method, Var(log CV̂) = ((κ − 1)/4 + CV² − γ·CV)/n, with
	// κ = 3 + 6/k and γ = 2/√k for the gamma law: (1/2 + 1/(2k))/n.
	const rate, T = 0.02, 1e7
	for _, k := range []float64{0.5, 2, 4} {
		s := rng.New(2, 203, uint64(k*10))
		g := Gamma{Shape: k, Rate: rate}
		ev, err := g.Simulate(nil, &s, 0, T, FromEvent)
		if err != nil {
			t.Fatal(err)
		}
		checkTrain(t, "Gamma", ev, 0, T)
		isi := intervals(ev)
		n := float64(len(isi))
		mean, variance, _ := sampleMoments(isi)
		cv := math.Sqrt(variance) / mean
		seLog := math.Sqrt((0.5 + 0.5/k) / n)
		if math.Abs(math.Log(cv/g.CV())) > 4*seLog {
			t.Errorf("k = %g: CV %.4f, want %.4f (1/√k) within a factor e^±%.4f", k, cv, g.CV(), 4*seLog)
		}
		if se := g.CV() / rate / math.Sqrt(n); math.Abs(mean-1/rate) > 4*se {
			t.Errorf("k = %g: mean interval %.3f ms, want 50 ± %.3f", k, mean, 4*se)
		}
		t.Logf("k = %g: %d intervals, CV %.4f (want %.4f), mean %.3f ms", k, len(isi), cv, g.CV(), mean)
	}
}

// renewalTrials simulates trials on [t0, t0+long) and returns the count
// of each in [t0, t0+w) and its first event time after t0 (NaN if none).
func renewalTrials(t *testing.T, sim func(dst []float64, s *rng.Stream, t0, t1 float64) ([]float64, error), seed uint64, trials int, t0, w, long float64) (counts, first []float64) {
	t.Helper()
	s := rng.New(2, seed)
	var buf []float64
	for range trials {
		var err error
		buf, err = sim(buf[:0], &s, t0, t0+long)
		if err != nil {
			t.Fatal(err)
		}
		c := 0.0
		for _, x := range buf {
			if x < t0+w {
				c++
			}
		}
		counts = append(counts, c)
		f := math.NaN()
		if len(buf) > 0 {
			f = buf[0] - t0
		}
		first = append(first, f)
	}
	return counts, first
}

func TestGammaRenewalStart(t *testing.T) {
	// In equilibrium the mean count in any window is rate·w, however
	// short, and the forward recurrence time has mean m·(1 + CV²)/2.
	// From an event at t0 the count in [t0, t0 + w) is Σ_n P(S_n < w),
	// S_n ~ Gamma(n·k, θ): for k = 4, θ = 12.5 ms, w = 25 ms,
	// Σ_n P(Poisson(2) ≥ 4n) = 0.1440.
	const rate, w, trials = 0.02, 25.0, 20000
	for _, k := range []float64{0.5, 4} {
		g := Gamma{Shape: k, Rate: rate}
		eq := func(dst []float64, s *rng.Stream, t0, t1 float64) ([]float64, error) {
			return g.Simulate(dst, s, t0, t1, Equilibrium)
		}
		counts, first := renewalTrials(t, eq, 204+uint64(k), trials, 300, w, 3000)
		mean, variance, _ := sampleMoments(counts)
		if se := math.Sqrt(variance / trials); math.Abs(mean-rate*w) > 4*se {
			t.Errorf("k = %g equilibrium: mean count in %g ms %.4f, want %.2f ± %.4f", k, w, mean, rate*w, 4*se)
		}
		fm, fv, _ := sampleMoments(first)
		want := (1 + 1/k) / (2 * rate)
		if se := math.Sqrt(fv / trials); math.Abs(fm-want) > 4*se {
			t.Errorf("k = %g equilibrium: mean first event %.3f ms, want %.3f ± %.3f", k, fm, want, 4*se)
		}
		t.Logf("k = %g equilibrium: mean count %.4f (want 0.5), forward recurrence %.3f ms (want %.3f)", k, mean, fm, want)
	}
	g := Gamma{Shape: 4, Rate: rate}
	ord := func(dst []float64, s *rng.Stream, t0, t1 float64) ([]float64, error) {
		return g.Simulate(dst, s, t0, t1, FromEvent)
	}
	counts, _ := renewalTrials(t, ord, 206, trials, 300, w, 3000)
	want := 0.0
	for n := 1; n < 10; n++ {
		// P(Poisson(2) ≥ 4n)
		p, term := 0.0, math.Exp(-2.0)
		for j := range 4 * n {
			p += term
			term *= 2 / float64(j+1)
		}
		want += 1 - p
	}
	mean, variance, _ := sampleMoments(counts)
	if se := math.Sqrt(variance / trials); math.Abs(mean-want) > 4*se {
		t.Errorf("k = 4 from event: mean count %.4f, want %.4f ± %.4f", mean, want, 4*se)
	}
	t.Logf("k = 4 from event: mean count %.4f (want %.4f)", mean, want)
}

func TestDeadTime(t *testing.T) {
	// Rate 0.05 /ms (50 Hz), dead time 5 ms: intervals 5 ms + Exp(mean
	// 15 ms), mean 20 ms, CV 1 − 0.25 = 0.75, none shorter than 5 ms.
	p := DeadTime{Rate: 0.05, Dead: 5}
	if got := DeadTimeRate(1.0/15, 5); math.Abs(got-p.Rate) > 1e-15 {
		t.Errorf("DeadTimeRate(1/15 /ms, 5 ms) = %g, want 0.05", got)
	}
	s := rng.New(2, 207)
	ev, err := p.Simulate(nil, &s, 0, 4e6, FromEvent)
	if err != nil {
		t.Fatal(err)
	}
	checkTrain(t, "DeadTime", ev, 0, 4e6)
	isi := intervals(ev)
	minISI := math.Inf(1)
	for _, x := range isi {
		minISI = math.Min(minISI, x)
	}
	if minISI < p.Dead || minISI > p.Dead+0.01 {
		t.Errorf("shortest interval %.4f ms, want ≥ 5 and within 0.01 ms of it for %d intervals", minISI, len(isi))
	}
	n := float64(len(isi))
	mean, variance, _ := sampleMoments(isi)
	// Interval sd 15 ms: SE of the mean 15/√n; CV = sd/mean, SE of the sd
	// of an exponential part ≈ 15/√n.
	if se := 15 / math.Sqrt(n); math.Abs(mean-20) > 4*se {
		t.Errorf("mean interval %.4f ms, want 20 ± %.4f", mean, 4*se)
	}
	cv := math.Sqrt(variance) / mean
	if se := 0.75 * math.Sqrt(2/n); math.Abs(cv-p.CV()) > 4*se {
		t.Errorf("CV %.4f, want %.4f ± %.4f", cv, p.CV(), 4*se)
	}
	t.Logf("%d intervals: min %.4f ms, mean %.4f ms (want 20), CV %.4f (want 0.75)", len(isi), minISI, mean, cv)

	// Equilibrium: the count in a 3 ms window, shorter than the dead time,
	// has mean rate·w = 0.15 (it is 0 or 1).
	eq := func(dst []float64, s *rng.Stream, t0, t1 float64) ([]float64, error) {
		return p.Simulate(dst, s, t0, t1, Equilibrium)
	}
	const trials = 40000
	counts, first := renewalTrials(t, eq, 208, trials, 0, 3, 1000)
	cm, _, _ := sampleMoments(counts)
	if se := math.Sqrt(0.15 * 0.85 / trials); math.Abs(cm-0.15) > 4*se {
		t.Errorf("equilibrium mean count in 3 ms %.4f, want 0.15 ± %.4f", cm, 4*se)
	}
	// Forward recurrence mean E[X²]/(2m) = (15² + 20²)/40 = 15.625 ms.
	fm, fv, _ := sampleMoments(first)
	if se := math.Sqrt(fv / trials); math.Abs(fm-15.625) > 4*se {
		t.Errorf("equilibrium mean first event %.3f ms, want 15.625 ± %.3f", fm, 4*se)
	}
	t.Logf("equilibrium: mean count in 3 ms %.4f (want 0.15), forward recurrence %.3f ms (want 15.625)", cm, fm)

	// Rate·Dead = 1 is the regular train.
	reg := DeadTime{Rate: 0.1, Dead: 10}
	ev, err = reg.Simulate(nil, &s, 0, 100, FromEvent)
	if err != nil || len(ev) != 9 || ev[0] != 10 || ev[8] != 90 {
		t.Errorf("regular train: %v, %v; want 10, 20, … 90", ev, err)
	}
}

func TestRenewalErrors(t *testing.T) {
	s := rng.New(2, 209)
	dst := []float64{7}
	bad := []func() ([]float64, error){
		func() ([]float64, error) { return Gamma{Shape: 0, Rate: 1}.Simulate(dst, &s, 0, 10, Equilibrium) },
		func() ([]float64, error) { return Gamma{Shape: 1, Rate: -1}.Simulate(dst, &s, 0, 10, Equilibrium) },
		func() ([]float64, error) { return Gamma{Shape: 1, Rate: 1}.Simulate(dst, &s, 0, 10, Start(7)) },
		func() ([]float64, error) { return DeadTime{Rate: 0.2, Dead: 10}.Simulate(dst, &s, 0, 10, FromEvent) },
		func() ([]float64, error) { return DeadTime{Rate: 0.1, Dead: -1}.Simulate(dst, &s, 0, 10, FromEvent) },
		func() ([]float64, error) {
			return DeadTime{Rate: 0.1, Dead: 1}.Simulate(dst, &s, 0, math.NaN(), FromEvent)
		},
	}
	for k, f := range bad {
		if out, err := f(); err == nil || len(out) != 1 {
			t.Errorf("case %d: %v, %v; want an error and dst unchanged", k, out, err)
		}
	}
	for _, start := range []Start{Equilibrium, FromEvent} {
		if out, err := (Gamma{Shape: 2, Rate: 0}).Simulate(nil, &s, 0, 1e6, start); err != nil || len(out) != 0 {
			t.Errorf("rate 0: %v %v", out, err)
		}
		if out, err := (DeadTime{Rate: 1, Dead: 0.5}).Simulate(nil, &s, 10, 10, start); err != nil || len(out) != 0 {
			t.Errorf("empty window: %v %v", out, err)
		}
	}
	if Equilibrium.String() != "equilibrium" || FromEvent.String() != "from-event" {
		t.Error("Start names")
	}
}
