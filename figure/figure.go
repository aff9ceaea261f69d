// Package figure draws the standard figures of a simulation run: spike
// rasters, membrane (or other) traces, weight histories and weight
// matrices.
//
// The output format follows the file extension: ".png" gives an
// 8 × 5 inch image at 150 dots per inch, ".svg" a vector drawing of the
// same size. Files are written under a temporary name and renamed into
// place once complete, so a half-written figure never appears.
package figure

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	imgdraw "image/draw"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Size and resolution of every figure.
const (
	figWidth  = 8 * vg.Inch
	figHeight = 5 * vg.Inch
	pngDPI    = 150
)

// colours are the group and trace colours, from the Okabe–Ito palette,
// which stays distinguishable for colour-blind readers (its yellow is
// left out: too pale for small dots on white).
var colours = []color.Color{
	color.RGBA{0x00, 0x72, 0xB2, 0xFF}, // blue
	color.RGBA{0xD5, 0x5E, 0x00, 0xFF}, // vermillion
	color.RGBA{0x00, 0x9E, 0x73, 0xFF}, // bluish green
	color.RGBA{0xCC, 0x79, 0xA7, 0xFF}, // reddish purple
	color.RGBA{0xE6, 0x9F, 0x00, 0xFF}, // orange
	color.RGBA{0x56, 0xB4, 0xE9, 0xFF}, // sky blue
	color.RGBA{0x00, 0x00, 0x00, 0xFF}, // black
}

// colour returns the i-th colour, cycling through colours.
func colour(i int) color.Color { return colours[i%len(colours)] }

// RasterGroup is one group of neurons (usually a population) in a raster
// plot. Spike k was fired by neuron IDs[k] at time Times[k].
type RasterGroup struct {
	// Name labels the group in the legend.
	Name string
	// Size is the number of neurons in the group.
	Size int
	// Times are the spike times in ms.
	Times []float64
	// IDs are the firing neurons' indices within the group, 0 … Size-1.
	IDs []int32
}

// Raster draws a spike raster: one dot per spike, time (ms) on the x axis
// from 0 to tEnd and neuron on the y axis. The groups are stacked from the
// bottom up (the first group at the bottom), each in its own colour, with
// a legend beside the plot that gives each group's size. Spikes before 0
// or after tEnd are not shown; if tEnd is not positive, the last spike
// time is used. PNG suits any number of spikes; an SVG grows by about
// 75 bytes per spike.
func Raster(path, title string, groups []RasterGroup, tEnd float64) error {
	if len(groups) == 0 {
		return errors.New("figure: raster needs at least one group")
	}
	total := 0
	lastSpike := 0.0
	for _, g := range groups {
		if g.Size < 0 {
			return fmt.Errorf("figure: raster group %q has negative size %d", g.Name, g.Size)
		}
		if len(g.Times) != len(g.IDs) {
			return fmt.Errorf("figure: raster group %q has %d times but %d neuron ids", g.Name, len(g.Times), len(g.IDs))
		}
		for _, id := range g.IDs {
			if id < 0 || int(id) >= g.Size {
				return fmt.Errorf("figure: raster group %q has neuron id %d outside 0…%d", g.Name, id, g.Size-1)
			}
		}
		for _, t := range g.Times {
			if t > lastSpike && !math.IsInf(t, 1) {
				lastSpike = t
			}
		}
		total += g.Size
	}
	if !(tEnd > 0) || math.IsInf(tEnd, 1) {
		tEnd = lastSpike
		if tEnd == 0 {
			tEnd = 1
		}
	}

	p := newPlot(title, "time (ms)", "neuron")
	p.X.Min, p.X.Max = 0, tEnd
	p.Y.Min, p.Y.Max = -0.5, math.Max(float64(total)-0.5, 0.5)
	p.Y.Tick.Marker = gplot.TickerFunc(integerTicks)

	type entry struct {
		name string
		d    *dots
	}
	var entries []entry
	offset := 0
	for i, g := range groups {
		if offset > 0 && g.Size > 0 {
			// A faint line between groups.
			y := float64(offset) - 0.5
			p.Add(&hline{y: y, x0: 0, x1: tEnd, style: draw.LineStyle{Color: color.Gray{0xBB}, Width: vg.Points(0.5)}})
		}
		d := &dots{colour: colour(i), rows: total}
		for k, t := range g.Times {
			if t >= 0 && t <= tEnd { // also drops NaN
				d.xs = append(d.xs, t)
				d.ys = append(d.ys, float64(offset+int(g.IDs[k])))
			}
		}
		p.Add(d)
		offset += g.Size
		name := g.Name
		if name == "" {
			name = fmt.Sprintf("group %d", i+1)
		}
		entries = append(entries, entry{fmt.Sprintf("%s (%d)", name, g.Size), d})
	}
	// List the groups top to bottom, as they are stacked.
	legend := newLegend()
	for _, e := range slices.Backward(entries) {
		legend.Add(e.name, e.d)
	}

	return save(path, func(c draw.Canvas, _ bool) {
		_, panel := drawWithPanel(c, p, legend.width())
		legend.draw(panel)
	})
}

// Trace is one time series, e.g. a neuron's membrane potential.
type Trace struct {
	// Label names the trace in the legend.
	Label string
	// Times are the sample times in ms, in increasing order.
	Times []float64
	// Values are the samples, one per time; they must be finite.
	Values []float64
	// Spikes are optional spike times in ms, drawn as vertical lines
	// from the trace up to just above the highest value.
	Spikes []float64
	// Threshold is drawn as a dashed horizontal line if HasThreshold.
	Threshold float64
	// HasThreshold says whether Threshold is set.
	HasThreshold bool
}

// Traces draws time series on one panel: one line per trace, time (ms) on
// the x axis and yLabel (which should give the unit, e.g. "V (mV)") on the
// y axis. A trace's threshold is a dashed line and its spikes are vertical
// lines, both in the trace's colour. All traces should share one unit.
func Traces(path, title, yLabel string, traces []Trace) error {
	if len(traces) == 0 {
		return errors.New("figure: no traces to draw")
	}
	// The spike lines reach a little above every value and threshold.
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, tr := range traces {
		if len(tr.Times) != len(tr.Values) {
			return fmt.Errorf("figure: trace %q has %d times but %d values", tr.Label, len(tr.Times), len(tr.Values))
		}
		for k := 1; k < len(tr.Times); k++ {
			if !(tr.Times[k] >= tr.Times[k-1]) {
				return fmt.Errorf("figure: trace %q: times decrease at sample %d", tr.Label, k)
			}
		}
		for _, v := range tr.Values {
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
		if tr.HasThreshold {
			lo, hi = math.Min(lo, tr.Threshold), math.Max(hi, tr.Threshold)
		}
	}
	spikeTop := hi + 0.08*math.Max(hi-lo, math.Abs(hi)*0.1+1e-9)

	p := newPlot(title, "time (ms)", yLabel)
	legend := newLegend()
	var thresholds, spikes bool
	for i, tr := range traces {
		col := colour(i)
		xys := make(plotter.XYs, len(tr.Times))
		for k := range tr.Times {
			xys[k] = plotter.XY{X: tr.Times[k], Y: tr.Values[k]}
		}
		// Long jagged polylines rasterise in time that grows with the
		// square of their length: draw them in pieces of 256 points.
		var line *plotter.Line
		for a := 0; a == 0 || a < len(xys)-1; a += 255 {
			piece, err := plotter.NewLine(xys[a:min(a+256, len(xys))])
			if err != nil {
				return fmt.Errorf("figure: trace %q: %w", tr.Label, err)
			}
			piece.LineStyle = draw.LineStyle{Color: col, Width: vg.Points(1.2)}
			p.Add(piece)
			if line == nil {
				line = piece
			}
		}

		if tr.HasThreshold && len(tr.Times) > 0 {
			p.Add(&hline{y: tr.Threshold, x0: tr.Times[0], x1: tr.Times[len(tr.Times)-1], style: dashed(col)})
			thresholds = true
		}
		if len(tr.Spikes) > 0 {
			s := &spikeMarks{top: spikeTop, style: draw.LineStyle{Color: col, Width: vg.Points(1)}}
			for _, t := range tr.Spikes {
				if v, ok := valueAt(tr.Times, tr.Values, t); ok {
					s.xs = append(s.xs, t)
					s.from = append(s.from, v)
				}
			}
			p.Add(s)
			spikes = true
		}
		label := tr.Label
		if label == "" {
			label = fmt.Sprintf("trace %d", i+1)
		}
		legend.Add(label, line)
	}
	if thresholds {
		legend.Add("threshold", &hline{style: dashed(color.Gray{0x55})})
	}
	if spikes {
		legend.Add("spike", &spikeMarks{style: draw.LineStyle{Color: color.Gray{0x55}, Width: vg.Points(1)}})
	}

	return save(path, func(c draw.Canvas, _ bool) {
		if len(traces) == 1 && !thresholds && !spikes {
			p.Draw(c) // a single plain line needs no legend
			return
		}
		_, panel := drawWithPanel(c, p, legend.width())
		legend.draw(panel)
	})
}

// dashed returns a thin dashed line style in colour col.
func dashed(col color.Color) draw.LineStyle {
	return draw.LineStyle{Color: col, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(5), vg.Points(3)}}
}

// valueAt returns the trace's value at time t, interpolated linearly
// between samples; ok is false if t is outside the sampled times.
func valueAt(times, values []float64, t float64) (v float64, ok bool) {
	if len(times) == 0 || t < times[0] || t > times[len(times)-1] {
		return 0, false
	}
	k, _ := slices.BinarySearch(times, t)
	if k == 0 || times[k] == t {
		return values[k], true
	}
	t0, t1 := times[k-1], times[k]
	return values[k-1] + (values[k]-values[k-1])*(t-t0)/(t1-t0), true
}

// WeightHistory is how the weights of a set of synapses change over time.
type WeightHistory struct {
	// Times are the sample times in ms, increasing.
	Times []float64
	// Labels name the synapses, one per synapse, e.g. "0→1".
	Labels []string
	// W[t][k] is the weight of synapse k at Times[t].
	W [][]float64
}

// WeightHeatmap draws a weight history as a heat map: time (ms) on the x
// axis, one row per synapse (the first at the top, named by its label when
// there are at most 40 synapses), and the weight as colour, explained by a
// colour bar: light grey is zero, red positive and blue negative weights.
// Missing (NaN) weights are white.
func WeightHeatmap(path, title string, h WeightHistory) error {
	nt, ns := len(h.Times), len(h.Labels)
	switch {
	case nt == 0 || ns == 0:
		return errors.New("figure: weight history has no samples or no synapses")
	case len(h.W) != nt:
		return fmt.Errorf("figure: weight history has %d times but %d weight rows", nt, len(h.W))
	}
	for t, row := range h.W {
		if len(row) != ns {
			return fmt.Errorf("figure: weight history row %d has %d weights for %d synapses", t, len(row), ns)
		}
	}
	for t, tm := range h.Times {
		if math.IsNaN(tm) || math.IsInf(tm, 0) || (t > 0 && !(tm > h.Times[t-1])) {
			return fmt.Errorf("figure: weight history times must be finite and increasing (sample %d)", t)
		}
	}

	g := grid{
		xEdges: cellEdges(h.Times),
		yEdges: indexEdges(ns),
		z:      func(i, j int) float64 { return h.W[i][j] },
	}
	p := newPlot(title, "time (ms)", "synapse")
	p.Y.Tick.Marker = gplot.TickerFunc(integerTicks)
	if ns <= 40 {
		p.Y.Tick.Marker = labelTicks(h.Labels)
		// Shrink the labels so that up to 40 fit above each other.
		size := p.Y.Tick.Label.Font.Size.Points()
		p.Y.Tick.Label.Font.Size = vg.Points(max(6, min(size, 240/float64(ns))))
	}
	return heatmap(path, g, p, "weight")
}

// Matrix draws a weight matrix, given row by row (W[r*cols+c] is row r,
// column c), as a heat map with a colour bar coloured as in WeightHeatmap
// (light grey zero, red positive, blue negative, white NaN). Row 0 is at
// the top, as when the matrix is printed; xLabel names the columns and
// yLabel the rows (e.g. "postsynaptic neuron", "presynaptic neuron").
func Matrix(path, title string, rows, cols int, W []float64, xLabel, yLabel string) error {
	switch {
	case rows <= 0 || cols <= 0:
		return fmt.Errorf("figure: matrix must have at least one row and column, not %d × %d", rows, cols)
	case len(W) != rows*cols:
		return fmt.Errorf("figure: %d × %d matrix needs %d values, got %d", rows, cols, rows*cols, len(W))
	}
	g := grid{
		xEdges: indexEdges(cols),
		yEdges: indexEdges(rows),
		z:      func(i, j int) float64 { return W[j*cols+i] },
	}
	p := newPlot(title, xLabel, yLabel)
	p.X.Tick.Marker = gplot.TickerFunc(integerTicks)
	p.Y.Tick.Marker = gplot.TickerFunc(integerTicks)
	return heatmap(path, g, p, "weight")
}

// grid is the data of a heat map: cell (i, j) spans xEdges[i]…xEdges[i+1]
// and yEdges[j]…yEdges[j+1] and has the value z(i, j).
type grid struct {
	xEdges, yEdges []float64
	z              func(i, j int) float64
}

// indexEdges returns the cell edges for cells centred on 0, 1, …, n-1.
func indexEdges(n int) []float64 {
	e := make([]float64, n+1)
	for i := range e {
		e[i] = float64(i) - 0.5
	}
	return e
}

// cellEdges returns cell edges for cells centred on the increasing sample
// times: halfway between samples, and half a step beyond the end ones.
func cellEdges(times []float64) []float64 {
	n := len(times)
	e := make([]float64, n+1)
	if n == 1 {
		e[0], e[1] = times[0]-0.5, times[0]+0.5
		return e
	}
	for i := 1; i < n; i++ {
		e[i] = (times[i-1] + times[i]) / 2
	}
	e[0] = times[0] - (e[1] - times[0])
	e[n] = times[n-1] + (times[n-1] - e[n-1])
	return e
}

// heatmap draws g on plot p, with a colour bar labelled barLabel. The y
// axis runs downwards, so the first row is at the top.
func heatmap(path string, g grid, p *gplot.Plot, barLabel string) error {
	scale := newColourScale(g)
	p.X.Padding, p.Y.Padding = 0, 0
	p.Y.Scale = gplot.InvertedScale{Normalizer: gplot.LinearScale{}}
	cells := &cellPlot{grid: g, scale: scale}
	p.Add(cells)
	bar := colourBar{scale: scale, label: barLabel}
	return save(path, func(c draw.Canvas, svg bool) {
		// Small grids stay vector shapes in SVG; everything else is
		// drawn as an image at the PNG resolution.
		cells.vector = svg && (len(g.xEdges)-1)*(len(g.yEdges)-1) <= 20000
		_, panel := drawWithPanel(c, p, bar.width())
		bar.draw(panel)
	})
}

// colourScale maps values to colours.
type colourScale struct {
	lo, hi float64
	table  []color.RGBA // table[0] is lo, table[len-1] is hi
}

// newColourScale picks the colour scale for the finite values of g. It is
// always the same blue–grey–red scale with light grey at zero, blue for
// negative and red for positive values, so colours mean the same in every
// figure. Values of both signs get a range symmetric around zero; values
// of one sign a range from zero to the largest magnitude.
func newColourScale(g grid) colourScale {
	lo, hi := 0.0, 0.0 // zero is always in the range
	for i := 0; i < len(g.xEdges)-1; i++ {
		for j := 0; j < len(g.yEdges)-1; j++ {
			if v := g.z(i, j); !math.IsNaN(v) && !math.IsInf(v, 0) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	m := math.Max(-lo, hi)
	switch {
	case m == 0: // all zero, or no finite values at all
		m, hi = 1, 1
	case lo < 0 && hi > 0:
		lo, hi = -m, m
	}
	cm := moreland.SmoothBlueRed()
	cm.SetMin(-m)
	cm.SetMax(m)
	s := colourScale{lo: lo, hi: hi, table: make([]color.RGBA, 256)}
	for k := range s.table {
		v := lo + (hi-lo)*float64(k)/float64(len(s.table)-1)
		col, err := cm.At(math.Min(math.Max(v, -m), m))
		if err != nil {
			col = color.Black
		}
		s.table[k] = color.RGBAModel.Convert(col).(color.RGBA)
	}
	return s
}

// nanColour marks cells without a finite value (zero is light grey).
var nanColour = color.RGBA{0xFF, 0xFF, 0xFF, 0xFF}

// at returns the colour of value v.
func (s colourScale) at(v float64) color.RGBA {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nanColour
	}
	k := math.Round((v - s.lo) / (s.hi - s.lo) * float64(len(s.table)-1))
	return s.table[int(math.Min(math.Max(k, 0), float64(len(s.table)-1)))]
}

// cellPlot draws a grid as coloured cells. It implements gplot.Plotter.
type cellPlot struct {
	grid
	scale  colourScale
	vector bool // draw each cell as a rectangle instead of an image
}

// DataRange implements gplot.DataRanger.
func (cp *cellPlot) DataRange() (xmin, xmax, ymin, ymax float64) {
	return cp.xEdges[0], cp.xEdges[len(cp.xEdges)-1], cp.yEdges[0], cp.yEdges[len(cp.yEdges)-1]
}

// Plot implements gplot.Plotter.
func (cp *cellPlot) Plot(c draw.Canvas, p *gplot.Plot) {
	trX, trY := p.Transforms(&c)
	nx, ny := len(cp.xEdges)-1, len(cp.yEdges)-1
	if cp.vector {
		for i := range nx {
			for j := range ny {
				x0, x1 := span(trX(cp.xEdges[i]), trX(cp.xEdges[i+1]), i < nx-1)
				y0, y1 := span(trY(cp.yEdges[j]), trY(cp.yEdges[j+1]), j < ny-1)
				r := vg.Rectangle{Min: vg.Point{X: x0, Y: y0}, Max: vg.Point{X: x1, Y: y1}}
				c.SetColor(cp.scale.at(cp.z(i, j)))
				c.Fill(r.Path())
			}
		}
		return
	}

	// Paint an image with one pixel per device dot, each pixel taking
	// the colour of the cell under it, so cells stay sharp however many
	// or few there are.
	dots := func(l vg.Length) float64 { return l.Points() / 72 * pngDPI }
	w := max(1, int(math.Ceil(dots(c.Max.X-c.Min.X))))
	h := max(1, int(math.Ceil(dots(c.Max.Y-c.Min.Y))))
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	col := make([]int, nx+1) // pixel column of each x edge
	for i, x := range cp.xEdges {
		col[i] = clampInt(int(math.Round(dots(trX(x)-c.Min.X))), 0, w)
	}
	row := make([]int, ny+1) // pixel row (from the top) of each y edge
	for j, y := range cp.yEdges {
		row[j] = clampInt(int(math.Round(dots(c.Max.Y-trY(y)))), 0, h)
	}
	for i := range nx {
		for j := range ny {
			r := image.Rect(col[i], row[j], col[i+1], row[j+1]).Canon()
			if r.Empty() {
				continue
			}
			imgdraw.Draw(img, r, &image.Uniform{cp.scale.at(cp.z(i, j))}, image.Point{}, imgdraw.Src)
		}
	}
	c.DrawImage(c.Rectangle, img)
}

// span returns the extent, smallest first, of a cell from edge a (shared
// with the cell drawn before) to edge b (shared with the cell drawn next).
// If there is a next cell, the extent reaches a hair into it, so that no
// white seams show between cells; the next cell then covers the overlap.
func span(a, b vg.Length, next bool) (lo, hi vg.Length) {
	const overlap = vg.Length(0.3) // points
	if next {
		if b > a {
			b += overlap
		} else {
			b -= overlap
		}
	}
	return min(a, b), max(a, b)
}

// clampInt limits v to lo…hi.
func clampInt(v, lo, hi int) int { return min(max(v, lo), hi) }

// colourBar explains a colour scale: a vertical bar with ticks and a
// label, drawn in the panel beside a heat map.
type colourBar struct {
	scale colourScale
	label string
}

// Colour bar geometry.
var (
	barGap   = vg.Points(12) // between the plot and the bar
	barWidth = vg.Points(12)
	barTick  = vg.Points(4)
)

// ticks returns the labelled ticks of the bar.
func (b colourBar) ticks() []gplot.Tick {
	var ts []gplot.Tick
	for _, t := range niceTicks(b.scale.lo, b.scale.hi) {
		if !t.IsMinor() {
			ts = append(ts, t)
		}
	}
	return ts
}

// width returns the width of the panel the bar needs.
func (b colourBar) width() vg.Length {
	sty := tickStyle()
	var tw vg.Length
	for _, t := range b.ticks() {
		tw = max(tw, sty.Width(t.Label))
	}
	return barGap + barWidth + barTick + vg.Points(3) + tw + vg.Points(8) + labelStyle().Height(b.label) + vg.Points(4)
}

// draw draws the bar into panel, whose height is that of the heat map.
func (b colourBar) draw(panel draw.Canvas) {
	x0 := panel.Min.X + barGap
	rect := vg.Rectangle{Min: vg.Point{X: x0, Y: panel.Min.Y}, Max: vg.Point{X: x0 + barWidth, Y: panel.Max.Y}}
	// The bar is a stack of thin strips, one per table colour, each
	// overlapping the next a little so no seams show. (Strips rather than
	// a stretched one-pixel image, which SVG viewers blur away.)
	n := len(b.scale.table)
	h := (rect.Max.Y - rect.Min.Y) / vg.Length(n)
	for k, col := range b.scale.table {
		strip := vg.Rectangle{
			Min: vg.Point{X: rect.Min.X, Y: rect.Min.Y + vg.Length(k)*h},
			Max: vg.Point{X: rect.Max.X, Y: rect.Min.Y + vg.Length(k+1)*h},
		}
		if k < n-1 {
			strip.Max.Y += h / 2
		}
		panel.SetColor(col)
		panel.Fill(strip.Path())
	}
	frame := draw.LineStyle{Color: color.Black, Width: vg.Points(0.5)}
	panel.StrokeLines(frame, []vg.Point{rect.Min, {X: rect.Max.X, Y: rect.Min.Y}, rect.Max, {X: rect.Min.X, Y: rect.Max.Y}, rect.Min})

	sty := tickStyle()
	sty.XAlign, sty.YAlign = draw.XLeft, draw.YCenter
	var tw vg.Length
	for _, t := range b.ticks() {
		y := rect.Min.Y + vg.Length((t.Value-b.scale.lo)/(b.scale.hi-b.scale.lo))*(rect.Max.Y-rect.Min.Y)
		panel.StrokeLine2(frame, rect.Max.X, y, rect.Max.X+barTick, y)
		panel.FillText(sty, vg.Point{X: rect.Max.X + barTick + vg.Points(3), Y: y}, t.Label)
		tw = max(tw, sty.Width(t.Label))
	}

	// The label reads upwards, like a y axis label.
	ls := labelStyle()
	ls.Rotation = math.Pi / 2
	ls.XAlign, ls.YAlign = draw.XCenter, draw.YBottom
	x := rect.Max.X + barTick + vg.Points(3) + tw + vg.Points(8) + ls.Height(b.label)
	panel.FillText(ls, vg.Point{X: x - ls.FontExtents().Descent, Y: (rect.Min.Y + rect.Max.Y) / 2}, b.label)
}

// tickStyle is the style of tick labels.
func tickStyle() text.Style { return newPlot("", "", "").Y.Tick.Label }

// labelStyle is the style of axis labels.
func labelStyle() text.Style { return newPlot("", "", "").Y.Label.TextStyle }

// sans is the font of all text, at the given size in points.
func sans(size float64) font.Font {
	return font.Font{Typeface: "Liberation", Variant: "Sans", Size: vg.Points(size)}
}

// newPlot returns a plot with the common look of all figures.
func newPlot(title, xLabel, yLabel string) *gplot.Plot {
	p := gplot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = sans(13)
	p.Title.Padding = vg.Points(8)
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	for _, a := range []*gplot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = sans(11)
		a.Label.Padding = vg.Points(4)
		a.Tick.Label.Font = sans(9.5)
		a.Tick.Length = vg.Points(4)
		a.Tick.Marker = gplot.TickerFunc(niceTicks)
	}
	return p
}

// niceTicks places about five labelled ticks on round numbers (1, 2 or 5
// times a power of ten), all with the same number of decimals, and
// unlabelled minor ticks between them.
func niceTicks(lo, hi float64) []gplot.Tick {
	if !(hi > lo) || math.IsInf(hi-lo, 0) {
		return []gplot.Tick{{Value: lo, Label: strconv.FormatFloat(lo, 'g', 4, 64)}}
	}
	raw := (hi - lo) / 6
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step, minors := 10*mag, 5
	for _, m := range []struct {
		mantissa float64
		minors   int
	}{{1, 5}, {2, 4}, {5, 5}} {
		if m.mantissa*mag >= raw {
			step, minors = m.mantissa*mag, m.minors
			break
		}
	}
	decimals := max(0, -int(math.Floor(math.Log10(step)+1e-9)))
	var ts []gplot.Tick
	minor := step / float64(minors)
	for k := math.Ceil(lo / minor); k*minor <= hi+minor*1e-9; k++ {
		v := k * minor
		if math.Abs(v) < minor*1e-9 {
			v = 0 // not "-0"
		}
		t := gplot.Tick{Value: v}
		if int(math.Round(k))%minors == 0 {
			t.Label = strconv.FormatFloat(v, 'f', decimals, 64)
		}
		ts = append(ts, t)
	}
	return ts
}

// integerTicks puts ticks on whole numbers only (neuron and synapse
// indices): every whole number on short ranges, else round numbers.
func integerTicks(lo, hi float64) []gplot.Tick {
	var ts []gplot.Tick
	if hi-lo <= 12 {
		for v := math.Ceil(lo) + 0; v <= hi; v++ { // + 0 turns -0 into 0
			ts = append(ts, gplot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', 0, 64)})
		}
		return ts
	}
	for _, t := range niceTicks(lo, hi) {
		if t.Value == math.Trunc(t.Value) {
			ts = append(ts, t)
		}
	}
	return ts
}

// labelTicks names the whole numbers 0, 1, … with labels.
func labelTicks(labels []string) gplot.Ticker {
	ts := make(gplot.ConstantTicks, len(labels))
	for i, l := range labels {
		ts[i] = gplot.Tick{Value: float64(i), Label: l}
	}
	return ts
}

// drawWithPanel draws p on the left of c, leaving a panel of the given
// width on the right. It returns the plot's data area and the panel, which
// has the same height as the data area.
func drawWithPanel(c draw.Canvas, p *gplot.Plot, width vg.Length) (data, panel draw.Canvas) {
	main := draw.Crop(c, 0, -width, 0, 0)
	p.Draw(main)
	data = p.DataCanvas(main)
	panel = draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
		Min: vg.Point{X: main.Max.X, Y: data.Min.Y},
		Max: vg.Point{X: c.Max.X, Y: data.Max.Y},
	}}
	return data, panel
}

// legend is a list of entries drawn in the panel beside a plot.
type legend struct{ gplot.Legend }

// newLegend returns an empty legend in the figures' style.
func newLegend() *legend {
	l := &legend{gplot.NewLegend()}
	l.TextStyle.Font = sans(10)
	l.Top, l.Left = true, true
	l.ThumbnailWidth = vg.Points(16)
	l.Padding = vg.Points(3)
	return l
}

// legendGap is the space between the plot and the legend.
var legendGap = vg.Points(12)

// width returns the width of the panel the legend needs.
func (l *legend) width() vg.Length {
	return legendGap + l.Rectangle(draw.Canvas{}).Size().X + vg.Points(8)
}

// draw draws the legend at the top of panel.
func (l *legend) draw(panel draw.Canvas) {
	l.Legend.Draw(draw.Crop(panel, legendGap, 0, 0, 0))
}

// hline is a horizontal line from x0 to x1 at height y. It implements
// gplot.Plotter and gplot.Thumbnailer.
type hline struct {
	y, x0, x1 float64
	style     draw.LineStyle
}

// Plot implements gplot.Plotter.
func (h *hline) Plot(c draw.Canvas, p *gplot.Plot) {
	trX, trY := p.Transforms(&c)
	c.StrokeLine2(h.style, trX(h.x0), trY(h.y), trX(h.x1), trY(h.y))
}

// DataRange implements gplot.DataRanger.
func (h *hline) DataRange() (xmin, xmax, ymin, ymax float64) {
	return h.x0, h.x1, h.y, h.y
}

// Thumbnail implements gplot.Thumbnailer.
func (h *hline) Thumbnail(c *draw.Canvas) {
	y := c.Center().Y
	c.StrokeLine2(h.style, c.Min.X, y, c.Max.X, y)
}

// spikeMarks draws spikes as vertical lines from the trace (from[k] at
// time xs[k]) up to top. It implements gplot.Plotter and
// gplot.Thumbnailer.
type spikeMarks struct {
	xs, from []float64
	top      float64
	style    draw.LineStyle
}

// Plot implements gplot.Plotter.
func (s *spikeMarks) Plot(c draw.Canvas, p *gplot.Plot) {
	trX, trY := p.Transforms(&c)
	for k, x := range s.xs {
		c.StrokeLine2(s.style, trX(x), trY(s.from[k]), trX(x), trY(s.top))
	}
}

// DataRange implements gplot.DataRanger.
func (s *spikeMarks) DataRange() (xmin, xmax, ymin, ymax float64) {
	if len(s.xs) == 0 {
		return math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	}
	return slices.Min(s.xs), slices.Max(s.xs), slices.Min(s.from), s.top
}

// Thumbnail implements gplot.Thumbnailer.
func (s *spikeMarks) Thumbnail(c *draw.Canvas) {
	x := c.Center().X
	c.StrokeLine2(s.style, x, c.Min.Y, x, c.Max.Y)
}

// dots draws one small filled circle per spike. The radius shrinks with
// the number of rows (neurons) so that neighbouring rows stay apart, but
// never below a size that is still visible. It implements gplot.Plotter
// and gplot.Thumbnailer.
type dots struct {
	xs, ys []float64
	colour color.Color
	rows   int // total number of neurons in the raster
}

// radius returns the dot radius on canvas c.
func (d *dots) radius(c draw.Canvas) vg.Length {
	spacing := (c.Max.Y - c.Min.Y) / vg.Length(max(d.rows, 1))
	return min(max(0.4*spacing, vg.Points(0.65)), vg.Points(2))
}

// Plot implements gplot.Plotter.
func (d *dots) Plot(c draw.Canvas, p *gplot.Plot) {
	trX, trY := p.Transforms(&c)
	r := d.radius(c)
	if img, ok := pixelTarget(c); ok {
		d.stamp(img, r, trX, trY)
		return
	}
	c.SetColor(d.colour)
	// All dots go into a few large paths: much faster than one
	// drawing call per dot when there are millions of spikes.
	const perPath = 4096
	var path vg.Path
	for k := range d.xs {
		x, y := trX(d.xs[k]), trY(d.ys[k])
		path.Move(vg.Point{X: x + r, Y: y})
		path.Arc(vg.Point{X: x, Y: y}, r, 0, 2*math.Pi)
		path.Close()
		if (k+1)%perPath == 0 {
			c.Fill(path)
			path = path[:0]
		}
	}
	if len(path) > 0 {
		c.Fill(path)
	}
}

// pixelCanvas is a canvas that draws into an image (vgimg.Canvas).
type pixelCanvas interface {
	Image() imgdraw.Image
	DPI() float64
}

// pixelTarget returns the pixel canvas under c, if there is one. Cropping
// wraps canvases in each other, so it unwraps them first.
func pixelTarget(c draw.Canvas) (pixelCanvas, bool) {
	vc := c.Canvas
	for {
		inner, ok := vc.(draw.Canvas)
		if !ok {
			break
		}
		vc = inner.Canvas
	}
	pc, ok := vc.(pixelCanvas)
	return pc, ok
}

// stamp draws the dots straight into the image of a pixel canvas: a
// pre-drawn anti-aliased disc is copied to each spike's position. This is
// many times faster than filling a circular path per dot, which matters
// for rasters with millions of spikes.
func (d *dots) stamp(pc pixelCanvas, r vg.Length, trX, trY func(float64) vg.Length) {
	img, dpi := pc.Image(), pc.DPI()
	height := img.Bounds().Dy()
	rpx := r.Points() / 72 * dpi
	disc := discMask(rpx)
	half := disc.Bounds().Dx() / 2
	src := image.NewUniform(d.colour)
	for k := range d.xs {
		// The canvas has y pointing up and 72 points per inch; the image
		// has y pointing down and dpi pixels per inch.
		px := int(math.Round(trX(d.xs[k]).Points()/72*dpi - 0.5))
		py := height - 1 - int(math.Round(trY(d.ys[k]).Points()/72*dpi-0.5))
		at := image.Rect(px-half, py-half, px-half+disc.Bounds().Dx(), py-half+disc.Bounds().Dy())
		imgdraw.DrawMask(img, at, src, image.Point{}, disc, image.Point{}, imgdraw.Over)
	}
}

// discMask returns an anti-aliased filled circle of radius r pixels,
// centred on the middle pixel of a square mask with an odd side.
func discMask(r float64) *image.Alpha {
	n := 2*int(math.Ceil(r)) + 1
	m := image.NewAlpha(image.Rect(0, 0, n, n))
	const sub = 4 // sub-samples per pixel and axis
	c := float64(n) / 2
	for y := range n {
		for x := range n {
			in := 0
			for sy := range sub {
				for sx := range sub {
					dx := float64(x) + (float64(sx)+0.5)/sub - c
					dy := float64(y) + (float64(sy)+0.5)/sub - c
					if dx*dx+dy*dy <= r*r {
						in++
					}
				}
			}
			m.SetAlpha(x, y, color.Alpha{A: uint8(255 * in / (sub * sub))})
		}
	}
	return m
}

// Thumbnail implements gplot.Thumbnailer.
func (d *dots) Thumbnail(c *draw.Canvas) {
	c.SetColor(d.colour)
	var path vg.Path
	ctr := c.Center()
	r := vg.Points(3)
	path.Move(vg.Point{X: ctr.X + r, Y: ctr.Y})
	path.Arc(ctr, r, 0, 2*math.Pi)
	path.Close()
	c.Fill(path)
}

// save draws a figure with render and writes it to path in the format
// given by the extension. render is told whether the output is SVG.
func save(path string, render func(c draw.Canvas, svg bool)) (err error) {
	var cw vg.CanvasWriterTo
	svg := false
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".png":
		cw = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(figWidth, figHeight), vgimg.UseDPI(pngDPI))}
	case ".svg":
		cw = vgsvg.New(figWidth, figHeight)
		svg = true
	default:
		return fmt.Errorf("figure: %s: unknown format %q, use .png or .svg", path, ext)
	}
	defer func() {
		// The plotting library panics on some inputs; a figure is not
		// worth crashing a finished simulation for.
		if r := recover(); r != nil {
			err = fmt.Errorf("figure: drawing %s: %v", path, r)
		}
	}()
	c := draw.New(cw)
	c = draw.Crop(c, vg.Points(4), -vg.Points(8), vg.Points(4), -vg.Points(6)) // margins
	render(c, svg)
	if svg {
		return writeFile(path, svgFixer{cw})
	}
	return writeFile(path, cw)
}

// svgFixer corrects the SVG that vgsvg writes: it embeds images as PNG
// data but labels them "image/jpg", and some SVG viewers (librsvg, used by
// many desktop tools) then show nothing.
type svgFixer struct{ svg io.WriterTo }

// WriteTo implements io.WriterTo.
func (f svgFixer) WriteTo(w io.Writer) (int64, error) {
	var buf bytes.Buffer
	if _, err := f.svg.WriteTo(&buf); err != nil {
		return 0, err
	}
	fixed := bytes.ReplaceAll(buf.Bytes(), []byte("data:image/jpg;base64,"), []byte("data:image/png;base64,"))
	n, err := w.Write(fixed)
	return int64(n), err
}

// writeFile writes the figure to a temporary file next to path and renames
// it to path once it is complete.
func writeFile(path string, figure io.WriterTo) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("figure: %w", err)
	}
	bw := bufio.NewWriter(tmp)
	_, err = figure.WriteTo(bw)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = tmp.Chmod(0o644)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("figure: writing %s: %w", path, err)
	}
	return nil
}
