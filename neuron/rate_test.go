package neuron_test

import (
	"math"
	"testing"

	"github.com/hebb-snn/hebb/neuron"
	"github.com/hebb-snn/hebb/param"
)

func sigma(u float64) float64 { return 1 / (1 + math.Exp(-u)) }

// rateStep runs one step of rate units with inputs ex (and in) and returns
// y for every unit, checking that exactly the units with y ≠ 0 emitted y.
func rateStep(t *testing.T, s *sim, ex, in []float64) []float64 {
	t.Helper()
	copy(s.in.Ex, ex)
	copy(s.in.In, in)
	out := s.step()
	y := make([]float64, s.n)
	copy(y, s.k.Var("y"))
	emitted := map[int32]float64{}
	for j, id := range out.IDs {
		emitted[id] = out.Amp[j]
	}
	for i := range y {
		a, ok := emitted[int32(i)]
		if (y[i] != 0) != ok || (ok && a != y[i]) {
			t.Errorf("unit %d: y = %g but emitted (%v, %g)", i, y[i], ok, a)
		}
	}
	return y
}

func TestRateThreshold(t *testing.T) {
	s := newSim(t, "rate", 5, param.Values{"activation": word("threshold"), "theta": num(0.5), "bias": num(0.25)}, neuron.Env{Dt: 1})
	// x = Ex + In + bias: 0.2, 0.5 (= θ), 0.5 + 1e-12, 1.1, 0.5 via ex and in.
	ex := []float64{0.05, 0.25, 0.25 + 1e-12, 0.85, 1.25}
	in := []float64{-0.1, 0, 0, 0, -1}
	y := rateStep(t, s, ex, in)
	want := []float64{0, 0, 1, 1, 0}
	for i := range y {
		if y[i] != want[i] {
			t.Errorf("threshold θ = 0.5: x = %.15g gives y = %g, want %g (y = 1 only for x > θ)", s.k.Var("x")[i], y[i], want[i])
		}
	}
	if x := s.k.Var("x"); math.Abs(x[0]-0.2) > 1e-15 || math.Abs(x[4]-0.5) > 1e-15 {
		t.Errorf("x = %v, want x[0] = 0.2 and x[4] = 0.5 (Ex + In + bias)", x)
	}
}

func TestRateSigmoidReLU(t *testing.T) {
	const theta, beta = 0.3, 2.5
	xs := []float64{-4, -0.3, 0, 0.3, 0.31, 1, 6}
	for _, act := range []string{"sigmoid", "relu"} {
		s := newSim(t, "rate", len(xs), param.Values{"activation": word(act), "theta": num(theta), "beta": num(beta)}, neuron.Env{Dt: 1})
		y := rateStep(t, s, xs, make([]float64, len(xs)))
		for i, x := range xs {
			want := sigma(beta * (x - theta))
			if act == "relu" {
				want = math.Max(0, beta*(x-theta))
			}
			if math.Abs(y[i]-want) > 1e-15 {
				t.Errorf("%s(x = %g) = %.17g, want %.17g", act, x, y[i], want)
			}
		}
	}
}

// noisy_sigmoid emits 1 with probability σ(β·(x − θ)): over 20000 steps
// the count is within 4 binomial standard deviations of N·p.
func TestRateNoisySigmoidFrequency(t *testing.T) {
	const theta, beta, N = 0.2, 1.5, 20000
	xs := []float64{-2, 0, 0.2, 1, 3}
	s := newSim(t, "rate", len(xs), param.Values{"activation": word("noisy_sigmoid"), "theta": num(theta), "beta": num(beta)}, neuron.Env{Dt: 1, Seed: 42})
	count := make([]int, len(xs))
	for range N {
		for i, y := range rateStep(t, s, xs, make([]float64, len(xs))) {
			if y != 0 && y != 1 {
				t.Fatalf("noisy_sigmoid emitted %g, want 0 or 1", y)
			}
			count[i] += int(y)
		}
	}
	for i, x := range xs {
		p := sigma(beta * (x - theta))
		sd := math.Sqrt(N * p * (1 - p))
		if d := math.Abs(float64(count[i]) - N*p); d > 4*sd {
			t.Errorf("x = %g: %d of %d steps active, want %.0f ± %.0f (4 sd, p = %.4f)", x, count[i], N, N*p, 4*sd, p)
		}
	}
}

// Random streams are keyed by (seed, global id): the same seed and Offset
// give the same output, unit i of a population at Offset o behaves as unit
// i+o of one at Offset 0, and a different Offset or seed differs.
func TestRateNoisySigmoidStreams(t *testing.T) {
	const n, steps = 4, 500
	run := func(seed uint64, offset, n int) [][]float64 {
		s := newSim(t, "rate", n, param.Values{"activation": word("noisy_sigmoid")}, neuron.Env{Dt: 1, Seed: seed, Offset: offset})
		out := make([][]float64, n)
		for range steps {
			y := rateStep(t, s, make([]float64, n), make([]float64, n)) // p = 1/2
			for i := range y {
				out[i] = append(out[i], y[i])
			}
		}
		return out
	}
	same := func(a, b []float64) bool {
		for k := range a {
			if a[k] != b[k] {
				return false
			}
		}
		return true
	}
	a, b := run(7, 0, n), run(7, 0, n)
	shifted := run(7, 2, n-2)
	other := run(8, 0, n)
	for i := range n {
		if !same(a[i], b[i]) {
			t.Errorf("unit %d: two runs with the same seed and Offset differ", i)
		}
		if same(other[i], a[i]) {
			t.Errorf("unit %d: seeds 7 and 8 give the same %d outputs", i, steps)
		}
		if i+1 < n && same(a[i], a[i+1]) {
			t.Errorf("units %d and %d have the same stream", i, i+1)
		}
	}
	for i := range n - 2 {
		if !same(shifted[i], a[i+2]) {
			t.Errorf("unit %d at Offset 2 differs from unit %d at Offset 0 (streams must be keyed by global id)", i, i+2)
		}
		if same(shifted[i], a[i]) {
			t.Errorf("unit %d at Offsets 0 and 2 has the same stream", i)
		}
	}
}
