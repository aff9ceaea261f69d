package glm

import (
	"math"

	"github.com/hebb-snn/hebb/pointprocess"
	"github.com/hebb-snn/hebb/rng"
)

// TimeRescalingKS tests the intensity lambda (Hz, one value per bin of
// width dt ms) against the counts y by discrete-time time rescaling and
// returns the Kolmogorov–Smirnov test of the rescaled intervals against
// Exp(1) (pointprocess.KSTest). It treats each bin as "spike" (y_t ≥ 1) or
// "no spike"; a bin with several spikes gives one interval.
//
// With r non-nil it uses the correction of Haslinger, Pipa & Brown (2010,
// Neural Computation 22:2477), exact for a model whose probability of at
// least one spike in bin t is p_t = 1 − e^{−μ_t}, μ_t = λ_t·dt/1000, which
// is the case for the Poisson GLM (the history may depend on the counts).
// The interval ending in the k-th spike bin t_k is
//
//	τ_k = Σ_{t_{k−1} < t < t_k} μ_t + δ_k,   δ_k = −log(1 − u_k·p_{t_k}),
//
// u_k uniform on [0, 1) drawn from r: δ_k places the spike at a random
// point of its bin, drawn from the distribution of the first event's
// integrated intensity given that there is one, and the rest of the spike
// bin is not counted. The first interval starts at bin 0.
//
// With r nil it uses the plain continuous-time approximation
// τ_k = Σ_{t_{k−1} < t ≤ t_k} μ_t (whole bins, the spike bin included),
// which is biased towards long intervals unless μ_t ≪ 1 in the spike bins.
//
// Bins beyond the shorter of y and lambda are ignored. With no spikes it
// returns N = 0 and P = 1.
func TimeRescalingKS(y, lambda []float64, dt float64, r *rng.Stream) pointprocess.KS {
	n := min(len(y), len(lambda))
	c := dt / 1000
	var cum []float64
	run := 0.0
	for t := range n {
		mu := lambda[t] * c
		if y[t] < 1 {
			run += mu
			continue
		}
		if r != nil {
			p := -math.Expm1(-mu)
			run += -math.Log1p(-r.Float64() * p)
		} else {
			run += mu
		}
		cum = append(cum, run)
	}
	return pointprocess.KSTest(pointprocess.Rescale(nil, cum, 0))
}

// KS returns the time-rescaling Kolmogorov–Smirnov test of the fitted
// model on the data it was fitted to: TimeRescalingKS(y, Intensity(), Dt,
// r), with the Haslinger–Pipa–Brown correction when r is not nil.
func (r *Result) KS(s *rng.Stream) pointprocess.KS {
	return TimeRescalingKS(r.y, r.Intensity(), r.Dt, s)
}
