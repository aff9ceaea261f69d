//go:build !amd64

package neuron

// stepSIMD leaves every neuron to the Go loop.
func (k *lifExp) stepSIMD(lo, hi int, in *Input, out *Output) int { return lo }
