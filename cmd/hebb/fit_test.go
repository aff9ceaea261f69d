package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const refractoryYAML = "../../examples/analysis/refractory.yaml"

// TestFitGLM fits the refractory, self-exciting neuron of the analysis
// example through the command: the model with history passes the KS
// test, the one without fails, and the files are written.
func TestFitGLM(t *testing.T) {
	dir := t.TempDir()
	sim := filepath.Join(dir, "sim")
	if code, _, stderr := hebb(t, "run", refractoryYAML, "-o", sim, "--no-figures"); code != 0 {
		t.Fatal(stderr)
	}
	out := filepath.Join(dir, "glm")
	code, stdout, stderr := hebb(t, "fit", "glm", sim, "-o", out, "--refractory", "2", "--history", "10", "--history-span", "2 ms, 60 ms")
	if code != 0 {
		t.Fatalf("exit %d: %s\n%s", code, stderr, stdout)
	}
	var info struct {
		Complete bool `json:"complete"`
		Models   []struct {
			Name string `json:"name"`
			KS   struct {
				D    float64 `json:"d"`
				Pass bool    `json:"pass"`
			} `json:"ks"`
			Coefficients []struct {
				Name string   `json:"name"`
				SE   *float64 `json:"se"`
			} `json:"coefficients"`
		} `json:"models"`
		Files []string `json:"files"`
	}
	raw, err := os.ReadFile(filepath.Join(out, "glm.json"))
	if err != nil || json.Unmarshal(raw, &info) != nil {
		t.Fatalf("glm.json: %v\n%s", err, raw)
	}
	if !info.Complete || len(info.Models) != 2 {
		t.Fatalf("glm.json: %s", raw)
	}
	if !info.Models[0].KS.Pass || info.Models[1].KS.Pass {
		t.Errorf("KS: with history pass=%v (D %.4f), without pass=%v (D %.4f); want pass, fail",
			info.Models[0].KS.Pass, info.Models[0].KS.D, info.Models[1].KS.Pass, info.Models[1].KS.D)
	}
	if n := len(info.Models[0].Coefficients); n != 13 {
		t.Errorf("%d coefficients, want 1 + 2 + 10", n)
	}
	for _, f := range []string{"coefficients.csv", "filter_history.csv", "filter_history.png", "ks.png", "intensity.npy"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}
	if !strings.Contains(stdout, "with history") || !strings.Contains(stdout, "passes") || !strings.Contains(stdout, "fails") {
		t.Errorf("stdout:\n%s", stdout)
	}
	// The refractory lag 1 ms has no spikes at all: the note says so.
	if !strings.Contains(stderr, "not bounded by the data") {
		t.Errorf("no note on the unbounded refractory lag:\n%s", stderr)
	}

	// Hawkes on the same spikes: a purely self-exciting model cannot
	// produce refractoriness, and the KS test says so.
	hk := filepath.Join(dir, "hawkes")
	code, _, stderr = hebb(t, "fit", "hawkes", sim, "-o", hk)
	if code != 0 {
		t.Fatalf("hawkes: exit %d: %s", code, stderr)
	}
	var hinfo struct {
		Stationary bool `json:"stationary"`
		Dimensions []struct {
			ObservedHz float64  `json:"observed_rate_hz"`
			ImpliedHz  *float64 `json:"implied_rate_hz"`
			KS         struct {
				Pass bool `json:"pass"`
			} `json:"ks"`
		} `json:"dimensions"`
	}
	raw, err = os.ReadFile(filepath.Join(hk, "hawkes.json"))
	if err != nil || json.Unmarshal(raw, &hinfo) != nil || len(hinfo.Dimensions) != 1 {
		t.Fatalf("hawkes.json: %v\n%s", err, raw)
	}
	d := hinfo.Dimensions[0]
	if !hinfo.Stationary || d.ImpliedHz == nil || abs(*d.ImpliedHz-d.ObservedHz) > 0.05*d.ObservedHz || d.KS.Pass {
		t.Errorf("hawkes: %s", raw)
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// TestFitErrors: wrong neuron names and flags are reported clearly.
func TestFitErrors(t *testing.T) {
	dir := t.TempDir()
	csv := filepath.Join(dir, "two.csv")
	os.WriteFile(csv, []byte("population,neuron,time_ms\na,0,1\na,0,5\nb,0,3\n"), 0o644)
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"fit", "glm", csv}, 2, "--neuron: " + csv + " holds several neurons"},
		{[]string{"fit", "glm", csv, "--neuron", "0"}, 2, "several populations (a, b)"},
		{[]string{"fit", "glm", csv, "--neuron", "c:0"}, 1, `has no population "c"`},
		{[]string{"fit", "glm", csv, "--neuron", "a:7"}, 1, `population "a" of ` + csv + ` has no neuron 7`},
		{[]string{"fit", "glm", csv, "--neuron", "a:x"}, 2, "expected a neuron as POP:ID"},
		{[]string{"fit", "glm", csv, "--neuron", "a:0", "--link", "log"}, 2, `--link "log"`},
		{[]string{"fit", "glm", csv, "--neuron", "a:0", "--bin", "1"}, 2, "--bin"},
		{[]string{"fit", "hawkes", csv, "--dims", "zz"}, 1, `has no population "zz"`},
		{[]string{"fit", "nonsense", csv}, 2, ""},
	} {
		code, _, stderr := hebb(t, append(c.args, "-o", filepath.Join(dir, "out"))...)
		if code != c.code || !strings.Contains(stderr, c.want) {
			t.Errorf("hebb %q: exit %d, stderr %q; want exit %d and %q", c.args, code, stderr, c.code, c.want)
		}
	}
}

// TestFitGLMCovariate: a neuron whose rate follows a stimulus switching
// between two levels every 500 ms (log-rate step 1.5) gets the stimulus
// coefficient back from `--covariate`, held from sample to sample.
func TestFitGLMCovariate(t *testing.T) {
	dir := t.TempDir()
	// Deterministic "spikes": 5 per 500 ms in the low state, 22 in the
	// high state (≈ e^1.5·5), evenly spread.
	var spikes, stim strings.Builder
	spikes.WriteString("neuron,time_ms\n")
	stim.WriteString("time_s,stim,other\n")
	for p := range 40 {
		t0 := float64(p) * 500
		level := p % 2
		fmt.Fprintf(&stim, "%g,%d,7\n", t0/1000, level)
		n := 5
		if level == 1 {
			n = 22
		}
		for k := range n {
			fmt.Fprintf(&spikes, "0,%g\n", t0+(float64(k)+0.5)*500/float64(n))
		}
	}
	sp := filepath.Join(dir, "s.csv")
	st := filepath.Join(dir, "stim.csv")
	os.WriteFile(sp, []byte(spikes.String()), 0o644)
	os.WriteFile(st, []byte(stim.String()), 0o644)
	out := filepath.Join(dir, "out")
	code, stdout, stderr := hebb(t, "fit", "glm", sp, "--window", "0 s, 20 s", "--no-history", "--covariate", st+":stim", "-o", out, "--no-figures")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var info struct {
		Models []struct {
			Coefficients []struct {
				Name string  `json:"name"`
				Coef float64 `json:"coef"`
			} `json:"coefficients"`
		} `json:"models"`
	}
	raw, _ := os.ReadFile(filepath.Join(out, "glm.json"))
	if err := json.Unmarshal(raw, &info); err != nil || len(info.Models) != 1 || len(info.Models[0].Coefficients) != 2 {
		t.Fatalf("glm.json: %v\n%s\n%s", err, raw, stdout)
	}
	// Maximum likelihood for two groups: β_stim = log(22/5), intercept
	// log(5/500 ms) = log(10 Hz).
	c := info.Models[0].Coefficients
	if c[1].Name != "stim" || math.Abs(c[1].Coef-math.Log(22.0/5)) > 1e-6 || math.Abs(c[0].Coef-math.Log(10)) > 1e-6 {
		t.Errorf("coefficients %+v, want intercept log 10 = %.6f and stim log 4.4 = %.6f", c, math.Log(10), math.Log(4.4))
	}
	for _, bad := range []struct{ text, want string }{
		{"stim\n1\n", "expected a time column"},
		{"time_ms,stim\n5,1\n", "the first sample is at 5 ms"},
		{"time_ms,stim\n0,1\n0,2\n", ":3: time_ms: times must increase"},
		{"time_ms,stim\n0,x\n", ":2: stim: expected a finite number"},
	} {
		os.WriteFile(st, []byte(bad.text), 0o644)
		code, _, stderr := hebb(t, "fit", "glm", sp, "--window", "0 s, 20 s", "--covariate", st, "-o", filepath.Join(dir, "bad"))
		if code != 1 || !strings.Contains(stderr, bad.want) {
			t.Errorf("%q: exit %d, %q; want %q", bad.text, code, stderr, bad.want)
		}
	}
}
