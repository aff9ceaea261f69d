package engine

import (
	"context"
	"testing"

	"github.com/hebb-snn/hebb/connect"
	"github.com/hebb-snn/hebb/model"
	"github.com/hebb-snn/hebb/neuron"
	"github.com/hebb-snn/hebb/param"
	"github.com/hebb-snn/hebb/plasticity"
	"github.com/hebb-snn/hebb/stimulus"
)

// values parses parameter texts against a schema, defaults filled in.
func values(t *testing.T, s *param.Schema, unit string, kv map[string]any) param.Values {
	t.Helper()
	v := s.Defaults()
	for k, x := range kv {
		d, ok := s.Def(k)
		if !ok {
			t.Fatalf("%s has no parameter %s", s.Name, k)
		}
		dd := *d
		if dd.Unit == param.WeightUnit {
			dd.Unit = unit
		}
		switch x := x.(type) {
		case string:
			val, err := dd.Parse(x)
			if err != nil {
				t.Fatalf("%s: %v", k, err)
			}
			v[k] = val
		case []string:
			var l []float64
			for _, e := range x {
				f, err := dd.ParseElement(e)
				if err != nil {
					t.Fatalf("%s: %v", k, err)
				}
				l = append(l, f)
			}
			v[k] = param.Value{List: l}
		}
	}
	return v
}

type testNet struct {
	t   *testing.T
	net *model.Net
}

func newNet(t *testing.T, dt, duration float64, seed uint64) *testNet {
	return &testNet{t: t, net: &model.Net{Name: "test", Dt: dt, Duration: duration, Steps: int64(duration/dt + 0.5), Seed: seed}}
}

func (n *testNet) pop(name, mod string, size int, kv map[string]any) int {
	m, ok := neuron.Lookup(mod)
	if !ok {
		n.t.Fatalf("no model %s", mod)
	}
	n.net.Pops = append(n.net.Pops, model.Pop{Name: name, Model: m, Size: size, Params: values(n.t, &m.Schema, "", kv)})
	return len(n.net.Pops) - 1
}

func (n *testNet) init(p int, v string, d string) {
	m := n.net.Pops[p].Model
	sd, _ := m.StateDef(v)
	dist, err := param.ParseDist(d, sd.Unit)
	if err != nil {
		n.t.Fatal(err)
	}
	n.net.Pops[p].Init = append(n.net.Pops[p].Init, model.Init{Var: v, Dist: dist})
}

func (n *testNet) project(from, to int, rule string, conn map[string]any, sign int8, weight, delay string) int {
	r, ok := connect.Rule(rule)
	if !ok {
		n.t.Fatalf("no rule %s", rule)
	}
	unit := n.net.Pops[to].Model.WeightUnit
	w, err := param.ParseDist(weight, unit)
	if err != nil {
		n.t.Fatal(err)
	}
	d, err := param.ParseDist(delay, "ms")
	if err != nil {
		n.t.Fatal(err)
	}
	n.net.Projs = append(n.net.Projs, model.Proj{
		Name: n.net.Pops[from].Name + "->" + n.net.Pops[to].Name, From: from, To: to,
		Rule: rule, Connect: values(n.t, r, "", conn), Sign: sign, Weight: w, Delay: d,
	})
	return len(n.net.Projs) - 1
}

func (n *testNet) learn(proj int, rule string, kv map[string]any) {
	r, ok := plasticity.Lookup(rule)
	if !ok {
		n.t.Fatalf("no rule %s", rule)
	}
	p := &n.net.Projs[proj]
	p.Plasticity = r
	p.Learning = values(n.t, &r.Schema, n.net.Pops[p.To].Model.WeightUnit, kv)
}

func (n *testNet) stim(kind string, target int, kv map[string]any, neurons ...int32) {
	k, ok := stimulus.Lookup(kind)
	if !ok {
		n.t.Fatalf("no stimulus %s", kind)
	}
	n.net.Stims = append(n.net.Stims, model.Stim{Kind: k, Target: target, Neurons: neurons,
		Params: values(n.t, &k.Schema, n.net.Pops[target].Model.WeightUnit, kv)})
}

func (n *testNet) spikes(pops ...int) {
	n.net.Recs = append(n.net.Recs, model.Rec{Kind: model.RecSpikes, Pops: pops})
}

func (n *testNet) state(p int, interval float64, vars ...string) {
	n.net.Recs = append(n.net.Recs, model.Rec{Kind: model.RecState, Pop: p, Vars: vars, Interval: interval})
}

func (n *testNet) weights(proj int, interval float64) {
	n.net.Recs = append(n.net.Recs, model.Rec{Kind: model.RecWeights, Proj: proj, Interval: interval})
}

// run builds and runs the net with the given number of threads.
func (n *testNet) run(threads int) *Sim {
	n.t.Helper()
	s, err := Build(n.net, Options{Threads: threads})
	if err != nil {
		n.t.Fatal(err)
	}
	if err := s.Run(context.Background(), nil); err != nil {
		n.t.Fatal(err)
	}
	return s
}
