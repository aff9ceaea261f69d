package plasticity

import (
	"github.com/hebb-snn/hebb/param"
	"github.com/hebb-snn/hebb/synapse"
)

// Hebbian rule for rate and binary units:
//
//	Δw = η·x·y
//
// in every step, where y is what the target emitted and x what the source
// emitted one synaptic delay earlier (the activity that reached the
// synapse now). Weights stay within their bounds and keep their sign.
func init() {
	Register(&Rule{
		Schema: param.Schema{
			Name:      "hebbian",
			Doc:       "rate-based Hebbian rule Δw = η·x_pre·y_post per step",
			Reference: "Hebb 1949; Gerstner & Kistler 2002, ch. 10",
			Params: append([]param.Def{
				{Name: "eta", Unit: param.WeightUnit, Required: true, Doc: "learning rate η (weight change per unit of x·y)"},
			}, Common()...),
		},
		PreHistory:   true,
		SynapseBytes: func(bool) int { return 4 }, // Src
		New: func(v param.Values, env Env) (Learner, error) {
			env.Blk.BuildSources()
			return &hebbian{eta: v.Num("eta"), pre: env.Pre, b: env.Blk}, nil
		},
	})
}

type hebbian struct {
	eta float64
	pre *synapse.History
	b   *synapse.Block
}

func (h *hebbian) Arrive(int64, int32, float64) {}

func (h *hebbian) Post(s int64, ids []int32, amp []float64) {
	b := h.b
	for n, id := range ids {
		y := amp[n]
		i := int(id) - b.Lo
		for _, k := range b.PostSyn[b.PostPtr[i]:b.PostPtr[i+1]] {
			x := h.pre.Amp(s-int64(b.DelayOf(k)), b.Src[k])
			if x != 0 {
				b.W[k] = b.Clamp(k, b.W[k]+float32(h.eta*x*y))
			}
		}
	}
}
