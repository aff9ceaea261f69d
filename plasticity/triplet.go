package plasticity

import (
	"fmt"
	"math"
	"strings"

	"github.com/hebb-snn/hebb/param"
	"github.com/hebb-snn/hebb/synapse"
)

// Triplet spike-timing-dependent plasticity (Pfister & Gerstner 2006,
// J Neurosci 26:9673). Each synapse has two presynaptic traces and each
// target neuron two postsynaptic traces, all decaying exponentially
// between spikes:
//
//	r1 (τ₊), r2 (τ_x): presynaptic, raised by each spike reaching the synapse
//	o1 (τ₋), o2 (τ_y): postsynaptic, raised by each spike of the target
//
// At a presynaptic arrival at t (emission time plus the axonal delay):
//
//	w ← w − scale·o1(t)·(A2₋ + A3₋·r2(t−ε)),  then r1, r2 are raised
//
// At a postsynaptic spike at t:
//
//	w ← w + scale·r1(t)·(A2₊ + A3₊·o2(t−ε)),  then o1, o2 are raised
//
// t−ε means the value just before the spike's own increment: the triplet
// terms pair a spike with the earlier spikes of its own side only. For an
// isolated pair, Δt = t_post − t_pre, the rule is the pair window
// +scale·A2₊e^{−Δt/τ₊} (Δt ≥ 0) and −scale·A2₋e^{Δt/τ₋} (Δt < 0); the
// A3 terms add the triplet effects: potentiation grows with the
// postsynaptic spikes of the last ~τ_y, depression with the presynaptic
// spikes of the last ~τ_x.
//
// Pairing "all_to_all" sums over every earlier spike (traces += 1 at each
// spike); "nearest" keeps only the latest spike of each side (traces are
// reset to 1), Pfister & Gerstner's nearest-spike interaction.
//
// Units. The amplitudes A2₊, A3₊, A2₋, A3₋ are dimensionless, as in the
// paper, where a weight change is relative: Δw/w of an experiment that
// starts from w. hebb multiplies them by scale, a weight in the target's
// weight unit. Set scale to the initial weight and (w − w₀)/scale is the
// paper's Δw/w (its fits ignore the weight dependence within a protocol,
// as this additive rule does); set it to w_max to read the amplitudes as
// fractions of the maximum weight, as Song et al. (2000) do.
//
// Presets: the parameter sets Pfister & Gerstner fitted, selected by
// preset together with pairing (each pair of choices is one row of their
// Table 3 or Table 4); tau_plus = 16.8 ms and tau_minus = 33.7 ms in every
// row (taken from Bi & Poo's window). The "minimal" models set the
// amplitudes that the fit could spare to 0.
//
//	preset, pairing                     A2₊      A3₊     A2₋     A3₋      τ_x     τ_y
//	visual_cortex_minimal, all_to_all   0        6.5e-3  7.1e-3  0        (101)   114 ms
//	visual_cortex_full, all_to_all      5e-10    6.2e-3  7e-3    2.3e-4   101     125 ms
//	visual_cortex_minimal, nearest      0        5e-2    8e-3    0        (714)   40 ms
//	visual_cortex_full, nearest         8.8e-11  5.3e-2  6.6e-3  3.1e-3   714     40 ms
//	hippocampal_minimal, all_to_all     5.3e-3   8e-3    3.5e-3  0        (946)   40 ms
//	hippocampal_full, all_to_all        6.1e-3   6.7e-3  1.6e-3  1.4e-3   946     27 ms
//	hippocampal_minimal, nearest        4.6e-3   9.1e-3  3e-3    0        (575)   48 ms
//	hippocampal_full, nearest           4.6e-3   9.1e-3  3e-3    7.5e-9   575     47 ms
//
// Visual cortex: Table 3, fitted to the pairing-frequency experiments of
// Sjöström, Turrigiano & Nelson (2001, Neuron 32:1149) on layer-5
// pyramidal neurons. Hippocampus: Table 4, fitted to the triplet and
// quadruplet experiments of Wang et al. (2005, Nat Neurosci 8:187) and the
// pair window of Bi & Poo (1998) in hippocampal cultures. The minimal rows
// leave τ_x blank (A3₋ = 0 makes it irrelevant); the values in
// parentheses are the full model's, used only if A3_minus is overridden.
// Values transcribed from the published tables as reported by secondary
// sources (the Auryn simulator's TripletConnection uses the same
// visual-cortex minimal row); every one can be overridden by A2_plus,
// A3_plus, A2_minus, A3_minus, tau_plus, tau_minus, tau_x and tau_y.
//
// Event-driven: the presynaptic traces of each synapse and the
// postsynaptic traces of each target are updated only when spikes arrive
// or are emitted, decaying exactly over the time since their last update.
// A spike of amplitude a (a source emitting a spikes in one step) counts
// as a simultaneous spikes: the weight change is multiplied by a and, for
// all-to-all pairing, the traces rise by a. Simultaneous arrival and
// postsynaptic spike (Δt = 0) count as pre before post: the arrival is
// processed first, as it may have caused the spike. Weights are
// magnitudes whose sign never changes (Block.Clamp keeps them in
// [w_min, w_max]); the weight dependence of the rule is none (additive).
func init() {
	var doc strings.Builder
	doc.WriteString("parameter set of Pfister & Gerstner 2006 (with pairing, one row of Table 3 or 4):")
	for _, n := range tripletPresetNames {
		aa, nn := tripletPresets[tripletKey{n, "all_to_all"}], tripletPresets[tripletKey{n, "nearest"}]
		fmt.Fprintf(&doc, " %s (all_to_all: %s; nearest: %s)", n, aa, nn)
	}
	Register(&Rule{
		Schema: param.Schema{
			Name:      "triplet",
			Doc:       "triplet STDP: at a presynaptic arrival Δw = −scale·o1·(A2₋ + A3₋·r2), at a postsynaptic spike Δw = +scale·r1·(A2₊ + A3₊·o2), with traces r1 (τ₊), r2 (τ_x), o1 (τ₋), o2 (τ_y); presets fitted to visual cortex and hippocampus",
			Reference: "Pfister & Gerstner 2006, J Neurosci 26:9673 (Tables 3 and 4)",
			Params: append([]param.Def{
				{Name: "scale", Unit: param.WeightUnit, Required: true, Range: param.Positive, Doc: "weight the dimensionless amplitudes are fractions of (Δw = scale·A·…): the initial weight, to read (w − w₀)/scale as the paper's Δw/w"},
				{Name: "preset", Kind: param.Choice, Choices: tripletPresetNames, Doc: doc.String()},
				{Name: "pairing", Kind: param.Choice, Choices: []string{"all_to_all", "nearest"}, Doc: "which spikes interact: all earlier spikes (traces += 1) or the latest of each side (traces reset to 1); also picks the preset's row"},
				{Name: "A2_plus", Optional: true, Range: param.NonNegative, Doc: "pair potentiation amplitude A2₊, a fraction of scale (overrides the preset)"},
				{Name: "A3_plus", Optional: true, Range: param.NonNegative, Doc: "triplet potentiation amplitude A3₊, multiplying o2 (overrides the preset)"},
				{Name: "A2_minus", Optional: true, Range: param.NonNegative, Doc: "pair depression amplitude A2₋, a fraction of scale (overrides the preset)"},
				{Name: "A3_minus", Optional: true, Range: param.NonNegative, Doc: "triplet depression amplitude A3₋, multiplying r2 (overrides the preset)"},
				{Name: "tau_plus", Unit: "ms", Optional: true, Range: param.Positive, Doc: "time constant τ₊ of the presynaptic trace r1 (overrides the preset's 16.8 ms)"},
				{Name: "tau_minus", Unit: "ms", Optional: true, Range: param.Positive, Doc: "time constant τ₋ of the postsynaptic trace o1 (overrides the preset's 33.7 ms)"},
				{Name: "tau_x", Unit: "ms", Optional: true, Range: param.Positive, Doc: "time constant τ_x of the slow presynaptic trace r2 (overrides the preset)"},
				{Name: "tau_y", Unit: "ms", Optional: true, Range: param.Positive, Doc: "time constant τ_y of the slow postsynaptic trace o2 (overrides the preset)"},
			}, Common()...),
		},
		SynapseBytes: func(bool) int { return 24 }, // two traces and their time
		New: func(v param.Values, env Env) (Learner, error) {
			p, err := TripletParams(v)
			if err != nil {
				return nil, err
			}
			b := env.Blk
			n := b.Hi - b.Lo
			return &triplet{
				b: b, p: p, scale: v.Num("scale"),
				nearest:  v.Word("pairing") == "nearest",
				kPlus:    env.Dt / p.TauPlus,
				kMinus:   env.Dt / p.TauMinus,
				kX:       env.Dt / p.TauX,
				kY:       env.Dt / p.TauY,
				r1:       make([]float64, b.Len()),
				r2:       make([]float64, b.Len()),
				preLast:  make([]int64, b.Len()),
				o1:       make([]float64, n),
				o2:       make([]float64, n),
				postLast: make([]int64, n),
			}, nil
		},
	})
}

// Triplet holds the amplitudes (dimensionless) and time constants (ms) of
// the triplet rule.
type Triplet struct {
	A2Plus, A3Plus, A2Minus, A3Minus float64
	TauPlus, TauMinus, TauX, TauY    float64
}

// String writes the amplitudes and the slow time constants.
func (p Triplet) String() string {
	return fmt.Sprintf("A2+ %g, A3+ %g, A2- %g, A3- %g, tau_x %g ms, tau_y %g ms",
		p.A2Plus, p.A3Plus, p.A2Minus, p.A3Minus, p.TauX, p.TauY)
}

type tripletKey struct{ preset, pairing string }

// tripletPresetNames lists the presets; the first is the default.
var tripletPresetNames = []string{"visual_cortex_minimal", "visual_cortex_full", "hippocampal_minimal", "hippocampal_full"}

// tripletPresets are Tables 3 (visual cortex) and 4 (hippocampus) of
// Pfister & Gerstner (2006). τ_x of the minimal rows, blank in the
// tables, is the full row's.
var tripletPresets = map[tripletKey]Triplet{
	{"visual_cortex_minimal", "all_to_all"}: {0, 6.5e-3, 7.1e-3, 0, 16.8, 33.7, 101, 114},
	{"visual_cortex_full", "all_to_all"}:    {5e-10, 6.2e-3, 7e-3, 2.3e-4, 16.8, 33.7, 101, 125},
	{"visual_cortex_minimal", "nearest"}:    {0, 5e-2, 8e-3, 0, 16.8, 33.7, 714, 40},
	{"visual_cortex_full", "nearest"}:       {8.8e-11, 5.3e-2, 6.6e-3, 3.1e-3, 16.8, 33.7, 714, 40},
	{"hippocampal_minimal", "all_to_all"}:   {5.3e-3, 8e-3, 3.5e-3, 0, 16.8, 33.7, 946, 40},
	{"hippocampal_full", "all_to_all"}:      {6.1e-3, 6.7e-3, 1.6e-3, 1.4e-3, 16.8, 33.7, 946, 27},
	{"hippocampal_minimal", "nearest"}:      {4.6e-3, 9.1e-3, 3e-3, 0, 16.8, 33.7, 575, 48},
	{"hippocampal_full", "nearest"}:         {4.6e-3, 9.1e-3, 3e-3, 7.5e-9, 16.8, 33.7, 575, 47},
}

// TripletParams returns the parameters of the triplet rule for parsed
// values: the row of the preset and pairing, overridden by the amplitudes
// and time constants given.
func TripletParams(v param.Values) (Triplet, error) {
	preset, pairing := v.Word("preset"), v.Word("pairing")
	if preset == "" {
		preset = tripletPresetNames[0]
	}
	if pairing == "" {
		pairing = "all_to_all"
	}
	p, ok := tripletPresets[tripletKey{preset, pairing}]
	if !ok {
		return Triplet{}, fmt.Errorf("triplet: no preset %q with pairing %q (presets: %s; pairing: all_to_all or nearest)",
			preset, pairing, strings.Join(tripletPresetNames, ", "))
	}
	for _, o := range []struct {
		name string
		x    *float64
	}{
		{"A2_plus", &p.A2Plus}, {"A3_plus", &p.A3Plus}, {"A2_minus", &p.A2Minus}, {"A3_minus", &p.A3Minus},
		{"tau_plus", &p.TauPlus}, {"tau_minus", &p.TauMinus}, {"tau_x", &p.TauX}, {"tau_y", &p.TauY},
	} {
		if v.Has(o.name) {
			*o.x = v.Num(o.name)
		}
	}
	return p, nil
}

type triplet struct {
	b                     *synapse.Block
	p                     Triplet
	scale                 float64
	nearest               bool
	kPlus, kMinus, kX, kY float64   // dt/τ of r1, o1, r2, o2
	r1, r2                []float64 // presynaptic traces of each synapse after its last arrival
	preLast               []int64   // step (time in dt) of that arrival
	o1, o2                []float64 // postsynaptic traces of each target after its last spike
	postLast              []int64
}

// tripDecay returns trace x, last updated at step from, at step to, for k = dt/τ.
func tripDecay(x float64, from, to int64, k float64) float64 {
	if x == 0 {
		return 0
	}
	return x * math.Exp(-float64(to-from)*k)
}

// magnitude returns the sign and magnitude of synapse k's weight.
func (r *triplet) magnitude(k int32) (sign, m float64) {
	s := r.b.Sign
	if s == 0 {
		s = r.b.Signs[k]
	}
	if s < 0 {
		return -1, -float64(r.b.W[k])
	}
	return 1, float64(r.b.W[k])
}

// raise returns trace x after a spike of amplitude amp.
func (r *triplet) raise(x, amp float64) float64 {
	if r.nearest {
		return 1
	}
	return x + amp
}

// Arrive depresses synapse k by the postsynaptic trace o1, scaled up by
// the slow presynaptic trace r2 before this arrival, then adds the
// arrival to the presynaptic traces.
func (r *triplet) Arrive(s int64, k int32, amp float64) {
	t := s + 1 // the spike arrives at t_{s+1}
	b, p := r.b, &r.p
	i := int(b.Tgt[k]) - b.Lo
	last := r.preLast[k]
	x2 := 0.0 // r2(t−ε); kept at 0 when A3₋ = 0 (minimal models)
	if p.A3Minus != 0 {
		x2 = tripDecay(r.r2[k], last, t, r.kX)
	}
	if y1 := tripDecay(r.o1[i], r.postLast[i], t, r.kMinus); y1 != 0 {
		sign, m := r.magnitude(k)
		dw := r.scale * amp * y1 * (p.A2Minus + p.A3Minus*x2)
		b.W[k] = b.Clamp(k, float32(sign*(m-dw)))
	}
	r.r1[k] = r.raise(tripDecay(r.r1[k], last, t, r.kPlus), amp)
	if p.A3Minus != 0 {
		r.r2[k] = r.raise(x2, amp)
	}
	r.preLast[k] = t
}

// Post potentiates the synapses onto each target that spiked by their
// presynaptic traces r1, scaled up by the target's slow trace o2 before
// this spike, then adds the spike to the target's traces.
func (r *triplet) Post(s int64, ids []int32, amp []float64) {
	t := s + 1
	b, p := r.b, &r.p
	for n, id := range ids {
		a := amp[n]
		i := int(id) - b.Lo
		last := r.postLast[i]
		y2 := 0.0 // o2(t−ε); kept at 0 when A3₊ = 0
		if p.A3Plus != 0 {
			y2 = tripDecay(r.o2[i], last, t, r.kY)
		}
		f := r.scale * a * (p.A2Plus + p.A3Plus*y2)
		if f != 0 {
			for _, k := range b.PostSyn[b.PostPtr[i]:b.PostPtr[i+1]] {
				x1 := tripDecay(r.r1[k], r.preLast[k], t, r.kPlus)
				if x1 == 0 {
					continue
				}
				sign, m := r.magnitude(k)
				b.W[k] = b.Clamp(k, float32(sign*(m+f*x1)))
			}
		}
		r.o1[i] = r.raise(tripDecay(r.o1[i], last, t, r.kMinus), a)
		if p.A3Plus != 0 {
			r.o2[i] = r.raise(y2, a)
		}
		r.postLast[i] = t
	}
}
