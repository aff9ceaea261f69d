package spiketrain

import (
	"math"
	"sort"
	"testing"

	"github.com/hebb-snn/hebb/rng"
)

// genIntTrain returns n spike times drawn uniformly from the integers
// 0..span (repeats allowed), sorted.
func genIntTrain(s *rng.Stream, n, span int) Train {
	tr := make(Train, n)
	for i := range tr {
		tr[i] = float64(s.IntN(span + 1))
	}
	sort.Float64s(tr)
	return tr
}

func TestVanRossumClosedForms(t *testing.T) {
	const tau = 10.0
	closeTo(t, "D(∅, ∅)", VanRossum(nil, nil, tau), 0, 0)
	// One spike against none: D² = ½.
	closeTo(t, "D(one, ∅)", VanRossum(Train{3}, nil, tau), math.Sqrt(0.5), 1e-15)
	closeTo(t, "D(∅, one)", VanRossum(nil, Train{3}, tau), math.Sqrt(0.5), 1e-15)
	// Two single spikes Δ apart: D² = 1 − e^{−Δ/τ}.
	for _, d := range []float64{0.5, 3, 10, 40} {
		closeTo(t, "D(single, single)", VanRossum(Train{100}, Train{100 + d}, tau), math.Sqrt(1-math.Exp(-d/tau)), 1e-12)
	}
	// τ → ∞: every exponential is 1 and D² = (n − m)²/2; 3 vs 1 spike: 2.
	closeTo(t, "D, τ huge", VanRossum(Train{1, 5, 9}, Train{4}, 1e12), math.Sqrt(2), 1e-6)
	// τ → 0: no overlap, D² = (n + m)/2 = 2.
	closeTo(t, "D, τ tiny", VanRossum(Train{1, 5, 9}, Train{4}, 1e-6), math.Sqrt(2), 1e-12)
	for _, tau := range []float64{0, -1, math.NaN(), math.Inf(1)} {
		if d := VanRossum(Train{1}, Train{2}, tau); !math.IsNaN(d) {
			t.Errorf("τ = %g: D = %g, want NaN", tau, d)
		}
	}
}

// vanRossumGrid integrates (1/τ)∫(f_a − f_b)² dt by the midpoint rule with
// step h, for spikes on multiples of h (the jumps of f lie on cell edges,
// so the error is O(h²)); the integral runs to 40τ after the last spike.
func vanRossumGrid(a, b Train, tau, h float64) float64 {
	end := math.Max(a[len(a)-1], b[len(b)-1]) + 40*tau
	start := math.Min(a[0], b[0])
	f := func(tr Train, t float64) float64 {
		s := 0.0
		for _, x := range tr {
			if x < t {
				s += math.Exp(-(t - x) / tau)
			}
		}
		return s
	}
	sum := 0.0
	for k := 0; start+(float64(k)+0.5)*h < end; k++ {
		t := start + (float64(k)+0.5)*h
		d := f(a, t) - f(b, t)
		sum += d * d * h
	}
	return math.Sqrt(sum / tau)
}

// vanRossumPairs returns D from the double sums of exponentials,
// D² = ½[Σ e^{−|a_i−a_j|/τ} + Σ e^{−|b_i−b_j|/τ} − 2Σ e^{−|a_i−b_j|/τ}].
func vanRossumPairs(a, b Train, tau float64) float64 {
	sum := func(x, y Train) float64 {
		s := 0.0
		for _, u := range x {
			for _, v := range y {
				s += math.Exp(-math.Abs(u-v) / tau)
			}
		}
		return s
	}
	return math.Sqrt(0.5 * (sum(a, a) + sum(b, b) - 2*sum(a, b)))
}

// TestVanRossumMetric checks VanRossum against a numerical integral
// (midpoint rule, h = 0.01 ms; relative error ~ (h/τ)²/24 ≈ 1e−7,
// tolerance 1e−5) and against the double sums of exponentials (tolerance
// 1e−9 relative), and the metric properties: D(a, a) = 0 exactly,
// symmetry, triangle inequality.
func TestVanRossumMetric(t *testing.T) {
	s := rng.New(21)
	for trial := range 5 {
		a := genIntTrain(&s, 3+trial, 100)
		b := genIntTrain(&s, 8-trial, 100)
		c := genIntTrain(&s, 4, 100)
		const tau = 8.0
		d := VanRossum(a, b, tau)
		closeTo(t, "D vs numerical integral", d, vanRossumGrid(a, b, tau, 0.01), 1e-5*d)
		closeTo(t, "D vs double sums", d, vanRossumPairs(a, b, tau), 1e-9*d)
		closeTo(t, "D(a, a)", VanRossum(a, a, tau), 0, 0)
		closeTo(t, "symmetry", VanRossum(b, a, tau), d, 1e-12)
		if ac, cb := VanRossum(a, c, tau), VanRossum(c, b, tau); d > ac+cb+1e-12 {
			t.Errorf("triangle inequality: D(a,b) = %g > D(a,c) + D(c,b) = %g", d, ac+cb)
		}
	}
	// A long train against itself, and against itself with one spike added
	// 100 s after the others: D² = ½.
	long := genPoisson(&s, 50, 100000)
	closeTo(t, "D(long, long)", VanRossum(long, long, 5), 0, 0)
	longer := append(append(Train(nil), long...), 200000)
	closeTo(t, "D(long, long + 1 spike)", VanRossum(long, longer, 5), math.Sqrt(0.5), 1e-12)
}

func TestVictorPurpuraClosedForms(t *testing.T) {
	a := Train{10, 20, 35}
	b := Train{12, 30, 31, 50, 70}
	// q = 0: shifts are free, only the difference in counts costs.
	closeTo(t, "VP q=0", VictorPurpura(a, b, 0), 2, 0)
	// q huge: no shift pays, delete all and insert all.
	closeTo(t, "VP q=1e9", VictorPurpura(a, b, 1e9), 8, 0)
	// q = +Inf keeps exact matches only: a = 1, 2 and b = 2, 3 share one.
	closeTo(t, "VP q=Inf", VictorPurpura(Train{1, 2}, Train{2, 3}, math.Inf(1)), 2, 0)
	// One spike shifted by Δ costs min(qΔ, 2).
	for _, d := range []float64{0, 5, 19, 30} {
		closeTo(t, "VP one shift", VictorPurpura(Train{10}, Train{10 + d}, 0.1), math.Min(0.1*d, 2), 1e-12)
	}
	// a = 10, 20 and b = 12, 30. q = 0.1: shift both, 0.1·2 + 0.1·10 = 1.2.
	// q = 0.3: shift 10→12 (0.6), delete 20 and insert 30 (2): 2.6, cheaper
	// than shifting 20→30 (3) or 20→12 (2.4 + 2).
	closeTo(t, "VP hand q=0.1", VictorPurpura(Train{10, 20}, Train{12, 30}, 0.1), 1.2, 1e-12)
	closeTo(t, "VP hand q=0.3", VictorPurpura(Train{10, 20}, Train{12, 30}, 0.3), 2.6, 1e-12)
	closeTo(t, "VP(∅, b)", VictorPurpura(nil, b, 0.1), 5, 0)
	closeTo(t, "VP(∅, ∅)", VictorPurpura(nil, nil, 0.1), 0, 0)
	if v := VictorPurpura(a, b, -1); !math.IsNaN(v) {
		t.Errorf("q < 0: %g, want NaN", v)
	}
}

// vpBrute returns the Victor–Purpura distance by trying every way to pair
// spikes of a with distinct spikes of b (unpaired spikes cost 1 each).
func vpBrute(a, b Train, q float64, used []bool) float64 {
	if len(a) == 0 {
		free := 0.0
		for _, u := range used {
			if !u {
				free++
			}
		}
		return free
	}
	best := 1 + vpBrute(a[1:], b, q, used) // delete a[0]
	for j := range b {
		if !used[j] {
			used[j] = true
			best = math.Min(best, q*math.Abs(a[0]-b[j])+vpBrute(a[1:], b, q, used))
			used[j] = false
		}
	}
	return best
}

// TestVictorPurpuraBrute compares the dynamic programme with exhaustive
// search over all pairings on random small trains, and checks symmetry.
func TestVictorPurpuraBrute(t *testing.T) {
	s := rng.New(23)
	for trial := range 200 {
		a := genIntTrain(&s, s.IntN(5), 40)
		b := genIntTrain(&s, s.IntN(6), 40)
		q := []float64{0, 0.05, 0.2, 1, 3}[trial%5]
		got := VictorPurpura(a, b, q)
		closeTo(t, "VP vs brute force", got, vpBrute(a, b, q, make([]bool, len(b))), 1e-12)
		closeTo(t, "VP symmetry", VictorPurpura(b, a, q), got, 1e-12)
	}
}
