package neuron

// deltaExactAVX2 advances the lif_delta neurons whose state starts at v
// and ref, with inputs ex, inh and iext (nil: no injected current), by
// exact steps, four at a time, and zeroes ex and inh; c holds V_rest,
// e^{−dt/τ_m}, R_m·(1 − e^{−dt/τ_m}), I_e, V_th and the product of the
// third and fourth. It stops after the first group of four with a neuron
// at threshold, which it leaves unreset: it returns the number of neurons
// advanced (a multiple of 4, at most n) and the mask of that last group's
// neurons that spike (bit i: neuron done−4+i), 0 if none.
//
//go:noescape
func deltaExactAVX2(c *[6]float64, v, ex, inh, iext *float64, ref *int32, n int) (done, mask int)

// stepSIMD advances neurons lo..lo+4m−1 of [lo, hi) with the AVX2 kernel
// (exact integration only), emitting those that spike, and returns lo+4m,
// the first neuron left to the Go loop (lo if AVX2 is not used).
func (k *lifDelta) stepSIMD(lo, hi int, in *Input, out *Output) int {
	n := (hi - lo) &^ 3
	if !useAVX2 || k.euler || n == 0 {
		return lo
	}
	c := [6]float64{k.vrest, k.p22, k.p20, k.ie, k.vth, k.p20 * k.ie}
	V, ref := k.V[lo:lo+n], k.ref[lo:lo+n]
	ex, inh := in.Ex[lo:lo+n], in.In[lo:lo+n]
	var iext []float64
	if in.I != nil {
		iext = in.I[lo : lo+n]
	}
	driveAVX2(n, iext, func(j int, pi *float64) (int, int) {
		return deltaExactAVX2(&c, &V[j], &ex[j], &inh[j], pi, &ref[j], n-j)
	}, func(i int) {
		V[i], ref[i] = k.vreset, k.nref
		out.Emit(lo+i, 1)
	})
	return lo + n
}
