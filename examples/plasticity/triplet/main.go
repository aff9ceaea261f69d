// Command triplet reproduces the frequency dependence of spike-timing-
// dependent plasticity found by Sjöström, Turrigiano & Nelson (2001) with
// the triplet rule of Pfister & Gerstner (2006, Fig. 6): 60 pairings of a
// presynaptic and a postsynaptic spike, 10 ms apart in either order,
// repeated at 0.1 to 50 Hz. Post-before-pre pairs depress at low
// frequency, and both orders potentiate at 40–50 Hz, because the rule's
// potentiation grows with the postsynaptic spikes of the last ~100 ms.
//
//	go run ./examples/plasticity/triplet [-out DIR]
//
// It writes sjostrom.png into DIR (default triplet-stdp) and prints the
// weight changes with the experimental data. sjostrom_50hz.yaml is the
// 50 Hz protocol as a model file.
package main

import (
	"context"
	"flag"
	"fmt"
	"image/color"
	"log"
	"math"
	"os"
	"path/filepath"

	"github.com/hebb-snn/hebb/engine"
	"github.com/hebb-snn/hebb/model"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// pairings is the number of pre/post pairings of the protocol, as in
// Pfister & Gerstner's simulations of it.
const pairings = 60

// frequencies are the pairing frequencies of the model curves (Hz).
var frequencies = []float64{0.1, 1, 2, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50}

// datum is one experimental point: the relative weight change Δw/w (mean
// and s.e.m.) at pairing frequency f (Hz) for pre-before-post (Δt = +10
// ms) and post-before-pre (Δt = −10 ms) pairings.
type datum struct {
	f, plus, plusSEM, minus, minusSEM float64
}

// sjostrom are the data of Sjöström et al. (2001) that Pfister & Gerstner
// (2006) fitted (layer-5 pyramidal neurons of rat visual cortex); see
// README.md for their source.
var sjostrom = []datum{
	{0.1, -0.04, 0.05, -0.29, 0.08},
	{10, 0.14, 0.10, -0.41, 0.11},
	{20, 0.29, 0.14, -0.34, 0.10},
	{40, 0.53, 0.11, 0.56, 0.32},
	{50, 0.56, 0.26, 0.75, 0.19},
}

// w0 is the initial weight and the rule's scale, so that (w − w0)/w0 is
// the relative change Δw/w that the experiments report.
const w0 = "0.5 mV"

func main() {
	out := flag.String("out", "triplet-stdp", "folder for the figure")
	flag.Parse()
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	var plus, minus []float64
	fmt.Printf("%8s %12s %12s   %s\n", "f (Hz)", "Δw/w +10 ms", "Δw/w −10 ms", "data +10 ms, −10 ms (Sjöström et al. 2001)")
	for _, f := range frequencies {
		p, m, err := change(protocol(f, nil))
		if err != nil {
			log.Fatal(err)
		}
		plus, minus = append(plus, p), append(minus, m)
		data := ""
		for _, d := range sjostrom {
			if d.f == f {
				data = fmt.Sprintf("%+.2f ± %.2f, %+.2f ± %.2f", d.plus, d.plusSEM, d.minus, d.minusSEM)
			}
		}
		fmt.Printf("%8g %+12.4f %+12.4f   %s\n", f, p, m, data)
	}
	path := filepath.Join(*out, "sjostrom.png")
	if err := plotFigure(path, plus, minus); err != nil {
		log.Fatal(err)
	}
	fmt.Println("figure in", path)
}

// protocol returns the pairing protocol at frequency f (Hz) as a model:
// one presynaptic spike source whose spikes reach the synapses (1 ms
// axonal delay) at 20 ms + k/f, k = 0 … 59 (on the 0.1 ms grid), and two
// lif_delta targets forced to spike by a strong input 10 ms after (target
// 0) and 10 ms before (target 1) each arrival. The synapses learn with
// the triplet rule (default preset: visual cortex, minimal, all-to-all),
// with the given parameters added.
func protocol(f float64, learn model.P) *model.Spec {
	const dt = 0.1 // ms
	ms := func(step int64) string { return fmt.Sprintf("%g ms", float64(step)/10) }
	var sent, after, before []string
	var last int64
	for k := 0; k < pairings; k++ {
		arrive := 200 + int64(math.Round(float64(k)*1000/f/dt)) // step of the arrival
		sent = append(sent, ms(arrive-10))
		after = append(after, ms(arrive+100))
		before = append(before, ms(arrive-100))
		last = arrive
	}
	duration := ms(last + 200)
	m := model.New(fmt.Sprintf("sjostrom-%ghz", f), "0.1 ms", duration, 1)
	m.Population("pre", "spike_source", 1, model.P{"times": sent})
	m.Population("post", "lif_delta", 2, model.P{"t_ref": "0 ms"})
	m.Stimulate("spike_times", "post", model.P{"times": after, "weight": "50 mV"}, 0)
	m.Stimulate("spike_times", "post", model.P{"times": before, "weight": "50 mV"}, 1)
	m.ConnectAs("syn", "pre", "post", "all_to_all", nil, model.Synapse{Type: "excitatory", Weight: w0, Delay: "1 ms"})
	params := model.P{"scale": w0}
	for k, v := range learn {
		params[k] = v
	}
	m.Learn("syn", "triplet", params)
	m.RecordWeights("syn", duration)
	return m
}

// change runs a protocol and returns Δw/w of the synapse onto target 0
// (Δt = +10 ms) and onto target 1 (Δt = −10 ms).
func change(m *model.Spec) (plus, minus float64, err error) {
	net, err := m.Resolve()
	if err != nil {
		return 0, 0, err
	}
	sim, err := engine.Build(net, engine.Options{Threads: 1})
	if err != nil {
		return 0, 0, err
	}
	if err := sim.Run(context.Background(), nil); err != nil {
		return 0, 0, err
	}
	return relative(sim.Weights()[0])
}

// relative returns Δw/w of the synapses onto targets 0 and 1 between the
// first and the last sample of w.
func relative(w *engine.WeightTrace) (plus, minus float64, err error) {
	n := len(w.Src)
	if n != 2 || len(w.Times) < 2 {
		return 0, 0, fmt.Errorf("weights of %d synapses at %d times, want 2 synapses at the start and the end", n, len(w.Times))
	}
	first, last := w.W[:n], w.W[len(w.W)-n:]
	var dw [2]float64
	for k := range first {
		dw[w.Tgt[k]] = (last[k] - first[k]) / first[k]
	}
	return dw[0], dw[1], nil
}

// plotFigure plots the model's Δw/w against the pairing frequency for both
// orders as lines, and the data as points with s.e.m. error bars in the
// colour of the same order.
func plotFigure(path string, plus, minus []float64) error {
	sans := func(size float64) font.Font {
		return font.Font{Typeface: "Liberation", Variant: "Sans", Size: vg.Points(size)}
	}
	p := plot.New()
	p.Title.Text = fmt.Sprintf("Triplet STDP, visual cortex minimal all-to-all model: %d pairings", pairings)
	p.Title.TextStyle.Font = sans(13)
	p.X.Label.Text = "pairing frequency (Hz)"
	p.Y.Label.Text = "Δw/w"
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = sans(11)
		a.Tick.Label.Font = sans(9.5)
	}
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 51, -0.7, 1
	p.X.Tick.Marker = ticks(0, 50, 10, "%g")
	p.Y.Tick.Marker = ticks(-0.6, 1, 0.2, "%.1f")
	p.Legend.TextStyle.Font = sans(10)
	p.Legend.Top, p.Legend.Left = false, false
	p.Legend.XOffs, p.Legend.YOffs = -vg.Points(6), vg.Points(6)
	zero, err := plotter.NewLine(plotter.XYs{{X: 0, Y: 0}, {X: 50, Y: 0}})
	if err != nil {
		return err
	}
	zero.LineStyle = draw.LineStyle{Color: color.Gray{Y: 0xA0}, Width: vg.Points(0.5)}
	p.Add(zero)
	for i, o := range []struct {
		label, data string
		model       []float64
		col         color.Color
	}{
		{"model, Δt = +10 ms (pre → post)", "data, Δt = +10 ms (mean ± s.e.m.)", plus, color.RGBA{0x00, 0x72, 0xB2, 0xFF}},
		{"model, Δt = −10 ms (post → pre)", "data, Δt = −10 ms (mean ± s.e.m.)", minus, color.RGBA{0xD5, 0x5E, 0x00, 0xFF}},
	} {
		xy := make(plotter.XYs, len(frequencies))
		for k, f := range frequencies {
			xy[k] = plotter.XY{X: f, Y: o.model[k]}
		}
		line, err := plotter.NewLine(xy)
		if err != nil {
			return err
		}
		line.LineStyle = draw.LineStyle{Color: o.col, Width: vg.Points(1.5)}
		var pts plotter.XYs
		var errs plotter.YErrors
		for _, d := range sjostrom {
			m, e := d.plus, d.plusSEM
			if i == 1 {
				m, e = d.minus, d.minusSEM
			}
			pts = append(pts, plotter.XY{X: d.f, Y: m})
			errs = append(errs, struct{ Low, High float64 }{e, e})
		}
		dots, err := plotter.NewScatter(pts)
		if err != nil {
			return err
		}
		dots.GlyphStyle = draw.GlyphStyle{Color: o.col, Radius: vg.Points(3), Shape: draw.CircleGlyph{}}
		bars, err := plotter.NewYErrorBars(struct {
			plotter.XYer
			plotter.YErrorer
		}{pts, errs})
		if err != nil {
			return err
		}
		bars.LineStyle = draw.LineStyle{Color: o.col, Width: vg.Points(1)}
		p.Add(line, bars, dots)
		p.Legend.Add(o.label, line)
		p.Legend.Add(o.data, dots)
	}
	p.Title.Text += "\ndata: Sjöström, Turrigiano & Nelson 2001 (rat visual cortex, L5)"
	c := vgimg.NewWith(vgimg.UseWH(8*vg.Inch, 5*vg.Inch), vgimg.UseDPI(150))
	p.Draw(draw.Crop(draw.New(c), vg.Points(4), -vg.Points(8), vg.Points(4), -vg.Points(6)))
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// ticks returns labelled ticks from lo to hi every step.
func ticks(lo, hi, step float64, format string) plot.Ticker {
	var t []plot.Tick
	for x := lo; x <= hi+step/2; x += step {
		t = append(t, plot.Tick{Value: x, Label: fmt.Sprintf(format, x)})
	}
	return plot.ConstantTicks(t)
}
