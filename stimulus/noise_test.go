package stimulus_test

import (
	"math"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat"

	"github.com/hebb-snn/hebb/param"
	"github.com/hebb-snn/hebb/stimulus"
)

// noiseRun applies s to n neurons (all selected) for steps steps and
// returns the injected currents, x[i][step].
func noiseRun(s stimulus.Stimulus, n, steps int) [][]float64 {
	x := make([][]float64, n)
	for i := range x {
		x[i] = make([]float64, steps)
	}
	in := newInput(n, 0)
	for st := range steps {
		in.Step = int64(st)
		clear(in.I)
		s.Apply(0, n, in)
		for i := range n {
			x[i][st] = in.I[i]
		}
	}
	return x
}

func noiseAll(n int) []int32 {
	sel := make([]int32, n)
	for i := range sel {
		sel[i] = int32(i)
	}
	return sel
}

// noiseMeanSE returns the mean of per-neuron statistics and its standard
// error from their spread (neurons are independent).
func noiseMeanSE(xs []float64) (m, se float64) {
	m, sd := stat.MeanStdDev(xs, nil)
	return m, sd / math.Sqrt(float64(len(xs)))
}

// The OU current is stationary from the first step with mean μ, variance
// σ² and autocorrelation exp(−|Δt|/τ), whatever dt (exact update): for
// dt = 0.1 ms and 2.5 ms with τ = 5 ms, 100 neurons over 2 s each. Each
// statistic is computed per neuron (with the known μ, σ² as reference) and
// averaged; it must lie within 5 standard errors of the truth (standard
// error from the spread across neurons, itself required to be small: below
// 1% of σ for the mean, 2% of σ² for the variance, 0.01 for the
// correlation). At t = 0 the 100 currents are N(μ, σ²) (mean within
// 5σ/√100).
func TestNoiseCurrentStatistics(t *testing.T) {
	const n, mu, sigma, tau, T = 100, 100.0, 50.0, 5.0, 2000.0
	for _, dt := range []float64{0.1, 2.5} {
		steps := int(T / dt)
		lag := int(math.Round(tau / dt))
		s := build(t, "noise_current", param.Values{"mean": num(mu), "std": num(sigma), "tau": num(tau)}, noiseAll(n), stimulus.Env{Dt: dt, Seed: 3, Offset: 17})
		x := noiseRun(s, n, steps)
		means, vars, corrs, first := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
		for i, xi := range x {
			first[i] = xi[0]
			var m, v, c float64
			for k, y := range xi {
				m += y
				v += (y - mu) * (y - mu)
				if k+lag < steps {
					c += (y - mu) * (xi[k+lag] - mu)
				}
			}
			means[i] = m / float64(steps)
			vars[i] = v / float64(steps)
			corrs[i] = c / float64(steps-lag) / (sigma * sigma)
		}
		m, se := noiseMeanSE(means)
		if math.Abs(m-mu) > 5*se || se > 0.01*sigma {
			t.Errorf("dt = %g: mean %.3f ± %.3f pA (se), want μ = %g", dt, m, se, mu)
		}
		v, se := noiseMeanSE(vars)
		if math.Abs(v-sigma*sigma) > 5*se || se > 0.02*sigma*sigma {
			t.Errorf("dt = %g: variance %.2f ± %.2f pA², want σ² = %g", dt, v, se, sigma*sigma)
		}
		c, se := noiseMeanSE(corrs)
		if math.Abs(c-math.Exp(-1)) > 5*se || se > 0.01 {
			t.Errorf("dt = %g: autocorrelation at lag τ = %.4f ± %.4f, want e^{−1} = %.4f", dt, c, se, math.Exp(-1))
		}
		t.Logf("dt = %g ms: mean %.2f pA, variance %.1f pA² (σ² = %g), correlation at τ %.4f (e^{-1} = %.4f)", dt, m, v, sigma*sigma, c, math.Exp(-1))
		if m0 := stat.Mean(first, nil); math.Abs(m0-mu) > 5*sigma/math.Sqrt(n) {
			t.Errorf("dt = %g: mean current in the first step %.2f pA, want μ = %g ± %.2f (stationary start)", dt, m0, mu, 5*sigma/math.Sqrt(n))
		}
	}
}

// Currents of different neurons, and of two noise stimuli on the same
// neuron, are independent: over 100 neurons × 1 s (τ = 1 ms, about 500
// independent samples each) the correlation coefficients of neighbouring
// neurons average to 0 within 5 se and none exceeds 5/√500 ≈ 0.22.
func TestNoiseCurrentIndependence(t *testing.T) {
	const n, dt, steps, tau = 100, 0.1, 10000, 1.0
	over := param.Values{"mean": num(10), "std": num(20), "tau": num(tau)}
	x := noiseRun(build(t, "noise_current", over, noiseAll(n), stimulus.Env{Dt: dt, Seed: 4}), n, steps)
	y := noiseRun(build(t, "noise_current", over, noiseAll(n), stimulus.Env{Dt: dt, Seed: 4, Key: 1}), n, steps)
	limit := 5 / math.Sqrt(steps*dt/(2*tau))
	for _, pair := range []struct {
		what string
		a, b func(i int) []float64
	}{
		{"neurons i and i+1", func(i int) []float64 { return x[i] }, func(i int) []float64 { return x[(i+1)%n] }},
		{"two stimuli on neuron i", func(i int) []float64 { return x[i] }, func(i int) []float64 { return y[i] }},
	} {
		r := make([]float64, n)
		for i := range n {
			r[i] = stat.Correlation(pair.a(i), pair.b(i), nil)
			if math.Abs(r[i]) > limit {
				t.Errorf("%s (i = %d): correlation %.3f, want |r| < %.3f", pair.what, i, r[i], limit)
			}
		}
		m, se := noiseMeanSE(r)
		if math.Abs(m) > 5*se {
			t.Errorf("%s: mean correlation %.4f ± %.4f, want 0", pair.what, m, se)
		}
	}
}

// Splitting the neurons among workers changes nothing: one Apply over all
// neurons and Apply over four ranges give bit-identical currents, on a
// subset of the population (sel) with a global offset. Neurons outside sel
// get nothing, and nothing is injected outside [start, stop).
func TestNoiseCurrentRangesAndWindow(t *testing.T) {
	const n, dt = 40, 0.5
	sel := []int32{1, 2, 5, 11, 12, 13, 20, 33, 39}
	over := param.Values{"mean": num(-30), "std": num(15), "tau": num(3), "start": num(10), "stop": num(60)}
	env := stimulus.Env{Dt: dt, Seed: 9, Key: 2, Offset: 1000}
	a, b := build(t, "noise_current", over, sel, env), build(t, "noise_current", over, sel, env)
	inA, inB := newInput(n, 0), newInput(n, 0)
	for st := int64(0); st < 200; st++ {
		inA.Step, inB.Step = st, st
		clear(inA.I)
		clear(inB.I)
		a.Apply(0, n, inA)
		for _, r := range [][2]int{{0, 2}, {2, 12}, {12, 13}, {13, n}} {
			b.Apply(r[0], r[1], inB)
		}
		if !slices.Equal(inA.I, inB.I) {
			t.Fatalf("step %d: one range gives %v, four ranges %v", st, inA.I, inB.I)
		}
		on := st >= 20 && st < 120
		for i := range n {
			if got := inA.I[i] != 0; got != (on && contains(sel, i)) {
				t.Fatalf("step %d neuron %d: current %g pA (on in steps [20, 120) for %v)", st, i, inA.I[i], sel)
			}
			if inA.Ex[i] != 0 || inA.In[i] != 0 {
				t.Fatalf("noise_current touched synaptic input")
			}
		}
	}
}

// σ = 0 gives exactly μ in every step.
func TestNoiseCurrentZeroStd(t *testing.T) {
	x := noiseRun(build(t, "noise_current", param.Values{"mean": num(42), "std": num(0), "tau": num(1)}, noiseAll(3), stimulus.Env{Dt: 0.1}), 3, 100)
	for i := range x {
		for st, v := range x[i] {
			if v != 42 {
				t.Fatalf("neuron %d step %d: %g pA, want 42 with std 0", i, st, v)
			}
		}
	}
}

func TestNoiseCurrentCheck(t *testing.T) {
	k, ok := stimulus.Lookup("noise_current")
	if !ok || !k.Current {
		t.Fatalf("noise_current not registered as a current")
	}
	for _, tc := range []struct {
		std, tau float64
		param    string
		msg      string
	}{
		{-1, 5, "std", "negative"},
		{10, 0, "tau", "positive"},
		{10, -2, "tau", "positive"},
	} {
		v := k.Schema.Defaults()
		v["std"], v["tau"] = num(tc.std), num(tc.tau)
		errs := k.Check(v, 0.1)
		if len(errs) != 1 || errs[0].Param != tc.param || !strings.Contains(errs[0].Msg, tc.msg) {
			t.Errorf("std %g, tau %g: Check = %v, want one error on %s saying %q", tc.std, tc.tau, errs, tc.param, tc.msg)
		}
		if _, err := k.New(v, []int32{0}, stimulus.Env{Dt: 0.1}); err == nil {
			t.Errorf("std %g, tau %g: New accepted it", tc.std, tc.tau)
		}
	}
}

// BenchmarkNoiseCurrentApply: one OU step for 10 000 neurons.
func BenchmarkNoiseCurrentApply(b *testing.B) {
	const n = 10000
	k, _ := stimulus.Lookup("noise_current")
	v := k.Schema.Defaults()
	v["std"], v["tau"] = num(50), num(5)
	s, err := k.New(v, noiseAll(n), stimulus.Env{Dt: 0.1, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	in := newInput(n, 0)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		in.Step = int64(i)
		s.Apply(0, n, in)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/neuron")
}
