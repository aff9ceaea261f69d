package engine

import (
	"fmt"
	"math"
	"testing"

	"github.com/hebb-snn/hebb/param"
	"github.com/hebb-snn/hebb/synapse"
)

// stdpWindowNet pairs one presynaptic spike (sent at 100 ms, arriving at
// 101 ms through a 1 ms axonal delay) with one forced postsynaptic spike
// of each of 201 target neurons, at Δt = −100 … 100 ms after the arrival.
func stdpWindowNet(t *testing.T, pairing string, mu string) *testNet {
	n := newNet(t, 0.1, 250, 1)
	pre := n.pop("pre", "spike_source", 1, map[string]any{"times": []string{"100 ms"}})
	post := n.pop("post", "lif_delta", 201, map[string]any{"t_ref": "0 ms"})
	for k := 0; k < 201; k++ {
		at := fmt.Sprintf("%g ms", 101+float64(k-100))
		n.stim("spike_times", post, map[string]any{"times": []string{at}, "weight": "50 mV"}, int32(k))
	}
	p := n.project(pre, post, "all_to_all", nil, synapse.Excitatory, "0.5 mV", "1 ms")
	n.learn(p, "stdp", map[string]any{"A_plus": "0.01 mV", "A_minus": "0.012 mV", "tau_plus": "16.8 ms", "tau_minus": "33.7 ms",
		"w_max": "1 mV", "pairing": pairing, "mu_plus": mu, "mu_minus": mu})
	n.spikes(post)
	n.weights(p, 250)
	return n
}

// A pairing protocol over Δt ∈ [−100, 100] ms reproduces the STDP window
// A₊e^{−Δt/τ₊} (Δt ≥ 0) and −A₋e^{Δt/τ₋} (Δt < 0) to float32 precision,
// with 1 and 3 threads alike; with μ = 1 the changes scale with
// (1 − w/w_max) and w/w_max.
func TestSTDPWindow(t *testing.T) {
	for _, c := range []struct {
		pairing, mu string
		fPlus, fMin float64
	}{{"all_to_all", "0", 1, 1}, {"nearest", "0", 1, 1}, {"all_to_all", "1", 0.5, 0.5}} {
		var ref []float64
		for _, threads := range []int{1, 3} {
			s := stdpWindowNet(t, c.pairing, c.mu).run(threads)
			if got := len(s.Spikes()[0].Times); got != 201 {
				t.Fatalf("%d forced postsynaptic spikes, want 201", got)
			}
			w := s.Weights()[0]
			final := w.W[len(w.W)-201:]
			for k, x := range final {
				dt := float64(k - 100)
				want := 0.5 - c.fMin*0.012*math.Exp(dt/33.7)
				if dt >= 0 {
					want = 0.5 + c.fPlus*0.01*math.Exp(-dt/16.8)
				}
				if math.Abs(x-want) > 1e-7 {
					t.Fatalf("%s, mu %s, %d threads: Δt = %g ms: w = %.9f, want %.9f", c.pairing, c.mu, threads, dt, x, want)
				}
			}
			if ref == nil {
				ref = append(ref, final...)
			} else {
				for k := range ref {
					if ref[k] != final[k] {
						t.Fatalf("weights differ between 1 and 3 threads at synapse %d", k)
					}
				}
			}
		}
	}
}

// All-to-all pairing sums over spike pairs; nearest pairing takes only the
// latest: two presynaptic spikes 10 ms apart before one postsynaptic spike.
func TestSTDPPairingSchemes(t *testing.T) {
	for _, pairing := range []string{"all_to_all", "nearest"} {
		n := newNet(t, 0.1, 100, 1)
		pre := n.pop("pre", "spike_source", 1, map[string]any{"times": []string{"20 ms", "30 ms"}})
		post := n.pop("post", "lif_delta", 1, map[string]any{"t_ref": "0 ms"})
		n.stim("spike_times", post, map[string]any{"times": []string{"36 ms"}, "weight": "50 mV"})
		p := n.project(pre, post, "all_to_all", nil, synapse.Excitatory, "0.5 mV", "1 ms")
		n.learn(p, "stdp", map[string]any{"A_plus": "0.01 mV", "A_minus": "0 mV", "tau_plus": "20 ms", "w_max": "1 mV", "pairing": pairing})
		n.weights(p, 100)
		s := n.run(1)
		w := s.Weights()[0].W
		got := w[len(w)-1] - 0.5
		want := 0.01 * math.Exp(-5/20.0) // the pair 31 ms → 36 ms
		if pairing == "all_to_all" {
			want += 0.01 * math.Exp(-15/20.0) // and 21 ms → 36 ms
		}
		if math.Abs(got-want) > 1e-7 {
			t.Errorf("%s: Δw = %.8f, want %.8f", pairing, got, want)
		}
	}
}

// On a projection of one delay, STDP keeps its presynaptic traces per
// source, takes arrivals row by row (plasticity.RowLearner) and applies
// potentiation lazily; the same delay written as a distribution
// (uniform(1.5 ms, 1.5 ms)) takes the per-synapse path, which applies
// every change at its spike. Both give bit-identical weights and spikes,
// for 1 and 2 threads, additive and multiplicative, all-to-all and nearest
// pairing, in a network of 80 → 60 neurons firing irregularly at about
// 20 Hz; and with presynaptic neurons at 0.7 Hz for 4 s (silences longer
// than the 800 ms horizon, paid by the sweeps), with the weights read
// every 330 ms (Settle in mid-run) or only at the end.
func TestSTDPRowsSameAsSynapses(t *testing.T) {
	for _, c := range []struct {
		pairing, mu, rate string
		ms, every         float64
	}{{"all_to_all", "0", "20 Hz", 1000, 1000}, {"nearest", "0", "20 Hz", 1000, 1000}, {"all_to_all", "0.5", "20 Hz", 1000, 1000},
		{"all_to_all", "0", "0.7 Hz", 4000, 330}, {"nearest", "0.5", "0.7 Hz", 4000, 330}, {"all_to_all", "0", "0.7 Hz", 4000, 4000}} {
		var ref []float64
		for _, perSynapse := range []bool{false, true} {
			for _, threads := range []int{1, 2} {
				n := newNet(t, 0.1, c.ms, 11)
				pre := n.pop("pre", "lif_delta", 80, map[string]any{"t_ref": "2 ms"})
				post := n.pop("post", "lif_delta", 60, map[string]any{"t_ref": "2 ms"})
				n.stim("poisson", pre, map[string]any{"rate": c.rate, "weight": "50 mV"})
				n.stim("poisson", post, map[string]any{"rate": "1500 Hz", "weight": "1 mV"})
				p := n.project(pre, post, "fixed_indegree", map[string]any{"k": "30"}, synapse.Excitatory, "0.3 mV", "1.5 ms") // a constant weight: a drawn delay would change drawn weights
				if perSynapse {
					n.net.Projs[p].Delay = param.Dist{Kind: param.UniformDist, A: 1.5, B: 1.5}
				}
				n.learn(p, "stdp", map[string]any{"A_plus": "0.01 mV", "A_minus": "0.0105 mV", "w_max": "1 mV",
					"pairing": c.pairing, "mu_plus": c.mu, "mu_minus": c.mu})
				n.weights(p, c.every)
				s := n.run(threads)
				if got := s.projs[p].rows; got == perSynapse {
					t.Fatalf("rows = %v with per-synapse delays %v", got, perSynapse)
				}
				w := s.Weights()[0]
				final := w.W[len(w.W)-len(w.Src):]
				if ref == nil {
					ref = w.W // every sample
					moved := 0
					for k := range final {
						if final[k] != w.W[k] {
							moved++
						}
					}
					if moved < len(final)/2 {
						t.Fatalf("%s μ=%s: only %d of %d weights moved", c.pairing, c.mu, moved, len(final))
					}
					continue
				}
				for k := range ref {
					if w.W[k] != ref[k] {
						t.Fatalf("%s μ=%s %s, per-synapse %v, %d threads: sample %d of synapse %d = %.9g, rows path %.9g",
							c.pairing, c.mu, c.rate, perSynapse, threads, k/len(w.Src), k%len(w.Src), w.W[k], ref[k])
					}
				}
			}
		}
	}
}
