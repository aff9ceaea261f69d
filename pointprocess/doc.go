// Package pointprocess simulates point processes — homogeneous and
// inhomogeneous Poisson, renewal (gamma, dead-time), Cox and Hawkes
// processes — fits Hawkes processes by maximum likelihood, and tests
// fitted intensities by time rescaling.
//
// Times are in ms and intensities in spikes per ms unless a function says
// otherwise; a rate of 20 Hz is an intensity of 0.02 /ms.
package pointprocess
