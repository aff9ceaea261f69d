package model

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"

	"github.com/hebb-snn/hebb/param"
	"go.yaml.in/yaml/v3"
)

// Load reads the model file at path; see Parse.
func Load(path string) (*Spec, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// Parse reads a model file's contents; file names it in error messages.
// A model file is a YAML mapping:
//
//	name: codelab-lif          # optional; default: the file name without extension
//	dt: 0.1 ms
//	duration: 300 ms
//	seed: 42                   # optional, default 1
//	populations:               # name: population, in order
//	  neuron:
//	    model: lif_delta
//	    size: 1
//	    params: {tau_m: 20 ms, V_rest: -70 mV}
//	    init: {V: uniform(-70 mV, -54 mV)}
//	projections:
//	  - name: ee               # optional; default "from->to"
//	    from: exc
//	    to: exc
//	    connect: {rule: fixed_indegree, k: 100}
//	    synapse:
//	      type: excitatory     # excitatory, inhibitory or mixed
//	      weight: 0.1 mV       # or uniform(a, b), normal(m, s), lognormal(median, sigma)
//	      delay: 1.5 ms        # or a distribution
//	      plasticity: {rule: hebbian, eta: 0.01}   # optional
//	stimuli:
//	  - type: dc               # the other keys are the stimulus's parameters
//	    target: neuron
//	    neurons: [0]           # optional; default all
//	    amplitude: 1.8 nA
//	recorders:
//	  - type: spikes
//	    populations: [exc]     # optional; default all
//	  - type: state
//	    population: neuron
//	    variables: [V]
//	    neurons: [0]           # optional; default all
//	    interval: 0.1 ms       # optional; default dt
//	  - type: weights
//	    projection: ee
//	    interval: 1 ms         # optional; default dt
//
// Scalars may be YAML numbers or strings (size: 1, eta: 0.01, "20 ms");
// lists are YAML lists. Distributions may be written unquoted even inside
// a flow mapping ({V: uniform(-70 mV, -54 mV)}). A connectivity rule or
// plasticity rule without parameters may be written as just its name
// (connect: all_to_all). YAML anchors, aliases and merge keys
// (<<: *defaults) may be used to share parameters.
//
// Parse keeps every value as text with its position; Resolve checks and
// converts them. Parse itself reports YAML syntax errors, blocks of the
// wrong shape (a list where a mapping belongs), unknown keys and keys
// given twice, all at once as Errors, together with the Spec as far as it
// could be read. Resolve repeats these errors along with its own, so a
// caller that wants every problem at once may call Resolve even when
// Parse fails.
func Parse(file string, data []byte) (*Spec, error) {
	s := &Spec{File: file, Pos: Pos{File: file, Line: 1, Col: 1}}
	r := &reader{file: file, merged: map[*yaml.Node][]pair{}, merging: map[*yaml.Node]bool{}}
	r.read(s, protectCommas(data))
	s.errs, s.broken = r.errs, r.broken
	return s, r.errs.err()
}

// hiddenComma stands for a comma inside parentheses while YAML reads the
// file; see protectCommas.
const hiddenComma = "\uE000"

// protectCommas hides the commas inside parentheses from YAML, so that a
// distribution can be written unquoted inside a flow mapping:
// {V: uniform(-70 mV, -54 mV)} would otherwise be read as the key V with
// value "uniform(-70 mV" and a second key "-54 mV)". The commas are
// replaced by one character each (YAML counts columns in characters, so
// positions do not change) and restored by restore.
func protectCommas(data []byte) []byte {
	if !bytes.Contains(data, []byte("(")) {
		return data
	}
	out := make([]byte, 0, len(data)+64)
	depth := 0
	for _, c := range data {
		switch {
		case c == '\n':
			depth = 0
		case c == '(':
			depth++
		case c == ')' && depth > 0:
			depth--
		case c == ',' && depth > 0:
			out = append(out, hiddenComma...)
			continue
		}
		out = append(out, c)
	}
	return out
}

// restore undoes protectCommas in a text read from the file.
func restore(s string) string { return strings.ReplaceAll(s, hiddenComma, ",") }

// Keys of the blocks of a model file.
var (
	topKeys        = []string{"name", "dt", "duration", "seed", "populations", "projections", "stimuli", "recorders"}
	populationKeys = []string{"model", "size", "params", "init"}
	projectionKeys = []string{"name", "from", "to", "connect", "synapse"}
	synapseKeys    = SynapseSchema.Names()
	recorderKeys   = recorderKeyNames()
)

// recorderKeyNames lists "type" and every field of every recorder.
func recorderKeyNames() []string {
	keys := []string{"type"}
	seen := map[string]bool{}
	for _, sc := range RecorderSchemas {
		for _, n := range sc.Names() {
			if !seen[n] {
				seen[n] = true
				keys = append(keys, n)
			}
		}
	}
	return keys
}

// reader turns YAML nodes into a Spec, collecting errors.
type reader struct {
	file   string
	errs   Errors
	broken []string // see Spec.broken
	// merged caches the key-value pairs of mappings that are merged into
	// others with "<<", and merging marks those being expanded, so that
	// a mapping merging itself is an error rather than an endless loop.
	merged  map[*yaml.Node][]pair
	merging map[*yaml.Node]bool
}

// pair is one key of a mapping with its value.
type pair struct {
	name string
	key  *yaml.Node
	val  *yaml.Node
}

func (r *reader) pos(n *yaml.Node) Pos { return Pos{File: r.file, Line: n.Line, Col: n.Column} }

func (r *reader) errorf(n *yaml.Node, field, format string, args ...any) {
	r.errs.Add(r.pos(n), field, format, args...)
}

// wrongKind reports a node of the wrong kind (a list where a mapping
// belongs), which leaves field unread.
func (r *reader) wrongKind(n *yaml.Node, field, expect string) {
	r.errorf(n, field, "expected %s, got %s", expect, describe(n))
	r.broken = append(r.broken, field)
}

// yamlLine matches the line number in yaml.v3's syntax errors.
var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// syntax records a YAML syntax error at its line.
func (r *reader) syntax(err error) {
	msg := err.Error()
	pos := Pos{File: r.file}
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		pos.Line, _ = strconv.Atoi(m[1])
		msg = m[2]
		// yaml.v3 numbers the lines of its scanner's errors from 1 but
		// those of its parser ("did not find expected ...") from 0, at
		// the start of the block being parsed.
		if strings.HasPrefix(msg, "did not find expected") {
			pos.Line++
		}
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
	}
	r.errs.Add(pos, "", "YAML syntax error: %s", msg)
}

// read parses data, which must hold a single YAML document.
func (r *reader) read(s *Spec, data []byte) {
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			r.errs.Add(s.Pos, "", "the model file is empty")
		} else {
			r.syntax(err)
		}
		r.broken = append(r.broken, "")
		return
	}
	var next yaml.Node
	if err := dec.Decode(&next); err == nil {
		r.errorf(&next, "", "a model file holds one YAML document, but a second one starts here")
	} else if !errors.Is(err, io.EOF) {
		r.syntax(err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		r.errs.Add(s.Pos, "", "the model file is empty")
		r.broken = append(r.broken, "")
		return
	}
	r.top(s, doc.Content[0])
}

// deref follows aliases to the node they stand for.
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n.Kind == yaml.AliasNode && n.Alias != nil && i < 100; i++ {
		n = n.Alias
	}
	return n
}

// isNull reports whether n is an empty value ("key:" with nothing after
// it, "~" or "null").
func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.Tag == "!!null" }

// describe names the kind of a node for error messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if isNull(n) {
			return "nothing"
		}
		return fmt.Sprintf("%q", restore(n.Value))
	}
	return "something else"
}

// mapping returns the pairs of the mapping n, reporting keys given twice
// and expanding merge keys. A node of another kind is an error, with
// expect saying what belongs there; an empty value is an empty mapping.
func (r *reader) mapping(n *yaml.Node, field, expect string) ([]pair, bool) {
	n = deref(n)
	if isNull(n) {
		return nil, true
	}
	if n.Kind != yaml.MappingNode {
		r.wrongKind(n, field, expect)
		return nil, false
	}
	return r.pairs(n, field), true
}

// pairs lists the keys of mapping n in order. The keys of mappings merged
// with "<<" take the place of the merge key, unless n gives them itself.
func (r *reader) pairs(n *yaml.Node, field string) []pair {
	own := map[string]*yaml.Node{}
	var out []pair
	var merges []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := deref(n.Content[i]), n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			r.errorf(k, field, "expected a name as key, got %s", describe(k))
			continue
		}
		if k.Tag == "!!merge" {
			merges = append(merges, v)
			out = append(out, pair{name: "<<", key: k, val: v})
			continue
		}
		name := restore(k.Value)
		if first, dup := own[name]; dup {
			r.errorf(k, join(field, name), "%q is given twice (first at line %d)", name, first.Line)
			continue
		}
		own[name] = k
		out = append(out, pair{name: name, key: k, val: v})
	}
	if len(merges) == 0 {
		return out
	}
	// Expand the merge keys in place.
	var expanded []pair
	for _, p := range out {
		if p.name != "<<" {
			expanded = append(expanded, p)
			continue
		}
		for _, m := range r.mergeSources(p.val, field) {
			for _, q := range r.mergedPairs(m, field) {
				if _, dup := own[q.name]; !dup {
					own[q.name] = q.key
					expanded = append(expanded, q)
				}
			}
		}
	}
	return expanded
}

// mergeSources returns the mappings named by the value of a merge key: a
// mapping or a list of mappings.
func (r *reader) mergeSources(v *yaml.Node, field string) []*yaml.Node {
	v = deref(v)
	switch v.Kind {
	case yaml.MappingNode:
		return []*yaml.Node{v}
	case yaml.SequenceNode:
		var out []*yaml.Node
		for _, e := range v.Content {
			e = deref(e)
			if e.Kind != yaml.MappingNode {
				r.errorf(e, field, "<< merges mappings, got %s", describe(e))
				continue
			}
			out = append(out, e)
		}
		return out
	}
	r.errorf(v, field, "<< merges mappings, got %s", describe(v))
	return nil
}

// mergedPairs returns the pairs of a mapping merged into another,
// remembering them so that each mapping is expanded once.
func (r *reader) mergedPairs(m *yaml.Node, field string) []pair {
	if ps, ok := r.merged[m]; ok {
		return ps
	}
	if r.merging[m] {
		r.errorf(m, field, "a mapping cannot merge itself")
		return nil
	}
	r.merging[m] = true
	ps := r.pairs(m, field)
	r.merging[m] = false
	r.merged[m] = ps
	return ps
}

// list returns the elements of the list n; an empty value is an empty
// list.
func (r *reader) list(n *yaml.Node, field, expect string) []*yaml.Node {
	n = deref(n)
	if isNull(n) {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		r.wrongKind(n, field, expect)
		return nil
	}
	return n.Content
}

// value reads a scalar ("20 ms") or a list of scalars ("[10 ms, 20 ms]").
func (r *reader) value(n *yaml.Node, field string) Value {
	n = deref(n)
	v := Value{Set: true, Pos: r.pos(n)}
	switch n.Kind {
	case yaml.ScalarNode:
		if !isNull(n) {
			v.Text = restore(n.Value)
		}
	case yaml.SequenceNode:
		v.IsList = true
		v.List = []Value{}
		for i, e := range n.Content {
			e = deref(e)
			f := fmt.Sprintf("%s[%d]", field, i)
			if e.Kind != yaml.ScalarNode {
				r.wrongKind(e, f, "a single value in the list")
				v.List = append(v.List, Value{Set: true, Pos: r.pos(e)}) // keep the indices
				continue
			}
			text := restore(e.Value)
			if isNull(e) {
				text = ""
			}
			v.List = append(v.List, Value{Text: text, Set: true, Pos: r.pos(e)})
		}
	default:
		r.wrongKind(n, field, `a value like "20 ms" or a list like [10 ms, 20 ms]`)
	}
	return v
}

// params reads a block of named values such as {tau_m: 20 ms, V_th: -50 mV}.
func (r *reader) params(n *yaml.Node, field string) []Param {
	pairs, _ := r.mapping(n, field, "a mapping of parameters like {tau_m: 20 ms}")
	var ps []Param
	for _, p := range pairs {
		ps = append(ps, r.param(p, field))
	}
	return ps
}

func (r *reader) param(p pair, field string) Param {
	return Param{Name: p.name, Value: r.value(p.val, join(field, p.name)), Pos: r.pos(p.key)}
}

// unknown reports a key that does not belong in its block.
func (r *reader) unknown(p pair, field string, known []string) {
	msg := fmt.Sprintf("unknown key %q", p.name)
	if s := param.Suggest(p.name, known); s != "" {
		msg += fmt.Sprintf(" (did you mean %s?)", s)
	} else {
		msg += "; expected " + strings.Join(known, ", ")
	}
	r.errorf(p.key, join(field, p.name), "%s", msg)
}

// unset returns an unset value that points at the block n which lacks it.
func (r *reader) unset(n *yaml.Node) Value { return Value{Pos: r.pos(deref(n))} }

// join appends a key to a field path.
func join(field, key string) string {
	if field == "" {
		return key
	}
	return field + "." + key
}

// index appends a list index to a field path.
func index(field string, i int) string { return fmt.Sprintf("%s[%d]", field, i) }

func (r *reader) top(s *Spec, n *yaml.Node) {
	n = deref(n)
	if isNull(n) {
		r.errs.Add(s.Pos, "", "the model file is empty")
		r.broken = append(r.broken, "")
		return
	}
	s.Pos = r.pos(n)
	s.Name, s.Dt, s.Duration, s.Seed = r.unset(n), r.unset(n), r.unset(n), r.unset(n)
	pairs, ok := r.mapping(n, "", "a model: a mapping with dt, duration, populations, ...")
	if !ok {
		return
	}
	for _, p := range pairs {
		switch p.name {
		case "name":
			s.Name = r.value(p.val, "name")
		case "dt":
			s.Dt = r.value(p.val, "dt")
		case "duration":
			s.Duration = r.value(p.val, "duration")
		case "seed":
			s.Seed = r.value(p.val, "seed")
		case "populations":
			r.populations(s, p.val)
		case "projections":
			for i, e := range r.list(p.val, "projections", "a list of projections, each starting with \"- from: ...\"") {
				s.Projections = append(s.Projections, r.projection(e, index("projections", i)))
			}
		case "stimuli":
			for i, e := range r.list(p.val, "stimuli", "a list of stimuli, each starting with \"- type: ...\"") {
				s.Stimuli = append(s.Stimuli, r.stimulus(e, index("stimuli", i)))
			}
		case "recorders":
			for i, e := range r.list(p.val, "recorders", "a list of recorders, each starting with \"- type: ...\"") {
				s.Recorders = append(s.Recorders, r.recorder(e, index("recorders", i)))
			}
		default:
			r.unknown(p, "", topKeys)
		}
	}
}

func (r *reader) populations(s *Spec, n *yaml.Node) {
	pairs, _ := r.mapping(n, "populations", "a mapping from population names to populations, like \"exc: {model: lif_delta, size: 800}\"")
	for _, p := range pairs {
		field := "populations." + p.name
		pop := Population{Name: p.name, Pos: r.pos(p.key)}
		// Missing values are reported at the population's name.
		pop.Model, pop.Size = Value{Pos: pop.Pos}, Value{Pos: pop.Pos}
		body, _ := r.mapping(p.val, field, "a population: a mapping with model, size, params, init")
		for _, q := range body {
			switch q.name {
			case "model":
				pop.Model = r.value(q.val, join(field, "model"))
			case "size":
				pop.Size = r.value(q.val, join(field, "size"))
			case "params":
				pop.Params = r.params(q.val, join(field, "params"))
			case "init":
				pop.Init = r.params(q.val, join(field, "init"))
			default:
				r.unknown(q, field, populationKeys)
			}
		}
		s.Populations = append(s.Populations, pop)
	}
}

func (r *reader) projection(n *yaml.Node, field string) Projection {
	n = deref(n)
	u := r.unset(n)
	pr := Projection{Pos: r.pos(n), Name: u, From: u, To: u, Rule: u, Type: u, Weight: u, Delay: u, Plasticity: u}
	body, _ := r.mapping(n, field, "a projection: a mapping with from, to, connect, synapse")
	for _, p := range body {
		switch p.name {
		case "name":
			pr.Name = r.value(p.val, join(field, "name"))
		case "from":
			pr.From = r.value(p.val, join(field, "from"))
		case "to":
			pr.To = r.value(p.val, join(field, "to"))
		case "connect":
			pr.Rule, pr.Connect = r.rule(p.val, join(field, "connect"), "a connectivity rule like {rule: fixed_probability, p: 0.1}")
		case "synapse":
			r.synapse(&pr, p.val, join(field, "synapse"))
		default:
			r.unknown(p, field, projectionKeys)
		}
	}
	return pr
}

// rule reads a block naming a rule and its parameters, {rule: name,
// param: value, ...}, or just the rule's name.
func (r *reader) rule(n *yaml.Node, field, expect string) (Value, []Param) {
	n = deref(n)
	if n.Kind == yaml.ScalarNode && !isNull(n) {
		return r.value(n, join(field, "rule")), nil
	}
	rule := r.unset(n)
	var ps []Param
	body, _ := r.mapping(n, field, expect)
	for _, p := range body {
		if p.name == "rule" {
			rule = r.value(p.val, join(field, "rule"))
			continue
		}
		ps = append(ps, r.param(p, field))
	}
	return rule, ps
}

func (r *reader) synapse(pr *Projection, n *yaml.Node, field string) {
	n = deref(n)
	u := r.unset(n)
	pr.Type, pr.Weight, pr.Delay, pr.Plasticity = u, u, u, u
	body, _ := r.mapping(n, field, "a synapse: a mapping with type, weight, delay")
	for _, p := range body {
		switch p.name {
		case "type":
			pr.Type = r.value(p.val, join(field, "type"))
		case "weight":
			pr.Weight = r.value(p.val, join(field, "weight"))
		case "delay":
			pr.Delay = r.value(p.val, join(field, "delay"))
		case "plasticity":
			pr.Plasticity, pr.Learning = r.rule(p.val, join(field, "plasticity"), "a plasticity rule like {rule: hebbian, eta: 0.01}")
		default:
			r.unknown(p, field, synapseKeys)
		}
	}
}

func (r *reader) stimulus(n *yaml.Node, field string) Stimulus {
	n = deref(n)
	u := r.unset(n)
	st := Stimulus{Pos: r.pos(n), Type: u, Target: u, Neurons: u}
	body, _ := r.mapping(n, field, "a stimulus: a mapping with type, target and its parameters")
	for _, p := range body {
		switch p.name {
		case "type":
			st.Type = r.value(p.val, join(field, "type"))
		case "target":
			st.Target = r.value(p.val, join(field, "target"))
		case "neurons":
			st.Neurons = r.value(p.val, join(field, "neurons"))
		default:
			st.Params = append(st.Params, r.param(p, field))
		}
	}
	return st
}

func (r *reader) recorder(n *yaml.Node, field string) Recorder {
	n = deref(n)
	u := r.unset(n)
	rec := Recorder{Pos: r.pos(n), Type: u, Populations: u, Population: u, Variables: u, Neurons: u, Projection: u, Interval: u}
	body, _ := r.mapping(n, field, "a recorder: a mapping with type and what to record")
	for _, p := range body {
		f := join(field, p.name)
		switch p.name {
		case "type":
			rec.Type = r.value(p.val, f)
		case "populations":
			rec.Populations = r.value(p.val, f)
		case "population":
			rec.Population = r.value(p.val, f)
		case "variables":
			rec.Variables = r.value(p.val, f)
		case "neurons":
			rec.Neurons = r.value(p.val, f)
		case "projection":
			rec.Projection = r.value(p.val, f)
		case "interval":
			rec.Interval = r.value(p.val, f)
		default:
			r.unknown(p, field, recorderKeys)
		}
	}
	return rec
}
