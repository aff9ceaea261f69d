package spiketrain

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/sbinet/npyio/npy"
	"github.com/sbinet/npyio/npz"
)

// TestLoadResults reads a hand-written results folder: populations in the
// manifest's order, silent neurons and silent populations kept, the window
// from reached_ms, each train sorted.
func TestLoadResults(t *testing.T) {
	l, err := Load("testdata/results", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Groups) != 2 {
		t.Fatalf("%d groups, want 2", len(l.Groups))
	}
	exc, inh := l.Groups[0], l.Groups[1]
	if exc.Name != "exc" || inh.Name != "inh" {
		t.Fatalf("groups %q, %q", exc.Name, inh.Name)
	}
	want := []Train{{20}, nil, {5, 10.5}}
	if !reflect.DeepEqual(exc.Trains, want) || !reflect.DeepEqual(exc.IDs, []int{0, 1, 2}) {
		t.Errorf("exc trains %v ids %v, want %v", exc.Trains, exc.IDs, want)
	}
	if len(inh.Trains) != 2 || inh.Spikes() != 0 {
		t.Errorf("inh: %d trains, %d spikes; want 2 silent trains", len(inh.Trains), inh.Spikes())
	}
	if exc.Start != 0 || exc.Stop != 100 || inh.Stop != 100 {
		t.Errorf("window [%g, %g), want [0, 100)", exc.Start, exc.Stop)
	}
	if len(l.Notes) != 0 {
		t.Errorf("notes %q, want none", l.Notes)
	}
}

func write(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestLoadCSV reads the column layouts a user's CSV may have, with units
// from the column name and notes for assumptions.
func TestLoadCSV(t *testing.T) {
	for _, c := range []struct {
		name, text string
		opt        Options
		want       []Train
		notes      int
	}{
		{"seconds", "neuron,time_s\n1,0.25\n0,0.5\n1,0.125\n", Options{Stop: 1000}, []Train{{500}, {125, 250}}, 0},
		{"bare time", "# a comment\nid,time\n0,3\n0,1\n", Options{Stop: 10}, []Train{{1, 3}}, 1},
		{"bare time in s", "neuron,t\n0,0.003\n", Options{Stop: 10, TimeUnit: 1000}, []Train{{3}}, 0},
		{"window from last spike", "neuron,time_ms\n0,4\n", Options{}, []Train{{4}}, 1},
		{"neurons", "neuron,time_ms\n1,4\n", Options{Stop: 5, Neurons: 3}, []Train{nil, {4}, nil}, 0},
		{"empty with window", "neuron,time_ms\n", Options{Stop: 5, Neurons: 2}, []Train{nil, nil}, 0},
		{"outside window dropped", "neuron,time_ms\n0,4\n0,40\n", Options{Stop: 10}, []Train{{4}}, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			l, err := Load(write(t, "s.csv", c.text), c.opt)
			if err != nil {
				t.Fatal(err)
			}
			if len(l.Groups) != 1 || !reflect.DeepEqual(l.Groups[0].Trains, c.want) {
				t.Fatalf("groups %+v, want trains %v", l.Groups, c.want)
			}
			if len(l.Notes) != c.notes {
				t.Errorf("notes %q, want %d", l.Notes, c.notes)
			}
		})
	}
}

// TestLoadCSVErrors: each defect is reported with the file, the line, the
// column and what was expected.
func TestLoadCSVErrors(t *testing.T) {
	for _, c := range []struct {
		name, text string
		opt        Options
		want       string
	}{
		{"empty", "", Options{}, "empty file: expected a header"},
		{"no time column", "neuron,when\n0,1\n", Options{}, ":1: header \"neuron,when\": expected a neuron column"},
		{"bad time", "neuron,time_ms\n0,1\n0,abc\n", Options{}, ":3: time_ms: expected a finite time, got \"abc\""},
		{"nan time", "neuron,time_ms\n0,NaN\n", Options{}, ":2: time_ms: expected a finite time"},
		{"bad id", "neuron,time_ms\n-1,1\n", Options{}, ":2: neuron: expected a neuron id"},
		{"fields", "neuron,time_ms\n0,1,2\n", Options{}, ":2: 3 fields: expected 2"},
		{"no spikes", "neuron,time_ms\n", Options{}, "no spikes: give the observation window"},
		{"id too large", "neuron,time_ms\n3,1\n", Options{Neurons: 3, Stop: 5}, ":2: neuron: neuron 3 does not exist"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := write(t, "bad.csv", c.text)
			_, err := Load(p, c.opt)
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "bad.csv") {
				t.Fatalf("error %v, want one naming bad.csv and containing %q", err, c.want)
			}
		})
	}
}

// TestLoadResultsErrors: a spike of a population or neuron the manifest
// does not know is an error, as is a folder without a manifest.
func TestLoadResultsErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := Load(dir, Options{}); err == nil || !strings.Contains(err.Error(), "no manifest.json") {
		t.Errorf("empty folder: %v", err)
	}
	m, _ := os.ReadFile("testdata/results/manifest.json")
	os.WriteFile(filepath.Join(dir, "manifest.json"), m, 0o644)
	for text, want := range map[string]string{
		"population,neuron,time_ms\nfoo,0,1\n":   `:2: population "foo" is not in the manifest`,
		"population,neuron,time_ms\ninh,2,1\n":   `:2: neuron: neuron 2 does not exist: population "inh" has 2 neurons`,
		"population,neuron,time_ms\nexc,0,101\n": `:2: time_ms: spike at 101 ms lies outside the run`,
	} {
		os.WriteFile(filepath.Join(dir, "spikes.csv"), []byte(text), 0o644)
		if _, err := Load(dir, Options{}); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want %q", text, err, want)
		}
	}
}

func writeNPY(t *testing.T, path string, v any) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := npy.Write(f, v); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestLoadNPY reads hebb's times/ids pairs, (n, 2) arrays, 1-D arrays of
// one neuron, and .npz archives with units from the array names.
func TestLoadNPY(t *testing.T) {
	dir := t.TempDir()
	writeNPY(t, filepath.Join(dir, "spikes_exc_times.npy"), []float64{3, 1, 2})
	writeNPY(t, filepath.Join(dir, "spikes_exc_ids.npy"), []int32{1, 1, 0})
	l, err := Load(filepath.Join(dir, "spikes_exc_times.npy"), Options{Stop: 10})
	if err != nil {
		t.Fatal(err)
	}
	if g := l.Groups[0]; !reflect.DeepEqual(g.Trains, []Train{{2}, {1, 3}}) {
		t.Errorf("times/ids pair: %v", g.Trains)
	}

	p := filepath.Join(dir, "rows.npy")
	writeNPY(t, p, []float32{0, 1.5, 2, 0.5}) // shape (4,): one neuron
	if l, err = Load(p, Options{Stop: 10}); err != nil {
		t.Fatal(err)
	}
	if g := l.Groups[0]; !reflect.DeepEqual(g.Trains, []Train{{0, 0.5, 1.5, 2}}) || len(l.Notes) != 1 {
		t.Errorf("1-D array: %v notes %q", g.Trains, l.Notes)
	}

	zp := filepath.Join(dir, "brian.npz")
	if err := npz.Write(zp, map[string]any{"t_s": []float64{0.002, 0.001}, "i": []int64{4, 4}}); err != nil {
		t.Fatal(err)
	}
	if l, err = Load(zp, Options{Stop: 10}); err != nil {
		t.Fatal(err)
	}
	if g := l.Groups[0]; !reflect.DeepEqual(g.Trains, []Train{{1, 2}}) || !reflect.DeepEqual(g.IDs, []int{4}) {
		t.Errorf("npz: %v ids %v", g.Trains, g.IDs)
	}

	bad := filepath.Join(dir, "bad.npz")
	npz.Write(bad, map[string]any{"spikes": []float64{1}})
	if _, err := Load(bad, Options{}); err == nil || !strings.Contains(err.Error(), "expected a times array") {
		t.Errorf("npz without times: %v", err)
	}
	mis := filepath.Join(dir, "mis.npz")
	npz.Write(mis, map[string]any{"times": []float64{1, 2}, "ids": []int64{0}})
	if _, err := Load(mis, Options{}); err == nil || !strings.Contains(err.Error(), "expected one id per spike time") {
		t.Errorf("npz with mismatched arrays: %v", err)
	}
	frac := filepath.Join(dir, "frac_times.npy")
	writeNPY(t, frac, []float64{1})
	writeNPY(t, filepath.Join(dir, "frac_ids.npy"), []float64{0.5})
	if _, err := Load(frac, Options{}); err == nil || !strings.Contains(err.Error(), "element 0: neuron id 0.5") {
		t.Errorf("fractional id: %v", err)
	}
	lone := filepath.Join(dir, "lone_times.npy")
	writeNPY(t, lone, []float64{1})
	if _, err := Load(lone, Options{}); err == nil || !strings.Contains(err.Error(), "lone_ids.npy") {
		t.Errorf("times without ids: %v", err)
	}
	text := write(t, "notnpy.npy", "hello")
	if _, err := Load(text, Options{}); err == nil || !strings.Contains(err.Error(), "notnpy.npy") {
		t.Errorf("not an npy file: %v", err)
	}
}
