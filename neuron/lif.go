package neuron

import (
	"fmt"
	"math"

	"github.com/hebb-snn/hebb/param"
)

// Leaky integrate-and-fire neurons with current-based synapses:
//
//	τ_m dV/dt = −(V − V_rest) + R_m·(I_syn + I_e + I_ext),   R_m = τ_m / C_m
//
// lif_delta: each synaptic event makes V jump by the weight (mV), as NEST's
// iaf_psc_delta. lif_exp: each event makes I_syn jump by the weight (pA),
// and I_syn decays with τ_syn_ex or τ_syn_in, as NEST's iaf_psc_exp.
// lif_alpha: each event of weight w (pA) adds an alpha-shaped current
//
//	I(t) = w·(t/τ_syn)·e^{1 − t/τ_syn},   t after the event's arrival,
//
// which peaks at exactly w at t = τ_syn (NEST iaf_psc_alpha). It is the
// solution of two linear equations per receptor (ex and in separately),
//
//	dI/dt = dI − I/τ_syn,   d(dI)/dt = −dI/τ_syn,
//
// where an event adds (e/τ_syn)·w to dI (pA/ms).
//
// When V ≥ V_th at the end of a step the neuron spikes, V is set to
// V_reset and held there for t_ref (inputs arriving meanwhile are lost for
// lif_delta; lif_exp's currents keep evolving).
//
// integrator "exact" (default) advances the linear equations with their
// exact propagators (Rotter & Diesmann 1999), so results do not depend on
// dt except through spike times being on the grid; "euler" takes forward
// Euler steps, V += dt/τ_m·(−(V − V_rest) + R_m·I), as textbook code does
// (and likewise for the synaptic currents).
//
// The exact propagator of lif_alpha over a step h, for a neuron that is not
// refractory, with a = 1/τ_syn − 1/τ_m:
//
//	dI(t+h) = e^{−h/τ_syn}·dI
//	I(t+h)  = e^{−h/τ_syn}·(I + h·dI)
//	V(t+h)  = V_rest + e^{−h/τ_m}·(V − V_rest) + R_m·(1 − e^{−h/τ_m})·(I_e + I_ext)
//	          + P32·I + P31·dI
//	P32 = (1/C_m)·e^{−h/τ_m}·(1 − e^{−a·h})/a
//	P31 = (1/C_m)·e^{−h/τ_m}·(1 − e^{−a·h}·(1 + a·h))/a²
//
// both written so that they stay accurate as τ_syn → τ_m (a → 0), where
// P32 → (h/C_m)·e^{−h/τ_m} and P31 → (h²/2C_m)·e^{−h/τ_m}.

func lifParams() []param.Def {
	return []param.Def{
		{Name: "tau_m", Unit: "ms", Default: 10, Range: param.Positive, Doc: "membrane time constant"},
		{Name: "C_m", Unit: "pF", Optional: true, Range: param.Positive, Doc: "membrane capacitance (default 250 pF; give C_m or R_m, not both)"},
		{Name: "R_m", Unit: "Gohm", Optional: true, Range: param.Positive, Doc: "membrane resistance; alternative to C_m, then C_m = tau_m/R_m"},
		{Name: "V_rest", Unit: "mV", Default: -70, Doc: "resting potential"},
		{Name: "V_th", Unit: "mV", Default: -55, Doc: "spike threshold"},
		{Name: "V_reset", Unit: "mV", Default: -70, Doc: "reset potential"},
		{Name: "t_ref", Unit: "ms", Default: 2, Range: param.NonNegative, Doc: "absolute refractory period (a multiple of dt)"},
		{Name: "I_e", Unit: "pA", Default: 0, Doc: "constant bias current"},
		{Name: "integrator", Kind: param.Choice, Choices: []string{"exact", "euler"}, Doc: "exact propagators or forward Euler"},
	}
}

func lifCheck(v param.Values, dt float64) []ParamError {
	var errs []ParamError
	if t := v.Num("t_ref"); !CheckMultiple(t, dt) {
		errs = append(errs, errorf("t_ref", "%g ms is not a whole number of steps of dt = %g ms", t, dt))
	}
	if v.Word("integrator") == "euler" {
		for _, p := range []string{"tau_m", "tau_syn_ex", "tau_syn_in"} {
			if v.Has(p) && dt >= v.Num(p) {
				errs = append(errs, errorf(p, "forward Euler needs dt < %s, got dt = %g ms and %s = %g ms; use a smaller dt or integrator: exact", p, dt, p, v.Num(p)))
			}
		}
	}
	if v.Has("C_m") && v.Has("R_m") {
		errs = append(errs, errorf("R_m", "give C_m or R_m, not both (C_m = tau_m/R_m)"))
	}
	if v.Num("V_reset") >= v.Num("V_th") {
		errs = append(errs, errorf("V_reset", "must be below V_th (%g mV), got %g mV", v.Num("V_th"), v.Num("V_reset")))
	}
	return errs
}

func init() {
	Register(&Model{
		Schema: param.Schema{
			Name:      "lif_delta",
			Doc:       "leaky integrate-and-fire, delta synapses: an input makes V jump by the weight (NEST iaf_psc_delta)",
			Reference: "Lapicque 1907; exact integration: Rotter & Diesmann 1999, Biol Cybern 81:381",
			Params:    lifParams(),
		},
		State: []param.Def{
			{Name: "V", Kind: param.Random, Unit: "mV", Optional: true, Doc: "membrane potential (initially V_rest)"},
		},
		WeightUnit:   "mV",
		TakesCurrent: true,
		Check:        lifCheck,
		New: func(n int, v param.Values, env Env) (Kernel, error) {
			c, err := newLIFCommon(n, v, env)
			if err != nil {
				return nil, err
			}
			return &lifDelta{lifCommon: c}, nil
		},
	})
	exp := lifParams()
	exp = append(exp,
		param.Def{Name: "tau_syn_ex", Unit: "ms", Default: 2, Range: param.Positive, Doc: "decay time of excitatory synaptic currents"},
		param.Def{Name: "tau_syn_in", Unit: "ms", Default: 2, Range: param.Positive, Doc: "decay time of inhibitory synaptic currents"},
	)
	Register(&Model{
		Schema: param.Schema{
			Name:      "lif_exp",
			Doc:       "leaky integrate-and-fire, exponential current synapses: an input makes I_syn jump by the weight (NEST iaf_psc_exp)",
			Reference: "Tsodyks et al. 1998; exact integration: Rotter & Diesmann 1999, Biol Cybern 81:381",
			Params:    exp,
		},
		State: []param.Def{
			{Name: "V", Kind: param.Random, Unit: "mV", Optional: true, Doc: "membrane potential (initially V_rest)"},
			{Name: "I_ex", Kind: param.Random, Unit: "pA", Default: 0, Doc: "excitatory synaptic current"},
			{Name: "I_in", Kind: param.Random, Unit: "pA", Default: 0, Doc: "inhibitory synaptic current"},
		},
		WeightUnit:   "pA",
		TakesCurrent: true,
		Check:        lifCheck,
		New:          newLIFExp,
	})
	alpha := lifParams()
	alpha = append(alpha,
		param.Def{Name: "tau_syn_ex", Unit: "ms", Default: 2, Range: param.Positive, Doc: "time to peak of excitatory alpha currents"},
		param.Def{Name: "tau_syn_in", Unit: "ms", Default: 2, Range: param.Positive, Doc: "time to peak of inhibitory alpha currents"},
	)
	Register(&Model{
		Schema: param.Schema{
			Name: "lif_alpha",
			Doc: "leaky integrate-and-fire, alpha-shaped current synapses: an input of weight w adds " +
				"w·(t/τ_syn)·e^{1−t/τ_syn}, peaking at w after τ_syn (NEST iaf_psc_alpha)",
			Reference: "Rall 1967, J Neurophysiol 30:1138 (alpha function); exact integration: Rotter & Diesmann 1999, Biol Cybern 81:381",
			Params:    alpha,
		},
		State: []param.Def{
			{Name: "V", Kind: param.Random, Unit: "mV", Optional: true, Doc: "membrane potential (initially V_rest)"},
			{Name: "I_ex", Kind: param.Random, Unit: "pA", Default: 0, Doc: "excitatory synaptic current"},
			{Name: "I_in", Kind: param.Random, Unit: "pA", Default: 0, Doc: "inhibitory synaptic current"},
			{Name: "dI_ex", Kind: param.Random, Unit: "pA/ms", Default: 0, Doc: "auxiliary variable of the excitatory alpha current (an input adds e·w/τ_syn_ex)"},
			{Name: "dI_in", Kind: param.Random, Unit: "pA/ms", Default: 0, Doc: "auxiliary variable of the inhibitory alpha current (an input adds e·w/τ_syn_in)"},
		},
		WeightUnit:   "pA",
		TakesCurrent: true,
		Check:        lifCheck,
		New:          newLIFAlpha,
	})
}

// lifCommon holds what the current-based LIF variants share.
type lifCommon struct {
	V     []float64 // membrane potential, mV
	ref   []int32   // remaining refractory steps
	euler bool

	vrest, vth, vreset, ie float64
	r                      float64 // R_m in GΩ
	nref                   int32   // t_ref in steps
	p22                    float64 // exp(−dt/τ_m)
	p20                    float64 // R_m·(1 − exp(−dt/τ_m)): V change per pA of constant current
	dtTau                  float64 // dt/τ_m, for Euler steps
}

func newLIFCommon(n int, v param.Values, env Env) (lifCommon, error) {
	tau := v.Num("tau_m")
	c := 250.0
	if v.Has("C_m") {
		c = v.Num("C_m")
	}
	if v.Has("R_m") {
		c = tau / v.Num("R_m")
	}
	tref := v.Num("t_ref")
	nref := Steps(tref, env.Dt)
	if math.Abs(float64(nref)*env.Dt-tref) > 1e-9*math.Max(1, tref) {
		return lifCommon{}, fmt.Errorf("t_ref = %g ms is not a multiple of dt = %g ms", tref, env.Dt)
	}
	l := lifCommon{
		V:      make([]float64, n),
		ref:    make([]int32, n),
		euler:  v.Word("integrator") == "euler",
		vrest:  v.Num("V_rest"),
		vth:    v.Num("V_th"),
		vreset: v.Num("V_reset"),
		ie:     v.Num("I_e"),
		r:      tau / c,
		nref:   int32(nref),
		p22:    math.Exp(-env.Dt / tau),
		dtTau:  env.Dt / tau,
	}
	l.p20 = l.r * -math.Expm1(-env.Dt/tau)
	for i := range l.V {
		l.V[i] = l.vrest
	}
	return l, nil
}

// lifDelta is a population of lif_delta neurons.
type lifDelta struct{ lifCommon }

func (k *lifDelta) Var(name string) []float64 {
	if name == "V" {
		return k.V
	}
	return nil
}

// ClearsInput reports that Step zeroes in.Ex[lo:hi] and in.In[lo:hi]
// (neuron.InputClearer).
func (k *lifDelta) ClearsInput() bool { return true }

// The Step methods copy the parameters they use into locals before their
// loop: the compiler cannot keep fields of *k in registers across the
// loop's stores, and reloaded them (k.euler included) for every neuron.

// Step uses the AVX2 kernel where there is one (lif_amd64.s; exact
// integration), for all but the last hi−lo mod 4 neurons, and stepGo for
// the rest.
func (k *lifDelta) Step(lo, hi int, in *Input, out *Output) {
	k.stepGo(k.stepSIMD(lo, hi, in, out), hi, in, out)
}

// stepGo is Step in Go. It zeroes the inputs it has read.
func (k *lifDelta) stepGo(lo, hi int, in *Input, out *Output) {
	V, ref := k.V[lo:hi], k.ref[lo:hi]
	ex, inh := in.Ex[lo:hi], in.In[lo:hi]
	var iext []float64
	if in.I != nil {
		iext = in.I[lo:hi]
	}
	euler, vrest, vth, bias := k.euler, k.vrest, k.vth, k.ie
	p22, p20, dtTau, r := k.p22, k.p20, k.dtTau, k.r
	vreset, nref := k.vreset, k.nref
	for j := range V {
		syn := ex[j] + inh[j]
		ex[j], inh[j] = 0, 0
		if ref[j] > 0 {
			ref[j]--
			continue
		}
		cur := bias
		if iext != nil {
			cur += iext[j]
		}
		v := V[j]
		if euler {
			v += dtTau * (vrest - v + r*cur)
		} else {
			v = vrest + (v-vrest)*p22 + p20*cur
		}
		v += syn
		if v >= vth {
			out.Emit(lo+j, 1)
			v = vreset
			ref[j] = nref
		}
		V[j] = v
	}
}

// lifExp is a population of lif_exp neurons.
type lifExp struct {
	lifCommon
	Iex, Iin []float64 // synaptic currents, pA

	p11ex, p11in float64 // exp(−dt/τ_syn)
	p21ex, p21in float64 // V change at t+dt per pA of synaptic current at t
	dtTauEx      float64
	dtTauIn      float64
}

func newLIFExp(n int, v param.Values, env Env) (Kernel, error) {
	c, err := newLIFCommon(n, v, env)
	if err != nil {
		return nil, err
	}
	tm, te, ti := v.Num("tau_m"), v.Num("tau_syn_ex"), v.Num("tau_syn_in")
	return &lifExp{
		lifCommon: c,
		Iex:       make([]float64, n),
		Iin:       make([]float64, n),
		p11ex:     math.Exp(-env.Dt / te),
		p11in:     math.Exp(-env.Dt / ti),
		p21ex:     propagatorIV(env.Dt, tm, te, c.r),
		p21in:     propagatorIV(env.Dt, tm, ti, c.r),
		dtTauEx:   env.Dt / te,
		dtTauIn:   env.Dt / ti,
	}, nil
}

// propagatorIV is the membrane potential reached after h by a neuron at
// rest given a unit synaptic current that decays with τ_s:
//
//	P21 = (R/τ_m)·τ_m·τ_s/(τ_m − τ_s)·(e^{−h/τ_m} − e^{−h/τ_s})
//
// written with expm1 so that it stays accurate as τ_s → τ_m, where it
// tends to (R·h/τ_m)·e^{−h/τ_m}.
func propagatorIV(h, tm, ts, r float64) float64 {
	d := 1/ts - 1/tm
	if math.Abs(d*h) < 1e-12 {
		return r / tm * h * math.Exp(-h/tm)
	}
	return r / tm * math.Exp(-h/tm) * -math.Expm1(-h*d) / d
}

func (k *lifExp) Var(name string) []float64 {
	switch name {
	case "V":
		return k.V
	case "I_ex":
		return k.Iex
	case "I_in":
		return k.Iin
	}
	return nil
}

// ClearsInput reports that Step zeroes in.Ex[lo:hi] and in.In[lo:hi]
// (neuron.InputClearer), with either integrator.
func (k *lifExp) ClearsInput() bool { return true }

// Step uses the AVX2 kernel where there is one (lifexp_amd64.s; exact
// integration), for all but the last hi−lo mod 4 neurons, and stepGo for
// the rest.
func (k *lifExp) Step(lo, hi int, in *Input, out *Output) {
	k.stepGo(k.stepSIMD(lo, hi, in, out), hi, in, out)
}

// stepGo is Step in Go. It zeroes the inputs it has read.
func (k *lifExp) stepGo(lo, hi int, in *Input, out *Output) {
	V, ref := k.V[lo:hi], k.ref[lo:hi]
	Iex, Iin := k.Iex[lo:hi], k.Iin[lo:hi]
	ex, inh := in.Ex[lo:hi], in.In[lo:hi]
	var iext []float64
	if in.I != nil {
		iext = in.I[lo:hi]
	}
	euler, vrest, vth, bias := k.euler, k.vrest, k.vth, k.ie
	p22, p20, p21ex, p21in, p11ex, p11in := k.p22, k.p20, k.p21ex, k.p21in, k.p11ex, k.p11in
	dtTau, r, dtTauEx, dtTauIn := k.dtTau, k.r, k.dtTauEx, k.dtTauIn
	vreset, nref := k.vreset, k.nref
	for j := range V {
		cur := bias
		if iext != nil {
			cur += iext[j]
		}
		v, ie, ii := V[j], Iex[j], Iin[j]
		if euler {
			if ref[j] > 0 {
				ref[j]--
			} else {
				v += dtTau * (vrest - v + r*(ie+ii+cur))
			}
			ie -= dtTauEx * ie
			ii -= dtTauIn * ii
		} else {
			if ref[j] > 0 {
				ref[j]--
			} else {
				v = vrest + (v-vrest)*p22 + p20*cur + p21ex*ie + p21in*ii
			}
			ie *= p11ex
			ii *= p11in
		}
		Iex[j], Iin[j] = ie+ex[j], ii+inh[j]
		ex[j], inh[j] = 0, 0
		if v >= vth {
			out.Emit(lo+j, 1)
			v = vreset
			ref[j] = nref
		}
		V[j] = v
	}
}

// lifAlpha is a population of lif_alpha neurons.
type lifAlpha struct {
	lifCommon
	Iex, Iin   []float64 // synaptic currents, pA
	dIex, dIin []float64 // their auxiliary variables, pA/ms

	ex, in alphaProp // propagators of the excitatory and inhibitory currents
}

// alphaProp holds the per-step propagators of one alpha current with
// time constant τ_s (see the file comment).
type alphaProp struct {
	decay float64 // e^{−h/τ_s}
	hdec  float64 // h·e^{−h/τ_s}: I(t+h) per unit dI(t)
	pI    float64 // P32: V(t+h) per pA of I(t)
	pdI   float64 // P31: V(t+h) per pA/ms of dI(t)
	jump  float64 // e/τ_s: dI jump per pA of weight
	dtTau float64 // h/τ_s, for Euler steps
	dt    float64 // h, for Euler steps
}

func newAlphaProp(h, tm, ts, r float64) alphaProp {
	e := math.Exp(-h / ts)
	return alphaProp{
		decay: e,
		hdec:  h * e,
		pI:    propagatorIV(h, tm, ts, r),
		pdI:   r / tm * math.Exp(-h/tm) * h * h * alphaF(h*(1/ts-1/tm)),
		jump:  math.E / ts,
		dtTau: h / ts,
		dt:    h,
	}
}

// alphaF is f(x) = (1 − e^{−x}·(1 + x))/x² = ∫_0^1 s·e^{−x·s} ds, computed
// from its Taylor series Σ_k (−x)^k/(k!·(k+2)) near 0, where the closed form
// loses digits to cancellation (f(0) = 1/2).
func alphaF(x float64) float64 {
	if math.Abs(x) < 0.5 {
		sum, term := 0.0, 1.0 // term = (−x)^k/k!
		for k := range 20 {   // |x|^20/20! < 1e-24: far below an ulp of f ≥ 0.3
			sum += term / float64(k+2)
			term *= -x / float64(k+1)
		}
		return sum
	}
	return (-math.Expm1(-x) - x*math.Exp(-x)) / (x * x)
}

func newLIFAlpha(n int, v param.Values, env Env) (Kernel, error) {
	c, err := newLIFCommon(n, v, env)
	if err != nil {
		return nil, err
	}
	tm := v.Num("tau_m")
	return &lifAlpha{
		lifCommon: c,
		Iex:       make([]float64, n),
		Iin:       make([]float64, n),
		dIex:      make([]float64, n),
		dIin:      make([]float64, n),
		ex:        newAlphaProp(env.Dt, tm, v.Num("tau_syn_ex"), c.r),
		in:        newAlphaProp(env.Dt, tm, v.Num("tau_syn_in"), c.r),
	}, nil
}

func (k *lifAlpha) Var(name string) []float64 {
	switch name {
	case "V":
		return k.V
	case "I_ex":
		return k.Iex
	case "I_in":
		return k.Iin
	case "dI_ex":
		return k.dIex
	case "dI_in":
		return k.dIin
	}
	return nil
}

func (k *lifAlpha) Step(lo, hi int, in *Input, out *Output) {
	V, ref := k.V[lo:hi], k.ref[lo:hi]
	Iex, Iin, dIex, dIin := k.Iex[lo:hi], k.Iin[lo:hi], k.dIex[lo:hi], k.dIin[lo:hi]
	ex, inh := in.Ex[lo:hi], in.In[lo:hi]
	var iext []float64
	if in.I != nil {
		iext = in.I[lo:hi]
	}
	pe, pi := k.ex, k.in // copies in locals: registers, not reloads
	vrest, p22, p20 := k.vrest, k.p22, k.p20
	for j := range V {
		cur := k.ie
		if iext != nil {
			cur += iext[j]
		}
		v, ie, ii, die, dii := V[j], Iex[j], Iin[j], dIex[j], dIin[j]
		if k.euler {
			if ref[j] > 0 {
				ref[j]--
			} else {
				v += k.dtTau * (k.vrest - v + k.r*(ie+ii+cur))
			}
			ie += pe.dt*die - pe.dtTau*ie
			ii += pi.dt*dii - pi.dtTau*ii
			die -= pe.dtTau * die
			dii -= pi.dtTau * dii
		} else {
			if ref[j] > 0 {
				ref[j]--
			} else {
				v = vrest + (v-vrest)*p22 + p20*cur +
					pe.pI*ie + pe.pdI*die + pi.pI*ii + pi.pdI*dii
			}
			ie = pe.decay*ie + pe.hdec*die
			ii = pi.decay*ii + pi.hdec*dii
			die *= pe.decay
			dii *= pi.decay
		}
		Iex[j], Iin[j] = ie, ii
		dIex[j], dIin[j] = die+pe.jump*ex[j], dii+pi.jump*inh[j]
		if v >= k.vth {
			out.Emit(lo+j, 1)
			v = k.vreset
			ref[j] = k.nref
		}
		V[j] = v
	}
}
