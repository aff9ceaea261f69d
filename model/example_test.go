package model_test

import (
	"fmt"
	"log"

	"github.com/hebb-snn/hebb/model"
)

// The code lab's leaky integrate-and-fire neuron, built in Go. It is the
// same model as testdata/models/codelab.yaml.
func Example() {
	m := model.New("codelab-lif", "0.1 ms", "300 ms", 42)
	m.Population("neuron", "lif_delta", 1, model.P{
		"tau_m":      "20 ms",
		"V_rest":     "-70 mV",
		"V_th":       "-54 mV",
		"V_reset":    "-80 mV",
		"R_m":        "10 Mohm",
		"t_ref":      "0 ms",
		"integrator": "euler",
	})
	m.Stimulate("dc", "neuron", model.P{"amplitude": "1.8 nA"})
	m.RecordSpikes()
	m.RecordState("neuron", []string{"V"}, "")

	net, err := m.Resolve()
	if err != nil {
		log.Fatal(err)
	}
	pop := net.Pops[0]
	fmt.Println("steps:", net.Steps)
	fmt.Println("tau_m:", pop.Params.Num("tau_m"), "ms")
	fmt.Println("R_m:", pop.Params.Num("R_m"), "GΩ")
	fmt.Println("I:", net.Stims[0].Params.Num("amplitude"), "pA")
	// Output:
	// steps: 3000
	// tau_m: 20 ms
	// R_m: 0.01 GΩ
	// I: 1800 pA
}

// Resolve reports every problem at once, each with the field it concerns
// (and, for a model file, the file, line and column).
func ExampleSpec_Resolve() {
	m := model.New("", "0.1 ms", "300 ms", 1)
	m.Population("exc", "lif_delta", 100, model.P{"tau_m": "20 mV", "V_th": "-50"})
	m.Connect("exc", "inh", "fixed_probability", model.P{"p": 1.5},
		model.Synapse{Type: "excitatory", Weight: "0.1 mV", Delay: "1.5 ms"})

	_, err := m.Resolve()
	fmt.Println(err)
	// Output:
	// populations.exc.params.V_th: "-50" has no unit; expected a voltage like "-70 mV"
	// populations.exc.params.tau_m: expected a time like "20 ms", got a voltage ("20 mV")
	// projections[0].to: unknown population "inh" (known: exc)
	// projections[0].connect.p: must be a probability in [0, 1], got 1.5
}
