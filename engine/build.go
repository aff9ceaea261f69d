// Package engine builds a network from a validated model (model.Net) and
// simulates it with a fixed time step.
//
// State lives in flat slices: each population's kernel holds one slice per
// state variable, each projection's synapses are CSR blocks (package
// synapse). Time is an integer step counter; t = step·dt.
//
// The work is split among workers, each owning a contiguous range of every
// population's neurons and all synapses that end on them. Per step each
// worker, in parallel:
//
//  1. routes the spikes emitted in the previous step into its ring
//     buffers (presynaptic plasticity first);
//  2. for each population: takes the input arriving now from the ring
//     buffers, applies stimuli, advances its neurons (threshold, reset,
//     refractoriness inside the kernel), then postsynaptic plasticity.
//
// Then, serially: the workers' spikes are concatenated in neuron order,
// recorded, and the state recorders sample. Nothing depends on how many
// workers there are: random numbers come from streams keyed by neuron,
// and every sum into a ring buffer happens in the same order.
package engine

import (
	"fmt"
	"math"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/hebb-snn/hebb/connect"
	"github.com/hebb-snn/hebb/model"
	"github.com/hebb-snn/hebb/neuron"
	"github.com/hebb-snn/hebb/param"
	"github.com/hebb-snn/hebb/plasticity"
	"github.com/hebb-snn/hebb/rng"
	"github.com/hebb-snn/hebb/stimulus"
	"github.com/hebb-snn/hebb/synapse"
)

// MaxDelaySteps is the longest synaptic delay, in steps.
const MaxDelaySteps = math.MaxUint16

// Options tune a simulation without changing its results.
type Options struct {
	Threads int // number of workers; < 1 means 1
	// MemoryLimit is the memory the network may need, in bytes: Build
	// refuses a model whose EstimateMemory exceeds it. 0 means the
	// available memory (AvailableMemory); negative turns the check off.
	MemoryLimit int64
}

// Sim is a built network ready to run.
type Sim struct {
	Net     *model.Net
	dt      float64
	perMs   float64 // 1/dt when that is a whole number, else 0
	step    int64   // steps taken
	pops    []*pop
	projs   []*proj
	workers []*worker
	rec     recorders
	zero    []float64 // input of populations that take none
}

type pop struct {
	name   string
	size   int
	offset int // global id of neuron 0
	model  *neuron.Model
	kernel neuron.Kernel
	ex, in *synapse.Ring // nil for sources
	cur    []float64     // injected current, if any stimulus injects
	stims  []stimulus.Stimulus
	hist   *synapse.History // kept if a rule needs presynaptic activity
	clears bool             // the kernel zeroes its input (neuron.InputClearer)
	out    neuron.Output    // what the population emitted in the last step
	spikes int64
}

type proj struct {
	name     string
	from, to int
	sign     int8
	n        int64
	blocks   []*synapse.Block     // one per worker
	learners []plasticity.Learner // one per worker, nil if static
	arrivals []*synapse.Arrivals  // one per worker for plastic projections
	rows     bool                 // arrivals queue sources (plasticity.RowLearner on Uniform blocks)
}

type span struct{ lo, hi int }

type worker struct {
	own   []span          // per population
	out   []neuron.Output // per population
	input neuron.Input
}

// Build builds the network described by net.
func Build(net *model.Net, opt Options) (*Sim, error) {
	threads := max(opt.Threads, 1)
	if err := checkMemory(net, threads, opt.MemoryLimit); err != nil {
		return nil, err
	}
	s := &Sim{Net: net, dt: net.Dt, perMs: 1 / net.Dt}
	if r := math.Round(s.perMs); math.Abs(s.perMs-r) > 1e-9*r {
		s.perMs = 0 // dt is not 1/n ms: times are step·dt
	} else {
		s.perMs = r
	}
	offset := 0
	maxSize := 0
	for _, p := range net.Pops {
		k, err := p.Model.New(p.Size, p.Params, neuron.Env{Dt: net.Dt, Seed: net.Seed, Offset: offset})
		if err != nil {
			return nil, fmt.Errorf("population %s: %v", p.Name, err)
		}
		var set []string
		for vi, in := range p.Init {
			set = append(set, in.Var)
			x := k.Var(in.Var)
			if x == nil {
				return nil, fmt.Errorf("population %s: model %s has no state variable %s", p.Name, p.Model.Name, in.Var)
			}
			for i := range x {
				st := rng.New(net.Seed, rng.KeyInit, uint64(vi), uint64(offset+i))
				x[i] = in.Dist.Sample(&st)
			}
		}
		if st, ok := k.(neuron.Starter); ok {
			st.Start(set)
		}
		pp := &pop{name: p.Name, size: p.Size, offset: offset, model: p.Model, kernel: k,
			out: neuron.Output{IDs: make([]int32, 0, p.Size), Amp: make([]float64, 0, p.Size)}}
		if c, ok := k.(neuron.InputClearer); ok {
			pp.clears = c.ClearsInput()
		}
		s.pops = append(s.pops, pp)
		offset += p.Size
		maxSize = max(maxSize, p.Size)
	}
	s.zero = make([]float64, maxSize)
	for w := 0; w < threads; w++ {
		wk := &worker{own: make([]span, len(s.pops)), out: make([]neuron.Output, len(s.pops))}
		for pi, p := range s.pops {
			own := span{chunkStart(p.size, w, threads), chunkStart(p.size, w+1, threads)}
			wk.own[pi] = own
			// A neuron emits at most once per step: outputs never grow.
			wk.out[pi] = neuron.Output{IDs: make([]int32, 0, own.hi-own.lo), Amp: make([]float64, 0, own.hi-own.lo)}
		}
		s.workers = append(s.workers, wk)
	}
	maxDelay := make([]int, len(s.pops))
	for i := range maxDelay {
		maxDelay[i] = 1
	}
	histDelay := make([]int, len(s.pops))
	if err := s.buildProjections(threads); err != nil {
		return nil, err
	}
	for pi, pr := range net.Projs {
		p := s.projs[pi]
		d := 1
		for _, b := range p.blocks {
			d = max(d, maxDelayOf(b))
		}
		maxDelay[pr.To] = max(maxDelay[pr.To], d)
		if pr.Plasticity != nil && pr.Plasticity.PreHistory {
			histDelay[pr.From] = max(histDelay[pr.From], d)
		}
	}
	for pi, p := range s.pops {
		if !p.model.Source {
			p.ex = synapse.NewRing(p.size, maxDelay[pi])
			p.in = synapse.NewRing(p.size, maxDelay[pi])
		}
		if histDelay[pi] > 0 {
			p.hist = synapse.NewHistory(p.size, histDelay[pi])
		}
	}
	// Learners are made once rings and histories exist.
	for pi, pr := range net.Projs {
		if pr.Plasticity == nil {
			continue
		}
		p := s.projs[pi]
		for _, b := range p.blocks {
			b.BuildReverse()
			env := plasticity.Env{Dt: net.Dt, Pre: s.pops[pr.From].hist, Blk: b}
			if pr.Plasticity.Modulated && pr.Modulator >= 0 {
				env.Modulator = &s.pops[pr.Modulator].out
			}
			l, err := pr.Plasticity.New(pr.Learning, env)
			if err != nil {
				return nil, fmt.Errorf("projection %s: %v", pr.Name, err)
			}
			rl, ok := l.(plasticity.RowLearner)
			p.rows = ok && rl.Rows() && b.Uniform() // the same for every block of p
			p.learners = append(p.learners, l)
			p.arrivals = append(p.arrivals, synapse.NewArrivals(maxDelayOf(b)))
		}
	}
	for si, st := range net.Stims {
		p := s.pops[st.Target]
		sel := st.Neurons
		if sel == nil {
			sel = make([]int32, p.size)
			for i := range sel {
				sel[i] = int32(i)
			}
		}
		x, err := st.Kind.New(st.Params, sel, stimulus.Env{Dt: net.Dt, Seed: net.Seed, Key: uint64(si), Offset: p.offset})
		if err != nil {
			return nil, fmt.Errorf("stimulus %d (%s on %s): %v", si, st.Kind.Name, p.name, err)
		}
		p.stims = append(p.stims, x)
		if st.Kind.Current && p.cur == nil {
			p.cur = make([]float64, p.size)
		}
	}
	if err := s.rec.init(s); err != nil {
		return nil, err
	}
	return s, nil
}

// chunkStart returns where worker w's range of a population of n neurons
// starts, with threads workers: n·w/threads rounded down to a multiple
// of neuron.Chunk (n for w = threads).
func chunkStart(n, w, threads int) int {
	if w >= threads {
		return n
	}
	return n * w / threads / neuron.Chunk * neuron.Chunk
}

func maxDelayOf(b *synapse.Block) int {
	if b.Delay == nil {
		return int(b.Delay0)
	}
	d := 0
	for _, x := range b.Delay {
		d = max(d, int(x))
	}
	return d
}

// buildProjections builds every projection, up to threads at a time (the
// projections draw from streams of their own, so the result does not
// depend on the order). The first error, in projection order, is returned.
func (s *Sim) buildProjections(threads int) error {
	n := len(s.Net.Projs)
	s.projs = make([]*proj, n)
	errs := make([]error, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(threads, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				pi := int(next.Add(1) - 1)
				if pi >= n {
					return
				}
				s.projs[pi], errs[pi] = s.buildProjection(pi, &s.Net.Projs[pi])
			}
		}()
	}
	wg.Wait()
	for pi, err := range errs {
		if err != nil {
			return fmt.Errorf("projection %s: %v", s.Net.Projs[pi].Name, err)
		}
	}
	return nil
}

// buildProjection draws the synapses of projection pi and splits them
// among the workers by target.
func (s *Sim) buildProjection(pi int, pr *model.Proj) (*proj, error) {
	net := s.Net
	src, tgt := s.pops[pr.From], s.pops[pr.To]
	from, to, err := connect.Generate(pr.Rule, pr.Connect, src.size, tgt.size, pr.From == pr.To, net.Seed, uint64(pi))
	if err != nil {
		return nil, err
	}
	n := len(from)
	// Canonical order: by source, then target, then drawing order. Every
	// worker's block keeps this order, so sums into ring buffers happen
	// in the same order whatever the number of workers. Generate returns
	// the synapses grouped by target in ascending order (fixed_outdegree:
	// by source), so a stable counting sort by source gives it.
	rowStart := make([]int32, src.size+1)
	for _, j := range from {
		rowStart[j+1]++
	}
	for j := 0; j < src.size; j++ {
		rowStart[j+1] += rowStart[j]
	}
	tgtC := make([]int32, n)
	{
		next := append([]int32(nil), rowStart[:src.size]...)
		for k, j := range from {
			tgtC[next[j]] = to[k]
			next[j]++
		}
	}
	from, to = nil, nil // free them before the weights are drawn
	// Weights and delays are drawn in canonical order from the
	// projection's own stream.
	st := rng.New(net.Seed, rng.KeyWeight, uint64(pi))
	w := make([]float32, n)
	var delay []uint16
	constDelay := pr.Delay.Kind == param.ConstDist
	d0 := uint16(0)
	if constDelay {
		d, err := delaySteps(pr.Delay.A, net.Dt, false)
		if err != nil {
			return nil, err
		}
		d0 = d
	} else {
		delay = make([]uint16, n)
	}
	if pr.Weights != nil && len(pr.Weights) != n {
		return nil, fmt.Errorf("%d weights are listed but the connectivity rule made %d synapses", len(pr.Weights), n)
	}
	for c := range n {
		if pr.Weights != nil {
			w[c] = float32(pr.Weights[c])
		} else {
			x, err := drawWeight(pr, &st)
			if err != nil {
				return nil, err
			}
			w[c] = x
		}
		if !constDelay {
			d, err := delaySteps(pr.Delay.Sample(&st), net.Dt, true)
			if err != nil {
				return nil, err
			}
			delay[c] = d
		}
	}
	p := &proj{name: pr.Name, from: pr.From, to: pr.To, sign: pr.Sign, n: int64(n)}
	wmin, wmax := float32(0), float32(synapse.MaxWeight)
	if pr.Plasticity != nil {
		wmin = float32(pr.Learning.Num("w_min"))
		if pr.Learning.Has("w_max") {
			wmax = float32(pr.Learning.Num("w_max"))
		}
	}
	for _, wk := range s.workers {
		own := wk.own[pr.To]
		b := &synapse.Block{Lo: own.lo, Hi: own.hi, RowPtr: make([]int32, src.size+1), Delay0: d0, Sign: pr.Sign, WMin: wmin, WMax: wmax}
		p.blocks = append(p.blocks, b)
		if len(s.workers) == 1 { // the block is the whole projection
			b.RowPtr, b.Tgt, b.W, b.Delay = rowStart, tgtC, w, delay
			break
		}
		// Within a row the targets ascend: this worker's synapses of row
		// j are one contiguous run, [a, e).
		runs := make([][2]int32, src.size)
		m := 0
		for j := range src.size {
			row := tgtC[rowStart[j]:rowStart[j+1]]
			a := sort.Search(len(row), func(k int) bool { return int(row[k]) >= own.lo })
			e := sort.Search(len(row), func(k int) bool { return int(row[k]) >= own.hi })
			runs[j] = [2]int32{rowStart[j] + int32(a), rowStart[j] + int32(e)}
			m += e - a
			b.RowPtr[j+1] = int32(m)
		}
		b.Tgt = make([]int32, 0, m)
		b.W = make([]float32, 0, m)
		if delay != nil {
			b.Delay = make([]uint16, 0, m)
		}
		for _, r := range runs {
			b.Tgt = append(b.Tgt, tgtC[r[0]:r[1]]...)
			b.W = append(b.W, w[r[0]:r[1]]...)
			if delay != nil {
				b.Delay = append(b.Delay, delay[r[0]:r[1]]...)
			}
		}
	}
	// A static projection of one sign whose weights are all equal keeps
	// one weight instead of one per synapse.
	if pr.Plasticity == nil && pr.Sign != 0 && n > 0 && allEqual(w) {
		for _, b := range p.blocks {
			b.W, b.W0 = nil, w[0]
		}
	}
	if pr.Sign == 0 {
		for _, b := range p.blocks {
			b.Signs = make([]int8, len(b.W))
			for k, x := range b.W {
				b.Signs[k] = synapse.Excitatory
				if x < 0 {
					b.Signs[k] = synapse.Inhibitory
				}
			}
		}
	}
	return p, nil
}

// allEqual reports whether every element of w is the same.
func allEqual(w []float32) bool {
	for _, x := range w {
		if x != w[0] {
			return false
		}
	}
	return true
}

// drawWeight draws one weight of pr, redrawing values whose sign does not
// match the projection's type (weights follow the distribution truncated
// to the allowed sign).
func drawWeight(pr *model.Proj, st *rng.Stream) (float32, error) {
	for try := 0; try < 1000; try++ {
		x := pr.Weight.Sample(st)
		if (pr.Sign > 0 && x < 0) || (pr.Sign < 0 && x > 0) {
			continue
		}
		if math.Abs(x) > synapse.MaxWeight {
			return 0, fmt.Errorf("weight %g does not fit a float32", x)
		}
		return float32(x), nil
	}
	return 0, fmt.Errorf("the weight distribution almost never gives values of the projection's sign")
}

// delaySteps converts a delay in ms to steps. Drawn delays are rounded to
// the nearest step and raised to one step if shorter; a constant delay
// must already be at least dt.
func delaySteps(d, dt float64, drawn bool) (uint16, error) {
	k := math.Round(d / dt)
	if k < 1 {
		if !drawn {
			return 0, fmt.Errorf("delay %g ms is shorter than dt = %g ms", d, dt)
		}
		k = 1
	}
	if k > MaxDelaySteps {
		return 0, fmt.Errorf("delay %g ms exceeds the longest delay, %d steps of %g ms", d, MaxDelaySteps, dt)
	}
	return uint16(k), nil
}
