package plasticity

import (
	"math"
	"sync"

	"github.com/hebb-snn/hebb/neuron"
	"github.com/hebb-snn/hebb/param"
	"github.com/hebb-snn/hebb/synapse"
)

// Pair-based spike-timing-dependent plasticity (Bi & Poo 1998; Song,
// Miller & Abbott 2000; Gütig et al. 2003; Morrison et al. 2008). For a
// presynaptic spike reaching the synapse at t_pre (emission time plus the
// axonal delay) and a postsynaptic spike at t_post, Δt = t_post − t_pre:
//
//	Δt ≥ 0:  Δw = +A₊·(1 − w/w_max)^μ₊·e^{−Δt/τ₊}   (potentiation)
//	Δt < 0:  Δw = −A₋·(w/w_max)^μ₋·e^{Δt/τ₋}        (depression)
//
// with w the weight's magnitude (its sign never changes). μ₊ = μ₋ = 0 is
// the additive rule; μ > 0 the multiplicative (weight-dependent) rule of
// Gütig et al., which needs w_max. Pairing "all_to_all" sums over every
// earlier spike (traces x += 1 at each spike); "nearest" pairs each spike
// with the latest spike of the other side only (traces reset to 1).
//
// Event-driven: a presynaptic trace per synapse and a postsynaptic trace
// per neuron are updated only when spikes arrive or are emitted, decaying
// exactly over the time since their last update. When every synapse of a
// block has the same delay (and sign), a spike reaches all synapses of its
// source at the same moment and their presynaptic traces are equal: the
// block then keeps one trace per source neuron (RowLearner), which saves
// 16 bytes per synapse and gives the same weights. It also applies
// potentiation lazily, as NEST does: each target keeps the times of its
// recent spikes, and when a presynaptic spike arrives, its synapses first
// take the potentiation owed for the postsynaptic spikes since the
// source's previous arrival, in order, then the depression. The weights
// are those of applying each change at its spike, bit for bit, but every
// weight is touched in row order, while its row is in cache, instead of
// at random at every postsynaptic spike. Sweeps every few hundred steps
// pay what sources silent for longer than the horizon owe, and Settle
// brings every weight up to date before weights are read.
//
// Simultaneous arrival and postsynaptic spike (Δt = 0) count as
// potentiation: the arrival is processed first, as it may have caused the
// spike. Pairs more than 40 τ₊ apart (e^{−40} ≈ 4·10⁻¹⁸) do not
// potentiate, in either mode, so that the spikes kept are bounded.
func init() {
	Register(&Rule{
		Schema: param.Schema{
			Name:      "stdp",
			Doc:       "pair STDP: Δw = A₊(1−w/w_max)^μ₊e^{−Δt/τ₊} for Δt = t_post − t_pre ≥ 0, −A₋(w/w_max)^μ₋e^{Δt/τ₋} otherwise; additive or multiplicative, all-to-all or nearest pairing",
			Reference: "Song, Miller & Abbott 2000, Nat Neurosci 3:919; Gütig et al. 2003, J Neurosci 23:3697; Morrison, Diesmann & Gerstner 2008, Biol Cybern 98:459",
			Params: append([]param.Def{
				{Name: "A_plus", Unit: param.WeightUnit, Required: true, Range: param.NonNegative, Doc: "potentiation amplitude A₊ (weight change at Δt = 0+)"},
				{Name: "A_minus", Unit: param.WeightUnit, Required: true, Range: param.NonNegative, Doc: "depression amplitude A₋ (magnitude of the weight change at Δt = 0−)"},
				{Name: "tau_plus", Unit: "ms", Default: 20, Range: param.Positive, Doc: "time constant τ₊ of potentiation"},
				{Name: "tau_minus", Unit: "ms", Default: 20, Range: param.Positive, Doc: "time constant τ₋ of depression"},
				{Name: "mu_plus", Default: 0, Range: param.NonNegative, Doc: "weight dependence μ₊ of potentiation (0: additive)"},
				{Name: "mu_minus", Default: 0, Range: param.NonNegative, Doc: "weight dependence μ₋ of depression (0: additive)"},
				{Name: "pairing", Kind: param.Choice, Choices: []string{"all_to_all", "nearest"}, Doc: "which spike pairs interact"},
			}, Common()...),
		},
		// A trace and its time per synapse, or per source on uniform blocks.
		SynapseBytes: func(uniform bool) int {
			if uniform {
				return 0
			}
			return 16
		},
		// Traces and their times; on uniform blocks also each source's
		// paid-until time, each target's trace at the current step and a
		// log of its recent spikes (16 to start with).
		NeuronBytes: func(uniform bool) (int, int) {
			if uniform {
				return 24, 24 + 4 + 8 + 8*16
			}
			return 16, 16
		},
		Check: func(v param.Values, dt float64) []neuron.ParamError {
			if (v.Num("mu_plus") > 0 || v.Num("mu_minus") > 0) && !v.Has("w_max") {
				return []neuron.ParamError{{Param: "mu_plus", Msg: "weight-dependent STDP (mu_plus or mu_minus > 0) needs w_max"}}
			}
			return nil
		},
		New: func(v param.Values, env Env) (Learner, error) {
			b := env.Blk
			r := &stdp{
				b: b, dt: env.Dt,
				aPlus: v.Num("A_plus"), aMinus: v.Num("A_minus"),
				tauPlus: v.Num("tau_plus"), tauMinus: v.Num("tau_minus"),
				muPlus: v.Num("mu_plus"), muMinus: v.Num("mu_minus"),
				nearest:  v.Word("pairing") == "nearest",
				wmax:     math.Inf(1),
				rows:     b.Uniform(),
				post:     make([]float64, b.Hi-b.Lo),
				postLast: make([]int64, b.Hi-b.Lo),
			}
			n := b.Len() // traces per synapse, or per source
			if r.rows {
				n = len(b.RowPtr) - 1
			}
			r.pre, r.preLast = make([]float64, n), make([]int64, n)
			r.postAt = -1
			r.horizon = int64(math.Ceil(40 * r.tauPlus / r.dt))
			if r.rows {
				r.hist = spikeLog{n: make([]int32, b.Hi-b.Lo), c: 16, last: make([]int64, b.Hi-b.Lo)}
				r.hist.t = make([]int64, len(r.hist.n)*r.hist.c)
				for i := range r.hist.last {
					r.hist.last[i] = -1
				}
				r.from = make([]int64, n)
			}
			if v.Has("w_max") {
				r.wmax = v.Num("w_max")
			}
			r.expPlus, r.expMinus = expTable(r.dt, r.tauPlus), expTable(r.dt, r.tauMinus)
			return r, nil
		},
	})
}

type stdp struct {
	b                                *synapse.Block
	dt                               float64
	aPlus, aMinus, tauPlus, tauMinus float64
	muPlus, muMinus, wmax            float64
	nearest                          bool
	rows                             bool      // traces per source: the block is Uniform
	postT                            []float64 // rows: every target's trace at step postAt
	postAt                           int64
	horizon                          int64     // steps: pairs further apart than 40 τ₊ do not potentiate
	hist                             spikeLog  // rows: each target's spike times (steps) still owed to some source
	from                             []int64   // rows: per source, the first spike time of its targets not yet applied
	expPlus, expMinus                []float64 // decay factors per whole number of steps
	pre                              []float64 // presynaptic trace of each synapse (or source) after its last arrival
	preLast                          []int64   // step (time in dt) of that arrival
	post                             []float64 // postsynaptic trace of each target after its last spike
	postLast                         []int64
}

// decay returns trace x, last updated at step from, at step to. The
// factors e^{−n·dt/τ} for the n of the last few τ are looked up in a
// table (the same values math.Exp gives).
func (r *stdp) decay(x float64, from, to int64, tau float64) float64 {
	if x == 0 {
		return 0
	}
	n := to - from
	var table []float64
	switch tau {
	case r.tauPlus:
		table = r.expPlus
	case r.tauMinus:
		table = r.expMinus
	}
	if n < int64(len(table)) {
		return x * table[n]
	}
	return x * math.Exp(-float64(n)*r.dt/tau)
}

// expTable returns e^{−n·dt/τ} for n = 0 … 2^16−1 steps (6.5 s at
// dt = 0.1 ms), shared by every learner with the same dt and τ.
func expTable(dt, tau float64) []float64 {
	expTables.Lock()
	defer expTables.Unlock()
	key := [2]float64{dt, tau}
	if t, ok := expTables.m[key]; ok {
		return t
	}
	t := make([]float64, 1<<16)
	for i := range t {
		t[i] = math.Exp(-float64(i) * dt / tau)
	}
	expTables.m[key] = t
	return t
}

// expTables caches the decay tables; they are read-only once made.
var expTables = struct {
	sync.Mutex
	m map[[2]float64][]float64
}{m: map[[2]float64][]float64{}}

// magnitude returns the sign and magnitude of synapse k's weight.
func (r *stdp) magnitude(k int32) (sign, m float64) {
	s := r.b.Sign
	if s == 0 {
		s = r.b.Signs[k]
	}
	if s < 0 {
		return -1, -float64(r.b.W[k])
	}
	return 1, float64(r.b.W[k])
}

// Arrive depresses synapse k by the postsynaptic trace and adds the
// arrival to its presynaptic trace; a spike of amplitude amp (a source
// emitting several spikes in one step) counts as amp spikes.
func (r *stdp) Arrive(s int64, k int32, amp float64) {
	t := s + 1 // the spike arrives at t_{s+1}
	b := r.b
	i := int(b.Tgt[k]) - b.Lo
	if y := r.decay(r.post[i], r.postLast[i], t, r.tauMinus); y != 0 {
		sign, m := r.magnitude(k)
		f := 1.0
		if r.muMinus != 0 {
			f = math.Pow(m/r.wmax, r.muMinus)
		}
		b.W[k] = b.Clamp(k, float32(sign*(m-r.aMinus*f*y*amp)))
	}
	x := r.decay(r.pre[k], r.preLast[k], t, r.tauPlus)
	if r.nearest {
		x = 1
	} else {
		x += amp
	}
	r.pre[k], r.preLast[k] = x, t
}

// Rows reports whether r keeps its presynaptic traces per source and
// takes arrivals by ArriveRow.
func (r *stdp) Rows() bool { return r.rows }

// ArriveRow is Arrive for every synapse of source src, with the source's
// trace, and delivers the weights to dst.
func (r *stdp) ArriveRow(s int64, src int32, amp float64, dst []float64) {
	t := s + 1
	b := r.b
	a, e := b.RowPtr[src], b.RowPtr[src+1]
	r.replay(src, t)
	y := r.postNow(t)
	sign := float64(b.Sign)
	wmin, wmax := b.WMin, b.WMax
	w, tgt := b.W[a:e], b.Tgt[a:e]
	for n, tg := range tgt {
		if yi := y[int(tg)-b.Lo]; yi != 0 {
			m := sign * float64(w[n])
			f := 1.0
			if r.muMinus != 0 {
				f = math.Pow(m/r.wmax, r.muMinus)
			}
			// Clamp for a block of one sign, as in potentiateRows.
			v := min(max(float32(m-r.aMinus*f*yi*amp), wmin), wmax)
			if sign < 0 {
				v = -v
			}
			w[n] = v
		}
		dst[tg] += amp * float64(w[n])
	}
	x := r.decay(r.pre[src], r.preLast[src], t, r.tauPlus)
	if r.nearest {
		x = 1
	} else {
		x += amp
	}
	r.pre[src], r.preLast[src] = x, t
}

// postNow returns every target's postsynaptic trace decayed to step t,
// computed once per step (the arrivals of a step come before its
// postsynaptic spikes change the traces).
func (r *stdp) postNow(t int64) []float64 {
	if r.postAt == t {
		return r.postT
	}
	if r.postT == nil {
		r.postT = make([]float64, len(r.post))
	}
	for i, y := range r.post {
		r.postT[i] = r.decay(y, r.postLast[i], t, r.tauMinus)
	}
	r.postAt = t
	return r.postT
}

// Bytes returns the memory held by the learner's traces.
func (r *stdp) Bytes() int64 {
	n := 16*int64(len(r.pre)+len(r.post)) + 8*int64(len(r.postT)+len(r.from))
	n += 8*int64(len(r.hist.t)+len(r.hist.last)) + 4*int64(len(r.hist.n))
	return n
}

// Post potentiates the synapses onto each target that spiked by their
// presynaptic traces (on Uniform blocks: records the spike, whose
// potentiation each synapse takes at its next arrival) and adds the spike
// to the target's trace.
func (r *stdp) Post(s int64, ids []int32, _ []float64) {
	t := s + 1
	b := r.b
	for _, id := range ids {
		i := int(id) - b.Lo
		a, e := b.PostPtr[i], b.PostPtr[i+1]
		if r.rows {
			r.hist.add(i, t)
		} else {
			for _, k := range b.PostSyn[a:e] {
				if t-r.preLast[k] > r.horizon {
					continue
				}
				x := r.decay(r.pre[k], r.preLast[k], t, r.tauPlus)
				if x == 0 {
					continue
				}
				sign, m := r.magnitude(k)
				f := 1.0
				if r.muPlus != 0 {
					f = math.Pow(math.Max(0, 1-m/r.wmax), r.muPlus)
				}
				b.W[k] = b.Clamp(k, float32(sign*(m+r.aPlus*f*x)))
			}
		}
		y := r.decay(r.post[i], r.postLast[i], t, r.tauMinus)
		if r.nearest {
			y = 1
		} else {
			y++
		}
		r.post[i], r.postLast[i] = y, t
	}
}

// replay applies to every synapse of source src the potentiation owed
// for its target's spikes at times from[src] ≤ t' < t, in order, with the
// source's trace as it was after its last arrival, then marks them paid.
// Each change is the one an immediate update at t' would have made.
func (r *stdp) replay(src int32, t int64) {
	from := r.from[src]
	r.from[src] = t
	x0, last := r.pre[src], r.preLast[src]
	if x0 == 0 || from >= t || from-last > r.horizon {
		return
	}
	b := r.b
	a, e := b.RowPtr[src], b.RowPtr[src+1]
	w, tgt := b.W[a:e], b.Tgt[a:e]
	sign := float64(b.Sign)
	wmin, wmax := b.WMin, b.WMax
	tab := r.expPlus
	for n, tg := range tgt {
		i := int(tg) - b.Lo
		if r.hist.last[i] < from {
			continue // no spike since: nothing owed
		}
		h := r.hist.of(i)
		// the spikes in [from, t): few, at the end of h
		k := len(h)
		for k > 0 && h[k-1] >= from {
			k--
		}
		for _, tp := range h[k:] {
			d := tp - last
			if tp >= t || d > r.horizon {
				break
			}
			x := x0
			if d < int64(len(tab)) {
				x *= tab[d]
			} else {
				x *= math.Exp(-float64(d) * r.dt / r.tauPlus)
			}
			if x == 0 {
				break
			}
			m := sign * float64(w[n])
			f := 1.0
			if r.muPlus != 0 {
				f = math.Pow(math.Max(0, 1-m/r.wmax), r.muPlus)
			}
			// Clamp(k, float32(sign·v)) for a block of one sign: float32
			// rounding commutes with the sign, so clamp the magnitude.
			v := min(max(float32(m+r.aPlus*f*x), wmin), wmax)
			if sign < 0 {
				v = -v
			}
			w[n] = v
		}
	}
}

// spikeLog holds each target's recent spike times in one flat array, c
// per target (times of target i in t[i·c : i·c+n[i]], ascending): a
// lookup touches one small count and one stretch of memory.
type spikeLog struct {
	t    []int64
	n    []int32
	c    int
	last []int64 // each target's latest spike time (-1 before the first), kept dense to skip the log
}

// of returns the spike times of target i.
func (l *spikeLog) of(i int) []int64 { return l.t[i*l.c : i*l.c+int(l.n[i])] }

// add appends time t to target i's spikes, doubling every target's room
// when i's is full (rare: the room grows to the most spikes a target
// fires within the horizon and the sweep interval).
func (l *spikeLog) add(i int, t int64) {
	if int(l.n[i]) == l.c {
		c := 2 * l.c
		grown := make([]int64, len(l.n)*c)
		for j := range l.n {
			copy(grown[j*c:], l.of(j))
		}
		l.t, l.c = grown, c
	}
	l.t[i*l.c+int(l.n[i])] = t
	l.n[i]++
	l.last[i] = t
}

// sweepEvery is how often, in steps, Tick pays what silent sources owe
// and forgets the postsynaptic spikes no source needs any more.
const sweepEvery = 256

// Tick, every sweepEvery steps, brings up to date the synapses of sources
// silent for longer than the horizon (no later spike of their targets
// can potentiate them) and drops the spikes older than the horizon, which
// every source has then been paid for.
func (r *stdp) Tick(s int64) {
	if !r.rows || s%sweepEvery != 0 {
		return
	}
	now := s + 1 // the spikes recorded so far are at times ≤ s
	for j := range r.from {
		if now-r.preLast[j] > r.horizon && r.from[j] < now {
			r.replay(int32(j), now)
		}
	}
	for i := range r.hist.n {
		h := r.hist.of(i)
		k := 0
		for k < len(h) && h[k] < now-r.horizon {
			k++
		}
		if k > 0 {
			r.hist.n[i] = int32(copy(h, h[k:]))
		}
	}
}

// Settle brings every weight up to date through step s: the potentiation
// owed for every postsynaptic spike so far (at times ≤ s+1) is applied.
func (r *stdp) Settle(s int64) {
	if !r.rows {
		return
	}
	for j := range r.from {
		r.replay(int32(j), s+2)
	}
}
