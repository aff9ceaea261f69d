package spiketrain

import "math"

// This file holds spike-train distances: van Rossum (2001) and
// Victor–Purpura (1996). Both are metrics.

// VanRossum returns the van Rossum (2001) distance D between trains a and
// b (sorted, ms) for the time constant tau (ms). Each train is filtered
// with the causal exponential f(t) = Σ_i exp(−(t − t_i)/τ)·H(t − t_i), and
//
//	D² = (1/τ) ∫ (f_a(t) − f_b(t))² dt
//	   = ½ [ Σ_{i,j} e^{−|a_i−a_j|/τ} + Σ_{i,j} e^{−|b_i−b_j|/τ} − 2 Σ_{i,j} e^{−|a_i−b_j|/τ} ],
//
// van Rossum's own normalisation: one spike against an empty train gives
// D² = ½, and two single spikes Δ apart give D² = 1 − e^{−Δ/τ}. (Some
// libraries leave out the ½, so their D is √2 times this one.)
//
// D is computed exactly — no time grid — in O(len(a) + len(b)) time by
// merging the trains: between consecutive spikes s_k < s_{k+1} of either
// train, f_a − f_b = h_k·e^{−(t − s_k)/τ}, whose contribution to D² is
// ½ h_k² (1 − e^{−2(s_{k+1} − s_k)/τ}). Every term is non-negative, so
// there is no cancellation between the three double sums above, and
// D(a, a) = 0 exactly. D is NaN when tau is not positive and finite.
func VanRossum(a, b Train, tau float64) float64 {
	if !(tau > 0) || math.IsInf(tau, 0) {
		return math.NaN()
	}
	h, d2, last := 0.0, 0.0, 0.0
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		var t, jump float64
		if j == len(b) || (i < len(a) && a[i] <= b[j]) {
			t, jump = a[i], 1
			i++
		} else {
			t, jump = b[j], -1
			j++
		}
		if h != 0 {
			x := (t - last) / tau
			d2 -= h * h * math.Expm1(-2*x)
			h *= math.Exp(-x)
		}
		h += jump
		last = t
	}
	d2 += h * h // the last stretch, to t = ∞
	return math.Sqrt(0.5 * d2)
}

// VictorPurpura returns the Victor–Purpura (1996) spike-time distance
// between trains a and b (ms) with cost q per ms of shift (1/ms): the
// least total cost of turning a into b by deleting or inserting spikes
// (cost 1 each) and shifting spikes (cost q·|Δt|). Computed by dynamic
// programming in O(len(a)·len(b)) time and O(len(b)) memory:
//
//	G[i][j] = min(G[i−1][j] + 1, G[i][j−1] + 1, G[i−1][j−1] + q|a_i − b_j|).
//
// q = 0 gives |len(a) − len(b)|; q = +Inf gives the number of spikes
// without an exact partner. One spike shifted by Δ costs min(qΔ, 2). It is
// NaN when q is negative or NaN.
func VictorPurpura(a, b Train, q float64) float64 {
	if !(q >= 0) {
		return math.NaN()
	}
	g := make([]float64, len(b)+1)
	for j := range g {
		g[j] = float64(j)
	}
	for i := 1; i <= len(a); i++ {
		diag := g[0] // G[i−1][j−1]
		g[0] = float64(i)
		for j := 1; j <= len(b); j++ {
			up := g[j] // G[i−1][j]
			shift := 0.0
			if d := math.Abs(a[i-1] - b[j-1]); d != 0 {
				shift = q * d // q = +Inf gives +Inf, never 0·Inf
			}
			g[j] = min(up+1, g[j-1]+1, diag+shift)
			diag = up
		}
	}
	return g[len(b)]
}
