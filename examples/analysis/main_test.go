package main

import (
	"io"
	"os"
	"path/filepath"
	"testing"
)

// TestAnalysisExample: the GLM with spike history passes the time-rescaling
// test, the model without history fails it, the fitted filter matches the
// model's true history kernel within 3.5 standard errors at every lag from
// 4 to 60 ms, and history lowers the AIC by far more than its 12 extra
// coefficients cost.
func TestAnalysisExample(t *testing.T) {
	dir := t.TempDir()
	o, err := analyse("refractory.yaml", dir, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if o.spikes < 3000 {
		t.Fatalf("%d spikes; the model should fire about 4000", o.spikes)
	}
	if !o.withKS.Pass() {
		t.Errorf("GLM with history fails KS: D = %.4f > %.4f", o.withKS.D, o.withKS.Bound95)
	}
	if o.withoutKS.Pass() || o.withoutKS.D < 2*o.withoutKS.Bound95 {
		t.Errorf("GLM without history: D = %.4f, want > 2 × %.4f", o.withoutKS.D, o.withoutKS.Bound95)
	}
	if o.worstZ > 3.5 {
		t.Errorf("fitted filter deviates from the true one by %.2f SE", o.worstZ)
	}
	if o.deltaAIC < 100 {
		t.Errorf("AIC gain of history %.1f, want > 100", o.deltaAIC)
	}
	for _, f := range []string{"ks.png", "filter.png", "filter_vs_true.png", "sim/manifest.json"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
}
