package pointprocess

import (
	"math"
	"sort"
)

// This file holds the time-rescaling goodness-of-fit test (Brown, Barbieri,
// Ventura, Kass & Frank 2002, Neural Computation 14:325). If spikes
// t_1 < … < t_n come from a point process with conditional intensity
// λ(t | H_t), the rescaled intervals
//
//	τ_k = Λ(t_k) − Λ(t_{k−1}),   Λ(t) = ∫_{t_0}^{t} λ(s | H_s) ds,
//
// are independent Exp(1) variables, so z_k = 1 − exp(−τ_k) are uniform on
// [0, 1). A model is rejected when the empirical distribution of the z_k
// departs from the uniform by more than the Kolmogorov–Smirnov bound.

// Rescale writes into dst (grown as needed and returned) the rescaled
// intervals τ_k = cum[k] − cum[k−1] for k = 0..len(cum)−1, where cum[k] is
// the cumulative intensity Λ at the k-th spike and cum[−1] = cum0 is its
// value at the start of the observation. Λ is dimensionless (intensity
// times time).
func Rescale(dst []float64, cum []float64, cum0 float64) []float64 {
	dst = dst[:0]
	prev := cum0
	for _, c := range cum {
		dst = append(dst, c-prev)
		prev = c
	}
	return dst
}

// KS is the result of a Kolmogorov–Smirnov test of rescaled intervals
// against Exp(1).
type KS struct {
	// N is the number of rescaled intervals.
	N int
	// D is the KS statistic sup_z |F_n(z) − z| of the transformed
	// intervals z_k = 1 − exp(−τ_k) against the uniform distribution.
	D float64
	// Bound95 is the asymptotic 95% critical value 1.36/√N.
	Bound95 float64
	// P is the p-value of D under the Kolmogorov distribution, with
	// Stephens' (1970) finite-sample correction √N + 0.12 + 0.11/√N.
	P float64
	// Invalid counts intervals that were negative or not finite: signs
	// of a wrong intensity (or wrong spike times). A test with invalid
	// intervals does not pass.
	Invalid int
	// Uniform holds the sorted z_(k), the empirical quantiles.
	Uniform []float64
	// Model holds the model quantiles b_k = (k − ½)/N against which the
	// z_(k) are plotted in a KS plot; a correct model stays within
	// b_k ± Bound95.
	Model []float64
}

// Pass reports whether the model is accepted at the 5% level: D ≤ Bound95
// and every interval was valid.
func (k KS) Pass() bool { return k.N > 0 && k.Invalid == 0 && k.D <= k.Bound95 }

// KSTest tests the rescaled intervals tau against Exp(1). Intervals that
// are negative or not finite are treated as errors of the model and
// mapped to z = 0 (negative, NaN) or z = 1 (+Inf), counted in Invalid,
// and make the test fail rather than hide them. With no intervals it returns N = 0 and P = 1.
func KSTest(tau []float64) KS {
	n := len(tau)
	r := KS{N: n, P: 1}
	if n == 0 {
		return r
	}
	z := make([]float64, n)
	for i, t := range tau {
		switch {
		case math.IsNaN(t) || t < 0:
			z[i] = 0
			r.Invalid++
		case math.IsInf(t, 1):
			z[i] = 1
			r.Invalid++
		default:
			z[i] = -math.Expm1(-t)
		}
	}
	sort.Float64s(z)
	r.Uniform = z
	r.Model = make([]float64, n)
	fn := float64(n)
	for k, zk := range z {
		r.Model[k] = (float64(k) + 0.5) / fn
		lo := zk - float64(k)/fn
		hi := float64(k+1)/fn - zk
		r.D = math.Max(r.D, math.Max(lo, hi))
	}
	sq := math.Sqrt(fn)
	r.Bound95 = 1.36 / sq
	r.P = KolmogorovQ((sq + 0.12 + 0.11/sq) * r.D)
	return r
}

// KolmogorovQ returns Q(x) = P(K > x) = 2 Σ_{j≥1} (−1)^{j−1} exp(−2j²x²),
// the upper tail of the Kolmogorov distribution.
func KolmogorovQ(x float64) float64 {
	if x <= 0 {
		return 1
	}
	if x < 0.2 {
		// The alternating series converges slowly here; Q is 1 to
		// within 1e-16 for x < 0.2.
		return 1
	}
	sum := 0.0
	sign := 1.0
	for j := 1; j <= 100; j++ {
		term := sign * math.Exp(-2*float64(j*j)*x*x)
		sum += term
		if math.Abs(term) < 1e-18 {
			break
		}
		sign = -sign
	}
	return math.Min(1, math.Max(0, 2*sum))
}
