package neuron

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/hebb-snn/hebb/param"
)

// Step of lif_delta with the AVX2 kernel gives the same state and spikes,
// bit for bit, as its Go loop, and both leave their inputs zeroed: with and
// without injected current, over ranges cut at random (odd bounds, pieces
// shorter than four neurons), with refractory neurons (whose input is
// discarded, and which do not spike even at or above threshold), neurons
// reaching threshold exactly (V ≥ V_th spikes), and huge inputs.
func TestLIFDeltaStepMatchesGo(t *testing.T) {
	forAVX2Cases(t, checkLIFDeltaStep)
}

func checkLIFDeltaStep(t *testing.T, integ string, withI bool) {
	m, _ := Lookup("lif_delta")
	v := m.Schema.Defaults()
	for name, x := range map[string]float64{"tau_m": 20, "V_rest": 0, "V_th": 20, "V_reset": 10, "t_ref": 2, "I_e": 300} {
		v[name] = param.Value{Num: x}
	}
	v["integrator"] = param.Value{Word: integ}
	const n = 203
	ka, err := m.New(n, v, Env{Dt: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	kb, _ := m.New(n, v, Env{Dt: 0.1})
	a, b := ka.(*lifDelta), kb.(*lifDelta)
	if !a.ClearsInput() {
		t.Fatal("lif_delta does not clear its input")
	}
	r := rand.New(rand.NewPCG(7, 8))
	for i := range n {
		a.V[i], a.ref[i] = 24*r.Float64(), int32(r.IntN(4))
	}
	copy(b.V, a.V)
	copy(b.ref, a.ref)
	ina := Input{Ex: make([]float64, n), In: make([]float64, n)}
	inb := Input{Ex: make([]float64, n), In: make([]float64, n)}
	if withI {
		ina.I, inb.I = make([]float64, n), make([]float64, n)
	}
	var oa, ob Output
	spikes, held, huge, atTh := 0, 0, 0, 0
	for s := range 2000 {
		for i := range n {
			if ina.Ex[i] != 0 || ina.In[i] != 0 || inb.Ex[i] != 0 || inb.In[i] != 0 {
				t.Fatalf("step %d: input of neuron %d not zeroed", s, i)
			}
			ina.Ex[i] = 0.1 * float64(r.IntN(9))
			if r.Float64() < 0.5 {
				ina.In[i] = -0.5 * float64(1+r.IntN(2))
			}
			if r.Float64() < 0.002 {
				ina.Ex[i] = math.Pow(10, 2+6*r.Float64())
				huge++
			}
			if r.Float64() < 0.0005 { // not more: V takes long to come back
				ina.In[i] = -math.Pow(10, 2+r.Float64())
				huge++
			}
			if ina.I != nil {
				ina.I[i] = 200 * r.NormFloat64()
			}
			if a.ref[i] > 0 {
				held++
			}
		}
		if s%10 == 0 { // at threshold: spikes if free, not if refractory
			i := r.IntN(n)
			a.V[i], a.ref[i] = a.vth, int32(r.IntN(2))
			b.V[i], b.ref[i] = a.V[i], a.ref[i]
			if a.ref[i] == 0 && !a.euler {
				// An input that takes V to V_th exactly (Sterbenz: the
				// differences are exact).
				cur := a.ie
				if ina.I != nil {
					cur += ina.I[i]
				}
				u := a.vrest + (a.V[i]-a.vrest)*a.p22 + a.p20*cur
				if u < a.vth/2 || u > 2*a.vth {
					t.Fatalf("V after the step without input %v: too far from V_th for an exact difference", u)
				}
				ina.Ex[i], ina.In[i] = a.vth-u, 0
			}
			atTh++
		}
		copy(inb.Ex, ina.Ex)
		copy(inb.In, ina.In)
		copy(inb.I, ina.I)
		ina.Step, inb.Step = int64(s), int64(s)
		oa.Reset()
		ob.Reset()
		useAVX2 = true
		lo := 0
		for p := r.IntN(4); p > 0 && lo < n; p-- {
			hi := lo + r.IntN(n-lo+1)
			a.Step(lo, hi, &ina, &oa)
			lo = hi
		}
		a.Step(lo, n, &ina, &oa)
		useAVX2 = false
		b.Step(0, n, &inb, &ob)
		spikes += len(oa.IDs)
		if !equalIDs(oa.IDs, ob.IDs) {
			t.Fatalf("step %d: AVX2 emits %v, Go %v", s, oa.IDs, ob.IDs)
		}
		for i := range n {
			if math.Float64bits(a.V[i]) != math.Float64bits(b.V[i]) || a.ref[i] != b.ref[i] {
				t.Fatalf("step %d neuron %d: AVX2 gives V=%v ref=%d, Go V=%v ref=%d", s, i, a.V[i], a.ref[i], b.V[i], b.ref[i])
			}
		}
	}
	for i := range n {
		if ina.Ex[i] != 0 || ina.In[i] != 0 || inb.Ex[i] != 0 || inb.In[i] != 0 {
			t.Fatalf("input of neuron %d not zeroed", i)
		}
	}
	if spikes < 1500 || held < 10000 || huge < 400 || atTh < 100 {
		t.Errorf("%d spikes, %d refractory neuron-steps, %d huge inputs, %d neurons at threshold: too few for the test",
			spikes, held, huge, atTh)
	}
}

// forAVX2Cases runs check for both integrators and with and without
// injected current, on machines with AVX2 and builds without fused
// multiply-add (where the assembly and Go paths can be compared bit for
// bit), restoring useAVX2 afterwards.
func forAVX2Cases(t *testing.T, check func(t *testing.T, integ string, withI bool)) {
	if fusedMultiplyAdd {
		t.Skip("built with fused multiply-add (GOAMD64=v3): the code paths may differ in the last bit")
	}
	if !hasAVX2() {
		t.Skip("no AVX2 on this machine")
	}
	saved := useAVX2
	defer func() { useAVX2 = saved }()
	for _, integ := range []string{"exact", "euler"} {
		for _, withI := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/I=%v", integ, withI), func(t *testing.T) { check(t, integ, withI) })
		}
	}
}
