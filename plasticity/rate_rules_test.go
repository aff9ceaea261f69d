package plasticity_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/hebb-snn/hebb/param"
	"github.com/hebb-snn/hebb/plasticity"
	"github.com/hebb-snn/hebb/synapse"
)

// Tests of the rate rules oja, covariance and bcm, each driven by hand in
// the engine's order and compared with the rule computed here step by step.

// rrNet is an all-to-all block of nSrc sources onto nTgt targets (synapse
// k = j·nTgt + i links source j to target i) with its own delay per
// synapse, the sources' activity history and a learner.
type rrNet struct {
	nSrc, nTgt int
	b          *synapse.Block
	h          *synapse.History
	l          plasticity.Learner
	delay      []int64
}

// rrNew builds the block with weights w (signs from the weights if sign
// is 0) and a learner of rule with parameters kv (numbers in internal
// units, words for choices), dt = 1 ms.
func rrNew(t *testing.T, rule string, kv map[string]any, nSrc, nTgt int, w []float32, sign int8, delays []uint16, wmin, wmax float32) *rrNet {
	t.Helper()
	b := &synapse.Block{Lo: 0, Hi: nTgt, RowPtr: make([]int32, nSrc+1), Delay: delays, Sign: sign, WMin: wmin, WMax: wmax}
	maxD := 1
	n := &rrNet{nSrc: nSrc, nTgt: nTgt, b: b}
	for j := 0; j < nSrc; j++ {
		b.RowPtr[j+1] = int32((j + 1) * nTgt)
		for i := 0; i < nTgt; i++ {
			k := j*nTgt + i
			b.Tgt = append(b.Tgt, int32(i))
			b.W = append(b.W, w[k])
			if sign == 0 {
				s := synapse.Excitatory
				if w[k] < 0 {
					s = synapse.Inhibitory
				}
				b.Signs = append(b.Signs, s)
			}
			maxD = max(maxD, int(delays[k]))
			n.delay = append(n.delay, int64(delays[k]))
		}
	}
	b.BuildReverse()
	n.h = synapse.NewHistory(nSrc, maxD)
	r, ok := plasticity.Lookup(rule)
	if !ok {
		t.Fatalf("%s not registered (have %v)", rule, plasticity.Names())
	}
	v := r.Schema.Defaults()
	for name, x := range kv {
		if _, ok := r.Schema.Def(name); !ok {
			t.Fatalf("%s has no parameter %s", rule, name)
		}
		switch x := x.(type) {
		case float64:
			v[name] = param.Value{Num: x}
		case string:
			v[name] = param.Value{Word: x}
		}
	}
	if r.Check != nil {
		if errs := r.Check(v, 1); len(errs) > 0 {
			t.Fatalf("%s: %v", rule, errs)
		}
	}
	l, err := r.New(v, plasticity.Env{Dt: 1, Pre: n.h, Blk: b})
	if err != nil {
		t.Fatal(err)
	}
	n.l = l
	return n
}

// rrEmitted turns activities (0 = silent) into ids and amplitudes.
func rrEmitted(act []float64) (ids []int32, amp []float64) {
	for i, a := range act {
		if a != 0 {
			ids = append(ids, int32(i))
			amp = append(amp, a)
		}
	}
	return ids, amp
}

// drive plays steps from … to−1 in the engine's order: in step s the
// inputs that the sources emitted in step s − delay reach their synapses
// (Arrive, with the float32 amplitude the engine's queue keeps), then the
// targets emit (Post), then the history records what the sources emitted
// in step s.
func (n *rrNet) drive(pre, post [][]float64, from, to int) {
	for s := from; s < to; s++ {
		for k := range n.b.Tgt {
			if p := s - int(n.delay[k]); p >= 0 {
				if x := pre[p][k/n.nTgt]; x != 0 {
					n.l.Arrive(int64(s), int32(k), float64(float32(x)))
				}
			}
		}
		if ids, amp := rrEmitted(post[s]); len(ids) > 0 {
			n.l.Post(int64(s), ids, amp)
		}
		ids, amp := rrEmitted(pre[s])
		n.h.Record(int64(s), ids, amp)
	}
}

// xAt returns what reached synapse k in step s (float32, as the engine's
// history and queue keep it).
func (n *rrNet) xAt(pre [][]float64, k, s int) float64 {
	if p := s - int(n.delay[k]); p >= 0 {
		return float64(float32(pre[p][k/n.nTgt]))
	}
	return 0
}

// clampRef limits w to the bounds of sign sg, as Block.Clamp does.
func clampRef(w float64, sg int8, wmin, wmax float64) float64 {
	if sg < 0 {
		return -math.Min(math.Max(-w, wmin), wmax)
	}
	return math.Min(math.Max(w, wmin), wmax)
}

// rrActivity draws sparse graded activity: each unit is silent with
// probability pSilent, else uniform in (0, hi).
func rrActivity(rng *rand.Rand, steps, units int, pSilent, hi float64) [][]float64 {
	a := make([][]float64, steps)
	for s := range a {
		a[s] = make([]float64, units)
		for i := range a[s] {
			if rng.Float64() >= pSilent {
				a[s][i] = hi * (1 - rng.Float64())
			}
		}
	}
	return a
}

var rrDelays = []uint16{1, 3, 2, 1, 4, 2} // 3 sources × 2 targets

// Oja: Δw = η·y·(x − y·w) in each step in which the target is active,
// with the input that reached each synapse through its own delay, on
// signed weights that keep their sign and stay within the bounds.
func TestRROjaMatchesStepByStep(t *testing.T) {
	const eta, steps = 0.01, 120
	rng := rand.New(rand.NewPCG(1, 2))
	pre := rrActivity(rng, steps, 3, 0.3, 1.5)
	post := rrActivity(rng, steps, 2, 0.4, 1.5)
	w0 := []float32{0.4, -0.3, 0.2, 0.05, -0.6, 0.7}
	const wmin, wmax = 0.02, 0.65
	n := rrNew(t, "oja", map[string]any{"eta": eta}, 3, 2, w0, 0, rrDelays, wmin, wmax)
	n.drive(pre, post, 0, steps)
	ref := make([]float64, len(w0))
	noDecay := make([]float64, len(w0)) // the rule without the term −η·y²·w
	for k := range ref {
		ref[k], noDecay[k] = float64(w0[k]), float64(w0[k])
	}
	for s := range steps {
		for k := range ref {
			y := post[s][k%2]
			x := n.xAt(pre, k, s)
			sg := n.b.Signs[k]
			ref[k] = clampRef(ref[k]+eta*y*(x-y*ref[k]), sg, wmin, wmax)
			noDecay[k] = clampRef(noDecay[k]+eta*y*x, sg, wmin, wmax)
		}
	}
	for k, w := range n.b.W {
		if math.Abs(float64(w)-ref[k]) > 1e-5 {
			t.Errorf("synapse %d: w = %.7g, want %.7g", k, w, ref[k])
		}
		if math.Abs(ref[k]-noDecay[k]) < 0.01 {
			t.Errorf("synapse %d: the decay term makes no difference (%.4g): the test cannot tell", k, ref[k])
		}
		if float32(n.b.Signs[k])*w < 0 {
			t.Errorf("synapse %d changed sign: %g", k, w)
		}
	}
}

// Covariance rule: the lazy, event-driven learner matches the rule
// applied in every step, silent steps included, to float32 precision —
// with delays, sparse activity, silent stretches and a weight bound.
func TestRRCovarianceMatchesStepByStep(t *testing.T) {
	const eta, tau, steps = 0.02, 7.0, 600
	rng := rand.New(rand.NewPCG(3, 4))
	pre := rrActivity(rng, steps, 3, 0.7, 1)
	post := rrActivity(rng, steps, 2, 0.6, 1)
	for s := 200; s < 260; s++ { // a long silence of everything
		clear(pre[s])
		clear(post[s])
	}
	for s := 300; s < 360; s++ { // a silent target
		post[s][1] = 0
	}
	w0 := []float32{0.3, -0.3, 0.2, 0.1, -0.25, 0.35}
	const wmin, wmax = 0, 0.4
	n := rrNew(t, "covariance", map[string]any{"eta": eta, "tau": tau}, 3, 2, w0, 0, rrDelays, wmin, wmax)
	a := math.Exp(-1 / tau)
	ref := make([]float64, len(w0))
	hebb := make([]float64, len(w0)) // with the means left out
	xbar := make([]float64, len(w0))
	ybar := make([]float64, 2)
	for k := range ref {
		ref[k], hebb[k] = float64(w0[k]), float64(w0[k])
	}
	// Compare at the end of the long silence (where the stored weights
	// lag behind until Settle), in the middle of the silent target's
	// stretch and at the end.
	checks := map[int]bool{259: true, 330: true, steps - 1: true}
	done := 0
	for s := range steps {
		for k := range ref {
			y := post[s][k%2]
			x := n.xAt(pre, k, s)
			ref[k] = clampRef(ref[k]+eta*(x-xbar[k])*(y-ybar[k%2]), n.b.Signs[k], wmin, wmax)
			hebb[k] = clampRef(hebb[k]+eta*x*y, n.b.Signs[k], wmin, wmax)
			xbar[k] = a*xbar[k] + (1-a)*x
		}
		for i := range ybar {
			ybar[i] = a*ybar[i] + (1-a)*post[s][i]
		}
		if !checks[s] {
			continue
		}
		n.drive(pre, post, done, s+1)
		done = s + 1
		n.l.(plasticity.Settler).Settle(int64(s))
		for k, w := range n.b.W {
			if math.Abs(float64(w)-ref[k]) > 2e-6 {
				t.Errorf("after step %d: synapse %d: w = %.7g, want %.7g", s, k, w, ref[k])
			}
		}
	}
	for k := range ref {
		if math.Abs(ref[k]-hebb[k]) < 0.01 {
			t.Errorf("synapse %d: the covariance rule and the plain Hebbian rule agree (%.4g): the test cannot tell", k, ref[k])
		}
	}
}

// BCM, activity estimator: Δw = η·x·y·(y − θ_M(n−1)) in each step in
// which the target is active, θ_M(n) = a·θ_M(n−1) + (1 − a)·y(n)²/y₀ in
// every step (decaying over silent ones), from θ_M(−1) = theta_init·y₀.
func TestRRBCMActivityMatchesStepByStep(t *testing.T) {
	const eta, tauTheta, y0, theta0, steps = 0.05, 5.0, 0.4, 0.5, 300
	rng := rand.New(rand.NewPCG(5, 6))
	pre := rrActivity(rng, steps, 3, 0.5, 1.2)
	post := rrActivity(rng, steps, 2, 0.5, 1.2)
	for s := 100; s < 140; s++ { // target 1 silent for a while
		post[s][1] = 0
	}
	w0 := []float32{0.3, 0.25, 0.2, 0.1, 0.35, 0.3}
	const wmin, wmax = 0.05, 0.6
	n := rrNew(t, "bcm", map[string]any{"eta": eta, "tau_theta": tauTheta, "y0": y0, "theta_init": theta0},
		3, 2, w0, synapse.Excitatory, rrDelays, wmin, wmax)
	n.drive(pre, post, 0, steps)
	a := math.Exp(-1 / tauTheta)
	ref := make([]float64, len(w0))
	fixed := make([]float64, len(w0)) // with the threshold held at theta_init·y₀
	for k := range ref {
		ref[k], fixed[k] = float64(w0[k]), float64(w0[k])
	}
	theta := []float64{theta0 * y0, theta0 * y0}
	for s := range steps {
		for k := range ref {
			i := k % 2
			y, x := post[s][i], n.xAt(pre, k, s)
			ref[k] = clampRef(ref[k]+eta*x*y*(y-theta[i]), 1, wmin, wmax)
			fixed[k] = clampRef(fixed[k]+eta*x*y*(y-theta0*y0), 1, wmin, wmax)
		}
		for i := range theta {
			theta[i] = a*theta[i] + (1-a)*post[s][i]*post[s][i]/y0
		}
	}
	for k, w := range n.b.W {
		if math.Abs(float64(w)-ref[k]) > 1e-5 {
			t.Errorf("synapse %d: w = %.7g, want %.7g", k, w, ref[k])
		}
		if math.Abs(ref[k]-fixed[k]) < 0.01 {
			t.Errorf("synapse %d: the sliding threshold makes no difference (%.4g): the test cannot tell", k, ref[k])
		}
	}
}

// BCM, traces estimator: at each postsynaptic spike Δw = η·x̂·(ŷ − θ̂)
// with x̂, ŷ the exponential rate traces in units of ν₀ and θ̂ the running
// mean of ŷ² (τ_θ·dθ̂/dt = ŷ² − θ̂), all taken just before the spike. The
// learner's exact event-driven traces are compared with traces integrated
// here step by step (Runge–Kutta, 0.05 ms substeps).
func TestRRBCMTracesMatchIntegration(t *testing.T) {
	const (
		eta                      = 0.004
		tauPre, tauPost, tauThet = 20.0, 30.0, 15.0 // τ_θ = τ_post/2: the degenerate case of the closed form
		nu0                      = 0.02             // spikes per ms (20 Hz)
		theta0                   = 0.7
		steps                    = 1500
	)
	for _, tauTheta := range []float64{tauThet, 70} {
		rng := rand.New(rand.NewPCG(7, 8))
		pre := make([][]float64, steps)
		post := make([][]float64, steps)
		for s := range pre {
			pre[s], post[s] = make([]float64, 3), make([]float64, 2)
			for j := range pre[s] {
				if rng.Float64() < 0.03 {
					pre[s][j] = float64(1 + rng.IntN(2)) // a source may send 2 spikes in a step
				}
			}
			for i := range post[s] {
				if rng.Float64() < 0.02+0.02*float64(i) {
					post[s][i] = 1
				}
			}
		}
		w0 := []float32{0.5, 0.5, 0.5, 0.5, 0.5, 0.5}
		n := rrNew(t, "bcm", map[string]any{"eta": eta, "estimator": "traces", "nu_0": nu0 * 1000,
			"tau_pre": tauPre, "tau_post": tauPost, "tau_theta": tauTheta, "theta_init": theta0},
			3, 2, w0, synapse.Excitatory, rrDelays, 0, 1)
		n.drive(pre, post, 0, steps)
		ref := make([]float64, len(w0))
		for k := range ref {
			ref[k] = float64(w0[k])
		}
		x := make([]float64, len(w0))
		y := make([]float64, 2)
		theta := []float64{theta0, theta0}
		spikes := 0
		for s := range steps {
			// From t_s to t_{s+1}.
			for k := range x {
				x[k] *= math.Exp(-1 / tauPre)
			}
			for i := range y {
				f := func(y, th float64) (float64, float64) { return -y / tauPost, (y*y - th) / tauTheta }
				const h = 0.05
				for range 20 {
					k1y, k1t := f(y[i], theta[i])
					k2y, k2t := f(y[i]+h/2*k1y, theta[i]+h/2*k1t)
					k3y, k3t := f(y[i]+h/2*k2y, theta[i]+h/2*k2t)
					k4y, k4t := f(y[i]+h*k3y, theta[i]+h*k3t)
					y[i] += h / 6 * (k1y + 2*k2y + 2*k3y + k4y)
					theta[i] += h / 6 * (k1t + 2*k2t + 2*k3t + k4t)
				}
			}
			// The events of step s, at t_{s+1}: arrivals, then spikes.
			for k := range x {
				x[k] += n.xAt(pre, k, s) / (nu0 * tauPre)
			}
			for i := range y {
				if post[s][i] == 0 {
					continue
				}
				spikes++
				for k := i; k < len(ref); k += 2 {
					ref[k] = clampRef(ref[k]+eta*x[k]*(y[i]-theta[i]), 1, 0, 1)
				}
				y[i] += 1 / (nu0 * tauPost)
			}
		}
		if spikes < 50 {
			t.Fatalf("only %d postsynaptic spikes", spikes)
		}
		for k, w := range n.b.W {
			if math.Abs(float64(w)-ref[k]) > 1e-5 {
				t.Errorf("τ_θ = %g ms: synapse %d: w = %.7g, want %.7g", tauTheta, k, w, ref[k])
			}
			if math.Abs(ref[k]-0.5) < 0.02 {
				t.Errorf("τ_θ = %g ms: synapse %d barely changed (%.4g): the test cannot tell", tauTheta, k, ref[k])
			}
		}
	}
}

// Ill-posed parameters are reported by each rule's Check.
func TestRRChecks(t *testing.T) {
	for _, c := range []struct {
		rule  string
		kv    map[string]any
		param string // "" if none is wrong
	}{
		{"covariance", map[string]any{"eta": 0.1, "tau": 0.5}, "tau"},
		{"covariance", map[string]any{"eta": -0.1, "tau": 5.0}, ""},
		{"bcm", map[string]any{"eta": 0.1, "tau_theta": 0.5}, "tau_theta"},
		{"bcm", map[string]any{"eta": 0.1, "tau_theta": 10.0, "nu_0": 10.0}, "nu_0"},
		{"bcm", map[string]any{"eta": 0.1, "tau_theta": 0.5, "estimator": "traces"}, "nu_0"},
		{"bcm", map[string]any{"eta": 0.1, "tau_theta": 0.5, "estimator": "traces", "nu_0": 10.0}, ""},
		{"bcm", map[string]any{"eta": 0.1, "tau_theta": 10.0}, ""},
	} {
		r, _ := plasticity.Lookup(c.rule)
		v := r.Schema.Defaults()
		for name, x := range c.kv {
			switch x := x.(type) {
			case float64:
				v[name] = param.Value{Num: x}
			case string:
				v[name] = param.Value{Word: x}
			}
		}
		errs := r.Check(v, 1)
		switch {
		case c.param == "" && len(errs) > 0:
			t.Errorf("%s %v: unexpected %v", c.rule, c.kv, errs)
		case c.param != "" && (len(errs) == 0 || errs[0].Param != c.param):
			t.Errorf("%s %v: got %v, want an error on %s", c.rule, c.kv, errs, c.param)
		}
		if c.param != "" {
			b := &synapse.Block{RowPtr: []int32{0}}
			b.BuildReverse()
			if _, err := r.New(v, plasticity.Env{Dt: 1, Blk: b}); err == nil {
				t.Errorf("%s %v: New accepted ill-posed parameters", c.rule, c.kv)
			}
		}
	}
	for _, name := range []string{"oja", "covariance", "bcm"} {
		r, ok := plasticity.Lookup(name)
		if !ok {
			t.Fatalf("%s not registered", name)
		}
		if d, ok := r.Schema.Def("eta"); !ok || !d.Required || d.Unit != param.WeightUnit {
			t.Errorf("%s eta = %+v, want a required parameter in the weight unit", name, d)
		}
		if want := name != "covariance"; r.PreHistory != want {
			t.Errorf("%s: PreHistory = %v, want %v", name, r.PreHistory, want)
		}
	}
}
