package engine

import (
	"context"

	"github.com/hebb-snn/hebb/plasticity"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// Step returns the number of steps taken so far.
func (s *Sim) Step() int64 { return s.step }

// Time returns the simulated time reached, in ms.
func (s *Sim) Time() float64 { return s.TimeOf(s.step) }

// TimeOf returns the time of step k in ms, k·dt. When dt is 1/n ms it is
// computed as k/n, so that 439 steps of 0.1 ms are 43.9 ms, not
// 43.900000000000006.
func (s *Sim) TimeOf(k int64) float64 {
	if s.perMs != 0 {
		return float64(k) / s.perMs
	}
	return float64(k) * s.dt
}

// Run advances the simulation to the end of the model's duration. It stops
// early, at a step boundary, when ctx is cancelled and then returns
// ctx.Err(); everything recorded up to the step reached is kept. progress,
// if not nil, is called from time to time with the steps done and the
// total.
func (s *Sim) Run(ctx context.Context, progress func(done, total int64)) error {
	return s.RunUntil(ctx, s.Net.Steps, progress)
}

// RunUntil advances the simulation until it has taken end steps.
func (s *Sim) RunUntil(ctx context.Context, end int64, progress func(done, total int64)) error {
	var team *team
	if len(s.workers) > 1 {
		team = s.startTeam()
		defer team.stop()
	}
	report := max((end-s.step)/200, 1)
	for s.step < end {
		if s.step%64 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if team != nil {
			team.run()
		} else {
			s.work(0)
		}
		s.gather()
		s.step++
		s.rec.sample(s)
		if progress != nil && s.step%report == 0 {
			progress(s.step, end)
		}
	}
	for _, p := range s.projs {
		p.settle(s.step - 1)
	}
	if progress != nil {
		progress(s.step, end)
	}
	return nil
}

// team runs workers 1..n-1 on goroutines, one step at a time; worker 0 is
// the calling goroutine. Steps are short (microseconds), so the team
// synchronises with atomic counters that waiting goroutines poll, yielding
// the processor between polls, rather than with channels.
type team struct {
	s    *Sim
	gen  atomic.Int64 // incremented to start a step
	left atomic.Int32 // workers still busy with the current step
	quit atomic.Bool
	wg   sync.WaitGroup
}

func (s *Sim) startTeam() *team {
	t := &team{s: s}
	for w := 1; w < len(s.workers); w++ {
		t.wg.Add(1)
		go func() {
			defer t.wg.Done()
			var seen int64
			for {
				g := t.gen.Load()
				for spins := 0; g == seen; spins++ {
					pause(spins)
					g = t.gen.Load()
				}
				seen = g
				if t.quit.Load() {
					return
				}
				s.work(w)
				t.left.Add(-1)
			}
		}()
	}
	return t
}

// run takes one step with every worker and waits for all of them.
func (t *team) run() {
	t.left.Store(int32(len(t.s.workers) - 1))
	t.gen.Add(1)
	t.s.work(0)
	for spins := 0; t.left.Load() != 0; spins++ {
		pause(spins)
	}
}

func (t *team) stop() {
	t.quit.Store(true)
	t.gen.Add(1)
	t.wg.Wait()
}

// pause waits a little while polling: a busy spin at first, then it lets
// other goroutines run, then it sleeps, so that idle waiting does not hold
// a processor for long.
func pause(spins int) {
	switch {
	case spins < 64:
	case spins < 10000:
		runtime.Gosched()
	default:
		time.Sleep(50 * time.Microsecond)
	}
}

// work performs worker w's part of step s.step.
func (s *Sim) work(w int) {
	wk := s.workers[w]
	st := s.step
	// 1. Route the spikes of the previous step into this worker's ring
	//    buffers (presynaptic plasticity first).
	if st > 0 {
		for _, p := range s.projs {
			b := p.blocks[w]
			if b.Len() == 0 {
				continue
			}
			src := s.pops[p.from]
			tgt := s.pops[p.to]
			if p.arrivals != nil {
				q := p.arrivals[w]
				if p.rows {
					at := st - 1 + int64(b.Delay0)
					for k, id := range src.out.IDs {
						q.Queue(at, id, src.out.Amp[k])
					}
					continue
				}
				for k, id := range src.out.IDs {
					q.Send(b, id, st-1, src.out.Amp[k])
				}
				continue
			}
			for k, id := range src.out.IDs {
				amp := src.out.Amp[k]
				switch {
				case p.sign > 0:
					b.Deliver(tgt.ex, id, st-1, amp)
				case p.sign < 0:
					b.Deliver(tgt.in, id, st-1, amp)
				default:
					b.DeliverMixed(tgt.ex, tgt.in, id, st-1, amp)
				}
			}
		}
	}
	// 1b. Spikes reaching plastic synapses now: the learning rule sees the
	//     arrival, then the spike delivers the synapse's current weight.
	for _, p := range s.projs {
		if p.arrivals == nil {
			continue
		}
		b, l, tgt := p.blocks[w], p.learners[w], s.pops[p.to]
		syn, amps := p.arrivals[w].Take(st)
		ex, inh := tgt.ex.Slot(st), tgt.in.Slot(st)
		if p.rows {
			// syn holds sources whose spike reaches all their synapses now.
			dst := ex
			if b.Sign < 0 {
				dst = inh
			}
			rl := l.(plasticity.RowLearner)
			for n, src := range syn {
				b.Events += int64(b.RowPtr[src+1] - b.RowPtr[src])
				rl.ArriveRow(st, src, float64(amps[n]), dst)
			}
			continue
		}
		b.Events += int64(len(syn))
		for n, k := range syn {
			amp := float64(amps[n])
			l.Arrive(st, k, amp)
			sign := b.Sign
			if sign == 0 {
				sign = b.Signs[k]
			}
			if sign > 0 {
				ex[b.Tgt[k]] += amp * float64(b.W[k])
			} else {
				inh[b.Tgt[k]] += amp * float64(b.W[k])
			}
		}
	}
	for _, p := range s.projs {
		if p.learners != nil {
			if t, ok := p.learners[w].(plasticity.Ticker); ok {
				t.Tick(st)
			}
		}
	}
	// 2. Advance each population's neurons owned by this worker.
	in := &wk.input
	in.Step = st
	for pi, p := range s.pops {
		own := wk.own[pi]
		out := &wk.out[pi]
		out.Reset()
		if own.lo == own.hi {
			continue
		}
		if p.ex != nil {
			in.Ex, in.In = p.ex.Slot(st), p.in.Slot(st)
		} else {
			in.Ex, in.In = s.zero, s.zero
		}
		in.I = p.cur
		if p.cur != nil {
			clear(p.cur[own.lo:own.hi])
		}
		for _, x := range p.stims {
			x.Apply(own.lo, own.hi, in)
		}
		p.kernel.Step(own.lo, own.hi, in, out)
		if p.ex != nil && !p.clears {
			clear(in.Ex[own.lo:own.hi])
			clear(in.In[own.lo:own.hi])
		}
	}
	// 3. Postsynaptic plasticity.
	for _, p := range s.projs {
		if p.learners == nil {
			continue
		}
		out := &wk.out[p.to]
		if len(out.IDs) > 0 {
			p.learners[w].Post(st, out.IDs, out.Amp)
		}
	}
}

// gather concatenates the workers' outputs of the step just taken, in
// neuron order, and records them.
func (s *Sim) gather() {
	st := s.step
	for pi, p := range s.pops {
		p.out.Reset()
		for _, wk := range s.workers {
			o := &wk.out[pi]
			p.out.IDs = append(p.out.IDs, o.IDs...)
			p.out.Amp = append(p.out.Amp, o.Amp...)
		}
		if p.model.Source {
			for _, a := range p.out.Amp {
				p.spikes += int64(a)
			}
		} else {
			p.spikes += int64(len(p.out.IDs))
		}
		if p.hist != nil {
			p.hist.Record(st, p.out.IDs, p.out.Amp)
		}
	}
	s.rec.spikes(s, s.TimeOf(st+1))
}

// settle brings lazily updated weights (plasticity.Settler) up to date
// through step st; it runs serially, between steps.
func (p *proj) settle(st int64) {
	for _, l := range p.learners {
		if x, ok := l.(plasticity.Settler); ok {
			x.Settle(st)
		}
	}
}
