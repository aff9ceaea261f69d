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

// izhFixture is testdata/brian2/izhikevich.json, written by izhikevich.py
// (read its doc for the protocols and the three references).
type izhFixture struct {
	Duration  float64       `json:"duration_ms"`
	BrianDt   float64       `json:"brian2_dt_ms"`
	Protocols []izhProtocol `json:"protocols"`
}

// izhProtocol is one preset under one current step, with its references.
type izhProtocol struct {
	Name       string  `json:"name"`
	Preset     string  `json:"preset"`
	A          float64 `json:"a"`
	B          float64 `json:"b"`
	C          float64 `json:"c"`
	D          float64 `json:"d"`
	V0         float64 `json:"v0"`
	U0         float64 `json:"u0"`
	IOn        float64 `json:"I_on"`
	TOn        float64 `json:"t_on"`
	TOff       float64 `json:"t_off"`
	Brian2     []float64
	Exact      []float64
	BrianError float64 `json:"brian2_vs_exact_ms"`
	Scheme2003 map[string]struct {
		Steps []int64    `json:"steps"`
		Final [2]float64 `json:"final"`
	} `json:"scheme2003"`
}

func izhLoad(t testing.TB) izhFixture {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "brian2", "izhikevich.json"))
	if err != nil {
		t.Fatal(err)
	}
	var f izhFixture
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	if len(f.Protocols) != 8 {
		t.Fatalf("izhikevich.json has %d protocols, want 8", len(f.Protocols))
	}
	return f
}

// izhRun simulates protocol p with hebb's izhikevich model (by preset name,
// plus over) at step dt, and returns the spike times (end of the step, ms)
// and the final (v, u).
func izhRun(t testing.TB, p izhProtocol, duration, dt float64, over param.Values) ([]float64, [2]float64) {
	t.Helper()
	o := param.Values{"preset": word(p.Preset)}
	for k, x := range over {
		o[k] = x
	}
	s := newSim(t, "izhikevich", 1, o, neuron.Env{Dt: dt})
	s.k.Var("v")[0], s.k.Var("u")[0] = p.V0, p.U0
	on, off := neuron.Steps(p.TOn, dt), neuron.Steps(p.TOff, dt)
	cur := []float64{0}
	s.in.I = cur
	var times []float64
	for st := range neuron.Steps(duration, dt) {
		cur[0] = 0
		if st >= on && st < off {
			cur[0] = p.IOn
		}
		if out := s.step(); len(out.IDs) > 0 {
			times = append(times, float64(st+1)*dt)
		}
	}
	return times, [2]float64{s.k.Var("v")[0], s.k.Var("u")[0]}
}

// izhPattern holds firing-pattern metrics of the spikes in a window.
type izhPattern struct {
	Count   int     // spikes in the window
	Latency float64 // first spike − window start, ms (NaN if none)
	Rate    float64 // Count per second of window, Hz
	Adapt   float64 // adaptation index: mean of (ISI_{k+1} − ISI_k)/(ISI_{k+1} + ISI_k) (Naud et al. 2008); NaN below 3 spikes
	Bursts  int     // bursts, see izhBurstISI
	CV      float64 // coefficient of variation of the ISIs (NaN below 3 spikes)
	ISI     []float64
}

// izhBurstISI defines a burst: a run of at least two spikes whose ISIs are
// all shorter than izhBurstISI, followed by an ISI at least izhBurstPause
// times the run's longest ISI (a run at the end of the train does not
// count). Tonic trains, however fast, have no bursts; chattering and
// bursting cells have one per cycle.
const (
	izhBurstISI   = 10.0 // ms
	izhBurstPause = 3.0
)

// izhPatternOf returns the metrics of the spikes in (t0, t1].
func izhPatternOf(times []float64, t0, t1 float64) izhPattern {
	var in []float64
	for _, x := range times {
		if x > t0 && x <= t1 {
			in = append(in, x)
		}
	}
	m := izhPattern{Count: len(in), Latency: math.NaN(), Adapt: math.NaN(), CV: math.NaN(), Rate: float64(len(in)) / (t1 - t0) * 1000}
	if len(in) > 0 {
		m.Latency = in[0] - t0
	}
	for k := 1; k < len(in); k++ {
		m.ISI = append(m.ISI, in[k]-in[k-1])
	}
	if len(m.ISI) >= 2 {
		sum, mean, sq := 0.0, 0.0, 0.0
		for k := 1; k < len(m.ISI); k++ {
			sum += (m.ISI[k] - m.ISI[k-1]) / (m.ISI[k] + m.ISI[k-1])
		}
		m.Adapt = sum / float64(len(m.ISI)-1)
		for _, x := range m.ISI {
			mean += x
		}
		mean /= float64(len(m.ISI))
		for _, x := range m.ISI {
			sq += (x - mean) * (x - mean)
		}
		m.CV = math.Sqrt(sq/float64(len(m.ISI))) / mean
	}
	longest := 0.0 // longest ISI of the current run, 0 if no run
	for _, isi := range m.ISI {
		switch {
		case longest > 0 && isi >= izhBurstPause*longest:
			m.Bursts++
			longest = 0
		case isi < izhBurstISI:
			longest = math.Max(longest, isi)
		default:
			longest = 0
		}
	}
	return m
}

// izhFirstISI and izhLastISI return the first and last ISI of m (NaN if
// it has none, which fails every comparison).
func izhFirstISI(m izhPattern) float64 {
	if len(m.ISI) == 0 {
		return math.NaN()
	}
	return m.ISI[0]
}

func izhLastISI(m izhPattern) float64 {
	if len(m.ISI) == 0 {
		return math.NaN()
	}
	return m.ISI[len(m.ISI)-1]
}

// izhAdaptBound is how much the adaptation index can change when every
// spike time moves by up to dt: each term (I₂ − I₁)/(I₂ + I₁) changes by at
// most about 2·(2dt)/(I₂ + I₁).
func izhAdaptBound(isi []float64, dt float64) float64 {
	if len(isi) < 2 {
		return 0
	}
	s := 0.0
	for k := 1; k < len(isi); k++ {
		s += 4 * dt / (isi[k] + isi[k-1])
	}
	return s / float64(len(isi)-1)
}

// izhComparePattern checks hebb's metrics h against the reference's r,
// whose spike times are continuous while hebb's lie on the dt grid.
func izhComparePattern(t *testing.T, name string, h, r izhPattern, dt, latTol float64) {
	t.Helper()
	if h.Count != r.Count {
		t.Errorf("%s: %d spikes in the window, reference %d", name, h.Count, r.Count)
	}
	if math.IsNaN(h.Latency) != math.IsNaN(r.Latency) || math.Abs(h.Latency-r.Latency) > latTol {
		t.Errorf("%s: first-spike latency %.4f ms, reference %.4f ms (tolerance %.3g ms)", name, h.Latency, r.Latency, latTol)
	}
	if b := izhAdaptBound(r.ISI, dt); math.IsNaN(h.Adapt) != math.IsNaN(r.Adapt) || math.Abs(h.Adapt-r.Adapt) > b+1e-9 {
		t.Errorf("%s: adaptation index %.4f, reference %.4f (tolerance %.3g from the dt grid)", name, h.Adapt, r.Adapt, b)
	}
	if h.Bursts != r.Bursts {
		t.Errorf("%s: %d bursts, reference %d", name, h.Bursts, r.Bursts)
	}
}

// izhWindow is the window in which a protocol's pattern is measured: the
// step, or for TC_rebound the time after the hyperpolarising step.
func izhWindow(p izhProtocol, duration float64) (float64, float64) {
	if p.IOn < 0 {
		return p.TOff, duration
	}
	return p.TOn, p.TOff
}

// With the rk4 integrator hebb's spikes are those of the ODE: every
// event-located spike time t* (scipy DOP853, rtol 1e-12) lies in the step
// that hebb stamps, t_hebb − dt < t* ≤ t_hebb, up to ε = 2 µs, for all
// 236 spikes of the eight protocols, at dt = 0.01 and 0.1 ms and at the
// paper's dt = 1 ms. At dt = 0.01 ms an error δ in hebb's crossing times
// would push a spike out of its step with probability about δ/dt; that
// none of 236 does bounds the typical error near 10⁻⁴ ms. (ε only allows
// for a crossing within ε of a step boundary.)
func TestIzhSpikeTimesExact(t *testing.T) {
	f := izhLoad(t)
	const eps = 0.002 // ms
	for _, dt := range []float64{0.01, 0.1, 1} {
		for _, p := range f.Protocols {
			got, _ := izhRun(t, p, f.Duration, dt, nil)
			if len(got) != len(p.Exact) {
				t.Errorf("%s dt=%g: %d spikes, event-located reference %d", p.Name, dt, len(got), len(p.Exact))
				continue
			}
			worst := 0.0
			for i, te := range p.Exact {
				// distance of t* outside (t_hebb − dt, t_hebb]
				worst = math.Max(worst, math.Max(te-got[i], got[i]-dt-te))
			}
			if worst > eps {
				t.Errorf("%s dt=%g: a reference spike lies %.4f ms outside hebb's step (tolerance %g ms)", p.Name, dt, worst, eps)
			}
			t.Logf("%-10s dt=%-3g %3d spikes, worst distance of t* outside hebb's step %.2g ms", p.Name, dt, len(got), math.Max(worst, 0))
		}
	}
}

// hebb against Brian2 (RK4, dt = 1 µs). Brian2 stamps the start of the
// step in which v crossed 30 mV and hebb the end of its step, so the
// crossing estimates are t_brian + dt_b/2 ± dt_b/2 and t_hebb − dt/2 ±
// dt/2. Brian2's fixed-step threshold also lags the crossing by up to dt_b
// per spike, which accumulates over a train (0.008–0.19 ms after 4–69
// spikes; measured against the event-located solution by izhikevich.py and
// stored per protocol). The tolerance is the sum: dt/2 + dt_b/2 + Brian2's
// measured drift + 2 µs.
func TestIzhBrian2SpikeTimes(t *testing.T) {
	f := izhLoad(t)
	const dt = 0.1
	for _, p := range f.Protocols {
		got, _ := izhRun(t, p, f.Duration, dt, nil)
		if len(got) != len(p.Brian2) {
			t.Errorf("%s: %d spikes in %g ms, Brian2 %d", p.Name, len(got), f.Duration, len(p.Brian2))
			continue
		}
		if p.BrianError > 0.25 {
			t.Errorf("%s: Brian2's stored drift %.3g ms is larger than expected", p.Name, p.BrianError)
		}
		tol := dt/2 + f.BrianDt/2 + p.BrianError + 0.002
		worst := 0.0
		for i, tb := range p.Brian2 {
			worst = math.Max(worst, math.Abs((got[i]-dt/2)-(tb+f.BrianDt/2)))
		}
		if worst > tol {
			t.Errorf("%s: spike times differ from Brian2's by up to %.4f ms (tolerance %.4f ms)", p.Name, worst, tol)
		}
		t.Logf("%-10s %3d spikes, max |hebb − Brian2| (crossing estimates) %.4f ms, tolerance %.4f ms", p.Name, len(got), worst, tol)
	}
}

// Pattern metrics of each preset match the references (spike count,
// latency within the dt grid, adaptation index within the bound set by the
// grid, burst count), and show the named pattern of Izhikevich (2003)
// Fig. 2, each property stated below with the numbers hebb gives.
func TestIzhPatterns(t *testing.T) {
	f := izhLoad(t)
	const dt = 0.1
	m := map[string]izhPattern{}
	for _, p := range f.Protocols {
		got, _ := izhRun(t, p, f.Duration, dt, nil)
		t0, t1 := izhWindow(p, f.Duration)
		h := izhPatternOf(got, t0, t1)
		izhComparePattern(t, p.Name+" vs event-located", h, izhPatternOf(p.Exact, t0, t1), dt, dt+0.002)
		izhComparePattern(t, p.Name+" vs Brian2", h, izhPatternOf(p.Brian2, t0, t1), dt, dt+f.BrianDt+0.01)
		m[p.Name] = h
		t.Logf("%-10s n=%3d latency %7.2f ms  rate %6.1f Hz  A %+.4f  bursts %2d  CV %.3f", p.Name, h.Count, h.Latency, h.Rate, h.Adapt, h.Bursts, h.CV)
	}
	first, last := izhFirstISI, izhLastISI
	checks := []struct {
		what string
		ok   bool
	}{
		// RS: tonic with spike-frequency adaptation: first ISI 17.6 ms,
		// then 44.8 ms; no bursts.
		{"RS adapts: first ISI < 0.5·last ISI", first(m["RS"]) < 0.5*last(m["RS"])},
		{"RS adapts: adaptation index > 0.02", m["RS"].Adapt > 0.02},
		{"RS has no bursts", m["RS"].Bursts == 0},
		// IB: an initial burst of 3 spikes (ISIs 2.1, 3.4 ms), then tonic
		// spikes every 31 ms.
		{"IB has exactly one burst", m["IB"].Bursts == 1},
		{"IB bursts first: first ISI < 5 ms", first(m["IB"]) < 5},
		{"IB turns tonic: last ISI > 20 ms", last(m["IB"]) > 20},
		// CH: repeated bursts of 4–7 spikes every ~60 ms.
		{"CH chatters: at least 5 bursts", m["CH"].Bursts >= 5},
		// FS: fast tonic firing with little adaptation, far faster than RS
		// at the same current.
		{"FS fires > 4× faster than RS at I = 10", m["FS"].Rate > 4*m["RS"].Rate},
		{"FS has no bursts", m["FS"].Bursts == 0},
		{"FS stays fast: last ISI < 10 ms", last(m["FS"]) < 10},
		// LTS: high-frequency start with strong adaptation (ISIs 2.9 →
		// 13.4 ms), faster than RS.
		{"LTS starts fast: first ISI < 4 ms", first(m["LTS"]) < 4},
		{"LTS adapts: last ISI > 3·first ISI", last(m["LTS"]) > 3*first(m["LTS"])},
		{"LTS fires > 2× faster than RS", m["LTS"].Rate > 2*m["RS"].Rate},
		// TC: tonic when depolarised from rest ...
		{"TC fires tonically: ≥ 20 spikes, no bursts", m["TC"].Count >= 20 && m["TC"].Bursts == 0},
		// ... and a rebound burst after release from hyperpolarisation.
		{"TC rebound: ≥ 3 spikes within 50 ms of release", m["TC_rebound"].Count >= 3 && m["TC_rebound"].Latency+m["TC_rebound"].ISI[0]+m["TC_rebound"].ISI[1] < 50},
		{"TC rebound: burst-like first ISI < 10 ms", first(m["TC_rebound"]) < 10},
		// RZ: fires at a current (0.5) that leaves RS silent ...
		{"RZ fires at I = 0.5", m["RZ"].Count > 0},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("pattern not shown: %s", c.what)
		}
	}
	// ... and TC is silent during the hyperpolarising step.
	for _, p := range f.Protocols {
		if p.Name == "TC_rebound" {
			got, _ := izhRun(t, p, f.Duration, dt, nil)
			if in := izhPatternOf(got, 0, p.TOff); in.Count != 0 {
				t.Errorf("TC_rebound: %d spikes before the release at %g ms, want none", in.Count, p.TOff)
			}
		}
		if p.Name == "RS" {
			q := p
			q.IOn = 0.5
			if got, _ := izhRun(t, q, f.Duration, dt, nil); len(got) != 0 {
				t.Errorf("RS at I = 0.5: %d spikes, want none (RZ's current is subthreshold for RS)", len(got))
			}
		}
	}
}

// The izhikevich2003 integrator is the published scheme: the spikes and
// final state equal those of izhikevich.py's plain-Python loop (same
// floating-point operations) at dt = 1, 0.5 and 0.1 ms. Spike steps must be
// identical; the final state agrees to 1e-9 (bit-identical without fused
// multiply-adds).
func TestIzhPublishedScheme(t *testing.T) {
	f := izhLoad(t)
	for _, p := range f.Protocols {
		if len(p.Scheme2003) != 3 {
			t.Fatalf("%s: %d published-scheme references, want 3", p.Name, len(p.Scheme2003))
		}
		for key, ref := range p.Scheme2003 {
			dt := map[string]float64{"1.0": 1, "0.5": 0.5, "0.1": 0.1}[key]
			if dt == 0 {
				t.Fatalf("unexpected dt %q in the fixture", key)
			}
			got, final := izhRun(t, p, f.Duration, dt, param.Values{"integrator": word("izhikevich2003")})
			same := len(got) == len(ref.Steps)
			for i := 0; same && i < len(got); i++ {
				same = neuron.Steps(got[i], dt) == ref.Steps[i]+1
			}
			if !same {
				t.Errorf("%s dt=%g: spikes at %v, published scheme at steps %v", p.Name, dt, got, ref.Steps)
			}
			for i := range final {
				if d := math.Abs(final[i] - ref.Final[i]); d > 1e-9*math.Max(1, math.Abs(ref.Final[i])) {
					t.Errorf("%s dt=%g: final state %v, published scheme %v", p.Name, dt, final, ref.Final)
				}
			}
		}
	}
	// The scheme is first order and far from the ODE at the paper's
	// dt = 1 ms: spike counts in the 600 ms run (ODE: event-located).
	// Every protocol's count error at dt = 1 ms is at least that at 0.1 ms,
	// at 0.1 ms it is within 10% (or one spike) of the ODE's, and at 1 ms the fast
	// spikers lose about half their spikes (FS 35 of 69, CH 22 of 48).
	for _, p := range f.Protocols {
		n1 := len(p.Scheme2003["1.0"].Steps)
		n01 := len(p.Scheme2003["0.1"].Steps)
		ne := len(p.Exact)
		t.Logf("%-10s published scheme: %3d spikes at dt = 1 ms, %3d at 0.1 ms; ODE %3d", p.Name, n1, n01, ne)
		if izhAbs(n01-ne) > izhAbs(n1-ne) || float64(izhAbs(n01-ne)) > math.Max(1, 0.1*float64(ne)) {
			t.Errorf("%s: the published scheme gives %d spikes at dt = 1 ms and %d at 0.1 ms, ODE %d: not converging", p.Name, n1, n01, ne)
		}
		if (p.Name == "FS" || p.Name == "CH") && float64(n1) > 0.6*float64(ne) {
			t.Errorf("%s: the published scheme at dt = 1 ms gives %d of the ODE's %d spikes; expected about half", p.Name, n1, ne)
		}
	}
}

// A preset is exactly its (a, b, c, d): giving them explicitly (from the
// fixture, i.e. the paper's table as izhikevich.py has it) reproduces the
// preset bit for bit, and a given value overrides the preset.
func TestIzhPresetsAndOverrides(t *testing.T) {
	f := izhLoad(t)
	for _, p := range f.Protocols {
		a, _ := izhRun(t, p, 300, 0.1, nil)
		over := param.Values{"a": num(p.A), "b": num(p.B), "c": num(p.C), "d": num(p.D)}
		q := p
		q.Preset = "RS" // the explicit values must override RS's
		b, _ := izhRun(t, q, 300, 0.1, over)
		if !izhEqualTimes(a, b) {
			t.Errorf("%s: preset gives %v, explicit (a, b, c, d) = (%g, %g, %g, %g) give %v", p.Name, a, p.A, p.B, p.C, p.D, b)
		}
	}
	// Overriding only d of RS by IB's d changes the pattern.
	m, v := values(t, "izhikevich", param.Values{"preset": word("RS"), "d": num(4)})
	k, err := m.New(1, v, neuron.Env{Dt: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	var out neuron.Output
	in := neuron.Input{Ex: []float64{0}, In: []float64{0}, I: []float64{10}}
	n := 0
	for range 5000 {
		out.Reset()
		k.Step(0, 1, &in, &out)
		n += len(out.IDs)
	}
	if n <= 12 {
		t.Errorf("RS with d = 4: %d spikes in 500 ms at I = 10, want more than RS's 12 (less adaptation)", n)
	}
}

func izhEqualTimes(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// A synaptic input makes v jump by the weight at the end of the step; the
// resting point is a fixed point of both integrators; a jump to 30 mV or
// above fires in the same step and resets v ← c, u ← u + d.
func TestIzhDeltaSynapse(t *testing.T) {
	for _, integ := range []string{"rk4", "izhikevich2003"} {
		const b = 0.2
		vr := izhRest(b)
		s := newSim(t, "izhikevich", 3, param.Values{"integrator": word(integ)}, neuron.Env{Dt: 0.1})
		V, U := s.k.Var("v"), s.k.Var("u")
		for i := range V {
			V[i], U[i] = vr, b*vr
		}
		for range 1000 { // 100 ms at rest
			if out := s.step(); len(out.IDs) != 0 {
				t.Fatalf("%s: spike at rest", integ)
			}
		}
		for i := range V {
			if math.Abs(V[i]-vr) > 1e-9 || math.Abs(U[i]-b*vr) > 1e-9 {
				t.Fatalf("%s: rest (%.12g, %.12g) drifted to (%.12g, %.12g)", integ, vr, b*vr, V[i], U[i])
			}
		}
		s.in.Ex[0], s.in.In[1], s.in.Ex[2] = 2.5, -1.5, 120
		out := s.step()
		if math.Abs(V[0]-(vr+2.5)) > 1e-9 || math.Abs(V[1]-(vr-1.5)) > 1e-9 {
			t.Errorf("%s: v after +2.5 and −1.5 mV inputs = %.12g, %.12g; want %.12g, %.12g", integ, V[0], V[1], vr+2.5, vr-1.5)
		}
		if len(out.IDs) != 1 || out.IDs[0] != 2 || out.Amp[0] != 1 {
			t.Errorf("%s: a 120 mV jump emitted %v %v, want neuron 2 with amplitude 1", integ, out.IDs, out.Amp)
		}
		if V[2] != -65 || math.Abs(U[2]-(b*vr+8)) > 1e-9 {
			t.Errorf("%s: after the spike (v, u) = (%g, %.12g), want (c, u + d) = (-65, %.12g)", integ, V[2], U[2], b*vr+8)
		}
	}
}

// A runaway drive (1 µA: v̇ ~ 10⁶ mV/ms, many resets per step) and, with
// rk4, a neuron started far above the peak neither stall nor produce NaN
// or Inf. (The published scheme started at v = 10⁶ mV overflows within a
// few steps, as the paper's code would: that is its behaviour.)
func TestIzhRunaway(t *testing.T) {
	for _, integ := range []string{"rk4", "izhikevich2003"} {
		s := newSim(t, "izhikevich", 2, param.Values{"integrator": word(integ)}, neuron.Env{Dt: 0.1})
		if integ == "rk4" {
			s.k.Var("v")[1] = 1e6
		}
		s.in.I = []float64{1e6, 0}
		n := 0
		for range 500 {
			n += len(s.step().IDs)
			for _, name := range []string{"v", "u"} {
				for _, x := range s.k.Var(name) {
					if math.IsNaN(x) || math.IsInf(x, 0) {
						t.Fatalf("%s: %s = %v", integ, name, x)
					}
				}
			}
		}
		if n < 500 {
			t.Errorf("%s: %d spikes in 500 steps at 1 µA, want one per step", integ, n)
		}
	}
}

// izhRest is the stable resting potential for bias b: the lower root of
// 0.04v² + (5 − b)v + 140 = 0.
func izhRest(b float64) float64 {
	B := 5 - b
	return (-B - math.Sqrt(B*B-4*0.04*140)) / (2 * 0.04)
}

// The resonator (RZ) rings: after a small kick its v oscillates around
// rest with the frequency and damping of the linearised system, whose
// eigenvalues λ = α ± iω solve λ² − (J₁₁ − a)λ + (−a·J₁₁ + a·b) = 0 with
// J₁₁ = 0.08·v* + 5. At v* = −62.5 mV, J₁₁ = 0 and λ = −0.05 ± 0.1533i /ms:
// period 2π/ω = 40.98 ms, amplitude ×e^{α·T} = 0.1287 per period. A 0.05 mV
// kick keeps the response linear to better than 1%; peak times are on the
// 0.01 ms grid and refined by a parabola through the samples.
func TestIzhResonatorRinging(t *testing.T) {
	const a, b, dt = 0.1, 0.26, 0.01
	vr := izhRest(b)
	j11 := 0.08*vr + 5
	tr, det := j11-a, -a*j11+a*b
	alpha, omega := tr/2, math.Sqrt(det-tr*tr/4)
	period, decay := 2*math.Pi/omega, math.Exp(alpha*2*math.Pi/omega)
	s := newSim(t, "izhikevich", 1, param.Values{"preset": word("RZ")}, neuron.Env{Dt: dt})
	V, U := s.k.Var("v"), s.k.Var("u")
	V[0], U[0] = vr, b*vr
	s.in.Ex[0] = 0.05
	var trace []float64
	for range 10000 { // 100 ms: two periods
		s.step()
		trace = append(trace, V[0]-vr)
	}
	var peaks, heights []float64
	for k := 1; k+1 < len(trace); k++ {
		if trace[k] > trace[k-1] && trace[k] >= trace[k+1] && trace[k] > 0 {
			y0, y1, y2 := trace[k-1], trace[k], trace[k+1]
			off := 0.5 * (y0 - y2) / (y0 - 2*y1 + y2)
			peaks = append(peaks, (float64(k+1)+off)*dt)
			heights = append(heights, y1-0.25*(y0-y2)*off)
		}
	}
	if len(peaks) < 2 {
		t.Fatalf("RZ: %d maxima after a kick, want a damped oscillation (trace ends at %.4g mV)", len(peaks), trace[len(trace)-1])
	}
	if got := peaks[1] - peaks[0]; math.Abs(got-period) > 0.01*period {
		t.Errorf("RZ ringing period %.3f ms, linearisation %.3f ms (tolerance 1%%)", got, period)
	}
	if got := heights[1] / heights[0]; math.Abs(got-decay) > 0.01*decay {
		t.Errorf("RZ amplitude ratio per period %.4f, linearisation %.4f (tolerance 1%%)", got, decay)
	}
	if n := izhSignChanges(trace); n < 4 {
		t.Errorf("RZ: v − v* changes sign %d times in 100 ms, want ≥ 4 (ringing)", n)
	}
	// An integrator (RS: real eigenvalues −0.027 and −0.593 /ms) does not
	// ring: v − v*, a sum of two decaying exponentials, changes sign at
	// most once.
	s = newSim(t, "izhikevich", 1, param.Values{"preset": word("RS")}, neuron.Env{Dt: dt})
	vr = izhRest(0.2)
	s.k.Var("v")[0], s.k.Var("u")[0] = vr, 0.2*vr
	s.in.Ex[0] = 0.05
	trace = trace[:0]
	for range 10000 {
		s.step()
		trace = append(trace, s.k.Var("v")[0]-vr)
	}
	if n := izhSignChanges(trace); n > 1 {
		t.Errorf("RS: v − v* changes sign %d times after a kick, want at most once (no ringing)", n)
	}
}

// izhSignChanges counts the sign changes in x, ignoring |x| < 1e-9.
func izhSignChanges(x []float64) int {
	n, last := 0, 0.0
	for _, y := range x {
		if math.Abs(y) < 1e-9 {
			continue
		}
		if last != 0 && (y > 0) != (last > 0) {
			n++
		}
		last = y
	}
	return n
}

// Injected current is I = (I_e + I_ext)/C_m: in.I and I_e are
// interchangeable, and doubling C_m halves the effect of a current.
func TestIzhCurrentScale(t *testing.T) {
	run := func(over param.Values, cur float64) []int64 {
		s := newSim(t, "izhikevich", 1, over, neuron.Env{Dt: 0.1})
		s.in.I = []float64{cur}
		var st []int64
		for k := range int64(3000) {
			if len(s.step().IDs) > 0 {
				st = append(st, k)
			}
		}
		return st
	}
	ref := run(nil, 10)
	if len(ref) < 5 {
		t.Fatalf("RS at 10 pA: only %d spikes in 300 ms", len(ref))
	}
	for _, c := range []struct {
		over param.Values
		cur  float64
	}{
		{param.Values{"I_e": num(10)}, 0},
		{param.Values{"I_e": num(4)}, 6},
		{param.Values{"C_m": num(2)}, 20},
		{param.Values{"C_m": num(2), "I_e": num(20)}, 0},
	} {
		if got := run(c.over, c.cur); !equalSteps(got, ref) {
			t.Errorf("%v with in.I = %g pA: spikes at steps %v, want %v (10 pA at 1 pF)", c.over, c.cur, got, ref)
		}
	}
}

// A kernel stepped in two ranges gives the same result as in one, bit for
// bit.
func TestIzhRanges(t *testing.T) {
	for _, integ := range []string{"rk4", "izhikevich2003"} {
		over := param.Values{"I_e": num(8), "integrator": word(integ), "preset": word("CH")}
		a := newSim(t, "izhikevich", 5, over, neuron.Env{Dt: 0.1})
		b := newSim(t, "izhikevich", 5, over, neuron.Env{Dt: 0.1})
		for k := range 3000 {
			for i := range 5 {
				if (k+i)%11 == 0 {
					a.in.Ex[i], b.in.Ex[i] = float64(i), float64(i)
				}
			}
			oa := a.step()
			b.out.Reset()
			b.k.Step(0, 2, &b.in, &b.out)
			b.k.Step(2, 5, &b.in, &b.out)
			clear(b.in.Ex)
			if len(oa.IDs) != len(b.out.IDs) {
				t.Fatalf("%s step %d: one range emits %v, two ranges %v", integ, k, oa.IDs, b.out.IDs)
			}
			for j := range oa.IDs {
				if oa.IDs[j] != b.out.IDs[j] {
					t.Fatalf("%s step %d: one range emits %v, two ranges %v", integ, k, oa.IDs, b.out.IDs)
				}
			}
			for _, name := range []string{"v", "u"} {
				for i, x := range a.k.Var(name) {
					if y := b.k.Var(name)[i]; x != y {
						t.Fatalf("%s step %d: %s[%d] = %.17g in one range, %.17g in two", integ, k, name, i, x, y)
					}
				}
			}
		}
	}
}

// Model.Check rejects ill-posed Izhikevich parameters with a message
// naming the parameter.
func TestIzhCheck(t *testing.T) {
	cases := []struct {
		over  param.Values
		dt    float64
		param string // "" if valid
		msg   string
	}{
		{nil, 0.1, "", ""},
		{param.Values{"preset": word("FS"), "d": num(-1)}, 0.1, "", ""},
		{param.Values{"integrator": word("izhikevich2003")}, 1, "", ""},
		{param.Values{"integrator": word("izhikevich2003")}, 2, "integrator", "dt ≤ 1 ms"},
		{param.Values{"integrator": word("rk4")}, 2, "", ""},
		{param.Values{"c": num(30)}, 0.1, "c", "below the 30 mV peak"},
		{param.Values{"c": num(45)}, 0.1, "c", "below the 30 mV peak"},
		{param.Values{"a": num(0)}, 0.1, "a", "positive"},
		{param.Values{"a": num(-0.02)}, 0.1, "a", "positive"},
		{param.Values{"C_m": num(0)}, 0.1, "C_m", "positive"},
		{param.Values{"preset": word("XX")}, 0.1, "preset", "unknown preset"},
	}
	for _, tc := range cases {
		m, v := values(t, "izhikevich", tc.over)
		errs := m.Check(v, tc.dt)
		if tc.param == "" {
			if len(errs) != 0 {
				t.Errorf("%v dt=%g: unexpected errors %v", tc.over, tc.dt, errs)
			}
			continue
		}
		if len(errs) != 1 || errs[0].Param != tc.param || !strings.Contains(errs[0].Msg, tc.msg) {
			t.Errorf("%v dt=%g: errors %v, want one on %s mentioning %q", tc.over, tc.dt, errs, tc.param, tc.msg)
		}
		if _, err := m.New(1, v, neuron.Env{Dt: tc.dt}); err == nil {
			t.Errorf("%v dt=%g: New accepted what Check rejects", tc.over, tc.dt)
		}
	}
	// The schema itself refuses an unknown preset and a non-positive a.
	m, _ := neuron.Lookup("izhikevich")
	for name, text := range map[string]string{"preset": "XX", "a": "0 1/ms"} {
		d, _ := m.Def(name)
		if _, err := d.Parse(text); err == nil {
			t.Errorf("parameter %s accepted %q", name, text)
		}
	}
}

// BenchmarkIzhikevichStep: 10 000 RS neurons with currents spread over
// 0–15 pA (silent to ~25 Hz) at dt = 0.1 ms, rk4 and the published scheme.
func BenchmarkIzhikevichStep(b *testing.B) {
	for _, integ := range []string{"rk4", "izhikevich2003"} {
		b.Run(integ, func(b *testing.B) {
			const n = 10000
			m, v := values(b, "izhikevich", param.Values{"integrator": word(integ)})
			k, err := m.New(n, v, neuron.Env{Dt: 0.1})
			if err != nil {
				b.Fatal(err)
			}
			in := neuron.Input{Ex: make([]float64, n), In: make([]float64, n), I: make([]float64, n)}
			for i := range in.I {
				in.I[i] = 15 * float64(i) / n
			}
			out := neuron.Output{IDs: make([]int32, 0, n), Amp: make([]float64, 0, n)}
			for range 2000 { // past the onset transient
				out.Reset()
				k.Step(0, n, &in, &out)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				out.Reset()
				k.Step(0, n, &in, &out)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/neuron")
		})
	}
}

func izhAbs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
