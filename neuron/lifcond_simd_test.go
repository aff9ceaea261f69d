package neuron

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/hebb-snn/hebb/param"
)

// Step of lif_cond_exp, with the AVX2 kernel (where the machine has AVX2)
// and with the Go loops forced, gives the same state and spikes, bit for
// bit, as the plain one-neuron step stepOne applied to each neuron in turn,
// and leaves its inputs zeroed: both integrators, with and without injected
// current, over ranges cut at random (odd bounds, pieces shorter than four
// neurons), with refractory neurons, neurons reaching threshold, neurons at
// or above threshold while refractory, and inputs large enough to overshoot the
// reversal potentials (and, for the exponential integrator, to leave its
// series for the closed form).
func TestCondExpStepMatchesStepOne(t *testing.T) {
	if fusedMultiplyAdd {
		t.Skip("built with fused multiply-add (GOAMD64=v3): the code paths may differ in the last bit")
	}
	paths := []bool{false}
	if hasAVX2() {
		paths = append(paths, true)
	} else {
		t.Log("no AVX2 on this machine: only the Go loops are checked")
	}
	saved := useAVX2
	defer func() { useAVX2 = saved }()
	for _, simd := range paths {
		for _, integ := range []string{"euler", "exponential"} {
			for _, withI := range []bool{false, true} {
				name := fmt.Sprintf("avx2=%v/%s/I=%v", simd, integ, withI)
				t.Run(name, func(t *testing.T) {
					useAVX2 = simd
					checkCondExpStep(t, integ, withI)
				})
			}
		}
	}
}

func checkCondExpStep(t *testing.T, integ string, withI bool) {
	m, _ := Lookup("lif_cond_exp")
	v := m.Schema.Defaults()
	v["integrator"] = param.Value{Word: integ}
	v["I_e"] = param.Value{Num: 150}
	const n = 203
	const dt = 0.1
	ka, err := m.New(n, v, Env{Dt: dt})
	if err != nil {
		t.Fatal(err)
	}
	kb, _ := m.New(n, v, Env{Dt: dt})
	a, b := ka.(*lifCondExp), kb.(*lifCondExp)
	if !a.ClearsInput() {
		t.Fatal("lif_cond_exp does not clear its input")
	}
	r := rand.New(rand.NewPCG(5, 6))
	for i := range n {
		a.V[i] = -60 + 12*r.Float64() // some start above V_th = −50 mV, refractory or not
		a.gEx[i], a.gIn[i] = 20*r.Float64(), 50*r.Float64()
		a.ref[i] = int32(r.IntN(4))
	}
	copy(b.V, a.V)
	copy(b.gEx, a.gEx)
	copy(b.gIn, a.gIn)
	copy(b.ref, a.ref)
	ina := Input{Ex: make([]float64, n), In: make([]float64, n)}
	inb := Input{Ex: make([]float64, n), In: make([]float64, n)}
	if withI {
		ina.I, inb.I = make([]float64, n), make([]float64, n)
	}
	var oa, ob Output
	spikes, held, huge, atTh, slow := 0, 0, 0, 0, 0
	for s := range 2000 {
		for i := range n {
			if ina.Ex[i] != 0 || ina.In[i] != 0 {
				t.Fatalf("step %d: input of neuron %d not zeroed: %v, %v", s, i, ina.Ex[i], ina.In[i])
			}
			if r.Float64() < 0.05 {
				ina.Ex[i] = 5 * r.Float64()
			}
			if r.Float64() < 0.02 {
				ina.In[i] = -20 * r.Float64()
			}
			if r.Float64() < 0.002 { // µS to 10 mS: V overshoots E_ex or E_in
				ina.Ex[i] = math.Pow(10, 3+4*r.Float64())
				huge++
			}
			if r.Float64() < 0.002 {
				ina.In[i] = -math.Pow(10, 3+4*r.Float64())
				huge++
			}
			if r.Float64() < 0.001 { // a positive inhibitory input: its magnitude counts
				ina.In[i] = 30 * r.Float64()
			}
			if ina.I != nil {
				ina.I[i] = 200 * r.NormFloat64()
			}
			if a.ref[i] > 0 {
				held++
			} else if x := a.dtC * (a.gL + a.gEx[i]*a.mEx + a.gIn[i]*a.mIn); x >= 0.5 {
				slow++ // the exponential integrator leaves its series (phiExp)
			}
		}
		if s%10 == 0 { // a refractory neuron held exactly at threshold spikes (V ≥ V_th)
			i := r.IntN(n)
			a.V[i], a.ref[i] = a.vth, 1+int32(r.IntN(3))
			b.V[i], b.ref[i] = a.V[i], a.ref[i]
			atTh++
		}
		copy(inb.Ex, ina.Ex)
		copy(inb.In, ina.In)
		copy(inb.I, ina.I)
		ina.Step, inb.Step = int64(s), int64(s)
		oa.Reset()
		ob.Reset()
		// One to four pieces, cut anywhere.
		lo := 0
		for p := r.IntN(4); p > 0 && lo < n; p-- {
			hi := lo + r.IntN(n-lo+1)
			a.Step(lo, hi, &ina, &oa)
			lo = hi
		}
		a.Step(lo, n, &ina, &oa)
		for i := range n {
			b.stepOne(i, &inb, &ob)
		}
		spikes += len(oa.IDs)
		if !equalIDs(oa.IDs, ob.IDs) {
			t.Fatalf("step %d: Step emits %v, stepOne %v", s, oa.IDs, ob.IDs)
		}
		for i := range n {
			if math.Float64bits(a.V[i]) != math.Float64bits(b.V[i]) ||
				math.Float64bits(a.gEx[i]) != math.Float64bits(b.gEx[i]) ||
				math.Float64bits(a.gIn[i]) != math.Float64bits(b.gIn[i]) || a.ref[i] != b.ref[i] {
				t.Fatalf("step %d neuron %d: Step gives V=%v g=%v,%v ref=%d, stepOne V=%v g=%v,%v ref=%d",
					s, i, a.V[i], a.gEx[i], a.gIn[i], a.ref[i], b.V[i], b.gEx[i], b.gIn[i], b.ref[i])
			}
		}
	}
	for i := range n {
		if ina.Ex[i] != 0 || ina.In[i] != 0 {
			t.Fatalf("input of neuron %d not zeroed: %v, %v", i, ina.Ex[i], ina.In[i])
		}
	}
	// The comparison must have covered spikes, refractoriness and huge inputs.
	if spikes < 1000 || held < 10000 || huge < 500 || atTh < 100 || slow < 100 {
		t.Errorf("%d spikes, %d refractory neuron-steps, %d huge inputs, %d neurons at threshold, %d large conductances: too few for the test",
			spikes, held, huge, atTh, slow)
	}
}
