// Command analysis simulates a refractory, self-exciting point-process
// neuron (refractory.yaml), fits a GLM of its conditional intensity with and
// without spike history, and tests both fits by time rescaling:
//
//	go run ./examples/analysis [-out DIR]
//
// It writes into DIR (default analysis-example) the simulation's results
// folder (sim/), ks.png (the KS plot of both models), filter.png (the
// fitted history filter with its 95% band) and filter_vs_true.png (fitted
// against the true filter), and prints the comparison. The same steps on
// the command line:
//
//	hebb run examples/analysis/refractory.yaml -o sim
//	hebb fit glm sim --refractory 2 --history 10 --history-span "2 ms, 60 ms"
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"math"
	"os"
	"path/filepath"
	"runtime"

	"github.com/hebb-snn/hebb/figure"
	"github.com/hebb-snn/hebb/glm"
	"github.com/hebb-snn/hebb/pointprocess"
	"github.com/hebb-snn/hebb/rng"
	"github.com/hebb-snn/hebb/run"
	"github.com/hebb-snn/hebb/spiketrain"
)

// The history kernel of refractory.yaml: η(lag) = Σ a_k·exp(−lag/τ_k) in
// mV, acting on log λ through 1/Δu, so the true filter is
// h(lag) = Σ (a_k/Δu)·exp(−lag/τ_k) for lags beyond t_ref.
var (
	amplitudes = []float64{-8, 1.6} // mV
	taus       = []float64{4, 25}   // ms
	deltaU     = 2.0                // mV
	tRef       = 2.0                // ms
)

// trueFilter returns the log-gain a spike lag ms ago applies.
func trueFilter(lag float64) float64 {
	if lag <= tRef {
		return math.Inf(-1)
	}
	h := 0.0
	for k, a := range amplitudes {
		h += a / deltaU * math.Exp(-lag/taus[k])
	}
	return h
}

// outcome is what the example found.
type outcome struct {
	spikes            int
	withKS, withoutKS pointprocess.KS
	filter            glm.FilterEstimate
	worstZ            float64 // largest |fitted − true|/SE over lags 4–60 ms
	deltaAIC          float64 // AIC without history − AIC with
}

func main() {
	out := flag.String("out", "analysis-example", "output folder")
	model := flag.String("model", filepath.Join(sourceDir(), "refractory.yaml"), "the model to simulate")
	flag.Parse()
	if _, err := analyse(*model, *out, os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// sourceDir is this file's folder, so that the example runs from any
// working directory.
func sourceDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(file)
}

func analyse(modelFile, out string, w io.Writer) (*outcome, error) {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, err
	}
	// 1. Simulate (300 s of a 13 Hz neuron: about 4000 spikes).
	simDir := filepath.Join(out, "sim")
	os.RemoveAll(simDir)
	if _, err := run.File(context.Background(), modelFile, run.Options{Out: simDir, Threads: 1}); err != nil {
		return nil, err
	}
	// 2. Read the spikes back, as any spike file would be read.
	data, err := spiketrain.Load(simDir, spiketrain.Options{})
	if err != nil {
		return nil, err
	}
	g := &data.Groups[0]
	const bin = 1.0 // ms
	y, err := glm.Bin(g.Trains[0], g.Start, g.Stop, bin)
	if err != nil {
		return nil, err
	}
	// 3. Fit log λ = β0 + history through a raised-cosine basis (with two
	// single-bin functions for the refractory lags), and the model
	// without history (a constant rate).
	basis, err := glm.RaisedCosine(10, 2, 60, 5, bin)
	if err != nil {
		return nil, err
	}
	if basis, err = basis.WithRefractory(2); err != nil {
		return nil, err
	}
	fit := func(history bool) (*glm.Result, error) {
		d, err := glm.NewDesign(len(y), bin)
		if err != nil {
			return nil, err
		}
		if err := d.AddIntercept(); err != nil {
			return nil, err
		}
		if history {
			if err := d.AddHistory("history", y, basis); err != nil {
				return nil, err
			}
		}
		return glm.Fit(y, d, glm.Options{})
	}
	with, err := fit(true)
	if err != nil {
		return nil, err
	}
	without, err := fit(false)
	if err != nil {
		return nil, err
	}
	// 4. Time rescaling (Haslinger–Pipa–Brown correction for bins).
	s1, s2 := rng.New(1, 1), rng.New(1, 1)
	o := &outcome{spikes: len(g.Trains[0]), withKS: with.KS(&s1), withoutKS: without.KS(&s2), deltaAIC: without.AIC - with.AIC}
	if o.filter, err = with.Filter("history"); err != nil {
		return nil, err
	}
	var truth, fitted, lags []float64
	for i, lag := range o.filter.Lags {
		if lag > 80 {
			break
		}
		h := trueFilter(lag)
		if math.IsInf(h, -1) {
			continue
		}
		lags = append(lags, lag)
		truth = append(truth, h)
		fitted = append(fitted, o.filter.Value[i])
		if lag >= 4 && lag <= 60 {
			se := (o.filter.Hi[i] - o.filter.Lo[i]) / (2 * 1.96)
			o.worstZ = math.Max(o.worstZ, math.Abs(o.filter.Value[i]-h)/se)
		}
	}
	// 5. Figures.
	ks := []figure.KSSeries{
		{Label: "with history", Model: o.withKS.Model, Empirical: o.withKS.Uniform, D: o.withKS.D, Bound: o.withKS.Bound95},
		{Label: "without history", Model: o.withoutKS.Model, Empirical: o.withoutKS.Uniform, D: o.withoutKS.D, Bound: o.withoutKS.Bound95},
	}
	if err := figure.KSPlot(filepath.Join(out, "ks.png"), "refractory, self-exciting neuron: KS plot", ks); err != nil {
		return nil, err
	}
	n := len(lags)
	var blo, bhi []float64
	for i, lag := range o.filter.Lags {
		if lag >= lags[0] && lag <= lags[n-1] {
			blo, bhi = append(blo, o.filter.Lo[i]), append(bhi, o.filter.Hi[i])
		}
	}
	if err := figure.Filter(filepath.Join(out, "filter.png"), "fitted history filter (95% band)", lags, fitted, blo, bhi, "h (log gain)"); err != nil {
		return nil, err
	}
	if err := figure.Curves(filepath.Join(out, "filter_vs_true.png"), "history filter: fitted and true", "lag (ms)", "h (log gain)",
		[]figure.Curve{{Label: "fitted GLM", X: lags, Y: fitted}, {Label: "true (refractory.yaml)", X: lags, Y: truth}}); err != nil {
		return nil, err
	}
	fmt.Fprintf(w, "simulated %d spikes in %g s (%.3g Hz)\n", o.spikes, g.Duration()/1000, 1000*float64(o.spikes)/g.Duration())
	for _, r := range []struct {
		name string
		ks   pointprocess.KS
		res  *glm.Result
	}{{"with history", o.withKS, with}, {"without history", o.withoutKS, without}} {
		verdict := "passes"
		if !r.ks.Pass() {
			verdict = "fails"
		}
		fmt.Fprintf(w, "  %-16s AIC %.1f  KS D = %.4f (95%% bound %.4f): %s\n", r.name, r.res.AIC, r.ks.D, r.ks.Bound95, verdict)
	}
	fmt.Fprintf(w, "fitted vs true history filter at lags %g–%g ms; largest deviation over 4–60 ms: %.2f SE\n", lags[0], lags[n-1], o.worstZ)
	fmt.Fprintf(w, "figures in %s: ks.png, filter.png, filter_vs_true.png\n", out)
	return o, nil
}
