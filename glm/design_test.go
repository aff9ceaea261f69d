package glm

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/hebb-snn/hebb/rng"
	"github.com/hebb-snn/hebb/spiketrain"
)

func TestBin(t *testing.T) {
	train := spiketrain.Train{-1, 0, 0.5, 1.0, 2.999, 3.0, 9.99, 10}
	got, err := Bin(train, 0, 10, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{2, 1, 1, 1, 0, 0, 0, 0, 0, 1}
	if !slices.Equal(got, want) {
		t.Errorf("Bin = %v, want %v", got, want)
	}
	// An incomplete last bin is dropped; 0.3 ms / 0.1 ms is 3 bins, not 2.
	if got, _ := Bin(train, 0, 10.5, 1); len(got) != 10 {
		t.Errorf("window 10.5 ms: %d bins, want 10", len(got))
	}
	if got, _ := Bin(spiketrain.Train{0.1, 0.2}, 0, 0.3, 0.1); !slices.Equal(got, []float64{0, 1, 1}) {
		t.Errorf("0.1 ms bins: %v, want [0 1 1]", got)
	}
	if got, err := Bin(nil, 0, 5, 1); err != nil || !slices.Equal(got, make([]float64, 5)) {
		t.Errorf("empty train: %v, %v", got, err)
	}
	for _, w := range [][3]float64{{0, 10, 0}, {0, 10, -1}, {5, 5, 1}, {5, 4, 1}, {0, 0.5, 1}, {math.NaN(), 1, 1}, {0, math.Inf(1), 1}} {
		if _, err := Bin(train, w[0], w[1], w[2]); err == nil {
			t.Errorf("Bin(start %g, stop %g, dt %g): no error", w[0], w[1], w[2])
		}
	}
}

func TestHistoryHand(t *testing.T) {
	y := []float64{1, 0, 2, 0, 0, 1}
	b, _ := Boxes(2, 1, 1) // indicators of lag 1 and lag 2
	d, err := NewDesign(len(y), 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.AddIntercept(); err != nil {
		t.Fatal(err)
	}
	if err := d.AddHistory("h", y, b); err != nil {
		t.Fatal(err)
	}
	if err := d.AddCoupling("c", []float64{0, 0, 0, 0, 1, 0}, b); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(d.Names(), []string{"intercept", "h[0]", "h[1]", "c[0]", "c[1]"}) {
		t.Errorf("names %v", d.Names())
	}
	want := [][]float64{
		{1, 1, 1, 1, 1, 1},
		{0, 1, 0, 2, 0, 0}, // y(t−1)
		{0, 0, 1, 0, 2, 0}, // y(t−2)
		{0, 0, 0, 0, 0, 1},
		{0, 0, 0, 0, 0, 0}, // the lag-2 effect of the spike in bin 4 falls after the data
	}
	for j := range want {
		if !slices.Equal(d.Column(j), want[j]) {
			t.Errorf("column %s = %v, want %v", d.Names()[j], d.Column(j), want[j])
		}
	}
	if d.Penalised(0) || !d.Penalised(1) || d.Penalised(9) || d.Column(9) != nil {
		t.Error("Penalised/Column: intercept must be unpenalised, out-of-range j handled")
	}
}

// TestHistoryDirect compares the sparse causal convolution with the
// direct O(T·L) sum x_j(t) = Σ_{l=1}^{L} b_j(l)·y(t−l).
func TestHistoryDirect(t *testing.T) {
	r := rng.New(7)
	const n = 3000
	y := make([]float64, n)
	for i := range y {
		y[i] = float64(r.Poisson(0.05))
	}
	b, err := RaisedCosine(5, 0.5, 20, 1, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	d, _ := NewDesign(n, 0.5)
	if err := d.AddHistory("h", y, b); err != nil {
		t.Fatal(err)
	}
	worst := 0.0
	for j, f := range b.Funcs {
		x := d.Column(j)
		for tt := range n {
			s := 0.0
			for l := 1; l <= len(f) && l <= tt; l++ {
				s += f[l-1] * y[tt-l]
			}
			worst = math.Max(worst, math.Abs(s-x[tt]))
		}
	}
	if worst > 1e-12 {
		t.Errorf("max |sparse − direct| = %g", worst)
	}
}

func TestDesignErrors(t *testing.T) {
	if _, err := NewDesign(0, 1); err == nil {
		t.Error("0 rows: no error")
	}
	if _, err := NewDesign(5, 0); err == nil {
		t.Error("dt 0: no error")
	}
	d, _ := NewDesign(4, 1)
	b1, _ := Boxes(2, 1, 1)
	b2, _ := Boxes(2, 2, 2)
	checks := []struct {
		what string
		err  error
	}{
		{"short covariate", d.AddCovariate("x", []float64{1, 2})},
		{"NaN covariate", d.AddCovariate("x", []float64{1, 2, math.NaN(), 0})},
		{"unnamed", d.AddCovariate("", []float64{1, 2, 3, 4})},
		{"basis of another dt", d.AddHistory("h", []float64{0, 1, 0, 0}, b2)},
		{"nil basis", d.AddHistory("h", []float64{0, 1, 0, 0}, nil)},
		{"short counts", d.AddHistory("h", []float64{0, 1}, b1)},
		{"Inf counts", d.AddCoupling("h", []float64{0, math.Inf(1), 0, 0}, b1)},
	}
	for _, c := range checks {
		if c.err == nil {
			t.Errorf("%s: no error", c.what)
		}
	}
	if d.Cols() != 0 {
		t.Errorf("failed Adds left %d columns", d.Cols())
	}
	if err := d.AddCovariate("x", []float64{1, 2, 3, 4}); err != nil {
		t.Fatal(err)
	}
	if err := d.AddCovariate("x", []float64{1, 2, 3, 4}); err == nil || !strings.Contains(err.Error(), "already") {
		t.Errorf("duplicate name: %v", err)
	}
	if err := d.AddIntercept(); err != nil {
		t.Fatal(err)
	}
	if err := d.AddIntercept(); err == nil {
		t.Error("second intercept: no error")
	}
}
