// Command song2000 reproduces the competition between synapses under
// additive STDP of Song, Miller & Abbott (2000), Nat Neurosci 3:919: one
// conductance-based integrate-and-fire neuron with 1000 plastic excitatory
// and 200 fixed inhibitory Poisson inputs at 10 Hz. A synapse whose spikes
// tend to precede the neuron's spikes grows, and by growing makes such
// spikes more likely; the others shrink. Starting from strengths spread
// uniformly over [0, g_max], the distribution becomes bimodal: synapses
// gather near 0 and near g_max, and the output rate settles.
//
//	go run ./examples/plasticity/song2000 [-duration 3000s] [-out DIR]
//
// It runs song2000.yaml (built in; -model runs another file), writes the
// results folder (manifest.json with the synaptic events, spikes, the
// weights every 10 s) and two figures into it, weight_histogram.png (the
// final and the initial strengths) and output_rate.png (the neuron's rate
// over time), and prints the fractions of weak (< 0.1 g_max) and strong
// (> 0.9 g_max) synapses and the output rate.
//
// -learn scales the learning rates A₊ and A₋ (the tests use 4 for a
// shorter run) and -rate sets the excitatory input rate (the paper
// explores 10–40 Hz). For benchmarks, -static runs the same network
// without plasticity and -post N gives it N postsynaptic neurons (each an
// independent copy of the paper's neuron receiving all 1200 inputs), so
// that synaptic events rather than the inputs dominate the cost.
package main

import (
	"context"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"image/color"
	"log"
	"math"
	"path/filepath"
	"strconv"

	"github.com/hebb-snn/hebb/engine"
	"github.com/hebb-snn/hebb/figure"
	"github.com/hebb-snn/hebb/model"
	"github.com/hebb-snn/hebb/param"
	"github.com/hebb-snn/hebb/run"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

//go:embed song2000.yaml
var modelFile []byte

// Names in the model file that this program relies on.
const (
	plasticName = "exc->post" // the plastic projection
	postName    = "post"      // the postsynaptic population
	excName     = "exc"       // the excitatory inputs
)

// config says what to run.
type config struct {
	model    string  // model file; "" for the built-in song2000.yaml
	duration string  // simulated time, e.g. "300 s"; "" keeps the file's
	learn    float64 // factor on A_plus and A_minus (1: the paper's)
	rate     string  // rate of the excitatory inputs, e.g. "40 Hz"; "" keeps the file's
	seed     uint64  // random seed; 0 keeps the file's
	static   bool    // no plasticity: the initial weights stay
	post     int     // size of the postsynaptic population; 0 keeps the file's
	threads  int     // workers
	out      string  // results folder
	bins     int     // number of time bins of the output rate
}

// outcome is what a run shows.
type outcome struct {
	gmax     float64   // nS
	w0, w    []float64 // initial and final weights of the plastic synapses, in units of g_max
	binStart []float64 // s: start of each time bin of the output rate
	rate     []float64 // spikes/s: mean rate of the postsynaptic neurons in each bin
	post     *engine.SpikeTrain
	seconds  float64 // simulated time, s
	wall     float64 // wall-clock time of the simulation loop, s
	events   int64   // synaptic events delivered, all projections
	plastic  int64   // of which through the plastic projection
	dir      string  // results folder
}

// fraction returns the fraction of ws in [lo, hi).
func fraction(ws []float64, lo, hi float64) float64 {
	n := 0
	for _, w := range ws {
		if w >= lo && w < hi {
			n++
		}
	}
	return float64(n) / float64(len(ws))
}

// rateBetween returns the mean output rate (spikes/s per neuron) between
// times a and b (s).
func (o *outcome) rateBetween(a, b float64) float64 {
	n := 0
	for _, t := range o.post.Times {
		if t > 1000*a && t <= 1000*b {
			n++
		}
	}
	return float64(n) / (b - a) / float64(o.post.Size)
}

// load reads the model and applies the changes c asks for.
func load(c config) (*model.Net, error) {
	var spec *model.Spec
	var err error
	if c.model == "" {
		spec, err = model.Parse("examples/plasticity/song2000/song2000.yaml", modelFile)
	} else {
		spec, err = model.Load(c.model)
	}
	if spec == nil {
		return nil, err
	}
	if c.duration != "" {
		spec.Duration = model.Value{Text: c.duration, Set: true}
	}
	if c.seed != 0 {
		spec.Seed = model.Value{Text: strconv.FormatUint(c.seed, 10), Set: true}
	}
	for i := range spec.Populations {
		pop := &spec.Populations[i]
		if pop.Name == postName && c.post > 0 {
			pop.Size = model.Value{Text: strconv.Itoa(c.post), Set: true}
		}
		if pop.Name == excName && c.rate != "" {
			setParam(&pop.Params, "rate", c.rate)
		}
	}
	net, err := spec.Resolve()
	if err != nil {
		return nil, err
	}
	p := plastic(net)
	if p == nil || p.Plasticity == nil || !p.Learning.Has("w_max") {
		return nil, fmt.Errorf("%s: needs a plastic projection %q with w_max", net.Name, plasticName)
	}
	if c.static {
		p.Plasticity = nil
	} else if c.learn != 1 {
		// Resolve made p.Learning for this projection alone.
		for _, name := range []string{"A_plus", "A_minus"} {
			p.Learning[name] = param.Value{Num: c.learn * p.Learning.Num(name)}
		}
	}
	return net, nil
}

// setParam sets parameter name to the value text, as if the file said so.
func setParam(ps *[]model.Param, name, text string) {
	v := model.Value{Text: text, Set: true}
	for i := range *ps {
		if (*ps)[i].Name == name {
			(*ps)[i].Value = v
			return
		}
	}
	*ps = append(*ps, model.Param{Name: name, Value: v})
}

// plastic returns the plastic projection of net, or nil.
func plastic(net *model.Net) *model.Proj {
	for i := range net.Projs {
		if net.Projs[i].Name == plasticName {
			return &net.Projs[i]
		}
	}
	return nil
}

// simulate runs the model and measures what it shows.
func simulate(c config) (*outcome, error) {
	net, err := load(c)
	if err != nil {
		return nil, err
	}
	gmax := plastic(net).Learning.Num("w_max")
	res, err := run.Net(context.Background(), net, run.Options{Out: c.out, Threads: c.threads})
	if err != nil {
		return nil, err
	}
	o := &outcome{gmax: gmax, seconds: res.Sim.Time() / 1000, wall: res.Manifest.WallSeconds, dir: res.Dir}
	for _, q := range res.Manifest.Projections {
		o.events += q.Events
		if q.Name == plasticName {
			o.plastic = q.Events
		}
	}
	// Weights: the first and the last sample.
	for _, tr := range res.Sim.Weights() {
		if tr.Proj == plasticName {
			ns := len(tr.Src)
			for k := 0; k < ns; k++ {
				o.w0 = append(o.w0, tr.W[k]/gmax)
				o.w = append(o.w, tr.W[len(tr.W)-ns+k]/gmax)
			}
		}
	}
	for _, tr := range res.Sim.Spikes() {
		if tr.Pop == postName {
			o.post = tr
		}
	}
	if o.w == nil || o.post == nil {
		return nil, fmt.Errorf("%s: needs recorders of the weights of %s and of the spikes of %s", net.Name, plasticName, postName)
	}
	bins := max(c.bins, 1)
	width := o.seconds / float64(bins)
	for i := 0; i < bins; i++ {
		a := float64(i) * width
		o.binStart = append(o.binStart, a)
		o.rate = append(o.rate, o.rateBetween(a, a+width))
	}
	return o, nil
}

// tenths counts the weights (in units of g_max) in each tenth of [0, 1];
// g_max itself counts in the last.
func tenths(ws []float64) [10]int {
	var n [10]int
	for _, w := range ws {
		n[min(max(int(w*10), 0), 9)]++
	}
	return n
}

// histogram draws the distribution of the final weights in units of g_max
// as bars, and that of the initial weights as a dashed line.
func (o *outcome) histogram(path string) error {
	const nbins = 20
	share := func(ws []float64) []float64 {
		v := make([]float64, nbins)
		for _, w := range ws {
			v[min(max(int(w*nbins), 0), nbins-1)] += 1 / float64(len(ws))
		}
		return v
	}
	p := gplot.New()
	p.Title.Text = fmt.Sprintf("Synaptic strengths after %g s of STDP (%d synapses)", o.seconds, len(o.w))
	p.X.Label.Text = "g / g_max"
	p.Y.Label.Text = "fraction of synapses"
	h := &plotter.Histogram{Width: 1.0 / nbins, LineStyle: plotter.DefaultLineStyle}
	for i, y := range share(o.w) {
		h.Bins = append(h.Bins, plotter.HistogramBin{Min: float64(i) / nbins, Max: float64(i+1) / nbins, Weight: y})
	}
	h.FillColor = color.RGBA{0x56, 0xB4, 0xE9, 0xFF} // sky blue
	h.LineStyle.Color = color.RGBA{0x00, 0x72, 0xB2, 0xFF}
	var steps plotter.XYs
	for i, y := range share(o.w0) {
		steps = append(steps, plotter.XY{X: float64(i) / nbins, Y: y}, plotter.XY{X: float64(i+1) / nbins, Y: y})
	}
	l, err := plotter.NewLine(steps)
	if err != nil {
		return err
	}
	l.Color = color.RGBA{0xD5, 0x5E, 0x00, 0xFF} // vermillion
	l.Width = vg.Points(1.5)
	l.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
	p.Add(h, l)
	p.Legend.Add("final", h)
	p.Legend.Add("initial", l)
	p.Legend.Top = true
	p.Legend.XOffs = -2.8 * vg.Inch // top centre, clear of the bars at both ends
	p.X.Min, p.X.Max = 0, 1
	p.Y.Min = 0
	return p.Save(8*vg.Inch, 5*vg.Inch, path)
}

// rateFigure draws the output rate over time, one point per bin.
func (o *outcome) rateFigure(path string) error {
	width := o.seconds / float64(len(o.binStart))
	xs := make([]float64, len(o.binStart))
	for i, a := range o.binStart {
		xs[i] = a + width/2
	}
	return figure.Curves(path, fmt.Sprintf("Output rate (%g s bins)", width), "time (s)", "rate (spikes/s)",
		[]figure.Curve{{Label: "postsynaptic neuron", X: xs, Y: o.rate}})
}

func main() {
	c := config{}
	flag.StringVar(&c.model, "model", "", "model file (default: the built-in song2000.yaml)")
	flag.StringVar(&c.duration, "duration", "", "simulated time, e.g. 300s (default: the model file's, 3000 s)")
	flag.Float64Var(&c.learn, "learn", 1, "factor on the learning rates A_plus and A_minus")
	flag.StringVar(&c.rate, "rate", "", "rate of the excitatory inputs, e.g. 40Hz (default: the model file's, 10 Hz)")
	flag.Uint64Var(&c.seed, "seed", 0, "random seed (default: the model file's, 1)")
	flag.BoolVar(&c.static, "static", false, "run without plasticity (for benchmarks)")
	flag.IntVar(&c.post, "post", 0, "number of postsynaptic neurons (default: the model file's, 1)")
	flag.IntVar(&c.threads, "threads", 1, "worker threads")
	flag.StringVar(&c.out, "out", "song2000", "results folder")
	flag.IntVar(&c.bins, "bins", 30, "time bins of the output rate")
	flag.Parse()

	o, err := simulate(c)
	if err != nil {
		log.Fatal(err)
	}
	if err := errors.Join(
		o.histogram(filepath.Join(o.dir, "weight_histogram.png")),
		o.rateFigure(filepath.Join(o.dir, "output_rate.png")),
	); err != nil {
		log.Fatal(err)
	}
	inf := math.Inf(1)
	fmt.Printf("%d plastic synapses, g_max = %g nS, %g s simulated\n", len(o.w), o.gmax, o.seconds)
	fmt.Printf("weights below 0.1 g_max: %5.1f %%   (initially %5.1f %%)\n", 100*fraction(o.w, -inf, 0.1), 100*fraction(o.w0, -inf, 0.1))
	fmt.Printf("weights above 0.9 g_max: %5.1f %%   (initially %5.1f %%)\n", 100*fraction(o.w, 0.9, inf), 100*fraction(o.w0, 0.9, inf))
	fmt.Printf("below 0.2 / between / above 0.8 g_max: %.1f / %.1f / %.1f %%\n",
		100*fraction(o.w, -inf, 0.2), 100*fraction(o.w, 0.2, 0.8), 100*fraction(o.w, 0.8, inf))
	fmt.Printf("synapses per tenth of g_max: %v\n", tenths(o.w))
	fmt.Printf("output rate: %.2f spikes/s over the run, %.2f over its last third\n",
		o.rateBetween(0, o.seconds), o.rateBetween(2*o.seconds/3, o.seconds))
	fmt.Printf("wall time %.3f s: %.4f s per simulated s; %d synaptic events (%d plastic): %.1f ns per event\n",
		o.wall, o.wall/o.seconds, o.events, o.plastic, 1e9*o.wall/float64(o.events))
	fmt.Println("results and figures in", o.dir)
}
