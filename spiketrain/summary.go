package spiketrain

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// Summary holds the standard statistics of one group of neurons, as
// `hebb analyze` prints them per population. Statistics that are not
// defined for the group are NaN.
type Summary struct {
	// Name is the group's name.
	Name string
	// Neurons is the number of neurons, silent ones included.
	Neurons int
	// Active is the number of neurons with at least one spike in the
	// window [Start, Stop].
	Active int
	// Spikes is the number of spikes in the window.
	Spikes int
	// Duration is the length of the window in ms.
	Duration float64
	// Rate is the mean firing rate over all neurons in Hz,
	// Spikes·1000/(Neurons·Duration).
	Rate float64
	// RateSD is the standard deviation of the neurons' rates in Hz (n−1
	// normalisation); NaN for fewer than two neurons.
	RateSD float64
	// CV, CV2 and LV are the means of the neurons' CV, CV2 and LV (see
	// the functions of those names) over the ISINeurons neurons with at
	// least three spikes in the window.
	CV, CV2, LV float64
	// ISINeurons is the number of neurons averaged in CV, CV2 and LV.
	ISINeurons int
	// Bin is the bin width in ms used by Fano and Chi.
	Bin float64
	// Fano is the mean over neurons of the Fano factor of their spike
	// counts in bins of width Bin (FanoBins), over the neurons for which it
	// is defined (at least one spike in the binned part of the window).
	Fano float64
	// Chi is the Golomb–Rinzel synchrony χ of the binned counts
	// (Synchrony).
	Chi float64
}

// Summarize returns the Summary of g, with Fano factors and synchrony
// computed from spike counts in bins of width bin (ms). Only spikes in the
// window [g.Start, g.Stop] count.
func Summarize(g *Group, bin float64) Summary {
	s := Summary{
		Name:     g.Name,
		Neurons:  len(g.Trains),
		Duration: g.Duration(),
		Bin:      bin,
	}
	var cv, cv2, lv, fano, rate, rate2 float64
	nf := 0
	var counts []float64
	for _, tr := range g.Trains {
		lo := sort.SearchFloat64s(tr, g.Start)
		hi := lo + CountIn(tr[lo:], g.Start, g.Stop)
		w := tr[lo:hi]
		s.Spikes += len(w)
		if len(w) > 0 {
			s.Active++
		}
		r := MeanRate(w, g.Start, g.Stop)
		rate += r
		rate2 += r * r
		if len(w) >= 3 {
			cv += CV(w)
			cv2 += CV2(w)
			lv += LV(w)
			s.ISINeurons++
		}
		counts = BinCounts(counts, w, g.Start, g.Stop, bin)
		if f := FanoFactor(counts); !math.IsNaN(f) {
			fano += f
			nf++
		}
	}
	n := float64(s.Neurons)
	s.Rate = rate / n
	s.RateSD = math.NaN()
	if s.Neurons > 1 {
		s.RateSD = math.Sqrt(math.Max(rate2-rate*rate/n, 0) / (n - 1))
	}
	m := float64(s.ISINeurons)
	s.CV, s.CV2, s.LV = cv/m, cv2/m, lv/m // NaN when m = 0
	s.Fano = fano / float64(nf)
	s.Chi = Synchrony(g, bin)
	return s
}

// String returns the summary on one line, e.g.
//
//	E: 800 neurons (790 active), 12000 spikes in 1000 ms, rate 15 ± 3.2 Hz, CV 0.98 CV2 0.99 LV 1 (780 with ≥ 3 spikes), Fano 1 and χ 0.05 (bins of 50 ms)
func (s Summary) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d neurons (%d active), %d spikes in %.6g ms, rate %.3g ± %.2g Hz",
		s.Name, s.Neurons, s.Active, s.Spikes, s.Duration, s.Rate, s.RateSD)
	fmt.Fprintf(&b, ", CV %.3g CV2 %.3g LV %.3g (%d with ≥ 3 spikes)", s.CV, s.CV2, s.LV, s.ISINeurons)
	fmt.Fprintf(&b, ", Fano %.3g and χ %.3g (bins of %.4g ms)", s.Fano, s.Chi, s.Bin)
	return b.String()
}

// ISIHistogram returns a histogram of the interspike intervals of all the
// trains pooled, for plotting: n bins of width bin (ms), edges k·bin
// (k = 0..n) and counts per bin. The bins cover [0, maxISI] (ms), n =
// ⌈maxISI/bin⌉; intervals beyond the last edge are left out, and the last
// bin is closed on the right. With maxISI ≤ 0 the longest interval is
// used. It returns nil, nil when bin ≤ 0 or is not finite, or when there
// is no interval and maxISI ≤ 0.
func ISIHistogram(trains []Train, bin, maxISI float64) (edges []float64, counts []int) {
	if !(bin > 0) || math.IsInf(bin, 0) || math.IsNaN(maxISI) || math.IsInf(maxISI, 0) {
		return nil, nil
	}
	if maxISI <= 0 {
		maxISI = math.Inf(-1)
		for _, tr := range trains {
			for k := 1; k < len(tr); k++ {
				maxISI = math.Max(maxISI, tr[k]-tr[k-1])
			}
		}
		if math.IsInf(maxISI, -1) {
			return nil, nil
		}
	}
	n := int(math.Ceil(maxISI/bin - binTol))
	if n < 1 {
		n = 1
	}
	edges = make([]float64, n+1)
	for k := range edges {
		edges[k] = float64(k) * bin
	}
	counts = make([]int, n)
	end := edges[n]
	for _, tr := range trains {
		for k := 1; k < len(tr); k++ {
			if i := binIndex(tr[k]-tr[k-1], 0, end, bin, n); i >= 0 {
				counts[i]++
			}
		}
	}
	return edges, counts
}
