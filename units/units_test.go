package units

import (
	"math"
	"strings"
	"testing"
)

// approxEqual reports whether got equals want to a relative tolerance of 1e-12.
func approxEqual(got, want float64) bool {
	if got == want {
		return true
	}
	return math.Abs(got-want) <= 1e-12*math.Max(math.Abs(got), math.Abs(want))
}

// parseTests are valid quantities with their SI value and dimension. They
// also seed the fuzz target.
var parseTests = []struct {
	in    string
	value float64 // in SI base units
	dim   Dim
}{
	{"20 ms", 0.02, Time},
	{"20ms", 0.02, Time},
	{"  20 ms  ", 0.02, Time},
	{"20\tms", 0.02, Time},
	{"-70 mV", -0.07, Voltage},
	{"+5 mV", 0.005, Voltage},
	{"1.8 nA", 1.8e-9, Current},
	{"10 Mohm", 1e7, Resistance},
	{"10 MOhm", 1e7, Resistance},
	{"10 M\u03a9", 1e7, Resistance}, // Greek capital omega
	{"10 M\u2126", 1e7, Resistance}, // ohm sign
	{"10 mohm", 0.01, Resistance},
	{"0.5 nS", 5e-10, Conductance},
	{"250 pF", 2.5e-10, Capacitance},
	{"15 Hz", 15, Frequency},
	{"15 1/s", 15, Frequency},
	{"15 kHz", 15e3, Frequency},
	{"1 us", 1e-6, Time},
	{"1 \u00b5s", 1e-6, Time}, // micro sign
	{"1 \u03bcs", 1e-6, Time}, // Greek mu
	{"2 Ms", 2e6, Time},
	{"3 fs", 3e-15, Time},
	{"1 m", 1, Length},
	{"1 mm", 1e-3, Length},
	{"5 um", 5e-6, Length},
	{"1 cm^2", 1e-4, Area},
	{"2.5 mS/cm^2", 25, ConductancePerArea},
	{"2.5 mS/cm2", 25, ConductancePerArea},
	{"2.5 mS / cm^2", 25, ConductancePerArea},
	{"2.5 mS/cm/cm", 25, ConductancePerArea},
	{"2.5 mS*cm^-2", 25, ConductancePerArea},
	{"2.5 mS·cm^-2", 25, ConductancePerArea},
	{"10 uA/cm2", 0.1, CurrentPerArea},
	{"1 uF/cm^2", 0.01, CapacitancePerArea},
	{"1e-3 s", 1e-3, Time},
	{"1E-3 s", 1e-3, Time},
	{"1e3", 1000, Dimensionless},
	{"2e-3ms", 2e-6, Time},
	{".5 s", 0.5, Time},
	{"5. s", 5, Time},
	{"20", 20, Dimensionless},
	{"0.5", 0.5, Dimensionless},
	{"-0", 0, Dimensionless},
	{"3 1", 3, Dimensionless},
	{"1 Hz*s", 1, Dimensionless},
	{"1 mV/mV", 1, Dimensionless},
	{"1 nA*Mohm", 1e-3, Voltage},
	{"1 Mohm*nF", 1e-3, Time},
	{"1 Mohm·nF", 1e-3, Time},
	{"1 mV/ms", 1, Dim{Length: 2, Mass: 1, Time: -4, Current: -1}},
	{"1 1/ms", 1e3, Frequency},
	{"1 m^+2", 1, Area},
	{"1e-400 s", 0, Time}, // underflows to zero: allowed
	{"1e308 s", 1e308, Time},
}

func TestParse(t *testing.T) {
	for _, tt := range parseTests {
		q, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if !approxEqual(q.Value, tt.value) || q.Dim != tt.dim {
			t.Errorf("Parse(%q) = %v %v, want %v %v", tt.in, q.Value, q.Dim, tt.value, tt.dim)
		}
	}
}

// TestParseExact checks that the decimal point is moved exactly, with one
// rounding, so these compare equal without a tolerance.
func TestParseExact(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want float64
	}{
		{"20 ms", 0.02},
		{"-70 mV", -0.07},
		{"1.8 nA", 1.8e-9},
		{"2.5 mS/cm^2", 25},
		{"0.1 ms", 1e-4},
	} {
		q, err := Parse(tt.in)
		if err != nil || q.Value != tt.want {
			t.Errorf("Parse(%q) = %v, %v; want exactly %v", tt.in, q.Value, err, tt.want)
		}
	}
}

var inTests = []struct {
	in, unit string
	want     float64
}{
	{"20 ms", "ms", 20},
	{"20 ms", "s", 0.02},
	{"20 ms", "us", 20000},
	{"-70 mV", "mV", -70},
	{"-70 mV", "V", -0.07},
	{"1.8 nA", "pA", 1800},
	{"1.8 nA", "nA", 1.8},
	{"10 Mohm", "Gohm", 0.01},
	{"10 M\u03a9", "Gohm", 0.01},
	{"10 M\u2126", "G\u03a9", 0.01},
	{"10 Mohm", "ohm", 1e7},
	{"0.5 nS", "nS", 0.5},
	{"250 pF", "nF", 0.25},
	{"15 Hz", "1/ms", 0.015},
	{"15 Hz", "Hz", 15},
	{"15 1/s", "Hz", 15},
	{"1 µs", "us", 1},
	{"1 us", "μs", 1},
	{"1 μs", "ns", 1000},
	{"2.5 mS/cm^2", "S/m^2", 25},
	{"2.5 mS/cm2", "mS/cm^2", 2.5},
	{"2.5 mS/cm2", "S/m2", 25},
	{"10 uA/cm2", "A/m^2", 0.1},
	{"1e-3 s", "ms", 1},
	{"20", "", 20},
	{"20", "1", 20},
	{"20", " ", 20},
	{"1 nA*Mohm", "mV", 1},
	{"1 Mohm*nF", "ms", 1},
	{"1 nS*Mohm", "", 1e-3},
	{"1 mV/ms", "V/s", 1},
	{"3 cm", "mm", 30},
	{"1e300 s", "ks", 1e297},
}

func TestIn(t *testing.T) {
	for _, tt := range inTests {
		got, err := In(tt.in, tt.unit)
		if err != nil {
			t.Errorf("In(%q, %q): %v", tt.in, tt.unit, err)
			continue
		}
		if !approxEqual(got, tt.want) {
			t.Errorf("In(%q, %q) = %v, want %v", tt.in, tt.unit, got, tt.want)
		}
		// Quantity.In must agree.
		q, err := Parse(tt.in)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.in, err)
		}
		got2, err := q.In(tt.unit)
		if err != nil || !approxEqual(got2, tt.want) {
			t.Errorf("Parse(%q).In(%q) = %v, %v; want %v", tt.in, tt.unit, got2, err, tt.want)
		}
	}
}

// TestInExact checks conversions that are exact thanks to moving the
// decimal point instead of multiplying by inexact powers of ten.
func TestInExact(t *testing.T) {
	for _, tt := range []struct {
		in, unit string
		want     float64
	}{
		{"1.8 nA", "pA", 1800},
		{"1e-3 s", "ms", 1},
		{"15 Hz", "1/ms", 0.015},
		{"10 Mohm", "Gohm", 0.01},
	} {
		got, err := In(tt.in, tt.unit)
		if err != nil || got != tt.want {
			t.Errorf("In(%q, %q) = %v, %v; want exactly %v", tt.in, tt.unit, got, err, tt.want)
		}
		q, _ := Parse(tt.in)
		got, err = q.In(tt.unit)
		if err != nil || got != tt.want {
			t.Errorf("Parse(%q).In(%q) = %v, %v; want exactly %v", tt.in, tt.unit, got, err, tt.want)
		}
	}
}

// errorTests are invalid inputs with strings their error must contain.
var errorTests = []struct {
	in, unit string // unit "-" means call Parse instead of In
	want     []string
}{
	{"", "-", []string{"empty value"}},
	{"   ", "-", []string{"empty value"}},
	{"abc", "-", []string{`"abc" is not a number`}},
	{"ms", "-", []string{`"ms" is not a number`}},
	{"20 xs", "-", []string{`unknown unit "xs" in "20 xs"`, "known: s, Hz, V, A, ohm, S, F, m", "µ"}},
	{"20 min", "-", []string{`unknown unit "min"`}},
	{"20 kg", "-", []string{`unknown unit "kg"`}},
	{"20 hz", "-", []string{`unknown unit "hz"`}},
	{"20 v", "-", []string{`unknown unit "v"`}},
	{"2 mS/xm^2", "-", []string{`unknown unit "xm" in "2 mS/xm^2"`}},
	{"NaN", "-", []string{`"NaN" is not a finite number`}},
	{"nan ms", "-", []string{"not a finite number"}},
	{"Inf", "-", []string{"not a finite number"}},
	{"-Inf mV", "-", []string{"not a finite number"}},
	{"+Infinity", "-", []string{"not a finite number"}},
	{"1e400 s", "-", []string{`"1e400 s" is out of range`}},
	{"1e300 Ts", "-", []string{"out of range"}},
	{"--5 ms", "-", []string{`"--5 ms" is not a number`}},
	{"- 5 ms", "-", []string{"is not a number"}},
	{"0x1p-2", "-", []string{"is not a number"}},
	{"0x10 ms", "-", []string{"is not a number"}},
	{"1_000 ms", "-", []string{"is not a number"}},
	{"1,5 ms", "-", []string{"is not a number"}},
	{"1.2.3 ms", "-", []string{"is not a number"}},
	{"1e ms", "-", []string{"is not a number"}},
	{"1e+ ms", "-", []string{"is not a number"}},
	{"5 m S", "-", []string{"join units with * or /"}},
	{"5 ms/", "-", []string{`missing unit after "/"`}},
	{"5 ms*", "-", []string{`missing unit after "*"`}},
	{"5 /ms", "-", []string{"malformed unit"}},
	{"5 2/ms", "-", []string{"malformed unit"}},
	{"5 ms^", "-", []string{`missing exponent after "ms^"`}},
	{"5 ms^-", "-", []string{"missing exponent"}},
	{"5 m^200", "-", []string{"out of range"}},
	{"5 m^127*m", "-", []string{"too large an exponent"}},
	{"5 fm^100", "-", []string{"out of range"}},
	{"20 mV", "ms", []string{"expected a time", `like "20 ms"`, `got a voltage ("20 mV")`}},
	{"1.8 nA", "mV", []string{`expected a voltage like "-70 mV", got a current ("1.8 nA")`}},
	{"20 mV", "", []string{"expected a dimensionless number", `like "0.5"`, "got a voltage"}},
	{"20 mV", "1", []string{"expected a dimensionless number"}},
	{"1 cm^2", "s", []string{"got an area"}},
	{"1 mV/ms", "s", []string{"got a quantity of dimension m^2 kg s^-4 A^-1"}},
	{"20", "ms", []string{`"20" has no unit; expected a time like "20 ms"`}},
	{"20", "mV", []string{`"20" has no unit; expected a voltage like "-70 mV"`}},
	{"20 ms", "xs", []string{`unknown unit "xs" in "xs"`}},
	{"1e300 s", "fs", []string{"too large to express in fs"}},
	{"abc", "ms", []string{"is not a number"}},
	{"1e400 s", "s", []string{"out of range"}},
}

func TestErrors(t *testing.T) {
	for _, tt := range errorTests {
		var err error
		if tt.unit == "-" {
			_, err = Parse(tt.in)
		} else {
			_, err = In(tt.in, tt.unit)
		}
		if err == nil {
			t.Errorf("%q %q: no error", tt.in, tt.unit)
			continue
		}
		msg := err.Error()
		for _, w := range tt.want {
			if !strings.Contains(msg, w) {
				t.Errorf("%q %q: error %q does not contain %q", tt.in, tt.unit, msg, w)
			}
		}
		// Callers prefix errors with "file:line:col: field:", so they
		// start in lower case and have no trailing period.
		if msg[0] >= 'A' && msg[0] <= 'Z' || strings.HasSuffix(msg, ".") {
			t.Errorf("%q %q: badly formatted error %q", tt.in, tt.unit, msg)
		}
	}
}

func TestQuantityInErrors(t *testing.T) {
	q := Quantity{Value: 0.02, Dim: Voltage}
	_, err := q.In("ms")
	if err == nil || err.Error() != `expected a time like "20 ms", got a voltage ("0.02 V")` {
		t.Errorf("Quantity.In wrong dimension: %v", err)
	}
	_, err = Quantity{Value: 20}.In("ms")
	if err == nil || err.Error() != `"20" has no unit; expected a time like "20 ms"` {
		t.Errorf("Quantity.In dimensionless: %v", err)
	}
	if _, err := (Quantity{Value: math.NaN()}).In(""); err == nil {
		t.Errorf("Quantity.In(NaN): no error")
	}
	if _, err := (Quantity{Value: math.Inf(1), Dim: Time}).In("s"); err == nil {
		t.Errorf("Quantity.In(Inf): no error")
	}
	if _, err := (Quantity{Value: 1e300, Dim: Time}).In("fs"); err == nil {
		t.Errorf("Quantity.In overflow: no error")
	}
}

func TestParseUnit(t *testing.T) {
	for _, tt := range []struct {
		unit  string
		scale float64
		dim   Dim
	}{
		{"", 1, Dimensionless},
		{"1", 1, Dimensionless},
		{"s", 1, Time},
		{"ms", 1e-3, Time},
		{"Ms", 1e6, Time},
		{"m", 1, Length},
		{"mm", 1e-3, Length},
		{"cm", 1e-2, Length},
		{"cm2", 1e-4, Area},
		{"Mohm", 1e6, Resistance},
		{"mohm", 1e-3, Resistance},
		{"MS", 1e6, Conductance},
		{"mS", 1e-3, Conductance},
		{"mHz", 1e-3, Frequency},
		{"1/ms", 1e3, Frequency},
		{"1/s", 1, Frequency},
		{"mV/ms", 1, Dim{Length: 2, Mass: 1, Time: -4, Current: -1}},
		{"uA/cm2", 1e-2, CurrentPerArea},
		{"mS/cm^2", 10, ConductancePerArea},
		{"mS/cm/cm", 10, ConductancePerArea},
		{"uF/cm^2", 1e-2, CapacitancePerArea},
		{"ms/ms*ms", 1e-3, Time}, // left to right: (ms/ms)*ms
		{"m^-1", 1, Dim{Length: -1}},
		{"Hz*s", 1, Dimensionless},
		{" ms ", 1e-3, Time},
		{"TF", 1e12, Capacitance},
		{"GS", 1e9, Conductance},
		{"fA", 1e-15, Current},
		{"pV", 1e-12, Voltage},
	} {
		scale, d, err := ParseUnit(tt.unit)
		if err != nil {
			t.Errorf("ParseUnit(%q): %v", tt.unit, err)
			continue
		}
		if !approxEqual(scale, tt.scale) || d != tt.dim {
			t.Errorf("ParseUnit(%q) = %v %v, want %v %v", tt.unit, scale, d, tt.scale, tt.dim)
		}
	}
	for _, bad := range []string{"min", "kg", "xs", "2", "1^2", "/s", "s/", "m m", "ms^", "hz", "sec", "μ", "(ms)"} {
		if _, _, err := ParseUnit(bad); err == nil {
			t.Errorf("ParseUnit(%q): no error", bad)
		}
	}
}

// add returns the dimension of a product of quantities of dimensions a and b.
func add(a, b Dim) Dim {
	return Dim{a.Length + b.Length, a.Mass + b.Mass, a.Time + b.Time, a.Current + b.Current}
}

func TestDimensionalConsistency(t *testing.T) {
	inv := func(d Dim) Dim { return Dim{-d.Length, -d.Mass, -d.Time, -d.Current} }
	for _, tt := range []struct {
		name      string
		got, want Dim
	}{
		{"V = A ohm", add(Current, Resistance), Voltage},
		{"s = ohm F", add(Resistance, Capacitance), Time},
		{"S = 1/ohm", inv(Resistance), Conductance},
		{"Hz = 1/s", inv(Time), Frequency},
		{"m^2 = m m", add(Length, Length), Area},
		{"S/m^2", add(Conductance, inv(Area)), ConductancePerArea},
		{"A/m^2", add(Current, inv(Area)), CurrentPerArea},
		{"F/m^2", add(Capacitance, inv(Area)), CapacitancePerArea},
		{"A = S V", add(Conductance, Voltage), Current},
		{"A s = F V", add(Current, Time), add(Capacitance, Voltage)},
	} {
		if tt.got != tt.want {
			t.Errorf("%s: %v != %v", tt.name, tt.got, tt.want)
		}
	}
	// The same through parsing.
	for _, tt := range []struct{ in, unit string }{
		{"1 nA*Mohm", "mV"},
		{"1 Mohm*nF", "ms"},
		{"1 nS*mV", "pA"},
		{"1 pF*mV/ms", "pA"},
	} {
		if got, err := In(tt.in, tt.unit); err != nil || !approxEqual(got, 1) {
			t.Errorf("In(%q, %q) = %v, %v; want 1", tt.in, tt.unit, got, err)
		}
	}
}

func TestDimString(t *testing.T) {
	for _, tt := range []struct {
		d    Dim
		want string
	}{
		{Dimensionless, "dimensionless"},
		{Time, "time"},
		{Voltage, "voltage"},
		{Current, "current"},
		{Resistance, "resistance"},
		{Conductance, "conductance"},
		{Capacitance, "capacitance"},
		{Frequency, "frequency"},
		{Length, "length"},
		{Area, "area"},
		{ConductancePerArea, "conductance per area"},
		{CurrentPerArea, "current per area"},
		{CapacitancePerArea, "capacitance per area"},
		{Dim{Length: -2, Mass: 1, Time: -3, Current: -1}, "m^-2 kg s^-3 A^-1"},
		{Dim{Length: 1, Time: -1}, "m s^-1"},
		{Dim{Mass: 1}, "kg"},
	} {
		if got := tt.d.String(); got != tt.want {
			t.Errorf("%#v.String() = %q, want %q", tt.d, got, tt.want)
		}
	}
}

func TestFormat(t *testing.T) {
	for _, tt := range []struct {
		v    float64
		unit string
		want string
	}{
		{20, "ms", "20 ms"},
		{-70, "mV", "-70 mV"},
		{1.8, "nA", "1.8 nA"},
		{0.5, "", "0.5"},
		{0.5, "1", "0.5"},
		{2.5, "mS/cm^2", "2.5 mS/cm^2"},
		{1e-5, "s", "1e-05 s"},
		{1e21, "Hz", "1e+21 Hz"},
		{math.Nextafter(0.3, 1), "V", "0.30000000000000004 V"},
	} {
		if got := Format(tt.v, tt.unit); got != tt.want {
			t.Errorf("Format(%v, %q) = %q, want %q", tt.v, tt.unit, got, tt.want)
		}
	}
}

func TestExample(t *testing.T) {
	for _, tt := range []struct {
		d    Dim
		want string
	}{
		{Time, "20 ms"},
		{Voltage, "-70 mV"},
		{Current, "1.8 nA"},
		{Resistance, "10 Mohm"},
		{Conductance, "0.5 nS"},
		{Capacitance, "250 pF"},
		{Frequency, "15 Hz"},
		{Dimensionless, "0.5"},
		{Dim{Length: 1, Time: -1}, "1 m/s"},
		{Dim{Time: -2}, "1 1/s^2"},
		{Dim{Mass: 1}, "1 V*A*s^3/m^2"},
		{Dim{Length: 2, Mass: 1, Time: -4, Current: -1}, "1 V/s"},
	} {
		if got := Example(tt.d); got != tt.want {
			t.Errorf("Example(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
	// Every example must parse back to its own dimension, including
	// those built from a formula.
	dims := []Dim{Dimensionless, Time, Voltage, Current, Resistance, Conductance,
		Capacitance, Frequency, Length, Area, ConductancePerArea, CurrentPerArea,
		CapacitancePerArea, {Mass: 1}, {Length: -3, Mass: 2, Time: 1, Current: -5}}
	for _, d := range dims {
		q, err := Parse(Example(d))
		if err != nil || q.Dim != d {
			t.Errorf("Parse(Example(%v)) = %v, %v; want dimension %v", d, q, err, d)
		}
	}
}
