package plasticity_test

import (
	"math"
	"testing"

	"github.com/hebb-snn/hebb/param"
	"github.com/hebb-snn/hebb/plasticity"
	"github.com/hebb-snn/hebb/synapse"
)

// tripletRule returns the registered triplet rule.
func tripletRule(t *testing.T) *plasticity.Rule {
	t.Helper()
	r, ok := plasticity.Lookup("triplet")
	if !ok {
		t.Fatalf("triplet not registered (have %v)", plasticity.Names())
	}
	return r
}

// tripletValues returns the rule's defaults with the given words and
// numbers set, as a model file would.
func tripletValues(r *plasticity.Rule, words map[string]string, nums map[string]float64) param.Values {
	v := r.Schema.Defaults()
	for k, w := range words {
		v[k] = param.Value{Word: w}
	}
	for k, x := range nums {
		v[k] = param.Value{Num: x}
	}
	return v
}

// Every preset and pairing gives its row of Pfister & Gerstner (2006),
// Table 3 (visual cortex) or Table 4 (hippocampus), with τ₊ = 16.8 ms and
// τ₋ = 33.7 ms; the default is the visual-cortex minimal all-to-all model;
// given amplitudes and time constants override the row; the amplitudes
// and time constants are optional (absent from the defaults) and scale is
// a required weight.
func TestTripletPresets(t *testing.T) {
	r := tripletRule(t)
	want := map[[2]string]plasticity.Triplet{
		{"visual_cortex_minimal", "all_to_all"}: {A2Plus: 0, A3Plus: 6.5e-3, A2Minus: 7.1e-3, A3Minus: 0, TauX: 101, TauY: 114},
		{"visual_cortex_full", "all_to_all"}:    {A2Plus: 5e-10, A3Plus: 6.2e-3, A2Minus: 7e-3, A3Minus: 2.3e-4, TauX: 101, TauY: 125},
		{"visual_cortex_minimal", "nearest"}:    {A2Plus: 0, A3Plus: 5e-2, A2Minus: 8e-3, A3Minus: 0, TauX: 714, TauY: 40},
		{"visual_cortex_full", "nearest"}:       {A2Plus: 8.8e-11, A3Plus: 5.3e-2, A2Minus: 6.6e-3, A3Minus: 3.1e-3, TauX: 714, TauY: 40},
		{"hippocampal_minimal", "all_to_all"}:   {A2Plus: 5.3e-3, A3Plus: 8e-3, A2Minus: 3.5e-3, A3Minus: 0, TauX: 946, TauY: 40},
		{"hippocampal_full", "all_to_all"}:      {A2Plus: 6.1e-3, A3Plus: 6.7e-3, A2Minus: 1.6e-3, A3Minus: 1.4e-3, TauX: 946, TauY: 27},
		{"hippocampal_minimal", "nearest"}:      {A2Plus: 4.6e-3, A3Plus: 9.1e-3, A2Minus: 3e-3, A3Minus: 0, TauX: 575, TauY: 48},
		{"hippocampal_full", "nearest"}:         {A2Plus: 4.6e-3, A3Plus: 9.1e-3, A2Minus: 3e-3, A3Minus: 7.5e-9, TauX: 575, TauY: 47},
	}
	d, _ := r.Schema.Def("preset")
	if len(d.Choices) != 4 {
		t.Errorf("presets %v, want 4", d.Choices)
	}
	for _, preset := range d.Choices {
		for _, pairing := range []string{"all_to_all", "nearest"} {
			w, ok := want[[2]string{preset, pairing}]
			if !ok {
				t.Fatalf("unexpected preset %s", preset)
			}
			w.TauPlus, w.TauMinus = 16.8, 33.7
			got, err := plasticity.TripletParams(tripletValues(r, map[string]string{"preset": preset, "pairing": pairing}, nil))
			if err != nil || got != w {
				t.Errorf("%s, %s: %+v (%v), want %+v", preset, pairing, got, err, w)
			}
		}
	}
	def := r.Schema.Defaults()
	if def.Word("preset") != "visual_cortex_minimal" || def.Word("pairing") != "all_to_all" {
		t.Errorf("default preset %q, pairing %q", def.Word("preset"), def.Word("pairing"))
	}
	for _, name := range []string{"A2_plus", "A3_plus", "A2_minus", "A3_minus", "tau_plus", "tau_minus", "tau_x", "tau_y", "scale"} {
		if def.Has(name) {
			t.Errorf("%s has a default; it must be absent unless given", name)
		}
	}
	if s, _ := r.Schema.Def("scale"); !s.Required || s.Unit != param.WeightUnit {
		t.Errorf("scale: required %v, unit %q; want a required weight", s.Required, s.Unit)
	}
	got, _ := plasticity.TripletParams(tripletValues(r, map[string]string{"preset": "hippocampal_full"},
		map[string]float64{"A2_plus": 1e-3, "A3_minus": 0, "tau_plus": 10, "tau_y": 50}))
	if w := (plasticity.Triplet{A2Plus: 1e-3, A3Plus: 6.7e-3, A2Minus: 1.6e-3, A3Minus: 0, TauPlus: 10, TauMinus: 33.7, TauX: 946, TauY: 50}); got != w {
		t.Errorf("overrides: %+v, want %+v", got, w)
	}
	if _, err := plasticity.TripletParams(tripletValues(r, map[string]string{"preset": "cerebellum"}, nil)); err == nil {
		t.Error("an unknown preset was accepted")
	}
}

// tripletBlock is one source connected to n targets, weights w0.
func tripletBlock(n int, sign int8, w0, wmin, wmax float32) *synapse.Block {
	b := &synapse.Block{Lo: 0, Hi: n, RowPtr: []int32{0, int32(n)}, Delay0: 1, Sign: sign, WMin: wmin, WMax: wmax}
	for i := 0; i < n; i++ {
		b.Tgt = append(b.Tgt, int32(i))
		b.W = append(b.W, w0)
	}
	b.BuildReverse()
	return b
}

// tripletLearner builds the rule's learner for block b at dt = 1 ms.
func tripletLearner(t *testing.T, b *synapse.Block, v param.Values) plasticity.Learner {
	t.Helper()
	l, err := tripletRule(t).New(v, plasticity.Env{Dt: 1, Blk: b})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// Each visual-cortex row, played through the learner with Sjöström et
// al.'s (2001) protocol as Pfister & Gerstner (2006) simulate it (60
// pairings at 0.1, 10, 20, 40, 50 Hz, Δt = ±10 ms, weights starting at the
// scale so that Δw/scale is Δw/w), fits the data: the mean squared
// deviation in units of the s.e.m., E = (1/10)·Σ((Δw/w − data)/s.e.m.)²,
// is below 0.4 for all four rows (measured 0.36, 0.34, 0.35, 0.23;
// Pfister & Gerstner report fits of this quality). A wrong table entry
// shows up here: τ_y = 125 ms instead of 114 ms in the minimal all-to-all
// row gives E = 0.53, and 75 instead of 60 pairings gives E ≥ 0.76.
func TestTripletSjostromFit(t *testing.T) {
	data := map[float64][4]float64{ // Δw/w at +10 ms (mean, s.e.m.), at −10 ms
		0.1: {-0.04, 0.05, -0.29, 0.08}, 10: {0.14, 0.10, -0.41, 0.11}, 20: {0.29, 0.14, -0.34, 0.10},
		40: {0.53, 0.11, 0.56, 0.32}, 50: {0.56, 0.26, 0.75, 0.19},
	}
	r := tripletRule(t)
	for _, preset := range []string{"visual_cortex_minimal", "visual_cortex_full"} {
		for _, pairing := range []string{"all_to_all", "nearest"} {
			e := 0.0
			for f, d := range data {
				period := int64(math.Round(1000 / f)) // ms = steps
				b := tripletBlock(2, synapse.Excitatory, 1, 0, 10)
				l := tripletLearner(t, b, tripletValues(r, map[string]string{"preset": preset, "pairing": pairing}, map[string]float64{"scale": 1}))
				for k := int64(0); k < 60; k++ {
					at := 20 + k*period // arrival at t_{s+1}: step s = at − 1
					l.Post(at-10-1, []int32{1}, []float64{1})
					l.Arrive(at-1, 0, 1)
					l.Arrive(at-1, 1, 1)
					l.Post(at+10-1, []int32{0}, []float64{1})
				}
				for i := 0; i < 2; i++ {
					e += math.Pow((float64(b.W[i])-1-d[2*i])/d[2*i+1], 2) / 10
				}
			}
			t.Logf("%s, %s: E = %.3f", preset, pairing, e)
			if e > 0.4 {
				t.Errorf("%s, %s: E = %.3f, want < 0.4", preset, pairing, e)
			}
		}
	}
}

// A spike of amplitude 2 counts as two simultaneous spikes; an inhibitory
// synapse grows in magnitude with potentiation and is depressed to w_min
// (0) but never changes sign; w_max caps potentiation.
func TestTripletLearner(t *testing.T) {
	r := tripletRule(t)
	v := tripletValues(r, map[string]string{"preset": "hippocampal_full"}, map[string]float64{"scale": 1})
	const a2p, a3p, a2m = 6.1e-3, 6.7e-3, 1.6e-3
	// Arrival of amplitude 2 at t = 10 ms, post spike at 20 ms, arrival of
	// amplitude 1 at 30 ms.
	b := tripletBlock(1, synapse.Excitatory, 0.5, 0, 1)
	l := tripletLearner(t, b, v)
	l.Arrive(9, 0, 2)
	l.Post(19, []int32{0}, []float64{1})
	l.Arrive(29, 0, 1)
	wantPot := 2 * a2p * math.Exp(-10/16.8)
	wantDep := math.Exp(-10/33.7) * (a2m + 1.4e-3*2*math.Exp(-20/946.0))
	if got := float64(b.W[0]); math.Abs(got-(0.5+wantPot-wantDep)) > 1e-7 {
		t.Errorf("amplitude 2: w = %.8f, want %.8f", got, 0.5+wantPot-wantDep)
	}
	// Post spike of amplitude 2 after one arrival: the change doubles, and
	// o2 counts two spikes for the next one.
	b = tripletBlock(1, synapse.Excitatory, 0.5, 0, 1)
	l = tripletLearner(t, b, v)
	l.Arrive(9, 0, 1)
	l.Post(19, []int32{0}, []float64{2})
	l.Post(29, []int32{0}, []float64{1})
	want := 2*a2p*math.Exp(-10/16.8) + math.Exp(-20/16.8)*(a2p+a3p*2*math.Exp(-10/27.0))
	if got := float64(b.W[0]); math.Abs(got-(0.5+want)) > 1e-7 {
		t.Errorf("postsynaptic amplitude 2: w = %.8f, want %.8f", got, 0.5+want)
	}
	// Inhibitory synapse: w = −0.5 mV; potentiation makes it −0.5 − Δ,
	// strong depression stops at 0, never positive.
	b = tripletBlock(1, synapse.Inhibitory, -0.5, 0, 1)
	big := tripletValues(r, nil, map[string]float64{"scale": 1, "A2_plus": 0.1, "A2_minus": 10})
	l = tripletLearner(t, b, big)
	l.Arrive(9, 0, 1)
	l.Post(19, []int32{0}, []float64{1})
	if got, w := float64(b.W[0]), -0.5-0.1*math.Exp(-10/16.8); math.Abs(got-w) > 1e-7 {
		t.Errorf("inhibitory potentiation: w = %.8f, want %.8f", got, w)
	}
	l.Arrive(29, 0, 1)
	if got := b.W[0]; got != 0 {
		t.Errorf("inhibitory depression past 0: w = %g, want 0 (w_min, sign kept)", got)
	}
	// w_max caps potentiation.
	b = tripletBlock(1, synapse.Excitatory, 0.5, 0, 0.55)
	l = tripletLearner(t, b, tripletValues(r, nil, map[string]float64{"scale": 1, "A2_plus": 1}))
	l.Arrive(9, 0, 1)
	l.Post(10, []int32{0}, []float64{1})
	if got := b.W[0]; got != 0.55 {
		t.Errorf("potentiation past w_max = 0.55: w = %g", got)
	}
}
