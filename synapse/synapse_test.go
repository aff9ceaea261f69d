package synapse_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/hebb-snn/hebb/synapse"
)

func TestRingSlots(t *testing.T) {
	const n, maxDelay = 4, 5
	r := synapse.NewRing(n, maxDelay)
	slots := int64(maxDelay + 1)
	for _, s := range []int64{0, 3, 17, 1 << 40} {
		a, b := r.Slot(s), r.Slot(s+slots)
		if len(a) != n || &a[0] != &b[0] {
			t.Errorf("Slot(%d) and Slot(%d) are not the same storage of %d neurons", s, s+slots, n)
		}
		// Slots s..s+maxDelay are all distinct: writing to one shows in no
		// other.
		for d := int64(0); d <= maxDelay; d++ {
			clear(r.Slot(s + d))
		}
		for d := int64(0); d <= maxDelay; d++ {
			r.Slot(s + d)[1] += float64(d + 1)
		}
		for d := int64(0); d <= maxDelay; d++ {
			if got := r.Slot(s + d)[1]; got != float64(d+1) {
				t.Errorf("s=%d: Slot(s+%d)[1] = %g, want %d (slots alias within the delay range)", s, d, got, d+1)
			}
		}
	}
}

// block builds a block by hand: rows[j] lists (target, weight, delay) of
// source j.
type syn struct {
	tgt   int32
	w     float32
	delay uint16
}

func block(lo, hi int, rows [][]syn, perSynapseDelay bool) *synapse.Block {
	b := &synapse.Block{Lo: lo, Hi: hi, RowPtr: []int32{0}}
	for _, row := range rows {
		for _, s := range row {
			b.Tgt = append(b.Tgt, s.tgt)
			b.W = append(b.W, s.w)
			if perSynapseDelay {
				b.Delay = append(b.Delay, s.delay)
			}
		}
		b.RowPtr = append(b.RowPtr, int32(len(b.Tgt)))
	}
	return b
}

func TestDeliverConstantDelay(t *testing.T) {
	rows := [][]syn{
		{{2, 0.5, 0}, {4, -1.25, 0}},
		{},
		{{2, 2, 0}, {3, 0.75, 0}, {2, 1, 0}}, // a multapse onto 2
	}
	b := block(2, 5, rows, false)
	b.Delay0 = 3
	r := synapse.NewRing(6, 3)
	b.Deliver(r, 0, 10, 1)
	b.Deliver(r, 1, 10, 1)   // no synapses
	b.Deliver(r, 2, 10, 0.5) // amplitude 0.5 (e.g. a rate unit)
	want := []float64{0, 0, 0.5 + 0.5*2 + 0.5*1, 0.5 * 0.75, -1.25, 0}
	if got := r.Slot(13); !slices.Equal(got, want) {
		t.Errorf("slot 10+3 = %v, want %v", got, want)
	}
	for _, s := range []int64{10, 11, 12} {
		for _, x := range r.Slot(s) {
			if x != 0 {
				t.Errorf("slot %d received input %v; delay is 3", s, r.Slot(s))
			}
		}
	}
	if b.Events != 5 {
		t.Errorf("Events = %d, want 5 (2 + 0 + 3 synapses)", b.Events)
	}
	if b.Len() != 5 || b.DelayOf(4) != 3 {
		t.Errorf("Len = %d, DelayOf(4) = %d; want 5, 3", b.Len(), b.DelayOf(4))
	}
}

func TestDeliverPerSynapseDelay(t *testing.T) {
	rows := [][]syn{
		{{0, 1, 1}, {1, 2, 4}, {0, 3, 4}},
		{{1, -0.5, 2}},
	}
	b := block(0, 2, rows, true)
	r := synapse.NewRing(2, 4)
	b.Deliver(r, 0, 7, 2)
	b.Deliver(r, 1, 7, 1)
	want := map[int64][]float64{7: {0, 0}, 8: {2, 0}, 9: {0, -0.5}, 10: {0, 0}, 11: {6, 4}}
	for s, w := range want {
		if got := r.Slot(s); !slices.Equal(got, w) {
			t.Errorf("slot %d = %v, want %v", s, got, w)
		}
	}
	if b.Events != 4 {
		t.Errorf("Events = %d, want 4", b.Events)
	}
	if b.DelayOf(1) != 4 || b.DelayOf(3) != 2 {
		t.Errorf("DelayOf = %d, %d; want 4, 2", b.DelayOf(1), b.DelayOf(3))
	}
}

func TestDeliverMixed(t *testing.T) {
	rows := [][]syn{{{0, 1.5, 1}, {1, -2, 2}, {0, -0.25, 1}}}
	for _, perSyn := range []bool{false, true} {
		b := block(0, 2, rows, perSyn)
		b.Delay0 = 1
		b.Signs = []int8{synapse.Excitatory, synapse.Inhibitory, synapse.Inhibitory}
		ex, in := synapse.NewRing(2, 2), synapse.NewRing(2, 2)
		b.DeliverMixed(ex, in, 0, 5, 1)
		d2 := int64(6) // the inhibitory synapse onto 1 has delay 2 only with per-synapse delays
		if perSyn {
			d2 = 7
		}
		if got := ex.Slot(6); !slices.Equal(got, []float64{1.5, 0}) {
			t.Errorf("per-synapse delays %v: ex slot 6 = %v, want [1.5 0]", perSyn, got)
		}
		gotIn := [2]float64{in.Slot(6)[0], in.Slot(d2)[1]}
		if gotIn != [2]float64{-0.25, -2} {
			t.Errorf("per-synapse delays %v: inhibitory input %v, want [-0.25 -2]", perSyn, gotIn)
		}
		if s := ex.Slot(7); s[0] != 0 || s[1] != 0 {
			t.Errorf("excitatory ring received inhibitory input: %v", s)
		}
		if b.Events != 3 {
			t.Errorf("Events = %d, want 3", b.Events)
		}
	}
}

// BuildReverse lists for each target exactly its synapses, in synapse
// order, with the source of each; BuildSources gives the source of each
// synapse.
func TestBuildReverse(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 20 {
		nsrc, lo := 1+rng.IntN(8), rng.IntN(4)
		hi := lo + 1 + rng.IntN(6)
		rows := make([][]syn, nsrc)
		for j := range rows {
			for range rng.IntN(5) { // empty rows and multapses happen
				rows[j] = append(rows[j], syn{tgt: int32(lo + rng.IntN(hi-lo)), w: 1})
			}
		}
		b := block(lo, hi, rows, false)
		b.BuildReverse()
		b.BuildSources()
		if len(b.PostPtr) != hi-lo+1 || len(b.Src) != b.Len() {
			t.Fatalf("trial %d: PostPtr has %d entries, Src %d; want %d, %d", trial, len(b.PostPtr), len(b.Src), hi-lo+1, b.Len())
		}
		for k := range b.Len() {
			j := b.Src[k]
			if int32(k) < b.RowPtr[j] || int32(k) >= b.RowPtr[j+1] {
				t.Errorf("trial %d: Src[%d] = %d, but synapse %d is not in row %d", trial, k, j, k, j)
			}
		}
		for i := range hi - lo {
			var want []int32
			for k, tg := range b.Tgt {
				if int(tg) == lo+i {
					want = append(want, int32(k))
				}
			}
			if got := b.PostSyn[b.PostPtr[i]:b.PostPtr[i+1]]; !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
				t.Errorf("trial %d: synapses onto %d = %v, want %v", trial, lo+i, got, want)
			}
			for at := b.PostPtr[i]; at < b.PostPtr[i+1]; at++ {
				if src := b.PostSource(at); src != b.Src[b.PostSyn[at]] {
					t.Errorf("trial %d: PostSource(%d) = %d, want %d", trial, at, src, b.Src[b.PostSyn[at]])
				}
			}
		}
	}
}

// Clamp keeps the sign of a synapse (Dale's law) and its magnitude in
// [WMin, WMax], also when a change takes the weight across zero.
func TestClamp(t *testing.T) {
	cases := []struct {
		sign       int8
		wmin, wmax float32
		in, want   float32
	}{
		{synapse.Excitatory, 0, 2, 1, 1},
		{synapse.Excitatory, 0, 2, 3, 2},
		{synapse.Excitatory, 0, 2, -0.5, 0},
		{synapse.Excitatory, 0.1, 2, 0.05, 0.1},
		{synapse.Excitatory, 0.1, 2, -0.5, 0.1},
		{synapse.Excitatory, 0, synapse.MaxWeight, 1e30, 1e30},
		{synapse.Inhibitory, 0, 2, -1, -1},
		{synapse.Inhibitory, 0, 2, -3, -2},
		{synapse.Inhibitory, 0, 2, 0.5, 0},
		{synapse.Inhibitory, 0.1, 2, -0.05, -0.1},
		{synapse.Inhibitory, 0.1, 2, 0.5, -0.1},
		{synapse.Inhibitory, 0.1, 2, 5, -0.1},
	}
	for _, tc := range cases {
		b := &synapse.Block{Sign: tc.sign, WMin: tc.wmin, WMax: tc.wmax}
		got := b.Clamp(0, tc.in)
		if got != tc.want || float32(tc.sign)*got < 0 {
			t.Errorf("sign %d bounds [%g, %g]: Clamp(%g) = %g, want %g", tc.sign, tc.wmin, tc.wmax, tc.in, got, tc.want)
		}
	}
	// Per-synapse signs.
	b := &synapse.Block{Signs: []int8{synapse.Excitatory, synapse.Inhibitory}, WMin: 0, WMax: 1}
	for _, w := range []float32{-3, -0.5, 0, 0.5, 3} {
		e, i := b.Clamp(0, w), b.Clamp(1, w)
		if e < 0 || e > 1 || i > 0 || i < -1 {
			t.Errorf("Clamp(%g) = %g (excitatory), %g (inhibitory)", w, e, i)
		}
		if w > 0 && e != min(w, 1) || w < 0 && i != max(w, -1) {
			t.Errorf("Clamp(%g) changed an in-range weight: %g, %g", w, e, i)
		}
	}
}

func TestHistory(t *testing.T) {
	const n, maxDelay = 3, 2
	h := synapse.NewHistory(n, maxDelay)
	amp := func(s int64, id int) float64 { return float64(10*s + int64(id) + 1) }
	for s := int64(0); s < 12; s++ {
		// Neuron s%3 is silent in step s.
		var ids []int32
		var a []float64
		for id := range n {
			if int64(id) != s%n {
				ids = append(ids, int32(id))
				a = append(a, amp(s, id))
			}
		}
		h.Record(s, ids, a)
		for back := int64(0); back <= maxDelay; back++ {
			p := s - back
			for id := range n {
				want := amp(p, id)
				if int64(id) == p%n || p < 0 {
					want = 0
				}
				if got := h.Amp(p, int32(id)); got != want {
					t.Errorf("after step %d: Amp(%d, %d) = %g, want %g", s, p, id, got, want)
				}
			}
		}
	}
	if got := h.Amp(-1, 0); got != 0 {
		t.Errorf("Amp(-1) = %g, want 0", got)
	}
	// Amplitudes are kept as float32.
	h.Record(12, []int32{1}, []float64{0.1})
	if got := h.Amp(12, 1); got != float64(float32(0.1)) {
		t.Errorf("Amp = %.17g, want float32(0.1)", got)
	}
}

// The doc of History.Amp promises 0 for a step further back than the
// history reaches.
func TestHistoryForgets(t *testing.T) {
	h := synapse.NewHistory(1, 2)
	for s := int64(0); s < 6; s++ {
		h.Record(s, []int32{0}, []float64{float64(s + 1)})
	}
	if got := h.Amp(2, 0); got != 0 {
		t.Errorf("after step 5, Amp(2) = %g, want 0 (3 slots reach back to step 3)", got)
	}
}

// A block whose weights are all equal may drop W and keep W0: Deliver
// gives the same input, with one delay or per-synapse delays.
func TestDeliverOneWeight(t *testing.T) {
	rows := [][]syn{{{1, 0.5, 3}, {2, 0.5, 1}}, {}, {{0, 0.5, 2}, {2, 0.5, 2}}}
	for _, perSyn := range []bool{false, true} {
		full := block(0, 3, rows, perSyn)
		one := block(0, 3, rows, perSyn)
		one.W, one.W0 = nil, 0.5
		r1, r2 := synapse.NewRing(3, 4), synapse.NewRing(3, 4)
		for _, src := range []int32{0, 2, 1} {
			full.Deliver(r1, src, 9, 3)
			one.Deliver(r2, src, 9, 3)
		}
		for s := int64(9); s <= 13; s++ {
			if a, b := r1.Slot(s), r2.Slot(s); !slices.Equal(a, b) {
				t.Errorf("per-synapse delays %v, slot %d: W0 gives %v, W gives %v", perSyn, s, b, a)
			}
		}
		if one.Weight(1) != 0.5 || one.Events != full.Events || full.Events != 4 {
			t.Errorf("Weight(1) = %g, events %d and %d", one.Weight(1), one.Events, full.Events)
		}
		if one.Bytes() >= full.Bytes() {
			t.Errorf("one weight: %d bytes, per-synapse weights %d", one.Bytes(), full.Bytes())
		}
	}
}
