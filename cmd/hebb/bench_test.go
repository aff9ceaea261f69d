package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// hebb bench runs a benchmark model and prints the report as JSON: the
// counts match the model (COBA at scale 0.05: 160 + 40 neurons, 80
// inputs each), the network is active, and events are counted.
func TestBench(t *testing.T) {
	code, out, errOut := hebb(t, "bench", "coba", "--scale", "0.05", "--duration", "200 ms", "--warmup", "50 ms", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var r struct {
		Model        string             `json:"model"`
		Neurons      int                `json:"neurons"`
		Synapses     int64              `json:"synapses"`
		Spikes       int64              `json:"spikes"`
		Events       int64              `json:"events"`
		Rates        map[string]float64 `json:"rates_hz"`
		SimS         float64            `json:"sim_s"`
		SynapseBytes float64            `json:"bytes_per_synapse"`
		WarmupS      float64            `json:"warmup_s"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v in %q", err, out)
	}
	if r.Model != "coba" || r.Neurons != 200 || r.Synapses != 200*80 {
		t.Errorf("report %+v: want coba, 200 neurons, 16000 synapses", r)
	}
	if r.WarmupS != 0.05 {
		t.Errorf("warm-up %g s, want 0.05", r.WarmupS)
	}
	if r.Spikes == 0 || r.Rates["E"] <= 0 || r.Rates["I"] <= 0 || r.SimS <= 0 {
		t.Errorf("report %+v: the network should be active", r)
	}
	// The mean out-degree is 80 (16 000 synapses from 200 neurons): about
	// 80 events per spike.
	if ratio := float64(r.Events) / float64(r.Spikes); ratio < 60 || ratio > 100 {
		t.Errorf("%d events for %d spikes: %.1f per spike, want about 80", r.Events, r.Spikes, ratio)
	}
	// COBA's weights are constants: a 4-byte target per synapse, plus
	// the row pointers (4 bytes per source, 2.5 % here).
	if r.SynapseBytes < 4 || r.SynapseBytes > 4.25 {
		t.Errorf("%.2f bytes per synapse, want 4 (the target) plus row pointers", r.SynapseBytes)
	}
}

// hebb bench gives the same spikes on 1 and 2 threads (the report's
// checksum of every spike), for the Brunel network with STDP at a small
// scale (plastic rows, Poisson input, delta-synapse AVX2 kernel).
func TestBenchThreads(t *testing.T) {
	var sums []string
	for _, threads := range []string{"1", "2"} {
		code, out, errOut := hebb(t, "bench", "brunel_stdp", "--scale", "0.05", "--duration", "100 ms", "--threads", threads, "--json")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		var r struct {
			Spikes int64  `json:"spikes"`
			Sum    string `json:"spikes_sha256"`
		}
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatal(err)
		}
		if r.Spikes == 0 || len(r.Sum) != 64 {
			t.Fatalf("%s threads: %d spikes, checksum %q", threads, r.Spikes, r.Sum)
		}
		sums = append(sums, r.Sum)
	}
	if sums[0] != sums[1] {
		t.Errorf("spike checksums differ: 1 thread %s, 2 threads %s", sums[0], sums[1])
	}
}

// A model that does not fit in memory is refused before it is built,
// with the estimate; unknown benchmarks and bad flags are usage errors.
func TestBenchRefuses(t *testing.T) {
	code, _, errOut := hebb(t, "bench", "microcircuit", "--scale", "40")
	if code != 1 || !strings.Contains(errOut, "needs about") || !strings.Contains(errOut, "--no-memory-check") {
		t.Errorf("exit %d, %q: want 1 and the memory estimate", code, errOut)
	}
	for _, args := range [][]string{{"bench", "cobra"}, {"bench", "coba", "--scale", "-1"}, {"bench", "coba", "--threads", "0"}, {"bench", "coba", "--warmup", "5 mV"}} {
		if code, _, errOut := hebb(t, args...); code != 2 {
			t.Errorf("%v: exit %d (%s), want 2", args, code, errOut)
		}
	}
}
