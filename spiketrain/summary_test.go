package spiketrain

import (
	"math"
	"strings"
	"testing"

	"github.com/hebb-snn/hebb/rng"
)

func TestSummarizeHand(t *testing.T) {
	// Window [0, 100] ms, 25 ms bins.
	//   neuron 0: 10, 20, 40, 70  (ISIs 10, 20, 30; counts 2, 1, 1, 0)
	//   neuron 1: silent          (counts 0, 0, 0, 0)
	//   neuron 2: 50, 100         (counts 0, 0, 1, 1: the last bin is closed)
	//   neuron 3: 120             (outside the window: silent here)
	g := &Group{
		Name:   "E",
		IDs:    []int{0, 1, 2, 3},
		Trains: []Train{{10, 20, 40, 70}, nil, {50, 100}, {120}},
		Start:  0, Stop: 100,
	}
	s := Summarize(g, 25)
	if s.Name != "E" || s.Neurons != 4 || s.Active != 2 || s.Spikes != 6 || s.ISINeurons != 1 {
		t.Errorf("counts: %+v", s)
	}
	closeTo(t, "duration", s.Duration, 100, 0)
	// Rates 40, 0, 20, 0 Hz: mean 15; deviations 25, −15, 5, −15,
	// Σd² = 625 + 225 + 25 + 225 = 1100, SD = √(1100/3) = 19.149.
	closeTo(t, "rate", s.Rate, 15, 1e-12)
	closeTo(t, "rate SD", s.RateSD, math.Sqrt(1100.0/3), 1e-12)
	// Neuron 0: mean ISI 20, var (100 + 0 + 100)/3, CV = √(200/3)/20 = 0.40825;
	// CV2 = (2·10/30 + 2·10/50)/2 = 0.53333; LV = 1.5·((1/3)² + (1/5)²) = 0.22667.
	closeTo(t, "CV", s.CV, math.Sqrt(200.0/3)/20, 1e-12)
	closeTo(t, "CV2", s.CV2, (20.0/30+20.0/50)/2, 1e-12)
	closeTo(t, "LV", s.LV, 1.5*(1.0/9+1.0/25), 1e-12)
	// Fano: neuron 0 counts 2,1,1,0: mean 1, var (1+0+0+1)/3 → 2/3;
	// neuron 2 counts 0,0,1,1: mean ½, var 1/3 → 2/3; neurons 1, 3 undefined.
	closeTo(t, "Fano", s.Fano, 2.0/3, 1e-12)
	// χ: population mean counts (2,1,2,1)/4 → variance (1/8)² = 1/64;
	// single variances (n normalisation) ½, 0, ¼, 0 → mean 3/16;
	// χ² = (1/64)/(3/16) = 1/12.
	closeTo(t, "χ", s.Chi, math.Sqrt(1.0/12), 1e-12)
	if str := s.String(); !strings.HasPrefix(str, "E: 4 neurons (2 active), 6 spikes in 100 ms, rate 15 ± 19 Hz") {
		t.Errorf("String() = %q", str)
	}

	// Degenerate groups give NaN, not a panic.
	for name, g := range map[string]*Group{
		"no neurons": {Name: "x", Start: 0, Stop: 100},
		"silent":     {Name: "x", Trains: []Train{nil, nil}, IDs: []int{0, 1}, Start: 0, Stop: 100},
		"no window":  {Name: "x", Trains: []Train{{1, 2, 3}}, IDs: []int{0}, Start: 5, Stop: 5},
	} {
		s := Summarize(g, 10)
		if !math.IsNaN(s.CV) || !math.IsNaN(s.Fano) || !math.IsNaN(s.Chi) {
			t.Errorf("%s: %+v, want NaN statistics", name, s)
		}
		_ = s.String()
	}
}

// TestSummarizePoisson: 40 independent Poisson neurons at 10 Hz for 50 s.
// Tolerances, 4 standard errors each: the rate from ~20000 spikes,
// SE = 10/√20000 Hz; the mean of 40 per-neuron CVs (500 intervals each,
// SE 1/√500 per neuron, see TestFanoPoisson) → SE 1/√20000; Fano of 500
// counts per neuron (SE √(2/500)) averaged over 40 → SE √(2/20000); χ² =
// 1/N with relative SE √(2/M + 1/(λM)), M = 500 bins, λ = 40 counts per
// bin, and χ half of it.
func TestSummarizePoisson(t *testing.T) {
	const N, rate, T, bin = 40, 10.0, 50000.0, 100.0
	g := &Group{Name: "P", Start: 0, Stop: T}
	for i := range N {
		s := rng.New(31, uint64(i))
		g.Trains = append(g.Trains, genPoisson(&s, rate, T))
		g.IDs = append(g.IDs, i)
	}
	s := Summarize(g, bin)
	t.Logf("%v", s)
	closeTo(t, "rate", s.Rate, rate, 4*rate/math.Sqrt(N*rate*T/1000))
	closeTo(t, "CV", s.CV, 1, 4/math.Sqrt(N*rate*T/1000))
	closeTo(t, "Fano", s.Fano, 1, 4*math.Sqrt(2/(N*T/bin)))
	M, lambda := T/bin, N*rate*bin/1000
	closeTo(t, "χ", s.Chi, 1/math.Sqrt(N), 4*0.5*math.Sqrt(2/M+1/(lambda*M))/math.Sqrt(N))
	if s.Active != N || s.ISINeurons != N {
		t.Errorf("active %d, ISI neurons %d, want %d", s.Active, s.ISINeurons, N)
	}
}

func TestISIHistogram(t *testing.T) {
	// Intervals 1, 2, 3 and 2. Bins of 1 ms up to 3 ms: [0,1) [1,2) [2,3];
	// 3 falls in the closed last bin.
	trains := []Train{{0, 1, 3, 6}, {10, 12}, {5}}
	for _, max := range []float64{3, 0, 2.5} { // 0: the longest interval, 3
		edges, counts := ISIHistogram(trains, 1, max)
		if len(edges) != 4 || len(counts) != 3 || counts[0] != 0 || counts[1] != 1 || counts[2] != 3 {
			t.Errorf("max %g: edges %v counts %v, want edges 0..3, counts 0 1 3", max, edges, counts)
		}
	}
	// Up to 2 ms: [0,1) [1,2]; the interval of 3 ms is left out.
	edges, counts := ISIHistogram(trains, 1, 2)
	if len(edges) != 3 || edges[2] != 2 || counts[0] != 0 || counts[1] != 3 {
		t.Errorf("max 2: edges %v counts %v", edges, counts)
	}
	if e, c := ISIHistogram(trains, 0, 3); e != nil || c != nil {
		t.Error("bin 0 should give nil")
	}
	if e, c := ISIHistogram([]Train{{1}}, 1, 0); e != nil || c != nil {
		t.Error("no interval and no max should give nil")
	}
}
