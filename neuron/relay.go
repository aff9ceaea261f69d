package neuron

import (
	"math"

	"github.com/hebb-snn/hebb/param"
)

// Two small event-logic models that let a network compute a signal from
// spikes without a membrane equation, for example the closed-loop reward
// of Izhikevich (2007):
//
//   - relay (NEST's parrot_neuron): emits one spike in every step in which
//     it receives any excitatory input (Ex > 0), whatever the weight, and
//     nothing else. Inhibitory input is ignored. It passes spikes on with
//     the delay of the projection into it, e.g. a reward 1–3 s after an
//     event.
//   - pair_detector: emits one spike when a "second" event arrives within
//     window ms after a "first" event. The two events come in on the two
//     input channels: an excitatory input (positive weight) is a first
//     event, an inhibitory input (negative weight) is a second event. So
//     project the "first" neuron onto the detector with a positive weight
//     and the "second" neuron with a negative one (a mixed projection
//     with a weight list does both at once). The size of the weight does
//     not matter, only its sign. State: since, the time since the last
//     first event (+∞ before the first). In a step in which a first event
//     arrives, since is reset after the test, so a second event in the
//     same step pairs with the previous first event, not this one: the
//     detector fires for 0 < t_second − t_first ≤ window.
//
// Neither model is a source: both take synaptic input (weights in mV).
// Each emits at most once per step, with amplitude 1.
func init() {
	Register(&Model{
		Schema: param.Schema{
			Name:      "relay",
			Doc:       "relay (parrot) unit: emits one spike in each step in which it receives any excitatory input (Ex > 0); inhibitory input is ignored",
			Reference: "NEST parrot_neuron",
		},
		WeightUnit: "mV",
		New: func(n int, _ param.Values, _ Env) (Kernel, error) {
			return relay{}, nil
		},
	})
	Register(&Model{
		Schema: param.Schema{
			Name: "pair_detector",
			Doc:  "coincidence detector: emits one spike when a second event (inhibitory input, negative weight) arrives 0 < Δt ≤ window after a first event (excitatory input, positive weight)",
			Params: []param.Def{
				{Name: "window", Unit: "ms", Default: 10, Range: param.Positive, Doc: "longest delay from first to second event that is detected (at least dt)"},
			},
		},
		State: []param.Def{
			{Name: "since", Unit: "ms", Optional: true, Doc: "time since the last first event (excitatory input); +∞ before the first"},
		},
		WeightUnit: "mV",
		Check:      pairCheck,
		New: func(n int, v param.Values, env Env) (Kernel, error) {
			k := &pairDetector{since: make([]float64, n), window: v.Num("window"), dt: env.Dt}
			for i := range k.since {
				k.since[i] = math.Inf(1)
			}
			return k, nil
		},
	})
}

func pairCheck(v param.Values, dt float64) []ParamError {
	if w := v.Num("window"); w < dt*(1-1e-9) {
		return []ParamError{errorf("window", "shorter than dt = %g ms: a second event is at least one step after the first, so nothing would be detected (got %g ms)", dt, w)}
	}
	return nil
}

type relay struct{}

func (relay) Var(string) []float64 { return nil }

func (relay) Step(lo, hi int, in *Input, out *Output) {
	for i := lo; i < hi; i++ {
		if in.Ex[i] > 0 {
			out.Emit(i, 1)
		}
	}
}

type pairDetector struct {
	since      []float64 // ms since the last first event
	window, dt float64
}

func (k *pairDetector) Var(name string) []float64 {
	if name == "since" {
		return k.since
	}
	return nil
}

func (k *pairDetector) Step(lo, hi int, in *Input, out *Output) {
	lim := k.window * (1 + 1e-9)
	for i := lo; i < hi; i++ {
		k.since[i] += k.dt
		if in.In[i] < 0 && k.since[i] <= lim {
			out.Emit(i, 1)
		}
		if in.Ex[i] > 0 {
			k.since[i] = 0
		}
	}
}
