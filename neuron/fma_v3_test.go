//go:build amd64.v3

package neuron

// fusedMultiplyAdd is true when the compiler may fuse a*b+c into one
// rounding (GOAMD64=v3 and above): code paths that are bit-identical in
// the default build may then differ in the last bit.
const fusedMultiplyAdd = true
