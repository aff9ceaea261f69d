package engine

import (
	"fmt"

	"github.com/hebb-snn/hebb/model"
)

// SpikeTrain holds the spikes recorded from one population.
type SpikeTrain struct {
	Pop   string
	Size  int
	Times []float64 // ms, stamped at the end of the step
	IDs   []int32   // neuron index within the population
}

// StateTrace holds the samples of one state variable.
type StateTrace struct {
	Pop, Var, Unit string
	Neurons        []int32
	Times          []float64 // ms
	Values         []float64 // row-major: Values[t*len(Neurons)+i]
}

// WeightTrace holds the samples of one projection's weights.
type WeightTrace struct {
	Proj     string
	Unit     string
	Src, Tgt []int32   // the synapses, ordered by source, then target
	Times    []float64 // ms
	W        []float64 // row-major: W[t*len(Src)+k]
}

type recorders struct {
	spk    []*SpikeTrain // by population; nil if not recorded
	state  []*stateRec
	weight []*weightRec
}

type stateRec struct {
	every int64
	vars  [][]float64 // the kernel's slices
	out   []*StateTrace
}

type synRef struct{ w, k int32 }

type weightRec struct {
	every int64
	p     *proj
	syn   []synRef
	out   *WeightTrace
}

func (r *recorders) init(s *Sim) error {
	r.spk = make([]*SpikeTrain, len(s.pops))
	for _, rc := range s.Net.Recs {
		every := max(int64(1), int64(rc.Interval/s.dt+0.5))
		switch rc.Kind {
		case model.RecSpikes:
			for _, pi := range rc.Pops {
				if r.spk[pi] == nil {
					r.spk[pi] = &SpikeTrain{Pop: s.pops[pi].name, Size: s.pops[pi].size}
				}
			}
		case model.RecState:
			p := s.pops[rc.Pop]
			sr := &stateRec{every: every}
			neurons := rc.Neurons
			if neurons == nil {
				neurons = make([]int32, p.size)
				for i := range neurons {
					neurons[i] = int32(i)
				}
			}
			for _, v := range rc.Vars {
				x := p.kernel.Var(v)
				if x == nil {
					return fmt.Errorf("population %s: cannot record %s", p.name, v)
				}
				unit := ""
				if d, ok := p.model.StateDef(v); ok {
					unit = d.Unit
				}
				sr.vars = append(sr.vars, x)
				sr.out = append(sr.out, &StateTrace{Pop: p.name, Var: v, Unit: unit, Neurons: neurons})
			}
			r.state = append(r.state, sr)
		case model.RecWeights:
			p := s.projs[rc.Proj]
			wr := &weightRec{every: every, p: p, out: &WeightTrace{Proj: p.name, Unit: s.pops[p.to].model.WeightUnit}}
			nsrc := s.pops[p.from].size
			for j := 0; j < nsrc; j++ {
				for w, b := range p.blocks {
					for k := b.RowPtr[j]; k < b.RowPtr[j+1]; k++ {
						wr.syn = append(wr.syn, synRef{int32(w), k})
						wr.out.Src = append(wr.out.Src, int32(j))
						wr.out.Tgt = append(wr.out.Tgt, b.Tgt[k])
					}
				}
			}
			r.weight = append(r.weight, wr)
		}
	}
	r.sample(s) // the initial state
	return nil
}

// spikes records the output of the step that ended at time t.
func (r *recorders) spikes(s *Sim, t float64) {
	for pi, p := range s.pops {
		tr := r.spk[pi]
		if tr == nil {
			continue
		}
		for k, id := range p.out.IDs {
			n := 1
			if p.model.Source {
				n = int(p.out.Amp[k]) // several spikes of a source in one step
			}
			for ; n > 0; n-- {
				tr.Times = append(tr.Times, t)
				tr.IDs = append(tr.IDs, id)
			}
		}
	}
}

// sample records state and weights due at the current step.
func (r *recorders) sample(s *Sim) {
	t := s.Time()
	for _, sr := range r.state {
		if s.step%sr.every != 0 {
			continue
		}
		for v, x := range sr.vars {
			o := sr.out[v]
			o.Times = append(o.Times, t)
			for _, i := range o.Neurons {
				o.Values = append(o.Values, x[i])
			}
		}
	}
	for _, wr := range r.weight {
		if s.step%wr.every != 0 {
			continue
		}
		wr.p.settle(s.step - 1)
		o := wr.out
		o.Times = append(o.Times, t)
		for _, sy := range wr.syn {
			o.W = append(o.W, float64(wr.p.blocks[sy.w].Weight(sy.k)))
		}
	}
}

// Spikes returns the recorded spike trains, in population order.
func (s *Sim) Spikes() []*SpikeTrain {
	var out []*SpikeTrain
	for _, t := range s.rec.spk {
		if t != nil {
			out = append(out, t)
		}
	}
	return out
}

// States returns the recorded state traces.
func (s *Sim) States() []*StateTrace {
	var out []*StateTrace
	for _, sr := range s.rec.state {
		out = append(out, sr.out...)
	}
	return out
}

// Weights returns the recorded weight traces.
func (s *Sim) Weights() []*WeightTrace {
	var out []*WeightTrace
	for _, wr := range s.rec.weight {
		out = append(out, wr.out)
	}
	return out
}

// PopStats summarises one population after a run.
type PopStats struct {
	Name   string
	Model  string
	Size   int
	Spikes int64 // emitted, recorded or not
}

// ProjStats summarises one projection after a run.
type ProjStats struct {
	Name     string
	From, To string
	Synapses int64
	Events   int64 // synaptic events delivered
}

// Stats returns per-population and per-projection counts.
func (s *Sim) Stats() ([]PopStats, []ProjStats) {
	var ps []PopStats
	for _, p := range s.pops {
		ps = append(ps, PopStats{Name: p.name, Model: p.model.Name, Size: p.size, Spikes: p.spikes})
	}
	var qs []ProjStats
	for _, p := range s.projs {
		q := ProjStats{Name: p.name, From: s.pops[p.from].name, To: s.pops[p.to].name, Synapses: p.n}
		for _, b := range p.blocks {
			q.Events += b.Events
		}
		qs = append(qs, q)
	}
	return ps, qs
}

// Neurons returns the number of neurons.
func (s *Sim) Neurons() int {
	n := 0
	for _, p := range s.pops {
		n += p.size
	}
	return n
}

// Synapses returns the number of synapses.
func (s *Sim) Synapses() int64 {
	var n int64
	for _, p := range s.projs {
		n += p.n
	}
	return n
}

// SynapseBytes returns the memory held by the synapses: per-synapse
// indices, weights, delays and signs, the row pointers, the reverse
// indices of plastic projections and the learners' per-synapse state.
func (s *Sim) SynapseBytes() int64 {
	var n int64
	for _, p := range s.projs {
		for _, b := range p.blocks {
			n += b.Bytes()
		}
		for _, l := range p.learners {
			if m, ok := l.(interface{ Bytes() int64 }); ok {
				n += m.Bytes()
			}
		}
	}
	return n
}
