package engine

import (
	"fmt"
	"math"
	"sort"
	"sync"
	"testing"

	"github.com/hebb-snn/hebb/synapse"
)

// The closed reward loop of Izhikevich (2007), "distal reward", at a small
// scale: 4 + 4 LIF neurons A and B fire at random (Poisson kicks of 30 mV,
// each a spike, drRate per neuron); A→B all_to_all learns with rstdp. A
// pair_detector watches the chosen synapse A0→B0 (A0 on its excitatory
// channel with +1 mV, B0 on its inhibitory channel with −1 mV, every other
// neuron with weight 0) and fires when B0 fires 0 < Δt ≤ 10 ms after A0;
// a relay repeats each detection after a delay uniform in [1, 3] s, and
// its spikes release the dopamine. No pairing causes another: the reward
// follows the chosen synapse's chance coincidences only. (The full
// network of the paper needs about an hour of model time, ~12 min of wall
// time: see examples/plasticity/distal_reward.)
const (
	drRate     = "2 Hz"
	drDuration = 8000e3 // ms
)

func drNet(t *testing.T, seed uint64) *testNet {
	n := newNet(t, 1, drDuration, seed)
	a := n.pop("A", "lif_delta", 4, nil)
	b := n.pop("B", "lif_delta", 4, nil)
	det := n.pop("detector", "pair_detector", 1, map[string]any{"window": "10 ms"})
	rew := n.pop("reward", "relay", 1, nil)
	for _, p := range []int{a, b} {
		n.stim("poisson", p, map[string]any{"rate": drRate, "weight": "30 mV"})
	}
	ab := n.project(a, b, "all_to_all", nil, synapse.Excitatory, "1 mV", "1 ms")
	n.learn(ab, "rstdp", map[string]any{"modulator": "reward", "A_plus": "0.01 mV", "A_minus": "0.015 mV",
		"tau_c": "1000 ms", "tau_d": "200 ms", "d_spike": "0.5", "w_max": "4 mV"})
	n.net.Projs[ab].Modulator = rew
	ta := n.project(a, det, "all_to_all", nil, 0, "0 mV", "1 ms")
	n.net.Projs[ta].Weights = []float64{1, 0, 0, 0}
	tb := n.project(b, det, "all_to_all", nil, 0, "0 mV", "1 ms")
	n.net.Projs[tb].Weights = []float64{-1, 0, 0, 0}
	n.project(det, rew, "one_to_one", nil, synapse.Excitatory, "1 mV", "uniform(1000 ms, 3000 ms)")
	n.spikes(a, b, det, rew)
	n.weights(ab, 1000)
	return n
}

// drTimes returns the spike times of neuron id of population pop.
func drTimes(s *Sim, pop string, id int32) []float64 {
	var ts []float64
	for _, sp := range s.Spikes() {
		if sp.Pop == pop {
			for i, x := range sp.IDs {
				if x == id {
					ts = append(ts, sp.Times[i])
				}
			}
		}
	}
	return ts
}

// TestDRDistalRewardLoop checks the loop exactly and the learning it
// drives:
//   - the detector fires 1 ms (the tap's delay) after every spike of B0
//     that follows a spike of A0 by 0 < Δt ≤ 10 ms, and at no other time;
//   - every detection is followed by exactly one reward spike, all after
//     the same delay in [1, 3] s (a projection's delay is drawn per
//     synapse, and there is one detector→reward synapse);
//   - after 8000 s (about 300 rewards) the chosen synapse A0→B0 stands
//     out from the 15 others, which saw as many chance pairings but no
//     reward tied to them (all start at 1 mV; with A₋ = 1.5 A₊ unrewarded
//     pairings depress). Over six seeds (six realisations of the same
//     network): the others' mean is at most 1 mV in every seed; the
//     chosen synapse is above it in at least five of the six (without
//     learning tied to the reward, each seed would put it there with
//     probability about 1/16: five or six of six, 6·10⁻⁶); the chosen
//     synapse's median is at least 2 mV (its bound is 4 mV); its distance
//     from the others' mean, in their standard deviations, averages at
//     least 1.5.
//
// The rates are low (2 Hz) because the reward noise grows with them: each
// synapse's eligibility at reward time holds its own chance pairings, and
// the depression of unrelated pairings grows as rate⁴ while the rewarded
// signal grows as rate². At 10–20 Hz or over 300–2000 s, the chosen
// synapse ended at 0 mV in several of seeds 1–5 and 7. At 2 Hz over
// 8000 s, seeds 1–6 gave chosen 4.0, 0.26, 4.0, 3.8, 4.0, 4.0 mV with the
// others' means 0.37–0.88 mV (distances −0.4 to 7.3 sd, mean 4.2). Seed 2
// draws the longest reward delay, 2.7 s against τ_c = 1 s, and learns
// least: with other drawings of the Poisson kicks it ended at 1.5 and 4.0
// mV. Run time about 2 s per seed, seeds in parallel.
func TestDRDistalRewardLoop(t *testing.T) {
	type outcome struct{ chosen, others, sd float64 }
	var (
		mu  sync.Mutex
		out []outcome
	)
	t.Run("seeds", func(t *testing.T) {
		for seed := uint64(1); seed <= 6; seed++ {
			t.Run(fmt.Sprint(seed), func(t *testing.T) {
				t.Parallel()
				c, o, sd := drLoop(t, seed)
				mu.Lock()
				out = append(out, outcome{c, o, sd})
				mu.Unlock()
			})
		}
	})
	if t.Failed() {
		return
	}
	var chosen []float64
	z, above := 0.0, 0
	for _, r := range out {
		chosen = append(chosen, r.chosen)
		z += (r.chosen - r.others) / r.sd / float64(len(out))
		if r.chosen > r.others {
			above++
		}
	}
	sort.Float64s(chosen)
	median := (chosen[2] + chosen[3]) / 2
	if median < 2 || z < 1.5 || above < 5 {
		t.Errorf("chosen synapse: median %.3f mV over 6 seeds (want ≥ 2 mV), on average %.2f sd above the others' mean (want ≥ 1.5), above it in %d seeds (want ≥ 5)", median, z, above)
	}
}

// drLoop runs the distal-reward loop with one seed, checks the loop's
// events exactly and returns the final weight of the chosen synapse and
// the mean and standard deviation of the others.
func drLoop(t *testing.T, seed uint64) (chosen, others, sd float64) {
	s := drNet(t, seed).run(1)
	a0, b0 := drTimes(s, "A", 0), drTimes(s, "B", 0)
	var want []float64
	j := 0
	for _, t2 := range b0 {
		for j < len(a0) && a0[j] < t2-10 {
			j++
		}
		if j < len(a0) && a0[j] < t2 {
			want = append(want, t2+1)
		}
	}
	got := drTimes(s, "detector", 0)
	if len(got) != len(want) {
		t.Fatalf("detector fired %d times, want %d (one per A0→B0 pairing within 10 ms)", len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("detection %d at %g ms, want %g ms", i, got[i], want[i])
		}
	}
	if len(got) < 100 {
		t.Fatalf("only %d pairings: too few to test learning", len(got))
	}
	// Rewards: the delay is drawn once per synapse, so the one
	// detector→reward synapse repeats every detection after the same
	// delay D, drawn from [1, 3] s.
	rew := drTimes(s, "reward", 0)
	if len(rew) == 0 {
		t.Fatal("no reward spikes")
	}
	delay := rew[0] - got[0]
	if delay < 1000 || delay > 3000 {
		t.Errorf("reward delay %g ms, want 1000–3000 ms", delay)
	}
	due := 0
	for _, td := range got {
		if td+delay <= drDuration {
			due++
		}
	}
	if len(rew) != due {
		t.Errorf("%d reward spikes, want %d (one per detection, %g ms later, within the run)", len(rew), due, delay)
	}
	for i := range min(len(rew), due) {
		if rew[i] != got[i]+delay {
			t.Fatalf("reward %d at %g ms, want %g ms (detection at %g ms + %g ms)", i, rew[i], got[i]+delay, got[i], delay)
		}
	}
	// Learning.
	wt := s.Weights()[0]
	n := len(wt.Src)
	last := wt.W[(len(wt.Times)-1)*n:]
	maxOther := math.Inf(-1)
	for k := range n {
		if wt.Src[k] == 0 && wt.Tgt[k] == 0 {
			chosen = last[k]
			continue
		}
		others += last[k] / float64(n-1)
		maxOther = max(maxOther, last[k])
	}
	for k := range n {
		if k != 0 {
			sd += (last[k] - others) * (last[k] - others) / float64(n-2)
		}
	}
	sd = math.Sqrt(sd)
	t.Logf("%d pairings, %d rewards %g ms later; chosen A0→B0 %.3f mV, others mean %.3f mV (sd %.3f), max %.3f mV (all start at 1 mV)",
		len(got), len(rew), delay, chosen, others, sd, maxOther)
	if others > 1 {
		t.Errorf("others' mean %.3f mV, want ≤ 1 mV", others)
	}
	return chosen, others, sd
}

// The distal-reward loop gives bit-identical weights for 1 and 3 threads
// (100 s, with rewards and learning under way).
func TestDRThreads(t *testing.T) {
	net := func() *testNet {
		n := drNet(t, 1)
		n.net.Duration, n.net.Steps = 100e3, 100000
		return n
	}
	w1, w3 := net().run(1).Weights()[0], net().run(3).Weights()[0]
	moved := false
	for k := range w1.W {
		if w1.W[k] != w3.W[k] {
			t.Fatalf("weight sample %d differs between 1 and 3 threads: %g vs %g", k, w1.W[k], w3.W[k])
		}
		moved = moved || w1.W[k] != 1
	}
	if !moved {
		t.Fatal("no weight changed in 100 s: the comparison tests nothing")
	}
}
