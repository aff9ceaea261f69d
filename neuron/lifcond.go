package neuron

import (
	"fmt"
	"math"

	"github.com/hebb-snn/hebb/param"
)

// Leaky integrate-and-fire neurons with conductance-based synapses, the
// neuron of the COBA benchmark (Brette et al. 2007; NEST iaf_cond_exp and
// iaf_cond_alpha):
//
//	C_m dV/dt = −g_L·(V − E_L) − g_ex·(V − E_ex) − g_in·(V − E_in) + I_e + I_ext
//
// lif_cond_exp: each excitatory event adds its weight w (nS) to g_ex, and
// g_ex decays as dg_ex/dt = −g_ex/τ_syn_ex; likewise g_in with τ_syn_in.
// lif_cond_alpha: each event adds an alpha-shaped conductance
// w·(t/τ_syn)·e^{1 − t/τ_syn}, which peaks at w at t = τ_syn, from
//
//	dg/dt = dg − g/τ_syn,   d(dg)/dt = −dg/τ_syn,   an event adds (e/τ_syn)·w to dg.
//
// Weights are conductances in nS and positive for both receptors. The
// engine delivers inhibitory input with the sign of the weights of the
// projection, negative (model files write inhibitory weights negative,
// for every model); these kernels add its magnitude |in.In| to g_in.
// Inputs arriving at t_{s+1} change the conductances at the end of step s.
//
// When V ≥ V_th at the end of a step the neuron spikes, V is set to
// V_reset and held there for t_ref while the conductances keep evolving.
//
// Integration. The conductances are advanced exactly over a step h:
// g(t+h) = e^{−h/τ}·g (exp), or g(t+h) = e^{−h/τ}·(g + h·dg),
// dg(t+h) = e^{−h/τ}·dg (alpha). V obeys a linear equation whose
// coefficients vary with the conductances. integrator "exponential"
// (default) replaces each conductance by its exact mean over the step,
//
//	ḡ = g·(τ/h)·(1 − e^{−h/τ})                    (exp)
//	ḡ = g·(τ/h)·(1 − e^{−h/τ}) + dg·h·f(h/τ)       (alpha; f(x) = (1 − e^{−x}·(1 + x))/x²)
//
// and solves the equation with these constant conductances exactly:
//
//	g_tot = g_L + ḡ_ex + ḡ_in
//	V_∞   = (g_L·E_L + ḡ_ex·E_ex + ḡ_in·E_in + I_e + I_ext)/g_tot
//	V(t+h) = V_∞ + (V − V_∞)·e^{−h·g_tot/C_m}
//
// The membrane's decay over the step, exp(−∫g_tot dt/C_m), is then exact,
// and only the slower variation of V_∞ within the step is approximated:
// the scheme is second order (the error of V at a fixed time shrinks as
// dt²), exact for constant conductances (steady states, f–I curves), and
// V stays between its start and V_∞, which lies between the reversal
// potentials (without I_e + I_ext): a strong inhibitory conductance pulls V
// towards E_in but never past it, whatever dt. With dt = 0.1 ms and the
// default (COBA) parameters, the PSPs of a 5 nS excitatory and a 20 nS
// inhibitory input (peaks 4.5–12 mV) are within 5e-5 mV of the exact
// solution at every step (forward Euler: 0.03–0.07 mV; measured in
// lifvariants_test.go). It is computed without a division and, for the
// usual dt·g_tot/C_m < 1/2, without an exponential (see phiExp), but still
// costs about three times a forward Euler step. "euler" takes forward Euler
// steps of all variables, V += dt/C_m·(−g_L·(V − E_L) − …), as benchmark
// code often does; it is first order and can overshoot a reversal
// potential when dt·g_tot/C_m is not small.
//
// NEST integrates these models with an adaptive Runge–Kutta–Fehlberg
// solver; the defaults here are those of the COBA benchmark (Vogels &
// Abbott 2005; Brette et al. 2007): τ_m = C_m/g_L = 20 ms.

func lifCondParams(synDoc string) []param.Def {
	return []param.Def{
		{Name: "C_m", Unit: "pF", Default: 200, Range: param.Positive, Doc: "membrane capacitance"},
		{Name: "g_L", Unit: "nS", Default: 10, Range: param.Positive, Doc: "leak conductance (tau_m = C_m/g_L)"},
		{Name: "E_L", Unit: "mV", Default: -60, Doc: "leak reversal (resting) potential"},
		{Name: "E_ex", Unit: "mV", Default: 0, Doc: "excitatory reversal potential"},
		{Name: "E_in", Unit: "mV", Default: -80, Doc: "inhibitory reversal potential"},
		{Name: "V_th", Unit: "mV", Default: -50, Doc: "spike threshold"},
		{Name: "V_reset", Unit: "mV", Default: -60, Doc: "reset potential"},
		{Name: "t_ref", Unit: "ms", Default: 5, Range: param.NonNegative, Doc: "absolute refractory period (a multiple of dt)"},
		{Name: "tau_syn_ex", Unit: "ms", Default: 5, Range: param.Positive, Doc: synDoc + " of excitatory conductances"},
		{Name: "tau_syn_in", Unit: "ms", Default: 10, Range: param.Positive, Doc: synDoc + " of inhibitory conductances"},
		{Name: "I_e", Unit: "pA", Default: 0, Doc: "constant bias current"},
		{Name: "integrator", Kind: param.Choice, Choices: []string{"exponential", "euler"},
			Doc: "exponential: exact conductances, V exact for the step's mean conductances (second order); euler: forward Euler"},
	}
}

func lifCondCheck(v param.Values, dt float64) []ParamError {
	var errs []ParamError
	if t := v.Num("t_ref"); !CheckMultiple(t, dt) {
		errs = append(errs, errorf("t_ref", "%g ms is not a whole number of steps of dt = %g ms", t, dt))
	}
	if v.Num("V_reset") >= v.Num("V_th") {
		errs = append(errs, errorf("V_reset", "must be below V_th (%g mV), got %g mV", v.Num("V_th"), v.Num("V_reset")))
	}
	if v.Num("E_in") >= v.Num("E_ex") {
		errs = append(errs, errorf("E_in", "the inhibitory reversal potential must be below E_ex (%g mV), got %g mV", v.Num("E_ex"), v.Num("E_in")))
	}
	if v.Word("integrator") == "euler" {
		// Forward Euler multiplies a decaying variable by 1 − dt/τ: for
		// dt ≥ τ it flips sign instead of decaying.
		if tm := v.Num("C_m") / v.Num("g_L"); dt >= tm {
			errs = append(errs, errorf("g_L", "forward Euler needs dt (%g ms) below tau_m = C_m/g_L (%g ms); use integrator: exponential", dt, tm))
		}
		for _, p := range []string{"tau_syn_ex", "tau_syn_in"} {
			if tau := v.Num(p); dt >= tau {
				errs = append(errs, errorf(p, "forward Euler needs dt (%g ms) below %s (%g ms); use integrator: exponential", dt, p, tau))
			}
		}
	}
	return errs
}

func init() {
	condState := func(alpha bool) []param.Def {
		s := []param.Def{
			{Name: "V", Kind: param.Random, Unit: "mV", Optional: true, Doc: "membrane potential (initially E_L)"},
			{Name: "g_ex", Kind: param.Random, Unit: "nS", Default: 0, Range: param.NonNegative, Doc: "excitatory conductance"},
			{Name: "g_in", Kind: param.Random, Unit: "nS", Default: 0, Range: param.NonNegative, Doc: "inhibitory conductance"},
		}
		if alpha {
			s = append(s,
				param.Def{Name: "dg_ex", Kind: param.Random, Unit: "nS/ms", Default: 0, Doc: "auxiliary variable of the excitatory alpha conductance (an input adds e·w/tau_syn_ex)"},
				param.Def{Name: "dg_in", Kind: param.Random, Unit: "nS/ms", Default: 0, Doc: "auxiliary variable of the inhibitory alpha conductance (an input adds e·|w|/tau_syn_in)"},
			)
		}
		return s
	}
	Register(&Model{
		Schema: param.Schema{
			Name: "lif_cond_exp",
			Doc: "leaky integrate-and-fire, exponential conductance synapses: an input makes g_ex or g_in jump by |w| " +
				"(nS), driving V towards E_ex or E_in (the COBA benchmark's neuron; NEST iaf_cond_exp)",
			Reference: "Vogels & Abbott 2005, J Neurosci 25:10786; Brette et al. 2007, J Comput Neurosci 23:349 (COBA)",
			Params:    lifCondParams("decay time"),
		},
		State:        condState(false),
		WeightUnit:   "nS",
		TakesCurrent: true,
		Check:        lifCondCheck,
		New: func(n int, v param.Values, env Env) (Kernel, error) {
			c, err := newCondCommon(n, v, env)
			if err != nil {
				return nil, err
			}
			return &lifCondExp{condCommon: c}, nil
		},
	})
	Register(&Model{
		Schema: param.Schema{
			Name: "lif_cond_alpha",
			Doc: "leaky integrate-and-fire, alpha conductance synapses: an input adds |w|·(t/τ_syn)·e^{1−t/τ_syn} " +
				"(nS) to g_ex or g_in, peaking at |w| after τ_syn (NEST iaf_cond_alpha)",
			Reference: "Kuhn, Aertsen & Rotter 2004, J Neurosci 24:2345; Brette et al. 2007, J Comput Neurosci 23:349",
			Params:    lifCondParams("time to peak"),
		},
		State:        condState(true),
		WeightUnit:   "nS",
		TakesCurrent: true,
		Check:        lifCondCheck,
		New: func(n int, v param.Values, env Env) (Kernel, error) {
			c, err := newCondCommon(n, v, env)
			if err != nil {
				return nil, err
			}
			h, te, ti := env.Dt, v.Num("tau_syn_ex"), v.Num("tau_syn_in")
			return &lifCondAlpha{
				condCommon: c,
				dgEx:       make([]float64, n),
				dgIn:       make([]float64, n),
				mdEx:       h * alphaF(h/te),
				mdIn:       h * alphaF(h/ti),
				hdecEx:     h * c.decEx,
				hdecIn:     h * c.decIn,
				jumpEx:     math.E / te,
				jumpIn:     math.E / ti,
			}, nil
		},
	})
}

// condCommon holds what both conductance-based variants share.
type condCommon struct {
	V, gEx, gIn []float64 // mV, nS, nS
	ref         []int32   // remaining refractory steps
	euler       bool

	c, gL, eL, eEx, eIn float64 // C_m (pF), g_L (nS), reversal potentials (mV)
	vth, vreset, ie     float64
	nref                int32   // t_ref in steps
	dt                  float64 // ms
	dtC                 float64 // dt/C_m, for Euler steps
	decEx, decIn        float64 // e^{−dt/τ_syn}: exact decay over a step
	mEx, mIn            float64 // (τ/dt)·(1 − e^{−dt/τ}): mean of a decaying g over a step, per unit of g at its start
	dtTauEx, dtTauIn    float64 // dt/τ_syn, for Euler steps
}

func newCondCommon(n int, v param.Values, env Env) (condCommon, error) {
	tref := v.Num("t_ref")
	nref := Steps(tref, env.Dt)
	if math.Abs(float64(nref)*env.Dt-tref) > 1e-9*math.Max(1, tref) {
		return condCommon{}, fmt.Errorf("t_ref = %g ms is not a multiple of dt = %g ms", tref, env.Dt)
	}
	h, te, ti := env.Dt, v.Num("tau_syn_ex"), v.Num("tau_syn_in")
	k := condCommon{
		V:       make([]float64, n),
		gEx:     make([]float64, n),
		gIn:     make([]float64, n),
		ref:     make([]int32, n),
		euler:   v.Word("integrator") == "euler",
		c:       v.Num("C_m"),
		gL:      v.Num("g_L"),
		eL:      v.Num("E_L"),
		eEx:     v.Num("E_ex"),
		eIn:     v.Num("E_in"),
		vth:     v.Num("V_th"),
		vreset:  v.Num("V_reset"),
		ie:      v.Num("I_e"),
		nref:    int32(nref),
		dt:      h,
		dtC:     h / v.Num("C_m"),
		decEx:   math.Exp(-h / te),
		decIn:   math.Exp(-h / ti),
		mEx:     meanDecay(h / te),
		mIn:     meanDecay(h / ti),
		dtTauEx: h / te,
		dtTauIn: h / ti,
	}
	for i := range k.V {
		k.V[i] = k.eL
	}
	return k, nil
}

// meanDecay is the mean of e^{−t/τ} over t in [0, h], x = h/τ:
// (1 − e^{−x})/x, 1 in the limit x → 0.
func meanDecay(x float64) float64 {
	if x == 0 {
		return 1
	}
	return -math.Expm1(-x) / x
}

// phiExp is φ(x) = (1 − e^{−x})/x (1 at x = 0). The exponential scheme's
// V_∞ + (V − V_∞)·e^{−x}, x = dt·g_tot/C_m, is computed as the Euler
// increment scaled by φ, which needs no division:
//
//	V(t+dt) = V + (dt/C_m)·φ(x)·(g_L·(E_L − V) + g_ex·(E_ex − V) + g_in·(E_in − V) + I).
//
// For |x| < 1/2 (with dt = 0.1 ms and C_m = 200 pF, total conductances up
// to 1 µS, which covers the COBA network's states) φ is the Taylor series
// Σ_{k=0}^{13} (−x)^k/(k+1)!, whose remainder is below 5e-17 relative: as
// accurate as the closed form, and several times faster. The terms are
// grouped (Estrin's scheme) so that the multiplications need not wait on
// each other.
func phiExp(x float64) float64 {
	if x > -0.5 && x < 0.5 {
		return phiTaylor(x)
	}
	return -math.Expm1(-x) / x
}

// phiTaylor is phiExp's series, for |x| < 1/2. Its coefficients are
// written as products with reciprocals: x/24 would be a division, which
// takes as long as several multiplications and cannot overlap with the
// next one; six of them were most of the cost of an exponential step.
func phiTaylor(x float64) float64 {
	x2 := x * x
	x4 := x2 * x2
	x8 := x4 * x4
	return ((1 - x/2) + x2*(1.0/6-x*(1.0/24))) +
		x4*((1.0/120-x*(1.0/720))+x2*(1.0/5040-x*(1.0/40320))) +
		x8*(((1.0/362880-x*(1.0/3628800))+x2*(1.0/39916800-x*(1.0/479001600)))+
			x4*(1.0/6227020800-x*(1.0/87178291200)))
}

func (k *condCommon) condVar(name string) []float64 {
	switch name {
	case "V":
		return k.V
	case "g_ex":
		return k.gEx
	case "g_in":
		return k.gIn
	}
	return nil
}

// lifCondExp is a population of lif_cond_exp neurons.
type lifCondExp struct{ condCommon }

func (k *lifCondExp) Var(name string) []float64 { return k.condVar(name) }

func (k *lifCondExp) Step(lo, hi int, in *Input, out *Output) {
	if k.euler {
		k.stepEuler(lo, hi, in, out)
	} else {
		k.stepExponential(lo, hi, in, out)
	}
}

// ClearsInput reports that Step zeroes in.Ex[lo:hi] and in.In[lo:hi]
// (neuron.InputClearer), with either integrator.
func (k *lifCondExp) ClearsInput() bool { return true }

// Both loops copy the parameters they use into locals: the compiler cannot
// keep fields of *k in registers across the loop's stores.

// stepEuler is Step with forward Euler steps: the AVX2 kernel where there
// is one (lifcond_amd64.s), for all but the last hi−lo mod 4 neurons, and
// the Go loop stepEulerGo for the rest.
func (k *lifCondExp) stepEuler(lo, hi int, in *Input, out *Output) {
	k.stepEulerGo(k.stepEulerSIMD(lo, hi, in, out), hi, in, out)
}

// stepEulerGo is stepEuler in Go. It zeroes the inputs it has read.
func (k *lifCondExp) stepEulerGo(lo, hi int, in *Input, out *Output) {
	V, ref := k.V[lo:hi], k.ref[lo:hi]
	gEx, gIn := k.gEx[lo:hi], k.gIn[lo:hi]
	ex, inh := in.Ex[lo:hi], in.In[lo:hi]
	var iext []float64
	if in.I != nil {
		iext = in.I[lo:hi]
	}
	gL, eL, eEx, eIn, dtC, ie, vth := k.gL, k.eL, k.eEx, k.eIn, k.dtC, k.ie, k.vth
	decEx, decIn := 1-k.dtTauEx, 1-k.dtTauIn
	vreset, nref := k.vreset, k.nref
	for j := range V {
		cur := ie
		if iext != nil {
			cur += iext[j]
		}
		v, ge, gi := V[j], gEx[j], gIn[j]
		if ref[j] > 0 {
			ref[j]--
		} else {
			v += dtC * (gL*(eL-v) + ge*(eEx-v) + gi*(eIn-v) + cur)
		}
		gEx[j], gIn[j] = ge*decEx+ex[j], gi*decIn+math.Abs(inh[j])
		ex[j], inh[j] = 0, 0
		if v >= vth {
			out.Emit(lo+j, 1)
			v = vreset
			ref[j] = nref
		}
		V[j] = v
	}
}

// stepExponential is Step with the exponential integrator. Its inner loop
// makes no call, not even on a path rarely taken: a call makes the
// compiler keep the loop's variables in memory rather than in registers
// (this loop holds too many for that to be cheap). A neuron that spikes,
// or whose conductances are too large for phiTaylor (x ≥ 1/2; see phiExp),
// ends the inner loop; it is dealt with in the outer loop (spike, stepOne),
// and the inner loop resumes with the next neuron. The result is the same,
// bit for bit, as stepOne applied to each neuron in turn (kernels_test.go).
// It zeroes the inputs it has read.
func (k *lifCondExp) stepExponential(lo, hi int, in *Input, out *Output) {
	V, ref := k.V[lo:hi], k.ref[lo:hi]
	gEx, gIn := k.gEx[lo:hi], k.gIn[lo:hi]
	ex, inh := in.Ex[lo:hi], in.In[lo:hi]
	var iext []float64
	if in.I != nil {
		iext = in.I[lo:hi]
	}
	gL, eL, eEx, eIn, dtC, ie, vth := k.gL, k.eL, k.eEx, k.eIn, k.dtC, k.ie, k.vth
	decEx, decIn, mEx, mIn := k.decEx, k.decIn, k.mEx, k.mIn
	for j := 0; j < len(V); j++ {
		slow := false
		for ; j < len(V); j++ {
			cur := ie
			if iext != nil {
				cur += iext[j]
			}
			v, ge, gi := V[j], gEx[j], gIn[j]
			if ref[j] > 0 {
				ref[j]--
			} else {
				gm, hm := ge*mEx, gi*mIn // the conductances' means over the step
				x := dtC * (gL + gm + hm)
				if !(x > -0.5 && x < 0.5) {
					slow = true
					break
				}
				v += dtC * phiTaylor(x) * (gL*(eL-v) + gm*(eEx-v) + hm*(eIn-v) + cur)
			}
			gEx[j], gIn[j] = ge*decEx+ex[j], gi*decIn+math.Abs(inh[j])
			ex[j], inh[j] = 0, 0
			if v >= vth {
				break
			}
			V[j] = v
		}
		switch {
		case slow:
			k.stepOne(lo+j, in, out)
			ex[j], inh[j] = 0, 0
		case j < len(V):
			k.spike(lo+j, out)
		}
	}
}

// stepOne advances neuron i by one step: the plain form of Step's loops.
func (k *lifCondExp) stepOne(i int, in *Input, out *Output) {
	cur := k.ie
	if in.I != nil {
		cur += in.I[i]
	}
	v, ge, gi := k.V[i], k.gEx[i], k.gIn[i]
	decEx, decIn := k.decEx, k.decIn
	if k.euler {
		decEx, decIn = 1-k.dtTauEx, 1-k.dtTauIn
	}
	if k.ref[i] > 0 {
		k.ref[i]--
	} else if k.euler {
		v += k.dtC * (k.gL*(k.eL-v) + ge*(k.eEx-v) + gi*(k.eIn-v) + cur)
	} else {
		gm, hm := ge*k.mEx, gi*k.mIn
		v += k.dtC * phiExp(k.dtC*(k.gL+gm+hm)) * (k.gL*(k.eL-v) + gm*(k.eEx-v) + hm*(k.eIn-v) + cur)
	}
	k.gEx[i], k.gIn[i] = ge*decEx+in.Ex[i], gi*decIn+math.Abs(in.In[i])
	if v >= k.vth {
		k.spike(i, out)
		return
	}
	k.V[i] = v
}

// spike resets neuron i, which has just reached threshold, starts its
// refractory period and emits it.
func (k *condCommon) spike(i int, out *Output) {
	k.V[i], k.ref[i] = k.vreset, k.nref
	out.Emit(i, 1)
}

// lifCondAlpha is a population of lif_cond_alpha neurons.
type lifCondAlpha struct {
	condCommon
	dgEx, dgIn []float64 // auxiliary variables of the alpha conductances, nS/ms

	mdEx, mdIn     float64 // dt·f(dt/τ): mean of g over a step per unit of dg at its start
	hdecEx, hdecIn float64 // dt·e^{−dt/τ}: g(t+dt) per unit of dg(t)
	jumpEx, jumpIn float64 // e/τ_syn: dg jump per nS of weight
}

func (k *lifCondAlpha) Var(name string) []float64 {
	switch name {
	case "dg_ex":
		return k.dgEx
	case "dg_in":
		return k.dgIn
	}
	return k.condVar(name)
}

func (k *lifCondAlpha) Step(lo, hi int, in *Input, out *Output) {
	V, ref := k.V[lo:hi], k.ref[lo:hi]
	gEx, gIn, dgEx, dgIn := k.gEx[lo:hi], k.gIn[lo:hi], k.dgEx[lo:hi], k.dgIn[lo:hi]
	ex, inh := in.Ex[lo:hi], in.In[lo:hi]
	var iext []float64
	if in.I != nil {
		iext = in.I[lo:hi]
	}
	gL, eL, eEx, eIn, dtC, ie, vth := k.gL, k.eL, k.eEx, k.eIn, k.dtC, k.ie, k.vth
	decEx, decIn, hdecEx, hdecIn := k.decEx, k.decIn, k.hdecEx, k.hdecIn
	mEx, mIn, mdEx, mdIn := k.mEx, k.mIn, k.mdEx, k.mdIn
	jumpEx, jumpIn := k.jumpEx, k.jumpIn
	if k.euler {
		// g += dt·(dg − g/τ), dg −= dt·dg/τ
		decEx, decIn, hdecEx, hdecIn = 1-k.dtTauEx, 1-k.dtTauIn, k.dt, k.dt
	}
	for j := range V {
		cur := ie
		if iext != nil {
			cur += iext[j]
		}
		v, ge, gi, dge, dgi := V[j], gEx[j], gIn[j], dgEx[j], dgIn[j]
		if ref[j] > 0 {
			ref[j]--
		} else if k.euler {
			v += dtC * (gL*(eL-v) + ge*(eEx-v) + gi*(eIn-v) + cur)
		} else {
			gm, hm := ge*mEx+dge*mdEx, gi*mIn+dgi*mdIn // the conductances' means over the step
			v += dtC * phiExp(dtC*(gL+gm+hm)) * (gL*(eL-v) + gm*(eEx-v) + hm*(eIn-v) + cur)
		}
		gEx[j], gIn[j] = ge*decEx+dge*hdecEx, gi*decIn+dgi*hdecIn
		dgEx[j], dgIn[j] = dge*decEx+jumpEx*ex[j], dgi*decIn+jumpIn*math.Abs(inh[j])
		if v >= vth {
			out.Emit(lo+j, 1)
			v = k.vreset
			ref[j] = k.nref
		}
		V[j] = v
	}
}
