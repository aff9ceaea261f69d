package glm_test

import (
	"fmt"
	"math"

	"github.com/hebb-snn/hebb/glm"
	"github.com/hebb-snn/hebb/rng"
	"github.com/hebb-snn/hebb/spiketrain"
)

// A neuron firing every 50 ms for 10 s: the constant-rate GLM finds
// 20 Hz with SE(log rate) = 1/√200, and the time-rescaling test rejects
// it, because a clock-like train is far from Poisson.
func ExampleFit() {
	var train spiketrain.Train
	for t := 25.0; t < 10000; t += 50 {
		train = append(train, t)
	}
	y, _ := glm.Bin(train, 0, 10000, 1) // 1 ms bins
	d, _ := glm.NewDesign(len(y), 1)
	d.AddIntercept()
	res, _ := glm.Fit(y, d, glm.Options{})
	fmt.Printf("rate %.2f Hz, SE of log rate %.4f\n", math.Exp(res.Coef[0]), res.SE[0])
	r := rng.New(1)
	ks := res.KS(&r)
	fmt.Printf("KS: N = %d, D = %.2f > bound %.3f: %v\n", ks.N, ks.D, ks.Bound95, !ks.Pass())
	// Output:
	// rate 20.00 Hz, SE of log rate 0.0707
	// KS: N = 200, D = 0.62 > bound 0.096: true
}
