package pointprocess

import (
	"math"
	"testing"

	"github.com/hebb-snn/hebb/rng"
)

// hawkes2 is the 2-D process of the tests: ρ(A) = 0.5 (eigenvalues
// 0.2 ± 0.3), mean rates (I − A)⁻¹μ = (0.013, 0.018)/0.55 /ms.
func hawkes2() Hawkes {
	return Hawkes{
		Mu:    []float64{0.01, 0.02},
		Alpha: []float64{0.3, 0.2, 0.4, 0.1},
		Beta:  []float64{0.2, 0.05},
	}
}

func TestHawkesAlgebra(t *testing.T) {
	h := hawkes2()
	if err := h.Validate(); err != nil {
		t.Fatal(err)
	}
	if rho := h.SpectralRadius(); math.Abs(rho-0.5) > 1e-14 || !h.Stationary() {
		t.Errorf("spectral radius %.16g, want 0.5 (stationary)", rho)
	}
	rates, err := h.MeanRates()
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(rates[0]-0.013/0.55) > 1e-15 || math.Abs(rates[1]-0.018/0.55) > 1e-15 {
		t.Errorf("mean rates %v, want [%g %g]", rates, 0.013/0.55, 0.018/0.55)
	}
	one := Hawkes{Mu: []float64{0.02}, Alpha: []float64{0.5}, Beta: []float64{0.1}}
	c, err := one.CountCovariance()
	if err != nil || math.Abs(c[0]-0.02/0.125) > 1e-15 {
		t.Errorf("1-D count covariance %v, %v; want μ/(1 − α)³ = 0.16", c, err)
	}
	// Non-stationary: eigenvalues 0.6 ± 0.5, ρ = 1.1.
	ns := Hawkes{Mu: []float64{0.01, 0.01}, Alpha: []float64{0.6, 0.5, 0.5, 0.6}, Beta: []float64{1, 1}}
	if rho := ns.SpectralRadius(); math.Abs(rho-1.1) > 1e-14 || ns.Stationary() {
		t.Errorf("spectral radius %g, want 1.1 and not stationary", rho)
	}
	if _, err := ns.MeanRates(); err == nil {
		t.Error("MeanRates of a non-stationary process gave no error")
	}
	if _, err := ns.CountCovariance(); err == nil {
		t.Error("CountCovariance of a non-stationary process gave no error")
	}
	for name, bad := range map[string]Hawkes{
		"empty":         {},
		"alpha length":  {Mu: []float64{1, 1}, Alpha: []float64{0.1}, Beta: []float64{1, 1}},
		"negative mu":   {Mu: []float64{-1}, Alpha: []float64{0.1}, Beta: []float64{1}},
		"negative a":    {Mu: []float64{1}, Alpha: []float64{-0.1}, Beta: []float64{1}},
		"zero beta":     {Mu: []float64{1}, Alpha: []float64{0.1}, Beta: []float64{0}},
		"NaN alpha":     {Mu: []float64{1}, Alpha: []float64{math.NaN()}, Beta: []float64{1}},
		"infinite beta": {Mu: []float64{1}, Alpha: []float64{0.1}, Beta: []float64{math.Inf(1)}},
	} {
		if bad.Validate() == nil || bad.Stationary() || !math.IsNaN(bad.SpectralRadius()) {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestHawkesIntensityCompensatorByHand(t *testing.T) {
	h := Hawkes{Mu: []float64{0.1, 0.2}, Alpha: []float64{0.5, 0.3, 0.2, 0.4}, Beta: []float64{0.2, 1}}
	spikes := [][]float64{{1, 4}, {2}}
	lam, err := h.Intensity(nil, 3, spikes)
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{
		0.1 + 0.5*0.2*math.Exp(-0.2*2) + 0.3*0.2*math.Exp(-0.2*1),
		0.2 + 0.2*1*math.Exp(-1*2) + 0.4*1*math.Exp(-1*1),
	}
	for i := range want {
		if math.Abs(lam[i]-want[i]) > 1e-15 {
			t.Errorf("λ_%d(3) = %.17g, want %.17g", i, lam[i], want[i])
		}
	}
	// Events at t itself do not count: λ(1) = μ.
	if lam, _ := h.Intensity(lam, 1, spikes); lam[0] != 0.1 || lam[1] != 0.2 {
		t.Errorf("λ(1) = %v, want μ", lam)
	}
	cum, err := h.Compensator(spikes)
	if err != nil {
		t.Fatal(err)
	}
	wantCum := [][]float64{
		{0.1, 0.4 + 0.5*(1-math.Exp(-0.2*3)) + 0.3*(1-math.Exp(-0.2*2))},
		{0.4 + 0.2*(1-math.Exp(-1))},
	}
	for i := range wantCum {
		for k := range wantCum[i] {
			if math.Abs(cum[i][k]-wantCum[i][k]) > 1e-15 {
				t.Errorf("Λ_%d at event %d = %.17g, want %.17g", i, k, cum[i][k], wantCum[i][k])
			}
		}
	}
	if _, err := h.Compensator([][]float64{{2, 1}, {}}); err == nil {
		t.Error("unsorted train accepted")
	}
	if _, err := h.Compensator([][]float64{{1}}); err == nil {
		t.Error("one train for two dimensions accepted")
	}
	if cum, err := h.Compensator([][]float64{nil, nil}); err != nil || len(cum[0]) != 0 {
		t.Errorf("empty trains: %v %v", cum, err)
	}
}

// checkCounts compares the counts on [0, T) with the mean rates, within 4
// standard deviations from CountCovariance.
func checkCounts(t *testing.T, h Hawkes, spikes [][]float64, T float64) {
	t.Helper()
	rates, err := h.MeanRates()
	if err != nil {
		t.Fatal(err)
	}
	cov, _ := h.CountCovariance()
	d := h.Dim()
	for i := range d {
		checkTrain(t, "Hawkes", spikes[i], 0, T)
		n, want := float64(len(spikes[i])), rates[i]*T
		sd := math.Sqrt(cov[i*d+i] * T)
		if math.Abs(n-want) > 4*sd {
			t.Errorf("dimension %d: %g events, want %.0f ± %.0f (4 sd)", i, n, want, 4*sd)
		}
		t.Logf("dimension %d: %g events, want %.0f (sd %.0f)", i, n, want, sd)
	}
}

func TestHawkesSimulate1D(t *testing.T) {
	// μ = 0.02 /ms, α = 0.5, β = 0.1 /ms on [0, 2·10⁶) ms: mean rate
	// μ/(1 − α) = 0.04 /ms, 80000 events, sd √(μT/(1 − α)³) = 566.
	h := Hawkes{Mu: []float64{0.02}, Alpha: []float64{0.5}, Beta: []float64{0.1}}
	const T = 2e6
	s := rng.New(4, 401)
	spikes, err := h.Simulate(&s, T, 0)
	if err != nil {
		t.Fatal(err)
	}
	checkCounts(t, h, spikes, T)
	// Rescaling with the true parameters passes KS; a Poisson process of
	// the same rate fails (the intervals are overdispersed).
	ks, err := h.KSTests(spikes)
	if err != nil {
		t.Fatal(err)
	}
	if !ks[0].Pass() || ks[0].P < 0.01 {
		t.Errorf("true model: KS D = %.4f (bound %.4f) p = %.3g; want a pass", ks[0].D, ks[0].Bound95, ks[0].P)
	}
	pois := Hawkes{Mu: []float64{0.04}, Alpha: []float64{0}, Beta: []float64{0.1}}
	bad, _ := pois.KSTests(spikes)
	if bad[0].Pass() || bad[0].P > 1e-6 {
		t.Errorf("Poisson model: KS D = %.4f p = %.3g; want a clear failure", bad[0].D, bad[0].P)
	}
	t.Logf("KS true D = %.4f p = %.3f; Poisson D = %.4f p = %.2g", ks[0].D, ks[0].P, bad[0].D, bad[0].P)
	// The same seed gives the same events.
	s2 := rng.New(4, 401)
	again, _ := h.Simulate(&s2, T, 0)
	if len(again[0]) != len(spikes[0]) || again[0][len(again[0])-1] != spikes[0][len(spikes[0])-1] {
		t.Error("simulation not reproducible for a seed")
	}
}

func TestHawkesSimulate2D(t *testing.T) {
	// hawkes2 on [0, 2·10⁶) ms: ~47000 and ~65000 events; sd from the
	// asymptotic count covariance (I − A)⁻¹ diag(Λ) (I − A)⁻ᵀ·T.
	h := hawkes2()
	const T = 2e6
	s := rng.New(4, 402)
	spikes, err := h.Simulate(&s, T, 0)
	if err != nil {
		t.Fatal(err)
	}
	checkCounts(t, h, spikes, T)
	ks, err := h.KSTests(spikes)
	if err != nil {
		t.Fatal(err)
	}
	for i, k := range ks {
		if !k.Pass() || k.P < 0.01 {
			t.Errorf("dimension %d: KS D = %.4f (bound %.4f) p = %.3g; want a pass", i, k.D, k.Bound95, k.P)
		}
		t.Logf("dimension %d: KS D = %.4f p = %.3f", i, k.D, k.P)
	}
	// Swapping the decay rates is a wrong model and fails.
	w := hawkes2()
	w.Beta = []float64{0.05, 0.2}
	bad, _ := w.KSTests(spikes)
	if bad[0].Pass() && bad[1].Pass() {
		t.Errorf("swapped betas pass KS: D = %.4f, %.4f", bad[0].D, bad[1].D)
	}
	t.Logf("swapped betas: KS D = %.4f p = %.2g, D = %.4f p = %.2g", bad[0].D, bad[0].P, bad[1].D, bad[1].P)
}

func TestHawkesSimulate3D(t *testing.T) {
	// A 3-D chain with a feedback loop: 1 → 2 → 3 → 1, plus self-excitation.
	h := Hawkes{
		Mu: []float64{0.01, 0.005, 0.002},
		Alpha: []float64{
			0.2, 0, 0.3,
			0.4, 0.1, 0,
			0, 0.5, 0.2,
		},
		Beta: []float64{0.1, 0.3, 1},
	}
	const T = 2e6
	s := rng.New(4, 403)
	spikes, err := h.Simulate(&s, T, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("spectral radius %.4f", h.SpectralRadius())
	checkCounts(t, h, spikes, T)
}

func TestHawkesNonStationary(t *testing.T) {
	// α = 1.5: explosive; the event limit stops the simulation.
	h := Hawkes{Mu: []float64{0.01}, Alpha: []float64{1.5}, Beta: []float64{1}}
	if h.Stationary() {
		t.Error("α = 1.5 reported stationary")
	}
	s := rng.New(4, 404)
	spikes, err := h.Simulate(&s, 1e6, 10000)
	if err == nil {
		t.Errorf("no error; %d events", len(spikes[0]))
	}
	if len(spikes[0]) != 10000 {
		t.Errorf("%d events returned, want the 10000 before the limit", len(spikes[0]))
	}
	if _, err := (Hawkes{Mu: []float64{0.01}, Alpha: []float64{0.5}, Beta: []float64{1}}).Simulate(&s, math.Inf(1), 0); err == nil {
		t.Error("infinite window accepted")
	}
	empty, err := (Hawkes{Mu: []float64{0}, Alpha: []float64{0.5}, Beta: []float64{1}}).Simulate(&s, 1000, 0)
	if err != nil || len(empty[0]) != 0 {
		t.Errorf("μ = 0: %v %v; want no events", empty, err)
	}
}
