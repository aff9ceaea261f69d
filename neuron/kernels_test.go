package neuron

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/hebb-snn/hebb/param"
)

// The fast loops of lif_cond_exp (stepEuler, stepExponential) give the
// same state and spikes, bit for bit, as its plain one-neuron step stepOne
// applied to each neuron in turn: with and without injected current, over
// ranges that split the population anywhere, with neurons refractory, and
// with conductances large enough (x = dt·g_tot/C_m ≥ 1/2) for the
// exponential integrator to leave its series for the closed form.
func TestCondExpLoopsMatchStepOne(t *testing.T) {
	if fusedMultiplyAdd {
		t.Skip("built with fused multiply-add (GOAMD64=v3): the code paths may differ in the last bit")
	}
	m, _ := Lookup("lif_cond_exp")
	for _, integ := range []string{"euler", "exponential"} {
		for _, withI := range []bool{false, true} {
			v := m.Schema.Defaults()
			v["integrator"] = param.Value{Word: integ}
			v["I_e"] = param.Value{Num: 150}
			const n = 50
			const dt = 0.1
			ka, err := m.New(n, v, Env{Dt: dt})
			if err != nil {
				t.Fatal(err)
			}
			kb, _ := m.New(n, v, Env{Dt: dt})
			a, b := ka.(*lifCondExp), kb.(*lifCondExp)
			r := rand.New(rand.NewPCG(3, 4))
			for i := range n {
				a.V[i] = -60 + 10*r.Float64()
				a.gEx[i], a.gIn[i] = 20*r.Float64(), 50*r.Float64()
				a.ref[i] = int32(r.IntN(3))
			}
			copy(b.V, a.V)
			copy(b.gEx, a.gEx)
			copy(b.gIn, a.gIn)
			copy(b.ref, a.ref)
			in := Input{Ex: make([]float64, n), In: make([]float64, n)}
			if withI {
				in.I = make([]float64, n)
			}
			var oa, ob Output
			spikes, slow := 0, 0
			for s := range 3000 {
				for i := range n {
					in.Ex[i], in.In[i] = 0, 0
					if r.Float64() < 0.05 {
						in.Ex[i] = 5 * r.Float64()
					}
					if r.Float64() < 0.02 {
						in.In[i] = -20 * r.Float64()
					}
					if in.I != nil {
						in.I[i] = 200 * r.NormFloat64()
					}
				}
				if s%500 == 250 { // a burst of 1–2 µS: x ≥ 1/2 for a few steps
					i := r.IntN(n)
					in.Ex[i] = 1000 + 1000*r.Float64()
				}
				for i := range n {
					if x := a.dtC * (a.gL + a.gEx[i]*a.mEx + a.gIn[i]*a.mIn); x >= 0.5 && a.ref[i] == 0 {
						slow++
					}
				}
				in.Step = int64(s)
				oa.Reset()
				ob.Reset()
				for i := range n { // before Step, which zeroes the input
					b.stepOne(i, &in, &ob)
				}
				cut := r.IntN(n + 1)
				a.Step(0, cut, &in, &oa)
				a.Step(cut, n, &in, &oa)
				spikes += len(oa.IDs)
				if !equalIDs(oa.IDs, ob.IDs) {
					t.Fatalf("%s I=%v step %d: loops emit %v, stepOne %v", integ, withI, s, oa.IDs, ob.IDs)
				}
				for i := range n {
					if math.Float64bits(a.V[i]) != math.Float64bits(b.V[i]) ||
						math.Float64bits(a.gEx[i]) != math.Float64bits(b.gEx[i]) ||
						math.Float64bits(a.gIn[i]) != math.Float64bits(b.gIn[i]) || a.ref[i] != b.ref[i] {
						t.Fatalf("%s I=%v step %d neuron %d: loops give V=%v g=%v,%v ref=%d, stepOne V=%v g=%v,%v ref=%d",
							integ, withI, s, i, a.V[i], a.gEx[i], a.gIn[i], a.ref[i], b.V[i], b.gEx[i], b.gIn[i], b.ref[i])
					}
				}
			}
			// The comparison must have covered spikes and the slow path.
			if spikes < 100 || slow == 0 {
				t.Errorf("%s I=%v: %d spikes and %d large-conductance steps; the test needs both", integ, withI, spikes, slow)
			}
		}
	}
}

func equalIDs(a, b []int32) bool {
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
