package pointprocess

import (
	"fmt"
	"math"

	"github.com/hebb-snn/hebb/rng"
)

// Poisson appends to dst the event times of a homogeneous Poisson process
// of intensity rate (1/ms) on [t0, t1) (ms) and returns the extended
// slice. The gaps between events are independent Exp(rate) deviates,
// drawn from s. The number of events has mean and variance rate·(t1 − t0).
//
// rate = 0 or t1 ≤ t0 give no events. A negative, infinite or NaN rate,
// or a non-finite t0 or t1, is an error; dst is then returned unchanged.
func Poisson(dst []float64, s *rng.Stream, rate, t0, t1 float64) ([]float64, error) {
	if !(rate >= 0) || math.IsInf(rate, 1) {
		return dst, fmt.Errorf("pointprocess: Poisson rate must be finite and ≥ 0 /ms, got %g", rate)
	}
	if err := checkWindow(t0, t1); err != nil {
		return dst, err
	}
	if rate == 0 || t1 <= t0 {
		return dst, nil
	}
	inv := 1 / rate
	t := t0
	for {
		t += s.Exp() * inv
		if t >= t1 {
			return dst, nil
		}
		dst = append(dst, t)
	}
}

// InhomogeneousPoisson appends to dst the event times on [t0, t1) (ms) of
// a Poisson process with intensity lambda(t) (1/ms) and returns the
// extended slice. It uses the thinning method of Lewis & Shedler (1979):
// candidates are drawn from a homogeneous Poisson process of intensity
// lambdaMax and a candidate at t is kept with probability
// lambda(t)/lambdaMax. lambdaMax must bound lambda on [t0, t1).
//
// lambda is evaluated at every candidate. If a value is negative, NaN or
// larger than lambdaMax, the result would be wrong, so the function stops
// and returns dst as it was on entry with an error naming the time and the
// value. With lambdaMax = 0 (or t1 ≤ t0) there are no candidates and no
// events, and lambda is never called.
func InhomogeneousPoisson(dst []float64, s *rng.Stream, lambda func(t float64) float64, lambdaMax, t0, t1 float64) ([]float64, error) {
	if !(lambdaMax >= 0) || math.IsInf(lambdaMax, 1) {
		return dst, fmt.Errorf("pointprocess: InhomogeneousPoisson bound lambdaMax must be finite and ≥ 0 /ms, got %g", lambdaMax)
	}
	if err := checkWindow(t0, t1); err != nil {
		return dst, err
	}
	if lambdaMax == 0 || t1 <= t0 {
		return dst, nil
	}
	n0 := len(dst)
	inv := 1 / lambdaMax
	t := t0
	for {
		t += s.Exp() * inv
		if t >= t1 {
			return dst, nil
		}
		l := lambda(t)
		if !(l >= 0) || l > lambdaMax {
			return dst[:n0], fmt.Errorf("pointprocess: InhomogeneousPoisson: lambda(%g ms) = %g /ms is outside [0, lambdaMax = %g /ms]", t, l, lambdaMax)
		}
		if s.Float64()*lambdaMax < l {
			dst = append(dst, t)
		}
	}
}

// checkWindow rejects non-finite window ends.
func checkWindow(t0, t1 float64) error {
	if math.IsNaN(t0) || math.IsInf(t0, 0) || math.IsNaN(t1) || math.IsInf(t1, 0) {
		return fmt.Errorf("pointprocess: window [%g, %g) ms must have finite ends", t0, t1)
	}
	return nil
}
