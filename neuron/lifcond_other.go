//go:build !amd64

package neuron

// useAVX2 is false where there are no AVX2 kernels: every step runs the
// Go loops.
var useAVX2 = false

// hasAVX2 reports that there are no AVX2 kernels on this architecture.
func hasAVX2() bool { return false }

// stepEulerSIMD leaves every neuron to the Go loop.
func (k *lifCondExp) stepEulerSIMD(lo, hi int, in *Input, out *Output) int { return lo }
