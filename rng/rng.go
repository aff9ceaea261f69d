// Package rng provides the random streams of a simulation.
//
// Every stream is derived from the run's seed and a list of keys (what the
// stream is for, which population, which neuron) by a SplitMix64 hash, so a
// neuron's random numbers never depend on how neurons are split among
// threads. A Stream is a small value (a PCG generator): keep one per neuron
// in a flat slice and call its methods through a pointer; nothing allocates.
package rng

import (
	"math"
	"math/rand/v2"
)

// Purposes used as the first key of a stream, so that streams for different
// jobs never coincide.
const (
	KeyConnect  uint64 = 1 // connectivity of a projection
	KeyWeight   uint64 = 2 // initial weights and delays of a projection
	KeyInit     uint64 = 3 // initial state of a population
	KeyNeuron   uint64 = 4 // intrinsic noise of a neuron (sources, stochastic units)
	KeyStimulus uint64 = 5 // a stimulus acting on one neuron
)

// SplitMix64 returns the SplitMix64 output for state x: a bijective,
// well-mixed 64-bit hash used to derive independent seeds.
func SplitMix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// Hash returns the 64-bit random number at position counter of the
// SplitMix64 sequence seeded with key: SplitMix64(key + counter·γ), γ the
// golden-ratio increment. Numbers keyed by position need no state, so
// each neuron's number in each step (counter = Counter(id, step)) is the
// same whatever worker draws it, and the draws of different neurons do
// not wait on one another (Salmon et al. 2011, counter-based generators;
// SplitMix64: Steele, Lea & Flood 2014).
func Hash(key, counter uint64) uint64 {
	return SplitMix64(key + counter*0x9e3779b97f4a7c15)
}

// Counter returns the position of neuron id's number in step: id in the
// high 32 bits, the step in the low 32 (steps repeat after 2³², five
// days of model time at dt = 0.1 ms).
func Counter(id int, step int64) uint64 { return uint64(id)<<32 | uint64(uint32(step)) }

// Derive hashes seed and keys into one 64-bit seed: h = SplitMix64(h ^ key)
// for each key in turn.
func Derive(seed uint64, keys ...uint64) uint64 {
	h := SplitMix64(seed)
	for _, k := range keys {
		h = SplitMix64(h ^ SplitMix64(k+0x632be59bd9b4e019))
	}
	return h
}

// Stream is a PCG random stream. The zero value is valid but every zero
// Stream yields the same numbers; use New.
type Stream struct {
	pcg rand.PCG
}

// New returns the stream for seed and keys.
func New(seed uint64, keys ...uint64) Stream {
	h := Derive(seed, keys...)
	return Stream{pcg: *rand.NewPCG(h, SplitMix64(h))}
}

// Uint64 returns a uniformly distributed 64-bit integer.
func (s *Stream) Uint64() uint64 { return s.pcg.Uint64() }

// Float64 returns a uniform number in [0, 1) with 53 random bits.
func (s *Stream) Float64() float64 { return float64(s.pcg.Uint64()>>11) * 0x1p-53 }

// IntN returns a uniform integer in [0, n). It panics if n <= 0.
func (s *Stream) IntN(n int) int {
	if n <= 0 {
		panic("rng: IntN with n <= 0")
	}
	// Lemire's nearly divisionless method.
	bound := uint64(n)
	hi, lo := mul64(s.pcg.Uint64(), bound)
	if lo < bound {
		thresh := -bound % bound
		for lo < thresh {
			hi, lo = mul64(s.pcg.Uint64(), bound)
		}
	}
	return int(hi)
}

func mul64(a, b uint64) (hi, lo uint64) {
	const mask32 = 1<<32 - 1
	a0, a1 := a&mask32, a>>32
	b0, b1 := b&mask32, b>>32
	w0 := a0 * b0
	t := a1*b0 + w0>>32
	w1 := t&mask32 + a0*b1
	hi = a1*b1 + t>>32 + w1>>32
	lo = a * b
	return
}

// Normal returns a standard normal deviate (Marsaglia polar method, one
// value per call so that the stream holds no cached state).
func (s *Stream) Normal() float64 {
	for {
		u := 2*s.Float64() - 1
		v := 2*s.Float64() - 1
		r := u*u + v*v
		if r > 0 && r < 1 {
			return u * math.Sqrt(-2*math.Log(r)/r)
		}
	}
}

// Exp returns an exponential deviate with mean 1.
func (s *Stream) Exp() float64 {
	return -math.Log1p(-s.Float64())
}

// Bernoulli returns true with probability p.
func (s *Stream) Bernoulli(p float64) bool { return s.Float64() < p }

// Poisson returns a Poisson deviate with mean lambda >= 0. For lambda < 30
// it multiplies uniforms (Knuth); above, it uses the PTRS transformed
// rejection method of Hörmann (1993). Both are exact.
func (s *Stream) Poisson(lambda float64) int {
	if lambda <= 0 {
		return 0
	}
	if lambda < 30 {
		l := math.Exp(-lambda)
		k := 0
		p := s.Float64()
		for p > l {
			k++
			p *= s.Float64()
		}
		return k
	}
	slam := math.Sqrt(lambda)
	loglam := math.Log(lambda)
	b := 0.931 + 2.53*slam
	a := -0.059 + 0.02483*b
	invalpha := 1.1239 + 1.1328/(b-3.4)
	vr := 0.9277 - 3.6224/(b-2)
	for {
		u := s.Float64() - 0.5
		v := s.Float64()
		us := 0.5 - math.Abs(u)
		k := math.Floor((2*a/us+b)*u + lambda + 0.43)
		if us >= 0.07 && v <= vr {
			return int(k)
		}
		if k < 0 || (us < 0.013 && v > us) {
			continue
		}
		lg, _ := math.Lgamma(k + 1)
		if math.Log(v)+math.Log(invalpha)-math.Log(a/(us*us)+b) <= -lambda+k*loglam-lg {
			return int(k)
		}
	}
}

// Binomial returns the number of successes in n trials of probability p,
// by summing Bernoulli trials for small n and a normal-free inversion
// otherwise (exact for all n; cost grows with n·p).
func (s *Stream) Binomial(n int, p float64) int {
	if n <= 0 || p <= 0 {
		return 0
	}
	if p >= 1 {
		return n
	}
	if p > 0.5 {
		return n - s.Binomial(n, 1-p)
	}
	// Count successes by jumping over runs of failures: the gap to the next
	// success is geometric with parameter p.
	lq := math.Log1p(-p)
	k, i := 0, -1
	for {
		i += 1 + int(math.Floor(math.Log1p(-s.Float64())/lq))
		if i >= n || i < 0 {
			return k
		}
		k++
	}
}
