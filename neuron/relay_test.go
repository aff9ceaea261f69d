package neuron_test

import (
	"math"
	"slices"
	"testing"

	"github.com/hebb-snn/hebb/neuron"
)

// relayRun drives a kernel for steps steps; ex and in give, for each step,
// the excitatory and inhibitory input of neuron 0. It returns the steps in
// which neuron 0 emitted and checks every amplitude is 1.
func relayRun(t *testing.T, name string, dt float64, steps int, ex, in map[int]float64) []int {
	t.Helper()
	s := newSim(t, name, 1, nil, neuron.Env{Dt: dt})
	var got []int
	for k := 0; k < steps; k++ {
		s.in.Ex[0], s.in.In[0] = ex[k], in[k]
		out := s.step()
		if len(out.IDs) > 0 {
			if len(out.IDs) != 1 || out.IDs[0] != 0 || out.Amp[0] != 1 {
				t.Fatalf("%s step %d: emitted %v %v, want neuron 0 once with amplitude 1", name, k, out.IDs, out.Amp)
			}
			got = append(got, k)
		}
	}
	return got
}

// A relay repeats every step with excitatory input, however small, once
// (whatever the input's size), and ignores inhibitory input.
func TestRelayRepeatsExcitatoryInput(t *testing.T) {
	ex := map[int]float64{2: 1e-6, 5: 20, 6: 3, 9: 0.5}
	in := map[int]float64{3: -1, 6: -10, 7: -5}
	got := relayRun(t, "relay", 1, 12, ex, in)
	if want := []int{2, 5, 6, 9}; !slices.Equal(got, want) {
		t.Errorf("relay emitted in steps %v, want %v", got, want)
	}
}

// A pair detector fires when a second event (inhibitory channel) follows
// a first event (excitatory channel) by 0 < Δt ≤ window, and only then:
// not for a second event alone, not in the step of the first event, not
// after the window, not for the channels swapped; every second event in
// the window fires (two here after the first event at step 10).
func TestRelayPairDetector(t *testing.T) {
	const dt = 0.5                                           // window 10 ms = 20 steps
	ex := map[int]float64{10: 1, 40: 1, 100: 0.01, 150: 0.2} // any positive weight counts
	in := map[int]float64{
		5:  -1,           // second event with no first event before it
		11: -1, 30: -0.1, // 0.5 ms and exactly 10 ms after step 10: detected
		31:  -1, // 10.5 ms after step 10: too late
		40:  -1, // same step as a first event: too early (Δt = 0)
		61:  -1, // 10.5 ms after step 40: too late
		99:  -1, // before the first event of step 100 ...
		120: -1, // ... and exactly 10 ms after it: detected
		149: -1, // before a first event only (swapped order)
	}
	got := relayRun(t, "pair_detector", dt, 200, ex, in)
	if want := []int{11, 30, 120}; !slices.Equal(got, want) {
		t.Errorf("pair_detector emitted in steps %v, want %v", got, want)
	}
	// since counts the time from the last first event.
	s := newSim(t, "pair_detector", 1, nil, neuron.Env{Dt: dt})
	if v := s.k.Var("since")[0]; !math.IsInf(v, 1) {
		t.Errorf("since before any event: %g, want +Inf", v)
	}
	s.in.Ex[0] = 1
	s.step()
	for k := 0; k < 4; k++ {
		s.step()
	}
	if v := s.k.Var("since")[0]; math.Abs(v-2) > 1e-12 {
		t.Errorf("since 4 steps of 0.5 ms after a first event: %g ms, want 2", v)
	}
}

// Check refuses a window shorter than one step.
func TestRelayPairDetectorCheck(t *testing.T) {
	m, v := values(t, "pair_detector", nil)
	v["window"] = num(0.05)
	if errs := m.Check(v, 0.1); len(errs) != 1 || errs[0].Param != "window" {
		t.Errorf("Check(window 0.05 ms, dt 0.1 ms) = %v, want one error on window", errs)
	}
	v["window"] = num(10)
	if errs := m.Check(v, 1); len(errs) != 0 {
		t.Errorf("Check(window 10 ms, dt 1 ms) = %v, want none", errs)
	}
}
