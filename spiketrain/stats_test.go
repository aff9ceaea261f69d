package spiketrain

import (
	"math"
	"testing"

	"github.com/hebb-snn/hebb/rng"
)

// genGamma returns a renewal train of n intervals whose intervals are gamma
// distributed of integer order k and mean mu (ms): each interval is the
// sum of k exponentials of mean mu/k. The first spike is at 0.
func genGamma(s *rng.Stream, k, n int, mu float64) Train {
	tr := make(Train, n+1)
	for i := 1; i <= n; i++ {
		isi := 0.0
		for range k {
			isi += s.Exp()
		}
		tr[i] = tr[i-1] + isi*mu/float64(k)
	}
	return tr
}

// genPoisson returns a homogeneous Poisson train of rate (Hz) on [0, T] ms.
func genPoisson(s *rng.Stream, rate, T float64) Train {
	var tr Train
	mu := 1000 / rate
	for t := s.Exp() * mu; t <= T; t += s.Exp() * mu {
		tr = append(tr, t)
	}
	return tr
}

// closeTo fails the test unless |got − want| ≤ tol.
func closeTo(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if !(math.Abs(got-want) <= tol) {
		t.Errorf("%s = %.10g, want %.10g ± %.3g", what, got, want, tol)
	}
}

// meanSE returns the mean of x and its standard error SD(n−1)/√n.
func meanSE(x []float64) (mean, se float64) {
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	ss := 0.0
	for _, v := range x {
		ss += (v - mean) * (v - mean)
	}
	return mean, math.Sqrt(ss / float64(len(x)-1) / float64(len(x)))
}

func TestISIs(t *testing.T) {
	buf := make([]float64, 10)
	got := ISIs(buf, Train{1, 3, 7, 8})
	want := []float64{2, 4, 1}
	if len(got) != len(want) || &got[0] != &buf[0] {
		t.Fatalf("ISIs = %v (reusing dst: %v), want %v", got, &got[0] == &buf[0], want)
	}
	for k := range want {
		closeTo(t, "ISI", got[k], want[k], 0)
	}
	if n := len(ISIs(nil, Train{5})); n != 0 {
		t.Errorf("one spike: %d intervals, want 0", n)
	}
}

func TestMeanRate(t *testing.T) {
	tr := Train{100, 200, 300, 1000}
	// 4 spikes in [0, 1000] ms (the one at 1000 counts) = 4 Hz.
	closeTo(t, "rate [0,1000]", MeanRate(tr, 0, 1000), 4, 1e-12)
	// 3 spikes in 500 ms = 6 Hz.
	closeTo(t, "rate [0,500]", MeanRate(tr, 0, 500), 6, 1e-12)
	closeTo(t, "rate of empty train", MeanRate(nil, 0, 1000), 0, 0)
	if CountIn(tr, 150, 300) != 2 || CountIn(tr, 301, 999) != 0 || CountIn(tr, 5, 1) != 0 {
		t.Errorf("CountIn wrong")
	}
	for _, w := range [][2]float64{{0, 0}, {10, 5}, {0, math.Inf(1)}} {
		if r := MeanRate(tr, w[0], w[1]); !math.IsNaN(r) {
			t.Errorf("MeanRate over [%g, %g] = %g, want NaN", w[0], w[1], r)
		}
	}
}

func TestISIStatsHand(t *testing.T) {
	// Train 0, 2, 6, 8: intervals 2, 4, 2, mean 8/3.
	// Deviations −2/3, 4/3, −2/3: Σd² = 24/9, var = 8/9 (n = 3),
	// SD = 2√2/3, CV = (2√2/3)/(8/3) = √2/4.
	tr := Train{0, 2, 6, 8}
	closeTo(t, "CV", CV(tr), math.Sqrt2/4, 1e-15)
	// CV2: pairs (2,4) and (4,2) each give 2·2/6 = 2/3.
	closeTo(t, "CV2", CV2(tr), 2.0/3, 1e-15)
	// LV: 3/(3−1)·((−2/6)² + (2/6)²) = 1.5·2/9 = 1/3.
	closeTo(t, "LV", LV(tr), 1.0/3, 1e-15)
	// LvR with R = 5: each term (1/9)(1 + 4·5/6) = 13/27; 1.5·26/27 = 13/9.
	closeTo(t, "LvR", LvR(tr, 5), 13.0/9, 1e-14)
	closeTo(t, "LvR(R=0) = LV", LvR(tr, 0), LV(tr), 0)

	regular := Train{0, 10, 20, 30, 40}
	for name, f := range map[string]func(Train) float64{"CV": CV, "CV2": CV2, "LV": LV} {
		closeTo(t, name+" of a regular train", f(regular), 0, 1e-15)
		for _, bad := range []Train{nil, {1}, {1, 2}, {5, 5, 5}} {
			if v := f(bad); !math.IsNaN(v) {
				t.Errorf("%s(%v) = %g, want NaN", name, bad, v)
			}
		}
	}
	for _, r := range []float64{-1, math.NaN(), math.Inf(1)} {
		if v := LvR(tr, r); !math.IsNaN(v) {
			t.Errorf("LvR with R = %g is %g, want NaN", r, v)
		}
	}
}

// TestISIStatsGamma checks CV, CV2, LV and LvR of gamma renewal trains of
// order k against their closed forms. With U = I_1/(I_1 + I_2) ~ Beta(k, k)
// independent of S = I_1 + I_2 ~ Gamma(2k, μ/k):
//
//	CV  = 1/√k
//	CV2 = 2 E|2U − 1| = 4 E|U − ½| = 4^{1−k} / (k B(k, k))   (1 for k = 1, 0.546875 for k = 4)
//	LV  = 3 E[(2U − 1)²] = 12 Var U = 3/(2k + 1)
//	LvR = 3/(2k+1) · (1 + 4R E[1/S]) = 3/(2k+1) · (1 + 4Rk/((2k−1)μ))
//
// Each is estimated from 100 independent trains of 2000 intervals; the
// mean must lie within 4 standard errors of the mean across trains (the
// O(1/n) bias of the ratio estimator CV is about 1e−4, far smaller).
func TestISIStatsGamma(t *testing.T) {
	const (
		reps = 100
		n    = 2000
		mu   = 50.0 // ms, 20 Hz
		R    = DefaultRefractory
	)
	for _, k := range []int{1, 4} {
		fk := float64(k)
		lb, _ := math.Lgamma(fk)
		l2, _ := math.Lgamma(2 * fk)
		beta := math.Exp(2*lb - l2)
		want := map[string]float64{
			"CV":  1 / math.Sqrt(fk),
			"CV2": math.Pow(4, 1-fk) / (fk * beta),
			"LV":  3 / (2*fk + 1),
			"LvR": 3 / (2*fk + 1) * (1 + 4*R*fk/((2*fk-1)*mu)),
		}
		got := map[string][]float64{}
		s := rng.New(7, uint64(k))
		for range reps {
			tr := genGamma(&s, k, n, mu)
			got["CV"] = append(got["CV"], CV(tr))
			got["CV2"] = append(got["CV2"], CV2(tr))
			got["LV"] = append(got["LV"], LV(tr))
			got["LvR"] = append(got["LvR"], LvR(tr, R))
		}
		for name, w := range want {
			m, se := meanSE(got[name])
			if se > 0.01 {
				t.Errorf("k=%d %s: standard error %.3g too large for a useful test", k, name, se)
			}
			t.Logf("k=%d %s = %.4f ± %.4f (closed form %.4f)", k, name, m, se, w)
			closeTo(t, name, m, w, 4*se)
		}
	}
}

func TestFanoHand(t *testing.T) {
	// Counts 1, 2, 3: mean 2, var (1 + 0 + 1)/(3 − 1) = 1, F = 1/2.
	closeTo(t, "FanoFactor", FanoFactor([]float64{1, 2, 3}), 0.5, 1e-15)
	// The same counts in 10 ms bins of [0, 30]: 1 | 11, 12 | 21, 22, 23.
	tr := Train{1, 11, 12, 21, 22, 23}
	closeTo(t, "FanoBins", FanoBins(tr, 0, 30, 10), 0.5, 1e-15)
	// ... and across three trains in [0, 10].
	trials := []Train{{1}, {2, 3}, {4, 5, 6, 20}}
	closeTo(t, "FanoAcross", FanoAcross(trials, 0, 10), 0.5, 1e-15)
	// A regular train with the same count in every bin: F = 0.
	var regular Train
	for k := range 100 {
		regular = append(regular, 0.5+float64(k))
	}
	closeTo(t, "Fano regular", FanoBins(regular, 0, 100, 10), 0, 0)
	for name, v := range map[string]float64{
		"one count":     FanoFactor([]float64{3}),
		"zero mean":     FanoFactor([]float64{0, 0, 0}),
		"empty train":   FanoBins(nil, 0, 100, 10),
		"one bin":       FanoBins(tr, 0, 30, 30),
		"no bin":        FanoBins(tr, 0, 30, 0),
		"one trial":     FanoAcross(trials[:1], 0, 10),
		"silent trials": FanoAcross([]Train{nil, nil}, 0, 10),
	} {
		if !math.IsNaN(v) {
			t.Errorf("Fano of %s = %g, want NaN", name, v)
		}
	}
}

// TestFanoPoisson checks that Poisson counts have Fano factor 1. For M
// Poisson(λ) counts the delta method gives Var F̂ ≈ [Var s² − 2 Cov(s², c̄)
// + Var c̄]/λ² = [(2λ² + λ) − 2λ + λ]/(Mλ²) = 2/M, so the tolerance is
// 4√(2/M).
func TestFanoPoisson(t *testing.T) {
	s := rng.New(11)
	// One train, 20 Hz for 1000 s, 50 ms bins: M = 20000 counts of mean 1.
	tr := genPoisson(&s, 20, 1e6)
	t.Logf("Fano in bins %.4f, CV %.4f", FanoBins(tr, 0, 1e6, 50), CV(tr))
	closeTo(t, "Fano in bins", FanoBins(tr, 0, 1e6, 50), 1, 4*math.Sqrt(2.0/20000))
	// 5000 trials of 100 ms at 20 Hz: M = 5000 counts of mean 2.
	trials := make([]Train, 5000)
	for i := range trials {
		trials[i] = genPoisson(&s, 20, 100)
	}
	t.Logf("Fano across trials %.4f", FanoAcross(trials, 0, 100))
	closeTo(t, "Fano across trials", FanoAcross(trials, 0, 100), 1, 4*math.Sqrt(2.0/5000))
	// The CV of the long Poisson train is 1. Delta method for n Exp(1)
	// intervals: Var s² = (μ4 − σ⁴)/n = 8/n, Var m = 1/n, Cov(s², m) =
	// μ3/n = 2/n; CV̂² ≈ s² − 2m + const, so Var CV̂² = (8 − 8 + 4)/n and
	// Var CV̂ = Var CV̂²/4 = 1/n: tolerance 4/√n.
	n := float64(len(tr) - 1)
	closeTo(t, "CV of Poisson", CV(tr), 1, 4/math.Sqrt(n))
}
