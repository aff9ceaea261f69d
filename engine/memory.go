package engine

import (
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/hebb-snn/hebb/connect"
	"github.com/hebb-snn/hebb/model"
	"github.com/hebb-snn/hebb/param"
)

// Estimate is the memory a network needs, computed from the model alone,
// before anything is built. Counts of fixed_probability projections are
// their expected values; delay ranges of unbounded distributions are
// taken to the mean plus six standard deviations.
type Estimate struct {
	Synapses     int64 // expected number of synapses
	SynapseBytes int64 // indices, weights, delays, signs, reverse indices, learning state
	NeuronBytes  int64 // state variables, random streams, ring buffers
	BuildBytes   int64 // held only while projections are built (the largest ones, one per thread)
}

// Total returns the peak the estimate expects: everything that stays plus
// what building holds.
func (e Estimate) Total() int64 { return e.SynapseBytes + e.NeuronBytes + e.BuildBytes }

// String describes e in GiB.
func (e Estimate) String() string {
	return fmt.Sprintf("about %s (%.3g synapses: %s; neurons and ring buffers: %s; building: %s)",
		gib(e.Total()), float64(e.Synapses), gib(e.SynapseBytes), gib(e.NeuronBytes), gib(e.BuildBytes))
}

// gib writes a number of bytes in GiB, MiB or KiB.
func gib(b int64) string {
	switch x := float64(b); {
	case x >= 1<<30:
		return fmt.Sprintf("%.2f GiB", x/(1<<30))
	case x >= 1<<20:
		return fmt.Sprintf("%.1f MiB", x/(1<<20))
	default:
		return fmt.Sprintf("%.0f KiB", x/(1<<10))
	}
}

// EstimateMemory computes the memory net needs with the given number of
// threads. Per synapse: target index and weight (8 bytes; 4 for a static
// projection of one constant weight), a delay (2
// bytes) unless the projection's delay is constant, a sign (1 byte) for
// mixed projections; plastic projections add their reverse index (4 bytes
// and 2 or 4 for the source) and the rule's state (Rule.SynapseBytes).
func EstimateMemory(net *model.Net, threads int) Estimate {
	threads = max(threads, 1)
	var e Estimate
	maxDelay := make([]int, len(net.Pops))
	var build []int64
	for _, pr := range net.Projs {
		src, tgt := net.Pops[pr.From], net.Pops[pr.To]
		n := connect.Count(pr.Rule, pr.Connect, src.Size, tgt.Size, pr.From == pr.To)
		if pr.Weights != nil {
			n = float64(len(pr.Weights))
		}
		per := 8.0
		if pr.Plasticity == nil && pr.Sign != 0 && pr.Weights == nil && pr.Weight.Kind == param.ConstDist {
			per = 4 // one weight for the whole projection
		}
		if pr.Delay.Kind != param.ConstDist {
			per += 2
		}
		if pr.Sign == 0 {
			per++
		}
		if r := pr.Plasticity; r != nil {
			per += 4
			if src.Size <= 1<<16 {
				per += 2
			} else {
				per += 4
			}
			if r.SynapseBytes != nil {
				per += float64(r.SynapseBytes(pr.Delay.Kind == param.ConstDist && pr.Sign != 0))
			}
		}
		e.Synapses += int64(n)
		e.SynapseBytes += int64(n*per) + 4*int64(src.Size+1)*int64(threads)
		if r := pr.Plasticity; r != nil {
			// reverse row pointers; state per neuron (per source on
			// every worker, per target once)
			perSrc, perTgt := 16, 16
			if r.NeuronBytes != nil {
				perSrc, perTgt = r.NeuronBytes(pr.Delay.Kind == param.ConstDist && pr.Sign != 0)
			}
			e.SynapseBytes += 4*int64(tgt.Size+threads) + int64(perSrc)*int64(src.Size*threads) + int64(perTgt)*int64(tgt.Size)
		}
		// While it is built: sources and targets as drawn (8), in
		// canonical order (4), weights (4), delays (2), and the copies
		// into the workers' blocks.
		b := 18.0
		if threads > 1 {
			b += per
		}
		build = append(build, int64(n*b))
		maxDelay[pr.To] = max(maxDelay[pr.To], delayBound(pr.Delay, net.Dt))
	}
	slices.Sort(build)
	slices.Reverse(build)
	for i := 0; i < len(build) && i < threads; i++ {
		e.BuildBytes += build[i]
	}
	for i, p := range net.Pops {
		per := 8*len(p.Model.State) + 16 // state variables and a random stream
		if !p.Model.Source {
			per += 2 * 8 * (max(maxDelay[i], 1) + 1) // excitatory and inhibitory rings
		}
		e.NeuronBytes += int64(per) * int64(p.Size)
	}
	return e
}

// delayBound returns the longest delay, in steps, that d is expected to
// give.
func delayBound(d param.Dist, dt float64) int {
	hi := d.A
	switch d.Kind {
	case param.UniformDist:
		hi = math.Max(d.A, d.B)
	case param.NormalDist:
		hi = d.A + 6*math.Abs(d.B)
	case param.LogNormalDist:
		hi = d.A * math.Exp(6*math.Abs(d.B))
	}
	return int(math.Min(math.Round(hi/dt), MaxDelaySteps))
}

// AvailableMemory returns the memory this process can still use, in
// bytes: MemAvailable of /proc/meminfo, or the cgroup limit if that is
// lower. It returns 0 where neither can be read.
func AvailableMemory() int64 {
	var avail int64
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			f := strings.Fields(line)
			if len(f) >= 2 && f[0] == "MemAvailable:" {
				if kb, err := strconv.ParseInt(f[1], 10, 64); err == nil {
					avail = kb << 10
				}
			}
		}
	}
	if b, err := os.ReadFile("/sys/fs/cgroup/memory.max"); err == nil {
		if lim, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64); err == nil {
			used := int64(0)
			if u, err := os.ReadFile("/sys/fs/cgroup/memory.current"); err == nil {
				used, _ = strconv.ParseInt(strings.TrimSpace(string(u)), 10, 64)
			}
			if left := lim - used; avail == 0 || left < avail {
				avail = left
			}
		}
	}
	return avail
}

// checkMemory refuses a network that will not fit: limit is the memory
// allowed (0: AvailableMemory; negative: no check).
func checkMemory(net *model.Net, threads int, limit int64) error {
	if limit < 0 {
		return nil
	}
	if limit == 0 {
		if limit = AvailableMemory(); limit == 0 {
			return nil // unknown: do not guess
		}
	}
	e := EstimateMemory(net, threads)
	if e.Total() > limit {
		return fmt.Errorf("the model needs %s, more than the %s available; make it smaller, or run it anyway with --no-memory-check",
			e, gib(limit))
	}
	return nil
}
