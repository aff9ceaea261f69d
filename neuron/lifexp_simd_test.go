package neuron

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/hebb-snn/hebb/param"
)

// Step of lif_exp with the AVX2 kernel gives the same state (V, I_ex,
// I_in, refractory counts) and spikes, bit for bit, as its Go loop, and both
// leave their inputs zeroed: both integrators (Euler runs the Go loop on
// both sides), with and without injected current, over ranges cut at
// random (odd bounds, pieces shorter than four neurons), with refractory
// neurons (whose currents keep evolving and take their input), free neurons
// reaching threshold exactly (V ≥ V_th spikes), refractory neurons held at
// threshold (which spike too, as in the Go loop), and huge inputs.
func TestLIFExpStepMatchesGo(t *testing.T) {
	forAVX2Cases(t, checkLIFExpStep)
}

func checkLIFExpStep(t *testing.T, integ string, withI bool) {
	m, _ := Lookup("lif_exp")
	v := m.Schema.Defaults()
	for name, x := range map[string]float64{"tau_m": 10, "V_rest": -65, "V_th": -50, "V_reset": -65, "t_ref": 2,
		"I_e": 300, "tau_syn_ex": 0.5, "tau_syn_in": 2} { // distinct τ_syn: swapped propagators show
		v[name] = param.Value{Num: x}
	}
	v["integrator"] = param.Value{Word: integ}
	const n = 203
	ka, err := m.New(n, v, Env{Dt: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	kb, _ := m.New(n, v, Env{Dt: 0.1})
	a, b := ka.(*lifExp), kb.(*lifExp)
	if !a.ClearsInput() {
		t.Fatal("lif_exp does not clear its input")
	}
	r := rand.New(rand.NewPCG(9, 10))
	for i := range n {
		a.V[i], a.ref[i] = -65+15*r.Float64(), int32(r.IntN(4))
		a.Iex[i], a.Iin[i] = 500*r.Float64(), -500*r.Float64()
	}
	copy(b.V, a.V)
	copy(b.ref, a.ref)
	copy(b.Iex, a.Iex)
	copy(b.Iin, a.Iin)
	ina := Input{Ex: make([]float64, n), In: make([]float64, n)}
	inb := Input{Ex: make([]float64, n), In: make([]float64, n)}
	if withI {
		ina.I, inb.I = make([]float64, n), make([]float64, n)
	}
	var oa, ob Output
	spikes, held, huge, atTh, refTh := 0, 0, 0, 0, 0
	for s := range 2000 {
		for i := range n {
			if ina.Ex[i] != 0 || ina.In[i] != 0 || inb.Ex[i] != 0 || inb.In[i] != 0 {
				t.Fatalf("step %d: input of neuron %d not zeroed", s, i)
			}
			ina.Ex[i] = 87.8 * float64(r.IntN(3))
			if r.Float64() < 0.3 {
				ina.In[i] = -351.2 * float64(1+r.IntN(2))
			}
			if r.Float64() < 0.002 {
				ina.Ex[i] = math.Pow(10, 3+6*r.Float64())
				huge++
			}
			if r.Float64() < 0.0005 { // not more: V takes long to come back
				ina.In[i] = -math.Pow(10, 3+2*r.Float64())
				huge++
			}
			if ina.I != nil {
				ina.I[i] = 200 * r.NormFloat64()
			}
			if a.ref[i] > 0 {
				held++
			}
		}
		mustSpike := -1
		if s%10 == 0 && !a.euler { // a free neuron that reaches V_th exactly
			i := r.IntN(n)
			a.ref[i], a.Iin[i] = 0, 0
			b.ref[i], b.Iin[i] = 0, 0
			cur := a.ie
			if ina.I != nil {
				cur += ina.I[i]
			}
			u := a.vrest + (a.V[i]-a.vrest)*a.p22 + a.p20*cur
			// The excitatory current that closes the gap, nudged an ulp
			// at a time until the sum is V_th exactly.
			ie := (a.vth - u) / a.p21ex
			for range 200 {
				w := u + a.p21ex*ie
				if w == a.vth {
					break
				}
				ie = math.Nextafter(ie, math.Copysign(math.Inf(1), a.vth-w))
			}
			if u+a.p21ex*ie == a.vth {
				a.Iex[i], b.Iex[i] = ie, ie
				mustSpike = i
				atTh++
			}
		}
		if s%10 == 5 { // a refractory neuron held at threshold spikes (V ≥ V_th)
			i := r.IntN(n)
			a.V[i], a.ref[i] = a.vth, 1+int32(r.IntN(3))
			b.V[i], b.ref[i] = a.V[i], a.ref[i]
			refTh++
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
		if mustSpike >= 0 && !slices.Contains(ob.IDs, int32(mustSpike)) {
			t.Fatalf("step %d: neuron %d reached V_th exactly but did not spike", s, mustSpike)
		}
		for i := range n {
			if math.Float64bits(a.V[i]) != math.Float64bits(b.V[i]) || a.ref[i] != b.ref[i] ||
				math.Float64bits(a.Iex[i]) != math.Float64bits(b.Iex[i]) ||
				math.Float64bits(a.Iin[i]) != math.Float64bits(b.Iin[i]) {
				t.Fatalf("step %d neuron %d: AVX2 gives V=%v I=%v,%v ref=%d, Go V=%v I=%v,%v ref=%d",
					s, i, a.V[i], a.Iex[i], a.Iin[i], a.ref[i], b.V[i], b.Iex[i], b.Iin[i], b.ref[i])
			}
		}
	}
	for i := range n {
		if ina.Ex[i] != 0 || ina.In[i] != 0 || inb.Ex[i] != 0 || inb.In[i] != 0 {
			t.Fatalf("input of neuron %d not zeroed", i)
		}
	}
	wantTh := 100
	if a.euler {
		wantTh = 0
	}
	t.Logf("%d spikes, %d refractory neuron-steps, %d huge inputs, %d free and %d refractory neurons at threshold",
		spikes, held, huge, atTh, refTh)
	if spikes < 1000 || held < 10000 || huge < 400 || atTh < wantTh || refTh < 150 {
		t.Errorf("%d spikes, %d refractory neuron-steps, %d huge inputs, %d free and %d refractory neurons at threshold: too few for the test",
			spikes, held, huge, atTh, refTh)
	}
}
