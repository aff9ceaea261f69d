// Command neurons draws the neuron gallery: the firing pattern of every
// Izhikevich (2003) and AdEx (Naud et al. 2008) preset under a step
// current, and the f–I curves of the spiking models.
//
//	go run ./examples/neurons [-out DIR]
//
// It writes izhikevich.png, adex.png and fi.png into DIR (default
// neuron-gallery) and prints the f–I table.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/hebb-snn/hebb/engine"
	"github.com/hebb-snn/hebb/figure"
	"github.com/hebb-snn/hebb/model"
	"github.com/hebb-snn/hebb/neuron"
)

func main() {
	out := flag.String("out", "neuron-gallery", "folder for the figures")
	flag.Parse()
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	if err := izhikevich(filepath.Join(*out, "izhikevich.png")); err != nil {
		log.Fatal(err)
	}
	if err := adex(filepath.Join(*out, "adex.png")); err != nil {
		log.Fatal(err)
	}
	if err := fI(filepath.Join(*out, "fi.png")); err != nil {
		log.Fatal(err)
	}
	fmt.Println("figures in", *out)
}

// simulate runs m and returns the simulation.
func simulate(m *model.Spec) (*engine.Sim, error) {
	net, err := m.Resolve()
	if err != nil {
		return nil, err
	}
	sim, err := engine.Build(net, engine.Options{Threads: 1})
	if err != nil {
		return nil, err
	}
	return sim, sim.Run(context.Background(), nil)
}

// trace runs one neuron of the given model and parameters with a step
// current and returns its membrane potential as a panel.
func trace(title, mod, vname string, params model.P, amp, start, stop, duration string) (figure.Panel, error) {
	m := model.New(title, "0.05 ms", duration, 1)
	m.Population("n", mod, 1, params)
	m.Stimulate("dc", "n", model.P{"amplitude": amp, "start": start, "stop": stop})
	m.RecordState("n", []string{vname}, "0.1 ms")
	sim, err := simulate(m)
	if err != nil {
		return figure.Panel{}, err
	}
	st := sim.States()[0]
	return figure.Panel{Title: title, YLabel: vname + " (mV)", Traces: []figure.Trace{{Times: st.Times, Values: st.Values}}}, nil
}

// izhikevich draws the seven presets of Izhikevich (2003), Fig. 2, driven
// by a step of I = 10 (the paper's units; C_m = 1 pF makes 1 pA one unit)
// from 20 ms, except TC, shown rebounding from a hyperpolarising step, and
// RZ, driven just above its threshold.
func izhikevich(path string) error {
	var panels []figure.Panel
	for _, p := range neuron.IzhikevichPresets() {
		amp, start, stop := "10 pA", "20 ms", "300 ms"
		title := p + ", I = 10"
		switch p {
		case "TC":
			amp, start, stop, title = "-10 pA", "0 ms", "100 ms", "TC, rebound after I = −10"
		case "RZ":
			amp, title = "0.6 pA", "RZ, I = 0.6"
		}
		pn, err := trace(title, "izhikevich", "v", model.P{"preset": p}, amp, start, stop, "300 ms")
		if err != nil {
			return err
		}
		panels = append(panels, pn)
	}
	return figure.Gallery(path, "Izhikevich (2003) presets", 2, panels)
}

// adex draws the eight firing patterns of Naud et al. (2008), each with
// the paper's step current from 50 ms.
func adex(path string) error {
	var panels []figure.Panel
	for _, p := range neuron.AdExPresets() {
		i, _ := neuron.AdExPresetCurrent(p)
		amp := fmt.Sprintf("%g pA", i)
		pn, err := trace(fmt.Sprintf("%s, %s", p, amp), "adex", "V", model.P{"preset": p}, amp, "50 ms", "450 ms", "500 ms")
		if err != nil {
			return err
		}
		panels = append(panels, pn)
	}
	return figure.Gallery(path, "AdEx firing patterns (Naud et al. 2008)", 2, panels)
}

// fI measures firing rates over 0.2–1 s of constant current for 31
// currents from 0 to 1500 pA, one neuron per current, for each model.
func fI(path string) error {
	models := []struct {
		label, model string
		params       model.P
	}{
		{"lif_delta", "lif_delta", nil},
		{"lif_exp", "lif_exp", nil},
		{"lif_alpha", "lif_alpha", nil},
		{"lif_cond_exp", "lif_cond_exp", nil},
		{"izhikevich RS (C_m 100 pF)", "izhikevich", model.P{"C_m": "100 pF"}},
		{"adex tonic", "adex", nil},
		{"hh (area 10000 µm²)", "hh", nil},
	}
	const n = 31
	var curves []figure.Curve
	fmt.Printf("%-28s rate (Hz) at 0, 250, 500, 750, 1000, 1250, 1500 pA\n", "model")
	for _, md := range models {
		m := model.New("fI", "0.05 ms", "1 s", 1)
		m.Population("n", md.model, n, md.params)
		c := figure.Curve{Label: md.label}
		for k := 0; k < n; k++ {
			amp := 50 * float64(k)
			c.X = append(c.X, amp)
			m.Stimulate("dc", "n", model.P{"amplitude": fmt.Sprintf("%g pA", amp)}, k)
		}
		m.RecordSpikes("n")
		sim, err := simulate(m)
		if err != nil {
			return fmt.Errorf("%s: %v", md.label, err)
		}
		counts := make([]float64, n)
		tr := sim.Spikes()[0]
		for s, id := range tr.IDs {
			if tr.Times[s] >= 200 {
				counts[id]++
			}
		}
		for k := range counts {
			c.Y = append(c.Y, counts[k]/0.8)
		}
		fmt.Printf("%-28s", md.label)
		for k := 0; k < n; k += 5 {
			fmt.Printf(" %6.1f", c.Y[k])
		}
		fmt.Println()
		curves = append(curves, c)
	}
	return figure.Curves(path, "f–I curves (rate over 0.2–1 s of constant current)", "current (pA)", "rate (spikes/s)", curves)
}
