package stimulus_test

import (
	"math"
	"strings"
	"testing"

	"github.com/hebb-snn/hebb/neuron"
	"github.com/hebb-snn/hebb/param"
	"github.com/hebb-snn/hebb/stimulus"
)

func num(x float64) param.Value { return param.Value{Num: x} }

func list(x ...float64) param.Value { return param.Value{List: x} }

// build makes stimulus name with its defaults and over, on sel.
func build(t *testing.T, name string, over param.Values, sel []int32, env stimulus.Env) stimulus.Stimulus {
	t.Helper()
	k, ok := stimulus.Lookup(name)
	if !ok {
		t.Fatalf("stimulus %q is not registered", name)
	}
	v := k.Schema.Defaults()
	for n, x := range over {
		if _, ok := k.Schema.Def(n); !ok {
			t.Fatalf("%s has no parameter %q", name, n)
		}
		v[n] = x
	}
	if k.Check != nil {
		if errs := k.Check(v, env.Dt); len(errs) > 0 {
			t.Fatalf("%s: Check: %v", name, errs)
		}
	}
	s, err := k.New(v, sel, env)
	if err != nil {
		t.Fatalf("%s: New: %v", name, err)
	}
	return s
}

func newInput(n int, step int64) *neuron.Input {
	return &neuron.Input{Step: step, Ex: make([]float64, n), In: make([]float64, n), I: make([]float64, n)}
}

func contains(sel []int32, i int) bool {
	for _, j := range sel {
		if int(j) == i {
			return true
		}
	}
	return false
}

// dc is on in steps [round(start/dt), round(stop/dt)) and only on the
// selected neurons.
func TestDC(t *testing.T) {
	const n, dt = 8, 0.1
	sel := []int32{1, 2, 5}
	s := build(t, "dc", param.Values{"amplitude": num(375), "start": num(10), "stop": num(25.04)}, sel, stimulus.Env{Dt: dt})
	for step := int64(0); step < 400; step++ {
		in := newInput(n, step)
		in.I[2] = 5 // current from elsewhere is added to, not replaced
		s.Apply(0, n, in)
		on := step >= 100 && step < 250
		for i := range n {
			want := 0.0
			if on && contains(sel, i) {
				want = 375
			}
			if i == 2 {
				want += 5
			}
			if in.I[i] != want {
				t.Fatalf("step %d neuron %d: I = %g pA, want %g (on in steps [100, 250))", step, i, in.I[i], want)
			}
			if in.Ex[i] != 0 || in.In[i] != 0 {
				t.Fatalf("dc touched synaptic input")
			}
		}
	}
	// Without stop the current stays on.
	s = build(t, "dc", param.Values{"amplitude": num(-20)}, []int32{0}, stimulus.Env{Dt: dt})
	in := newInput(1, 1e9)
	s.Apply(0, 1, in)
	if in.I[0] != -20 {
		t.Errorf("dc without stop at step 1e9: I = %g, want -20", in.I[0])
	}
}

// A range [lo, hi) only touches the selected neurons inside it.
func TestDCRange(t *testing.T) {
	const n = 10
	sel := []int32{0, 3, 4, 9}
	s := build(t, "dc", param.Values{"amplitude": num(1)}, sel, stimulus.Env{Dt: 0.1})
	in := newInput(n, 0)
	s.Apply(3, 9, in)
	for i := range n {
		want := 0.0
		if i == 3 || i == 4 {
			want = 1
		}
		if in.I[i] != want {
			t.Errorf("Apply(3, 9): I[%d] = %g, want %g", i, in.I[i], want)
		}
	}
}

// step_current: amplitudes[k] from round(times[k]/dt) until the next time,
// 0 before the first.
func TestStepCurrent(t *testing.T) {
	const dt = 0.1
	s := build(t, "step_current", param.Values{"times": list(5, 10, 12.5, 20), "amplitudes": list(100, -50, 0, 30)}, []int32{0, 2}, stimulus.Env{Dt: dt})
	want := func(step int64) float64 {
		switch {
		case step < 50:
			return 0
		case step < 100:
			return 100
		case step < 125:
			return -50
		case step < 200:
			return 0
		}
		return 30
	}
	for step := int64(0); step < 300; step++ {
		in := newInput(3, step)
		s.Apply(0, 3, in)
		if in.I[0] != want(step) || in.I[2] != want(step) || in.I[1] != 0 {
			t.Fatalf("step %d: I = %v, want %g on neurons 0 and 2", step, in.I, want(step))
		}
	}
}

func TestStepCurrentCheck(t *testing.T) {
	k, _ := stimulus.Lookup("step_current")
	for _, tc := range []struct {
		times, amps []float64
		param, msg  string
	}{
		{[]float64{1, 2}, []float64{5, 6}, "", ""},
		{[]float64{1, 2, 3}, []float64{5, 6}, "amplitudes", "has 2 entries but times has 3"},
		{[]float64{1}, []float64{5, 6}, "amplitudes", "has 2 entries but times has 1"},
		{[]float64{1, 1}, []float64{5, 6}, "times", "must increase"},
		{[]float64{1, 3, 2}, []float64{5, 6, 7}, "times", "must increase"},
	} {
		v := param.Values{"times": list(tc.times...), "amplitudes": list(tc.amps...)}
		errs := k.Check(v, 0.1)
		_, err := k.New(v, []int32{0}, stimulus.Env{Dt: 0.1})
		if tc.param == "" {
			if len(errs) != 0 || err != nil {
				t.Errorf("times %v amplitudes %v: Check %v, New %v", tc.times, tc.amps, errs, err)
			}
			continue
		}
		if len(errs) != 1 || errs[0].Param != tc.param || !strings.Contains(errs[0].Msg, tc.msg) {
			t.Errorf("times %v amplitudes %v: Check = %v, want an error on %s containing %q", tc.times, tc.amps, errs, tc.param, tc.msg)
		}
		if err == nil {
			t.Errorf("times %v amplitudes %v: New accepted them", tc.times, tc.amps)
		}
	}
}

// poisson: per step and neuron the mean input is rate·dt·weight; negative
// weights go to In; the result does not depend on how [lo, hi) ranges
// split the neurons.
func TestPoisson(t *testing.T) {
	const n, dt, rate, steps = 50, 0.1, 200.0, 4000
	sel := make([]int32, 0, n)
	for i := range int32(n) {
		if i != 7 {
			sel = append(sel, i)
		}
	}
	env := stimulus.Env{Dt: dt, Seed: 11, Key: 2, Offset: 100}
	for _, w := range []float64{0.5, -0.5} {
		one := build(t, "poisson", param.Values{"rate": num(rate), "weight": num(w)}, sel, env)
		split := build(t, "poisson", param.Values{"rate": num(rate), "weight": num(w)}, sel, env)
		sum := 0.0
		for step := range int64(steps) {
			a, b := newInput(n, step), newInput(n, step)
			one.Apply(0, n, a)
			split.Apply(0, 13, b)
			split.Apply(13, 31, b)
			split.Apply(31, n, b)
			dst, other := a.Ex, a.In
			if w < 0 {
				dst, other = a.In, a.Ex
			}
			for i := range n {
				if a.Ex[i] != b.Ex[i] || a.In[i] != b.In[i] {
					t.Fatalf("w=%g step %d neuron %d: one range gives (%g, %g), three ranges (%g, %g)", w, step, i, a.Ex[i], a.In[i], b.Ex[i], b.In[i])
				}
				if other[i] != 0 || a.I[i] != 0 {
					t.Fatalf("w=%g: input of the wrong sign or a current at neuron %d", w, i)
				}
				if i == 7 && dst[i] != 0 {
					t.Fatalf("unselected neuron 7 received %g", dst[i])
				}
				if c := dst[i] / w; c != math.Trunc(c) || c < 0 {
					t.Fatalf("input %g is not a whole number of events of weight %g", dst[i], w)
				}
				sum += dst[i]
			}
		}
		lambda := rate * dt / 1000
		N := float64(len(sel) * steps)
		mean := sum / N / w // events per step per neuron
		if se := math.Sqrt(lambda / N); math.Abs(mean-lambda) > 5*se {
			t.Errorf("w=%g: %.5f events per step per neuron, want rate·dt = %.5f ± %.5f (5 se)", w, mean, lambda, 5*se)
		}
	}
	// Streams are keyed by global id: a stimulus on neuron 3 at Offset 100
	// equals one on neuron 0 at Offset 103, and differs from Offset 100.
	a := build(t, "poisson", param.Values{"rate": num(2000), "weight": num(1)}, []int32{3}, env)
	env2 := env
	env2.Offset = 103
	b := build(t, "poisson", param.Values{"rate": num(2000), "weight": num(1)}, []int32{0}, env2)
	c := build(t, "poisson", param.Values{"rate": num(2000), "weight": num(1)}, []int32{0}, env)
	diff := 0
	for step := range int64(500) {
		ia, ib, ic := newInput(4, step), newInput(4, step), newInput(4, step)
		a.Apply(0, 4, ia)
		b.Apply(0, 4, ib)
		c.Apply(0, 4, ic)
		if ia.Ex[3] != ib.Ex[0] {
			t.Fatalf("step %d: neuron 3 at Offset 100 got %g, neuron 0 at Offset 103 got %g", step, ia.Ex[3], ib.Ex[0])
		}
		if ia.Ex[3] != ic.Ex[0] {
			diff++
		}
	}
	if diff == 0 {
		t.Error("neurons 103 and 100 receive identical Poisson input")
	}
}

// poisson is active in steps [round(start/dt), round(stop/dt)).
func TestPoissonWindow(t *testing.T) {
	s := build(t, "poisson", param.Values{"rate": num(5000), "weight": num(1), "start": num(2), "stop": num(3)}, []int32{0, 1, 2, 3}, stimulus.Env{Dt: 0.1, Seed: 1})
	inside := 0.0
	for step := range int64(50) {
		in := newInput(4, step)
		s.Apply(0, 4, in)
		total := in.Ex[0] + in.Ex[1] + in.Ex[2] + in.Ex[3]
		if step >= 20 && step < 30 {
			inside += total
		} else if total != 0 {
			t.Errorf("step %d: poisson input %g outside steps [20, 30)", step, total)
		}
	}
	// λ = 0.5 per neuron and step: 20 events expected in the window.
	if inside < 5 {
		t.Errorf("%g events in the active window, want about 20", inside)
	}
}

// spike_times: an input at time t arrives at the end of step round(t/dt)−1,
// with multiplicity for repeated times, negative weights to In.
func TestSpikeTimes(t *testing.T) {
	const dt = 0.1
	for _, w := range []float64{1.5, -0.75} {
		s := build(t, "spike_times", param.Values{"times": list(3, 0.1, 1.04, 3), "weight": num(w)}, []int32{1}, stimulus.Env{Dt: dt})
		want := map[int64]float64{0: 1, 9: 1, 29: 2}
		for step := range int64(40) {
			in := newInput(3, step)
			s.Apply(0, 3, in)
			dst, other := in.Ex, in.In
			if w < 0 {
				dst, other = in.In, in.Ex
			}
			if dst[1] != want[step]*w || dst[0] != 0 || dst[2] != 0 || other[1] != 0 {
				t.Errorf("w=%g step %d: Ex %v In %v, want %g at neuron 1", w, step, in.Ex, in.In, want[step]*w)
			}
		}
	}
	k, _ := stimulus.Lookup("spike_times")
	for _, ts := range [][]float64{{0}, {1, 0.04}} {
		v := param.Values{"times": list(ts...), "weight": num(1)}
		if errs := k.Check(v, dt); len(errs) != 1 || errs[0].Param != "times" {
			t.Errorf("times %v: Check = %v, want an error on times", ts, errs)
		}
		if _, err := k.New(v, []int32{0}, stimulus.Env{Dt: dt}); err == nil {
			t.Errorf("times %v: New accepted a time before the end of the first step", ts)
		}
	}
}

func TestRegistry(t *testing.T) {
	want := map[string]bool{"dc": true, "step_current": true, "poisson": false, "spike_times": false}
	for name, current := range want {
		k, ok := stimulus.Lookup(name)
		if !ok {
			t.Errorf("%s not registered (have %v)", name, stimulus.Names())
			continue
		}
		if k.Current != current {
			t.Errorf("%s: Current = %v, want %v", name, k.Current, current)
		}
	}
	for _, k := range stimulus.Kinds() {
		if k.Doc == "" {
			t.Errorf("%s: no doc", k.Name)
		}
		for _, d := range k.Params {
			if d.Doc == "" {
				t.Errorf("%s.%s: no doc", k.Name, d.Name)
			}
		}
	}
}
