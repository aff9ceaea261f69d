package rng

import "math"

// PoissonTable draws Poisson deviates of one fixed mean λ by inversion
// of the distribution function: one 64-bit uniform u per deviate, and the
// deviate is the smallest k with u ≤ F(k)·2⁶⁴, F(k) = Σ_{j≤k} e^{−λ}λʲ/j!.
// A guide table on the top 8 bits of u starts the search close to the
// answer, so a draw costs one uniform and about one comparison, where
// multiplying uniforms (Knuth's method) costs λ + 1 uniforms.
//
// The tail of F beyond 1 − 2⁻⁶⁰ is folded into the last entry (an error
// below 10⁻¹⁸ per draw). Means of 30 and more use Stream.Poisson.
type PoissonTable struct {
	lambda float64
	cdf    []uint64 // cdf[k] = ⌊F(k)·2⁶⁴⌋; the last entry is 2⁶⁴ − 1
	guide  [256]uint16
}

// NewPoissonTable returns a table for Poisson deviates of mean lambda.
func NewPoissonTable(lambda float64) *PoissonTable {
	t := &PoissonTable{lambda: lambda}
	if !(lambda > 0) || lambda >= 30 {
		return t
	}
	p := math.Exp(-lambda) // P(X = k), starting at k = 0
	f := 0.0
	for k := 0; ; k++ {
		f += p
		if 1-f < 0x1p-60 || (p < 0x1p-64 && float64(k) > lambda) {
			t.cdf = append(t.cdf, math.MaxUint64)
			break
		}
		t.cdf = append(t.cdf, uint64(f*0x1p64))
		p *= lambda / float64(k+1)
	}
	k := 0
	for g := range t.guide {
		lo := uint64(g) << 56 // smallest u with these top bits
		for lo > t.cdf[k] {
			k++
		}
		t.guide[g] = uint16(k)
	}
	return t
}

// Lambda returns the mean of the deviates.
func (t *PoissonTable) Lambda() float64 { return t.lambda }

// Of returns the deviate that the uniform 64-bit number u gives, for
// means below 30 (the table's range; it returns 0 for larger means, which
// need Draw). Draw(s) is Of(s.Uint64()) for those means.
func (t *PoissonTable) Of(u uint64) int {
	if t.cdf == nil {
		return 0
	}
	k := int(t.guide[u>>56])
	for u > t.cdf[k] {
		k++
	}
	return k
}

// Small reports whether the table covers the mean (below 30), so that Of
// may be used.
func (t *PoissonTable) Small() bool { return t.cdf != nil || !(t.lambda > 0) }

// Draw returns a Poisson deviate drawn from s.
func (t *PoissonTable) Draw(s *Stream) int {
	if t.cdf == nil {
		if t.lambda > 0 {
			return s.Poisson(t.lambda)
		}
		return 0
	}
	u := s.Uint64()
	k := int(t.guide[u>>56])
	for u > t.cdf[k] {
		k++
	}
	return k
}
