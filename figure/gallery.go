package figure

import (
	"errors"
	"fmt"
	"math"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Curve is one line of y against x, e.g. a firing rate against current.
type Curve struct {
	Label string
	X, Y  []float64
}

// Curves draws curves on one panel, with a marker at each point.
func Curves(path, title, xLabel, yLabel string, curves []Curve) error {
	if len(curves) == 0 {
		return errors.New("figure: no curves to draw")
	}
	p := newPlot(title, xLabel, yLabel)
	legend := newLegend()
	for i, c := range curves {
		if len(c.X) != len(c.Y) {
			return fmt.Errorf("figure: curve %q has %d x values but %d y values", c.Label, len(c.X), len(c.Y))
		}
		xys := make(plotter.XYs, 0, len(c.X))
		for k := range c.X {
			if finite(c.X[k]) && finite(c.Y[k]) {
				xys = append(xys, plotter.XY{X: c.X[k], Y: c.Y[k]})
			}
		}
		if len(xys) == 0 {
			continue
		}
		line, points, err := plotter.NewLinePoints(xys)
		if err != nil {
			return fmt.Errorf("figure: curve %q: %w", c.Label, err)
		}
		col := colour(i)
		line.LineStyle = draw.LineStyle{Color: col, Width: vg.Points(1.2)}
		points.GlyphStyle = draw.GlyphStyle{Color: col, Radius: vg.Points(2), Shape: draw.CircleGlyph{}}
		p.Add(line, points)
		legend.Add(c.Label, line, points)
	}
	return save(path, func(c draw.Canvas, _ bool) {
		_, panel := drawWithPanel(c, p, legend.width())
		legend.draw(panel)
	})
}

// Panel is one small plot of a Gallery: traces against time.
type Panel struct {
	Title  string
	YLabel string
	Traces []Trace
}

// Gallery draws panels in a grid of cols columns, each with its traces
// against time (ms) and spike marks, at 3.2 × 2.2 inches a panel. It
// writes PNG only.
func Gallery(path, title string, cols int, panels []Panel) error {
	if len(panels) == 0 || cols < 1 {
		return errors.New("figure: no panels to draw")
	}
	rows := (len(panels) + cols - 1) / cols
	plots := make([][]*gplot.Plot, rows)
	for r := range plots {
		plots[r] = make([]*gplot.Plot, cols)
	}
	for i, pn := range panels {
		p := newPlot(pn.Title, "time (ms)", pn.YLabel)
		p.Title.TextStyle.Font = sans(10)
		for j, tr := range pn.Traces {
			if len(tr.Times) != len(tr.Values) {
				return fmt.Errorf("figure: panel %q: trace has %d times but %d values", pn.Title, len(tr.Times), len(tr.Values))
			}
			xys := make(plotter.XYs, 0, len(tr.Times))
			for k := range tr.Times {
				if finite(tr.Values[k]) {
					xys = append(xys, plotter.XY{X: tr.Times[k], Y: tr.Values[k]})
				}
			}
			if len(xys) == 0 {
				continue
			}
			line, err := plotter.NewLine(xys)
			if err != nil {
				return fmt.Errorf("figure: panel %q: %w", pn.Title, err)
			}
			line.LineStyle = draw.LineStyle{Color: colour(j), Width: vg.Points(0.8)}
			p.Add(line)
		}
		plots[i/cols][i%cols] = p
	}
	for r := range plots {
		for c := range plots[r] {
			if plots[r][c] == nil { // an empty tile at the end of the last row
				plots[r][c] = gplot.New()
				plots[r][c].HideAxes()
			}
		}
	}
	w, h := vg.Length(cols)*3.2*vg.Inch, vg.Length(rows)*2.2*vg.Inch+0.4*vg.Inch
	img := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(pngDPI))
	dc := draw.New(img)
	// A title band on top, the grid below it.
	top := draw.Crop(dc, 0, 0, 0, -0.4*vg.Inch)
	ts := newPlot("", "", "").Title.TextStyle
	ts.Font = sans(13)
	ts.XAlign, ts.YAlign = draw.XCenter, draw.YCenter
	dc.FillText(ts, vg.Point{X: w / 2, Y: h - 0.2*vg.Inch}, title)
	tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: vg.Points(6), PadY: vg.Points(6), PadTop: vg.Points(2), PadBottom: vg.Points(2), PadLeft: vg.Points(4), PadRight: vg.Points(8)}
	canvases := gplot.Align(plots, tiles, top)
	for r := range plots {
		for c := range plots[r] {
			plots[r][c].Draw(canvases[r][c])
		}
	}
	return writeFile(path, vgimg.PngCanvas{Canvas: img})
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
