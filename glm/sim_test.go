package glm

import (
	"math"

	"github.com/hebb-snn/hebb/rng"
)

// simulate draws counts y_t ~ Poisson(μ_t) bin by bin from the intensity
// log λ_t = base_t + Σ_{l=1}^{L} filt[l−1]·y_{t−l} (Hz), μ_t = λ_t·dt/1000,
// and returns the counts and the true intensity in Hz. filt may hold −Inf
// (absolute refractoriness).
func simulate(r *rng.Stream, base, filt []float64, dt float64) (y, lam []float64) {
	n := len(base)
	y = make([]float64, n)
	lam = make([]float64, n)
	c := dt / 1000
	var recent []int // bins with spikes within the filter's reach
	for t := range n {
		eta := base[t]
		k := 0
		for _, s := range recent {
			l := t - s
			if l > len(filt) {
				continue
			}
			recent[k] = s
			k++
			eta += filt[l-1] * y[s]
		}
		recent = recent[:k]
		lam[t] = math.Exp(eta)
		if v := r.Poisson(lam[t] * c); v > 0 {
			y[t] = float64(v)
			recent = append(recent, t)
		}
	}
	return y, lam
}

// smoothStimulus returns an AR(1) signal of unit variance with correlation
// time tau bins.
func smoothStimulus(r *rng.Stream, n int, tau float64) []float64 {
	a := math.Exp(-1 / tau)
	b := math.Sqrt(1 - a*a)
	s := make([]float64, n)
	x := r.Normal()
	for t := range s {
		s[t] = x
		x = a*x + b*r.Normal()
	}
	return s
}
