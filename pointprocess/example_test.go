package pointprocess_test

import (
	"fmt"

	"github.com/hebb-snn/hebb/pointprocess"
)

// A two-neuron Hawkes process: neuron 0 fires spontaneously at 10 Hz and
// neuron 1 at 20 Hz; each spike of neuron 0 triggers on average 0.3
// further spikes of neuron 0 and 0.4 of neuron 1, each spike of neuron 1
// 0.2 of neuron 0 and 0.1 of neuron 1.
func ExampleHawkes_MeanRates() {
	h := pointprocess.Hawkes{
		Mu: []float64{0.01, 0.02}, // 1/ms
		Alpha: []float64{
			0.3, 0.2, // effects on neuron 0 of neurons 0 and 1
			0.4, 0.1, // effects on neuron 1
		},
		Beta: []float64{0.2, 0.05}, // 1/ms: time constants 5 ms and 20 ms
	}
	rates, err := h.MeanRates()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("branching ratio %.2f, stationary %v\n", h.SpectralRadius(), h.Stationary())
	for i, r := range rates {
		fmt.Printf("neuron %d: %.2f Hz\n", i, 1000*r)
	}
	// Output:
	// branching ratio 0.50, stationary true
	// neuron 0: 23.64 Hz
	// neuron 1: 32.73 Hz
}
