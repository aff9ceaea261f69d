package neuron_test

import (
	"testing"

	"github.com/hebb-snn/hebb/neuron"
	"github.com/hebb-snn/hebb/param"
)

// BenchmarkBasicStep measures the models without a benchmark of their own:
// 10 000 neurons with a constant drive, reported in ns per neuron per step.
func BenchmarkBasicStep(b *testing.B) {
	cases := []struct {
		name, model string
		set         map[string]param.Value
		current     float64 // pA (rate units: input)
	}{
		{"lif_delta/exact", "lif_delta", nil, 400},
		{"lif_delta/euler", "lif_delta", map[string]param.Value{"integrator": {Word: "euler"}}, 400},
		{"lif_exp/exact", "lif_exp", nil, 400},
		{"rate/sigmoid", "rate", map[string]param.Value{"activation": {Word: "sigmoid"}}, 0},
		{"poisson_source/20Hz", "poisson_source", map[string]param.Value{"rate": {Num: 20}}, 0},
	}
	const n = 10000
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			m, _ := neuron.Lookup(c.model)
			v := m.Schema.Defaults()
			for k, x := range c.set {
				v[k] = x
			}
			k, err := m.New(n, v, neuron.Env{Dt: 0.1, Seed: 1})
			if err != nil {
				b.Fatal(err)
			}
			in := &neuron.Input{Ex: make([]float64, n), In: make([]float64, n), I: make([]float64, n)}
			for i := range in.I {
				in.I[i] = c.current
			}
			out := &neuron.Output{IDs: make([]int32, 0, n), Amp: make([]float64, 0, n)}
			b.ReportAllocs()
			for b.Loop() {
				out.Reset()
				k.Step(0, n, in, out)
				in.Step++
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/neuron")
		})
	}
}
