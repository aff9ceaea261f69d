package neuron_test

import (
	"math"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/hebb-snn/hebb/neuron"
	"github.com/hebb-snn/hebb/param"
)

// renTrains runs a source for steps steps and returns each neuron's spike
// steps, a step repeated as often as the amplitude says, and the total
// count.
func renTrains(t *testing.T, s *sim, steps int) ([][]int, int) {
	t.Helper()
	trains := make([][]int, s.n)
	total := 0
	for st := range steps {
		out := s.step()
		for j, id := range out.IDs {
			a := out.Amp[j]
			if a < 1 || a != math.Trunc(a) {
				t.Fatalf("step %d: amplitude %g, want a positive count", st, a)
			}
			if j > 0 && id <= out.IDs[j-1] {
				t.Fatalf("step %d: ids %v not increasing", st, out.IDs)
			}
			for range int(a) {
				trains[id] = append(trains[id], st)
			}
			total += int(a)
		}
	}
	return trains, total
}

// renISIs returns every interspike interval, in steps.
func renISIs(trains [][]int) []int {
	var isis []int
	for _, tr := range trains {
		for j := 1; j < len(tr); j++ {
			isis = append(isis, tr[j]-tr[j-1])
		}
	}
	return isis
}

// renCV returns the coefficient of variation of xs and its standard error
// by the delta method, SE²/CV² = (1/M)·[(m4 − s⁴)/(4s⁴) − m3/(s²·μ) + s²/μ²],
// with μ, s², m3, m4 the sample mean, variance and third and fourth central
// moments (1/√M for exponential intervals).
func renCV(xs []int) (cv, se float64) {
	M := float64(len(xs))
	var mu float64
	for _, x := range xs {
		mu += float64(x)
	}
	mu /= M
	var m2, m3, m4 float64
	for _, x := range xs {
		d := float64(x) - mu
		m2 += d * d
		m3 += d * d * d
		m4 += d * d * d * d
	}
	m2, m3, m4 = m2/M, m3/M, m4/M
	cv = math.Sqrt(m2) / mu
	rel := ((m4-m2*m2)/(4*m2*m2) - m3/(m2*mu) + m2/(mu*mu)) / M
	return cv, cv * math.Sqrt(rel)
}

// renKS is the Kolmogorov–Smirnov test of intervals measured on the grid
// against a continuous interval distribution with CDF F (x in steps).
// Spikes are stamped at the end of the step that holds them, so an
// interval x is measured as ⌈t₁ + x⌉ − ⌈t₁⌉ steps; for a spike phase t₁ mod 1
// that is uniform the measured M has P(M ≤ m) = ∫_m^{m+1} F(x) dx exactly
// (computed by Simpson's rule); both CDFs step at whole m, so D is the
// largest difference over every whole m.
func renKS(isis []int, F func(x float64) float64) (d, p float64) {
	s := slices.Clone(isis)
	slices.Sort(s)
	N := float64(len(s))
	j := 0
	for m := 0; m <= s[len(s)-1]; m++ {
		for j < len(s) && s[j] <= m {
			j++
		}
		g := (F(float64(m)) + 4*F(float64(m)+0.5) + F(float64(m+1))) / 6
		d = math.Max(d, math.Abs(float64(j)/N-g))
	}
	return d, escKSProb(d, len(s))
}

// gamma_source of order k and rate r: intervals Gamma(k, 1/(k·r)), so
// CV = 1/√k, and the rate is r. Checked for k = 1, 2, 5 and a non-integer
// 2.5 over 200 neurons × 5 s at 50 Hz (about 50 000 intervals): rate
// within 5 standard errors (count variance ≈ CV²·count for a renewal
// process), CV within 5 delta-method standard errors (≈ 0.5%), and the
// interval distribution by a KS test against Gamma(k, 1/(k·r)) (p > 0.001)
// that rejects Gamma(k + 1) of the same mean (p < 1e-6).
func TestGammaSourceStatistics(t *testing.T) {
	const n, dt, rate, steps = 200, 0.1, 50.0, 50000
	for _, k := range []float64{1, 2, 5, 2.5} {
		s := newSim(t, "gamma_source", n, param.Values{"rate": num(rate), "order": num(k)}, neuron.Env{Dt: dt, Seed: 31})
		trains, total := renTrains(t, s, steps)
		renCheckRate(t, "gamma", k, total, n, steps, dt, rate, 1/math.Sqrt(k))
		isis := renISIs(trains)
		cv, se := renCV(isis)
		t.Logf("k = %g: %d intervals, rate %.3f Hz, CV %.4f ± %.4f (want %.4f)", k, len(isis), float64(total)/(n*steps*dt/1000), cv, se, 1/math.Sqrt(k))
		if want := 1 / math.Sqrt(k); math.Abs(cv-want) > 5*se || se > 0.01*want {
			t.Errorf("gamma k = %g: CV = %.4f ± %.4f (se), want 1/√k = %.4f within 5 se", k, cv, se, want)
		}
		gammaCDF := func(order float64) func(x float64) float64 {
			g := distuv.Gamma{Alpha: order, Beta: order * rate * dt / 1000} // per step
			return g.CDF
		}
		if d, p := renKS(isis, gammaCDF(k)); p < 0.001 {
			t.Errorf("gamma k = %g: intervals are not Gamma(k, 1/(k·r)): KS distance %.4f, p = %.2g", k, d, p)
		}
		if d, p := renKS(isis, gammaCDF(k+1)); p > 1e-6 {
			t.Errorf("gamma k = %g: KS test accepts Gamma(k + 1) too (distance %.4f, p = %.2g): it cannot tell", k, d, p)
		}
	}
}

// renCheckRate checks a count against rate·n·T within 5 standard errors,
// the count variance of a renewal process being ≈ CV²·mean.
func renCheckRate(t *testing.T, what string, k float64, total, n, steps int, dt, rate, cv float64) {
	t.Helper()
	T := float64(steps) * dt / 1000
	want := rate * float64(n) * T
	se := cv * math.Sqrt(want)
	if math.Abs(float64(total)-want) > 5*se {
		t.Errorf("%s %g: %d spikes, want rate·n·T = %.0f ± %.0f (5 se): rate %.3f Hz instead of %g", what, k, total, want, 5*se, float64(total)/(float64(n)*T), rate)
	}
}

// dead_time_source with rate r and dead time τ_ref: intervals
// τ_ref + Exp(mean 1/r − τ_ref), CV = 1 − r·τ_ref (50 Hz, 5 ms: 0.75),
// none shorter than τ_ref; same tolerances as for gamma_source, and the
// KS test rejects a dead time of 4 ms.
func TestDeadTimeSourceStatistics(t *testing.T) {
	const n, dt, rate, tr, steps = 200, 0.1, 50.0, 5.0, 50000
	s := newSim(t, "dead_time_source", n, param.Values{"rate": num(rate), "t_ref": num(tr)}, neuron.Env{Dt: dt, Seed: 32})
	trains, total := renTrains(t, s, steps)
	wantCV := 1 - rate*tr/1000
	renCheckRate(t, "dead time", tr, total, n, steps, dt, rate, wantCV)
	isis := renISIs(trains)
	if m := slices.Min(isis); float64(m)*dt < tr-1e-9 {
		t.Errorf("shortest interval %.1f ms, want at least t_ref = %g ms", float64(m)*dt, tr)
	}
	cv, se := renCV(isis)
	t.Logf("%d intervals, CV %.4f ± %.4f (want %.4f)", len(isis), cv, se, wantCV)
	if math.Abs(cv-wantCV) > 5*se || se > 0.01 {
		t.Errorf("dead time: CV = %.4f ± %.4f (se), want 1 − r·τ_ref = %.4f within 5 se", cv, se, wantCV)
	}
	cdf := func(dead float64) func(x float64) float64 {
		d, mean := dead/dt, 1000/(rate*dt)
		return func(x float64) float64 {
			if x < d {
				return 0
			}
			return -math.Expm1(-(x - d) / (mean - d))
		}
	}
	if d, p := renKS(isis, cdf(tr)); p < 0.001 {
		t.Errorf("dead time: intervals are not τ_ref + exponential: KS distance %.4f, p = %.2g", d, p)
	}
	if d, p := renKS(isis, cdf(tr-1)); p > 1e-6 {
		t.Errorf("dead time: KS test accepts a 4 ms dead time too (distance %.4f, p = %.2g)", d, p)
	}
}

// The first spike is drawn from the stationary forward-recurrence
// distribution, so the population rate is r from t = 0 (and from start),
// not only after a transient: spike counts of 4000 neurons in 5 ms bins
// over the first 40 ms are within 5 Poisson standard errors of
// n·r·5 ms = 1000 (for gamma k = 5 an ordinary first interval would give
// about 30 in the first bin). With start = 10 ms there is no spike before
// 10 ms and the rate is r right after it.
func TestRenewalStationaryStart(t *testing.T) {
	const n, dt, rate, bin = 4000, 0.1, 50.0, 50 // bin in steps
	for _, tc := range []struct {
		name  string
		over  param.Values
		start int // steps
	}{
		{"gamma_source", param.Values{"rate": num(rate), "order": num(5)}, 0},
		{"gamma_source", param.Values{"rate": num(rate), "order": num(5), "start": num(10)}, 100},
		{"dead_time_source", param.Values{"rate": num(rate), "t_ref": num(15)}, 0},
		{"dead_time_source", param.Values{"rate": num(rate), "t_ref": num(15), "start": num(10)}, 100},
	} {
		s := newSim(t, tc.name, n, tc.over, neuron.Env{Dt: dt, Seed: 33})
		trains, _ := renTrains(t, s, tc.start+8*bin)
		counts := make([]float64, 8)
		for _, tr := range trains {
			for _, st := range tr {
				if st < tc.start {
					t.Fatalf("%s: spike in step %d, before start (step %d)", tc.name, st, tc.start)
				}
				counts[(st-tc.start)/bin]++
			}
		}
		want := n * rate * bin * dt / 1000
		for b, c := range counts {
			if math.Abs(c-want) > 5*math.Sqrt(want) {
				t.Errorf("%s %v: %d–%d ms after start: %.0f spikes, want %.0f ± %.0f (stationary from the start)", tc.name, tc.over, b*bin/10, (b+1)*bin/10, c, want, 5*math.Sqrt(want))
			}
		}
	}
}

// Several spikes in one step are emitted once with the count as amplitude:
// a 20 kHz gamma source (k = 2) at dt = 0.1 ms has 2 spikes per step on
// average; the total is within 5 se and multiple counts occur.
func TestGammaSourceSeveralPerStep(t *testing.T) {
	const n, dt, rate, steps = 20, 0.1, 20000.0, 2000
	s := newSim(t, "gamma_source", n, param.Values{"rate": num(rate), "order": num(2)}, neuron.Env{Dt: dt, Seed: 34})
	multi, total := 0, 0
	for range steps {
		out := s.step()
		for _, a := range out.Amp {
			if a > 1 {
				multi++
			}
			total += int(a)
		}
	}
	renCheckRate(t, "gamma", 2, total, n, steps, dt, rate, 1/math.Sqrt2)
	if multi < steps {
		t.Errorf("%d emissions with a count above 1 in %d steps of %d neurons at 2 spikes per step", multi, steps, n)
	}
}

// inhomogeneous_poisson_source, sinusoid: the PSTH of 1000 neurons over 1 s
// in 10 ms bins matches n·∫λ(t)dt over each bin (Pearson χ² with 100
// degrees of freedom, p > 0.001, bins being Poisson counts); the same
// data must reject the profile with its phase shifted by π/2 (p < 1e-6).
func TestInhomogeneousPoissonSinusoid(t *testing.T) {
	const (
		n, dt, steps, bin        = 1000, 0.1, 10000, 100
		rate, amp, freq, phase   = 40.0, 30.0, 3.0, 0.7
		alpha, reject            = 0.001, 1e-6
		omega                    = 2 * math.Pi * freq / 1000 // rad/ms
		binMs                    = bin * dt
		binsN                    = steps / bin
		wantPerSecond, tolSecond = rate * n, 5.0
	)
	s := newSim(t, "inhomogeneous_poisson_source", n, param.Values{"rate": num(rate), "amplitude": num(amp), "frequency": num(freq), "phase": num(phase)}, neuron.Env{Dt: dt, Seed: 35})
	counts := make([]float64, binsN)
	for st := range steps {
		out := s.step()
		for _, a := range out.Amp {
			counts[st/bin] += a
		}
	}
	chi2 := func(ph float64) float64 {
		x := 0.0
		for b, c := range counts {
			t0, t1 := float64(b)*binMs, float64(b+1)*binMs
			e := n * (rate*binMs + amp/omega*(math.Cos(omega*t0+ph)-math.Cos(omega*t1+ph))) / 1000
			x += (c - e) * (c - e) / e
		}
		return x
	}
	dist := distuv.ChiSquared{K: binsN}
	if x := chi2(phase); dist.Survival(x) < alpha {
		t.Errorf("PSTH does not follow rate + amplitude·sin(2π·f·t + φ): χ² = %.1f on %d dof, p = %.2g", x, binsN, dist.Survival(x))
	} else {
		t.Logf("χ² = %.1f on %d dof, p = %.3f", x, binsN, dist.Survival(x))
	}
	if x := chi2(phase + math.Pi/2); dist.Survival(x) > reject {
		t.Errorf("χ² test accepts the phase shifted by π/2 (χ² = %.1f, p = %.2g): it cannot tell", x, dist.Survival(x))
	}
}

// inhomogeneous_poisson_source, table: rate 0 before times[0], rates[k]
// from times[k] on, switching exactly at step round(times[k]/dt). With
// 2000 neurons the first and last steps of each active segment hold
// spikes (a silent step has probability e^{−20} or less), the silent
// segments none, and segment totals are within 5 Poisson se.
func TestInhomogeneousPoissonTable(t *testing.T) {
	const n, dt, steps = 2000, 0.1, 500
	times, rates := []float64{5, 12.5, 30}, []float64{400, 0, 100}
	s := newSim(t, "inhomogeneous_poisson_source", n, param.Values{"profile": word("table"), "times": {List: times}, "rates": {List: rates}}, neuron.Env{Dt: dt, Seed: 36})
	perStep := make([]float64, steps)
	for st := range steps {
		for _, a := range s.step().Amp {
			perStep[st] += a
		}
	}
	seg := func(from, to int) (sum float64) {
		for _, c := range perStep[from:to] {
			sum += c
		}
		return sum
	}
	if c := seg(0, 50); c != 0 {
		t.Errorf("%.0f spikes before times[0] = 5 ms, want none", c)
	}
	if c := seg(125, 300); c != 0 {
		t.Errorf("%.0f spikes between 12.5 and 30 ms where the rate is 0", c)
	}
	for _, st := range []int{50, 124, 300, 499} {
		if perStep[st] == 0 {
			t.Errorf("no spike in step %d: the rate should be on (switch times 5, 12.5, 30 ms)", st)
		}
	}
	for _, c := range []struct {
		from, to int
		rate     float64
	}{{50, 125, 400}, {300, 500, 100}} {
		want := n * c.rate * float64(c.to-c.from) * dt / 1000
		if got := seg(c.from, c.to); math.Abs(got-want) > 5*math.Sqrt(want) {
			t.Errorf("steps %d–%d: %.0f spikes, want %.0f ± %.0f", c.from, c.to, got, want, 5*math.Sqrt(want))
		}
	}
}

// Splitting the neurons among workers does not change any source's spikes.
func TestRenewalSplitRanges(t *testing.T) {
	const n = 25
	for _, tc := range []struct {
		name string
		over param.Values
	}{
		{"gamma_source", param.Values{"rate": num(3000), "order": num(3.5)}},
		{"dead_time_source", param.Values{"rate": num(2000), "t_ref": num(0.25)}},
		{"inhomogeneous_poisson_source", param.Values{"rate": num(3000), "amplitude": num(2000), "frequency": num(50)}},
	} {
		env := neuron.Env{Dt: 0.1, Seed: 37, Offset: 40}
		a, b := newSim(t, tc.name, n, tc.over, env), newSim(t, tc.name, n, tc.over, env)
		var outB neuron.Output
		for st := range 500 {
			outA := a.step()
			b.in.Step = int64(st)
			outB.Reset()
			for _, r := range [][2]int{{0, 3}, {3, 4}, {4, 20}, {20, n}} {
				b.k.Step(r[0], r[1], &b.in, &outB)
			}
			if !slices.Equal(outA.IDs, outB.IDs) || !slices.Equal(outA.Amp, outB.Amp) {
				t.Fatalf("%s step %d: one range emits %v %v, four ranges %v %v", tc.name, st, outA.IDs, outA.Amp, outB.IDs, outB.Amp)
			}
		}
	}
}

func TestRenewalCheck(t *testing.T) {
	for _, tc := range []struct {
		model string
		over  param.Values
		param string
		msg   string
	}{
		{"gamma_source", param.Values{"rate": num(10), "order": num(0.5)}, "order", "≥ 1"},
		{"dead_time_source", param.Values{"rate": num(200), "t_ref": num(5)}, "t_ref", "below 1"},
		{"dead_time_source", param.Values{"rate": num(250), "t_ref": num(5)}, "t_ref", "below 1"},
		{"inhomogeneous_poisson_source", param.Values{"rate": num(10), "amplitude": num(12)}, "amplitude", "never goes negative"},
		{"inhomogeneous_poisson_source", param.Values{"times": {List: []float64{1}}, "rates": {List: []float64{5}}}, "times", "profile table"},
		{"inhomogeneous_poisson_source", param.Values{"profile": word("table")}, "times", "needs times and rates"},
		{"inhomogeneous_poisson_source", param.Values{"profile": word("table"), "times": {List: []float64{1, 2}}, "rates": {List: []float64{5}}}, "rates", "one rate per time"},
		{"inhomogeneous_poisson_source", param.Values{"profile": word("table"), "times": {List: []float64{1, 2}}, "rates": {List: []float64{5, -1}}}, "rates", "negative"},
		{"inhomogeneous_poisson_source", param.Values{"profile": word("table"), "times": {List: []float64{2, 1}}, "rates": {List: []float64{5, 1}}}, "times", "increase"},
		{"inhomogeneous_poisson_source", param.Values{"profile": word("table"), "times": {List: []float64{1, 1.02}}, "rates": {List: []float64{5, 1}}}, "times", "same step"},
	} {
		m, v := values(t, tc.model, tc.over)
		errs := m.Check(v, 0.1)
		if len(errs) != 1 || errs[0].Param != tc.param || !strings.Contains(errs[0].Msg, tc.msg) {
			t.Errorf("%s %v: Check = %v, want one error on %s saying %q", tc.model, tc.over, errs, tc.param, tc.msg)
		}
		if _, err := m.New(1, v, neuron.Env{Dt: 0.1}); err == nil {
			t.Errorf("%s %v: New accepted an ill-posed parameter set", tc.model, tc.over)
		}
	}
	// Borderline cases that are fine.
	for _, tc := range []struct {
		model string
		over  param.Values
	}{
		{"gamma_source", param.Values{"rate": num(10), "order": num(1)}},
		{"dead_time_source", param.Values{"rate": num(199), "t_ref": num(5)}},
		{"inhomogeneous_poisson_source", param.Values{"rate": num(10), "amplitude": num(10)}},
		{"inhomogeneous_poisson_source", param.Values{"profile": word("table"), "times": {List: []float64{0, 0.1}}, "rates": {List: []float64{0, 3}}}},
	} {
		m, v := values(t, tc.model, tc.over)
		if errs := m.Check(v, 0.1); len(errs) != 0 {
			t.Errorf("%s %v: Check = %v, want no error", tc.model, tc.over, errs)
		}
	}
}

func renBench(b *testing.B, name string, over param.Values) {
	const n = 10000
	s := newSim(b, name, n, over, neuron.Env{Dt: 0.1, Seed: 1})
	s.out.IDs = make([]int32, 0, n)
	s.out.Amp = make([]float64, 0, n)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		s.step()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/neuron")
}

// BenchmarkGammaSourceStep: 10 000 gamma sources, k = 2, 20 Hz.
func BenchmarkGammaSourceStep(b *testing.B) {
	renBench(b, "gamma_source", param.Values{"rate": num(20), "order": num(2)})
}

// BenchmarkDeadTimeSourceStep: 10 000 dead-time sources, 20 Hz, 2 ms.
func BenchmarkDeadTimeSourceStep(b *testing.B) {
	renBench(b, "dead_time_source", param.Values{"rate": num(20), "t_ref": num(2)})
}

// BenchmarkInhomogeneousPoissonSourceStep: 10 000 sinusoidal sources,
// 20 ± 10 Hz at 5 Hz.
func BenchmarkInhomogeneousPoissonSourceStep(b *testing.B) {
	renBench(b, "inhomogeneous_poisson_source", param.Values{"rate": num(20), "amplitude": num(10), "frequency": num(5)})
}
