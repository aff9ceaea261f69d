package neuron

import (
	"fmt"
	"math"

	"github.com/hebb-snn/hebb/param"
	"github.com/hebb-snn/hebb/rng"
)

// The escape-noise neuron (a point-process or GLM neuron, as NEST's
// pp_psc_delta and the spike-history GLM of Pillow et al. 2008). It has no
// hard threshold; instead it fires at random with an instantaneous rate,
// the conditional intensity (hazard) λ, that depends on its membrane
// potential u and on its own past spikes:
//
//	τ_m du/dt = −(u − E_L) + R_m·(I_e + I_ext),   R_m = τ_m / C_m
//	u jumps by the weight (mV) when a synaptic input arrives
//
//	λ(t) = f(u(t) + η(t))
//	  exponential:  f(v) = λ_0 · exp((v − θ)/Δu)
//	  sigmoid:      f(v) = λ_max / (1 + exp(−(v − θ)/Δu))
//
//	η(t) = Σ_spikes t̂ Σ_k a_k · exp(−(t − t̂)/τ_k)   (spike-history kernel, mV)
//
// with λ = 0 for t_ref after each spike (absolute refractoriness). The
// history kernel η is added to u after each spike: negative amplitudes a_k
// make the neuron relatively refractory (or adapting, for long τ_k),
// positive ones make it burst. If with_reset is set, u is also set back to
// E_L at each spike (NEST pp_psc_delta's with_reset); otherwise u keeps
// integrating through spikes and refractoriness, as in a GLM.
//
// One step from t_s to t_{s+1}, in NEST's order: u is advanced with its
// exact propagator (constant current over the step) and the synaptic input
// arriving at t_{s+1} is added; each history component decays by
// exp(−dt/τ_k); the hazard of the step is λ_s = f(u(t_{s+1}) + η(t_{s+1}))
// (0 while refractory); the neuron spikes, with the spike stamped at
// t_{s+1}, with probability
//
//	P(spike in step s | no spike since the last one) = 1 − exp(−λ_s·dt).
//
// This is exact for a hazard that is constant over the step: it is the
// probability that a Poisson process of rate λ_s has an event in the step,
// and the spike time is that event rounded up to the end of the step. So
// with a constant hazard and no refractoriness interspike intervals are
// geometric in steps, with mean dt/(1 − e^{−λ·dt}) ≈ 1/λ + dt/2; the
// emitted rate (1 − e^{−λ·dt})/dt ≈ λ·(1 − λ·dt/2). After a spike at
// t_{s+1} the hazard is 0 in the next t_ref/dt steps, so the shortest
// interspike interval is t_ref + dt.
//
// The draw is made by time rescaling: after each spike a neuron draws a
// threshold E ~ Exp(1) from its own random stream (keyed by its global id)
// and accumulates the integrated hazard Λ = Σ λ_s·dt over the following
// steps; it spikes in the first step where Λ ≥ E. Because
// P(E > Λ_{s−1} + λ_s·dt | E > Λ_{s−1}) = exp(−λ_s·dt), this is the same
// process as a Bernoulli draw with probability 1 − exp(−λ_s·dt) in every
// step, at the cost of one random number per spike instead of per step.
// The state variable lambda holds λ_s, the hazard used in the step just
// taken; Σ λ_s·dt between spikes is the rescaled time of the
// time-rescaling theorem (Brown et al. 2002).

func init() {
	Register(&Model{
		Schema: param.Schema{
			Name: "escape",
			Doc:  "escape-noise (point-process, GLM) neuron: spikes at random with hazard λ = f(u + η), delta synapses, spike-history kernel η and absolute refractoriness (NEST pp_psc_delta)",
			Reference: "Gerstner & Kistler 2002, Spiking Neuron Models, ch. 5.3; Pillow et al. 2008, Nature 454:995; " +
				"Jolivet et al. 2006, J Neurophysiol 96:3221; time rescaling: Brown et al. 2002, Neural Comput 14:325",
			Params: []param.Def{
				{Name: "tau_m", Unit: "ms", Default: 10, Range: param.Positive, Doc: "membrane time constant τ_m"},
				{Name: "C_m", Unit: "pF", Default: 250, Range: param.Positive, Doc: "membrane capacitance C_m (R_m = τ_m/C_m)"},
				{Name: "E_L", Unit: "mV", Default: -70, Doc: "resting potential E_L"},
				{Name: "I_e", Unit: "pA", Default: 0, Doc: "constant bias current"},
				{Name: "hazard", Kind: param.Choice, Choices: []string{"exponential", "sigmoid"}, Doc: "the function f: λ_0·exp((v − θ)/Δu) or λ_max/(1 + exp(−(v − θ)/Δu))"},
				{Name: "theta", Unit: "mV", Default: -55, Doc: "soft threshold θ: λ = λ_0 (exponential) or λ_max/2 (sigmoid) at u + η = θ"},
				{Name: "delta_u", Unit: "mV", Default: 3, Range: param.Positive, Doc: "sharpness Δu of the threshold (smaller: more deterministic)"},
				{Name: "lambda_0", Unit: "Hz", Default: 10, Range: param.NonNegative, Doc: "hazard at θ (exponential)"},
				{Name: "lambda_max", Unit: "Hz", Default: 200, Range: param.NonNegative, Doc: "maximal hazard (sigmoid)"},
				{Name: "t_ref", Unit: "ms", Default: 2, Range: param.NonNegative, Doc: "absolute refractory period: λ = 0 for this long after a spike (a multiple of dt)"},
				{Name: "history_amplitudes", Kind: param.List, Unit: "mV", Doc: "amplitudes a_k of the spike-history kernel (negative: relative refractoriness); default none"},
				{Name: "history_taus", Kind: param.List, Unit: "ms", Range: param.Positive, Doc: "time constants τ_k of the spike-history kernel, one per amplitude"},
				{Name: "with_reset", Kind: param.Flag, Default: 0, Doc: "set u to E_L at each spike (default: u is not reset)"},
			},
		},
		State: []param.Def{
			{Name: "u", Kind: param.Random, Unit: "mV", Optional: true, Doc: "membrane potential (initially E_L)"},
			{Name: "eta", Kind: param.Random, Unit: "mV", Default: 0, Doc: "spike-history term η; an initial value decays with the first history time constant"},
			{Name: "lambda", Kind: param.Random, Unit: "Hz", Default: 0, Output: true, Doc: "hazard λ used in the last step (an output: initial values are overwritten)"},
		},
		WeightUnit:   "mV",
		TakesCurrent: true,
		Check:        escapeCheck,
		New:          newEscape,
	})
}

func escapeCheck(v param.Values, dt float64) []ParamError {
	var errs []ParamError
	if t := v.Num("t_ref"); !(t >= 0) {
		errs = append(errs, errorf("t_ref", "must not be negative, got %g ms", t))
	} else if !CheckMultiple(t, dt) {
		errs = append(errs, errorf("t_ref", "%g ms is not a whole number of steps of dt = %g ms", t, dt))
	}
	if d := v.Num("delta_u"); !(d > 0) {
		errs = append(errs, errorf("delta_u", "must be positive, got %g mV", d))
	}
	for _, p := range []string{"lambda_0", "lambda_max"} {
		if x := v.Num(p); !(x >= 0) {
			errs = append(errs, errorf(p, "a hazard must not be negative, got %g Hz", x))
		}
	}
	amps, taus := v["history_amplitudes"].List, v["history_taus"].List
	if len(amps) != len(taus) {
		errs = append(errs, errorf("history_taus", "has %d entries but history_amplitudes has %d; give one time constant per amplitude", len(taus), len(amps)))
	}
	for _, tau := range taus {
		if !(tau > 0) {
			errs = append(errs, errorf("history_taus", "time constants must be positive, got %g ms", tau))
			break
		}
	}
	return errs
}

// escapeNeurons is a population of escape-noise neurons.
type escapeNeurons struct {
	U      []float64 // membrane potential, mV
	Eta    []float64 // history term η = Σ_k η_k, mV
	Lambda []float64 // hazard used in the last step, Hz
	// hist[c][i] is history component η_{c+1} of neuron i; the first
	// component η_0 is Eta − Σ of the others, so that a value written to
	// Eta (an initial condition) decays with τ_0.
	hist [][]float64
	rem  []float64 // E − Λ: integrated hazard still to go before the next spike
	ref  []int32   // remaining refractory steps
	rng  []rng.Stream

	sigmoid   bool
	reset     bool
	el, ie    float64
	p22, p20  float64   // exp(−dt/τ_m) and R_m·(1 − exp(−dt/τ_m))
	theta     float64   // θ, mV
	invDu     float64   // 1/Δu, 1/mV
	lam       float64   // λ_0 or λ_max, Hz
	dtSeconds float64   // dt in s: λ·dtSeconds is the integrated hazard of a step
	amp       []float64 // a_k, mV
	ampSum    float64   // Σ_k a_k: the jump of η at a spike
	decay     []float64 // exp(−dt/τ_k)
	nref      int32
}

func newEscape(n int, v param.Values, env Env) (Kernel, error) {
	if errs := escapeCheck(v, env.Dt); len(errs) > 0 {
		return nil, fmt.Errorf("%s: %s", errs[0].Param, errs[0].Msg)
	}
	tau, c := v.Num("tau_m"), v.Num("C_m")
	k := &escapeNeurons{
		U:         make([]float64, n),
		Eta:       make([]float64, n),
		Lambda:    make([]float64, n),
		rem:       make([]float64, n),
		ref:       make([]int32, n),
		rng:       streams(n, env),
		sigmoid:   v.Word("hazard") == "sigmoid",
		reset:     v.Flag("with_reset"),
		el:        v.Num("E_L"),
		ie:        v.Num("I_e"),
		p22:       math.Exp(-env.Dt / tau),
		p20:       tau / c * -math.Expm1(-env.Dt/tau),
		theta:     v.Num("theta"),
		invDu:     1 / v.Num("delta_u"),
		lam:       v.Num("lambda_0"),
		dtSeconds: env.Dt / 1000,
		nref:      int32(Steps(v.Num("t_ref"), env.Dt)),
	}
	if k.sigmoid {
		k.lam = v.Num("lambda_max")
	}
	for j, a := range v["history_amplitudes"].List {
		k.amp = append(k.amp, a)
		k.ampSum += a
		k.decay = append(k.decay, math.Exp(-env.Dt/v["history_taus"].List[j]))
	}
	for range len(k.amp) - 1 {
		k.hist = append(k.hist, make([]float64, n))
	}
	for i := range n {
		k.U[i] = k.el
		k.rem[i] = k.rng[i].Exp()
	}
	return k, nil
}

func (k *escapeNeurons) Var(name string) []float64 {
	switch name {
	case "u":
		return k.U
	case "eta":
		return k.Eta
	case "lambda":
		return k.Lambda
	}
	return nil
}

func (k *escapeNeurons) Step(lo, hi int, in *Input, out *Output) {
	U, eta, lam := k.U[lo:hi], k.Eta[lo:hi], k.Lambda[lo:hi]
	rem, ref, rs := k.rem[lo:hi], k.ref[lo:hi], k.rng[lo:hi]
	ex, inh := in.Ex[lo:hi], in.In[lo:hi]
	ex, inh = ex[:len(U)], inh[:len(U)]
	var iext []float64
	if in.I != nil {
		iext = in.I[lo:hi]
	}
	el, ie, p22, p20 := k.el, k.ie, k.p22, k.p20
	theta, invDu, lam0, dts := k.theta, k.invDu, k.lam, k.dtSeconds
	hasHist := len(k.amp) > 0
	d0 := 0.0
	if hasHist {
		d0 = k.decay[0]
	}
	for j := range U {
		cur := ie
		if iext != nil {
			cur += iext[j]
		}
		// Membrane: exact step with constant current, then the synaptic
		// jumps arriving at t_{s+1}.
		u := el + (U[j]-el)*p22 + p20*cur + ex[j] + inh[j]

		// History: each component decays to t_{s+1}.
		e := 0.0
		if hasHist {
			first := eta[j]
			for c, h := range k.hist {
				x := h[lo+j]
				first -= x
				x *= k.decay[c+1]
				h[lo+j] = x
				e += x
			}
			e += first * d0
		}

		// Hazard of the step (0 while refractory); spike when the
		// integrated hazard since the last spike reaches E.
		l := 0.0
		if ref[j] > 0 {
			ref[j]--
		} else {
			x := (u + e - theta) * invDu
			if k.sigmoid {
				l = lam0 / (1 + math.Exp(-x))
			} else {
				l = lam0 * math.Exp(x)
			}
			rem[j] -= l * dts
			if rem[j] <= 0 {
				out.Emit(lo+j, 1)
				rem[j] = rs[j].Exp() // the next threshold E
				ref[j] = k.nref
				for c, h := range k.hist {
					h[lo+j] += k.amp[c+1]
				}
				e += k.ampSum
				if k.reset {
					u = el
				}
			}
		}
		U[j], eta[j], lam[j] = u, e, l
	}
}
