package neuron_test

import (
	"testing"

	"github.com/hebb-snn/hebb/neuron"
	"github.com/hebb-snn/hebb/param"
)

// values returns the defaults of model name with over applied.
func values(t testing.TB, name string, over param.Values) (*neuron.Model, param.Values) {
	t.Helper()
	m, ok := neuron.Lookup(name)
	if !ok {
		t.Fatalf("model %q is not registered", name)
	}
	v := m.Schema.Defaults()
	for k, x := range over {
		if _, ok := m.Schema.Def(k); !ok {
			t.Fatalf("model %s has no parameter %q", name, k)
		}
		v[k] = x
	}
	return m, v
}

func num(x float64) param.Value { return param.Value{Num: x} }

func word(w string) param.Value { return param.Value{Word: w} }

// sim drives one kernel step by step with explicit inputs.
type sim struct {
	k   neuron.Kernel
	n   int
	in  neuron.Input
	out neuron.Output
	s   int64
}

// newSim builds n neurons of model name with the defaults and over.
func newSim(t testing.TB, name string, n int, over param.Values, env neuron.Env) *sim {
	t.Helper()
	m, v := values(t, name, over)
	if m.Check != nil {
		if errs := m.Check(v, env.Dt); len(errs) > 0 {
			t.Fatalf("%s: Check(%v) = %v", name, over, errs)
		}
	}
	k, err := m.New(n, v, env)
	if err != nil {
		t.Fatalf("%s: New: %v", name, err)
	}
	return &sim{k: k, n: n, in: neuron.Input{Ex: make([]float64, n), In: make([]float64, n)}}
}

// step advances every neuron by one step (as one range, [0, n)) and returns
// what was emitted. Ex and In are cleared afterwards, as the engine does.
func (s *sim) step() neuron.Output {
	s.in.Step = s.s
	s.out.Reset()
	s.k.Step(0, s.n, &s.in, &s.out)
	clear(s.in.Ex)
	clear(s.in.In)
	s.s++
	return s.out
}
