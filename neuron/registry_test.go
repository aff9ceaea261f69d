package neuron_test

import (
	"math"
	"testing"

	"github.com/hebb-snn/hebb/neuron"
	"github.com/hebb-snn/hebb/param"
	"github.com/hebb-snn/hebb/units"
)

// inRange reports whether x is allowed by r.
func inRange(x float64, r param.Range) bool {
	switch r {
	case param.Positive:
		return x > 0
	case param.NonNegative:
		return x >= 0
	case param.Probability:
		return x >= 0 && x <= 1
	case param.Count:
		return x >= 0 && x == math.Trunc(x)
	}
	return !math.IsNaN(x)
}

// sensible returns a value for a required parameter of d.
func sensible(d param.Def) param.Value {
	switch d.Kind {
	case param.Choice:
		return param.Value{Word: d.Choices[0]}
	case param.List:
		return param.Value{List: []float64{1, 2.5}} // e.g. times in ms, ≥ dt
	case param.Text:
		return param.Value{Word: "x"}
	case param.Random:
		return param.Value{Num: 1, Dist: param.Const(1)}
	}
	x := 1.0
	if d.Range == param.Probability {
		x = 0.5
	}
	return param.Value{Num: x}
}

// Every registered model is documented, its units parse, its defaults obey
// their ranges and it can be built with them.
func TestRegistry(t *testing.T) {
	const n, dt = 5, 0.1
	names := neuron.Names()
	for _, want := range []string{"lif_delta", "lif_exp", "rate", "poisson_source", "bernoulli_source", "spike_source"} {
		if _, ok := neuron.Lookup(want); !ok {
			t.Errorf("model %s is not registered (have %v)", want, names)
		}
	}
	if _, ok := neuron.Lookup("no_such_model"); ok {
		t.Error("Lookup found a model that does not exist")
	}
	for _, m := range neuron.Models() {
		if m.Name == "" || m.Doc == "" {
			t.Errorf("model %q: empty name or doc", m.Name)
		}
		checkDefs := func(what string, defs []param.Def) {
			for _, d := range defs {
				if d.Doc == "" {
					t.Errorf("%s %s %s: no doc", m.Name, what, d.Name)
				}
				if (d.Kind == param.Number || d.Kind == param.Random || d.Kind == param.List) && d.Unit != "" && d.Unit != param.WeightUnit {
					if _, _, err := units.ParseUnit(d.Unit); err != nil {
						t.Errorf("%s %s %s: unit %q does not parse: %v", m.Name, what, d.Name, d.Unit, err)
					}
				}
				if d.Kind == param.Choice && len(d.Choices) == 0 {
					t.Errorf("%s %s %s: a choice without choices", m.Name, what, d.Name)
				}
				if !d.Required && !d.Optional && (d.Kind == param.Number || d.Kind == param.Random) && !inRange(d.Default, d.Range) {
					t.Errorf("%s %s %s: default %g outside its range", m.Name, what, d.Name, d.Default)
				}
			}
		}
		checkDefs("param", m.Params)
		checkDefs("state", m.State)
		if !m.Source && m.WeightUnit != "" {
			if _, _, err := units.ParseUnit(m.WeightUnit); err != nil {
				t.Errorf("%s: weight unit %q does not parse: %v", m.Name, m.WeightUnit, err)
			}
		}
		v := m.Schema.Defaults()
		for _, d := range m.Params {
			if x, ok := v[d.Name]; ok {
				if d.Kind == param.Number && !inRange(x.Num, d.Range) {
					t.Errorf("%s: Defaults()[%s] = %g outside its range", m.Name, d.Name, x.Num)
				}
				if d.Kind == param.Choice && x.Word != d.Choices[0] {
					t.Errorf("%s: Defaults()[%s] = %q, want %q", m.Name, d.Name, x.Word, d.Choices[0])
				}
			} else if !d.Required && !d.Optional {
				t.Errorf("%s: Defaults() lacks %s", m.Name, d.Name)
			}
			if d.Required {
				v[d.Name] = sensible(d)
			}
		}
		if m.Check != nil {
			if errs := m.Check(v, dt); len(errs) != 0 {
				t.Errorf("%s: defaults rejected by Check: %v", m.Name, errs)
			}
		}
		k, err := m.New(n, v, neuron.Env{Dt: dt, Seed: 1})
		if err != nil {
			t.Errorf("%s: New with defaults: %v", m.Name, err)
			continue
		}
		for _, d := range m.State {
			if x := k.Var(d.Name); len(x) != n {
				t.Errorf("%s: Var(%q) has length %d, want %d", m.Name, d.Name, len(x), n)
			}
		}
		if k.Var("no_such_variable") != nil {
			t.Errorf("%s: Var of an unknown name is not nil", m.Name)
		}
		// One step with no input runs and emits only valid ids.
		in := neuron.Input{Ex: make([]float64, n), In: make([]float64, n)}
		if m.TakesCurrent {
			in.I = make([]float64, n)
		}
		var out neuron.Output
		for s := range int64(20) {
			in.Step = s
			k.Step(0, n, &in, &out)
		}
		for _, id := range out.IDs {
			if id < 0 || int(id) >= n {
				t.Errorf("%s: emitted id %d outside [0, %d)", m.Name, id, n)
			}
		}
	}
}
