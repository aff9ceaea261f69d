package glm

import (
	"errors"
	"fmt"
	"math"
)

// Basis is a set of temporal basis functions for history and coupling
// filters, sampled at the lags l = 1..L bins of width Dt ms: Funcs[j][l−1]
// is function j at the time l·Dt ms after a spike. Lag 0 (the spike's own
// bin) is never part of a basis, so a filter built from one is strictly
// causal. All functions have the same length L.
type Basis struct {
	// Dt is the bin width in ms.
	Dt float64
	// Funcs[j][l−1] is the value of function j at lag l bins (l·Dt ms).
	Funcs [][]float64
}

// Len returns the number of functions.
func (b *Basis) Len() int { return len(b.Funcs) }

// Lags returns L, the number of lags sampled (the filter length in bins).
func (b *Basis) Lags() int {
	if len(b.Funcs) == 0 {
		return 0
	}
	return len(b.Funcs[0])
}

// LagTimes returns the lag times l·Dt in ms for l = 1..L.
func (b *Basis) LagTimes() []float64 {
	t := make([]float64, b.Lags())
	for l := range t {
		t[l] = float64(l+1) * b.Dt
	}
	return t
}

// Combine returns the filter f(l) = Σ_j w_j·Funcs[j][l−1] for l = 1..L, the
// filter a set of coefficients w (one per function) represents. It returns
// nil if len(w) differs from Len().
func (b *Basis) Combine(w []float64) []float64 {
	if len(w) != len(b.Funcs) {
		return nil
	}
	f := make([]float64, b.Lags())
	for j, fn := range b.Funcs {
		for l, v := range fn {
			f[l] += w[j] * v
		}
	}
	return f
}

// RaisedCosine returns the log-stretched raised-cosine basis of Pillow et
// al. (2008, Nature 454:995). With the stretched time φ(τ) = log(τ + c)
// (τ the lag in ms, c = stretch in ms), the n ≥ 2 functions have peaks
// equally spaced in φ, from φ_0 = log(first + c) to φ_{n−1} = log(last + c),
// spacing Δφ = (φ_{n−1} − φ_0)/(n − 1):
//
//	b_j(τ) = ½·(1 + cos(clamp((φ(τ) − φ_j)·π/(2Δφ), −π, π))),
//
// so each function spans 4Δφ and, away from the ends, the functions sum to
// 2. Large c makes the spacing nearly linear in τ; small c packs the early
// peaks densely. The functions are sampled at τ = l·dt for l = 1..L, where
// L·dt is the last lag before the end of the last function's support,
// exp(φ_{n−1} + 2Δφ) − c. first, last, stretch and dt are in ms;
// 0 ≤ first < last, stretch > 0 and dt > 0 are required.
func RaisedCosine(n int, first, last, stretch, dt float64) (*Basis, error) {
	switch {
	case n < 2:
		return nil, fmt.Errorf("glm: raised-cosine basis needs at least 2 functions, got %d", n)
	case !(dt > 0) || math.IsInf(dt, 0):
		return nil, fmt.Errorf("glm: bin width %g ms must be positive and finite", dt)
	case !(stretch > 0) || math.IsInf(stretch, 0):
		return nil, fmt.Errorf("glm: stretch c = %g ms must be positive and finite", stretch)
	case !(first >= 0) || !(last > first) || math.IsInf(last, 0):
		return nil, fmt.Errorf("glm: peaks must satisfy 0 ≤ first < last < ∞, got first %g ms, last %g ms", first, last)
	}
	phi0 := math.Log(first + stretch)
	dphi := (math.Log(last+stretch) - phi0) / float64(n-1)
	tmax := math.Exp(phi0+float64(n+1)*dphi) - stretch
	nl := int(math.Ceil(tmax/dt-1e-9)) - 1 // largest l with l·dt < tmax
	if nl < 1 {
		return nil, fmt.Errorf("glm: raised-cosine basis ends at %g ms, before the first lag %g ms", tmax, dt)
	}
	b := &Basis{Dt: dt, Funcs: make([][]float64, n)}
	for j := range b.Funcs {
		f := make([]float64, nl)
		c := phi0 + float64(j)*dphi
		for l := range f {
			x := (math.Log(float64(l+1)*dt+stretch) - c) * math.Pi / (2 * dphi)
			x = math.Max(-math.Pi, math.Min(math.Pi, x))
			f[l] = 0.5 * (1 + math.Cos(x))
		}
		b.Funcs[j] = f
	}
	if err := b.check(); err != nil {
		return nil, err
	}
	return b, nil
}

// Boxes returns n box (bin) functions of width w ms: function j (0-based)
// is 1 at the lags l with j·w < l·dt ≤ (j+1)·w and 0 elsewhere, so with
// w = dt function j is the indicator of lag j+1. L = the last lag of the
// last box. w ≥ dt > 0 is required so that no box is empty.
func Boxes(n int, w, dt float64) (*Basis, error) {
	switch {
	case n < 1:
		return nil, fmt.Errorf("glm: box basis needs at least 1 box, got %d", n)
	case !(dt > 0) || math.IsInf(dt, 0):
		return nil, fmt.Errorf("glm: bin width %g ms must be positive and finite", dt)
	case !(w >= dt*(1-1e-9)) || math.IsInf(w, 0):
		return nil, fmt.Errorf("glm: box width %g ms must be at least the bin width %g ms", w, dt)
	}
	nl := int(math.Floor(float64(n)*w/dt + 1e-9))
	b := &Basis{Dt: dt, Funcs: make([][]float64, n)}
	for j := range b.Funcs {
		b.Funcs[j] = make([]float64, nl)
	}
	for l := 1; l <= nl; l++ {
		j := int(math.Ceil(float64(l)*dt/w-1e-9)) - 1
		if j >= 0 && j < n {
			b.Funcs[j][l-1] = 1
		}
	}
	if err := b.check(); err != nil {
		return nil, err
	}
	return b, nil
}

// WithRefractory returns a new basis with k single-bin functions prepended
// (function i, i = 0..k−1, is the indicator of lag i+1, i.e. of the time
// (i+1)·Dt ms after a spike) and the original functions set to zero at
// those lags, as Pillow et al. do to model an absolute or relative
// refractory period separately from the smooth part of the filter. The
// filter length stays L. It is an error if k < 1 or if an original
// function is zero at every lag after k (in particular if k ≥ L).
func (b *Basis) WithRefractory(k int) (*Basis, error) {
	if k < 1 {
		return nil, fmt.Errorf("glm: refractory functions: k = %d must be at least 1", k)
	}
	nl := max(b.Lags(), k) // k ≥ L fails the check below
	nb := &Basis{Dt: b.Dt, Funcs: make([][]float64, 0, k+b.Len())}
	for i := range k {
		f := make([]float64, nl)
		f[i] = 1
		nb.Funcs = append(nb.Funcs, f)
	}
	for _, g := range b.Funcs {
		f := make([]float64, nl)
		if len(g) > k {
			copy(f[k:], g[k:])
		}
		nb.Funcs = append(nb.Funcs, f)
	}
	if err := nb.check(); err != nil {
		return nil, err
	}
	return nb, nil
}

// check reports a basis with no functions, ragged functions, a non-finite
// value or a function that is zero at every lag.
func (b *Basis) check() error {
	if b == nil || len(b.Funcs) == 0 {
		return errors.New("glm: basis has no functions")
	}
	if !(b.Dt > 0) || math.IsInf(b.Dt, 0) {
		return fmt.Errorf("glm: basis bin width %g ms must be positive and finite", b.Dt)
	}
	nl := len(b.Funcs[0])
	for j, f := range b.Funcs {
		if len(f) != nl {
			return fmt.Errorf("glm: basis function %d has %d lags, function 0 has %d", j, len(f), nl)
		}
		nz := false
		for l, v := range f {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("glm: basis function %d is not finite at lag %d", j, l+1)
			}
			nz = nz || v != 0
		}
		if !nz {
			return fmt.Errorf("glm: basis function %d is zero at every lag", j)
		}
	}
	return nil
}
