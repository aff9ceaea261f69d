// Package plasticity holds the learning rules of synapses. Each rule lives
// in one file that registers its description and constructor in init.
//
// A rule is instantiated once per projection and worker (a Learner) and
// changes the weights of that worker's synapse.Block only, so learning
// needs no locks and gives the same result for any number of threads.
// The engine calls the Learner at two points of each step (see
// ARCHITECTURE.md): Arrive for each presynaptic spike reaching a synapse,
// before the neurons advance and before the spike's weight is delivered;
// Post after the neurons have advanced, with the target neurons that
// emitted. Delays are axonal: a spike emitted at t reaches the synapse,
// and the neuron, at t + delay, and the timing difference a rule sees is
// t_post − (t_pre + delay). Rules clamp weights with Block.Clamp, which
// enforces the bounds and Dale's law.
package plasticity

import (
	"sort"

	"github.com/hebb-snn/hebb/neuron"
	"github.com/hebb-snn/hebb/param"
	"github.com/hebb-snn/hebb/synapse"
)

// Rule describes a plasticity rule.
type Rule struct {
	param.Schema
	// PreHistory is true for rules that need the presynaptic activity that
	// reaches a synapse now (rate-based rules); the engine then keeps a
	// synapse.History of the source population.
	PreHistory bool
	// Modulated is true for rules driven by a neuromodulator: they have a
	// Text parameter "modulator" naming the population whose spikes
	// release it, and get that population's output in Env.Modulator.
	Modulated bool
	// Check reports parameter values that are wrong together (nil if
	// there is nothing to check beyond each parameter's range).
	Check func(v param.Values, dt float64) []neuron.ParamError
	// SynapseBytes returns the learner's state per synapse in bytes (for
	// memory estimates); uniform says whether the projection's synapses
	// share one delay and one sign (see RowLearner). nil means none.
	SynapseBytes func(uniform bool) int
	// NeuronBytes returns the learner's state per source and per target
	// neuron in bytes (for memory estimates); nil means 16 and 16.
	NeuronBytes func(uniform bool) (perSource, perTarget int)
	// New builds the learner for one block.
	New func(v param.Values, env Env) (Learner, error)
}

// Env is what a learner needs from the simulation.
type Env struct {
	Dt  float64          // ms
	Pre *synapse.History // presynaptic activity, if the rule asked for it
	Blk *synapse.Block   // the synapses the learner changes
	// Modulator holds what the modulator population emitted in the
	// previous step (read-only), for Modulated rules.
	Modulator *neuron.Output
}

// Ticker is implemented by learners that change weights continuously
// (not only at spikes): the engine calls Tick once per step, after the
// arrivals and before the neurons advance.
type Ticker interface {
	Tick(s int64)
}

// Settler is implemented by learners that apply the changes of steps
// without events lazily (the covariance rule). Settle(s), called after
// step s is complete, brings every weight of the block up to date through
// step s, so that the block's weights can be read (by a weight recorder,
// at the end of a run).
type Settler interface {
	Settle(s int64)
}

// RowLearner is implemented by learners that can take the arrival of a
// spike at every synapse of its source at once, on blocks whose synapses
// share one delay and one sign (Block.Uniform). When Rows reports true,
// the engine calls ArriveRow instead of Arrive: ArriveRow(s, src, amp,
// dst) does what Arrive does for each synapse k of source src in the
// block, in order, and adds amp·W[k] (the weight after the rule saw the
// arrival) to dst[Tgt[k]]. Such learners may keep presynaptic traces per
// source instead of per synapse.
type RowLearner interface {
	Rows() bool
	ArriveRow(s int64, src int32, amp float64, dst []float64)
}

// Learner applies a rule to one block of synapses.
type Learner interface {
	// Post is called in step s with the target neurons that emitted at
	// the end of the step (indices in the target population, all owned by
	// the block) and their amplitudes.
	Post(s int64, ids []int32, amp []float64)
	// Arrive is called in step s for each synapse k that a presynaptic
	// spike of amplitude amp reaches at the end of the step (at
	// t_{s+1}), before the engine adds amp·W[k] to the target's input.
	Arrive(s int64, k int32, amp float64)
}

// Common returns the parameters every rule has: weight bounds.
func Common() []param.Def {
	return []param.Def{
		{Name: "w_min", Unit: param.WeightUnit, Default: 0, Range: param.NonNegative, Doc: "lower bound of the weight magnitude"},
		{Name: "w_max", Unit: param.WeightUnit, Optional: true, Range: param.NonNegative, Doc: "upper bound of the weight magnitude (default: none)"},
	}
}

var registry = map[string]*Rule{}

// Register adds r to the catalogue; it is called from init functions.
func Register(r *Rule) {
	if _, dup := registry[r.Name]; dup {
		panic("plasticity: registered twice: " + r.Name)
	}
	registry[r.Name] = r
}

// Lookup returns the rule called name.
func Lookup(name string) (*Rule, bool) {
	r, ok := registry[name]
	return r, ok
}

// Rules returns every rule sorted by name.
func Rules() []*Rule {
	var out []*Rule
	for _, r := range registry {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Names returns the names of every rule, sorted.
func Names() []string {
	var n []string
	for _, r := range Rules() {
		n = append(n, r.Name)
	}
	return n
}
