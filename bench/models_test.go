package bench

import (
	"math"
	"testing"
)

// Every benchmark model resolves at scale 1 and at a small scale, with
// the sizes the papers give.
func TestModelsResolve(t *testing.T) {
	sizes := map[string]int{"coba": 4000, "cuba": 4000, "brunel": 10000, "brunel_stdp": 10000, "microcircuit": 77169}
	for _, name := range Names() {
		for _, scale := range []float64{1, 0.1} {
			spec, err := Spec(name, scale, "100 ms", 1)
			if err != nil {
				t.Fatal(err)
			}
			net, err := spec.Resolve()
			if err != nil {
				t.Fatalf("%s at scale %g: %v", name, scale, err)
			}
			n := 0
			for _, p := range net.Pops {
				n += p.Size
			}
			if want := float64(sizes[name]) * scale; math.Abs(float64(n)-want) > float64(len(net.Pops)) {
				t.Errorf("%s at scale %g: %d neurons, want %g", name, scale, n, want)
			}
		}
	}
	if _, err := Spec("nope", 1, "1 s", 1); err == nil {
		t.Error("unknown benchmark accepted")
	}
}

// The microcircuit's synapse counts follow Potjans & Diesmann (2014), eq. 1:
// K = ln(1−C)/ln(1 − 1/(N_pre·N_post)) synapses in all. Checked against
// values computed by hand: L2/3E → L2/3E, C = 0.1009, N = 20683:
// K = 45 499 805.54 (2199.9 per target; Python: math.log1p(-C)/math.log1p(-1/N**2)),
// and the total of the model, about
// 0.30·10⁹ synapses (the paper's figure).
func TestMicrocircuitSynapses(t *testing.T) {
	if k := MicrocircuitSynapses(0, 0, 1); k != 45499806 {
		t.Errorf("L2/3E → L2/3E: %d synapses, want 45 499 806", k)
	}
	if k := MicrocircuitSynapses(0, 0, 0.1); k != 4549981 {
		t.Errorf("L2/3E → L2/3E at scale 0.1: %d synapses, want 4 549 981", k)
	}
	if k := MicrocircuitSynapses(0, 5, 1); k != 0 {
		t.Errorf("L5I → L2/3E: %d synapses, want 0 (C = 0)", k)
	}
	total := 0.0
	for tg := range pdSizes {
		for s := range pdSizes {
			total += float64(MicrocircuitSynapses(tg, s, 1))
		}
	}
	if total < 0.29e9 || total > 0.31e9 {
		t.Errorf("%.4g synapses in all, want about 0.30e9", total)
	}
	t.Logf("%.4g synapses at full scale", total)
}
