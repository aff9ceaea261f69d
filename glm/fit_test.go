package glm

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/hebb-snn/hebb/rng"
)

func poissonCounts(seed uint64, n int, mu float64) []float64 {
	r := rng.New(seed)
	y := make([]float64, n)
	for i := range y {
		y[i] = float64(r.Poisson(mu))
	}
	return y
}

// TestInterceptOnly checks the closed forms of the constant-rate model:
// exp link β̂0 = log(ȳ·1000/Δ), SE = 1/√Σy; softplus β̂0 = log(e^{λ̂} − 1)
// with λ̂ = ȳ·1000/Δ and SE = 1/√(T·c·σ²/λ̂), σ = 1 − e^{−λ̂}; LL =
// Σ y log ȳ − Tȳ − Σ log y!; deviance = null deviance; AIC = −2LL + 2.
func TestInterceptOnly(t *testing.T) {
	const dt = 2.0 // ms
	y := poissonCounts(1, 5000, 0.04)
	sum, lgy := 0.0, 0.0
	for _, v := range y {
		sum += v
		lg, _ := math.Lgamma(v + 1)
		lgy += lg
	}
	n := float64(len(y))
	mean := sum / n
	rate := mean / (dt / 1000)
	d, _ := NewDesign(len(y), dt)
	d.AddIntercept()
	ll := sum*math.Log(mean) - n*mean - lgy
	for _, link := range []Link{LinkExp, LinkSoftplus} {
		res, err := Fit(y, d, Options{Link: link})
		if err != nil {
			t.Fatal(err)
		}
		var b0, se float64
		if link == LinkExp {
			b0, se = math.Log(rate), 1/math.Sqrt(sum)
		} else {
			sg := -math.Expm1(-rate)
			b0, se = math.Log(math.Expm1(rate)), 1/math.Sqrt(n*(dt/1000)*sg*sg/rate)
		}
		if rel(res.Coef[0], b0) > 1e-12 || rel(res.SE[0], se) > 1e-10 {
			t.Errorf("%s: β0 = %.15g ± %.15g, want %.15g ± %.15g", link, res.Coef[0], res.SE[0], b0, se)
		}
		if rel(res.LogLik, ll) > 1e-12 || rel(res.Deviance, res.NullDeviance) > 1e-10 || rel(res.AIC, -2*ll+2) > 1e-12 {
			t.Errorf("%s: LL %.12g (want %.12g), deviance %.12g vs null %.12g, AIC %.12g", link, res.LogLik, ll, res.Deviance, res.NullDeviance, res.AIC)
		}
		lam := res.Intensity()
		if rel(lam[0], rate) > 1e-12 || rel(lam[len(lam)-1], rate) > 1e-12 {
			t.Errorf("%s: intensity %g Hz, want %g Hz", link, lam[0], rate)
		}
	}
}

// TestTwoGroups: intercept + a 0/1 indicator has the closed-form MLE
// β0 = log(ȳ0/c), β1 = log(ȳ1/ȳ0), SE(β1) = √(1/S0 + 1/S1), S_k the spike
// counts of the groups, Cov(β0, β1) = −1/S0.
func TestTwoGroups(t *testing.T) {
	const dt = 1.0
	n := 20000
	y0 := poissonCounts(2, n/2, 0.02)
	y1 := poissonCounts(3, n/2, 0.05)
	y := append(append([]float64(nil), y0...), y1...)
	x := make([]float64, n)
	s0, s1 := 0.0, 0.0
	for i := range y0 {
		s0 += y0[i]
		s1 += y1[i]
		x[n/2+i] = 1
	}
	d, _ := NewDesign(n, dt)
	d.AddIntercept()
	d.AddCovariate("group", x)
	res, err := Fit(y, d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	m := float64(n / 2)
	want := []float64{math.Log(s0 / m / 0.001), math.Log(s1 / s0)}
	se := []float64{1 / math.Sqrt(s0), math.Sqrt(1/s0 + 1/s1)}
	if relErr(res.Coef, want) > 1e-12 || relErr(res.SE, se) > 1e-10 || rel(res.Cov.At(0, 1), -1/s0) > 1e-10 {
		t.Errorf("coef %v SE %v cov01 %g; want %v %v %g", res.Coef, res.SE, res.Cov.At(0, 1), want, se, -1/s0)
	}
}

// TestTimeRescalingHand computes the rescaled intervals of a 6-bin example
// by hand with the uniforms the stream will draw.
func TestTimeRescalingHand(t *testing.T) {
	y := []float64{0, 1, 0, 0, 2, 0}
	lam := []float64{100, 100, 100, 100, 100, 100} // Hz; μ = 0.1 per 1 ms bin
	r := rng.New(5)
	u := r // a copy: the same draws
	u1, u2 := u.Float64(), u.Float64()
	p := 1 - math.Exp(-0.1)
	tau := []float64{0.1 - math.Log(1-u1*p), 0.2 - math.Log(1-u2*p)}
	ks := TimeRescalingKS(y, lam, 1, &r)
	z := []float64{1 - math.Exp(-tau[0]), 1 - math.Exp(-tau[1])}
	if z[0] > z[1] {
		z[0], z[1] = z[1], z[0]
	}
	if ks.N != 2 || math.Abs(ks.Uniform[0]-z[0]) > 1e-15 || math.Abs(ks.Uniform[1]-z[1]) > 1e-15 {
		t.Errorf("corrected: N %d, z %v, want %v", ks.N, ks.Uniform, z)
	}
	// Plain: whole bins, the spike bin included: τ = 0.2, 0.3.
	ks = TimeRescalingKS(y, lam, 1, nil)
	if ks.N != 2 || math.Abs(ks.Uniform[0]-(1-math.Exp(-0.2))) > 1e-15 || math.Abs(ks.Uniform[1]-(1-math.Exp(-0.3))) > 1e-15 {
		t.Errorf("plain: N %d, z %v", ks.N, ks.Uniform)
	}
	if ks := TimeRescalingKS(make([]float64, 5), lam, 1, &r); ks.N != 0 || ks.P != 1 {
		t.Errorf("no spikes: %+v", ks)
	}
}

// TestTimeRescalingCorrection: at 300 Hz in 1 ms bins (μ = 0.3 per bin)
// the plain approximation rejects the true constant-rate model, the
// Haslinger–Pipa–Brown correction accepts it.
func TestTimeRescalingCorrection(t *testing.T) {
	n := 20000
	y := poissonCounts(6, n, 0.3)
	lam := make([]float64, n)
	for i := range lam {
		lam[i] = 300
	}
	r := rng.New(7)
	ks := TimeRescalingKS(y, lam, 1, &r)
	plain := TimeRescalingKS(y, lam, 1, nil)
	t.Logf("corrected D = %.4f, plain D = %.4f, bound %.4f, N = %d", ks.D, plain.D, ks.Bound95, ks.N)
	if !ks.Pass() || plain.D < 5*plain.Bound95 {
		t.Errorf("corrected D = %.4f (bound %.4f), plain D = %.4f", ks.D, ks.Bound95, plain.D)
	}
}

// regData: 100 s in 5 ms bins at ≈ 30 Hz, three relevant standard-normal
// covariates (β = 0.5, −0.4, 0.3) and three irrelevant ones (β = 0).
func regData() ([]float64, *Design) {
	const n = 20000
	r := rng.New(8)
	beta := []float64{math.Log(30), 0.5, -0.4, 0.3, 0, 0, 0}
	d, _ := NewDesign(n, 5)
	d.AddIntercept()
	x := make([][]float64, 6)
	for j := range x {
		x[j] = make([]float64, n)
		for i := range x[j] {
			x[j][i] = r.Normal()
		}
		d.AddCovariate(string(rune('a'+j)), x[j])
	}
	y := make([]float64, n)
	for i := range y {
		eta := beta[0]
		for j := range x {
			eta += beta[j+1] * x[j][i]
		}
		y[i] = float64(r.Poisson(math.Exp(eta) * 0.005))
	}
	return y, d
}

// TestL2: the norm of the penalised coefficients decreases strictly along
// α = 0, 1, 10, …, 10⁵; at α = 10⁹ they vanish and the unpenalised
// intercept is the constant-rate MLE log(ȳ/c).
func TestL2(t *testing.T) {
	y, d := regData()
	prev := math.Inf(1)
	for _, a := range []float64{0, 1, 10, 100, 1e3, 1e4, 1e5} {
		res, err := Fit(y, d, Options{L2: a})
		if err != nil {
			t.Fatal(err)
		}
		norm := math.Sqrt(sumSq(res.Coef[1:]))
		t.Logf("L2 = %-6g |β| = %.5f", a, norm)
		if !(norm < prev) {
			t.Errorf("L2 = %g: |β| = %g not below %g", a, norm, prev)
		}
		prev = norm
	}
	res, err := Fit(y, d, Options{L2: 1e9})
	if err != nil {
		t.Fatal(err)
	}
	mean := 0.0
	for _, v := range y {
		mean += v
	}
	mean /= float64(len(y))
	if math.Sqrt(sumSq(res.Coef[1:])) > 1e-5 || math.Abs(res.Coef[0]-math.Log(mean/0.005)) > 1e-5 {
		t.Errorf("L2 = 1e9: coef %v, intercept want %g", res.Coef, math.Log(mean/0.005))
	}
}

func sumSq(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v * v
	}
	return s
}

// TestL1: with L1 = 250 nats the three irrelevant covariates are exactly
// zero and the relevant ones are not, and the solution satisfies the
// lasso optimality (KKT) conditions: score_j = L1·sign(β_j) for β_j ≠ 0 and
// |score_j| ≤ L1 for β_j = 0 (to 1e-6 relative), the intercept's score 0.
func TestL1(t *testing.T) {
	y, d := regData()
	const l1 = 250
	res, err := Fit(y, d, Options{L1: l1})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("L1 = %d: coef %.4f, SE %.4f, %d iterations", l1, res.Coef, res.SE, res.Iterations)
	for j := 1; j <= 3; j++ {
		if res.Coef[j] == 0 {
			t.Errorf("relevant covariate %d zeroed", j)
		}
	}
	for j := 4; j <= 6; j++ {
		if res.Coef[j] != 0 || res.SE[j] != 0 {
			t.Errorf("irrelevant covariate %d: β = %g, SE %g, want 0", j, res.Coef[j], res.SE[j])
		}
	}
	// Score X'(y − μ) at the solution.
	lam := res.Intensity()
	for j := range res.Coef {
		g := 0.0
		for i, v := range d.Column(j) {
			g += v * (y[i] - lam[i]*0.005)
		}
		switch {
		case j == 0:
			if math.Abs(g) > 1e-6*l1 {
				t.Errorf("intercept score %g, want 0", g)
			}
		case res.Coef[j] != 0:
			if math.Abs(g-l1*math.Copysign(1, res.Coef[j])) > 1e-6*l1 {
				t.Errorf("covariate %d: score %g, want %g", j, g, l1*math.Copysign(1, res.Coef[j]))
			}
		default:
			t.Logf("covariate %d: score %.1f", j, g)
			if math.Abs(g) > l1 {
				t.Errorf("covariate %d: |score| %g > L1 at β = 0", j, g)
			}
		}
	}
	// Without the penalty the irrelevant coefficients are not zero.
	res0, _ := Fit(y, d, Options{})
	for j := 4; j <= 6; j++ {
		if res0.Coef[j] == 0 {
			t.Errorf("unpenalised covariate %d is exactly zero", j)
		}
	}
}

func TestFitErrors(t *testing.T) {
	const n = 500
	r := rng.New(9)
	x1, x2, x3 := make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range x1 {
		x1[i], x2[i] = r.Normal(), r.Normal()
		x3[i] = x1[i] + 2*x2[i]
	}
	y := poissonCounts(10, n, 0.2)
	d, _ := NewDesign(n, 1)
	d.AddIntercept()
	d.AddCovariate("x1", x1)
	d.AddCovariate("x2", x2)
	d.AddCovariate("x3", x3)
	_, err := Fit(y, d, Options{})
	if !errors.Is(err, ErrSingular) || !strings.Contains(err.Error(), `column "x3" is a linear combination of "x1", "x2"`) {
		t.Errorf("collinear columns: %v", err)
	}
	t.Log(err)
	// The ridge penalty makes the problem well posed.
	if _, err := Fit(y, d, Options{L2: 1}); err != nil {
		t.Errorf("collinear columns with L2: %v", err)
	}

	dz, _ := NewDesign(n, 1)
	dz.AddIntercept()
	dz.AddCovariate("zero", make([]float64, n))
	if _, err := Fit(y, dz, Options{}); !errors.Is(err, ErrSingular) || !strings.Contains(err.Error(), `"zero" carries no information`) {
		t.Errorf("zero column: %v", err)
	}

	d1, _ := NewDesign(n, 1)
	d1.AddIntercept()
	d1.AddCovariate("x1", x1)
	bad := func(i int, v float64) []float64 {
		c := append([]float64(nil), y...)
		c[i] = v
		return c
	}
	for _, c := range []struct {
		what string
		y    []float64
		opt  Options
	}{
		{"negative count", bad(3, -1), Options{}},
		{"NaN count", bad(3, math.NaN()), Options{}},
		{"Inf count", bad(3, math.Inf(1)), Options{}},
		{"fractional count", bad(3, 0.5), Options{}},
		{"short y", y[:10], Options{}},
		{"unknown link", y, Options{Link: "probit"}},
		{"negative L2", y, Options{L2: -1}},
		{"NaN L1", y, Options{L1: math.NaN()}},
		{"wrong start", y, Options{Start: []float64{1}}},
	} {
		if res, err := Fit(c.y, d1, c.opt); err == nil || res != nil {
			t.Errorf("%s: no error", c.what)
		}
	}
	if _, err := Fit(y, &Design{rows: n, dt: 1}, Options{}); err == nil {
		t.Error("empty design: no error")
	}
	// All counts zero: documented ErrNoSpikes.
	if res, err := Fit(make([]float64, n), d1, Options{}); !errors.Is(err, ErrNoSpikes) || res != nil {
		t.Errorf("all-zero counts: %v", err)
	}
	// Too few iterations: ErrNotConverged with the result reached.
	res, err := Fit(y, d1, Options{MaxIter: 1, Start: []float64{3, 1}})
	if !errors.Is(err, ErrNotConverged) || res == nil || res.Converged || res.Iterations != 1 {
		t.Errorf("MaxIter 1: %v, %+v", err, res)
	}
}

// TestSeparation: with an absolute refractory period of 4 ms, the
// single-bin refractory functions at lags 1–3 never see a spike, so their
// MLE is −∞. As documented, the fit converges (the log-likelihood stops
// changing) with those coefficients below −20 and SEs above 10³; with an
// L2 penalty they stay finite and moderate.
func TestSeparation(t *testing.T) {
	n := 100000
	r := rng.New(20261123, 3)
	base := make([]float64, n)
	for i := range base {
		base[i] = math.Log(40)
	}
	filt := make([]float64, 30)
	for l := range filt {
		if l < 4 {
			filt[l] = math.Inf(-1)
		} else {
			filt[l] = -3 * math.Exp(-float64(l-3)/5)
		}
	}
	y, _ := simulate(&r, base, filt, 1)
	b, _ := Boxes(6, 5, 1)
	b, _ = b.WithRefractory(3)
	d, _ := NewDesign(n, 1)
	d.AddIntercept()
	d.AddHistory("h", y, b)
	res, err := Fit(y, d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("unpenalised: %d iterations, h[0..2] = %.1f, SE %.3g", res.Iterations, res.Coef[1:4], res.SE[1:4])
	for j := 1; j <= 3; j++ {
		if !(res.Coef[j] < -20) || !(res.SE[j] > 1e3) {
			t.Errorf("h[%d] = %g ± %g, want < −20 with SE > 1e3", j-1, res.Coef[j], res.SE[j])
		}
	}
	res, err = Fit(y, d, Options{L2: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("L2 = 1: h[0..2] = %.2f, SE %.3g", res.Coef[1:4], res.SE[1:4])
	for j := 1; j <= 3; j++ {
		if !(res.Coef[j] > -10) || !(res.SE[j] < 10) {
			t.Errorf("L2 = 1: h[%d] = %g ± %g", j-1, res.Coef[j], res.SE[j])
		}
	}
}
