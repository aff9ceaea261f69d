package spiketrain

import (
	"errors"
	"fmt"
	"math"
)

// This file holds correlation measures: correlograms, the spike-triggered
// average, the Golomb–Rinzel synchrony measure χ and spike-count
// correlation.

// Correlogram is a histogram of the lags t_j − t_i (ms) between spikes t_i
// of a reference train and spikes t_j of a target train.
type Correlogram struct {
	// Lags are the bin centres k·Bin (ms), k = −K..K: bin k holds the lags
	// in [(k − ½)·Bin, (k + ½)·Bin), so lag 0 is the centre of the middle
	// bin. Positive lags mean the target fires after the reference.
	Lags []float64
	// Counts are the numbers of pairs per bin (summed over trials; after a
	// shift-predictor correction they may be fractional or negative).
	Counts []float64
	// Bin is the bin width in ms.
	Bin float64
	// Refs is the number of reference spikes (summed over trials).
	Refs int
}

// Rate returns the correlogram as a conditional rate in Hz: the target's
// rate at each lag given a reference spike at 0, 1000·Counts/(Refs·Bin).
// It is NaN in every bin when there is no reference spike.
func (c *Correlogram) Rate() []float64 {
	r := make([]float64, len(c.Counts))
	scale := 1000 / (float64(c.Refs) * c.Bin)
	if c.Refs == 0 {
		scale = math.NaN()
	}
	for k, v := range c.Counts {
		r[k] = scale * v
	}
	return r
}

// newCorrelogram returns an empty correlogram with K = ⌊maxLag/bin⌋ bins
// each side of lag 0.
func newCorrelogram(maxLag, bin float64) (Correlogram, error) {
	if !(bin > 0) || math.IsInf(bin, 0) || !(maxLag >= 0) || math.IsInf(maxLag, 0) {
		return Correlogram{}, fmt.Errorf("spiketrain: correlogram needs bin > 0 and maxLag ≥ 0 finite (got bin %g ms, maxLag %g ms)", bin, maxLag)
	}
	k := NumBins(0, maxLag, bin) // 0 when maxLag = 0
	if k > 1<<24 {
		return Correlogram{}, fmt.Errorf("spiketrain: correlogram with %d bins per side is too large", k)
	}
	c := Correlogram{Lags: make([]float64, 2*k+1), Counts: make([]float64, 2*k+1), Bin: bin}
	for i := range c.Lags {
		c.Lags[i] = float64(i-k) * bin
	}
	return c, nil
}

// accumulate adds sign × (pairs of ref and target per lag bin) to c.Counts;
// with self, pairs of a spike with itself (same index) are left out.
func (c *Correlogram) accumulate(ref, target Train, sign float64, self bool) {
	k := (len(c.Counts) - 1) / 2
	half := (float64(k) + 0.5) * c.Bin
	lo := 0
	for i, t := range ref {
		for lo < len(target) && target[lo] < t-half {
			lo++
		}
		for j := lo; j < len(target) && target[j] < t+half; j++ {
			if self && j == i {
				continue
			}
			b := int(math.Floor((target[j]-t)/c.Bin+0.5)) + k
			if b >= 0 && b <= 2*k {
				c.Counts[b] += sign
			}
		}
	}
}

// CrossCorrelogram returns the cross-correlogram of target with respect to
// ref: the number of pairs (i, j) with lag t_j − t_i in each bin of width
// bin (ms) centred on k·bin, |k·bin| ≤ maxLag (ms). Both trains must be
// sorted. It costs O(len(ref) + len(target) + pairs within the lag range).
// It returns an error when bin ≤ 0 or maxLag < 0.
func CrossCorrelogram(ref, target Train, maxLag, bin float64) (Correlogram, error) {
	c, err := newCorrelogram(maxLag, bin)
	if err != nil {
		return c, err
	}
	c.accumulate(ref, target, 1, false)
	c.Refs = len(ref)
	return c, nil
}

// AutoCorrelogram returns the autocorrelogram of tr: as CrossCorrelogram
// of tr with itself, but without the pairs of a spike with itself, so the
// zero-lag bin counts only distinct coincident spikes. It is symmetric.
func AutoCorrelogram(tr Train, maxLag, bin float64) (Correlogram, error) {
	c, err := newCorrelogram(maxLag, bin)
	if err != nil {
		return c, err
	}
	c.accumulate(tr, tr, 1, true)
	c.Refs = len(tr)
	return c, nil
}

// TrialCorrelogram returns the cross-correlogram of target[r] with respect
// to ref[r] summed over the trials r = 0..R−1 (see CrossCorrelogram). With
// shift, the shift predictor — the same sum between ref[r] and the next
// trial's target[(r+1) mod R] (Perkel, Gerstein & Moore 1967) — is
// subtracted: what remains is the correlation not explained by both trains
// following the stimulus. It returns an error for different numbers of
// trials, fewer than two trials with shift, or bad bin or maxLag.
func TrialCorrelogram(ref, target []Train, maxLag, bin float64, shift bool) (Correlogram, error) {
	if len(ref) != len(target) {
		return Correlogram{}, fmt.Errorf("spiketrain: %d reference trials but %d target trials", len(ref), len(target))
	}
	if shift && len(ref) < 2 {
		return Correlogram{}, errors.New("spiketrain: the shift predictor needs at least two trials")
	}
	c, err := newCorrelogram(maxLag, bin)
	if err != nil {
		return c, err
	}
	for r := range ref {
		c.accumulate(ref[r], target[r], 1, false)
		if shift {
			c.accumulate(ref[r], target[(r+1)%len(target)], -1, false)
		}
		c.Refs += len(ref[r])
	}
	return c, nil
}

// STA is a spike-triggered average of a sampled signal.
type STA struct {
	// Lags are the lags k·dt (ms) relative to the spike,
	// k = −⌊before/dt⌋..⌊after/dt⌋.
	Lags []float64
	// Mean is the average of the signal at those lags, in the signal's
	// unit; NaN everywhere when no spike was used.
	Mean []float64
	// Spikes is the number of spikes averaged.
	Spikes int
}

// SpikeTriggeredAverage returns the average of signal around the spikes of
// tr. Sample i of signal is taken at time t0 + i·dt (ms); a spike at t is
// placed on its nearest sample i = round((t − t0)/dt), and the window runs
// from before (ms) before it to after (ms) after it. Spikes whose window
// does not lie entirely within the signal are skipped (not counted in
// Spikes). It returns an error when dt ≤ 0, before or after is negative,
// a value is not finite, or the window is longer than the signal.
func SpikeTriggeredAverage(tr Train, signal []float64, t0, dt, before, after float64) (STA, error) {
	for _, v := range [...]float64{t0, dt, before, after} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return STA{}, errors.New("spiketrain: spike-triggered average with a parameter that is not finite")
		}
	}
	if !(dt > 0) || before < 0 || after < 0 {
		return STA{}, fmt.Errorf("spiketrain: spike-triggered average needs dt > 0 and before, after ≥ 0 (got dt %g, before %g, after %g ms)", dt, before, after)
	}
	fb, fa := math.Floor(before/dt+binTol), math.Floor(after/dt+binTol)
	if fb+fa+1 > float64(len(signal)) {
		return STA{}, fmt.Errorf("spiketrain: spike-triggered average window of %g ms is longer than the signal (%d samples of %g ms)", before+after, len(signal), dt)
	}
	nb, na := int(fb), int(fa)
	s := STA{Lags: make([]float64, nb+na+1), Mean: make([]float64, nb+na+1)}
	for k := range s.Lags {
		s.Lags[k] = float64(k-nb) * dt
	}
	for _, t := range tr {
		x := math.Round((t - t0) / dt)
		if x-float64(nb) < 0 || x+float64(na) >= float64(len(signal)) {
			continue
		}
		i0 := int(x) - nb
		for k, v := range signal[i0 : i0+nb+na+1] {
			s.Mean[k] += v
		}
		s.Spikes++
	}
	for k := range s.Mean {
		s.Mean[k] /= float64(s.Spikes) // 0/0 = NaN with no spike
	}
	return s, nil
}

// Chi returns the Golomb–Rinzel synchrony measure of traces (Golomb &
// Rinzel 1993; Golomb 2007): with V(t) = (1/N) Σ_i V_i(t) the population
// average of N traces sampled at the same T times,
//
//	χ = √( Var_t[V] / ((1/N) Σ_i Var_t[V_i]) ),
//
// variances over time with n normalisation (the choice cancels in the
// ratio). χ is 1 for identical traces and about 1/√N for independent ones.
// It is NaN for no trace, traces of different lengths or fewer than two
// samples, or when no trace varies.
func Chi(traces [][]float64) float64 {
	n := len(traces)
	if n == 0 {
		return math.NaN()
	}
	T := len(traces[0])
	for _, tr := range traces {
		if len(tr) != T {
			return math.NaN()
		}
	}
	if T < 2 {
		return math.NaN()
	}
	pop := make([]float64, T)
	sumVar := 0.0
	for _, tr := range traces {
		sumVar += variance(tr)
		for t, v := range tr {
			pop[t] += v
		}
	}
	for t := range pop {
		pop[t] /= float64(n)
	}
	return chi(variance(pop), sumVar/float64(n))
}

// chi returns √(varPop/meanVar), NaN when meanVar is not positive.
func chi(varPop, meanVar float64) float64 {
	if !(meanVar > 0) {
		return math.NaN()
	}
	return math.Sqrt(varPop / meanVar)
}

// variance returns Σ(x − x̄)²/n.
func variance(x []float64) float64 {
	m := 0.0
	for _, v := range x {
		m += v
	}
	m /= float64(len(x))
	ss := 0.0
	for _, v := range x {
		d := v - m
		ss += d * d
	}
	return ss / float64(len(x))
}

// Synchrony returns the Golomb–Rinzel χ (see Chi) of the spike counts of
// g's neurons in bins of width bin (ms) covering [g.Start, g.Stop] (see
// BinCounts): the bin width is the time scale of synchrony. Silent neurons
// count in the population average and contribute zero variance. It is NaN
// for no neuron, fewer than two bins, or no spike. It costs O(bins +
// spikes) time and O(bins) memory.
func Synchrony(g *Group, bin float64) float64 {
	n := NumBins(g.Start, g.Stop, bin)
	if n < 2 || len(g.Trains) == 0 {
		return math.NaN()
	}
	end := binEnd(g.Start, g.Stop, bin, n)
	pop := make([]float64, n)
	sumVar := 0.0
	for _, tr := range g.Trains {
		// The train is sorted, so its bin indices are non-decreasing:
		// sum counts and squared counts run by run.
		s1, s2 := 0.0, 0.0
		last, run := -1, 0.0
		for _, t := range tr {
			k := binIndex(t, g.Start, end, bin, n)
			if k < 0 {
				continue
			}
			pop[k]++
			if k != last {
				s2 += run * run
				last, run = k, 0
			}
			run++
			s1++
		}
		s2 += run * run
		m := s1 / float64(n)
		sumVar += math.Max(s2/float64(n)-m*m, 0)
	}
	for k := range pop {
		pop[k] /= float64(len(g.Trains))
	}
	return chi(variance(pop), sumVar/float64(len(g.Trains)))
}

// CountCorrelation returns the Pearson correlation coefficient of the
// spike counts of a and b in bins of width bin (ms) covering [start, stop]
// (see BinCounts): Cov(c_a, c_b)/(SD(c_a)·SD(c_b)). It is NaN for fewer
// than two bins or when either train's counts do not vary.
func CountCorrelation(a, b Train, start, stop, bin float64) float64 {
	ca := BinCounts(nil, a, start, stop, bin)
	cb := BinCounts(nil, b, start, stop, bin)
	if len(ca) < 2 {
		return math.NaN()
	}
	ma, mb := 0.0, 0.0
	for k := range ca {
		ma += ca[k]
		mb += cb[k]
	}
	ma /= float64(len(ca))
	mb /= float64(len(cb))
	sab, saa, sbb := 0.0, 0.0, 0.0
	for k := range ca {
		da, db := ca[k]-ma, cb[k]-mb
		sab += da * db
		saa += da * da
		sbb += db * db
	}
	if !(saa > 0 && sbb > 0) {
		return math.NaN()
	}
	return sab / math.Sqrt(saa*sbb)
}
