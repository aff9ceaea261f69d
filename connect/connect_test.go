package connect

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/hebb-snn/hebb/param"
)

const testSeed, testKey = 20240531, 7

// values builds param.Values from numbers (flags are 1 or 0).
func values(kv map[string]float64) param.Values {
	v := param.Values{}
	for name, x := range kv {
		v[name] = param.Value{Num: x}
	}
	return v
}

func generate(t *testing.T, rule string, v param.Values, nSrc, nTgt int, same bool) (src, tgt []int32) {
	t.Helper()
	src, tgt, err := Generate(rule, v, nSrc, nTgt, same, testSeed, testKey)
	if err != nil {
		t.Fatalf("Generate(%s): %v", rule, err)
	}
	if len(src) != len(tgt) {
		t.Fatalf("%s: %d sources but %d targets", rule, len(src), len(tgt))
	}
	for i := range src {
		if src[i] < 0 || int(src[i]) >= nSrc || tgt[i] < 0 || int(tgt[i]) >= nTgt {
			t.Fatalf("%s: synapse %d: %d -> %d out of range", rule, i, src[i], tgt[i])
		}
	}
	return src, tgt
}

// degrees counts how often each index 0..n-1 occurs in idx.
func degrees(idx []int32, n int) []int {
	d := make([]int, n)
	for _, i := range idx {
		d[i]++
	}
	return d
}

// checkAutapses fails if some synapse goes from a neuron to itself.
func checkAutapses(t *testing.T, src, tgt []int32) {
	t.Helper()
	for i := range src {
		if src[i] == tgt[i] {
			t.Fatalf("autapse %d -> %d although autapses are off", src[i], tgt[i])
		}
	}
}

// checkGroupedSorted checks that synapses are grouped by owner in ascending
// order with partners ascending within a group; strict says partners must
// be strictly ascending (no multapses).
func checkGroupedSorted(t *testing.T, owner, partner []int32, strict bool) {
	t.Helper()
	for i := 1; i < len(owner); i++ {
		switch {
		case owner[i] < owner[i-1]:
			t.Fatalf("synapse %d: owner %d after %d: not grouped in ascending order", i, owner[i], owner[i-1])
		case owner[i] == owner[i-1] && partner[i] < partner[i-1]:
			t.Fatalf("synapse %d: partners %d, %d of owner %d not ascending", i, partner[i-1], partner[i], owner[i])
		case owner[i] == owner[i-1] && partner[i] == partner[i-1] && strict:
			t.Fatalf("multapse %d, %d (owner, partner) although multapses are off", owner[i], partner[i])
		}
	}
}

// checkSpread checks that counts, one per neuron, look like independent
// draws with the given mean and variance: the chi-square statistic
// X = Σ (c - mean)² / variance must lie within 5 standard deviations
// (sqrt(2·df)) of its expectation df = len(counts) - 1, and every count
// must lie within 6 standard deviations of the mean. A rule that favours
// or never picks some neurons fails one or the other.
func checkSpread(t *testing.T, what string, counts []int, mean, variance float64) {
	t.Helper()
	x := 0.0
	sd := math.Sqrt(variance)
	for i, c := range counts {
		d := float64(c) - mean
		x += d * d / variance
		if math.Abs(d) > 6*sd {
			t.Errorf("%s: neuron %d has %d, expected %.1f ± %.1f", what, i, c, mean, sd)
		}
	}
	df := float64(len(counts) - 1)
	if math.Abs(x-df) > 5*math.Sqrt(2*df) {
		t.Errorf("%s: chi-square %.0f, expected %.0f ± %.0f", what, x, df, 5*math.Sqrt(2*df))
	} else {
		t.Logf("%s: chi-square %.0f (df %.0f)", what, x, df)
	}
}

// meanVar returns the sample mean and (unbiased) variance of counts.
func meanVar(counts []int) (mean, variance float64) {
	for _, c := range counts {
		mean += float64(c)
	}
	mean /= float64(len(counts))
	for _, c := range counts {
		d := float64(c) - mean
		variance += d * d
	}
	return mean, variance / float64(len(counts)-1)
}

func TestRules(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range Rules {
		if seen[s.Name] {
			t.Errorf("rule %s listed twice", s.Name)
		}
		seen[s.Name] = true
		if s.Doc == "" || strings.Contains(s.Doc, "\n") {
			t.Errorf("rule %s: Doc must be one non-empty line", s.Name)
		}
		for _, d := range s.Params {
			if d.Doc == "" || strings.Contains(d.Doc, "\n") {
				t.Errorf("rule %s, parameter %s: Doc must be one non-empty line", s.Name, d.Name)
			}
		}
		r, ok := Rule(s.Name)
		if !ok || r.Name != s.Name {
			t.Errorf("Rule(%q) = %v, %v", s.Name, r, ok)
		}
		// Every rule works on empty populations with its defaults and
		// its required parameters set to zero.
		v := s.Defaults()
		for _, d := range s.Params {
			if d.Required {
				v[d.Name] = param.Value{}
			}
		}
		if src, _, err := Generate(s.Name, v, 0, 0, true, 1, 1); err != nil || len(src) != 0 {
			t.Errorf("%s on empty populations: %d synapses, error %v", s.Name, len(src), err)
		}
	}
	for _, name := range []string{AllToAll, OneToOne, FixedProbability, FixedIndegree, FixedOutdegree} {
		if !seen[name] {
			t.Errorf("rule %s missing from Rules", name)
		}
	}
	if _, ok := Rule("nope"); ok {
		t.Error(`Rule("nope") found`)
	}
	for _, d := range []struct{ rule, param string }{
		{AllToAll, "autapses"}, {FixedProbability, "autapses"},
		{FixedIndegree, "autapses"}, {FixedIndegree, "multapses"},
		{FixedOutdegree, "autapses"}, {FixedOutdegree, "multapses"},
	} {
		r, _ := Rule(d.rule)
		def, ok := r.Def(d.param)
		if !ok || def.Kind != param.Flag || def.Default != 1 {
			t.Errorf("%s %s: want a flag defaulting to true, got %+v", d.rule, d.param, def)
		}
	}
}

func TestAllToAll(t *testing.T) {
	src, tgt := generate(t, AllToAll, nil, 7, 5, false)
	if len(src) != 35 {
		t.Fatalf("7 x 5 all_to_all: %d synapses, want 35", len(src))
	}
	checkGroupedSorted(t, tgt, src, true)
	if got := Count(AllToAll, nil, 7, 5, false); got != 35 {
		t.Errorf("Count = %g, want 35", got)
	}

	// Same population: autapses by default, none when switched off.
	src, _ = generate(t, AllToAll, nil, 6, 6, true)
	if len(src) != 36 {
		t.Errorf("6 x 6 with autapses: %d synapses, want 36", len(src))
	}
	off := values(map[string]float64{"autapses": 0})
	src, tgt = generate(t, AllToAll, off, 6, 6, true)
	if len(src) != 30 {
		t.Errorf("6 x 6 without autapses: %d synapses, want 30", len(src))
	}
	checkAutapses(t, src, tgt)
	checkGroupedSorted(t, tgt, src, true)
	if got := Count(AllToAll, off, 6, 6, true); got != 30 {
		t.Errorf("Count = %g, want 30", got)
	}
	// Different populations: the flag changes nothing.
	src, _ = generate(t, AllToAll, off, 6, 6, false)
	if len(src) != 36 {
		t.Errorf("6 x 6 distinct populations, autapses off: %d synapses, want 36", len(src))
	}
}

func TestOneToOne(t *testing.T) {
	src, tgt := generate(t, OneToOne, nil, 50, 50, false)
	if len(src) != 50 || Count(OneToOne, nil, 50, 50, false) != 50 {
		t.Fatalf("one_to_one 50: %d synapses, Count %g, want 50", len(src), Count(OneToOne, nil, 50, 50, false))
	}
	for i := range src {
		if src[i] != int32(i) || tgt[i] != int32(i) {
			t.Fatalf("synapse %d: %d -> %d, want %d -> %d", i, src[i], tgt[i], i, i)
		}
	}
	_, _, err := Generate(OneToOne, nil, 100, 80, false, 1, 1)
	const want = "one_to_one needs equal sizes, got 100 sources and 80 targets"
	if err == nil || err.Error() != want {
		t.Errorf("one_to_one 100 -> 80: error %v, want %q", err, want)
	}
}

func TestFixedIndegree(t *testing.T) {
	const n, k = 1000, 50
	for _, c := range []struct {
		autapses, multapses bool
	}{{true, true}, {false, true}, {true, false}, {false, false}} {
		v := values(map[string]float64{"k": k, "autapses": b2f(c.autapses), "multapses": b2f(c.multapses)})
		src, tgt := generate(t, FixedIndegree, v, n, n, true)
		name := "fixed_indegree " + flags(c.autapses, c.multapses)
		if len(src) != n*k || Count(FixedIndegree, v, n, n, true) != n*k {
			t.Fatalf("%s: %d synapses, Count %g, want %d", name, len(src), Count(FixedIndegree, v, n, n, true), n*k)
		}
		for i, d := range degrees(tgt, n) {
			if d != k {
				t.Fatalf("%s: target %d has %d inputs, want %d", name, i, d, k)
			}
		}
		checkGroupedSorted(t, tgt, src, !c.multapses)
		if !c.autapses {
			checkAutapses(t, src, tgt)
		}
		// Out-degree of a source: each of the m eligible targets picks it
		// with probability q per draw (k draws with multapses, or once
		// among k distinct choices without).
		m := float64(n) // eligible targets per source = possible sources per target
		if !c.autapses {
			m = n - 1
		}
		var mean, variance float64
		if c.multapses {
			mean = m * k / m
			variance = m * k * (1 / m) * (1 - 1/m)
		} else {
			q := k / m
			mean = m * q
			variance = m * q * (1 - q)
		}
		checkSpread(t, name+" out-degrees", degrees(src, n), mean, variance)
	}

	// Distinct populations: the autapse flag has no effect.
	v := values(map[string]float64{"k": 3, "autapses": 0, "multapses": 0})
	src, tgt := generate(t, FixedIndegree, v, 3, 10, false)
	for i, d := range degrees(tgt, 10) {
		if d != 3 {
			t.Errorf("3 of 3 sources: target %d has %d inputs", i, d)
		}
	}
	checkGroupedSorted(t, tgt, src, true)

	// k equal to the number of possible sources connects all of them.
	v = values(map[string]float64{"k": 9, "autapses": 0, "multapses": 0})
	src, tgt = generate(t, FixedIndegree, v, 10, 10, true)
	all, allTgt := generate(t, AllToAll, values(map[string]float64{"autapses": 0}), 10, 10, true)
	if !slices.Equal(src, all) || !slices.Equal(tgt, allTgt) {
		t.Errorf("fixed_indegree with k = n-1 without autapses or multapses differs from all_to_all")
	}
}

func TestFixedOutdegree(t *testing.T) {
	const nSrc, nTgt, k = 800, 1200, 60
	for _, c := range []struct {
		autapses, multapses bool
	}{{true, true}, {true, false}} {
		v := values(map[string]float64{"k": k, "autapses": b2f(c.autapses), "multapses": b2f(c.multapses)})
		src, tgt := generate(t, FixedOutdegree, v, nSrc, nTgt, false)
		name := "fixed_outdegree " + flags(c.autapses, c.multapses)
		if len(src) != nSrc*k || Count(FixedOutdegree, v, nSrc, nTgt, false) != nSrc*k {
			t.Fatalf("%s: %d synapses, want %d", name, len(src), nSrc*k)
		}
		for i, d := range degrees(src, nSrc) {
			if d != k {
				t.Fatalf("%s: source %d has %d outputs, want %d", name, i, d, k)
			}
		}
		checkGroupedSorted(t, src, tgt, !c.multapses)
		m := float64(nTgt)
		var mean, variance float64
		if c.multapses {
			mean = nSrc * k / m
			variance = nSrc * k * (1 / m) * (1 - 1/m)
		} else {
			q := k / m
			mean = nSrc * q
			variance = nSrc * q * (1 - q)
		}
		checkSpread(t, name+" in-degrees", degrees(tgt, nTgt), mean, variance)
	}

	// Same population: switches honoured.
	const n = 300
	for _, c := range []struct {
		autapses, multapses bool
	}{{false, true}, {false, false}, {true, false}} {
		v := values(map[string]float64{"k": 30, "autapses": b2f(c.autapses), "multapses": b2f(c.multapses)})
		src, tgt := generate(t, FixedOutdegree, v, n, n, true)
		for i, d := range degrees(src, n) {
			if d != 30 {
				t.Fatalf("%s: source %d has %d outputs", flags(c.autapses, c.multapses), i, d)
			}
		}
		if !c.autapses {
			checkAutapses(t, src, tgt)
		}
		checkGroupedSorted(t, src, tgt, !c.multapses)
	}

	// With multapses, few targets and many draws: duplicates must occur.
	src, tgt := generate(t, FixedOutdegree, values(map[string]float64{"k": 20}), 5, 4, false)
	dup := false
	for i := 1; i < len(src); i++ {
		dup = dup || (src[i] == src[i-1] && tgt[i] == tgt[i-1])
	}
	if !dup {
		t.Error("fixed_outdegree k = 20 onto 4 targets with multapses made no multapse")
	}
}

func TestFixedProbability(t *testing.T) {
	const n, p = 1000, 0.1
	v := values(map[string]float64{"p": p})
	src, tgt := generate(t, FixedProbability, v, n, n, true)

	// Total: Binomial(n·n, p); allow 4 standard deviations.
	mean, sd := float64(n*n)*p, math.Sqrt(float64(n*n)*p*(1-p))
	if got := float64(len(src)); math.Abs(got-mean) > 4*sd {
		t.Errorf("%d synapses, expected %.0f ± %.0f (4 sd)", len(src), mean, 4*sd)
	}
	if got := Count(FixedProbability, v, n, n, true); got != mean {
		t.Errorf("Count = %g, want %g", got, mean)
	}
	checkGroupedSorted(t, tgt, src, true)

	// In-degree of each target: Binomial(n, p), mean np = 100, variance
	// np(1-p) = 90. The sample mean of 1000 targets has standard error
	// sqrt(90/1000) ≈ 0.3, the sample variance about 90·sqrt(2/999) ≈ 4;
	// allow 5 of each.
	in := degrees(tgt, n)
	m, s2 := meanVar(in)
	bm, bv := n*p, n*p*(1-p)
	if math.Abs(m-bm) > 5*math.Sqrt(bv/n) {
		t.Errorf("in-degree mean %.2f, want %.2f ± %.2f", m, bm, 5*math.Sqrt(bv/n))
	}
	if math.Abs(s2-bv) > 5*bv*math.Sqrt(2.0/(n-1)) {
		t.Errorf("in-degree variance %.2f, want %.2f ± %.2f", s2, bv, 5*bv*math.Sqrt(2.0/(n-1)))
	}
	t.Logf("in-degree mean %.2f variance %.2f (Binomial: %.0f, %.0f)", m, s2, bm, bv)
	checkSpread(t, "fixed_probability in-degrees", in, bm, bv)
	checkSpread(t, "fixed_probability out-degrees", degrees(src, n), bm, bv)

	// Without autapses.
	off := values(map[string]float64{"p": p, "autapses": 0})
	src, tgt = generate(t, FixedProbability, off, n, n, true)
	checkAutapses(t, src, tgt)
	checkGroupedSorted(t, tgt, src, true)
	mean, sd = float64(n*(n-1))*p, math.Sqrt(float64(n*(n-1))*p*(1-p))
	if got := float64(len(src)); math.Abs(got-mean) > 4*sd {
		t.Errorf("without autapses: %d synapses, expected %.0f ± %.0f", len(src), mean, 4*sd)
	}
	if got := Count(FixedProbability, off, n, n, true); got != mean {
		t.Errorf("Count without autapses = %g, want %g", got, mean)
	}
}

// TestFixedProbabilityRange checks the total number of synapses for sparse,
// medium and dense connectivity, and the extreme probabilities 0 and 1.
func TestFixedProbabilityRange(t *testing.T) {
	for _, c := range []struct {
		nSrc, nTgt int
		p          float64
	}{{20000, 5000, 0.001}, {300, 200, 0.5}, {300, 200, 0.97}, {1, 100000, 0.3}} {
		src, tgt := generate(t, FixedProbability, values(map[string]float64{"p": c.p}), c.nSrc, c.nTgt, false)
		pairs := float64(c.nSrc) * float64(c.nTgt)
		mean, sd := pairs*c.p, math.Sqrt(pairs*c.p*(1-c.p))
		if math.Abs(float64(len(src))-mean) > 4*sd {
			t.Errorf("%d x %d, p = %g: %d synapses, expected %.0f ± %.0f", c.nSrc, c.nTgt, c.p, len(src), mean, 4*sd)
		}
		checkGroupedSorted(t, tgt, src, true)
	}

	src, _ := generate(t, FixedProbability, values(map[string]float64{"p": 0}), 500, 500, true)
	if len(src) != 0 {
		t.Errorf("p = 0: %d synapses, want none", len(src))
	}
	for _, autapses := range []float64{1, 0} {
		v := values(map[string]float64{"p": 1, "autapses": autapses})
		src, tgt := generate(t, FixedProbability, v, 40, 40, true)
		all, allTgt := generate(t, AllToAll, values(map[string]float64{"autapses": autapses}), 40, 40, true)
		if !slices.Equal(src, all) || !slices.Equal(tgt, allTgt) {
			t.Errorf("p = 1, autapses %g: %d synapses, not every pair (%d)", autapses, len(src), len(all))
		}
	}
}

func TestDeterminism(t *testing.T) {
	cases := []struct {
		rule string
		v    param.Values
	}{
		{FixedProbability, values(map[string]float64{"p": 0.05})},
		{FixedIndegree, values(map[string]float64{"k": 20})},
		{FixedIndegree, values(map[string]float64{"k": 20, "multapses": 0, "autapses": 0})},
		{FixedOutdegree, values(map[string]float64{"k": 20})},
		{FixedOutdegree, values(map[string]float64{"k": 20, "multapses": 0})},
	}
	for _, c := range cases {
		run := func(nSrc, nTgt int, seed, key uint64) ([]int32, []int32) {
			src, tgt, err := Generate(c.rule, c.v, nSrc, nTgt, true, seed, key)
			if err != nil {
				t.Fatalf("%s: %v", c.rule, err)
			}
			return src, tgt
		}
		s1, t1 := run(400, 400, 1, 2)
		s2, t2 := run(400, 400, 1, 2)
		if !slices.Equal(s1, s2) || !slices.Equal(t1, t2) {
			t.Errorf("%s: same seed and key gave different synapses", c.rule)
		}
		s3, t3 := run(400, 400, 99, 2)
		if slices.Equal(s1, s3) && slices.Equal(t1, t3) {
			t.Errorf("%s: a different seed gave the same synapses", c.rule)
		}
		s4, t4 := run(400, 400, 1, 3)
		if slices.Equal(s1, s4) && slices.Equal(t1, t4) {
			t.Errorf("%s: a different key gave the same synapses", c.rule)
		}
		if c.rule != FixedProbability {
			if got := Count(c.rule, c.v, 400, 400, true); got != float64(len(s1)) {
				t.Errorf("%s: Count %g, Generate made %d", c.rule, got, len(s1))
			}
		}
	}
}

// TestPerNeuronStreams checks that a neuron's synapses depend only on its
// own stream: drawing the inputs of 300 targets gives the same synapses
// onto targets 0..199 as drawing those of 200 targets (and likewise per
// source for fixed_outdegree), so the work can be split freely.
func TestPerNeuronStreams(t *testing.T) {
	const n = 500
	for _, rule := range []string{FixedProbability, FixedIndegree} {
		v := values(map[string]float64{"p": 0.1, "k": 25, "multapses": 0})
		sBig, tBig := generate(t, rule, v, n, 300, false)
		sSmall, tSmall := generate(t, rule, v, n, 200, false)
		cut := slices.Index(tBig, 200)
		if !slices.Equal(sBig[:cut], sSmall) || !slices.Equal(tBig[:cut], tSmall) {
			t.Errorf("%s: the inputs of targets 0..199 depend on the number of targets", rule)
		}
	}
	v := values(map[string]float64{"k": 25, "multapses": 0})
	sBig, tBig := generate(t, FixedOutdegree, v, 300, n, false)
	sSmall, tSmall := generate(t, FixedOutdegree, v, 200, n, false)
	cut := slices.Index(sBig, 200)
	if !slices.Equal(sBig[:cut], sSmall) || !slices.Equal(tBig[:cut], tSmall) {
		t.Error("fixed_outdegree: the outputs of sources 0..199 depend on the number of sources")
	}
}

func TestErrors(t *testing.T) {
	for _, c := range []struct {
		rule       string
		v          param.Values
		nSrc, nTgt int
		same       bool
		want       string // the error, or its start when ending in "..."
	}{
		{OneToOne, nil, 100, 80, false, "one_to_one needs equal sizes, got 100 sources and 80 targets"},
		{FixedIndegree, values(map[string]float64{"k": 200, "multapses": 0}), 100, 50, false,
			"fixed_indegree k = 200 exceeds the 100 possible sources without multapses"},
		{FixedIndegree, values(map[string]float64{"k": 100, "multapses": 0, "autapses": 0}), 100, 100, true,
			"fixed_indegree k = 100 exceeds the 99 possible sources without multapses"},
		{FixedOutdegree, values(map[string]float64{"k": 81, "multapses": 0}), 100, 80, false,
			"fixed_outdegree k = 81 exceeds the 80 possible targets without multapses"},
		{FixedIndegree, values(map[string]float64{"k": 1}), 0, 5, false,
			"fixed_indegree k = 1 needs at least one possible source, got none"},
		{FixedIndegree, values(map[string]float64{"k": 1, "autapses": 0}), 1, 1, true,
			"fixed_indegree k = 1 needs at least one possible source, got none"},
		{FixedIndegree, nil, 10, 10, false, "fixed_indegree needs parameter k"},
		{FixedIndegree, values(map[string]float64{"k": 2.5}), 10, 10, false, "fixed_indegree k must be a whole number..."},
		{FixedProbability, nil, 10, 10, false, "fixed_probability needs parameter p"},
		{FixedProbability, values(map[string]float64{"p": 1.5}), 10, 10, false, "fixed_probability p must be a probability..."},
		{FixedProbability, values(map[string]float64{"p": math.NaN()}), 10, 10, false, "fixed_probability p must be a probability..."},
		{AllToAll, nil, -1, 10, false, "all_to_all: population sizes must not be negative..."},
		{AllToAll, nil, math.MaxInt32 + 1, 10, false, "all_to_all: populations of more than 2147483647 neurons..."},
		{AllToAll, nil, 10, 12, true, "all_to_all: source and target are the same population..."},
		{"fixed_indgree", nil, 10, 10, false, `unknown connectivity rule "fixed_indgree" (did you mean "fixed_indegree"?); known rules: all_to_all, one_to_one, fixed_probability, fixed_indegree, fixed_outdegree, fixed_total_number`},
	} {
		src, tgt, err := Generate(c.rule, c.v, c.nSrc, c.nTgt, c.same, 1, 1)
		prefix, cut := strings.CutSuffix(c.want, "...")
		switch {
		case err == nil:
			t.Errorf("%s %v: no error, want %q", c.rule, c.v, c.want)
		case cut && !strings.HasPrefix(err.Error(), prefix), !cut && err.Error() != c.want:
			t.Errorf("%s %v: error %q, want %q", c.rule, c.v, err, c.want)
		}
		if src != nil || tgt != nil {
			t.Errorf("%s %v: synapses returned with an error", c.rule, c.v)
		}
	}
	if got := Count("nope", nil, 10, 10, false); got != 0 {
		t.Errorf("Count of an unknown rule = %g, want 0", got)
	}
}

func BenchmarkFixedProbabilitySparse(b *testing.B) {
	v := values(map[string]float64{"p": 0.01})
	for b.Loop() {
		if _, _, err := Generate(FixedProbability, v, 10000, 10000, true, 1, 1); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFixedIndegreeNoMultapses(b *testing.B) {
	v := values(map[string]float64{"k": 1000, "multapses": 0})
	for b.Loop() {
		if _, _, err := Generate(FixedIndegree, v, 10000, 1000, false, 1, 1); err != nil {
			b.Fatal(err)
		}
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func flags(autapses, multapses bool) string {
	s := "autapses=" + map[bool]string{true: "on", false: "off"}[autapses]
	return s + " multapses=" + map[bool]string{true: "on", false: "off"}[multapses]
}

// fixed_total_number makes exactly N synapses, grouped by target with
// sources ascending, never i→i without autapses, the same for the same
// seed. Its in-degrees are multinomial: over 400 targets and N = 40 000
// their mean is N/400 = 100 and their variance N·(1/400)·(399/400) ≈ 99.75
// (within 15 %, the spread of a variance estimate from 400 values being
// ≈ 7 %); the sources are uniform (each of 300 sources gets 40 000/300
// ≈ 133 synapses; χ² over the 300 counts below the 99.9 % quantile).
func TestFixedTotalNumber(t *testing.T) {
	v := param.Values{"N": {Num: 40000}, "autapses": {Num: 0}}
	src, tgt, err := Generate(FixedTotalNumber, v, 300, 400, false, 5, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(src) != 40000 || Count(FixedTotalNumber, v, 300, 400, false) != 40000 {
		t.Fatalf("%d synapses, Count %g; want 40000", len(src), Count(FixedTotalNumber, v, 300, 400, false))
	}
	deg := make([]float64, 400)
	per := make([]float64, 300)
	for k := range src {
		if k > 0 && (tgt[k] < tgt[k-1] || (tgt[k] == tgt[k-1] && src[k] < src[k-1])) {
			t.Fatalf("synapse %d out of order: %d→%d after %d→%d", k, src[k], tgt[k], src[k-1], tgt[k-1])
		}
		deg[tgt[k]]++
		per[src[k]]++
	}
	mean, variance := 0.0, 0.0
	for _, d := range deg {
		mean += d / 400
	}
	for _, d := range deg {
		variance += (d - mean) * (d - mean) / 399
	}
	if want := 40000.0 / 400 * 399 / 400; math.Abs(variance/want-1) > 0.15 || math.Abs(mean-100) > 1e-9 {
		t.Errorf("in-degrees: mean %g, variance %.1f; want 100 and %.2f", mean, variance, want)
	}
	chi2, e := 0.0, 40000.0/300
	for _, c := range per {
		chi2 += (c - e) * (c - e) / e
	}
	if limit := 299 + 4.4*math.Sqrt(2*299); chi2 > limit {
		t.Errorf("sources: χ² = %.1f over 300 counts, limit %.1f", chi2, limit)
	}
	// Same population, no autapses; the same arguments give the same synapses.
	s1, t1, err := Generate(FixedTotalNumber, v, 50, 50, true, 9, 1)
	if err != nil {
		t.Fatal(err)
	}
	for k := range s1 {
		if s1[k] == t1[k] {
			t.Fatalf("autapse %d→%d with autapses false", s1[k], t1[k])
		}
	}
	s2, t2, _ := Generate(FixedTotalNumber, v, 50, 50, true, 9, 1)
	if !slices.Equal(s1, s2) || !slices.Equal(t1, t2) {
		t.Error("the same arguments gave different synapses")
	}
	if _, _, err := Generate(FixedTotalNumber, param.Values{"N": {Num: 3}, "autapses": {Num: 0}}, 1, 1, true, 1, 1); err == nil {
		t.Error("N = 3 with no possible synapse accepted")
	}
}
