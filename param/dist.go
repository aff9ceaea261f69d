package param

import (
	"fmt"
	"math"
	"strings"

	"github.com/hebb-snn/hebb/rng"
	"github.com/hebb-snn/hebb/units"
)

// DistKind names a distribution of values.
type DistKind int

// Distributions a Random parameter may take.
const (
	ConstDist     DistKind = iota // every value A
	UniformDist                   // uniform on [A, B)
	NormalDist                    // normal with mean A, standard deviation B
	LogNormalDist                 // exp of a normal: median A (> 0 in the unit), log-sd B (dimensionless)
)

// Dist is a constant or a distribution of values, in internal units.
type Dist struct {
	Kind DistKind
	A, B float64
}

// Const returns the constant distribution x.
func Const(x float64) Dist { return Dist{Kind: ConstDist, A: x} }

// Sample draws one value from d.
func (d Dist) Sample(s *rng.Stream) float64 {
	switch d.Kind {
	case UniformDist:
		return d.A + (d.B-d.A)*s.Float64()
	case NormalDist:
		return d.A + d.B*s.Normal()
	case LogNormalDist:
		return d.A * math.Exp(d.B*s.Normal())
	}
	return d.A
}

// Bounds returns the smallest and largest value d can take (±Inf for a
// normal distribution).
func (d Dist) Bounds() (lo, hi float64) {
	switch d.Kind {
	case UniformDist:
		return d.A, d.B
	case NormalDist:
		if d.B == 0 {
			return d.A, d.A
		}
		return math.Inf(-1), math.Inf(1)
	case LogNormalDist:
		return 0, math.Inf(1)
	}
	return d.A, d.A
}

// String writes d as a model file would, in unit.
func (d Dist) String(unit string) string {
	switch d.Kind {
	case UniformDist:
		return fmt.Sprintf("uniform(%s, %s)", units.Format(d.A, unit), units.Format(d.B, unit))
	case NormalDist:
		return fmt.Sprintf("normal(%s, %s)", units.Format(d.A, unit), units.Format(d.B, unit))
	case LogNormalDist:
		return fmt.Sprintf("lognormal(%s, %g)", units.Format(d.A, unit), d.B)
	}
	return units.Format(d.A, unit)
}

// ParseDist parses a constant ("-65 mV") or a distribution in unit:
// "uniform(low, high)", "normal(mean, sd)" or "lognormal(median, sigma)"
// where sigma is dimensionless.
func ParseDist(s, unit string) (Dist, error) {
	s = strings.TrimSpace(s)
	open := strings.IndexByte(s, '(')
	if open < 0 {
		x, err := units.In(s, unit)
		return Const(x), err
	}
	name := strings.TrimSpace(s[:open])
	if !strings.HasSuffix(s, ")") {
		return Dist{}, fmt.Errorf("missing ')' in %q", s)
	}
	args := strings.Split(s[open+1:len(s)-1], ",")
	if len(args) != 2 {
		return Dist{}, fmt.Errorf("%s takes two arguments, got %d in %q", name, len(args), s)
	}
	a, err := units.In(args[0], unit)
	if err != nil {
		return Dist{}, fmt.Errorf("%s: first argument: %v", name, err)
	}
	bUnit := unit
	if name == "lognormal" {
		bUnit = ""
	}
	b, err := units.In(args[1], bUnit)
	if err != nil {
		return Dist{}, fmt.Errorf("%s: second argument: %v", name, err)
	}
	switch name {
	case "uniform":
		if !(a < b) {
			return Dist{}, fmt.Errorf("uniform(low, high) needs low < high, got %q", s)
		}
		return Dist{Kind: UniformDist, A: a, B: b}, nil
	case "normal":
		if b < 0 {
			return Dist{}, fmt.Errorf("normal(mean, sd) needs sd >= 0, got %q", s)
		}
		return Dist{Kind: NormalDist, A: a, B: b}, nil
	case "lognormal":
		if a <= 0 || b < 0 {
			return Dist{}, fmt.Errorf("lognormal(median, sigma) needs median > 0 and sigma >= 0, got %q", s)
		}
		return Dist{Kind: LogNormalDist, A: a, B: b}, nil
	}
	return Dist{}, fmt.Errorf("unknown distribution %q (known: uniform, normal, lognormal)", name)
}
