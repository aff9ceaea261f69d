// Command distal_reward reproduces the first experiment of Izhikevich
// (2007, Cereb Cortex 17:2443), "Solving the distal reward problem": in a
// random network of 800 excitatory and 200 inhibitory Izhikevich neurons
// with dopamine-modulated STDP (rule rstdp), one chosen excitatory synapse
// n1→n2 is rewarded: each time n2 fires within 10 ms after n1, dopamine
// is released 1–3 s later. Meanwhile every neuron keeps firing at random,
// so thousands of other pairings happen before each reward. The chosen
// synapse still grows to its bound (4 mV) while the others stay low.
//
// The reward loop is built from two generic neuron models (neuron/relay.go):
// a pair_detector that watches n1 (excitatory channel, weight +1) and n2
// (inhibitory channel, weight −1) through an all_to_all tap from exc with a
// weight list that is zero everywhere else, and a relay (parrot) population
// "reward" that repeats the detector's spikes after a delay uniform in
// [1, 3] s and is the rstdp modulator. The chosen synapse is the first
// exc→exc synapse of neuron n1 = 0, looked up in the drawn connectivity
// (connect.Generate with the projection's key), so the random network is
// exactly the one without the loop.
//
//	go run ./examples/plasticity/distal_reward [-duration 3600] [-threads 2] [-out DIR]
//
// It prints the wall time, the chosen weight and the other weights'
// statistics, and writes weight.png (the chosen synapse's weight and the
// others' mean over time), hist.png (the other exc→exc weights at the
// end, the chosen one marked) and chosen.csv.
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
	"slices"
	"time"

	"github.com/hebb-snn/hebb/connect"
	"github.com/hebb-snn/hebb/engine"
	"github.com/hebb-snn/hebb/figure"
	"github.com/hebb-snn/hebb/model"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// Sizes and the rewarded window of the paper.
const (
	nExc, nInh = 800, 200
	window     = "10 ms"
)

// Learning parameters of rstdp in this simulator's units, from the paper's
// published program: the STDP traces jump by 0.1 mV and decay with
// τ = 20 ms, LTD is 1.5× LTP, the eligibility c decays by 0.99 and the
// weights move by (0.002 + DA)·c every 10 ms (τ_c = 1 s), DA decays by
// 0.995 per ms (τ_d = 200 ms) and jumps by 0.5 per reward. rstdp moves w
// by c·(d + d_tonic) every 1 ms, so A₊ = 0.1/10 mV, A₋ = 0.15/10 mV and
// d_tonic = 0.002. Weights are bounded to [0, 4] mV.
var learning = model.P{
	"modulator": "reward", "A_plus": "0.01 mV", "A_minus": "0.015 mV",
	"tau_plus": "20 ms", "tau_minus": "20 ms", "tau_c": "1000 ms", "tau_d": "200 ms",
	"d_spike": 0.5, "d_tonic": 0.002, "w_min": "0 mV", "w_max": "4 mV",
}

// Chosen is the rewarded synapse.
type Chosen struct{ N1, N2 int32 }

// Build returns the network for duration seconds of model time, with the
// exc→exc weights recorded every every (e.g. "10 s"), and the chosen
// synapse. Excitatory neurons send 80 synapses to exc and 20 to inh
// (80 % and 20 % of the paper's 100 random targets among all neurons),
// inhibitory ones 100 to exc; delays 1–20 ms (uniform integers) and 1 ms.
func Build(duration float64, seed uint64, every string) (*model.Net, Chosen, error) {
	m := model.New("distal_reward", "1 ms", fmt.Sprintf("%g s", duration), seed)
	m.Population("exc", "izhikevich", nExc, model.P{"preset": "RS", "integrator": "izhikevich2003"})
	m.Population("inh", "izhikevich", nInh, model.P{"preset": "FS", "integrator": "izhikevich2003"})
	m.Population("detector", "pair_detector", 1, model.P{"window": window})
	m.Population("reward", "relay", 1, nil)
	// Random input: 1000 neurons × 1 Hz is one 20 mV kick per ms on average.
	for _, p := range []string{"exc", "inh"} {
		m.Stimulate("poisson", p, model.P{"rate": "1 Hz", "weight": "20 mV"})
	}
	// Delays 1 ms, as in the published program of the paper (see README).
	exc := model.Synapse{Type: "excitatory", Weight: "1 mV", Delay: "1 ms"}
	ee := m.Connect("exc", "exc", "fixed_outdegree", model.P{"k": 80, "autapses": false, "multapses": false}, exc)
	ei := m.Connect("exc", "inh", "fixed_outdegree", model.P{"k": 20, "multapses": false}, exc)
	m.Connect("inh", "exc", "fixed_outdegree", model.P{"k": 100, "multapses": false},
		model.Synapse{Type: "inhibitory", Weight: "-1 mV", Delay: "1 ms"})
	// The tap: n1 → detector with +1 mV, n2 with −1 mV, all else 0 (set below).
	tap := m.Connect("exc", "detector", "all_to_all", nil, model.Synapse{Type: "mixed", Weight: "0 mV", Delay: "1 ms"})
	m.Connect("detector", "reward", "one_to_one", nil,
		model.Synapse{Type: "excitatory", Weight: "1 mV", Delay: "uniform(1000 ms, 3000 ms)"})
	m.Learn(ee, "rstdp", learning)
	m.Learn(ei, "rstdp", learning)
	m.RecordWeights(ee, every)
	m.RecordSpikes("detector", "reward")
	net, err := m.Resolve()
	if err != nil {
		return nil, Chosen{}, err
	}
	pe, pt := projIndex(net, ee), projIndex(net, tap)
	pr := net.Projs[pe]
	src, tgt, err := connect.Generate(pr.Rule, pr.Connect, nExc, nExc, true, net.Seed, uint64(pe))
	if err != nil {
		return nil, Chosen{}, err
	}
	c := Chosen{N1: 0, N2: -1} // n1 = 0 and its lowest-numbered exc target
	for k := range src {
		if src[k] == c.N1 && (c.N2 < 0 || tgt[k] < c.N2) {
			c.N2 = tgt[k]
		}
	}
	w := make([]float64, nExc)
	w[c.N1], w[c.N2] = 1, -1
	net.Projs[pt].Weights = w
	return net, c, nil
}

func projIndex(net *model.Net, name string) int {
	for i, p := range net.Projs {
		if p.Name == name {
			return i
		}
	}
	panic("no projection " + name)
}

// Result summarises a run.
type Result struct {
	Times, Chosen, Mean []float64 // ms, chosen weight and mean of the others (mV)
	Others              []float64 // other exc→exc weights at the end (mV)
	Pairs, Rewards      int       // detector and reward spikes
	Delay               float64   // ms from a detection to its reward (NaN if none)
}

// Analyse extracts the chosen synapse's weight and the others' from s; it
// fails if the chosen synapse is not among the recorded exc→exc ones.
func Analyse(s *engine.Sim, c Chosen) (Result, error) {
	wt := s.Weights()[0]
	n := len(wt.Src)
	k := -1
	for i := range wt.Src {
		if wt.Src[i] == c.N1 && wt.Tgt[i] == c.N2 {
			k = i
		}
	}
	var r Result
	if k < 0 {
		return r, fmt.Errorf("no exc→exc synapse %d→%d", c.N1, c.N2)
	}
	r.Times = wt.Times
	for t := range wt.Times {
		row := wt.W[t*n : (t+1)*n]
		sum := 0.0
		for i, x := range row {
			if i != k {
				sum += x
			}
		}
		r.Chosen = append(r.Chosen, row[k])
		r.Mean = append(r.Mean, sum/float64(n-1))
	}
	last := wt.W[(len(wt.Times)-1)*n:]
	r.Others = append(slices.Clone(last[:k]), last[k+1:]...)
	var det, rew []float64
	for _, sp := range s.Spikes() {
		switch sp.Pop {
		case "detector":
			det = sp.Times
		case "reward":
			rew = sp.Times
		}
	}
	r.Pairs, r.Rewards, r.Delay = len(det), len(rew), math.NaN()
	if len(det) > 0 && len(rew) > 0 {
		r.Delay = rew[0] - det[0]
	}
	return r, nil
}

func main() {
	dur := flag.Float64("duration", 3600, "model time in seconds")
	threads := flag.Int("threads", 2, "worker threads")
	seed := flag.Uint64("seed", 1, "random seed")
	every := flag.String("every", "10 s", "interval of the weight samples")
	out := flag.String("out", "distal-reward", "folder for the figures")
	flag.Parse()

	net, c, err := Build(*dur, *seed, *every)
	if err != nil {
		log.Fatal(err)
	}
	s, err := engine.Build(net, engine.Options{Threads: *threads})
	if err != nil {
		log.Fatal(err)
	}
	t0 := time.Now()
	if err := s.Run(context.Background(), nil); err != nil {
		log.Fatal(err)
	}
	wall := time.Since(t0)
	r, err := Analyse(s, c)
	if err != nil {
		log.Fatal(err)
	}
	o := slices.Clone(r.Others)
	slices.Sort(o)
	mean, sd := meanSD(o)
	above := 0
	for _, x := range o {
		if x >= r.Chosen[len(r.Chosen)-1] {
			above++
		}
	}
	fmt.Printf("%g s of model time in %.1f s wall (%d threads)\n", *dur, wall.Seconds(), *threads)
	ps, _ := s.Stats()
	for _, p := range ps {
		fmt.Printf("%-8s %4d neurons %8.2f spikes/s\n", p.Name, p.Size, float64(p.Spikes)/float64(p.Size) / *dur)
	}
	fmt.Printf("chosen synapse %d→%d: 1 mV → %.3f mV (%.3f mV at %g s); %d rewarded pairings, %d rewards, %.0f ms after the pairing\n",
		c.N1, c.N2, r.Chosen[len(r.Chosen)-1], r.Chosen[0], r.Times[0]/1000, r.Pairs, r.Rewards, r.Delay)
	fmt.Printf("other %d exc→exc weights: mean %.3f mV, sd %.3f, median %.3f, 99th percentile %.3f, max %.3f; %d at least as large as the chosen one\n",
		len(o), mean, sd, o[len(o)/2], o[len(o)*99/100], o[len(o)-1], above)

	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	if err := writeFigures(*out, r); err != nil {
		log.Fatal(err)
	}
	fmt.Println("figures in", *out)
}

func meanSD(x []float64) (m, sd float64) {
	for _, v := range x {
		m += v
	}
	m /= float64(len(x))
	for _, v := range x {
		sd += (v - m) * (v - m)
	}
	return m, math.Sqrt(sd / float64(len(x)-1))
}

func writeFigures(dir string, r Result) error {
	if err := figure.Traces(filepath.Join(dir, "weight.png"), "distal reward: the rewarded synapse", "weight (mV)", []figure.Trace{
		{Label: "chosen synapse n1→n2", Times: r.Times, Values: r.Chosen},
		{Label: "mean of the other exc→exc synapses", Times: r.Times, Values: r.Mean},
	}); err != nil {
		return err
	}
	p := plot.New()
	p.Title.Text = fmt.Sprintf("exc→exc weights at %.0f s (chosen: %.2f mV, red)", r.Times[len(r.Times)-1]/1000, r.Chosen[len(r.Chosen)-1])
	p.X.Label.Text = "weight (mV)"
	p.Y.Label.Text = "synapses"
	h, err := plotter.NewHist(plotter.Values(r.Others), 40)
	if err != nil {
		return err
	}
	p.Add(h)
	mark, err := plotter.NewScatter(plotter.XYs{{X: r.Chosen[len(r.Chosen)-1], Y: 0}})
	if err != nil {
		return err
	}
	mark.Color = color.RGBA{R: 220, A: 255}
	mark.Radius = vg.Points(5)
	p.Add(mark)
	p.Y.Scale = plot.LogScale{}
	p.Y.Tick.Marker = plot.LogTicks{}
	p.Y.Min = 0.5
	mark.XYs[0].Y = 1
	if err := p.Save(16*vg.Centimeter, 10*vg.Centimeter, filepath.Join(dir, "hist.png")); err != nil {
		return err
	}
	f, err := os.Create(filepath.Join(dir, "chosen.csv"))
	if err != nil {
		return err
	}
	fmt.Fprintln(f, "time_s,chosen_mV,mean_others_mV")
	for i, t := range r.Times {
		fmt.Fprintf(f, "%g,%g,%g\n", t/1000, r.Chosen[i], r.Mean[i])
	}
	return f.Close()
}
