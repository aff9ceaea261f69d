package model

import (
	"fmt"
	"math"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/hebb-snn/hebb/connect"
	"github.com/hebb-snn/hebb/neuron"
	"github.com/hebb-snn/hebb/param"
	"github.com/hebb-snn/hebb/plasticity"
	"github.com/hebb-snn/hebb/stimulus"
	"github.com/hebb-snn/hebb/synapse"
	"github.com/hebb-snn/hebb/units"
)

// MaxDelaySteps is the longest synaptic delay, in steps of dt.
const MaxDelaySteps = math.MaxUint16

// Resolve checks the model against the catalogues of neuron models,
// connectivity rules, stimuli and plasticity rules, fills in defaults and
// converts every quantity to internal units (ms, mV, pA, pF, nS, GΩ, Hz).
// It returns the Net, or every problem it finds as Errors (together with
// those found by Parse or by the Go builder). Defaults: seed 1; name the
// file's base name, or "model"; projection names "from->to" ("#2", "#3"
// for repeats); recorder intervals dt; and a spikes recorder of every
// population if the model has none.
func (s *Spec) Resolve() (*Net, error) {
	r := &resolver{s: s, pops: map[string]int{}, projs: map[string]int{}}
	net := r.resolve()
	errs := append(Errors(nil), s.errs...)
	for _, e := range r.errs {
		if !r.coveredByEarlier(e) {
			errs = append(errs, e)
		}
	}
	if err := errs.err(); err != nil {
		return nil, err
	}
	return net, nil
}

// coveredByEarlier reports whether e is about a field whose problem was
// already found while reading the model: a population whose block was a
// list is not reported again as lacking a model.
func (r *resolver) coveredByEarlier(e *Error) bool {
	for _, f := range r.s.broken {
		if covers(f, e.Field) {
			return true
		}
	}
	return false
}

// resolver holds the state of one Resolve.
type resolver struct {
	s     *Spec
	errs  Errors
	net   *Net
	dt    float64        // ms; 0 if dt is invalid
	pops  map[string]int // population name → index
	projs map[string]int // projection name → index
}

func (r *resolver) errorf(pos Pos, field, format string, args ...any) {
	r.errs.Add(pos, field, format, args...)
}

func (r *resolver) resolve() *Net {
	s := r.s
	net := &Net{File: s.File}
	r.net = net
	net.Name = r.name()

	dt, okDt := r.time(s.Dt, "dt", `a time step like "0.1 ms"`)
	if okDt {
		r.dt = dt
		net.Dt = dt
	}
	if d, ok := r.time(s.Duration, "duration", `a time like "1000 ms"`); ok {
		net.Duration = d
		if okDt {
			steps := math.Round(d / dt)
			switch {
			case d < dt*(1-1e-9):
				r.errorf(s.Duration.Pos, "duration", "must be at least dt = %s, got %s", units.Format(dt, "ms"), units.Format(d, "ms"))
			case !(steps < 1<<53):
				r.errorf(s.Duration.Pos, "duration", "%s is %g steps of dt = %s, too many to simulate", units.Format(d, "ms"), steps, units.Format(dt, "ms"))
			default:
				net.Steps = int64(steps)
			}
		}
	}
	net.Seed = r.seed()

	r.populations()
	r.projections()
	r.stimuli()
	r.recorders()
	return net
}

func (r *resolver) name() string {
	v := r.s.Name
	if v.Set {
		if t, ok := r.scalar(v, "name", "a name like codelab-lif"); ok {
			return t
		}
		return ""
	}
	if r.s.File != "" {
		base := filepath.Base(r.s.File)
		if n := strings.TrimSuffix(base, filepath.Ext(base)); n != "" {
			return n
		}
	}
	return "model"
}

func (r *resolver) seed() uint64 {
	v := r.s.Seed
	if !v.Set {
		return 1
	}
	t, ok := r.scalar(v, "seed", "a whole number like 42")
	if !ok {
		return 0
	}
	if n, err := strconv.ParseUint(t, 10, 64); err == nil {
		return n
	}
	x, err := units.In(t, "")
	if err != nil || x < 0 || x != math.Trunc(x) || x >= 1<<64 {
		r.errorf(v.Pos, "seed", "must be a whole number >= 0, got %q", t)
		return 0
	}
	return uint64(x)
}

// scalar returns the trimmed text of a single value. A missing or empty
// value, or a list, is an error; what says what was expected.
func (r *resolver) scalar(v Value, field, what string) (string, bool) {
	switch {
	case !v.Set:
		r.errorf(v.Pos, field, "missing; expected %s", what)
	case v.IsList:
		r.errorf(v.Pos, field, "expected %s, got a list", what)
	case strings.TrimSpace(v.Text) == "":
		r.errorf(v.Pos, field, "empty; expected %s", what)
	default:
		return strings.TrimSpace(v.Text), true
	}
	return "", false
}

// time parses a positive time in ms.
func (r *resolver) time(v Value, field, what string) (float64, bool) {
	t, ok := r.scalar(v, field, what)
	if !ok {
		return 0, false
	}
	x, err := units.In(t, "ms")
	if err != nil {
		r.errorf(v.Pos, field, "%v", err)
		return 0, false
	}
	if !(x > 0) {
		r.errorf(v.Pos, field, "must be positive, got %s", t)
		return 0, false
	}
	return x, true
}

// whole parses a whole number in [lo, hi].
func (r *resolver) whole(v Value, field string, lo, hi float64) (float64, bool) {
	what := fmt.Sprintf("a whole number >= %g", lo)
	t, ok := r.scalar(v, field, what)
	if !ok {
		return 0, false
	}
	x, err := units.In(t, "")
	switch {
	case err != nil || x != math.Trunc(x) || x < lo:
		r.errorf(v.Pos, field, "must be %s, got %s", what, t)
	case x > hi:
		r.errorf(v.Pos, field, "must be at most %g, got %s", hi, t)
	default:
		return x, true
	}
	return 0, false
}

// word reads the name of something: a model, a rule, a population.
func (r *resolver) word(v Value, field, what string) (string, bool) {
	return r.scalar(v, field, what)
}

// unknownName describes a name not found among known: "unknown neuron
// model "lif_delt" (did you mean lif_delta?)", or with an owner "unknown
// parameter "tau_mm" of lif_delta (did you mean tau_m?)".
func unknownName(what, name, owner string, known []string) string {
	msg := fmt.Sprintf("unknown %s %q", what, name)
	if owner != "" {
		msg += " of " + owner
	}
	if s := param.Suggest(name, known); s != "" {
		return msg + fmt.Sprintf(" (did you mean %s?)", s)
	}
	if len(known) == 0 {
		return msg
	}
	return msg + " (known: " + strings.Join(known, ", ") + ")"
}

// isIdentifier reports whether s is a name like exc or L23_E:
// [A-Za-z_][A-Za-z0-9_]*.
func isIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		letter := c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
		if !letter && (i == 0 || c < '0' || c > '9') {
			return false
		}
	}
	return true
}

func (r *resolver) populations() {
	if len(r.s.Populations) == 0 {
		r.errorf(r.s.Pos, "populations", "a model needs at least one population, like \"populations: {neuron: {model: lif_delta, size: 1}}\"")
	}
	for i := range r.s.Populations {
		r.net.Pops = append(r.net.Pops, r.population(i))
	}
}

func (r *resolver) population(i int) Pop {
	p := &r.s.Populations[i]
	field := "populations." + p.Name
	pop := Pop{Name: p.Name}
	if !isIdentifier(p.Name) {
		r.errorf(p.Pos, field, "population name %q must start with a letter or _ and hold only letters, digits and _", p.Name)
	}
	if first, dup := r.pops[p.Name]; dup {
		r.errorf(p.Pos, field, "population %q is defined twice%s", p.Name, at(r.s.Populations[first].Pos))
	} else {
		r.pops[p.Name] = i
	}
	if n, ok := r.whole(p.Size, field+".size", 1, math.MaxInt32); ok {
		pop.Size = int(n)
	}
	name, ok := r.word(p.Model, field+".model", "a neuron model like lif_delta")
	if !ok {
		return pop
	}
	m, ok := neuron.Lookup(name)
	if !ok {
		r.errorf(p.Model.Pos, field+".model", "%s", unknownName("neuron model", name, "", neuron.Names()))
		return pop
	}
	pop.Model = m
	values, given, ok := r.params(p.Params, &m.Schema, name, field+".params", p.Pos)
	pop.Params = values
	if ok && m.Check != nil && r.dt > 0 {
		r.paramErrors(m.Check(values, r.dt), given, p.Pos, field+".params")
	}
	pop.Init = r.init(p.Init, m, field+".init")
	return pop
}

// at says where an earlier definition is, for "defined twice" messages.
func at(p Pos) string {
	if p.Line == 0 {
		return ""
	}
	return fmt.Sprintf(" (first at line %d)", p.Line)
}

// init resolves the initial values of state variables, in the order of
// the model's state variables.
func (r *resolver) init(ps []Param, m *neuron.Model, field string) []Init {
	var out []Init
	order := map[string]int{}
	for _, p := range ps {
		f := join(field, p.Name)
		d, ok := m.StateDef(p.Name)
		if !ok {
			var known []string
			for _, d := range m.State {
				known = append(known, d.Name)
			}
			if len(known) == 0 {
				r.errorf(p.Pos, f, "%s has no state variables to set", m.Name)
			} else {
				r.errorf(p.Pos, f, "%s", unknownName("state variable", p.Name, m.Name, known))
			}
			continue
		}
		if _, dup := order[p.Name]; dup {
			r.errorf(p.Pos, f, "%s is given twice", p.Name)
			continue
		}
		if d.Output {
			r.errorf(p.Pos, f, "%s is computed by %s in every step; it can be recorded but not set", p.Name, m.Name)
			continue
		}
		t, ok := r.scalar(p.Value, f, example(d))
		if !ok {
			continue
		}
		dist, err := param.ParseDist(t, d.Unit)
		if err != nil {
			r.errorf(p.Value.Pos, f, "%v", err)
			continue
		}
		for k := range m.State {
			if m.State[k].Name == p.Name {
				order[p.Name] = k
			}
		}
		out = append(out, Init{Var: p.Name, Dist: dist})
	}
	sort.SliceStable(out, func(i, j int) bool { return order[out[i].Var] < order[out[j].Var] })
	return out
}

// params checks a block of parameters against schema and returns the
// schema's defaults overlaid with the values given, and the given values
// by name. owner names what the parameters belong to, for messages;
// block is where the block is, for missing parameters. ok is false if
// any parameter was wrong.
func (r *resolver) params(ps []Param, schema *param.Schema, owner, field string, block Pos) (values param.Values, given map[string]Value, ok bool) {
	values = schema.Defaults()
	given = map[string]Value{}
	ok = true
	for _, p := range ps {
		f := join(field, p.Name)
		d, found := schema.Def(p.Name)
		if !found {
			ok = false
			if len(schema.Params) == 0 {
				r.errorf(p.Pos, f, "%s takes no parameters", owner)
			} else {
				r.errorf(p.Pos, f, "%s", unknownName("parameter", p.Name, owner, schema.Names()))
			}
			continue
		}
		if _, dup := given[p.Name]; dup {
			ok = false
			r.errorf(p.Pos, f, "%s is given twice", p.Name)
			continue
		}
		given[p.Name] = p.Value
		v, good := r.param(d, p.Value, f)
		if !good {
			ok = false
			continue
		}
		values[p.Name] = v
	}
	for i := range schema.Params {
		d := &schema.Params[i]
		if _, ok2 := given[d.Name]; d.Required && !ok2 {
			ok = false
			r.errorf(block, join(field, d.Name), "missing; %s needs %s, %s", owner, d.Name, example(d))
		}
	}
	return values, given, ok
}

// param parses one parameter value for d.
func (r *resolver) param(d *param.Def, v Value, field string) (param.Value, bool) {
	if d.Kind == param.List {
		if !v.IsList {
			r.errorf(v.Pos, field, "expected %s, got %q", example(d), v.Text)
			return param.Value{}, false
		}
		xs := make([]float64, 0, len(v.List))
		ok := true
		for i, e := range v.List {
			x, err := d.ParseElement(e.Text)
			if err != nil {
				r.errorf(e.Pos, index(field, i), "%v", err)
				ok = false
				continue
			}
			xs = append(xs, x)
		}
		return param.Value{List: xs}, ok
	}
	t, ok := r.scalar(v, field, example(d))
	if !ok {
		return param.Value{}, false
	}
	val, err := d.Parse(t)
	if err != nil {
		r.errorf(v.Pos, field, "%v", err)
		return param.Value{}, false
	}
	return val, true
}

// example describes the values d takes: `a time like "20 ms"`.
func example(d *param.Def) string {
	switch d.Kind {
	case param.Choice:
		return "one of " + strings.Join(d.Choices, ", ")
	case param.Flag:
		return "true or false"
	case param.Text:
		return "a name"
	case param.List:
		return "a list like [" + quantityExample(d.Unit) + ", ...]"
	}
	switch d.Range {
	case param.Count:
		return "a whole number like 10"
	case param.Probability:
		return "a probability like 0.1"
	}
	return describeUnit(d.Unit)
}

// describeUnit describes a quantity in unit: `a time like "20 ms"`.
func describeUnit(unit string) string {
	_, dim, err := units.ParseUnit(unit)
	if err != nil {
		return "a value in " + unit
	}
	if dim == units.Dimensionless {
		return "a number like 0.5"
	}
	name := dim.String()
	article := "a"
	if strings.ContainsRune("aeiou", rune(name[0])) {
		article = "an"
	}
	return fmt.Sprintf("%s %s like %q", article, name, units.Example(dim))
}

// quantityExample is an example quantity in unit ("20 ms").
func quantityExample(unit string) string {
	_, dim, err := units.ParseUnit(unit)
	if err != nil {
		return "1 " + unit
	}
	return units.Example(dim)
}

// withWeightUnit returns schema with the placeholder unit
// param.WeightUnit replaced by unit, copying it if needed: the
// catalogue's schema is never changed.
func withWeightUnit(schema *param.Schema, unit string) *param.Schema {
	uses := false
	for _, d := range schema.Params {
		uses = uses || d.Unit == param.WeightUnit
	}
	if !uses {
		return schema
	}
	c := *schema
	c.Params = append([]param.Def(nil), schema.Params...)
	for i := range c.Params {
		if c.Params[i].Unit == param.WeightUnit {
			c.Params[i].Unit = unit
		}
	}
	return &c
}

// population returns the index of the population named by v.
func (r *resolver) popRef(v Value, field string) (int, bool) {
	name, ok := r.word(v, field, "a population name")
	if !ok {
		return -1, false
	}
	i, ok := r.pops[name]
	if !ok {
		var known []string
		for _, p := range r.s.Populations {
			known = append(known, p.Name)
		}
		r.errorf(v.Pos, field, "%s", unknownName("population", name, "", known))
		return -1, false
	}
	return i, true
}

// projectionName returns the name of a projection as Resolve gives it,
// with taken the names of the projections before it.
func projectionName(p *Projection, taken map[string]bool) string {
	if p.Name.Set {
		return strings.TrimSpace(p.Name.Text)
	}
	base := strings.TrimSpace(p.From.Text) + "->" + strings.TrimSpace(p.To.Text)
	name := base
	for k := 2; taken[name]; k++ {
		name = base + "#" + strconv.Itoa(k)
	}
	return name
}

func (r *resolver) projections() {
	taken := map[string]bool{}
	for i := range r.s.Projections {
		r.net.Projs = append(r.net.Projs, r.projection(i, taken))
	}
}

func (r *resolver) projection(i int, taken map[string]bool) Proj {
	p := &r.s.Projections[i]
	field := index("projections", i)
	proj := Proj{From: -1, To: -1, Modulator: -1}

	proj.Name = projectionName(p, taken)
	if p.Name.Set {
		if _, ok := r.scalar(p.Name, field+".name", "a name like ee"); ok && taken[proj.Name] {
			r.errorf(p.Name.Pos, field+".name", "projection name %q is already used by projections[%d]", proj.Name, r.projs[proj.Name])
		}
	}
	if !taken[proj.Name] {
		taken[proj.Name] = true
		r.projs[proj.Name] = i
	}

	from, okFrom := r.popRef(p.From, field+".from")
	to, okTo := r.popRef(p.To, field+".to")
	proj.From, proj.To = from, to
	var target *neuron.Model
	if okTo {
		target = r.net.Pops[to].Model
		if target != nil && target.Source {
			r.errorf(p.To.Pos, field+".to", "%s cannot receive synapses (population %s is a spike source)", target.Name, r.net.Pops[to].Name)
			target = nil
		}
	}

	// Connectivity.
	if rule, ok := r.word(p.Rule, field+".connect.rule", "a connectivity rule like {rule: fixed_probability, p: 0.1}"); ok {
		schema, found := connect.Rule(rule)
		if !found {
			var known []string
			for _, s := range connect.Rules {
				known = append(known, s.Name)
			}
			r.errorf(p.Rule.Pos, field+".connect.rule", "%s", unknownName("connectivity rule", rule, "", known))
		} else {
			proj.Rule = rule
			values, given, ok := r.params(p.Connect, schema, "connectivity rule "+rule, field+".connect", p.Rule.Pos)
			proj.Connect = values
			if ok && okFrom && okTo {
				r.checkConnect(proj, values, given, field, p.Rule.Pos)
			}
		}
	}

	// Synapses.
	typ, _ := r.word(p.Type, field+".synapse.type", "excitatory, inhibitory or mixed")
	switch typ {
	case "":
	case "excitatory":
		proj.Sign = synapse.Excitatory
	case "inhibitory":
		proj.Sign = synapse.Inhibitory
	case "mixed":
		proj.Sign = 0
	default:
		r.errorf(p.Type.Pos, field+".synapse.type", "%s", unknownName("synapse type", typ, "", SynapseSchema.Params[0].Choices))
	}
	if target != nil {
		if p.Weight.IsList {
			proj.Weights = r.weightList(p.Weight, typ, target, field+".synapse.weight")
		} else {
			proj.Weight = r.weight(p.Weight, typ, target, field+".synapse.weight")
		}
	} else if !p.Weight.Set {
		r.word(p.Weight, field+".synapse.weight", "a weight like \"0.1 mV\"")
	}
	if proj.Weights != nil && proj.Rule != "" && okFrom && okTo && r.net.Pops[from].Size > 0 && r.net.Pops[to].Size > 0 {
		if proj.Rule == connect.FixedProbability {
			r.errorf(p.Weight.Pos, field+".synapse.weight", "a list of weights needs a rule that makes a known number of synapses, not fixed_probability")
		} else if n := connect.Count(proj.Rule, proj.Connect, r.net.Pops[from].Size, r.net.Pops[to].Size, from == to); n != float64(len(proj.Weights)) {
			r.errorf(p.Weight.Pos, field+".synapse.weight", "%d weights are listed but %s makes %g synapses; give one weight per synapse, by source then target", len(proj.Weights), proj.Rule, n)
		}
	}
	proj.Delay = r.delay(p.Delay, field+".synapse.delay")

	// Plasticity.
	f := field + ".synapse.plasticity"
	switch {
	case p.Plasticity.Set:
		name, ok := r.word(p.Plasticity, f+".rule", "a plasticity rule like hebbian")
		if !ok {
			break
		}
		rule, found := plasticity.Lookup(name)
		if !found {
			r.errorf(p.Plasticity.Pos, f+".rule", "%s", unknownName("plasticity rule", name, "", plasticity.Names()))
			break
		}
		proj.Plasticity = rule
		if target != nil {
			var given map[string]Value
			var ok bool
			proj.Learning, given, ok = r.params(p.Learning, withWeightUnit(&rule.Schema, target.WeightUnit), "plasticity rule "+name, f, p.Plasticity.Pos)
			if ok && rule.Check != nil && r.dt > 0 {
				r.paramErrors(rule.Check(proj.Learning, r.dt), given, p.Plasticity.Pos, f)
			}
			if v, isSet := given["modulator"]; ok && rule.Modulated && isSet {
				proj.Modulator, _ = r.popRef(v, f+".modulator")
			}
			if l := proj.Learning; l.Has("w_max") && l.Has("w_min") && l.Num("w_min") > l.Num("w_max") {
				r.errorf(given["w_max"].Pos, f+".w_max", "must be at least w_min (%g), got %g", l.Num("w_min"), l.Num("w_max"))
			}
		}
	case len(p.Learning) > 0:
		r.errorf(p.Plasticity.Pos, f+".rule", "missing; plasticity parameters need a rule like {rule: hebbian, eta: 0.01}")
	}
	return proj
}

// checkConnect checks a rule's parameters against the sizes of the
// populations it connects.
func (r *resolver) checkConnect(proj Proj, v param.Values, given map[string]Value, field string, rulePos Pos) {
	nFrom, nTo := r.net.Pops[proj.From].Size, r.net.Pops[proj.To].Size
	if nFrom == 0 || nTo == 0 {
		return // invalid sizes are reported already
	}
	same := proj.From == proj.To
	switch proj.Rule {
	case connect.OneToOne:
		if nFrom != nTo {
			r.errorf(rulePos, field+".connect.rule", "one_to_one connects neuron i to neuron i, so both populations need the same size, got %d and %d", nFrom, nTo)
		}
	case connect.FixedIndegree, connect.FixedOutdegree:
		partners, what := nFrom, "sources"
		if proj.Rule == connect.FixedOutdegree {
			partners, what = nTo, "targets"
		}
		if same && !v.Flag("autapses") {
			partners--
		}
		k := int(v.Num("k"))
		pos := given["k"].Pos
		switch {
		case k > 0 && partners <= 0:
			r.errorf(pos, field+".connect.k", "k = %d, but there are no possible %s", k, what)
		case k > partners && !v.Flag("multapses"):
			r.errorf(pos, field+".connect.k", "k = %d exceeds the %d possible %s; allow multapses or lower k", k, partners, what)
		}
	}
}

// weightExamples are typical weights in the usual weight units.
var weightExamples = map[string]string{"mV": "0.1 mV", "pA": "10 pA", "nS": "1 nS"}

// weight parses the weight of a projection in the weight unit of its
// target and checks that its sign suits the synapse type.
func (r *resolver) weight(v Value, typ string, target *neuron.Model, field string) param.Dist {
	unit := target.WeightUnit
	example, ok := weightExamples[unit]
	if !ok {
		example = quantityExample(unit)
	}
	what := fmt.Sprintf("a weight like %q", example)
	inUnit := "weights onto " + target.Name + " neurons are in " + unit
	if unit == "" {
		what = "a weight like 0.5"
		inUnit = "weights onto " + target.Name + " neurons are plain numbers"
	}
	t, ok := r.scalar(v, field, what+" ("+inUnit+")")
	if !ok {
		return param.Dist{}
	}
	d, err := param.ParseDist(t, unit)
	if err != nil {
		r.errorf(v.Pos, field, "%v (%s)", err, inUnit)
		return param.Dist{}
	}
	lo, hi := d.Bounds()
	// Weights of the wrong sign are redrawn; a normal distribution must
	// give the right sign often enough for that to work.
	rightSign := 1.0
	if d.Kind == param.NormalDist && d.B > 0 {
		switch typ {
		case "excitatory":
			rightSign = 0.5 * math.Erfc(-d.A/(d.B*math.Sqrt2))
		case "inhibitory":
			rightSign = 0.5 * math.Erfc(d.A/(d.B*math.Sqrt2))
		}
	}
	switch {
	case rightSign < 0.01:
		r.errorf(v.Pos, field, "%s gives a %s weight (of the right sign) in only %.2g%% of draws; weights are drawn from the distribution truncated to the projection's sign, so use a mean of the right sign", t, typ, 100*rightSign)
	case typ == "excitatory" && hi < 0:
		if d.Kind == param.ConstDist {
			r.errorf(v.Pos, field, "an excitatory weight cannot be negative, got %s; inhibitory weights are written negative with type: inhibitory", t)
		} else {
			r.errorf(v.Pos, field, "%s is always negative, but an excitatory weight cannot be; inhibitory weights are written negative with type: inhibitory", t)
		}
	case typ == "inhibitory" && lo > 0:
		if d.Kind == param.ConstDist {
			r.errorf(v.Pos, field, "an inhibitory weight is written negative, like -%s", t)
		} else {
			r.errorf(v.Pos, field, "%s is always positive, but inhibitory weights are written negative", t)
		}
	case math.Max(math.Abs(d.A), math.Abs(d.B)) > synapse.MaxWeight:
		r.errorf(v.Pos, field, "%s is too large for a weight", t)
	}
	return d
}

// weightList parses an explicit list of weights, one per synapse.
func (r *resolver) weightList(v Value, typ string, target *neuron.Model, field string) []float64 {
	unit := target.WeightUnit
	if len(v.List) == 0 {
		r.errorf(v.Pos, field, "the list of weights is empty; give one weight per synapse, by source then target")
		return nil
	}
	out := make([]float64, 0, len(v.List))
	for i, e := range v.List {
		f := index(field, i)
		if e.IsList {
			r.errorf(e.Pos, f, "expected a weight, got a list; write the weight matrix as one flat list, row by row (by source, then target)")
			continue
		}
		x, err := units.In(e.Text, unit)
		switch {
		case err != nil:
			r.errorf(e.Pos, f, "%v", err)
			continue
		case typ == "excitatory" && x < 0:
			r.errorf(e.Pos, f, "an excitatory weight cannot be negative, got %s; use type: inhibitory or mixed", e.Text)
		case typ == "inhibitory" && x > 0:
			r.errorf(e.Pos, f, "an inhibitory weight is written negative, got %s", e.Text)
		case math.Abs(x) > synapse.MaxWeight:
			r.errorf(e.Pos, f, "%s is too large for a weight", e.Text)
		}
		out = append(out, x)
	}
	return out
}

// delay parses the delay of a projection: it must reach dt and, if
// constant, be at most MaxDelaySteps steps.
func (r *resolver) delay(v Value, field string) param.Dist {
	t, ok := r.scalar(v, field, `a time like "1.5 ms"`)
	if !ok {
		return param.Dist{}
	}
	d, err := param.ParseDist(t, "ms")
	if err != nil {
		r.errorf(v.Pos, field, "%v", err)
		return param.Dist{}
	}
	dt := r.dt
	if dt == 0 {
		return d
	}
	_, hi := d.Bounds()
	longest := MaxDelaySteps * dt
	switch {
	case d.Kind == param.ConstDist && d.A < dt*(1-1e-9):
		r.errorf(v.Pos, field, "delay %s is shorter than dt = %s", units.Format(d.A, "ms"), units.Format(dt, "ms"))
	case d.Kind == param.ConstDist && d.A > longest*(1+1e-9):
		r.errorf(v.Pos, field, "delay %s is longer than the longest delay, %d·dt = %s", units.Format(d.A, "ms"), MaxDelaySteps, units.Format(longest, "ms"))
	case hi < dt*(1-1e-9):
		r.errorf(v.Pos, field, "every delay drawn from %s is shorter than dt = %s", t, units.Format(dt, "ms"))
	case d.Kind == param.UniformDist && hi > longest:
		r.errorf(v.Pos, field, "%s can draw delays longer than the longest delay, %d·dt = %s", t, MaxDelaySteps, units.Format(longest, "ms"))
	case d.Kind == param.NormalDist && d.A > longest:
		r.errorf(v.Pos, field, "%s draws delays mostly longer than the longest delay, %d·dt = %s", t, MaxDelaySteps, units.Format(longest, "ms"))
	}
	return d
}

func (r *resolver) stimuli() {
	for i := range r.s.Stimuli {
		r.net.Stims = append(r.net.Stims, r.stimulus(i))
	}
}

func (r *resolver) stimulus(i int) Stim {
	st := &r.s.Stimuli[i]
	field := index("stimuli", i)
	stim := Stim{Target: -1}
	name, okKind := r.word(st.Type, field+".type", "a stimulus type like dc or poisson")
	var kind *stimulus.Kind
	if okKind {
		k, found := stimulus.Lookup(name)
		if !found {
			r.errorf(st.Type.Pos, field+".type", "%s", unknownName("stimulus type", name, "", stimulus.Names()))
			okKind = false
		}
		kind = k
		stim.Kind = k
	}
	tgt, okTgt := r.popRef(st.Target, field+".target")
	stim.Target = tgt
	var pop *Pop
	if okTgt {
		pop = &r.net.Pops[tgt]
		stim.Neurons = r.neurons(st.Neurons, pop.Size, field+".neurons")
	}
	if !okKind || pop == nil || pop.Model == nil {
		return stim
	}
	m := pop.Model
	switch {
	case kind.Current && !m.TakesCurrent:
		hint := "; drive them with poisson or spike_times input instead"
		if m.Source {
			hint = " (population " + pop.Name + " is a spike source)"
		}
		r.errorf(st.Target.Pos, field+".target", "%s injects current, which %s neurons do not take%s", name, m.Name, hint)
		return stim
	case !kind.Current && m.Source:
		r.errorf(st.Target.Pos, field+".target", "%s sends spike input, which %s neurons cannot receive (population %s is a spike source)", name, m.Name, pop.Name)
		return stim
	}
	values, given, ok := r.params(st.Params, withWeightUnit(&kind.Schema, m.WeightUnit), "stimulus "+name, field, st.Pos)
	stim.Params = values
	if ok && kind.Check != nil && r.dt > 0 {
		r.paramErrors(kind.Check(values, r.dt), given, st.Pos, field)
	}
	return stim
}

// neurons reads an optional list of neuron indices of a population of
// size n (0 if unknown), sorted; nil means every neuron.
func (r *resolver) neurons(v Value, n int, field string) []int32 {
	if !v.Set {
		return nil
	}
	if !v.IsList {
		r.errorf(v.Pos, field, "expected a list of neuron indices like [0, 1, 2], got %q", v.Text)
		return nil
	}
	if len(v.List) == 0 {
		r.errorf(v.Pos, field, "the list is empty; leave neurons out to mean every neuron")
		return nil
	}
	out := make([]int32, 0, len(v.List))
	seen := map[int32]bool{}
	for i, e := range v.List {
		f := index(field, i)
		t := strings.TrimSpace(e.Text)
		x, err := units.In(t, "")
		switch {
		case err != nil || x != math.Trunc(x) || x < 0 || x > math.MaxInt32:
			r.errorf(e.Pos, f, "expected a neuron index (a whole number >= 0), got %q", t)
			continue
		case n > 0 && x >= float64(n):
			r.errorf(e.Pos, f, "neuron %s is out of range: the population has %d neurons, 0 to %d", t, n, n-1)
			continue
		case seen[int32(x)]:
			r.errorf(e.Pos, f, "neuron %s is listed twice", t)
			continue
		}
		seen[int32(x)] = true
		out = append(out, int32(x))
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

func (r *resolver) recorders() {
	spikes := false
	for i := range r.s.Recorders {
		rec, ok := r.recorder(i)
		if ok {
			r.net.Recs = append(r.net.Recs, rec)
			spikes = spikes || rec.Kind == RecSpikes
		}
	}
	if !spikes {
		rec := Rec{Kind: RecSpikes}
		for i := range r.net.Pops {
			rec.Pops = append(rec.Pops, i)
		}
		r.net.Recs = append(r.net.Recs, rec)
	}
}

func (r *resolver) recorder(i int) (Rec, bool) {
	rc := &r.s.Recorders[i]
	field := index("recorders", i)
	typ, ok := r.word(rc.Type, field+".type", "spikes, state or weights")
	if !ok {
		return Rec{}, false
	}
	var takes, types []string
	for _, sc := range RecorderSchemas {
		types = append(types, sc.Name)
		if sc.Name == typ {
			takes = sc.Names()
		}
	}
	if takes == nil {
		r.errorf(rc.Type.Pos, field+".type", "%s", unknownName("recorder type", typ, "", types))
		return Rec{}, false
	}
	for _, f := range []struct {
		name string
		v    Value
	}{
		{"populations", rc.Populations}, {"population", rc.Population}, {"variables", rc.Variables},
		{"neurons", rc.Neurons}, {"projection", rc.Projection}, {"interval", rc.Interval},
	} {
		used := false
		for _, t := range takes {
			used = used || t == f.name
		}
		if f.v.Set && !used {
			r.errorf(f.v.Pos, join(field, f.name), "a %s recorder has no %s (it takes %s)", typ, f.name, strings.Join(takes, ", "))
		}
	}

	switch typ {
	case "spikes":
		rec := Rec{Kind: RecSpikes}
		v := rc.Populations
		if !v.Set {
			for k := range r.net.Pops {
				rec.Pops = append(rec.Pops, k)
			}
			return rec, true
		}
		f := field + ".populations"
		if !v.IsList || len(v.List) == 0 {
			r.errorf(v.Pos, f, "expected a list of population names like [exc, inh]; leave populations out to record every population")
			return rec, true
		}
		seen := map[int]bool{}
		for k, e := range v.List {
			if p, ok := r.popRef(e, index(f, k)); ok {
				if seen[p] {
					r.errorf(e.Pos, index(f, k), "population %s is listed twice", e.Text)
					continue
				}
				seen[p] = true
				rec.Pops = append(rec.Pops, p)
			}
		}
		return rec, true

	case "state":
		rec := Rec{Kind: RecState, Pop: -1}
		rec.Interval = r.interval(rc.Interval, field+".interval")
		p, ok := r.popRef(rc.Population, field+".population")
		if !ok {
			return rec, true
		}
		rec.Pop = p
		pop := &r.net.Pops[p]
		rec.Neurons = r.neurons(rc.Neurons, pop.Size, field+".neurons")
		rec.Vars = r.variables(rc.Variables, pop.Model, field+".variables")
		return rec, true

	default: // weights
		rec := Rec{Kind: RecWeights, Proj: -1}
		rec.Interval = r.interval(rc.Interval, field+".interval")
		f := field + ".projection"
		name, ok := r.word(rc.Projection, f, "the name of a projection")
		if !ok {
			return rec, true
		}
		k, ok := r.projs[name]
		if !ok {
			var known []string
			for _, p := range r.net.Projs {
				known = append(known, p.Name)
			}
			r.errorf(rc.Projection.Pos, f, "%s", unknownName("projection", name, "", known))
			return rec, true
		}
		rec.Proj = k
		return rec, true
	}
}

// variables reads the state variables a state recorder records.
func (r *resolver) variables(v Value, m *neuron.Model, field string) []string {
	if !v.Set || !v.IsList || len(v.List) == 0 {
		what := "a list of state variables like [V]"
		switch {
		case !v.Set:
			r.errorf(v.Pos, field, "missing; expected %s", what)
		case !v.IsList:
			r.errorf(v.Pos, field, "expected %s, got %q", what, v.Text)
		default:
			r.errorf(v.Pos, field, "expected %s, got an empty list", what)
		}
		return nil
	}
	var out []string
	seen := map[string]bool{}
	for k, e := range v.List {
		f := index(field, k)
		name := strings.TrimSpace(e.Text)
		if seen[name] {
			r.errorf(e.Pos, f, "%s is listed twice", name)
			continue
		}
		seen[name] = true
		if m == nil {
			continue // unknown model, reported already
		}
		if _, ok := m.StateDef(name); !ok {
			var known []string
			for _, d := range m.State {
				known = append(known, d.Name)
			}
			if len(known) == 0 {
				r.errorf(e.Pos, f, "%s neurons have no state variables to record", m.Name)
			} else {
				r.errorf(e.Pos, f, "%s", unknownName("state variable", name, m.Name, known))
			}
			continue
		}
		out = append(out, name)
	}
	return out
}

// interval reads a recording interval: a multiple of dt, default dt.
func (r *resolver) interval(v Value, field string) float64 {
	if !v.Set {
		return r.dt
	}
	x, ok := r.time(v, field, `a time like "1 ms"`)
	if !ok || r.dt == 0 {
		return 0
	}
	k := math.Round(x / r.dt)
	if k < 1 || math.Abs(k*r.dt-x) > 1e-9*x {
		r.errorf(v.Pos, field, "interval %s is not a multiple of dt = %s", units.Format(x, "ms"), units.Format(r.dt, "ms"))
		return 0
	}
	return x
}

// paramErrors reports the errors of a model's Check at the parameter they
// name, or at the block if that parameter was not given.
func (r *resolver) paramErrors(errs []neuron.ParamError, given map[string]Value, block Pos, field string) {
	for _, e := range errs {
		pos := block
		if v, ok := given[e.Param]; ok {
			pos = v.Pos
		}
		r.errorf(pos, field+"."+e.Param, "%s", e.Msg)
	}
}
