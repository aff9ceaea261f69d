package model

import (
	"fmt"
	"sort"
	"strconv"
)

// P holds parameter values for the Go builder, written as in a model
// file: a string ("20 ms", "euler", "uniform(-70 mV, -54 mV)"), a []string
// for a list ([]string{"10 ms", "20 ms"}), or a Go number or bool for a
// dimensionless value (0.01, 100, false).
type P map[string]any

// Synapse describes the synapses of a projection, as the synapse block of
// a model file does.
type Synapse struct {
	Type   string // "excitatory", "inhibitory" or "mixed"
	Weight string // "0.1 mV", or a distribution such as "normal(0.1 mV, 0.01 mV)"
	Delay  string // "1.5 ms", or a distribution such as "uniform(1 ms, 2 ms)"
}

// New starts a model built in Go, with a time step and a duration such as
// "0.1 ms" and "300 ms". An empty name means "model". The methods of Spec
// add to it what a model file would say; Resolve checks the whole and
// reports every problem at once, as it does for a file. Arguments left
// empty ("") count as not given.
func New(name, dt, duration string, seed uint64) *Spec {
	return &Spec{
		Name:     text(name),
		Dt:       text(dt),
		Duration: text(duration),
		Seed:     text(strconv.FormatUint(seed, 10)),
	}
}

// Population adds a population of size neurons of a neuron model, such as
// "lif_delta", with the given parameters (nil for the defaults).
func (s *Spec) Population(name, model string, size int, params P) {
	s.Populations = append(s.Populations, Population{
		Name:   name,
		Model:  text(model),
		Size:   text(strconv.Itoa(size)),
		Params: paramList(params),
	})
}

// Init sets initial values of state variables of a population added
// before, each a value or a distribution: P{"V": "uniform(-70 mV, -54 mV)"}.
func (s *Spec) Init(pop string, values P) {
	for i := len(s.Populations) - 1; i >= 0; i-- {
		if p := &s.Populations[i]; p.Name == pop {
			p.Init = append(p.Init, paramList(values)...)
			return
		}
	}
	var known []string
	for _, p := range s.Populations {
		known = append(known, p.Name)
	}
	s.errs.Add(Pos{}, "Init", "%s; add it with Population first", unknownName("population", pop, "", known))
}

// Connect adds a projection from population from to population to, with
// a connectivity rule such as "fixed_probability" and its parameters
// (conn, nil for the defaults), and returns its name: "from->to", or
// "from->to#2", "#3", ... for further projections between the same
// populations.
func (s *Spec) Connect(from, to, rule string, conn P, syn Synapse) string {
	s.ConnectAs("", from, to, rule, conn, syn)
	return s.projectionNames()[len(s.Projections)-1]
}

// ConnectAs adds a projection as Connect does, under the given name.
func (s *Spec) ConnectAs(name, from, to, rule string, conn P, syn Synapse) {
	s.Projections = append(s.Projections, Projection{
		Name:    text(name),
		From:    text(from),
		To:      text(to),
		Rule:    text(rule),
		Connect: paramList(conn),
		Type:    text(syn.Type),
		Weight:  text(syn.Weight),
		Delay:   text(syn.Delay),
	})
}

// Learn makes the synapses of the named projection plastic, with a
// plasticity rule such as "hebbian" and its parameters. It replaces any
// rule given before.
func (s *Spec) Learn(projection, rule string, params P) {
	names := s.projectionNames()
	for i := len(names) - 1; i >= 0; i-- {
		if names[i] == projection {
			p := &s.Projections[i]
			p.Plasticity = text(rule)
			p.Learning = paramList(params)
			return
		}
	}
	s.errs.Add(Pos{}, "Learn", "%s; add it with Connect first", unknownName("projection", projection, "", names))
}

// projectionNames returns the names Resolve gives the projections so far.
func (s *Spec) projectionNames() []string {
	taken := map[string]bool{}
	names := make([]string, len(s.Projections))
	for i := range s.Projections {
		names[i] = projectionName(&s.Projections[i], taken)
		taken[names[i]] = true
	}
	return names
}

// Stimulate adds a stimulus of a kind such as "dc" or "poisson" to a
// target population, with its parameters, acting on the listed neurons
// (every neuron if none are listed).
func (s *Spec) Stimulate(kind, target string, params P, neurons ...int) {
	s.Stimuli = append(s.Stimuli, Stimulus{
		Type:    text(kind),
		Target:  text(target),
		Neurons: indices(neurons),
		Params:  paramList(params),
	})
}

// RecordSpikes records the spikes of the named populations, or of every
// population if none are named.
func (s *Spec) RecordSpikes(pops ...string) {
	rec := Recorder{Type: text("spikes")}
	if len(pops) > 0 {
		rec.Populations = valueOf(pops)
	}
	s.Recorders = append(s.Recorders, rec)
}

// RecordState records state variables, such as []string{"V"}, of the
// listed neurons of a population (every neuron if none are listed) every
// interval ("" for every step).
func (s *Spec) RecordState(pop string, vars []string, interval string, neurons ...int) {
	s.Recorders = append(s.Recorders, Recorder{
		Type:       text("state"),
		Population: text(pop),
		Variables:  valueOf(vars),
		Neurons:    indices(neurons),
		Interval:   text(interval),
	})
}

// RecordWeights records the weights of the named projection every
// interval ("" for every step).
func (s *Spec) RecordWeights(projection, interval string) {
	s.Recorders = append(s.Recorders, Recorder{
		Type:       text("weights"),
		Projection: text(projection),
		Interval:   text(interval),
	})
}

// text makes a value from a string; "" is a value not given.
func text(s string) Value { return Value{Text: s, Set: s != ""} }

// indices makes a list value of neuron indices; none is a value not given.
func indices(neurons []int) Value {
	if len(neurons) == 0 {
		return Value{}
	}
	return valueOf(neurons)
}

// paramList turns p into parameters sorted by name.
func paramList(p P) []Param {
	names := make([]string, 0, len(p))
	for n := range p {
		names = append(names, n)
	}
	sort.Strings(names)
	var out []Param
	for _, n := range names {
		out = append(out, Param{Name: n, Value: valueOf(p[n])})
	}
	return out
}

// valueOf writes a Go value as a model file would.
func valueOf(x any) Value {
	list := func(n int, elem func(int) string) Value {
		v := Value{IsList: true, Set: true, List: make([]Value, n)}
		for i := range v.List {
			v.List[i] = Value{Text: elem(i), Set: true}
		}
		return v
	}
	switch x := x.(type) {
	case string:
		return Value{Text: x, Set: true}
	case float64:
		return Value{Text: strconv.FormatFloat(x, 'g', -1, 64), Set: true}
	case float32:
		return Value{Text: strconv.FormatFloat(float64(x), 'g', -1, 32), Set: true}
	case bool:
		return Value{Text: strconv.FormatBool(x), Set: true}
	case []string:
		return list(len(x), func(i int) string { return x[i] })
	case []float64:
		return list(len(x), func(i int) string { return strconv.FormatFloat(x[i], 'g', -1, 64) })
	case []int:
		return list(len(x), func(i int) string { return strconv.Itoa(x[i]) })
	case []any:
		return list(len(x), func(i int) string { return valueOf(x[i]).Text })
	}
	// Integers of every size, and anything else, as fmt writes them.
	return Value{Text: fmt.Sprint(x), Set: true}
}
