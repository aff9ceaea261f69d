package plasticity_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/hebb-snn/hebb/param"
	"github.com/hebb-snn/hebb/plasticity"
	"github.com/hebb-snn/hebb/synapse"
)

// tiny builds the block of 2 sources × 2 targets by hand, in CSR order by
// source: synapse 0 = 0→0 (delay 1), 1 = 0→1 (delay 2), 2 = 1→0 (delay 2),
// 3 = 1→1 (delay 1).
func tiny(sign int8, w0 float32, wmin, wmax float32) *synapse.Block {
	b := &synapse.Block{
		Lo: 0, Hi: 2,
		RowPtr: []int32{0, 2, 4},
		Tgt:    []int32{0, 1, 0, 1},
		W:      []float32{w0, w0, w0, w0},
		Delay:  []uint16{1, 2, 2, 1},
		Sign:   sign,
		WMin:   wmin, WMax: wmax,
	}
	b.BuildReverse()
	return b
}

var (
	synSrc = []int{0, 0, 1, 1}
	synTgt = []int{0, 1, 0, 1}
	synDel = []int64{1, 2, 2, 1}
)

func learner(t *testing.T, eta float64, b *synapse.Block, h *synapse.History) plasticity.Learner {
	t.Helper()
	r, ok := plasticity.Lookup("hebbian")
	if !ok {
		t.Fatalf("hebbian not registered (have %v)", plasticity.Names())
	}
	if !r.PreHistory {
		t.Error("hebbian must ask for the presynaptic history")
	}
	v := r.Schema.Defaults()
	v["eta"] = param.Value{Num: eta}
	l, err := r.New(v, plasticity.Env{Dt: 1, Pre: h, Blk: b})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// emitted turns activities (0 = silent) into an Output-like pair.
func emitted(act []float64) (ids []int32, amp []float64) {
	for i, a := range act {
		if a != 0 {
			ids = append(ids, int32(i))
			amp = append(amp, a)
		}
	}
	return ids, amp
}

// run plays pre[s] and post[s] through the learner in the engine's order:
// in step s Post with the targets that emitted, then the history records
// what the sources emitted in step s.
func run(l plasticity.Learner, h *synapse.History, pre, post [][]float64) {
	for s := range pre {
		if ids, amp := emitted(post[s]); len(ids) > 0 {
			l.Post(int64(s), ids, amp)
		}
		ids, amp := emitted(pre[s])
		h.Record(int64(s), ids, amp)
	}
}

// One presynaptic spike of source 0 in step 3: it reaches target 0 (delay
// 1) in step 4 and target 1 (delay 2) in step 5. Only postsynaptic activity
// in those steps changes those synapses.
func TestHebbianDelay(t *testing.T) {
	const eta = 0.01
	pre := make([][]float64, 8)
	post := make([][]float64, 8)
	for s := range pre {
		pre[s], post[s] = make([]float64, 2), make([]float64, 2)
		post[s][0], post[s][1] = 1, 1 // both targets active in every step
	}
	pre[3][0] = 0.5
	b := tiny(synapse.Excitatory, 1, 0, synapse.MaxWeight)
	h := synapse.NewHistory(2, 2)
	run(learner(t, eta, b, h), h, pre, post)
	want := []float64{1 + eta*0.5, 1 + eta*0.5, 1, 1}
	for k := range want {
		if math.Abs(float64(b.W[k])-want[k]) > 1e-7 {
			t.Errorf("synapse %d (%d→%d, delay %d): w = %.8g, want %.8g", k, synSrc[k], synTgt[k], synDel[k], b.W[k], want[k])
		}
	}
	// The same spike with the target silent when it arrives changes nothing.
	b = tiny(synapse.Excitatory, 1, 0, synapse.MaxWeight)
	h = synapse.NewHistory(2, 2)
	post[4][0], post[5][1] = 0, 0
	run(learner(t, eta, b, h), h, pre, post)
	for k, w := range b.W {
		if w != 1 {
			t.Errorf("target silent when the input arrived: synapse %d changed to %g", k, w)
		}
	}
}

// Δw = η·x(s − d)·y(s) summed over many steps of graded activity, compared
// with the sum computed here per synapse, each with its own delay.
func TestHebbianAccumulates(t *testing.T) {
	const eta, steps = 0.01, 200
	// Sparse graded presynaptic activity from a fixed stream; each target
	// follows both sources, each with the lag of its synapse, so that a
	// wrong delay gives a clearly different sum.
	rng := rand.New(rand.NewPCG(5, 6))
	pre := make([][]float64, steps)
	post := make([][]float64, steps)
	for s := range steps {
		pre[s] = []float64{float64(rng.IntN(5)/2) * 0.5, float64(rng.IntN(5)/2) * 0.5}
		post[s] = make([]float64, 2)
		if s >= 2 {
			post[s][0] = 0.5*pre[s-1][0] + 0.5*pre[s-2][1]
			post[s][1] = 0.5*pre[s-2][0] + 0.5*pre[s-1][1]
		}
	}
	b := tiny(synapse.Excitatory, 0.5, 0, synapse.MaxWeight)
	h := synapse.NewHistory(2, 2)
	run(learner(t, eta, b, h), h, pre, post)
	for k := range 4 {
		want := 0.5
		wrong := 0.5 // with the other delay
		for s := range steps {
			other := 3 - synDel[k]
			if p := int64(s) - synDel[k]; p >= 0 {
				want += eta * pre[p][synSrc[k]] * post[s][synTgt[k]]
			}
			if p := int64(s) - other; p >= 0 {
				wrong += eta * pre[p][synSrc[k]] * post[s][synTgt[k]]
			}
		}
		if math.Abs(want-wrong) < 0.01 {
			t.Fatalf("synapse %d: the pattern does not tell the delays apart", k)
		}
		if got := float64(b.W[k]); math.Abs(got-want) > 1e-5 {
			t.Errorf("synapse %d (%d→%d, delay %d): w = %.7g, want %.7g (the other delay would give %.7g)", k, synSrc[k], synTgt[k], synDel[k], got, want, wrong)
		}
	}
}

// Weights stay in [w_min, w_max] whichever way η pushes them.
func TestHebbianBounds(t *testing.T) {
	const steps = 100
	pre := make([][]float64, steps)
	post := make([][]float64, steps)
	for s := range steps {
		pre[s], post[s] = []float64{1, 1}, []float64{1, 1}
	}
	for _, tc := range []struct {
		eta, want float64
	}{
		{+0.05, 0.8}, // to w_max
		{-0.05, 0.2}, // to w_min
	} {
		b := tiny(synapse.Excitatory, 0.5, 0.2, 0.8)
		h := synapse.NewHistory(2, 2)
		run(learner(t, tc.eta, b, h), h, pre, post)
		for k, w := range b.W {
			if float64(w) != float64(float32(tc.want)) {
				t.Errorf("η = %g: synapse %d ends at %g, want the bound %g", tc.eta, k, w, tc.want)
			}
		}
	}
}

// An inhibitory synapse never becomes positive: a Hebbian increase takes
// it towards zero and stops at −w_min.
func TestHebbianInhibitory(t *testing.T) {
	const steps = 60
	pre := make([][]float64, steps)
	post := make([][]float64, steps)
	for s := range steps {
		pre[s], post[s] = []float64{1, 1}, []float64{1, 1}
	}
	for _, wmin := range []float32{0, 0.05} {
		b := tiny(synapse.Inhibitory, -0.3, wmin, 1)
		h := synapse.NewHistory(2, 2)
		run(learner(t, 0.02, b, h), h, pre, post)
		for k, w := range b.W {
			if w > 0 || w != -wmin {
				t.Errorf("w_min %g: inhibitory synapse %d ends at %g, want %g", wmin, k, w, -wmin)
			}
		}
	}
	// Per-synapse signs: the inhibitory ones stay ≤ 0, the excitatory ≥ 0.
	b := tiny(0, 0.3, 0, 1)
	b.Signs = []int8{synapse.Excitatory, synapse.Inhibitory, synapse.Inhibitory, synapse.Excitatory}
	b.W[1], b.W[2] = -0.3, -0.3
	h := synapse.NewHistory(2, 2)
	run(learner(t, -0.02, b, h), h, pre, post) // anti-Hebbian: excitatory ones fall to 0
	run(learner(t, 0.02, b, h), h, pre, post)  // Hebbian: inhibitory ones rise to 0
	for k, w := range b.W {
		if s := b.Signs[k]; float32(s)*w < 0 {
			t.Errorf("synapse %d of sign %d has weight %g", k, s, w)
		}
	}
	if b.W[1] != 0 || b.W[2] != 0 {
		t.Errorf("inhibitory weights %g, %g, want 0 (clamped at w_min = 0)", b.W[1], b.W[2])
	}
}

func TestRegistry(t *testing.T) {
	for _, r := range plasticity.Rules() {
		if r.Doc == "" {
			t.Errorf("rule %s: no doc", r.Name)
		}
		for _, name := range []string{"w_min", "w_max"} {
			if _, ok := r.Schema.Def(name); !ok {
				t.Errorf("rule %s has no %s", r.Name, name)
			}
		}
		for _, d := range r.Params {
			if d.Doc == "" {
				t.Errorf("rule %s parameter %s: no doc", r.Name, d.Name)
			}
		}
	}
	r, _ := plasticity.Lookup("hebbian")
	if d, ok := r.Schema.Def("eta"); !ok || !d.Required || d.Unit != param.WeightUnit {
		t.Errorf("hebbian eta = %+v, want a required parameter in the weight unit", d)
	}
}
