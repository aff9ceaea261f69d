package neuron_test

import (
	"math"
	"strings"
	"testing"

	"github.com/hebb-snn/hebb/internal/fixture"

	"gonum.org/v1/gonum/integrate/quad"

	"github.com/hebb-snn/hebb/neuron"
	"github.com/hebb-snn/hebb/param"
)

// Tests of lif_alpha (lif.go) and of the conductance-based lif_cond_exp and
// lif_cond_alpha (lifcond.go), and f–I curves of every LIF variant.

// lvAlpha is the alpha function normalised to peak 1 at t = τ:
// (t/τ)·e^{1 − t/τ} (0 for t < 0).
func lvAlpha(t, tau float64) float64 {
	if t < 0 {
		return 0
	}
	return t / tau * math.Exp(1-t/tau)
}

// lvAlphaPSP is the potential change of a current-based LIF neuron t ms
// after an input of weight w (pA) with an alpha-shaped current, the
// convolution of I(s) = w·(s/τ_s)·e^{1 − s/τ_s} with the membrane's
// response e^{−t/τ_m}/C:
//
//	V(t) − V_rest = (w·e/(C·τ_s))·∫_0^t s·e^{−s/τ_s}·e^{−(t−s)/τ_m} ds
//	             = (w·e/(C·τ_s))·[e^{−t/τ_m} − e^{−t/τ_s}·(1 + a·t)]/a²,   a = 1/τ_s − 1/τ_m,
//
// and, for τ_s = τ_m = τ, (w·e/(C·τ))·(t²/2)·e^{−t/τ}.
func lvAlphaPSP(w, c, tm, ts, t float64) float64 {
	k := w * math.E / (c * ts)
	if tm == ts {
		return k * t * t / 2 * math.Exp(-t/tm)
	}
	a := 1/ts - 1/tm
	return k * (math.Exp(-t/tm) - math.Exp(-t/ts)*(1+a*t)) / (a * a)
}

// lif_alpha: an input of weight w arriving at t_0 gives the current
// w·((t − t_0)/τ_s)·e^{1 − (t − t_0)/τ_s}, which peaks at exactly w at
// t_0 + τ_s; ex and in have their own τ_s.
func TestLIFAlphaPSC(t *testing.T) {
	const dt, te, ti, wEx, wIn = 0.1, 2.0, 5.0, 120.0, -60.0
	s := newSim(t, "lif_alpha", 1, param.Values{"tau_syn_ex": num(te), "tau_syn_in": num(ti)}, neuron.Env{Dt: dt})
	s.in.Ex[0], s.in.In[0] = wEx, wIn
	s.step() // the input arrives at the end of step 0
	Iex, Iin := s.k.Var("I_ex"), s.k.Var("I_in")
	peak := [2]int{}
	best := [2]float64{}
	for k := 0; k <= 500; k++ {
		tt := float64(k) * dt
		wantEx, wantIn := wEx*lvAlpha(tt, te), wIn*lvAlpha(tt, ti)
		if math.Abs(Iex[0]-wantEx) > 1e-12*wEx || math.Abs(Iin[0]-wantIn) > 1e-12*-wIn {
			t.Fatalf("%g ms after arrival: I_ex = %.15g, I_in = %.15g pA; want %.15g, %.15g", tt, Iex[0], Iin[0], wantEx, wantIn)
		}
		for i, x := range []float64{Iex[0], -Iin[0]} {
			if x > best[i] {
				best[i], peak[i] = x, k
			}
		}
		s.step()
	}
	for i, c := range []struct{ tau, w float64 }{{te, wEx}, {ti, -wIn}} {
		if got := float64(peak[i]) * dt; math.Abs(got-c.tau) > 1e-9 {
			t.Errorf("τ_s = %g ms: the current peaks %.2f ms after arrival, want τ_s", c.tau, got)
		}
		if math.Abs(best[i]-c.w) > 1e-12*c.w {
			t.Errorf("τ_s = %g ms: peak current %.15g pA, want |w| = %g pA", c.tau, best[i], c.w)
		}
	}
}

// lif_alpha PSPs equal the analytic convolution at every grid point, to
// rounding (1e-12 mV on PSPs of up to 3 mV), for τ_s below and above τ_m
// and with (1/τ_s − 1/τ_m)·dt on both sides of 0.5, where the propagator
// switches from a series to the closed form; the closed form itself is
// checked against numerical quadrature of the convolution integral.
func TestLIFAlphaPSP(t *testing.T) {
	const dt, c, tm, w = 0.1, 250.0, 10.0, 100.0
	for _, ts := range [][2]float64{{0.5, 3}, {20, 2}, {0.1, 1 / 5.1}, {1 / 5.1001, 1 / 5.0999}} { // ex, in
		s := newSim(t, "lif_alpha", 2, param.Values{"tau_m": num(tm), "C_m": num(c), "tau_syn_ex": num(ts[0]), "tau_syn_in": num(ts[1])}, neuron.Env{Dt: dt})
		s.in.Ex[0], s.in.In[1] = w, -w
		s.step()
		V := s.k.Var("V")
		worst, biggest := 0.0, 0.0
		for k := 0; k <= 1000; k++ {
			tt := float64(k) * dt
			for i, want := range []float64{lvAlphaPSP(w, c, tm, ts[0], tt), lvAlphaPSP(-w, c, tm, ts[1], tt)} {
				worst = max(worst, math.Abs(V[i]+70-want))
				biggest = max(biggest, math.Abs(want))
			}
			s.step()
		}
		if worst > 1e-12 {
			t.Errorf("τ_s = %v ms: max |PSP − analytic| = %.3g mV, want ≤ 1e-12", ts, worst)
		}
		if biggest < 0.1 {
			t.Errorf("τ_s = %v ms: PSPs peak at %.3g mV, too small to test anything", ts, biggest)
		}
		// The closed form is the convolution (Gauss–Legendre on [0, t]).
		for _, tt := range []float64{0.3, 2, 7.5, 40} {
			for _, tau := range ts {
				conv := quad.Fixed(func(x float64) float64 {
					return w * lvAlpha(x, tau) * math.Exp(-(tt-x)/tm) / c
				}, 0, tt, 60, quad.Legendre{}, 0)
				if got := lvAlphaPSP(w, c, tm, tau, tt); math.Abs(got-conv) > 1e-12*math.Max(1, math.Abs(conv)) {
					t.Errorf("τ_s = %g ms, t = %g ms: closed-form PSP %.15g mV, quadrature %.15g mV", tau, tt, got, conv)
				}
			}
		}
	}
}

// With τ_s = τ_m the lif_alpha PSP is (w·e/(C·τ))·(t²/2)·e^{−t/τ}; the
// propagators stay finite and accurate at and next to the limit (within
// 1e-9 mV; τ_s = 1.001·τ_m is compared with the convolution integral done
// by quadrature, as the closed form loses digits there).
func TestLIFAlphaEqualTimeConstants(t *testing.T) {
	const dt, c, tau, w = 0.1, 250.0, 5.0, 100.0
	for _, ts := range []float64{tau, tau * (1 + 1e-10), tau * (1 - 1e-10), tau * (1 + 1e-14), tau * (1 + 1e-3)} {
		s := newSim(t, "lif_alpha", 1, param.Values{"tau_m": num(tau), "C_m": num(c), "tau_syn_ex": num(ts)}, neuron.Env{Dt: dt})
		s.in.Ex[0] = w
		s.step()
		V := s.k.Var("V")
		worst := 0.0
		for k := 0; k <= 300; k++ {
			tt := float64(k) * dt
			want := lvAlphaPSP(w, c, tau, tau, tt)
			if ts == tau*(1+1e-3) { // the convolution, by quadrature
				want = quad.Fixed(func(x float64) float64 {
					return w * lvAlpha(x, ts) * math.Exp(-(tt-x)/tau) / c
				}, 0, tt, 60, quad.Legendre{}, 0)
			}
			got := V[0] + 70
			if math.IsNaN(got) || math.IsInf(got, 0) {
				t.Fatalf("τ_s = %.15g ms: V = %v", ts, V[0])
			}
			worst = max(worst, math.Abs(got-want))
			s.step()
		}
		if worst > 1e-9 {
			t.Errorf("τ_s = %.15g ms, τ_m = %g ms: max |PSP − analytic| = %.3g mV, want ≤ 1e-9", ts, tau, worst)
		}
	}
}

// lif_alpha with integrator euler follows the forward Euler recurrence of
// its three equations, and its error is first order in dt.
func TestLIFAlphaEuler(t *testing.T) {
	const c, tm, ts, w, I, tEnd = 250.0, 10.0, 2.0, 200.0, 100.0, 10.0
	exact := lvAlphaPSP(w, c, tm, ts, tEnd) + tm/c*I*-math.Expm1(-tEnd/tm)
	errAt := map[float64]float64{}
	for _, dt := range []float64{0.1, 0.01} {
		s := newSim(t, "lif_alpha", 1, param.Values{"tau_m": num(tm), "C_m": num(c), "tau_syn_ex": num(ts), "integrator": word("euler")}, neuron.Env{Dt: dt})
		s.in.I = []float64{I}
		V := s.k.Var("V")
		v, cur, dcur := -70.0, 0.0, w*math.E/ts // the input arrives at t = 0
		s.k.Var("dI_ex")[0] = dcur
		K := int(math.Round(tEnd / dt))
		for k := 1; k <= K; k++ {
			s.step()
			v, cur, dcur = v+dt/tm*(-70-v+tm/c*(cur+I)), cur+dt*(dcur-cur/ts), dcur-dt/ts*dcur
			if math.Abs(V[0]-v) > 1e-12 {
				t.Fatalf("dt=%g step %d: V = %.15g mV, the Euler recurrence gives %.15g", dt, k, V[0], v)
			}
		}
		errAt[dt] = math.Abs(V[0] - (-70 + exact))
	}
	if ratio := errAt[0.1] / errAt[0.01]; ratio < 9 || ratio > 11 {
		t.Errorf("Euler error ratio dt 0.1 → 0.01 ms = %.3f (errors %.3g, %.3g mV), want ≈ 10 (first order)", ratio, errAt[0.1], errAt[0.01])
	}
}

// lvCondModels are the conductance-based LIF models.
var lvCondModels = []string{"lif_cond_exp", "lif_cond_alpha"}

// The conductances follow w·e^{−t/τ} (lif_cond_exp) or w·(t/τ)·e^{1 − t/τ}
// (lif_cond_alpha, peak w at τ) after an input of weight w; an inhibitory
// input adds its magnitude to g_in whatever its sign.
func TestLIFCondConductances(t *testing.T) {
	const dt, te, ti, wEx, wIn = 0.1, 3.0, 8.0, 4.0, -12.0
	for _, name := range lvCondModels {
		for _, sign := range []float64{1, -1} {
			s := newSim(t, name, 1, param.Values{"tau_syn_ex": num(te), "tau_syn_in": num(ti)}, neuron.Env{Dt: dt})
			s.in.Ex[0], s.in.In[0] = wEx, sign*wIn
			s.step()
			gEx, gIn := s.k.Var("g_ex"), s.k.Var("g_in")
			for k := 0; k <= 400; k++ {
				tt := float64(k) * dt
				wantEx, wantIn := wEx*math.Exp(-tt/te), -wIn*math.Exp(-tt/ti)
				if name == "lif_cond_alpha" {
					wantEx, wantIn = wEx*lvAlpha(tt, te), -wIn*lvAlpha(tt, ti)
				}
				if math.Abs(gEx[0]-wantEx) > 1e-12*wEx || math.Abs(gIn[0]-wantIn) > 1e-12*-wIn {
					t.Fatalf("%s, in.In = %g: %g ms after arrival g_ex = %.15g, g_in = %.15g nS; want %.15g, %.15g",
						name, sign*wIn, tt, gEx[0], gIn[0], wantEx, wantIn)
				}
				s.step()
			}
		}
	}
}

// Under constant conductances V settles at
// (g_L·E_L + g_ex·E_ex + g_in·E_in + I)/(g_L + g_ex + g_in), within
// 1e-9 mV, for both integrators. The conductances are held by making
// τ_syn astronomically long (1e20 ms: the decay per step is 1 to double
// precision) and setting them directly.
func TestLIFCondSteadyState(t *testing.T) {
	const gL, eL, eEx, eIn = 10.0, -60.0, 0.0, -80.0
	cases := []struct{ ge, gi, I float64 }{{0, 0, 0}, {0, 0, 80}, {5, 0, 0}, {0, 20, 0}, {3, 7, 50}, {40, 60, -100}, {0.5, 100, 300}}
	for _, name := range lvCondModels {
		for _, integ := range []string{"exponential", "euler"} {
			n := len(cases)
			s := newSim(t, name, n, param.Values{"tau_syn_ex": num(1e20), "tau_syn_in": num(1e20), "V_th": num(50), "integrator": word(integ)}, neuron.Env{Dt: 0.1})
			gEx, gIn, V := s.k.Var("g_ex"), s.k.Var("g_in"), s.k.Var("V")
			s.in.I = make([]float64, n)
			for i, c := range cases {
				gEx[i], gIn[i], s.in.I[i] = c.ge, c.gi, c.I
			}
			for range 40000 { // 4 s: 200 τ_m at the slowest (g_ex = g_in = 0)
				if out := s.step(); len(out.IDs) > 0 {
					t.Fatalf("%s %s: unexpected spikes %v", name, integ, out.IDs)
				}
			}
			for i, c := range cases {
				want := (gL*eL + c.ge*eEx + c.gi*eIn + c.I) / (gL + c.ge + c.gi)
				if math.Abs(V[i]-want) > 1e-9 {
					t.Errorf("%s %s g_ex=%g g_in=%g I=%g: V = %.12g mV, steady state %.12g mV", name, integ, c.ge, c.gi, c.I, V[i], want)
				}
				if gEx[i] != c.ge || gIn[i] != c.gi {
					t.Errorf("%s %s: the held conductances drifted to %g, %g nS", name, integ, gEx[i], gIn[i])
				}
			}
		}
	}
}

// lvCondPSP runs one neuron of a conductance-based model with time step dt
// from V = E_L, with the threshold out of reach (50 mV): an excitatory
// input of wEx and an inhibitory one of wIn (nS; give one) arrive at the
// end of the first step. It returns V at every
// multiple of every ms after the arrival, for T ms.
func lvCondPSP(t *testing.T, name, integ string, dt, wEx, wIn, every, T float64) []float64 {
	t.Helper()
	s := newSim(t, name, 1, param.Values{"integrator": word(integ), "V_th": num(50)}, neuron.Env{Dt: dt})
	s.in.Ex[0], s.in.In[0] = wEx, wIn
	s.step()
	per := int(math.Round(every / dt))
	K := int(math.Round(T / dt))
	V := s.k.Var("V")
	out := []float64{V[0]}
	for k := 1; k <= K; k++ {
		s.step()
		if k%per == 0 {
			out = append(out, V[0])
		}
	}
	return out
}

// The PSP of a conductance-based neuron (COBA parameters: C_m = 200 pF,
// g_L = 10 nS, E_L = −60 mV, τ_syn 5 and 10 ms), from an excitatory input
// of 5 nS and an inhibitory one of 20 nS (peaks 4.5–11.7 mV), compared at
// every 0.1 ms for 100 ms with
//   - a fine-step run of the same model (dt/100 = 0.001 ms): the exponential
//     scheme at dt = 0.1 ms is within 1e-4 mV of it (measured 3–5e-5 mV,
//     under 0.001% of the peak); halving dt divides the error by 4 (second
//     order), forward Euler's by 2 (first order, about 1000 times larger:
//     0.03–0.07 mV at 0.1 ms);
//   - scipy's DOP853 solution (rtol 1e-13) of the same equation
//     (testdata/lif/cond_psp.csv): the fine-step run agrees within 2e-8 mV
//     (measured 3–5e-9 mV), the 0.1 ms run within 1e-4 mV.
func TestLIFCondPSPConvergence(t *testing.T) {
	header, rows := fixture.Numbers(t, "testdata/lif/cond_psp.csv")
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	const every, T = 0.1, 100.0
	for _, name := range lvCondModels {
		short := strings.TrimPrefix(name, "lif_cond_")
		for _, syn := range []struct {
			label    string
			wEx, wIn float64
		}{{"ex", 5, 0}, {"in", 0, -20}} {
			what := name + " " + syn.label
			ref := lvCondPSP(t, name, "exponential", 0.001, syn.wEx, syn.wIn, every, T)
			scipy := make([]float64, len(rows))
			for i, r := range rows {
				scipy[i] = r[col[short+"_"+syn.label]]
			}
			if len(scipy) != len(ref) {
				t.Fatalf("%s: fixture has %d rows, want %d", what, len(scipy), len(ref))
			}
			peak := 0.0
			for _, v := range scipy {
				peak = max(peak, math.Abs(v+60))
			}
			maxDiff := func(a, b []float64) float64 {
				d := 0.0
				for i := range a {
					d = max(d, math.Abs(a[i]-b[i]))
				}
				return d
			}
			dRef := maxDiff(ref, scipy)
			if dRef > 2e-8 {
				t.Errorf("%s: dt = 0.001 ms differs from scipy by up to %.3g mV, want ≤ 2e-8", what, dRef)
			}
			errs := map[string][]float64{}
			for _, integ := range []string{"exponential", "euler"} {
				for _, dt := range []float64{0.1, 0.05} {
					errs[integ] = append(errs[integ], maxDiff(lvCondPSP(t, name, integ, dt, syn.wEx, syn.wIn, every, T), ref))
				}
			}
			e := errs["exponential"]
			dScipy := maxDiff(lvCondPSP(t, name, "exponential", 0.1, syn.wEx, syn.wIn, every, T), scipy)
			t.Logf("%s: peak %.3f mV; max error vs dt/100: exponential %.3g, %.3g mV; euler %.3g, %.3g mV (dt 0.1, 0.05 ms); vs scipy: dt/100 %.3g mV, exponential at 0.1 ms %.3g mV",
				what, peak, e[0], e[1], errs["euler"][0], errs["euler"][1], dRef, dScipy)
			if e[0] > 1e-4 {
				t.Errorf("%s: exponential scheme at dt = 0.1 ms differs from dt/100 by %.3g mV, want ≤ 1e-4 (PSP peak %.3g mV)", what, e[0], peak)
			}
			if dScipy > 1e-4 {
				t.Errorf("%s: exponential scheme at dt = 0.1 ms differs from scipy by %.3g mV, want ≤ 1e-4", what, dScipy)
			}
			if r := e[0] / e[1]; r < 3.6 || r > 4.4 {
				t.Errorf("%s: exponential scheme error ratio dt 0.1 → 0.05 ms = %.3f, want ≈ 4 (second order)", what, r)
			}
			if r := errs["euler"][0] / errs["euler"][1]; r < 1.8 || r > 2.2 {
				t.Errorf("%s: Euler error ratio dt 0.1 → 0.05 ms = %.3f, want ≈ 2 (first order)", what, r)
			}
		}
	}
}

// Conductance inputs drive V towards their reversal potentials: an
// excitatory input hyperpolarises a neuron held above E_ex, an inhibitory
// one depolarises a neuron held below E_in, and a huge inhibitory
// conductance pulls V to E_in but never past it, even at dt = 0.5 ms.
func TestLIFCondReversal(t *testing.T) {
	const eEx, eIn = 0.0, -80.0
	cases := []struct {
		label    string
		ie       float64 // pA; V_∞ = E_L + I_e/g_L
		wEx, wIn float64
		sign     float64 // the sign of V − V_control after the input
	}{
		{"excitation below E_ex", 0, 5, 0, 1},
		{"excitation above E_ex", 800, 5, 0, -1},    // V_∞ = +20 mV
		{"inhibition above E_in", 0, 0, -20, -1},    // V_∞ = −60 mV
		{"inhibition below E_in", -350, 0, -20, +1}, // V_∞ = −95 mV
	}
	for _, name := range lvCondModels {
		for _, dt := range []float64{0.1, 0.5} {
			for _, c := range cases {
				over := param.Values{"I_e": num(c.ie), "V_th": num(60), "V_reset": num(-70), "t_ref": num(0)}
				s := newSim(t, name, 2, over, neuron.Env{Dt: dt})
				V := s.k.Var("V")
				V[0] = -60 + c.ie/10
				V[1] = V[0]
				s.in.Ex[0], s.in.In[0] = c.wEx, c.wIn
				extreme := 0.0
				for k := 0; k < int(100/dt); k++ {
					s.step()
					d := (V[0] - V[1]) * c.sign
					if d < 0 {
						t.Fatalf("%s dt=%g %s: V − V_control = %.6g mV %g ms after the input, wrong sign", name, dt, c.label, V[0]-V[1], float64(k)*dt)
					}
					extreme = max(extreme, d)
				}
				if extreme < 0.3 {
					t.Errorf("%s dt=%g %s: PSP of only %.3g mV", name, dt, c.label, extreme)
				}
			}
			// A 10 µS inhibitory input at V = −60 mV: V falls to within
			// 0.05 mV of E_in and never below it.
			s := newSim(t, name, 1, nil, neuron.Env{Dt: dt})
			s.in.In[0] = -1e4
			low := 0.0
			for k := 0; k < int(20/dt); k++ {
				s.step()
				v := s.k.Var("V")[0]
				if v < eIn {
					t.Fatalf("%s dt=%g: a strong inhibitory input took V to %.9g mV, below E_in = %g mV", name, dt, v, eIn)
				}
				low = min(low, v)
			}
			if low > eIn+0.05 {
				t.Errorf("%s dt=%g: a 10 µS inhibitory input took V down to only %.4g mV (E_in = %g mV)", name, dt, low, eIn)
			}
		}
	}
}

// lvVariant describes how to set up one LIF variant with membrane time
// constant tau (ms), capacitance c (pF), rest, threshold and reset
// potentials and refractory period.
type lvVariant struct {
	name string
	over func(tau, c, rest, th, reset, tref float64) param.Values
}

func lvCurrentLIF(tau, c, rest, th, reset, tref float64) param.Values {
	return param.Values{"tau_m": num(tau), "C_m": num(c), "V_rest": num(rest), "V_th": num(th), "V_reset": num(reset), "t_ref": num(tref)}
}

func lvCondLIF(tau, c, rest, th, reset, tref float64) param.Values {
	return param.Values{"C_m": num(c), "g_L": num(c / tau), "E_L": num(rest), "V_th": num(th), "V_reset": num(reset), "t_ref": num(tref)}
}

var lvVariants = []lvVariant{
	{"lif_delta", lvCurrentLIF}, {"lif_exp", lvCurrentLIF}, {"lif_alpha", lvCurrentLIF},
	{"lif_cond_exp", lvCondLIF}, {"lif_cond_alpha", lvCondLIF},
}

// The f–I curve of every LIF variant with constant current I (no synaptic
// input; for the conductance-based ones g_ex = g_in = 0, τ_m = C_m/g_L,
// R = 1/g_L) is r = 1/(t_ref + τ_m·ln((μ − V_r)/(μ − θ))), μ = E_L + R·I.
// With exact integration (lif_cond_*'s exponential scheme is exact for
// constant conductances) and end-of-step stamps every interspike interval
// lies in [T, T + dt], the first spike (from rest) in [T_0, T_0 + dt], and
// no spike comes below rheobase.
func TestLIFVariantsFICurve(t *testing.T) {
	const (
		tau, c, rest, th, reset = 15.0, 300.0, -65.0, -50.0, -70.0
		eps                     = 1e-9 // ms, rounding slack on the grid
	)
	R := tau / c // GΩ; rheobase (θ − E_L)/R = 300 pA
	for _, v := range lvVariants {
		for _, tc := range []struct{ dt, tref float64 }{{0.1, 1.5}, {0.05, 0}} {
			for _, I := range []float64{299, 305, 400, 800, 2000} {
				s := newSim(t, v.name, 1, v.over(tau, c, rest, th, reset, tc.tref), neuron.Env{Dt: tc.dt})
				sp := spikeSteps(s, int(1000/tc.dt), []float64{I})
				mu := rest + R*I
				if mu <= th {
					if len(sp) != 0 {
						t.Errorf("%s I=%g pA (below rheobase): %d spikes", v.name, I, len(sp))
					}
					continue
				}
				T := tc.tref + tau*math.Log((mu-reset)/(mu-th))
				T0 := tau * math.Log((mu-rest)/(mu-th))
				if len(sp) < 3 {
					t.Fatalf("%s I=%g pA: %d spikes in 1 s (T = %.3f ms)", v.name, I, len(sp), T)
				}
				if t0 := float64(sp[0]+1) * tc.dt; t0 < T0-eps || t0 > T0+tc.dt+eps {
					t.Errorf("%s dt=%g I=%g pA: first spike at %.4f ms, want in [%.4f, %.4f]", v.name, tc.dt, I, t0, T0, T0+tc.dt)
				}
				for k := 1; k < len(sp); k++ {
					if isi := float64(sp[k]-sp[k-1]) * tc.dt; isi < T-eps || isi > T+tc.dt+eps {
						t.Errorf("%s dt=%g t_ref=%g I=%g pA: ISI %d = %.4f ms, want in [%.4f, %.4f] (rate %.3f Hz)",
							v.name, tc.dt, tc.tref, I, k, isi, T, T+tc.dt, 1000/T)
						break
					}
				}
			}
		}
	}
}

// After a spike every variant holds V at V_reset for t_ref; the synaptic
// variables keep evolving (an input arriving during t_ref still shapes V
// afterwards).
func TestLIFVariantsRefractory(t *testing.T) {
	const dt, tref = 0.1, 2.0
	for _, v := range lvVariants[2:] {
		over := v.over(20, 200, -60, -50, -65, tref)
		over["I_e"] = num(2000)
		s := newSim(t, v.name, 1, over, neuron.Env{Dt: dt})
		V := s.k.Var("V")
		sp := -1
		for k := 0; k < 2000 && sp < 0; k++ {
			if len(s.step().IDs) > 0 {
				sp = k
			}
		}
		if sp < 0 {
			t.Fatalf("%s: no spike", v.name)
		}
		for j := 1; j <= int(tref/dt); j++ {
			s.in.Ex[0] = 1 // an input during the refractory period
			s.step()
			if V[0] != -65 {
				t.Fatalf("%s: V = %.15g mV %d steps after the spike, want V_reset", v.name, V[0], j)
			}
		}
		s.step()
		if V[0] == -65 {
			t.Errorf("%s: V still at V_reset after t_ref", v.name)
		}
		syn := "I_ex"
		if strings.Contains(v.name, "cond") {
			syn = "g_ex"
		}
		if s.k.Var(syn)[0] <= 0 {
			t.Errorf("%s: input during t_ref did not reach %s", v.name, syn)
		}
	}
}

// Model.Check rejects ill-posed parameters of the new variants, naming
// the parameter.
func TestLIFVariantsCheck(t *testing.T) {
	cases := []struct {
		model string
		over  param.Values
		dt    float64
		param string // "" if valid
		msg   string
	}{
		{"lif_alpha", nil, 0.1, "", ""},
		{"lif_alpha", param.Values{"integrator": word("euler")}, 0.1, "", ""},
		{"lif_alpha", param.Values{"V_reset": num(-50)}, 0.1, "V_reset", "below V_th"},
		{"lif_alpha", param.Values{"t_ref": num(0.25)}, 0.1, "t_ref", "whole number of steps"},
		{"lif_alpha", param.Values{"integrator": word("euler"), "tau_syn_in": num(0.1)}, 0.1, "tau_syn_in", "forward Euler"},
		{"lif_alpha", param.Values{"tau_syn_in": num(0.1)}, 0.1, "", ""},
		{"lif_cond_exp", nil, 0.1, "", ""},
		{"lif_cond_exp", param.Values{"V_reset": num(-50)}, 0.1, "V_reset", "below V_th"},
		{"lif_cond_exp", param.Values{"t_ref": num(5)}, 0.3, "t_ref", "whole number of steps"},
		{"lif_cond_exp", param.Values{"E_in": num(10)}, 0.1, "E_in", "below E_ex"},
		{"lif_cond_alpha", param.Values{"E_ex": num(-90)}, 0.1, "E_in", "below E_ex"},
		{"lif_cond_alpha", param.Values{"integrator": word("euler"), "tau_syn_ex": num(0.05)}, 0.1, "tau_syn_ex", "forward Euler"},
		{"lif_cond_alpha", param.Values{"integrator": word("euler"), "g_L": num(400)}, 1, "g_L", "tau_m"},
		{"lif_cond_alpha", param.Values{"g_L": num(400), "tau_syn_ex": num(0.05), "t_ref": num(5)}, 1, "", ""}, // exponential: no dt limit
	}
	for _, tc := range cases {
		m, v := values(t, tc.model, tc.over)
		errs := m.Check(v, tc.dt)
		if tc.param == "" {
			if len(errs) != 0 {
				t.Errorf("%s %v dt=%g: unexpected errors %v", tc.model, tc.over, tc.dt, errs)
			}
			continue
		}
		if len(errs) != 1 || errs[0].Param != tc.param || !strings.Contains(errs[0].Msg, tc.msg) {
			t.Errorf("%s %v dt=%g: errors %v, want one on %s mentioning %q", tc.model, tc.over, tc.dt, errs, tc.param, tc.msg)
		}
	}
	for _, name := range []string{"lif_alpha", "lif_cond_exp", "lif_cond_alpha"} {
		m, v := values(t, name, param.Values{"t_ref": num(2.05)})
		if _, err := m.New(1, v, neuron.Env{Dt: 0.1}); err == nil {
			t.Errorf("%s: New accepted t_ref = 2.05 ms with dt = 0.1 ms", name)
		}
	}
}

// Stepping a population in two ranges gives the same states as in one,
// and Step does not allocate.
func TestLIFVariantsRangesAndAllocs(t *testing.T) {
	for _, name := range []string{"lif_alpha", "lif_cond_exp", "lif_cond_alpha"} {
		for _, integ := range []string{"", "euler"} {
			over := param.Values{"I_e": num(500)} // above rheobase for both kinds
			if integ != "" {
				over["integrator"] = word(integ)
			}
			a := newSim(t, name, 6, over, neuron.Env{Dt: 0.1})
			b := newSim(t, name, 6, over, neuron.Env{Dt: 0.1})
			spikes := 0
			for k := range 3000 {
				for i := range 6 {
					if (k+i)%7 == 0 {
						a.in.Ex[i], b.in.Ex[i] = float64(i), float64(i)
						a.in.In[i], b.in.In[i] = -0.5, -0.5
					}
				}
				oa := a.step()
				b.in.Step = b.s
				b.out.Reset()
				b.k.Step(0, 2, &b.in, &b.out)
				b.k.Step(2, 6, &b.in, &b.out)
				clear(b.in.Ex)
				clear(b.in.In)
				b.s++
				spikes += len(oa.IDs)
				if !lvEqualIDs(oa.IDs, b.out.IDs) {
					t.Fatalf("%s %s step %d: one range emits %v, two ranges %v", name, integ, k, oa.IDs, b.out.IDs)
				}
			}
			if spikes == 0 {
				t.Errorf("%s %s: no spikes in 300 ms: the comparison tests little", name, integ)
			}
			for _, v := range []string{"V", "I_ex", "I_in", "dI_ex", "g_ex", "g_in", "dg_in"} {
				va, vb := a.k.Var(v), b.k.Var(v)
				for i := range va {
					if va[i] != vb[i] {
						t.Errorf("%s %s: %s[%d] = %v stepped as one range, %v as two", name, integ, v, i, va[i], vb[i])
					}
				}
			}
			in := neuron.Input{Ex: make([]float64, 6), In: make([]float64, 6), I: make([]float64, 6)}
			out := neuron.Output{IDs: make([]int32, 0, 6), Amp: make([]float64, 0, 6)}
			if n := testing.AllocsPerRun(100, func() { out.Reset(); a.k.Step(0, 6, &in, &out) }); n != 0 {
				t.Errorf("%s %s: Step allocates %.1f times", name, integ, n)
			}
		}
	}
}

func lvEqualIDs(a, b []int32) bool {
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

// lvBenchStep steps 10 000 neurons of model name firing at a few Hz, with
// synaptic input to a tenth of them in each step, and reports the time per
// neuron and step.
func lvBenchStep(b *testing.B, name string, over param.Values) {
	const n = 10000
	s := newSim(b, name, n, over, neuron.Env{Dt: 0.1})
	exw, inw := 0.5, -1.0
	for i := 0; i < n; i += 10 {
		s.in.Ex[i], s.in.In[(i+5)%n] = exw, inw
	}
	V := s.k.Var("V")
	for i := range V {
		V[i] -= float64(i%20) * 0.5 // desynchronise
	}
	out := neuron.Output{IDs: make([]int32, 0, n), Amp: make([]float64, 0, n)}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out.Reset()
		s.in.Step = int64(i)
		s.k.Step(0, n, &s.in, &out)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/neuron")
}

func BenchmarkLIFAlphaStep(b *testing.B) {
	lvBenchStep(b, "lif_alpha", param.Values{"I_e": num(370)})
}

func BenchmarkLIFCondExpStep(b *testing.B) {
	lvBenchStep(b, "lif_cond_exp", param.Values{"I_e": num(100)})
}

func BenchmarkLIFCondAlphaStep(b *testing.B) {
	lvBenchStep(b, "lif_cond_alpha", param.Values{"I_e": num(100)})
}

func BenchmarkLIFCondExpEulerStep(b *testing.B) {
	lvBenchStep(b, "lif_cond_exp", param.Values{"I_e": num(100), "integrator": word("euler")})
}
