//go:build !amd64.v3

package neuron

// fusedMultiplyAdd: see fma_v3_test.go.
const fusedMultiplyAdd = false
