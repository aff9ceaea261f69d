package rng

import (
	"math"
	"testing"
)

// TestGammaMoments: sample mean and variance of Gamma(k, 1) are both k
// within 4 standard errors, for k below and above 1; bad shapes give NaN.
func TestGammaMoments(t *testing.T) {
	// Gamma(k, 1): mean k, variance k, kurtosis 3 + 6/k. n = 2·10⁵.
	const n = 200000
	for _, k := range []float64{0.3, 1, 5.5} {
		s := New(2, 201, uint64(k*10))
		x := make([]float64, n)
		for i := range x {
			x[i] = s.Gamma(k)
		}
		mean, variance := 0.0, 0.0
		for _, v := range x {
			mean += v
		}
		mean /= n
		for _, v := range x {
			variance += (v - mean) * (v - mean)
		}
		variance /= n - 1
		seMean := math.Sqrt(k / n)
		seVar := k * math.Sqrt((2+6/k)/n)
		if math.Abs(mean-k) > 4*seMean || math.Abs(variance-k) > 4*seVar {
			t.Errorf("k = %g: mean %.4f ± %.4f, variance %.4f ± %.4f; want both %g", k, mean, 4*seMean, variance, 4*seVar, k)
		}
		t.Logf("k = %g: mean %.4f, variance %.4f", k, mean, variance)
	}
	s := New(2, 202)
	for _, k := range []float64{0, -1, math.NaN(), math.Inf(1)} {
		if v := s.Gamma(k); !math.IsNaN(v) {
			t.Errorf("Gamma(%g) = %g, want NaN", k, v)
		}
	}
}
