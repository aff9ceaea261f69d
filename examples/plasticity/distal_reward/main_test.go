package main

import (
	"context"
	"math"
	"testing"

	"github.com/hebb-snn/hebb/engine"
)

// The program's network: the chosen synapse n1→n2 is an existing exc→exc
// synapse (found in the recorded connectivity); the tap onto the detector
// has weight +1 mV from n1, −1 mV from n2 and 0 from the 798 others; in
// 4 s the neurons fire at the input rate, 1 Hz within 30 %; and the
// weights are bit-identical for 1 and 2 threads.
func TestDistalRewardNetwork(t *testing.T) {
	run := func(threads int) (*engine.Sim, Chosen) {
		net, c, err := Build(4, 1, "1 s")
		if err != nil {
			t.Fatal(err)
		}
		tap := net.Projs[projIndex(net, "exc->detector")].Weights
		plus, minus := 0, 0
		for i, w := range tap {
			switch {
			case w == 1 && i == int(c.N1):
				plus++
			case w == -1 && i == int(c.N2):
				minus++
			case w != 0:
				t.Errorf("tap weight from exc %d is %g, want 0", i, w)
			}
		}
		if plus != 1 || minus != 1 || len(tap) != nExc {
			t.Errorf("tap: %d weights, n1 %d (+1: %d), n2 %d (−1: %d)", len(tap), c.N1, plus, c.N2, minus)
		}
		s, err := engine.Build(net, engine.Options{Threads: threads})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Run(context.Background(), nil); err != nil {
			t.Fatal(err)
		}
		return s, c
	}
	s, c := run(1)
	r, err := Analyse(s, c)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Others) != nExc*80-1 {
		t.Errorf("%d other exc→exc synapses, want %d", len(r.Others), nExc*80-1)
	}
	ps, _ := s.Stats()
	for _, p := range ps[:2] {
		rate := float64(p.Spikes) / float64(p.Size) / 4
		if math.Abs(rate-1) > 0.3 {
			t.Errorf("%s fires at %.2f spikes/s, want 1 ± 0.3 (the random input's rate)", p.Name, rate)
		}
	}
	s2, _ := run(2)
	w1, w2 := s.Weights()[0].W, s2.Weights()[0].W
	for k := range w1 {
		if w1[k] != w2[k] {
			t.Fatalf("weight sample %d: %g with 1 thread, %g with 2", k, w1[k], w2[k])
		}
	}
}
