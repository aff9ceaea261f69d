// Package stimulus holds the devices that drive a population from outside:
// injected currents (dc, step_current) and spike input that does not come
// from a population (poisson, spike_times).
//
// A stimulus acts on all neurons of its target population or on a listed
// subset. It is applied by the worker that owns the neurons, before they
// are advanced, so it needs no locks. Currents hold during a whole step:
// a current is on in step s (from t_s to t_{s+1}) when start ≤ t_s < stop.
// Spike input is added to the input arriving at t_{s+1}, with positive
// weights excitatory and negative weights inhibitory.
package stimulus

import (
	"fmt"
	"sort"

	"github.com/hebb-snn/hebb/neuron"
	"github.com/hebb-snn/hebb/param"
	"github.com/hebb-snn/hebb/rng"
)

// Kind describes a stimulus type.
type Kind struct {
	param.Schema
	// Current is true for stimuli that inject current (pA), which only
	// neuron models with a membrane equation accept.
	Current bool
	// Check reports parameter values that are wrong with time step dt
	// (nil if there is nothing to check beyond each parameter's range).
	Check func(v param.Values, dt float64) []neuron.ParamError
	// New builds the stimulus. sel lists the target neurons (sorted, no
	// duplicates); key identifies the stimulus for random streams.
	New func(v param.Values, sel []int32, env Env) (Stimulus, error)
}

// Env is what a stimulus needs to know about the simulation.
type Env struct {
	Dt     float64 // ms
	Seed   uint64  // run seed
	Key    uint64  // index of the stimulus in the model
	Offset int     // global id of the target population's neuron 0
}

// Stimulus drives its target population.
type Stimulus interface {
	// Apply adds the stimulus for step in.Step to the target neurons in
	// lo..hi-1: current to in.I, spike input to in.Ex or in.In.
	Apply(lo, hi int, in *neuron.Input)
}

var registry = map[string]*Kind{}

// Register adds k to the catalogue; it is called from init functions.
func Register(k *Kind) {
	if _, dup := registry[k.Name]; dup {
		panic("stimulus: registered twice: " + k.Name)
	}
	registry[k.Name] = k
}

// Lookup returns the stimulus kind called name.
func Lookup(name string) (*Kind, bool) {
	k, ok := registry[name]
	return k, ok
}

// Kinds returns every stimulus kind sorted by name.
func Kinds() []*Kind {
	var out []*Kind
	for _, k := range registry {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Names returns the names of every stimulus kind, sorted.
func Names() []string {
	var n []string
	for _, k := range Kinds() {
		n = append(n, k.Name)
	}
	return n
}

func window() []param.Def {
	return []param.Def{
		{Name: "start", Unit: "ms", Default: 0, Range: param.NonNegative, Doc: "when the stimulus begins"},
		{Name: "stop", Unit: "ms", Optional: true, Range: param.NonNegative, Doc: "when it ends (default: never)"},
	}
}

func steps(v param.Values, dt float64) (from, to int64) {
	from, to = neuron.Steps(v.Num("start"), dt), int64(1)<<62
	if v.Has("stop") {
		to = neuron.Steps(v.Num("stop"), dt)
	}
	return from, to
}

// span returns the part of sel inside lo..hi-1.
func span(sel []int32, lo, hi int) []int32 {
	a := sort.Search(len(sel), func(i int) bool { return int(sel[i]) >= lo })
	b := sort.Search(len(sel), func(i int) bool { return int(sel[i]) >= hi })
	return sel[a:b]
}

func init() {
	Register(&Kind{
		Schema: param.Schema{
			Name:   "dc",
			Doc:    "constant current between start and stop",
			Params: append([]param.Def{{Name: "amplitude", Unit: "pA", Required: true, Doc: "current"}}, window()...),
		},
		Current: true,
		New: func(v param.Values, sel []int32, env Env) (Stimulus, error) {
			d := &dc{amp: v.Num("amplitude"), sel: sel}
			d.from, d.to = steps(v, env.Dt)
			return d, nil
		},
	})
	Register(&Kind{
		Schema: param.Schema{
			Name: "step_current",
			Doc:  "piecewise-constant current: amplitudes[k] from times[k] until times[k+1] (0 before times[0])",
			Params: []param.Def{
				{Name: "times", Kind: param.List, Unit: "ms", Required: true, Range: param.NonNegative, Doc: "switching times, increasing"},
				{Name: "amplitudes", Kind: param.List, Unit: "pA", Required: true, Doc: "current from each time on"},
			},
		},
		Current: true,
		Check: func(v param.Values, dt float64) []neuron.ParamError {
			t, a := v["times"].List, v["amplitudes"].List
			if len(t) != len(a) {
				return []neuron.ParamError{{Param: "amplitudes", Msg: fmt.Sprintf("has %d entries but times has %d; give one amplitude per time", len(a), len(t))}}
			}
			for k := 1; k < len(t); k++ {
				if t[k] <= t[k-1] {
					return []neuron.ParamError{{Param: "times", Msg: fmt.Sprintf("times must increase, got %g ms after %g ms", t[k], t[k-1])}}
				}
				if neuron.Steps(t[k], dt) == neuron.Steps(t[k-1], dt) {
					return []neuron.ParamError{{Param: "times", Msg: fmt.Sprintf("%g ms and %g ms fall on the same step of dt = %g ms; the current can change only once per step", t[k-1], t[k], dt)}}
				}
			}
			return nil
		},
		New: func(v param.Values, sel []int32, env Env) (Stimulus, error) {
			t, a := v["times"].List, v["amplitudes"].List
			if len(t) != len(a) {
				return nil, fmt.Errorf("times has %d entries but amplitudes has %d", len(t), len(a))
			}
			s := &stepCurrent{amp: a, sel: sel}
			for k, x := range t {
				if k > 0 && x <= t[k-1] {
					return nil, fmt.Errorf("times must increase, got %g ms after %g ms", x, t[k-1])
				}
				s.at = append(s.at, neuron.Steps(x, env.Dt))
			}
			return s, nil
		},
	})
	Register(&Kind{
		Schema: param.Schema{
			Name: "poisson",
			Doc:  "independent Poisson spike input to each target neuron: k ~ Poisson(rate·dt) events of the given weight per step",
			Params: append([]param.Def{
				{Name: "rate", Unit: "Hz", Required: true, Range: param.NonNegative, Doc: "rate of input events per neuron"},
				{Name: "weight", Unit: param.WeightUnit, Required: true, Doc: "weight of each event (negative: inhibitory)"},
			}, window()...),
		},
		New: func(v param.Values, sel []int32, env Env) (Stimulus, error) {
			p := &poisson{tab: rng.NewPoissonTable(v.Num("rate") * env.Dt / 1000), w: v.Num("weight"), sel: sel,
				key: rng.Derive(env.Seed, rng.KeyStimulus, env.Key), offset: env.Offset}
			p.from, p.to = steps(v, env.Dt)
			return p, nil
		},
	})
	Register(&Kind{
		Schema: param.Schema{
			Name: "spike_times",
			Doc:  "spike input of the given weight arriving at each listed time at every target neuron",
			Params: []param.Def{
				{Name: "times", Kind: param.List, Unit: "ms", Required: true, Range: param.NonNegative, Doc: "arrival times, at least dt"},
				{Name: "weight", Unit: param.WeightUnit, Required: true, Doc: "weight of each event (negative: inhibitory)"},
			},
		},
		Check: func(v param.Values, dt float64) []neuron.ParamError {
			return neuron.CheckTimes("times", v["times"].List, dt)
		},
		New: func(v param.Values, sel []int32, env Env) (Stimulus, error) {
			s := &spikeTimes{w: v.Num("weight"), sel: sel}
			for _, t := range v["times"].List {
				st := neuron.Steps(t, env.Dt) - 1 // arrives at t_{st+1}
				if st < 0 {
					return nil, fmt.Errorf("time %g ms is before the end of the first step (dt = %g ms)", t, env.Dt)
				}
				s.at = append(s.at, st)
			}
			sort.Slice(s.at, func(i, j int) bool { return s.at[i] < s.at[j] })
			return s, nil
		},
	})
}

type dc struct {
	amp      float64
	from, to int64
	sel      []int32
}

func (d *dc) Apply(lo, hi int, in *neuron.Input) {
	if in.Step < d.from || in.Step >= d.to {
		return
	}
	for _, i := range span(d.sel, lo, hi) {
		in.I[i] += d.amp
	}
}

type stepCurrent struct {
	at  []int64
	amp []float64
	sel []int32
}

func (s *stepCurrent) Apply(lo, hi int, in *neuron.Input) {
	k := sort.Search(len(s.at), func(k int) bool { return s.at[k] > in.Step }) - 1
	if k < 0 || s.amp[k] == 0 {
		return
	}
	a := s.amp[k]
	for _, i := range span(s.sel, lo, hi) {
		in.I[i] += a
	}
}

type poisson struct {
	tab      *rng.PoissonTable // events per step
	w        float64
	from, to int64
	sel      []int32
	key      uint64 // the stimulus's random numbers: rng.Hash(key, rng.Counter(global id, step))
	offset   int    // global id of the target population's neuron 0
}

func (p *poisson) Apply(lo, hi int, in *neuron.Input) {
	if in.Step < p.from || in.Step >= p.to {
		return
	}
	dst := in.Ex
	if p.w < 0 {
		dst = in.In
	}
	// Each (step, neuron) has its own counter-based random number, so a
	// neuron's input does not depend on who draws it or in what order.
	k := sort.Search(len(p.sel), func(k int) bool { return int(p.sel[k]) >= lo })
	if p.tab.Small() {
		for ; k < len(p.sel) && int(p.sel[k]) < hi; k++ {
			i := p.sel[k]
			if c := p.tab.Of(rng.Hash(p.key, rng.Counter(p.offset+int(i), in.Step))); c > 0 {
				dst[i] += float64(c) * p.w
			}
		}
		return
	}
	for ; k < len(p.sel) && int(p.sel[k]) < hi; k++ {
		i := p.sel[k]
		st := rng.New(p.key, rng.Counter(p.offset+int(i), in.Step))
		if c := p.tab.Draw(&st); c > 0 {
			dst[i] += float64(c) * p.w
		}
	}
}

type spikeTimes struct {
	w   float64
	at  []int64
	sel []int32
}

func (s *spikeTimes) Apply(lo, hi int, in *neuron.Input) {
	k := sort.Search(len(s.at), func(k int) bool { return s.at[k] >= in.Step })
	c := 0
	for ; k < len(s.at) && s.at[k] == in.Step; k++ {
		c++
	}
	if c == 0 {
		return
	}
	dst := in.Ex
	if s.w < 0 {
		dst = in.In
	}
	for _, i := range span(s.sel, lo, hi) {
		dst[i] += float64(c) * s.w
	}
}
