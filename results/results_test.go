package results

import (
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"testing"
)

// entries lists the names in folder dir, hidden temporary files included.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func newDir(t *testing.T) *Dir {
	t.Helper()
	d, err := Create(filepath.Join(t.TempDir(), "run"))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestWriteFileCommitsAndRecords(t *testing.T) {
	d := newDir(t)
	for _, name := range []string{"b.txt", "a.txt", "b.txt"} {
		err := d.WriteFile(name, func(w io.Writer) error {
			_, err := io.WriteString(w, "hello "+name)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(filepath.Join(d.Path, "a.txt"))
	if err != nil || string(got) != "hello a.txt" {
		t.Fatalf("a.txt = %q, %v", got, err)
	}
	if want := []string{"b.txt", "a.txt"}; !reflect.DeepEqual(d.Files(), want) {
		t.Errorf("Files() = %v, want %v", d.Files(), want)
	}
	if want := []string{"a.txt", "b.txt"}; !reflect.DeepEqual(entries(t, d.Path), want) {
		t.Errorf("folder holds %v, want %v (no temporary files)", entries(t, d.Path), want)
	}
}

func TestWriteFileFailureLeavesNothing(t *testing.T) {
	d := newDir(t)
	boom := errors.New("boom")
	err := d.WriteFile("x.bin", func(w io.Writer) error {
		// More than the buffer size, so part of it reaches the disk.
		if _, err := w.Write(make([]byte, 1<<20)); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want %v", err, boom)
	}
	if es := entries(t, d.Path); len(es) != 0 {
		t.Errorf("failed write left %v", es)
	}
	if len(d.Files()) != 0 {
		t.Errorf("failed write recorded: %v", d.Files())
	}
}

func TestFileAbortLeavesNothing(t *testing.T) {
	d := newDir(t)
	f, err := d.Create("stream.csv")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write([]byte("t,id\n")); err != nil {
		t.Fatal(err)
	}
	if es := entries(t, d.Path); len(es) != 1 || es[0] == "stream.csv" {
		t.Errorf("before Commit the folder holds %v, want one temporary file", es)
	}
	f.Abort()
	f.Abort() // harmless
	if es := entries(t, d.Path); len(es) != 0 {
		t.Errorf("aborted file left %v", es)
	}
	if _, err := f.Write([]byte("x")); err == nil {
		t.Error("Write after Abort succeeded")
	}
	if err := f.Commit(); err == nil {
		t.Error("Commit after Abort succeeded")
	}
	if len(d.Files()) != 0 {
		t.Errorf("aborted file recorded: %v", d.Files())
	}
}

func TestFileCommit(t *testing.T) {
	d := newDir(t)
	f, err := d.Create("stream.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Abort() // must not undo the Commit
	for i := range 3 {
		if _, err := f.Write([]byte(strconv.Itoa(i) + "\n")); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	f.Abort()
	got, err := os.ReadFile(filepath.Join(d.Path, "stream.csv"))
	if err != nil || string(got) != "0\n1\n2\n" {
		t.Fatalf("stream.csv = %q, %v", got, err)
	}
	if !reflect.DeepEqual(entries(t, d.Path), []string{"stream.csv"}) {
		t.Errorf("folder holds %v", entries(t, d.Path))
	}
	if !reflect.DeepEqual(d.Files(), []string{"stream.csv"}) {
		t.Errorf("Files() = %v", d.Files())
	}
}

func TestInvalidNames(t *testing.T) {
	d := newDir(t)
	for _, name := range []string{"", ".", "..", "../x", "a/b", ".hidden", ManifestName} {
		if _, err := d.Create(name); err == nil {
			t.Errorf("Create(%q) succeeded", name)
		}
	}
	if es := entries(t, d.Path); len(es) != 0 {
		t.Errorf("folder holds %v", es)
	}
}

func TestCreate(t *testing.T) {
	root := t.TempDir()

	t.Run("new nested folder", func(t *testing.T) {
		p := filepath.Join(root, "a", "b", "run")
		if _, err := Create(p); err != nil {
			t.Fatal(err)
		}
		if info, err := os.Stat(p); err != nil || !info.IsDir() {
			t.Fatalf("folder not made: %v", err)
		}
	})

	t.Run("existing empty folder", func(t *testing.T) {
		p := filepath.Join(root, "empty")
		os.Mkdir(p, 0o755)
		if _, err := Create(p); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("path is a file", func(t *testing.T) {
		p := filepath.Join(root, "file")
		os.WriteFile(p, []byte("x"), 0o644)
		if _, err := Create(p); err == nil {
			t.Fatal("Create on a file succeeded")
		}
	})

	t.Run("foreign folder refused", func(t *testing.T) {
		p := filepath.Join(root, "foreign")
		os.Mkdir(p, 0o755)
		user := filepath.Join(p, "thesis.tex")
		os.WriteFile(user, []byte("precious"), 0o644)
		if _, err := Create(p); err == nil {
			t.Fatal("Create on a non-empty folder without manifest succeeded")
		}
		if got, err := os.ReadFile(user); err != nil || string(got) != "precious" {
			t.Fatalf("user file changed: %q, %v", got, err)
		}
	})

	t.Run("foreign manifest refused", func(t *testing.T) {
		p := filepath.Join(root, "webapp")
		os.Mkdir(p, 0o755)
		man := filepath.Join(p, ManifestName)
		os.WriteFile(man, []byte(`{"name": "my web app", "files": ["index.html"]}`), 0o644)
		os.WriteFile(filepath.Join(p, "index.html"), []byte("<html>"), 0o644)
		if _, err := Create(p); err == nil {
			t.Fatal("Create on a folder with another program's manifest.json succeeded")
		}
		if got := entries(t, p); !reflect.DeepEqual(got, []string{"index.html", ManifestName}) {
			t.Fatalf("folder now holds %v", got)
		}
	})

	t.Run("earlier run cleaned", func(t *testing.T) {
		p := filepath.Join(root, "rerun")
		d, err := Create(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"spikes.npy", "rates.csv"} {
			if err := d.WriteFile(name, func(w io.Writer) error { return nil }); err != nil {
				t.Fatal(err)
			}
		}
		if err := d.WriteManifest(&Manifest{HebbVersion: "test"}); err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(p, "notes.txt"), []byte("mine"), 0o644)

		d2, err := Create(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := entries(t, p); !reflect.DeepEqual(got, []string{"notes.txt"}) {
			t.Errorf("after Create the folder holds %v, want only the user's notes.txt", got)
		}
		if len(d2.Files()) != 0 {
			t.Errorf("new Dir starts with files %v", d2.Files())
		}
	})
}

func TestNewName(t *testing.T) {
	base := filepath.Join(t.TempDir(), "brunel")
	if got := NewName(base); got != base {
		t.Fatalf("NewName = %q, want %q", got, base)
	}
	os.Mkdir(base, 0o755)
	if got, want := NewName(base), base+"-2"; got != want {
		t.Fatalf("NewName = %q, want %q", got, want)
	}
	os.Mkdir(base+"-2", 0o755)
	os.WriteFile(base+"-3", nil, 0o644) // a file also takes the name
	if got, want := NewName(base), base+"-4"; got != want {
		t.Fatalf("NewName = %q, want %q", got, want)
	}
}

func TestWriteCSV(t *testing.T) {
	d := newDir(t)
	times := []float64{0.1, 2.5, 10}
	ids := []int{3, 0, 7}
	err := d.WriteCSV("spikes.csv", []string{"time_ms", "neuron"}, len(times), func(i int, rec []string) []string {
		return append(rec, strconv.FormatFloat(times[i], 'g', -1, 64), strconv.Itoa(ids[i]))
	})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(filepath.Join(d.Path, "spikes.csv"))
	if want := "time_ms,neuron\n0.1,3\n2.5,0\n10,7\n"; string(got) != want {
		t.Errorf("spikes.csv = %q, want %q", got, want)
	}

	err = d.WriteCSV("bad.csv", []string{"a", "b"}, 2, func(i int, rec []string) []string {
		return append(rec, "only one")
	})
	if err == nil {
		t.Error("row with too few fields accepted")
	}
	if slices.Contains(entries(t, d.Path), "bad.csv") || len(entries(t, d.Path)) != 1 {
		t.Errorf("failed CSV left files: %v", entries(t, d.Path))
	}
}

func TestManifestRoundTrip(t *testing.T) {
	d := newDir(t)
	if err := d.WriteJSON("params.json", map[string]any{"tau_m": 20.0, "label": "0→1 <exc>"}); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(filepath.Join(d.Path, "params.json"))
	if want := "{\n  \"label\": \"0→1 <exc>\",\n  \"tau_m\": 20\n}\n"; string(got) != want {
		t.Errorf("params.json = %q, want %q", got, want)
	}
	if err := d.WriteNPYInt32("ids.npy", []int32{1, 2}); err != nil {
		t.Fatal(err)
	}

	m := &Manifest{
		Model: "brunel", HebbVersion: "v0.1.0", Seed: 1<<64 - 1, Threads: 4,
		DtMs: 0.1, DurationMs: 1000, ReachedMs: 1000, Complete: true,
		Neurons: 12500, Synapses: 1 << 33,
		Populations: []PopulationSummary{{Name: "exc", Model: "lif", Size: 10000, Spikes: 12345, RateHz: 1.2345}},
		Projections: []ProjectionSummary{{Name: "ee", From: "exc", To: "exc", Synapses: 1 << 32, Events: 99}},
		Started:     "2025-01-02T03:04:05Z",
	}
	if err := d.WriteManifest(m); err != nil {
		t.Fatal(err)
	}
	if want := []string{"params.json", "ids.npy"}; !reflect.DeepEqual(m.Files, want) {
		t.Errorf("m.Files = %v, want %v", m.Files, want)
	}
	back, err := ReadManifest(d.Path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, m) {
		t.Errorf("ReadManifest = %+v\nwant %+v", back, m)
	}
	if want := []string{"ids.npy", ManifestName, "params.json"}; !reflect.DeepEqual(entries(t, d.Path), want) {
		t.Errorf("folder holds %v, want %v", entries(t, d.Path), want)
	}
}

func TestEmptyManifestListsNoFiles(t *testing.T) {
	d := newDir(t)
	if err := d.WriteManifest(&Manifest{}); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(filepath.Join(d.Path, ManifestName))
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(data, &keys); err != nil {
		t.Fatal(err)
	}
	if got := string(keys["files"]); got != "[]" {
		t.Errorf(`"files" = %s, want []`, got)
	}
}
