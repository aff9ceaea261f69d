package neuron_test

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hebb-snn/hebb/neuron"
	"github.com/hebb-snn/hebb/param"
)

// hhRef is the NEURON reference written by testdata/neuron/hh_reference.py:
// one isopotential section with NEURON's hh mechanism (lookup tables off,
// E_L = −54.4 mV, area 10 000 µm²), integrated by CVODE (atol 1e-9),
// started at −65 mV with the gates at steady state, and driven by a step of
// current density J from onset for duration ms.
type hhRef struct {
	Area      float64 `json:"area_um2"`
	VInit     float64 `json:"v_init_mV"`
	Onset     float64 `json:"onset_ms"`
	Duration  float64 `json:"duration_ms"`
	Protocols []struct {
		Celsius float64   `json:"celsius"`
		J       float64   `json:"J_uA_cm2"`
		Spikes  []float64 `json:"spikes_ms"` // upward 0 mV crossings, interpolated
		Widths  []float64 `json:"widths_ms"` // time above 0 mV of each spike
	} `json:"protocols"`
	VRest        float64 `json:"v_rest_mV"` // V after 1000 ms without current
	Subthreshold struct {
		Celsius float64   `json:"celsius"`
		J       float64   `json:"J_uA_cm2"`
		T       []float64 `json:"t_ms"`
		V       []float64 `json:"V_mV"`
	} `json:"subthreshold"`
	Thresholds []struct {
		Celsius    float64 `json:"celsius"`
		Single     float64 `json:"single_uA_cm2"`     // least J with a spike in a 200 ms step
		Repetitive float64 `json:"repetitive_uA_cm2"` // least J with a spike in the last 500 ms of 1000 ms
	} `json:"thresholds"`
}

func hhLoadRef(t testing.TB) *hhRef {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "neuron", "hh_reference.json"))
	if err != nil {
		t.Fatal(err)
	}
	var r hhRef
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Protocols) == 0 || len(r.Thresholds) == 0 {
		t.Fatal("hh_reference.json: no protocols or thresholds")
	}
	return &r
}

// hhTrial is one neuron's response to a current step.
type hhTrial struct {
	stamps []float64 // spike times as emitted: the end of the step, ms
	cross  []float64 // upward 0 mV crossings, linear between the V of step ends, ms
	widths []float64 // time above 0 mV of each spike, interpolated likewise, ms
}

// hhStep simulates one hh neuron (parameters over) per current density in
// js (µA/cm², injected as pA through Input.I) with time step dt: no current
// until onset, then js[i] for dur ms; the run lasts tstop ms.
func hhStep(t testing.TB, over param.Values, dt float64, js []float64, onset, dur, tstop float64) []hhTrial {
	t.Helper()
	_, v := values(t, "hh", over)
	s := newSim(t, "hh", len(js), over, neuron.Env{Dt: dt})
	cur := make([]float64, len(js))
	s.in.I = cur
	V := s.k.Var("V")
	prev := append([]float64(nil), V...)
	up := make([]float64, len(js))
	res := make([]hhTrial, len(js))
	on, off, end := neuron.Steps(onset, dt), neuron.Steps(onset+dur, dt), neuron.Steps(tstop, dt)
	for st := int64(0); st < end; st++ {
		for i, j := range js {
			cur[i] = 0
			if st >= on && st < off {
				cur[i] = j * v.Num("area") / 100
			}
		}
		t0 := float64(st) * dt
		out := s.step()
		for _, id := range out.IDs {
			res[id].stamps = append(res[id].stamps, float64(st+1)*dt)
		}
		for i := range js {
			a, b := prev[i], V[i]
			switch {
			case a < 0 && b >= 0:
				up[i] = t0 + dt*a/(a-b)
				res[i].cross = append(res[i].cross, up[i])
			case a >= 0 && b < 0 && len(res[i].cross) > 0:
				res[i].widths = append(res[i].widths, t0+dt*a/(a-b)-up[i])
			}
			prev[i] = b
		}
	}
	return res
}

// hhArea is the default membrane area (µm²): 1 µA/cm² is hhArea/100 pA.
const hhArea = 10000.0

// hhRuns simulates every protocol of the reference with time step dt, one
// population per temperature, and returns the trials in the reference's
// order. Runs are cached: several tests look at the same ones.
func hhRuns(t *testing.T, r *hhRef, dt float64) []hhTrial {
	t.Helper()
	if res, ok := hhRunCache[dt]; ok {
		return res
	}
	res := make([]hhTrial, len(r.Protocols))
	byT := map[float64][]int{}
	for i, p := range r.Protocols {
		byT[p.Celsius] = append(byT[p.Celsius], i)
	}
	for c, idx := range byT {
		var js []float64
		for _, i := range idx {
			js = append(js, r.Protocols[i].J)
		}
		tr := hhStep(t, param.Values{"celsius": num(c)}, dt, js, r.Onset, r.Duration, r.Onset+r.Duration)
		for k, i := range idx {
			res[i] = tr[k]
		}
	}
	hhRunCache[dt] = res
	return res
}

var hhRunCache = map[float64][]hhTrial{}

// hhInterpTol is the tolerance on spike times and widths found by linear
// interpolation of V between step ends: the error of the interpolation
// grows as dt² (about 0.013 ms at dt = 0.1 ms during the upstroke at
// 18.5 °C); 0.001 ms more covers the integration error (< 1e-4 ms).
func hhInterpTol(dt float64) float64 { return 0.02*(dt/0.1)*(dt/0.1) + 0.001 }

// Spike times against NEURON (CVODE, lookup tables off) for steps from
// rest at 6.3 and 18.5 °C, 1 s each, with dt = 0.1, 0.05 and 0.025 ms.
//
// hebb stamps a spike at the end of the step in which V crosses 0 mV, so
// the stamp t_s must satisfy t* ≤ t_s < t* + dt for NEURON's crossing time
// t*; allowed slack 0.001 ms either way for integration error (measured:
// every stamp lies in [t*, t* + dt] exactly). Crossing times interpolated
// between step ends and the time spent above 0 mV are compared with
// NEURON's within hhInterpTol(dt) (0.021, 0.006, 0.002 ms).
func TestHHNEURONSpikeTimes(t *testing.T) {
	r := hhLoadRef(t)
	if r.Area != hhArea || r.VInit != -65 {
		t.Fatalf("reference made with area %g µm², V_init %g mV; the tests assume %g µm², −65 mV", r.Area, r.VInit, hhArea)
	}
	const slack = 0.001 // ms
	total := 0
	for _, dt := range []float64{0.1, 0.05, 0.025} {
		tol := hhInterpTol(dt)
		worstStamp, worstCross, worstWidth := 0.0, 0.0, 0.0
		for i, tr := range hhRuns(t, r, dt) {
			p := r.Protocols[i]
			if len(tr.stamps) != len(p.Spikes) || len(tr.cross) != len(p.Spikes) {
				t.Errorf("dt %g ms, %g °C, J = %g µA/cm²: %d spikes (%d interpolated crossings), NEURON %d", dt, p.Celsius, p.J, len(tr.stamps), len(tr.cross), len(p.Spikes))
				continue
			}
			for k, ref := range p.Spikes {
				if d := tr.stamps[k] - ref; d < -slack || d > dt+slack {
					t.Errorf("dt %g ms, %g °C, J = %g: spike %d stamped %.4f ms, NEURON crossing %.4f ms: want t* ≤ stamp ≤ t* + dt (± %g)", dt, p.Celsius, p.J, k, tr.stamps[k], ref, slack)
				}
				worstStamp = max(worstStamp, math.Abs(tr.stamps[k]-ref))
				if d := math.Abs(tr.cross[k] - ref); d > tol {
					t.Errorf("dt %g ms, %g °C, J = %g: spike %d interpolated at %.5f ms, NEURON %.5f ms (|Δ| %.2g > %.2g)", dt, p.Celsius, p.J, k, tr.cross[k], ref, d, tol)
				}
				worstCross = max(worstCross, math.Abs(tr.cross[k]-ref))
				if k < len(tr.widths) && k < len(p.Widths) {
					d := math.Abs(tr.widths[k] - p.Widths[k])
					if d > tol {
						t.Errorf("dt %g ms, %g °C, J = %g: spike %d is %.4f ms above 0 mV, NEURON %.4f ms", dt, p.Celsius, p.J, k, tr.widths[k], p.Widths[k])
					}
					worstWidth = max(worstWidth, d)
				}
			}
			total += len(p.Spikes)
		}
		t.Logf("dt %g ms: max |stamp − NEURON| %.4f ms, |interpolated − NEURON| %.2g ms, |width − NEURON| %.2g ms (tolerance %.3g)", dt, worstStamp, worstCross, worstWidth, tol)
	}
	if total < 1000 {
		t.Errorf("only %d spikes compared", total)
	}
}

// Spike times do not depend on dt: the interpolated crossing times with
// dt = 0.1 and 0.05 ms agree with those with dt = 0.025 ms within 0.05 ms
// (measured: 0.013 ms), and the stamps of the same spike differ by less
// than the larger dt.
func TestHHDtIndependence(t *testing.T) {
	r := hhLoadRef(t)
	fine := hhRuns(t, r, 0.025)
	for _, dt := range []float64{0.1, 0.05} {
		worst := 0.0
		for i, tr := range hhRuns(t, r, dt) {
			p := r.Protocols[i]
			if len(tr.cross) != len(fine[i].cross) || len(tr.stamps) != len(fine[i].stamps) {
				t.Errorf("%g °C, J = %g: %d spikes with dt %g ms, %d with dt 0.025 ms", p.Celsius, p.J, len(tr.stamps), dt, len(fine[i].stamps))
				continue
			}
			for k := range tr.cross {
				d := math.Abs(tr.cross[k] - fine[i].cross[k])
				worst = max(worst, d)
				if d > 0.05 {
					t.Errorf("%g °C, J = %g: spike %d at %.4f ms (dt %g) vs %.4f ms (dt 0.025): differ by more than 0.05 ms", p.Celsius, p.J, k, tr.cross[k], dt, fine[i].cross[k])
				}
				if d := tr.stamps[k] - fine[i].stamps[k]; d < -0.025-1e-9 || d > dt+1e-9 {
					t.Errorf("%g °C, J = %g: spike %d stamped %.4f ms (dt %g) vs %.4f ms (dt 0.025)", p.Celsius, p.J, k, tr.stamps[k], dt, fine[i].stamps[k])
				}
			}
		}
		t.Logf("dt %g vs 0.025 ms: max |Δ crossing| = %.3g ms", dt, worst)
	}
}

// hhRate is the steady firing rate (Hz) from crossing times after t0
// (ms): (number of intervals)/(their total length).
func hhRate(ts []float64, t0 float64) float64 {
	var in []float64
	for _, x := range ts {
		if x >= t0 {
			in = append(in, x)
		}
	}
	if len(in) < 2 {
		return 0
	}
	return float64(len(in)-1) / (in[len(in)-1] - in[0]) * 1000
}

// Steady rates at 10 and 20 µA/cm² (last 500 ms of the 1 s step) agree
// with NEURON's within 0.5%, at 6.3 and at 18.5 °C; warming to 18.5 °C
// multiplies the rates by NEURON's factor (≈ 2.7–2.9) within 0.5% and
// narrows the spikes (time above 0 mV) by NEURON's factor (≈ 0.23) within
// 2%.
func TestHHRatesAndTemperature(t *testing.T) {
	r := hhLoadRef(t)
	runs := hhRuns(t, r, 0.025)
	type key struct{ c, j float64 }
	rate, refRate, width, refWidth := map[key]float64{}, map[key]float64{}, map[key]float64{}, map[key]float64{}
	mean := func(x []float64) float64 {
		s := 0.0
		for _, v := range x {
			s += v
		}
		return s / float64(len(x))
	}
	t0 := r.Onset + r.Duration - 500
	for i, p := range r.Protocols {
		if p.J != 10 && p.J != 20 {
			continue
		}
		k := key{p.Celsius, p.J}
		rate[k], refRate[k] = hhRate(runs[i].cross, t0), hhRate(p.Spikes, t0)
		width[k], refWidth[k] = mean(runs[i].widths[1:]), mean(p.Widths[1:])
		if refRate[k] < 40 || math.Abs(rate[k]/refRate[k]-1) > 0.005 {
			t.Errorf("%g °C, J = %g µA/cm²: rate %.3f Hz, NEURON %.3f Hz (want within 0.5%%)", p.Celsius, p.J, rate[k], refRate[k])
		}
		t.Logf("%g °C, J = %g µA/cm²: rate %.3f Hz (NEURON %.3f), mean width %.4f ms (NEURON %.4f)", p.Celsius, p.J, rate[k], refRate[k], width[k], refWidth[k])
	}
	if len(rate) != 4 {
		t.Fatalf("the reference lacks the 10 and 20 µA/cm² protocols at 6.3 and 18.5 °C (have %d)", len(rate))
	}
	for _, j := range []float64{10, 20} {
		cold, warm := key{6.3, j}, key{18.5, j}
		got, want := rate[warm]/rate[cold], refRate[warm]/refRate[cold]
		if want < 2.5 || math.Abs(got/want-1) > 0.005 {
			t.Errorf("J = %g: rate(18.5 °C)/rate(6.3 °C) = %.4f, NEURON %.4f", j, got, want)
		}
		gotW, wantW := width[warm]/width[cold], refWidth[warm]/refWidth[cold]
		if wantW > 0.3 || math.Abs(gotW/wantW-1) > 0.02 {
			t.Errorf("J = %g: width(18.5 °C)/width(6.3 °C) = %.4f, NEURON %.4f", j, gotW, wantW)
		}
		t.Logf("J = %g: 6.3 → 18.5 °C: rate ×%.3f (NEURON ×%.3f), width ×%.3f (NEURON ×%.3f)", j, got, want, gotW, wantW)
	}
}

// hhBisect returns the least x in [lo, hi] with spikes(x) true, to tol,
// for a monotone predicate.
func hhBisect(t *testing.T, lo, hi, tol float64, spikes func(float64) bool) float64 {
	t.Helper()
	if spikes(lo) || !spikes(hi) {
		t.Fatalf("bisection bracket [%g, %g] does not bracket the threshold", lo, hi)
	}
	for hi-lo > tol {
		mid := (lo + hi) / 2
		if spikes(mid) {
			hi = mid
		} else {
			lo = mid
		}
	}
	return (lo + hi) / 2
}

// hhRefThreshold returns the reference thresholds at celsius c.
func hhRefThreshold(t *testing.T, r *hhRef, c float64) (single, repetitive float64) {
	t.Helper()
	for _, th := range r.Thresholds {
		if th.Celsius == c {
			return th.Single, th.Repetitive
		}
	}
	t.Fatalf("no reference thresholds at %g °C", c)
	return 0, 0
}

// The least step from rest that elicits a spike (within a 200 ms step),
// found by bisection on hebb's model with dt = 0.1 ms, is NEURON's
// (2.241 µA/cm² at 6.3 °C, 5.495 at 18.5 °C) within 0.002 µA/cm². The
// literature value at 6.3 °C is ≈ 2.2–2.3 µA/cm² (e.g. Koch 1999, ch. 6).
func TestHHSingleSpikeThreshold(t *testing.T) {
	r := hhLoadRef(t)
	for _, c := range []float64{6.3, 18.5} {
		want, _ := hhRefThreshold(t, r, c)
		got := hhBisect(t, 1, 8, 2e-4, func(j float64) bool {
			return len(hhStep(t, param.Values{"celsius": num(c)}, 0.1, []float64{j}, r.Onset, 200, r.Onset+200)[0].stamps) > 0
		})
		if math.Abs(got-want) > 0.002 {
			t.Errorf("%g °C: single-spike threshold %.4f µA/cm², NEURON %.4f", c, got, want)
		}
		t.Logf("%g °C: single-spike threshold %.4f µA/cm² (NEURON %.4f)", c, got, want)
	}
}

// Type-II onset of repetitive firing at 6.3 °C: the least step from rest
// that keeps the neuron firing in the last 500 ms of a 1 s step is
// NEURON's (6.263 µA/cm²) within 0.005 µA/cm², and the rate jumps there
// from 0 to about 50 Hz: no spikes in the last 500 ms at 6.0 and 6.2
// µA/cm², and at least 45 Hz just above the onset (+0.01 µA/cm²), at 6.3,
// 6.5 and 7 µA/cm² (each within 0.5% of NEURON's rate where the reference
// has the protocol). At 18.5 °C the onset is NEURON's 8.03 µA/cm² within
// ±0.05 µA/cm².
func TestHHRepetitiveOnset(t *testing.T) {
	r := hhLoadRef(t)
	late := func(tr hhTrial) bool {
		return len(tr.stamps) > 0 && tr.stamps[len(tr.stamps)-1] > r.Onset+r.Duration-500
	}
	_, want := hhRefThreshold(t, r, 6.3)
	got := hhBisect(t, 5, 8, 1e-3, func(j float64) bool {
		return late(hhStep(t, nil, 0.1, []float64{j}, r.Onset, r.Duration, r.Onset+r.Duration)[0])
	})
	if math.Abs(got-want) > 0.005 {
		t.Errorf("6.3 °C: onset of repetitive firing %.4f µA/cm², NEURON %.4f", got, want)
	}
	t.Logf("6.3 °C: onset of repetitive firing %.4f µA/cm² (NEURON %.4f)", got, want)

	js := []float64{6.0, 6.2, got + 0.01, 6.3, 6.5, 7.0}
	trs := hhStep(t, nil, 0.1, js, r.Onset, r.Duration, r.Onset+r.Duration)
	t0 := r.Onset + r.Duration - 500
	for i, j := range js {
		rate := hhRate(trs[i].cross, t0)
		switch {
		case j < want && (late(trs[i]) || rate != 0):
			t.Errorf("J = %g µA/cm² (below the onset): still firing at %.2f Hz in the last 500 ms", j, rate)
		case j > want && rate < 45:
			t.Errorf("J = %.4g µA/cm² (above the onset): rate %.2f Hz, want ≥ 45 Hz (type II: no low rates)", j, rate)
		}
		for _, p := range r.Protocols {
			if p.Celsius == 6.3 && p.J == j {
				if ref := hhRate(p.Spikes, t0); math.Abs(rate-ref) > 0.005*ref {
					t.Errorf("J = %g µA/cm²: rate %.3f Hz, NEURON %.3f Hz", j, rate, ref)
				}
			}
		}
		t.Logf("J = %.4f µA/cm²: %.2f Hz", j, rate)
	}

	_, want = hhRefThreshold(t, r, 18.5)
	trs = hhStep(t, param.Values{"celsius": num(18.5)}, 0.1, []float64{want - 0.05, want + 0.05}, r.Onset, r.Duration, r.Onset+r.Duration)
	if late(trs[0]) || !late(trs[1]) {
		t.Errorf("18.5 °C: repetitive firing at %g−0.05: %v, at %g+0.05: %v; want false, true", want, late(trs[0]), want, late(trs[1]))
	}
}

// Without current V settles at NEURON's resting potential (−64.9997 mV
// after 1 s) within 1e-6 mV, and a subthreshold step of 2.2 µA/cm²
// follows NEURON's trace within 1e-4 mV (dt = 0.1 ms).
func TestHHRestAndSubthreshold(t *testing.T) {
	r := hhLoadRef(t)
	const dt = 0.1
	st := r.Subthreshold
	s := newSim(t, "hh", 2, nil, neuron.Env{Dt: dt})
	cur := []float64{0, 0}
	s.in.I = cur
	V := s.k.Var("V")
	next := 0
	end := neuron.Steps(r.Onset+r.Duration, dt)
	for k := int64(0); k < end; k++ {
		if k >= neuron.Steps(r.Onset, dt) {
			cur[1] = st.J * hhArea / 100
		}
		if out := s.step(); len(out.IDs) != 0 {
			t.Fatalf("a spike at %g ms: %v", float64(k+1)*dt, out.IDs)
		}
		if next < len(st.T) && neuron.Steps(st.T[next], dt) == k+1 {
			if d := math.Abs(V[1] - st.V[next]); d > 1e-4 {
				t.Errorf("J = %g µA/cm²: V(%g ms) = %.6f mV, NEURON %.6f mV", st.J, st.T[next], V[1], st.V[next])
			}
			next++
		}
	}
	if next != len(st.T) {
		t.Errorf("compared %d of %d subthreshold samples", next, len(st.T))
	}
	if d := math.Abs(V[0] - r.VRest); d > 1e-6 {
		t.Errorf("V after %g ms without current = %.9f mV, NEURON %.9f mV", r.Onset+r.Duration, V[0], r.VRest)
	}
}

// hhTextbook returns the 1952 rates at v (mV) written as in the
// literature, with the limits at the removable singularities.
func hhTextbook(v float64) (am, bm, ah, bh, an, bn float64) {
	am, an = 1.0, 0.1 // limits at V = −40 and −55 mV
	if v != -40 {
		am = 0.1 * (v + 40) / (1 - math.Exp(-(v+40)/10))
	}
	if v != -55 {
		an = 0.01 * (v + 55) / (1 - math.Exp(-(v+55)/10))
	}
	bm = 4 * math.Exp(-(v+65)/18)
	ah = 0.07 * math.Exp(-(v+65)/20)
	bh = 1 / (1 + math.Exp(-(v+35)/10))
	bn = 0.125 * math.Exp(-(v+65)/80)
	return
}

// Gates are built at their steady state at −65 mV; after Start, unset
// gates of a neuron whose V was set are at their steady state
// x∞ = α/(α + β) at that V, computed from the textbook rates (relative
// error ≤ 1e-9, also at and next to the singular points −40 and −55 mV);
// gates that were set keep their values.
func TestHHGatesInit(t *testing.T) {
	vs := []float64{-100, -80, -70, -65, -55 - 1e-3, -55 - 1e-6, -55, -55 + 1e-7, -50, -40 - 2e-3, -40 - 1e-6, -40, -40 + 1e-5, -20, 0, 30, 50}
	const dt = 1e-12 // ms: the gates do not move measurably in one step
	s := newSim(t, "hh", len(vs), nil, neuron.Env{Dt: dt})
	// As built (what a recorder sees at t = 0): V = −65 mV, gates at rest.
	am, bm, ah, bh, an, bn := hhTextbook(-65)
	rest := [3]float64{am / (am + bm), ah / (ah + bh), an / (an + bn)}
	for g, name := range []string{"m", "h", "n"} {
		if got, v := s.k.Var(name)[3], s.k.Var("V")[3]; v != -65 || math.Abs(got-rest[g]) > 1e-12 {
			t.Errorf("as built: V = %g mV, %s = %.15g; want −65 mV, %.15g", v, name, got, rest[g])
		}
	}
	copy(s.k.Var("V"), vs)
	s.k.Var("h")[0] = 0.25 // h set by the model file: kept for every neuron
	s.k.(neuron.Starter).Start([]string{"V", "h"})
	M, H, N := s.k.Var("m"), s.k.Var("h"), s.k.Var("n")
	for i, v := range vs {
		am, bm, ah, bh, an, bn := hhTextbook(v)
		want := [3]float64{am / (am + bm), ah / (ah + bh), an / (an + bn)}
		want[1] = rest[1]
		if i == 0 {
			want[1] = 0.25
		}
		for g, got := range [3]float64{M[i], H[i], N[i]} {
			if math.IsNaN(got) || math.Abs(got-want[g]) > 1e-9*want[g] {
				t.Errorf("V = %.7g mV: %c = %.15g, want %.15g", v, "mhn"[g], got, want[g])
			}
		}
	}
}

// A synaptic input of weight w (pA) arriving at the end of a step makes
// I_ex (I_in) jump by w and decay as w·e^{−t/τ_syn}; V responds exactly as
// to an injected current w·e^{−t/τ} (here: a neuron driven through
// Input.I with dt = 0.001 ms, each step carrying the exact mean of the
// exponential): V within 2e-5 mV (measured 5e-6), and a suprathreshold input's spike at
// the same time (stamp within one dt of the fine neuron's).
func TestHHSynapse(t *testing.T) {
	const (
		dt, fdt = 0.1, 0.001
		te, ti  = 2.0, 5.0
		arrive  = 10.0 // ms
		tEnd    = 40.0
	)
	ws := []float64{100, -100, 2000} // excitatory, inhibitory, suprathreshold
	over := param.Values{"tau_syn_ex": num(te), "tau_syn_in": num(ti)}
	c := newSim(t, "hh", 3, over, neuron.Env{Dt: dt})
	f := newSim(t, "hh", 3, over, neuron.Env{Dt: fdt})
	fcur := make([]float64, 3)
	f.in.I = fcur
	cV, fV := c.k.Var("V"), f.k.Var("V")
	taus := []float64{te, ti, te}
	var cSpike, fSpike []float64
	worst := 0.0             // largest |V − V of the current-driven neuron| below −20 mV
	peak, trough := 0.0, 0.0 // largest excursions of V from −65 mV of neurons 0 and 1
	ratio := int(math.Round(dt / fdt))
	for k := int64(0); k < neuron.Steps(tEnd, dt); k++ {
		if k+1 == neuron.Steps(arrive, dt) {
			c.in.Ex[0], c.in.In[1], c.in.Ex[2] = ws[0], ws[1], ws[2]
		}
		for _, id := range c.step().IDs {
			if id != 2 {
				t.Fatalf("neuron %d (w = %g pA, subthreshold) spiked", id, ws[id])
			}
			cSpike = append(cSpike, float64(k+1)*dt)
		}
		peak = max(peak, cV[0]+65)
		trough = min(trough, cV[1]+65)
		if k+1 == neuron.Steps(arrive, dt) {
			if got := c.k.Var("I_ex")[0]; got != ws[0] {
				t.Errorf("I_ex after the arrival step = %g pA, want %g", got, ws[0])
			}
			if got := c.k.Var("I_in")[1]; got != ws[1] {
				t.Errorf("I_in after the arrival step = %g pA, want %g", got, ws[1])
			}
		}
		for range ratio {
			t0 := float64(f.s) * fdt
			for i, w := range ws {
				fcur[i] = 0
				if t0 >= arrive-1e-9 {
					a, b := t0-arrive, t0+fdt-arrive
					fcur[i] = w * taus[i] / fdt * (math.Exp(-a/taus[i]) - math.Exp(-b/taus[i]))
				}
			}
			for _, id := range f.step().IDs {
				if id == 2 {
					fSpike = append(fSpike, float64(f.s)*fdt)
				}
			}
		}
		for i := range ws {
			d := math.Abs(cV[i] - fV[i])
			if i < 2 || cV[i] < -20 {
				worst = max(worst, d)
			}
			if d > 2e-5 && (i < 2 || cV[i] < -20) {
				t.Fatalf("w = %g pA, t = %.1f ms: V = %.6f mV, driven by the equivalent current %.6f mV", ws[i], float64(k+1)*dt, cV[i], fV[i])
			}
		}
		if tt := float64(k+1) * dt; math.Abs(tt-(arrive+10*te)) < dt/2 {
			want := ws[0] * math.Exp(-10)
			if got := c.k.Var("I_ex")[0]; math.Abs(got-want) > 1e-12*ws[0] {
				t.Errorf("I_ex 10 τ after the arrival = %.6g pA, want %.6g", got, want)
			}
		}
	}
	if len(fSpike) != 1 || len(cSpike) != 1 {
		t.Fatalf("suprathreshold input: %d spikes (fine dt: %d), want 1", len(cSpike), len(fSpike))
	}
	if d := cSpike[0] - fSpike[0]; d < -fdt || d > dt {
		t.Errorf("spike after a %g pA input stamped %.3f ms, the current-driven neuron's %.3f ms", ws[2], cSpike[0], fSpike[0])
	}
	// The responses are large enough for the comparison to mean something
	// (measured: +0.81 and −1.10 mV).
	if peak < 0.5 || trough > -0.5 {
		t.Errorf("PSPs: peak %.3f mV, trough %.3f mV from −65 mV; want ≥ 0.5 and ≤ −0.5", peak, trough)
	}
	t.Logf("PSP peak %.3f mV, IPSP trough %.3f mV, max |ΔV| %.2g mV; spike %.3f ms (fine %.3f ms)", peak, trough, worst, cSpike[0], fSpike[0])
}

// I_e (µA/cm²) and the same density injected as pA through Input.I give
// the same spikes; so do twice the area with twice the current, and a
// step of dt = 0.5 or 1 ms: crossings are detected on the substeps, so
// none is lost when V goes up and down within one step (NEURON's 69 and
// 87 spikes at 10 and 20 µA/cm², each emitted once with amplitude 1 and
// stamped within one dt after NEURON's crossing).
func TestHHInjectedCurrentAndCoarseSteps(t *testing.T) {
	r := hhLoadRef(t)
	const dt, steps = 0.1, 2000 // 200 ms
	for _, j := range []float64{3, 10} {
		runSteps := func(over param.Values, cur float64) []int64 {
			s := newSim(t, "hh", 1, over, neuron.Env{Dt: dt})
			if cur != 0 {
				s.in.I = []float64{cur}
			}
			var sp []int64
			for k := range int64(steps) {
				if len(s.step().IDs) > 0 {
					sp = append(sp, k)
				}
			}
			return sp
		}
		viaIe := runSteps(param.Values{"I_e": num(j)}, 0)
		viaI := runSteps(nil, j*hhArea/100)
		viaArea := runSteps(param.Values{"area": num(2 * hhArea)}, 2*j*hhArea/100)
		if len(viaIe) == 0 || !equalSteps(viaIe, viaI) || !equalSteps(viaIe, viaArea) {
			t.Errorf("J = %g µA/cm²: spike steps with I_e %v, with Input.I %v, with twice the area and current %v", j, viaIe, viaI, viaArea)
		}
	}

	for _, p := range r.Protocols {
		if p.Celsius != 6.3 || (p.J != 10 && p.J != 20) {
			continue
		}
		for _, cdt := range []float64{0.5, 1} {
			s := newSim(t, "hh", 1, nil, neuron.Env{Dt: cdt})
			s.in.I = []float64{0}
			var stamps []float64
			for k := range neuron.Steps(r.Onset+r.Duration, cdt) {
				if k >= neuron.Steps(r.Onset, cdt) {
					s.in.I[0] = p.J * hhArea / 100
				}
				out := s.step()
				for i := range out.IDs {
					if out.Amp[i] != 1 {
						t.Errorf("dt %g ms: amplitude %g, want 1", cdt, out.Amp[i])
					}
					stamps = append(stamps, float64(k+1)*cdt)
				}
			}
			if len(stamps) != len(p.Spikes) {
				t.Errorf("dt %g ms, J = %g µA/cm²: %d spikes, NEURON %d", cdt, p.J, len(stamps), len(p.Spikes))
				continue
			}
			for k, ref := range p.Spikes {
				if d := stamps[k] - ref; d < -0.001 || d > cdt+0.001 {
					t.Errorf("dt %g ms, J = %g: spike %d stamped %.3f ms, NEURON %.4f ms", cdt, p.J, k, stamps[k], ref)
				}
			}
		}
	}
}

// With a ten times larger g_Na the membrane time constant at the peak of a
// spike falls below 1 µs; the substep shrinks to 2·C_m/(g_Na + g_K + g_L)
// and V stays within [E_K, E_Na], where it must stay without current (a
// RK4 substep of 0.01 ms would be unstable here).
func TestHHStiffStability(t *testing.T) {
	const eNa, eK = 50.0, -77.0
	s := newSim(t, "hh", 1, param.Values{"g_Na": num(1200)}, neuron.Env{Dt: 0.1})
	s.k.Var("V")[0] = -40
	spikes := 0
	for range 300 {
		spikes += len(s.step().IDs)
		if v := s.k.Var("V")[0]; !(v >= eK-1e-9 && v <= eNa+1e-9) {
			t.Fatalf("V = %g mV left [E_K, E_Na] = [%g, %g] mV", v, eK, eNa)
		}
	}
	if spikes == 0 {
		t.Error("no spike from −40 mV with g_Na = 1200 mS/cm²")
	}
}

// A kernel stepped in two ranges gives bit-identical results to one range.
func TestHHRanges(t *testing.T) {
	const n = 6
	over := param.Values{"I_e": num(2)}
	a := newSim(t, "hh", n, over, neuron.Env{Dt: 0.1})
	b := newSim(t, "hh", n, over, neuron.Env{Dt: 0.1})
	cur := []float64{0, 300, 600, 900, 1200, -100}
	a.in.I, b.in.I = cur, cur
	spikes := 0
	for k := range 2000 {
		for i := range n {
			if (k+i)%37 == 0 {
				a.in.Ex[i], b.in.Ex[i] = 50*float64(i), 50*float64(i)
				a.in.In[i], b.in.In[i] = -20, -20
			}
		}
		oa := a.step()
		b.in.Step = b.s
		b.out.Reset()
		b.k.Step(0, 2, &b.in, &b.out)
		b.k.Step(2, n, &b.in, &b.out)
		clear(b.in.Ex)
		clear(b.in.In)
		b.s++
		if len(oa.IDs) != len(b.out.IDs) {
			t.Fatalf("step %d: one range emits %v, two ranges %v", k, oa.IDs, b.out.IDs)
		}
		spikes += len(oa.IDs)
		for _, name := range []string{"V", "m", "h", "n", "I_ex", "I_in"} {
			xa, xb := a.k.Var(name), b.k.Var(name)
			for i := range xa {
				if xa[i] != xb[i] {
					t.Fatalf("step %d: %s[%d] = %v (one range), %v (two ranges)", k, name, i, xa[i], xb[i])
				}
			}
		}
	}
	if spikes < 20 {
		t.Errorf("only %d spikes in 200 ms: the test exercises little", spikes)
	}
}

// Model.Check rejects ill-posed hh parameters.
func TestHHCheck(t *testing.T) {
	cases := []struct {
		over  param.Values
		param string // "" if valid
		msg   string
	}{
		{nil, "", ""},
		{param.Values{"celsius": num(18.5)}, "", ""},
		{param.Values{"celsius": num(-5)}, "", ""},
		{param.Values{"celsius": num(45)}, "", ""},
		{param.Values{"celsius": num(46)}, "celsius", "above 45"},
		{param.Values{"E_K": num(77)}, "E_K", "below E_Na"},
		{param.Values{"E_Na": num(-80)}, "E_K", "below E_Na"},
	}
	for _, tc := range cases {
		m, v := values(t, "hh", tc.over)
		errs := m.Check(v, 0.1)
		if tc.param == "" {
			if len(errs) != 0 {
				t.Errorf("%v: unexpected errors %v", tc.over, errs)
			}
			continue
		}
		if len(errs) != 1 || errs[0].Param != tc.param || !strings.Contains(errs[0].Msg, tc.msg) {
			t.Errorf("%v: errors %v, want one on %s mentioning %q", tc.over, errs, tc.param, tc.msg)
		}
	}
}

// BenchmarkHHStep: 10 000 hh neurons, dt = 0.1 ms (10 RK4 substeps of
// 0.01 ms), driven by 0–19 µA/cm², most of them firing.
func BenchmarkHHStep(b *testing.B) {
	const n = 10000
	s := newSim(b, "hh", n, nil, neuron.Env{Dt: 0.1, Seed: 1})
	s.out.IDs = make([]int32, 0, n)
	s.out.Amp = make([]float64, 0, n)
	cur := make([]float64, n)
	for i := range cur {
		cur[i] = float64(i%20) * hhArea / 100
	}
	s.in.I = cur
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		s.step()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/neuron")
}

// Parameters are densities: values written in other units of the same
// dimension convert to the schema's units (0.12 S/cm² = 120 mS/cm², ...).
func TestHHUnits(t *testing.T) {
	m, ok := neuron.Lookup("hh")
	if !ok {
		t.Fatal("hh is not registered")
	}
	for _, tc := range []struct {
		name, text string
		want       float64
	}{
		{"g_Na", "0.12 S/cm^2", 120},
		{"g_L", "3 S/m^2", 0.3},
		{"C_m", "0.01 F/m^2", 1},
		{"I_e", "0.01 mA/cm^2", 10},
		{"area", "1e-4 cm^2", 10000},
		{"area", "1e-8 m^2", 10000},
	} {
		d, ok := m.Schema.Def(tc.name)
		if !ok {
			t.Fatalf("hh has no parameter %s", tc.name)
		}
		v, err := d.Parse(tc.text)
		if err != nil || math.Abs(v.Num-tc.want) > 1e-12*tc.want {
			t.Errorf("%s: %q parses to %g (%v), want %g %s", tc.name, tc.text, v.Num, err, tc.want, d.Unit)
		}
	}
	d, _ := m.Schema.Def("I_e")
	if _, err := d.Parse("10 pA"); err == nil {
		t.Error("I_e accepted a current (10 pA); it is a current density")
	}
}
