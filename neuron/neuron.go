// Package neuron holds hebb's neuron models. Each model family lives in one
// file that registers its models (description, parameters with units and
// defaults, state variables, and a constructor) in init.
//
// A model is simulated by a Kernel: one object per population whose state
// is a set of flat slices, one per state variable (struct of arrays). The
// engine calls Kernel.Step once per time step for each worker's range of
// neurons; a Step never allocates.
//
// Time convention: step s advances the state from t_s = s·dt to t_{s+1}.
// Synaptic input that arrives at t_{s+1} is added at the end of step s (a
// jump of V for delta synapses, of the synaptic current for exponential
// ones), and a neuron that reaches threshold during step s spikes at
// t_{s+1}: spikes are stamped at the end of the step, as in NEST and the
// code lab's NumPy loop.
package neuron

import (
	"fmt"
	"math"
	"sort"

	"github.com/hebb-snn/hebb/param"
)

// Model describes a neuron model and builds populations of it.
type Model struct {
	param.Schema
	// State lists the state variables with their units and default initial
	// values (Kind Random: a model file may give a distribution).
	State []param.Def
	// WeightUnit is the unit of synaptic weights onto this model: "mV" for
	// delta synapses, "pA" for current synapses, "" for rate units.
	WeightUnit string
	// Source is true for models that take no synaptic input (spike
	// generators); they cannot be the target of a projection.
	Source bool
	// TakesCurrent is true for models with a membrane equation that
	// accept injected current (stimuli dc and step_current).
	TakesCurrent bool
	// Check reports parameter combinations that make the model ill-posed
	// with time step dt (ms); nil if there are none to check.
	Check func(v param.Values, dt float64) []ParamError
	// New builds the kernel of a population of n neurons.
	New func(n int, v param.Values, env Env) (Kernel, error)
}

// ParamError says what is wrong with a parameter of a model.
type ParamError struct {
	Param string // the offending parameter
	Msg   string
}

// Env is what a kernel needs to know about the simulation.
type Env struct {
	Dt     float64 // time step in ms
	Seed   uint64  // run seed, for random streams
	Offset int     // global id of the population's neuron 0: streams are keyed by global id
}

// Input is the drive of one step, indexed by neuron within the population.
type Input struct {
	Step int64     // the step being taken, from t_s = Step·dt to t_{s+1}
	Ex   []float64 // excitatory synaptic input arriving at t_{s+1}, in the weight unit
	In   []float64 // inhibitory synaptic input arriving at t_{s+1} (negative)
	I    []float64 // injected current during the step, pA (nil if none)
}

// Output collects what neurons emit in one step: the index of each neuron
// that spiked and an amplitude: 1 for a spike of a spiking neuron (always
// 1), the number of spikes for a source emitting several in one step, the
// activity of a rate unit. Delivery multiplies the weight by it.
type Output struct {
	IDs []int32
	Amp []float64
}

// Emit appends neuron id with amplitude a.
func (o *Output) Emit(id int, a float64) {
	o.IDs = append(o.IDs, int32(id))
	o.Amp = append(o.Amp, a)
}

// Reset empties o, keeping its storage.
func (o *Output) Reset() { o.IDs, o.Amp = o.IDs[:0], o.Amp[:0] }

// Chunk is the granularity of the work split: the range of neurons a
// worker owns starts at a multiple of Chunk (its end is the start of the
// next range, or the population's end). Kernels and stimuli may
// therefore keep one random stream per chunk of Chunk neurons, drawn in
// neuron order, and stay independent of the number of workers.
const Chunk = 64

// Kernel simulates one population.
type Kernel interface {
	// Step advances neurons lo..hi-1 by one step and appends those that
	// emit to out. Different workers call Step concurrently on disjoint
	// ranges; lo is a multiple of Chunk.
	Step(lo, hi int, in *Input, out *Output)
	// Var returns the slice holding state variable name (nil if unknown);
	// the engine uses it to set initial values and to record.
	Var(name string) []float64
}

// InputClearer is implemented by kernels that set in.Ex[lo:hi] and
// in.In[lo:hi] to zero in Step, after reading them, when ClearsInput
// returns true: the engine then skips its own pass over them.
type InputClearer interface {
	ClearsInput() bool
}

// Starter is implemented by kernels that derive part of their initial
// state from the rest (the gates of hh from V). The engine calls Start
// once, after setting the initial values the model file gives, with the
// names of the variables it set.
type Starter interface {
	Start(set []string)
}

var registry = map[string]*Model{}

// Register adds m to the catalogue; model files refer to it by m.Name. It
// is called from init functions and panics on a duplicate name.
func Register(m *Model) {
	if _, dup := registry[m.Name]; dup {
		panic("neuron: model registered twice: " + m.Name)
	}
	registry[m.Name] = m
}

// Lookup returns the model called name.
func Lookup(name string) (*Model, bool) {
	m, ok := registry[name]
	return m, ok
}

// Models returns every registered model, sorted by name.
func Models() []*Model {
	out := make([]*Model, 0, len(registry))
	for _, m := range registry {
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Names returns the names of every registered model, sorted.
func Names() []string {
	var n []string
	for _, m := range Models() {
		n = append(n, m.Name)
	}
	return n
}

// StateDef returns the definition of state variable name.
func (m *Model) StateDef(name string) (*param.Def, bool) {
	for i := range m.State {
		if m.State[i].Name == name {
			return &m.State[i], true
		}
	}
	return nil, false
}

// CheckMultiple reports whether t (ms) is a whole number of steps of dt.
func CheckMultiple(t, dt float64) bool {
	return math.Abs(float64(Steps(t, dt))*dt-t) <= 1e-9*math.Max(1, t)
}

// CheckTimes reports the first time in ts that is before the end of the
// first step (a spike or input cannot be stamped earlier than dt).
func CheckTimes(name string, ts []float64, dt float64) []ParamError {
	for _, t := range ts {
		if t < dt*(1-1e-9) {
			return []ParamError{errorf(name, "time %g ms is before the end of the first step (dt = %g ms); times must be at least dt", t, dt)}
		}
	}
	return nil
}

// Steps converts a duration in ms to a whole number of steps of dt,
// rounding to the nearest step.
func Steps(t, dt float64) int64 { return int64(math.Round(t / dt)) }

func errorf(p, format string, a ...any) ParamError {
	return ParamError{Param: p, Msg: fmt.Sprintf(format, a...)}
}
