package figure

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"image/png"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// outDir is where the test figures go: $FIGURE_OUT if set (to look at
// them), else a temporary folder.
func outDir(t *testing.T) string {
	t.Helper()
	if d := os.Getenv("FIGURE_OUT"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

// checkPNG checks that path is a non-empty PNG of the expected size.
func checkPNG(t *testing.T, path string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if b := img.Bounds(); b.Dx() != 8*pngDPI || b.Dy() != 5*pngDPI {
		t.Errorf("%s is %d × %d pixels, want %d × %d", path, b.Dx(), b.Dy(), 8*pngDPI, 5*pngDPI)
	}
}

// checkSVG checks that path is well-formed XML with an <svg> root.
func checkSVG(t *testing.T, path string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dec := xml.NewDecoder(bytes.NewReader(data))
	root := ""
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if se, ok := tok.(xml.StartElement); ok && root == "" {
			root = se.Name.Local
		}
	}
	if root != "svg" {
		t.Errorf("%s: root element %q, want svg", path, root)
	}
}

// both draws a figure as PNG and SVG under dir/name and checks both files.
func both(t *testing.T, dir, name string, draw func(path string) error) {
	t.Helper()
	for _, ext := range []string{".png", ".svg"} {
		path := filepath.Join(dir, name+ext)
		if err := draw(path); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if ext == ".png" {
			checkPNG(t, path)
		} else {
			checkSVG(t, path)
		}
	}
}

// poissonGroup returns a group of n neurons firing at rate Hz until tEnd ms.
func poissonGroup(rng *rand.Rand, name string, n int, rate, tEnd float64) RasterGroup {
	g := RasterGroup{Name: name, Size: n}
	for id := range n {
		for t := rng.ExpFloat64() / rate * 1000; t < tEnd; t += rng.ExpFloat64() / rate * 1000 {
			g.Times = append(g.Times, t)
			g.IDs = append(g.IDs, int32(id))
		}
	}
	return g
}

func TestRaster(t *testing.T) {
	dir := outDir(t)
	rng := rand.New(rand.NewPCG(1, 2))
	cases := map[string][]RasterGroup{
		"raster": {
			poissonGroup(rng, "exc", 80, 8, 1000),
			poissonGroup(rng, "inh", 20, 20, 1000),
		},
		"raster-one-neuron": {poissonGroup(rng, "solo", 1, 20, 1000)},
		"raster-10000":      {poissonGroup(rng, "exc", 8000, 2, 1000), poissonGroup(rng, "inh", 2000, 5, 1000)},
		"raster-no-spikes":  {{Name: "silent", Size: 50}, {Name: "empty", Size: 0}},
	}
	for name, groups := range cases {
		both(t, dir, name, func(path string) error {
			return Raster(path, "Spike raster: "+name, groups, 1000)
		})
	}
	// tEnd taken from the spikes.
	both(t, dir, "raster-auto-end", func(path string) error {
		return Raster(path, "", cases["raster"], 0)
	})
}

func TestRasterBadInput(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "r.png")
	bad := map[string][]RasterGroup{
		"no groups":        nil,
		"length mismatch":  {{Name: "a", Size: 3, Times: []float64{1, 2}, IDs: []int32{0}}},
		"id too large":     {{Name: "a", Size: 3, Times: []float64{1}, IDs: []int32{3}}},
		"negative id":      {{Name: "a", Size: 3, Times: []float64{1}, IDs: []int32{-1}}},
		"negative size":    {{Name: "a", Size: -1}},
		"unknown format":   nil, // checked below
		"mismatch, second": {{Name: "a", Size: 1}, {Name: "b", Size: 1, Times: []float64{1}}},
	}
	for name, groups := range bad {
		if name == "unknown format" {
			continue
		}
		if err := Raster(path, name, groups, 100); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if err := Raster(filepath.Join(dir, "r.jpg"), "", []RasterGroup{{Name: "a", Size: 1}}, 100); err == nil {
		t.Error("unknown format: no error")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("bad input left files: %v", entries)
	}
}

// lif simulates a leaky integrate-and-fire neuron driven by noisy current
// and returns its membrane potential trace (mV) and spike times (ms).
func lif(rng *rand.Rand, drive float64) Trace {
	const (
		dt, tau, vRest, vReset, vTh = 0.1, 20.0, -70.0, -65.0, -50.0
	)
	tr := Trace{Threshold: vTh, HasThreshold: true}
	v := vRest
	for step := range 3000 {
		t := float64(step) * dt
		v += dt/tau*(vRest-v+drive) + 0.6*math.Sqrt(dt)*rng.NormFloat64()
		if v >= vTh {
			tr.Spikes = append(tr.Spikes, t)
			v = vReset
		}
		tr.Times = append(tr.Times, t)
		tr.Values = append(tr.Values, v)
	}
	return tr
}

func TestTraces(t *testing.T) {
	dir := outDir(t)
	rng := rand.New(rand.NewPCG(3, 4))
	a, b := lif(rng, 24), lif(rng, 21)
	a.Label, b.Label = "neuron 0", "neuron 1"
	both(t, dir, "traces", func(path string) error {
		return Traces(path, "Membrane potential", "V (mV)", []Trace{a, b})
	})
	plain := Trace{Times: []float64{0, 1, 2, 3}, Values: []float64{0, 1, 0.5, 0.7}}
	both(t, dir, "traces-plain", func(path string) error {
		return Traces(path, "One plain trace", "I (nA)", []Trace{plain})
	})
	both(t, dir, "traces-empty", func(path string) error {
		return Traces(path, "An empty trace", "V (mV)", []Trace{{Label: "nothing"}})
	})
}

func TestTracesBadInput(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "t.png")
	if err := Traces(path, "", "V", nil); err == nil {
		t.Error("no traces: no error")
	}
	if err := Traces(path, "", "V", []Trace{{Times: []float64{0, 1}, Values: []float64{0}}}); err == nil {
		t.Error("length mismatch: no error")
	}
	if err := Traces(path, "", "V", []Trace{{Times: []float64{1, 0}, Values: []float64{0, 1}, Spikes: []float64{0.5}}}); err == nil {
		t.Error("decreasing times: no error")
	}
	if err := Traces(path, "", "V", []Trace{{Times: []float64{0, 1}, Values: []float64{0, math.NaN()}}}); err == nil {
		t.Error("NaN value: no error")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("bad input left files: %v", entries)
	}
}

// stdpHistory returns a random-walk weight history for n synapses.
func stdpHistory(rng *rand.Rand, n, samples int, signed bool) WeightHistory {
	h := WeightHistory{}
	w := make([]float64, n)
	for k := range n {
		h.Labels = append(h.Labels, fmt.Sprintf("%d→%d", k%7, k/7+7))
		w[k] = 0.5
		if signed && k%3 == 0 {
			w[k] = -0.5
		}
	}
	for s := range samples {
		h.Times = append(h.Times, float64(s)*10)
		row := make([]float64, n)
		for k := range n {
			w[k] += 0.03 * rng.NormFloat64()
			row[k] = w[k]
		}
		h.W = append(h.W, row)
	}
	return h
}

func TestWeightHeatmap(t *testing.T) {
	dir := outDir(t)
	rng := rand.New(rand.NewPCG(5, 6))
	both(t, dir, "weights", func(path string) error {
		return WeightHeatmap(path, "STDP weights", stdpHistory(rng, 12, 100, false))
	})
	both(t, dir, "weights-signed", func(path string) error {
		return WeightHeatmap(path, "Weights of both signs", stdpHistory(rng, 40, 100, true))
	})
	both(t, dir, "weights-many", func(path string) error {
		return WeightHeatmap(path, "Many synapses", stdpHistory(rng, 300, 1000, false))
	})
	both(t, dir, "weights-constant", func(path string) error {
		return WeightHeatmap(path, "One constant sample", WeightHistory{Times: []float64{5}, Labels: []string{"a"}, W: [][]float64{{2}}})
	})
}

func TestWeightHeatmapBadInput(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "w.png")
	bad := map[string]WeightHistory{
		"empty":            {},
		"rows vs times":    {Times: []float64{0, 1}, Labels: []string{"a"}, W: [][]float64{{1}}},
		"row length":       {Times: []float64{0, 1}, Labels: []string{"a", "b"}, W: [][]float64{{1, 2}, {1}}},
		"times decreasing": {Times: []float64{1, 0}, Labels: []string{"a"}, W: [][]float64{{1}, {2}}},
	}
	for name, h := range bad {
		if err := WeightHeatmap(path, name, h); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("bad input left files: %v", entries)
	}
}

func TestMatrix(t *testing.T) {
	dir := outDir(t)
	rng := rand.New(rand.NewPCG(7, 8))
	random := func(rows, cols int, signed bool) []float64 {
		w := make([]float64, rows*cols)
		for i := range w {
			w[i] = rng.Float64()
			if signed && i%cols >= cols*4/5 { // last fifth: inhibitory
				w[i] = -4 * w[i]
			}
		}
		return w
	}
	both(t, dir, "matrix", func(path string) error {
		return Matrix(path, "Weights exc→exc", 20, 30, random(20, 30, false), "postsynaptic neuron", "presynaptic neuron")
	})
	both(t, dir, "matrix-signed", func(path string) error {
		return Matrix(path, "Weights with inhibition", 50, 50, random(50, 50, true), "post", "pre")
	})
	both(t, dir, "matrix-large", func(path string) error {
		return Matrix(path, "Large matrix", 600, 800, random(600, 800, true), "post", "pre")
	})
	w := random(3, 4, false)
	w[5] = math.NaN()
	both(t, dir, "matrix-small-nan", func(path string) error {
		return Matrix(path, "3 × 4 with a missing value", 3, 4, w, "post", "pre")
	})
}

func TestMatrixBadInput(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "m.svg")
	if err := Matrix(path, "", 2, 3, make([]float64, 5), "", ""); err == nil {
		t.Error("length mismatch: no error")
	}
	if err := Matrix(path, "", 0, 3, nil, "", ""); err == nil {
		t.Error("zero rows: no error")
	}
	if err := Matrix(path, "", -1, -3, make([]float64, 3), "", ""); err == nil {
		t.Error("negative size: no error")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("bad input left files: %v", entries)
	}
}

func TestSaveLeavesNoTempFiles(t *testing.T) {
	dir := t.TempDir()
	if err := Matrix(filepath.Join(dir, "m.png"), "", 2, 2, []float64{1, 2, 3, 4}, "", ""); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != "m.png" {
		t.Errorf("folder holds %v", entries)
	}
	if info, _ := entries[0].Info(); info.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", info.Mode().Perm())
	}
	// A folder that does not exist is an error, not a panic.
	if err := Matrix(filepath.Join(dir, "missing", "m.png"), "", 1, 1, []float64{1}, "", ""); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("missing folder: err = %v", err)
	}
}

func TestNiceTicks(t *testing.T) {
	for _, c := range []struct {
		lo, hi float64
		want   string // labelled ticks
	}{
		{0, 1000, "0 200 400 600 800 1000"},
		{0, 299.9, "0 50 100 150 200 250"},
		{-69.9, -48.5, "-65 -60 -55 -50"},
		{-1.1, 1.1, "-1.0 -0.5 0.0 0.5 1.0"},
		{0, 0.003, "0.0000 0.0005 0.0010 0.0015 0.0020 0.0025 0.0030"},
	} {
		var labels []string
		for _, tk := range niceTicks(c.lo, c.hi) {
			if tk.Label != "" {
				labels = append(labels, tk.Label)
			}
		}
		if got := strings.Join(labels, " "); got != c.want {
			t.Errorf("niceTicks(%g, %g) = %q, want %q", c.lo, c.hi, got, c.want)
		}
	}
	var labels []string
	for _, tk := range integerTicks(-0.5, 0.5) {
		labels = append(labels, tk.Label)
	}
	if got := strings.Join(labels, " "); got != "0" {
		t.Errorf("integerTicks(-0.5, 0.5) = %q, want \"0\"", got)
	}
}

// TestRasterDotsVisible checks that spikes of a 10000-neuron raster and of
// a single neuron show up as coloured pixels in the PNG.
func TestRasterDotsVisible(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []int{1, 10000} {
		path := filepath.Join(dir, fmt.Sprint(n)+".png")
		g := RasterGroup{Name: "g", Size: n}
		for k := range 50 {
			g.Times = append(g.Times, float64(20*k+10))
			g.IDs = append(g.IDs, int32(k*n/50))
		}
		if err := Raster(path, "", []RasterGroup{g}, 1000); err != nil {
			t.Fatal(err)
		}
		f, _ := os.Open(path)
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		// Count bluish pixels (the first group's colour, anti-aliased).
		blue := 0
		b := img.Bounds()
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				r, _, bl, _ := img.At(x, y).RGBA()
				if bl > r+0x3000 {
					blue++
				}
			}
		}
		// 50 dots, each at least a few pixels wide.
		if blue < 50*4 {
			t.Errorf("%d neurons: only %d blue pixels for 50 spikes", n, blue)
		}
	}
}

// TestSVGImagesArePNG checks that embedded images are labelled as the PNG
// data they are (vgsvg labels them "image/jpg").
func TestSVGImagesArePNG(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.svg")
	if err := Matrix(path, "", 300, 300, make([]float64, 300*300), "", ""); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	if !bytes.Contains(data, []byte("data:image/png;base64,")) || bytes.Contains(data, []byte("image/jpg")) {
		t.Error("SVG does not embed its image as image/png")
	}
}

func TestCurvesAndGallery(t *testing.T) {
	dir := t.TempDir()
	c := []Curve{{Label: "a", X: []float64{0, 1, 2}, Y: []float64{0, 1, 4}}, {Label: "b", X: []float64{0, 1}, Y: []float64{1, math.NaN()}}}
	if err := Curves(filepath.Join(dir, "c.png"), "curves", "x", "y", c); err != nil {
		t.Fatal(err)
	}
	if err := Curves(filepath.Join(dir, "bad.png"), "curves", "x", "y", []Curve{{X: []float64{1}}}); err == nil {
		t.Error("mismatched lengths accepted")
	}
	var panels []Panel
	for i := 0; i < 5; i++ {
		panels = append(panels, Panel{Title: fmt.Sprint("panel ", i), YLabel: "V (mV)", Traces: []Trace{{Times: []float64{0, 1, 2}, Values: []float64{-70, -60 + float64(i), -70}}}})
	}
	if err := Gallery(filepath.Join(dir, "g.png"), "gallery", 2, panels); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"c.png", "g.png"} {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil || img.Bounds().Dx() < 100 {
			t.Fatalf("%s: not a PNG image: %v", name, err)
		}
	}
}
