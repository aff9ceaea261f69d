package pointprocess

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/optimize"

	"gonum.org/v1/gonum/mat"
)

// Maximum-likelihood fitting of exponential Hawkes processes.
//
// For events on [0, T) with an empty history at 0, the log-likelihood is
// ℓ = Σ_i ℓ_i with, for each dimension i,
//
//	ℓ_i = Σ_{t^i_k} log λ_i(t^i_k) − Λ_i(T),
//	Λ_i(T) = μ_i·T + Σ_j α_ij·Σ_{t^j_m < T} (1 − e^{−β_i·(T − t^j_m)}).
//
// ℓ_i depends only on (μ_i, α_i1 … α_id, β_i), so each dimension is fitted
// on its own. The intensity at the events uses the recursion of Ozaki
// (1979): with A_j(t) = Σ_{t^j_m < t} e^{−β_i·(t − t^j_m)} and
// B_j(t) = ∂A_j/∂β_i = −Σ (t − t^j_m)·e^{−β_i·(t − t^j_m)}, moving from s
// to t = s + Δ gives A_j ← e^{−β_iΔ}·A_j and B_j ← e^{−β_iΔ}·(B_j − Δ·A_j),
// and an event of j adds 1 to A_j. So λ_i(t) = μ_i + β_i·Σ_j α_ij·A_j(t)
// and the analytic gradient
//
//	∂ℓ_i/∂μ_i   = Σ_k 1/λ_i(t_k) − T,
//	∂ℓ_i/∂α_ij  = Σ_k β_i·A_j(t_k)/λ_i(t_k) − (n_j − A_j(T)),
//	∂ℓ_i/∂β_i   = Σ_k Σ_j α_ij·(A_j + β_i·B_j)(t_k)/λ_i(t_k) + Σ_j α_ij·B_j(T)
//
// cost O(n·d) per evaluation of the whole ℓ, with one exponential per
// event and dimension i (the A_j of one target share β_i). Events at equal
// times do not excite each other.

// LogLikelihood returns ℓ, the log-likelihood (natural log) of the events
// in spikes (one sorted train per dimension, times in ms in [0, T)) under
// h, with an empty history at 0. Intensities are in 1/ms; taken in 1/s
// they would add n·log 1000 to ℓ (n the number of events).
func (h Hawkes) LogLikelihood(spikes [][]float64, T float64) (float64, error) {
	if err := h.Validate(); err != nil {
		return math.NaN(), err
	}
	fd, err := newFitData(spikes, T, h.Dim())
	if err != nil {
		return math.NaN(), err
	}
	w := fd.newWork()
	d := h.Dim()
	ll := 0.0
	for i := range d {
		ll += fd.target(w, i, h.Mu[i], h.Alpha[i*d:(i+1)*d], h.Beta[i], nil)
	}
	return ll, nil
}

// fitData holds the merged events of a data set.
type fitData struct {
	T     float64
	d     int
	times []float64
	dims  []int32
	n     []int // events per dimension
}

func newFitData(spikes [][]float64, T float64, d int) (*fitData, error) {
	if !(T > 0) || math.IsInf(T, 1) {
		return nil, fmt.Errorf("pointprocess: observation window [0, %g) ms must be finite and non-empty", T)
	}
	if err := checkSpikes(spikes, d, T); err != nil {
		return nil, err
	}
	fd := &fitData{T: T, d: d, n: make([]int, d)}
	fd.times, fd.dims = merge(spikes)
	for i, tr := range spikes {
		fd.n[i] = len(tr)
	}
	return fd, nil
}

// llWork is the recursion state for one target.
type llWork struct {
	a, b, ga []float64
}

func (fd *fitData) newWork() *llWork {
	d := fd.d
	return &llWork{a: make([]float64, d), b: make([]float64, d), ga: make([]float64, d)}
}

// target returns ℓ_i for (mu, alpha = α_i·, beta). If grad is non-nil
// (length d + 2) it receives (∂/∂μ_i, ∂/∂α_i1 … ∂/∂α_id, ∂/∂β_i).
func (fd *fitData) target(w *llWork, i int, mu float64, alpha []float64, beta float64, grad []float64) float64 {
	d := fd.d
	a, b := w.a, w.b
	for j := range d {
		a[j], b[j] = 0, 0
	}
	withGrad := grad != nil
	var gMu, gBeta float64
	ga := w.ga
	if withGrad {
		for j := range ga {
			ga[j] = 0
		}
	}
	// decay brings every A_j and B_j from last to t: one exponential for
	// all sources, as they share β_i.
	last := 0.0
	decay := func(t float64) {
		if dt := t - last; dt > 0 {
			e := math.Exp(-beta * dt)
			for j := range d {
				b[j] = e * (b[j] - dt*a[j])
				a[j] *= e
			}
			last = t
		}
	}
	ll := 0.0
	times, dims := fd.times, fd.dims
	n := len(times)
	for k := 0; k < n; {
		t := times[k]
		g := k
		for g < n && times[g] == t {
			g++
		}
		decay(t)
		// Events of i in the group see the history strictly before t.
		for q := k; q < g; q++ {
			if int(dims[q]) != i {
				continue
			}
			s, sb := 0.0, 0.0
			for j := range d {
				s += alpha[j] * a[j]
				if withGrad {
					sb += alpha[j] * (a[j] + beta*b[j])
				}
			}
			lam := mu + beta*s
			ll += math.Log(lam)
			if withGrad {
				inv := 1 / lam
				gMu += inv
				for j := range d {
					ga[j] += beta * a[j] * inv
				}
				gBeta += sb * inv
			}
		}
		for q := k; q < g; q++ {
			a[dims[q]]++
		}
		k = g
	}
	decay(fd.T)
	ll -= mu * fd.T
	for j := range d {
		ll -= alpha[j] * (float64(fd.n[j]) - a[j])
	}
	if withGrad {
		grad[0] = gMu - fd.T
		for j := range d {
			grad[1+j] = ga[j] - (float64(fd.n[j]) - a[j])
			gBeta += alpha[j] * b[j]
		}
		grad[d+1] = gBeta
	}
	return ll
}

// HawkesFitOptions adjusts FitHawkes. The zero value (or nil) estimates all
// parameters.
type HawkesFitOptions struct {
	// Beta, if non-nil, fixes the decay rates β_i (1/ms, one per
	// dimension) instead of estimating them; then for each dimension ℓ_i
	// is concave in (μ_i, α_i·) and the maximum is unique.
	Beta []float64
}

// HawkesFit is the result of FitHawkes.
type HawkesFit struct {
	// Model holds the maximum-likelihood parameters.
	Model Hawkes
	// StdErr holds the standard errors of the parameters, laid out as in
	// Model: the square roots of the diagonal of the inverse observed
	// information −∇²ℓ (natural parameters, by central differences of the
	// analytic gradient; one block per dimension, as ℓ splits). An entry is
	// NaN where the block is not positive definite and for a fixed β. At a
	// boundary (an α at 0) the normal approximation does not hold.
	StdErr Hawkes
	// LogLik is ℓ at the maximum (natural log, intensities in 1/ms).
	LogLik float64
	// NumParams is the number of estimated parameters K: d + d² + d, or
	// d + d² with β fixed.
	NumParams int
	// AIC is Akaike's criterion 2K − 2ℓ.
	AIC float64
	// BranchingRatio is the spectral radius ρ of the fitted α matrix.
	BranchingRatio float64
	// Stationary reports ρ < 1.
	Stationary bool
	// T is the observation window [0, T) in ms.
	T float64
}

// RescaledIntervals returns the time-rescaled intervals of each dimension
// under the fitted model (Hawkes.RescaledIntervals).
func (f *HawkesFit) RescaledIntervals(spikes [][]float64) ([][]float64, error) {
	return f.Model.RescaledIntervals(spikes)
}

// KSTests returns the KS test of the rescaled intervals of each dimension
// under the fitted model (Hawkes.KSTests). Testing on the data used for
// the fit makes the test somewhat lenient.
func (f *HawkesFit) KSTests(spikes [][]float64) ([]KS, error) {
	return f.Model.KSTests(spikes)
}

// FitHawkes1D fits a one-dimensional Hawkes process to the sorted event
// times in [0, T) (ms); see FitHawkes.
func FitHawkes1D(times []float64, T float64, opt *HawkesFitOptions) (*HawkesFit, error) {
	return FitHawkes([][]float64{times}, T, opt)
}

// FitHawkes fits a Hawkes process with exponential kernels by maximum
// likelihood to spikes (one sorted train per dimension, ms) observed on
// [0, T), assuming an empty history at 0. Each dimension i is fitted on its
// own (ℓ splits), maximising ℓ_i over the logarithms of (μ_i, α_i·, β_i)
// by the BFGS quasi-Newton method with the analytic gradient, until the
// gradient of −ℓ_i/n_i in the log-parameters is below 1e−9 or f stops
// decreasing at rounding level.
//
// Starting values come from the data: μ_i = r_i/2 and
// α_ij = r_i/(2·d·r_j), with r the observed rates (so that (I − A)⁻¹μ = r
// and ρ(A) = 1/2). Unless β is fixed, β_i starts at the best point of a
// coarse profile over β_i ∈ r̄·10^{−1 … 3.5} (r̄ the total observed rate,
// steps of half a decade), each point fitted with β_i held fixed to a
// gradient of 1e−5. α_ij reaches 0 only in the limit; there the SE is only
// indicative and β_i is not identified (on Poisson data the fit finds
// α of order 1e−3 … 1e−2 at whatever time scale shows a chance excess of
// events, gaining a few units of ℓ).
//
// Every dimension needs at least one event; otherwise, and for invalid
// input, it returns an error.
func FitHawkes(spikes [][]float64, T float64, opt *HawkesFitOptions) (*HawkesFit, error) {
	d := len(spikes)
	if d == 0 {
		return nil, errors.New("pointprocess: FitHawkes with no spike trains")
	}
	var fixed []float64
	if opt != nil && opt.Beta != nil {
		fixed = opt.Beta
		if len(fixed) != d {
			return nil, fmt.Errorf("pointprocess: FitHawkes: %d fixed betas for %d dimensions", len(fixed), d)
		}
		for i, b := range fixed {
			if !(b > 0) || math.IsInf(b, 1) {
				return nil, fmt.Errorf("pointprocess: FitHawkes: fixed beta[%d] = %g must be finite and > 0 /ms", i, b)
			}
		}
	}
	fd, err := newFitData(spikes, T, d)
	if err != nil {
		return nil, err
	}
	for i, n := range fd.n {
		if n == 0 {
			return nil, fmt.Errorf("pointprocess: FitHawkes: dimension %d has no events", i)
		}
	}
	res := &HawkesFit{
		Model:  Hawkes{Mu: make([]float64, d), Alpha: make([]float64, d*d), Beta: make([]float64, d)},
		StdErr: Hawkes{Mu: make([]float64, d), Alpha: make([]float64, d*d), Beta: make([]float64, d)},
		T:      T,
	}
	w := fd.newWork()
	rates := make([]float64, d)
	total := 0.0
	for i, n := range fd.n {
		rates[i] = float64(n) / T
		total += rates[i]
	}
	for i := range d {
		p := make([]float64, d+2) // μ, α_i·, β
		p[0] = rates[i] / 2
		for j := range d {
			p[1+j] = rates[i] / (2 * float64(d) * rates[j])
		}
		if fixed != nil {
			p[d+1] = fixed[i]
			if err := fd.fitTarget(w, i, p, true, 1e-9); err != nil {
				return nil, err
			}
		} else {
			best, bestLL := []float64(nil), math.Inf(-1)
			for g := -2; g <= 7; g++ {
				q := append([]float64(nil), p...)
				q[d+1] = total * math.Pow(10, 0.5*float64(g))
				if err := fd.fitTarget(w, i, q, true, 1e-5); err != nil {
					continue
				}
				if ll := fd.target(w, i, q[0], q[1:d+1], q[d+1], nil); ll > bestLL {
					best, bestLL = q, ll
				}
			}
			if best == nil {
				return nil, fmt.Errorf("pointprocess: FitHawkes: no profile fit converged for dimension %d", i)
			}
			p = best
			if err := fd.fitTarget(w, i, p, false, 1e-9); err != nil {
				return nil, err
			}
		}
		res.Model.Mu[i] = p[0]
		copy(res.Model.Alpha[i*d:(i+1)*d], p[1:d+1])
		res.Model.Beta[i] = p[d+1]
		res.LogLik += fd.target(w, i, p[0], p[1:d+1], p[d+1], nil)
		se := fd.stdErr(w, i, p, fixed != nil)
		res.StdErr.Mu[i] = se[0]
		copy(res.StdErr.Alpha[i*d:(i+1)*d], se[1:d+1])
		res.StdErr.Beta[i] = se[d+1]
	}
	res.NumParams = d + d*d
	if fixed == nil {
		res.NumParams += d
	}
	res.AIC = 2*float64(res.NumParams) - 2*res.LogLik
	res.BranchingRatio = res.Model.SpectralRadius()
	res.Stationary = res.BranchingRatio < 1
	return res, nil
}

// fitTarget maximises ℓ_i over the logarithms of p = (μ, α_i·, β), in
// place, holding β = p[d+1] fixed if fixBeta, until the gradient of
// −ℓ_i/n_i with respect to the log-parameters is below gtol.
func (fd *fitData) fitTarget(w *llWork, i int, p []float64, fixBeta bool, gtol float64) error {
	d := fd.d
	m := d + 2
	if fixBeta {
		m = d + 1
	}
	scale := 1 / float64(fd.n[i]) // f = −ℓ_i/n_i is of order 1
	nat := make([]float64, d+2)
	g := make([]float64, d+2)
	copy(nat, p)
	toNat := func(x []float64) bool {
		for k := range m {
			if x[k] > 40 || math.IsNaN(x[k]) {
				return false
			}
			nat[k] = math.Exp(x[k])
		}
		return true
	}
	eval := func(x []float64, grad []float64) float64 {
		if !toNat(x) {
			return math.Inf(1)
		}
		ll := fd.target(w, i, nat[0], nat[1:d+1], nat[d+1], g)
		if grad != nil {
			for k := range m {
				grad[k] = -g[k] * nat[k] * scale
			}
		}
		if math.IsNaN(ll) {
			return math.Inf(1)
		}
		return -ll * scale
	}
	x := make([]float64, m)
	for k := range m {
		x[k] = math.Log(p[k])
	}
	prob := optimize.Problem{
		Func: func(x []float64) float64 { return eval(x, nil) },
		Grad: func(grad, x []float64) { eval(x, grad) },
	}
	settings := &optimize.Settings{GradientThreshold: gtol, MajorIterations: 500}
	// BFGS's line search can stall close to the optimum, where the
	// objective changes at the level of rounding; it is then restarted
	// from where it stopped (with a fresh Hessian estimate) up to twice,
	// and the result accepted if the gradient is within 100·gtol.
	var err error
	for range 3 {
		var r *optimize.Result
		r, err = optimize.Minimize(prob, x, settings, &optimize.BFGS{})
		if r == nil {
			break
		}
		copy(x, r.X)
		if err == nil {
			break
		}
	}
	if err != nil {
		g := make([]float64, m)
		eval(x, g)
		if floats.Norm(g, math.Inf(1)) > 100*gtol {
			return fmt.Errorf("pointprocess: FitHawkes dimension %d: maximising the likelihood: %w", i, err)
		}
	}
	for k := range m {
		p[k] = math.Exp(x[k])
	}
	return nil
}

// stdErr returns the standard errors of p = (μ, α_i·, β) from the observed
// information of ℓ_i, by central differences of the gradient (forward
// differences for parameters closer to 0 than the step).
func (fd *fitData) stdErr(w *llWork, i int, p []float64, fixBeta bool) []float64 {
	d := fd.d
	m := d + 2
	if fixBeta {
		m = d + 1
	}
	se := make([]float64, d+2)
	for k := range se {
		se[k] = math.NaN()
	}
	info := mat.NewSymDense(m, nil)
	g0 := make([]float64, d+2)
	gp := make([]float64, d+2)
	gm := make([]float64, d+2)
	q := append([]float64(nil), p...)
	grad := func(dst []float64) {
		fd.target(w, i, q[0], q[1:d+1], q[d+1], dst)
	}
	grad(g0)
	h := make([]float64, m)
	hess := make([]float64, m*m)
	for k := range m {
		s := p[k]
		if k >= 1 && k <= d {
			s = math.Max(s, 0.01) // α is of order 0.01 … 1
		}
		h[k] = 1e-5 * s
		if p[k] > h[k] {
			q[k] = p[k] + h[k]
			grad(gp)
			q[k] = p[k] - h[k]
			grad(gm)
			for l := range m {
				hess[k*m+l] = (gp[l] - gm[l]) / (2 * h[k])
			}
		} else {
			q[k] = p[k] + h[k]
			grad(gp)
			for l := range m {
				hess[k*m+l] = (gp[l] - g0[l]) / h[k]
			}
		}
		q[k] = p[k]
	}
	for k := range m {
		for l := k; l < m; l++ {
			v := -0.5 * (hess[k*m+l] + hess[l*m+k])
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return se
			}
			info.SetSym(k, l, v)
		}
	}
	var chol mat.Cholesky
	if !chol.Factorize(info) {
		return se
	}
	var cov mat.SymDense
	if err := chol.InverseTo(&cov); err != nil {
		return se
	}
	for k := range m {
		if v := cov.At(k, k); v >= 0 {
			se[k] = math.Sqrt(v)
		}
	}
	return se
}
