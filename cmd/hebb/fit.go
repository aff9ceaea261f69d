package main

import (
	"errors"
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
	"github.com/hebb-snn/hebb/glm"
	"github.com/hebb-snn/hebb/pointprocess"
	"github.com/hebb-snn/hebb/results"
	"github.com/hebb-snn/hebb/rng"
	"github.com/hebb-snn/hebb/run"
	"github.com/hebb-snn/hebb/spiketrain"
)

func fitCmd(stdout, stderr io.Writer) *cobra.Command {
	c := &cobra.Command{
		Use:   "fit",
		Short: "fit point-process models (GLM with spike history, Hawkes) to spike data",
		Args:  usage(cobra.NoArgs),
	}
	c.AddCommand(fitGLMCmd(stdout, stderr), fitHawkesCmd(stdout, stderr))
	return c
}

// neuronRef is a neuron named on the command line as POP:ID or ID.
type neuronRef struct {
	group *spiketrain.Group
	index int // into group.Trains
}

func (r neuronRef) String() string { return fmt.Sprintf("%s:%d", r.group.Name, r.group.IDs[r.index]) }

func (r neuronRef) train() spiketrain.Train { return r.group.Trains[r.index] }

// findNeuron resolves POP:ID (or ID where the data has one group) in l.
func findNeuron(flag, s string, l *spiketrain.Loaded) (neuronRef, error) {
	pop, idText, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok {
		pop, idText = "", pop
	}
	var g *spiketrain.Group
	switch {
	case pop != "":
		if g = l.Group(pop); g == nil {
			return neuronRef{}, fmt.Errorf("%s %q: %s has no population %q (it has %s)", flag, s, l.Source, pop, groupNames(l))
		}
	case len(l.Groups) == 1:
		g = &l.Groups[0]
	default:
		return neuronRef{}, usageError{fmt.Errorf("%s %q: %s has several populations (%s): name the neuron as POP:ID", flag, s, l.Source, groupNames(l))}
	}
	id, err := strconv.Atoi(idText)
	if err != nil {
		return neuronRef{}, usageError{fmt.Errorf("%s %q: expected a neuron as POP:ID or ID, e.g. exc:3", flag, s)}
	}
	for i, x := range g.IDs {
		if x == id {
			return neuronRef{g, i}, nil
		}
	}
	return neuronRef{}, fmt.Errorf("%s %q: population %q of %s has no neuron %d", flag, s, g.Name, l.Source, id)
}

func groupNames(l *spiketrain.Loaded) string {
	var names []string
	for _, g := range l.Groups {
		names = append(names, g.Name)
	}
	return strings.Join(names, ", ")
}

// glmFlags are the settings of `hebb fit glm`.
type glmFlags struct {
	data                            dataFlags
	out, neuron, bin, span, stretch string
	couple, covariates              []string
	history, refractory             int
	link                            string
	l1, l2                          float64
	noHistory, noCompare, noFigures bool
	seed                            uint64
}

func fitGLMCmd(stdout, stderr io.Writer) *cobra.Command {
	var f glmFlags
	c := &cobra.Command{
		Use:   "glm RESULTS|FILE",
		Short: "fit a Poisson GLM of one neuron's conditional intensity with spike history and coupling",
		Long: `Fit a point-process GLM to one neuron's spikes, in bins of --bin:
  log λ(t) = β0 + Σ_j h_j·(own spike history through basis j) + Σ coupling terms
with a raised-cosine history basis (--history functions with peaks spread over
--history-span on a log scale stretched by --stretch), optionally --refractory
single-bin functions for the first bins. Writes glm.json (coefficients, standard
errors, log-likelihood, deviance, AIC, time-rescaling KS test), coefficients.csv,
filter_*.csv, intensity.npy (λ per bin, Hz) and figures: the history filter and
the KS plot, compared with the model without history unless --no-compare.`,
		Args: usage(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error { return f.run(args[0], stdout, stderr) },
	}
	f.data.add(c)
	c.Flags().StringVarP(&f.out, "out", "o", "", "output folder (default: a new folder named after the data)")
	c.Flags().StringVar(&f.neuron, "neuron", "", "the neuron to fit, POP:ID (or ID if the data has one population); default: the only neuron")
	c.Flags().StringVar(&f.bin, "bin", "1 ms", "bin width")
	c.Flags().IntVar(&f.history, "history", 8, "number of raised-cosine history functions")
	c.Flags().StringVar(&f.span, "history-span", "2 ms, 100 ms", "peaks of the first and last history function")
	c.Flags().StringVar(&f.stretch, "stretch", "5 ms", "log-stretch offset c of the raised cosines (large: nearly linear spacing)")
	c.Flags().IntVar(&f.refractory, "refractory", 0, "number of single-bin functions for the first lags (absolute refractoriness)")
	c.Flags().StringSliceVar(&f.couple, "couple", nil, "coupling from other neurons, POP:ID (repeatable); their spikes through the same basis")
	c.Flags().StringArrayVar(&f.covariates, "covariate", nil, "stimulus covariates: a CSV with a time column (time_ms or time_s) and value columns, held from each sample to the next; FILE uses every column, FILE:COLUMN one (repeatable)")
	c.Flags().StringVar(&f.link, "link", "exp", `inverse link: "exp" (log λ linear) or "softplus"`)
	c.Flags().Float64Var(&f.l2, "l2", 0, "ridge penalty on all coefficients but the intercept (nats per coefficient²)")
	c.Flags().Float64Var(&f.l1, "l1", 0, "lasso penalty on all coefficients but the intercept")
	c.Flags().BoolVar(&f.noHistory, "no-history", false, "fit without spike history (an inhomogeneous Poisson model)")
	c.Flags().BoolVar(&f.noCompare, "no-compare", false, "do not also fit the model without history for comparison")
	c.Flags().Uint64Var(&f.seed, "seed", 1, "seed of the uniform draws of the discrete time-rescaling correction")
	c.Flags().BoolVar(&f.noFigures, "no-figures", false, "do not draw figures")
	return c
}

// glmModel is one fitted model as glm.json describes it.
type glmModel struct {
	Name         string      `json:"name"`
	Coefficients []glmCoef   `json:"coefficients"`
	LogLik       float64     `json:"log_likelihood"`
	Deviance     float64     `json:"deviance"`
	NullDeviance float64     `json:"null_deviance"`
	AIC          float64     `json:"aic"`
	Iterations   int         `json:"iterations"`
	Converged    bool        `json:"converged"`
	KS           ksJSON      `json:"ks"`
	res          *glm.Result `json:"-"`
	ks           pointprocess.KS
}

type glmCoef struct {
	Name string   `json:"name"`
	Coef float64  `json:"coef"`
	SE   *float64 `json:"se"`
	Lo95 *float64 `json:"ci95_lo"`
	Hi95 *float64 `json:"ci95_hi"`
}

type ksJSON struct {
	N       int     `json:"n"`
	D       float64 `json:"d"`
	Bound95 float64 `json:"bound95"`
	P       float64 `json:"p"`
	Pass    bool    `json:"pass"`
}

func ksOf(k pointprocess.KS) ksJSON {
	return ksJSON{N: k.N, D: k.D, Bound95: k.Bound95, P: k.P, Pass: k.Pass()}
}

func finitePtr(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

func (f *glmFlags) run(path string, stdout, stderr io.Writer) error {
	binMs, err := positiveTime("--bin", f.bin)
	if err != nil {
		return err
	}
	first, last, err := timePair("--history-span", f.span)
	if err != nil {
		return err
	}
	stretch, err := positiveTime("--stretch", f.stretch)
	if err != nil {
		return err
	}
	link := glm.Link(f.link)
	if link != glm.LinkExp && link != glm.LinkSoftplus {
		return usageError{fmt.Errorf("--link %q: expected exp or softplus", f.link)}
	}
	if f.l1 < 0 || f.l2 < 0 || math.IsNaN(f.l1+f.l2) {
		return usageError{fmt.Errorf("--l1 and --l2: expected penalties >= 0")}
	}
	if f.refractory < 0 || f.history < 0 || (f.history < 2 && !f.noHistory) {
		return usageError{fmt.Errorf("--history %d, --refractory %d: expected at least 2 history functions and no negative count", f.history, f.refractory)}
	}
	l, err := f.data.load(path, stderr)
	if err != nil {
		return err
	}
	var target neuronRef
	if f.neuron == "" {
		if len(l.Groups) != 1 || len(l.Groups[0].Trains) != 1 {
			return usageError{fmt.Errorf("--neuron: %s holds several neurons: say which to fit, as POP:ID", path)}
		}
		target = neuronRef{&l.Groups[0], 0}
	} else if target, err = findNeuron("--neuron", f.neuron, l); err != nil {
		return err
	}
	var couples []neuronRef
	for _, s := range f.couple {
		r, err := findNeuron("--couple", s, l)
		if err != nil {
			return err
		}
		couples = append(couples, r)
	}
	g := target.group
	y, err := glm.Bin(target.train(), g.Start, g.Stop, binMs)
	if err != nil {
		return fmt.Errorf("%s: %w", target, err)
	}
	var covs []covariate
	for _, spec := range f.covariates {
		c, err := readCovariates(spec, g.Start, binMs, len(y))
		if err != nil {
			return err
		}
		covs = append(covs, c...)
	}
	var basis *glm.Basis
	if !f.noHistory || len(couples) > 0 {
		if basis, err = glm.RaisedCosine(f.history, first, last, stretch, binMs); err != nil {
			return usageError{fmt.Errorf("history basis: %w", err)}
		}
		if f.refractory > 0 {
			if basis, err = basis.WithRefractory(f.refractory); err != nil {
				return usageError{fmt.Errorf("--refractory: %w", err)}
			}
		}
	}
	opt := glm.Options{Link: link, L1: f.l1, L2: f.l2}
	build := func(history bool) (*glm.Design, error) {
		d, err := glm.NewDesign(len(y), binMs)
		if err != nil {
			return nil, err
		}
		if err := d.AddIntercept(); err != nil {
			return nil, err
		}
		for _, c := range covs {
			if err := d.AddCovariate(c.name, c.values); err != nil {
				return nil, fmt.Errorf("--covariate %s: %w", c.name, err)
			}
		}
		if history {
			if err := d.AddHistory("history", y, basis); err != nil {
				return nil, err
			}
		}
		for _, c := range couples {
			counts, err := glm.Bin(c.train(), g.Start, g.Stop, binMs)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", c, err)
			}
			if len(counts) != len(y) {
				return nil, fmt.Errorf("--couple %s: its population's window differs from %s's", c, target)
			}
			if err := d.AddCoupling("coupling "+c.String(), counts, basis); err != nil {
				return nil, err
			}
		}
		return d, nil
	}
	fit := func(name string, history bool) (*glmModel, error) {
		d, err := build(history)
		if err != nil {
			return nil, err
		}
		res, err := glm.Fit(y, d, opt)
		if err != nil {
			return nil, fmt.Errorf("fitting %s: %w", name, err)
		}
		m := &glmModel{Name: name, LogLik: res.LogLik, Deviance: res.Deviance, NullDeviance: res.NullDeviance,
			AIC: res.AIC, Iterations: res.Iterations, Converged: res.Converged, res: res}
		for j, n := range res.Names {
			c := glmCoef{Name: n, Coef: res.Coef[j], SE: finitePtr(res.SE[j])}
			if c.SE != nil {
				c.Lo95, c.Hi95 = finitePtr(res.Coef[j]-1.96*res.SE[j]), finitePtr(res.Coef[j]+1.96*res.SE[j])
			}
			m.Coefficients = append(m.Coefficients, c)
		}
		s := rng.New(f.seed, rng.Derive(0x6b73)) // "ks"
		m.ks = res.KS(&s)
		m.KS = ksOf(m.ks)
		return m, nil
	}
	main := "with history"
	if f.noHistory {
		main = "without history"
	}
	models := []*glmModel{}
	m, err := fit(main, !f.noHistory)
	if err != nil {
		return err
	}
	models = append(models, m)
	if !f.noHistory && !f.noCompare {
		m0, err := fit("without history", false)
		if err != nil {
			return err
		}
		models = append(models, m0)
	}
	dir, err := outDir(f.out, path, "glm")
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: neuron %s, %d spikes in %d bins of %g ms (%g–%g ms)\n", path, target, len(target.train()), len(y), binMs, g.Start, g.Stop)
	for _, m := range models {
		verdict := "passes"
		if !m.ks.Pass() {
			verdict = "fails"
		}
		fmt.Fprintf(stdout, "  %-16s log L = %.6g  AIC = %.6g  deviance = %.6g  KS D = %.4f (95%% bound %.4f, p = %.3g): %s\n",
			m.Name, m.LogLik, m.AIC, m.Deviance, m.KS.D, m.KS.Bound95, m.KS.P, verdict)
	}
	fmt.Fprintf(stdout, "  %-24s %12s %12s\n", "coefficient", "estimate", "SE")
	for _, c := range models[0].Coefficients {
		se := "-"
		if c.SE != nil {
			se = strconv.FormatFloat(*c.SE, 'g', 4, 64)
		}
		fmt.Fprintf(stdout, "  %-24s %12.5g %12s\n", c.Name, c.Coef, se)
	}
	err = f.write(dir, models, y, binMs, target, couples, stderr)
	fmt.Fprintf(stdout, "fit in %s\n", dir.Path)
	return err
}

func (f *glmFlags) write(dir *results.Dir, models []*glmModel, y []float64, binMs float64, target neuronRef, couples []neuronRef, stderr io.Writer) error {
	var errs []error
	keep := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	best := models[0]
	keep(dir.WriteCSV("coefficients.csv", []string{"model", "name", "coef", "se", "ci95_lo", "ci95_hi"}, countCoefs(models), func(i int, rec []string) []string {
		for _, m := range models {
			if i < len(m.Coefficients) {
				c := m.Coefficients[i]
				return append(rec, m.Name, c.Name, csvStat(c.Coef), ptrStat(c.SE), ptrStat(c.Lo95), ptrStat(c.Hi95))
			}
			i -= len(m.Coefficients)
		}
		return rec
	}))
	keep(dir.WriteNPYFloat64("intensity.npy", best.res.Intensity()))
	terms := []string{}
	if !f.noHistory {
		terms = append(terms, "history")
	}
	for _, c := range couples {
		terms = append(terms, "coupling "+c.String())
	}
	for _, term := range terms {
		fe, err := best.res.Filter(term)
		if err != nil {
			keep(err)
			continue
		}
		name := strings.ReplaceAll(run.FileName(term), " ", "_")
		keep(dir.WriteCSV("filter_"+name+".csv", []string{"lag_ms", "log_gain", "ci95_lo", "ci95_hi"}, len(fe.Lags), func(i int, rec []string) []string {
			return append(rec, csvStat(fe.Lags[i]), csvStat(fe.Value[i]), csvStat(fe.Lo[i]), csvStat(fe.Hi[i]))
		}))
		if !f.noFigures {
			// Lags the data do not constrain (no spike ever followed at
			// that lag: the fitted gain runs off towards 0) are left out
			// of the figure, which would otherwise show nothing else.
			value := append([]float64(nil), fe.Value...)
			lo, hi := append([]float64(nil), fe.Lo...), append([]float64(nil), fe.Hi...)
			var open []string
			for i := range value {
				if !(fe.Hi[i]-fe.Lo[i] < unboundedWidth) {
					value[i], lo[i], hi[i] = math.NaN(), math.NaN(), math.NaN()
					open = append(open, strconv.FormatFloat(fe.Lags[i], 'g', 4, 64))
				}
			}
			title := fmt.Sprintf("%s: %s filter (95%% band)", target, term)
			if len(open) > 0 {
				fmt.Fprintf(stderr, "note: %s filter at lags %s ms is not bounded by the data (no spikes there: a gain near 0); left out of the figure\n", term, strings.Join(open, ", "))
				title += fmt.Sprintf(", %s ms unbounded", strings.Join(open, ", "))
			}
			p := "filter_" + name + ".png"
			if err := figure.Filter(filepath.Join(dir.Path, p), title, fe.Lags, value, lo, hi, "h (log gain)"); err != nil {
				keep(err)
			} else {
				dir.Add(p)
			}
		}
	}
	if !f.noFigures {
		var series []figure.KSSeries
		for _, m := range models {
			if m.ks.N > 0 {
				series = append(series, figure.KSSeries{Label: m.Name, Model: m.ks.Model, Empirical: m.ks.Uniform, D: m.ks.D, Bound: m.ks.Bound95})
			}
		}
		if len(series) > 0 {
			if err := figure.KSPlot(filepath.Join(dir.Path, "ks.png"), fmt.Sprintf("%s: time-rescaling KS plot", target), series); err != nil {
				keep(err)
			} else {
				dir.Add("ks.png")
			}
		}
	}
	info := map[string]any{
		"source": target.group.Name, "neuron": target.String(), "hebb_version": run.Version,
		"bin_ms": binMs, "start_ms": target.group.Start, "stop_ms": target.group.Stop, "bins": len(y),
		"spikes": len(target.train()), "link": f.link, "l1": f.l1, "l2": f.l2,
		"history_functions": f.history, "history_span": f.span, "stretch": f.stretch, "refractory_bins": f.refractory,
		"ks_seed": f.seed, "models": models, "complete": len(errs) == 0,
	}
	if len(errs) > 0 {
		info["error"] = errs[0].Error()
	}
	info["files"] = dir.Files()
	keep(dir.WriteJSON("glm.json", info))
	return errors.Join(errs...)
}

// unboundedWidth is the width of a 95% band of a log gain beyond which a
// filter value counts as not bounded by the data (a factor e^100).
const unboundedWidth = 100

func countCoefs(models []*glmModel) int {
	n := 0
	for _, m := range models {
		n += len(m.Coefficients)
	}
	return n
}

func ptrStat(p *float64) string {
	if p == nil {
		return "NaN"
	}
	return csvStat(*p)
}

func fitHawkesCmd(stdout, stderr io.Writer) *cobra.Command {
	var (
		data      dataFlags
		out, beta string
		dims      []string
		noFigures bool
	)
	c := &cobra.Command{
		Use:   "hawkes RESULTS|FILE",
		Short: "fit a (multivariate) Hawkes process with exponential kernels by maximum likelihood",
		Long: `Fit a Hawkes process λ_i(t) = μ_i + Σ_j α_ij Σ_k β_i·exp(−β_i·(t − t_jk)) by maximum
likelihood. Each dimension is a population (all its neurons' spikes pooled) or a
neuron (POP:ID), chosen with --dims; the default is one dimension per population.
Writes hawkes.json (μ in Hz, α, β in 1/ms and τ = 1/β in ms with standard errors,
log-likelihood, AIC, branching ratio, stationarity, the rates the model implies
next to the observed ones, and a time-rescaling KS test per dimension) and a KS plot.`,
		Args: usage(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			l, err := data.load(args[0], stderr)
			if err != nil {
				return err
			}
			names, trains, err := hawkesDims(dims, l)
			if err != nil {
				return err
			}
			start, stop := l.Groups[0].Start, l.Groups[0].Stop
			T := stop - start
			spikes := make([][]float64, len(trains))
			for i, tr := range trains {
				s := make([]float64, 0, len(tr))
				for _, t := range tr {
					if t >= start && t < stop {
						s = append(s, t-start)
					}
				}
				spikes[i] = s
			}
			var opt *pointprocess.HawkesFitOptions
			if beta != "" {
				tau, err := positiveTime("--tau", beta)
				if err != nil {
					return err
				}
				b := make([]float64, len(spikes))
				for i := range b {
					b[i] = 1 / tau
				}
				opt = &pointprocess.HawkesFitOptions{Beta: b}
			}
			fit, err := pointprocess.FitHawkes(spikes, T, opt)
			if err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			kss, err := fit.KSTests(spikes)
			if err != nil {
				return err
			}
			implied, _ := fit.Model.MeanRates()
			d := len(spikes)
			fmt.Fprintf(stdout, "%s: Hawkes fit of %d dimensions over %g ms: log L = %.6g, AIC = %.6g, branching ratio %.4g (%s)\n",
				args[0], d, T, fit.LogLik, fit.AIC, fit.BranchingRatio, map[bool]string{true: "stationary", false: "not stationary"}[fit.Stationary])
			type dimJSON struct {
				Name        string     `json:"name"`
				Events      int        `json:"events"`
				ObservedHz  float64    `json:"observed_rate_hz"`
				ImpliedHz   *float64   `json:"implied_rate_hz"`
				MuHz        float64    `json:"mu_hz"`
				MuSEHz      *float64   `json:"mu_se_hz"`
				Alpha       []float64  `json:"alpha"`
				AlphaSE     []*float64 `json:"alpha_se"`
				BetaPerMs   float64    `json:"beta_per_ms"`
				BetaSEPerMs *float64   `json:"beta_se_per_ms"`
				TauMs       float64    `json:"tau_ms"`
				KS          ksJSON     `json:"ks"`
			}
			rows := []dimJSON{}
			var series []figure.KSSeries
			for i := range d {
				dj := dimJSON{Name: names[i], Events: len(spikes[i]), ObservedHz: 1000 * float64(len(spikes[i])) / T,
					MuHz: 1000 * fit.Model.Mu[i], MuSEHz: finitePtr(1000 * fit.StdErr.Mu[i]),
					BetaPerMs: fit.Model.Beta[i], BetaSEPerMs: finitePtr(fit.StdErr.Beta[i]), TauMs: 1 / fit.Model.Beta[i], KS: ksOf(kss[i])}
				if implied != nil {
					dj.ImpliedHz = finitePtr(1000 * implied[i])
				}
				for j := range d {
					dj.Alpha = append(dj.Alpha, fit.Model.Alpha[i*d+j])
					dj.AlphaSE = append(dj.AlphaSE, finitePtr(fit.StdErr.Alpha[i*d+j]))
				}
				rows = append(rows, dj)
				verdict := "passes"
				if !kss[i].Pass() {
					verdict = "fails"
				}
				fmt.Fprintf(stdout, "  %-14s μ = %.4g Hz  α = %s  τ = %.4g ms  rate %.4g Hz (model %s Hz)  KS D = %.4f (bound %.4f): %s\n",
					names[i], dj.MuHz, fmtList(dj.Alpha), dj.TauMs, dj.ObservedHz, fmtPtr(dj.ImpliedHz), kss[i].D, kss[i].Bound95, verdict)
				if kss[i].N > 0 {
					series = append(series, figure.KSSeries{Label: names[i], Model: kss[i].Model, Empirical: kss[i].Uniform, D: kss[i].D, Bound: kss[i].Bound95})
				}
			}
			dir, err := outDir(out, args[0], "hawkes")
			if err != nil {
				return err
			}
			var errs []error
			if !noFigures && len(series) > 0 {
				if err := figure.KSPlot(filepath.Join(dir.Path, "ks.png"), "Hawkes fit: time-rescaling KS plot", series); err != nil {
					errs = append(errs, err)
				} else {
					dir.Add("ks.png")
				}
			}
			info := map[string]any{"source": args[0], "hebb_version": run.Version, "start_ms": start, "stop_ms": stop,
				"log_likelihood": fit.LogLik, "aic": fit.AIC, "parameters": fit.NumParams, "branching_ratio": fit.BranchingRatio,
				"stationary": fit.Stationary, "fixed_tau_ms": beta, "dimensions": rows, "complete": len(errs) == 0}
			if len(errs) > 0 {
				info["error"] = errs[0].Error()
			}
			errs = append(errs, dir.WriteCSV("hawkes.csv", []string{"parameter", "target", "source", "value", "se", "unit"}, d*(d+2), func(k int, rec []string) []string {
				i, j := k/(d+2), k%(d+2)
				r := rows[i]
				switch j {
				case 0:
					return append(rec, "mu", r.Name, "", csvStat(r.MuHz), ptrStat(r.MuSEHz), "Hz")
				case 1:
					return append(rec, "beta", r.Name, "", csvStat(r.BetaPerMs), ptrStat(r.BetaSEPerMs), "1/ms")
				}
				return append(rec, "alpha", r.Name, names[j-2], csvStat(r.Alpha[j-2]), ptrStat(r.AlphaSE[j-2]), "")
			}))
			info["files"] = dir.Files()
			errs = append(errs, dir.WriteJSON("hawkes.json", info))
			fmt.Fprintf(stdout, "fit in %s\n", dir.Path)
			return errors.Join(errs...)
		},
	}
	data.add(c)
	c.Flags().StringVarP(&out, "out", "o", "", "output folder (default: a new folder named after the data)")
	c.Flags().StringSliceVar(&dims, "dims", nil, "dimensions: POP (its neurons pooled) or POP:ID, repeatable (default: one per population)")
	c.Flags().StringVar(&beta, "tau", "", "fix every kernel's time constant 1/β instead of fitting it")
	c.Flags().BoolVar(&noFigures, "no-figures", false, "do not draw figures")
	return c
}

// hawkesDims returns the names and spike trains of the dimensions asked
// for: whole populations (pooled) or single neurons.
func hawkesDims(dims []string, l *spiketrain.Loaded) ([]string, []spiketrain.Train, error) {
	if len(dims) == 0 {
		for _, g := range l.Groups {
			dims = append(dims, g.Name)
		}
	}
	var names []string
	var trains []spiketrain.Train
	for _, s := range dims {
		s = strings.TrimSpace(s)
		if !strings.Contains(s, ":") {
			if g := l.Group(s); g != nil {
				var pooled spiketrain.Train
				for _, tr := range g.Trains {
					pooled = append(pooled, tr...)
				}
				sort.Float64s(pooled)
				names = append(names, g.Name)
				trains = append(trains, pooled)
				continue
			}
			if len(l.Groups) != 1 {
				return nil, nil, fmt.Errorf("--dims %q: %s has no population %q (it has %s)", s, l.Source, s, groupNames(l))
			}
		}
		r, err := findNeuron("--dims", s, l)
		if err != nil {
			return nil, nil, err
		}
		names = append(names, r.String())
		trains = append(trains, r.train())
	}
	return names, trains, nil
}

func fmtList(v []float64) string {
	parts := make([]string, len(v))
	for i, x := range v {
		parts[i] = strconv.FormatFloat(x, 'g', 4, 64)
	}
	return "[" + strings.Join(parts, " ") + "]"
}

func fmtPtr(p *float64) string {
	if p == nil {
		return "∞"
	}
	return strconv.FormatFloat(*p, 'g', 4, 64)
}

// covariate is one stimulus column sampled on the fit's bins.
type covariate struct {
	name   string
	values []float64
}

// readCovariates reads FILE or FILE:COLUMN (a CSV with a time column and
// value columns) and samples the columns on n bins of width bin from
// start: each bin takes the last sample at or before its start (a
// zero-order hold).
func readCovariates(spec string, start, bin float64, n int) ([]covariate, error) {
	path, column := spec, ""
	if _, err := os.Stat(spec); err != nil {
		if i := strings.LastIndexByte(spec, ':'); i > 0 {
			path, column = spec[:i], spec[i+1:]
		}
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--covariate: %w", err)
	}
	lines := strings.Split(strings.TrimRight(string(raw), "\n"), "\n")
	if len(lines) < 2 {
		return nil, fmt.Errorf("%s: expected a header line and at least one sample", path)
	}
	header := strings.Split(strings.TrimSpace(lines[0]), ",")
	tc, unit := -1, 0.0
	for i, h := range header {
		if u, bare := spiketrain.TimeColumn(strings.TrimSpace(h)); u > 0 && !bare {
			tc, unit = i, u
			break
		}
	}
	if tc < 0 {
		return nil, fmt.Errorf("%s:1: expected a time column time_ms or time_s in the header %q", path, lines[0])
	}
	var cols []int
	for i, h := range header {
		if i != tc && (column == "" || strings.TrimSpace(h) == column) {
			cols = append(cols, i)
		}
	}
	if len(cols) == 0 {
		return nil, fmt.Errorf("%s:1: no column %q (the header is %q)", path, column, lines[0])
	}
	out := make([]covariate, len(cols))
	for k, c := range cols {
		out[k] = covariate{name: strings.TrimSpace(header[c]), values: make([]float64, n)}
	}
	next := 0 // the next bin to fill
	prevT := math.Inf(-1)
	var prev []float64
	fill := func(upTo float64) { // bins starting before upTo take prev
		for next < n && start+float64(next)*bin < upTo-1e-9*bin {
			for k := range out {
				out[k].values[next] = prev[k]
			}
			next++
		}
	}
	for ln := 2; ln <= len(lines); ln++ {
		text := strings.TrimSpace(lines[ln-1])
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		rec := strings.Split(text, ",")
		if len(rec) != len(header) {
			return nil, fmt.Errorf("%s:%d: %d fields: expected %d as in the header", path, ln, len(rec), len(header))
		}
		t, err := strconv.ParseFloat(strings.TrimSpace(rec[tc]), 64)
		if err != nil || math.IsNaN(t) || math.IsInf(t, 0) {
			return nil, fmt.Errorf("%s:%d: %s: expected a finite time, got %q", path, ln, header[tc], rec[tc])
		}
		t *= unit
		if !(t > prevT) {
			return nil, fmt.Errorf("%s:%d: %s: times must increase (%g ms after %g ms)", path, ln, header[tc], t, prevT)
		}
		if prev == nil && t > start+1e-9*bin {
			return nil, fmt.Errorf("%s:%d: the first sample is at %g ms, after the start of the data (%g ms): expected samples from the start on", path, ln, t, start)
		}
		if prev != nil {
			fill(t)
		}
		vals := make([]float64, len(cols))
		for k, c := range cols {
			v, err := strconv.ParseFloat(strings.TrimSpace(rec[c]), 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("%s:%d: %s: expected a finite number, got %q", path, ln, header[c], rec[c])
			}
			vals[k] = v
		}
		prev, prevT = vals, t
	}
	if prev == nil {
		return nil, fmt.Errorf("%s: no samples", path)
	}
	fill(math.Inf(1))
	return out, nil
}
