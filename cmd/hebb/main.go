// Command hebb simulates spiking neural networks described in model files
// and writes results folders, and analyses and fits spike data.
//
//	hebb run model.yaml [--out DIR] [--seed N] [--threads N] [--duration T]
//	hebb validate model.yaml...
//	hebb models [NAME]
//	hebb analyze RESULTS|FILE [--bin T] [--events LIST|FILE] [--out DIR]
//	hebb fit glm RESULTS|FILE [--neuron POP:ID] [--history N] [--couple POP:ID]... [--out DIR]
//	hebb fit hawkes RESULTS|FILE [--dims POP|POP:ID]... [--out DIR]
//	hebb bench NAME [--scale S] [--duration T] [--threads N] [--json]
//	hebb version
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/hebb-snn/hebb/engine"
	"github.com/hebb-snn/hebb/model"
	"github.com/hebb-snn/hebb/run"
)

func main() {
	os.Exit(Main(os.Args[1:], os.Stdout, os.Stderr))
}

// Main runs the command with args and returns the exit status: 0 on
// success, 1 on an error, 2 for bad usage, 130 when interrupted.
func Main(args []string, stdout, stderr io.Writer) int {
	root := &cobra.Command{
		Use:           "hebb",
		Short:         "hebb simulates spiking neural networks and analyses spike trains",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetArgs(args)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.AddCommand(runCmd(stdout, stderr), validateCmd(stdout), modelsCmd(stdout), analyzeCmd(stdout, stderr), fitCmd(stdout, stderr), benchCmd(stdout), &cobra.Command{
		Use:   "version",
		Short: "print hebb's version",
		Args:  usage(cobra.NoArgs),
		RunE: func(*cobra.Command, []string) error {
			fmt.Fprintf(stdout, "hebb %s (%s %s/%s)\n", run.Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
			return nil
		},
	})
	err := root.Execute()
	if err == nil {
		return 0
	}
	fmt.Fprintln(stderr, "hebb:", err)
	var u usageError
	switch {
	case errors.Is(err, context.Canceled):
		return 130
	case errors.As(err, &u), strings.HasPrefix(err.Error(), "unknown command"):
		return 2
	}
	return 1
}

type usageError struct{ error }

func runCmd(stdout, stderr io.Writer) *cobra.Command {
	var (
		out, duration, seed string
		threads             int
		noFigures, noMemory bool
	)
	c := &cobra.Command{
		Use:   "run MODEL.yaml",
		Short: "simulate a model file and write a results folder",
		Long: `Simulate a model file and write a results folder: manifest.json, spikes.csv,
spikes and recorded state as NumPy .npy arrays, and PNG figures.
Ctrl-C stops the run at the next step and still writes what was recorded.`,
		Args: usage(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			if threads < 0 {
				return usageError{fmt.Errorf("--threads: expected a number of threads >= 1 (0 = all cores), got %d", threads)}
			}
			spec, err := model.Load(args[0])
			if spec == nil {
				return err
			}
			if cmd.Flags().Changed("seed") {
				if _, err := strconv.ParseUint(seed, 10, 64); err != nil {
					return usageError{fmt.Errorf("--seed: expected a whole number >= 0, got %q", seed)}
				}
				spec.Seed = model.Value{Text: seed, Set: true, Pos: model.Pos{File: "command line (--seed)"}}
			}
			if cmd.Flags().Changed("duration") {
				spec.Duration = model.Value{Text: duration, Set: true, Pos: model.Pos{File: "command line (--duration)"}}
			}
			net, err := spec.Resolve()
			if err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			opt := run.Options{Out: out, Threads: threads, Figures: !noFigures}
			if noMemory {
				opt.MemoryLimit = -1
			}
			var bar *progressbar.ProgressBar
			if f, ok := stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
				opt.Progress = func(done, total int64, wall time.Duration) {
					if bar == nil {
						if wall < 2*time.Second || done == total {
							return
						}
						bar = progressbar.NewOptions64(total, progressbar.OptionSetWriter(stderr),
							progressbar.OptionSetDescription("simulating"), progressbar.OptionShowCount(),
							progressbar.OptionThrottle(200*time.Millisecond), progressbar.OptionClearOnFinish())
					}
					simSec := float64(done) * net.Dt / 1000
					if simSec > 0 {
						bar.Describe(fmt.Sprintf("simulating, %.3g s wall per s simulated", wall.Seconds()/simSec))
					}
					_ = bar.Set64(done)
				}
			}
			res, err := run.Net(ctx, net, opt)
			if bar != nil {
				_ = bar.Finish()
			}
			if res != nil && res.Manifest != nil {
				m := res.Manifest
				state := "done"
				if !m.Complete {
					state = fmt.Sprintf("stopped at %g ms of %g ms", m.ReachedMs, m.DurationMs)
				}
				fmt.Fprintf(stdout, "%s: %s: %d neurons, %d synapses, %g ms simulated in %.3g s (%.3g s per simulated s, %d threads)\n",
					m.Model, state, m.Neurons, m.Synapses, m.ReachedMs, m.WallSeconds, m.RealTimeFactor, m.Threads)
				for _, p := range m.Populations {
					fmt.Fprintf(stdout, "  %-12s %-16s %7d neurons %9d spikes %9.3g Hz\n", p.Name, p.Model, p.Size, p.Spikes, p.RateHz)
				}
				fmt.Fprintf(stdout, "results in %s\n", res.Dir)
			}
			return err
		},
	}
	c.Flags().StringVarP(&out, "out", "o", "", "results folder (default: a new folder named after the model)")
	c.Flags().IntVarP(&threads, "threads", "t", 0, "worker threads (0 = all cores); results do not depend on it")
	c.Flags().StringVar(&seed, "seed", "", "random seed, overriding the model file's")
	c.Flags().StringVar(&duration, "duration", "", `simulated time, overriding the model file's (e.g. "2 s")`)
	c.Flags().BoolVar(&noFigures, "no-figures", false, "do not draw figures")
	c.Flags().BoolVar(&noMemory, "no-memory-check", false, "build even if the memory estimate exceeds the available memory")
	return c
}

func validateCmd(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "validate MODEL.yaml...",
		Short: "check model files without running them",
		Args:  usage(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			bad := 0
			for _, path := range args {
				net, err := load(path)
				if err != nil {
					fmt.Fprintln(cmd.ErrOrStderr(), err)
					bad++
					continue
				}
				neurons := 0
				for _, p := range net.Pops {
					neurons += p.Size
				}
				fmt.Fprintf(stdout, "%s: ok: %s, %d populations, %d neurons, %d projections, %d steps of %g ms; needs %s with one thread\n",
					path, net.Name, len(net.Pops), neurons, len(net.Projs), net.Steps, net.Dt, engine.EstimateMemory(net, 1))
			}
			if bad > 0 {
				return fmt.Errorf("%d of %d model files have errors", bad, len(args))
			}
			return nil
		},
	}
}

// load reads and resolves a model file, reporting the errors of both
// stages at once.
func load(path string) (*model.Net, error) {
	spec, err := model.Load(path)
	if spec == nil {
		return nil, err
	}
	return spec.Resolve()
}

// usage marks the errors of an argument check as bad usage (exit 2).
func usage(check cobra.PositionalArgs) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := check(cmd, args); err != nil {
			return usageError{err}
		}
		return nil
	}
}
