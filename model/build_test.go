package model

import (
	"reflect"
	"testing"
)

// network builds testdata/models/network.yaml in Go.
func network() *Spec {
	m := New("small-ei", "0.1 ms", "200 ms", 7)
	lif := P{
		"tau_m": "20 ms", "C_m": "250 pF", "V_th": "-50 mV", "V_reset": "-65 mV",
		"t_ref": "2 ms", "tau_syn_ex": "0.5 ms", "tau_syn_in": "0.5 ms",
	}
	m.Population("exc", "lif_exp", 80, lif)
	m.Init("exc", P{"V": "uniform(-65 mV, -50 mV)"})
	lif["tau_m"] = "10 ms"
	m.Population("inh", "lif_exp", 20, lif)
	m.Init("inh", P{"V": "normal(-60 mV, 2 mV)", "I_ex": "0 pA"})
	m.Population("noise", "poisson_source", 50, P{"rate": "20 Hz"})
	m.Population("cue", "spike_source", 1, P{"times": []string{"50 ms", "100 ms", "150 ms"}})

	m.ConnectAs("ee", "exc", "exc", "fixed_indegree", P{"k": 8, "autapses": false},
		Synapse{Type: "excitatory", Weight: "20 pA", Delay: "1.5 ms"})
	m.Connect("exc", "inh", "fixed_probability", P{"p": 0.1},
		Synapse{Type: "excitatory", Weight: "normal(20 pA, 2 pA)", Delay: "uniform(1 ms, 2 ms)"})
	m.Connect("inh", "exc", "fixed_outdegree", P{"k": 10},
		Synapse{Type: "inhibitory", Weight: "-100 pA", Delay: "0.8 ms"})
	m.Connect("inh", "inh", "all_to_all", nil,
		Synapse{Type: "inhibitory", Weight: "-100 pA", Delay: "0.8 ms"})
	noise := m.Connect("noise", "exc", "fixed_indegree", P{"k": 10},
		Synapse{Type: "excitatory", Weight: "30 pA", Delay: "1 ms"})
	m.Learn(noise, "hebbian", P{"eta": "0.1 pA", "w_max": "60 pA"})
	m.Connect("cue", "exc", "all_to_all", nil,
		Synapse{Type: "mixed", Weight: "uniform(-10 pA, 50 pA)", Delay: "1 ms"})
	m.Connect("cue", "exc", "fixed_outdegree", P{"k": 5},
		Synapse{Type: "excitatory", Weight: "5 pA", Delay: "2 ms"})

	m.Stimulate("dc", "exc", P{"amplitude": "100 pA", "start": "20 ms", "stop": "80 ms"}, 3, 0, 1)
	m.Stimulate("step_current", "inh", P{"times": []string{"10 ms", "60 ms"}, "amplitudes": []string{"50 pA", "0 pA"}})
	m.Stimulate("poisson", "inh", P{"rate": "500 Hz", "weight": "10 pA"})
	m.Stimulate("spike_times", "exc", P{"times": []string{"25 ms"}, "weight": "-50 pA"}, 0)

	m.RecordSpikes("exc", "inh")
	m.RecordState("exc", []string{"V", "I_ex"}, "1 ms", 0, 1)
	m.RecordWeights(noise, "10 ms")
	return m
}

// hebbianPair builds testdata/models/hebbian.yaml in Go.
func hebbianPair() *Spec {
	m := New("hebbian-pair", "1 ms", "1000 ms", 1)
	m.Population("pre", "bernoulli_source", 2, P{"p": 0.3})
	m.Population("post", "rate", 1, P{"activation": "sigmoid", "theta": 0.5, "beta": 4})
	name := m.Connect("pre", "post", "all_to_all", nil, Synapse{Type: "excitatory", Weight: "0.5", Delay: "1 ms"})
	m.Learn(name, "hebbian", P{"eta": 0.01, "w_max": 1})
	m.RecordSpikes()
	m.RecordState("post", []string{"x", "y"}, "")
	m.RecordWeights(name, "")
	return m
}

// codelab builds testdata/models/codelab.yaml in Go.
func codelab() *Spec {
	m := New("codelab-lif", "0.1 ms", "300 ms", 42)
	m.Population("neuron", "lif_delta", 1, P{
		"tau_m": "20 ms", "V_rest": "-70 mV", "V_th": "-54 mV", "V_reset": "-80 mV",
		"R_m": "10 Mohm", "t_ref": "0 ms", "integrator": "euler",
	})
	m.Stimulate("dc", "neuron", P{"amplitude": "1.8 nA"})
	m.RecordSpikes()
	m.RecordState("neuron", []string{"V"}, "")
	return m
}

func TestGoMatchesYAML(t *testing.T) {
	for file, build := range map[string]func() *Spec{
		"codelab.yaml": codelab,
		"network.yaml": network,
		"hebbian.yaml": hebbianPair,
	} {
		t.Run(file, func(t *testing.T) {
			fromFile := resolveFile(t, file)
			fromGo, err := build().Resolve()
			if err != nil {
				t.Fatalf("Go model: %v", err)
			}
			fromFile.File = ""
			if !reflect.DeepEqual(fromFile, fromGo) {
				t.Errorf("the Go model differs from %s:\nfile: %+v\nGo:   %+v", file, fromFile, fromGo)
			}
		})
	}
}

func TestBuilderNames(t *testing.T) {
	m := New("", "0.1 ms", "1 ms", 1)
	m.Population("a", "lif_delta", 1, nil)
	syn := Synapse{Type: "excitatory", Weight: "1 mV", Delay: "1 ms"}
	first := m.Connect("a", "a", "all_to_all", nil, syn)
	second := m.Connect("a", "a", "all_to_all", nil, syn)
	m.ConnectAs("mine", "a", "a", "one_to_one", nil, syn)
	third := m.Connect("a", "a", "all_to_all", nil, syn)
	net, err := m.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	got := []string{first, second, third}
	want := []string{"a->a", "a->a#2", "a->a#3"}
	if !reflect.DeepEqual(got, want) || net.Projs[1].Name != second || net.Projs[2].Name != "mine" || net.Projs[3].Name != third {
		t.Errorf("Connect returned %q, Resolve named %q %q %q %q", got, net.Projs[0].Name, net.Projs[1].Name, net.Projs[2].Name, net.Projs[3].Name)
	}
	if net.Name != "model" {
		t.Errorf("default name %q, want model", net.Name)
	}
}

func TestBuilderErrors(t *testing.T) {
	m := New("x", "0.1 ms", "1 ms", 1)
	m.Population("exc", "lif_delta", 1, nil)
	m.Init("exx", P{"V": "-70 mV"})
	_, err := m.Resolve()
	want := `Init: unknown population "exx" (did you mean exc?); add it with Population first`
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}

// TestBuilderOddModels checks that odd models built in Go give errors,
// not panics.
func TestBuilderOddModels(t *testing.T) {
	for name, build := range map[string]func() *Spec{
		"zero Spec": func() *Spec { return &Spec{} },
		"all empty": func() *Spec {
			m := New("", "", "", 0)
			m.Population("", "", 0, P{"": nil})
			m.Init("", P{"": ""})
			m.Connect("", "", "", P{"": []any{1, "x"}}, Synapse{})
			m.Learn("->", "", nil)
			m.Stimulate("", "", nil, -1)
			m.RecordSpikes("")
			m.RecordState("", nil, "")
			m.RecordWeights("", "")
			return m
		},
		"unknown model everywhere": func() *Spec {
			m := New("x", "0.1 ms", "1 ms", 1)
			m.Population("a", "nope", -3, P{"tau_m": "1 ms"})
			m.Init("a", P{"V": "0 mV"})
			n := m.Connect("a", "a", "fixed_indegree", P{"k": 3}, Synapse{Type: "excitatory", Weight: "1 mV", Delay: "1 ms"})
			m.Learn(n, "hebbian", P{"eta": "1 mV"})
			m.Stimulate("dc", "a", P{"amplitude": "1 pA"}, 0, 5)
			m.RecordState("a", []string{"V"}, "1 ms", 1)
			m.RecordWeights(n, "0.5 ms")
			return m
		},
	} {
		net, err := build().Resolve()
		if err == nil || net != nil {
			t.Errorf("%s: got no error", name)
		}
	}
}
