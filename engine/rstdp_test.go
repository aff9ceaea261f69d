package engine

import (
	"math"
	"testing"

	"github.com/hebb-snn/hebb/synapse"
)

// rstdpNet: one pre→post pairing with Δt = +5 ms at 101 → 106 ms, and a
// reward (a spike of the modulator population) at rewardAt ("" for none).
func rstdpNet(t *testing.T, rewardAt string) *testNet {
	n := newNet(t, 0.1, 3000, 1)
	pre := n.pop("pre", "spike_source", 1, map[string]any{"times": []string{"100 ms"}})
	post := n.pop("post", "lif_delta", 1, map[string]any{"t_ref": "0 ms"})
	var reward int
	if rewardAt != "" {
		reward = n.pop("reward", "spike_source", 1, map[string]any{"times": []string{rewardAt}})
	} else {
		reward = n.pop("reward", "poisson_source", 1, map[string]any{"rate": "0 Hz"})
	}
	n.stim("spike_times", post, map[string]any{"times": []string{"106 ms"}, "weight": "50 mV"})
	p := n.project(pre, post, "all_to_all", nil, synapse.Excitatory, "0.5 mV", "1 ms")
	n.learn(p, "rstdp", map[string]any{"modulator": "reward", "A_plus": "0.01 mV", "A_minus": "0.012 mV",
		"tau_c": "1000 ms", "tau_d": "200 ms", "d_spike": "0.5", "w_max": "4 mV"})
	n.net.Projs[p].Modulator = reward
	n.weights(p, 1)
	return n
}

// Distal reward: the weight changes only when dopamine meets eligibility.
// Without reward it stays put; a reward D = 1 s after the pairing changes
// it by A₊e^{−Δt/τ₊}·e^{−D/τ_c}·d_spike·τ_c·τ_d/(τ_c + τ_d) (within 0.2%,
// the rule's forward step); a reward 3× later changes it less, by the
// factor e^{−2 s/τ_c} (within 1%); the same for 1 and 2 threads.
func TestRSTDPDistalReward(t *testing.T) {
	final := func(s *Sim) float64 { w := s.Weights()[0].W; return w[len(w)-1] }
	if w := final(rstdpNet(t, "").run(1)); w != 0.5 {
		t.Fatalf("no reward: weight %g, want 0.5", w)
	}
	c0 := 0.01 * math.Exp(-5/20.0)
	want := func(d float64) float64 { return c0 * math.Exp(-d/1000) * 0.5 * 1000 * 200 / 1200 }
	// The reward spike at t_r is emitted in the step ending at t_r and
	// releases dopamine in the next step.
	s1 := rstdpNet(t, "1106 ms").run(1)
	s2 := rstdpNet(t, "1106 ms").run(2)
	if final(s1) != final(s2) {
		t.Fatalf("1 and 2 threads differ: %g vs %g", final(s1), final(s2))
	}
	dw1 := final(s1) - 0.5
	if math.Abs(dw1-want(1000))/want(1000) > 0.002 {
		t.Errorf("reward 1 s after pairing: Δw = %.6g, want %.6g", dw1, want(1000))
	}
	t.Logf("reward after 1 s: Δw = %.6g, analytic %.6g", dw1, want(1000))
	dw3 := final(rstdpNet(t, "2106 ms").run(1)) - 0.5
	if r := dw3 / dw1; math.Abs(r-math.Exp(-1))/math.Exp(-1) > 0.01 {
		t.Errorf("reward 2 s after pairing: Δw ratio %.4f to the 1 s case, want e^-1 = %.4f", r, math.Exp(-1))
	}
	// Nothing changes before the reward arrives.
	w := s1.Weights()[0]
	if before := w.W[1100]; before != 0.5 {
		t.Errorf("weight at 1.1 s, before the reward: %g, want 0.5", before)
	}
}
