package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/hebb-snn/hebb/bench"
	"github.com/hebb-snn/hebb/units"
)

func benchCmd(stdout io.Writer) *cobra.Command {
	var (
		scale    float64
		duration string
		threads  int
		seed     uint64
		asJSON   bool
		profile  string
		noMemory bool
		warmup   string
	)
	c := &cobra.Command{
		Use:   "bench NAME",
		Short: "run a standard benchmark model and report its speed and memory",
		Long: `Run one of the standard benchmark models (coba, cuba, brunel, brunel_stdp,
microcircuit) and report build time, wall seconds per simulated second,
synaptic events per second, spikes, rates, peak memory and bytes per synapse.
--scale multiplies the population sizes; in-degrees stay fixed. bench/compare.sh
runs the same models in Brian2 side by side.`,
		Args: usage(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			if threads < 1 {
				return usageError{fmt.Errorf("--threads: expected a number of threads >= 1, got %d", threads)}
			}
			if _, err := bench.Spec(args[0], scale, duration, seed); err != nil {
				return usageError{err}
			}
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			opt := bench.Options{Scale: scale, Duration: duration, Threads: threads, Seed: seed}
			if warmup != "" {
				w, err := units.In(warmup, "ms")
				if err != nil || w < 0 {
					return usageError{fmt.Errorf("--warmup: expected a time like \"500 ms\", got %q", warmup)}
				}
				opt.Warmup = w
			}
			if noMemory {
				opt.MemoryLimit = -1
			}
			if profile != "" {
				f, err := os.Create(profile)
				if err != nil {
					return err
				}
				defer f.Close()
				opt.Profile = f
			}
			r, err := bench.Run(ctx, args[0], opt)
			if err != nil {
				return err
			}
			if asJSON {
				b, _ := json.Marshal(r)
				fmt.Fprintln(stdout, string(b))
				return nil
			}
			fmt.Fprintf(stdout, "%s (scale %g, %d threads): %d neurons, %d synapses, %.3g bytes per synapse\n",
				r.Model, r.Scale, r.Threads, r.Neurons, r.Synapses, r.SynapseBytes)
			fmt.Fprintf(stdout, "  build          %8.3f s\n", r.BuildS)
			fmt.Fprintf(stdout, "  simulation     %8.3f s for %g s simulated: %.4g s per simulated s (CPU %.3f s)\n", r.SimS, r.DurationS, r.WallPerSimS, r.SimCPUS)
			fmt.Fprintf(stdout, "  events         %8.4g per wall s (%d synaptic events)\n", r.EventsPerS, r.Events)
			fmt.Fprintf(stdout, "  spikes         %8d (SHA-256 %.16s…)\n", r.Spikes, r.SpikesSHA256)
			fmt.Fprintf(stdout, "  peak memory    %8.1f MiB\n", float64(r.PeakRSS)/(1<<20))
			var names []string
			for n := range r.Rates {
				names = append(names, n)
			}
			sort.Strings(names)
			for _, n := range names {
				fmt.Fprintf(stdout, "  rate %-9s %8.3f Hz\n", n, r.Rates[n])
			}
			return nil
		},
	}
	c.Flags().Float64Var(&scale, "scale", 1, "population sizes × scale (in-degrees fixed)")
	c.Flags().StringVar(&duration, "duration", "1 s", "simulated time")
	c.Flags().IntVarP(&threads, "threads", "t", 1, "worker threads")
	c.Flags().Uint64Var(&seed, "seed", 1, "random seed")
	c.Flags().StringVar(&profile, "cpuprofile", "", "write a CPU profile of the simulation loop (go tool pprof) to this file")
	c.Flags().StringVar(&warmup, "warmup", "", `time at the start left out of the rates, e.g. "1 s" (the onset transient)`)
	c.Flags().BoolVar(&noMemory, "no-memory-check", false, "build even if the memory estimate exceeds the available memory")
	c.Flags().BoolVar(&asJSON, "json", false, "print one JSON object (the format of bench/brian2)")
	return c
}
