package glm

import (
	"math"
	"testing"

	"github.com/hebb-snn/hebb/rng"
)

// benchData returns 10⁶ bins of 1 ms and a design of 20 columns (intercept
// and 19 standard-normal covariates with coefficients ±0.05) with Poisson
// counts at ≈ 20 Hz.
func benchData(b *testing.B) ([]float64, *Design) {
	b.Helper()
	const n, p = 1_000_000, 20
	r := rng.New(11)
	d, _ := NewDesign(n, 1)
	d.AddIntercept()
	eta := make([]float64, n)
	for i := range eta {
		eta[i] = math.Log(20)
	}
	x := make([]float64, n)
	for j := 1; j < p; j++ {
		beta := 0.05 * float64(1-2*(j%2))
		for i := range x {
			x[i] = r.Normal()
			eta[i] += beta * x[i]
		}
		if err := d.AddCovariate("x"+string(rune('a'+j)), x); err != nil {
			b.Fatal(err)
		}
	}
	y := make([]float64, n)
	for i := range y {
		y[i] = float64(r.Poisson(math.Exp(eta[i]) * 0.001))
	}
	return y, d
}

// BenchmarkFit1e6x20 fits the exp-link GLM to 10⁶ rows × 20 columns.
func BenchmarkFit1e6x20(b *testing.B) {
	y, d := benchData(b)
	b.ResetTimer()
	var res *Result
	for b.Loop() {
		var err error
		if res, err = Fit(y, d, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(res.Iterations), "iterations")
}

// BenchmarkInformation1e6x20 is one pass computing the score and X'WX.
func BenchmarkInformation1e6x20(b *testing.B) {
	y, d := benchData(b)
	pr := newProblem(y, d, LinkExp, 0)
	beta := make([]float64, d.Cols())
	beta[0] = math.Log(20)
	pr.loglik(beta)
	b.ResetTimer()
	for b.Loop() {
		pr.information(false)
	}
}

// BenchmarkLoglik1e6x20 is one pass computing η = Xβ and the log-likelihood.
func BenchmarkLoglik1e6x20(b *testing.B) {
	y, d := benchData(b)
	pr := newProblem(y, d, LinkExp, 0)
	beta := make([]float64, d.Cols())
	beta[0] = math.Log(20)
	b.ResetTimer()
	for b.Loop() {
		pr.loglik(beta)
	}
}
