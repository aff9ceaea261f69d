package spiketrain

import (
	"math"
	"sort"
)

// This file holds the interspike-interval (ISI) statistics of one train
// and the Fano factor of spike counts. A train t_1 < … < t_N has N−1
// intervals I_k = t_{k+1} − t_k (ms). Statistics that are not defined for
// a train (too few intervals, a zero mean) are NaN, never a panic.

// DefaultRefractory is the refractory constant R of LvR recommended by
// Shinomoto et al. (2009), in ms.
const DefaultRefractory = 5.0

// ISIs writes the interspike intervals I_k = t_{k+1} − t_k (ms) of tr into
// dst (reused, grown as needed) and returns it: len(tr)−1 intervals, none
// for a train of fewer than two spikes.
func ISIs(dst []float64, tr Train) []float64 {
	dst = dst[:0]
	for k := 1; k < len(tr); k++ {
		dst = append(dst, tr[k]-tr[k-1])
	}
	return dst
}

// CountIn returns the number of spikes of tr in the closed window
// [start, stop] (ms). tr must be sorted.
func CountIn(tr Train, start, stop float64) int {
	if !(stop >= start) {
		return 0
	}
	lo := sort.SearchFloat64s(tr, start)
	hi := sort.Search(len(tr), func(i int) bool { return tr[i] > stop })
	return hi - lo
}

// MeanRate returns the firing rate of tr in the window [start, stop] in
// Hz: 1000·n/(stop − start), where n = CountIn(tr, start, stop) and the
// window is in ms. It is NaN when stop ≤ start or the window is not
// finite.
func MeanRate(tr Train, start, stop float64) float64 {
	d := stop - start
	if !(d > 0) || math.IsInf(d, 0) {
		return math.NaN()
	}
	return 1000 * float64(CountIn(tr, start, stop)) / d
}

// CV returns the coefficient of variation of the intervals of tr,
// CV = SD(I)/mean(I), with the population standard deviation
// SD = √(Σ(I_k − Ī)²/n) over the n = len(tr)−1 intervals (n
// normalisation, as Elephant's cv, which uses numpy's std with ddof = 0).
// A Poisson train has CV = 1, a gamma process of order k has CV = 1/√k.
// CV is NaN for fewer than two intervals (three spikes) or a zero mean
// interval.
func CV(tr Train) float64 {
	n := len(tr) - 1
	if n < 2 {
		return math.NaN()
	}
	mean := (tr[n] - tr[0]) / float64(n)
	if !(mean > 0) {
		return math.NaN()
	}
	ss := 0.0
	for k := 1; k <= n; k++ {
		d := tr[k] - tr[k-1] - mean
		ss += d * d
	}
	return math.Sqrt(ss/float64(n)) / mean
}

// CV2 returns the local coefficient of variation of Holt et al. (1996),
// the mean over the n−1 pairs of consecutive intervals of
//
//	2|I_{k+1} − I_k| / (I_{k+1} + I_k).
//
// It is 1 in expectation for a Poisson train and 0 for a regular one. CV2
// is NaN for fewer than two intervals, and when two consecutive intervals
// are both zero (three coincident spikes).
func CV2(tr Train) float64 {
	n := len(tr) - 1
	if n < 2 {
		return math.NaN()
	}
	s := 0.0
	prev := tr[1] - tr[0]
	for k := 2; k <= n; k++ {
		cur := tr[k] - tr[k-1]
		s += 2 * math.Abs(cur-prev) / (cur + prev)
		prev = cur
	}
	return s / float64(n-1)
}

// LV returns the local variation of Shinomoto et al. (2003) over the n
// intervals of tr,
//
//	LV = 3/(n−1) Σ_{k=1}^{n−1} ((I_k − I_{k+1}) / (I_k + I_{k+1}))².
//
// Its expectation is 1 for a Poisson train and 3/(2k+1) for a gamma
// process of order k. LV is NaN for fewer than two intervals, and when two
// consecutive intervals are both zero.
func LV(tr Train) float64 {
	return LvR(tr, 0)
}

// LvR returns the revised local variation of Shinomoto et al. (2009), with
// refractory constant r in ms (DefaultRefractory = 5 ms is their choice):
//
//	LvR = 3/(n−1) Σ_{k=1}^{n−1} (1 − 4 I_k I_{k+1}/(I_k + I_{k+1})²) (1 + 4r/(I_k + I_{k+1})).
//
// With r = 0 it equals LV. For a gamma process of order k and mean
// interval μ its expectation is 3/(2k+1)·(1 + 4rk/((2k−1)μ)). LvR is NaN
// for fewer than two intervals, a negative or non-finite r, and when two
// consecutive intervals are both zero.
func LvR(tr Train, r float64) float64 {
	n := len(tr) - 1
	if n < 2 || !(r >= 0) || math.IsInf(r, 0) {
		return math.NaN()
	}
	s := 0.0
	prev := tr[1] - tr[0]
	for k := 2; k <= n; k++ {
		cur := tr[k] - tr[k-1]
		sum := cur + prev
		// 1 − 4ab/(a+b)² = ((a−b)/(a+b))², the form without cancellation.
		d := (prev - cur) / sum
		s += d * d * (1 + 4*r/sum)
		prev = cur
	}
	return 3 * s / float64(n-1)
}

// FanoFactor returns the Fano factor of counts, var/mean, with the sample
// variance var = Σ(c − c̄)²/(n−1) (n−1 normalisation, so that Poisson
// counts give 1 in expectation for any number n of counts). It is NaN for
// fewer than two counts or a mean that is not positive.
func FanoFactor(counts []float64) float64 {
	n := len(counts)
	if n < 2 {
		return math.NaN()
	}
	mean := 0.0
	for _, c := range counts {
		mean += c
	}
	mean /= float64(n)
	if !(mean > 0) {
		return math.NaN()
	}
	ss := 0.0
	for _, c := range counts {
		d := c - mean
		ss += d * d
	}
	return ss / float64(n-1) / mean
}

// FanoBins returns the Fano factor (FanoFactor: var with n−1 over mean) of
// the spike counts of tr in the consecutive bins of width bin (ms) that
// cover [start, stop] (see BinCounts; a remainder shorter than a bin is
// not used). It is NaN for fewer than two bins or no spike in them.
func FanoBins(tr Train, start, stop, bin float64) float64 {
	return FanoFactor(BinCounts(nil, tr, start, stop, bin))
}

// FanoAcross returns the Fano factor of the spike counts of the trains —
// trials of one neuron, or neurons of a group — in the closed window
// [start, stop] (ms): var/mean of the counts, var with n−1 normalisation
// (see FanoFactor). It is NaN for fewer than two trains or no spike.
func FanoAcross(trains []Train, start, stop float64) float64 {
	n := len(trains)
	if n < 2 {
		return math.NaN()
	}
	// Counts are integers: the two sums are exact up to 2⁵³.
	s, ss := 0.0, 0.0
	for _, tr := range trains {
		c := float64(CountIn(tr, start, stop))
		s += c
		ss += c * c
	}
	mean := s / float64(n)
	if !(mean > 0) {
		return math.NaN()
	}
	v := (ss - s*mean) / float64(n-1)
	return v / mean
}
