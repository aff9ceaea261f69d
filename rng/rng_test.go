package rng

import (
	"math"
	"testing"
)

func TestDeriveDistinct(t *testing.T) {
	seen := map[uint64]bool{}
	for seed := uint64(0); seed < 4; seed++ {
		for k := uint64(0); k < 1000; k++ {
			h := Derive(seed, KeyNeuron, k)
			if seen[h] {
				t.Fatalf("collision at seed %d key %d", seed, k)
			}
			seen[h] = true
		}
	}
	if Derive(1, 2, 3) == Derive(1, 3, 2) {
		t.Fatal("key order must matter")
	}
}

func TestReproducible(t *testing.T) {
	a, b := New(42, 1, 2), New(42, 1, 2)
	for i := 0; i < 100; i++ {
		if a.Uint64() != b.Uint64() {
			t.Fatal("same seed and keys must give the same stream")
		}
	}
}

// moments draws n values and returns their mean and variance.
func moments(n int, draw func() float64) (mean, variance float64) {
	var s, s2 float64
	for i := 0; i < n; i++ {
		x := draw()
		s += x
		s2 += x * x
	}
	mean = s / float64(n)
	return mean, s2/float64(n) - mean*mean
}

func TestDistributions(t *testing.T) {
	const n = 200000
	st := New(7)
	check := func(name string, m, v, wantM, wantV float64) {
		t.Helper()
		// Mean within 5 standard errors; variance within 3%.
		if se := math.Sqrt(wantV / n); math.Abs(m-wantM) > 5*se {
			t.Errorf("%s: mean %g, want %g ± %g", name, m, wantM, 5*se)
		}
		if math.Abs(v-wantV) > 0.03*wantV {
			t.Errorf("%s: variance %g, want %g", name, v, wantV)
		}
	}
	m, v := moments(n, st.Float64)
	check("uniform", m, v, 0.5, 1.0/12)
	m, v = moments(n, st.Normal)
	check("normal", m, v, 0, 1)
	m, v = moments(n, st.Exp)
	check("exp", m, v, 1, 1)
	for _, lam := range []float64{0.05, 3, 29.9, 30, 250} {
		m, v = moments(n, func() float64 { return float64(st.Poisson(lam)) })
		check("poisson", m, v, lam, lam)
	}
	for _, c := range []struct {
		n int
		p float64
	}{{10, 0.1}, {1000, 0.02}, {50, 0.7}} {
		m, v = moments(n/10, func() float64 { return float64(st.Binomial(c.n, c.p)) })
		np := float64(c.n) * c.p
		if math.Abs(m-np) > 5*math.Sqrt(np*(1-c.p)/(n/10)) || math.Abs(v-np*(1-c.p)) > 0.06*np*(1-c.p) {
			t.Errorf("binomial(%d,%g): mean %g var %g", c.n, c.p, m, v)
		}
	}
	counts := make([]int, 7)
	for i := 0; i < 70000; i++ {
		counts[st.IntN(7)]++
	}
	for k, c := range counts {
		if math.Abs(float64(c)-10000) > 500 {
			t.Errorf("IntN(7): value %d drawn %d times, want about 10000", k, c)
		}
	}
}

func TestNoAlloc(t *testing.T) {
	s := New(1)
	if a := testing.AllocsPerRun(100, func() { s.Poisson(3); s.Normal(); s.Float64() }); a != 0 {
		t.Fatalf("allocations per draw: %g", a)
	}
}
