package engine

import (
	"context"
	"math"
	"testing"

	"github.com/hebb-snn/hebb/param"
	"github.com/hebb-snn/hebb/synapse"
)

func codelabLIF(t *testing.T, integrator, current, tauM string) *testNet {
	n := newNet(t, 0.1, 300, 1)
	p := n.pop("neuron", "lif_delta", 1, map[string]any{
		"tau_m": tauM, "V_rest": "-70 mV", "V_th": "-54 mV", "V_reset": "-80 mV",
		"R_m": "10 Mohm", "t_ref": "0 ms", "integrator": integrator,
	})
	n.stim("dc", p, map[string]any{"amplitude": current})
	n.spikes(p)
	n.state(p, 0.1, "V")
	return n
}

// The code lab's NumPy loop (forward Euler, spike when V ≥ V_th after the
// step, stamped at the end of the step) gives these spike times.
func TestCodelabEulerSpikeTimes(t *testing.T) {
	s := codelabLIF(t, "euler", "1.8 nA", "20 ms").run(1)
	want := []float64{43.9, 96.6, 149.3, 202.0, 254.7}
	got := s.Spikes()[0].Times
	if len(got) != len(want) {
		t.Fatalf("spikes at %v, want %v", got, want)
	}
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-9 {
			t.Fatalf("spikes at %v, want %v", got, want)
		}
	}
	// The trace starts at V_rest and is reset to V_reset after a spike.
	tr := s.States()[0]
	if tr.Values[0] != -70 || tr.Values[439] != -80 {
		t.Errorf("V(0) = %g, V(43.9 ms) = %g; want -70 and -80", tr.Values[0], tr.Values[439])
	}
}

// With exact integration the interspike interval is the analytic
// τ_m·ln((V_reset − V∞)/(V_th − V∞)), V∞ = V_rest + R_m·I, up to one dt
// (spikes are on the grid), for several currents and membrane constants.
func TestLIFExactISI(t *testing.T) {
	for _, c := range []struct {
		i, tau string
		amp    float64 // nA
		tm     float64
	}{{"1.7 nA", "20 ms", 1.7, 20}, {"1.8 nA", "20 ms", 1.8, 20}, {"2.5 nA", "20 ms", 2.5, 20}, {"4 nA", "20 ms", 4, 20}, {"1.8 nA", "40 ms", 1.8, 40}} {
		n := codelabLIF(t, "exact", c.i, c.tau)
		n.net.Duration, n.net.Steps = 2000, 20000
		s := n.run(1)
		vinf := -70 + 10*c.amp
		want := c.tm * math.Log((-80-vinf)/(-54-vinf))
		times := s.Spikes()[0].Times
		if len(times) < 3 {
			t.Fatalf("I = %s: only %d spikes", c.i, len(times))
		}
		for k := 1; k < len(times); k++ {
			isi := times[k] - times[k-1]
			if isi < want-1e-9 || isi > want+0.1+1e-9 {
				t.Fatalf("I = %s, tau_m = %s: ISI %g ms, want %g ms (+ at most one dt)", c.i, c.tau, isi, want)
			}
		}
	}
}

// A refractory period adds exactly t_ref to the exact ISI bound.
func TestLIFRefractory(t *testing.T) {
	n := codelabLIF(t, "exact", "1.8 nA", "20 ms")
	n.net.Pops[0].Params["t_ref"] = param.Value{Num: 5}
	s := n.run(1)
	want := 20*math.Log(14) + 5
	times := s.Spikes()[0].Times
	for k := 1; k < len(times); k++ {
		if isi := times[k] - times[k-1]; isi < want-1e-9 || isi > want+0.1+1e-9 {
			t.Fatalf("ISI %g ms, want %g ms", isi, want)
		}
	}
}

// One input of w pA at t0 into a lif_exp neuron at rest: the synaptic
// current is w·e^{−(t−t0)/τ_s} and the membrane potential follows
// V − V_rest = (w/C)·τ_m·τ_s/(τ_m − τ_s)·(e^{−(t−t0)/τ_m} − e^{−(t−t0)/τ_s}),
// exactly at every grid point.
func TestExpPSCShape(t *testing.T) {
	for _, integ := range []string{"exact"} {
		n := newNet(t, 0.1, 60, 1)
		p := n.pop("n", "lif_exp", 1, map[string]any{"V_th": "0 mV", "tau_m": "10 ms", "C_m": "250 pF", "tau_syn_ex": "2 ms", "integrator": integ})
		n.stim("spike_times", p, map[string]any{"times": []string{"10 ms"}, "weight": "100 pA"})
		n.state(p, 0.1, "V", "I_ex")
		s := n.run(1)
		v, cur := s.States()[0], s.States()[1]
		const w, c, tm, ts, t0 = 100.0, 250.0, 10.0, 2.0, 10.0
		for k, tt := range v.Times {
			var wantI, wantV float64
			if tt >= t0-1e-9 {
				u := tt - t0
				wantI = w * math.Exp(-u/ts)
				wantV = w / c * tm * ts / (tm - ts) * (math.Exp(-u/tm) - math.Exp(-u/ts))
			}
			if math.Abs(cur.Values[k]-wantI) > 1e-9*w || math.Abs(v.Values[k]+70-wantV) > 1e-9 {
				t.Fatalf("t = %g ms: I_ex %g pA (want %g), V+70 %g mV (want %g)", tt, cur.Values[k], wantI, v.Values[k]+70, wantV)
			}
		}
	}
}

// A spike emitted at 10 ms through a projection with a 3 ms delay reaches
// the target at 13 ms: V jumps between the samples at 12.9 and 13.0 ms.
func TestDelay(t *testing.T) {
	for _, delay := range []string{"3 ms", "uniform(2.96 ms, 3.04 ms)"} {
		n := newNet(t, 0.1, 30, 1)
		src := n.pop("src", "spike_source", 1, map[string]any{"times": []string{"10 ms"}})
		dst := n.pop("dst", "lif_delta", 1, map[string]any{"V_th": "0 mV"})
		n.project(src, dst, "all_to_all", nil, synapse.Excitatory, "2 mV", delay)
		n.spikes(src)
		n.state(dst, 0.1, "V")
		s := n.run(1)
		if got := s.Spikes()[0].Times; len(got) != 1 || math.Abs(got[0]-10) > 1e-9 {
			t.Fatalf("source spiked at %v, want [10]", got)
		}
		v := s.States()[0].Values
		if v[129] != -70 || math.Abs(v[130]+68) > 1e-12 || math.Abs(v[131]-(-70+2*math.Exp(-0.01))) > 1e-12 {
			t.Fatalf("delay %s: V(12.9, 13.0, 13.1 ms) = %g, %g, %g; want -70, -68, %g", delay, v[129], v[130], v[131], -70+2*math.Exp(-0.01))
		}
	}
}

// A Poisson source of rate r has a mean rate within 1% (4.5 standard
// errors) and ISIs with a coefficient of variation of 1 ± 0.02.
func TestPoissonSource(t *testing.T) {
	n := newNet(t, 0.1, 10000, 3)
	p := n.pop("p", "poisson_source", 100, map[string]any{"rate": "20 Hz"})
	n.spikes(p)
	s := n.run(2)
	tr := s.Spikes()[0]
	rate := float64(len(tr.Times)) / 100 / 10
	if math.Abs(rate-20) > 0.2 {
		t.Errorf("rate %g Hz, want 20 ± 0.2", rate)
	}
	last := make([]float64, 100)
	for i := range last {
		last[i] = -1
	}
	var sum, sum2, m float64
	for k, id := range tr.IDs {
		if last[id] >= 0 {
			d := tr.Times[k] - last[id]
			sum += d
			sum2 += d * d
			m++
		}
		last[id] = tr.Times[k]
	}
	mean := sum / m
	cv := math.Sqrt(sum2/m-mean*mean) / mean
	if math.Abs(cv-1) > 0.02 {
		t.Errorf("ISI CV %g, want 1 ± 0.02", cv)
	}
}

// randomNet is a small recurrent E/I network driven by Poisson sources,
// with random weights, delays and initial potentials.
func randomNet(t *testing.T, seed uint64) *testNet {
	n := newNet(t, 0.1, 300, seed)
	ext := n.pop("ext", "poisson_source", 200, map[string]any{"rate": "20 Hz"})
	e := n.pop("E", "lif_exp", 400, map[string]any{"tau_m": "20 ms", "V_th": "-50 mV", "V_reset": "-60 mV"})
	i := n.pop("I", "lif_exp", 101, map[string]any{"tau_m": "10 ms", "V_th": "-50 mV", "V_reset": "-60 mV"})
	n.init(e, "V", "uniform(-70 mV, -50 mV)")
	n.init(i, "V", "uniform(-70 mV, -50 mV)")
	n.project(ext, e, "fixed_indegree", map[string]any{"k": "80"}, synapse.Excitatory, "normal(200 pA, 20 pA)", "normal(1.5 ms, 0.5 ms)")
	n.project(ext, i, "fixed_outdegree", map[string]any{"k": "40"}, synapse.Excitatory, "normal(200 pA, 20 pA)", "1 ms")
	n.project(e, e, "fixed_probability", map[string]any{"p": "0.1"}, synapse.Excitatory, "uniform(10 pA, 30 pA)", "uniform(0.5 ms, 3 ms)")
	n.project(e, i, "fixed_probability", map[string]any{"p": "0.1"}, synapse.Excitatory, "20 pA", "1 ms")
	n.project(i, e, "fixed_probability", map[string]any{"p": "0.2"}, synapse.Inhibitory, "normal(-80 pA, 20 pA)", "0.8 ms")
	n.project(i, i, "fixed_indegree", map[string]any{"k": "10", "autapses": "false"}, synapse.Inhibitory, "-50 pA", "0.8 ms")
	n.spikes(ext, e, i)
	return n
}

func sameSpikes(a, b []*SpikeTrain) bool {
	if len(a) != len(b) {
		return false
	}
	for p := range a {
		if len(a[p].Times) != len(b[p].Times) {
			return false
		}
		for k := range a[p].Times {
			if a[p].Times[k] != b[p].Times[k] || a[p].IDs[k] != b[p].IDs[k] {
				return false
			}
		}
	}
	return true
}

// Same model and seed: identical spikes for 1, 2, 3 and 4 threads.
// Different seeds: different spikes.
func TestThreadsDeterministic(t *testing.T) {
	ref := randomNet(t, 11).run(1)
	total := 0
	for _, tr := range ref.Spikes() {
		total += len(tr.Times)
	}
	if e := len(ref.Spikes()[1].Times); e < 100 {
		t.Fatalf("the test network is too quiet: %d E spikes", e)
	}
	for _, threads := range []int{2, 3, 4} {
		if s := randomNet(t, 11).run(threads); !sameSpikes(ref.Spikes(), s.Spikes()) {
			t.Fatalf("%d threads give different spikes than 1 thread", threads)
		}
	}
	if s := randomNet(t, 12).run(2); sameSpikes(ref.Spikes(), s.Spikes()) {
		t.Fatal("seeds 11 and 12 give identical spikes")
	}
	t.Logf("%d spikes", total)
}

// The Hebbian rule Δw = η·x·y: with both presynaptic units always on and
// the postsynaptic units always above threshold, every weight grows by η
// per step from the first step in which the input arrives; w_max caps it,
// and a negative weight of a mixed projection rises to 0 but never changes
// sign (Dale's law).
func TestHebbian(t *testing.T) {
	for _, c := range []struct {
		w, wmax string
		want    float64
	}{{"0.5", "", 0.5 + 0.01*199}, {"0.5", "1", 1}, {"-0.5", "", 0}} {
		n := newNet(t, 1, 200, 1)
		pre := n.pop("pre", "bernoulli_source", 2, map[string]any{"p": "1"})
		post := n.pop("post", "rate", 2, map[string]any{"activation": "threshold", "theta": "-10", "bias": "0"})
		pr := n.project(pre, post, "all_to_all", nil, 0, c.w, "1 ms")
		kv := map[string]any{"eta": "0.01"}
		if c.wmax != "" {
			kv["w_max"] = c.wmax
		}
		n.learn(pr, "hebbian", kv)
		n.weights(pr, 1)
		for _, threads := range []int{1, 2} {
			s := n.run(threads)
			w := s.Weights()[0]
			last := w.W[len(w.W)-4:]
			for _, x := range last {
				if math.Abs(x-c.want) > 1e-4 {
					t.Fatalf("w0 %s, w_max %q, %d threads: final weights %v, want %g", c.w, c.wmax, threads, last, c.want)
				}
			}
		}
	}
}

// The step loop does not allocate: after a warm-up, taking more steps
// costs no allocations (one thread; with several threads the only
// allocations are the goroutines started per Run call).
func TestNoAllocPerStep(t *testing.T) {
	for _, threads := range []int{1, 2} {
		n := randomNet(t, 5)
		n.net.Recs = nil
		s, err := Build(n.net, Options{Threads: threads})
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		if err := s.RunUntil(ctx, 500, nil); err != nil {
			t.Fatal(err)
		}
		// A run of 3000 steps: no allocation at all with one thread, at
		// most the few made to start the other workers' goroutines.
		allowed := 0.0
		if threads > 1 {
			allowed = 12
		}
		if a := testing.AllocsPerRun(3, func() { _ = s.RunUntil(ctx, s.Step()+3000, nil) }); a > allowed {
			t.Errorf("%d threads: %g allocations per 3000 steps, want at most %g", threads, a, allowed)
		}
	}
}

func BenchmarkStep(b *testing.B) {
	t := &testing.T{}
	n := randomNet(t, 5)
	n.net.Recs = nil
	s, err := Build(n.net, Options{Threads: 1})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		_ = s.RunUntil(ctx, s.Step()+1, nil)
	}
}
