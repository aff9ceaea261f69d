// Package run simulates a model end to end: it builds the network, runs
// it, and writes a results folder with the recorded data (CSV and NumPy
// .npy), the figures and a manifest.
//
// The manifest is written last; a run that fails or is interrupted still
// writes everything recorded so far and a manifest with complete: false
// and the time reached.
package run

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hebb-snn/hebb/engine"
	"github.com/hebb-snn/hebb/figure"
	"github.com/hebb-snn/hebb/model"
	"github.com/hebb-snn/hebb/results"
)

// Version is hebb's version.
const Version = "0.1.0-dev"

// Options control a run. None of them changes the simulated spikes.
type Options struct {
	Out     string // results folder; "" means a new folder named after the model
	Threads int    // workers; < 1 means one per CPU
	Figures bool   // draw PNG figures
	// MemoryLimit is passed to engine.Build: 0 refuses models that need
	// more than the available memory, negative turns the check off.
	MemoryLimit int64
	Progress    func(done, total int64, wall time.Duration)
}

// Result describes a finished (or interrupted) run.
type Result struct {
	Dir      string
	Manifest *results.Manifest
	Sim      *engine.Sim
}

// File loads, validates and runs the model file at path.
func File(ctx context.Context, path string, opt Options) (*Result, error) {
	spec, err := model.Load(path)
	if spec == nil {
		return nil, err
	}
	net, err := spec.Resolve()
	if err != nil {
		return nil, err
	}
	return Net(ctx, net, opt)
}

// Net runs a validated model and writes its results folder. If ctx is
// cancelled the run stops at a step boundary, its results are written with
// the manifest marked incomplete, and the context's error is returned
// along with the Result.
func Net(ctx context.Context, net *model.Net, opt Options) (*Result, error) {
	threads := opt.Threads
	if threads < 1 {
		threads = runtime.NumCPU()
	}
	out := opt.Out
	if out == "" {
		out = results.NewName(FileName(net.Name))
	}
	dir, err := results.Create(out)
	if err != nil {
		return nil, err
	}
	m := &results.Manifest{
		Model: net.Name, ModelFile: net.File, HebbVersion: Version, GoVersion: runtime.Version(),
		Seed: net.Seed, Threads: threads, DtMs: net.Dt, DurationMs: net.Duration,
		Started:     time.Now().Format(time.RFC3339),
		Populations: []results.PopulationSummary{},
		Projections: []results.ProjectionSummary{},
	}
	if net.File != "" {
		if b, err := os.ReadFile(net.File); err == nil {
			h := sha256.Sum256(b)
			m.ModelSHA256 = hex.EncodeToString(h[:])
		}
	}
	res := &Result{Dir: dir.Path, Manifest: m}
	t0 := time.Now()
	sim, err := engine.Build(net, engine.Options{Threads: threads, MemoryLimit: opt.MemoryLimit})
	m.BuildSeconds = time.Since(t0).Seconds()
	if err != nil {
		m.Error = err.Error()
		if werr := dir.WriteManifest(m); werr != nil {
			return res, errors.Join(err, werr)
		}
		return res, err
	}
	res.Sim = sim
	m.Neurons, m.Synapses = sim.Neurons(), sim.Synapses()
	t1 := time.Now()
	var progress func(done, total int64)
	if opt.Progress != nil {
		progress = func(done, total int64) { opt.Progress(done, total, time.Since(t1)) }
	}
	runErr := sim.Run(ctx, progress)
	m.WallSeconds = time.Since(t1).Seconds()
	m.ReachedMs = sim.Time()
	m.Complete = runErr == nil && sim.Step() == net.Steps
	if sim.Time() > 0 {
		m.RealTimeFactor = m.WallSeconds / (sim.Time() / 1000)
	}
	if runErr != nil {
		m.Error = runErr.Error()
	}
	werr := write(dir, sim, m, opt.Figures)
	if merr := dir.WriteManifest(m); merr != nil {
		werr = errors.Join(werr, merr)
	}
	return res, errors.Join(runErr, werr)
}

var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9_.-]+`)

// FileName turns a population, variable or projection name into a safe
// part of a file name: "pre->post" becomes "pre-to-post".
func FileName(s string) string {
	s = strings.ReplaceAll(s, "->", "-to-")
	s = unsafeChars.ReplaceAllString(s, "_")
	if s == "" || s[0] == '.' {
		s = "_" + s // never "", ".", ".." or a hidden name
	}
	return s
}

// uniqueNames hands out file name bases, adding "-2", "-3", ... to a base
// already handed out (two projections "a->b" and "a-to-b" would otherwise
// share files).
type uniqueNames map[string]bool

func (u uniqueNames) get(base string) string {
	name := base
	for k := 2; u[name]; k++ {
		name = fmt.Sprintf("%s-%d", base, k)
	}
	u[name] = true
	return name
}

// write writes the recorded data and figures into dir and fills in the
// counts of m.
func write(dir *results.Dir, sim *engine.Sim, m *results.Manifest, figures bool) error {
	var errs []error
	keep := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	pops, projs := sim.Stats()
	tsec := sim.Time() / 1000
	for _, p := range pops {
		rate := 0.0
		if tsec > 0 {
			rate = float64(p.Spikes) / float64(p.Size) / tsec
		}
		m.Populations = append(m.Populations, results.PopulationSummary{Name: p.Name, Model: p.Model, Size: p.Size, Spikes: p.Spikes, RateHz: rate})
	}
	for _, q := range projs {
		m.Projections = append(m.Projections, results.ProjectionSummary{Name: q.Name, From: q.From, To: q.To, Synapses: q.Synapses, Events: q.Events})
	}

	// Spikes: one CSV of every recorded spike in time order, and per
	// population a pair of .npy arrays.
	trains := sim.Spikes()
	type ref struct{ p, k int }
	var all []ref
	for p, tr := range trains {
		for k := range tr.Times {
			all = append(all, ref{p, k})
		}
	}
	sort.SliceStable(all, func(a, b int) bool {
		return trains[all[a].p].Times[all[a].k] < trains[all[b].p].Times[all[b].k]
	})
	h := sha256.New()
	var buf [16]byte
	for _, r := range all {
		tr := trains[r.p]
		binary.LittleEndian.PutUint32(buf[0:], uint32(r.p))
		binary.LittleEndian.PutUint32(buf[4:], uint32(tr.IDs[r.k]))
		binary.LittleEndian.PutUint64(buf[8:], math.Float64bits(tr.Times[r.k]))
		h.Write(buf[:])
	}
	m.SpikesSHA256 = hex.EncodeToString(h.Sum(nil))
	keep(dir.WriteCSV("spikes.csv", []string{"population", "neuron", "time_ms"}, len(all), func(i int, rec []string) []string {
		tr := trains[all[i].p]
		return append(rec[:0], tr.Pop, strconv.Itoa(int(tr.IDs[all[i].k])), strconv.FormatFloat(tr.Times[all[i].k], 'f', -1, 64))
	}))
	names := uniqueNames{}
	for _, tr := range trains {
		base := names.get("spikes_" + FileName(tr.Pop))
		keep(dir.WriteNPYFloat64(base+"_times.npy", tr.Times))
		keep(dir.WriteNPYInt32(base+"_ids.npy", tr.IDs))
	}

	// State variables: a wide CSV (time, then one column per neuron) and a
	// 2-D .npy array [sample, neuron] with its sample times.
	for _, st := range sim.States() {
		base := names.get("state_" + FileName(st.Pop) + "_" + FileName(st.Var))
		n := len(st.Neurons)
		header := []string{"time_ms"}
		for _, i := range st.Neurons {
			header = append(header, fmt.Sprintf("%s_%d_%s", st.Var, i, unitSuffix(st.Unit)))
		}
		keep(dir.WriteCSV(base+".csv", header, len(st.Times), func(t int, rec []string) []string {
			rec = append(rec[:0], strconv.FormatFloat(st.Times[t], 'f', -1, 64))
			for i := 0; i < n; i++ {
				rec = append(rec, strconv.FormatFloat(st.Values[t*n+i], 'g', -1, 64))
			}
			return rec
		}))
		keep(dir.WriteNPYFloat64(base+".npy", st.Values, len(st.Times), n))
		keep(dir.WriteNPYFloat64(base+"_times.npy", st.Times))
	}

	// Weights: a long CSV (time, source, target, weight) and a 2-D .npy
	// array [sample, synapse] with the synapses' sources and targets.
	for _, wt := range sim.Weights() {
		base := names.get("weights_" + FileName(wt.Proj))
		ns := len(wt.Src)
		keep(dir.WriteCSV(base+".csv", []string{"time_ms", "source", "target", "weight" + unitSuffixW(wt.Unit)}, len(wt.Times)*ns, func(i int, rec []string) []string {
			t, k := i/ns, i%ns
			return append(rec[:0], strconv.FormatFloat(wt.Times[t], 'f', -1, 64), strconv.Itoa(int(wt.Src[k])), strconv.Itoa(int(wt.Tgt[k])), strconv.FormatFloat(wt.W[i], 'g', -1, 64))
		}))
		keep(dir.WriteNPYFloat64(base+".npy", wt.W, len(wt.Times), ns))
		keep(dir.WriteNPYFloat64(base+"_times.npy", wt.Times))
		pairs := make([]int32, 0, 2*ns)
		for k := range wt.Src {
			pairs = append(pairs, wt.Src[k], wt.Tgt[k])
		}
		keep(dir.WriteNPYInt32(base+"_synapses.npy", pairs, ns, 2))
	}
	if figures {
		keep(drawFigures(dir, sim, trains, uniqueNames{}))
	}
	return errors.Join(errs...)
}

func unitSuffix(u string) string {
	if u == "" {
		return "1"
	}
	return u
}

func unitSuffixW(u string) string {
	if u == "" {
		return ""
	}
	return "_" + u
}

// drawFigures draws the raster plot, one figure per recorded state
// variable and one weight heat map per weight recorder.
func drawFigures(dir *results.Dir, sim *engine.Sim, trains []*engine.SpikeTrain, names uniqueNames) error {
	var errs []error
	fig := func(name string, draw func(path string) error) {
		if err := draw(filepath.Join(dir.Path, name)); err != nil {
			errs = append(errs, err)
			return
		}
		dir.Add(name)
	}
	title := sim.Net.Name
	if len(trains) > 0 {
		var groups []figure.RasterGroup
		for _, tr := range trains {
			groups = append(groups, figure.RasterGroup{Name: tr.Pop, Size: tr.Size, Times: tr.Times, IDs: tr.IDs})
		}
		fig("raster.png", func(p string) error { return figure.Raster(p, title+": spikes", groups, sim.Time()) })
	}
	spikesOf := map[string]*engine.SpikeTrain{}
	for _, tr := range trains {
		spikesOf[tr.Pop] = tr
	}
	for _, st := range sim.States() {
		n := len(st.Neurons)
		shown := min(n, 10)
		var traces []figure.Trace
		for c := 0; c < shown; c++ {
			tr := figure.Trace{Label: fmt.Sprintf("%s[%d]", st.Pop, st.Neurons[c])}
			for t := range st.Times {
				tr.Times = append(tr.Times, st.Times[t])
				tr.Values = append(tr.Values, st.Values[t*n+c])
			}
			if sp := spikesOf[st.Pop]; sp != nil && spiking(sim, st.Pop) {
				for k, id := range sp.IDs {
					if id == st.Neurons[c] {
						tr.Spikes = append(tr.Spikes, sp.Times[k])
					}
				}
			}
			if st.Var == "V" {
				if th, ok := threshold(sim, st.Pop); ok {
					tr.Threshold, tr.HasThreshold = th, true
				}
			}
			traces = append(traces, tr)
		}
		ylabel := st.Var
		if st.Unit != "" {
			ylabel += " (" + st.Unit + ")"
		}
		t := fmt.Sprintf("%s: %s of %s", title, st.Var, st.Pop)
		if shown < n {
			t += fmt.Sprintf(" (first %d of %d neurons)", shown, n)
		}
		fig(names.get("trace_"+FileName(st.Pop)+"_"+FileName(st.Var))+".png", func(p string) error { return figure.Traces(p, t, ylabel, traces) })
	}
	for _, wt := range sim.Weights() {
		ns := len(wt.Src)
		h := figure.WeightHistory{Times: wt.Times}
		for k := 0; k < ns; k++ {
			h.Labels = append(h.Labels, fmt.Sprintf("%d→%d", wt.Src[k], wt.Tgt[k]))
		}
		for t := range wt.Times {
			h.W = append(h.W, wt.W[t*ns:(t+1)*ns])
		}
		fig(names.get("weights_"+FileName(wt.Proj))+".png", func(p string) error {
			return figure.WeightHeatmap(p, fmt.Sprintf("%s: weights of %s", title, wt.Proj), h)
		})
	}
	return errors.Join(errs...)
}

// threshold returns V_th of a population's model, if it has one.
func threshold(sim *engine.Sim, pop string) (float64, bool) {
	for _, p := range sim.Net.Pops {
		if p.Name == pop && p.Params.Has("V_th") {
			return p.Params.Num("V_th"), true
		}
	}
	return 0, false
}

// spiking reports whether population pop emits spikes (rather than the
// graded activity of rate units, which is not marked on traces).
func spiking(sim *engine.Sim, pop string) bool {
	for _, p := range sim.Net.Pops {
		if p.Name == pop {
			return p.Model.Source || p.Model.WeightUnit != ""
		}
	}
	return false
}
