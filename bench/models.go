// Package bench holds hebb's standard benchmark models and runs them.
//
// Each model is built with the Go builder API (package model) at a scale s
// that multiplies the population sizes while the in-degrees stay fixed, so
// firing rates stay close to those of the full-size network and the work
// per neuron stays the same. The same models are written for Brian2 in
// bench/brian2/ (the parameters below are the contract between the two);
// bench/compare.sh runs both side by side.
//
//   - coba: Vogels & Abbott (2005) as benchmark 2 of Brette et al. (2007):
//     4000·s conductance LIF neurons, 80 % excitatory, 64 excitatory and 16
//     inhibitory inputs per neuron, a 200 pA bias current.
//   - cuba: benchmark 1 of Brette et al. (2007): the same network with
//     exponential current synapses and a resting potential above threshold.
//   - brunel: Brunel (2000) model A, 10 000·s delta-synapse LIF neurons, 1000
//     inputs each (10⁷ synapses at s = 1), g = 5, η = 2, D = 1.5 ms.
//   - brunel_stdp: the same with additive pair STDP on the E→E synapses.
//   - microcircuit: Potjans & Diesmann (2014), 77 169·s current-based LIF
//     neurons in 8 populations (L2/3, L4, L5, L6; E and I), ≈ 0.3·10⁹·s
//     synapses (a fixed total number per projection), normally distributed
//     weights and delays, Poisson background.
package bench

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/hebb-snn/hebb/model"
)

// Models lists the benchmark models by name.
var Models = map[string]func(scale float64, duration string, seed uint64) *model.Spec{
	"coba":         COBA,
	"cuba":         CUBA,
	"brunel":       func(s float64, d string, seed uint64) *model.Spec { return Brunel(s, d, seed, false) },
	"brunel_stdp":  func(s float64, d string, seed uint64) *model.Spec { return Brunel(s, d, seed, true) },
	"microcircuit": Microcircuit,
}

// Names returns the names of the benchmark models, sorted.
func Names() []string {
	var n []string
	for k := range Models {
		n = append(n, k)
	}
	sort.Strings(n)
	return n
}

// Spec returns the benchmark model called name at the given scale and
// duration (such as "1 s").
func Spec(name string, scale float64, duration string, seed uint64) (*model.Spec, error) {
	f, ok := Models[name]
	if !ok {
		return nil, fmt.Errorf("unknown benchmark %q; known: %s", name, strings.Join(Names(), ", "))
	}
	if !(scale > 0) || math.IsInf(scale, 0) {
		return nil, fmt.Errorf("scale must be a positive number, got %g", scale)
	}
	return f(scale, duration, seed), nil
}

// scaled returns n·s rounded, at least 1.
func scaled(n int, s float64) int { return max(1, int(math.Round(float64(n)*s))) }

// vogelsAbbott builds the populations and projections shared by COBA and
// CUBA: E and I of one neuron model, fixed in-degrees 64 (from E) and 16
// (from I), no autapses, delay one step.
func vogelsAbbott(name, neuronModel string, params model.P, s float64, duration string, seed uint64, we, wi string) *model.Spec {
	m := model.New(name, "0.1 ms", duration, seed)
	m.Population("E", neuronModel, scaled(3200, s), params)
	m.Population("I", neuronModel, scaled(800, s), params)
	for _, to := range []string{"E", "I"} {
		m.Connect("E", to, "fixed_indegree", model.P{"k": 64, "autapses": false}, model.Synapse{Type: "excitatory", Weight: we, Delay: "0.1 ms"})
		m.Connect("I", to, "fixed_indegree", model.P{"k": 16, "autapses": false}, model.Synapse{Type: "inhibitory", Weight: wi, Delay: "0.1 ms"})
	}
	m.RecordSpikes()
	return m
}

// COBA is the Vogels–Abbott conductance-based network (Brette et al. 2007,
// benchmark 2) with forward-Euler integration, as Brian2 and Auryn
// integrate it. As in Auryn's COBA benchmark, every neuron gets a bias
// current of 200 pA (20 mV × g_L): without it the activity dies out after
// the first burst. Initial V uniform in [V_reset, V_th], about 13 Hz.
func COBA(s float64, duration string, seed uint64) *model.Spec {
	p := model.P{"C_m": "200 pF", "g_L": "10 nS", "E_L": "-60 mV", "V_th": "-50 mV", "V_reset": "-60 mV",
		"t_ref": "5 ms", "E_ex": "0 mV", "E_in": "-80 mV", "tau_syn_ex": "5 ms", "tau_syn_in": "10 ms", "I_e": "200 pA", "integrator": "euler"}
	m := vogelsAbbott("coba", "lif_cond_exp", p, s, duration, seed, "4 nS", "-51 nS")
	for _, pop := range []string{"E", "I"} {
		m.Init(pop, model.P{"V": "uniform(-60 mV, -50 mV)"})
	}
	return m
}

// CUBA is the current-based network of Brette et al. (2007), benchmark 1:
// V_rest = −49 mV lies above threshold, τ_ex = 5 ms, τ_in = 10 ms, and the
// weights are the benchmark's 1.62 mV and −9 mV jumps of the synaptic
// terms expressed as currents into 200 pF (16.2 pA and −90 pA).
func CUBA(s float64, duration string, seed uint64) *model.Spec {
	p := model.P{"tau_m": "20 ms", "C_m": "200 pF", "V_rest": "-49 mV", "V_th": "-50 mV", "V_reset": "-60 mV",
		"t_ref": "5 ms", "tau_syn_ex": "5 ms", "tau_syn_in": "10 ms"}
	m := vogelsAbbott("cuba", "lif_exp", p, s, duration, seed, "16.2 pA", "-90 pA")
	for _, pop := range []string{"E", "I"} {
		m.Init(pop, model.P{"V": "uniform(-60 mV, -50 mV)"})
	}
	return m
}

// Brunel is model A of Brunel (2000) with g = 5 and η = ν_ext/ν_thr = 2:
// delta synapses J = 0.1 mV, C_E = 800 and C_I = 200 inputs per neuron,
// delay 1.5 ms, and external Poisson input of C_E·η·ν_thr = 20 kHz per
// neuron. With stdp, the E→E synapses learn by additive pair STDP
// (τ± = 20 ms, A₊ = 0.001 mV, A₋ = 0.00105 mV, weights in [0, 0.3 mV]).
func Brunel(s float64, duration string, seed uint64, stdp bool) *model.Spec {
	name := "brunel"
	if stdp {
		name = "brunel_stdp"
	}
	m := model.New(name, "0.1 ms", duration, seed)
	p := model.P{"tau_m": "20 ms", "V_rest": "0 mV", "V_th": "20 mV", "V_reset": "10 mV", "t_ref": "2 ms"}
	m.Population("E", "lif_delta", scaled(8000, s), p)
	m.Population("I", "lif_delta", scaled(2000, s), p)
	for _, pop := range []string{"E", "I"} {
		m.Init(pop, model.P{"V": "uniform(0 mV, 20 mV)"})
		m.Stimulate("poisson", pop, model.P{"rate": "20 kHz", "weight": "0.1 mV"})
	}
	for _, to := range []string{"E", "I"} {
		ee := m.Connect("E", to, "fixed_indegree", model.P{"k": 800, "autapses": false}, model.Synapse{Type: "excitatory", Weight: "0.1 mV", Delay: "1.5 ms"})
		if stdp && to == "E" {
			m.Learn(ee, "stdp", model.P{"A_plus": "0.001 mV", "A_minus": "0.00105 mV", "tau_plus": "20 ms", "tau_minus": "20 ms", "w_max": "0.3 mV"})
		}
		m.Connect("I", to, "fixed_indegree", model.P{"k": 200, "autapses": false}, model.Synapse{Type: "inhibitory", Weight: "-0.5 mV", Delay: "1.5 ms"})
	}
	m.RecordSpikes()
	return m
}

// Potjans–Diesmann (2014) microcircuit: population names, full-scale
// sizes, external in-degrees and connection probabilities C[target][source].
var (
	pdNames = []string{"L23E", "L23I", "L4E", "L4I", "L5E", "L5I", "L6E", "L6I"}
	pdSizes = []int{20683, 5834, 21915, 5479, 4850, 1065, 14395, 2948}
	pdKext  = []int{1600, 1500, 2100, 1900, 2000, 1900, 2900, 2100}
	pdProb  = [8][8]float64{
		{0.1009, 0.1689, 0.0437, 0.0818, 0.0323, 0.0, 0.0076, 0.0},
		{0.1346, 0.1371, 0.0316, 0.0515, 0.0755, 0.0, 0.0042, 0.0},
		{0.0077, 0.0059, 0.0497, 0.135, 0.0067, 0.0003, 0.0453, 0.0},
		{0.0691, 0.0029, 0.0794, 0.1597, 0.0033, 0.0, 0.1057, 0.0},
		{0.1004, 0.0622, 0.0505, 0.0057, 0.0831, 0.3726, 0.0204, 0.0},
		{0.0548, 0.0269, 0.0257, 0.0022, 0.06, 0.3158, 0.0086, 0.0},
		{0.0156, 0.0066, 0.0211, 0.0166, 0.0572, 0.0197, 0.0396, 0.2252},
		{0.0364, 0.001, 0.0034, 0.0005, 0.0277, 0.008, 0.0658, 0.1443},
	}
)

// MicrocircuitRates are the NEST reference rates of the microcircuit's
// populations (spikes/s), in the order of MicrocircuitPops.
var MicrocircuitRates = []float64{0.90, 2.97, 4.41, 5.88, 7.57, 8.63, 1.11, 7.83}

// MicrocircuitPops returns the microcircuit's population names.
func MicrocircuitPops() []string { return append([]string(nil), pdNames...) }

// MicrocircuitSynapses returns the number of synapses from population src
// to population tgt (indices into MicrocircuitPops) at the given scale:
// the full-scale K = ln(1−C)/ln(1 − 1/(N_src·N_tgt)) of Potjans &
// Diesmann (2014, eq. 1) times the scale, rounded, so that the mean
// in-degree is that of the full model at every scale.
func MicrocircuitSynapses(tgt, src int, scale float64) int {
	c := pdProb[tgt][src]
	if c == 0 {
		return 0
	}
	ns, nt := float64(pdSizes[src]), float64(pdSizes[tgt])
	k := math.Log1p(-c) / math.Log1p(-1/(ns*nt))
	return int(math.Round(k * scale))
}

// Microcircuit is the Potjans & Diesmann (2014) model of a cortical column
// under 1 mm² (iaf_psc_exp neurons, τ_syn = 0.5 ms, PSC 87.81 pA for a
// 0.15 mV PSP, g = −4, L4E→L2/3E doubled, weights with a 10 % standard
// deviation, delays normal(1.5, 0.75) ms excitatory and normal(0.75,
// 0.375) ms inhibitory, Poisson background at 8 Hz per external input).
// Synapses are drawn as in the paper, a fixed total number per projection
// with sources and targets drawn uniformly (multinomial in-degrees). The
// scale multiplies the population sizes and the numbers of synapses, so
// the mean in-degrees are those of the full-scale model.
func Microcircuit(s float64, duration string, seed uint64) *model.Spec {
	m := model.New("microcircuit", "0.1 ms", duration, seed)
	p := model.P{"tau_m": "10 ms", "C_m": "250 pF", "V_rest": "-65 mV", "V_th": "-50 mV", "V_reset": "-65 mV",
		"t_ref": "2 ms", "tau_syn_ex": "0.5 ms", "tau_syn_in": "0.5 ms"}
	const w = 87.81 // pA
	for i, name := range pdNames {
		m.Population(name, "lif_exp", scaled(pdSizes[i], s), p)
		m.Init(name, model.P{"V": "normal(-58 mV, 10 mV)"})
		m.Stimulate("poisson", name, model.P{"rate": fmt.Sprintf("%g Hz", 8*float64(pdKext[i])), "weight": fmt.Sprintf("%g pA", w)})
	}
	for t, to := range pdNames {
		for si, from := range pdNames {
			k := MicrocircuitSynapses(t, si, s)
			if k == 0 {
				continue
			}
			syn := model.Synapse{Type: "excitatory", Weight: fmt.Sprintf("normal(%g pA, %g pA)", w, 0.1*w), Delay: "normal(1.5 ms, 0.75 ms)"}
			if si == 2 && t == 0 { // L4E → L2/3E
				syn.Weight = fmt.Sprintf("normal(%g pA, %g pA)", 2*w, 0.2*w)
			}
			if si%2 == 1 {
				syn = model.Synapse{Type: "inhibitory", Weight: fmt.Sprintf("normal(%g pA, %g pA)", -4*w, 0.4*w), Delay: "normal(0.75 ms, 0.375 ms)"}
			}
			m.Connect(from, to, "fixed_total_number", model.P{"N": k, "autapses": false}, syn)
		}
	}
	m.RecordSpikes()
	return m
}
