package figure

// This file holds the figures of spike-train analysis: histograms (ISI
// histograms, population rates, PSTHs), correlograms, the KS plot of the
// time-rescaling test and fitted spike-history filters.

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"strconv"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Bars is one series of a histogram over shared bin edges: bin i spans
// edges[i] … edges[i+1] and has the value Values[i]. A bin whose value is
// NaN or ±Inf is left out (a gap).
type Bars struct {
	// Label names the series in the legend; the legend is drawn only
	// when some series has a label.
	Label string
	// Values are the bin values, one per bin, in the unit of the y axis
	// (e.g. a count, or a rate in Hz).
	Values []float64
	// Lower and Upper, if not nil, bound a shaded band per bin, e.g.
	// mean − SEM … mean + SEM for a PSTH over trials. Both are nil or
	// both have one value per bin; a bin where either is not finite has
	// no band.
	Lower, Upper []float64
}

// Histogram draws one series of bars over bin edges: bin i spans
// edges[i] … edges[i+1] on the x axis and rises from 0 to values[i]
// (which may be negative). len(edges) must be len(values)+1 ≥ 2 and the
// edges finite and strictly increasing. The labels should give units,
// e.g. "ISI (ms)" and "count", or "time (ms)" and "rate (Hz)". It is
// Histograms with a single unlabelled series.
func Histogram(path, title, xLabel, yLabel string, edges, values []float64) error {
	return Histograms(path, title, xLabel, yLabel, edges, []Bars{{Values: values}})
}

// Histograms draws several series of bars over the same bin edges (see
// Histogram). Each series is a step outline in its colour; the first is
// also filled with a light tint of its colour, so later series stay
// visible over it. A series' band (Lower … Upper) is a 55% opaque shade
// of its colour, and the fill stops at the band's edge nearest 0, so the
// band shows in one shade over its whole height. The x axis spans exactly
// edges[0] … edges[n]; the y axis always includes 0 and has 5% headroom;
// the bars stand on the x axis when no value is negative (otherwise a grey
// line marks 0). Non-finite values and band limits are skipped. Bins
// narrower than half a PNG pixel (1/300 inch) are merged with their
// neighbours: each merged column shows the range of its values (the
// outline covers least to greatest, the fill reaches the extreme), which
// is what drawing every bin would show, and keeps drawing time and SVG
// size bounded for any number of bins.
func Histograms(path, title, xLabel, yLabel string, edges []float64, series []Bars) error {
	p, legend, err := histogramPlot(title, xLabel, yLabel, edges, series)
	if err != nil {
		return err
	}
	return saveWithLegend(path, p, legend)
}

// Correlogram draws a cross- or auto-correlogram: bars over lag bins
// (edges in ms, len(edges) = len(values)+1, as in Histogram) with the x
// axis labelled "lag (ms)" and a dashed grey vertical line at zero lag
// when 0 lies strictly inside the edges. yLabel gives the unit of the
// values, e.g. "count" or "rate (Hz)"; values may be negative (e.g. after
// subtracting a shuffle predictor).
func Correlogram(path, title string, edges, values []float64, yLabel string) error {
	p, legend, err := histogramPlot(title, "lag (ms)", yLabel, edges, []Bars{{Values: values}})
	if err != nil {
		return err
	}
	if edges[0] < 0 && edges[len(edges)-1] > 0 {
		p.Add(&vline{x: 0, style: dashed(color.Gray{0x55})})
	}
	return saveWithLegend(path, p, legend)
}

// saveWithLegend writes p to path, with the legend beside it when the
// legend is not nil.
func saveWithLegend(path string, p *gplot.Plot, legend *legend) error {
	return save(path, func(c draw.Canvas, _ bool) {
		if legend == nil {
			p.Draw(c)
			return
		}
		_, panel := drawWithPanel(c, p, legend.width())
		legend.draw(panel)
	})
}

// histogramPlot checks the input of Histograms and builds its plot and
// legend (nil when no series has a label).
func histogramPlot(title, xLabel, yLabel string, edges []float64, series []Bars) (*gplot.Plot, *legend, error) {
	if len(series) == 0 {
		return nil, nil, errors.New("figure: histogram needs at least one series")
	}
	n := len(edges) - 1
	if n < 1 {
		return nil, nil, fmt.Errorf("figure: histogram needs at least two bin edges, got %d", len(edges))
	}
	for i, e := range edges {
		if !finite(e) || (i > 0 && !(e > edges[i-1])) {
			return nil, nil, fmt.Errorf("figure: histogram edges must be finite and increasing (edge %d)", i)
		}
	}
	labelled := false
	for i, s := range series {
		switch {
		case len(s.Values) != n:
			return nil, nil, fmt.Errorf("figure: histogram series %d has %d values for %d bins", i+1, len(s.Values), n)
		case (s.Lower == nil) != (s.Upper == nil):
			return nil, nil, fmt.Errorf("figure: histogram series %d has only one of Lower and Upper", i+1)
		case s.Lower != nil && (len(s.Lower) != n || len(s.Upper) != n):
			return nil, nil, fmt.Errorf("figure: histogram series %d has %d lower and %d upper limits for %d bins", i+1, len(s.Lower), len(s.Upper), n)
		}
		labelled = labelled || s.Label != ""
	}

	p := newPlot(title, xLabel, yLabel)
	var legend *legend
	if labelled {
		legend = newLegend()
	}
	lo, hi := 0.0, 0.0
	for i, s := range series {
		col := colour(i)
		b := &barSeries{edges: edges, values: s.Values, lower: s.Lower, upper: s.Upper,
			line: draw.LineStyle{Color: col, Width: vg.Points(1.2)}, closed: i == 0}
		if i == 0 {
			b.fill = tint(col, 0.7)
		}
		if s.Lower != nil {
			// 55% opaque: over white darker than the fill.
			b.band = translucent(col, 0.55)
		}
		_, _, ylo, yhi := b.DataRange()
		lo, hi = math.Min(lo, ylo), math.Max(hi, yhi)
		p.Add(b)
		if legend != nil {
			label := s.Label
			if label == "" {
				label = fmt.Sprintf("series %d", i+1)
			}
			legend.Add(label, b)
		}
	}
	if lo < 0 {
		p.Add(&hline{y: 0, x0: edges[0], x1: edges[n], style: draw.LineStyle{Color: color.Gray{0x99}, Width: vg.Points(0.7)}})
	}

	// The x axis spans exactly the bins; 5% headroom above (and below
	// negative) values; bars that start at 0 stand on the x axis.
	p.X.Min, p.X.Max = edges[0], edges[n]
	if hi == lo { // all zero, or nothing finite
		hi = 1
	}
	pad := 0.05 * (hi - lo)
	p.Y.Min, p.Y.Max = lo, hi+pad
	if lo < 0 {
		p.Y.Min = lo - pad
	} else {
		p.X.Padding = 0
	}
	return p, legend, nil
}

// tint mixes col with white: f = 0 gives col, f = 1 white.
func tint(col color.Color, f float64) color.Color {
	r, g, b, _ := col.RGBA()
	mix := func(v uint32) uint8 { return uint8(math.Round(float64(v>>8) + (255-float64(v>>8))*f)) }
	return color.RGBA{mix(r), mix(g), mix(b), 0xFF}
}

// translucent returns col with the given opacity (0 … 1), for bands.
func translucent(col color.Color, opacity float64) color.Color {
	c := color.NRGBAModel.Convert(col).(color.NRGBA)
	c.A = uint8(math.Round(255 * opacity))
	return c
}

// barSeries draws one series of a histogram: a filled area (if fill is
// set), a band (if band is set) and a step outline along the bin tops,
// which drops to 0 at the ends of each run of finite bins when closed is
// set. It implements gplot.Plotter, gplot.DataRanger and
// gplot.Thumbnailer.
type barSeries struct {
	edges, values, lower, upper []float64
	fill, band                  color.Color
	line                        draw.LineStyle
	closed                      bool
}

// DataRange implements gplot.DataRanger; y always includes 0.
func (b *barSeries) DataRange() (xmin, xmax, ymin, ymax float64) {
	ymin, ymax = 0, 0
	for i, v := range b.values {
		if finite(v) {
			ymin, ymax = math.Min(ymin, v), math.Max(ymax, v)
		}
		if b.lower != nil && finite(b.lower[i]) && finite(b.upper[i]) {
			ymin = math.Min(ymin, math.Min(b.lower[i], b.upper[i]))
			ymax = math.Max(ymax, math.Max(b.lower[i], b.upper[i]))
		}
	}
	return b.edges[0], b.edges[len(b.edges)-1], ymin, ymax
}

// barGroup is one or more neighbouring bins drawn as one: bins narrower
// than half a PNG pixel are merged with their neighbours in the same
// half-pixel slot, so that drawing time and SVG size stay bounded by the
// width of the figure, not the number of bins.
type barGroup struct {
	x0, x1         vg.Length // outer edges on the canvas
	n              int       // number of finite values
	first, last    float64   // first and last finite value
	lo, hi         float64   // least and greatest finite value
	fillLo, fillHi float64   // extent of the fill, fillLo ≤ 0 ≤ fillHi
	bandLo, bandHi float64   // extent of the band, if hasBand
	hasBand        bool
}

// groups merges the bins into barGroups (see barGroup); bins at least half
// a pixel wide are groups of their own.
func (b *barSeries) groups(c draw.Canvas, trX func(float64) vg.Length) []barGroup {
	const slot = vg.Length(36.0 / pngDPI) // half a PNG pixel, in points
	var gs []barGroup
	cur := math.NaN()
	for i, v := range b.values {
		x0, x1 := trX(b.edges[i]), trX(b.edges[i+1])
		if k := math.Floor(float64((x0 - c.Min.X) / slot)); k != cur || x1-x0 >= slot {
			cur = k
			gs = append(gs, barGroup{x0: x0, bandLo: math.Inf(1), bandHi: math.Inf(-1)})
		}
		g := &gs[len(gs)-1]
		g.x1 = x1
		band := b.band != nil && finite(b.lower[i]) && finite(b.upper[i])
		var l, u float64
		if band {
			l, u = math.Min(b.lower[i], b.upper[i]), math.Max(b.lower[i], b.upper[i])
			g.hasBand = true
			g.bandLo, g.bandHi = math.Min(g.bandLo, l), math.Max(g.bandHi, u)
		}
		if !finite(v) {
			continue
		}
		if g.n == 0 {
			g.first, g.lo, g.hi = v, v, v
		}
		g.n++
		g.last, g.lo, g.hi = v, math.Min(g.lo, v), math.Max(g.hi, v)
		// The fill reaches from 0 to the value, or only to the band's
		// edge nearest 0 where there is a band, so that the band shows
		// in one shade over its whole height.
		top := v
		if band && v >= 0 {
			top = math.Max(0, math.Min(v, l))
		} else if band {
			top = math.Min(0, math.Max(v, u))
		}
		g.fillLo, g.fillHi = math.Min(g.fillLo, top), math.Max(g.fillHi, top)
	}
	return gs
}

// Plot implements gplot.Plotter.
func (b *barSeries) Plot(c draw.Canvas, p *gplot.Plot) {
	trX, trY := p.Transforms(&c)
	gs := b.groups(c, trX)
	// fillSteps fills the area between two step functions, lo and hi of
	// each group, one polygon per run of groups where span is ok. (One
	// polygon rasterises much faster than a rectangle per group, whose
	// full-height edges fill every pixel row with cells, and leaves no
	// seams between groups.)
	var poly []vg.Point
	fillSteps := func(col color.Color, span func(g *barGroup) (lo, hi float64, ok bool)) {
		for start := 0; start < len(gs); {
			if _, _, ok := span(&gs[start]); !ok {
				start++
				continue
			}
			end := start + 1
			for end < len(gs) {
				if _, _, ok := span(&gs[end]); !ok {
					break
				}
				end++
			}
			poly = poly[:0]
			for k := start; k < end; k++ {
				_, hi, _ := span(&gs[k])
				poly = append(poly, vg.Point{X: gs[k].x0, Y: trY(hi)}, vg.Point{X: gs[k].x1, Y: trY(hi)})
			}
			for k := end - 1; k >= start; k-- {
				lo, _, _ := span(&gs[k])
				poly = append(poly, vg.Point{X: gs[k].x1, Y: trY(lo)}, vg.Point{X: gs[k].x0, Y: trY(lo)})
			}
			c.FillPolygon(col, poly)
			start = end
		}
	}
	if b.fill != nil {
		fillSteps(b.fill, func(g *barGroup) (float64, float64, bool) { return g.fillLo, g.fillHi, g.n > 0 })
	}
	if b.band != nil {
		fillSteps(b.band, func(g *barGroup) (float64, float64, bool) { return g.bandLo, g.bandHi, g.hasBand })
	}

	// The outline, one polyline per run of groups with finite values, in
	// pieces of at most 256 points (long jagged polylines rasterise
	// slowly). A merged group contributes its first value, a vertical
	// line over its range of values, and its last value.
	var run []vg.Point
	flush := func() {
		for a := 0; a < len(run)-1; a += 255 {
			c.StrokeLines(b.line, run[a:min(a+256, len(run))])
		}
		run = run[:0]
	}
	for i, g := range gs {
		if g.n == 0 {
			flush()
			continue
		}
		if len(run) == 0 && b.closed {
			run = append(run, vg.Point{X: g.x0, Y: trY(0)})
		}
		if g.n == 1 || g.lo == g.hi {
			run = append(run, vg.Point{X: g.x0, Y: trY(g.first)}, vg.Point{X: g.x1, Y: trY(g.first)})
		} else {
			xm := (g.x0 + g.x1) / 2
			run = append(run, vg.Point{X: g.x0, Y: trY(g.first)}, vg.Point{X: xm, Y: trY(g.lo)},
				vg.Point{X: xm, Y: trY(g.hi)}, vg.Point{X: g.x1, Y: trY(g.last)})
		}
		if b.closed && (i == len(gs)-1 || gs[i+1].n == 0) {
			run = append(run, vg.Point{X: g.x1, Y: trY(0)})
		}
	}
	flush()
}

// Thumbnail implements gplot.Thumbnailer: the fill, the band across the
// middle and the outline's colour as a line through the centre.
func (b *barSeries) Thumbnail(c *draw.Canvas) {
	if b.fill != nil {
		c.SetColor(b.fill)
		c.Fill(c.Rectangle.Path())
	}
	ctr := c.Center()
	if b.band != nil {
		h := (c.Max.Y - c.Min.Y) * 0.35
		r := vg.Rectangle{Min: vg.Point{X: c.Min.X, Y: ctr.Y - h}, Max: vg.Point{X: c.Max.X, Y: ctr.Y + h}}
		c.SetColor(b.band)
		c.Fill(r.Path())
	}
	c.StrokeLine2(b.line, c.Min.X, ctr.Y, c.Max.X, ctr.Y)
}

// vline is a vertical line at x across the whole height of the data area.
// It implements gplot.Plotter and gplot.DataRanger (it widens only the x
// range).
type vline struct {
	x     float64
	style draw.LineStyle
}

// Plot implements gplot.Plotter.
func (v *vline) Plot(c draw.Canvas, p *gplot.Plot) {
	trX, _ := p.Transforms(&c)
	c.StrokeLine2(v.style, trX(v.x), c.Min.Y, trX(v.x), c.Max.Y)
}

// DataRange implements gplot.DataRanger.
func (v *vline) DataRange() (xmin, xmax, ymin, ymax float64) {
	return v.x, v.x, math.Inf(1), math.Inf(-1)
}

// KSSeries is one model's KS plot: the sorted transformed rescaled
// intervals z_(k) = 1 − exp(−τ_(k)) (Empirical) against the quantiles
// b_k = (k − ½)/n of the uniform distribution (Model), k = 1 … n, as in
// pointprocess.KS (Uniform and Model).
type KSSeries struct {
	// Label names the model in the legend, e.g. "with history".
	Label string
	// Model are the model quantiles b_k (x), Empirical the empirical
	// quantiles z_(k) (y), both dimensionless in [0, 1], one per
	// interval. Pairs with a NaN or ±Inf are skipped.
	Model, Empirical []float64
	// D is the KS statistic max_z |F_n(z) − z|; if positive the legend
	// shows it after the label, "(D = 0.031)".
	D float64
	// Bound is the half-width of the confidence band, e.g. the 95%
	// bound 1.36/√n (pointprocess.KS.Bound95); 0 draws no band.
	Bound float64
}

// KSPlot draws the Kolmogorov–Smirnov plot of the time-rescaling test
// (Brown, Barbieri, Ventura, Kass & Frank 2002): each series' empirical
// quantiles z_(k) (y) against its model quantiles b_k (x) as a line in its
// colour, the 45° line y = x in grey, and the confidence band b ± Bound
// as two dashed lines, clipped to [0, 1]: y = x + Bound from (0, Bound)
// to (1 − Bound, 1) and y = x − Bound from (Bound, 0) to (1, 1 − Bound).
// A model passes at the band's level if its curve stays inside (to within
// 1/(2n): D compares z_(k) with the steps (k−1)/n and k/n, the plot with
// their midpoint b_k). Both axes span [0, 1] and the data area is square;
// points closer than 1/2000 of an axis to the last one drawn are skipped
// (under half a pixel), so 10⁵ intervals draw quickly. If all series have
// the same Bound (the same number of intervals) the band is drawn once,
// in grey; otherwise each series' band is drawn in its own colour. Every
// series needs at least one point; Bound must not be negative.
func KSPlot(path, title string, series []KSSeries) error {
	if len(series) == 0 {
		return errors.New("figure: KS plot needs at least one series")
	}
	shared := true
	for _, s := range series {
		switch {
		case len(s.Model) != len(s.Empirical):
			return fmt.Errorf("figure: KS series %q has %d model and %d empirical quantiles", s.Label, len(s.Model), len(s.Empirical))
		case len(s.Model) == 0:
			return fmt.Errorf("figure: KS series %q has no points", s.Label)
		case !(s.Bound >= 0) || math.IsInf(s.Bound, 0):
			return fmt.Errorf("figure: KS series %q has bound %g, want a finite value ≥ 0", s.Label, s.Bound)
		}
		shared = shared && s.Bound == series[0].Bound
	}

	p := newPlot(title, "model quantile (k − ½)/n", "empirical quantile z(k)")
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 1, 0, 1
	legend := newLegend()
	grey := color.Gray{0x55}
	p.Add(&segment{x0: 0, y0: 0, x1: 1, y1: 1, style: draw.LineStyle{Color: grey, Width: vg.Points(1)}})
	// Each band is drawn before the curves, so it lies under them, and
	// listed in the legend after its curve (after all curves if shared).
	addBand := func(bound float64, col color.Color) *segment {
		b := math.Min(bound, 1)
		sty := dashed(col)
		upper := &segment{x0: 0, y0: b, x1: 1 - b, y1: 1, style: sty}
		p.Add(upper, &segment{x0: b, y0: 0, x1: 1, y1: 1 - b, style: sty})
		return upper
	}
	bandThumbs := make([]*segment, len(series))
	for i, s := range series {
		if s.Bound > 0 && (i == 0 || !shared) {
			col := colour(i)
			if shared {
				col = grey
			}
			bandThumbs[i] = addBand(s.Bound, col)
		}
	}
	for i, s := range series {
		col := colour(i)
		// A KS curve can have 10⁵ points; points closer than 1/2000 of
		// the axis to the last one drawn are left out (less than half a
		// pixel), and the rest is drawn in pieces.
		var pts plotter.XYs
		for k := range s.Model {
			x, y := s.Model[k], s.Empirical[k]
			if !finite(x) || !finite(y) {
				continue
			}
			if m := len(pts); m > 0 && k < len(s.Model)-1 && math.Abs(x-pts[m-1].X) < 5e-4 && math.Abs(y-pts[m-1].Y) < 5e-4 {
				continue
			}
			pts = append(pts, plotter.XY{X: x, Y: y})
		}
		style := draw.LineStyle{Color: col, Width: vg.Points(1.5)}
		for a := 0; a < len(pts); a += 255 {
			line, err := plotter.NewLine(pts[a:min(a+256, len(pts))])
			if err != nil {
				return fmt.Errorf("figure: KS series %q: %w", s.Label, err)
			}
			line.LineStyle = style
			p.Add(line)
		}
		label := s.Label
		if label == "" {
			label = fmt.Sprintf("model %d", i+1)
		}
		if s.D > 0 {
			label += fmt.Sprintf(" (D = %.3f)", s.D)
		}
		legend.Add(label, &segment{style: style})
		if !shared && bandThumbs[i] != nil {
			legend.Add(fmt.Sprintf("band ± %.3g", s.Bound), bandThumbs[i])
		}
	}
	if shared && bandThumbs[0] != nil {
		legend.Add(fmt.Sprintf("band ± %.3g", series[0].Bound), bandThumbs[0])
	}
	// gplot.Add widened the axes to the data; the axes stay [0, 1].
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 1, 0, 1

	return save(path, func(c draw.Canvas, _ bool) {
		// Narrow the canvas, keeping it centred, until the data area is
		// square. The axes' sizes do not depend on the width, so one
		// correction is exact; a second guards against rounding.
		for range 2 {
			d := p.DataCanvas(draw.Crop(c, 0, -legend.width(), 0, 0))
			if extra := (d.Max.X - d.Min.X) - (d.Max.Y - d.Min.Y); extra > 0 {
				c = draw.Crop(c, extra/2, -extra/2, 0, 0)
			}
		}
		_, panel := drawWithPanel(c, p, legend.width())
		legend.draw(panel)
	})
}

// segment is a straight line from (x0, y0) to (x1, y1) in data
// coordinates, clipped to the data area. It implements gplot.Plotter and
// gplot.Thumbnailer; it does not widen the axes.
type segment struct {
	x0, y0, x1, y1 float64
	style          draw.LineStyle
}

// Plot implements gplot.Plotter.
func (s *segment) Plot(c draw.Canvas, p *gplot.Plot) {
	trX, trY := p.Transforms(&c)
	c.StrokeLines(s.style, c.ClipLinesXY([]vg.Point{{X: trX(s.x0), Y: trY(s.y0)}, {X: trX(s.x1), Y: trY(s.y1)}})...)
}

// Thumbnail implements gplot.Thumbnailer.
func (s *segment) Thumbnail(c *draw.Canvas) {
	y := c.Center().Y
	c.StrokeLine2(s.style, c.Min.X, y, c.Max.X, y)
}

// Filter draws a fitted spike-history filter h(lag), e.g. of a GLM with
// conditional intensity λ(t) = exp(μ + Σ_lag h(lag)·n(t − lag)): value
// against lag (ms) as a line, the interval lower … upper (e.g. a 95%
// confidence interval) as a translucent band, and a dashed grey line at
// h = 0 (no effect of a past spike). The values are the log-gain h as
// given (yLabel names it, e.g. "h (log gain)"); a second axis on the right
// reads them as the multiplicative gain exp(h) on the intensity, so
// exp(h) = 0.5 halves the rate. lower and upper are both nil (no band) or
// have one value per lag; lags must be finite and strictly increasing.
// Non-finite values break the line, non-finite limits the band. The y axis
// covers 0, the values and the band, but the band no further than one
// range of the values (at least 1) beyond them: a band that wide is clipped.
func Filter(path, title string, lags, value, lower, upper []float64, yLabel string) error {
	n := len(lags)
	switch {
	case n == 0:
		return errors.New("figure: filter has no lags")
	case len(value) != n:
		return fmt.Errorf("figure: filter has %d lags but %d values", n, len(value))
	case (lower == nil) != (upper == nil):
		return errors.New("figure: filter has only one of lower and upper")
	case lower != nil && (len(lower) != n || len(upper) != n):
		return fmt.Errorf("figure: filter has %d lags but %d lower and %d upper limits", n, len(lower), len(upper))
	}
	for i, l := range lags {
		if !finite(l) || (i > 0 && !(l > lags[i-1])) {
			return fmt.Errorf("figure: filter lags must be finite and increasing (lag %d)", i)
		}
	}

	p := newPlot(title, "lag (ms)", yLabel)
	col := colour(0)
	if lower != nil {
		p.Add(&band{xs: lags, lower: lower, upper: upper, colour: translucent(col, 0.3)})
	}
	p.Add(&hline{y: 0, x0: lags[0], x1: lags[n-1], style: dashed(color.Gray{0x55})})
	style := draw.LineStyle{Color: col, Width: vg.Points(1.5)}
	var run plotter.XYs
	flush := func() error {
		defer func() { run = run[:0] }()
		if len(run) == 1 { // an isolated value: a dot
			dot, err := plotter.NewScatter(run)
			if err != nil {
				return fmt.Errorf("figure: filter: %w", err)
			}
			dot.GlyphStyle = draw.GlyphStyle{Color: col, Radius: vg.Points(2), Shape: draw.CircleGlyph{}}
			p.Add(dot)
			return nil
		}
		for a := 0; a < len(run)-1; a += 255 {
			line, err := plotter.NewLine(run[a:min(a+256, len(run))])
			if err != nil {
				return fmt.Errorf("figure: filter: %w", err)
			}
			line.LineStyle = style
			p.Add(line)
		}
		return nil
	}
	for i, v := range value {
		if !finite(v) {
			if err := flush(); err != nil {
				return err
			}
			continue
		}
		run = append(run, plotter.XY{X: lags[i], Y: v})
	}
	if err := flush(); err != nil {
		return err
	}
	if n == 1 {
		p.X.Min, p.X.Max = lags[0]-0.5, lags[0]+0.5
	}
	if !(p.Y.Max > p.Y.Min) { // all values 0 (and no band)
		p.Y.Min, p.Y.Max = p.Y.Min-1, p.Y.Max+1
	}
	// A band far wider than the filter's own range (a coefficient the
	// data barely constrain, e.g. lags with no spikes at all) would flatten
	// the filter to a line: the axis then stops one range beyond the values
	// and the band is clipped there.
	vmin, vmax := math.Inf(1), math.Inf(-1)
	for _, v := range value {
		if finite(v) {
			vmin, vmax = math.Min(vmin, v), math.Max(vmax, v)
		}
	}
	if vmax >= vmin {
		span := math.Max(vmax-vmin, math.Max(1, math.Max(math.Abs(vmin), math.Abs(vmax))/10))
		p.Y.Min = math.Max(p.Y.Min, math.Min(0, vmin)-span)
		p.Y.Max = math.Min(p.Y.Max, math.Max(0, vmax)+span)
	}
	gain := gainAxis{label: "gain exp(h)"}
	return save(path, func(c draw.Canvas, _ bool) {
		data, panel := drawWithPanel(c, p, gain.width(p))
		gain.draw(panel, data, p)
	})
}

// band is a shaded area between lower and upper along xs, broken where a
// limit is not finite. It implements gplot.Plotter and gplot.DataRanger.
type band struct {
	xs, lower, upper []float64
	colour           color.Color
}

// DataRange implements gplot.DataRanger.
func (b *band) DataRange() (xmin, xmax, ymin, ymax float64) {
	ymin, ymax = math.Inf(1), math.Inf(-1)
	for i := range b.xs {
		if finite(b.lower[i]) && finite(b.upper[i]) {
			ymin = math.Min(ymin, math.Min(b.lower[i], b.upper[i]))
			ymax = math.Max(ymax, math.Max(b.lower[i], b.upper[i]))
		}
	}
	return b.xs[0], b.xs[len(b.xs)-1], ymin, ymax
}

// Plot implements gplot.Plotter. Each run of finite limits is one
// polygon: along upper forwards, back along lower.
func (b *band) Plot(c draw.Canvas, p *gplot.Plot) {
	trX, trY := p.Transforms(&c)
	var poly []vg.Point
	start := -1
	for i := 0; i <= len(b.xs); i++ {
		ok := i < len(b.xs) && finite(b.lower[i]) && finite(b.upper[i])
		if ok && start < 0 {
			start = i
		}
		if ok || start < 0 {
			continue
		}
		poly = poly[:0]
		for k := start; k < i; k++ {
			poly = append(poly, vg.Point{X: trX(b.xs[k]), Y: trY(b.upper[k])})
		}
		for k := i - 1; k >= start; k-- {
			poly = append(poly, vg.Point{X: trX(b.xs[k]), Y: trY(b.lower[k])})
		}
		if i-start == 1 { // a single lag: a thin vertical bar
			w := vg.Points(1)
			poly = []vg.Point{{X: poly[0].X - w, Y: poly[0].Y}, {X: poly[0].X + w, Y: poly[0].Y}, {X: poly[1].X + w, Y: poly[1].Y}, {X: poly[1].X - w, Y: poly[1].Y}}
		}
		c.FillPolygon(b.colour, c.ClipPolygonXY(poly))
		start = -1
	}
}

// gainAxis is a second y axis, on the right of a plot of a log-gain h,
// that reads h as the gain exp(h).
type gainAxis struct{ label string }

// width returns the width of the panel the axis needs.
func (g gainAxis) width(p *gplot.Plot) vg.Length {
	sty := tickStyle()
	var tw vg.Length
	for _, t := range gainTicks(p.Y.Min, p.Y.Max) {
		tw = max(tw, sty.Width(t.Label))
	}
	return p.Y.Padding + barTick + vg.Points(3) + tw + vg.Points(8) + labelStyle().Height(g.label) + vg.Points(4)
}

// draw draws the axis into panel beside the data area of p.
func (g gainAxis) draw(panel, data draw.Canvas, p *gplot.Plot) {
	_, trY := p.Transforms(&data)
	x := panel.Min.X + p.Y.Padding
	axis := draw.LineStyle{Color: color.Black, Width: p.Y.LineStyle.Width}
	panel.StrokeLine2(axis, x, data.Min.Y, x, data.Max.Y)
	sty := tickStyle()
	sty.XAlign, sty.YAlign = draw.XLeft, draw.YCenter
	var tw vg.Length
	for _, t := range gainTicks(p.Y.Min, p.Y.Max) {
		y := trY(t.Value)
		panel.StrokeLine2(axis, x, y, x+barTick, y)
		panel.FillText(sty, vg.Point{X: x + barTick + vg.Points(3), Y: y}, t.Label)
		tw = max(tw, sty.Width(t.Label))
	}
	ls := labelStyle()
	ls.Rotation = math.Pi / 2
	ls.XAlign, ls.YAlign = draw.XCenter, draw.YBottom
	lx := x + barTick + vg.Points(3) + tw + vg.Points(8) + ls.Height(g.label)
	panel.FillText(ls, vg.Point{X: lx - ls.FontExtents().Descent, Y: (data.Min.Y + data.Max.Y) / 2}, g.label)
}

// gainTicks returns ticks at values h = ln g for round gains g between
// exp(lo) and exp(hi), labelled with g. Over more than a factor of 4 the
// gains are 1, 2 and 5 times powers of ten (see roundGains) if there are
// at least 3 of them; otherwise they are niceTicks' labelled ticks of
// exp(lo) … exp(hi). lo and hi are clamped to ±700, where exp is finite.
func gainTicks(lo, hi float64) []gplot.Tick {
	if !(hi > lo) || !finite(lo) || !finite(hi) {
		return nil
	}
	lo, hi = max(lo, -700), min(hi, 700) // exp stays finite and positive
	if !(hi > lo) {
		return nil
	}
	glo, ghi := math.Exp(lo), math.Exp(hi)
	if hi-lo > math.Log(4) {
		if ts := roundGains(glo, ghi); len(ts) >= 3 {
			return ts
		}
	}
	var ts []gplot.Tick
	for _, t := range niceTicks(glo, ghi) {
		if t.Label != "" && t.Value > 0 {
			ts = append(ts, gplot.Tick{Value: math.Log(t.Value), Label: t.Label})
		}
	}
	return ts
}

// roundGains returns ticks at h = ln g for the gains g = 1, 2 and 5 times
// powers of ten between glo and ghi, or, when there would be more than 8,
// at powers of ten only: every one, or every second, third, … one (those
// divisible by the step, so that 1 stays), until there are at most 8.
func roundGains(glo, ghi float64) []gplot.Tick {
	e0, e1 := int(math.Floor(math.Log10(glo))), int(math.Ceil(math.Log10(ghi)))
	in := func(g float64) bool { return g >= glo*(1-1e-12) && g <= ghi*(1+1e-12) }
	tick := func(g float64, e int) gplot.Tick {
		label := strconv.FormatFloat(g, 'g', 3, 64) // 1e-06, 2e+07
		if e >= -5 && e <= 5 {
			label = strconv.FormatFloat(g, 'f', max(0, -e), 64) // 0.002, 500
		}
		return gplot.Tick{Value: math.Log(g), Label: label}
	}
	var ts []gplot.Tick
	for e := e0; e <= e1; e++ {
		for _, m := range []float64{1, 2, 5} {
			if g := m * math.Pow(10, float64(e)); in(g) {
				ts = append(ts, tick(g, e))
			}
		}
	}
	for every := 1; len(ts) > 8; every++ {
		ts = ts[:0]
		for e := e0; e <= e1; e++ {
			if g := math.Pow(10, float64(e)); in(g) && ((e%every)+every)%every == 0 {
				ts = append(ts, tick(g, e))
			}
		}
	}
	return ts
}
