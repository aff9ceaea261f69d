package spiketrain_test

import (
	"fmt"

	"github.com/hebb-snn/hebb/spiketrain"
)

// Interspike-interval statistics and distances of small hand-made trains.
func Example() {
	tr := spiketrain.Train{0, 2, 6, 8} // intervals 2, 4, 2 ms
	fmt.Printf("rate %.0f Hz\n", spiketrain.MeanRate(tr, 0, 10))
	fmt.Printf("CV %.4f  CV2 %.4f  LV %.4f\n", spiketrain.CV(tr), spiketrain.CV2(tr), spiketrain.LV(tr))

	// Two single spikes 10 ms apart: D² = 1 − e^{−1} for τ = 10 ms, and a
	// shift costing 0.05/ms · 10 ms.
	a, b := spiketrain.Train{100}, spiketrain.Train{110}
	fmt.Printf("van Rossum %.4f\n", spiketrain.VanRossum(a, b, 10))
	fmt.Printf("Victor-Purpura %.2f\n", spiketrain.VictorPurpura(a, b, 0.05))
	// Output:
	// rate 400 Hz
	// CV 0.3536  CV2 0.6667  LV 0.3333
	// van Rossum 0.7951
	// Victor-Purpura 0.50
}

// A per-population summary, as `hebb analyze` prints it.
func ExampleSummarize() {
	g := spiketrain.Group{
		Name:   "E",
		IDs:    []int{0, 1, 2},
		Trains: []spiketrain.Train{{10, 20, 40, 70}, nil, {50, 100}},
		Start:  0,
		Stop:   100,
	}
	fmt.Println(spiketrain.Summarize(&g, 25))
	// Output:
	// E: 3 neurons (2 active), 6 spikes in 100 ms, rate 20 ± 20 Hz, CV 0.408 CV2 0.533 LV 0.227 (1 with ≥ 3 spikes), Fano 0.667 and χ 0.333 (bins of 25 ms)
}
