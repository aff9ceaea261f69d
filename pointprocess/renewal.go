package pointprocess

import (
	"fmt"
	"math"

	"github.com/hebb-snn/hebb/rng"
)

// Renewal processes: the intervals between successive events are
// independent and identically distributed. A renewal process observed
// from a time t0 can begin in one of two ways (Cox 1962, Renewal Theory,
// ch. 2):
//
//   - FromEvent (an "ordinary" renewal process): an event occurred at t0,
//     so the first event after t0 is at t0 + X₁ with X₁ an ordinary
//     interval. The event at t0 itself is not appended (the caller knows
//     it; pass the last event of a train as t0 to continue the train).
//   - Equilibrium (a stationary renewal process): t0 falls at a random
//     point of a process that has run forever. The first event is at
//     t0 + W, with W the forward recurrence time, density S(w)/m (S the
//     survival function of the interval, m its mean). Then the expected
//     number of events in any window [a, b) ⊂ [t0, ∞) is (b − a)/m.
//
// W is drawn as U·X*, U uniform on (0, 1] and X* the length-biased
// interval with density x·f(x)/m: given that t0 falls in an interval of
// length X*, its position inside it is uniform, and integrating over X*
// gives the density ∫_w^∞ f(x) dx / m = S(w)/m. This holds for any
// interval distribution, in particular for gamma intervals of any real
// shape k, where X* ~ Gamma(k + 1, θ).

// Start says how a renewal process begins at the start t0 of the window.
type Start int

const (
	// Equilibrium starts the process in its stationary state: the first
	// event after t0 is at the forward recurrence time.
	Equilibrium Start = iota
	// FromEvent starts the process with an event at t0 (not appended):
	// the first event is one ordinary interval after t0.
	FromEvent
)

// String returns "equilibrium" or "from-event".
func (s Start) String() string {
	switch s {
	case Equilibrium:
		return "equilibrium"
	case FromEvent:
		return "from-event"
	}
	return fmt.Sprintf("Start(%d)", int(s))
}

// Gamma is a renewal process with gamma-distributed intervals of shape k
// and mean 1/Rate:
//
//	X ~ Gamma(k, θ),  θ = 1/(k·Rate):   mean 1/Rate,  CV = 1/√k.
//
// k = 1 is a Poisson process; k > 1 is more regular, k < 1 burstier.
type Gamma struct {
	// Shape is k, a finite real number > 0 (dimensionless).
	Shape float64
	// Rate is the mean event rate, 1/mean interval, in 1/ms (≥ 0).
	Rate float64
}

// CV returns the coefficient of variation of the intervals, 1/√k.
func (g Gamma) CV() float64 { return 1 / math.Sqrt(g.Shape) }

func (g Gamma) check() error {
	if !(g.Shape > 0) || math.IsInf(g.Shape, 1) {
		return fmt.Errorf("pointprocess: Gamma shape must be a finite number > 0, got %g", g.Shape)
	}
	if !(g.Rate >= 0) || math.IsInf(g.Rate, 1) {
		return fmt.Errorf("pointprocess: Gamma rate must be finite and ≥ 0 /ms, got %g", g.Rate)
	}
	return nil
}

// Simulate appends to dst the event times of the gamma renewal process
// on [t0, t1) (ms), beginning as start says, and returns the extended
// slice. With Equilibrium the first event is at t0 + U·X*, X* ~ Gamma(k +
// 1, θ) (see the comment on Start). A Rate of 0 or t1 ≤ t0 gives no
// events; invalid parameters give an error and dst unchanged.
func (g Gamma) Simulate(dst []float64, s *rng.Stream, t0, t1 float64, start Start) ([]float64, error) {
	if err := g.check(); err != nil {
		return dst, err
	}
	if err := checkStart(start); err != nil {
		return dst, err
	}
	if err := checkWindow(t0, t1); err != nil {
		return dst, err
	}
	if g.Rate == 0 || t1 <= t0 {
		return dst, nil
	}
	theta := 1 / (g.Shape * g.Rate)
	gen := rng.NewGamma(g.Shape)
	t := t0
	if start == Equilibrium {
		u := 1 - s.Float64() // (0, 1]
		t += u * s.Gamma(g.Shape+1) * theta
	} else {
		t += gen.Draw(s) * theta
	}
	for t < t1 {
		dst = append(dst, t)
		t += gen.Draw(s) * theta
	}
	return dst, nil
}

// DeadTime is a Poisson process with an absolute dead time: after each
// event no event can occur for Dead ms, then events occur at a constant
// hazard λ. Its intervals are
//
//	X = Dead + E,  E ~ Exp with mean 1/λ = 1/Rate − Dead:
//	mean 1/Rate,  CV = 1 − Rate·Dead.
//
// Rate is the rate of the process itself (events per ms, including the
// effect of the dead time), so Rate·Dead ≤ 1 is required (to within
// 1e−12 for rounding); Rate·Dead = 1 is the regular train with intervals
// Dead. A Poisson process of rate λ
// with a dead time d imposed has Rate = DeadTimeRate(λ, d) = λ/(1 + λ·d).
type DeadTime struct {
	// Rate is the mean event rate, 1/mean interval, in 1/ms (≥ 0).
	Rate float64
	// Dead is the dead time d in ms (≥ 0).
	Dead float64
}

// DeadTimeRate returns the rate λ/(1 + λ·d) (1/ms) of a process whose
// intervals are a dead time d (ms) followed by an Exp(λ) wait, λ in 1/ms.
func DeadTimeRate(lambda, d float64) float64 { return lambda / (1 + lambda*d) }

// CV returns the coefficient of variation of the intervals, 1 − Rate·Dead.
func (p DeadTime) CV() float64 { return 1 - p.Rate*p.Dead }

func (p DeadTime) check() error {
	if !(p.Rate >= 0) || math.IsInf(p.Rate, 1) {
		return fmt.Errorf("pointprocess: DeadTime rate must be finite and ≥ 0 /ms, got %g", p.Rate)
	}
	if !(p.Dead >= 0) || math.IsInf(p.Dead, 1) {
		return fmt.Errorf("pointprocess: DeadTime dead time must be finite and ≥ 0 ms, got %g", p.Dead)
	}
	if p.Rate*p.Dead > 1+1e-12 {
		return fmt.Errorf("pointprocess: DeadTime rate %g /ms × dead time %g ms = %g > 1: the mean interval 1/rate is shorter than the dead time", p.Rate, p.Dead, p.Rate*p.Dead)
	}
	return nil
}

// Simulate appends to dst the event times of the dead-time process on
// [t0, t1) (ms), beginning as start says, and returns the extended slice.
// With Equilibrium the forward recurrence time is, with probability
// Rate·Dead, uniform on [0, Dead) (t0 falls inside a dead time) and
// otherwise Dead + E: the density S(w)/m of the comment on Start. A Rate
// of 0 or t1 ≤ t0 gives no events; invalid parameters give an error and
// dst unchanged.
func (p DeadTime) Simulate(dst []float64, s *rng.Stream, t0, t1 float64, start Start) ([]float64, error) {
	if err := p.check(); err != nil {
		return dst, err
	}
	if err := checkStart(start); err != nil {
		return dst, err
	}
	if err := checkWindow(t0, t1); err != nil {
		return dst, err
	}
	if p.Rate == 0 || t1 <= t0 {
		return dst, nil
	}
	wait := math.Max(0, 1/p.Rate-p.Dead) // mean of E
	t := t0
	if start == Equilibrium {
		// P(inside the dead time) = Dead/m = Rate·Dead.
		if u := s.Float64(); u < p.Rate*p.Dead {
			t += u / p.Rate // uniform on [0, Dead)
		} else {
			t += p.Dead + wait*s.Exp()
		}
	} else {
		t += p.Dead + wait*s.Exp()
	}
	for t < t1 {
		dst = append(dst, t)
		t += p.Dead + wait*s.Exp()
	}
	return dst, nil
}

func checkStart(start Start) error {
	if start != Equilibrium && start != FromEvent {
		return fmt.Errorf("pointprocess: unknown start %d (use Equilibrium or FromEvent)", int(start))
	}
	return nil
}
