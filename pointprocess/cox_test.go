package pointprocess

import (
	"math"
	"testing"

	"github.com/hebb-snn/hebb/rng"
)

func TestCoxGridCounts(t *testing.T) {
	// A step profile on 1 ms cells from t0 = 50 ms: 100 cells at 0.01 /ms,
	// 100 at 0.1 /ms, 50 at 0: mean counts 1, 10 and 0 per trial.
	lam := make([]float64, 250)
	for i := range lam {
		switch {
		case i < 100:
			lam[i] = 0.01
		case i < 200:
			lam[i] = 0.1
		}
	}
	const trials, t0 = 4000, 50.0
	s := rng.New(3, 301)
	var c1, c2 []float64
	var buf []float64
	for range trials {
		var err error
		buf, err = CoxGrid(buf[:0], &s, lam, t0, 1)
		if err != nil {
			t.Fatal(err)
		}
		checkTrain(t, "CoxGrid", buf, t0, t0+200) // nothing in the zero cells
		a, b := 0.0, 0.0
		for _, x := range buf {
			if x < t0+100 {
				a++
			} else {
				b++
			}
		}
		c1, c2 = append(c1, a), append(c2, b)
	}
	for k, c := range [][]float64{c1, c2} {
		want := []float64{1, 10}[k]
		mean, variance, _ := sampleMoments(c)
		if se := math.Sqrt(want / trials); math.Abs(mean-want) > 4*se || math.Abs(variance/mean-1) > 4*math.Sqrt(2.0/trials) {
			t.Errorf("segment %d: mean %.4f (want %g ± %.4f), Fano %.3f (want 1)", k, mean, want, 4*se, variance/mean)
		}
		t.Logf("segment %d: mean %.4f (want %g), Fano %.4f", k, mean, want, variance/mean)
	}
}

func TestCoxGridRescaling(t *testing.T) {
	// A path λ_i = 0.05·(1 + 0.9·sin(i/20)) on 10⁵ cells of 2 ms (10⁴
	// events): the compensator is piecewise linear, and rescaling with it
	// passes KS.
	const dt, t0 = 2.0, 10.0
	lam := make([]float64, 100000)
	cumAt := make([]float64, len(lam)+1) // Λ at the cell starts
	for i := range lam {
		lam[i] = 0.05 * (1 + 0.9*math.Sin(float64(i)/20))
		cumAt[i+1] = cumAt[i] + lam[i]*dt
	}
	s := rng.New(3, 302)
	ev, err := CoxGrid(nil, &s, lam, t0, dt)
	if err != nil {
		t.Fatal(err)
	}
	checkTrain(t, "CoxGrid", ev, t0, t0+dt*float64(len(lam)))
	cum := make([]float64, len(ev))
	for k, x := range ev {
		i := int((x - t0) / dt)
		cum[k] = cumAt[i] + lam[i]*(x-t0-float64(i)*dt)
	}
	ks := KSTest(Rescale(nil, cum, 0))
	if want := cumAt[len(lam)]; math.Abs(float64(len(ev))-want) > 4*math.Sqrt(want) {
		t.Errorf("%d events, want %.0f ± %.0f", len(ev), want, 4*math.Sqrt(want))
	}
	if !ks.Pass() || ks.P < 0.01 {
		t.Errorf("KS D = %.4f (bound %.4f), p = %.3g; want a pass", ks.D, ks.Bound95, ks.P)
	}
	t.Logf("%d events (want %.0f), KS D = %.4f p = %.3f", len(ev), cumAt[len(lam)], ks.D, ks.P)
}

func TestCoxGridErrors(t *testing.T) {
	s := rng.New(3, 303)
	dst := []float64{1}
	for _, c := range []struct {
		lam []float64
		dt  float64
	}{{[]float64{0.1, -0.1}, 1}, {[]float64{math.NaN()}, 1}, {[]float64{math.Inf(1)}, 1}, {[]float64{0.1}, 0}, {[]float64{0.1}, math.NaN()}} {
		if out, err := CoxGrid(dst, &s, c.lam, 0, c.dt); err == nil || len(out) != 1 {
			t.Errorf("CoxGrid(%v, dt %g) = %v, %v; want an error and dst unchanged", c.lam, c.dt, out, err)
		}
	}
	if out, err := CoxGrid(nil, &s, nil, 0, 1); err != nil || len(out) != 0 {
		t.Errorf("empty path: %v %v", out, err)
	}
}

// lgcpContinuousFano is the Fano factor of the counts in a window w of the
// continuous-time process (Dt → 0). With C(h) = m²·(exp(σ²e^{−|h|/τ}) − 1)
// = m²·Σ_{k≥1} σ^{2k}/k!·e^{−k|h|/τ} and ∫_0^w (w − h)·e^{−h/c} dh =
// w·c − c²·(1 − e^{−w/c}),
//
//	Var Λ = 2·m²·Σ_k σ^{2k}/k!·(w·τ/k − (τ/k)²·(1 − e^{−k·w/τ})).
func lgcpContinuousFano(m, sigma, tau, w float64) float64 {
	v, term := 0.0, 1.0
	for k := 1; k < 60; k++ {
		term *= sigma * sigma / float64(k)
		c := tau / float64(k)
		v += term * (w*c - c*c*(-math.Expm1(-w/c)))
	}
	return 1 + 2*m*m*v/(m*w)
}

func TestLogGaussianCoxFanoFormula(t *testing.T) {
	c := LogGaussianCox{Mean: 0.02, Sigma: SigmaFromCV(1), Tau: 50, Dt: 0.05}
	if s2 := c.Sigma * c.Sigma; math.Abs(s2-math.Ln2) > 1e-15 {
		t.Errorf("σ² for CV 1 = %g, want log 2", s2)
	}
	// Grid sum (Dt = 0.05 ms, 20000 cells) against the continuous form:
	// they differ by at most O(Dt/τ) = 0.1% (measured: < 1e−5).
	got, want := c.FanoFactor(20000), lgcpContinuousFano(0.02, c.Sigma, 50, 1000)
	if math.Abs(got/want-1) > 0.001 {
		t.Errorf("Fano over 1000 ms: grid %.5f, continuous %.5f", got, want)
	}
	t.Logf("Fano over 1000 ms: grid %.5f, continuous %.5f", got, want)
	// Two cells by hand: Var N = 2md + (md)²·(2(e^{σ²} − 1) + 2(e^{σ²a} − 1)).
	h := LogGaussianCox{Mean: 0.1, Sigma: 0.5, Tau: 4, Dt: 2}
	md, a := 0.2, math.Exp(-0.5)
	if got, want := h.CountVariance(2), 2*md+md*md*(2*math.Expm1(0.25)+2*math.Expm1(0.25*a)); math.Abs(got-want) > 1e-15 {
		t.Errorf("two-cell variance %.17g, want %.17g", got, want)
	}
	if f := (LogGaussianCox{Mean: 0.1, Sigma: 0, Tau: 4, Dt: 2}).FanoFactor(100); f != 1 {
		t.Errorf("σ = 0: Fano %g, want 1", f)
	}
	if f := (LogGaussianCox{Mean: 0.1, Sigma: 1, Tau: 0, Dt: 2}).FanoFactor(100); !math.IsNaN(f) {
		t.Errorf("τ = 0: Fano %g, want NaN", f)
	}
}

func TestLogGaussianCoxCounts(t *testing.T) {
	// Mean 0.02 /ms (20 Hz), CV of the rate 1 (σ² = log 2), τ = 50 ms,
	// Dt = 1 ms; 4000 independent stationary trials of 1000 ms. Mean count
	// 20; Fano factor from CountVariance (2.593), which the estimate must
	// match within 4 standard errors of the sample variance.
	c := LogGaussianCox{Mean: 0.02, Sigma: SigmaFromCV(1), Tau: 50, Dt: 1}
	const trials, t0, w = 4000, 30.0, 1000.0
	s := rng.New(3, 304)
	counts := make([]float64, trials)
	var buf []float64
	for k := range counts {
		var err error
		buf, err = c.Simulate(buf[:0], &s, t0, t0+w)
		if err != nil {
			t.Fatal(err)
		}
		checkTrain(t, "LogGaussianCox", buf, t0, t0+w)
		counts[k] = float64(len(buf))
	}
	mean, variance, seVar := sampleMoments(counts)
	wantFano := c.FanoFactor(1000)
	want := c.Mean * w
	if se := math.Sqrt(wantFano * want / trials); math.Abs(mean-want) > 4*se {
		t.Errorf("mean count %.3f, want %.0f ± %.3f", mean, want, 4*se)
	}
	fano := variance / mean
	if se := seVar / mean; math.Abs(fano-wantFano) > 4*se || fano < 1.5 {
		t.Errorf("Fano factor %.3f, want %.3f ± %.3f", fano, wantFano, 4*se)
	}
	t.Logf("mean count %.3f (want 20), Fano %.3f (want %.3f, SE %.3f)", mean, fano, wantFano, seVar/mean)
}

func TestLogGaussianCoxPath(t *testing.T) {
	// The path is stationary from the first cell: E[λ] = Mean, the log
	// intensity has variance σ² and lag-one correlation a = e^{−Dt/τ}.
	// 2·10⁵ cells with τ/Dt = 20 make ~5000 effectively independent
	// samples; tolerances 5%.
	c := LogGaussianCox{Mean: 0.03, Sigma: 0.8, Tau: 10, Dt: 0.5}
	s := rng.New(3, 305)
	path, err := c.Path(nil, &s, 200000)
	if err != nil {
		t.Fatal(err)
	}
	x := make([]float64, len(path))
	for i, l := range path {
		x[i] = math.Log(l / c.Mean)
	}
	lm, _, _ := sampleMoments(path)
	xm, xv, _ := sampleMoments(x)
	cov := 0.0
	for i := 1; i < len(x); i++ {
		cov += (x[i] - xm) * (x[i-1] - xm)
	}
	rho := cov / float64(len(x)-1) / xv
	a := math.Exp(-c.Dt / c.Tau)
	if math.Abs(lm/c.Mean-1) > 0.05 || math.Abs(xv/(c.Sigma*c.Sigma)-1) > 0.05 || math.Abs(xm+c.Sigma*c.Sigma/2) > 0.05 || math.Abs(rho-a) > 0.002 {
		t.Errorf("mean λ %.4f (want 0.03), var log λ %.4f (want 0.64), mean log(λ/Mean) %.4f (want −0.32), lag-1 corr %.5f (want %.5f)", lm, xv, xm, rho, a)
	}
	t.Logf("mean λ %.4f, var log λ %.4f, mean %.4f, lag-1 corr %.5f (want %.5f)", lm, xv, xm, rho, a)
	if _, err := c.Path(nil, &s, -1); err == nil {
		t.Error("negative cell count accepted")
	}
	if _, err := (LogGaussianCox{Mean: 1, Sigma: 1, Tau: 1, Dt: -1}).Simulate(nil, &s, 0, 1); err == nil {
		t.Error("negative Dt accepted")
	}
}
