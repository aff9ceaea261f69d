package rng

import "math"

// Gamma draws Gamma(shape, 1) deviates (mean and variance equal to shape);
// multiply by θ for scale θ. Build one with NewGamma for a shape that is
// used many times: the constants of the method are computed once.
//
// For shape ≥ 1 it uses the squeeze-and-rejection method of Marsaglia &
// Tsang (2000, ACM TOMS 26:363): with d = shape − 1/3, c = 1/√(9d),
// x ~ N(0, 1) and v = (1 + c·x)³ > 0, d·v is accepted if
// U < 1 − 0.0331·x⁴ or log U < x²/2 + d·(1 − v + log v). For shape < 1 it
// returns Gamma(shape + 1, 1)·U^{1/shape}, U uniform on (0, 1], which has
// the Gamma(shape, 1) law.
type Gamma struct {
	d, c float64
	// invShape is 1/shape when shape < 1 (boosting), else 0.
	invShape float64
	bad      bool
}

// NewGamma returns the sampler of Gamma(shape, 1). A shape that is not a
// finite positive number gives a sampler that returns NaN.
func NewGamma(shape float64) Gamma {
	var g Gamma
	if !(shape > 0) || math.IsInf(shape, 1) {
		g.bad = true
		return g
	}
	if shape < 1 {
		g.invShape = 1 / shape
		shape++
	}
	g.d = shape - 1.0/3
	g.c = 1 / math.Sqrt(9*g.d)
	return g
}

// Draw returns one Gamma(shape, 1) deviate from s.
func (g Gamma) Draw(s *Stream) float64 {
	if g.bad {
		return math.NaN()
	}
	var x float64
	for {
		z := s.Normal()
		v := 1 + g.c*z
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := s.Float64()
		z2 := z * z
		if u < 1-0.0331*z2*z2 || math.Log(u) < 0.5*z2+g.d*(1-v+math.Log(v)) {
			x = g.d * v
			break
		}
	}
	if g.invShape != 0 {
		x *= math.Exp(math.Log(1-s.Float64()) * g.invShape)
	}
	return x
}

// Gamma returns a Gamma(shape, 1) deviate; see type Gamma. It returns NaN
// for a shape that is not a finite positive number.
func (s *Stream) Gamma(shape float64) float64 { return NewGamma(shape).Draw(s) }
