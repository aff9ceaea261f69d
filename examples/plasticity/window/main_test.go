package main

import (
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// The pairing protocol, run through the public API, reproduces the
// additive rule's window A₊e^{−Δt/τ₊} (Δt ≥ 0), −A₋e^{Δt/τ₋} (Δt < 0) at
// every Δt = −100 … 100 ms to float32 precision: the weights (0.5 mV) are
// float32, whose spacing there is 6e-8 mV, so a point may differ from the
// analytic value by half of that plus rounding of the update; we allow
// 1e-7 mV, 2% of the smallest |Δw| compared (A₊e^{−5} = 3.4e-5 mV).
// 1 and 3 threads give bit-identical weights.
func TestWindowMatchesAnalytic(t *testing.T) {
	const tol = 1e-7 // mV
	var ref []float64
	for _, threads := range []int{1, 3} {
		dts, dws, err := measure(threads)
		if err != nil {
			t.Fatal(err)
		}
		if len(dts) != 2*maxDt+1 {
			t.Fatalf("%d pairs, want %d", len(dts), 2*maxDt+1)
		}
		for k := range dts {
			if want := float64(k - maxDt); dts[k] != want {
				t.Fatalf("pair %d has Δt = %g ms, want %g ms", k, dts[k], want)
			}
			if d := math.Abs(dws[k] - analytic(dts[k])); !(d <= tol) {
				t.Errorf("%d threads: Δt = %g ms: Δw = %.9f mV, analytic %.9f mV (|difference| %.2g > %g)",
					threads, dts[k], dws[k], analytic(dts[k]), d, tol)
			}
		}
		if ref == nil {
			ref = dws
			continue
		}
		for k := range ref {
			if ref[k] != dws[k] {
				t.Fatalf("Δt = %g ms: Δw = %v with 1 thread, %v with 3", dts[k], ref[k], dws[k])
			}
		}
	}
	// The window's landmarks, as a reader of the figure would check them.
	if got := analytic(0); got != aPlus {
		t.Errorf("Δw(0) = %g, want A₊ = %g", got, aPlus)
	}
	if got, want := analytic(-tauMinus), -aMinus/math.E; math.Abs(got-want) > 1e-15 {
		t.Errorf("Δw(−τ₋) = %g, want −A₋/e = %g", got, want)
	}
}

// The command draws the figure.
func TestWindowCommand(t *testing.T) {
	dir := t.TempDir()
	os.Args = []string{"window", "-out", dir}
	main()
	f, err := os.Open(filepath.Join(dir, "stdp_window.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil || img.Bounds().Dx() < 500 {
		t.Fatalf("stdp_window.png is not a figure: %v", err)
	}
}
