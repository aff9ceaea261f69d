package param_test

import (
	"math"
	"strings"
	"testing"

	"github.com/hebb-snn/hebb/param"
	"github.com/hebb-snn/hebb/rng"
)

func TestParseChoice(t *testing.T) {
	d := param.Def{Name: "integrator", Kind: param.Choice, Choices: []string{"exact", "euler"}}
	for _, s := range []string{"exact", " euler "} {
		v, err := d.Parse(s)
		if err != nil || v.Word != strings.TrimSpace(s) {
			t.Errorf("Parse(%q) = %+v, %v", s, v, err)
		}
	}
	for _, s := range []string{"rk4", "Euler", ""} {
		_, err := d.Parse(s)
		if err == nil || !strings.Contains(err.Error(), "exact, euler") || !strings.Contains(err.Error(), "\""+s+"\"") {
			t.Errorf("Parse(%q): error %v, want one listing the choices and quoting the word", s, err)
		}
	}
}

func TestParseFlag(t *testing.T) {
	d := param.Def{Name: "autapses", Kind: param.Flag}
	for s, want := range map[string]float64{"true": 1, "True": 1, "TRUE": 1, "yes": 1, "on": 1, "false": 0, "False": 0, "no": 0, "off": 0} {
		v, err := d.Parse(s)
		if err != nil || v.Num != want {
			t.Errorf("Parse(%q) = %v, %v; want %g", s, v.Num, err, want)
		}
	}
	for _, s := range []string{"1", "maybe", ""} {
		if _, err := d.Parse(s); err == nil || !strings.Contains(err.Error(), "true or false") {
			t.Errorf("Parse(%q): error %v, want 'expected true or false'", s, err)
		}
	}
	if v := (param.Values{"a": {Num: 1}, "b": {Num: 0}}); !v.Flag("a") || v.Flag("b") || v.Flag("c") {
		t.Error("Values.Flag misreads 1/0/absent")
	}
}

func TestParseNumberRanges(t *testing.T) {
	cases := []struct {
		def  param.Def
		in   string
		want float64
		err  string // "" if valid
	}{
		{param.Def{Unit: "ms", Range: param.Positive}, "20 ms", 20, ""},
		{param.Def{Unit: "ms", Range: param.Positive}, "0.02 s", 20, ""},
		{param.Def{Unit: "ms", Range: param.Positive}, "0 ms", 0, "must be positive, got 0 ms"},
		{param.Def{Unit: "ms", Range: param.Positive}, "-1 ms", 0, "must be positive"},
		{param.Def{Unit: "ms", Range: param.Positive}, "20", 0, "no unit"},
		{param.Def{Unit: "ms", Range: param.Positive}, "20 mV", 0, "expected a time"},
		{param.Def{Unit: "mV", Range: param.NonNegative}, "0 mV", 0, ""},
		{param.Def{Unit: "mV", Range: param.NonNegative}, "-3 mV", 0, "must not be negative, got -3 mV"},
		{param.Def{Unit: "pA"}, "1.8 nA", 1800, ""},
		{param.Def{Unit: "pA"}, "-1.8 nA", -1800, ""},
		{param.Def{Unit: "Gohm"}, "10 Mohm", 0.01, ""},
		{param.Def{Range: param.Probability}, "0", 0, ""},
		{param.Def{Range: param.Probability}, "1", 1, ""},
		{param.Def{Range: param.Probability}, "0.25", 0.25, ""},
		{param.Def{Range: param.Probability}, "1.5", 0, "probability in [0, 1], got 1.5"},
		{param.Def{Range: param.Probability}, "-0.1", 0, "probability"},
		{param.Def{Range: param.Count}, "12", 12, ""},
		{param.Def{Range: param.Count}, "0", 0, ""},
		{param.Def{Range: param.Count}, "2.5", 0, "whole number"},
		{param.Def{Range: param.Count}, "-1", 0, "whole number"},
		{param.Def{Range: param.Count}, "3e9", 0, "at most 2147483647"},
	}
	for _, tc := range cases {
		v, err := tc.def.Parse(tc.in)
		if tc.err == "" {
			if err != nil || math.Abs(v.Num-tc.want) > 1e-12*math.Abs(tc.want) {
				t.Errorf("Parse(%q) in %q = %v, %v; want %g", tc.in, tc.def.Unit, v.Num, err, tc.want)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("Parse(%q) in %q range %d: error %v, want one containing %q", tc.in, tc.def.Unit, tc.def.Range, err, tc.err)
		}
	}
	// Lists are parsed element by element.
	d := param.Def{Kind: param.List, Unit: "ms", Range: param.NonNegative}
	if _, err := d.Parse("[1 ms]"); err == nil {
		t.Error("Parse of a List kind succeeded; lists go through ParseElement")
	}
	if x, err := d.ParseElement("1.5 ms"); err != nil || x != 1.5 {
		t.Errorf("ParseElement(1.5 ms) = %g, %v", x, err)
	}
	if _, err := d.ParseElement("-1 ms"); err == nil {
		t.Error("ParseElement(-1 ms) accepted a negative element of a NonNegative list")
	}
	// Text.
	tx := param.Def{Kind: param.Text}
	if v, err := tx.Parse(" data.csv "); err != nil || v.Word != "data.csv" {
		t.Errorf("Text Parse = %+v, %v", v, err)
	}
	if _, err := tx.Parse("  "); err == nil {
		t.Error("Text Parse accepted an empty value")
	}
}

func TestParseRandom(t *testing.T) {
	d := param.Def{Kind: param.Random, Unit: "mV", Range: param.Any}
	v, err := d.Parse("normal(-65 mV, 2 mV)")
	if err != nil || v.Dist != (param.Dist{Kind: param.NormalDist, A: -65, B: 2}) || v.Num != -65 {
		t.Errorf("Parse(normal) = %+v, %v", v, err)
	}
	pos := param.Def{Kind: param.Random, Unit: "ms", Range: param.Positive}
	if _, err := pos.Parse("-1 ms"); err == nil || !strings.Contains(err.Error(), "positive") {
		t.Errorf("constant -1 ms for a positive Random parameter: error %v", err)
	}
	if v, err := pos.Parse("1.5 ms"); err != nil || v.Dist != param.Const(1.5) {
		t.Errorf("constant 1.5 ms: %+v, %v", v, err)
	}
}

func TestParseDist(t *testing.T) {
	ok := []struct {
		in, unit string
		want     param.Dist
	}{
		{"-65 mV", "mV", param.Const(-65)},
		{"-0.065 V", "mV", param.Const(-65)},
		{"0.5", "", param.Const(0.5)},
		{"uniform(-70 mV, -54 mV)", "mV", param.Dist{Kind: param.UniformDist, A: -70, B: -54}},
		{" uniform( -70 mV , -0.054 V ) ", "mV", param.Dist{Kind: param.UniformDist, A: -70, B: -54}},
		{"normal(1.5 ms, 0.5 ms)", "ms", param.Dist{Kind: param.NormalDist, A: 1.5, B: 0.5}},
		{"normal(1.5 ms, 0 ms)", "ms", param.Dist{Kind: param.NormalDist, A: 1.5, B: 0}},
		{"lognormal(0.1 nA, 0.5)", "pA", param.Dist{Kind: param.LogNormalDist, A: 100, B: 0.5}},
	}
	for _, tc := range ok {
		d, err := param.ParseDist(tc.in, tc.unit)
		if err != nil || d.Kind != tc.want.Kind || math.Abs(d.A-tc.want.A) > 1e-12 || math.Abs(d.B-tc.want.B) > 1e-12 {
			t.Errorf("ParseDist(%q, %q) = %+v, %v; want %+v", tc.in, tc.unit, d, err, tc.want)
		}
	}
	bad := []struct{ in, unit, err string }{
		{"uniform(2 mV, 2 mV)", "mV", "low < high"},
		{"uniform(3 mV, 2 mV)", "mV", "low < high"},
		{"normal(1 mV, -1 mV)", "mV", "sd >= 0"},
		{"lognormal(-1 mV, 0.5)", "mV", "median > 0"},
		{"lognormal(1 mV, -0.5)", "mV", "sigma >= 0"},
		{"lognormal(1 mV, 0.5 mV)", "mV", "second argument"},
		{"gamma(1 mV, 2 mV)", "mV", "unknown distribution \"gamma\""},
		{"normal(1 mV, 2 ms)", "mV", "second argument"},
		{"normal(1 ms, 2 mV)", "mV", "first argument"},
		{"uniform(1 mV)", "mV", "two arguments, got 1"},
		{"uniform(1 mV, 2 mV, 3 mV)", "mV", "two arguments, got 3"},
		{"normal(1 mV, 2 mV", "mV", "missing ')'"},
		{"20 ms", "mV", "voltage"},
	}
	for _, tc := range bad {
		_, err := param.ParseDist(tc.in, tc.unit)
		if err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("ParseDist(%q, %q): error %v, want one containing %q", tc.in, tc.unit, err, tc.err)
		}
	}
	if err := func() error { _, err := param.ParseDist("gamma(1 mV, 2 mV)", "mV"); return err }(); err != nil {
		for _, k := range []string{"uniform", "normal", "lognormal"} {
			if !strings.Contains(err.Error(), k) {
				t.Errorf("unknown distribution error %q does not list %s", err, k)
			}
		}
	}
}

// Sample moments over 200000 draws of a fixed stream, each within 5
// standard errors.
func TestDistSample(t *testing.T) {
	const N = 200000
	moments := func(d param.Dist, f func(float64) float64) (mean, variance float64) {
		s := rng.New(2024, 77)
		var sum, sum2 float64
		for range N {
			x := f(d.Sample(&s))
			sum += x
			sum2 += x * x
		}
		mean = sum / N
		return mean, (sum2 - N*mean*mean) / (N - 1)
	}
	id := func(x float64) float64 { return x }
	check := func(what string, got, want, se float64) {
		t.Helper()
		if math.Abs(got-want) > 5*se {
			t.Errorf("%s = %.6g, want %.6g ± %.3g (5 se)", what, got, want, 5*se)
		}
	}
	// uniform(−70, −54): mean −62, variance 16²/12.
	u := param.Dist{Kind: param.UniformDist, A: -70, B: -54}
	m, v := moments(u, id)
	w := u.B - u.A
	check("uniform mean", m, -62, w/math.Sqrt(12*N))
	check("uniform variance", v, w*w/12, w*w*math.Sqrt((1.0/80-1.0/144)/N))
	s := rng.New(1, 2)
	for range 10000 {
		if x := u.Sample(&s); x < u.A || x >= u.B {
			t.Fatalf("uniform sample %g outside [%g, %g)", x, u.A, u.B)
		}
	}
	// normal(1.5, 0.3).
	nd := param.Dist{Kind: param.NormalDist, A: 1.5, B: 0.3}
	m, v = moments(nd, id)
	check("normal mean", m, 1.5, 0.3/math.Sqrt(N))
	check("normal variance", v, 0.09, 0.09*math.Sqrt(2.0/(N-1)))
	// lognormal(median 100, sigma 0.5): ln x is normal(ln 100, 0.5).
	ln := param.Dist{Kind: param.LogNormalDist, A: 100, B: 0.5}
	m, v = moments(ln, math.Log)
	check("lognormal mean of ln", m, math.Log(100), 0.5/math.Sqrt(N))
	check("lognormal variance of ln", v, 0.25, 0.25*math.Sqrt(2.0/(N-1)))
	m, _ = moments(ln, id)
	sd := 100 * math.Sqrt((math.Exp(0.25)-1)*math.Exp(0.25))
	check("lognormal mean", m, 100*math.Exp(0.125), sd/math.Sqrt(N))
	// A constant is its value.
	if x := param.Const(-65).Sample(&s); x != -65 {
		t.Errorf("Const(-65).Sample = %g", x)
	}
}

func TestDistBounds(t *testing.T) {
	inf := math.Inf(1)
	for _, tc := range []struct {
		d      param.Dist
		lo, hi float64
	}{
		{param.Const(3), 3, 3},
		{param.Dist{Kind: param.UniformDist, A: -1, B: 2}, -1, 2},
		{param.Dist{Kind: param.NormalDist, A: 5, B: 1}, -inf, inf},
		{param.Dist{Kind: param.NormalDist, A: 5, B: 0}, 5, 5},
		{param.Dist{Kind: param.LogNormalDist, A: 5, B: 1}, 0, inf},
	} {
		if lo, hi := tc.d.Bounds(); lo != tc.lo || hi != tc.hi {
			t.Errorf("%+v.Bounds() = [%g, %g], want [%g, %g]", tc.d, lo, hi, tc.lo, tc.hi)
		}
	}
}

// Dist.String writes what ParseDist reads back.
func TestDistStringRoundTrip(t *testing.T) {
	for _, d := range []param.Dist{
		param.Const(-65.5),
		{Kind: param.UniformDist, A: -70, B: -54},
		{Kind: param.NormalDist, A: 1.5, B: 0.25},
		{Kind: param.LogNormalDist, A: 100, B: 0.5},
	} {
		s := d.String("mV")
		back, err := param.ParseDist(s, "mV")
		if err != nil || back != d {
			t.Errorf("%+v → %q → %+v, %v", d, s, back, err)
		}
	}
}

func TestSuggest(t *testing.T) {
	names := []string{"tau_m", "tau_syn_ex", "tau_syn_in", "V_th", "V_reset", "C_m"}
	for in, want := range map[string]string{
		"tau_mm":      "tau_m",
		"tau_m":       "tau_m",
		"Tau_M":       "tau_m",
		"v_th":        "V_th",
		"tau_syn_e":   "tau_syn_ex",
		"V_rest":      "V_reset", // one insertion
		"threshold":   "",
		"membrane":    "",
		"x":           "",
		"tau_syn_zz":  "tau_syn_ex", // distance 2 from both: the first in sorted order
		"tau_syn_zzz": "",
	} {
		if got := param.Suggest(in, names); got != want {
			t.Errorf("Suggest(%q) = %q, want %q", in, got, want)
		}
	}
	if got := param.Suggest("tau", nil); got != "" {
		t.Errorf("Suggest with no names = %q", got)
	}
}

func TestDefaultText(t *testing.T) {
	for _, tc := range []struct {
		d    param.Def
		want string
	}{
		{param.Def{Unit: "ms", Default: 20}, "20 ms"},
		{param.Def{Unit: "mV", Default: -70}, "-70 mV"},
		{param.Def{Unit: "", Default: 0.5}, "0.5"},
		{param.Def{Kind: param.Choice, Choices: []string{"exact", "euler"}}, "exact"},
		{param.Def{Kind: param.Flag, Default: 1}, "true"},
		{param.Def{Kind: param.Flag}, "false"},
		{param.Def{Kind: param.List, Unit: "ms"}, "[]"},
		{param.Def{Kind: param.Text}, ""},
		{param.Def{Unit: "ms", Default: 20, Required: true}, ""},
		{param.Def{Unit: "ms", Default: 20, Optional: true}, ""},
		{param.Def{Kind: param.Random, Unit: "mV", Default: -70}, "-70 mV"},
	} {
		if got := tc.d.DefaultText(); got != tc.want {
			t.Errorf("DefaultText(%+v) = %q, want %q", tc.d, got, tc.want)
		}
	}
	// A default written out parses back to itself.
	for _, d := range []param.Def{{Unit: "Gohm", Default: 0.01}, {Unit: "pF", Default: 250}, {Unit: "Hz", Default: 12.5}, {Kind: param.Flag, Default: 1}} {
		v, err := d.Parse(d.DefaultText())
		if err != nil || v.Num != d.Default {
			t.Errorf("Parse(DefaultText()) = %v, %v; want %g", v.Num, err, d.Default)
		}
	}
}

func TestDefaultsAndSchema(t *testing.T) {
	s := param.Schema{Name: "m", Params: []param.Def{
		{Name: "tau", Unit: "ms", Default: 10},
		{Name: "rate", Unit: "Hz", Required: true},
		{Name: "stop", Unit: "ms", Optional: true},
		{Name: "mode", Kind: param.Choice, Choices: []string{"a", "b"}},
		{Name: "V", Kind: param.Random, Unit: "mV", Default: -70},
		{Name: "on", Kind: param.Flag, Default: 1},
	}}
	v := s.Defaults()
	if len(v) != 4 || v.Num("tau") != 10 || v.Has("rate") || v.Has("stop") || v.Word("mode") != "a" || v["V"].Dist != param.Const(-70) || !v.Flag("on") {
		t.Errorf("Defaults() = %+v", v)
	}
	if d, ok := s.Def("rate"); !ok || d.Unit != "Hz" {
		t.Errorf("Def(rate) = %+v, %v", d, ok)
	}
	if _, ok := s.Def("nope"); ok {
		t.Error("Def found an unknown name")
	}
	if got := strings.Join(s.Names(), ","); got != "tau,rate,stop,mode,V,on" {
		t.Errorf("Names() = %s", got)
	}
}
