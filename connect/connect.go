// Package connect draws the synapses of a projection: which neurons of a
// source population connect to which neurons of a target population.
//
// Each connectivity rule is described by a param.Schema in Rules, so model
// files are checked against the same parameter list that Generate reads.
// The rules follow the terminology of Senk et al. (2022):
//
//   - an autapse is a synapse from a neuron onto itself; it can only occur
//     when source and target are the same population;
//   - multapses are two or more synapses between the same source and
//     target neuron.
//
// Random rules draw from one random stream per neuron (per target for the
// rules that build each target's inputs, per source for fixed_outdegree),
// derived from the run seed and the projection's key. The synapses of a
// neuron therefore never depend on how the work of building a network is
// split among threads or machines.
package connect

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/hebb-snn/hebb/param"
	"github.com/hebb-snn/hebb/rng"
)

// Names of the connectivity rules, as written in model files.
const (
	AllToAll         = "all_to_all"         // every source to every target
	OneToOne         = "one_to_one"         // source i to target i
	FixedProbability = "fixed_probability"  // each pair independently with probability p
	FixedIndegree    = "fixed_indegree"     // exactly k inputs per target
	FixedOutdegree   = "fixed_outdegree"    // exactly k outputs per source
	FixedTotalNumber = "fixed_total_number" // exactly N synapses, each source and target drawn uniformly
)

const senk2022 = "Senk J et al. (2022) Connectivity concepts in neuronal network modeling. PLoS Comput Biol 18(9): e1010086"

var (
	autapsesDef = param.Def{
		Name:    "autapses",
		Kind:    param.Flag,
		Default: 1,
		Doc:     "allow a neuron to connect to itself (only matters when source and target are the same population)",
	}
	multapsesDef = param.Def{
		Name:    "multapses",
		Kind:    param.Flag,
		Default: 1,
		Doc:     "allow more than one synapse between the same source and target neuron",
	}
	kDef = param.Def{
		Name:     "k",
		Kind:     param.Number,
		Required: true,
		Range:    param.Count,
	}
)

// Rules lists every connectivity rule with its parameters; model-file
// validation and `hebb models` read it.
var Rules = []param.Schema{
	{
		Name:      AllToAll,
		Doc:       "every source neuron connects to every target neuron",
		Reference: senk2022,
		Params:    []param.Def{autapsesDef},
	},
	{
		Name:      OneToOne,
		Doc:       "source neuron i connects to target neuron i; both populations must have the same size",
		Reference: senk2022,
	},
	{
		Name:      FixedProbability,
		Doc:       "each source-target pair connects independently with probability p (never more than one synapse per pair)",
		Reference: senk2022,
		Params: []param.Def{
			{
				Name:     "p",
				Kind:     param.Number,
				Required: true,
				Range:    param.Probability,
				Doc:      "probability that a given source neuron connects to a given target neuron",
			},
			autapsesDef,
		},
	},
	{
		Name:      FixedIndegree,
		Doc:       "each target neuron receives exactly k synapses from source neurons drawn uniformly at random",
		Reference: senk2022,
		Params: []param.Def{
			withDoc(kDef, "number of synapses each target neuron receives (its in-degree)"),
			autapsesDef,
			multapsesDef,
		},
	},
	{
		Name:      FixedOutdegree,
		Doc:       "each source neuron sends exactly k synapses to target neurons drawn uniformly at random",
		Reference: senk2022,
		Params: []param.Def{
			withDoc(kDef, "number of synapses each source neuron sends (its out-degree)"),
			autapsesDef,
			multapsesDef,
		},
	},
	{
		Name:      FixedTotalNumber,
		Doc:       "exactly N synapses in all, each between a source and a target drawn uniformly at random (in-degrees are multinomial; multapses allowed)",
		Reference: senk2022 + "; Potjans & Diesmann 2014, Cereb Cortex 24:785",
		Params: []param.Def{
			{Name: "N", Kind: param.Number, Required: true, Range: param.Count, Doc: "number of synapses of the projection"},
			autapsesDef,
		},
	},
}

func withDoc(d param.Def, doc string) param.Def {
	d.Doc = doc
	return d
}

// Rule returns the schema of the connectivity rule called name.
func Rule(name string) (*param.Schema, bool) {
	for i := range Rules {
		if Rules[i].Name == name {
			return &Rules[i], true
		}
	}
	return nil, false
}

// ruleNames lists the names of all rules, in the order of Rules.
func ruleNames() []string {
	names := make([]string, len(Rules))
	for i, r := range Rules {
		names[i] = r.Name
	}
	return names
}

func unknownRule(name string) error {
	msg := fmt.Sprintf("unknown connectivity rule %q", name)
	if s := param.Suggest(name, ruleNames()); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	return fmt.Errorf("%s; known rules: %s", msg, strings.Join(ruleNames(), ", "))
}

// options are the parameters of a rule, read from param.Values with the
// schema's defaults filled in where a value is missing.
type options struct {
	p         float64 // fixed_probability: connection probability
	k         int     // fixed_indegree, fixed_outdegree: degree
	total     int     // fixed_total_number: number of synapses
	autapses  bool
	multapses bool
}

// readOptions reads the parameters of rule s from v. Parameters that s does
// not define are ignored (model files are validated against s elsewhere).
func readOptions(s *param.Schema, v param.Values) (options, error) {
	o := options{autapses: true, multapses: true}
	for _, d := range s.Params {
		val, ok := v[d.Name]
		if !ok {
			if d.Required {
				return o, fmt.Errorf("%s needs parameter %s", s.Name, d.Name)
			}
			val = param.Value{Num: d.Default}
		}
		x := val.Num
		switch d.Name {
		case "p":
			if !(x >= 0 && x <= 1) {
				return o, fmt.Errorf("%s p must be a probability in [0, 1], got %g", s.Name, x)
			}
			o.p = x
		case "k":
			if !(x >= 0 && x <= math.MaxInt32) || x != math.Trunc(x) {
				return o, fmt.Errorf("%s k must be a whole number between 0 and %d, got %g", s.Name, math.MaxInt32, x)
			}
			o.k = int(x)
		case "N":
			if !(x >= 0 && x <= math.MaxInt) || x != math.Trunc(x) {
				return o, fmt.Errorf("%s N must be a whole number >= 0, got %g", s.Name, x)
			}
			o.total = int(x)
		case "autapses":
			o.autapses = x != 0
		case "multapses":
			o.multapses = x != 0
		}
	}
	return o, nil
}

// checkSizes checks the population sizes of a projection.
func checkSizes(nSrc, nTgt int, same bool) error {
	if nSrc < 0 || nTgt < 0 {
		return fmt.Errorf("population sizes must not be negative, got %d sources and %d targets", nSrc, nTgt)
	}
	if nSrc > math.MaxInt32 || nTgt > math.MaxInt32 {
		return fmt.Errorf("populations of more than %d neurons are not supported, got %d sources and %d targets",
			math.MaxInt32, nSrc, nTgt)
	}
	if same && nSrc != nTgt {
		return fmt.Errorf("source and target are the same population but have different sizes, %d and %d", nSrc, nTgt)
	}
	return nil
}

// pairs is the number of distinct (source, target) pairs a rule may
// connect: nSrc·nTgt, less the autapses i→i when they are excluded.
func pairs(nSrc, nTgt int, same, autapses bool) int {
	n := nSrc * nTgt // at most (2^31)^2 = 2^62: fits in a 64-bit int
	if same && !autapses {
		n -= min(nSrc, nTgt)
	}
	return n
}

// Count returns the number of synapses Generate makes for the same
// arguments, without drawing them: exactly for every rule but
// fixed_probability, for which it returns the expected number p·pairs
// (use it to estimate memory). Count does not validate its arguments the
// way Generate does; it returns 0 for an unknown rule, a missing or
// invalid parameter, negative sizes, or one_to_one with unequal sizes.
func Count(rule string, v param.Values, nSrc, nTgt int, same bool) float64 {
	s, ok := Rule(rule)
	if !ok || nSrc < 0 || nTgt < 0 {
		return 0
	}
	o, err := readOptions(s, v)
	if err != nil {
		return 0
	}
	switch rule {
	case AllToAll:
		return float64(pairs(nSrc, nTgt, same, o.autapses))
	case OneToOne:
		if nSrc != nTgt {
			return 0
		}
		return float64(nSrc)
	case FixedProbability:
		return o.p * float64(pairs(nSrc, nTgt, same, o.autapses))
	case FixedIndegree:
		return float64(o.k) * float64(nTgt)
	case FixedOutdegree:
		return float64(o.k) * float64(nSrc)
	case FixedTotalNumber:
		return float64(o.total)
	}
	return 0
}

// Generate draws the synapses of one projection from a population of nSrc
// source neurons to a population of nTgt target neurons, by the rule
// called rule with parameters v (missing optional parameters take their
// defaults). same says whether source and target are the same population,
// which is when autapses can occur.
//
// seed is the run's seed and key identifies the projection. Random rules
// draw the synapses of neuron i from the stream
// rng.New(seed, rng.KeyConnect, key, i), where i is the target index for
// fixed_probability and fixed_indegree and the source index for
// fixed_outdegree, so a neuron's synapses do not depend on how the work is
// split.
//
// The synapses come back as parallel slices of source and target indices:
// synapse j goes from source neuron src[j] to target neuron tgt[j]. They
// are grouped by target, in ascending order, with the sources of each
// target ascending (fixed_outdegree: grouped by source, targets ascending),
// so the same arguments always give the same slices.
func Generate(rule string, v param.Values, nSrc, nTgt int, same bool, seed, key uint64) (src, tgt []int32, err error) {
	s, ok := Rule(rule)
	if !ok {
		return nil, nil, unknownRule(rule)
	}
	if err := checkSizes(nSrc, nTgt, same); err != nil {
		return nil, nil, fmt.Errorf("%s: %v", rule, err)
	}
	o, err := readOptions(s, v)
	if err != nil {
		return nil, nil, err
	}
	if n := Count(rule, v, nSrc, nTgt, same); n > math.MaxInt {
		return nil, nil, fmt.Errorf("%s: %g synapses are too many for this platform", rule, n)
	}
	switch rule {
	case AllToAll:
		src, tgt = allToAll(nSrc, nTgt, same && !o.autapses)
		return src, tgt, nil
	case OneToOne:
		if nSrc != nTgt {
			return nil, nil, fmt.Errorf("one_to_one needs equal sizes, got %d sources and %d targets", nSrc, nTgt)
		}
		src = make([]int32, nSrc)
		for i := range src {
			src[i] = int32(i)
		}
		return src, slices.Clone(src), nil
	case FixedProbability:
		src, tgt = fixedProbability(o.p, nSrc, nTgt, same && !o.autapses, seed, key)
		return src, tgt, nil
	case FixedIndegree:
		// The "owners" are the targets, each drawing k sources.
		tgt, src, err = fixedDegree(rule, "sources", o, nTgt, nSrc, same, seed, key)
		return src, tgt, err
	case FixedOutdegree:
		// The "owners" are the sources, each drawing k targets.
		src, tgt, err = fixedDegree(rule, "targets", o, nSrc, nTgt, same, seed, key)
		return src, tgt, err
	case FixedTotalNumber:
		return fixedTotalNumber(o, nSrc, nTgt, same && !o.autapses, seed, key)
	}
	return nil, nil, unknownRule(rule) // unreachable: every rule is handled above
}

// allToAll connects every source to every target, leaving out i→i when
// noSelf is set.
func allToAll(nSrc, nTgt int, noSelf bool) (src, tgt []int32) {
	n := nSrc * nTgt
	if noSelf {
		n -= min(nSrc, nTgt)
	}
	src = make([]int32, 0, n)
	tgt = make([]int32, 0, n)
	for t := range nTgt {
		for s := range nSrc {
			if noSelf && s == t {
				continue
			}
			src = append(src, int32(s))
			tgt = append(tgt, int32(t))
		}
	}
	return src, tgt
}

// fixedProbability connects each (source, target) pair independently with
// probability p, leaving out i→i when noSelf is set.
//
// Rather than tossing a coin for each of the nSrc·nTgt pairs, it jumps
// from one connected source to the next: in a row of independent trials
// with success probability p, the number of failures before the next
// success is geometric, P(gap = g) = (1-p)^g·p, and is drawn by inversion
// as floor(log(1-u) / log(1-p)) with u uniform in [0, 1). The cost is
// proportional to the number of synapses, not to the number of pairs.
func fixedProbability(p float64, nSrc, nTgt int, noSelf bool, seed, key uint64) (src, tgt []int32) {
	if p == 0 || nSrc == 0 || nTgt == 0 {
		return []int32{}, []int32{}
	}
	if p == 1 {
		return allToAll(nSrc, nTgt, noSelf)
	}
	// Reserve room for the expected number of synapses plus a margin of
	// five standard deviations, so that the slices rarely grow.
	mean := p * float64(nSrc) * float64(nTgt)
	capacity := int(math.Min(mean+5*math.Sqrt(mean*(1-p))+16, float64(nSrc)*float64(nTgt)))
	src = make([]int32, 0, capacity)
	tgt = make([]int32, 0, capacity)

	logq := math.Log1p(-p) // log(1-p) < 0
	for t := range nTgt {
		r := rng.New(seed, rng.KeyConnect, key, uint64(t))
		// s is the last source visited; the next connected source is
		// s + 1 + gap, and the row ends when that reaches nSrc.
		for s := -1; ; {
			gap := math.Floor(math.Log1p(-r.Float64()) / logq)
			if !(gap < float64(nSrc-1-s)) { // also stops on an infinite gap
				break
			}
			s += 1 + int(gap)
			if noSelf && s == t {
				continue
			}
			src = append(src, int32(s))
			tgt = append(tgt, int32(t))
		}
	}
	return src, tgt
}

// fixedDegree gives each of nOwners neurons exactly o.k partners drawn
// uniformly from nPartners neurons. For fixed_indegree the owners are the
// targets and the partners the sources; for fixed_outdegree the reverse.
// partnerWord names the partners in error messages. It returns the owner
// and partner index of every synapse, grouped by owner, partners ascending.
func fixedDegree(rule, partnerWord string, o options, nOwners, nPartners int, same bool, seed, key uint64) (owner, partner []int32, err error) {
	k := o.k
	// When autapses are excluded, owner i may not pick partner i, so it
	// chooses among m = nPartners-1 partners.
	noSelf := same && !o.autapses
	m := nPartners
	if noSelf {
		m--
	}
	if k > 0 && nOwners > 0 {
		if m <= 0 {
			return nil, nil, fmt.Errorf("%s k = %d needs at least one possible %s, got none", rule, k, strings.TrimSuffix(partnerWord, "s"))
		}
		if !o.multapses && k > m {
			return nil, nil, fmt.Errorf("%s k = %d exceeds the %d possible %s without multapses", rule, k, m, partnerWord)
		}
	}

	owner = make([]int32, k*nOwners)
	partner = make([]int32, k*nOwners)
	var chosen bitset // reused by every owner, and left clear after each
	if !o.multapses && k > 0 && m > 0 {
		chosen = newBitset(m)
	}
	for i := range nOwners {
		r := rng.New(seed, rng.KeyConnect, key, uint64(i))
		out := partner[i*k : (i+1)*k]
		if o.multapses {
			for j := range out {
				out[j] = int32(r.IntN(m))
			}
		} else {
			chooseDistinct(&r, out, m, chosen)
		}
		// Draws are positions among the m allowed partners; skip over the
		// owner's own index to turn them into partner indices.
		if noSelf {
			for j, x := range out {
				if int(x) >= i {
					out[j] = x + 1
				}
			}
		}
		slices.Sort(out)
		for j := range out {
			owner[i*k+j] = int32(i)
		}
	}
	return owner, partner, nil
}

// chooseDistinct fills out with len(out) distinct integers drawn uniformly
// from [0, m), by Floyd's algorithm: for j = m-k, ..., m-1, draw x in
// [0, j]; take x if it is new, otherwise take j (which cannot have been
// taken yet). Every subset of size k is equally likely. chosen marks the
// numbers taken so far; it must be clear on entry and is clear on return.
func chooseDistinct(r *rng.Stream, out []int32, m int, chosen bitset) {
	k := len(out)
	for n, j := 0, m-k; j < m; n, j = n+1, j+1 {
		x := r.IntN(j + 1)
		if chosen.has(x) {
			x = j
		}
		chosen.set(x)
		out[n] = int32(x)
	}
	for _, x := range out {
		chosen.clear(int(x))
	}
}

// bitset is a set of small non-negative integers, one bit each.
type bitset []uint64

func newBitset(n int) bitset    { return make(bitset, (n+63)/64) }
func (b bitset) has(i int) bool { return b[i/64]&(1<<(i%64)) != 0 }
func (b bitset) set(i int)      { b[i/64] |= 1 << (i % 64) }
func (b bitset) clear(i int)    { b[i/64] &^= 1 << (i % 64) }

// totalKey is the stream, among a projection's, that splits the synapses
// of fixed_total_number among the targets (the per-target streams use
// the target's index, which never reaches it).
const totalKey = 1 << 63

// fixedTotalNumber makes o.total synapses, each from a source and to a
// target drawn uniformly (leaving out i→i when noSelf is set). Drawing
// all pairs independently makes the in-degrees multinomial with equal
// cell probabilities; they are drawn first, as a chain of binomials from
// one stream of the projection (target i gets Binomial(left, 1/(n−i))),
// and then each target draws its sources from its own stream, as for
// fixed_indegree: the synapses of a target do not depend on how the work
// is split. Grouped by target, sources ascending.
func fixedTotalNumber(o options, nSrc, nTgt int, noSelf bool, seed, key uint64) (src, tgt []int32, err error) {
	m := nSrc // possible sources of each target
	if noSelf {
		m--
	}
	if o.total > 0 && (nTgt == 0 || m <= 0) {
		return nil, nil, fmt.Errorf("%s N = %d needs at least one possible synapse, got none", FixedTotalNumber, o.total)
	}
	src = make([]int32, o.total)
	tgt = make([]int32, o.total)
	split := rng.New(seed, rng.KeyConnect, key, totalKey)
	left, at := o.total, 0
	for i := range nTgt {
		k := left
		if i < nTgt-1 {
			k = split.Binomial(left, 1/float64(nTgt-i))
		}
		left -= k
		r := rng.New(seed, rng.KeyConnect, key, uint64(i))
		out := src[at : at+k]
		for j := range out {
			x := r.IntN(m)
			if noSelf && x >= i {
				x++
			}
			out[j] = int32(x)
		}
		slices.Sort(out)
		for j := at; j < at+k; j++ {
			tgt[j] = int32(i)
		}
		at += k
	}
	return src, tgt, nil
}
