package plasticity

import (
	"math"

	"github.com/hebb-snn/hebb/neuron"
	"github.com/hebb-snn/hebb/param"
)

// Reward-modulated STDP, the three-factor rule of Izhikevich (2007): pair
// STDP does not change the weight but an eligibility trace c of each
// synapse, which decays; a neuromodulator (dopamine) d, released by the
// spikes of a modulator population (a reward signal or dopaminergic
// neurons), turns eligibility into weight change:
//
//	dc/dt = −c/τ_c + A₊e^{−Δt/τ₊} at post spikes, −A₋e^{Δt/τ₋} at pre arrivals
//	dd/dt = −d/τ_d + d_spike·Σ δ(t − t_mod)
//	dw/dt = c·(d + d_tonic) / (1 ms)
//
// d is dimensionless: the weight changes by c·d per millisecond. Each
// step the weights take a forward step of dw/dt while c and d decay
// exactly; so the weight change after one pairing and one reward a delay
// D later is A₊e^{−Δt/τ₊}·e^{−D/τ_c}·d_spike·τ_c·τ_d/(τ_c + τ_d) up to
// O(dt). Every synapse is updated every step (the rule is not
// event-driven: w changes whenever c and d are both non-zero).
func init() {
	Register(&Rule{
		Schema: param.Schema{
			Name:      "rstdp",
			Doc:       "reward-modulated STDP (three-factor): STDP feeds an eligibility trace c (τ_c), dopamine d (τ_d) from a modulator population, dw/dt = c·(d + d_tonic) per ms",
			Reference: "Izhikevich 2007, Cereb Cortex 17:2443",
			Params: append([]param.Def{
				{Name: "modulator", Kind: param.Text, Required: true, Doc: "population whose spikes release dopamine"},
				{Name: "A_plus", Unit: param.WeightUnit, Required: true, Range: param.NonNegative, Doc: "eligibility increase at Δt = 0+"},
				{Name: "A_minus", Unit: param.WeightUnit, Required: true, Range: param.NonNegative, Doc: "eligibility decrease at Δt = 0−"},
				{Name: "tau_plus", Unit: "ms", Default: 20, Range: param.Positive, Doc: "STDP time constant τ₊"},
				{Name: "tau_minus", Unit: "ms", Default: 20, Range: param.Positive, Doc: "STDP time constant τ₋"},
				{Name: "tau_c", Unit: "ms", Default: 1000, Range: param.Positive, Doc: "decay time of the eligibility trace"},
				{Name: "tau_d", Unit: "ms", Default: 200, Range: param.Positive, Doc: "decay time of dopamine"},
				{Name: "d_spike", Default: 0.5, Range: param.NonNegative, Doc: "dopamine released per modulator spike"},
				{Name: "d_tonic", Default: 0, Range: param.NonNegative, Doc: "tonic dopamine level"},
			}, Common()...),
		},
		Modulated:    true,
		SynapseBytes: func(bool) int { return 24 }, // trace, its time, eligibility
		New: func(v param.Values, env Env) (Learner, error) {
			b := env.Blk
			r := &rstdp{
				stdp: stdp{
					b: b, dt: env.Dt,
					aPlus: v.Num("A_plus"), aMinus: v.Num("A_minus"),
					tauPlus: v.Num("tau_plus"), tauMinus: v.Num("tau_minus"),
					wmax: math.Inf(1),
					pre:  make([]float64, b.Len()), preLast: make([]int64, b.Len()),
					post: make([]float64, b.Hi-b.Lo), postLast: make([]int64, b.Hi-b.Lo),
				},
				c:      make([]float64, b.Len()),
				decayC: math.Exp(-env.Dt / v.Num("tau_c")),
				decayD: math.Exp(-env.Dt / v.Num("tau_d")),
				dSpike: v.Num("d_spike"),
				dTonic: v.Num("d_tonic"),
				mod:    env.Modulator,
			}
			r.expPlus, r.expMinus = expTable(r.dt, r.tauPlus), expTable(r.dt, r.tauMinus)
			return r, nil
		},
	})
}

type rstdp struct {
	stdp                     // traces; its weight changes go to c instead
	c              []float64 // eligibility of each synapse, weight unit
	d              float64   // dopamine
	decayC, decayD float64
	dSpike, dTonic float64
	mod            *neuron.Output
}

// Arrive lowers the eligibility of synapse k by the postsynaptic trace.
func (r *rstdp) Arrive(s int64, k int32, amp float64) {
	t := s + 1
	b := r.b
	i := int(b.Tgt[k]) - b.Lo
	r.c[k] -= r.aMinus * amp * r.decay(r.post[i], r.postLast[i], t, r.tauMinus)
	r.pre[k], r.preLast[k] = r.decay(r.pre[k], r.preLast[k], t, r.tauPlus)+amp, t
}

// Post raises the eligibility of the synapses onto each target that spiked.
func (r *rstdp) Post(s int64, ids []int32, _ []float64) {
	t := s + 1
	b := r.b
	for _, id := range ids {
		i := int(id) - b.Lo
		for _, k := range b.PostSyn[b.PostPtr[i]:b.PostPtr[i+1]] {
			r.c[k] += r.aPlus * r.decay(r.pre[k], r.preLast[k], t, r.tauPlus)
		}
		r.post[i], r.postLast[i] = r.decay(r.post[i], r.postLast[i], t, r.tauMinus)+1, t
	}
}

// Tick releases dopamine for the modulator's spikes of the previous step,
// moves every weight by c·d·dt and lets c and d decay.
func (r *rstdp) Tick(int64) {
	r.d *= r.decayD
	for _, a := range r.mod.Amp {
		r.d += r.dSpike * a
	}
	g := (r.d + r.dTonic) * r.dt // per ms
	b := r.b
	for k := range r.c {
		if g != 0 && r.c[k] != 0 {
			sign, m := r.magnitude(int32(k))
			b.W[k] = b.Clamp(int32(k), float32(sign*(m+r.c[k]*g)))
		}
		r.c[k] *= r.decayC
	}
}
