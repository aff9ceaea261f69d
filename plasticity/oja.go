package plasticity

import (
	"github.com/hebb-snn/hebb/param"
	"github.com/hebb-snn/hebb/synapse"
)

// Oja's rule (Oja 1982) for rate units: in every step
//
//	Δw = η·y·(x − y·w)
//
// where y is what the target emitted in the step and x what the source
// emitted one synaptic delay earlier (the activity reaching the synapse
// now), and w is the weight with its sign. The Hebbian term η·x·y makes the
// weights grow along the correlations of the input; the decay −η·y²·w keeps
// the length of the weight vector near one weight unit. For a linear unit,
// y = Σ w·x, and a small η, the weight vector onto a target converges to
// the principal eigenvector, of unit length, of the correlation matrix
// C = ⟨x·xᵀ⟩ of its inputs (the covariance matrix when the inputs have zero
// mean), so the unit extracts the first principal component.
//
// The rule is written for rate units, whose weights are dimensionless;
// with another target model the weights are numbers in its weight unit and
// unit length means |w| = 1 in that unit. The discrete rule needs
// η·y² ≪ 1 (η below 1/λ₁, λ₁ the largest eigenvalue of C). When y = 0
// nothing changes, so the rule runs only for targets that emitted. As for
// every rule, a weight keeps its sign (Dale's law: with type mixed, each
// synapse keeps the sign it starts with) and its magnitude stays within
// [w_min, w_max].
func init() {
	Register(&Rule{
		Schema: param.Schema{
			Name:      "oja",
			Doc:       "Oja's rule Δw = η·y·(x_pre − y·w) per step: a linear unit learns the principal component of its inputs, |w| → 1",
			Reference: "Oja 1982, J Math Biol 15:267; Dayan & Abbott 2001, sec. 8.2",
			Params: append([]param.Def{
				{Name: "eta", Unit: param.WeightUnit, Required: true, Range: param.Positive, Doc: "learning rate η (weight change per unit of x·y); needs η·y² ≪ 1"},
			}, Common()...),
		},
		PreHistory:   true,
		SynapseBytes: func(bool) int { return 4 }, // Src
		New: func(v param.Values, env Env) (Learner, error) {
			env.Blk.BuildSources()
			return &oja{eta: v.Num("eta"), pre: env.Pre, b: env.Blk}, nil
		},
	})
}

type oja struct {
	eta float64
	pre *synapse.History
	b   *synapse.Block
}

func (o *oja) Arrive(int64, int32, float64) {}

// Post applies Δw = η·y·(x − y·w) to every synapse onto each target that
// emitted y ≠ 0 in step s.
func (o *oja) Post(s int64, ids []int32, amp []float64) {
	b := o.b
	for n, id := range ids {
		y := amp[n]
		i := int(id) - b.Lo
		for _, k := range b.PostSyn[b.PostPtr[i]:b.PostPtr[i+1]] {
			x := o.pre.Amp(s-int64(b.DelayOf(k)), b.Src[k])
			w := float64(b.W[k])
			b.W[k] = b.Clamp(k, float32(w+o.eta*y*(x-y*w)))
		}
	}
}
