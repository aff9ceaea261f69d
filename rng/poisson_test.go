package rng

import (
	"math"
	"testing"
)

// TestPoissonTableDistribution compares the frequencies of 10⁶ table draws
// with the Poisson probabilities by a χ² test (cells with an expected
// count below 5 pooled into the tail); the statistic must stay below the
// 99.9 % quantile of its distribution, approximated as df + 4.4·√(2·df).
func TestPoissonTableDistribution(t *testing.T) {
	for _, lambda := range []float64{0.002, 0.3, 2, 9.5, 29.9} {
		tab := NewPoissonTable(lambda)
		s := New(7, 99, uint64(lambda*1000))
		const n = 1000000
		counts := map[int]int{}
		sum, sum2 := 0.0, 0.0
		for range n {
			k := tab.Draw(&s)
			counts[k]++
			sum += float64(k)
			sum2 += float64(k * k)
		}
		mean := sum / n
		variance := sum2/n - mean*mean
		if math.Abs(mean-lambda) > 5*math.Sqrt(lambda/n) {
			t.Errorf("λ = %g: mean %g", lambda, mean)
		}
		if math.Abs(variance/lambda-1) > 5*math.Sqrt((1/lambda+2)/n) { // sd of the sample variance: √((λ+2λ²)/n)
			t.Errorf("λ = %g: variance %g", lambda, variance)
		}
		chi2, df := 0.0, -1
		p := math.Exp(-lambda)
		rest := 1.0
		for k := 0; ; k++ {
			e := n * p
			if e < 5 && float64(k) > lambda {
				// the tail k, k+1, …
				o := 0
				for j, c := range counts {
					if j >= k {
						o += c
					}
				}
				e = n * rest
				chi2 += (float64(o) - e) * (float64(o) - e) / e
				df++
				break
			}
			o := float64(counts[k])
			if e >= 5 {
				chi2 += (o - e) * (o - e) / e
				df++
			} else if o > 0 && e < 1e-6 {
				t.Errorf("λ = %g: %v draws of %d, probability %g", lambda, o, k, p)
			}
			rest -= p
			p *= lambda / float64(k+1)
		}
		if limit := float64(df) + 4.4*math.Sqrt(2*float64(df)); chi2 > limit {
			t.Errorf("λ = %g: χ² = %.1f with %d degrees of freedom (limit %.1f)", lambda, chi2, df, limit)
		}
	}
}

// TestPoissonTableEdges: λ = 0 gives 0; large λ falls back to Poisson and
// draws the same deviates from the same stream.
func TestPoissonTableEdges(t *testing.T) {
	s := New(1)
	if k := NewPoissonTable(0).Draw(&s); k != 0 {
		t.Errorf("λ = 0 gave %d", k)
	}
	a, b := New(3), New(3)
	tab := NewPoissonTable(50)
	for range 1000 {
		if x, y := tab.Draw(&a), b.Poisson(50); x != y {
			t.Fatalf("λ = 50: table %d, Poisson %d", x, y)
		}
	}
}

// BenchmarkPoissonTable draws deviates of mean 2 (the Brunel benchmark's
// external input per step); multiplying uniforms takes about 3 uniforms.
func BenchmarkPoissonTable(b *testing.B) {
	tab := NewPoissonTable(2)
	s := New(1)
	n := 0
	for b.Loop() {
		n += tab.Draw(&s)
	}
	_ = n
}
