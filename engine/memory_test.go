package engine

import (
	"math"
	"strings"
	"testing"

	"github.com/hebb-snn/hebb/model"
)

// memNet is a network with a static projection of constant delay, one of
// drawn delays, a mixed one and a plastic (STDP) one of constant delay.
func memNet(t *testing.T) *model.Net {
	t.Helper()
	m := model.New("mem", "0.1 ms", "1 ms", 3)
	m.Population("E", "lif_delta", 2000, nil)
	m.Population("I", "lif_delta", 500, nil)
	m.Population("S", "poisson_source", 300, model.P{"rate": "5 Hz"})
	m.Connect("E", "E", "fixed_indegree", model.P{"k": 100}, model.Synapse{Type: "excitatory", Weight: "0.1 mV", Delay: "1.5 ms"})
	m.Connect("E", "I", "fixed_probability", model.P{"p": 0.05}, model.Synapse{Type: "excitatory", Weight: "0.1 mV", Delay: "uniform(1 ms, 3 ms)"})
	m.Connect("I", "E", "fixed_outdegree", model.P{"k": 40}, model.Synapse{Type: "mixed", Weight: "normal(0 mV, 0.5 mV)", Delay: "1 ms"})
	p := m.Connect("S", "E", "fixed_indegree", model.P{"k": 30}, model.Synapse{Type: "excitatory", Weight: "0.2 mV", Delay: "2 ms"})
	m.Learn(p, "stdp", model.P{"A_plus": "0.001 mV", "A_minus": "0.001 mV", "w_max": "1 mV"})
	net, err := m.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	return net
}

// The estimate of synapse memory made from the model agrees with the
// memory the built network holds (within 1 %: fixed_probability counts
// are expected values), for one and two threads; the synapse count is
// the expected one.
func TestEstimateMemory(t *testing.T) {
	net := memNet(t)
	for _, threads := range []int{1, 2} {
		e := EstimateMemory(net, threads)
		s, err := Build(net, Options{Threads: threads})
		if err != nil {
			t.Fatal(err)
		}
		got := s.SynapseBytes()
		if r := float64(e.SynapseBytes) / float64(got); math.Abs(r-1) > 0.01 {
			t.Errorf("%d threads: estimate %d bytes of synapses, built %d (ratio %.4f)", threads, e.SynapseBytes, got, r)
		}
		if r := float64(e.Synapses) / float64(s.Synapses()); math.Abs(r-1) > 0.01 {
			t.Errorf("%d threads: estimate %d synapses, built %d", threads, e.Synapses, s.Synapses())
		}
		if e.NeuronBytes <= 0 || e.BuildBytes <= 0 {
			t.Errorf("%d threads: estimate %+v has no neuron or build memory", threads, e)
		}
		t.Logf("%d threads: %s; built %d bytes of synapses", threads, e, got)
	}
}

// Build refuses a model that does not fit in the memory allowed, saying
// how much it needs; a negative limit turns the check off.
func TestBuildRefusesTooBig(t *testing.T) {
	net := memNet(t)
	_, err := Build(net, Options{MemoryLimit: 1 << 20})
	if err == nil {
		t.Fatal("a model of several MiB built with a limit of 1 MiB")
	}
	for _, want := range []string{"needs about", "MiB", "available", "--no-memory-check"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if _, err := Build(net, Options{MemoryLimit: -1}); err != nil {
		t.Errorf("with the check off: %v", err)
	}
	if AvailableMemory() <= 0 {
		t.Errorf("AvailableMemory() = %d on Linux", AvailableMemory())
	}
}
