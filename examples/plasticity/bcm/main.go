// Command bcm runs the two BCM examples of this folder and draws their
// figures:
//
//	go run ./examples/plasticity/bcm [-out DIR]
//
// selectivity.yaml: a linear rate unit shown one of four patterns per step
// becomes selective; selectivity.png shows its response to each pattern
// (computed from the recorded weights) and the sliding threshold θ_M
// (recomputed from the recorded output y with the rule's running mean)
// over training time. curve.yaml: spiking neurons forced to fire at 2–25 Hz
// change their synapses along the BCM curve; curve.png shows the measured
// rate of weight change against the postsynaptic rate, with a fixed and a
// sliding threshold, and the predicted curves. Both models also run with
// `hebb run`. It writes the figures into DIR (default bcm-figures) and
// prints what they show.
package main

import (
	"context"
	"embed"
	"flag"
	"fmt"
	"image/color"
	"log"
	"math"
	"os"
	"path/filepath"
	"strconv"

	"github.com/hebb-snn/hebb/engine"
	"github.com/hebb-snn/hebb/model"
	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

//go:embed selectivity.yaml curve.yaml
var models embed.FS

func main() {
	out := flag.String("out", "bcm-figures", "folder for the figures")
	flag.Parse()
	sel, c, err := run(*out)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("selectivity: mean responses over the second half %.3f: pattern %d wins with %.3f (K·y0 = %g); ⟨y⟩ = %.3f, mean θ_M = %.3f\n",
		sel.Mean, sel.Winner, sel.Mean[sel.Winner], sel.K*sel.Y0, sel.MeanY, sel.MeanTheta)
	for _, cv := range c.Curves {
		fmt.Printf("curve, %s threshold (dw/dt = 0 at %.2f Hz): rate (Hz) → dw/dt (µV/s), predicted\n", cv.Name, cv.Zero)
		for i := range cv.Rate {
			fmt.Printf("  %5.2f → %+8.3f  %+8.3f\n", cv.Rate[i], cv.Slope[i], cv.Theory(cv.Rate[i]))
		}
	}
	fmt.Println("figures in", *out)
}

// run runs both examples and writes selectivity.png and curve.png into
// the folder out.
func run(out string) (*Selectivity, *CurveResult, error) {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, nil, err
	}
	sel, err := selectivity()
	if err != nil {
		return nil, nil, err
	}
	if err := sel.draw(filepath.Join(out, "selectivity.png")); err != nil {
		return nil, nil, err
	}
	c, err := curve()
	if err != nil {
		return nil, nil, err
	}
	if err := c.draw(filepath.Join(out, "curve.png")); err != nil {
		return nil, nil, err
	}
	return sel, c, nil
}

// simulate loads an embedded model file, lets edit (if not nil) change
// it, and runs it.
func simulate(name string, edit func(*model.Spec)) (*engine.Sim, error) {
	data, err := models.ReadFile(name)
	if err != nil {
		return nil, err
	}
	spec, err := model.Parse(name, data)
	if err != nil {
		return nil, err
	}
	if edit != nil {
		edit(spec)
	}
	net, err := spec.Resolve()
	if err != nil {
		return nil, err
	}
	sim, err := engine.Build(net, engine.Options{Threads: 1})
	if err != nil {
		return nil, err
	}
	return sim, sim.Run(context.Background(), nil)
}

// Selectivity is what the selectivity example shows.
type Selectivity struct {
	K, Y0     float64     // number of patterns, target mean response
	Times     []float64   // s, the weight samples
	Resp      [][]float64 // Resp[j][r]: response to pattern j at sample r
	Theta     []float64   // θ_M at each sample
	BinTimes  []float64   // s, centres of 1-s bins
	BinTheta  []float64   // mean θ_M in each bin
	Mean      [4]float64  // mean response to each pattern over the second half
	Winner    int         // the pattern with the largest mean response
	MeanY     float64     // mean output over the second half
	MeanTheta float64     // mean θ_M over the second half
	Patterns  [][]float64 // the input patterns (from the model file)
}

// selectivity runs selectivity.yaml: the responses are relu(w·x_j) for the
// recorded weights w (the unit is linear), and θ_M is recomputed from the
// recorded output with the rule's running mean,
// θ_M(n) = a·θ_M(n−1) + (1 − a)·y(n)²/y₀, a = e^{−dt/τ_θ}.
func selectivity() (*Selectivity, error) {
	// The model file samples y every second; θ_M needs every step.
	sim, err := simulate("selectivity.yaml", func(m *model.Spec) { m.RecordState("out", []string{"y"}, "") })
	if err != nil {
		return nil, err
	}
	net := sim.Net
	var plastic, patterns int = -1, -1
	for i, p := range net.Projs {
		switch {
		case p.Plasticity != nil:
			plastic = i
		case net.Pops[p.To].Name == "in":
			patterns = i
		}
	}
	if plastic < 0 || patterns < 0 {
		return nil, fmt.Errorf("selectivity.yaml: no plastic projection or no patterns")
	}
	nIn := net.Pops[net.Projs[plastic].From].Size
	pw := net.Projs[patterns].Weights
	s := &Selectivity{K: float64(len(pw) / nIn)}
	for j := 0; j < len(pw)/nIn; j++ {
		s.Patterns = append(s.Patterns, pw[j*nIn:(j+1)*nIn])
	}
	if len(s.Patterns) != len(s.Mean) {
		return nil, fmt.Errorf("selectivity.yaml: %d patterns, want %d", len(s.Patterns), len(s.Mean))
	}
	learn := net.Projs[plastic].Learning
	s.Y0 = learn.Num("y0")
	a := math.Exp(-net.Dt / learn.Num("tau_theta"))
	w := sim.Weights()[0]
	s.Resp = make([][]float64, len(s.Patterns))
	for r, t := range w.Times {
		s.Times = append(s.Times, t/1000)
		for j, pat := range s.Patterns {
			y := 0.0
			for k, x := range pat {
				y += w.W[r*nIn+k] * x
			}
			s.Resp[j] = append(s.Resp[j], math.Max(0, y))
		}
	}
	// θ_M from the output: sample 0 is the initial state (t = 0), sample
	// n+1 the output of step n.
	states := sim.States()
	st := states[len(states)-1]
	if len(st.Values) != int(net.Steps)+1 {
		return nil, fmt.Errorf("selectivity: %d samples of y, want one per step", len(st.Values))
	}
	theta := learn.Num("theta_init") * s.Y0
	next := 0
	half := len(st.Values) / 2
	for n, y := range st.Values {
		if n > 0 {
			theta = a*theta + (1-a)*y*y/s.Y0
		}
		for next < len(w.Times) && w.Times[next] <= st.Times[n] {
			s.Theta = append(s.Theta, theta)
			next++
		}
		if n > 0 {
			b := int((st.Times[n] - net.Dt) / 1000) // the bin of step n−1
			for len(s.BinTheta) <= b {
				s.BinTheta = append(s.BinTheta, 0)
				s.BinTimes = append(s.BinTimes, float64(len(s.BinTimes))+0.5)
			}
			s.BinTheta[b] += theta * net.Dt / 1000
		}
		if n >= half {
			s.MeanY += y / float64(len(st.Values)-half)
			s.MeanTheta += theta / float64(len(st.Values)-half)
		}
	}
	rows := len(w.Times)
	for r := rows / 2; r < rows; r++ {
		for j := range s.Mean {
			s.Mean[j] += s.Resp[j][r] / float64(rows-rows/2)
		}
	}
	for j := range s.Mean {
		if s.Mean[j] > s.Mean[s.Winner] {
			s.Winner = j
		}
	}
	return s, nil
}

// Okabe–Ito colours.
var colours = []color.Color{
	color.RGBA{0x00, 0x72, 0xB2, 0xFF},
	color.RGBA{0xD5, 0x5E, 0x00, 0xFF},
	color.RGBA{0x00, 0x9E, 0x73, 0xFF},
	color.RGBA{0xCC, 0x79, 0xA7, 0xFF},
	color.RGBA{0x00, 0x00, 0x00, 0xFF},
}

func line(p *gplot.Plot, label string, x, y []float64, col color.Color, width float64, dashed bool) error {
	xy := make(plotter.XYs, len(x))
	for i := range x {
		xy[i] = plotter.XY{X: x[i], Y: y[i]}
	}
	l, err := plotter.NewLine(xy)
	if err != nil {
		return err
	}
	l.LineStyle = draw.LineStyle{Color: col, Width: vg.Points(width)}
	if dashed {
		l.LineStyle.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
	}
	p.Add(l)
	if label != "" {
		p.Legend.Add(label, l)
	}
	return nil
}

// draw writes the responses and θ_M against training time.
func (s *Selectivity) draw(path string) error {
	p := gplot.New()
	p.Title.Text = fmt.Sprintf("BCM selectivity: one unit, K = %g patterns in random order", s.K)
	p.X.Label.Text = "training time (s; one pattern per ms)"
	p.Y.Label.Text = "response y = w·x (dimensionless)"
	for j := range s.Resp {
		if err := line(p, fmt.Sprintf("pattern %d", j), s.Times, s.Resp[j], colours[j], 1.2, false); err != nil {
			return err
		}
	}
	if err := line(p, "θ_M = ⟨y²⟩/y₀ (mean over each second)", s.BinTimes, s.BinTheta, colours[4], 0.8, false); err != nil {
		return err
	}
	ky := []float64{s.K * s.Y0, s.K * s.Y0}
	if err := line(p, "K·y₀ (selective fixed point)", []float64{s.Times[0], s.Times[len(s.Times)-1]}, ky, colours[4], 1, true); err != nil {
		return err
	}
	p.Legend.Top = true
	p.Legend.Left = true
	p.Legend.XOffs = vg.Points(10)
	p.Y.Min = 0
	p.Y.Max = 1.5 * s.K * s.Y0
	p.X.Tick.Marker = gplot.TickerFunc(ticks)
	p.Y.Tick.Marker = gplot.TickerFunc(ticks)
	return p.Save(8*vg.Inch, 5*vg.Inch, path)
}

// Curve is one population of curve.yaml: the rate of each neuron and the
// mean rate of change of its synapses.
type Curve struct {
	Name   string
	Rate   []float64                // Hz, measured
	Slope  []float64                // µV/s, mean over the neuron's synapses
	Theory func(nu float64) float64 // predicted dw/dt (µV/s)
	Zero   float64                  // Hz, the rate at which the prediction changes sign
}

// CurveResult is what the curve example shows.
type CurveResult struct{ Curves []Curve }

// curve runs curve.yaml and compares each neuron's mean weight change per
// second with the BCM curve for independent Poisson trains: per
// postsynaptic spike η·⟨x̂⟩·(⟨ŷ⟩ − ⟨θ̂⟩), with ⟨x̂⟩ = ν_pre/ν₀, ⟨ŷ⟩ = ν/ν₀
// and ⟨θ̂⟩ = theta_init (fixed) or ⟨ŷ²⟩ = ŷ² + ŷ·J/2 (sliding; J =
// 1/(ν₀·τ_post) is the jump of ŷ at a spike, the second term its shot
// noise), times ν spikes per second.
func curve() (*CurveResult, error) {
	sim, err := simulate("curve.yaml", nil)
	if err != nil {
		return nil, err
	}
	net := sim.Net
	T := float64(net.Steps) * net.Dt / 1000 // s
	counts := map[string][]int{}
	for _, tr := range sim.Spikes() {
		c := make([]int, tr.Size)
		for _, id := range tr.IDs {
			c[id]++
		}
		counts[tr.Pop] = c
	}
	res := &CurveResult{}
	for _, w := range sim.Weights() {
		var pr *model.Proj
		for i := range net.Projs {
			if net.Projs[i].Name == w.Proj {
				pr = &net.Projs[i]
			}
		}
		if pr == nil || pr.Plasticity == nil {
			return nil, fmt.Errorf("curve.yaml: %s is not a plastic projection", w.Proj)
		}
		tgt := net.Pops[pr.To]
		l := pr.Learning
		nuPre := net.Pops[pr.From].Params.Num("rate")
		eta, nu0, th0 := l.Num("eta"), l.Num("nu_0"), l.Num("theta_init")
		jump := 1 / (nu0 / 1000 * l.Num("tau_post"))
		cv := Curve{Name: tgt.Name, Rate: make([]float64, tgt.Size), Slope: make([]float64, tgt.Size)}
		if l.Num("tau_theta") > 1000*T {
			cv.Zero = th0 * nu0
			cv.Theory = func(nu float64) float64 { return 1000 * eta * nu * nuPre / nu0 * (nu/nu0 - th0) }
		} else {
			cv.Zero = nu0 * (1 - jump/2)
			cv.Theory = func(nu float64) float64 {
				y := nu / nu0
				return 1000 * eta * nu * nuPre / nu0 * (y - y*y - y*jump/2)
			}
		}
		ns := len(w.Src)
		per := make([]int, tgt.Size)
		for k := 0; k < ns; k++ {
			cv.Slope[w.Tgt[k]] += 1000 * (w.W[len(w.W)-ns+k] - w.W[k]) / T
			per[w.Tgt[k]]++
		}
		for i := range cv.Slope {
			cv.Slope[i] /= float64(per[i])
			cv.Rate[i] = float64(counts[tgt.Name][i]) / T
		}
		res.Curves = append(res.Curves, cv)
	}
	return res, nil
}

// draw writes the measured points and the predicted curves: the whole
// range of rates, and a close-up of the low rates where the sign changes.
func (c *CurveResult) draw(path string) error {
	hi := 0.0
	for _, cv := range c.Curves {
		for _, r := range cv.Rate {
			hi = math.Max(hi, r)
		}
	}
	panel := func(title string, xmax float64) (*gplot.Plot, error) {
		p := gplot.New()
		p.Title.Text = title
		p.X.Label.Text = "postsynaptic rate ν (Hz)"
		p.Y.Label.Text = "dw/dt (µV/s), mean over 20 synapses"
		ylo, yhi := 0.0, 0.0
		for i, cv := range c.Curves {
			var x, y []float64
			for k := 0; k <= 200; k++ {
				nu := xmax * float64(k) / 200
				x, y = append(x, nu), append(y, cv.Theory(nu))
				ylo, yhi = math.Min(ylo, y[k]), math.Max(yhi, y[k])
			}
			if err := line(p, cv.Name+" θ_M: predicted", x, y, colours[i], 1, true); err != nil {
				return nil, err
			}
			var pts plotter.XYs
			for k := range cv.Rate {
				if cv.Rate[k] <= xmax {
					pts = append(pts, plotter.XY{X: cv.Rate[k], Y: cv.Slope[k]})
				}
			}
			sc, err := plotter.NewScatter(pts)
			if err != nil {
				return nil, err
			}
			sc.GlyphStyle = draw.GlyphStyle{Color: colours[i], Radius: vg.Points(3), Shape: draw.CircleGlyph{}}
			p.Add(sc)
			p.Legend.Add(cv.Name+" θ_M: measured", sc)
		}
		pad := 0.08 * (yhi - ylo)
		p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, xmax, ylo-pad, yhi+pad
		p.X.Tick.Marker = gplot.TickerFunc(ticks)
		p.Y.Tick.Marker = gplot.TickerFunc(ticks)
		p.Add(plotter.NewGrid())
		p.Legend.Top, p.Legend.Left = true, true
		p.Legend.XOffs = vg.Points(10)
		return p, nil
	}
	whole, err := panel("BCM curve with rate traces: 20 inputs at 10 Hz", hi*1.04)
	if err != nil {
		return err
	}
	title := "close-up: dw/dt = 0 at"
	for i, cv := range c.Curves {
		if i > 0 {
			title += ","
		}
		title += fmt.Sprintf(" %.3g Hz (%s)", cv.Zero, cv.Name)
	}
	low, err := panel(title, 12.5)
	if err != nil {
		return err
	}
	low.Legend = gplot.NewLegend()
	const w, h = 12 * vg.Inch, 5 * vg.Inch
	img := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(150))
	dc := draw.New(img)
	plots := [][]*gplot.Plot{{whole, low}}
	tiles := draw.Tiles{Rows: 1, Cols: 2, PadX: vg.Points(20), PadTop: vg.Points(4), PadBottom: vg.Points(4), PadLeft: vg.Points(4), PadRight: vg.Points(12)}
	canvases := gplot.Align(plots, tiles, dc)
	whole.Draw(canvases[0][0])
	low.Draw(canvases[0][1])
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// ticks labels about five round values (1, 2 or 5 times a power of ten)
// between lo and hi.
func ticks(lo, hi float64) []gplot.Tick {
	if !(hi > lo) {
		return []gplot.Tick{{Value: lo, Label: strconv.FormatFloat(lo, 'g', 4, 64)}}
	}
	step := math.Pow(10, math.Floor(math.Log10((hi-lo)/5)))
	for _, m := range []float64{1, 2, 5, 10} {
		if (hi-lo)/(m*step) <= 6 {
			step *= m
			break
		}
	}
	var out []gplot.Tick
	for k := math.Ceil(lo / step); k*step <= hi; k++ {
		v := k * step
		if math.Abs(v) < step*1e-9 {
			v = 0
		}
		out = append(out, gplot.Tick{Value: v, Label: strconv.FormatFloat(v, 'g', 6, 64)})
	}
	return out
}
