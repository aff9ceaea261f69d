package bench

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"github.com/hebb-snn/hebb/engine"
)

// Options choose how a benchmark runs.
type Options struct {
	Scale    float64 // population sizes × Scale; in-degrees fixed
	Duration string  // simulated time, such as "1 s"
	Threads  int     // workers
	Seed     uint64
	Warmup   float64   // ms at the start left out of the rates (the onset transient)
	Profile  io.Writer // if not nil, a CPU profile of the simulation loop is written here
	// MemoryLimit is passed to engine.Build (0: the available memory;
	// negative: no check).
	MemoryLimit int64
}

// Report is what a benchmark run measured. Its JSON form is the one the
// Brian2 scripts in bench/brian2 print, so that bench/compare.sh can set
// them side by side.
type Report struct {
	Simulator    string             `json:"simulator"`
	Model        string             `json:"model"`
	Scale        float64            `json:"scale"`
	Threads      int                `json:"threads"`
	DurationS    float64            `json:"duration_s"`
	Neurons      int                `json:"neurons"`
	Synapses     int64              `json:"synapses"`
	BuildS       float64            `json:"build_s"`        // wall time to validate and build the network
	SimS         float64            `json:"sim_s"`          // wall time of the simulation loop
	SimCPUS      float64            `json:"sim_cpu_s"`      // CPU time of the process during the loop (all threads; steadier than SimS on a busy machine)
	WallPerSimS  float64            `json:"wall_per_sim_s"` // SimS per simulated second
	Spikes       int64              `json:"spikes"`         // emitted by the network's neurons
	Rates        map[string]float64 `json:"rates_hz"`       // mean rate per population after the warm-up
	WarmupS      float64            `json:"warmup_s"`       // time left out of the rates       // mean rate per population
	Events       int64              `json:"events"`         // synaptic events delivered
	EventsPerS   float64            `json:"events_per_s"`   // Events per wall second of simulation
	PeakRSS      int64              `json:"peak_rss_bytes"` // the process's peak resident memory (Linux; 0 elsewhere)
	SynapseBytes float64            `json:"bytes_per_synapse"`
	SpikesSHA256 string             `json:"spikes_sha256"` // of every spike (population, neuron, time) in recorded order: equal for any thread count // synapse storage (indices, weights, delays, plasticity state) per synapse
}

// Run builds and simulates the benchmark model called name.
func Run(ctx context.Context, name string, opt Options) (*Report, error) {
	spec, err := Spec(name, opt.Scale, opt.Duration, opt.Seed)
	if err != nil {
		return nil, err
	}
	t0 := time.Now()
	net, err := spec.Resolve()
	if err != nil {
		return nil, fmt.Errorf("benchmark %s: %v", name, err)
	}
	sim, err := engine.Build(net, engine.Options{Threads: opt.Threads, MemoryLimit: opt.MemoryLimit})
	if err != nil {
		return nil, fmt.Errorf("benchmark %s: %v", name, err)
	}
	build := time.Since(t0)
	runtime.GC()
	if opt.Profile != nil {
		if err := pprof.StartCPUProfile(opt.Profile); err != nil {
			return nil, err
		}
	}
	c1 := cpuTime()
	t1 := time.Now()
	err = sim.Run(ctx, nil)
	simTime := time.Since(t1)
	simCPU := cpuTime() - c1
	if opt.Profile != nil {
		pprof.StopCPUProfile()
	}
	if err != nil {
		return nil, err
	}

	r := &Report{
		Simulator: "hebb", Model: name, Scale: opt.Scale, Threads: max(opt.Threads, 1),
		DurationS: sim.Time() / 1000, Neurons: sim.Neurons(), Synapses: sim.Synapses(),
		BuildS: build.Seconds(), SimS: simTime.Seconds(), SimCPUS: simCPU.Seconds(), Rates: map[string]float64{},
		PeakRSS: peakRSS(),
	}
	r.WallPerSimS = r.SimS / r.DurationS
	pops, projs := sim.Stats()
	for _, p := range pops {
		r.Spikes += p.Spikes
	}
	// Rates from the recorded spikes after the warm-up (times are stamped
	// at the end of their step, in (0, T]).
	r.WarmupS = min(opt.Warmup, sim.Time()) / 1000
	for _, tr := range sim.Spikes() {
		n := 0
		for _, t := range tr.Times {
			if t > opt.Warmup {
				n++
			}
		}
		if span := r.DurationS - r.WarmupS; span > 0 {
			r.Rates[tr.Pop] = float64(n) / float64(tr.Size) / span
		}
	}
	for _, p := range projs {
		r.Events += p.Events
	}
	r.EventsPerS = float64(r.Events) / r.SimS
	if r.Synapses > 0 {
		r.SynapseBytes = float64(sim.SynapseBytes()) / float64(r.Synapses)
	}
	h := sha256.New()
	var buf [16]byte
	for p, tr := range sim.Spikes() {
		for k, id := range tr.IDs {
			binary.LittleEndian.PutUint32(buf[0:], uint32(p))
			binary.LittleEndian.PutUint32(buf[4:], uint32(id))
			binary.LittleEndian.PutUint64(buf[8:], math.Float64bits(tr.Times[k]))
			h.Write(buf[:])
		}
	}
	r.SpikesSHA256 = hex.EncodeToString(h.Sum(nil))
	return r, nil
}

// peakRSS returns the peak resident set size of this process in bytes,
// read from /proc/self/status (VmHWM); 0 where that file does not exist.
func peakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, err := strconv.ParseInt(f[1], 10, 64)
			if err == nil {
				return kb << 10
			}
		}
	}
	return 0
}
