// Command window measures the STDP window of the additive pair rule
// (plasticity rule "stdp") with a pairing protocol and draws it against
// the rule's analytic window,
//
//	Δt = t_post − t_pre ≥ 0:  Δw = +A₊·e^{−Δt/τ₊}
//	Δt < 0:                   Δw = −A₋·e^{Δt/τ₋}
//
// One presynaptic spike is sent at 100 ms and reaches, through a 1 ms
// axonal delay, 201 target neurons at t_pre = 101 ms. Target k is forced
// to fire once, by a strong input, at t_post = t_pre + Δt with
// Δt = k − 100 ms, k = 0 … 200. Each target thus pairs one presynaptic and
// one postsynaptic spike, and the change of its synapse's weight is one
// point of the window. The amplitudes and time constants are those of
// Song, Miller & Abbott (2000): A₋/A₊ = 1.05, τ₊ = τ₋ = 20 ms, with
// A₊ = 0.005·w_max.
//
//	go run ./examples/plasticity/window [-out DIR]
//
// writes stdp_window.png into DIR (default stdp-window) and prints the
// largest deviation of the measured points from the analytic window.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"math"
	"os"
	"path/filepath"

	"github.com/hebb-snn/hebb/engine"
	"github.com/hebb-snn/hebb/figure"
	"github.com/hebb-snn/hebb/model"
)

// The protocol's parameters. Weights are in mV: the targets are lif_delta
// neurons, whose input jumps V by the weight.
const (
	w0       = 0.5          // mV, initial weight, the middle of [0, w_max]
	wMax     = 1.0          // mV
	aPlus    = 0.005        // mV, A₊ = 0.005 w_max
	aMinus   = 1.05 * aPlus // mV, A₋ = 1.05 A₊
	tauPlus  = 20.0         // ms
	tauMinus = 20.0         // ms
	tPre     = 101.0        // ms, arrival of the presynaptic spike
	maxDt    = 100          // ms, largest |Δt|
)

// analytic is the rule's window: the weight change of one pair at Δt (ms).
func analytic(dt float64) float64 {
	if dt >= 0 {
		return aPlus * math.Exp(-dt/tauPlus)
	}
	return -aMinus * math.Exp(dt/tauMinus)
}

// measure runs the pairing protocol with the given number of threads and
// returns Δt (ms) and the measured weight change (mV) of each pair.
func measure(threads int) (dts, dws []float64, err error) {
	n := 2*maxDt + 1
	m := model.New("stdp-window", "0.1 ms", "250 ms", 1)
	m.Population("pre", "spike_source", 1, model.P{"times": []string{"100 ms"}})
	m.Population("post", "lif_delta", n, model.P{"t_ref": "0 ms"})
	for k := 0; k < n; k++ {
		dt := float64(k - maxDt)
		m.Stimulate("spike_times", "post", model.P{"times": []string{fmt.Sprintf("%g ms", tPre+dt)}, "weight": "50 mV"}, k)
	}
	proj := m.Connect("pre", "post", "all_to_all", nil, model.Synapse{Type: "excitatory", Weight: fmt.Sprintf("%g mV", w0), Delay: "1 ms"})
	m.Learn(proj, "stdp", model.P{
		"A_plus": fmt.Sprintf("%g mV", aPlus), "A_minus": fmt.Sprintf("%g mV", aMinus),
		"tau_plus": fmt.Sprintf("%g ms", tauPlus), "tau_minus": fmt.Sprintf("%g ms", tauMinus),
		"w_max": fmt.Sprintf("%g mV", wMax),
	})
	m.RecordSpikes("post")
	m.RecordWeights(proj, "250 ms")
	net, err := m.Resolve()
	if err != nil {
		return nil, nil, err
	}
	sim, err := engine.Build(net, engine.Options{Threads: threads})
	if err != nil {
		return nil, nil, err
	}
	if err := sim.Run(context.Background(), nil); err != nil {
		return nil, nil, err
	}
	if got := len(sim.Spikes()[0].Times); got != n {
		return nil, nil, fmt.Errorf("%d postsynaptic spikes, want %d (one per pair)", got, n)
	}
	w := sim.Weights()[0]
	final := w.W[len(w.W)-len(w.Src):]
	for k, x := range final {
		dts = append(dts, float64(w.Tgt[k]-maxDt))
		dws = append(dws, x-w0)
	}
	return dts, dws, nil
}

// draw plots the measured points over the analytic window.
func draw(path string, dts, dws []float64) error {
	var ltd, ltp figure.Curve
	ltd.Label, ltp.Label = "analytic: −A−·exp(Δt/τ−)", "analytic: A+·exp(−Δt/τ+)"
	for x := -float64(maxDt); x <= maxDt+1e-9; x += 0.25 {
		c := &ltp
		if x < 0 {
			c = &ltd
		}
		c.X = append(c.X, x)
		c.Y = append(c.Y, analytic(x)/wMax)
	}
	// Every fourth pair, drawn over the analytic curves.
	pts := figure.Curve{Label: "measured (pairing protocol)"}
	for k := range dts {
		if int(dts[k])%4 == 0 {
			pts.X = append(pts.X, dts[k])
			pts.Y = append(pts.Y, dws[k]/wMax)
		}
	}
	return figure.Curves(path, "STDP window (additive pair rule)", "Δt = t_post − t_pre (ms)", "Δw / w_max",
		[]figure.Curve{ltd, ltp, pts})
}

func main() {
	out := flag.String("out", "stdp-window", "folder for the figure")
	flag.Parse()
	dts, dws, err := measure(1)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	path := filepath.Join(*out, "stdp_window.png")
	if err := draw(path, dts, dws); err != nil {
		log.Fatal(err)
	}
	worst := 0.0
	for k := range dts {
		worst = math.Max(worst, math.Abs(dws[k]-analytic(dts[k])))
	}
	fmt.Printf("%d pairs, Δt = %g … %g ms: Δw(0) = %.6f mV (A₊ = %g), Δw(−1 ms) = %.6f mV (−A₋e^{−1/20} = %.6f)\n",
		len(dts), dts[0], dts[len(dts)-1], dws[maxDt], aPlus, dws[maxDt-1], analytic(-1))
	fmt.Printf("largest deviation from the analytic window: %.2g mV (float32 weights)\n", worst)
	fmt.Println("figure:", path)
}
