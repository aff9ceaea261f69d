package glm

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"
	"sync/atomic"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// Errors returned by Fit, to be tested with errors.Is. The returned errors
// wrap them with the details (which column, which iteration).
var (
	// ErrSingular: the (penalised) Fisher information is singular, because
	// a column is zero or a linear combination of other columns.
	ErrSingular = errors.New("glm: singular Fisher information")
	// ErrNotConverged: the iterations did not converge within MaxIter, or
	// no step could improve the penalised log-likelihood.
	ErrNotConverged = errors.New("glm: fit did not converge")
	// ErrNoSpikes: every count is zero, so the maximum-likelihood rate is 0
	// and the intercept −∞.
	ErrNoSpikes = errors.New("glm: no spikes (all counts are zero): the maximum-likelihood intercept is −∞")
)

// Link is the inverse link g mapping the linear predictor η to the
// intensity λ = g(η) in Hz.
type Link string

const (
	// LinkExp is the canonical link λ = e^η (log λ is linear in the
	// covariates); fitted by IRLS, which is Newton's method here.
	LinkExp Link = "exp"
	// LinkSoftplus is λ = log(1 + e^η), which grows linearly for large η
	// instead of exponentially; fitted by Newton's method with the full
	// observed Hessian (the log-likelihood is concave in η, so the
	// observed weights are ≥ 0). Fisher scoring is not offered: the
	// expected weight c·g′²/g underestimates the observed one by up to a
	// factor y/μ in spike bins, and unit scoring steps then diverge near
	// the optimum.
	LinkSoftplus Link = "softplus"
)

// Options controls Fit. The zero value fits an unpenalised model with the
// exp link.
type Options struct {
	// Link is LinkExp (the default when empty) or LinkSoftplus.
	Link Link
	// L2 ≥ 0 is the ridge penalty α in the maximised objective
	// ℓ(β) − (α/2)·Σ_j β_j² − L1·Σ_j |β_j|, the sums running over the
	// penalised columns: every column but the intercept. Coefficients are
	// penalised on the covariates' own scales; standardise covariates of
	// very different scales first. Units: nats per coefficient².
	L2 float64
	// L1 ≥ 0 is the lasso penalty (nats per unit coefficient). With
	// L1 > 0 each Newton step minimises the penalised quadratic model of
	// the objective by cyclic coordinate descent with soft thresholding
	// (proximal Newton, as glmnet), followed by a backtracking line search
	// on the true objective; coefficients can become exactly zero.
	L1 float64
	// MaxIter is the maximum number of Newton iterations (default 100).
	MaxIter int
	// Tol: the fit has converged when a full Newton step changes every
	// coefficient by at most Tol·(1 + |β_j|) (default 1e-8), or the
	// penalised log-likelihood by at most TolLL·(1 + |objective|), or
	// when the gain the quadratic model predicts for the step is below
	// 1e-13·(1 + |objective|), the rounding level (the step is then taken
	// without line search). Steps are halved until the objective does
	// not decrease.
	Tol float64
	// TolLL is the relative tolerance on the change of the penalised
	// log-likelihood (default 1e-12); see Tol.
	TolLL float64
	// Start, if not nil, holds the starting coefficients (one per
	// column). By default the intercept starts at the link's value for
	// the mean rate and the other coefficients at 0.
	Start []float64
	// Workers is the number of goroutines sharing the passes over the
	// rows (default GOMAXPROCS). The rows are cut into fixed chunks whose
	// partial sums are added in order, so results do not depend on it.
	Workers int
}

// Result is a fitted GLM. It keeps the Design and the counts it was
// fitted to (not copies), which Intensity, Filter and KS use.
type Result struct {
	// Names are the column names of the design.
	Names []string
	// Link is the link used.
	Link Link
	// Dt is the bin width in ms.
	Dt float64
	// L1 and L2 are the penalties used.
	L1, L2 float64
	// Coef holds the estimated coefficients β̂, one per column.
	Coef []float64
	// SE holds the standard errors √Cov_jj.
	SE []float64
	// Cov is the inverse of the Fisher (expected) information at β̂,
	// I(β̂) = Xᵀ·diag(w)·X with w = μ for the exp link and
	// w = (Δ/1000)·g′(η)²/g(η) for softplus. For penalised fits it is
	// (I(β̂) + L2·P)⁻¹, P the diagonal indicator of penalised columns: the
	// Laplace approximation of the posterior covariance under the
	// Gaussian prior β_j ~ N(0, 1/L2) the penalty stands for, not a
	// frequentist sampling covariance. With L1 > 0 it is computed on the
	// active set (coefficients not exactly zero, and the intercept); the
	// rows and columns of zeroed coefficients are 0, so their SE is 0.
	// Cov is nil and SE all 0 in a Result returned with an error.
	Cov *mat.SymDense
	// LogLik is the Poisson log-likelihood Σ_t y_t log μ_t − μ_t − log y_t!
	// at β̂ (without the penalty).
	LogLik float64
	// Deviance is 2·Σ_t [y_t log(y_t/μ_t) − (y_t − μ_t)] (0·log 0 = 0),
	// twice the log-likelihood ratio against the saturated model.
	Deviance float64
	// NullDeviance is the deviance of the constant-rate model μ_t = ȳ (the
	// maximum-likelihood intercept-only fit, whatever the link).
	NullDeviance float64
	// AIC is −2·LogLik + 2k, k the number of coefficients (for L1 fits,
	// the number of non-zero coefficients, the lasso's degrees of freedom).
	AIC float64
	// Iterations is the number of Newton steps taken.
	Iterations int
	// Converged reports whether the convergence test was met.
	Converged bool

	design *Design
	y      []float64
}

// Rows per chunk of the passes over the data (the unit of work of a
// goroutine and of the ordered reduction) and per block of the X'WX
// accumulation (sized to stay in cache).
const (
	chunkRows = 16384
	blockRows = 256
)

// problem holds the data and buffers of one fit.
type problem struct {
	x       [][]float64
	y       []float64
	t, p    int
	c, logc float64 // c = Δ/1000 s
	link    Link
	workers int
	nchunk  int
	eta     []float64
	ll      []float64   // per chunk
	grad    [][]float64 // per chunk, p
	info    [][]float64 // per chunk, p×p upper triangle
	scratch [][]float64 // per worker
	lgy     float64     // Σ log y_t!
}

func newProblem(y []float64, d *Design, link Link, workers int) *problem {
	pr := &problem{x: d.cols, y: y, t: d.rows, p: len(d.cols), link: link}
	pr.c = d.dt / 1000
	pr.logc = math.Log(pr.c)
	pr.nchunk = (pr.t + chunkRows - 1) / chunkRows
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	pr.workers = min(workers, pr.nchunk)
	pr.eta = make([]float64, pr.t)
	pr.ll = make([]float64, pr.nchunk)
	pr.grad = make([][]float64, pr.nchunk)
	pr.info = make([][]float64, pr.nchunk)
	for ch := range pr.nchunk {
		pr.grad[ch] = make([]float64, pr.p)
		pr.info[ch] = make([]float64, pr.p*pr.p)
	}
	pr.scratch = make([][]float64, pr.workers)
	for w := range pr.scratch {
		pr.scratch[w] = make([]float64, 3*blockRows)
	}
	for _, v := range y {
		if v > 1 {
			lg, _ := math.Lgamma(v + 1)
			pr.lgy += lg
		}
	}
	return pr
}

// each calls f(worker, chunk, lo, hi) for every chunk of rows [lo, hi),
// on pr.workers goroutines.
func (pr *problem) each(f func(w, ch, lo, hi int)) {
	bounds := func(ch int) (int, int) { return ch * chunkRows, min(pr.t, (ch+1)*chunkRows) }
	if pr.workers <= 1 {
		for ch := range pr.nchunk {
			lo, hi := bounds(ch)
			f(0, ch, lo, hi)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range pr.workers {
		wg.Go(func() {
			for {
				ch := int(next.Add(1)) - 1
				if ch >= pr.nchunk {
					return
				}
				lo, hi := bounds(ch)
				f(w, ch, lo, hi)
			}
		})
	}
	wg.Wait()
}

// g returns the intensity λ = g(η) in Hz.
func (l Link) g(eta float64) float64 {
	if l == LinkExp {
		return math.Exp(eta)
	}
	return softplus(eta)
}

// softplus returns log(1 + e^x) without overflow.
func softplus(x float64) float64 {
	if x > 35 {
		return x + math.Exp(-x)
	}
	return math.Log1p(math.Exp(x))
}

// sigmoid returns 1/(1 + e^−x), the derivative of softplus.
func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// loglik sets η = Xβ and returns the Poisson log-likelihood at β, or −Inf
// where it is not finite.
func (pr *problem) loglik(beta []float64) float64 {
	pr.each(func(_, ch, lo, hi int) {
		eta := pr.eta[lo:hi]
		clear(eta)
		for j, b := range beta {
			if b != 0 {
				floats.AddScaled(eta, b, pr.x[j][lo:hi])
			}
		}
		y := pr.y[lo:hi]
		s := 0.0
		switch pr.link {
		case LinkExp:
			for i, e := range eta {
				e += pr.logc
				s += y[i]*e - math.Exp(e)
			}
		default:
			for i, e := range eta {
				mu := pr.c * softplus(e)
				if y[i] > 0 {
					s += y[i] * math.Log(mu)
				}
				s -= mu
			}
		}
		pr.ll[ch] = s
	})
	s := 0.0
	for _, v := range pr.ll {
		s += v
	}
	s -= pr.lgy
	if math.IsNaN(s) || math.IsInf(s, 0) {
		return math.Inf(-1)
	}
	return s
}

// information returns, at the η last set by loglik, the score
// g = ∂ℓ/∂β = Xᵀr and the information A = Xᵀ·diag(w)·X (full p×p,
// row-major), with the observed weights w = −∂²ℓ_t/∂η_t² or, if fisher,
// their expectations.
func (pr *problem) information(fisher bool) (g, a []float64) {
	p := pr.p
	pr.each(func(w, ch, lo, hi int) {
		gr, in := pr.grad[ch], pr.info[ch]
		clear(gr)
		clear(in)
		sc := pr.scratch[w]
		for b0 := lo; b0 < hi; b0 += blockRows {
			b1 := min(hi, b0+blockRows)
			n := b1 - b0
			r, wt := sc[:n], sc[blockRows:blockRows+n]
			eta, y := pr.eta[b0:b1], pr.y[b0:b1]
			switch pr.link {
			case LinkExp:
				for i, e := range eta {
					mu := math.Exp(e + pr.logc)
					r[i] = y[i] - mu
					wt[i] = mu
				}
			default:
				for i, e := range eta {
					lam, sg := softplus(e), sigmoid(e)
					if fisher || y[i] == 0 {
						r[i] = sg * (y[i]/lam - pr.c)
						if fisher {
							wt[i] = pr.c * sg * sg / lam
						} else {
							wt[i] = pr.c * sg * (1 - sg)
						}
						continue
					}
					q := y[i]/lam - pr.c
					r[i] = sg * q
					wt[i] = y[i]*sg*sg/(lam*lam) - sg*(1-sg)*q
				}
			}
			for j := range p {
				xj := pr.x[j][b0:b1]
				gr[j] += floats.Dot(r, xj)
				s := sc[2*blockRows : 2*blockRows+n] // w ⊙ x_j, reused per column
				floats.MulTo(s, wt, xj)
				row := in[j*p : (j+1)*p]
				for k := j; k < p; k++ {
					row[k] += floats.Dot(s, pr.x[k][b0:b1])
				}
			}
		}
	})
	g = make([]float64, p)
	a = make([]float64, p*p)
	for ch := range pr.nchunk {
		floats.Add(g, pr.grad[ch])
		floats.Add(a, pr.info[ch])
	}
	for j := range p {
		for k := j + 1; k < p; k++ {
			a[k*p+j] = a[j*p+k]
		}
	}
	return g, a
}

// penalty returns (L2/2)·Σ_pen β² + L1·Σ_pen |β|.
func penalty(beta []float64, pen []bool, l1, l2 float64) float64 {
	s := 0.0
	for j, b := range beta {
		if pen[j] {
			s += 0.5*l2*b*b + l1*math.Abs(b)
		}
	}
	return s
}

// Fit fits the Poisson GLM of the counts y (one whole, non-negative count
// per row of d) with the options opt, maximising the penalised
// log-likelihood by Newton's method (IRLS for the exp link) with step
// halving. It returns an error wrapping ErrSingular (naming the column that
// is zero or a linear combination of others), ErrNotConverged (with the
// Result reached, Converged false) or ErrNoSpikes (all counts zero: the
// intercept would be −∞), or a plain error for invalid input (a count that
// is negative, not whole or not finite; a length mismatch; a design with no
// columns; invalid options).
//
// A coefficient whose maximum-likelihood value is −∞ — a history lag
// where no spike ever occurs, such as an absolute refractory period
// modelled with single-bin functions — drifts down by about 1 per
// iteration until the log-likelihood stops changing: the fit converges
// with the coefficient near −25 (a gain e^{−25} ≈ 0) and an SE of order
// 10⁴, which only says that the data cannot bound it. A small L2 penalty
// keeps such coefficients finite.
func Fit(y []float64, d *Design, opt Options) (*Result, error) {
	if d == nil || len(d.cols) == 0 {
		return nil, errors.New("glm: the design has no columns")
	}
	if len(y) != d.rows {
		return nil, fmt.Errorf("glm: %d counts for a design of %d bins", len(y), d.rows)
	}
	total := 0.0
	for i, v := range y {
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || v != math.Floor(v) {
			return nil, fmt.Errorf("glm: count y[%d] = %g is not a whole non-negative number", i, v)
		}
		total += v
	}
	if total == 0 {
		return nil, ErrNoSpikes
	}
	link := opt.Link
	if link == "" {
		link = LinkExp
	}
	if link != LinkExp && link != LinkSoftplus {
		return nil, fmt.Errorf("glm: unknown link %q (want %q or %q)", link, LinkExp, LinkSoftplus)
	}
	if !(opt.L1 >= 0) || !(opt.L2 >= 0) || math.IsInf(opt.L1, 0) || math.IsInf(opt.L2, 0) {
		return nil, fmt.Errorf("glm: penalties L1 = %g, L2 = %g must be finite and non-negative", opt.L1, opt.L2)
	}
	maxIter := opt.MaxIter
	if maxIter == 0 {
		maxIter = 100
	}
	tol, tolLL := opt.Tol, opt.TolLL
	if tol == 0 {
		tol = 1e-8
	}
	if tolLL == 0 {
		tolLL = 1e-12
	}
	if maxIter < 0 || !(tol > 0) || !(tolLL > 0) {
		return nil, fmt.Errorf("glm: MaxIter %d, Tol %g and TolLL %g must be positive", maxIter, tol, tolLL)
	}
	p := len(d.cols)
	beta := make([]float64, p)
	if opt.Start != nil {
		if len(opt.Start) != p {
			return nil, fmt.Errorf("glm: %d starting values for %d columns", len(opt.Start), p)
		}
		copy(beta, opt.Start)
	} else {
		// Intercept at the mean rate ȳ/c in Hz.
		rate := total / float64(d.rows) / (d.dt / 1000)
		for _, t := range d.terms {
			if t.source == "intercept" {
				if link == LinkExp {
					beta[t.first] = math.Log(rate)
				} else {
					beta[t.first] = math.Log(math.Expm1(rate))
					if math.IsInf(beta[t.first], 0) {
						beta[t.first] = rate
					}
				}
			}
		}
	}
	pr := newProblem(y, d, link, opt.Workers)
	res := &Result{Names: d.Names(), Link: link, Dt: d.dt, L1: opt.L1, L2: opt.L2, design: d, y: y}

	ll := pr.loglik(beta)
	if math.IsInf(ll, -1) {
		return nil, errors.New("glm: the log-likelihood is not finite at the starting coefficients")
	}
	pen := func(b []float64) float64 { return penalty(b, d.pen, opt.L1, opt.L2) }
	obj := ll - pen(beta)
	try := make([]float64, p)
	hd := make([]float64, p)
	for res.Iterations < maxIter {
		g, a := pr.information(false)
		var dir []float64
		if opt.L1 == 0 {
			h := append([]float64(nil), a...)
			gp := append([]float64(nil), g...)
			for j := range p {
				if d.pen[j] {
					h[j*p+j] += opt.L2
					gp[j] -= opt.L2 * beta[j]
				}
			}
			c, bad, zero := factor(h, p)
			if bad >= 0 {
				return nil, singularError(fmt.Sprintf("iteration %d", res.Iterations+1), h, p, c, bad, zero, res.Names)
			}
			dir = c.solve(gp)
		} else {
			dir = proxNewton(a, g, beta, d.pen, opt.L1, opt.L2)
			floats.Sub(dir, beta)
		}
		// The gain of the objective that the quadratic model predicts for
		// the full step: gᵀd − ½dᵀAd − (pen(β + d) − pen(β)).
		for j := range p {
			try[j] = beta[j] + dir[j]
			hd[j] = floats.Dot(a[j*p:(j+1)*p], dir)
		}
		gain := floats.Dot(g, dir) - 0.5*floats.Dot(dir, hd) - (pen(try) - pen(beta))
		// Backtracking: halve the step until the objective does not
		// decrease. A predicted gain below the rounding of the objective
		// means β is the optimum to within rounding: the full step is
		// taken and the fit has converged.
		atOptimum := gain <= 1e-13*(1+math.Abs(obj))
		s, accepted := 1.0, false
		var newLL, newObj float64
		for range 60 {
			for j := range p {
				try[j] = beta[j] + s*dir[j]
			}
			newLL = pr.loglik(try)
			newObj = newLL - pen(try)
			if newObj >= obj || (atOptimum && !math.IsInf(newLL, -1)) {
				accepted = true
				break
			}
			s /= 2
		}
		if !accepted {
			pr.loglik(beta) // restore η
			if maxStep(dir, beta) <= math.Sqrt(tol) {
				res.Converged = true // at the optimum to within rounding
				break
			}
			res.fill(beta, ll, pr.eta)
			return res, fmt.Errorf("%w: no step along the Newton direction improves the penalised log-likelihood at iteration %d", ErrNotConverged, res.Iterations+1)
		}
		res.Iterations++
		for j := range p {
			dir[j] *= s
		}
		step := maxStep(dir, try)
		dObj := newObj - obj
		copy(beta, try)
		ll, obj = newLL, newObj
		if atOptimum || (s == 1 && (step <= tol || math.Abs(dObj) <= tolLL*(1+math.Abs(obj)))) {
			res.Converged = true
			break
		}
	}
	res.fill(beta, ll, pr.eta)
	if !res.Converged {
		return res, fmt.Errorf("%w after %d iterations", ErrNotConverged, res.Iterations)
	}
	// Covariance from the Fisher information at the optimum, on the
	// active set.
	_, a := pr.information(true)
	var act []int
	for j := range p {
		if opt.L1 == 0 || !d.pen[j] || beta[j] != 0 {
			act = append(act, j)
		}
	}
	q := len(act)
	sub := make([]float64, q*q)
	names := make([]string, q)
	for i, ji := range act {
		names[i] = res.Names[ji]
		for k, jk := range act {
			sub[i*q+k] = a[ji*p+jk]
		}
		if d.pen[ji] {
			sub[i*q+i] += opt.L2
		}
	}
	cov := mat.NewSymDense(p, nil)
	if q > 0 {
		c, bad, zero := factor(sub, q)
		if bad >= 0 {
			return res, singularError("at the optimum", sub, q, c, bad, zero, names)
		}
		inv := c.inverse()
		for i, ji := range act {
			for k := i; k < q; k++ {
				cov.SetSym(ji, act[k], inv[i*q+k])
			}
		}
	}
	res.Cov = cov
	for j := range p {
		res.SE[j] = math.Sqrt(cov.At(j, j))
	}
	return res, nil
}

// fill sets the coefficients and the likelihood summaries of r from β and
// its log-likelihood ll and linear predictor eta.
func (r *Result) fill(beta []float64, ll float64, eta []float64) {
	p := len(beta)
	r.Coef = append([]float64(nil), beta...)
	r.SE = make([]float64, p)
	r.LogLik = ll
	k := p
	if r.L1 > 0 {
		k = 0
		for _, b := range beta {
			if b != 0 {
				k++
			}
		}
	}
	r.AIC = -2*ll + 2*float64(k)
	c := r.Dt / 1000
	mean := 0.0
	for _, v := range r.y {
		mean += v
	}
	mean /= float64(len(r.y))
	dev, null := 0.0, 0.0
	for t, v := range r.y {
		m := c * r.Link.g(eta[t])
		dev += devTerm(v, m)
		null += devTerm(v, mean)
	}
	r.Deviance = 2 * dev
	r.NullDeviance = 2 * null
}

// devTerm returns y·log(y/μ) − (y − μ), with 0·log 0 = 0.
func devTerm(y, mu float64) float64 {
	if y == 0 {
		return mu
	}
	return y*math.Log(y/mu) - (y - mu)
}

// maxStep returns max_j |d_j|/(1 + |β_j|).
func maxStep(d, beta []float64) float64 {
	m := 0.0
	for j, v := range d {
		m = math.Max(m, math.Abs(v)/(1+math.Abs(beta[j])))
	}
	return m
}

// proxNewton minimises the penalised quadratic model of −objective around
// β,
//
//	½(b − β)ᵀA(b − β) − gᵀ(b − β) + Σ_pen (L2/2)·b_j² + L1·|b_j|,
//
// by cyclic coordinate descent with soft thresholding and returns b.
func proxNewton(a, g, beta []float64, pen []bool, l1, l2 float64) []float64 {
	p := len(beta)
	b := append([]float64(nil), beta...)
	u := make([]float64, p) // A·(b − β)
	for range 10000 {
		change := 0.0
		for j := range p {
			ajj := a[j*p+j]
			z := ajj*beta[j] + g[j] - u[j] + ajj*(b[j]-beta[j])
			var nb float64
			switch {
			case pen[j]:
				if den := ajj + l2; den > 0 {
					nb = math.Copysign(math.Max(math.Abs(z)-l1, 0), z) / den
				}
			case ajj > 0:
				nb = z / ajj
			default:
				nb = b[j]
			}
			if delta := nb - b[j]; delta != 0 {
				for k := range p {
					u[k] += a[k*p+j] * delta
				}
				b[j] = nb
				change = math.Max(change, math.Abs(delta)/(1+math.Abs(nb)))
			}
		}
		if change < 1e-14 {
			break
		}
	}
	return b
}

// Intensity returns the fitted intensity λ_t = g(x_tᵀβ̂) in Hz for every
// bin of the design (the expected count is λ_t·Dt/1000).
func (r *Result) Intensity() []float64 {
	d := r.design
	lam := make([]float64, d.rows)
	for j, b := range r.Coef {
		if b != 0 {
			floats.AddScaled(lam, b, d.cols[j])
		}
	}
	for t, e := range lam {
		lam[t] = r.Link.g(e)
	}
	return lam
}

// FilterEstimate is an estimated history or coupling filter.
type FilterEstimate struct {
	// Lags are the lag times l·Dt in ms, l = 1..L.
	Lags []float64
	// Value is f(l) = Σ_j β̂_j·b_j(l), the filter's additive contribution
	// to η per spike at lag l; for the exp link exp(f(l)) is the
	// multiplicative gain on the rate a spike l·Dt ms ago applies.
	Value []float64
	// Lo and Hi bound the pointwise 95% band f(l) ∓ 1.96·√(b(l)ᵀ·C·b(l)),
	// C the block of Result.Cov of the term's coefficients.
	Lo, Hi []float64
}

// Filter returns the estimated filter of the history or coupling term
// name, or an error if there is no such term built on a basis.
func (r *Result) Filter(name string) (FilterEstimate, error) {
	var tm *term
	for i := range r.design.terms {
		if r.design.terms[i].name == name {
			tm = &r.design.terms[i]
		}
	}
	if tm == nil {
		return FilterEstimate{}, fmt.Errorf("glm: the design has no term %q", name)
	}
	if tm.basis == nil {
		return FilterEstimate{}, fmt.Errorf("glm: term %q is a %s, not a history or coupling term", name, tm.source)
	}
	b := tm.basis
	f := FilterEstimate{Lags: b.LagTimes(), Value: b.Combine(r.Coef[tm.first : tm.first+tm.n])}
	f.Lo = make([]float64, len(f.Value))
	f.Hi = make([]float64, len(f.Value))
	for l := range f.Value {
		v := 0.0
		if r.Cov != nil {
			for i := range tm.n {
				for k := range tm.n {
					v += b.Funcs[i][l] * b.Funcs[k][l] * r.Cov.At(tm.first+i, tm.first+k)
				}
			}
		}
		h := 1.96 * math.Sqrt(math.Max(v, 0))
		f.Lo[l], f.Hi[l] = f.Value[l]-h, f.Value[l]+h
	}
	return f, nil
}
