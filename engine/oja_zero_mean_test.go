package engine

import (
	"math"
	"testing"

	"github.com/hebb-snn/hebb/synapse"
	"gonum.org/v1/gonum/mat"
)

// Oja's rule with zero-mean inputs converges to the unit principal
// eigenvector of the input covariance. Four independent Poisson counts
// s (mean and variance λ per step) are mixed by linear rate units into
// x = A·s − A·λ1, zero-mean with covariance C = λ·A·Aᵀ, A's rows having
// equal sums so that one bias centres both. A linear unit y = w·x learns
// with Oja's rule; averaged over the second half of the run, w is within
// 1% (norm) and 0.01 rad (direction) of the eigenvector.
func TestOjaZeroMeanCovariance(t *testing.T) {
	const lambda = 0.1
	a := []float64{1, 2, 0, 0, 1, 0, 0.5, 1.5} // rows x₁, x₂; row sums 3
	n := newNet(t, 1, 4000000, 5)
	s := n.pop("s", "poisson_source", 4, map[string]any{"rate": "100 Hz"})
	x := n.pop("x", "rate", 2, map[string]any{"activation": "linear", "bias": "-0.3"})
	y := n.pop("y", "rate", 1, map[string]any{"activation": "linear"})
	mix := n.project(s, x, "all_to_all", nil, synapse.Excitatory, "0", "1 ms")
	// By source, then target.
	n.net.Projs[mix].Weights = []float64{a[0], a[4], a[1], a[5], a[2], a[6], a[3], a[7]}
	p := n.project(x, y, "all_to_all", nil, synapse.Excitatory, "0", "1 ms")
	n.net.Projs[p].Weights = []float64{0.05, 0.5}
	n.learn(p, "oja", map[string]any{"eta": "0.00005"})
	n.weights(p, 100)
	sim := n.run(1)

	am := mat.NewDense(2, 4, a)
	var c mat.SymDense
	c.SymOuterK(lambda, am)
	var eig mat.EigenSym
	if !eig.Factorize(&c, true) {
		t.Fatal("eigen decomposition failed")
	}
	var vec mat.Dense
	eig.VectorsTo(&vec)
	e := [2]float64{math.Abs(vec.At(0, 1)), math.Abs(vec.At(1, 1))} // largest eigenvalue last
	w := sim.Weights()[0]
	var m [2]float64
	rows := len(w.Times)
	for r := rows / 2; r < rows; r++ {
		m[0] += w.W[2*r]
		m[1] += w.W[2*r+1]
	}
	m[0] /= float64(rows - rows/2)
	m[1] /= float64(rows - rows/2)
	norm := math.Hypot(m[0], m[1])
	angle := math.Acos(math.Min(1, (m[0]*e[0]+m[1]*e[1])/norm))
	t.Logf("mean weights %v, eigenvector %v, norm %.4f, angle %.4f rad", m, e, norm, angle)
	if math.Abs(norm-1) > 0.01 || angle > 0.01 {
		t.Errorf("weights %v: norm %.4f (want 1 ± 0.01), angle to the principal eigenvector %v: %.4f rad (want < 0.01)", m, norm, e, angle)
	}
}
