package pointprocess

import (
	"math"
	"testing"

	"github.com/hebb-snn/hebb/rng"
)

// TestKolmogorovQ checks the tail of the Kolmogorov distribution against
// tabulated values (Smirnov 1948): Q(0.5) = 0.9639, Q(1) = 0.2700,
// Q(1.36) = 0.0494, Q(1.63) = 0.0098.
func TestKolmogorovQ(t *testing.T) {
	for _, c := range []struct{ x, q float64 }{{0.5, 0.9639}, {1, 0.2700}, {1.36, 0.0494}, {1.63, 0.0098}, {0, 1}, {0.1, 1}} {
		if got := KolmogorovQ(c.x); math.Abs(got-c.q) > 1e-4 {
			t.Errorf("Q(%g) = %.5f, want %.4f", c.x, got, c.q)
		}
	}
}

// TestKSStatistic works a three-interval case by hand: τ = −ln(1 − z) with
// z = 0.1, 0.5, 0.6 gives D = max(0.1, 1/3 − 0.1, 0.5 − 1/3, 2/3 − 0.5,
// 0.6 − 2/3, 1 − 0.6) = 0.4.
func TestKSStatistic(t *testing.T) {
	tau := []float64{-math.Log(1 - 0.6), -math.Log(1 - 0.1), -math.Log(1 - 0.5)}
	k := KSTest(tau)
	if k.N != 3 || math.Abs(k.D-0.4) > 1e-12 {
		t.Errorf("N = %d, D = %g; want 3, 0.4", k.N, k.D)
	}
	if math.Abs(k.Bound95-1.36/math.Sqrt(3)) > 1e-12 {
		t.Errorf("bound %g", k.Bound95)
	}
	if k.Uniform[0] > k.Uniform[1] || math.Abs(k.Model[1]-0.5) > 1e-12 {
		t.Errorf("quantiles %v %v", k.Uniform, k.Model)
	}
	if e := KSTest(nil); e.N != 0 || e.P != 1 || e.Pass() {
		t.Errorf("empty: %+v", e)
	}
	if bad := KSTest([]float64{math.NaN(), -1, math.Inf(1)}); bad.Pass() || bad.Invalid != 3 {
		t.Errorf("NaN/negative/infinite intervals passed: %+v", bad)
	}
}

// TestKSCalibration: for Exp(1) intervals the test rejects at about its
// nominal 5% rate, and P is uniform enough that P < 0.05 agrees with
// D > Bound95 in most replicates. Intervals from Exp(0.8) (a 25% error in
// the intensity) are rejected almost always at n = 500.
func TestKSCalibration(t *testing.T) {
	const reps, n = 400, 500
	s := rng.New(7, 1)
	rejTrue, rejWrong := 0, 0
	tau := make([]float64, n)
	for range reps {
		for i := range tau {
			tau[i] = s.Exp()
		}
		if !KSTest(tau).Pass() {
			rejTrue++
		}
		for i := range tau {
			tau[i] = s.Exp() / 0.8
		}
		if !KSTest(tau).Pass() {
			rejWrong++
		}
	}
	// Binomial(400, 0.05): mean 20, SD 4.4; the asymptotic bound is
	// slightly conservative at n = 500.
	if rejTrue < 6 || rejTrue > 34 {
		t.Errorf("true model rejected %d/%d times, want about 20", rejTrue, reps)
	}
	if rejWrong < reps*95/100 {
		t.Errorf("wrong model rejected %d/%d times, want ≥ 95%%", rejWrong, reps)
	}
}

// TestRescale: intervals of the cumulative intensity.
func TestRescale(t *testing.T) {
	got := Rescale(nil, []float64{1.5, 2, 4}, 0.5)
	want := []float64{1, 0.5, 2}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("Rescale = %v, want %v", got, want)
		}
	}
}
