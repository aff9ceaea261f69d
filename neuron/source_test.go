package neuron_test

import (
	"math"
	"strings"
	"testing"

	"github.com/hebb-snn/hebb/neuron"
	"github.com/hebb-snn/hebb/param"
)

// poisson_source: counts per step have mean rate·dt, and counts in 100 ms
// windows have Fano factor 1. With W windows of mean μ the sample Fano
// factor has standard deviation ≈ √((2 + 1/μ)/W); the test allows 5 of
// them.
func TestPoissonSourceStatistics(t *testing.T) {
	const (
		n, dt, rate = 40, 0.1, 80.0 // Hz
		win         = 1000          // steps per 100 ms window
		windows     = 100           // per neuron: 10 s
	)
	s := newSim(t, "poisson_source", n, param.Values{"rate": num(rate)}, neuron.Env{Dt: dt, Seed: 3})
	counts := make([]float64, n*windows)
	total := 0.0
	multi := 0
	for w := range windows {
		for range win {
			out := s.step()
			for j, id := range out.IDs {
				a := out.Amp[j]
				if a < 1 || a != math.Trunc(a) {
					t.Fatalf("poisson_source emitted amplitude %g, want a positive count", a)
				}
				if a > 1 {
					multi++
				}
				counts[int(id)*windows+w] += a
				total += a
			}
		}
	}
	lambda := rate * dt / 1000
	N := float64(n * windows * win)
	if se := math.Sqrt(lambda / N); math.Abs(total/N-lambda) > 5*se {
		t.Errorf("mean count per step %.6f, want rate·dt = %.6f ± %.6f (5 se)", total/N, lambda, 5*se)
	}
	var m, v float64
	for _, c := range counts {
		m += c
	}
	m /= float64(len(counts))
	for _, c := range counts {
		v += (c - m) * (c - m)
	}
	v /= float64(len(counts) - 1)
	fano := v / m
	tol := 5 * math.Sqrt((2+1/m)/float64(len(counts)))
	if math.Abs(fano-1) > tol {
		t.Errorf("Fano factor of 100 ms counts = %.4f (mean %.3f), want 1 ± %.3f", fano, m, tol)
	}
	// P(k ≥ 2 in a step) ≈ λ²/2 = 3.2e-5, i.e. about 512 of 1.6e7 draws.
	if want := N * lambda * lambda / 2; math.Abs(float64(multi)-want) > 5*math.Sqrt(want) {
		t.Errorf("%d steps with 2 or more spikes, want %.0f ± %.0f", multi, want, 5*math.Sqrt(want))
	}
}

// poisson_source is active in steps [round(start/dt), round(stop/dt)):
// spikes stamped in (start, stop].
func TestPoissonSourceWindow(t *testing.T) {
	const n, dt = 100, 0.1
	s := newSim(t, "poisson_source", n, param.Values{"rate": num(1000), "start": num(20), "stop": num(50)}, neuron.Env{Dt: dt, Seed: 9})
	first, last := int64(-1), int64(-1)
	for range 1000 {
		st := s.s
		if out := s.step(); len(out.IDs) > 0 {
			if first < 0 {
				first = st
			}
			last = st
		}
	}
	// With 100 neurons at λ = 0.1 a step is silent with probability e^{−10}.
	if first != 200 || last != 499 {
		t.Errorf("active from step %d to %d, want 200 to 499 (start 20 ms, stop 50 ms, dt 0.1 ms)", first, last)
	}
}

func TestBernoulliSource(t *testing.T) {
	const n, steps, p = 10, 10000, 0.3
	s := newSim(t, "bernoulli_source", n, param.Values{"p": num(p)}, neuron.Env{Dt: 1, Seed: 5})
	count := 0
	for range steps {
		out := s.step()
		for _, a := range out.Amp {
			if a != 1 {
				t.Fatalf("bernoulli_source emitted %g, want 1", a)
			}
		}
		count += len(out.IDs)
	}
	N := float64(n * steps)
	if se := math.Sqrt(p * (1 - p) / N); math.Abs(float64(count)/N-p) > 5*se {
		t.Errorf("frequency %.5f, want p = %g ± %.5f (5 se)", float64(count)/N, p, 5*se)
	}
	for _, q := range []float64{0, 1} {
		s := newSim(t, "bernoulli_source", n, param.Values{"p": num(q)}, neuron.Env{Dt: 1, Seed: 5})
		c := 0
		for range 100 {
			c += len(s.step().IDs)
		}
		if want := int(q) * n * 100; c != want {
			t.Errorf("p = %g: %d emissions in 100 steps of %d units, want %d", q, c, n, want)
		}
	}
}

// spike_source emits every listed time t in step round(t/dt) − 1, so the
// spike is stamped at the end of that step, t on the grid; a repeated time
// gives one emission with the multiplicity as amplitude.
func TestSpikeSource(t *testing.T) {
	const n, dt = 3, 0.1
	times := []float64{2.0, 0.1, 0.5, 1.0, 0.5, 0.73}
	want := map[int64]float64{0: 1, 4: 2, 6: 1, 9: 1, 19: 1} // step → multiplicity
	s := newSim(t, "spike_source", n, param.Values{"times": {List: times}}, neuron.Env{Dt: dt})
	for range 40 {
		st := s.s
		out := s.step()
		m, ok := want[st]
		if !ok {
			if len(out.IDs) != 0 {
				t.Errorf("step %d: emitted %v, want nothing", st, out.IDs)
			}
			continue
		}
		if len(out.IDs) != n {
			t.Errorf("step %d (stamp %.1f ms): %d neurons emitted, want %d", st, float64(st+1)*dt, len(out.IDs), n)
			continue
		}
		for j := range out.IDs {
			if out.IDs[j] != int32(j) || out.Amp[j] != m {
				t.Errorf("step %d: emission %d = (%d, %g), want (%d, %g)", st, j, out.IDs[j], out.Amp[j], j, m)
			}
		}
	}
}

func TestSpikeSourceCheck(t *testing.T) {
	m, _ := neuron.Lookup("spike_source")
	for _, tc := range []struct {
		times []float64
		dt    float64
		ok    bool
	}{
		{[]float64{0.1, 5}, 0.1, true},
		{[]float64{1, 0.1}, 0.1, true},
		{[]float64{0}, 0.1, false},
		{[]float64{5, 0.04}, 0.1, false},
		{[]float64{0.25}, 1, false},
	} {
		v := param.Values{"times": {List: tc.times}}
		errs := m.Check(v, tc.dt)
		if tc.ok != (len(errs) == 0) {
			t.Errorf("times %v dt %g: errors %v, want ok = %v", tc.times, tc.dt, errs, tc.ok)
		}
		if !tc.ok && len(errs) > 0 && (errs[0].Param != "times" || !strings.Contains(errs[0].Msg, "at least dt")) {
			t.Errorf("times %v: error %+v, want one on times saying they must be at least dt", tc.times, errs[0])
		}
		if _, err := m.New(1, v, neuron.Env{Dt: tc.dt}); tc.ok != (err == nil) {
			t.Errorf("times %v dt %g: New error %v, want ok = %v", tc.times, tc.dt, err, tc.ok)
		}
	}
}

// Two poisson_source populations of one run (global ids 0–199 and
// 200–399) draw independent spikes, as do neurons within one: the
// correlation of their 10 ms counts over 20 s is within 5 standard errors
// of zero (a shared counter-based key would make the second population
// repeat the first one's numbers shifted by a step).
func TestPoissonSourceIndependent(t *testing.T) {
	const n, steps, bin = 200, 200000, 100
	a := newSim(t, "poisson_source", n, param.Values{"rate": num(50)}, neuron.Env{Dt: 0.1, Seed: 4, Offset: 0})
	b := newSim(t, "poisson_source", n, param.Values{"rate": num(50)}, neuron.Env{Dt: 0.1, Seed: 4, Offset: n})
	ca, cb := make([]float64, steps/bin), make([]float64, steps/bin)
	for s := range steps {
		for _, x := range a.step().Amp {
			ca[s/bin] += x
		}
		for _, x := range b.step().Amp {
			cb[s/bin] += x
		}
	}
	for _, lag := range []int{0, 1} { // the same bin, and one bin apart
		r := corr(ca[lag:], cb[:len(cb)-lag])
		if se := 1 / math.Sqrt(float64(len(ca)-lag)); math.Abs(r) > 5*se {
			t.Errorf("lag %d: correlation of the two populations' counts %.4f, want 0 ± %.4f", lag, r, 5*se)
		}
	}
}

func corr(x, y []float64) float64 {
	var mx, my float64
	for i := range x {
		mx += x[i] / float64(len(x))
		my += y[i] / float64(len(y))
	}
	var sxy, sxx, syy float64
	for i := range x {
		sxy += (x[i] - mx) * (y[i] - my)
		sxx += (x[i] - mx) * (x[i] - mx)
		syy += (y[i] - my) * (y[i] - my)
	}
	return sxy / math.Sqrt(sxx*syy)
}
