package plasticity

import (
	"fmt"
	"math"

	"github.com/hebb-snn/hebb/neuron"
	"github.com/hebb-snn/hebb/param"
	"github.com/hebb-snn/hebb/synapse"
)

// BCM rule with a sliding threshold (Bienenstock, Cooper & Munro 1982), in
// the form of Intrator & Cooper (1992):
//
//	Δw = η·x·y·(y − θ_M),   θ_M = ⟨y²⟩/y₀
//
// Activity above the threshold θ_M potentiates active synapses, activity
// below it depresses them, and θ_M follows the recent mean of y²: a target
// that responds strongly raises its threshold. y₀ is the target's mean
// activity: a unit that sees K patterns, each with probability 1/K, has the
// stable, selective fixed points in which it responds y = θ_M = K·y₀ to one
// pattern and 0 to the others (θ_M = (K·y₀)²/(K·y₀) = K·y₀), its mean
// response then being y₀. With y₀ = 1 this is Intrator & Cooper's
// θ_M = E[y²].
//
// estimator "activity" (rate units): in every step, y is what the target
// emitted and x what the source emitted one delay earlier (the activity
// reaching the synapse now), the weight changes by η·x·y·(y − θ_M(n−1)),
// and the threshold is the running mean over a window τ_θ,
//
//	θ_M(n) = a·θ_M(n−1) + (1 − a)·y(n)²/y₀,   a = e^{−dt/τ_θ},
//
// which is kept per target neuron and updated exactly and lazily: over a
// run of k steps in which the target was silent it decays by a^k. As
// Δw = 0 when y = 0, the rule runs only for targets that emitted.
//
// estimator "traces" (spiking neurons): rates are estimated by exponential
// traces, in units of the target rate ν₀. Each synapse has a presynaptic
// trace x̂, each target a postsynaptic trace ŷ,
//
//	τ_pre·dx̂/dt = −x̂ + Σ δ(t − t_arrival)/ν₀    (x̂ jumps by 1/(ν₀·τ_pre))
//	τ_post·dŷ/dt = −ŷ + Σ δ(t − t_post)/ν₀      (ŷ jumps by J = 1/(ν₀·τ_post))
//
// so that a train at a steady rate ν gives a trace of mean ν/ν₀ (with
// fluctuations of variance ν/(2·τ·ν₀²) for a Poisson train), and the
// threshold, in the same units, is the running mean of ŷ²,
//
//	τ_θ·dθ̂/dt = −θ̂ + ŷ²   (θ_M = ν₀·θ̂),
//
// integrated exactly between spikes. At each postsynaptic spike every
// synapse onto the neuron changes by
//
//	Δw = η·x̂·(ŷ − θ̂)
//
// with ŷ and θ̂ taken just before the spike (so the spike's own jump does
// not bias the estimate: for a Poisson train, the mean of ŷ before a spike
// is ν/ν₀); averaged over time this is dw/dt = η·ν₀·x̂·ŷ·(ŷ − θ̂), the BCM
// rule in rates relative to ν₀. An arrival at the same step as the
// postsynaptic spike counts in x̂ (it is processed first). Note that the
// shot noise of the trace adds ŷ·J/2 = ν/(2·τ_post·ν₀²) to ⟨ŷ²⟩ for a
// Poisson train, and hence to θ̂: with a sliding threshold, the rate at
// which a neuron's synapses stop changing is ν₀·(1 − J/2) rather than ν₀,
// so take τ_post long compared with 1/ν₀. All traces are updated only at
// arrivals and postsynaptic spikes, decaying exactly in between. An
// emission of the target counts as one spike whatever its amplitude; an
// arrival of amplitude amp (a source that sent several spikes in a step)
// counts amp times.
//
// Weights keep their sign and stay within [w_min, w_max].
func init() {
	Register(&Rule{
		Schema: param.Schema{
			Name:      "bcm",
			Doc:       "BCM rule Δw = η·x·y·(y − θ_M) with sliding threshold θ_M = ⟨y²⟩/y₀ over τ_θ; rate units (activity) or spiking neurons (rate traces)",
			Reference: "Bienenstock, Cooper & Munro 1982, J Neurosci 2:32; Intrator & Cooper 1992, Neural Netw 5:3; Dayan & Abbott 2001, sec. 8.2",
			Params: append([]param.Def{
				{Name: "eta", Unit: param.WeightUnit, Required: true, Range: param.Positive, Doc: "learning rate η (weight change per unit of x·y·(y − θ_M); with traces, per postsynaptic spike and unit of x̂·(ŷ − θ̂))"},
				{Name: "tau_theta", Unit: "ms", Required: true, Range: param.Positive, Doc: "time constant τ_θ of the running mean ⟨y²⟩ that sets the threshold (activity: at least dt)"},
				{Name: "estimator", Kind: param.Choice, Choices: []string{"activity", "traces"}, Doc: "activity: x and y are the activities of rate units; traces: rates of spiking neurons estimated by exponential traces"},
				{Name: "y0", Default: 1, Range: param.Positive, Doc: "target mean activity y₀ (activity estimator): θ_M = ⟨y²⟩/y₀"},
				{Name: "nu_0", Unit: "Hz", Optional: true, Range: param.Positive, Doc: "target mean rate ν₀ (traces estimator, required there): rates are measured in units of ν₀"},
				{Name: "theta_init", Default: 0, Range: param.NonNegative, Doc: "threshold θ_M at t = 0, in units of y₀ (of ν₀ with traces)"},
				{Name: "tau_pre", Unit: "ms", Default: 100, Range: param.Positive, Doc: "time constant of the presynaptic rate trace (traces)"},
				{Name: "tau_post", Unit: "ms", Default: 100, Range: param.Positive, Doc: "time constant of the postsynaptic rate trace (traces)"},
			}, Common()...),
		},
		PreHistory:   true,
		Check:        bcmCheck,
		SynapseBytes: func(bool) int { return 4 + 16 }, // Src; presynaptic average and its time
		New: func(v param.Values, env Env) (Learner, error) {
			if errs := bcmCheck(v, env.Dt); len(errs) > 0 {
				return nil, fmt.Errorf("%s: %s", errs[0].Param, errs[0].Msg)
			}
			b := env.Blk
			b.BuildSources()
			n := b.Hi - b.Lo
			r := &bcm{
				b: b, pre: env.Pre, dt: env.Dt,
				eta: v.Num("eta"), tauTheta: v.Num("tau_theta"),
				theta: make([]float64, n), tlast: make([]int64, n),
			}
			for i := range r.tlast {
				r.tlast[i] = -1
			}
			if v.Word("estimator") == "traces" {
				nu0 := v.Num("nu_0") / 1000 // spikes per ms
				r.traces = true
				r.tauPre, r.tauPost = v.Num("tau_pre"), v.Num("tau_post")
				r.jumpPre, r.jumpPost = 1/(nu0*r.tauPre), 1/(nu0*r.tauPost)
				r.x = make([]float64, b.Len())
				r.xlast = make([]int64, b.Len())
				r.y = make([]float64, n)
				for i := range r.theta {
					r.theta[i] = v.Num("theta_init")
					r.tlast[i] = 0
				}
			} else {
				r.y0 = v.Num("y0")
				r.a = math.Exp(-env.Dt / r.tauTheta)
				for i := range r.theta {
					r.theta[i] = v.Num("theta_init") * r.y0
				}
			}
			return r, nil
		},
	})
}

func bcmCheck(v param.Values, dt float64) []neuron.ParamError {
	var errs []neuron.ParamError
	if v.Word("estimator") == "traces" {
		if !v.Has("nu_0") {
			errs = append(errs, neuron.ParamError{Param: "nu_0", Msg: "the traces estimator measures rates in units of the target rate nu_0; give it (e.g. 10 Hz)"})
		}
		return errs
	}
	if v.Has("nu_0") {
		errs = append(errs, neuron.ParamError{Param: "nu_0", Msg: "nu_0 is used by the traces estimator only; the activity estimator's target is y0"})
	}
	if t := v.Num("tau_theta"); !(t >= dt) {
		errs = append(errs, neuron.ParamError{Param: "tau_theta", Msg: fmt.Sprintf("the running mean ⟨y²⟩ must span at least one step (dt = %g ms), got %g ms", dt, t)})
	}
	return errs
}

type bcm struct {
	b        *synapse.Block
	pre      *synapse.History
	dt       float64
	eta      float64
	tauTheta float64
	traces   bool
	theta    []float64 // per target: θ_M (activity) or θ̂ (traces) at tlast
	tlast    []int64   // activity: step of the last update; traces: time (in steps) of the last spike

	// activity
	y0 float64
	a  float64 // e^{−dt/τ_θ}

	// traces (times in steps: an event of step s happens at t_{s+1})
	tauPre, tauPost   float64
	jumpPre, jumpPost float64
	x                 []float64 // per synapse: x̂ just after its last arrival
	xlast             []int64
	y                 []float64 // per target: ŷ just after its last spike (at tlast)
}

// Arrive adds the arrival to the synapse's presynaptic trace (traces).
func (r *bcm) Arrive(s int64, k int32, amp float64) {
	if !r.traces {
		return
	}
	t := s + 1
	r.x[k] = r.x[k]*r.decay(t-r.xlast[k], r.tauPre) + amp*r.jumpPre
	r.xlast[k] = t
}

// decay returns e^{−n·dt/τ}.
func (r *bcm) decay(n int64, tau float64) float64 {
	if n == 0 {
		return 1
	}
	return math.Exp(-float64(n) * r.dt / tau)
}

// Post changes the synapses onto each target that emitted in step s.
func (r *bcm) Post(s int64, ids []int32, amp []float64) {
	if r.traces {
		r.postTraces(s, ids)
		return
	}
	b := r.b
	for n, id := range ids {
		y := amp[n]
		i := int(id) - b.Lo
		// θ_M(s−1): decayed over the silent steps since the last update.
		th := r.theta[i]
		if d := s - 1 - r.tlast[i]; d > 0 && th != 0 {
			th *= math.Pow(r.a, float64(d))
		}
		if f := r.eta * y * (y - th); f != 0 {
			for _, k := range b.PostSyn[b.PostPtr[i]:b.PostPtr[i+1]] {
				if x := r.pre.Amp(s-int64(b.DelayOf(k)), b.Src[k]); x != 0 {
					b.W[k] = b.Clamp(k, float32(float64(b.W[k])+f*x))
				}
			}
		}
		r.theta[i], r.tlast[i] = r.a*th+(1-r.a)*y*y/r.y0, s
	}
}

// postTraces applies Δw = η·x̂·(ŷ − θ̂) at each postsynaptic spike of step
// s (at t_{s+1}), then adds the spike to the postsynaptic trace.
func (r *bcm) postTraces(s int64, ids []int32) {
	b := r.b
	t := s + 1
	for _, id := range ids {
		i := int(id) - b.Lo
		span := float64(t-r.tlast[i]) * r.dt // ms since the last spike
		y0 := r.y[i]
		y := y0 * math.Exp(-span/r.tauPost)
		th := r.theta[i] * math.Exp(-span/r.tauTheta)
		if y0 != 0 {
			// ∫ e^{−(span−u)/τ_θ}·(ŷ₀·e^{−u/τ_post})²·du/τ_θ over the interval.
			th += y0 * y0 / r.tauTheta * expDiff(1/r.tauTheta, 2/r.tauPost, span)
		}
		if f := r.eta * (y - th); f != 0 {
			for _, k := range b.PostSyn[b.PostPtr[i]:b.PostPtr[i+1]] {
				if x := r.x[k]; x != 0 {
					x *= r.decay(t-r.xlast[k], r.tauPre)
					b.W[k] = b.Clamp(k, float32(float64(b.W[k])+f*x))
				}
			}
		}
		r.y[i], r.theta[i], r.tlast[i] = y+r.jumpPost, th, t
	}
}

// expDiff returns (e^{−β·t} − e^{−α·t})/(α − β), and t·e^{−α·t} when α = β,
// without cancellation or overflow.
func expDiff(alpha, beta, t float64) float64 {
	lo, d := math.Min(alpha, beta), math.Abs(alpha-beta)
	if d*t == 0 {
		return t * math.Exp(-lo*t)
	}
	return math.Exp(-lo*t) * -math.Expm1(-d*t) / d
}
