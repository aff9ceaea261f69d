package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/hebb-snn/hebb/connect"
	"github.com/hebb-snn/hebb/model"
	"github.com/hebb-snn/hebb/neuron"
	"github.com/hebb-snn/hebb/param"
	"github.com/hebb-snn/hebb/plasticity"
	"github.com/hebb-snn/hebb/stimulus"
)

func modelsCmd(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "models [NAME]",
		Short: "list every neuron model, connectivity rule, synapse, plasticity rule, stimulus and recorder with its parameters",
		Args:  usage(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			only := ""
			if len(args) == 1 {
				only = args[0]
			}
			found := listModels(stdout, only)
			if only != "" && !found {
				return fmt.Errorf("no model, rule, stimulus or recorder called %q (run hebb models for the list)", only)
			}
			return nil
		},
	}
}

// listModels writes the catalogue (or the entry called only) to w and
// reports whether anything was written.
func listModels(w io.Writer, only string) bool {
	found := false
	section := func(title string, entries []entry) {
		var shown []entry
		for _, e := range entries {
			if only == "" || e.s.Name == only {
				shown = append(shown, e)
			}
		}
		if len(shown) == 0 {
			return
		}
		found = true
		fmt.Fprintf(w, "%s\n%s\n\n", title, strings.Repeat("=", len(title)))
		for _, e := range shown {
			writeEntry(w, e)
		}
	}
	var ns []entry
	for _, m := range neuron.Models() {
		e := entry{s: &m.Schema, state: m.State}
		switch {
		case m.Source:
			e.note = "spike source: emits spikes, takes no synaptic input"
		case m.WeightUnit == "":
			e.note = "synaptic weights are dimensionless"
		default:
			e.note = "synaptic weights in " + m.WeightUnit
		}
		if m.TakesCurrent {
			e.note += "; accepts injected current"
		}
		ns = append(ns, e)
	}
	section("Neuron models (populations: model)", ns)
	var cs []entry
	for i := range connect.Rules {
		cs = append(cs, entry{s: &connect.Rules[i]})
	}
	section("Connectivity rules (projections: connect)", cs)
	section("Synapse (projections: synapse)", []entry{{s: &model.SynapseSchema, note: "weights in the target model's weight unit"}})
	var ps []entry
	for _, r := range plasticity.Rules() {
		ps = append(ps, entry{s: &r.Schema, note: "weight-valued parameters are in the target model's weight unit"})
	}
	section("Plasticity rules (projections: synapse: plasticity)", ps)
	var ss []entry
	for _, k := range stimulus.Kinds() {
		e := entry{s: &k.Schema}
		if k.Current {
			e.note = "injects current; the target model must accept it"
		} else {
			e.note = "spike input; weights in the target model's weight unit"
		}
		ss = append(ss, e)
	}
	section("Stimuli (stimuli: type)", ss)
	var rs []entry
	for i := range model.RecorderSchemas {
		rs = append(rs, entry{s: &model.RecorderSchemas[i]})
	}
	section("Recorders (recorders: type)", rs)
	return found
}

type entry struct {
	s     *param.Schema
	state []param.Def
	note  string
}

func writeEntry(w io.Writer, e entry) {
	fmt.Fprintf(w, "%s\n    %s\n", e.s.Name, e.s.Doc)
	if e.s.Reference != "" {
		fmt.Fprintf(w, "    reference: %s\n", e.s.Reference)
	}
	if e.note != "" {
		fmt.Fprintf(w, "    %s\n", e.note)
	}
	table := func(title string, defs []param.Def) {
		if len(defs) == 0 {
			return
		}
		fmt.Fprintf(w, "    %s:\n", title)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, d := range defs {
			def := d.DefaultText()
			switch {
			case d.Required:
				def = "(required)"
			case d.Optional:
				def = "(optional)"
			}
			fmt.Fprintf(tw, "      %s\t%s\t%s\t%s\n", d.Name, unitText(d), def, d.Doc)
		}
		tw.Flush()
	}
	table("parameters", e.s.Params)
	table("state variables (initial values)", e.state)
	fmt.Fprintln(w)
}

func unitText(d param.Def) string {
	switch {
	case d.Kind == param.Choice:
		return strings.Join(d.Choices, "|")
	case d.Kind == param.Flag:
		return "true|false"
	case d.Kind == param.Text:
		return "text"
	case d.Unit == param.WeightUnit:
		return "weight"
	case d.Unit == "":
		return "1"
	case d.Kind == param.List:
		return "[" + d.Unit + "]"
	}
	return d.Unit
}
