package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"image/png"
	"io/fs"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hebb-snn/hebb/internal/fixture"

	"github.com/hebb-snn/hebb/run"
)

// The code lab's example, relative to this package's folder (tests run in
// cmd/hebb).
const lifYAML = "../../examples/codelab/lif.yaml"

// hebb runs Main with args and returns its exit status, stdout and stderr.
// It fails the test if either output mentions a panic.
func hebb(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Main(args, &out, &errOut)
	for _, s := range []string{out.String(), errOut.String()} {
		if strings.Contains(s, "panic") || strings.Contains(s, "goroutine") {
			t.Fatalf("hebb %q panicked (exit %d):\nstdout:\n%s\nstderr:\n%s", args, code, out.String(), errOut.String())
		}
	}
	return code, out.String(), errOut.String()
}

// manifest holds the fields of manifest.json that the tests check, under
// the names the README documents.
type manifest struct {
	Model        string  `json:"model"`
	Seed         uint64  `json:"seed"`
	Threads      int     `json:"threads"`
	DtMs         float64 `json:"dt_ms"`
	DurationMs   float64 `json:"duration_ms"`
	ReachedMs    float64 `json:"reached_ms"`
	Complete     bool    `json:"complete"`
	Error        string  `json:"error"`
	Neurons      int     `json:"neurons"`
	SpikesSHA256 string  `json:"spikes_sha256"`
	Populations  []struct {
		Name   string  `json:"name"`
		Model  string  `json:"model"`
		Size   int     `json:"size"`
		Spikes int64   `json:"spikes"`
		RateHz float64 `json:"mean_rate_hz"`
	} `json:"populations"`
	Files []string `json:"files"`
}

func readManifest(t *testing.T, dir string) *manifest {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("manifest.json: %v\n%s", err, b)
	}
	return &m
}

// checkFolder checks that the files of dir are exactly manifest.json and
// the files the manifest lists, each listed once, and that no temporary
// (dot) file is left.
func checkFolder(t *testing.T, dir string, m *manifest) {
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
		if !e.Type().IsRegular() {
			t.Errorf("%s is not a plain file", e.Name())
		}
		if e.Name() != "manifest.json" {
			present = append(present, e.Name())
		}
	}
	listed := slices.Clone(m.Files)
	sort.Strings(listed)
	sort.Strings(present)
	if !slices.Equal(listed, present) {
		t.Errorf("manifest lists %q, folder holds %q (besides manifest.json)", listed, present)
	}
}

// spike is one line of spikes.csv.
type spike struct {
	pop string
	id  int
	t   float64
}

// readSpikes reads spikes.csv, checking its header.
func readSpikes(t *testing.T, dir string) []spike {
	t.Helper()
	rows := fixture.Records(t, filepath.Join(dir, "spikes.csv"))
	if want := []string{"population", "neuron", "time_ms"}; !slices.Equal(rows[0], want) {
		t.Fatalf("spikes.csv header %q, want %q", rows[0], want)
	}
	var out []spike
	for _, r := range rows[1:] {
		id, err1 := strconv.Atoi(r[1])
		tm, err2 := strconv.ParseFloat(r[2], 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("spikes.csv: bad row %q", r)
		}
		out = append(out, spike{r[0], id, tm})
	}
	return out
}

// readNPY parses a .npy file (format 1.0) by hand and returns its dtype
// descriptor, shape and raw little-endian data.
func readNPY(t *testing.T, path string) (descr string, shape []int, data []byte) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) < 10 || string(b[:6]) != "\x93NUMPY" || b[6] != 1 || b[7] != 0 {
		t.Fatalf("%s: not a version 1.0 .npy file", path)
	}
	hlen := int(binary.LittleEndian.Uint16(b[8:10]))
	if 10+hlen > len(b) {
		t.Fatalf("%s: header length %d beyond the end of the file", path, hlen)
	}
	if (10+hlen)%16 != 0 {
		t.Errorf("%s: data starts at byte %d, not aligned to 16", path, 10+hlen)
	}
	hdr := string(b[10 : 10+hlen])
	if !strings.HasSuffix(hdr, "\n") {
		t.Errorf("%s: header does not end with a newline: %q", path, hdr)
	}
	m := regexp.MustCompile(`^\{'descr': '([<>|][a-z][0-9]+)', 'fortran_order': False, 'shape': \(([0-9, ]*)\), \} *\n$`).FindStringSubmatch(hdr)
	if m == nil {
		t.Fatalf("%s: unexpected header %q", path, hdr)
	}
	for _, d := range strings.Split(m[2], ",") {
		if d = strings.TrimSpace(d); d != "" {
			n, err := strconv.Atoi(d)
			if err != nil {
				t.Fatalf("%s: bad shape %q", path, m[2])
			}
			shape = append(shape, n)
		}
	}
	return m[1], shape, b[10+hlen:]
}

func npyFloat64(t *testing.T, path string) ([]float64, []int) {
	t.Helper()
	descr, shape, data := readNPY(t, path)
	if descr != "<f8" {
		t.Fatalf("%s: dtype %s, want <f8", path, descr)
	}
	n := 1
	for _, s := range shape {
		n *= s
	}
	if len(data) != 8*n {
		t.Fatalf("%s: %d data bytes for shape %v", path, len(data), shape)
	}
	out := make([]float64, n)
	for i := range out {
		out[i] = math.Float64frombits(binary.LittleEndian.Uint64(data[8*i:]))
	}
	return out, shape
}

func npyInt32(t *testing.T, path string) ([]int32, []int) {
	t.Helper()
	descr, shape, data := readNPY(t, path)
	if descr != "<i4" {
		t.Fatalf("%s: dtype %s, want <i4", path, descr)
	}
	n := 1
	for _, s := range shape {
		n *= s
	}
	if len(data) != 4*n {
		t.Fatalf("%s: %d data bytes for shape %v", path, len(data), shape)
	}
	out := make([]int32, n)
	for i := range out {
		out[i] = int32(binary.LittleEndian.Uint32(data[4*i:]))
	}
	return out, shape
}

func checkPNG(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if b := img.Bounds(); b.Dx() < 100 || b.Dy() < 100 {
		t.Errorf("%s: image is only %dx%d", path, b.Dx(), b.Dy())
	}
}

// codelabEuler integrates the code lab's neuron as the lab's NumPy loop
// does, independently of hebb: V += dt/tau_m·(-(V - V_rest) + R_m·I),
// spike and reset when V >= V_th. It returns V after each step (index 0
// is the initial value) and the spike times (step·dt).
func codelabEuler(steps int) (v []float64, spikes []float64) {
	const (
		dt, tau, vRest, vTh, vReset = 0.1, 20.0, -70.0, -54.0, -80.0
		rI                          = 10e-3 * 1800 // 10 MΩ · 1.8 nA = 18 mV
	)
	x := vRest
	v = append(v, x)
	for s := 1; s <= steps; s++ {
		x += dt / tau * (-(x - vRest) + rI)
		if x >= vTh {
			x = vReset
			spikes = append(spikes, float64(s)/10)
		}
		v = append(v, x)
	}
	return v, spikes
}

func TestRunCodelab(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	code, stdout, stderr := hebb(t, "run", lifYAML, "--out", dir)
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, dir) {
		t.Errorf("stdout does not name the results folder %s:\n%s", dir, stdout)
	}

	m := readManifest(t, dir)
	if !m.Complete || m.Error != "" {
		t.Errorf("complete = %v, error = %q; want a complete run", m.Complete, m.Error)
	}
	if m.Model != "codelab-lif" || m.Seed != 1 || m.DtMs != 0.1 || m.DurationMs != 300 || m.ReachedMs != 300 || m.Neurons != 1 {
		t.Errorf("manifest: model %q seed %d dt %g duration %g reached %g neurons %d; want codelab-lif, 1, 0.1, 300, 300, 1",
			m.Model, m.Seed, m.DtMs, m.DurationMs, m.ReachedMs, m.Neurons)
	}
	if len(m.Populations) != 1 || m.Populations[0].Name != "neuron" || m.Populations[0].Spikes != 5 {
		t.Errorf("populations %+v, want one population 'neuron' with 5 spikes", m.Populations)
	} else if r := m.Populations[0].RateHz; math.Abs(r-5/0.3) > 1e-9 {
		t.Errorf("mean rate %g Hz, want 5 spikes / 0.3 s = %g Hz", r, 5/0.3)
	}
	if !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(m.SpikesSHA256) {
		t.Errorf("spikes_sha256 %q is not a hex SHA-256", m.SpikesSHA256)
	}
	checkFolder(t, dir, m)
	for _, f := range []string{"spikes.csv", "spikes_neuron_times.npy", "spikes_neuron_ids.npy", "state_neuron_V.csv",
		"state_neuron_V.npy", "state_neuron_V_times.npy", "raster.png", "trace_neuron_V.png"} {
		if !slices.Contains(m.Files, f) {
			t.Errorf("manifest does not list %s", f)
		}
	}

	// The spikes, exactly as written.
	b, err := os.ReadFile(filepath.Join(dir, "spikes.csv"))
	if err != nil {
		t.Fatal(err)
	}
	want := "population,neuron,time_ms\nneuron,0,43.9\nneuron,0,96.6\nneuron,0,149.3\nneuron,0,202\nneuron,0,254.7\n"
	if got := strings.ReplaceAll(string(b), "\r\n", "\n"); got != want {
		t.Errorf("spikes.csv:\n%s\nwant:\n%s", got, want)
	}
	wantTimes := []float64{43.9, 96.6, 149.3, 202, 254.7}
	_, euler := codelabEuler(3000)
	if !slices.Equal(euler, wantTimes) {
		t.Fatalf("test's own Euler loop spikes at %v, want %v", euler, wantTimes)
	}

	times, shape := npyFloat64(t, filepath.Join(dir, "spikes_neuron_times.npy"))
	if !slices.Equal(shape, []int{5}) || !slices.Equal(times, wantTimes) {
		t.Errorf("spikes_neuron_times.npy: shape %v values %v, want (5,) %v", shape, times, wantTimes)
	}
	ids, shape := npyInt32(t, filepath.Join(dir, "spikes_neuron_ids.npy"))
	if !slices.Equal(shape, []int{5}) || !slices.Equal(ids, []int32{0, 0, 0, 0, 0}) {
		t.Errorf("spikes_neuron_ids.npy: shape %v values %v, want five zeros", shape, ids)
	}

	// The membrane potential: one row per 0.1 ms from 0 to 300 ms,
	// following the forward Euler recurrence of the code lab.
	rows := fixture.Records(t, filepath.Join(dir, "state_neuron_V.csv"))
	if !slices.Equal(rows[0], []string{"time_ms", "V_0_mV"}) {
		t.Errorf("state_neuron_V.csv header %q", rows[0])
	}
	if len(rows)-1 != 3001 {
		t.Fatalf("state_neuron_V.csv has %d data rows, want 3001", len(rows)-1)
	}
	vEuler, _ := codelabEuler(3000)
	vNPY, shape := npyFloat64(t, filepath.Join(dir, "state_neuron_V.npy"))
	tNPY, tshape := npyFloat64(t, filepath.Join(dir, "state_neuron_V_times.npy"))
	if !slices.Equal(shape, []int{3001, 1}) || !slices.Equal(tshape, []int{3001}) {
		t.Fatalf("state .npy shapes %v and %v, want (3001, 1) and (3001,)", shape, tshape)
	}
	for k, r := range rows[1:] {
		tm, err1 := strconv.ParseFloat(r[0], 64)
		v, err2 := strconv.ParseFloat(r[1], 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("state row %d: %q", k, r)
		}
		if math.Abs(tm-float64(k)/10) > 1e-9 || tNPY[k] != tm {
			t.Fatalf("state row %d: time %g (npy %g), want %g", k, tm, tNPY[k], float64(k)/10)
		}
		if math.Abs(v-vEuler[k]) > 1e-9 || vNPY[k] != v {
			t.Fatalf("V at %g ms = %g (npy %g), the Euler recurrence gives %g", tm, v, vNPY[k], vEuler[k])
		}
		if v >= -54 {
			t.Fatalf("V at %g ms = %g mV is at or above threshold after the step", tm, v)
		}
	}

	checkPNG(t, filepath.Join(dir, "raster.png"))
	checkPNG(t, filepath.Join(dir, "trace_neuron_V.png"))
}

func TestRunNoFigures(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	if code, _, stderr := hebb(t, "run", lifYAML, "--out", dir, "--no-figures"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	m := readManifest(t, dir)
	checkFolder(t, dir, m)
	for _, f := range m.Files {
		if strings.HasSuffix(f, ".png") {
			t.Errorf("--no-figures wrote %s", f)
		}
	}
}

// runRandom runs testdata/random.yaml with extra flags and returns the
// results folder and its manifest.
func runRandom(t *testing.T, flags ...string) (string, *manifest) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "out")
	args := append([]string{"run", "testdata/random.yaml", "--out", dir, "--no-figures"}, flags...)
	code, stdout, stderr := hebb(t, args...)
	if code != 0 {
		t.Fatalf("hebb %q: exit %d\nstdout:\n%s\nstderr:\n%s", args, code, stdout, stderr)
	}
	m := readManifest(t, dir)
	checkFolder(t, dir, m)
	if !m.Complete {
		t.Fatalf("hebb %q: incomplete run: %s", args, m.Error)
	}
	return dir, m
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestRunThreadsSeedDuration(t *testing.T) {
	dir1, m1 := runRandom(t, "--threads", "1")
	dir3, m3 := runRandom(t, "--threads", "3")
	if m1.Threads != 1 || m3.Threads != 3 {
		t.Errorf("manifests say %d and %d threads, want 1 and 3", m1.Threads, m3.Threads)
	}

	// The run must be a real test of determinism: both populations fire,
	// so random sources, random connectivity and recurrent inhibition all
	// shape the spikes.
	spikes := readSpikes(t, dir1)
	count := map[string]int{}
	for i, s := range spikes {
		count[s.pop]++
		if i > 0 && s.t < spikes[i-1].t {
			t.Fatalf("spikes.csv is not in time order at row %d", i+1)
		}
		if s.t <= 0 || s.t > 200 {
			t.Errorf("spike at %g ms, outside (0, 200]", s.t)
		}
	}
	if count["ext"] == 0 || count["exc"] == 0 {
		t.Fatalf("spike counts %v: both populations should fire", count)
	}
	// 50 Poisson sources at 30 Hz for 0.2 s: 300 spikes expected, with a
	// standard deviation of about 17.
	if n := count["ext"]; n < 230 || n > 370 {
		t.Errorf("%d source spikes, expected about 300 (50 × 30 Hz × 0.2 s)", n)
	}
	for _, p := range m1.Populations {
		if int(p.Spikes) != count[p.Name] {
			t.Errorf("manifest: %s has %d spikes, spikes.csv has %d", p.Name, p.Spikes, count[p.Name])
		}
	}

	if a, b := readFile(t, filepath.Join(dir1, "spikes.csv")), readFile(t, filepath.Join(dir3, "spikes.csv")); a != b {
		t.Error("spikes.csv differs between --threads 1 and --threads 3")
	}
	for _, f := range []string{"state_exc_V.csv", "state_exc_I_in.csv"} {
		if a, b := readFile(t, filepath.Join(dir1, f)), readFile(t, filepath.Join(dir3, f)); a != b {
			t.Errorf("%s differs between --threads 1 and --threads 3", f)
		}
	}
	if m1.SpikesSHA256 != m3.SpikesSHA256 {
		t.Errorf("spikes_sha256 %s (1 thread) != %s (3 threads)", m1.SpikesSHA256, m3.SpikesSHA256)
	}

	_, m2 := runRandom(t, "--seed", "2", "--threads", "2")
	if m2.Seed != 2 || m1.Seed != 7 {
		t.Errorf("seeds in the manifests: %d and %d, want 7 (the file's) and 2 (--seed)", m1.Seed, m2.Seed)
	}
	if m2.SpikesSHA256 == m1.SpikesSHA256 {
		t.Error("--seed 2 gives the same spikes_sha256 as seed 7")
	}

	// --duration overrides the file's 200 ms. The first 100 ms of a run
	// cannot depend on what comes after, so they are the same spikes.
	dirShort, ms := runRandom(t, "--duration", "100 ms", "--threads", "2")
	if ms.DurationMs != 100 || ms.ReachedMs != 100 {
		t.Errorf("--duration \"100 ms\": duration_ms %g reached_ms %g, want 100", ms.DurationMs, ms.ReachedMs)
	}
	var head []spike
	for _, s := range spikes {
		if s.t <= 100 {
			head = append(head, s)
		}
	}
	if short := readSpikes(t, dirShort); !slices.Equal(short, head) {
		t.Errorf("the 100 ms run has %d spikes; the first 100 ms of the 200 ms run have %d, and they differ", len(short), len(head))
	}
}

// badCase is a model file with one mistake and where it must be reported.
type badCase struct {
	file      string
	line, col int // col 0: only the line is known
	words     []string
	lastLine  int // if set, a report at any line from line to lastLine will do
}

var badCases = []badCase{
	{file: "unknown_field.yaml", line: 9, col: 7, words: []string{"tau_mm", "unknown parameter", "did you mean tau_m"}},
	{file: "wrong_dimension.yaml", line: 9, col: 14, words: []string{"populations.exc.params.tau_m", "expected a time", "voltage"}},
	{file: "missing_unit.yaml", line: 9, col: 14, words: []string{"populations.exc.params.tau_m", "no unit"}},
	{file: "unknown_unit.yaml", line: 9, col: 14, words: []string{"populations.exc.params.tau_m", "unknown unit", "fortnights"}},
	{file: "unknown_model.yaml", line: 6, col: 12, words: []string{"populations.exc.model", "lif_nosuch", "lif_delta"}},
	{file: "unknown_population.yaml", line: 10, col: 9, words: []string{"projections[0].to", `"inh"`, "exc"}},
	{file: "probability.yaml", line: 11, col: 43, words: []string{"projections[0].connect.p", "probability", "1.5"}},
	{file: "short_delay.yaml", line: 12, col: 56, words: []string{"projections[0].synapse.delay", "0.05 ms", "shorter than dt"}},
	{file: "negative_size.yaml", line: 7, col: 11, words: []string{"populations.exc.size", "-5"}},
	{file: "negative_tau.yaml", line: 9, col: 14, words: []string{"populations.exc.params.tau_m", "positive", "-20 ms"}},
	// YAML syntax errors come with a line but no column.
	{file: "syntax.yaml", line: 9, col: 0, words: []string{"YAML syntax error"}},
	// The list opened on line 8 is never closed: the error belongs to
	// line 8 (where the list starts) or later, up to the end of the file
	// (line 9), but not to the correct line before it.
	{file: "syntax_bracket.yaml", line: 8, col: 0, words: []string{"YAML syntax error"}, lastLine: 9},
}

// where returns the place of c's error in the file at path, as it starts
// the error's message: "path:line:col:", or "path:line:" when only the
// line is known.
func (c badCase) where(path string) string {
	if c.col == 0 {
		return fmt.Sprintf("%s:%d:", path, c.line)
	}
	return fmt.Sprintf("%s:%d:%d:", path, c.line, c.col)
}

// checkReported checks that stderr reports c at its place.
func checkReported(t *testing.T, stderr, path string, c badCase) {
	t.Helper()
	var line string
	for _, l := range strings.Split(stderr, "\n") {
		for k := c.line; k <= max(c.line, c.lastLine) && line == ""; k++ {
			alt := c
			alt.line = k
			// "path:8:" must not match "path:8:3:", nor "path:1:" "path:12:".
			i := strings.Index(l, alt.where(path))
			if i >= 0 && (c.col != 0 || !regexp.MustCompile(`^[0-9]+:`).MatchString(l[i+len(alt.where(path)):])) {
				line = l
			}
		}
		if line != "" {
			break
		}
	}
	if line == "" {
		also := ""
		if c.lastLine > c.line {
			also = fmt.Sprintf(" (or at a line up to %d)", c.lastLine)
		}
		t.Errorf("stderr does not report an error at %s%s:\n%s", c.where(path), also, stderr)
		return
	}
	for _, w := range c.words {
		if !strings.Contains(line, w) {
			t.Errorf("error %q does not mention %q", line, w)
		}
	}
}

func TestBadModelFiles(t *testing.T) {
	for _, c := range badCases {
		path := filepath.Join("testdata", "bad", c.file)
		t.Run(c.file, func(t *testing.T) {
			code, stdout, stderr := hebb(t, "validate", path)
			if code != 1 {
				t.Errorf("validate: exit %d, want 1", code)
			}
			if strings.Contains(stdout, ": ok") {
				t.Errorf("validate says ok: %s", stdout)
			}
			checkReported(t, stderr, path, c)

			out := filepath.Join(t.TempDir(), "out")
			code, _, stderr = hebb(t, "run", path, "--out", out)
			if code != 1 {
				t.Errorf("run: exit %d, want 1", code)
			}
			checkReported(t, stderr, path, c)
			if _, err := os.Stat(out); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("run of a bad model file made the results folder %s (stat: %v)", out, err)
			}
		})
	}
}

func TestMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "no-such-model.yaml")
	for _, cmd := range []string{"validate", "run"} {
		args := []string{cmd, path}
		out := filepath.Join(t.TempDir(), "out")
		if cmd == "run" {
			args = append(args, "--out", out)
		}
		code, _, stderr := hebb(t, args...)
		if code != 1 {
			t.Errorf("%s of a missing file: exit %d, want 1", cmd, code)
		}
		if !strings.Contains(stderr, path) {
			t.Errorf("%s: message does not name %s:\n%s", cmd, path, stderr)
		}
		if _, err := os.Stat(out); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s of a missing file made %s", cmd, out)
		}
	}
}

func TestValidateGoodAndBad(t *testing.T) {
	bad := filepath.Join("testdata", "bad", "wrong_dimension.yaml")
	code, stdout, stderr := hebb(t, "validate", lifYAML, bad)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	if !strings.Contains(stdout, lifYAML+": ok") || !strings.Contains(stdout, "1 neurons") || !strings.Contains(stdout, "3000 steps") {
		t.Errorf("stdout does not report %s as ok with 1 neuron and 3000 steps:\n%s", lifYAML, stdout)
	}
	if strings.Contains(stdout, bad+": ok") {
		t.Errorf("stdout reports %s as ok", bad)
	}
	checkReported(t, stderr, bad, badCases[1])
	if !strings.Contains(stderr, "1 of 2") {
		t.Errorf("stderr does not say that 1 of 2 files has errors:\n%s", stderr)
	}

	code, stdout, stderr = hebb(t, "validate", lifYAML, "testdata/random.yaml")
	if code != 0 || stderr != "" {
		t.Errorf("validate of two good files: exit %d, stderr %q", code, stderr)
	}
	if !strings.Contains(stdout, "testdata/random.yaml: ok: random, 2 populations, 150 neurons, 2 projections, 2000 steps") {
		t.Errorf("validate of random.yaml says:\n%s", stdout)
	}
}

func TestSeveralMistakes(t *testing.T) {
	path := filepath.Join("testdata", "bad", "several.yaml")
	want := []badCase{
		{line: 9, col: 14, words: []string{"tau_m", "expected a time"}},
		{line: 10, col: 7, words: []string{"tau_mm", "unknown parameter"}},
		{line: 11, col: 13, words: []string{"V_th", "no unit"}},
		{line: 14, col: 9, words: []string{"projections[0].to", `"inh"`}},
		{line: 15, col: 43, words: []string{"projections[0].connect.p", "1.5"}},
	}
	for _, cmd := range []string{"validate", "run"} {
		out := filepath.Join(t.TempDir(), "out")
		args := []string{cmd, path}
		if cmd == "run" {
			args = append(args, "--out", out)
		}
		code, _, stderr := hebb(t, args...)
		if code != 1 {
			t.Errorf("%s: exit %d, want 1", cmd, code)
		}
		for _, c := range want {
			checkReported(t, stderr, path, c)
		}
		// Errors come in the order of the file.
		last := -1
		for _, c := range want {
			i := strings.Index(stderr, c.where(path))
			if i < last {
				t.Errorf("%s: errors not in file order:\n%s", cmd, stderr)
				break
			}
			last = i
		}
		if _, err := os.Stat(out); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s made %s", cmd, out)
		}
	}
}

func TestBadFlags(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	for _, c := range []struct {
		args  []string
		code  int
		words []string
	}{
		{[]string{"run", "--threads", "-1", "x.yaml"}, 2, []string{"--threads", "-1"}},
		{[]string{"run", lifYAML, "--seed", "abc", "--out", out}, 2, []string{"--seed", "abc"}},
		{[]string{"run", lifYAML, "--seed", "-3", "--out", out}, 2, []string{"--seed"}},
		{[]string{"run", lifYAML, "--duration", "20 mV", "--out", out}, 1, []string{"--duration", "expected a time", "20 mV"}},
		{[]string{"run", lifYAML, "--duration", "0.01 ms", "--out", out}, 1, []string{"--duration", "dt"}},
	} {
		code, _, stderr := hebb(t, c.args...)
		if code != c.code {
			t.Errorf("hebb %q: exit %d, want %d; stderr: %s", c.args, code, c.code, stderr)
		}
		for _, w := range c.words {
			if !strings.Contains(stderr, w) {
				t.Errorf("hebb %q: stderr does not mention %q: %s", c.args, w, stderr)
			}
		}
		if _, err := os.Stat(out); !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("hebb %q made the results folder", c.args)
		}
	}

	for _, args := range [][]string{{"frobnicate"}, {"run"}, {"run", lifYAML, "--no-such-flag"}, {"run", lifYAML, "--threads", "many"}, {"version", "extra"}} {
		code, stdout, stderr := hebb(t, args...)
		if code == 0 {
			t.Errorf("hebb %q: exit 0, stdout %q", args, stdout)
		}
		if stderr == "" {
			t.Errorf("hebb %q: no message", args)
		}
	}
	if _, stderr := hebbStderr(t, "frobnicate"); !strings.Contains(stderr, "frobnicate") {
		t.Errorf("unknown subcommand: message does not name it: %s", stderr)
	}
}

func hebbStderr(t *testing.T, args ...string) (int, string) {
	t.Helper()
	code, _, stderr := hebb(t, args...)
	return code, stderr
}

func TestModels(t *testing.T) {
	code, stdout, _ := hebb(t, "models")
	if code != 0 {
		t.Fatalf("models: exit %d", code)
	}
	lines := strings.Split(stdout, "\n")
	for _, name := range []string{"lif_delta", "lif_exp", "rate", "poisson_source", "all_to_all", "fixed_indegree",
		"hebbian", "dc", "poisson", "spike_times", "spikes"} {
		if !slices.Contains(lines, name) {
			t.Errorf("models does not list %s on a line of its own", name)
		}
	}

	code, stdout, _ = hebb(t, "models", "lif_delta")
	if code != 0 {
		t.Fatalf("models lif_delta: exit %d", code)
	}
	found := false
	for _, l := range strings.Split(stdout, "\n") {
		f := strings.Fields(l)
		if len(f) >= 4 && f[0] == "tau_m" {
			found = true
			if f[1] != "ms" || f[2] != "10" || f[3] != "ms" {
				t.Errorf("lif_delta tau_m line %q: want unit ms and default 10 ms", l)
			}
		}
	}
	if !found {
		t.Errorf("models lif_delta has no tau_m line:\n%s", stdout)
	}

	code, stdout, _ = hebb(t, "models", "lif_exp")
	if code != 0 || !strings.Contains(stdout, "tau_syn_ex") {
		t.Errorf("models lif_exp: exit %d, output lacks tau_syn_ex:\n%s", code, stdout)
	}
	if slices.Contains(strings.Split(stdout, "\n"), "lif_delta") {
		t.Error("models lif_exp also lists lif_delta")
	}

	code, stdout, stderr := hebb(t, "models", "nosuch")
	if code != 1 || !strings.Contains(stderr, "nosuch") {
		t.Errorf("models nosuch: exit %d, stderr %q; want 1 and a message naming it", code, stderr)
	}
	if stdout != "" {
		t.Errorf("models nosuch printed %q", stdout)
	}
}

func TestVersion(t *testing.T) {
	code, stdout, _ := hebb(t, "version")
	if code != 0 || !strings.HasPrefix(stdout, "hebb "+run.Version) {
		t.Errorf("version: exit %d, output %q; want it to start with %q", code, stdout, "hebb "+run.Version)
	}
}

// TestInterrupt sends SIGINT to the test process during a long run: hebb
// stops, writes what it has, marks the manifest incomplete and exits with
// status 130.
func TestInterrupt(t *testing.T) {
	// While this channel is registered, SIGINT never kills the test
	// process, whenever it arrives.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt)
	defer signal.Stop(sig)

	dir := filepath.Join(t.TempDir(), "out")
	type result struct {
		code           int
		stdout, stderr string
	}
	done := make(chan result, 1)
	go func() {
		var out, errOut bytes.Buffer
		code := Main([]string{"run", lifYAML, "--out", dir, "--duration", "1000 s", "--no-figures"}, &out, &errOut)
		done <- result{code, out.String(), errOut.String()}
	}()
	// hebb makes the results folder after it starts listening for signals.
	deadline := time.Now().Add(30 * time.Second)
	for {
		if _, err := os.Stat(dir); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the results folder did not appear")
		}
		time.Sleep(time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond)
	if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	var r result
	select {
	case r = <-done:
	case <-time.After(60 * time.Second):
		t.Fatal("hebb did not stop after SIGINT")
	}
	if r.code != 130 {
		t.Errorf("exit %d, want 130\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	m := readManifest(t, dir)
	if m.Complete || m.Error == "" || m.ReachedMs <= 0 || m.ReachedMs >= 1e6 || m.DurationMs != 1e6 {
		t.Errorf("manifest: complete %v, error %q, reached %g of %g ms; want an incomplete run with an error", m.Complete, m.Error, m.ReachedMs, m.DurationMs)
	}
	if !strings.Contains(r.stdout, "stopped at") {
		t.Errorf("stdout does not say where the run stopped:\n%s", r.stdout)
	}
	checkFolder(t, dir, m)
	for _, s := range readSpikes(t, dir) {
		if s.t > m.ReachedMs {
			t.Errorf("spike at %g ms, after the time reached, %g ms", s.t, m.ReachedMs)
		}
	}
}
