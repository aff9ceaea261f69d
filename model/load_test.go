package model

import (
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/hebb-snn/hebb/param"
	"github.com/hebb-snn/hebb/synapse"
)

const models = "../testdata/models"

// resolveFile loads and resolves a file of testdata/models.
func resolveFile(t *testing.T, name string) *Net {
	t.Helper()
	s, err := Load(filepath.Join(models, name))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	net, err := s.Resolve()
	if err != nil {
		t.Fatalf("Resolve:\n%v", err)
	}
	return net
}

func TestCodelab(t *testing.T) {
	net := resolveFile(t, "codelab.yaml")
	if net.Name != "codelab-lif" || net.Dt != 0.1 || net.Duration != 300 || net.Steps != 3000 || net.Seed != 42 {
		t.Errorf("got name %q, dt %g, duration %g, steps %d, seed %d; want codelab-lif, 0.1, 300, 3000, 42",
			net.Name, net.Dt, net.Duration, net.Steps, net.Seed)
	}
	if len(net.Pops) != 1 {
		t.Fatalf("got %d populations, want 1", len(net.Pops))
	}
	pop := net.Pops[0]
	if pop.Name != "neuron" || pop.Model.Name != "lif_delta" || pop.Size != 1 {
		t.Errorf("population: got %s of %d %s, want neuron of 1 lif_delta", pop.Name, pop.Size, pop.Model.Name)
	}
	// Internal units: ms, mV, GΩ.
	for name, want := range map[string]float64{
		"tau_m": 20, "V_rest": -70, "V_th": -54, "V_reset": -80, "R_m": 0.01, "t_ref": 0,
		"I_e": 0, // a default
	} {
		if got := pop.Params.Num(name); got != want {
			t.Errorf("%s = %g, want %g", name, got, want)
		}
	}
	if got := pop.Params.Word("integrator"); got != "euler" {
		t.Errorf("integrator = %q, want euler", got)
	}
	if pop.Params.Has("C_m") {
		t.Errorf("C_m was not given and has no default, but is in Params")
	}
	if len(net.Stims) != 1 || net.Stims[0].Kind.Name != "dc" || net.Stims[0].Neurons != nil {
		t.Fatalf("stimuli: got %+v, want one dc on every neuron", net.Stims)
	}
	if got := net.Stims[0].Params.Num("amplitude"); got != 1800 {
		t.Errorf("amplitude = %g pA, want 1800 pA", got)
	}
	want := []Rec{
		{Kind: RecSpikes, Pops: []int{0}},
		{Kind: RecState, Pop: 0, Vars: []string{"V"}, Interval: 0.1},
	}
	if !reflect.DeepEqual(net.Recs, want) {
		t.Errorf("recorders: got %+v, want %+v", net.Recs, want)
	}
}

func TestNetwork(t *testing.T) {
	net := resolveFile(t, "network.yaml")
	exc, inh := net.Pops[0], net.Pops[1]
	// inh merges exc's parameters (<<: *lif) and overrides tau_m.
	if exc.Params.Num("tau_m") != 20 || inh.Params.Num("tau_m") != 10 || inh.Params.Num("V_th") != -50 {
		t.Errorf("merged parameters: exc tau_m %g, inh tau_m %g V_th %g; want 20, 10, -50",
			exc.Params.Num("tau_m"), inh.Params.Num("tau_m"), inh.Params.Num("V_th"))
	}
	// Unquoted distributions inside flow mappings; init in state order.
	wantInit := []Init{{Var: "V", Dist: param.Dist{Kind: param.NormalDist, A: -60, B: 2}}, {Var: "I_ex", Dist: param.Const(0)}}
	if !reflect.DeepEqual(inh.Init, wantInit) {
		t.Errorf("inh init: got %+v, want %+v", inh.Init, wantInit)
	}
	if got := net.Pops[3].Params["times"].List; !reflect.DeepEqual(got, []float64{50, 100, 150}) {
		t.Errorf("cue times = %v, want [50 100 150]", got)
	}

	var names []string
	for _, p := range net.Projs {
		names = append(names, p.Name)
	}
	wantNames := []string{"ee", "exc->inh", "inh->exc", "inh->inh", "noise->exc", "cue->exc", "cue->exc#2"}
	if !reflect.DeepEqual(names, wantNames) {
		t.Errorf("projection names: got %q, want %q", names, wantNames)
	}
	ei := net.Projs[1]
	if ei.Weight != (param.Dist{Kind: param.NormalDist, A: 20, B: 2}) || ei.Delay != (param.Dist{Kind: param.UniformDist, A: 1, B: 2}) {
		t.Errorf("exc->inh weight %+v delay %+v", ei.Weight, ei.Delay)
	}
	if net.Projs[2].Sign != synapse.Inhibitory || net.Projs[2].Weight.A != -100 || net.Projs[5].Sign != 0 {
		t.Errorf("signs: inh->exc %d (w %g), cue->exc %d", net.Projs[2].Sign, net.Projs[2].Weight.A, net.Projs[5].Sign)
	}
	if net.Projs[0].Connect.Flag("autapses") || !net.Projs[0].Connect.Flag("multapses") || net.Projs[0].Connect.Num("k") != 8 {
		t.Errorf("ee connect: %+v", net.Projs[0].Connect)
	}
	// Plasticity parameters in the target's weight unit, pA.
	ne := net.Projs[4]
	if ne.Plasticity == nil || ne.Plasticity.Name != "hebbian" || ne.Learning.Num("eta") != 0.1 || ne.Learning.Num("w_max") != 60 {
		t.Errorf("noise->exc plasticity %v %+v", ne.Plasticity, ne.Learning)
	}

	if got := net.Stims[0].Neurons; !reflect.DeepEqual(got, []int32{0, 1, 3}) {
		t.Errorf("dc neurons = %v, want sorted [0 1 3]", got)
	}
	if got := net.Stims[1].Params["amplitudes"].List; !reflect.DeepEqual(got, []float64{50, 0}) {
		t.Errorf("step_current amplitudes = %v", got)
	}
	if got := net.Stims[3].Params.Num("weight"); got != -50 {
		t.Errorf("spike_times weight = %g, want -50", got)
	}
	wantRecs := []Rec{
		{Kind: RecSpikes, Pops: []int{0, 1}},
		{Kind: RecState, Pop: 0, Vars: []string{"V", "I_ex"}, Neurons: []int32{0, 1}, Interval: 1},
		{Kind: RecWeights, Proj: 4, Interval: 10},
	}
	if !reflect.DeepEqual(net.Recs, wantRecs) {
		t.Errorf("recorders: got %+v, want %+v", net.Recs, wantRecs)
	}
}

func TestDefaults(t *testing.T) {
	s, err := Parse("dir/my-model.yaml", []byte("dt: 0.1 ms\nduration: 1 ms\npopulations:\n  a: {model: lif_delta, size: 2}\n  b: {model: rate, size: 1}\n"))
	if err != nil {
		t.Fatal(err)
	}
	net, err := s.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	if net.Name != "my-model" || net.Seed != 1 || net.Steps != 10 {
		t.Errorf("got name %q seed %d steps %d, want my-model 1 10", net.Name, net.Seed, net.Steps)
	}
	if want := []Rec{{Kind: RecSpikes, Pops: []int{0, 1}}}; !reflect.DeepEqual(net.Recs, want) {
		t.Errorf("recorders: got %+v, want a spikes recorder of every population", net.Recs)
	}
	if got := net.Pops[1].Params.Word("activation"); got != "threshold" {
		t.Errorf("default activation %q, want threshold", got)
	}
}

// errorCase is a model with a mistake. In yaml, » marks where the error
// must point (it is removed before parsing).
type errorCase struct {
	name  string
	yaml  string
	words []string // the error at » contains these
	count int      // number of errors in all; 0 means 1
	line  bool     // only the line is known (YAML syntax errors)
}

const head = "dt: 0.1 ms\nduration: 10 ms\n"

const lif = head + `populations:
  exc: {model: lif_delta, size: 10}
`

var errorCases = []errorCase{
	{name: "unknown parameter", yaml: head + `populations:
  n:
    model: lif_delta
    size: 1
    params: {»tau_mm: 20 ms}
`, words: []string{"populations.n.params.tau_mm:", `unknown parameter "tau_mm" of lif_delta (did you mean tau_m?)`}},

	{name: "unknown top-level key", yaml: `dt: 0.1 ms
»durtion: 10 ms
populations:
  n: {model: lif_delta, size: 1}
`, words: []string{`durtion: unknown key "durtion" (did you mean duration?)`}, count: 2},

	{name: "unknown key in a population", yaml: head + `populations:
  n:
    model: lif_delta
    »sise: 1
`, words: []string{`populations.n.sise: unknown key "sise" (did you mean size?)`}, count: 2},

	{name: "wrong dimension", yaml: head + `populations:
  n:
    model: lif_delta
    size: 1
    params:
      tau_m: »20 mV
`, words: []string{`populations.n.params.tau_m: expected a time like "20 ms", got a voltage ("20 mV")`}},

	{name: "missing unit", yaml: head + `populations:
  n:
    model: lif_delta
    size: 1
    params:
      tau_m: »20
`, words: []string{`tau_m: "20" has no unit; expected a time like "20 ms"`}},

	{name: "unknown unit", yaml: head + `populations:
  n:
    model: lif_delta
    size: 1
    params:
      tau_m: »20 mss
`, words: []string{`tau_m: unknown unit "mss"`}},

	{name: "unknown model", yaml: head + `populations:
  n:
    model: »lif_delt
    size: 1
`, words: []string{`populations.n.model: unknown neuron model "lif_delt" (did you mean lif_delta?)`}},

	{name: "negative size", yaml: head + `populations:
  n:
    model: lif_delta
    size: »-5
`, words: []string{`size: must be a whole number >= 1, got -5`}},

	{name: "negative time constant", yaml: head + `populations:
  n:
    model: lif_delta
    size: 1
    params: {tau_m: »-5 ms}
`, words: []string{`tau_m: must be positive, got -5 ms`}},

	{name: "model check", yaml: head + `populations:
  n:
    model: lif_delta
    size: 1
    params: {V_th: -55 mV, V_reset: »-50 mV}
`, words: []string{`populations.n.params.V_reset: must be below V_th`}},

	{name: "missing required parameter", yaml: head + `populations:
  »src: {model: poisson_source, size: 10}
`, words: []string{`populations.src.params.rate: missing; poisson_source needs rate, a frequency like "15 Hz"`}},

	{name: "bad population name", yaml: head + `populations:
  »2exc: {model: lif_delta, size: 10}
`, words: []string{`population name "2exc" must start with a letter`}},

	{name: "unknown state variable", yaml: head + `populations:
  n:
    model: lif_delta
    size: 1
    init: {»VV: -70 mV}
`, words: []string{`populations.n.init.VV: unknown state variable "VV" of lif_delta (did you mean V?)`}},

	{name: "no population", yaml: "»" + head, words: []string{`populations: a model needs at least one population`}},

	{name: "list where a mapping belongs", yaml: head + `populations:
  »- n: {model: lif_delta, size: 1}
`, words: []string{`populations: expected a mapping from population names to populations`}},

	{name: "scalar where a mapping belongs", yaml: lif + `projections:
  - from: exc
    to: exc
    connect: all_to_all
    synapse: »excitatory
`, words: []string{`projections[0].synapse: expected a synapse: a mapping with type, weight, delay, got "excitatory"`}},

	{name: "list where a value belongs", yaml: head + `populations:
  n:
    model: lif_delta
    size: 1
    params: {tau_m: »[20 ms]}
`, words: []string{`tau_m: expected a time like "20 ms", got a list`}},

	{name: "value where a list belongs", yaml: head + `populations:
  s:
    model: spike_source
    size: 1
    params: {times: »10 ms}
`, words: []string{`populations.s.params.times: expected a list like [20 ms, ...], got "10 ms"`}},

	{name: "list element", yaml: head + `populations:
  s:
    model: spike_source
    size: 1
    params: {times: [10 ms, »-20 ms]}
`, words: []string{`populations.s.params.times[1]: must not be negative, got -20 ms`}},

	{name: "value where variables belong", yaml: lif + `recorders:
  - type: state
    population: exc
    variables: »V
`, words: []string{`recorders[0].variables: expected a list of state variables like [V], got "V"`}},

	{name: "mapping where a value belongs", yaml: head + `populations:
  n:
    model: lif_delta
    size: »{n: 1}
`, words: []string{`populations.n.size: expected a value like "20 ms" or a list like [10 ms, 20 ms], got a mapping`}},

	{name: "key given twice", yaml: head + `»dt: 0.2 ms
populations:
  n: {model: lif_delta, size: 1}
`, words: []string{`dt: "dt" is given twice (first at line 1)`}},

	{name: "key given twice, first one wrong", yaml: "dt: »1 mV\ndt: 0.1 ms\nduration: 1 ms\npopulations:\n  n: {model: lif_delta, size: 1}\n",
		words: []string{`dt: expected a time like "20 ms", got a voltage ("1 mV")`}, count: 2},

	{name: "list in a list", yaml: head + `populations:
  s:
    model: spike_source
    size: 1
    params: {times: [[1 ms], »-2 ms]}
`, words: []string{`populations.s.params.times[1]: must not be negative`}, count: 2},

	{name: "YAML syntax error", yaml: head + `populations:
  n: {model: lif_delta, size: 1}
»  bad
`, words: []string{"YAML syntax error"}, line: true},

	{name: "two documents", yaml: lif + "»---\ndt: 1 ms\n", words: []string{"one YAML document"}},

	{name: "empty file", yaml: "»# nothing here\n", words: []string{"the model file is empty"}},

	{name: "duration shorter than dt", yaml: "dt: 0.1 ms\nduration: »0.01 ms\npopulations:\n  n: {model: lif_delta, size: 1}\n",
		words: []string{`duration: must be at least dt = 0.1 ms, got 0.01 ms`}},

	{name: "missing dt", yaml: "»duration: 10 ms\npopulations:\n  n: {model: lif_delta, size: 1}\n",
		words: []string{`dt: missing; expected a time step like "0.1 ms"`}},

	{name: "bad seed", yaml: head + "seed: »-3\npopulations:\n  n: {model: lif_delta, size: 1}\n",
		words: []string{`seed: must be a whole number >= 0, got "-3"`}},

	{name: "unknown population in a projection", yaml: lif + `projections:
  - from: »exx
    to: exc
    connect: all_to_all
    synapse: {type: excitatory, weight: 0.1 mV, delay: 1 ms}
`, words: []string{`projections[0].from: unknown population "exx" (did you mean exc?)`}},

	{name: "probability outside [0, 1]", yaml: lif + `projections:
  - from: exc
    to: exc
    connect: {rule: fixed_probability, p: »1.5}
    synapse: {type: excitatory, weight: 0.1 mV, delay: 1 ms}
`, words: []string{`projections[0].connect.p: must be a probability in [0, 1], got 1.5`}},

	{name: "unknown connectivity rule", yaml: lif + `projections:
  - from: exc
    to: exc
    connect: {rule: »all_to_al}
    synapse: {type: excitatory, weight: 0.1 mV, delay: 1 ms}
`, words: []string{`projections[0].connect.rule: unknown connectivity rule "all_to_al" (did you mean all_to_all?)`}},

	{name: "missing connect", yaml: lif + `projections:
  - »from: exc
    to: exc
    synapse: {type: excitatory, weight: 0.1 mV, delay: 1 ms}
`, words: []string{`projections[0].connect.rule: missing`}},

	{name: "one_to_one sizes", yaml: lif + `  inh: {model: lif_delta, size: 5}
projections:
  - from: exc
    to: inh
    connect: {rule: »one_to_one}
    synapse: {type: excitatory, weight: 0.1 mV, delay: 1 ms}
`, words: []string{`same size, got 10 and 5`}},

	{name: "in-degree without multapses", yaml: lif + `projections:
  - from: exc
    to: exc
    connect: {rule: fixed_indegree, k: »10, autapses: false, multapses: false}
    synapse: {type: excitatory, weight: 0.1 mV, delay: 1 ms}
`, words: []string{`k = 10 exceeds the 9 possible sources`}},

	{name: "delay shorter than dt", yaml: lif + `projections:
  - from: exc
    to: exc
    connect: all_to_all
    synapse: {type: excitatory, weight: 0.1 mV, delay: »0.05 ms}
`, words: []string{`projections[0].synapse.delay: delay 0.05 ms is shorter than dt = 0.1 ms`}},

	{name: "setting an output variable", yaml: head + `populations:
  post:
    model: rate
    size: 2
    init: {»y: 1}
`, words: []string{`populations.post.init.y: y is computed by rate in every step; it can be recorded but not set`}},

	{name: "unknown modulator population", yaml: lif + `projections:
  - from: exc
    to: exc
    connect: all_to_all
    synapse: {type: excitatory, weight: 0.1 mV, delay: 1 ms, plasticity: {rule: rstdp, modulator: »dopa, A_plus: 0.01 mV, A_minus: 0.01 mV}}
`, words: []string{`projections[0].synapse.plasticity.modulator: unknown population "dopa"`}},

	{name: "uniform delay reaching past the longest", yaml: lif + `projections:
  - from: exc
    to: exc
    connect: all_to_all
    synapse: {type: excitatory, weight: 0.1 mV, delay: »"uniform(1 ms, 10 s)"}
`, words: []string{`projections[0].synapse.delay`, `longer than the longest delay`}},

	{name: "normal weight almost never of the right sign", yaml: lif + `projections:
  - from: exc
    to: exc
    connect: all_to_all
    synapse: {type: excitatory, weight: »"normal(-1 mV, 0.1 mV)", delay: 1 ms}
`, words: []string{`projections[0].synapse.weight`, `truncated to the projection's sign`}},

	{name: "weight list of the wrong length", yaml: lif + `projections:
  - from: exc
    to: exc
    connect: one_to_one
    synapse: {type: excitatory, weight: »[0.1 mV, 0.2 mV], delay: 1 ms}
`, words: []string{`projections[0].synapse.weight: 2 weights are listed but one_to_one makes 10 synapses`}},

	{name: "w_min above w_max", yaml: lif + `projections:
  - from: exc
    to: exc
    connect: all_to_all
    synapse: {type: excitatory, weight: 0.1 mV, delay: 1 ms, plasticity: {rule: hebbian, eta: 0.01 mV, w_min: 0.5 mV, w_max: »0.2 mV}}
`, words: []string{`w_max: must be at least w_min`}},

	{name: "step current times on one step", yaml: lif + `stimuli:
  - {type: step_current, target: exc, times: »[1.01 ms, 1.04 ms], amplitudes: [1 pA, 2 pA]}
`, words: []string{`stimuli[0].times`, `fall on the same step`}},

	{name: "delay too long", yaml: lif + `projections:
  - from: exc
    to: exc
    connect: all_to_all
    synapse: {type: excitatory, weight: 0.1 mV, delay: »7 s}
`, words: []string{`delay 7000 ms is longer than the longest delay`}},

	{name: "delay distribution below dt", yaml: lif + `projections:
  - from: exc
    to: exc
    connect: all_to_all
    synapse: {type: excitatory, weight: 0.1 mV, delay: »uniform(0.01 ms, 0.02 ms)}
`, words: []string{`every delay drawn from uniform(0.01 ms, 0.02 ms) is shorter than dt = 0.1 ms`}},

	{name: "missing synapse type", yaml: lif + `projections:
  - from: exc
    to: exc
    connect: all_to_all
    synapse:
      »weight: 0.1 mV
      delay: 1 ms
`, words: []string{`projections[0].synapse.type: missing; expected excitatory, inhibitory or mixed`}},

	{name: "missing delay", yaml: lif + `projections:
  - from: exc
    to: exc
    connect: all_to_all
    synapse: »{type: excitatory, weight: 0.1 mV}
`, words: []string{`projections[0].synapse.delay: missing; expected a time like "1.5 ms"`}},

	{name: "missing synapse", yaml: lif + `projections:
  - »from: exc
    to: exc
    connect: all_to_all
`, words: []string{`projections[0].synapse.type: missing`}, count: 3},

	{name: "unknown synapse type", yaml: lif + `projections:
  - from: exc
    to: exc
    connect: all_to_all
    synapse: {type: »exitatory, weight: 0.1 mV, delay: 1 ms}
`, words: []string{`unknown synapse type "exitatory" (did you mean excitatory?)`}},

	{name: "negative excitatory weight", yaml: lif + `projections:
  - from: exc
    to: exc
    connect: all_to_all
    synapse: {type: excitatory, weight: »-0.1 mV, delay: 1 ms}
`, words: []string{`an excitatory weight cannot be negative, got -0.1 mV; inhibitory weights are written negative with type: inhibitory`}},

	{name: "positive inhibitory weight", yaml: lif + `projections:
  - from: exc
    to: exc
    connect: all_to_all
    synapse: {type: inhibitory, weight: »uniform(0.1 mV, 0.2 mV), delay: 1 ms}
`, words: []string{`always positive, but inhibitory weights are written negative`}},

	{name: "weight in the wrong unit", yaml: lif + `projections:
  - from: exc
    to: exc
    connect: all_to_all
    synapse: {type: excitatory, weight: »10 pA, delay: 1 ms}
`, words: []string{`projections[0].synapse.weight: expected a voltage like "-70 mV", got a current`}},

	{name: "projection onto a source", yaml: head + `populations:
  src: {model: poisson_source, size: 10, params: {rate: 5 Hz}}
projections:
  - from: src
    to: »src
    connect: all_to_all
    synapse: {type: excitatory, weight: 0.1 mV, delay: 1 ms}
`, words: []string{`projections[0].to: poisson_source cannot receive synapses`}},

	{name: "plasticity parameter in the weight unit", yaml: lif + `projections:
  - from: exc
    to: exc
    connect: all_to_all
    synapse:
      type: excitatory
      weight: 0.1 mV
      delay: 1 ms
      plasticity: {rule: hebbian, eta: »0.01}
`, words: []string{`projections[0].synapse.plasticity.eta: "0.01" has no unit; expected a voltage`}},

	{name: "unknown plasticity rule", yaml: lif + `projections:
  - from: exc
    to: exc
    connect: all_to_all
    synapse: {type: excitatory, weight: 0.1 mV, delay: 1 ms, plasticity: {rule: »hebian}}
`, words: []string{`unknown plasticity rule "hebian" (did you mean hebbian?)`}},

	{name: "projection name used twice", yaml: lif + `projections:
  - from: exc
    to: exc
    connect: all_to_all
    synapse: {type: excitatory, weight: 0.1 mV, delay: 1 ms}
  - name: »exc->exc
    from: exc
    to: exc
    connect: all_to_all
    synapse: {type: excitatory, weight: 0.1 mV, delay: 1 ms}
`, words: []string{`projection name "exc->exc" is already used by projections[0]`}},

	{name: "current into a source", yaml: head + `populations:
  src: {model: poisson_source, size: 10, params: {rate: 5 Hz}}
stimuli:
  - type: dc
    target: »src
    amplitude: 1 nA
`, words: []string{`stimuli[0].target: dc injects current, which poisson_source neurons do not take (population src is a spike source)`}},

	{name: "spike input into a source", yaml: head + `populations:
  src: {model: poisson_source, size: 10, params: {rate: 5 Hz}}
stimuli:
  - type: poisson
    target: »src
    rate: 10 Hz
    weight: 1 mV
`, words: []string{`poisson sends spike input, which poisson_source neurons cannot receive`}},

	{name: "current into rate units", yaml: head + `populations:
  out: {model: rate, size: 1}
stimuli:
  - type: dc
    target: »out
    amplitude: 1 nA
`, words: []string{`dc injects current, which rate neurons do not take`}},

	{name: "unknown stimulus type", yaml: lif + `stimuli:
  - type: »poison
    target: exc
`, words: []string{`stimuli[0].type: unknown stimulus type "poison" (did you mean poisson?)`}},

	{name: "unknown stimulus parameter", yaml: lif + `stimuli:
  - type: dc
    target: exc
    »amplitud: 1 nA
`, words: []string{`stimuli[0].amplitud: unknown parameter "amplitud" of stimulus dc (did you mean amplitude?)`}, count: 2},

	{name: "neuron out of range", yaml: lif + `stimuli:
  - type: dc
    target: exc
    neurons: [0, »10]
    amplitude: 1 nA
`, words: []string{`stimuli[0].neurons[1]: neuron 10 is out of range: the population has 10 neurons, 0 to 9`}},

	{name: "neuron listed twice", yaml: lif + `stimuli:
  - type: dc
    target: exc
    neurons: [3, »3]
    amplitude: 1 nA
`, words: []string{`neuron 3 is listed twice`}},

	{name: "interval not a multiple of dt", yaml: lif + `recorders:
  - type: state
    population: exc
    variables: [V]
    interval: »0.15 ms
`, words: []string{`recorders[0].interval: interval 0.15 ms is not a multiple of dt = 0.1 ms`}},

	{name: "unknown recorded variable", yaml: lif + `recorders:
  - type: state
    population: exc
    variables: [»U]
`, words: []string{`recorders[0].variables[0]: unknown state variable "U" of lif_delta`}},

	{name: "field of another recorder type", yaml: lif + `recorders:
  - type: spikes
    variables: »[V]
`, words: []string{`recorders[0].variables: a spikes recorder has no variables (it takes populations)`}},

	{name: "unknown projection to record", yaml: lif + `recorders:
  - type: weights
    projection: »ee
`, words: []string{`recorders[0].projection: unknown projection "ee"`}},

	{name: "unknown recorder type", yaml: lif + `recorders:
  - type: »spike
`, words: []string{`unknown recorder type "spike" (did you mean spikes?)`}},

	{name: "merge into itself", yaml: head + `populations:
  n:
    model: lif_delta
    size: 1
    params: »&p {<<: *p}
`, words: []string{`a mapping cannot merge itself`}},
}

// marked removes the marker » from src and returns where it was.
func marked(src string) (clean string, line, col int) {
	i := strings.Index(src, "»")
	if i < 0 {
		panic("no » in test model")
	}
	before := src[:i]
	line = strings.Count(before, "\n") + 1
	col = i - strings.LastIndex(before, "\n")
	return before + src[i+len("»"):], line, col
}

// parseAndResolve returns every error of a model text.
func parseAndResolve(file, src string) Errors {
	s, _ := Parse(file, []byte(src))
	_, err := s.Resolve()
	var errs Errors
	errors.As(err, &errs)
	return errs
}

func TestErrors(t *testing.T) {
	for _, c := range errorCases {
		t.Run(c.name, func(t *testing.T) {
			src, line, col := marked(c.yaml)
			errs := parseAndResolve("m.yaml", src)
			want := Pos{File: "m.yaml", Line: line, Col: col}
			if c.line {
				want.Col = 0
			}
			says := func(e *Error) bool {
				for _, w := range c.words {
					if !strings.Contains(e.Error(), w) {
						return false
					}
				}
				return strings.HasPrefix(e.Error(), want.String()+": ")
			}
			found := false
			for _, e := range errs {
				found = found || e.Pos == want && says(e)
			}
			if !found {
				t.Errorf("no error at %v saying %q; got\n%v", want, c.words, errs)
			}
			if n := max(c.count, 1); len(errs) != n {
				t.Errorf("got %d errors, want %d:\n%v", len(errs), n, errs)
			}
		})
	}
}

func TestSeveralMistakes(t *testing.T) {
	path := filepath.Join(models, "invalid", "mistakes.yaml")
	s, err := Load(path)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	_, err = s.Resolve()
	var errs Errors
	if !errors.As(err, &errs) {
		t.Fatalf("Resolve returned %v, want Errors", err)
	}
	want := []string{
		path + ":10:7: populations.exc.params.tau_mm: unknown parameter",
		path + ":11:13: populations.exc.params.V_th: \"20\" has no unit",
		path + ":13:12: populations.inh.model: unknown neuron model \"lif_dleta\"",
		path + ":14:11: populations.inh.size: must be a whole number >= 1, got -5",
		path + ":17:11: projections[0].from: unknown population \"exx\" (did you mean exc?)",
		path + ":19:43: projections[0].connect.p: must be a probability in [0, 1], got 1.5",
		path + ":20:56: projections[0].synapse.delay: delay 0.05 ms is shorter than dt = 0.1 ms",
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != len(want) || len(errs) != len(want) {
		t.Fatalf("got %d errors, want %d:\n%v", len(lines), len(want), err)
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], w) {
			t.Errorf("error %d:\n\tgot  %s\n\twant %s...", i, lines[i], w)
		}
	}
}

// TestParseErrorsNotRepeated checks that a block Parse rejected is not
// reported again by Resolve as missing its fields.
func TestParseErrorsNotRepeated(t *testing.T) {
	src := head + "populations:\n  n: [lif_delta, 1]\nprojections: {from: n}\n"
	s, perr := Parse("m.yaml", []byte(src))
	_, rerr := s.Resolve()
	if perr == nil || rerr == nil || perr.Error() != rerr.Error() {
		t.Errorf("Parse:\n%v\nResolve:\n%v\nwant the same two errors", perr, rerr)
	}
	if n := strings.Count(rerr.Error(), "\n") + 1; n != 2 {
		t.Errorf("got %d errors, want 2", n)
	}
}

func TestGoErrorsHaveNoPosition(t *testing.T) {
	s := New("", "0.1 ms", "10 ms", 1)
	s.Population("n", "lif_delta", 1, P{"tau_m": "20 mV"})
	s.Learn("ee", "hebbian", nil)
	_, err := s.Resolve()
	want := "Learn: unknown projection \"ee\"; add it with Connect first\n" +
		"populations.n.params.tau_m: expected a time like \"20 ms\", got a voltage (\"20 mV\")"
	if err == nil || err.Error() != want {
		t.Errorf("got\n%v\nwant\n%s", err, want)
	}
}

func TestParseNoFileName(t *testing.T) {
	errs := parseAndResolve("", head+"populations:\n  n: {model: lif, size: 1}\n")
	if len(errs) != 1 || !strings.HasPrefix(errs[0].Error(), "<model>:4:14: populations.n.model: unknown neuron model") {
		t.Errorf("got %v", errs)
	}
}
