package spiketrain

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
)

// This file holds firing rates: binned, kernel-smoothed and peri-stimulus
// time histograms.
//
// Bins. A window [start, stop] (ms) is cut into n = NumBins(start, stop,
// bin) bins [start + k·bin, start + (k+1)·bin), k = 0..n−1; the last bin
// is also closed on the right (as numpy.histogram), so a spike at the end
// of the window counts. A remainder of the window shorter than a bin is
// not used. A spike at t falls in bin ⌊(t − start)/bin⌋.

// binTol is the relative tolerance with which a window that is a whole
// number of bins up to rounding (1000 ms / 0.1 ms) gets that number.
const binTol = 1e-9

// NumBins returns the number of whole bins of width bin (ms) in the window
// [start, stop] (ms): ⌊(stop − start)/bin⌋, computed with a relative
// tolerance of 1e−9 so that rounding does not lose the last bin. It is 0
// when bin ≤ 0, stop ≤ start, a value is not finite, or there would be
// more than 2³¹ − 1 bins.
func NumBins(start, stop, bin float64) int {
	if !(bin > 0) || !(stop > start) || math.IsInf(stop-start, 0) || math.IsInf(bin, 0) {
		return 0
	}
	x := (stop - start) / bin
	n := math.Floor(x)
	if x-n > 1-binTol*math.Max(1, x) {
		n++
	}
	if n > math.MaxInt32 {
		return 0
	}
	return int(n)
}

// binEnd returns the right edge start + n·bin of the n bins, snapped to
// stop when the bins cover the window up to rounding.
func binEnd(start, stop, bin float64, n int) float64 {
	end := start + float64(n)*bin
	if math.Abs(end-stop) <= binTol*bin*math.Max(1, float64(n)) {
		end = stop
	}
	return end
}

// BinEdges writes the n+1 edges start + k·bin (ms) of the n =
// NumBins(start, stop, bin) bins into dst (reused, grown as needed) and
// returns it; none when n = 0.
func BinEdges(dst []float64, start, stop, bin float64) []float64 {
	n := NumBins(start, stop, bin)
	dst = dst[:0]
	if n == 0 {
		return dst
	}
	for k := range n {
		dst = append(dst, start+float64(k)*bin)
	}
	return append(dst, binEnd(start, stop, bin, n))
}

// BinCounts writes into dst (reused, grown as needed, overwritten) the
// number of spikes of tr in each of the n = NumBins(start, stop, bin) bins
// of width bin (ms) covering [start, stop], and returns it.
func BinCounts(dst []float64, tr Train, start, stop, bin float64) []float64 {
	n := NumBins(start, stop, bin)
	dst = resize(dst, n)
	if n == 0 {
		return dst
	}
	end := binEnd(start, stop, bin, n)
	for _, t := range tr {
		if k := binIndex(t, start, end, bin, n); k >= 0 {
			dst[k]++
		}
	}
	return dst
}

// binIndex returns the bin of a spike at t, or −1 if t lies outside
// [start, end].
func binIndex(t, start, end, bin float64, n int) int {
	if !(t >= start && t <= end) {
		return -1
	}
	k := int((t - start) / bin)
	if k >= n {
		k = n - 1
	}
	return k
}

// resize returns dst with length n, zeroed.
func resize(dst []float64, n int) []float64 {
	if cap(dst) < n {
		return make([]float64, n)
	}
	dst = dst[:n]
	clear(dst)
	return dst
}

// BinnedRate writes into dst (reused, grown as needed) the firing rate of
// tr in each bin of width bin (ms) covering [start, stop], in Hz:
// 1000·count/bin. See BinCounts.
func BinnedRate(dst []float64, tr Train, start, stop, bin float64) []float64 {
	dst = BinCounts(dst, tr, start, stop, bin)
	for k := range dst {
		dst[k] *= 1000 / bin
	}
	return dst
}

// PopulationRate writes into dst (reused, grown as needed) the population
// rate per neuron of g in each bin of width bin (ms) covering
// [g.Start, g.Stop], in Hz: 1000·(spikes of all neurons in the bin)/(N·bin)
// for N neurons, silent ones included. With no neuron every bin is NaN.
func PopulationRate(dst []float64, g *Group, bin float64) []float64 {
	n := NumBins(g.Start, g.Stop, bin)
	dst = resize(dst, n)
	if n == 0 {
		return dst
	}
	end := binEnd(g.Start, g.Stop, bin, n)
	for _, tr := range g.Trains {
		for _, t := range tr {
			if k := binIndex(t, g.Start, end, bin, n); k >= 0 {
				dst[k]++
			}
		}
	}
	scale := 1000 / (bin * float64(len(g.Trains)))
	for k := range dst {
		dst[k] *= scale
	}
	return dst
}

// Kernel is the shape of a smoothing kernel k(s) of lag s = t − t_spike
// (ms) and width w (ms). Every kernel has unit area, ∫k(s) ds = 1, so the
// smoothed rate integrates to the spike count.
type Kernel int

const (
	// Gaussian is k(s) = exp(−s²/(2w²)) / (w√(2π)), with w = σ: symmetric,
	// non-causal.
	Gaussian Kernel = iota
	// Exponential is k(s) = exp(−s/w)/w for s ≥ 0 and 0 before, with
	// w = τ: causal; a spike counts from its own time on.
	Exponential
	// Alpha is k(s) = (s/w²) exp(−s/w) for s ≥ 0 and 0 before, with w = τ:
	// causal, peaking at s = τ.
	Alpha
)

// String returns the kernel's name: "gaussian", "exponential" or "alpha".
func (k Kernel) String() string {
	switch k {
	case Gaussian:
		return "gaussian"
	case Exponential:
		return "exponential"
	case Alpha:
		return "alpha"
	}
	return fmt.Sprintf("Kernel(%d)", int(k))
}

// ParseKernel returns the kernel named s ("gaussian", "exponential",
// "alpha", case-insensitive; "gauss" and "exp" also work).
func ParseKernel(s string) (Kernel, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "gaussian", "gauss":
		return Gaussian, nil
	case "exponential", "exp":
		return Exponential, nil
	case "alpha":
		return Alpha, nil
	}
	return 0, fmt.Errorf("spiketrain: unknown kernel %q (want gaussian, exponential or alpha)", s)
}

// At returns the kernel's value k(s) in 1/ms at lag s (ms) for width w
// (ms); NaN for an unknown kernel or a width that is not positive.
func (k Kernel) At(s, w float64) float64 {
	if !(w > 0) {
		return math.NaN()
	}
	switch k {
	case Gaussian:
		x := s / w
		return math.Exp(-0.5*x*x) / (w * math.Sqrt(2*math.Pi))
	case Exponential:
		if s < 0 {
			return 0
		}
		return math.Exp(-s/w) / w
	case Alpha:
		if s < 0 {
			return 0
		}
		return s / (w * w) * math.Exp(-s/w)
	}
	return math.NaN()
}

// support returns the lags [lo, hi] (ms) outside which the kernel is
// neglected: ±8σ for the Gaussian (tail mass 1e−15), [0, 40τ] for the
// exponential (e^−40 ≈ 4e−18), [0, 50τ] for the alpha kernel
// (51·e^−50 ≈ 1e−20).
func (k Kernel) support(w float64) (lo, hi float64) {
	switch k {
	case Gaussian:
		return -8 * w, 8 * w
	case Exponential:
		return 0, 40 * w
	default:
		return 0, 50 * w
	}
}

// SmoothedRate writes into dst (reused, grown as needed) the
// kernel-smoothed rate of tr at each time in times (ms, any order), in Hz:
//
//	r(t) = 1000 · Σ_i k(t − t_i),
//
// with kernel k of width w (ms; σ of the Gaussian, τ of the exponential and
// alpha kernels). Because k has unit area, ∫r(t) dt = 1000·(spike count)
// with t in ms, i.e. the rate integrates to the count over time in
// seconds. The kernel is neglected beyond lags where its remaining mass is
// below 1e−15 (see Kernel). Every value is NaN when w ≤ 0 or the kernel is
// unknown.
func SmoothedRate(dst []float64, tr Train, k Kernel, w float64, times []float64) []float64 {
	dst = resize(dst, len(times))
	addSmoothed(dst, tr, k, w, times, 1000)
	return dst
}

// PopulationSmoothedRate writes into dst (reused, grown as needed) the
// kernel-smoothed population rate per neuron of g at each time in times
// (ms), in Hz: the mean over the N neurons of SmoothedRate (silent ones
// included). Every value is NaN with no neuron, w ≤ 0 or an unknown
// kernel.
func PopulationSmoothedRate(dst []float64, g *Group, k Kernel, w float64, times []float64) []float64 {
	dst = resize(dst, len(times))
	if len(g.Trains) == 0 {
		for i := range dst {
			dst[i] = math.NaN()
		}
		return dst
	}
	scale := 1000 / float64(len(g.Trains))
	for _, tr := range g.Trains {
		addSmoothed(dst, tr, k, w, times, scale)
	}
	return dst
}

// addSmoothed adds scale·Σ_i k(t − t_i) to dst at each time in times.
func addSmoothed(dst []float64, tr Train, k Kernel, w float64, times []float64, scale float64) {
	if !(w > 0) || k < Gaussian || k > Alpha || math.IsInf(w, 0) {
		for i := range dst {
			dst[i] = math.NaN()
		}
		return
	}
	lo, hi := k.support(w)
	for i, t := range times {
		j := sort.SearchFloat64s(tr, t-hi)
		s := 0.0
		for ; j < len(tr) && tr[j] <= t-lo; j++ {
			s += k.At(t-tr[j], w)
		}
		dst[i] += scale * s
	}
}

// PSTH is a peri-stimulus time histogram: the rate of a neuron in bins of
// time relative to repeated events, averaged over trials.
type PSTH struct {
	// Edges are the n+1 bin edges in ms relative to the event.
	Edges []float64
	// Rate is the mean over trials of the rate in each bin, in Hz
	// (1000·count/bin).
	Rate []float64
	// SEM is the standard error of Rate across trials, in Hz: the sample
	// standard deviation of the trials' rates (n−1 normalisation) over
	// √trials; NaN with a single trial.
	SEM []float64
	// Trials is the number of trials (events).
	Trials int
}

// NewPSTH returns the PSTH of tr around the events (ms): trial r is the
// window [events[r] + pre, events[r] + post] cut into bins of width bin
// (ms) as BinCounts does, with edges pre + k·bin relative to the event
// (pre is usually negative, e.g. −100 ms). A spike may count in several
// trials when windows overlap. It returns an error when there is no event,
// an event or parameter is not finite, post ≤ pre, or the window holds no
// whole bin.
func NewPSTH(tr Train, events []float64, pre, post, bin float64) (PSTH, error) {
	if len(events) == 0 {
		return PSTH{}, errors.New("spiketrain: PSTH needs at least one event")
	}
	if math.IsNaN(pre) || math.IsInf(pre, 0) || math.IsNaN(post) || math.IsInf(post, 0) || !(post > pre) {
		return PSTH{}, fmt.Errorf("spiketrain: PSTH window [%g, %g] ms is empty or not finite", pre, post)
	}
	n := NumBins(pre, post, bin)
	if n == 0 {
		return PSTH{}, fmt.Errorf("spiketrain: PSTH bin %g ms does not fit in the window [%g, %g] ms", bin, pre, post)
	}
	for _, e := range events {
		if math.IsNaN(e) || math.IsInf(e, 0) {
			return PSTH{}, fmt.Errorf("spiketrain: PSTH event at %g ms is not a finite time", e)
		}
	}
	end := binEnd(pre, post, bin, n)
	p := PSTH{
		Edges:  BinEdges(nil, pre, post, bin),
		Rate:   make([]float64, n),
		SEM:    make([]float64, n),
		Trials: len(events),
	}
	counts := make([]float64, n)
	for _, e := range events {
		clear(counts)
		j := sort.SearchFloat64s(tr, e+pre)
		for ; j < len(tr) && tr[j]-e <= end; j++ {
			if k := binIndex(tr[j]-e, pre, end, bin, n); k >= 0 {
				counts[k]++
			}
		}
		for k, c := range counts {
			p.Rate[k] += c
			p.SEM[k] += c * c
		}
	}
	// Counts are integers, so the sums are exact and var = (Σc² − (Σc)²/R)/(R−1)
	// has no cancellation error.
	r := float64(len(events))
	scale := 1000 / bin
	for k := range p.Rate {
		s, ss := p.Rate[k], p.SEM[k]
		p.Rate[k] = scale * s / r
		if len(events) < 2 {
			p.SEM[k] = math.NaN()
			continue
		}
		v := (ss - s*s/r) / (r - 1)
		p.SEM[k] = scale * math.Sqrt(math.Max(v, 0)/r)
	}
	return p, nil
}
