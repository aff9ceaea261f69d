package pointprocess

import (
	"math"
	"testing"

	"github.com/hebb-snn/hebb/rng"
)

// sampleMoments returns the mean, the variance (n − 1) and the standard
// error of the variance, √((m4 − s⁴)/n) with m4 the fourth central moment.
func sampleMoments(x []float64) (mean, variance, seVar float64) {
	n := float64(len(x))
	for _, v := range x {
		mean += v
	}
	mean /= n
	var m2, m4 float64
	for _, v := range x {
		d := (v - mean) * (v - mean)
		m2 += d
		m4 += d * d
	}
	variance = m2 / (n - 1)
	m4 /= n
	seVar = math.Sqrt(math.Max(0, m4-variance*variance) / n)
	return mean, variance, seVar
}

// checkTrain fails unless train is sorted and inside [t0, t1).
func checkTrain(t *testing.T, name string, train []float64, t0, t1 float64) {
	t.Helper()
	for k, x := range train {
		if x < t0 || x >= t1 || (k > 0 && x < train[k-1]) {
			t.Fatalf("%s: event %d at %g ms out of order or outside [%g, %g)", name, k, x, t0, t1)
		}
	}
}

func TestPoissonCountMoments(t *testing.T) {
	// rate 0.02 /ms (20 Hz) on [100, 1100) ms: counts Poisson(20).
	s := rng.New(1, 101)
	const trials, rate, t0, t1 = 5000, 0.02, 100.0, 1100.0
	counts := make([]float64, trials)
	var buf []float64
	for k := range counts {
		var err error
		buf, err = Poisson(buf[:0], &s, rate, t0, t1)
		if err != nil {
			t.Fatal(err)
		}
		checkTrain(t, "Poisson", buf, t0, t1)
		counts[k] = float64(len(buf))
	}
	mean, variance, _ := sampleMoments(counts)
	want := rate * (t1 - t0)
	// SE of the mean √(20/5000) = 0.063; SE of var/mean ≈ √(2/n) = 0.02.
	if se := math.Sqrt(want / trials); math.Abs(mean-want) > 4*se {
		t.Errorf("mean count %.3f, want %.0f ± %.3f", mean, want, 4*se)
	}
	if f := variance / mean; math.Abs(f-1) > 4*math.Sqrt(2.0/trials) {
		t.Errorf("Fano factor %.3f, want 1 ± %.3f", f, 4*math.Sqrt(2.0/trials))
	}
	t.Logf("mean %.3f (want 20), Fano %.4f", mean, variance/mean)
}

func TestPoissonEdges(t *testing.T) {
	s := rng.New(1, 102)
	prefix := []float64{-5}
	out, err := Poisson(prefix, &s, 0.1, 0, 100)
	if err != nil || out[0] != -5 || len(out) < 2 {
		t.Fatalf("append to dst: %v %v", out[:1], err)
	}
	for _, c := range []struct{ rate, t0, t1 float64 }{{0, 0, 100}, {1, 10, 10}, {1, 10, 5}} {
		out, err := Poisson(nil, &s, c.rate, c.t0, c.t1)
		if err != nil || len(out) != 0 {
			t.Errorf("Poisson(%g, [%g, %g)) = %v, %v; want no events", c.rate, c.t0, c.t1, out, err)
		}
	}
	for _, c := range []struct{ rate, t0, t1 float64 }{{-1, 0, 1}, {math.NaN(), 0, 1}, {math.Inf(1), 0, 1}, {1, 0, math.Inf(1)}, {1, math.NaN(), 1}} {
		out, err := Poisson(prefix, &s, c.rate, c.t0, c.t1)
		if err == nil || len(out) != 1 {
			t.Errorf("Poisson(%g, [%g, %g)) = %v, %v; want an error and dst unchanged", c.rate, c.t0, c.t1, out, err)
		}
	}
}

// sinusoid is λ(t) = r·(1 + m·sin(2πt/P)) with its integral from 0.
type sinusoid struct{ r, m, p float64 }

func (q sinusoid) rate(t float64) float64 { return q.r * (1 + q.m*math.Sin(2*math.Pi*t/q.p)) }
func (q sinusoid) cum(t float64) float64 {
	return q.r * (t - q.m*q.p/(2*math.Pi)*(math.Cos(2*math.Pi*t/q.p)-1))
}

func TestInhomogeneousPoissonPhase(t *testing.T) {
	// λ(t) = 0.05·(1 + 0.8·sin(2πt/100 ms)) /ms on [0, 2·10⁵) ms:
	// 10⁴ events in 2000 periods. The count in phase bin b is Poisson with
	// mean 2000·(Λ((b+1)·10 ms) − Λ(b·10 ms)).
	q := sinusoid{r: 0.05, m: 0.8, p: 100}
	const T, bins = 2e5, 10
	s := rng.New(1, 103)
	ev, err := InhomogeneousPoisson(nil, &s, q.rate, q.r*(1+q.m), 0, T)
	if err != nil {
		t.Fatal(err)
	}
	checkTrain(t, "InhomogeneousPoisson", ev, 0, T)
	var got [bins]float64
	for _, x := range ev {
		ph := math.Mod(x, q.p) / q.p
		got[int(ph*bins)]++
	}
	chi2 := 0.0
	for b := range bins {
		w := q.p / bins
		want := T / q.p * (q.cum(float64(b+1)*w) - q.cum(float64(b)*w))
		if math.Abs(got[b]-want) > 4*math.Sqrt(want) {
			t.Errorf("phase bin %d: %g events, want %.1f ± %.1f", b, got[b], want, 4*math.Sqrt(want))
		}
		chi2 += (got[b] - want) * (got[b] - want) / want
	}
	// χ² with 10 degrees of freedom: 99.9% quantile 29.6.
	if chi2 > 29.6 {
		t.Errorf("χ² over phase bins %.1f > 29.6", chi2)
	}
	t.Logf("%d events, χ²(10) = %.2f", len(ev), chi2)

	// Time rescaling with the true compensator passes; with a constant
	// rate of the same mean it fails.
	cum := make([]float64, len(ev))
	flat := make([]float64, len(ev))
	for k, x := range ev {
		cum[k] = q.cum(x)
		flat[k] = q.r * x
	}
	good := KSTest(Rescale(nil, cum, 0))
	bad := KSTest(Rescale(nil, flat, 0))
	if !good.Pass() || good.P < 0.01 {
		t.Errorf("true intensity: KS D = %.4f (bound %.4f), p = %.3g; want a pass", good.D, good.Bound95, good.P)
	}
	if bad.Pass() || bad.P > 1e-6 {
		t.Errorf("constant rate: KS D = %.4f (bound %.4f), p = %.3g; want a clear failure", bad.D, bad.Bound95, bad.P)
	}
	t.Logf("KS true: D = %.4f p = %.3f; constant: D = %.4f p = %.2g", good.D, good.P, bad.D, bad.P)
}

func TestInhomogeneousPoissonBound(t *testing.T) {
	s := rng.New(1, 104)
	prefix := []float64{1, 2}
	cases := map[string]func(float64) float64{
		"above bound": func(t float64) float64 { return 0.1 + 0.001*t }, // exceeds 0.2 after 100 ms
		"negative":    func(t float64) float64 { return 0.1 * math.Sin(t/50) },
		"NaN":         func(t float64) float64 { return math.NaN() },
	}
	for name, f := range cases {
		out, err := InhomogeneousPoisson(prefix, &s, f, 0.2, 0, 1000)
		if err == nil || len(out) != 2 {
			t.Errorf("%s: got %d events, err %v; want an error and dst unchanged", name, len(out), err)
		}
	}
	calls := 0
	out, err := InhomogeneousPoisson(nil, &s, func(float64) float64 { calls++; return 0 }, 0, 0, 1000)
	if err != nil || len(out) != 0 || calls != 0 {
		t.Errorf("lambdaMax 0: %v %v, %d calls", out, err, calls)
	}
	if _, err := InhomogeneousPoisson(nil, &s, func(float64) float64 { return 0 }, -1, 0, 1); err == nil {
		t.Error("negative lambdaMax accepted")
	}
}
