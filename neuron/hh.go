package neuron

import (
	"math"
	"slices"

	"github.com/hebb-snn/hebb/param"
)

// The Hodgkin–Huxley squid giant axon (Hodgkin & Huxley 1952), one
// isopotential compartment, in the modern sign convention (rest ≈ −65 mV,
// as NEURON's hh.mod):
//
//	C dV/dt = −g_Na·m³h·(V − E_Na) − g_K·n⁴·(V − E_K) − g_L·(V − E_L) + I
//	dx/dt   = φ·(α_x(V)·(1 − x) − β_x(V)·x),     x = m, h, n
//	φ       = 3^((celsius − 6.3 °C)/10 °C)       (Q10 = 3)
//
// with the 1952 rate functions (1/ms, V in mV):
//
//	α_m = 0.1·(V + 40)/(1 − exp(−(V + 40)/10))    β_m = 4·exp(−(V + 65)/18)
//	α_h = 0.07·exp(−(V + 65)/20)                  β_h = 1/(1 + exp(−(V + 35)/10))
//	α_n = 0.01·(V + 55)/(1 − exp(−(V + 55)/10))   β_n = 0.125·exp(−(V + 65)/80)
//
// α_m and α_n are 0/0 at V = −40 and −55 mV; there they take their limits
// 1 and 0.1/ms (a series is used within 1e-3 mV of the singular points).
//
// Units: conductances, capacitance and currents are densities (mS/cm²,
// µF/cm², µA/cm²), so that textbook protocols can be written directly:
// I_e is a current density. Currents in pA — injected currents (stimuli,
// Input.I) and synaptic currents — are divided by the membrane area:
// 1 pA on area A µm² is 100/A µA/cm². The default area, 10 000 µm²
// (1e-4 cm², C = 100 pF), is that of NEST's hh_psc_alpha, so that 1 µA/cm²
// corresponds to 100 pA.
//
// Synapses are exponential currents, as lif_exp: an input of weight w (pA)
// makes I_ex (or I_in, w < 0) jump by w at the end of the step in which it
// arrives, and each decays with τ_syn_ex (τ_syn_in); I = I_e + (I_ext + I_ex
// + I_in)·100/area.
//
// Spikes: a neuron spikes when V crosses V_spike (default 0 mV) upwards;
// there is no reset and no refractory period — the dynamics produce them.
// Crossings are detected on every substep, so one is not missed when V
// goes up and down within a step, and each crossing counts once: V must
// fall below V_spike before the next one. The spike is stamped at the end
// of the step in which V crosses (hebb's convention), so a stamp is up to
// one dt later than the crossing itself. A neuron emits once per step with
// amplitude 1 (the number of crossings in the step, should dt exceed an
// interspike interval).
//
// Integration: classical fourth-order Runge–Kutta on (V, m, h, n), with
// each step of dt split into equal substeps no longer than max_substep/φ
// (default 0.01 ms at 6.3 °C, shorter at higher temperatures, where the
// gates are faster by φ), and never longer than 2·C_m/(g_Na + g_K + g_L)
// (0.0128 ms with the defaults), which keeps RK4 stable at the peak of a
// spike, where the membrane time constant falls to C_m/(g_Na·m³h + ...).
// The synaptic currents enter each Runge–Kutta stage with their exact
// exponential decay; the injected current is constant over the step.
// Accuracy with the defaults: spike times over 1 s of repetitive firing
// differ from those with 0.001 ms substeps by less than 1e-5 ms, and
// agree with NEURON's (CVODE, lookup tables off) within 2e-4 ms; what
// depends on dt is only the stamp on the step grid (see hh_test.go).
//
// Initial state: V = −65 mV unless set (NEURON's default v_init); m, h and
// n, unless set, take their steady-state values x∞ = α_x/(α_x + β_x) at the
// V a neuron starts from (Start, called once the initial values are set).

func init() {
	Register(&Model{
		Schema: param.Schema{
			Name:      "hh",
			Doc:       "Hodgkin–Huxley squid axon (1952 rates, modern convention, rest −65 mV, as NEURON's hh), densities per cm², exponential current synapses, spike = upward crossing of V_spike",
			Reference: "Hodgkin & Huxley 1952, J Physiol 117:500; rates as in NEURON's hh.mod",
			Params: []param.Def{
				{Name: "g_Na", Unit: "mS/cm^2", Default: 120, Range: param.NonNegative, Doc: "maximal sodium conductance density"},
				{Name: "g_K", Unit: "mS/cm^2", Default: 36, Range: param.NonNegative, Doc: "maximal potassium conductance density"},
				{Name: "g_L", Unit: "mS/cm^2", Default: 0.3, Range: param.NonNegative, Doc: "leak conductance density"},
				{Name: "E_Na", Unit: "mV", Default: 50, Doc: "sodium reversal potential"},
				{Name: "E_K", Unit: "mV", Default: -77, Doc: "potassium reversal potential"},
				{Name: "E_L", Unit: "mV", Default: -54.4, Doc: "leak reversal potential"},
				{Name: "C_m", Unit: "uF/cm^2", Default: 1, Range: param.Positive, Doc: "specific membrane capacitance"},
				{Name: "area", Unit: "um^2", Default: 10000, Range: param.Positive, Doc: "membrane area: a current of 1 pA is 100/area µA/cm² (default 1e-4 cm², C = 100 pF)"},
				{Name: "I_e", Unit: "uA/cm^2", Default: 0, Doc: "constant bias current density"},
				{Name: "celsius", Default: 6.3, Doc: "temperature in °C (a plain number); rates scale by 3^((celsius − 6.3)/10), at most 45"},
				{Name: "V_spike", Unit: "mV", Default: 0, Doc: "a spike is an upward crossing of this potential"},
				{Name: "tau_syn_ex", Unit: "ms", Default: 2, Range: param.Positive, Doc: "decay time of excitatory synaptic currents"},
				{Name: "tau_syn_in", Unit: "ms", Default: 2, Range: param.Positive, Doc: "decay time of inhibitory synaptic currents"},
				{Name: "max_substep", Unit: "ms", Default: 0.01, Range: param.Positive, Doc: "longest Runge–Kutta substep at 6.3 °C (divided by the Q10 factor at higher temperatures, and at most 2·C_m/(g_Na + g_K + g_L))"},
			},
		},
		State: []param.Def{
			{Name: "V", Kind: param.Random, Unit: "mV", Default: hhVInit, Doc: "membrane potential"},
			{Name: "m", Kind: param.Random, Optional: true, Doc: "sodium activation (initially its steady state at the initial V)"},
			{Name: "h", Kind: param.Random, Optional: true, Doc: "sodium inactivation (initially its steady state at the initial V)"},
			{Name: "n", Kind: param.Random, Optional: true, Doc: "potassium activation (initially its steady state at the initial V)"},
			{Name: "I_ex", Kind: param.Random, Unit: "pA", Default: 0, Doc: "excitatory synaptic current"},
			{Name: "I_in", Kind: param.Random, Unit: "pA", Default: 0, Doc: "inhibitory synaptic current"},
		},
		WeightUnit:   "pA",
		TakesCurrent: true,
		Check:        hhCheck,
		New:          newHH,
	})
}

// hhMaxCelsius is the highest temperature accepted. The squid axon model
// stops firing (heat block) near 30 °C, and the substep shrinks as
// 3^(−celsius/10): at 45 °C it is already 70 times shorter than at 6.3 °C.
const hhMaxCelsius = 45

// hhVInit is the membrane potential a neuron starts from unless set (mV),
// NEURON's default v_init.
const hhVInit = -65.0

// hhSubsteps is the number of equal Runge–Kutta substeps a step of dt is
// split into: the least that makes each at most maxSub/φ long (maxSub if
// φ < 1) and at most 2·C_m/g_max, g_max = g_Na + g_K + g_L, the stability
// bound of RK4 (|λ·h| < 2.78) for the fastest possible membrane time
// constant C_m/g_max.
func hhSubsteps(dt, maxSub, phi, cm, gmax float64) int {
	h := maxSub / math.Max(phi, 1)
	if gmax > 0 {
		h = math.Min(h, 2*cm/gmax)
	}
	return max(1, int(math.Ceil(dt/h*(1-1e-12))))
}

func hhCheck(v param.Values, dt float64) []ParamError {
	var errs []ParamError
	if c := v.Num("celsius"); !(c <= hhMaxCelsius) {
		errs = append(errs, errorf("celsius", "%g °C is above %d °C: the squid axon model is in heat block and its rates (×3 per 10 °C) would need ever shorter substeps", c, hhMaxCelsius))
	}
	if v.Num("E_K") >= v.Num("E_Na") {
		errs = append(errs, errorf("E_K", "must be below E_Na (%g mV), got %g mV (signs swapped?)", v.Num("E_Na"), v.Num("E_K")))
	}
	return errs
}

// hhKernel is a population of hh neurons.
type hhKernel struct {
	V, M, H, N []float64 // membrane potential (mV) and gates
	Iex, Iin   []float64 // synaptic currents, pA

	gNa, gK, gL    float64 // mS/cm²
	eNa, eK, eL    float64 // mV
	invC           float64 // 1/C_m, cm²/µF
	ie             float64 // I_e, µA/cm²
	perPA          float64 // µA/cm² per pA: 100/area
	phi            float64 // temperature factor of the rates
	vSpike         float64 // mV
	nsub           int     // substeps per step
	hs             float64 // substep, ms
	decEx, decIn   float64 // synaptic decay over one substep, e^{−hs/τ}
	halfEx, halfIn float64 // and over half a substep
}

func newHH(n int, v param.Values, env Env) (Kernel, error) {
	phi := math.Pow(3, (v.Num("celsius")-6.3)/10)
	nsub := hhSubsteps(env.Dt, v.Num("max_substep"), phi, v.Num("C_m"), v.Num("g_Na")+v.Num("g_K")+v.Num("g_L"))
	hs := env.Dt / float64(nsub)
	te, ti := v.Num("tau_syn_ex"), v.Num("tau_syn_in")
	k := &hhKernel{
		V:      make([]float64, n),
		M:      make([]float64, n),
		H:      make([]float64, n),
		N:      make([]float64, n),
		Iex:    make([]float64, n),
		Iin:    make([]float64, n),
		gNa:    v.Num("g_Na"),
		gK:     v.Num("g_K"),
		gL:     v.Num("g_L"),
		eNa:    v.Num("E_Na"),
		eK:     v.Num("E_K"),
		eL:     v.Num("E_L"),
		invC:   1 / v.Num("C_m"),
		ie:     v.Num("I_e"),
		perPA:  100 / v.Num("area"),
		phi:    phi,
		vSpike: v.Num("V_spike"),
		nsub:   nsub,
		hs:     hs,
		decEx:  math.Exp(-hs / te),
		decIn:  math.Exp(-hs / ti),
		halfEx: math.Exp(-hs / 2 / te),
		halfIn: math.Exp(-hs / 2 / ti),
	}
	m0, h0, n0 := hhSteady(hhVInit)
	for i := range k.V {
		k.V[i] = hhVInit
		k.M[i], k.H[i], k.N[i] = m0, h0, n0
	}
	return k, nil
}

// Var returns the slice of state variable name.
func (k *hhKernel) Var(name string) []float64 {
	switch name {
	case "V":
		return k.V
	case "m":
		return k.M
	case "h":
		return k.H
	case "n":
		return k.N
	case "I_ex":
		return k.Iex
	case "I_in":
		return k.Iin
	}
	return nil
}

// Constants of the rate functions: e^{2.5}, e^1 and e^3 shift
// exp(−(V + 65)/10) to exp(−(V + 40)/10), exp(−(V + 55)/10) and
// exp(−(V + 35)/10).
var (
	hhE25 = math.Exp(2.5)
	hhE1  = math.E
	hhE3  = math.Exp(3)
)

// hhRates returns the opening and closing rates (1/ms, at 6.3 °C) of the
// m, h and n gates at membrane potential v (mV).
//
// Every exponential of the 1952 rates is a power of exp(−(V + 65)/80) or
// exp(−(V + 65)/18), so two calls of math.Exp give all six rates: with
// u = V + 65 and E = exp(−u/80), exp(−u/20) = E⁴ and exp(−u/10) = E⁸.
func hhRates(v float64) (am, bm, ah, bh, an, bn float64) {
	u := v + 65
	e80 := math.Exp(-u / 80)
	e20 := e80 * e80
	e20 *= e20
	e10 := e20 * e20
	bm = 4 * math.Exp(-u/18)
	ah = 0.07 * e20
	bh = 1 / (1 + hhE3*e10)
	bn = 0.125 * e80
	am = hhX1mExp((v+40)/10, hhE25*e10)      // 0.1·(V + 40) = x
	an = 0.1 * hhX1mExp((v+55)/10, hhE1*e10) // 0.01·(V + 55) = 0.1·x
	return
}

// hhX1mExp returns x/(1 − e^{−x}) given x and e^{−x}, and its limit
// 1 + x/2 + x²/12 near the removable singularity x = 0.
func hhX1mExp(x, emx float64) float64 {
	if math.Abs(x) < 1e-4 {
		return 1 + x/2 + x*x/12
	}
	return x / (1 - emx)
}

// deriv returns dV/dt (mV/ms) and dm/dt, dh/dt, dn/dt (1/ms) with total
// applied current density i (µA/cm²).
func (k *hhKernel) deriv(v, m, h, n, i float64) (dv, dm, dh, dn float64) {
	am, bm, ah, bh, an, bn := hhRates(v)
	m3h := m * m * m * h
	n2 := n * n
	iion := k.gNa*m3h*(v-k.eNa) + k.gK*n2*n2*(v-k.eK) + k.gL*(v-k.eL)
	dv = (i - iion) * k.invC
	dm = k.phi * (am - (am+bm)*m)
	dh = k.phi * (ah - (ah+bh)*h)
	dn = k.phi * (an - (an+bn)*n)
	return
}

// hhSteady returns the steady-state values of the gates at v.
func hhSteady(v float64) (m, h, n float64) {
	am, bm, ah, bh, an, bn := hhRates(v)
	return am / (am + bm), ah / (ah + bh), an / (an + bn)
}

// Start puts each gate that the model file did not set to its steady
// state at the neuron's initial V.
func (k *hhKernel) Start(set []string) {
	isSet := func(name string) bool { return slices.Contains(set, name) }
	sm, sh, sn := isSet("m"), isSet("h"), isSet("n")
	for i, v := range k.V {
		m, h, n := hhSteady(v)
		if !sm {
			k.M[i] = m
		}
		if !sh {
			k.H[i] = h
		}
		if !sn {
			k.N[i] = n
		}
	}
}

// Step advances neurons lo..hi-1 by one step of RK4 substeps and emits
// those whose V crossed V_spike upwards during the step.
func (k *hhKernel) Step(lo, hi int, in *Input, out *Output) {
	V, M, H, N := k.V[lo:hi], k.M[lo:hi], k.H[lo:hi], k.N[lo:hi]
	Iex, Iin := k.Iex[lo:hi], k.Iin[lo:hi]
	ex, inh := in.Ex[lo:hi], in.In[lo:hi]
	var iext []float64
	if in.I != nil {
		iext = in.I[lo:hi]
	}
	hs := k.hs
	for j := range V {
		v, m, h, n := V[j], M[j], H[j], N[j]
		icon := k.ie // current density constant over the step, µA/cm²
		if iext != nil {
			icon += k.perPA * iext[j]
		}
		se, si := Iex[j], Iin[j]
		crossings := 0
		for range k.nsub {
			// Applied current at the start, middle and end of the substep.
			i0 := icon + k.perPA*(se+si)
			i1 := icon + k.perPA*(se*k.halfEx+si*k.halfIn)
			se *= k.decEx
			si *= k.decIn
			i2 := icon + k.perPA*(se+si)

			v1, m1, h1, n1 := k.deriv(v, m, h, n, i0)
			v2, m2, h2, n2 := k.deriv(v+hs/2*v1, m+hs/2*m1, h+hs/2*h1, n+hs/2*n1, i1)
			v3, m3, h3, n3 := k.deriv(v+hs/2*v2, m+hs/2*m2, h+hs/2*h2, n+hs/2*n2, i1)
			v4, m4, h4, n4 := k.deriv(v+hs*v3, m+hs*m3, h+hs*h3, n+hs*n3, i2)
			vNew := v + hs/6*(v1+2*v2+2*v3+v4)
			m += hs / 6 * (m1 + 2*m2 + 2*m3 + m4)
			h += hs / 6 * (h1 + 2*h2 + 2*h3 + h4)
			n += hs / 6 * (n1 + 2*n2 + 2*n3 + n4)
			if v < k.vSpike && vNew >= k.vSpike {
				crossings++
			}
			v = vNew
		}
		V[j], M[j], H[j], N[j] = v, m, h, n
		Iex[j], Iin[j] = se+ex[j], si+inh[j]
		if crossings > 0 {
			out.Emit(lo+j, float64(crossings))
		}
	}
}
