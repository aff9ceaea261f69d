package pointprocess

import (
	"fmt"
	"math"

	"github.com/hebb-snn/hebb/rng"
)

// Cox (doubly stochastic Poisson) processes: given a random intensity
// path λ(t), events form an inhomogeneous Poisson process with intensity
// λ. Paths here are piecewise constant on a grid of step dt, and events
// are generated exactly for that path by inverting the cumulative
// intensity: with E₁, E₂, … independent Exp(1), the n-th event is at the
// time where Λ(t) = ∫_{t0}^{t} λ reaches E₁ + … + E_n (Çinlar's time
// change). Inside a cell of constant λ_i the inversion is linear, so no
// candidate is rejected and the cost is one exponential per event plus
// one step per cell.

// CoxGrid appends to dst the events of a Poisson process whose intensity
// is lambda[i] (1/ms) on the cell [t0 + i·dt, t0 + (i+1)·dt), for the
// len(lambda) cells from t0 (ms), and returns the extended slice. Given
// the path it is exact: the count in cell i is Poisson(lambda[i]·dt) and
// the events in a cell are uniform in it. A negative or NaN intensity or
// a step dt ≤ 0 is an error, with dst returned unchanged.
func CoxGrid(dst []float64, s *rng.Stream, lambda []float64, t0, dt float64) ([]float64, error) {
	if !(dt > 0) || math.IsInf(dt, 1) {
		return dst, fmt.Errorf("pointprocess: CoxGrid step dt must be finite and > 0 ms, got %g", dt)
	}
	if err := checkWindow(t0, t0); err != nil {
		return dst, err
	}
	for i, l := range lambda {
		if !(l >= 0) || math.IsInf(l, 1) {
			return dst, fmt.Errorf("pointprocess: CoxGrid intensity %g /ms in cell %d (from %g ms) is negative or not finite", l, i, t0+float64(i)*dt)
		}
	}
	rem := s.Exp()
	for i, l := range lambda {
		dst, rem = cellEvents(dst, s, l, t0+float64(i)*dt, t0+float64(i+1)*dt, rem)
	}
	return dst, nil
}

// cellEvents appends the events in [a, b) of intensity l (≥ 0) given rem,
// the cumulative intensity still to go before the next event, and returns
// the new rem.
func cellEvents(dst []float64, s *rng.Stream, l, a, b, rem float64) ([]float64, float64) {
	if l == 0 || b <= a {
		return dst, rem
	}
	m := l * (b - a) // mass of the cell
	pos := 0.0       // mass used so far in the cell
	for rem < m-pos {
		pos += rem
		t := a + pos/l
		if t >= b { // rounding
			t = math.Nextafter(b, math.Inf(-1))
		}
		dst = append(dst, t)
		rem = s.Exp()
	}
	return dst, rem - (m - pos)
}

// LogGaussianCox is a log-Gaussian Cox process whose log-intensity is an
// Ornstein–Uhlenbeck process, sampled on a grid of step Dt:
//
//	λ_i = Mean·exp(x_i − σ²/2)   on the cell [t0 + i·Dt, t0 + (i+1)·Dt),
//	x_{i+1} = a·x_i + σ·√(1 − a²)·ξ_i,   a = exp(−Dt/Tau),   ξ_i ~ N(0, 1),
//
// with x_0 ~ N(0, σ²), so x is the exact OU process (stationary variance
// σ², correlation exp(−|t|/Tau)) at the grid times, the path is stationary
// from the first cell, and E[λ_i] = Mean. The rate has
// CV² = exp(σ²) − 1 (use SigmaFromCV), and the covariance of the cell
// intensities is Mean²·(exp(σ²·a^{|i−j|}) − 1).
type LogGaussianCox struct {
	// Mean is the mean intensity E[λ] in 1/ms (≥ 0).
	Mean float64
	// Sigma is σ, the standard deviation of the log-intensity (≥ 0).
	Sigma float64
	// Tau is the correlation time of the log-intensity in ms (> 0).
	Tau float64
	// Dt is the grid step in ms (> 0); the intensity is constant on each
	// cell. Dt ≪ Tau approximates the continuous-time process.
	Dt float64
}

// SigmaFromCV returns σ = √(log(1 + cv²)), the standard deviation of the
// log-intensity for which the log-normal intensity has coefficient of
// variation cv (≥ 0).
func SigmaFromCV(cv float64) float64 { return math.Sqrt(math.Log1p(cv * cv)) }

func (c LogGaussianCox) check() error {
	switch {
	case !(c.Mean >= 0) || math.IsInf(c.Mean, 1):
		return fmt.Errorf("pointprocess: LogGaussianCox mean must be finite and ≥ 0 /ms, got %g", c.Mean)
	case !(c.Sigma >= 0) || math.IsInf(c.Sigma, 1):
		return fmt.Errorf("pointprocess: LogGaussianCox sigma must be finite and ≥ 0, got %g", c.Sigma)
	case !(c.Tau > 0) || math.IsInf(c.Tau, 1):
		return fmt.Errorf("pointprocess: LogGaussianCox tau must be finite and > 0 ms, got %g", c.Tau)
	case !(c.Dt > 0) || math.IsInf(c.Dt, 1):
		return fmt.Errorf("pointprocess: LogGaussianCox dt must be finite and > 0 ms, got %g", c.Dt)
	}
	return nil
}

// ou holds the OU update constants and state.
type ou struct {
	a, b, sigma, scale, x float64
}

func (c LogGaussianCox) ou(s *rng.Stream) ou {
	a := math.Exp(-c.Dt / c.Tau)
	return ou{
		a:     a,
		b:     c.Sigma * math.Sqrt(-math.Expm1(-2*c.Dt/c.Tau)), // σ·√(1 − a²)
		sigma: c.Sigma,
		scale: c.Mean * math.Exp(-0.5*c.Sigma*c.Sigma),
		x:     c.Sigma * s.Normal(),
	}
}

// next returns the intensity of the current cell and advances x.
func (o *ou) next(s *rng.Stream) float64 {
	l := o.scale * math.Exp(o.x)
	o.x = o.a*o.x + o.b*s.Normal()
	return l
}

// Path appends to dst the intensities λ_0 … λ_{n−1} (1/ms) of n cells of a
// fresh stationary path and returns the extended slice; CoxGrid turns a
// path into events. Invalid parameters or n < 0 give an error.
func (c LogGaussianCox) Path(dst []float64, s *rng.Stream, n int) ([]float64, error) {
	if err := c.check(); err != nil {
		return dst, err
	}
	if n < 0 {
		return dst, fmt.Errorf("pointprocess: LogGaussianCox path of %d cells", n)
	}
	o := c.ou(s)
	for range n {
		dst = append(dst, o.next(s))
	}
	return dst, nil
}

// Simulate appends to dst the events on [t0, t1) (ms) of one realisation
// of the process, with a fresh stationary path whose cells start at t0
// (the last cell is cut at t1), and returns the extended slice. The path
// is generated cell by cell and not stored. Invalid parameters or window
// give an error and dst unchanged; t1 ≤ t0 gives no events.
func (c LogGaussianCox) Simulate(dst []float64, s *rng.Stream, t0, t1 float64) ([]float64, error) {
	if err := c.check(); err != nil {
		return dst, err
	}
	if err := checkWindow(t0, t1); err != nil {
		return dst, err
	}
	if t1 <= t0 {
		return dst, nil
	}
	n := int(math.Ceil((t1 - t0) / c.Dt))
	o := c.ou(s)
	rem := s.Exp()
	for i := range n {
		a := t0 + float64(i)*c.Dt
		b := math.Min(a+c.Dt, t1)
		dst, rem = cellEvents(dst, s, o.next(s), a, b, rem)
	}
	return dst, nil
}

// CountVariance returns the variance of the number of events in a window
// of n whole cells (n·Dt ms, aligned with the grid) of the stationary
// process, by the law of total variance, Var N = E[Λ] + Var Λ with
// Λ = Dt·Σ_i λ_i:
//
//	E[Λ] = Mean·n·Dt,
//	Var Λ = (Mean·Dt)²·[n·(e^{σ²} − 1) + 2·Σ_{m=1}^{n−1} (n − m)·(e^{σ²·a^m} − 1)],
//
// a = exp(−Dt/Tau). It returns NaN for invalid parameters or n < 0.
func (c LogGaussianCox) CountVariance(n int) float64 {
	if c.check() != nil || n < 0 {
		return math.NaN()
	}
	a := math.Exp(-c.Dt / c.Tau)
	s2 := c.Sigma * c.Sigma
	sum := float64(n) * math.Expm1(s2)
	am := 1.0
	for m := 1; m < n; m++ {
		am *= a
		term := math.Expm1(s2 * am)
		if term == 0 {
			break
		}
		sum += 2 * float64(n-m) * term
	}
	md := c.Mean * c.Dt
	return md*float64(n) + md*md*sum
}

// FanoFactor returns Var N / E N for a window of n whole cells (n·Dt ms):
// 1 + Var Λ/E[Λ] with the terms of CountVariance. It is 1 for σ = 0
// (Poisson) and grows with σ and with the window up to
// 1 + 2·Mean·Tau·Σ_{m≥1} σ^{2m}/(m·m!) as n·Dt/Tau → ∞ (continuous time).
// It returns NaN for invalid parameters, Mean = 0 or n ≤ 0.
func (c LogGaussianCox) FanoFactor(n int) float64 {
	mean := c.Mean * c.Dt * float64(n)
	if !(mean > 0) {
		return math.NaN()
	}
	return c.CountVariance(n) / mean
}
