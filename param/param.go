// Package param describes the parameters of hebb's models: their names,
// units, defaults and allowed ranges, and parses values written in model
// files ("20 ms", "uniform(-70 mV, -54 mV)").
//
// The same descriptions drive model-file validation, `hebb models` and the
// documentation, so the three cannot drift apart. Values are converted to
// hebb's internal units on parsing: ms, mV, pA, pF, nS, GΩ and Hz, a
// consistent set (mV = pA·GΩ, ms = GΩ·pF, pA = nS·mV).
package param

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/hebb-snn/hebb/units"
)

// Kind says what sort of value a parameter takes.
type Kind int

// WeightUnit is the Unit of parameters measured in the synaptic weight unit
// of the target neuron model (mV for delta synapses, pA for current
// synapses, nS for conductances): the model file loader substitutes it.
const WeightUnit = "<weight>"

// Parameter kinds.
const (
	Number Kind = iota // a scalar quantity such as "20 ms"
	Choice             // one word from Def.Choices, such as "euler"
	Flag               // true or false
	List               // a list of quantities, such as spike times
	Random             // a constant or a distribution such as "normal(0.1 mV, 0.01 mV)"
	Text               // free text, such as a file name
)

// Range restricts a Number parameter.
type Range int

// Ranges a number may be restricted to.
const (
	Any         Range = iota
	Positive          // > 0
	NonNegative       // >= 0
	Probability       // in [0, 1]
	Count             // a non-negative integer
)

// Def describes one parameter.
type Def struct {
	Name     string
	Kind     Kind
	Unit     string   // internal unit, e.g. "ms", "mV", "pA"; "" if dimensionless
	Default  float64  // default in Unit (Number, Random, Flag: 1 = true)
	Required bool     // no default: the model file must give it
	Optional bool     // no default, and may be left out (see the model's doc)
	Output   bool     // a state variable computed by the model: it can be recorded, not set
	Range    Range    // allowed range of a Number (and of each List element)
	Choices  []string // allowed words of a Choice; Choices[0] is the default
	Doc      string   // one line
}

// Schema describes a model: a neuron model, a connectivity rule, a
// stimulus, a plasticity rule or a recorder.
type Schema struct {
	Name      string
	Doc       string // one line
	Reference string // literature reference, if any
	Params    []Def
}

// Def returns the definition of the named parameter.
func (s *Schema) Def(name string) (*Def, bool) {
	for i := range s.Params {
		if s.Params[i].Name == name {
			return &s.Params[i], true
		}
	}
	return nil, false
}

// Names lists the parameter names of s.
func (s *Schema) Names() []string {
	n := make([]string, len(s.Params))
	for i, d := range s.Params {
		n[i] = d.Name
	}
	return n
}

// Value is a parsed parameter value in internal units.
type Value struct {
	Num  float64   // Number, Flag (0 or 1)
	Word string    // Choice, Text
	List []float64 // List
	Dist Dist      // Random
}

// Values holds a model's parameter values, defaults filled in.
type Values map[string]Value

// Num returns the number named name (0 if absent).
func (v Values) Num(name string) float64 { return v[name].Num }

// Word returns the choice named name.
func (v Values) Word(name string) string { return v[name].Word }

// Flag returns the flag named name.
func (v Values) Flag(name string) bool { return v[name].Num != 0 }

// Has reports whether name was set.
func (v Values) Has(name string) bool { _, ok := v[name]; return ok }

// Defaults returns the default values of every parameter of s that has one.
func (s *Schema) Defaults() Values {
	v := Values{}
	for _, d := range s.Params {
		if d.Required || d.Optional {
			continue
		}
		switch d.Kind {
		case Choice:
			v[d.Name] = Value{Word: d.Choices[0]}
		case Random:
			v[d.Name] = Value{Num: d.Default, Dist: Const(d.Default)}
		case List:
			v[d.Name] = Value{}
		case Text:
			v[d.Name] = Value{}
		default:
			v[d.Name] = Value{Num: d.Default}
		}
	}
	return v
}

// Parse parses the text of a scalar value for d ("20 ms", "euler",
// "true"). Lists are parsed element by element with ParseElement.
func (d *Def) Parse(s string) (Value, error) {
	s = strings.TrimSpace(s)
	switch d.Kind {
	case Choice:
		for _, c := range d.Choices {
			if s == c {
				return Value{Word: s}, nil
			}
		}
		return Value{}, fmt.Errorf("expected one of %s, got %q", strings.Join(d.Choices, ", "), s)
	case Flag:
		switch strings.ToLower(s) {
		case "true", "yes", "on":
			return Value{Num: 1}, nil
		case "false", "no", "off":
			return Value{Num: 0}, nil
		}
		return Value{}, fmt.Errorf("expected true or false, got %q", s)
	case Text:
		if s == "" {
			return Value{}, fmt.Errorf("expected text, got an empty value")
		}
		return Value{Word: s}, nil
	case Random:
		dist, err := ParseDist(s, d.Unit)
		if err != nil {
			return Value{}, err
		}
		if dist.Kind == ConstDist {
			if err := d.check(dist.A); err != nil {
				return Value{}, err
			}
		}
		return Value{Num: dist.A, Dist: dist}, nil
	case List:
		return Value{}, fmt.Errorf("expected a list like [10 ms, 20 ms]")
	}
	x, err := d.ParseElement(s)
	return Value{Num: x}, err
}

// ParseElement parses one number for d, in d's unit, and checks its range.
func (d *Def) ParseElement(s string) (float64, error) {
	x, err := units.In(s, d.Unit)
	if err != nil {
		return 0, err
	}
	return x, d.check(x)
}

func (d *Def) check(x float64) error {
	switch d.Range {
	case Positive:
		if !(x > 0) {
			return fmt.Errorf("must be positive, got %s", units.Format(x, d.Unit))
		}
	case NonNegative:
		if !(x >= 0) {
			return fmt.Errorf("must not be negative, got %s", units.Format(x, d.Unit))
		}
	case Probability:
		if !(x >= 0 && x <= 1) {
			return fmt.Errorf("must be a probability in [0, 1], got %g", x)
		}
	case Count:
		if !(x >= 0) || x != math.Trunc(x) || x > math.MaxInt32 {
			return fmt.Errorf("must be a whole number >= 0 (at most %d), got %g", math.MaxInt32, x)
		}
	}
	return nil
}

// DefaultText is the default of d as written in a model file, "" if the
// parameter is required.
func (d *Def) DefaultText() string {
	if d.Required || d.Optional {
		return ""
	}
	switch d.Kind {
	case Choice:
		return d.Choices[0]
	case Flag:
		if d.Default != 0 {
			return "true"
		}
		return "false"
	case List:
		return "[]"
	case Text:
		return ""
	}
	return units.Format(d.Default, d.Unit)
}

// Suggest returns the name among names closest to s (edit distance at most
// 2), or "" if none is close: "tau_mm" suggests "tau_m".
func Suggest(s string, names []string) string {
	best, bestD := "", 3
	sorted := append([]string(nil), names...)
	sort.Strings(sorted)
	for _, n := range sorted {
		if d := editDistance(strings.ToLower(s), strings.ToLower(n)); d < bestD {
			best, bestD = n, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
