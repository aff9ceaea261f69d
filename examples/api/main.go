// Command api builds a model in Go instead of a model file and runs it:
// a small network of excitatory and inhibitory LIF neurons with
// exponential current synapses, driven by Poisson input.
//
//	go run ./examples/api [-out DIR]
package main

import (
	"context"
	"flag"
	"fmt"
	"log"

	"github.com/hebb-snn/hebb/model"
	"github.com/hebb-snn/hebb/run"
)

func main() {
	out := flag.String("out", "api-network", "results folder")
	flag.Parse()

	m := model.New("api-network", "0.1 ms", "1 s", 42)
	lif := model.P{"tau_m": "20 ms", "V_th": "-50 mV", "V_reset": "-60 mV", "t_ref": "2 ms"}
	m.Population("exc", "lif_exp", 800, lif)
	m.Population("inh", "lif_exp", 200, lif)
	m.Population("ext", "poisson_source", 200, model.P{"rate": "20 Hz"})
	m.Init("exc", model.P{"V": "uniform(-70 mV, -50 mV)"})
	m.Init("inh", model.P{"V": "uniform(-70 mV, -50 mV)"})

	drive := model.Synapse{Type: "excitatory", Weight: "normal(200 pA, 20 pA)", Delay: "1.5 ms"}
	m.Connect("ext", "exc", "fixed_indegree", model.P{"k": 80}, drive)
	m.Connect("ext", "inh", "fixed_indegree", model.P{"k": 80}, drive)
	exc := model.Synapse{Type: "excitatory", Weight: "20 pA", Delay: "uniform(0.5 ms, 3 ms)"}
	inh := model.Synapse{Type: "inhibitory", Weight: "-300 pA", Delay: "0.8 ms"}
	for _, to := range []string{"exc", "inh"} {
		m.Connect("exc", to, "fixed_probability", model.P{"p": 0.1, "autapses": false}, exc)
		m.Connect("inh", to, "fixed_probability", model.P{"p": 0.2, "autapses": false}, inh)
	}
	m.RecordSpikes("exc", "inh")
	m.RecordState("exc", []string{"V"}, "0.5 ms", 0, 1, 2)

	net, err := m.Resolve() // the same validation as a model file
	if err != nil {
		log.Fatal(err)
	}
	res, err := run.Net(context.Background(), net, run.Options{Out: *out, Figures: true})
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range res.Manifest.Populations {
		fmt.Printf("%-4s %5d neurons %8.2f spikes/s\n", p.Name, p.Size, p.RateHz)
	}
	fmt.Println("results in", res.Dir)
}
