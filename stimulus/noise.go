package stimulus

import (
	"fmt"
	"math"
	"sort"

	"github.com/hebb-snn/hebb/neuron"
	"github.com/hebb-snn/hebb/param"
	"github.com/hebb-snn/hebb/rng"
)

// noise_current injects into each target neuron an independent
// Ornstein–Uhlenbeck (coloured noise) current,
//
//	τ dI/dt = −(I − μ) + σ·√(2τ)·ξ(t),   ξ Gaussian white noise,
//
// which is stationary with mean μ, standard deviation σ and
// autocorrelation exp(−|Δt|/τ) (Uhlenbeck & Ornstein 1930; used as
// synaptic background by Destexhe et al. 2001). It is advanced with the
// exact update of the process over one step,
//
//	I ← μ + (I − μ)·e^{−dt/τ} + σ·√(1 − e^{−2dt/τ})·ξ,   ξ ~ N(0, 1),
//
// so its statistics do not depend on dt. Each neuron's current starts from
// a draw of the stationary distribution N(μ, σ²), is held constant over a
// step (the value at t_s is injected from t_s to t_{s+1}) and is then
// advanced; it is injected and advanced only while the stimulus is on
// (start ≤ t_s < stop). Every target neuron has its own random stream keyed
// by the stimulus and the neuron's global id, so the currents are
// independent across neurons and do not depend on how neurons are split
// among threads.
func init() {
	Register(&Kind{
		Schema: param.Schema{
			Name:      "noise_current",
			Doc:       "independent Ornstein–Uhlenbeck noise current per neuron: mean, standard deviation, correlation time tau (exact update)",
			Reference: "Uhlenbeck & Ornstein 1930, Phys Rev 36:823; exact update: Gillespie 1996, Phys Rev E 54:2084",
			Params: append([]param.Def{
				{Name: "mean", Unit: "pA", Default: 0, Doc: "mean current μ"},
				{Name: "std", Unit: "pA", Required: true, Range: param.NonNegative, Doc: "stationary standard deviation σ"},
				{Name: "tau", Unit: "ms", Required: true, Range: param.Positive, Doc: "correlation time τ: the autocorrelation is exp(−|Δt|/τ)"},
			}, window()...),
		},
		Current: true,
		Check:   noiseCheck,
		New: func(v param.Values, sel []int32, env Env) (Stimulus, error) {
			if errs := noiseCheck(v, env.Dt); len(errs) > 0 {
				return nil, fmt.Errorf("%s: %s", errs[0].Param, errs[0].Msg)
			}
			mu, sigma := v.Num("mean"), v.Num("std")
			a := math.Exp(-env.Dt / v.Num("tau"))
			o := &noiseCurrent{
				mu:  mu,
				a:   a,
				b:   sigma * math.Sqrt(-math.Expm1(-2*env.Dt/v.Num("tau"))),
				sel: sel,
				I:   make([]float64, len(sel)),
				rng: make([]rng.Stream, len(sel)),
			}
			for k, i := range sel {
				o.rng[k] = rng.New(env.Seed, rng.KeyStimulus, env.Key, uint64(env.Offset)+uint64(i))
				o.I[k] = mu + sigma*o.rng[k].Normal()
			}
			o.from, o.to = steps(v, env.Dt)
			return o, nil
		},
	})
}

func noiseCheck(v param.Values, dt float64) []neuron.ParamError {
	var errs []neuron.ParamError
	if s := v.Num("std"); !(s >= 0) {
		errs = append(errs, neuron.ParamError{Param: "std", Msg: fmt.Sprintf("a standard deviation must not be negative, got %g pA", s)})
	}
	if t := v.Num("tau"); !(t > 0) {
		errs = append(errs, neuron.ParamError{Param: "tau", Msg: fmt.Sprintf("the correlation time must be positive, got %g ms", t)})
	}
	return errs
}

// noiseCurrent holds the current I[k] of each selected neuron sel[k].
type noiseCurrent struct {
	mu, a, b float64 // mean, e^{−dt/τ}, σ·√(1 − e^{−2dt/τ})
	from, to int64
	sel      []int32
	I        []float64
	rng      []rng.Stream
}

func (o *noiseCurrent) Apply(lo, hi int, in *neuron.Input) {
	if in.Step < o.from || in.Step >= o.to {
		return
	}
	a := sort.Search(len(o.sel), func(k int) bool { return int(o.sel[k]) >= lo })
	for k := a; k < len(o.sel) && int(o.sel[k]) < hi; k++ {
		in.I[o.sel[k]] += o.I[k]
		o.I[k] = o.mu + (o.I[k]-o.mu)*o.a + o.b*o.rng[k].Normal()
	}
}
