package neuron_test

import (
	"math"
	"strings"
	"testing"

	"github.com/hebb-snn/hebb/neuron"
	"github.com/hebb-snn/hebb/param"
)

var lifModels = []string{"lif_delta", "lif_exp"}

// spikeSteps runs s for steps steps with constant current cur injected
// into neuron 0 (nil: none) and returns the steps in which neuron 0 spiked.
func spikeSteps(s *sim, steps int, cur []float64) []int64 {
	s.in.I = cur
	var out []int64
	for range steps {
		st := s.s
		for _, id := range s.step().IDs {
			if id == 0 {
				out = append(out, st)
			}
		}
	}
	return out
}

// The f–I curve of a LIF neuron with constant current I and absolute
// refractory period: after a spike V restarts from V_reset and reaches
// V_th after τ_m·ln((V_reset − V∞)/(V_th − V∞)), V∞ = V_rest + R·I. With
// exact integration and end-of-step stamps each interspike interval is the
// analytic one rounded up to the dt grid: within [T, T + dt].
func TestLIFFICurveExact(t *testing.T) {
	const (
		dt, tau, c             = 0.1, 20.0, 250.0
		vrest, vth, vreset, tr = -70.0, -55.0, -75.0, 2.0
		steps                  = 10000 // 1 s
		eps                    = 1e-9  // ms, rounding slack on the grid
	)
	r := tau / c // GΩ
	for _, name := range lifModels {
		for _, I := range []float64{200, 250, 400, 700, 1500} {
			over := param.Values{"tau_m": num(tau), "C_m": num(c), "V_rest": num(vrest), "V_th": num(vth), "V_reset": num(vreset), "t_ref": num(tr)}
			env := neuron.Env{Dt: dt}
			viaI := spikeSteps(newSim(t, name, 1, over, env), steps, []float64{I})
			over["I_e"] = num(I)
			viaIe := spikeSteps(newSim(t, name, 1, over, env), steps, nil)
			if !equalSteps(viaI, viaIe) {
				t.Errorf("%s I=%g pA: in.I gives spikes at steps %v, I_e at %v", name, I, viaI, viaIe)
			}

			vinf := vrest + r*I
			T := tr + tau*math.Log((vreset-vinf)/(vth-vinf))
			T0 := tau * math.Log((vrest-vinf)/(vth-vinf)) // first spike, from V_rest
			if len(viaI) < 5 {
				t.Fatalf("%s I=%g pA: %d spikes in 1 s, want at least 5 (T = %.3f ms)", name, I, len(viaI), T)
			}
			if t0 := float64(viaI[0]+1) * dt; t0 < T0-eps || t0 > T0+dt+eps {
				t.Errorf("%s I=%g pA: first spike at %.4f ms, want in [%.4f, %.4f]", name, I, t0, T0, T0+dt)
			}
			for k := 1; k < len(viaI); k++ {
				isi := float64(viaI[k]-viaI[k-1]) * dt
				if isi < T-eps || isi > T+dt+eps {
					t.Errorf("%s I=%g pA: ISI %d = %.4f ms, want in [%.4f, %.4f]", name, I, k, isi, T, T+dt)
				}
			}
			rate := float64(len(viaI)-1) / (float64(viaI[len(viaI)-1]-viaI[0]) * dt) * 1000 // Hz
			if lo, hi := 1000/(T+dt), 1000/T; rate < lo*(1-1e-9) || rate > hi*(1+1e-9) {
				t.Errorf("%s I=%g pA: rate %.4f Hz, want in [%.4f, %.4f] (1/(T+dt), 1/T)", name, I, rate, lo, hi)
			}
		}
	}
}

func equalSteps(a, b []int64) bool {
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

// The code lab: τ_m = 20 ms, V_rest = −70 mV, V_th = −54 mV,
// V_reset = −80 mV, R_m = 10 MΩ, I = 1.8 nA, dt = 0.1 ms: five spikes in
// 300 ms, the first after τ_m·ln 9 = 43.94 ms and then every
// τ_m·ln 14 = 52.78 ms.
func TestLIFCodeLab(t *testing.T) {
	const dt = 0.1
	over := param.Values{"tau_m": num(20), "R_m": num(0.01), "V_rest": num(-70), "V_th": num(-54), "V_reset": num(-80), "t_ref": num(0)}
	for _, name := range lifModels {
		sp := spikeSteps(newSim(t, name, 1, over, neuron.Env{Dt: dt}), 3000, []float64{1800})
		if len(sp) != 5 {
			t.Fatalf("%s: %d spikes in 300 ms, want 5 (steps %v)", name, len(sp), sp)
		}
		T0, T := 20*math.Log(9), 20*math.Log(14)
		if t0 := float64(sp[0]+1) * dt; t0 < T0 || t0 > T0+dt {
			t.Errorf("%s: first spike at %.2f ms, want in [%.3f, %.3f]", name, t0, T0, T0+dt)
		}
		for k := 1; k < len(sp); k++ {
			if isi := float64(sp[k]-sp[k-1]) * dt; isi < T-1e-9 || isi > T+dt+1e-9 {
				t.Errorf("%s: ISI %.2f ms, want in [%.3f, %.3f]", name, isi, T, T+dt)
			}
		}
	}
}

// Below rheobase (V∞ < V_th) a neuron never fires, and V settles at V∞.
func TestLIFBelowRheobase(t *testing.T) {
	const tau, c, vrest, vth = 20.0, 250.0, -70.0, -55.0
	rheo := (vth - vrest) / (tau / c) // 187.5 pA
	for _, name := range lifModels {
		for _, frac := range []float64{0.5, 0.999} {
			I := frac * rheo
			over := param.Values{"tau_m": num(tau), "C_m": num(c), "V_rest": num(vrest), "V_th": num(vth), "I_e": num(I)}
			s := newSim(t, name, 1, over, neuron.Env{Dt: 0.1})
			if sp := spikeSteps(s, 40000, nil); len(sp) != 0 { // 4 s = 200 τ_m
				t.Errorf("%s I=%.4g pA (%.3g of rheobase): %d spikes, want none", name, I, frac, len(sp))
			}
			vinf := vrest + tau/c*I
			if v := s.k.Var("V")[0]; math.Abs(v-vinf) > 1e-9 {
				t.Errorf("%s I=%.4g pA: V after 200 τ_m = %.12g mV, want V∞ = %.12g mV", name, I, v, vinf)
			}
		}
	}
}

// Exact integration: without threshold crossings V after k steps of
// constant current is V∞ + (V0 − V∞)·e^{−k·dt/τ_m}, whatever dt. Each step
// is exact to a few ulps of V (1e-13 mV); over k steps round-off of the
// propagator e^{−dt/τ_m} adds up to about k·ε·|V0 − V∞|, so the closed form
// holds to 1e-12 mV for 500 steps (dt 0.1 ms) and 1e-11 mV for 5000 steps
// (dt 0.01 ms).
func TestLIFExactIntegration(t *testing.T) {
	const tau, c, vrest, I, tEnd = 20.0, 250.0, -70.0, 150.0, 50.0
	vinf := vrest + tau/c*I // −58 mV, below V_th = −55 mV
	v0 := []float64{-80, -56}
	tol := map[float64]float64{0.1: 1e-12, 0.01: 1e-11}
	for _, name := range lifModels {
		final := map[float64][]float64{}
		for _, dt := range []float64{0.1, 0.01} {
			s := newSim(t, name, 2, param.Values{"tau_m": num(tau), "C_m": num(c), "V_rest": num(vrest)}, neuron.Env{Dt: dt})
			V := s.k.Var("V")
			copy(V, v0)
			s.in.I = []float64{I, I}
			K := int(math.Round(tEnd / dt))
			worst, worstStep := 0.0, 0.0
			prev := append([]float64(nil), v0...)
			for k := 1; k <= K; k++ {
				if out := s.step(); len(out.IDs) != 0 {
					t.Fatalf("%s dt=%g: unexpected spike %v", name, dt, out.IDs)
				}
				for i := range v0 {
					want := vinf + (v0[i]-vinf)*math.Exp(-float64(k)*dt/tau)
					worst = max(worst, math.Abs(V[i]-want))
					one := vinf + (prev[i]-vinf)*math.Exp(-dt/tau)
					worstStep = max(worstStep, math.Abs(V[i]-one))
					prev[i] = V[i]
				}
			}
			if worstStep > 1e-13 {
				t.Errorf("%s dt=%g: one step differs from V∞ + (V − V∞)·e^{−dt/τ} by up to %.3g mV, want ≤ 1e-13", name, dt, worstStep)
			}
			if worst > tol[dt] {
				t.Errorf("%s dt=%g: max |V − analytic| = %.3g mV over %d steps, want ≤ %g", name, dt, worst, K, tol[dt])
			}
			final[dt] = append([]float64(nil), V...)
		}
		for i := range v0 {
			if d := math.Abs(final[0.1][i] - final[0.01][i]); d > 1e-11 {
				t.Errorf("%s: V(%g ms) differs by %.3g mV between dt 0.1 and 0.01 ms, want ≤ 1e-11", name, tEnd, d)
			}
		}
	}
}

// Forward Euler is the textbook recurrence V += dt/τ·(−(V − V_rest) + R·I),
// bit for bit, and its error is first order in dt.
func TestLIFEuler(t *testing.T) {
	const tau, c, vrest, I, v0, tEnd = 20.0, 250.0, -70.0, 150.0, -80.0, 10.0
	R := tau / c
	vinf := vrest + R*I
	exact := vinf + (v0-vinf)*math.Exp(-tEnd/tau)
	for _, name := range lifModels {
		errAt := map[float64]float64{}
		for _, dt := range []float64{0.1, 0.01} {
			s := newSim(t, name, 1, param.Values{"tau_m": num(tau), "C_m": num(c), "V_rest": num(vrest), "integrator": word("euler")}, neuron.Env{Dt: dt})
			s.k.Var("V")[0] = v0
			s.in.I = []float64{I}
			v := v0
			K := int(math.Round(tEnd / dt))
			for k := 1; k <= K; k++ {
				s.step()
				v += dt / tau * (-(v - vrest) + R*I)
				if got := s.k.Var("V")[0]; got != v {
					t.Fatalf("%s dt=%g step %d: V = %.17g, recurrence gives %.17g", name, dt, k, got, v)
				}
			}
			errAt[dt] = math.Abs(v - exact)
		}
		if errAt[0.1] < 1e-3 {
			t.Errorf("%s: Euler error at dt 0.1 ms is %.3g mV, suspiciously small (is it Euler?)", name, errAt[0.1])
		}
		if ratio := errAt[0.1] / errAt[0.01]; ratio < 9 || ratio > 11 {
			t.Errorf("%s: Euler error ratio dt 0.1 → 0.01 ms = %.3f (errors %.3g, %.3g mV), want ≈ 10 (first order)", name, ratio, errAt[0.1], errAt[0.01])
		}
	}
}

// lif_exp: an input of weight w makes I_syn jump by w, and I_syn decays as
// w·e^{−t/τ_syn}, with separate time constants for ex and in.
func TestLIFExpSynapticCurrents(t *testing.T) {
	const dt, te, ti, wEx, wIn = 0.1, 2.0, 8.0, 120.0, -60.0
	s := newSim(t, "lif_exp", 1, param.Values{"tau_syn_ex": num(te), "tau_syn_in": num(ti)}, neuron.Env{Dt: dt})
	s.in.Ex[0], s.in.In[0] = wEx, wIn
	s.step() // the input arrives at the end of step 0
	Iex, Iin := s.k.Var("I_ex"), s.k.Var("I_in")
	for k := 0; k <= 400; k++ {
		wantEx, wantIn := wEx*math.Exp(-float64(k)*dt/te), wIn*math.Exp(-float64(k)*dt/ti)
		if math.Abs(Iex[0]-wantEx) > 1e-12*wEx || math.Abs(Iin[0]-wantIn) > 1e-12*-wIn {
			t.Fatalf("%g ms after arrival: I_ex = %.15g, I_in = %.15g pA; want %.15g, %.15g", float64(k)*dt, Iex[0], Iin[0], wantEx, wantIn)
		}
		s.step()
	}
}

// psp is the potential change of a current-based neuron, t ms after an
// input of weight w (pA) that decays with τ_s:
// (w/C)·τ_m·τ_s/(τ_m − τ_s)·(e^{−t/τ_m} − e^{−t/τ_s}).
func psp(w, c, tm, ts, t float64) float64 {
	return w / c * tm * ts / (tm - ts) * (math.Exp(-t/tm) - math.Exp(-t/ts))
}

// lif_exp PSPs follow the analytic difference of exponentials and peak at
// t_peak = τ_m·τ_s/(τ_m − τ_s)·ln(τ_m/τ_s).
func TestLIFExpPSP(t *testing.T) {
	const dt, c, tm, te, ti, w = 0.1, 250.0, 10.0, 2.0, 8.0, 100.0
	s := newSim(t, "lif_exp", 2, param.Values{"tau_m": num(tm), "C_m": num(c), "tau_syn_ex": num(te), "tau_syn_in": num(ti)}, neuron.Env{Dt: dt})
	vrest := -70.0
	s.in.Ex[0], s.in.In[1] = w, -w
	s.step()
	V := s.k.Var("V")
	peak := [2]int{}
	best := [2]float64{}
	worst := 0.0
	for k := 0; k <= 600; k++ {
		tt := float64(k) * dt
		got := [2]float64{V[0] - vrest, V[1] - vrest}
		want := [2]float64{psp(w, c, tm, te, tt), psp(-w, c, tm, ti, tt)}
		for i := range got {
			worst = max(worst, math.Abs(got[i]-want[i]))
			if math.Abs(got[i]) > best[i] {
				best[i], peak[i] = math.Abs(got[i]), k
			}
		}
		s.step()
	}
	if worst > 1e-12 {
		t.Errorf("max |PSP − analytic| = %.3g mV, want ≤ 1e-12", worst)
	}
	for i, ts := range []float64{te, ti} {
		tp := tm * ts / (tm - ts) * math.Log(tm/ts)
		if got := float64(peak[i]) * dt; math.Abs(got-tp) > dt {
			t.Errorf("τ_s = %g ms: PSP peaks %.2f ms after arrival, analytic t_peak = %.4f ms", ts, got, tp)
		}
	}
	if best[0] < 0.3 || best[1] < 0.3 {
		t.Errorf("PSP amplitudes %.3g, %.3g mV: too small to test anything", best[0], best[1])
	}
}

// With τ_s = τ_m the PSP is (w/C)·t·e^{−t/τ}: the propagator must stay
// finite and accurate at and next to the limit.
func TestLIFExpEqualTimeConstants(t *testing.T) {
	const dt, c, tau, w = 0.1, 250.0, 5.0, 100.0
	// τ_s = τ_m exactly, and within 1e-10 on either side (the general
	// formula with expm1, and the limit branch of the propagator).
	for _, ts := range []float64{tau, tau * (1 + 1e-10), tau * (1 - 1e-10), tau * (1 + 1e-14)} {
		s := newSim(t, "lif_exp", 1, param.Values{"tau_m": num(tau), "C_m": num(c), "tau_syn_ex": num(ts)}, neuron.Env{Dt: dt})
		s.in.Ex[0] = w
		s.step()
		V := s.k.Var("V")
		worst := 0.0
		for k := 0; k <= 300; k++ {
			tt := float64(k) * dt
			want := w / c * tt * math.Exp(-tt/tau)
			got := V[0] + 70
			if math.IsNaN(got) || math.IsInf(got, 0) {
				t.Fatalf("τ_s = %.12g ms: V = %v", ts, V[0])
			}
			worst = max(worst, math.Abs(got-want))
			s.step()
		}
		if worst > 1e-9 {
			t.Errorf("τ_s = %.12g ms, τ_m = %g ms: max |PSP − (w/C)·t·e^{−t/τ}| = %.3g mV, want ≤ 1e-9", ts, tau, worst)
		}
	}
}

// After a spike V is held at V_reset for exactly round(t_ref/dt) steps and
// then integrates again from V_reset; lif_delta ignores input meanwhile.
func TestLIFRefractory(t *testing.T) {
	const tau, c, vrest, vreset, I = 20.0, 250.0, -70.0, -72.0, 1000.0
	vinf := vrest + tau/c*I
	for _, name := range lifModels {
		for _, tc := range []struct{ dt, tref float64 }{{0.1, 2}, {0.05, 2}, {0.1, 0.3}, {0.1, 0}} {
			nref := int(math.Round(tc.tref / tc.dt))
			over := param.Values{"tau_m": num(tau), "C_m": num(c), "V_rest": num(vrest), "V_reset": num(vreset), "t_ref": num(tc.tref)}
			// Neuron 1 also receives input during its refractory steps.
			s := newSim(t, name, 2, over, neuron.Env{Dt: tc.dt})
			s.in.I = []float64{I, I}
			V := s.k.Var("V")
			var trace [2][]float64
			var spikes [2][]int
			refUntil := -1 // last refractory step of neuron 1
			for k := 0; k < 2000; k++ {
				if name == "lif_delta" && k <= refUntil {
					s.in.Ex[1], s.in.In[1] = 5, -1
				}
				out := s.step()
				for _, id := range out.IDs {
					spikes[id] = append(spikes[id], k)
					if id == 1 {
						refUntil = k + nref
					}
				}
				trace[0], trace[1] = append(trace[0], V[0]), append(trace[1], V[1])
			}
			if len(spikes[0]) < 3 {
				t.Fatalf("%s dt=%g t_ref=%g: only %d spikes", name, tc.dt, tc.tref, len(spikes[0]))
			}
			for _, sp := range spikes[0][:len(spikes[0])-1] {
				for j := 0; j <= nref; j++ {
					if trace[0][sp+j] != vreset {
						t.Fatalf("%s dt=%g t_ref=%g: V = %.15g mV %d steps after the spike, want V_reset (held %d steps)", name, tc.dt, tc.tref, trace[0][sp+j], j, nref)
					}
				}
				// The first free step starts from V_reset.
				want := vinf + (vreset-vinf)*math.Exp(-tc.dt/tau)
				if got := trace[0][sp+nref+1]; math.Abs(got-want) > 1e-12 {
					t.Fatalf("%s dt=%g t_ref=%g: V = %.15g mV in the first step after t_ref, want %.15g", name, tc.dt, tc.tref, got, want)
				}
			}
			if name == "lif_delta" {
				for k := range trace[0] {
					if trace[0][k] != trace[1][k] {
						t.Fatalf("lif_delta dt=%g t_ref=%g: input during refractoriness changed V at step %d (%.15g vs %.15g)", tc.dt, tc.tref, k, trace[1][k], trace[0][k])
					}
				}
				if tc.tref > 0 && refUntil < 0 {
					t.Fatal("neuron 1 never spiked")
				}
			}
		}
	}
}

// A delta input makes V jump by the weight at the end of the step.
func TestLIFDeltaJump(t *testing.T) {
	s := newSim(t, "lif_delta", 2, nil, neuron.Env{Dt: 0.1})
	s.in.Ex[0], s.in.In[1] = 2.5, -1.5
	s.step()
	if V := s.k.Var("V"); V[0] != -70+2.5 || V[1] != -70-1.5 {
		t.Errorf("V after inputs +2.5 and −1.5 mV = %v, want [-67.5 -71.5]", V)
	}
	// A jump over threshold fires in the same step; a jump to just below
	// does not.
	s.in.Ex[1] = 15 // from −71.5 mV: ends below −55 mV after the leak
	s.in.Ex[0] = 20
	if out := s.step(); len(out.IDs) != 1 || out.IDs[0] != 0 || out.Amp[0] != 1 {
		t.Errorf("input to threshold: emitted %v %v, want neuron 0 with amplitude 1", out.IDs, out.Amp)
	}
	// Reaching V_th exactly is a spike (V ≥ V_th): a neuron at rest with no
	// current stays at V_rest exactly, and a 15 mV jump lands on −55 mV.
	s = newSim(t, "lif_delta", 1, param.Values{"t_ref": num(0)}, neuron.Env{Dt: 0.1})
	s.in.Ex[0] = 15
	if out := s.step(); len(out.IDs) != 1 {
		t.Errorf("V = V_th exactly: no spike (the threshold is V ≥ V_th)")
	}
}

// A kernel stepped in two ranges gives the same result as in one.
func TestLIFRanges(t *testing.T) {
	for _, name := range lifModels {
		over := param.Values{"I_e": num(400)}
		a := newSim(t, name, 6, over, neuron.Env{Dt: 0.1})
		b := newSim(t, name, 6, over, neuron.Env{Dt: 0.1})
		for k := range 3000 {
			for i := range 6 {
				if (k+i)%7 == 0 {
					a.in.Ex[i], b.in.Ex[i] = float64(i), float64(i)
				}
			}
			oa := a.step()
			b.in.Step = b.s
			b.out.Reset()
			b.k.Step(0, 2, &b.in, &b.out)
			b.k.Step(2, 6, &b.in, &b.out)
			clear(b.in.Ex)
			b.s++
			if len(oa.IDs) != len(b.out.IDs) {
				t.Fatalf("%s step %d: one range emits %v, two ranges %v", name, k, oa.IDs, b.out.IDs)
			}
			for j := range oa.IDs {
				if oa.IDs[j] != b.out.IDs[j] {
					t.Fatalf("%s step %d: one range emits %v, two ranges %v", name, k, oa.IDs, b.out.IDs)
				}
			}
		}
	}
}

// Model.Check rejects ill-posed LIF parameters.
func TestLIFCheck(t *testing.T) {
	for _, name := range lifModels {
		cases := []struct {
			over  param.Values
			dt    float64
			param string // "" if valid
			msg   string
		}{
			{nil, 0.1, "", ""},
			{param.Values{"t_ref": num(0.3)}, 0.1, "", ""},
			{param.Values{"t_ref": num(2)}, 0.01, "", ""},
			{param.Values{"R_m": num(0.04)}, 0.1, "", ""},
			{param.Values{"V_reset": num(-55)}, 0.1, "V_reset", "below V_th"},
			{param.Values{"V_reset": num(-50)}, 0.1, "V_reset", "below V_th"},
			{param.Values{"C_m": num(200), "R_m": num(0.04)}, 0.1, "R_m", "not both"},
			{param.Values{"t_ref": num(2.05)}, 0.1, "t_ref", "whole number of steps"},
			{param.Values{"t_ref": num(1)}, 0.3, "t_ref", "whole number of steps"},
		}
		for _, tc := range cases {
			m, v := values(t, name, tc.over)
			errs := m.Check(v, tc.dt)
			if tc.param == "" {
				if len(errs) != 0 {
					t.Errorf("%s %v dt=%g: unexpected errors %v", name, tc.over, tc.dt, errs)
				}
				continue
			}
			if len(errs) != 1 || errs[0].Param != tc.param || !strings.Contains(errs[0].Msg, tc.msg) {
				t.Errorf("%s %v dt=%g: errors %v, want one on %s mentioning %q", name, tc.over, tc.dt, errs, tc.param, tc.msg)
			}
		}
		// New refuses a refractory period off the grid too.
		m, v := values(t, name, param.Values{"t_ref": num(2.05)})
		if _, err := m.New(1, v, neuron.Env{Dt: 0.1}); err == nil {
			t.Errorf("%s: New accepted t_ref = 2.05 ms with dt = 0.1 ms", name)
		}
	}
}
