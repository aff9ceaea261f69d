package neuron_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/hebb-snn/hebb/neuron"
	"github.com/hebb-snn/hebb/param"
)

// escKSProb returns the probability that the Kolmogorov–Smirnov distance of
// n samples from their true distribution exceeds d: the asymptotic
// Kolmogorov distribution Q(x) = 2·Σ_{j≥1} (−1)^{j−1}·exp(−2j²x²) with
// Stephens' small-sample correction x = d·(√n + 0.12 + 0.11/√n).
func escKSProb(d float64, n int) float64 {
	sn := math.Sqrt(float64(n))
	x := d * (sn + 0.12 + 0.11/sn)
	if x < 0.2 {
		return 1
	}
	q := 0.0
	for j := 1; j <= 100; j++ {
		term := 2 * math.Exp(-2*float64(j*j)*x*x)
		if j%2 == 0 {
			term = -term
		}
		q += term
		if math.Abs(term) < 1e-16 {
			break
		}
	}
	return math.Max(0, math.Min(1, q))
}

// escKSExp1 returns the KS distance of xs from Exp(1) and its p-value.
func escKSExp1(xs []float64) (d, p float64) {
	s := slices.Clone(xs)
	slices.Sort(s)
	e := distuv.Exponential{Rate: 1}
	n := float64(len(s))
	for i, x := range s {
		f := e.CDF(x)
		d = math.Max(d, math.Max(float64(i+1)/n-f, f-float64(i)/n))
	}
	return d, escKSProb(d, len(s))
}

// escRescaler turns a discrete-time spike train into rescaled intervals
// τ = Σ λ_s·dt over the steps after the previous spike. In discrete time
// the step of a spike only says that the continuous rescaled time lies in
// (Λ_{m−1}, Λ_m], where Λ_m includes the spike step's λ_m·dt; the exact
// correction (Haslinger, Pipa & Brown 2010, Neural Comput 22:2477) draws it
// from the conditional law there: τ = Λ_{m−1} − ln(1 − r·(1 − e^{−λ_m·dt})),
// r uniform. Then τ ~ Exp(1) exactly if the intensity is right.
type escRescaler struct {
	acc []float64 // Λ since the last spike, per neuron
	tau []float64 // rescaled intervals
	r   *rand.Rand
}

func escNewRescaler(n int, seed uint64) *escRescaler {
	return &escRescaler{acc: make([]float64, n), r: rand.New(rand.NewPCG(seed, 1))}
}

// add takes one step: lam[i] is the hazard (Hz) of neuron i in the step and
// spiked[i] whether it spiked; dt in ms.
func (e *escRescaler) add(lam []float64, spiked []bool, dt float64) {
	for i, l := range lam {
		x := l * dt / 1000
		if spiked[i] {
			e.tau = append(e.tau, e.acc[i]-math.Log1p(-e.r.Float64()*-math.Expm1(-x)))
			e.acc[i] = 0
		} else {
			e.acc[i] += x
		}
	}
}

// Time rescaling (Brown et al. 2002): with the intensity the kernel used,
// intervals rescaled by Σ λ_s·dt are Exp(1). The neurons get a sinusoidal
// current (a different phase each) and random excitatory and inhibitory
// delta inputs, and have a two-exponential history kernel and t_ref. The
// test also recomputes u, η and λ independently from the inputs and the
// emitted spikes and checks the kernel's recorded values against them.
// The KS test (α = 0.01) must accept the true intensity and reject λ·1.2
// and the intensity without the history kernel (p < 1e-6).
func TestEscapeTimeRescaling(t *testing.T) {
	const (
		n, dt                = 40, 0.1
		tau, c, el           = 10.0, 250.0, -70.0
		theta, du, lam0, tr  = -60.0, 2.0, 25.0, 2.0
		i0, i1, freq         = 200.0, 150.0, 3.0 // pA, pA, Hz
		wEx, wIn, pEx, pIn   = 1.0, -1.5, 0.01, 0.005
		alpha, reject        = 0.01, 1e-6
		a1, a2, tau1, tau2   = -6.0, -2.0, 4.0, 40.0
		historyTol, lamRelTo = 1e-9, 1e-9
	)
	const steps = 100000 // 10 s
	over := param.Values{
		"tau_m": num(tau), "C_m": num(c), "E_L": num(el), "theta": num(theta), "delta_u": num(du),
		"lambda_0": num(lam0), "t_ref": num(tr),
		"history_amplitudes": {List: []float64{a1, a2}}, "history_taus": {List: []float64{tau1, tau2}},
	}
	s := newSim(t, "escape", n, over, neuron.Env{Dt: dt, Seed: 11, Offset: 100})
	s.in.I = make([]float64, n)
	lamVar, uVar, etaVar := s.k.Var("lambda"), s.k.Var("u"), s.k.Var("eta")

	// Independent bookkeeping.
	R, p22 := tau/c, math.Exp(-dt/tau)
	u := make([]float64, n)
	for i := range u {
		u[i] = el
	}
	h1, h2 := make([]float64, n), make([]float64, n) // history components
	refLeft := make([]int, n)
	nref := int(math.Round(tr / dt))

	inRng := rand.New(rand.NewPCG(5, 6))
	good, wrong, noHist := escNewRescaler(n, 1), escNewRescaler(n, 1), escNewRescaler(n, 1)
	spiked := make([]bool, n)
	lamWrong, lamNoHist := make([]float64, n), make([]float64, n)
	spikes := 0
	for st := range steps {
		tm := float64(st) * dt
		for i := range n {
			s.in.I[i] = i0 + i1*math.Sin(2*math.Pi*freq*tm/1000+float64(i))
			if inRng.Float64() < pEx {
				s.in.Ex[i] = wEx
			}
			if inRng.Float64() < pIn {
				s.in.In[i] = wIn
			}
			u[i] = el + (u[i]-el)*p22 + R*(1-p22)*s.in.I[i] + s.in.Ex[i] + s.in.In[i]
			h1[i] *= math.Exp(-dt / tau1)
			h2[i] *= math.Exp(-dt / tau2)
		}
		out := s.step()
		clear(spiked)
		for _, id := range out.IDs {
			spiked[id] = true
		}
		spikes += len(out.IDs)
		for i := range n {
			want := 0.0
			if refLeft[i] > 0 {
				refLeft[i]--
			} else {
				want = lam0 * math.Exp((u[i]+h1[i]+h2[i]-theta)/du)
			}
			if math.Abs(uVar[i]-u[i]) > 1e-9 {
				t.Fatalf("step %d neuron %d: u = %.12g mV, want %.12g", st, i, uVar[i], u[i])
			}
			if math.Abs(lamVar[i]-want) > lamRelTo*want {
				t.Fatalf("step %d neuron %d: lambda = %.12g Hz, want f(u + η) = %.12g", st, i, lamVar[i], want)
			}
			if spiked[i] && want == 0 {
				t.Fatalf("step %d neuron %d: spike during the refractory period", st, i)
			}
			lamWrong[i] = 1.2 * lamVar[i]
			if lamVar[i] > 0 {
				lamNoHist[i] = lam0 * math.Exp((u[i]-theta)/du)
			} else {
				lamNoHist[i] = 0
			}
			if spiked[i] {
				h1[i] += a1
				h2[i] += a2
				refLeft[i] = nref
			}
			if math.Abs(etaVar[i]-(h1[i]+h2[i])) > historyTol {
				t.Fatalf("step %d neuron %d: eta = %.12g mV, want %.12g", st, i, etaVar[i], h1[i]+h2[i])
			}
		}
		good.add(lamVar, spiked, dt)
		wrong.add(lamWrong, spiked, dt)
		noHist.add(lamNoHist, spiked, dt)
	}
	rate := float64(spikes) / (float64(n*steps) * dt / 1000)
	if rate < 10 || rate > 60 {
		t.Fatalf("mean rate %.1f Hz: the test wants 10–60 Hz for a useful number of intervals", rate)
	}
	d, p := escKSExp1(good.tau)
	t.Logf("%d rescaled intervals (rate %.1f Hz): KS distance %.4f, p = %.3f", len(good.tau), rate, d, p)
	if p < alpha {
		t.Errorf("time rescaling with the kernel's λ: KS distance %.4f over %d intervals, p = %.2g < α = %g: not Exp(1)", d, len(good.tau), p, alpha)
	}
	for _, bad := range []struct {
		name string
		r    *escRescaler
	}{{"λ·1.2", wrong}, {"λ without the history kernel", noHist}} {
		d, p := escKSExp1(bad.r.tau)
		t.Logf("%s: KS distance %.4f, p = %.2g", bad.name, d, p)
		if p > reject {
			t.Errorf("time rescaling with %s: KS distance %.4f, p = %.2g; a wrong intensity must be rejected (p < %g)", bad.name, d, p, reject)
		}
	}
}

// A constant hazard (no input, no history, no refractoriness): the neuron
// spikes in each step with probability q = 1 − e^{−λ·dt}, so the rate is
// q/dt ≈ λ·(1 − λ·dt/2) and intervals are geometric in steps,
// P(ISI = m·dt) = (1 − q)^{m−1}·q. The test checks the recorded λ, the
// rate within 5 standard errors (and λ within that plus λ²·dt/2), and the
// interval distribution by a χ² test on 20 bins of equal probability
// (p > 0.001) that must reject a geometric law for a rate 20% too high
// (p < 1e-6). exponential: λ = λ_0 at u = θ; sigmoid: λ = λ_max/2.
func TestEscapeConstantHazard(t *testing.T) {
	const n, dt, steps = 50, 0.1, 40000 // 4 s each
	for _, tc := range []struct {
		hazard string
		over   param.Values
		lambda float64
	}{
		{"exponential", param.Values{"lambda_0": num(40)}, 40},
		{"sigmoid", param.Values{"lambda_max": num(60)}, 30},
	} {
		over := param.Values{"hazard": word(tc.hazard), "E_L": num(-60), "theta": num(-60), "t_ref": num(0)}
		for k, v := range tc.over {
			over[k] = v
		}
		s := newSim(t, "escape", n, over, neuron.Env{Dt: dt, Seed: 21})
		last := make([]int, n)
		for i := range last {
			last[i] = -1
		}
		var isis []int
		total := 0
		for st := range steps {
			out := s.step()
			if st == 0 {
				if l := s.k.Var("lambda")[0]; math.Abs(l-tc.lambda) > 1e-12*tc.lambda {
					t.Fatalf("%s: lambda = %g Hz, want %g", tc.hazard, l, tc.lambda)
				}
			}
			total += len(out.IDs)
			for _, id := range out.IDs {
				if last[id] >= 0 {
					isis = append(isis, st-last[id])
				}
				last[id] = st
			}
		}
		q := -math.Expm1(-tc.lambda * dt / 1000)
		N := float64(n * steps)
		rate := float64(total) / N / dt * 1000
		se := math.Sqrt(q*N) / N / dt * 1000
		if want := q / dt * 1000; math.Abs(rate-want) > 5*se {
			t.Errorf("%s: rate %.3f Hz, want (1 − e^{−λ·dt})/dt = %.3f ± %.3f Hz (5 se)", tc.hazard, rate, want, 5*se)
		}
		if math.Abs(rate-tc.lambda) > 5*se+tc.lambda*tc.lambda*dt/1000/2 {
			t.Errorf("%s: rate %.3f Hz, want λ = %g Hz within 5 se + λ²·dt/2", tc.hazard, rate, tc.lambda)
		}
		chi2, dof := escGeometricChi2(isis, q, 20)
		p := distuv.ChiSquared{K: float64(dof)}.Survival(chi2)
		t.Logf("%s: rate %.3f Hz (λ = %g Hz), %d intervals, χ² = %.1f on %d dof, p = %.3f", tc.hazard, rate, tc.lambda, len(isis), chi2, dof, p)
		if p < 0.001 {
			t.Errorf("%s: intervals not geometric with q = %.5g: χ² = %.1f on %d dof, p = %.2g", tc.hazard, q, chi2, dof, p)
		}
		chi2, dof = escGeometricChi2(isis, -math.Expm1(-1.2*tc.lambda*dt/1000), 20)
		if p := (distuv.ChiSquared{K: float64(dof)}).Survival(chi2); p > 1e-6 {
			t.Errorf("%s: χ² test accepted a geometric law with λ 20%% too high (p = %.2g): it cannot tell", tc.hazard, p)
		}
	}
}

// escGeometricChi2 bins intervals m ≥ 1 (in steps) into bins of about
// equal probability under P(m) = (1 − q)^{m−1}·q and returns Pearson's χ²
// and its degrees of freedom (bins − 1).
func escGeometricChi2(isis []int, q float64, bins int) (chi2 float64, dof int) {
	N := float64(len(isis))
	// Bin edges: the m where the survival (1 − q)^m crosses (bins−b)/bins.
	var edges []int // bin b holds m in (edges[b−1], edges[b]]
	for b := 1; b < bins; b++ {
		m := int(math.Round(math.Log(1-float64(b)/float64(bins)) / math.Log1p(-q)))
		if len(edges) == 0 || m > edges[len(edges)-1] {
			edges = append(edges, m)
		}
	}
	counts := make([]float64, len(edges)+1)
	for _, m := range isis {
		b, _ := slices.BinarySearch(edges, m)
		counts[b]++
	}
	surv := func(m int) float64 { return math.Pow(1-q, float64(m)) } // P(ISI > m)
	prev := 1.0
	for b := range counts {
		next := 0.0
		if b < len(edges) {
			next = surv(edges[b])
		}
		e := N * (prev - next)
		chi2 += (counts[b] - e) * (counts[b] - e) / e
		prev = next
	}
	return chi2, len(counts) - 1
}

// Absolute refractoriness: after a spike at t_{s+1} the hazard is 0 for
// t_ref/dt steps, so no interval is shorter than t_ref + dt; with a high
// hazard (λ·dt = 0.2) that shortest interval occurs, and intervals are
// t_ref + dt·G with G geometric: mean t_ref + dt/q (within 5 se).
func TestEscapeRefractory(t *testing.T) {
	const n, dt, steps, tr, lam = 20, 0.1, 20000, 3.0, 2000.0
	s := newSim(t, "escape", n, param.Values{"E_L": num(-60), "theta": num(-60), "lambda_0": num(lam), "t_ref": num(tr)}, neuron.Env{Dt: dt, Seed: 4})
	last := make([]int, n)
	for i := range last {
		last[i] = -1
	}
	minISI, sum, cnt := math.MaxInt, 0.0, 0
	lamVar := s.k.Var("lambda")
	for st := range steps {
		out := s.step()
		for i := range n {
			sinceSpike := st - last[i]
			if last[i] >= 0 && sinceSpike <= 30 && lamVar[i] != 0 {
				t.Fatalf("step %d neuron %d: lambda = %g Hz %d steps after a spike, want 0 during t_ref", st, i, lamVar[i], sinceSpike)
			}
		}
		for _, id := range out.IDs {
			if last[id] >= 0 {
				isi := st - last[id]
				minISI = min(minISI, isi)
				sum += float64(isi)
				cnt++
			}
			last[id] = st
		}
	}
	if want := int(math.Round(tr/dt)) + 1; minISI != want {
		t.Errorf("shortest interval %d steps (%.1f ms), want t_ref/dt + 1 = %d steps (t_ref + dt)", minISI, float64(minISI)*dt, want)
	}
	q := -math.Expm1(-lam * dt / 1000)
	mean := sum / float64(cnt)
	want := tr/dt + 1/q
	se := math.Sqrt((1-q)/(q*q)) / math.Sqrt(float64(cnt))
	if math.Abs(mean-want) > 5*se {
		t.Errorf("mean interval %.4f steps, want t_ref/dt + 1/q = %.4f ± %.4f", mean, want, 5*se)
	}
}

// Below any chance of spiking (λ_0 = 0) u follows the exact propagator: a
// delta input makes u jump by the weight, then it relaxes to E_L + R·I
// with τ_m.
func TestEscapeMembrane(t *testing.T) {
	const dt, tau, c, el = 0.1, 20.0, 200.0, -65.0
	s := newSim(t, "escape", 1, param.Values{"lambda_0": num(0), "tau_m": num(tau), "C_m": num(c), "E_L": num(el), "I_e": num(100)}, neuron.Env{Dt: dt})
	s.in.I = []float64{50}
	s.in.Ex[0] = 2.5
	vinf := el + tau/c*150
	for st := 1; st <= 400; st++ {
		s.step()
		tm := float64(st) * dt
		// u(t) = V∞ + (E_L − V∞)·e^{−t/τ} + 2.5·e^{−(t − dt)/τ}
		want := vinf + (el-vinf)*math.Exp(-tm/tau) + 2.5*math.Exp(-(tm-dt)/tau)
		if got := s.k.Var("u")[0]; math.Abs(got-want) > 1e-9 {
			t.Fatalf("t = %.1f ms: u = %.10f mV, want %.10f", tm, got, want)
		}
		if l := s.k.Var("lambda")[0]; l != 0 {
			t.Fatalf("lambda = %g with lambda_0 = 0", l)
		}
	}
}

// with_reset sets u to E_L at each spike; without it u is untouched.
// A value written to eta (an initial condition) decays with the first
// history time constant.
func TestEscapeResetAndHistoryInit(t *testing.T) {
	const dt = 0.1
	for _, reset := range []bool{false, true} {
		f := 0.0
		if reset {
			f = 1
		}
		s := newSim(t, "escape", 1, param.Values{"with_reset": num(f), "lambda_0": num(300), "t_ref": num(1), "E_L": num(-70), "theta": num(-60), "I_e": num(250)}, neuron.Env{Dt: dt, Seed: 2})
		spikes := 0
		for range 5000 {
			out := s.step()
			u := s.k.Var("u")[0]
			if len(out.IDs) == 1 {
				spikes++
				if reset && u != -70 {
					t.Fatalf("with_reset: u = %g mV after a spike, want E_L = -70", u)
				}
				if !reset && u < -65 {
					t.Fatalf("no reset: u = %g mV after a spike, want near V∞ = -60 mV", u)
				}
			}
		}
		if spikes < 20 {
			t.Fatalf("reset %v: only %d spikes", reset, spikes)
		}
	}
	s := newSim(t, "escape", 1, param.Values{"lambda_0": num(0), "history_amplitudes": {List: []float64{-3, 1}}, "history_taus": {List: []float64{5, 50}}}, neuron.Env{Dt: dt})
	s.k.Var("eta")[0] = -4
	for st := 1; st <= 100; st++ {
		s.step()
		want := -4 * math.Exp(-float64(st)*dt/5)
		if got := s.k.Var("eta")[0]; math.Abs(got-want) > 1e-12 {
			t.Fatalf("step %d: eta = %.15g, want %.15g (decay with the first time constant)", st, got, want)
		}
	}
}

// Each neuron's spikes come from its own stream keyed by global id: one
// range or several give the same spikes, and neurons differ.
func TestEscapeSplitRanges(t *testing.T) {
	const n, dt = 30, 0.1
	over := param.Values{"E_L": num(-60), "theta": num(-60), "lambda_0": num(200), "history_amplitudes": {List: []float64{-2}}, "history_taus": {List: []float64{10}}}
	env := neuron.Env{Dt: dt, Seed: 8, Offset: 7}
	a, b := newSim(t, "escape", n, over, env), newSim(t, "escape", n, over, env)
	var outB neuron.Output
	for st := range 3000 {
		outA := a.step()
		b.in.Step = int64(st)
		outB.Reset()
		for _, r := range [][2]int{{0, 1}, {1, 13}, {13, 14}, {14, n}} {
			b.k.Step(r[0], r[1], &b.in, &outB)
		}
		if !slices.Equal(outA.IDs, outB.IDs) {
			t.Fatalf("step %d: one range emits %v, four ranges %v", st, outA.IDs, outB.IDs)
		}
	}
	if u := a.k.Var("eta"); u[0] == u[1] && u[1] == u[2] {
		t.Errorf("neurons 0, 1, 2 have the same history %g: streams are not distinct", u[0])
	}
}

func TestEscapeCheck(t *testing.T) {
	m, _ := neuron.Lookup("escape")
	for _, tc := range []struct {
		over  param.Values
		param string
		msg   string
	}{
		{param.Values{"t_ref": num(0.25)}, "t_ref", "whole number of steps"},
		{param.Values{"history_amplitudes": {List: []float64{-1, -2}}, "history_taus": {List: []float64{5}}}, "history_taus", "one time constant per amplitude"},
		{param.Values{"history_amplitudes": {List: []float64{-1}}, "history_taus": {List: []float64{0}}}, "history_taus", "positive"},
		{param.Values{"delta_u": num(0)}, "delta_u", "positive"},
		{param.Values{"lambda_0": num(-1)}, "lambda_0", "negative"},
	} {
		_, v := values(t, "escape", tc.over)
		errs := m.Check(v, 0.1)
		if len(errs) != 1 || errs[0].Param != tc.param || !strings.Contains(errs[0].Msg, tc.msg) {
			t.Errorf("%v: Check = %v, want one error on %s saying %q", tc.over, errs, tc.param, tc.msg)
		}
		if _, err := m.New(1, v, neuron.Env{Dt: 0.1}); err == nil {
			t.Errorf("%v: New accepted an ill-posed parameter set", tc.over)
		}
	}
}

// BenchmarkEscapeStep: 10 000 exponential-hazard neurons with a
// two-exponential history kernel firing at about 20 Hz.
func BenchmarkEscapeStep(b *testing.B) {
	const n = 10000
	s := newSim(b, "escape", n, param.Values{"E_L": num(-60), "theta": num(-60), "lambda_0": num(25),
		"history_amplitudes": {List: []float64{-3, -1}}, "history_taus": {List: []float64{5, 50}}}, neuron.Env{Dt: 0.1, Seed: 1})
	s.out.IDs = make([]int32, 0, n)
	s.out.Amp = make([]float64, 0, n)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		s.step()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/neuron")
}
