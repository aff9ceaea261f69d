// Package units reads and writes physical quantities such as the
// "tau_m: 20 ms" or "g_L: 0.3 mS/cm^2" found in hebb model files.
//
// A quantity is a number followed by an optional unit:
//
//	20 ms        -70 mV       1.8 nA      10 Mohm     10 MΩ
//	0.5 nS       250 pF       15 Hz       0.5         2.5 mS/cm^2
//
// Units are built from these symbols
//
//	s (second)   Hz (hertz)   V (volt)    A (ampere)
//	ohm, Ohm, Ω (ohm)         S (siemens) F (farad)   m (metre)
//
// each with an optional SI prefix
//
//	f (1e-15)  p (1e-12)  n (1e-9)  u, µ, μ (1e-6)  m (1e-3)  c (1e-2)
//	k (1e3)    M (1e6)    G (1e9)   T (1e12)
//
// and combined with * (or ·) for products, / for quotients and integer
// powers written "^2", "^-1" or as a bare trailing digit ("cm2").
// Everything is case-sensitive: "ms" is a millisecond, "Ms" a megasecond
// and "MS" a megasiemens. A unit on its own is first read as a symbol and
// only then as prefix+symbol, so "m" is a metre and "mm" a millimetre.
//
// Internally every quantity is stored in SI base units (metre, kilogram,
// second, ampere) together with its dimension, so that "20 ms" is 0.02 of
// dimension Time. Because every unit that can be written is a power of ten
// times an SI base unit, conversions are done by moving the decimal point,
// which is exact: "1.8 nA" is exactly 1800 in "pA".
package units

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Dim is a physical dimension as integer exponents of the SI base units
// metre (Length), kilogram (Mass), second (Time) and ampere (Current).
// For example a voltage (volt = kg m^2 s^-3 A^-1) is
// Dim{Length: 2, Mass: 1, Time: -3, Current: -1}.
type Dim struct{ Length, Mass, Time, Current int8 }

// The dimensions used in neuron and synapse models.
var (
	// Dimensionless is the dimension of plain numbers such as ratios.
	Dimensionless = Dim{}
	// Time is measured in seconds (s).
	Time = Dim{Time: 1}
	// Voltage is measured in volts (V = kg m^2 s^-3 A^-1).
	Voltage = Dim{Length: 2, Mass: 1, Time: -3, Current: -1}
	// Current is measured in amperes (A).
	Current = Dim{Current: 1}
	// Resistance is measured in ohms (ohm = V/A = kg m^2 s^-3 A^-2).
	Resistance = Dim{Length: 2, Mass: 1, Time: -3, Current: -2}
	// Conductance is measured in siemens (S = 1/ohm).
	Conductance = Dim{Length: -2, Mass: -1, Time: 3, Current: 2}
	// Capacitance is measured in farads (F = A s/V).
	Capacitance = Dim{Length: -2, Mass: -1, Time: 4, Current: 2}
	// Frequency is measured in hertz (Hz = 1/s).
	Frequency = Dim{Time: -1}
	// Length is measured in metres (m).
	Length = Dim{Length: 1}
	// Area is measured in square metres (m^2).
	Area = Dim{Length: 2}
	// ConductancePerArea is a conductance density such as "0.3 mS/cm^2".
	ConductancePerArea = Dim{Length: -4, Mass: -1, Time: 3, Current: 2}
	// CurrentPerArea is a current density such as "10 uA/cm^2".
	CurrentPerArea = Dim{Length: -2, Current: 1}
	// CapacitancePerArea is a specific membrane capacitance such as
	// "1 uF/cm^2".
	CapacitancePerArea = Dim{Length: -4, Mass: -1, Time: 4, Current: 2}
)

// dimInfo describes a dimension that has a name.
type dimInfo struct {
	name    string // e.g. "voltage"
	siUnit  string // the SI unit, e.g. "V"; values in this unit equal Quantity.Value
	example string // an example quantity for error messages
}

// named lists the dimensions that have a name.
var named = map[Dim]dimInfo{
	Dimensionless:      {"dimensionless", "", "0.5"},
	Time:               {"time", "s", "20 ms"},
	Voltage:            {"voltage", "V", "-70 mV"},
	Current:            {"current", "A", "1.8 nA"},
	Resistance:         {"resistance", "ohm", "10 Mohm"},
	Conductance:        {"conductance", "S", "0.5 nS"},
	Capacitance:        {"capacitance", "F", "250 pF"},
	Frequency:          {"frequency", "Hz", "15 Hz"},
	Length:             {"length", "m", "1 um"},
	Area:               {"area", "m^2", "1 um^2"},
	ConductancePerArea: {"conductance per area", "S/m^2", "1 mS/cm^2"},
	CurrentPerArea:     {"current per area", "A/m^2", "1 uA/cm^2"},
	CapacitancePerArea: {"capacitance per area", "F/m^2", "1 uF/cm^2"},
}

// String returns the name of the dimension ("time", "voltage",
// "conductance per area", ...) or, for dimensions without a name, a
// formula in SI base units such as "m^-2 kg s^-3 A^-1".
func (d Dim) String() string {
	if info, ok := named[d]; ok {
		return info.name
	}
	var parts []string
	for _, b := range []struct {
		symbol string
		exp    int8
	}{{"m", d.Length}, {"kg", d.Mass}, {"s", d.Time}, {"A", d.Current}} {
		switch b.exp {
		case 0:
		case 1:
			parts = append(parts, b.symbol)
		default:
			parts = append(parts, b.symbol+"^"+strconv.Itoa(int(b.exp)))
		}
	}
	return strings.Join(parts, " ")
}

// Quantity is a value in SI base units with its dimension. For example
// "20 ms" is Quantity{Value: 0.02, Dim: Time}.
type Quantity struct {
	Value float64 // in SI base units: s, V, A, ohm, S, F, Hz, m, ...
	Dim   Dim
}

// Parse reads a quantity such as "20 ms", "-70 mV", "2.5 mS/cm^2" or "0.5":
// a decimal number (optionally with an exponent, as in "1e-3"), optional
// spaces, and an optional unit. NaN, infinities, hexadecimal numbers and
// underscores are rejected, as are values too large for a float64.
func Parse(s string) (Quantity, error) {
	p, err := parse(s)
	if err != nil {
		return Quantity{}, err
	}
	v, err := p.in(0)
	if err != nil {
		return Quantity{}, err
	}
	return Quantity{Value: v, Dim: p.dim}, nil
}

// ParseUnit reads a unit such as "ms", "mS/cm^2" or "1/ms" and returns the
// value of one such unit in SI base units together with its dimension.
// For example ParseUnit("ms") returns 1e-3 and Time. The empty unit "" and
// the unit "1" are dimensionless with scale 1.
func ParseUnit(u string) (scale float64, d Dim, err error) {
	pow, d, err := parseUnit(strings.TrimSpace(u), u)
	if err != nil {
		return 0, Dim{}, err
	}
	return math.Pow10(pow), d, nil
}

// In parses the quantity s and returns its value expressed in unit; for
// example In("1.8 nA", "pA") returns 1800. It fails if s cannot be parsed
// or does not have the dimension of unit. Use the unit "" (or "1") for
// plain numbers.
func In(s, unit string) (float64, error) {
	p, err := parse(s)
	if err != nil {
		return 0, err
	}
	if _, err := p.in(0); err != nil { // s itself must be a valid quantity
		return 0, err
	}
	pow, d, err := parseUnit(strings.TrimSpace(unit), unit)
	if err != nil {
		return 0, err
	}
	if err := checkDim(d, p.dim, p.text); err != nil {
		return 0, err
	}
	v, err := p.in(pow)
	if err != nil {
		return 0, fmt.Errorf("%q is too large to express in %s", p.text, unit)
	}
	return v, nil
}

// In returns the value of q expressed in unit; for example a Quantity of
// 0.02 s is 20 in "ms". It fails if q does not have the dimension of unit.
func (q Quantity) In(unit string) (float64, error) {
	if math.IsNaN(q.Value) || math.IsInf(q.Value, 0) {
		return 0, fmt.Errorf("%v is not a finite number", q.Value)
	}
	pow, d, err := parseUnit(strings.TrimSpace(unit), unit)
	if err != nil {
		return 0, err
	}
	if err := checkDim(d, q.Dim, q.text()); err != nil {
		return 0, err
	}
	// Write the value in decimal and move the decimal point, so that
	// 1.8e-09 A is exactly 1800 pA.
	mant, exp, _ := strings.Cut(strconv.FormatFloat(q.Value, 'e', -1, 64), "e")
	e, _ := strconv.Atoi(exp) // FormatFloat always writes a small exponent
	v, err := strconv.ParseFloat(mant+"e"+strconv.Itoa(e-pow), 64)
	if err != nil {
		return 0, fmt.Errorf("%q is too large to express in %s", q.text(), unit)
	}
	return v, nil
}

// Format writes the number v followed by unit, as in "20 ms" or "-70 mV",
// using the shortest decimal form that reads back as exactly v. With the
// dimensionless unit "" (or "1") only the number is written. Format does
// not convert v: Format(20, "ms") is "20 ms".
func Format(v float64, unit string) string {
	num := strconv.FormatFloat(v, 'g', -1, 64)
	unit = strings.TrimSpace(unit)
	if unit == "" || unit == "1" {
		return num
	}
	return num + " " + unit
}

// Example returns an example quantity of dimension d for error messages:
// "20 ms" for Time, "-70 mV" for Voltage, "1.8 nA" for Current,
// "10 Mohm" for Resistance, "0.5 nS" for Conductance, "250 pF" for
// Capacitance, "15 Hz" for Frequency and "0.5" for Dimensionless. Other
// dimensions give "1 " followed by a unit, such as "1 mS/cm^2".
func Example(d Dim) string {
	if info, ok := named[d]; ok {
		return info.example
	}
	return "1 " + unitFormula(d)
}

// unitFormula writes a unit of dimension d that Parse understands, using
// only V, A, s and m. Volts carry the mass, so d = V^M A^(I+M) s^(T+3M)
// m^(L-2M) where (L, M, T, I) are the exponents of d.
func unitFormula(d Dim) string {
	m, l, t, i := int(d.Mass), int(d.Length), int(d.Time), int(d.Current)
	factors := []struct {
		symbol string
		exp    int
	}{{"V", m}, {"A", i + m}, {"s", t + 3*m}, {"m", l - 2*m}}
	power := func(symbol string, exp int) string {
		if exp == 1 {
			return symbol
		}
		return symbol + "^" + strconv.Itoa(exp)
	}
	var num, den []string
	for _, f := range factors {
		switch {
		case f.exp > 0:
			num = append(num, power(f.symbol, f.exp))
		case f.exp < 0:
			den = append(den, power(f.symbol, -f.exp))
		}
	}
	if len(num) == 0 {
		num = []string{"1"}
	}
	s := strings.Join(num, "*")
	for _, x := range den {
		s += "/" + x
	}
	return s
}

// text writes q in the SI unit of its dimension, for error messages.
func (q Quantity) text() string {
	if info, ok := named[q.Dim]; ok {
		return Format(q.Value, info.siUnit)
	}
	return Format(q.Value, unitFormula(q.Dim))
}

// describe names a dimension with an article, as in "a time", "an area"
// or "a dimensionless number", for error messages.
func describe(d Dim) string {
	if d == Dimensionless {
		return "a dimensionless number"
	}
	info, ok := named[d]
	if !ok {
		return "a quantity of dimension " + d.String()
	}
	if strings.ContainsRune("aeiou", rune(info.name[0])) {
		return "an " + info.name
	}
	return "a " + info.name
}

// checkDim reports an error unless a quantity of dimension got (written as
// text) can be expressed in a unit of dimension want.
func checkDim(want, got Dim, text string) error {
	switch {
	case want == got:
		return nil
	case got == Dimensionless:
		return fmt.Errorf("%q has no unit; expected %s like %q", text, describe(want), Example(want))
	default:
		return fmt.Errorf("expected %s like %q, got %s (%q)", describe(want), Example(want), describe(got), text)
	}
}

// parsed is a quantity as written: mantissa × 10^exp in units of 10^pow
// SI base units, with dimension dim.
type parsed struct {
	text     string // the whole quantity, trimmed, for error messages
	mantissa string // the digits of the number with sign and decimal point
	exp      int    // the exponent written after "e" in the number
	pow      int    // the unit is 10^pow SI base units
	dim      Dim
}

// in returns the value of p in units of 10^pow SI base units. The decimal
// point is moved before converting to float64 so there is one rounding.
func (p parsed) in(pow int) (float64, error) {
	v, err := strconv.ParseFloat(p.mantissa+"e"+strconv.Itoa(p.exp+p.pow-pow), 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%q is out of range", p.text)
	}
	return v, nil
}

// parse splits a quantity into its number and unit.
func parse(s string) (parsed, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return parsed{}, errors.New("empty value")
	}
	mantissa, exp, rest, ok := scanNumber(s)
	if !ok {
		word, _, _ := strings.Cut(strings.TrimLeft(s, "+-"), " ")
		switch strings.ToLower(word) {
		case "inf", "infinity", "nan":
			return parsed{}, fmt.Errorf("%q is not a finite number", s)
		}
		return parsed{}, fmt.Errorf("%q is not a number", s)
	}
	// A number running straight into one of these characters was
	// probably meant to continue: "1_000", "0x10", "1,5", "1.2.3", "1e".
	if rest != "" && strings.ContainsAny(rest[:1], "_.,xX+-eE") {
		return parsed{}, fmt.Errorf("%q is not a number", s)
	}
	pow, dim, err := parseUnit(strings.TrimSpace(rest), s)
	if err != nil {
		return parsed{}, err
	}
	return parsed{text: s, mantissa: mantissa, exp: exp, pow: pow, dim: dim}, nil
}

// scanNumber reads a decimal number such as "-1.5e-3" from the start of s.
// It returns the part before the exponent, the exponent, and the rest of
// s. ok is false if s does not start with a number.
func scanNumber(s string) (mantissa string, exp int, rest string, ok bool) {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := 0
	for i < len(s) && isDigit(s[i]) {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && isDigit(s[i]) {
			i++
			digits++
		}
	}
	if digits == 0 {
		return "", 0, s, false
	}
	mantissa, rest = s[:i], s[i:]
	// An exponent: e or E, an optional sign and at least one digit.
	j := 0
	if j < len(rest) && (rest[j] == 'e' || rest[j] == 'E') {
		j++
		if j < len(rest) && (rest[j] == '+' || rest[j] == '-') {
			j++
		}
		start := j
		for j < len(rest) && isDigit(rest[j]) {
			j++
		}
		if j > start {
			e, err := strconv.Atoi(strings.TrimPrefix(rest[1:j], "+"))
			if err != nil {
				// Too many digits: the value is 0 or infinite anyway,
				// so any huge exponent of the right sign will do.
				e = 1_000_000_000
				if rest[1] == '-' {
					e = -e
				}
			}
			return mantissa, e, rest[j:], true
		}
	}
	return mantissa, 0, rest, true
}

// isDigit reports whether c is one of the ASCII digits 0 to 9.
func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// symbols are the unit symbols without prefix.
var symbols = map[string]Dim{
	"s":      Time,
	"Hz":     Frequency,
	"V":      Voltage,
	"A":      Current,
	"ohm":    Resistance,
	"Ohm":    Resistance,
	"\u03a9": Resistance, // Ω, Greek capital omega
	"\u2126": Resistance, // Ω, ohm sign
	"S":      Conductance,
	"F":      Capacitance,
	"m":      Length,
}

// prefixes maps each SI prefix to its power of ten.
var prefixes = map[rune]int{
	'f': -15, 'p': -12, 'n': -9,
	'u': -6, '\u00b5': -6, '\u03bc': -6, // u, µ (micro sign), μ (Greek mu)
	'm': -3, 'c': -2,
	'k': 3, 'M': 6, 'G': 9, 'T': 12,
}

// known lists the symbols and prefixes for "unknown unit" errors.
const known = "(known: s, Hz, V, A, ohm, S, F, m with prefixes f p n u µ m c k M G T)"

// maxExp bounds the exponent of a single unit term such as "m^3".
const maxExp = 127

// parseUnit reads a unit expression u such as "mS/cm^2" and returns the
// power of ten of one such unit in SI base units, and its dimension.
// whole is the text that u came from, for error messages.
func parseUnit(u, whole string) (pow int, d Dim, err error) {
	var dim [4]int // exponents of m, kg, s, A
	rest := u
	sign := 1 // +1 after "*" (and at the start), -1 after "/"
	first := true
	for rest != "" || first {
		// A term: "1" at the start (as in "1/ms"), or a symbol with an
		// optional prefix and an optional exponent.
		var term string
		var termPow int
		var termDim Dim
		if first && (rest == "1" || strings.HasPrefix(rest, "1") && !isDigit(rest[1]) && rest[1] != '^') {
			term, rest = "1", rest[1:]
		} else {
			n := strings.IndexFunc(rest, func(r rune) bool {
				return '0' <= r && r <= '9' || strings.ContainsRune("^*/·", r) || unicode.IsSpace(r)
			})
			if n < 0 {
				n = len(rest)
			}
			term, rest = rest[:n], rest[n:]
			if term == "" {
				if u == "" {
					break // no unit at all: dimensionless
				}
				return 0, Dim{}, fmt.Errorf("malformed unit %q in %q", u, whole)
			}
			var ok bool
			termPow, termDim, ok = lookup(term)
			if !ok {
				return 0, Dim{}, fmt.Errorf("unknown unit %q in %q %s", term, whole, known)
			}
		}
		first = false

		// The exponent: "^2", "^-1", "^+3" or bare digits as in "cm2".
		exp := 1
		if term != "1" && rest != "" && (rest[0] == '^' || isDigit(rest[0])) {
			j := 0
			if rest[0] == '^' {
				j = 1
				if j < len(rest) && (rest[j] == '-' || rest[j] == '+') {
					j++
				}
			}
			start := j
			for j < len(rest) && isDigit(rest[j]) {
				j++
			}
			if j == start {
				return 0, Dim{}, fmt.Errorf("missing exponent after %q in %q", term+rest[:start], whole)
			}
			digits := strings.TrimPrefix(strings.TrimPrefix(rest[:j], "^"), "+")
			e, err := strconv.Atoi(digits)
			if err != nil || e > maxExp || e < -maxExp {
				return 0, Dim{}, fmt.Errorf("exponent %s of %q is out of range in %q", digits, term, whole)
			}
			exp, rest = e, rest[j:]
		}

		exp *= sign
		pow += termPow * exp
		dim[0] += int(termDim.Length) * exp
		dim[1] += int(termDim.Mass) * exp
		dim[2] += int(termDim.Time) * exp
		dim[3] += int(termDim.Current) * exp

		// Then the end, or "*", "·" or "/" and the next term.
		rest = strings.TrimLeftFunc(rest, unicode.IsSpace)
		if rest == "" {
			break
		}
		op, size := utf8.DecodeRuneInString(rest)
		switch op {
		case '*', '·':
			sign = 1
		case '/':
			sign = -1
		default:
			return 0, Dim{}, fmt.Errorf("malformed unit %q in %q (join units with * or /)", u, whole)
		}
		rest = strings.TrimLeftFunc(rest[size:], unicode.IsSpace)
		if rest == "" {
			return 0, Dim{}, fmt.Errorf("missing unit after %q in %q", string(op), whole)
		}
	}

	for _, e := range dim {
		if e < math.MinInt8 || e > math.MaxInt8 {
			return 0, Dim{}, fmt.Errorf("unit %q in %q has too large an exponent", u, whole)
		}
	}
	// Keep one unit a normal float64.
	if pow < -307 || pow > 308 {
		return 0, Dim{}, fmt.Errorf("unit %q in %q is out of range", u, whole)
	}
	return pow, Dim{int8(dim[0]), int8(dim[1]), int8(dim[2]), int8(dim[3])}, nil
}

// lookup finds a unit term such as "ms": first as a bare symbol ("m" is a
// metre), then as a prefix followed by a symbol ("ms" is a millisecond).
func lookup(term string) (pow int, d Dim, ok bool) {
	if d, ok := symbols[term]; ok {
		return 0, d, true
	}
	r, size := utf8.DecodeRuneInString(term)
	p, okPrefix := prefixes[r]
	d, okSymbol := symbols[term[size:]]
	if !okPrefix || !okSymbol {
		return 0, Dim{}, false
	}
	return p, d, true
}
