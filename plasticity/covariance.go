package plasticity

import (
	"fmt"
	"math"

	"github.com/hebb-snn/hebb/neuron"
	"github.com/hebb-snn/hebb/param"
	"github.com/hebb-snn/hebb/synapse"
)

// Covariance rule (Sejnowski 1977): in every step n
//
//	Δw = η·(x(n) − x̄(n−1))·(y(n) − ȳ(n−1))
//
// where y(n) is what the target emitted in step n (0 if it was silent),
// x(n) what reached the synapse in step n (what the source emitted one
// delay earlier, 0 if nothing), and x̄, ȳ their running means over a window
// τ, exponential averages updated in every step,
//
//	x̄(n) = a·x̄(n−1) + (1 − a)·x(n),   a = e^{−dt/τ},
//
// and likewise ȳ; both start at 0. Each step uses the means of the steps
// before it, so the averaged change is η times the covariance of pre- and
// postsynaptic activity: it grows synapses whose input goes up and down
// with the target's output, weakens anti-correlated ones, and leaves
// independent ones unchanged on average, unlike the plain Hebbian rule.
// x̄ is kept per synapse (the activity as it reaches the synapse, so each
// synapse's delay is respected) and ȳ per target neuron.
//
// Steps without activity count: a step in which neither the input nor the
// target was active changes the weight by η·x̄·ȳ, one in which only the
// input arrived by −η·(x − x̄)·ȳ. They are applied lazily and exactly: the
// learner acts only when an input arrives or the target emits, and then
// first adds the change of all the steps since the synapse was last
// brought up to date, in closed form (the silent steps form a geometric
// series in a²). The weight an arriving input delivers is therefore exact;
// the weight stored between events may lag behind, by the drift since the
// synapse's last event, until Settle (see Settler) brings every weight up
// to date: whoever reads all weights (a weight recorder, the end of a run)
// should call it first.
//
// The rule suits rate units and binary units; with spiking neurons x and y
// are the spikes of a step (1 or 0). Weights keep their sign and stay in
// [w_min, w_max] (the bound is applied at every event; it is exact because
// the change over a run of silent steps always has one sign).
func init() {
	Register(&Rule{
		Schema: param.Schema{
			Name:      "covariance",
			Doc:       "covariance rule Δw = η·(x − x̄)·(y − ȳ) per step, x̄ and ȳ running means over a window τ (silent steps applied lazily and exactly)",
			Reference: "Sejnowski 1977, J Math Biol 4:303; Dayan & Abbott 2001, sec. 8.2",
			Params: append([]param.Def{
				{Name: "eta", Unit: param.WeightUnit, Required: true, Doc: "learning rate η (weight change per unit of (x − x̄)·(y − ȳ)); negative: anti-Hebbian"},
				{Name: "tau", Unit: "ms", Required: true, Range: param.Positive, Doc: "window τ of the running means x̄ and ȳ (at least dt)"},
			}, Common()...),
		},
		Check:        covarianceCheck,
		SynapseBytes: func(bool) int { return 20 }, // mean, its time, current activity
		New: func(v param.Values, env Env) (Learner, error) {
			if errs := covarianceCheck(v, env.Dt); len(errs) > 0 {
				return nil, fmt.Errorf("%s: %s", errs[0].Param, errs[0].Msg)
			}
			b := env.Blk
			q := env.Dt / v.Num("tau")
			r := &covariance{
				b: b, eta: v.Num("eta"), q: q,
				a: math.Exp(-q), den: math.Expm1(-2 * q),
				xbar:  make([]float64, b.Len()),
				last:  make([]int64, b.Len()),
				xnow:  make([]float32, b.Len()),
				ybar:  make([]float64, b.Hi-b.Lo),
				ylast: make([]int64, b.Hi-b.Lo),
			}
			for k := range r.last {
				r.last[k] = -1
			}
			for i := range r.ylast {
				r.ylast[i] = -1
			}
			return r, nil
		},
	})
}

func covarianceCheck(v param.Values, dt float64) []neuron.ParamError {
	if t := v.Num("tau"); !(t >= dt) {
		return []neuron.ParamError{{Param: "tau", Msg: fmt.Sprintf("the window of the running means must span at least one step (dt = %g ms), got %g ms", dt, t)}}
	}
	return nil
}

type covariance struct {
	b     *synapse.Block
	eta   float64
	q     float64 // dt/τ
	a     float64 // e^{−dt/τ}: one step's decay of the running means
	den   float64 // e^{−2dt/τ} − 1, the denominator of the geometric series
	xbar  []float64
	last  []int64   // per synapse: its weight holds every step ≤ last[k]; xbar[k] is x̄(last[k])
	xnow  []float32 // per synapse: input that reached it in step last[k]+1, not yet applied (0: none)
	ybar  []float64 // per target: ȳ(ylast[i])
	ylast []int64
}

// yAt returns ȳ(n) of target i for n ≥ ylast[i] (it was silent since).
func (r *covariance) yAt(i int, n int64) float64 {
	y := r.ybar[i]
	if y == 0 || n == r.ylast[i] {
		return y
	}
	return y * math.Exp(-float64(n-r.ylast[i])*r.q)
}

// settle applies to synapse k, onto target i, every step after last[k]
// through step u, during which the target was silent and no input reached
// the synapse other than xnow[k] in step last[k]+1.
func (r *covariance) settle(k int32, i int, u int64) {
	l := r.last[k]
	if u <= l {
		return
	}
	b := r.b
	xm, ym := r.xbar[k], r.yAt(i, l)
	if x := float64(r.xnow[k]); x != 0 {
		// Step l+1: the input arrived, the target was silent.
		if ym != 0 {
			b.W[k] = b.Clamp(k, float32(float64(b.W[k])-r.eta*(x-xm)*ym))
		}
		xm = r.a*xm + (1-r.a)*x
		ym *= r.a
		r.xnow[k] = 0
		l++
	}
	if m := u - l; m > 0 && xm != 0 {
		// Steps l+1 … u, both silent: Σ_{j<m} η·x̄·ȳ·a^{2j}.
		if ym != 0 {
			g := math.Expm1(-2*float64(m)*r.q) / r.den
			b.W[k] = b.Clamp(k, float32(float64(b.W[k])+r.eta*xm*ym*g))
		}
		xm *= math.Exp(-float64(m) * r.q)
	}
	r.xbar[k], r.last[k] = xm, u
}

// Arrive brings synapse k up to date through the previous step and keeps
// the input that reaches it now until it is known whether the target
// emits in this step.
func (r *covariance) Arrive(s int64, k int32, amp float64) {
	r.settle(k, int(r.b.Tgt[k])-r.b.Lo, s-1)
	r.xnow[k] = float32(amp)
}

// Post applies step s to every synapse onto each target that emitted.
func (r *covariance) Post(s int64, ids []int32, amp []float64) {
	b := r.b
	for n, id := range ids {
		y := amp[n]
		i := int(id) - b.Lo
		ym := r.yAt(i, s-1)
		for _, k := range b.PostSyn[b.PostPtr[i]:b.PostPtr[i+1]] {
			r.settle(k, i, s-1)
			x, xm := float64(r.xnow[k]), r.xbar[k]
			b.W[k] = b.Clamp(k, float32(float64(b.W[k])+r.eta*(x-xm)*(y-ym)))
			r.xbar[k], r.last[k], r.xnow[k] = r.a*xm+(1-r.a)*x, s, 0
		}
		r.ybar[i], r.ylast[i] = r.a*ym+(1-r.a)*y, s
	}
}

// Settle brings every synapse up to date through step s (see Settler).
func (r *covariance) Settle(s int64) {
	b := r.b
	for i := 0; i < b.Hi-b.Lo; i++ {
		for _, k := range b.PostSyn[b.PostPtr[i]:b.PostPtr[i+1]] {
			r.settle(k, i, s)
		}
	}
}
