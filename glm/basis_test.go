package glm

import (
	"math"
	"slices"
	"testing"
)

func TestRaisedCosineHand(t *testing.T) {
	// n = 3, first = 0, last = 8 ms, c = 1 ms: φ = log(τ + 1), peaks at
	// φ = 0, log 3, log 9 (τ = 0, 2, 8 ms), Δφ = log 3; the support ends
	// at exp(log 9 + 2 log 3) − 1 = 80 ms, so L = 79 lags of 1 ms.
	b, err := RaisedCosine(3, 0, 8, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	if b.Len() != 3 || b.Lags() != 79 {
		t.Fatalf("got %d functions, %d lags; want 3, 79", b.Len(), b.Lags())
	}
	at := func(j int, lagMs int) float64 { return b.Funcs[j][lagMs-1] }
	l3 := math.Log(3)
	cases := []struct {
		j, lag int
		want   float64
	}{
		{1, 2, 1}, {0, 2, 0.5}, {2, 2, 0.5}, // peak of b1, half of its neighbours
		{2, 8, 1}, {1, 8, 0.5}, {0, 8, 0}, // b0 ends at τ = 8 (x = π)
		{2, 26, 0.5}, // log 27 − log 9 = Δφ
		{0, 1, 0.5 * (1 + math.Cos(math.Log(2)*math.Pi/(2*l3)))},
		{2, 79, 0.5 * (1 + math.Cos((math.Log(80)-math.Log(9))*math.Pi/(2*l3)))},
	}
	for _, c := range cases {
		if got := at(c.j, c.lag); math.Abs(got-c.want) > 1e-14 {
			t.Errorf("b%d(%d ms) = %.16g, want %.16g", c.j, c.lag, got, c.want)
		}
	}
	if got := b.LagTimes(); got[0] != 1 || got[78] != 79 {
		t.Errorf("lag times %v … %v, want 1 … 79 ms", got[0], got[78])
	}
	// With dt = 0.5 ms the same functions are sampled twice as densely.
	b2, err := RaisedCosine(3, 0, 8, 1, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	want15 := 0.5 * (1 + math.Cos((math.Log(2.5)-l3)*math.Pi/(2*l3))) // b1 at τ = 1.5 ms
	if b2.Lags() != 159 || math.Abs(b2.Funcs[1][3]-1) > 1e-14 || math.Abs(b2.Funcs[1][2]-want15) > 1e-14 {
		t.Errorf("dt = 0.5 ms: %d lags, b1(2 ms) = %g, b1(1.5 ms) = %g", b2.Lags(), b2.Funcs[1][3], b2.Funcs[1][2])
	}
	// Combine: the filter of coefficients (1, −2, 0.5).
	f := b.Combine([]float64{1, -2, 0.5})
	if math.Abs(f[1]-(0.5-2+0.25)) > 1e-14 || b.Combine([]float64{1}) != nil {
		t.Errorf("Combine: f(2 ms) = %g, want %g", f[1], 0.5-2+0.25)
	}
	for _, bad := range [][4]float64{{1, 8, 1, 1}, {0, 0, 1, 1}, {-1, 8, 1, 1}, {0, 8, 0, 1}, {0, 8, 1, 0}, {0, math.Inf(1), 1, 1}, {math.NaN(), 8, 1, 1}} {
		n := 3
		if bad[0] == 1 && bad[1] == 8 {
			n = 1
		}
		if _, err := RaisedCosine(n, bad[0], bad[1], bad[2], bad[3]); err == nil {
			t.Errorf("RaisedCosine(%d, %v): no error", n, bad)
		}
	}
}

func TestBoxes(t *testing.T) {
	b, err := Boxes(3, 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]float64{{1, 1, 0, 0, 0, 0}, {0, 0, 1, 1, 0, 0}, {0, 0, 0, 0, 1, 1}}
	for j := range want {
		if !slices.Equal(b.Funcs[j], want[j]) {
			t.Errorf("box %d = %v, want %v", j, b.Funcs[j], want[j])
		}
	}
	// Width 2.5 ms on 1 ms bins: box 0 holds lags 1, 2 (≤ 2.5 ms), box 1
	// lags 3, 4, 5 (2.5 < τ ≤ 5 ms).
	b, err = Boxes(2, 2.5, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(b.Funcs[0], []float64{1, 1, 0, 0, 0}) || !slices.Equal(b.Funcs[1], []float64{0, 0, 1, 1, 1}) {
		t.Errorf("boxes of 2.5 ms: %v", b.Funcs)
	}
	// Widths that are multiples of a fractional dt must not lose a lag to
	// rounding: 3 boxes of 0.3 ms on 0.1 ms bins are 9 lags, 3 each.
	b, err = Boxes(3, 0.3, 0.1)
	if err != nil {
		t.Fatal(err)
	}
	for j, f := range b.Funcs {
		s := 0.0
		for l, v := range f {
			s += v
			if v == 1 && (l/3 != j) {
				t.Errorf("0.3 ms boxes: box %d holds lag %d", j, l+1)
			}
		}
		if s != 3 || len(f) != 9 {
			t.Errorf("0.3 ms boxes: box %d has %g lags of %d", j, s, len(f))
		}
	}
	for _, bad := range [][3]float64{{0, 1, 1}, {2, 0.5, 1}, {2, 1, 0}, {2, math.NaN(), 1}} {
		if _, err := Boxes(int(bad[0]), bad[1], bad[2]); err == nil {
			t.Errorf("Boxes(%v): no error", bad)
		}
	}
}

func TestWithRefractory(t *testing.T) {
	b, _ := Boxes(2, 3, 1) // lags 1–3 and 4–6
	r, err := b.WithRefractory(2)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]float64{{1, 0, 0, 0, 0, 0}, {0, 1, 0, 0, 0, 0}, {0, 0, 1, 0, 0, 0}, {0, 0, 0, 1, 1, 1}}
	for j := range want {
		if !slices.Equal(r.Funcs[j], want[j]) {
			t.Errorf("function %d = %v, want %v", j, r.Funcs[j], want[j])
		}
	}
	if b.Funcs[0][0] != 1 {
		t.Error("WithRefractory changed the original basis")
	}
	// Box 0 (lags 1–3) is zero after 5 refractory lags.
	if _, err := b.WithRefractory(5); err == nil {
		t.Error("k = 5: no error")
	}
	// Box 0 of Boxes(2, 2, 1) lies entirely within 2 refractory lags.
	b, _ = Boxes(2, 2, 1)
	if _, err := b.WithRefractory(2); err == nil {
		t.Error("a function zeroed by the refractory lags: no error")
	}
	if _, err := b.WithRefractory(0); err == nil {
		t.Error("k = 0: no error")
	}
}
