package main

import (
	"encoding/json"
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
