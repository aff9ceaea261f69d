// Package model turns model files into validated, typed network
// descriptions, and lets Go programs build the same descriptions.
//
// A Spec is a model as written: every value is still text with the place
// it came from (file, line, column). Resolve checks a Spec against the
// catalogues of neuron models, connectivity rules, stimuli and plasticity
// rules, converts every quantity to internal units (ms, mV, pA, pF, nS,
// GΩ, Hz) and returns a Net, or all the errors at once, each as
// "file:line:col: field: what was expected".
//
// Load reads a YAML model file into a Spec; New and the Spec methods build
// one in Go. Both go through Resolve, so they accept exactly the same
// models.
package model

import (
	"github.com/hebb-snn/hebb/neuron"
	"github.com/hebb-snn/hebb/param"
	"github.com/hebb-snn/hebb/plasticity"
	"github.com/hebb-snn/hebb/stimulus"
)

// Pos is a place in a model file. Line and Col are 1-based; a Pos of a
// model built in Go has Line 0.
type Pos struct {
	File      string
	Line, Col int
}

// Value is a value as written: a scalar's text, or a list of values.
type Value struct {
	Text   string
	List   []Value
	IsList bool
	Set    bool // false if the model did not give the value
	// Pos is where the value was written. For a value the file left out
	// it is the position of the block that should have held it, so that
	// "missing" errors point there.
	Pos Pos
}

// Param is one named value of a parameter block.
type Param struct {
	Name  string
	Value Value
	Pos   Pos // position of the name
}

// Population is a population as written.
type Population struct {
	Name   string
	Pos    Pos
	Model  Value
	Size   Value
	Params []Param
	Init   []Param // initial values of state variables
}

// Projection is a projection as written.
type Projection struct {
	Name       Value // optional; default "from->to"
	Pos        Pos
	From, To   Value
	Rule       Value   // connectivity rule
	Connect    []Param // the rule's parameters
	Type       Value   // excitatory, inhibitory or mixed
	Weight     Value
	Delay      Value
	Plasticity Value   // plasticity rule name, unset if static
	Learning   []Param // the plasticity rule's parameters
}

// Stimulus is a stimulus as written.
type Stimulus struct {
	Pos     Pos
	Type    Value
	Target  Value
	Neurons Value // optional list of neuron indices
	Params  []Param
}

// Recorder is a recorder as written.
type Recorder struct {
	Pos         Pos
	Type        Value // spikes, state or weights
	Populations Value // spikes: list of populations (default: all)
	Population  Value // state
	Variables   Value // state: list of state variables
	Neurons     Value // state: list of neuron indices (default: all)
	Projection  Value // weights
	Interval    Value // state, weights: sampling interval (default: dt)
}

// Spec is a model as written, before validation.
type Spec struct {
	File        string // "" for a model built in Go
	Pos         Pos    // start of the model file; zero for a model built in Go
	Name        Value
	Dt          Value
	Duration    Value
	Seed        Value
	Populations []Population
	Projections []Projection
	Stimuli     []Stimulus
	Recorders   []Recorder

	// errs holds the problems found while reading the file or building
	// the Spec in Go; Resolve reports them with its own.
	errs Errors
	// broken lists the fields Parse could not read (a list where a
	// mapping belongs, ...; "" for the whole file): Resolve says nothing
	// more about them or the fields inside them.
	broken []string
}

// Net is a validated model in internal units, ready to be built.
type Net struct {
	Name     string
	File     string
	Dt       float64 // ms
	Duration float64 // ms
	Steps    int64   // number of steps: round(Duration/Dt)
	Seed     uint64
	Pops     []Pop
	Projs    []Proj
	Stims    []Stim
	Recs     []Rec
}

// Pop is a validated population.
type Pop struct {
	Name   string
	Model  *neuron.Model
	Size   int
	Params param.Values
	Init   []Init
}

// Init sets a state variable of every neuron of a population.
type Init struct {
	Var  string
	Dist param.Dist
}

// Proj is a validated projection.
type Proj struct {
	Name     string
	From, To int // population indices
	Rule     string
	Connect  param.Values
	Sign     int8 // synapse.Excitatory, synapse.Inhibitory, or 0 for mixed
	Weight   param.Dist
	// Weights, if not nil, lists every synapse's weight in canonical
	// order (by source, then target): for all_to_all the rows of the
	// source × target weight matrix.
	Weights    []float64
	Delay      param.Dist // ms
	Plasticity *plasticity.Rule
	Learning   param.Values
	// Modulator is the population whose spikes carry the neuromodulator
	// (dopamine) of a rule with Modulated set; not used by other rules.
	Modulator int
}

// Stim is a validated stimulus.
type Stim struct {
	Kind    *stimulus.Kind
	Target  int     // population index
	Neurons []int32 // sorted target neurons; nil means all
	Params  param.Values
}

// RecKind says what a recorder records.
type RecKind int

// Recorder kinds.
const (
	RecSpikes RecKind = iota
	RecState
	RecWeights
)

// Rec is a validated recorder.
type Rec struct {
	Kind     RecKind
	Pops     []int    // RecSpikes: populations (all if the model named none)
	Pop      int      // RecState
	Vars     []string // RecState
	Neurons  []int32  // RecState: sorted; nil means all
	Proj     int      // RecWeights
	Interval float64  // RecState, RecWeights: ms, a multiple of dt
}
