package main

import (
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// The example runs both model files, writes its two figures, and shows
// what its model files say:
//
// selectivity.yaml: averaged over the second half of training (100 s,
// 100 000 presentations), the unit responds K·y₀ = 4 ± 3% to one pattern
// and less than 2% of that to the others; its mean response is y₀ = 1 ± 3%
// and the mean of θ_M is K·y₀ ± 3% (the selective fixed point of BCM).
//
// curve.yaml: every neuron's mean rate of weight change is the predicted
// BCM curve within 15% of its prediction plus 1% of the curve's largest
// value (the Poisson noise of the traces leaves about 5%), and has the
// predicted sign, except the neuron closest to the sign change: the sign
// changes where predicted, at 10 Hz with the fixed threshold and at 7.5 Hz
// with the sliding one.
func TestBCMExample(t *testing.T) {
	dir := t.TempDir()
	sel, c, err := run(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"selectivity.png", "curve.png"} {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil || img.Bounds().Dx() < 500 {
			t.Fatalf("%s: not a figure: %v", name, err)
		}
	}

	const tol = 0.03
	ky := sel.K * sel.Y0
	t.Logf("selectivity: mean responses %.4f, ⟨y⟩ = %.4f, mean θ_M = %.4f", sel.Mean, sel.MeanY, sel.MeanTheta)
	for j, m := range sel.Mean {
		if j == sel.Winner && math.Abs(m-ky) > tol*ky {
			t.Errorf("the winner, pattern %d, responds %.4f; want K·y₀ = %g ± %g%%", j, m, ky, 100*tol)
		}
		if j != sel.Winner && m > 0.02*ky {
			t.Errorf("pattern %d responds %.4f; want below %g", j, m, 0.02*ky)
		}
	}
	if math.Abs(sel.MeanY-sel.Y0) > tol*sel.Y0 || math.Abs(sel.MeanTheta-ky) > tol*ky {
		t.Errorf("⟨y⟩ = %.4f, mean θ_M = %.4f; want y₀ = %g and K·y₀ = %g, ± %g%%", sel.MeanY, sel.MeanTheta, sel.Y0, ky, 100*tol)
	}

	zero := map[string]float64{"fixed": 10, "sliding": 7.5}
	for _, cv := range c.Curves {
		if z, ok := zero[cv.Name]; !ok || math.Abs(cv.Zero-z) > 1e-9 {
			t.Fatalf("%s θ_M: predicted sign change at %g Hz, want %g Hz", cv.Name, cv.Zero, z)
		}
		top := 0.0
		for _, r := range cv.Rate {
			top = math.Max(top, math.Abs(cv.Theory(r)))
		}
		nearest := 0
		for i, r := range cv.Rate {
			if math.Abs(r-cv.Zero) < math.Abs(cv.Rate[nearest]-cv.Zero) {
				nearest = i
			}
		}
		for i, r := range cv.Rate {
			want := cv.Theory(r)
			if math.Abs(cv.Slope[i]-want) > 0.15*math.Abs(want)+0.01*top {
				t.Errorf("%s θ_M: %.2f Hz: dw/dt = %+.4f µV/s, want %+.4f ± (15%% + %.4f)", cv.Name, r, cv.Slope[i], want, 0.01*top)
			}
			if i != nearest && cv.Slope[i]*want <= 0 {
				t.Errorf("%s θ_M: %.2f Hz: dw/dt = %+.4f µV/s has the wrong sign (predicted %+.4f)", cv.Name, r, cv.Slope[i], want)
			}
		}
	}
}
