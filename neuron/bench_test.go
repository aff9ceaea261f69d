package neuron_test

import (
	"math"
	"math/rand/v2"
	"slices"
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

// BenchmarkNetworkStep measures the kernels of the standard network
// benchmarks in the state those networks run in: 4000 neurons with membrane
// potentials spread between reset and threshold, sparse synaptic input
// scattered at random over the neurons (the non-zero ones of n values read
// each step at a varying offset in 2n pre-drawn ones, so that every step
// sees a different pattern and all of it stays in cache, are written into
// an input buffer, as spikes are routed into a ring buffer slot, and the
// buffer is zeroed after the step, by the kernel if it is an
// neuron.InputClearer, as the engine does), no
// injected current (in.I nil, as the engine passes it to a population
// without current stimuli), and some neurons refractory at any time
// (scattered, so the refractory branch is not predictable). Reported in ns
// per neuron per step, with the spikes per neuron per step.
//
//   - coba: the COBA network's lif_cond_exp neurons (bench/models.go:
//     I_e = 200 pA, 4 nS and −51 nS synapses) with input rates that make
//     them fire at ≈ 5 Hz, so ≈ 2.5% are refractory (t_ref = 5 ms);
//   - sub: the same neurons without bias current, below threshold;
//   - brunel: lif_delta as in Brunel's model A (τ_m = 20 ms, V_th = 20 mV,
//     t_ref = 2 ms): 0.1 mV jumps, 4.2 per step on average (external drive
//     and recurrent excitation), −0.5 mV ones 0.6 per step; ≈ 40 Hz;
//   - microcircuit: lif_exp with the Potjans–Diesmann parameters
//     (τ_syn = 0.5 ms, E_L = V_reset = −65 mV) and 87.8 pA and −351.2 pA
//     synapses; ≈ 5 Hz;
//   - cuba: lif_exp as in the CUBA network (bench/models.go: τ_m = 20 ms,
//     V_rest = −49 mV above V_th = −50 mV, τ_syn = 5 and 10 ms, t_ref = 5 ms)
//     with its 16.2 pA and −90 pA synapses at the rates of 64 and 16
//     inputs firing at 5 Hz; ≈ 3 Hz.
func BenchmarkNetworkStep(b *testing.B) {
	coba := map[string]param.Value{
		"C_m": {Num: 200}, "g_L": {Num: 10}, "E_L": {Num: -60}, "V_th": {Num: -50}, "V_reset": {Num: -60},
		"t_ref": {Num: 5}, "E_ex": {Num: 0}, "E_in": {Num: -80}, "tau_syn_ex": {Num: 5}, "tau_syn_in": {Num: 10},
		"I_e": {Num: 200},
	}
	with := func(m map[string]param.Value, kv ...any) map[string]param.Value {
		o := map[string]param.Value{}
		for k, v := range m {
			o[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			o[kv[i].(string)] = kv[i+1].(param.Value)
		}
		return o
	}
	euler, expo := param.Value{Word: "euler"}, param.Value{Word: "exponential"}
	cases := []struct {
		name, model string
		set         map[string]param.Value
		vlo, vhi    float64 // initial V, uniform
		pEx, wEx    float64 // probability of an excitatory input per neuron and step (above 1: Poisson mean), weight
		pIn, wIn    float64
	}{
		{"lif_cond_exp/euler/coba", "lif_cond_exp", with(coba, "integrator", euler), -60, -50, 0.032, 4, 0.016, -51},
		{"lif_cond_exp/euler/sub", "lif_cond_exp", with(coba, "integrator", euler, "I_e", param.Value{}), -60, -50, 0.01, 4, 0.01, -51},
		{"lif_cond_exp/exponential/coba", "lif_cond_exp", with(coba, "integrator", expo), -60, -50, 0.032, 4, 0.016, -51},
		{"lif_cond_exp/exponential/sub", "lif_cond_exp", with(coba, "integrator", expo, "I_e", param.Value{}), -60, -50, 0.01, 4, 0.01, -51},
		{"lif_delta/exact/brunel", "lif_delta", map[string]param.Value{"tau_m": {Num: 20}, "V_rest": {Num: 0}, "V_th": {Num: 20}, "V_reset": {Num: 10}}, 0, 20, 4.2, 0.1, 0.6, -0.5},
		{"lif_exp/exact/microcircuit", "lif_exp", map[string]param.Value{"tau_syn_ex": {Num: 0.5}, "tau_syn_in": {Num: 0.5}, "V_rest": {Num: -65}, "V_th": {Num: -50}, "V_reset": {Num: -65}}, -65, -50, 1.4, 87.8, 0.2, -351.2},
		{"lif_exp/exact/cuba", "lif_exp", map[string]param.Value{"tau_m": {Num: 20}, "C_m": {Num: 200}, "V_rest": {Num: -49}, "V_th": {Num: -50}, "V_reset": {Num: -60}, "t_ref": {Num: 5}, "tau_syn_ex": {Num: 5}, "tau_syn_in": {Num: 10}}, -60, -50, 0.032, 16.2, 0.008, -90},
	}
	const n = 4000
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
			r := rand.New(rand.NewPCG(1, 2))
			V := k.Var("V")
			for i := range V {
				V[i] = c.vlo + (c.vhi-c.vlo)*r.Float64()
			}
			// Each step takes the inputs among n entries of these at a
			// varying offset: many input patterns from 2n values that stay
			// in cache.
			ex, inh := events(r, 2*n, c.pEx, c.wEx), events(r, 2*n, c.pIn, c.wIn)
			in := &neuron.Input{Ex: make([]float64, n), In: make([]float64, n)}
			clears := false
			if ic, ok := k.(neuron.InputClearer); ok {
				clears = ic.ClearsInput()
			}
			out := &neuron.Output{IDs: make([]int32, 0, n), Amp: make([]float64, 0, n)}
			// Settle into the network's running state first.
			spikes := 0
			run := func(steps int) {
				for range steps {
					off := int(in.Step * 997 % n)
					ex.put(in.Ex, off)
					inh.put(in.In, off)
					out.Reset()
					k.Step(0, n, in, out)
					if !clears {
						clear(in.Ex)
						clear(in.In)
					}
					spikes += len(out.IDs)
					in.Step++
				}
			}
			run(2000)
			spikes, in.Step = 0, 0
			b.ReportAllocs()
			b.ResetTimer()
			run(b.N)
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/neuron")
			b.ReportMetric(float64(spikes)/float64(b.N)/n, "spikes/neuron/step")
		})
	}
}

// draw returns 0 or 1 with probability p < 1, a Poisson count of mean p
// otherwise.
func draw(r *rand.Rand, p float64) float64 {
	if p < 1 {
		if r.Float64() < p {
			return 1
		}
		return 0
	}
	k, t := 0, math.Exp(-p)
	for q := r.Float64(); q > t; q *= r.Float64() {
		k++
	}
	return float64(k)
}

// inputs holds a vector of inputs: its non-zero values, in order, or the
// whole vector if more than a quarter of them are non-zero.
type inputs struct {
	pos   []int
	w     []float64
	dense []float64
}

// events draws m inputs of weight w, each present with probability p (a
// Poisson count of mean p for p ≥ 1).
func events(r *rand.Rand, m int, p, w float64) inputs {
	var s inputs
	x := make([]float64, m)
	for i := range x {
		if x[i] = w * draw(r, p); x[i] != 0 {
			s.pos = append(s.pos, i)
			s.w = append(s.w, x[i])
		}
	}
	if len(s.pos) > m/4 {
		return inputs{dense: x}
	}
	return s
}

// put writes the inputs at positions off..off+len(buf)−1 into buf, which
// is zero.
func (s inputs) put(buf []float64, off int) {
	if s.dense != nil {
		copy(buf, s.dense[off:])
		return
	}
	i, _ := slices.BinarySearch(s.pos, off)
	for ; i < len(s.pos) && s.pos[i] < off+len(buf); i++ {
		buf[s.pos[i]-off] = s.w[i]
	}
}
