package pointprocess

import (
	"errors"
	"fmt"
	"math"
	"math/cmplx"
	"sort"

	"gonum.org/v1/gonum/mat"

	"github.com/hebb-snn/hebb/rng"
)

// Hawkes is a d-dimensional linear Hawkes process with exponential
// kernels. Dimension i has the conditional intensity (1/ms)
//
//	λ_i(t) = μ_i + Σ_j α_ij·β_i·Σ_{t^j_k < t} exp(−β_i·(t − t^j_k)),
//
// the sum running over the events t^j_k of dimension j strictly before t.
// The kernel from j to i, φ_ij(s) = α_ij·β_i·e^{−β_i·s}, integrates to
// α_ij: α_ij is the branching ratio, the mean number of events of i
// triggered directly by one event of j (dimensionless). The decay rate β_i
// belongs to the receiving dimension i (like a membrane or synaptic time
// constant 1/β_i of the target neuron); give all β_i the same value for a
// single time scale. With one β per target, the intensity of i is one
// exponentially decaying state, so simulation and the compensator cost
// O(d) per event, and the log-likelihood splits into one independent term
// per dimension (see FitHawkes).
//
// The process is stationary if the spectral radius ρ(A) of A = (α_ij) is
// below 1; then the mean rates are Λ = (I − A)⁻¹·μ. Simulate and
// Compensator start from an empty history at t = 0.
type Hawkes struct {
	// Mu holds the baseline intensities μ_i in 1/ms (≥ 0), one per
	// dimension; len(Mu) is the dimension d.
	Mu []float64
	// Alpha holds the branching ratios α_ij (≥ 0, dimensionless) row-major:
	// Alpha[i*d+j] is the effect of events of j on the intensity of i.
	Alpha []float64
	// Beta holds the decay rates β_i in 1/ms (> 0), one per receiving
	// dimension; 1/β_i is the kernel's time constant in ms.
	Beta []float64
}

// Dim returns the dimension d = len(h.Mu).
func (h Hawkes) Dim() int { return len(h.Mu) }

// Validate reports whether the parameters describe a Hawkes process: d ≥ 1,
// len(Alpha) = d², len(Beta) = d, μ_i ≥ 0, α_ij ≥ 0 and β_i > 0, all finite.
func (h Hawkes) Validate() error {
	d := len(h.Mu)
	if d == 0 {
		return errors.New("pointprocess: Hawkes with no dimension (empty Mu)")
	}
	if len(h.Alpha) != d*d || len(h.Beta) != d {
		return fmt.Errorf("pointprocess: Hawkes of dimension %d needs %d alphas and %d betas, got %d and %d", d, d*d, d, len(h.Alpha), len(h.Beta))
	}
	for i, m := range h.Mu {
		if !(m >= 0) || math.IsInf(m, 1) {
			return fmt.Errorf("pointprocess: Hawkes mu[%d] = %g must be finite and ≥ 0 /ms", i, m)
		}
	}
	for k, a := range h.Alpha {
		if !(a >= 0) || math.IsInf(a, 1) {
			return fmt.Errorf("pointprocess: Hawkes alpha[%d][%d] = %g must be finite and ≥ 0", k/d, k%d, a)
		}
	}
	for i, b := range h.Beta {
		if !(b > 0) || math.IsInf(b, 1) {
			return fmt.Errorf("pointprocess: Hawkes beta[%d] = %g must be finite and > 0 /ms", i, b)
		}
	}
	return nil
}

// SpectralRadius returns ρ(A), the largest modulus of the eigenvalues of
// the branching matrix A = (α_ij): the mean number of events in all later
// generations per event, asymptotically. It returns NaN for invalid
// parameters.
func (h Hawkes) SpectralRadius() float64 {
	if h.Validate() != nil {
		return math.NaN()
	}
	d := h.Dim()
	if d == 1 {
		return h.Alpha[0]
	}
	var eig mat.Eigen
	if !eig.Factorize(mat.NewDense(d, d, append([]float64(nil), h.Alpha...)), mat.EigenNone) {
		return math.NaN()
	}
	rho := 0.0
	for _, v := range eig.Values(nil) {
		rho = math.Max(rho, cmplx.Abs(v))
	}
	return rho
}

// Stationary reports whether the parameters are valid and ρ(A) < 1, so
// that a stationary version of the process exists with finite rates.
func (h Hawkes) Stationary() bool { return h.SpectralRadius() < 1 }

// MeanRates returns the stationary mean rates Λ = (I − A)⁻¹·μ in 1/ms. It
// returns an error for invalid or non-stationary parameters (ρ(A) ≥ 1),
// where the rates are infinite.
func (h Hawkes) MeanRates() ([]float64, error) {
	ia, err := h.iMinusA()
	if err != nil {
		return nil, err
	}
	d := h.Dim()
	var x mat.VecDense
	if err := x.SolveVec(ia, mat.NewVecDense(d, append([]float64(nil), h.Mu...))); err != nil {
		return nil, fmt.Errorf("pointprocess: Hawkes I − A: %w", err)
	}
	return append([]float64(nil), x.RawVector().Data...), nil
}

// CountCovariance returns the asymptotic covariance per unit time of the
// event counts, C = lim_{T→∞} Cov(N_i(T), N_j(T))/T in 1/ms, row-major
// d×d (Hawkes 1971): C = (I − A)⁻¹·diag(Λ)·(I − A)⁻ᵀ with Λ the mean
// rates. In one dimension C = μ/(1 − α)³. It returns an error where
// MeanRates does.
func (h Hawkes) CountCovariance() ([]float64, error) {
	rates, err := h.MeanRates()
	if err != nil {
		return nil, err
	}
	ia, _ := h.iMinusA()
	d := h.Dim()
	var inv mat.Dense
	if err := inv.Inverse(ia); err != nil {
		return nil, fmt.Errorf("pointprocess: Hawkes I − A: %w", err)
	}
	var m, c mat.Dense
	m.Mul(&inv, mat.NewDiagDense(d, rates))
	c.Mul(&m, inv.T())
	return append([]float64(nil), c.RawMatrix().Data...), nil
}

// iMinusA returns I − A after checking validity and stationarity.
func (h Hawkes) iMinusA() (*mat.Dense, error) {
	if err := h.Validate(); err != nil {
		return nil, err
	}
	if rho := h.SpectralRadius(); !(rho < 1) {
		return nil, fmt.Errorf("pointprocess: Hawkes is not stationary: spectral radius of alpha %g ≥ 1", rho)
	}
	d := h.Dim()
	ia := mat.NewDense(d, d, nil)
	for i := range d {
		for j := range d {
			v := -h.Alpha[i*d+j]
			if i == j {
				v++
			}
			ia.Set(i, j, v)
		}
	}
	return ia, nil
}

// Simulate returns the events of each dimension on [0, T) (ms), starting
// from an empty history, by Ogata's (1981) thinning: between events the
// total intensity Σ_i λ_i only decays, so its value after the last
// candidate bounds it until the next event; a candidate at t drawn at that
// bound is accepted with probability Σ_i λ_i(t)/bound and assigned to
// dimension i with probability λ_i(t)/Σ_i λ_i(t). The excitation of each
// dimension is one decaying state, so the cost is O(d) per candidate.
//
// maxEvents > 0 limits the total number of events: when it would be
// exceeded (as it will be for a non-stationary process on a long window)
// Simulate stops and returns the events so far with an error. maxEvents ≤ 0
// means no limit. Invalid parameters or a non-finite T give an error.
func (h Hawkes) Simulate(s *rng.Stream, T float64, maxEvents int) ([][]float64, error) {
	if err := h.Validate(); err != nil {
		return nil, err
	}
	if math.IsNaN(T) || math.IsInf(T, 0) {
		return nil, fmt.Errorf("pointprocess: Hawkes window [0, %g) ms must be finite", T)
	}
	d := h.Dim()
	out := make([][]float64, d)
	r := make([]float64, d) // λ_i − μ_i
	muSum := 0.0
	for _, m := range h.Mu {
		muSum += m
	}
	bound := muSum
	t, total := 0.0, 0
	for bound > 0 {
		tn := t + s.Exp()/bound
		if tn >= T {
			break
		}
		dt := tn - t
		t = tn
		lt := muSum
		for i := range r {
			if r[i] != 0 {
				r[i] *= math.Exp(-h.Beta[i] * dt)
				lt += r[i]
			}
		}
		u := s.Float64() * bound
		if u < lt {
			k := d - 1
			c := 0.0
			for i := range d {
				c += h.Mu[i] + r[i]
				if u < c {
					k = i
					break
				}
			}
			if total++; maxEvents > 0 && total > maxEvents {
				return out, fmt.Errorf("pointprocess: Hawkes simulation exceeded %d events by t = %g ms (spectral radius %g)", maxEvents, t, h.SpectralRadius())
			}
			out[k] = append(out[k], t)
			for i := range d {
				jump := h.Alpha[i*d+k] * h.Beta[i]
				r[i] += jump
				lt += jump
			}
		}
		bound = lt
	}
	return out, nil
}

// checkSpikes verifies that spikes has d trains of finite, non-negative,
// non-decreasing times, all below T when T is finite (pass +Inf to skip).
func checkSpikes(spikes [][]float64, d int, T float64) error {
	if len(spikes) != d {
		return fmt.Errorf("pointprocess: %d spike trains for a %d-dimensional process", len(spikes), d)
	}
	for i, tr := range spikes {
		prev := 0.0
		for k, t := range tr {
			if !(t >= prev) || math.IsInf(t, 1) {
				return fmt.Errorf("pointprocess: train %d: time %g ms at index %d is negative, not finite or out of order", i, t, k)
			}
			prev = t
		}
		if len(tr) > 0 && !(tr[len(tr)-1] < T) {
			return fmt.Errorf("pointprocess: train %d: last time %g ms is not before the end T = %g ms", i, tr[len(tr)-1], T)
		}
	}
	return nil
}

// merge returns the events of all trains in time order (ties by
// dimension) with their dimensions, in O(n·d).
func merge(spikes [][]float64) (times []float64, dims []int32) {
	n := 0
	for _, tr := range spikes {
		n += len(tr)
	}
	times = make([]float64, 0, n)
	dims = make([]int32, 0, n)
	head := make([]int, len(spikes))
	for range n {
		best := -1
		for j, tr := range spikes {
			if head[j] < len(tr) && (best < 0 || tr[head[j]] < spikes[best][head[best]]) {
				best = j
			}
		}
		times = append(times, spikes[best][head[best]])
		dims = append(dims, int32(best))
		head[best]++
	}
	return times, dims
}

// Intensity writes into dst (grown as needed and returned) the conditional
// intensities λ_i(t) (1/ms) given the events in spikes (one sorted train
// per dimension, ms) strictly before t. It sums the kernels directly,
// newest first, stopping where they underflow: O(d·n) at most; use
// Compensator for whole trains.
func (h Hawkes) Intensity(dst []float64, t float64, spikes [][]float64) ([]float64, error) {
	if err := h.Validate(); err != nil {
		return dst, err
	}
	d := h.Dim()
	if err := checkSpikes(spikes, d, math.Inf(1)); err != nil {
		return dst, err
	}
	dst = append(dst[:0], h.Mu...)
	for i := range d {
		b := h.Beta[i]
		for j, tr := range spikes {
			a := h.Alpha[i*d+j]
			if a == 0 {
				continue
			}
			sum := 0.0
			for k := sort.SearchFloat64s(tr, t) - 1; k >= 0; k-- {
				x := b * (t - tr[k])
				if x > 745 { // e^{−745} underflows; older events add nothing
					break
				}
				sum += math.Exp(-x)
			}
			dst[i] += a * b * sum
		}
	}
	return dst, nil
}

// Compensator returns, for each dimension i, the cumulative intensity
// Λ_i(t) = ∫_0^t λ_i(s) ds at each event t of train i, with an empty
// history at 0 (Λ_i(0) = 0, dimensionless):
//
//	Λ_i(t) = μ_i·t + Σ_j α_ij·Σ_{t^j_k < t} (1 − e^{−β_i·(t − t^j_k)}).
//
// It walks the merged events once, adding on each interval (s, t] the
// increment μ_i·(t − s) + E_i(s)·(1 − e^{−β_i·(t − s)}), E_i the kernel
// mass still to come, so the cost is O(d) per event and the values are
// sums of positive terms. spikes holds one sorted train per dimension (ms).
func (h Hawkes) Compensator(spikes [][]float64) ([][]float64, error) {
	if err := h.Validate(); err != nil {
		return nil, err
	}
	d := h.Dim()
	if err := checkSpikes(spikes, d, math.Inf(1)); err != nil {
		return nil, err
	}
	times, dims := merge(spikes)
	out := make([][]float64, d)
	for i := range out {
		out[i] = make([]float64, 0, len(spikes[i]))
	}
	cum := make([]float64, d)
	e := make([]float64, d)
	last := 0.0
	for k, t := range times {
		dt := t - last
		if dt > 0 {
			for i := range d {
				cum[i] += h.Mu[i] * dt
				if e[i] != 0 {
					f := -math.Expm1(-h.Beta[i] * dt)
					cum[i] += e[i] * f
					e[i] -= e[i] * f
				}
			}
			last = t
		}
		j := int(dims[k])
		out[j] = append(out[j], cum[j])
		for i := range d {
			e[i] += h.Alpha[i*d+j]
		}
	}
	return out, nil
}

// RescaledIntervals returns, for each dimension, the time-rescaled
// intervals τ_k = Λ_i(t_k) − Λ_i(t_{k−1}) of its events (Λ_i(t_0) = 0 at
// the start of the observation, t = 0), by Compensator and Rescale. Under
// the model they are independent Exp(1); test them with KSTest.
func (h Hawkes) RescaledIntervals(spikes [][]float64) ([][]float64, error) {
	cum, err := h.Compensator(spikes)
	if err != nil {
		return nil, err
	}
	out := make([][]float64, len(cum))
	for i, c := range cum {
		out[i] = Rescale(nil, c, 0)
	}
	return out, nil
}

// KSTests returns KSTest of the rescaled intervals of each dimension.
func (h Hawkes) KSTests(spikes [][]float64) ([]KS, error) {
	tau, err := h.RescaledIntervals(spikes)
	if err != nil {
		return nil, err
	}
	out := make([]KS, len(tau))
	for i, t := range tau {
		out[i] = KSTest(t)
	}
	return out, nil
}
