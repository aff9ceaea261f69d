package neuron

import (
	"fmt"
	"math"
	"sort"

	"github.com/hebb-snn/hebb/param"
	"github.com/hebb-snn/hebb/rng"
)

// Renewal and inhomogeneous Poisson spike sources. Each neuron is an
// independent spike train with its own random stream keyed by its global
// id, so results do not depend on the number of threads.
//
// gamma_source: interspike intervals are independent with
//
//	ISI ~ Gamma(k, θ),  θ = 1/(k·r):   mean 1/r,  CV = 1/√k
//
// (k = 1 is a Poisson process; larger k is more regular). The order k is
// any real number ≥ 1; intervals are drawn with the method of Marsaglia &
// Tsang (2000).
//
// dead_time_source: a Poisson process with an absolute dead time τ_ref,
//
//	ISI = τ_ref + X,  X ~ Exp with mean 1/r − τ_ref:   mean 1/r,  CV = 1 − r·τ_ref
//
// which needs r·τ_ref < 1.
//
// Both draw spike times in continuous time and emit each spike in the step
// that contains it, (t_s, t_{s+1}], so that it is stamped at t_{s+1}; a step
// holding several spikes emits once with the count as amplitude. They are
// stationary from the moment they start: the first spike time after start
// is not an ordinary interval but the forward recurrence time of the
// stationary process, with density S(t)/mean(ISI) (S the survival function
// of the ISI; Cox 1962, Renewal Theory). It is drawn as U·X* with U uniform
// and X* the length-biased interval, X* ~ Gamma(k + 1, θ) for gamma_source,
// and for dead_time_source as: with probability r·τ_ref uniform in
// [0, τ_ref), otherwise τ_ref + X. So the rate is r from the first step on,
// not only after a transient.
//
// inhomogeneous_poisson_source: a Poisson process with time-varying rate
// λ(t), either a table (profile: table)
//
//	λ(t) = rates[k] for times[k] ≤ t < times[k+1];  0 before times[0]
//
// switching at the step nearest each time (as step_current), or a
// sinusoid (profile: sinusoid)
//
//	λ(t) = rate + amplitude·sin(2π·frequency·t + phase),  amplitude ≤ rate
//
// with t the simulation time. In step s a neuron emits k ~ Poisson(μ_s)
// spikes with μ_s = ∫ λ(t) dt over the step: exactly the counts of the
// continuous-time process (the integral of the sinusoid is computed in
// closed form; a table is constant over each step).
//
// All three are active from start to stop, like poisson_source.
func init() {
	Register(&Model{
		Schema: param.Schema{
			Name:      "gamma_source",
			Doc:       "independent renewal spike trains with gamma-distributed intervals of order k (CV = 1/√k), stationary from the start",
			Reference: "Marsaglia & Tsang 2000, ACM TOMS 26:363 (gamma deviates); Cox 1962, Renewal Theory",
			Params: append([]param.Def{
				{Name: "rate", Unit: "Hz", Required: true, Range: param.NonNegative, Doc: "firing rate r"},
				{Name: "order", Required: true, Range: param.Positive, Doc: "shape k ≥ 1 of the gamma distribution (1: Poisson; CV = 1/√k); need not be whole"},
			}, renewalWindow()...),
		},
		Source: true,
		Check: func(v param.Values, dt float64) []ParamError {
			if k := v.Num("order"); !(k >= 1) || math.IsInf(k, 1) {
				return []ParamError{errorf("order", "must be a finite number ≥ 1, got %g", k)}
			}
			return nil
		},
		New: newGammaSource,
	})
	Register(&Model{
		Schema: param.Schema{
			Name:      "dead_time_source",
			Doc:       "independent Poisson spike trains with an absolute dead time: ISI = t_ref + exponential (CV = 1 − rate·t_ref), stationary from the start",
			Reference: "Johnson 1996, J Comput Neurosci 3:275; Deger et al. 2012, J Comput Neurosci 32:443 (NEST ppd_sup_generator)",
			Params: append([]param.Def{
				{Name: "rate", Unit: "Hz", Required: true, Range: param.NonNegative, Doc: "firing rate r, including the dead time"},
				{Name: "t_ref", Unit: "ms", Default: 2, Range: param.NonNegative, Doc: "dead time τ_ref; rate·t_ref must be below 1"},
			}, renewalWindow()...),
		},
		Source: true,
		Check: func(v param.Values, dt float64) []ParamError {
			r, tr := v.Num("rate"), v.Num("t_ref")
			if r*tr/1000 >= 1 {
				return []ParamError{errorf("t_ref", "rate·t_ref = %g Hz · %g ms = %.4g must be below 1 (the mean interval 1/rate = %.4g ms must exceed the dead time)", r, tr, r*tr/1000, 1000/r)}
			}
			return nil
		},
		New: newDeadTimeSource,
	})
	Register(&Model{
		Schema: param.Schema{
			Name: "inhomogeneous_poisson_source",
			Doc:  "independent Poisson spike trains with a time-varying rate: a sinusoid rate + amplitude·sin(2π·frequency·t + phase) or a piecewise-constant table (NEST sinusoidal_poisson_generator, inhomogeneous_poisson_generator)",
			Params: append([]param.Def{
				{Name: "profile", Kind: param.Choice, Choices: []string{"sinusoid", "table"}, Doc: "sinusoid: rate, amplitude, frequency, phase; table: times and rates"},
				{Name: "rate", Unit: "Hz", Default: 10, Range: param.NonNegative, Doc: "mean rate of the sinusoid"},
				{Name: "amplitude", Unit: "Hz", Default: 0, Range: param.NonNegative, Doc: "amplitude of the sinusoid, at most rate"},
				{Name: "frequency", Unit: "Hz", Default: 10, Range: param.NonNegative, Doc: "frequency of the sinusoid"},
				{Name: "phase", Default: 0, Doc: "phase of the sinusoid at t = 0, radians"},
				{Name: "times", Kind: param.List, Unit: "ms", Range: param.NonNegative, Doc: "table: times at which the rate changes, increasing (rate 0 before the first)"},
				{Name: "rates", Kind: param.List, Unit: "Hz", Range: param.NonNegative, Doc: "table: rate from each time on"},
			}, renewalWindow()...),
		},
		Source: true,
		Check:  inhomogeneousCheck,
		New:    newInhomogeneousPoisson,
	})
}

func renewalWindow() []param.Def {
	return []param.Def{
		{Name: "start", Unit: "ms", Default: 0, Range: param.NonNegative, Doc: "first moment of activity"},
		{Name: "stop", Unit: "ms", Optional: true, Range: param.NonNegative, Doc: "end of activity (default: never)"},
	}
}

// renewalSource is a population of gamma or dead-time sources. next[i] is
// neuron i's next spike time in units of dt (time t is t/dt), and a spike at
// x ∈ (s, s+1] is emitted in step s.
type renewalSource struct {
	next     []float64
	rng      []rng.Stream
	from, to int64
	isi      func(s *rng.Stream) float64 // draws an interval, in steps
}

func (k *renewalSource) Var(string) []float64 { return nil }

func (k *renewalSource) Step(lo, hi int, in *Input, out *Output) {
	if in.Step < k.from || in.Step >= k.to {
		return
	}
	end := float64(in.Step + 1)
	for i := lo; i < hi; i++ {
		if k.next[i] > end {
			continue
		}
		c := 0
		for k.next[i] <= end {
			c++
			k.next[i] += k.isi(&k.rng[i])
		}
		out.Emit(i, float64(c))
	}
}

// newRenewal sets up the streams and active window; first draws each
// neuron's first spike time after start, in steps.
func newRenewal(n int, v param.Values, env Env, isi, first func(s *rng.Stream) float64) *renewalSource {
	k := &renewalSource{next: make([]float64, n), rng: streams(n, env), isi: isi}
	k.from, k.to = activeSteps(v, env.Dt)
	for i := range k.next {
		k.next[i] = float64(k.from) + first(&k.rng[i])
	}
	return k
}

func neverSpikes(*rng.Stream) float64 { return math.Inf(1) }

func newGammaSource(n int, v param.Values, env Env) (Kernel, error) {
	r, order := v.Num("rate"), v.Num("order")
	if !(order >= 1) || math.IsInf(order, 1) {
		return nil, fmt.Errorf("order must be a finite number ≥ 1, got %g", order)
	}
	if r == 0 {
		return newRenewal(n, v, env, neverSpikes, neverSpikes), nil
	}
	scale := 1000 / (order * r * env.Dt) // θ in steps
	g, g1 := rng.NewGamma(order), rng.NewGamma(order+1)
	isi := func(s *rng.Stream) float64 { return scale * g.Draw(s) }
	first := func(s *rng.Stream) float64 { return scale * s.Float64() * g1.Draw(s) }
	return newRenewal(n, v, env, isi, first), nil
}

func newDeadTimeSource(n int, v param.Values, env Env) (Kernel, error) {
	r, tr := v.Num("rate"), v.Num("t_ref")
	if r*tr/1000 >= 1 {
		return nil, fmt.Errorf("rate·t_ref = %g must be below 1", r*tr/1000)
	}
	if r == 0 {
		return newRenewal(n, v, env, neverSpikes, neverSpikes), nil
	}
	dead := tr / env.Dt         // τ_ref in steps
	mean := 1000 / (r * env.Dt) // 1/r in steps
	expMean := mean - dead      // mean of the exponential part
	pDead := dead / mean        // probability that t = 0 falls in a dead time
	isi := func(s *rng.Stream) float64 { return dead + expMean*s.Exp() }
	first := func(s *rng.Stream) float64 {
		// Forward recurrence time, density S(t)/mean: uniform on [0, τ_ref)
		// with probability τ_ref/mean, else τ_ref + exponential.
		if u := s.Float64(); u < pDead {
			return u * mean // uniform on [0, dead)
		}
		return dead + expMean*s.Exp()
	}
	return newRenewal(n, v, env, isi, first), nil
}

func inhomogeneousCheck(v param.Values, dt float64) []ParamError {
	times, rates := v["times"].List, v["rates"].List
	if v.Word("profile") == "sinusoid" {
		var errs []ParamError
		if len(times) > 0 || len(rates) > 0 {
			errs = append(errs, errorf("times", "times and rates are used by profile table; this source has profile sinusoid"))
		}
		r, a := v.Num("rate"), v.Num("amplitude")
		if !(r >= 0) {
			errs = append(errs, errorf("rate", "must not be negative, got %g Hz", r))
		}
		if !(a >= 0) || a > r {
			errs = append(errs, errorf("amplitude", "must be between 0 and rate = %g Hz so that the rate never goes negative, got %g Hz", r, a))
		}
		return errs
	}
	if len(times) == 0 {
		return []ParamError{errorf("times", "profile table needs times and rates, e.g. times: [0 ms, 100 ms], rates: [10 Hz, 50 Hz]")}
	}
	if len(rates) != len(times) {
		return []ParamError{errorf("rates", "has %d entries but times has %d; give one rate per time", len(rates), len(times))}
	}
	for j, x := range rates {
		if !(x >= 0) {
			return []ParamError{errorf("rates", "rates must not be negative, got %g Hz at %g ms", x, times[j])}
		}
	}
	for j, t := range times {
		if !(t >= 0) {
			return []ParamError{errorf("times", "times must not be negative, got %g ms", t)}
		}
		if j == 0 {
			continue
		}
		if t <= times[j-1] {
			return []ParamError{errorf("times", "times must increase, got %g ms after %g ms", t, times[j-1])}
		}
		if Steps(t, dt) == Steps(times[j-1], dt) {
			return []ParamError{errorf("times", "%g ms and %g ms fall on the same step of dt = %g ms; the rate can change only once per step", times[j-1], t, dt)}
		}
	}
	return nil
}

// inhomogeneousPoisson is a population of inhomogeneous_poisson_source
// neurons.
type inhomogeneousPoisson struct {
	rng      []rng.Stream
	from, to int64
	table    bool
	// table: mean count per step mu[j] from step at[j] on
	at []int64
	mu []float64
	// sinusoid: μ_s = base + gain·sin(ω·(s + 1/2) + φ), ω in radians per step
	base, gain, omega, phase float64
}

func newInhomogeneousPoisson(n int, v param.Values, env Env) (Kernel, error) {
	if errs := inhomogeneousCheck(v, env.Dt); len(errs) > 0 {
		return nil, fmt.Errorf("%s: %s", errs[0].Param, errs[0].Msg)
	}
	k := &inhomogeneousPoisson{rng: streams(n, env), table: v.Word("profile") == "table"}
	k.from, k.to = activeSteps(v, env.Dt)
	if k.table {
		for j, t := range v["times"].List {
			k.at = append(k.at, Steps(t, env.Dt))
			k.mu = append(k.mu, v["rates"].List[j]*env.Dt/1000)
		}
		return k, nil
	}
	// ∫_s^{s+1} (b + a·sin(ω·x + φ)) dx = b + a·(2/ω)·sin(ω/2)·sin(ω·(s + 1/2) + φ),
	// with x the time in steps; the gain tends to a as ω → 0.
	a := v.Num("amplitude") * env.Dt / 1000
	k.base = v.Num("rate") * env.Dt / 1000
	k.omega = 2 * math.Pi * v.Num("frequency") * env.Dt / 1000
	k.phase = v.Num("phase")
	k.gain = a
	if k.omega != 0 {
		k.gain = a * 2 * math.Sin(k.omega/2) / k.omega
	}
	return k, nil
}

func (k *inhomogeneousPoisson) Var(string) []float64 { return nil }

// mean returns μ_s, the expected number of spikes of one neuron in step s.
func (k *inhomogeneousPoisson) mean(s int64) float64 {
	if k.table {
		j := sort.Search(len(k.at), func(j int) bool { return k.at[j] > s }) - 1
		if j < 0 {
			return 0
		}
		return k.mu[j]
	}
	return max(0, k.base+k.gain*math.Sin(k.omega*(float64(s)+0.5)+k.phase))
}

func (k *inhomogeneousPoisson) Step(lo, hi int, in *Input, out *Output) {
	if in.Step < k.from || in.Step >= k.to {
		return
	}
	mu := k.mean(in.Step)
	if mu == 0 {
		return
	}
	if mu >= 30 {
		for i := lo; i < hi; i++ {
			if c := k.rng[i].Poisson(mu); c > 0 {
				out.Emit(i, float64(c))
			}
		}
		return
	}
	// Knuth's method, as rng.Poisson uses below 30 (the same draws), with
	// e^{−μ} computed once per step for every neuron: count the uniforms
	// whose running product stays above e^{−μ}.
	l := math.Exp(-mu)
	for i := lo; i < hi; i++ {
		s := &k.rng[i]
		c := 0
		for p := s.Float64(); p > l; p *= s.Float64() {
			c++
		}
		if c > 0 {
			out.Emit(i, float64(c))
		}
	}
}
