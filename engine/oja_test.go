package engine

import (
	"fmt"
	"math"
	"testing"

	"github.com/hebb-snn/hebb/plasticity"
	"github.com/hebb-snn/hebb/synapse"
	"gonum.org/v1/gonum/mat"
)

// Oja's rule extracts the principal component: one linear unit y = w·x
// fed by two correlated inputs x learns, from any start, the unit-length
// principal eigenvector of the inputs' correlation matrix C = ⟨x·xᵀ⟩.
//
// hebb's rate units cannot emit negative values (relu clips at 0; no
// source emits signed graded values), so the inputs are non-negative and
// not Gaussian: three independent Poisson counts s₀, s₁, s₂ (mean and
// variance λ per step) are mixed by a layer of linear rate units (relu
// with θ = 0 is linear for non-negative input) into
//
//	x₁ = c·s₀ + a·s₁,   x₂ = c·s₀ + b·s₂   (the shared s₀ correlates them),
//
// whose correlation matrix is C = A·(λ·I + λ²·11ᵀ)·Aᵀ. Oja's theorem is
// about C (it is the covariance for zero-mean inputs). Its principal
// eigenvector points 10° away from the mean input and 2.6° away from the
// principal eigenvector of the covariance, both far beyond the tolerance,
// so the test can tell a rule that found one of those instead. Weights
// stay positive (the eigenvector of a positive matrix is positive), so
// y = w·x is linear too.
const (
	rrOjaA, rrOjaB, rrOjaC = 2.0, 0.5, 1.0
	rrOjaLambda            = 0.1 // counts per step: 100 Hz with dt = 1 ms
)

func rrOjaNet(t *testing.T, steps int) (*testNet, int) {
	n := newNet(t, 1, float64(steps), 11)
	s := n.pop("s", "poisson_source", 3, map[string]any{"rate": "100 Hz"})
	x := n.pop("x", "rate", 2, map[string]any{"activation": "relu"})
	y := n.pop("y", "rate", 1, map[string]any{"activation": "relu"})
	mix := n.project(s, x, "all_to_all", nil, synapse.Excitatory, "0", "1 ms")
	// By source, then target: s₀→x₁, s₀→x₂, s₁→x₁, s₁→x₂, s₂→x₁, s₂→x₂.
	n.net.Projs[mix].Weights = []float64{rrOjaC, rrOjaC, rrOjaA, 0, 0, rrOjaB}
	p := n.project(x, y, "all_to_all", nil, synapse.Excitatory, "0", "1 ms")
	n.net.Projs[p].Weights = []float64{0.05, 0.5} // 62° from the answer, |w| = 0.5
	n.learn(p, "oja", map[string]any{"eta": "0.00025"})
	n.weights(p, 10)
	return n, p
}

// rrOjaTheory returns the unit principal eigenvector of C (positive), the
// eigenvalues and the mean input.
func rrOjaTheory() (e [2]float64, l1, l2 float64, mean [2]float64) {
	a := mat.NewDense(2, 3, []float64{rrOjaC, rrOjaA, 0, rrOjaC, 0, rrOjaB})
	m := mat.NewDense(3, 3, nil)
	for i := range 3 {
		for j := range 3 {
			m.Set(i, j, rrOjaLambda*rrOjaLambda)
		}
		m.Set(i, i, rrOjaLambda+rrOjaLambda*rrOjaLambda)
	}
	var am, c mat.Dense
	am.Mul(a, m)
	c.Mul(&am, a.T())
	var eig mat.EigenSym
	if !eig.Factorize(mat.NewSymDense(2, []float64{c.At(0, 0), c.At(0, 1), c.At(1, 0), c.At(1, 1)}), true) {
		panic("eigen decomposition failed")
	}
	var v mat.Dense
	eig.VectorsTo(&v)
	vals := eig.Values(nil) // ascending
	e = [2]float64{math.Abs(v.At(0, 1)), math.Abs(v.At(1, 1))}
	mean = [2]float64{rrOjaLambda * (rrOjaC + rrOjaA), rrOjaLambda * (rrOjaC + rrOjaB)}
	return e, vals[1], vals[0], mean
}

func rrAngle(u, v [2]float64) float64 {
	c := (u[0]*v[0] + u[1]*v[1]) / (math.Hypot(u[0], u[1]) * math.Hypot(v[0], v[1]))
	return math.Acos(math.Min(1, c))
}

// The weight vector, averaged over the second half of the run (to average
// out the fluctuations that a constant η leaves, ≈ 0.01 rad; the angular
// relaxation time 1/(η·(λ₁ − λ₂)) is 7500 steps), is the unit
// principal eigenvector of C within 1%: angle ≤ 0.01 rad, |‖w‖ − 1| ≤ 0.01.
// 1 and 3 threads give bit-identical weights.
func TestRROjaPrincipalComponent(t *testing.T) {
	const steps, tol = 600000, 0.01
	e, l1, l2, mean := rrOjaTheory()
	if a := rrAngle(e, mean); a < 10*tol {
		t.Fatalf("the principal eigenvector is only %.4f rad from the mean input: the test cannot tell them apart", a)
	}
	n, _ := rrOjaNet(t, steps)
	s := n.run(1)
	w := s.Weights()[0]
	if len(w.Src) != 2 {
		t.Fatalf("%d plastic synapses, want 2", len(w.Src))
	}
	var avg [2]float64
	m := 0
	for r := len(w.Times) / 2; r < len(w.Times); r++ {
		avg[0] += w.W[2*r]
		avg[1] += w.W[2*r+1]
		m++
	}
	avg[0] /= float64(m)
	avg[1] /= float64(m)
	ang, norm := rrAngle(avg, e), math.Hypot(avg[0], avg[1])
	last := [2]float64{w.W[len(w.W)-2], w.W[len(w.W)-1]}
	t.Logf("C: λ₁ = %.4f, λ₂ = %.4f, e₁ = (%.4f, %.4f); mean input at %.3f rad from e₁", l1, l2, e[0], e[1], rrAngle(e, mean))
	t.Logf("mean w over the second half = (%.4f, %.4f): angle %.4f rad, norm %.4f; final w = (%.4f, %.4f), angle %.4f rad",
		avg[0], avg[1], ang, norm, last[0], last[1], rrAngle(last, e))
	if ang > tol || math.Abs(norm-1) > tol {
		t.Errorf("mean weight vector at %.4f rad from the principal eigenvector, norm %.4f; want ≤ %g rad and 1 ± %g", ang, norm, tol, tol)
	}
	// Bit-identical with 3 threads (a shorter run: its recorded weights
	// must equal the first ones of the long run).
	short, _ := rrOjaNet(t, 20000)
	w3 := short.run(3).Weights()[0]
	for k := range w3.W {
		if w3.W[k] != w.W[k] {
			t.Fatalf("3 threads: weight sample %d = %v, 1 thread: %v", k, w3.W[k], w.W[k])
		}
	}
}

// The covariance rule in a network. Two Bernoulli inputs (p = 0.2 per
// step) reach three threshold units through two plastic projections, with
// delays of 1 and 2 ms (dt = 1 ms). A static synapse (weight 10, θ = 5)
// makes every unit repeat input 0 one step later, y(n) = s₀(n − 1), and
// the plastic weights (≤ 2.4 each, 4 synapses: < 5) cannot change that.
// So the delay-1 synapse from input 0 sees x = y (covariance p·(1 − p)),
// the others see inputs independent of y.
func rrCovNet(t *testing.T, steps int) (*testNet, [2]int) {
	n := newNet(t, 1, float64(steps), 21)
	pre := n.pop("pre", "bernoulli_source", 2, map[string]any{"p": "0.2"})
	post := n.pop("post", "rate", 3, map[string]any{"activation": "threshold", "theta": "5"})
	drive := n.project(pre, post, "all_to_all", nil, synapse.Excitatory, "0", "1 ms")
	n.net.Projs[drive].Weights = []float64{10, 10, 10, 0, 0, 0}
	var p [2]int
	for d := range p {
		p[d] = n.project(pre, post, "all_to_all", nil, synapse.Excitatory, "1", fmt.Sprintf("%d ms", d+1))
		n.learn(p[d], "covariance", map[string]any{"eta": "2.5e-5", "tau": "100 ms", "w_max": "2.4"})
	}
	n.spikes(pre, post)
	return n, p
}

// rrSettled brings every learner of projection p up to date through the
// last step taken and returns its weights by (source, target).
func rrSettled(t *testing.T, s *Sim, p int) map[[2]int32]float64 {
	t.Helper()
	out := map[[2]int32]float64{}
	for w, b := range s.projs[p].blocks {
		st, ok := s.projs[p].learners[w].(plasticity.Settler)
		if !ok {
			t.Fatalf("the covariance learner does not implement plasticity.Settler")
		}
		st.Settle(s.Step() - 1)
		if b.Src == nil {
			b.BuildSources()
		}
		for k := range b.Tgt {
			out[[2]int32{b.Src[k], b.Tgt[k]}] = float64(b.W[k])
		}
	}
	return out
}

// The covariance rule changes a synapse by η·Σ(x − x̄)(y − ȳ): checked
// exactly against the rule applied here in every step to the recorded
// activity (the engine's lazy, event-driven learner to 1e-4, float32
// rounding), and statistically: the synapse whose input is the target's
// output grows by η·Σ_n E[(x_n − x̄_{n−1})²] (computed exactly, ≈
// η·T·p(1 − p)·2/(1 + a)) within 3%, while the synapses with independent
// input stay within 5% of what plain Hebbian learning would give them,
// η·T·p², of zero. 1 and 3 threads give bit-identical weights.
func TestRRCovariance(t *testing.T) {
	const steps, p, eta, tau = 200000, 0.2, 2.5e-5, 100.0
	n, proj := rrCovNet(t, steps)
	s := n.run(1)
	a := math.Exp(-1 / tau)
	// The recorded activity, per step.
	act := func(tr *SpikeTrain, id int32) []float64 {
		x := make([]float64, steps)
		for k, i := range tr.IDs {
			if i == id {
				x[int(math.Round(tr.Times[k]))-1] = 1 // a spike at t_{n+1} was emitted in step n
			}
		}
		return x
	}
	pre, post := s.Spikes()[0], s.Spikes()[1]
	hebb := eta * steps * p * p
	// E[(x_n − m_{n−1})²] for x = y Bernoulli(p) and its running mean m from 0.
	var corr float64
	for k := 1; k < steps; k++ { // x(0) = y(0) = 0: nothing arrived yet
		mean := p * (1 - math.Pow(a, float64(k-1)))
		vr := p * (1 - p) * (1 - a) * (1 - math.Pow(a, float64(2*(k-1)))) / (1 + a)
		corr += p - 2*p*mean + vr + mean*mean
	}
	corr *= eta
	var ref1 map[[2]int32]float64
	for d := range proj {
		w := rrSettled(t, s, proj[d])
		if d == 0 {
			ref1 = w
		}
		for key, got := range w {
			src, tgt := key[0], key[1]
			x, y := act(pre, src), act(post, tgt)
			// The rule, step by step.
			want, xm, ym := 1.0, 0.0, 0.0
			for n := range steps {
				xn := 0.0
				if n-d-1 >= 0 {
					xn = x[n-d-1]
				}
				want = math.Min(math.Max(want+eta*(xn-xm)*(y[n]-ym), 0), 2.4)
				xm, ym = a*xm+(1-a)*xn, a*ym+(1-a)*y[n]
			}
			if math.Abs(got-want) > 1e-4 {
				t.Errorf("delay %d ms, %d→%d: w = %.6f, the rule step by step gives %.6f", d+1, src, tgt, got, want)
			}
			dw := got - 1
			if d == 0 && src == 0 {
				if math.Abs(dw-corr) > 0.03*corr {
					t.Errorf("correlated synapse %d→%d: Δw = %.4f, want %.4f ± 3%%", src, tgt, dw, corr)
				}
			} else if math.Abs(dw) > 0.05*hebb {
				t.Errorf("independent synapse %d→%d (delay %d ms): Δw = %.4f, want 0 ± %.4f (Hebbian: %.4f)", src, tgt, d+1, dw, 0.05*hebb, hebb)
			}
			if tgt == 0 {
				t.Logf("delay %d ms, %d→%d: Δw = %+.4f (step by step %+.4f)", d+1, src, tgt, dw, want-1)
			}
		}
	}
	t.Logf("predicted: correlated %+.4f, independent 0 (plain Hebbian would give %+.4f)", corr, hebb)
	n3, _ := rrCovNet(t, steps)
	s3 := n3.run(3)
	for key, w := range rrSettled(t, s3, proj[0]) {
		if w != ref1[key] {
			t.Fatalf("3 threads: synapse %v = %v, 1 thread: %v", key, w, ref1[key])
		}
	}
}
