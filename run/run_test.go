package run

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hebb-snn/hebb/internal/fixture"

	"github.com/hebb-snn/hebb/model"
	"github.com/hebb-snn/hebb/results"
)

// codelab builds the code lab's neuron (forward Euler, 1.8 nA into
// 10 MΩ, threshold -54 mV, reset -80 mV) for the given duration, recording
// its spikes and its V every interval.
func codelab(t *testing.T, duration, interval string) *model.Net {
	t.Helper()
	m := model.New("codelab", "0.1 ms", duration, 1)
	m.Population("n", "lif_delta", 1, model.P{
		"tau_m": "20 ms", "V_rest": "-70 mV", "V_th": "-54 mV", "V_reset": "-80 mV",
		"R_m": "10 Mohm", "t_ref": "0 ms", "integrator": "euler",
	})
	m.Stimulate("dc", "n", model.P{"amplitude": "1.8 nA"})
	m.RecordSpikes()
	m.RecordState("n", []string{"V"}, interval)
	net, err := m.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	return net
}

// euler integrates the same neuron independently of hebb and returns its
// spike times (step·dt) up to and including step steps.
func euler(steps int) []float64 {
	v := -70.0
	var spikes []float64
	for s := 1; s <= steps; s++ {
		v += 0.1 / 20 * (-(v + 70) + 18)
		if v >= -54 {
			v = -80
			spikes = append(spikes, float64(s)/10)
		}
	}
	return spikes
}

// readManifestMap reads manifest.json as the results package does and as
// raw JSON keys.
func readManifest(t *testing.T, dir string) (*results.Manifest, map[string]json.RawMessage) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, results.ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	var m results.Manifest
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &keys); err != nil {
		t.Fatal(err)
	}
	return &m, keys
}

// checkFolder checks that dir holds exactly manifest.json and the files
// the manifest lists, and no temporary (dot) file.
func checkFolder(t *testing.T, dir string, listed []string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var present []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("left-over temporary file %s", e.Name())
		}
		if e.Name() != results.ManifestName {
			present = append(present, e.Name())
		}
	}
	listed = slices.Clone(listed)
	sort.Strings(listed)
	sort.Strings(present)
	if !slices.Equal(listed, present) {
		t.Errorf("manifest lists %q, folder holds %q (besides %s)", listed, present, results.ManifestName)
	}
}

// spikeTimes reads the times of spikes.csv.
func spikeTimes(t *testing.T, dir string) []float64 {
	t.Helper()
	rows := fixture.Records(t, filepath.Join(dir, "spikes.csv"))
	if !slices.Equal(rows[0], []string{"population", "neuron", "time_ms"}) {
		t.Fatalf("spikes.csv header %q", rows[0])
	}
	var ts []float64
	for _, r := range rows[1:] {
		x, err := strconv.ParseFloat(r[2], 64)
		if err != nil {
			t.Fatal(err)
		}
		ts = append(ts, x)
	}
	return ts
}

func TestInterrupted(t *testing.T) {
	const durationMs, intervalMs = 10000.0, 1.0
	net := codelab(t, "10 s", "1 ms")
	dir := filepath.Join(t.TempDir(), "out")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	calls := 0
	var cancelledAt int64
	res, err := Net(ctx, net, Options{Out: dir, Threads: 2, Figures: true, Progress: func(done, total int64, wall time.Duration) {
		calls++
		if total != net.Steps || done < 0 || done > total || wall < 0 {
			t.Errorf("progress(%d, %d, %v) with %d steps in all", done, total, wall, net.Steps)
		}
		if done*4 > total && cancelledAt == 0 {
			cancelledAt = done
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	if cancelledAt == 0 || calls == 0 {
		t.Fatal("progress was never called past a quarter of the run")
	}
	if res == nil || res.Manifest == nil || res.Dir != dir {
		t.Fatalf("result %+v, want one for %s with a manifest", res, dir)
	}

	m, keys := readManifest(t, dir)
	if m.Complete || m.Error == "" || !strings.Contains(m.Error, "cancel") {
		t.Errorf("complete %v, error %q; want an incomplete run saying it was cancelled", m.Complete, m.Error)
	}
	if _, ok := keys["complete"]; !ok {
		t.Error(`manifest.json has no "complete" key`)
	}
	reached := m.ReachedMs
	if reached <= 0 || reached >= durationMs || m.DurationMs != durationMs {
		t.Fatalf("reached %g ms of %g ms; want an interrupted run of 10 s", reached, m.DurationMs)
	}
	// The run stops at the next step boundary after the cancel (hebb looks
	// at the context every few steps), so not long after a quarter.
	if at := float64(cancelledAt) * net.Dt; reached < at || reached > at+100 {
		t.Errorf("cancelled at %g ms, stopped at %g ms", at, reached)
	}
	if m.RealTimeFactor <= 0 || m.WallSeconds <= 0 {
		t.Errorf("real-time factor %g, wall %g s", m.RealTimeFactor, m.WallSeconds)
	}
	checkFolder(t, dir, m.Files)

	// Everything recorded up to the time reached, and nothing later.
	ts := spikeTimes(t, dir)
	for _, x := range ts {
		if x > reached {
			t.Errorf("spike at %g ms, after the time reached, %g ms", x, reached)
		}
	}
	if want := euler(int(math.Round(reached / net.Dt))); len(ts) != len(want) || len(ts) < 10 {
		t.Errorf("%d spikes up to %g ms, the Euler loop gives %d", len(ts), reached, len(want))
	} else {
		for i := range ts {
			if math.Abs(ts[i]-want[i]) > 1e-9 {
				t.Errorf("spike %d at %g ms, want %g", i, ts[i], want[i])
			}
		}
	}
	if len(m.Populations) != 1 || m.Populations[0].Spikes != int64(len(ts)) {
		t.Errorf("manifest populations %+v, want one with %d spikes", m.Populations, len(ts))
	}
	rows := fixture.Records(t, filepath.Join(dir, "state_n_V.csv"))
	// Samples at 0, 1, 2, ... ms up to the time reached.
	if want := int(math.Floor(reached/intervalMs+1e-9)) + 1; len(rows)-1 != want {
		t.Errorf("state_n_V.csv has %d samples up to %g ms, want %d", len(rows)-1, reached, want)
	}
	last, err := strconv.ParseFloat(rows[len(rows)-1][0], 64)
	if err != nil || last > reached || last <= reached-intervalMs {
		t.Errorf("last sample at %q ms, time reached %g ms", rows[len(rows)-1][0], reached)
	}
	for _, f := range []string{"raster.png", "trace_n_V.png"} {
		if !slices.Contains(m.Files, f) {
			t.Errorf("the interrupted run drew no %s", f)
		}
	}
}

func TestAlreadyCancelled(t *testing.T) {
	net := codelab(t, "50 ms", "")
	dir := filepath.Join(t.TempDir(), "out")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Net(ctx, net, Options{Out: dir, Threads: 1})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	m, _ := readManifest(t, dir)
	if m.Complete || m.ReachedMs != 0 {
		t.Errorf("complete %v, reached %g; want nothing simulated", m.Complete, m.ReachedMs)
	}
	if ts := spikeTimes(t, dir); len(ts) != 0 {
		t.Errorf("spikes %v from a run that never started", ts)
	}
	checkFolder(t, dir, m.Files)
}

func TestComplete(t *testing.T) {
	net := codelab(t, "300 ms", "")
	dir := filepath.Join(t.TempDir(), "out")
	var last [2]int64
	res, err := Net(context.Background(), net, Options{Out: dir, Threads: 3, Progress: func(done, total int64, _ time.Duration) {
		if done < last[0] {
			t.Errorf("progress went back from %d to %d", last[0], done)
		}
		last = [2]int64{done, total}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if last != [2]int64{3000, 3000} {
		t.Errorf("last progress report %v, want [3000 3000]", last)
	}
	m, _ := readManifest(t, dir)
	if !m.Complete || m.Error != "" || m.ReachedMs != 300 || m.Threads != 3 || m.Neurons != 1 || m.Seed != 1 {
		t.Errorf("manifest %+v", m)
	}
	if res.Manifest.SpikesSHA256 != m.SpikesSHA256 || res.Sim == nil {
		t.Error("the returned result does not match the manifest written")
	}
	if ts := spikeTimes(t, dir); !slices.Equal(ts, []float64{43.9, 96.6, 149.3, 202, 254.7}) {
		t.Errorf("spikes at %v", ts)
	}
	checkFolder(t, dir, m.Files)
	for _, f := range m.Files {
		if strings.HasSuffix(f, ".png") {
			t.Errorf("Figures false, but %s was drawn", f)
		}
	}
}

func TestReuseFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	if _, err := Net(context.Background(), codelab(t, "300 ms", ""), Options{Out: dir, Threads: 1, Figures: true}); err != nil {
		t.Fatal(err)
	}
	first, _ := readManifest(t, dir)
	if !slices.Contains(first.Files, "raster.png") {
		t.Fatalf("first run drew no raster: %q", first.Files)
	}
	// The second run, shorter and without figures, replaces the first
	// run's files and removes those it does not write again.
	if _, err := Net(context.Background(), codelab(t, "100 ms", "1 ms"), Options{Out: dir, Threads: 2}); err != nil {
		t.Fatalf("second run into the same folder: %v", err)
	}
	m, _ := readManifest(t, dir)
	if !m.Complete || m.DurationMs != 100 {
		t.Errorf("manifest of the second run: complete %v duration %g", m.Complete, m.DurationMs)
	}
	checkFolder(t, dir, m.Files)
	if _, err := os.Stat(filepath.Join(dir, "raster.png")); !errors.Is(err, fs.ErrNotExist) {
		t.Error("the first run's raster.png is still there")
	}
	if ts := spikeTimes(t, dir); !slices.Equal(ts, []float64{43.9, 96.6}) {
		t.Errorf("spikes.csv holds %v, want the second run's spikes at 43.9 and 96.6 ms", ts)
	}
	if rows := fixture.Records(t, filepath.Join(dir, "state_n_V.csv")); len(rows)-1 != 101 {
		t.Errorf("state_n_V.csv has %d samples, want the second run's 101", len(rows)-1)
	}
}

func TestForeignFolder(t *testing.T) {
	for name, content := range map[string]string{
		"notes.txt":     "my notes\n",
		"manifest.json": `{"name": "some other program", "files": ["manifest.json"]}`,
	} {
		dir := filepath.Join(t.TempDir(), "out")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Net(context.Background(), codelab(t, "50 ms", ""), Options{Out: dir, Threads: 1, Figures: true})
		if err == nil {
			t.Errorf("%s: running into a folder holding a foreign %s succeeded", dir, name)
		}
		if b, rerr := os.ReadFile(path); rerr != nil || string(b) != content {
			t.Errorf("foreign %s was changed: %q, %v", name, b, rerr)
		}
		entries, _ := os.ReadDir(dir)
		if len(entries) != 1 {
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			t.Errorf("folder with a foreign %s now holds %q", name, names)
		}
	}
}

// TestBuildError runs a model that Resolve accepts but the engine cannot
// build: a delay drawn from uniform(1 ms, 10 s) can exceed the longest
// delay the ring buffers hold (65535 steps of 0.1 ms). The run writes a
// manifest that says why and no results.
func TestBuildError(t *testing.T) {
	m := model.New("too-slow", "0.1 ms", "10 ms", 1)
	m.Population("src", "poisson_source", 10, model.P{"rate": "10 Hz"})
	m.Population("n", "lif_exp", 10, nil)
	m.Connect("src", "n", "all_to_all", nil, model.Synapse{Type: "excitatory", Weight: "10 pA", Delay: "uniform(1 ms, 10 s)"})
	net, err := m.Resolve()
	if err != nil {
		t.Skipf("Resolve now rejects the delay, so the engine's error is out of reach: %v", err)
	}
	dir := filepath.Join(t.TempDir(), "out")
	res, err := Net(context.Background(), net, Options{Out: dir, Threads: 2, Figures: true})
	if err == nil || !strings.Contains(err.Error(), "delay") {
		t.Fatalf("error %v, want one about the delay", err)
	}
	if res == nil || res.Manifest == nil {
		t.Fatal("no result for a failed build")
	}
	man, _ := readManifest(t, dir)
	if man.Complete || man.Error != err.Error() || man.ReachedMs != 0 || len(man.Files) != 0 {
		t.Errorf("manifest: complete %v, error %q, reached %g, files %q; want incomplete, %q, 0, none",
			man.Complete, man.Error, man.ReachedMs, man.Files, err)
	}
	checkFolder(t, dir, man.Files)
}

func TestFileName(t *testing.T) {
	for in, want := range map[string]string{
		"pre->post":   "pre-to-post",
		"exc->inh#2":  "exc-to-inh_2",
		"exc":         "exc",
		"V_m":         "V_m",
		"a b/c":       "a_b_c",
		`a\b:c*d?e`:   "a_b_c_d_e",
		"x  /  y":     "x_y",
		"Ca²⁺":        "Ca_",
		"ee.1-2":      "ee.1-2",
		"exc->inh->x": "exc-to-inh-to-x",
	} {
		if got := FileName(in); got != want {
			t.Errorf("FileName(%q) = %q, want %q", in, got, want)
		}
	}
	safe := regexp.MustCompile(`^[A-Za-z0-9_.-]*$`)
	for _, in := range []string{"../../etc/passwd", "a\x00b", "tab\there", "ünïcode", "<>|\"'`$"} {
		if got := FileName(in); !safe.MatchString(got) || strings.ContainsAny(got, `/\`) {
			t.Errorf("FileName(%q) = %q holds unsafe characters", in, got)
		}
	}
}

// TestDefaultFolderName runs with no Out: the folder is named after the
// model, in the working folder, and a second run gets a new name.
func TestDefaultFolderName(t *testing.T) {
	t.Chdir(t.TempDir())
	for _, want := range []string{"codelab", "codelab-2"} {
		res, err := Net(context.Background(), codelab(t, "10 ms", ""), Options{Threads: 1})
		if err != nil {
			t.Fatal(err)
		}
		if res.Dir != want {
			t.Errorf("results in %q, want %q", res.Dir, want)
		}
		if _, err := os.Stat(filepath.Join(want, results.ManifestName)); err != nil {
			t.Error(err)
		}
	}
}

// TestModelNameIsNotAPath: a model's name is free text; used as the
// default results folder it must not lead out of the working folder.
func TestModelNameIsNotAPath(t *testing.T) {
	parent := t.TempDir()
	work := filepath.Join(parent, "work")
	if err := os.Mkdir(work, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(work)
	m := model.New("../escaped", "0.1 ms", "10 ms", 1)
	m.Population("n", "lif_delta", 1, nil)
	net, err := m.Resolve()
	if err != nil {
		t.Skipf("Resolve rejects the name: %v", err)
	}
	res, err := Net(context.Background(), net, Options{Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(parent, "escaped")); err == nil {
		t.Errorf("model name %q put the results outside the working folder, in %s", net.Name, res.Dir)
	}
	if abs, err := filepath.Abs(res.Dir); err != nil || filepath.Dir(abs) != work {
		t.Errorf("results in %q, not a folder of the working folder %s", res.Dir, work)
	}
}

// TestProjectionFileNamesDistinct: two projections whose names differ
// only in characters FileName replaces must not write the same files.
func TestProjectionFileNamesDistinct(t *testing.T) {
	m := model.New("twins", "0.1 ms", "5 ms", 1)
	m.Population("a", "lif_delta", 2, nil)
	m.Population("b", "lif_delta", 2, nil)
	m.ConnectAs("a->b", "a", "b", "all_to_all", nil, model.Synapse{Type: "excitatory", Weight: "0.1 mV", Delay: "1 ms"})
	m.ConnectAs("a-to-b", "a", "b", "all_to_all", nil, model.Synapse{Type: "excitatory", Weight: "0.2 mV", Delay: "1 ms"})
	m.RecordWeights("a->b", "1 ms")
	m.RecordWeights("a-to-b", "1 ms")
	net, err := m.Resolve()
	if err != nil {
		t.Skipf("Resolve rejects the names: %v", err)
	}
	dir := filepath.Join(t.TempDir(), "out")
	if _, err := Net(context.Background(), net, Options{Out: dir, Threads: 1}); err != nil {
		t.Fatal(err)
	}
	man, _ := readManifest(t, dir)
	var csvs []string
	for _, f := range man.Files {
		if strings.HasPrefix(f, "weights_") && strings.HasSuffix(f, ".csv") {
			csvs = append(csvs, f)
		}
	}
	if len(csvs) != 2 {
		t.Errorf("two recorded projections gave the weight tables %q; one overwrote the other", csvs)
	}
}
