package meanfield

import (
	"math"
	"testing"

	"github.com/hebb-snn/hebb/internal/fixture"
)

// erfcx agrees with scipy.special.erfcx from x = −6 (where it is 2·e^{36})
// to 1e8 (where it is 1/(x·√π)) within 2e-15 relative: the branches
// (e^{x²}·erfc x with an exact x², and the continued fraction) meet without
// a seam.
func TestSiegertErfcx(t *testing.T) {
	_, rows := fixture.Numbers(t, "testdata/erfcx.csv")
	worst, at := 0.0, 0.0
	for _, r := range rows {
		got, want := ErfcX(r[0]), r[1]
		if d := math.Abs(got/want - 1); d > worst {
			worst, at = d, r[0]
		}
	}
	if worst > 2e-15 {
		t.Errorf("erfcx differs from scipy by up to %.3g relative (at x = %g), want ≤ 2e-15", worst, at)
	}
	if !math.IsInf(ErfcX(-30), 1) || ErfcX(1e300) <= 0 {
		t.Errorf("erfcx(−30) = %g (want +Inf), erfcx(1e300) = %g (want > 0)", ErfcX(-30), ErfcX(1e300))
	}
}

// The Siegert rate agrees with scipy's adaptive quadrature of the same
// integral within 1e-11 relative, over 79 cases from 1e-171 Hz (far
// below threshold, where the integrand reaches e^{400}) to 325 Hz (far
// above, where it is about 1/(√π·|u|) down to u = −190), and tends to the
// deterministic rate 1/(t_ref + τ_m·ln((μ − V_r)/(μ − θ))) as σ → 0.
func TestSiegertFormula(t *testing.T) {
	_, rows := fixture.Numbers(t, "testdata/siegert.csv")
	worst := 0.0
	for _, r := range rows {
		got := Siegert(r[0], r[1], r[2], r[3], r[4], r[5])
		if d := math.Abs(got/r[6] - 1); d > worst || math.IsNaN(d) {
			worst = d
			if !(d <= 1e-11) {
				t.Errorf("Siegert(τ=%g, t_ref=%g, θ=%g, V_r=%g, μ=%g, σ=%g) = %.15g Hz, scipy %.15g Hz", r[0], r[1], r[2], r[3], r[4], r[5], got, r[6])
			}
		}
	}
	t.Logf("largest relative difference from scipy: %.3g", worst)
	for _, mu := range []float64{21, 25, 40} {
		det := 1000 / (2 + 20*math.Log((mu-10)/(mu-20)))
		if got := Siegert(20, 2, 20, 10, mu, 0.01); math.Abs(got/det-1) > 1e-3 {
			t.Errorf("μ = %g mV, σ = 0.01 mV: Siegert %.6g Hz, deterministic rate %.6g Hz", mu, got, det)
		}
	}
}
