package neuron

import (
	"fmt"
	"math"
	"strings"

	"github.com/hebb-snn/hebb/param"
)

// The adaptive exponential integrate-and-fire neuron (AdEx) of Brette &
// Gerstner (2005, J Neurophysiol 94:3637):
//
//	C_m dV/dt = −g_L·(V − E_L) + g_L·Δ_T·exp((V − V_T)/Δ_T) − w + I_syn + I_e + I_ext
//	τ_w dw/dt = a·(V − E_L) − w
//	if V ≥ V_peak:  V ← V_r,  w ← w + b,  and V is held at V_r for t_ref
//
// Two registered models differ in their synapses:
//
//	adex:       I_syn = I_ex + I_in,  dI_x/dt = −I_x/τ_syn_x; an input of
//	            weight w (pA) makes I_x jump by w (inhibitory weights are
//	            negative), as NEST's aeif_psc_exp.
//	adex_cond:  I_syn = g_ex·(E_ex − V) + g_in·(E_in − V),  dg_x/dt = −g_x/τ_syn_x;
//	            an input of weight w (nS) makes g_x jump by |w|
//	            (inhibitory weights arrive negative, hebb's sign
//	            convention), as NEST's aeif_cond_exp.
//
// The preset parameter picks one of the firing patterns of Naud et al.
// (2008, Biol Cybern 99:335, Table 1); C_m, g_L, E_L, V_T, Delta_T, tau_w,
// a, b and V_r, when given, override the preset's values. The table also
// gives the step current that evokes each pattern (listed in the preset's
// doc); it is not part of the preset: inject it with a step_current
// stimulus or I_e. Naud et al. do not tabulate V_peak; the default 0 mV
// is where the exponential has long taken over (the time from 0 mV to the
// divergence is about (C_m/g_L)·e^{−(V_peak−V_T)/Δ_T} ≈ 3·10⁻¹⁰ ms for
// the presets).
//
// Integration: classical Runge–Kutta (RK4) with adaptive substeps. A
// substep h ≤ dt is limited by h·|∂V̇/∂V| ≤ 0.2, with
// ∂V̇/∂V = (g_L·(e^{(V−V_T)/Δ_T} − 1) + g_syn)/C_m, by h ≤ 0.2·τ_w, and by
// h·|V̇| ≤ Δ_T (which matters only for drives of tens of nA). Below
// threshold that is one substep per step; as V runs away the substeps
// shrink with the exponential, so the upswing is resolved (about 5
// substeps per Δ_T, ~90 per spike for the presets) instead of being jumped
// over. The right-hand sides are evaluated at min(V, V_peak), so the
// exponential cannot overflow. When a substep ends at V ≥ V_peak, the
// crossing time is located on the cubic Hermite interpolant of the
// substep (which by then is very short), the neuron is reset there, held
// at V_r for t_ref (w keeps relaxing, exactly) and integrated to the end
// of the step: resets and refractory periods are not rounded to the grid,
// only the spike's time stamp is (end of the step). The synaptic currents
// or conductances are evaluated exactly at the RK4 stage times and
// advanced exactly over the step. A neuron emits at most one spike per
// step.
//
// Accuracy (adex_test.go): every spike of the eight presets and of two
// synaptic input trains falls in the step hebb reports, against an
// event-located solution (scipy, rtol 1e-12), at dt = 0.1 and 0.01 ms;
// between spikes V agrees with it to 2·10⁻⁴ mV. Brian2's fixed-step RK4
// at dt = 1 µs is off by up to 0.11 ms and 0.05 mV on the same runs.
//
// Speed: the common case, one substep without a spike, is computed for
// four neurons side by side (step4), which lets the processor overlap
// their chains of dependent exponentials; the exponentials of RK4 stages
// 2–4 come from stage 1's times a short Taylor series (expNear). Both
// keep results bit-identical to the one-neuron path.

// adexKappa bounds h·|∂V̇/∂V| and h/τ_w for the substeps.
const adexKappa = 0.2

// adexPreset holds the parameters of one firing pattern of Naud et al.
// (2008), Table 1: C_m (pF), g_L (nS), E_L, V_T, Δ_T (mV), a (nS), τ_w
// (ms), b (pA), V_r (mV), and the step current I (pA) of the paper.
type adexPreset struct {
	C, gL, EL, VT, DeltaT, a, tauW, b, Vr, I float64
}

// adexPresets are Table 1 of Naud et al. (2008).
var adexPresets = map[string]adexPreset{
	"tonic":                    {200, 10, -70, -50, 2, 2, 30, 0, -58, 500},
	"adapting":                 {200, 12, -70, -50, 2, 2, 300, 60, -58, 500},
	"initial_burst":            {130, 18, -58, -50, 2, 4, 150, 120, -50, 400},
	"regular_bursting":         {200, 10, -58, -50, 2, 2, 120, 100, -46, 210},
	"delayed_accelerating":     {200, 12, -70, -50, 2, -10, 300, 0, -58, 300},
	"delayed_regular_bursting": {100, 10, -65, -50, 2, -10, 90, 30, -47, 110},
	"transient":                {100, 10, -65, -50, 2, 10, 90, 100, -47, 180},
	"irregular":                {100, 12, -60, -50, 2, -11, 130, 30, -48, 160},
}

// adexPresetNames lists the presets in the order of the paper's Fig. 4;
// the first is the default.
var adexPresetNames = []string{"tonic", "adapting", "initial_burst", "regular_bursting",
	"delayed_accelerating", "delayed_regular_bursting", "transient", "irregular"}

// adexParams returns the parameters of adex, or of adex_cond if cond.
func adexParams(cond bool) []param.Def {
	var doc strings.Builder
	doc.WriteString("firing pattern of Naud et al. 2008 Table 1, with the step current that evokes it:")
	for _, n := range adexPresetNames {
		fmt.Fprintf(&doc, " %s (%g pA)", n, adexPresets[n].I)
	}
	p := []param.Def{
		{Name: "preset", Kind: param.Choice, Choices: adexPresetNames, Doc: doc.String()},
		{Name: "C_m", Unit: "pF", Optional: true, Range: param.Positive, Doc: "membrane capacitance (overrides the preset)"},
		{Name: "g_L", Unit: "nS", Optional: true, Range: param.Positive, Doc: "leak conductance (overrides the preset)"},
		{Name: "E_L", Unit: "mV", Optional: true, Doc: "leak reversal potential (overrides the preset)"},
		{Name: "V_T", Unit: "mV", Optional: true, Doc: "threshold of the exponential (overrides the preset)"},
		{Name: "Delta_T", Unit: "mV", Optional: true, Range: param.Positive, Doc: "slope factor Δ_T of the exponential (overrides the preset)"},
		{Name: "tau_w", Unit: "ms", Optional: true, Range: param.Positive, Doc: "adaptation time constant (overrides the preset)"},
		{Name: "a", Unit: "nS", Optional: true, Doc: "subthreshold adaptation (overrides the preset)"},
		{Name: "b", Unit: "pA", Optional: true, Doc: "spike-triggered adaptation: jump of w at a spike (overrides the preset)"},
		{Name: "V_r", Unit: "mV", Optional: true, Doc: "reset potential, below V_peak (overrides the preset)"},
		{Name: "V_peak", Unit: "mV", Default: 0, Doc: "spike cut-off: V is reset when it reaches V_peak (above V_T)"},
		{Name: "t_ref", Unit: "ms", Default: 0, Range: param.NonNegative, Doc: "refractory period: V is held at V_r after a spike"},
		{Name: "I_e", Unit: "pA", Default: 0, Doc: "constant bias current"},
	}
	if cond {
		return append(p,
			param.Def{Name: "E_ex", Unit: "mV", Default: 0, Doc: "reversal potential of excitatory synapses"},
			param.Def{Name: "E_in", Unit: "mV", Default: -80, Doc: "reversal potential of inhibitory synapses"},
			param.Def{Name: "tau_syn_ex", Unit: "ms", Default: 5, Range: param.Positive, Doc: "decay time of excitatory conductances"},
			param.Def{Name: "tau_syn_in", Unit: "ms", Default: 10, Range: param.Positive, Doc: "decay time of inhibitory conductances"},
		)
	}
	return append(p,
		param.Def{Name: "tau_syn_ex", Unit: "ms", Default: 2, Range: param.Positive, Doc: "decay time of excitatory synaptic currents"},
		param.Def{Name: "tau_syn_in", Unit: "ms", Default: 2, Range: param.Positive, Doc: "decay time of inhibitory synaptic currents"},
	)
}

func init() {
	Register(&Model{
		Schema: param.Schema{
			Name:      "adex",
			Doc:       "adaptive exponential integrate-and-fire (AdEx) with exponential current synapses; Naud 2008 presets (NEST aeif_psc_exp)",
			Reference: "Brette & Gerstner 2005, J Neurophysiol 94:3637; presets: Naud et al. 2008, Biol Cybern 99:335",
			Params:    adexParams(false),
		},
		State: []param.Def{
			{Name: "V", Kind: param.Random, Unit: "mV", Optional: true, Doc: "membrane potential (initially E_L)"},
			{Name: "w", Kind: param.Random, Unit: "pA", Default: 0, Doc: "adaptation current"},
			{Name: "I_ex", Kind: param.Random, Unit: "pA", Default: 0, Doc: "excitatory synaptic current"},
			{Name: "I_in", Kind: param.Random, Unit: "pA", Default: 0, Doc: "inhibitory synaptic current"},
		},
		WeightUnit:   "pA",
		TakesCurrent: true,
		Check:        adexCheck,
		New: func(n int, v param.Values, env Env) (Kernel, error) {
			return newAdEx(n, v, env, false)
		},
	})
	Register(&Model{
		Schema: param.Schema{
			Name:      "adex_cond",
			Doc:       "adaptive exponential integrate-and-fire (AdEx) with exponential conductance synapses; Naud 2008 presets (NEST aeif_cond_exp)",
			Reference: "Brette & Gerstner 2005, J Neurophysiol 94:3637; presets: Naud et al. 2008, Biol Cybern 99:335",
			Params:    adexParams(true),
		},
		State: []param.Def{
			{Name: "V", Kind: param.Random, Unit: "mV", Optional: true, Doc: "membrane potential (initially E_L)"},
			{Name: "w", Kind: param.Random, Unit: "pA", Default: 0, Doc: "adaptation current"},
			{Name: "g_ex", Kind: param.Random, Unit: "nS", Default: 0, Doc: "excitatory synaptic conductance"},
			{Name: "g_in", Kind: param.Random, Unit: "nS", Default: 0, Doc: "inhibitory synaptic conductance"},
		},
		WeightUnit:   "nS",
		TakesCurrent: true,
		Check:        adexCheck,
		New: func(n int, v param.Values, env Env) (Kernel, error) {
			return newAdEx(n, v, env, true)
		},
	})
}

// adexValues returns the preset's parameters overridden by given values
// (the I field is left as the preset's step current).
func adexValues(v param.Values) adexPreset {
	p, ok := adexPresets[v.Word("preset")]
	if !ok {
		p = adexPresets[adexPresetNames[0]]
	}
	pick := func(name string, x *float64) {
		if v.Has(name) {
			*x = v.Num(name)
		}
	}
	pick("C_m", &p.C)
	pick("g_L", &p.gL)
	pick("E_L", &p.EL)
	pick("V_T", &p.VT)
	pick("Delta_T", &p.DeltaT)
	pick("tau_w", &p.tauW)
	pick("a", &p.a)
	pick("b", &p.b)
	pick("V_r", &p.Vr)
	return p
}

// adexMaxSubsteps bounds the substeps of one neuron in one step. A normal
// step takes 1 substep, a spike's upswing about 5·(V_peak − V_T)/Δ_T. Only
// a drive that resets the neuron hundreds of times within one step (a
// current of µA) reaches the bound; the rest of that step is then skipped
// so that the simulation cannot stall.
const adexMaxSubsteps = 10000

// adexMaxExponent bounds (V_peak − V_T)/Δ_T: e^500 ≈ 10^217 is still far
// from overflowing a float64, and the upswing then takes ~2500 substeps.
const adexMaxExponent = 500

func adexCheck(v param.Values, dt float64) []ParamError {
	var errs []ParamError
	if w := v.Word("preset"); w != "" {
		if _, ok := adexPresets[w]; !ok {
			errs = append(errs, errorf("preset", "unknown preset %q (want one of %s)", w, strings.Join(adexPresetNames, ", ")))
		}
	}
	p := adexValues(v)
	positive := func(name, unit string, x float64) {
		if !(x > 0) {
			errs = append(errs, errorf(name, "must be positive, got %g %s", x, unit))
		}
	}
	positive("C_m", "pF", p.C)
	positive("g_L", "nS", p.gL)
	positive("Delta_T", "mV", p.DeltaT)
	positive("tau_w", "ms", p.tauW)
	positive("tau_syn_ex", "ms", v.Num("tau_syn_ex"))
	positive("tau_syn_in", "ms", v.Num("tau_syn_in"))
	if t := v.Num("t_ref"); !(t >= 0) {
		errs = append(errs, errorf("t_ref", "must not be negative, got %g ms", t))
	}
	vp := v.Num("V_peak")
	if !(vp > p.VT) {
		errs = append(errs, errorf("V_peak", "must be above V_T (%g mV): the spike is cut where the exponential runs away, got %g mV", p.VT, vp))
	} else if p.DeltaT > 0 && (vp-p.VT)/p.DeltaT > adexMaxExponent {
		errs = append(errs, errorf("V_peak", "(V_peak − V_T)/Delta_T = %g is above %d: the exponential would overflow; lower V_peak or raise Delta_T", (vp-p.VT)/p.DeltaT, adexMaxExponent))
	}
	if !(p.Vr < vp) {
		errs = append(errs, errorf("V_r", "the reset potential must be below V_peak (%g mV), got %g mV", vp, p.Vr))
	}
	return errs
}

func newAdEx(n int, v param.Values, env Env, cond bool) (Kernel, error) {
	if errs := adexCheck(v, env.Dt); len(errs) > 0 {
		return nil, fmt.Errorf("%s: %s", errs[0].Param, errs[0].Msg)
	}
	p := adexValues(v)
	dt := env.Dt
	tex, tin := v.Num("tau_syn_ex"), v.Num("tau_syn_in")
	k := &adex{
		V: make([]float64, n), W: make([]float64, n),
		Sex: make([]float64, n), Sin: make([]float64, n),
		ref:  make([]float64, n),
		cond: cond,
		cinv: 1 / p.C, gL: p.gL, eL: p.EL, vT: p.VT, dT: p.DeltaT, dTinv: 1 / p.DeltaT,
		a: p.a, aW: p.a / p.tauW, tauWinv: 1 / p.tauW, b: p.b, vr: p.Vr,
		vpeak: v.Num("V_peak"), tref: v.Num("t_ref"), ie: v.Num("I_e"),
		tauEx: tex, tauIn: tin,
		dt:   dt,
		hmax: math.Min(dt, adexKappa*p.tauW),
		pEx:  math.Exp(-dt / tex), pIn: math.Exp(-dt / tin),
		pW:  math.Exp(-dt / p.tauW),
		cEx: 1, cIn: 1, sIn: 1,
	}
	k.hEx, k.hIn = math.Exp(-k.hmax/(2*tex)), math.Exp(-k.hmax/(2*tin))
	k.fEx, k.fIn = math.Exp(-k.hmax/tex), math.Exp(-k.hmax/tin)
	if cond {
		k.cEx, k.cIn, k.gOn, k.sIn = v.Num("E_ex"), v.Num("E_in"), 1, -1
	}
	for i := range k.V {
		k.V[i] = p.EL
	}
	return k, nil
}

// adex is a population of AdEx neurons, current- or conductance-based.
//
// Both kinds are written with one synaptic drive: for synaptic variables
// s_ex, s_in (currents in pA or conductances in nS) the synaptic current is
//
//	I_syn = c_ex·s_ex + c_in·s_in − gOn·(s_ex + s_in)·V
//
// with c = 1, gOn = 0 for currents and c = E_rev, gOn = 1 for
// conductances.
type adex struct {
	V, W     []float64 // membrane potential (mV), adaptation current (pA)
	Sex, Sin []float64 // synaptic currents (pA) or conductances (nS)
	ref      []float64 // remaining refractory time, ms
	cond     bool

	cinv, gL, eL, vT, dT, dTinv float64 // 1/C_m, g_L, E_L, V_T, Δ_T, 1/Δ_T
	a, aW, tauWinv, b, vr       float64 // a, a/τ_w, 1/τ_w, b, V_r
	vpeak, tref, ie             float64
	tauEx, tauIn                float64
	cEx, cIn, gOn, sIn          float64 // synaptic drive coefficients, sign of inhibitory input

	dt, hmax float64
	pEx, pIn float64 // e^{−dt/τ_syn}: decay of the synaptic variables over a step
	pW       float64 // e^{−dt/τ_w}
	hEx, hIn float64 // e^{−hmax/(2τ_syn)}: decay to the midpoint of a full substep
	fEx, fIn float64 // e^{−hmax/τ_syn}
}

func (k *adex) Var(name string) []float64 {
	switch name {
	case "V":
		return k.V
	case "w":
		return k.W
	}
	if k.cond {
		switch name {
		case "g_ex":
			return k.Sex
		case "g_in":
			return k.Sin
		}
	} else {
		switch name {
		case "I_ex":
			return k.Sex
		case "I_in":
			return k.Sin
		}
	}
	return nil
}

// rhs returns dV/dt and dw/dt for membrane potential v, adaptation w,
// the synaptic drive isyn = Σ c·s, the synaptic conductance g (0 for
// current synapses) and the constant current I, and the exponential
// e = e^{(V − V_T)/Δ_T}. V is taken as min(V, V_peak): this changes
// nothing below the cut-off, keeps the exponential finite, and keeps an
// RK4 stage that overshoots V_peak from feeding a huge V into w.
//
// The exponential is computed from the one at the substep's start, e0 at
// v0 (≤ V_peak), as e0·e^{(V − v0)/Δ_T}: within a substep V moves by a
// fraction of Δ_T, so the second factor usually comes from its short
// Taylor series (expNear), which is several times faster than math.Exp
// and as accurate; the RK4 stages would otherwise be a chain of three
// math.Exp latencies. Pass e0 = 0 to compute e directly.
func (k *adex) rhs(v, w, isyn, g, I, v0, e0 float64) (dv, dw, e float64) {
	if v > k.vpeak {
		v = k.vpeak
	}
	if e0 == 0 {
		e = math.Exp((v - k.vT) * k.dTinv)
	} else {
		e = e0 * expNear((v-v0)*k.dTinv)
	}
	dv = (k.gL*(k.eL-v+k.dT*e) - w + I + isyn - g*v) * k.cinv
	dw = k.aW*(v-k.eL) - w*k.tauWinv
	return dv, dw, e
}

// expNear returns e^y. For |y| < 1/4 it sums the Taylor series, to the
// y⁸ term when |y| < 1/32 and to the y¹² term otherwise (the first omitted
// term is below 10⁻¹⁷ relative, within rounding); else it calls math.Exp.
// Within an RK4 substep the exponent moves by much less than 1/4, and the
// short polynomial has a fraction of math.Exp's latency.
func expNear(y float64) float64 {
	const (
		c2  = 1.0 / 2
		c3  = c2 / 3
		c4  = c3 / 4
		c5  = c4 / 5
		c6  = c5 / 6
		c7  = c6 / 7
		c8  = c7 / 8
		c9  = c8 / 9
		c10 = c9 / 10
		c11 = c10 / 11
		c12 = c11 / 12
	)
	switch a := math.Abs(y); {
	case a < 1.0/32:
		return 1 + y*(1+y*(c2+y*(c3+y*(c4+y*(c5+y*(c6+y*(c7+y*c8)))))))
	case a < 0.25:
		return 1 + y*(1+y*(c2+y*(c3+y*(c4+y*(c5+y*(c6+y*(c7+y*(c8+y*(c9+y*(c10+y*(c11+y*c12)))))))))))
	}
	return math.Exp(y)
}

func (k *adex) Step(lo, hi int, in *Input, out *Output) {
	V, W := k.V[lo:hi], k.W[lo:hi]
	Sex, Sin, ref := k.Sex[lo:hi], k.Sin[lo:hi], k.ref[lo:hi]
	ex, inh := in.Ex[lo:hi], in.In[lo:hi]
	var iext []float64
	if in.I != nil {
		iext = in.I[lo:hi]
	}
	j := 0
	if k.hmax == k.dt {
		for ; j+adexLanes <= len(V); j += adexLanes {
			k.step4(j, lo, V, W, Sex, Sin, ref, iext, ex, inh, out)
		}
	}
	for ; j < len(V); j++ {
		k.stepOne(j, lo, V, W, Sex, Sin, ref, iext, ex, inh, out)
	}
}

// stepOne advances neuron j of the slices (lo+j in the population).
func (k *adex) stepOne(j, lo int, V, W, Sex, Sin, ref, iext, ex, inh []float64, out *Output) {
	I := k.ie
	if iext != nil {
		I += iext[j]
	}
	s0, s1 := Sex[j], Sin[j]
	v, w, r, spiked := k.advance(V[j], W[j], s0, s1, ref[j], I)
	Sex[j] = s0*k.pEx + ex[j]
	Sin[j] = s1*k.pIn + k.sIn*inh[j]
	if spiked {
		out.Emit(lo+j, 1)
	}
	V[j], W[j], ref[j] = v, w, r
}

// adexLanes is the number of neurons step4 advances together.
const adexLanes = 4

// step4 advances neurons j..j+3 of the slices. Most neuron-steps are one
// RK4 substep of length dt with no spike; step4 computes that substep for
// four neurons side by side, so that the processor overlaps their four
// dependency chains (each stage waits for the previous one's
// exponential), and hands any neuron that is refractory, needs shorter
// substeps or reaches V_peak to stepOne, which recomputes it from the
// start. The arithmetic is advance's, operation for operation, so the
// result does not depend on which path a neuron takes (nor, therefore, on
// how the population is split among threads).
func (k *adex) step4(j, lo int, V, W, Sex, Sin, ref, iext, ex, inh []float64, out *Output) {
	var (
		v, w, se, si, I    [adexLanes]float64
		dv1, dw1, e, v0    [adexLanes]float64
		dv2, dw2, dv3, dw3 [adexLanes]float64
		iM, gM, iE, gE     [adexLanes]float64
		slow               [adexLanes]bool
	)
	h := k.dt
	hh := h / 2
	for l := range adexLanes {
		v[l], w[l], se[l], si[l] = V[j+l], W[j+l], Sex[j+l], Sin[j+l]
		I[l] = k.ie
		if iext != nil {
			I[l] += iext[j+l]
		}
		if ref[j+l] > 0 {
			slow[l] = true
			continue
		}
		i1 := k.cEx*se[l] + k.cIn*si[l]
		g1 := k.gOn * (se[l] + si[l])
		dv1[l], dw1[l], e[l] = k.rhs(v[l], w[l], i1, g1, I[l], 0, 0)
		v0[l] = math.Min(v[l], k.vpeak)
		s := math.Abs(k.gL*(e[l]-1)+g1) * k.cinv
		slow[l] = h*s > adexKappa || h*math.Abs(dv1[l]) > k.dT
		seM, siM, seE, siE := se[l], si[l], se[l], si[l]
		if se[l] != 0 || si[l] != 0 {
			seM, siM, seE, siE = se[l]*k.hEx, si[l]*k.hIn, se[l]*k.fEx, si[l]*k.fIn
		}
		iM[l], gM[l] = k.cEx*seM+k.cIn*siM, k.gOn*(seM+siM)
		iE[l], gE[l] = k.cEx*seE+k.cIn*siE, k.gOn*(seE+siE)
	}
	for l := range adexLanes {
		dv2[l], dw2[l], _ = k.rhs(v[l]+hh*dv1[l], w[l]+hh*dw1[l], iM[l], gM[l], I[l], v0[l], e[l])
	}
	for l := range adexLanes {
		dv3[l], dw3[l], _ = k.rhs(v[l]+hh*dv2[l], w[l]+hh*dw2[l], iM[l], gM[l], I[l], v0[l], e[l])
	}
	for l := range adexLanes {
		dv4, dw4, _ := k.rhs(v[l]+h*dv3[l], w[l]+h*dw3[l], iE[l], gE[l], I[l], v0[l], e[l])
		v1 := v[l] + h/6*(dv1[l]+2*dv2[l]+2*dv3[l]+dv4)
		w1 := w[l] + h/6*(dw1[l]+2*dw2[l]+2*dw3[l]+dw4)
		if slow[l] || !(v1 < k.vpeak) {
			k.stepOne(j+l, lo, V, W, Sex, Sin, ref, iext, ex, inh, out)
			continue
		}
		V[j+l], W[j+l] = v1, w1
		Sex[j+l] = se[l]*k.pEx + ex[j+l]
		Sin[j+l] = si[l]*k.pIn + k.sIn*inh[j+l]
	}
}

// advance integrates one neuron over one step from V = v, w, synaptic
// variables se, si and remaining refractory time r, with constant current
// I. It returns the new v, w, r and whether the neuron spiked.
func (k *adex) advance(v, w, se, si, r, I float64) (float64, float64, float64, bool) {
	spiked := false
	for n, rem := 0, k.dt; rem > 0; n++ {
		if n == adexMaxSubsteps {
			break // runaway drive: see adexMaxSubsteps
		}
		if r > 0 {
			// Refractory: V is held at V_r, w relaxes exactly towards
			// a·(V_r − E_L), the synapses decay.
			d := math.Min(r, rem)
			winf := k.a * (k.vr - k.eL)
			if d == k.dt {
				w = winf + (w-winf)*k.pW
			} else {
				w = winf + (w-winf)*expNear(-d*k.tauWinv)
			}
			v = k.vr
			r -= d
			if d == rem {
				break
			}
			rem -= d
			if se != 0 {
				se *= expNear(-d / k.tauEx)
			}
			if si != 0 {
				si *= expNear(-d / k.tauIn)
			}
			continue
		}
		// Synaptic drive at the start of the substep.
		i1 := k.cEx*se + k.cIn*si
		g1 := k.gOn * (se + si)
		dv1, dw1, e := k.rhs(v, w, i1, g1, I, 0, 0)
		v0 := math.Min(v, k.vpeak)
		h := math.Min(rem, k.hmax)
		if s := math.Abs(k.gL*(e-1)+g1) * k.cinv; h*s > adexKappa {
			h = adexKappa / s
		}
		if h*math.Abs(dv1) > k.dT {
			h = k.dT / math.Abs(dv1)
		}
		// Synaptic variables at the midpoint and the end of the substep.
		seM, siM, seE, siE := se, si, se, si
		if se != 0 || si != 0 {
			if h == k.hmax {
				seM, siM, seE, siE = se*k.hEx, si*k.hIn, se*k.fEx, si*k.fIn
			} else {
				seM, siM = se*expNear(-h/(2*k.tauEx)), si*expNear(-h/(2*k.tauIn))
				seE, siE = se*expNear(-h/k.tauEx), si*expNear(-h/k.tauIn)
			}
		}
		iM, gM := k.cEx*seM+k.cIn*siM, k.gOn*(seM+siM)
		iE, gE := k.cEx*seE+k.cIn*siE, k.gOn*(seE+siE)
		hh := h / 2
		dv2, dw2, _ := k.rhs(v+hh*dv1, w+hh*dw1, iM, gM, I, v0, e)
		dv3, dw3, _ := k.rhs(v+hh*dv2, w+hh*dw2, iM, gM, I, v0, e)
		dv4, dw4, _ := k.rhs(v+h*dv3, w+h*dw3, iE, gE, I, v0, e)
		v1 := v + h/6*(dv1+2*dv2+2*dv3+dv4)
		w1 := w + h/6*(dw1+2*dw2+2*dw3+dw4)
		if v1 < k.vpeak {
			v, w, se, si = v1, w1, seE, siE
			if h == rem {
				break
			}
			rem -= h
			continue
		}
		// V reached V_peak within this substep: locate the crossing on the
		// cubic Hermite interpolant of the substep, reset there.
		th := 0.0
		if v < k.vpeak {
			dv5, dw5, _ := k.rhs(v1, w1, iE, gE, I, v0, e)
			th = crossing(v, v1, h*dv1, h*dv5, k.vpeak)
			w = hermite(w, w1, h*dw1, h*dw5, th)
		}
		w += k.b
		se += th * (seE - se)
		si += th * (siE - si)
		v = k.vr
		r = k.tref
		rem -= th * h
		spiked = true
	}
	return v, w, r, spiked
}

// AdExPresetCurrent returns the step current (pA) with which Naud et al.
// (2008) evoke the firing pattern of an adex preset.
func AdExPresetCurrent(preset string) (pA float64, ok bool) {
	p, ok := adexPresets[preset]
	return p.I, ok
}

// AdExPresets lists the adex presets in the order of Naud et al. (2008).
func AdExPresets() []string { return append([]string(nil), adexPresetNames...) }
