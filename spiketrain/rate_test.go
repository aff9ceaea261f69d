package spiketrain

import (
	"math"
	"testing"
)

func TestNumBins(t *testing.T) {
	for _, c := range []struct {
		start, stop, bin float64
		want             int
	}{
		{0, 1000, 0.1, 10000},
		{0, 0.3, 0.1, 3}, // 0.3/0.1 = 2.9999999999999996 in floating point
		{0, 10, 3, 3},    // the last 1 ms is not used
		{5, 15, 10, 1},
		{0, 10, 0, 0},
		{0, 10, -1, 0},
		{5, 5, 1, 0},
		{0, math.Inf(1), 1, 0},
		{0, 10, math.NaN(), 0},
	} {
		if got := NumBins(c.start, c.stop, c.bin); got != c.want {
			t.Errorf("NumBins(%g, %g, %g) = %d, want %d", c.start, c.stop, c.bin, got, c.want)
		}
	}
}

func TestBinCounts(t *testing.T) {
	// Bins [0,10) [10,20) [20,30]: 0, 0.5, 9.99 | 10 | 25, 30 (the last bin
	// is closed); −1 and 31 lie outside.
	tr := Train{-1, 0, 0.5, 9.99, 10, 25, 30, 31}
	counts := BinCounts([]float64{7, 7, 7, 7, 7}, tr, 0, 30, 10)
	want := []float64{3, 1, 2}
	rate := BinnedRate(nil, tr, 0, 30, 10)
	edges := BinEdges(nil, 0, 30, 10)
	if len(counts) != 3 || len(rate) != 3 || len(edges) != 4 {
		t.Fatalf("counts %v, rate %v, edges %v: wrong lengths", counts, rate, edges)
	}
	for k := range want {
		closeTo(t, "count", counts[k], want[k], 0)
		// count/10 ms = 100·count Hz.
		closeTo(t, "rate", rate[k], 100*want[k], 1e-12)
		closeTo(t, "edge", edges[k], 10*float64(k), 0)
	}
	closeTo(t, "last edge", edges[3], 30, 0)
	if n := len(BinCounts(nil, tr, 0, 30, 0)); n != 0 {
		t.Errorf("bin 0: %d bins, want 0", n)
	}
	// 0.1 ms bins on [0, 1]: a spike at 1 lands in the last (closed) bin.
	c := BinCounts(nil, Train{0.05, 1}, 0, 1, 0.1)
	if len(c) != 10 || c[0] != 1 || c[9] != 1 {
		t.Errorf("0.1 ms bins: %v", c)
	}
}

func TestPopulationRate(t *testing.T) {
	// Two neurons, one silent, 10 ms bins on [0, 20]: 2 spikes in the first
	// bin → 2/(2·10 ms) = 100 Hz, 1 in the second → 50 Hz.
	g := &Group{Trains: []Train{{1, 2, 15}, nil}, IDs: []int{0, 1}, Start: 0, Stop: 20}
	r := PopulationRate(nil, g, 10)
	if len(r) != 2 {
		t.Fatalf("PopulationRate = %v", r)
	}
	closeTo(t, "population rate bin 0", r[0], 100, 1e-12)
	closeTo(t, "population rate bin 1", r[1], 50, 1e-12)
	empty := &Group{Start: 0, Stop: 20}
	if r := PopulationRate(nil, empty, 10); len(r) != 2 || !math.IsNaN(r[0]) {
		t.Errorf("no neurons: %v, want NaN", r)
	}
}

func TestKernelValues(t *testing.T) {
	// Gaussian σ = 10 at 0: 1/(10√(2π)) = 0.03989422804.
	closeTo(t, "gaussian(0)", Gaussian.At(0, 10), 0.03989422804014327, 1e-15)
	// Exponential τ = 10 at 10: e^−1/10; before 0: 0; at 0: 1/τ.
	closeTo(t, "exponential(10)", Exponential.At(10, 10), math.Exp(-1)/10, 1e-15)
	closeTo(t, "exponential(−1)", Exponential.At(-1, 10), 0, 0)
	closeTo(t, "exponential(0)", Exponential.At(0, 10), 0.1, 0)
	// Alpha τ = 10 at 10: (10/100)e^−1, its peak; at 0: 0.
	closeTo(t, "alpha(10)", Alpha.At(10, 10), math.Exp(-1)/10, 1e-15)
	closeTo(t, "alpha(0)", Alpha.At(0, 10), 0, 0)
	if !math.IsNaN(Gaussian.At(0, 0)) || !math.IsNaN(Kernel(9).At(0, 1)) {
		t.Error("zero width or unknown kernel should give NaN")
	}
	for _, k := range []Kernel{Gaussian, Exponential, Alpha} {
		p, err := ParseKernel(k.String())
		if err != nil || p != k {
			t.Errorf("ParseKernel(%q) = %v, %v", k.String(), p, err)
		}
	}
	if _, err := ParseKernel("box"); err == nil {
		t.Error("ParseKernel(box) should fail")
	}

	// One spike at 100 ms, τ = 10 ms: r(110) = 1000·e^−1/10 = 36.79 Hz,
	// r(99.9) = 0; Gaussian σ = 10 at the spike: 1000/(10√(2π)) = 39.89 Hz.
	tr := Train{100}
	r := SmoothedRate(nil, tr, Exponential, 10, []float64{110, 99.9})
	closeTo(t, "exp rate at 110", r[0], 100*math.Exp(-1), 1e-12)
	closeTo(t, "exp rate at 99.9", r[1], 0, 0)
	r = SmoothedRate(r, tr, Gaussian, 10, []float64{100})
	closeTo(t, "gauss rate at 100", r[0], 39.89422804014327, 1e-12)
	r = SmoothedRate(r, tr, Alpha, 0, []float64{100})
	if !math.IsNaN(r[0]) {
		t.Errorf("zero width: %g, want NaN", r[0])
	}
}

// TestSmoothedRateIntegral checks that every kernel has unit area: the
// smoothed rate (Hz) integrated over time (s) equals the spike count. The
// spikes lie on cell edges of the midpoint rule with step h, where the
// causal kernels jump; for the exponential the rule sums to
// (x/2)/sinh(x/2) ≈ 1 − x²/24 per spike with x = h/τ (1.7e−5 for h = 0.1 ms,
// τ = 5 ms), for the alpha kernel to about 1 + x²/24. Tolerance (h/w)²/12
// per spike, twice that error.
func TestSmoothedRateIntegral(t *testing.T) {
	tr := Train{200, 210, 211, 400, 555, 556, 800}
	const h = 0.1
	var grid []float64
	for k := range int(3000 / h) {
		grid = append(grid, -500+(float64(k)+0.5)*h)
	}
	g := &Group{Trains: []Train{tr, nil, {300}}, IDs: []int{0, 1, 2}}
	var r []float64
	for _, k := range []Kernel{Gaussian, Exponential, Alpha} {
		for _, w := range []float64{5, 20} {
			r = SmoothedRate(r, tr, k, w, grid)
			integral := 0.0
			for _, v := range r {
				integral += v * h / 1000
			}
			tol := (h / w) * (h / w) / 12
			closeTo(t, k.String()+" integral", integral, float64(len(tr)), tol*float64(len(tr)))
			// Population rate per neuron: (7 + 0 + 1)/3 spikes.
			r = PopulationSmoothedRate(r, g, k, w, grid)
			integral = 0
			for _, v := range r {
				integral += v * h / 1000
			}
			closeTo(t, k.String()+" population integral", integral, 8.0/3, tol*8.0/3)
		}
	}
}

func TestPSTH(t *testing.T) {
	// Four trials at events 100, 300, 500, 700 ms. Every trial has a spike
	// 5 ms after the event; the first two also one at +15 ms; a spike at
	// 50 ms lies outside every window [e − 20, e + 30].
	events := []float64{100, 300, 500, 700}
	tr := Train{50, 105, 115, 305, 315, 505, 705}
	p, err := NewPSTH(tr, events, -20, 30, 10)
	if err != nil {
		t.Fatal(err)
	}
	// Bins [−20,−10) [−10,0) [0,10) [10,20) [20,30].
	// Bin [0,10): 1 spike in each trial → 1/10 ms = 100 Hz, SEM 0.
	// Bin [10,20): rates 100, 100, 0, 0 Hz → mean 50; Σ(x − 50)² = 10000,
	// SD = √(10000/3) = 57.735, SEM = SD/√4 = 28.8675.
	wantRate := []float64{0, 0, 100, 50, 0}
	wantSEM := []float64{0, 0, 0, math.Sqrt(10000.0/3) / 2, 0}
	if p.Trials != 4 || len(p.Edges) != 6 || len(p.Rate) != 5 || len(p.SEM) != 5 {
		t.Fatalf("PSTH %+v", p)
	}
	for k := range wantRate {
		closeTo(t, "edge", p.Edges[k], -20+10*float64(k), 1e-12)
		closeTo(t, "PSTH rate", p.Rate[k], wantRate[k], 1e-12)
		closeTo(t, "PSTH SEM", p.SEM[k], wantSEM[k], 1e-12)
	}
	one, err := NewPSTH(tr, events[:1], -20, 30, 10)
	if err != nil || !math.IsNaN(one.SEM[2]) || one.Rate[2] != 100 || one.Rate[3] != 100 {
		t.Errorf("one trial: %+v, %v", one, err)
	}
	for name, f := range map[string]func() error{
		"no event":      func() error { _, err := NewPSTH(tr, nil, -20, 30, 10); return err },
		"empty window":  func() error { _, err := NewPSTH(tr, events, 30, 30, 10); return err },
		"bin too large": func() error { _, err := NewPSTH(tr, events, -20, 30, 60); return err },
		"zero bin":      func() error { _, err := NewPSTH(tr, events, -20, 30, 0); return err },
		"NaN event":     func() error { _, err := NewPSTH(tr, []float64{math.NaN()}, -20, 30, 10); return err },
	} {
		if f() == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
