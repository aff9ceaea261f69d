package main

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hebb-snn/hebb/figure"
	"github.com/hebb-snn/hebb/results"
	"github.com/hebb-snn/hebb/run"
	"github.com/hebb-snn/hebb/spiketrain"
	"github.com/hebb-snn/hebb/units"
)

// dataFlags are the flags shared by the commands that read spike data.
type dataFlags struct {
	window, timeUnit string
	neurons          int
}

func (f *dataFlags) add(c *cobra.Command) {
	c.Flags().StringVar(&f.window, "window", "", `observation window "START,STOP" (e.g. "0 s, 10 s"; default: the run's time, or [0, last spike])`)
	c.Flags().StringVar(&f.timeUnit, "time-unit", "", `unit of time columns whose name states none ("ms" or "s"; default ms, with a note)`)
	c.Flags().IntVar(&f.neurons, "neurons", 0, "number of neurons in a file without populations (ids 0..N-1; silent ones count)")
}

// load reads the spike data at path with the flags' options and prints
// the notes made on the way.
func (f *dataFlags) load(path string, stderr io.Writer) (*spiketrain.Loaded, error) {
	var opt spiketrain.Options
	if f.window != "" {
		lo, hi, err := timePair("--window", f.window)
		if err != nil {
			return nil, err
		}
		if !(hi > lo) {
			return nil, usageError{fmt.Errorf("--window %q: expected START < STOP", f.window)}
		}
		opt.Start, opt.Stop = lo, hi
	}
	if f.timeUnit != "" {
		u, err := units.In("1 "+f.timeUnit, "ms")
		if err != nil || !(u > 0) {
			return nil, usageError{fmt.Errorf("--time-unit %q: expected a unit of time such as ms or s", f.timeUnit)}
		}
		opt.TimeUnit = u
	}
	if f.neurons < 0 {
		return nil, usageError{fmt.Errorf("--neurons %d: expected a number of neurons >= 0", f.neurons)}
	}
	opt.Neurons = f.neurons
	l, err := spiketrain.Load(path, opt)
	if err != nil {
		return nil, err
	}
	for _, n := range l.Notes {
		fmt.Fprintln(stderr, "note:", n)
	}
	return l, nil
}

// timeFlag converts the value of a time flag to ms.
func timeFlag(name, s string) (float64, error) {
	v, err := units.In(s, "ms")
	if err != nil {
		return 0, usageError{fmt.Errorf("%s: %v", name, err)}
	}
	return v, nil
}

// positiveTime converts the value of a time flag that must be positive.
func positiveTime(name, s string) (float64, error) {
	v, err := timeFlag(name, s)
	if err == nil && !(v > 0) {
		err = usageError{fmt.Errorf("%s %q: expected a positive time", name, s)}
	}
	return v, err
}

// timePair parses "A,B" with both times in ms.
func timePair(name, s string) (float64, float64, error) {
	a, b, ok := strings.Cut(s, ",")
	if !ok {
		return 0, 0, usageError{fmt.Errorf("%s %q: expected two times separated by a comma, e.g. \"-50 ms, 200 ms\"", name, s)}
	}
	lo, err := timeFlag(name, strings.TrimSpace(a))
	if err != nil {
		return 0, 0, err
	}
	hi, err := timeFlag(name, strings.TrimSpace(b))
	return lo, hi, err
}

// outDir creates the output folder: the one asked for, or a new one
// named after the data.
func outDir(out, source, suffix string) (*results.Dir, error) {
	if out == "" {
		base := strings.TrimSuffix(filepath.Base(filepath.Clean(source)), filepath.Ext(source))
		out = results.NewName(run.FileName(base) + "-" + suffix)
	}
	return results.Create(out)
}

func analyzeCmd(stdout, stderr io.Writer) *cobra.Command {
	var (
		data                        dataFlags
		out, bin, maxLag, isiMax    string
		events, psthWindow, psthBin string
		noFigures                   bool
		correlogramNeurons          int
	)
	c := &cobra.Command{
		Use:   "analyze RESULTS|FILE",
		Short: "summarise spike data: rates, ISI statistics, Fano factors, synchrony, with figures",
		Long: `Summarise spike data from a hebb results folder, a CSV file (population,neuron,time_ms
or neuron,time), a .npy or a .npz file. Prints one line per population and writes
summary.csv, neurons_POP.csv (per-neuron statistics) and figures (raster, population
rate, ISI histogram, auto- and cross-correlograms, and PSTHs when --events is given)
to the output folder.`,
		Args: usage(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			binMs, err := positiveTime("--bin", bin)
			if err != nil {
				return err
			}
			lagMs, err := positiveTime("--max-lag", maxLag)
			if err != nil {
				return err
			}
			isiMs, err := positiveTime("--isi-max", isiMax)
			if err != nil {
				return err
			}
			var ev []float64
			var pre, post, pbin float64
			if events != "" {
				if ev, err = readEvents(events); err != nil {
					return err
				}
				if pre, post, err = timePair("--psth-window", psthWindow); err != nil {
					return err
				}
				if pbin, err = positiveTime("--psth-bin", psthBin); err != nil {
					return err
				}
			}
			if correlogramNeurons < 2 {
				return usageError{fmt.Errorf("--correlogram-neurons %d: expected at least 2", correlogramNeurons)}
			}
			l, err := data.load(args[0], stderr)
			if err != nil {
				return err
			}
			dir, err := outDir(out, args[0], "analysis")
			if err != nil {
				return err
			}
			a := analysis{dir: dir, bin: binMs, maxLag: lagMs, isiMax: isiMs, events: ev, pre: pre, post: post,
				psthBin: pbin, figures: !noFigures, pairs: correlogramNeurons}
			err = a.run(l, stdout)
			fmt.Fprintf(stdout, "analysis in %s\n", dir.Path)
			return err
		},
	}
	data.add(c)
	c.Flags().StringVarP(&out, "out", "o", "", "output folder (default: a new folder named after the data)")
	c.Flags().StringVar(&bin, "bin", "5 ms", "bin width for population rates, Fano factors and synchrony")
	c.Flags().StringVar(&maxLag, "max-lag", "100 ms", "largest lag of the correlograms")
	c.Flags().StringVar(&isiMax, "isi-max", "200 ms", "largest interval of the ISI histogram")
	c.Flags().StringVar(&events, "events", "", `event times for PSTHs: a list ("100 ms, 600 ms") or a file with one time per line`)
	c.Flags().StringVar(&psthWindow, "psth-window", "-50 ms, 200 ms", "PSTH window around each event")
	c.Flags().StringVar(&psthBin, "psth-bin", "5 ms", "PSTH bin width")
	c.Flags().IntVar(&correlogramNeurons, "correlogram-neurons", 20, "number of active neurons per population pooled in the correlograms")
	c.Flags().BoolVar(&noFigures, "no-figures", false, "do not draw figures")
	return c
}

// readEvents reads event times from a list of quantities or from a file
// with one time per line (a header line naming the unit, e.g. time_ms or
// time_s, or a unit on every line).
func readEvents(s string) ([]float64, error) {
	if _, err := os.Stat(s); err != nil {
		var ev []float64
		for _, f := range strings.Split(s, ",") {
			v, err := timeFlag("--events", strings.TrimSpace(f))
			if err != nil {
				return nil, err
			}
			ev = append(ev, v)
		}
		return ev, nil
	}
	f, err := os.Open(s)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var ev []float64
	unit := 0.0
	sc := bufio.NewScanner(f)
	line := 0
	for sc.Scan() {
		line++
		t := strings.TrimSpace(sc.Text())
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		if u, bare := spiketrain.TimeColumn(strings.ToLower(t)); u > 0 && !bare {
			unit = u
			continue
		}
		var v float64
		if unit > 0 {
			x, err := strconv.ParseFloat(t, 64)
			if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, fmt.Errorf("%s:%d: expected a finite time, got %q", s, line, t)
			}
			v = x * unit
		} else {
			x, err := units.In(t, "ms")
			if err != nil {
				return nil, fmt.Errorf("%s:%d: %v (or give a header line time_ms or time_s)", s, line, err)
			}
			v = x
		}
		ev = append(ev, v)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %v", s, err)
	}
	if len(ev) == 0 {
		return nil, fmt.Errorf("%s: no event times", s)
	}
	return ev, nil
}

// analysis holds the settings of one `hebb analyze`.
type analysis struct {
	dir                 *results.Dir
	bin, maxLag, isiMax float64
	events              []float64
	pre, post, psthBin  float64
	figures             bool
	pairs               int
}

func fmtStat(v float64) string {
	if math.IsNaN(v) {
		return "-"
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

func csvStat(v float64) string {
	if math.IsNaN(v) {
		return "NaN"
	}
	return strconv.FormatFloat(v, 'g', 10, 64)
}

func (a *analysis) run(l *spiketrain.Loaded, stdout io.Writer) error {
	var errs []error
	keep := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	sums := make([]spiketrain.Summary, len(l.Groups))
	fmt.Fprintf(stdout, "%s: window %g–%g ms\n", l.Source, l.Groups[0].Start, l.Groups[0].Stop)
	fmt.Fprintf(stdout, "  %-12s %8s %8s %9s %9s %8s %7s %7s %7s %7s %7s\n",
		"population", "neurons", "active", "spikes", "rate Hz", "±SD", "CV", "CV2", "LV", "Fano", "χ")
	for i := range l.Groups {
		g := &l.Groups[i]
		s := spiketrain.Summarize(g, a.bin)
		sums[i] = s
		fmt.Fprintf(stdout, "  %-12s %8d %8d %9d %9s %8s %7s %7s %7s %7s %7s\n", s.Name, s.Neurons, s.Active, s.Spikes,
			fmtStat(s.Rate), fmtStat(s.RateSD), fmtStat(s.CV), fmtStat(s.CV2), fmtStat(s.LV), fmtStat(s.Fano), fmtStat(s.Chi))
		keep(a.neuronTable(g))
	}
	fmt.Fprintf(stdout, "  (CV, CV2, LV: means over neurons with ≥ 3 spikes; Fano and χ: counts in %g ms bins)\n", a.bin)
	keep(a.dir.WriteCSV("summary.csv", []string{"population", "neurons", "active", "spikes", "duration_ms", "rate_hz", "rate_sd_hz",
		"cv", "cv2", "lv", "isi_neurons", "bin_ms", "fano", "chi"}, len(sums), func(i int, rec []string) []string {
		s := sums[i]
		return append(rec, s.Name, strconv.Itoa(s.Neurons), strconv.Itoa(s.Active), strconv.Itoa(s.Spikes), csvStat(s.Duration),
			csvStat(s.Rate), csvStat(s.RateSD), csvStat(s.CV), csvStat(s.CV2), csvStat(s.LV), strconv.Itoa(s.ISINeurons),
			csvStat(s.Bin), csvStat(s.Fano), csvStat(s.Chi))
	}))
	if a.figures {
		keep(a.draw(l))
	}
	info := analysisInfo{Source: l.Source, HebbVersion: run.Version, StartMs: l.Groups[0].Start, StopMs: l.Groups[0].Stop,
		BinMs: a.bin, MaxLagMs: a.maxLag, Notes: l.Notes, Complete: len(errs) == 0}
	for _, s := range sums {
		info.Populations = append(info.Populations, summaryJSON(s))
	}
	if len(errs) > 0 {
		info.Error = errs[0].Error()
	}
	info.Files = a.dir.Files()
	keep(a.dir.WriteJSON("analysis.json", info))
	if len(errs) > 0 {
		return fmt.Errorf("analysis incomplete: %w", errs[0])
	}
	return nil
}

// analysisInfo is analysis.json: what was analysed, how, and the results.
// It is written last.
type analysisInfo struct {
	Source      string           `json:"source"`
	HebbVersion string           `json:"hebb_version"`
	StartMs     float64          `json:"start_ms"`
	StopMs      float64          `json:"stop_ms"`
	BinMs       float64          `json:"bin_ms"`
	MaxLagMs    float64          `json:"max_lag_ms"`
	Notes       []string         `json:"notes,omitempty"`
	Populations []map[string]any `json:"populations"`
	Complete    bool             `json:"complete"`
	Error       string           `json:"error,omitempty"`
	Files       []string         `json:"files"`
}

// summaryJSON gives a Summary's statistics with NaN as null.
func summaryJSON(s spiketrain.Summary) map[string]any {
	num := func(v float64) any {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil
		}
		return v
	}
	return map[string]any{"name": s.Name, "neurons": s.Neurons, "active": s.Active, "spikes": s.Spikes,
		"duration_ms": s.Duration, "rate_hz": num(s.Rate), "rate_sd_hz": num(s.RateSD), "cv": num(s.CV),
		"cv2": num(s.CV2), "lv": num(s.LV), "isi_neurons": s.ISINeurons, "fano": num(s.Fano), "chi": num(s.Chi)}
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// neuronTable writes the per-neuron statistics of g.
func (a *analysis) neuronTable(g *spiketrain.Group) error {
	return a.dir.WriteCSV("neurons_"+run.FileName(g.Name)+".csv",
		[]string{"neuron", "spikes", "rate_hz", "cv", "cv2", "lv", "lvr", "fano"}, len(g.Trains), func(i int, rec []string) []string {
			tr := g.Trains[i]
			return append(rec, strconv.Itoa(g.IDs[i]), strconv.Itoa(spiketrain.CountIn(tr, g.Start, g.Stop)),
				csvStat(spiketrain.MeanRate(tr, g.Start, g.Stop)), csvStat(spiketrain.CV(tr)), csvStat(spiketrain.CV2(tr)),
				csvStat(spiketrain.LV(tr)), csvStat(spiketrain.LvR(tr, spiketrain.DefaultRefractory)),
				csvStat(spiketrain.FanoBins(tr, g.Start, g.Stop, a.bin)))
		})
}

// draw writes the figures of every group.
func (a *analysis) draw(l *spiketrain.Loaded) error {
	var errs []error
	fig := func(name string, draw func(path string) error) {
		if err := draw(filepath.Join(a.dir.Path, name)); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
			return
		}
		a.dir.Add(name)
	}
	groups := make([]figure.RasterGroup, len(l.Groups))
	for i, g := range l.Groups {
		groups[i] = rasterGroup(&g)
	}
	stop := l.Groups[0].Stop
	fig("raster.png", func(p string) error { return figure.Raster(p, "spikes", groups, stop) })
	for i := range l.Groups {
		g := &l.Groups[i]
		name := run.FileName(g.Name)
		if g.Spikes() == 0 {
			continue
		}
		if n := spiketrain.NumBins(g.Start, g.Stop, a.bin); n > 0 {
			rate := spiketrain.PopulationRate(nil, g, a.bin)
			edges := spiketrain.BinEdges(nil, g.Start, g.Stop, a.bin)
			fig("rate_"+name+".png", func(p string) error {
				return figure.Histogram(p, g.Name+": population rate", "time (ms)", "rate per neuron (Hz)", edges, rate)
			})
		}
		isiBin := a.isiMax / 100
		edges, counts := spiketrain.ISIHistogram(g.Trains, isiBin, a.isiMax)
		if len(counts) > 0 {
			fig("isi_"+name+".png", func(p string) error {
				return figure.Histogram(p, g.Name+": interspike intervals", "ISI (ms)", "count", edges, floats(counts))
			})
		}
		active := activeTrains(g, a.pairs)
		if ac, ok := a.pooled(active, true); ok {
			fig("autocorrelogram_"+name+".png", func(p string) error {
				return figure.Correlogram(p, fmt.Sprintf("%s: autocorrelogram (%s pooled)", g.Name, plural(len(active), "neuron")), corrEdges(ac), ac.Rate(), "rate (Hz)")
			})
		}
		if cc, ok := a.pooled(active, false); ok {
			fig("crosscorrelogram_"+name+".png", func(p string) error {
				return figure.Correlogram(p, fmt.Sprintf("%s: cross-correlogram (%s pooled)", g.Name, plural(len(active)*(len(active)-1), "ordered pair")), corrEdges(cc), cc.Rate(), "rate (Hz)")
			})
		}
		if len(a.events) > 0 {
			var pooled spiketrain.Train
			for _, tr := range g.Trains {
				pooled = append(pooled, tr...)
			}
			sort.Float64s(pooled)
			ps, err := spiketrain.NewPSTH(pooled, a.events, a.pre, a.post, a.psthBin)
			if err != nil {
				errs = append(errs, fmt.Errorf("PSTH of %s: %w", g.Name, err))
				continue
			}
			n := float64(len(g.Trains))
			lo, hi := make([]float64, len(ps.Rate)), make([]float64, len(ps.Rate))
			for k := range ps.Rate {
				ps.Rate[k] /= n
				ps.SEM[k] /= n
				lo[k], hi[k] = ps.Rate[k]-ps.SEM[k], ps.Rate[k]+ps.SEM[k]
			}
			fig("psth_"+name+".png", func(p string) error {
				return figure.Histograms(p, fmt.Sprintf("%s: PSTH (%d events, ±SEM)", g.Name, ps.Trials), "time from event (ms)", "rate per neuron (Hz)",
					ps.Edges, []figure.Bars{{Values: ps.Rate, Lower: lo, Upper: hi}})
			})
		}
	}
	if len(errs) > 0 {
		return errs[0]
	}
	return nil
}

// pooled returns the sum of the auto-correlograms (auto) or of the
// cross-correlograms of all ordered pairs of trs.
func (a *analysis) pooled(trs []spiketrain.Train, auto bool) (spiketrain.Correlogram, bool) {
	var sum spiketrain.Correlogram
	first := true
	add := func(c spiketrain.Correlogram) {
		if first {
			sum, first = c, false
			return
		}
		for k := range sum.Counts {
			sum.Counts[k] += c.Counts[k]
		}
		sum.Refs += c.Refs
	}
	for i, ref := range trs {
		if auto {
			c, err := spiketrain.AutoCorrelogram(ref, a.maxLag, a.corrBin())
			if err != nil {
				return sum, false
			}
			add(c)
			continue
		}
		for j, tgt := range trs {
			if i == j {
				continue
			}
			c, err := spiketrain.CrossCorrelogram(ref, tgt, a.maxLag, a.corrBin())
			if err != nil {
				return sum, false
			}
			add(c)
		}
	}
	return sum, !first && sum.Refs > 0
}

// corrBin is the correlogram bin: a 50th of the largest lag.
func (a *analysis) corrBin() float64 { return a.maxLag / 50 }

func corrEdges(c spiketrain.Correlogram) []float64 {
	e := make([]float64, len(c.Lags)+1)
	for k, l := range c.Lags {
		e[k] = l - c.Bin/2
	}
	e[len(c.Lags)] = c.Lags[len(c.Lags)-1] + c.Bin/2
	return e
}

// activeTrains returns up to n trains of g with at least two spikes.
func activeTrains(g *spiketrain.Group, n int) []spiketrain.Train {
	var out []spiketrain.Train
	for _, tr := range g.Trains {
		if len(tr) >= 2 {
			out = append(out, tr)
			if len(out) == n {
				break
			}
		}
	}
	return out
}

func rasterGroup(g *spiketrain.Group) figure.RasterGroup {
	rg := figure.RasterGroup{Name: g.Name, Size: len(g.Trains)}
	for i, tr := range g.Trains {
		for _, t := range tr {
			rg.Times = append(rg.Times, t)
			rg.IDs = append(rg.IDs, int32(i))
		}
	}
	return rg
}

func floats(v []int) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(x)
	}
	return out
}
