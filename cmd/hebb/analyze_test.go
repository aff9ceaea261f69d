package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestAnalyzeKnownTrains analyses a CSV with known answers: neuron 0 fires
// every 10 ms from 5 ms (100 Hz, CV 0), neuron 1 fires twice (4 ms and
// 9 ms), neuron 2 is silent; over a 1 s window the population rate is
// (100 + 2 + 0)/3 = 34 Hz.
func TestAnalyzeKnownTrains(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("neuron,time_ms\n")
	for k := range 100 {
		b.WriteString("0," + strconv.Itoa(5+10*k) + "\n")
	}
	b.WriteString("1,4\n1,9\n")
	in := filepath.Join(dir, "spikes.csv")
	os.WriteFile(in, []byte(b.String()), 0o644)
	out := filepath.Join(dir, "out")
	code, stdout, stderr := hebb(t, "analyze", in, "--window", "0 ms, 1 s", "--neurons", "3", "-o", out,
		"--events", "100 ms, 300 ms", "--psth-window", "-20 ms, 20 ms")
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "spikes") || !strings.Contains(stdout, "34") {
		t.Errorf("summary table lacks the rate of 34 Hz:\n%s", stdout)
	}
	f, err := os.Open(filepath.Join(out, "summary.csv"))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil || len(recs) != 2 {
		t.Fatalf("summary.csv: %v %v", recs, err)
	}
	row := map[string]string{}
	for i, h := range recs[0] {
		row[h] = recs[1][i]
	}
	for k, want := range map[string]float64{"neurons": 3, "active": 2, "spikes": 102, "rate_hz": 34, "cv": 0, "duration_ms": 1000} {
		got, err := strconv.ParseFloat(row[k], 64)
		if err != nil || got != want {
			t.Errorf("summary.csv %s = %q, want %g", k, row[k], want)
		}
	}
	var info struct {
		Complete bool     `json:"complete"`
		Files    []string `json:"files"`
	}
	raw, err := os.ReadFile(filepath.Join(out, "analysis.json"))
	if err != nil || json.Unmarshal(raw, &info) != nil || !info.Complete {
		t.Fatalf("analysis.json: %s %v", raw, err)
	}
	for _, name := range []string{"raster.png", "rate_spikes.png", "isi_spikes.png", "autocorrelogram_spikes.png",
		"psth_spikes.png", "neurons_spikes.csv", "summary.csv"} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Errorf("missing %s: %v", name, err)
		}
	}
	if len(info.Files) < 7 {
		t.Errorf("analysis.json lists %v", info.Files)
	}
}

// TestAnalyzeResultsFolder analyses the folder of a real run.
func TestAnalyzeResultsFolder(t *testing.T) {
	dir := t.TempDir()
	res := filepath.Join(dir, "res")
	if code, _, stderr := hebb(t, "run", lifYAML, "-o", res, "--no-figures"); code != 0 {
		t.Fatal(stderr)
	}
	code, stdout, stderr := hebb(t, "analyze", res, "-o", filepath.Join(dir, "an"), "--no-figures")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	// Five spikes in 300 ms: 16.67 Hz; regular firing: CV ≈ 0.
	if !strings.Contains(stdout, "neuron") || !strings.Contains(stdout, "16.67") {
		t.Errorf("stdout:\n%s", stdout)
	}
}

// TestAnalyzeErrors: bad files name the file and line (exit 1); bad flags
// are usage errors (exit 2).
func TestAnalyzeErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("neuron,time_ms\n0,1\n0,x\n"), 0o644)
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"analyze", bad}, 1, "bad.csv:3: time_ms: expected a finite time"},
		{[]string{"analyze", filepath.Join(dir, "none.csv")}, 1, "none.csv"},
		{[]string{"analyze", bad, "--bin", "5"}, 2, `--bin: "5" has no unit`},
		{[]string{"analyze", bad, "--window", "1 s"}, 2, "--window"},
		{[]string{"analyze", bad, "--time-unit", "mV"}, 2, "--time-unit"},
		{[]string{"analyze"}, 2, "accepts 1 arg"},
	} {
		code, _, stderr := hebb(t, c.args...)
		if code != c.code || !strings.Contains(stderr, c.want) {
			t.Errorf("hebb %q: exit %d, stderr %q; want exit %d and %q", c.args, code, stderr, c.code, c.want)
		}
	}
}

// TestReadEvents: event files give their unit in a header line or on
// every line; lists are quantities.
func TestReadEvents(t *testing.T) {
	dir := t.TempDir()
	for text, want := range map[string][]float64{
		"time_s\n0.1\n0.25\n":   {100, 250},
		"# trials\n5 ms\n1 s\n": {5, 1000},
		"event_ms\n7\n":         {7},
	} {
		p := filepath.Join(dir, "ev.txt")
		os.WriteFile(p, []byte(text), 0o644)
		got, err := readEvents(p)
		if err != nil || len(got) != len(want) || got[0] != want[0] || got[len(got)-1] != want[len(want)-1] {
			t.Errorf("%q: %v %v, want %v", text, got, err, want)
		}
	}
	if got, err := readEvents("100 ms, 0.6 s"); err != nil || got[1] != 600 {
		t.Errorf("list: %v %v", got, err)
	}
	os.WriteFile(filepath.Join(dir, "bad.txt"), []byte("12\n"), 0o644)
	if _, err := readEvents(filepath.Join(dir, "bad.txt")); err == nil || !strings.Contains(err.Error(), "bad.txt:1") {
		t.Errorf("unitless event: %v", err)
	}
}
