package neuron

import "math/bits"

// useAVX2 selects the AVX2 kernels (lifcond_amd64.s, lif_amd64.s, lifexp_amd64.s) where the processor
// and the operating system support them. Tests set it to false to check
// the pure-Go loops on the same machine.
var useAVX2 = hasAVX2()

// hasAVX2 reports whether the processor has AVX2 and the operating system
// saves the YMM registers (CPUID leaf 1: OSXSAVE and AVX; XCR0: SSE and
// AVX state; CPUID leaf 7: AVX2).
func hasAVX2() bool {
	maxLeaf, _, _, _ := cpuid(0, 0)
	if maxLeaf < 7 {
		return false
	}
	_, _, c1, _ := cpuid(1, 0)
	const osxsave, avx = 1 << 27, 1 << 28
	if c1&osxsave == 0 || c1&avx == 0 {
		return false
	}
	if xcr0, _ := xgetbv0(); xcr0&6 != 6 {
		return false
	}
	_, b7, _, _ := cpuid(7, 0)
	return b7&(1<<5) != 0
}

// driveAVX2 runs a four-neuron kernel over neurons 0..n−1 of a range
// (n a multiple of 4): kernel(j, pi) advances neurons from j on, with pi
// the injected current of neuron j (nil without one), and stops after the
// first group of four with a neuron at threshold, returning how many it
// advanced and that group's mask; driveAVX2 calls spike for each neuron
// of the mask and resumes after the group.
func driveAVX2(n int, iext []float64, kernel func(j int, pi *float64) (done, mask int), spike func(j int)) {
	for j := 0; j < n; {
		var pi *float64
		if iext != nil {
			pi = &iext[j]
		}
		d, mask := kernel(j, pi)
		j += d
		for ; mask != 0; mask &= mask - 1 {
			spike(j - 4 + bits.TrailingZeros(uint(mask)))
		}
	}
}

// cpuid executes CPUID with EAX = leaf and ECX = sub.
func cpuid(leaf, sub uint32) (a, b, c, d uint32)

// xgetbv0 returns XCR0, the state components the operating system saves.
func xgetbv0() (lo, hi uint32)

// condEulerAVX2 advances the lif_cond_exp neurons whose state starts at v,
// gEx, gIn, ref, with inputs ex, inh and iext (nil: no injected current),
// by forward Euler steps, four at a time, and zeroes ex and inh; c holds
// g_L, E_L, E_ex, E_in, dt/C_m, I_e, V_th and the decay factors of g_ex
// and g_in over a step. It stops after the first group of four with a
// neuron at threshold, which it leaves unreset: it returns the number of
// neurons advanced (a multiple of 4, at most n) and the mask of that last
// group's neurons at threshold (bit i: neuron done−4+i), 0 if none.
//
//go:noescape
func condEulerAVX2(c *[9]float64, v, gEx, gIn, ex, inh, iext *float64, ref *int32, n int) (done, mask int)

// stepEulerSIMD advances neurons lo..lo+4m−1 of [lo, hi) with the AVX2
// kernel, emitting those that spike, and returns lo+4m, the first neuron
// left to the Go loop (lo if AVX2 is not used).
func (k *lifCondExp) stepEulerSIMD(lo, hi int, in *Input, out *Output) int {
	n := (hi - lo) &^ 3
	if !useAVX2 || n == 0 {
		return lo
	}
	c := [9]float64{k.gL, k.eL, k.eEx, k.eIn, k.dtC, k.ie, k.vth, 1 - k.dtTauEx, 1 - k.dtTauIn}
	V, gEx, gIn, ref := k.V[lo:lo+n], k.gEx[lo:lo+n], k.gIn[lo:lo+n], k.ref[lo:lo+n]
	ex, inh := in.Ex[lo:lo+n], in.In[lo:lo+n]
	var iext []float64
	if in.I != nil {
		iext = in.I[lo : lo+n]
	}
	driveAVX2(n, iext, func(j int, pi *float64) (int, int) {
		return condEulerAVX2(&c, &V[j], &gEx[j], &gIn[j], &ex[j], &inh[j], pi, &ref[j], n-j)
	}, func(j int) { k.spike(lo+j, out) })
	return lo + n
}
