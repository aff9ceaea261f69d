// Package synapse stores synapses and the input they carry.
//
// The synapses of one projection that end on one worker's target neurons
// form a Block in compressed sparse row (CSR) form, ordered by source:
// delivering a spike walks one contiguous row. Plastic projections also
// get a reverse index, target → synapses, so that a postsynaptic spike
// reaches its incoming synapses without a scan (as in Auryn).
//
// Delays are axonal and counted in whole steps: a spike emitted at t
// reaches the target at t + delay. Input on its way sits in a Ring: one
// slot per step of the delay range, one float64 per neuron.
package synapse

import (
	"math"

	"github.com/hebb-snn/hebb/internal/hugepage"
)

// Sign of a synapse. Dale's law: a synapse keeps its sign whatever
// plasticity does.
const (
	Excitatory int8 = 1
	Inhibitory int8 = -1
)

// Block holds the synapses of one projection that end on the targets
// lo..hi-1 owned by one worker. Weights are in the target model's weight
// unit and carry their sign (inhibitory weights are negative).
type Block struct {
	Lo, Hi int       // target neurons owned
	RowPtr []int32   // synapses of source j are RowPtr[j] to RowPtr[j+1]-1
	Tgt    []int32   // target neuron (index in the target population)
	W      []float32 // weight of each synapse; nil if all equal W0 (static blocks only)
	W0     float32
	Delay  []uint16 // delay of each synapse in steps; nil if all equal Delay0
	Delay0 uint16

	// Reverse index, built for plastic projections only (BuildReverse):
	// the synapses onto target lo+i are PostSyn[PostPtr[i]:PostPtr[i+1]],
	// and PostSrc16 or PostSrc32 (whichever is not nil: 16 bits when the
	// source population has at most 65 536 neurons) holds the source of
	// each of those synapses, in the same order.
	PostPtr   []int32
	PostSyn   []int32
	PostSrc16 []uint16
	PostSrc32 []int32
	// Src holds the source of each synapse, for rules that look up
	// presynaptic activity per synapse (BuildSources).
	Src []int32

	// Weight bounds for plasticity, as magnitudes: a synapse of sign s
	// stays in s·[WMin, WMax].
	Sign       int8   // Excitatory or Inhibitory; 0 if each synapse has its own (Signs)
	Signs      []int8 // per-synapse sign when Sign is 0
	WMin, WMax float32

	Events int64 // synaptic events delivered (one per synapse per presynaptic spike)
}

// Len returns the number of synapses in b.
func (b *Block) Len() int { return len(b.Tgt) }

// Weight returns the weight of synapse k.
func (b *Block) Weight(k int32) float32 {
	if b.W == nil {
		return b.W0
	}
	return b.W[k]
}

// DelayOf returns the delay of synapse k in steps.
func (b *Block) DelayOf(k int32) uint16 {
	if b.Delay == nil {
		return b.Delay0
	}
	return b.Delay[k]
}

// Clamp returns w limited to the bounds of synapse k: it never changes
// the synapse's sign (Dale's law) and keeps its magnitude in [WMin, WMax].
func (b *Block) Clamp(k int32, w float32) float32 {
	s := b.Sign
	if s == 0 {
		s = b.Signs[k]
	}
	m := w
	if s < 0 {
		m = -w
	}
	m = min(max(m, b.WMin), b.WMax)
	if s < 0 {
		return -m
	}
	return m
}

// BuildSources fills Src from the forward index.
func (b *Block) BuildSources() {
	b.Src = make([]int32, len(b.Tgt))
	for j := 0; j+1 < len(b.RowPtr); j++ {
		for k := b.RowPtr[j]; k < b.RowPtr[j+1]; k++ {
			b.Src[k] = int32(j)
		}
	}
}

// BuildReverse fills PostPtr, PostSyn and PostSrc16 or PostSrc32 from the
// forward index. The synapses onto each target keep the forward order
// (by source).
func (b *Block) BuildReverse() {
	n := b.Hi - b.Lo
	b.PostPtr = make([]int32, n+1)
	for _, t := range b.Tgt {
		b.PostPtr[int(t)-b.Lo+1]++
	}
	for i := 0; i < n; i++ {
		b.PostPtr[i+1] += b.PostPtr[i]
	}
	next := append([]int32(nil), b.PostPtr[:n]...)
	b.PostSyn = make([]int32, len(b.Tgt))
	nSrc := len(b.RowPtr) - 1
	if nSrc <= 1<<16 {
		b.PostSrc16 = make([]uint16, len(b.Tgt))
	} else {
		b.PostSrc32 = make([]int32, len(b.Tgt))
	}
	for j := 0; j < nSrc; j++ {
		for k := b.RowPtr[j]; k < b.RowPtr[j+1]; k++ {
			i := int(b.Tgt[k]) - b.Lo
			at := next[i]
			b.PostSyn[at] = k
			if b.PostSrc16 != nil {
				b.PostSrc16[at] = uint16(j)
			} else {
				b.PostSrc32[at] = int32(j)
			}
			next[i]++
		}
	}
}

// PostSource returns the source of the synapse at position at of PostSyn.
func (b *Block) PostSource(at int32) int32 {
	if b.PostSrc16 != nil {
		return int32(b.PostSrc16[at])
	}
	return b.PostSrc32[at]
}

// Deliver routes a spike of amplitude amp from source src, emitted in
// step s, into ring: each synapse adds amp·w to its target's slot for
// step s + delay.
func (b *Block) Deliver(ring *Ring, src int32, s int64, amp float64) {
	a, e := b.RowPtr[src], b.RowPtr[src+1]
	if a == e {
		return
	}
	b.Events += int64(e - a)
	if b.Delay == nil {
		slot := ring.Slot(s + int64(b.Delay0))
		if b.W == nil {
			x := amp * float64(b.W0)
			for _, t := range b.Tgt[a:e] {
				slot[t] += x
			}
			return
		}
		w := b.W[a:e]
		for k, t := range b.Tgt[a:e] {
			slot[t] += amp * float64(w[k])
		}
		return
	}
	// Per-synapse delays: the slot of step s + d is base + d, wrapped
	// once (d < slots), without a division per synapse.
	n, slots := ring.n, ring.slots
	base := int(s % int64(slots))
	buf := ring.buf
	tgt, delay := b.Tgt[a:e], b.Delay[a:e]
	if b.W == nil {
		x := amp * float64(b.W0)
		for k, t := range tgt {
			i := base + int(delay[k])
			if i >= slots {
				i -= slots
			}
			buf[i*n+int(t)] += x
		}
		return
	}
	w := b.W[a:e]
	for k, t := range tgt {
		i := base + int(delay[k])
		if i >= slots {
			i -= slots
		}
		buf[i*n+int(t)] += amp * float64(w[k])
	}
}

// Ring holds the input on its way to a population: Slot(s) is the input
// that arrives at the end of step s, one value per neuron.
type Ring struct {
	n     int
	slots int
	buf   []float64
}

// NewRing returns a ring for n neurons and delays up to maxDelay steps.
func NewRing(n, maxDelay int) *Ring {
	r := &Ring{n: n, slots: maxDelay + 1}
	r.buf = hugepage.Make[float64](n*r.slots, r) // spikes add to it at random
	return r
}

// Slot returns the input arriving at the end of step s.
func (r *Ring) Slot(s int64) []float64 {
	i := int(s % int64(r.slots))
	return r.buf[i*r.n : (i+1)*r.n]
}

// History remembers what each neuron of a population emitted in the last
// steps, for rules that pair presynaptic activity with postsynaptic
// activity one delay later.
type History struct {
	n, slots int
	last     int64 // the last step recorded; -1 before the first
	amp      []float32
}

// NewHistory returns a history of n neurons over maxDelay+1 steps.
func NewHistory(n, maxDelay int) *History {
	return &History{n: n, slots: maxDelay + 1, last: -1, amp: make([]float32, n*(maxDelay+1))}
}

// Record stores the output of step s (ids and amplitudes), forgetting
// step s − slots.
func (h *History) Record(s int64, ids []int32, amp []float64) {
	i := int(s % int64(h.slots))
	row := h.amp[i*h.n : (i+1)*h.n]
	clear(row)
	h.last = s
	for k, id := range ids {
		row[id] = float32(amp[k])
	}
}

// Amp returns what neuron id emitted in step s (0 if nothing, or if s is
// negative, not recorded yet, or further back than the history reaches).
func (h *History) Amp(s int64, id int32) float64 {
	if s < 0 || s > h.last || s <= h.last-int64(h.slots) {
		return 0
	}
	return float64(h.amp[int(s%int64(h.slots))*h.n+int(id)])
}

// MaxWeight is the largest weight magnitude a float32 weight may hold.
const MaxWeight = math.MaxFloat32

// DeliverMixed is Deliver for a block whose synapses have their own signs
// (Sign 0): excitatory synapses add to ex, inhibitory ones to in.
func (b *Block) DeliverMixed(ex, in *Ring, src int32, s int64, amp float64) {
	a, e := b.RowPtr[src], b.RowPtr[src+1]
	b.Events += int64(e - a)
	for k := a; k < e; k++ {
		r := ex
		if b.Signs[k] < 0 {
			r = in
		}
		r.Slot(s + int64(b.DelayOf(k)))[b.Tgt[k]] += amp * float64(b.Weight(k))
	}
}

// Arrivals holds the spikes on their way through the synapses of a plastic
// block: instead of adding their weight to a Ring when they are sent, the
// engine queues each (synapse, amplitude) for the step in which it
// arrives, so that the weight a spike carries is the weight at its arrival
// and learning rules see the arrival at the synapse (delays are axonal).
type Arrivals struct {
	slots int
	syn   [][]int32
	amp   [][]float32
}

// NewArrivals returns a queue for delays up to maxDelay steps.
func NewArrivals(maxDelay int) *Arrivals {
	return &Arrivals{slots: maxDelay + 1, syn: make([][]int32, maxDelay+1), amp: make([][]float32, maxDelay+1)}
}

// Send queues the spike of amplitude amp from source src, emitted in step
// s, on every synapse of src in b, each for step s + its delay.
func (q *Arrivals) Send(b *Block, src int32, s int64, amp float64) {
	a, e := b.RowPtr[src], b.RowPtr[src+1]
	for k := a; k < e; k++ {
		i := int((s + int64(b.DelayOf(k))) % int64(q.slots))
		q.syn[i] = append(q.syn[i], k)
		q.amp[i] = append(q.amp[i], float32(amp))
	}
}

// Queue adds the arrival of id with amplitude amp at the end of step at
// (at most maxDelay steps after the step being sent). Blocks whose
// synapses share one delay queue whole rows: id is then a source.
func (q *Arrivals) Queue(at int64, id int32, amp float64) {
	i := int(at % int64(q.slots))
	q.syn[i] = append(q.syn[i], id)
	q.amp[i] = append(q.amp[i], float32(amp))
}

// Uniform reports whether every synapse of b has the same delay and the
// same sign, so that a spike reaches all synapses of its row at once and
// adds to one ring.
func (b *Block) Uniform() bool { return b.Delay == nil && b.Sign != 0 }

// Take returns the synapses and amplitudes arriving at the end of step s
// and empties that slot (the slices stay valid until the next Send).
func (q *Arrivals) Take(s int64) (syn []int32, amp []float32) {
	i := int(s % int64(q.slots))
	syn, amp = q.syn[i], q.amp[i]
	q.syn[i], q.amp[i] = syn[:0], amp[:0]
	return syn, amp
}

// Bytes returns the memory held by b's slices.
func (b *Block) Bytes() int64 {
	return 4*int64(len(b.RowPtr)+len(b.Tgt)+len(b.Src)+len(b.PostPtr)+len(b.PostSyn)+len(b.PostSrc32)) +
		4*int64(len(b.W)) + 2*int64(len(b.Delay)+len(b.PostSrc16)) + int64(len(b.Signs))
}
