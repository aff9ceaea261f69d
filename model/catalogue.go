package model

import "github.com/hebb-snn/hebb/param"

// SynapseSchema describes the synapse block of a projection, for
// `hebb models` and the documentation; Resolve checks synapse blocks
// against the same names.
var SynapseSchema = param.Schema{
	Name: "synapse",
	Doc:  "the synapses of a projection: their sign (Dale's law), weight and delay",
	Params: []param.Def{
		{Name: "type", Kind: param.Choice, Choices: []string{"excitatory", "inhibitory", "mixed"}, Required: true,
			Doc: "excitatory: weights >= 0; inhibitory: weights written negative; mixed: each synapse keeps the sign of its initial weight"},
		{Name: "weight", Kind: param.Random, Unit: param.WeightUnit, Required: true,
			Doc: "a constant, or uniform(low, high), normal(mean, sd), lognormal(median, sigma)"},
		{Name: "delay", Kind: param.Random, Unit: "ms", Required: true,
			Doc: "axonal delay, a constant or a distribution; at least dt, at most 65535·dt"},
		{Name: "plasticity", Kind: param.Text, Optional: true,
			Doc: "a plasticity rule with its parameters, like {rule: hebbian, eta: 0.01} (default: static)"},
	},
}

// RecorderSchemas describes the recorders a model file may ask for, for
// `hebb models` and the documentation; Resolve checks recorders against
// the same names.
var RecorderSchemas = []param.Schema{
	{
		Name: "spikes",
		Doc:  "spike times and neuron ids (added for every population when a model has no spikes recorder)",
		Params: []param.Def{
			{Name: "populations", Kind: param.Text, Optional: true, Doc: "list of population names, like [exc, inh] (default: every population)"},
		},
	},
	{
		Name: "state",
		Doc:  "state variables of neurons of one population, sampled at an interval",
		Params: []param.Def{
			{Name: "population", Kind: param.Text, Required: true, Doc: "the population"},
			{Name: "variables", Kind: param.Text, Required: true, Doc: "list of state variables, like [V]"},
			{Name: "neurons", Kind: param.List, Optional: true, Range: param.Count, Doc: "list of neuron indices (default: every neuron)"},
			{Name: "interval", Unit: "ms", Optional: true, Range: param.Positive, Doc: "sampling interval, a multiple of dt (default: dt)"},
		},
	},
	{
		Name: "weights",
		Doc:  "the weights of every synapse of one projection, sampled at an interval",
		Params: []param.Def{
			{Name: "projection", Kind: param.Text, Required: true, Doc: "the projection's name"},
			{Name: "interval", Unit: "ms", Optional: true, Range: param.Positive, Doc: "sampling interval, a multiple of dt (default: dt)"},
		},
	},
}
