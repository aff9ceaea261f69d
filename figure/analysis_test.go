package figure

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"image"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// bothSized is both (PNG and SVG written and well formed) plus a check
// that the SVG declares the figure size, 8 × 5 inches = 576 × 360 pt.
func bothSized(t *testing.T, dir, name string, draw func(path string) error) {
	t.Helper()
	both(t, dir, name, draw)
	data, err := os.ReadFile(filepath.Join(dir, name+".svg"))
	if err != nil {
		t.Fatal(err)
	}
	dec := xml.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := dec.Token()
		if err != nil {
			t.Fatalf("%s.svg: no <svg> element: %v", name, err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			var w, h string
			for _, a := range se.Attr {
				switch a.Name.Local {
				case "width":
					w = a.Value
				case "height":
					h = a.Value
				}
			}
			if w != "576pt" || h != "360pt" {
				t.Errorf("%s.svg is %s × %s, want 576pt × 360pt", name, w, h)
			}
			return
		}
	}
}

// render draws a PNG figure into a temporary folder and decodes it.
func render(t *testing.T, draw func(path string) error) image.Image {
	t.Helper()
	path := filepath.Join(t.TempDir(), "f.png")
	if err := draw(path); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// Pixel classes, on 16-bit channels. The first series' colour is the
// Okabe–Ito blue (0x00, 0x72, 0xB2); its tints and translucent shades stay
// bluish (blue well above red); grey lines have equal channels.
func bluish(img image.Image, x, y int) bool {
	r, _, b, _ := img.At(x, y).RGBA()
	return b > r+0x2000
}

func strongBlue(img image.Image, x, y int) bool {
	r, _, b, _ := img.At(x, y).RGBA()
	return r < 0x3000 && b > 0x9000
}

func darkGrey(img image.Image, x, y int) bool {
	r, g, b, _ := img.At(x, y).RGBA()
	d := func(p, q uint32) uint32 { return max(p, q) - min(p, q) }
	return d(r, g) < 0x800 && d(g, b) < 0x800 && r < 0xA000
}

// near reports whether class holds at (x, y) or one of its 8 neighbours.
func near(img image.Image, x, y int, class func(image.Image, int, int) bool) bool {
	for dy := -1; dy <= 1; dy++ {
		for dx := -1; dx <= 1; dx++ {
			if class(img, x+dx, y+dy) {
				return true
			}
		}
	}
	return false
}

// bbox returns the bounding box (inclusive) of the pixels of a class.
func bbox(img image.Image, class func(image.Image, int, int) bool) (x0, y0, x1, y1 int) {
	b := img.Bounds()
	x0, y0, x1, y1 = b.Max.X, b.Max.Y, -1, -1
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if class(img, x, y) {
				x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x), max(y1, y)
			}
		}
	}
	return
}

// columnExtent returns the number of rows between the first and the last
// pixel of a class in column x (0 if none).
func columnExtent(img image.Image, x int, class func(image.Image, int, int) bool) int {
	b := img.Bounds()
	top, bottom := -1, -1
	for y := b.Min.Y; y < b.Max.Y; y++ {
		if class(img, x, y) {
			if top < 0 {
				top = y
			}
			bottom = y
		}
	}
	if top < 0 {
		return 0
	}
	return bottom - top + 1
}

// linspace returns n+1 points from a to b.
func linspace(a, b float64, n int) []float64 {
	v := make([]float64, n+1)
	for i := range v {
		v[i] = a + (b-a)*float64(i)/float64(n)
	}
	return v
}

func TestHistogramFigures(t *testing.T) {
	dir := outDir(t)
	rng := rand.New(rand.NewPCG(11, 12))
	// ISI histogram of a 20 Hz Poisson train: exponential counts.
	edges := linspace(0, 250, 50)
	counts := make([]float64, 50)
	for range 2000 {
		if k := int(rng.ExpFloat64() / 20 * 1000 / 5); k < 50 {
			counts[k]++
		}
	}
	bothSized(t, dir, "isi", func(path string) error {
		return Histogram(path, "ISI histogram", "ISI (ms)", "count", edges, counts)
	})
	// A PSTH over 20 trials: mean rate ± SEM per 10 ms bin.
	tEdges := linspace(0, 500, 50)
	mean, lower, upper := make([]float64, 50), make([]float64, 50), make([]float64, 50)
	for i := range mean {
		tm := (tEdges[i] + tEdges[i+1]) / 2
		mean[i] = 10 + 40*math.Exp(-(tm-150)*(tm-150)/800) + 2*rng.NormFloat64()
		sem := 1.5 + 0.1*mean[i]
		lower[i], upper[i] = mean[i]-sem, mean[i]+sem
	}
	bothSized(t, dir, "psth", func(path string) error {
		return Histograms(path, "PSTH", "time (ms)", "rate (Hz)", tEdges, []Bars{{Label: "mean ± SEM", Values: mean, Lower: lower, Upper: upper}})
	})
	// Two series, the second a step outline over the first.
	flat := make([]float64, 50)
	for i := range flat {
		flat[i] = 12
	}
	bothSized(t, dir, "psth-two", func(path string) error {
		return Histograms(path, "Stimulus vs baseline", "time (ms)", "rate (Hz)", tEdges, []Bars{{Label: "stimulus", Values: mean}, {Label: "baseline", Values: flat}})
	})
	// Signed values, all zeros, all NaN, one bin, 100 000 bins.
	signed := make([]float64, 50)
	for i := range signed {
		signed[i] = math.Sin(float64(i) / 5)
	}
	bothSized(t, dir, "hist-signed", func(path string) error {
		return Histogram(path, "Signed", "x", "y", edges, signed)
	})
	bothSized(t, dir, "hist-zero", func(path string) error {
		return Histogram(path, "All zero", "ISI (ms)", "count", edges, make([]float64, 50))
	})
	nan := []float64{math.NaN(), math.Inf(1), math.NaN()}
	bothSized(t, dir, "hist-nan", func(path string) error {
		return Histogram(path, "Nothing finite", "x", "y", []float64{0, 1, 2, 3}, nan)
	})
	bothSized(t, dir, "hist-one-bin", func(path string) error {
		return Histogram(path, "One bin", "x", "y", []float64{2, 3}, []float64{7})
	})
	many := make([]float64, 100000)
	for i := range many {
		many[i] = 5 + rng.NormFloat64()
	}
	bothSized(t, dir, "hist-many", func(path string) error {
		return Histogram(path, "100 000 bins", "time (ms)", "rate (Hz)", linspace(0, 10000, 100000), many)
	})
}

// TestHistogramBars checks the bars' geometry in the PNG: 10 bins over
// 0…100, bin 0 of height 10, bin 9 of height 5, the others 0. The bars
// span the whole x axis, so the bounding box of bluish pixels gives the
// axis: bin 0's bar is a tenth of it wide, bin 9's half as high as bin
// 0's, and a zero bin shows only the outline along the axis.
func TestHistogramBars(t *testing.T) {
	values := make([]float64, 10)
	values[0], values[9] = 10, 5
	img := render(t, func(path string) error {
		return Histogram(path, "", "x", "count", linspace(0, 100, 10), values)
	})
	x0, _, x1, _ := bbox(img, bluish)
	if x1 < 0 {
		t.Fatal("no bars drawn")
	}
	w := float64(x1 - x0 + 1)
	col := func(bin float64) int { return x0 + int(math.Round((bin+0.5)*w/10)) }
	h0, h9, h5 := columnExtent(img, col(0), bluish), columnExtent(img, col(9), bluish), columnExtent(img, col(5), bluish)
	t.Logf("axis %d…%d px; heights: bin 0 %d, bin 9 %d, bin 5 %d px", x0, x1, h0, h9, h5)
	if h0 < 300 {
		t.Errorf("bin 0's bar is %d px high, want most of the ~600 px plot", h0)
	}
	if math.Abs(float64(h9)-float64(h0)/2) > 2 {
		t.Errorf("bin 9's bar is %d px high, want half of bin 0's %d px", h9, h0)
	}
	if h5 > 4 {
		t.Errorf("zero bin 5 shows %d px, want only the outline (≤ 4 px)", h5)
	}
	// Bin 0's width, measured at half its height.
	_, _, _, bottom := bbox(img, bluish)
	y := bottom - h0/2
	run := 0
	for x := x0; x <= x1 && bluish(img, x, y); x++ {
		run++
	}
	// The outline (1.2 pt = 2.5 px) adds half its width on each side, to
	// the bar and to the axis.
	const lw = 1.2 / 72 * pngDPI
	if want := (w-lw)/10 + lw; math.Abs(float64(run)-want) > 2 {
		t.Errorf("bin 0's bar is %d px wide, want %.1f px (a tenth of the axis)", run, want)
	}
}

// TestHistogramDense checks that merging bins narrower than a pixel keeps
// the extremes: among 100 000 bins of 1 or 2 (alternating), one bin of 10
// still reaches the top, and the outline covers the rows from 1 to 2.
func TestHistogramDense(t *testing.T) {
	values := make([]float64, 100000)
	for i := range values {
		values[i] = float64(1 + i%2)
	}
	values[61234] = 10
	img := render(t, func(path string) error {
		return Histogram(path, "", "x", "y", linspace(0, 1, 100000), values)
	})
	x0, y0, x1, y1 := bbox(img, bluish)
	w, h := float64(x1-x0), float64(y1-y0)
	spike := x0 + int(math.Round(0.61234*w))
	top := y1 // the topmost blue row near the spike's column
	for x := spike - 2; x <= spike+2; x++ {
		for y := y0; y <= y1; y++ {
			if strongBlue(img, x, y) {
				top = min(top, y)
				break
			}
		}
	}
	t.Logf("spike column %d: blue from row %d (top of blue %d, bottom %d)", spike, top, y0, y1)
	if top > y0+2 {
		t.Errorf("the bin of 10 reaches row %d, want the top row %d", top, y0)
	}
	// Elsewhere the outline is a solid band from 1 to 2: rows at 1.5
	// (0.15 of the height above the axis at 10.5 full scale) are dark.
	row := y1 - int(math.Round(1.5/10.5*h))
	dark := 0
	for x := x0 + 10; x < x0+int(w/2); x++ {
		if strongBlue(img, x, row) {
			dark++
		}
	}
	if frac := float64(dark) / (w/2 - 10); frac < 0.95 {
		t.Errorf("outline covers %.2f of row %d (value 1.5), want ≥ 0.95", frac, row)
	}
}

// TestHistogramNaNAndBand checks that a NaN bin has no fill and that a
// band Lower…Upper = 4…6 over bars of 5 covers half as many rows as the
// fill below it, which stops at the band (0…4).
func TestHistogramNaNAndBand(t *testing.T) {
	values, lower, upper := make([]float64, 10), make([]float64, 10), make([]float64, 10)
	for i := range values {
		values[i], lower[i], upper[i] = 5, 4, 6
	}
	values[4] = math.NaN()
	img := render(t, func(path string) error {
		return Histograms(path, "", "x", "y", linspace(0, 10, 10), []Bars{{Values: values, Lower: lower, Upper: upper}})
	})
	x0, _, x1, _ := bbox(img, bluish)
	w := float64(x1 - x0 + 1)
	col := func(bin float64) int { return x0 + int(math.Round((bin+0.5)*w/10)) }
	// Red channel: fill tint(blue, 0.7) 0xB3, band (55% blue over white)
	// 0x73, outline 0x00.
	filled := func(img image.Image, x, y int) bool {
		r, _, _, _ := img.At(x, y).RGBA()
		return bluish(img, x, y) && r > 0x9800
	}
	shaded := func(img image.Image, x, y int) bool {
		r, _, _, _ := img.At(x, y).RGBA()
		return bluish(img, x, y) && r > 0x4000 && r <= 0x9800
	}
	fill4, band4 := columnExtent(img, col(4), filled), columnExtent(img, col(4), shaded)
	fill3, band3 := columnExtent(img, col(3), filled), columnExtent(img, col(3), shaded)
	t.Logf("bin 3: fill %d rows, band %d rows; NaN bin 4: fill %d, band %d", fill3, band3, fill4, band4)
	if fill4 != 0 {
		t.Errorf("NaN bin 4 has %d filled rows, want 0", fill4)
	}
	if abs(band4-band3) > 1 {
		t.Errorf("NaN bin 4's band is %d rows, bin 3's %d: want equal", band4, band3)
	}
	if r := float64(band3) / float64(fill3); math.Abs(r-0.5) > 0.02 {
		t.Errorf("band/fill height ratio %.3f, want 2/4", r)
	}
}

func TestCorrelogram(t *testing.T) {
	dir := outDir(t)
	edges := linspace(-50, 50, 20)
	values := make([]float64, 20)
	for i := range values {
		lag := (edges[i] + edges[i+1]) / 2
		values[i] = 3 + 5*math.Exp(-lag*lag/100)
	}
	bothSized(t, dir, "correlogram", func(path string) error {
		return Correlogram(path, "Cross-correlogram", edges, values, "count")
	})
	bothSized(t, dir, "correlogram-positive-lags", func(path string) error {
		return Correlogram(path, "Lags 0…50 ms", linspace(0, 50, 10), values[:10], "count")
	})
	// The zero-lag line: grey pixels in the middle column of the bars,
	// none a quarter of the way along.
	flat := make([]float64, 20)
	for i := range flat {
		flat[i] = 1
	}
	img := render(t, func(path string) error { return Correlogram(path, "", edges, flat, "count") })
	x0, y0, x1, y1 := bbox(img, bluish)
	greyRows := func(x int) float64 {
		n := 0
		for y := y0 + 5; y <= y1-5; y++ {
			if near(img, x, y, darkGrey) {
				n++
			}
		}
		return float64(n) / float64(y1-y0-9)
	}
	centre, quarter := greyRows((x0+x1)/2), greyRows(x0+(x1-x0)/4)
	t.Logf("grey rows: %.2f at zero lag, %.2f at −25 ms", centre, quarter)
	if centre < 0.45 { // dashes 5 on, 3 off: 62%
		t.Errorf("zero-lag line covers %.2f of the rows, want ≥ 0.45", centre)
	}
	if quarter != 0 {
		t.Errorf("grey at −25 ms: %.2f of the rows", quarter)
	}
}

func TestHistogramBadInput(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "h.png")
	e3 := []float64{0, 1, 2, 3}
	v3 := []float64{1, 2, 3}
	for name, err := range map[string]error{
		"no values":        Histogram(path, "", "", "", nil, nil),
		"one edge":         Histogram(path, "", "", "", []float64{0}, nil),
		"too few values":   Histogram(path, "", "", "", e3, v3[:2]),
		"edges decreasing": Histogram(path, "", "", "", []float64{0, 2, 1, 3}, v3),
		"equal edges":      Histogram(path, "", "", "", []float64{0, 1, 1, 3}, v3),
		"NaN edge":         Histogram(path, "", "", "", []float64{0, math.NaN(), 2, 3}, v3),
		"no series":        Histograms(path, "", "", "", e3, nil),
		"lower only":       Histograms(path, "", "", "", e3, []Bars{{Values: v3, Lower: v3}}),
		"short band":       Histograms(path, "", "", "", e3, []Bars{{Values: v3, Lower: v3, Upper: v3[:1]}}),
		"second series":    Histograms(path, "", "", "", e3, []Bars{{Values: v3}, {Values: v3[:1]}}),
		"correlogram":      Correlogram(path, "", e3, v3[:1], ""),
		"correlogram nil":  Correlogram(path, "", nil, nil, ""),
		"unknown format":   Histogram(filepath.Join(dir, "h.jpg"), "", "", "", e3, v3),
	} {
		if err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("bad input left files: %v", entries)
	}
}

// ksCurve returns the KS plot quantiles of n intervals τ drawn from
// Exp(1) (a correct model) or, if wrong, from Exp(1) with every third
// interval doubled, with D and the 95% bound 1.36/√n.
func ksCurve(rng *rand.Rand, n int, wrong bool, label string) KSSeries {
	z := make([]float64, n)
	for i := range z {
		tau := rng.ExpFloat64()
		if wrong && i%3 == 0 {
			tau *= 2
		}
		z[i] = -math.Expm1(-tau)
	}
	slices.Sort(z)
	s := KSSeries{Label: label, Model: make([]float64, n), Empirical: z, Bound: 1.36 / math.Sqrt(float64(n))}
	for k := range z {
		s.Model[k] = (float64(k) + 0.5) / float64(n)
		s.D = math.Max(s.D, math.Max(z[k]-float64(k)/float64(n), float64(k+1)/float64(n)-z[k]))
	}
	return s
}

func TestKSPlotFigures(t *testing.T) {
	dir := outDir(t)
	rng := rand.New(rand.NewPCG(13, 14))
	good, bad := ksCurve(rng, 400, false, "with history"), ksCurve(rng, 400, true, "without history")
	bothSized(t, dir, "ks", func(path string) error {
		return KSPlot(path, "KS plot", []KSSeries{good, bad})
	})
	other := ksCurve(rng, 100, false, "short train")
	bothSized(t, dir, "ks-two-bounds", func(path string) error {
		return KSPlot(path, "KS plot, different n", []KSSeries{good, other})
	})
	big := ksCurve(rng, 100000, false, "100 000 intervals")
	big.Empirical[500] = math.NaN()
	bothSized(t, dir, "ks-large", func(path string) error {
		return KSPlot(path, "", []KSSeries{big})
	})
	bothSized(t, dir, "ks-one-point", func(path string) error {
		return KSPlot(path, "", []KSSeries{{Model: []float64{0.5}, Empirical: []float64{0.7}, Bound: 0.68}})
	})
	bothSized(t, dir, "ks-wide-bound", func(path string) error {
		return KSPlot(path, "", []KSSeries{{Model: []float64{0.25, 0.75}, Empirical: []float64{0.3, 0.6}, Bound: 1.5}})
	})
}

// TestKSPlotGeometry checks the KS plot in the PNG. A series on the
// diagonal from (0, 0) to (1, 1) marks the data area by its bounding box,
// which must be square. With the series moved to y = x² instead, the
// grey 45° line passes through the centre of that box, the series through
// (0.5, 0.25), and the dashed upper bound through (x, x + 0.2).
func TestKSPlotGeometry(t *testing.T) {
	q := linspace(0, 1, 100)
	sq := make([]float64, len(q))
	for i, v := range q {
		sq[i] = v * v
	}
	diag := render(t, func(path string) error {
		return KSPlot(path, "", []KSSeries{{Label: "m", Model: q, Empirical: q, Bound: 0.2, D: 0.1}})
	})
	// The diagonal's ends are its lowest and highest blue pixels (the
	// legend's blue sample lies below the top of the data area).
	_, y0, _, y1 := bbox(diag, strongBlue)
	meanX := func(y int) int {
		sum, n := 0, 0
		for x := range diag.Bounds().Max.X {
			if strongBlue(diag, x, y) {
				sum, n = sum+x, n+1
			}
		}
		return sum / n
	}
	x0, x1 := meanX(y1), meanX(y0)
	w, h := x1-x0, y1-y0
	t.Logf("data area %d…%d × %d…%d px", x0, x1, y0, y1)
	if w < 300 || abs(w-h) > 2 {
		t.Fatalf("data area %d × %d px, want square and large", w, h)
	}
	px := func(x, y float64) (int, int) {
		return x0 + int(math.Round(x*float64(w))), y1 - int(math.Round(y*float64(h)))
	}

	img := render(t, func(path string) error {
		return KSPlot(path, "", []KSSeries{{Label: "m", Model: q, Empirical: sq, Bound: 0.2, D: 0.1}})
	})
	if cx, cy := px(0.5, 0.5); !near(img, cx, cy, darkGrey) {
		t.Errorf("no grey 45° line at the centre (%d, %d)", cx, cy)
	}
	if cx, cy := px(0.5, 0.25); !near(img, cx, cy, strongBlue) {
		t.Errorf("series y = x² not at (0.5, 0.25) = (%d, %d)", cx, cy)
	}
	along := func(offset float64) float64 {
		hits, n := 0, 0
		for x := 0.1; x <= 0.7; x += 0.005 {
			cx, cy := px(x, x+offset)
			if near(img, cx, cy, darkGrey) {
				hits++
			}
			n++
		}
		return float64(hits) / float64(n)
	}
	on, off := along(0.2), along(0.1)
	t.Logf("grey along y = x + 0.2: %.2f; along y = x + 0.1: %.2f", on, off)
	if on < 0.45 {
		t.Errorf("dashed bound y = x + 0.2 found at %.2f of the points, want ≥ 0.45", on)
	}
	if off > 0.05 {
		t.Errorf("grey along y = x + 0.1 (no line there): %.2f", off)
	}
}

func abs(x int) int { return max(x, -x) }

func TestKSPlotBadInput(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "k.svg")
	q := []float64{0.25, 0.75}
	for name, series := range map[string][]KSSeries{
		"no series":      nil,
		"mismatch":       {{Model: q, Empirical: q[:1]}},
		"empty":          {{}},
		"empty second":   {{Model: q, Empirical: q}, {Label: "b"}},
		"negative bound": {{Model: q, Empirical: q, Bound: -0.1}},
		"NaN bound":      {{Model: q, Empirical: q, Bound: math.NaN()}},
		"infinite bound": {{Model: q, Empirical: q, Bound: math.Inf(1)}},
	} {
		if err := KSPlot(path, name, series); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("bad input left files: %v", entries)
	}
}

func TestFilterFigures(t *testing.T) {
	dir := outDir(t)
	lags := linspace(1, 100, 99)
	h, lo, hi := make([]float64, 100), make([]float64, 100), make([]float64, 100)
	for i, l := range lags {
		h[i] = -4*math.Exp(-l/4) + 0.6*math.Exp(-(l-20)*(l-20)/60)
		se := 0.1 + 0.003*l
		lo[i], hi[i] = h[i]-1.96*se, h[i]+1.96*se
	}
	bothSized(t, dir, "filter", func(path string) error {
		return Filter(path, "Spike-history filter", lags, h, lo, hi, "h (log gain)")
	})
	bothSized(t, dir, "filter-no-band", func(path string) error {
		return Filter(path, "Without band", lags, h, nil, nil, "h (log gain)")
	})
	gappy := append([]float64(nil), h...)
	gappy[10], gappy[50], gappy[52] = math.NaN(), math.Inf(1), math.NaN()
	loGap := append([]float64(nil), lo...)
	loGap[30] = math.NaN()
	bothSized(t, dir, "filter-nan", func(path string) error {
		return Filter(path, "With gaps", lags, gappy, loGap, hi, "h")
	})
	bothSized(t, dir, "filter-zero", func(path string) error {
		return Filter(path, "All zero", lags, make([]float64, 100), nil, nil, "h")
	})
	bothSized(t, dir, "filter-one-lag", func(path string) error {
		return Filter(path, "One lag", []float64{2}, []float64{-1}, []float64{-1.5}, []float64{-0.5}, "h")
	})
	bothSized(t, dir, "filter-huge", func(path string) error {
		return Filter(path, "Huge values", []float64{1, 2}, []float64{-1e300, 1e300}, nil, nil, "h")
	})
}

// TestFilterGeometry: value 1 with the band 0.5…1.5. The line lies in
// the middle of the band, and the dashed zero line as far below the band's
// lower edge as the line is above it … twice: 0 is 1 below the line, 0.5
// is ½ below it.
func TestFilterGeometry(t *testing.T) {
	lags := linspace(0, 100, 100)
	one, lo, hi := make([]float64, 101), make([]float64, 101), make([]float64, 101)
	for i := range one {
		one[i], lo[i], hi[i] = 1, 0.5, 1.5
	}
	img := render(t, func(path string) error { return Filter(path, "", lags, one, lo, hi, "h") })
	light := func(img image.Image, x, y int) bool {
		r, _, b, _ := img.At(x, y).RGBA()
		return b > r+0x2000 && r > 0x5000 // 30% blue over white: 0xB3
	}
	bx0, by0, bx1, by1 := bbox(img, light)
	if bx1 < 0 {
		t.Fatal("no band drawn")
	}
	cx := (bx0 + bx1) / 2
	_, ly0, _, ly1 := bbox(img, strongBlue)
	line := float64(ly0+ly1) / 2
	mid := float64(by0+by1) / 2
	t.Logf("band rows %d…%d, line rows %d…%d", by0, by1, ly0, ly1)
	if math.Abs(line-mid) > 2 {
		t.Errorf("line at row %.1f, band centre at row %.1f", line, mid)
	}
	zero := int(math.Round(line + 2*(float64(by1)-line)))
	hits, n := 0, 0
	for x := bx0 + 5; x <= bx1-5; x++ {
		for y := zero - 2; y <= zero+2; y++ {
			if darkGrey(img, x, y) {
				hits++
				break
			}
		}
		n++
	}
	t.Logf("zero line expected at row %d: grey in %d of %d columns", zero, hits, n)
	if float64(hits) < 0.45*float64(n) {
		t.Errorf("dashed zero line at row %d in only %d of %d columns", zero, hits, n)
	}
	if light(img, cx, zero) || strongBlue(img, cx, zero) {
		t.Error("band or line reaches down to 0")
	}
}

func TestGainTicks(t *testing.T) {
	for _, c := range []struct {
		lo, hi float64
		want   string
	}{
		{math.Log(0.05) - 0.01, math.Log(2) + 0.01, "0.05 0.1 0.2 0.5 1 2"},
		{-0.2, 0.2, "0.9 1.0 1.1 1.2"},
		{-1.5, 0, "0.4 0.6 0.8 1.0"}, // 1-2-5 would give only 0.5 and 1
		{-20, 2, "1e-08 1e-06 0.0001 0.01 1"},
		{-2000, 2000, ""}, // clamped to ±700: powers of ten only, few
	} {
		ts := gainTicks(c.lo, c.hi)
		var labels []string
		for _, tk := range ts {
			labels = append(labels, tk.Label)
			if tk.Value < c.lo || tk.Value > c.hi {
				t.Errorf("gainTicks(%g, %g): tick %s at h = %g outside the range", c.lo, c.hi, tk.Label, tk.Value)
			}
			var g float64
			if _, err := fmt.Sscan(tk.Label, &g); err != nil || math.Abs(math.Exp(tk.Value)-g) > 1e-9*g {
				t.Errorf("gainTicks(%g, %g): tick %q at h = %g, exp(h) = %g", c.lo, c.hi, tk.Label, tk.Value, math.Exp(tk.Value))
			}
		}
		got := strings.Join(labels, " ")
		if c.want == "" {
			if len(ts) < 3 || len(ts) > 8 {
				t.Errorf("gainTicks(%g, %g) = %q: want 3 to 8 ticks", c.lo, c.hi, got)
			}
			continue
		}
		if got != c.want {
			t.Errorf("gainTicks(%g, %g) = %q, want %q", c.lo, c.hi, got, c.want)
		}
	}
	if ts := gainTicks(0, 0); ts != nil {
		t.Errorf("gainTicks(0, 0) = %v, want none", ts)
	}
}

func TestFilterBadInput(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f.png")
	l3, v3 := []float64{1, 2, 3}, []float64{0, -1, 0}
	for name, err := range map[string]error{
		"no lags":         Filter(path, "", nil, nil, nil, nil, ""),
		"value length":    Filter(path, "", l3, v3[:2], nil, nil, ""),
		"lower only":      Filter(path, "", l3, v3, v3, nil, ""),
		"band length":     Filter(path, "", l3, v3, v3, v3[:2], ""),
		"lags decreasing": Filter(path, "", []float64{1, 3, 2}, v3, nil, nil, ""),
		"NaN lag":         Filter(path, "", []float64{1, math.NaN(), 3}, v3, nil, nil, ""),
	} {
		if err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("bad input left files: %v", entries)
	}
}
