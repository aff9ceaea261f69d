package neuron

import (
	"fmt"
	"sort"

	"github.com/hebb-snn/hebb/param"
	"github.com/hebb-snn/hebb/rng"
)

// Spike sources: populations that emit spikes on their own and take no
// input. Each neuron of a random source has its own random stream keyed
// by its global id, so results do not depend on the number of threads.
func init() {
	Register(&Model{
		Schema: param.Schema{
			Name: "poisson_source",
			Doc:  "independent Poisson spike trains: in each step a neuron emits k ~ Poisson(rate·dt) spikes (NEST poisson_generator, parrot-free)",
			Params: []param.Def{
				{Name: "rate", Unit: "Hz", Required: true, Range: param.NonNegative, Doc: "firing rate"},
				{Name: "start", Unit: "ms", Default: 0, Range: param.NonNegative, Doc: "first moment of activity"},
				{Name: "stop", Unit: "ms", Optional: true, Range: param.NonNegative, Doc: "end of activity (default: never)"},
			},
		},
		Source: true,
		New: func(n int, v param.Values, env Env) (Kernel, error) {
			k := &poissonSource{tab: rng.NewPoissonTable(v.Num("rate") * env.Dt / 1000),
				key: rng.Derive(env.Seed, rng.KeyNeuron), offset: env.Offset}
			k.from, k.to = activeSteps(v, env.Dt)
			return k, nil
		},
	})
	Register(&Model{
		Schema: param.Schema{
			Name: "bernoulli_source",
			Doc:  "binary units that are 1 in each step with probability p, independently (the code lab's presynaptic units)",
			Params: []param.Def{
				{Name: "p", Required: true, Range: param.Probability, Doc: "probability of emitting in a step"},
			},
		},
		Source: true,
		New: func(n int, v param.Values, env Env) (Kernel, error) {
			return &bernoulliSource{p: v.Num("p"), rng: streams(n, env)}, nil
		},
	})
	Register(&Model{
		Schema: param.Schema{
			Name: "spike_source",
			Doc:  "every neuron emits spikes at the listed times (rounded to the dt grid)",
			Params: []param.Def{
				{Name: "times", Kind: param.List, Unit: "ms", Required: true, Range: param.NonNegative, Doc: "spike times, at least dt"},
			},
		},
		Source: true,
		Check: func(v param.Values, dt float64) []ParamError {
			return CheckTimes("times", v["times"].List, dt)
		},
		New: func(n int, v param.Values, env Env) (Kernel, error) {
			k := &spikeSource{}
			for _, t := range v["times"].List {
				s := Steps(t, env.Dt) - 1 // a spike at t_{s+1} is emitted in step s
				if s < 0 {
					return nil, fmt.Errorf("spike time %g ms is before the first step ends (dt = %g ms)", t, env.Dt)
				}
				k.steps = append(k.steps, s)
			}
			sort.Slice(k.steps, func(i, j int) bool { return k.steps[i] < k.steps[j] })
			return k, nil
		},
	})
}

func streams(n int, env Env) []rng.Stream {
	s := make([]rng.Stream, n)
	for i := range s {
		s[i] = rng.New(env.Seed, rng.KeyNeuron, uint64(env.Offset+i))
	}
	return s
}

// activeSteps returns the steps [from, to) during which a source with start
// and stop parameters is active.
func activeSteps(v param.Values, dt float64) (from, to int64) {
	from, to = Steps(v.Num("start"), dt), int64(1)<<62
	if v.Has("stop") {
		to = Steps(v.Num("stop"), dt)
	}
	return from, to
}

type poissonSource struct {
	tab      *rng.PoissonTable // spikes per step
	from, to int64
	key      uint64 // random numbers rng.Hash(key, rng.Counter(global id, step))
	offset   int    // global id of neuron 0
}

func (k *poissonSource) Var(string) []float64 { return nil }

func (k *poissonSource) Step(lo, hi int, in *Input, out *Output) {
	if in.Step < k.from || in.Step >= k.to {
		return
	}
	// One counter-based random number per (step, neuron).
	for i := lo; i < hi; i++ {
		var c int
		if k.tab.Small() {
			c = k.tab.Of(rng.Hash(k.key, rng.Counter(k.offset+i, in.Step)))
		} else {
			st := rng.New(k.key, rng.Counter(k.offset+i, in.Step))
			c = k.tab.Draw(&st)
		}
		if c > 0 {
			out.Emit(i, float64(c))
		}
	}
}

type bernoulliSource struct {
	p   float64
	rng []rng.Stream
}

func (k *bernoulliSource) Var(string) []float64 { return nil }

func (k *bernoulliSource) Step(lo, hi int, in *Input, out *Output) {
	for i := lo; i < hi; i++ {
		if k.rng[i].Float64() < k.p {
			out.Emit(i, 1)
		}
	}
}

type spikeSource struct{ steps []int64 }

func (k *spikeSource) Var(string) []float64 { return nil }

func (k *spikeSource) Step(lo, hi int, in *Input, out *Output) {
	j := sort.Search(len(k.steps), func(j int) bool { return k.steps[j] >= in.Step })
	c := 0
	for ; j < len(k.steps) && k.steps[j] == in.Step; j++ {
		c++
	}
	if c == 0 {
		return
	}
	for i := lo; i < hi; i++ {
		out.Emit(i, float64(c))
	}
}
