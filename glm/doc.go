// Package glm fits point-process generalised linear models of a neuron's
// conditional intensity to binned spike counts.
//
// Time is cut into bins of width Δ ms; y_t is the spike count in bin t. The
// model is
//
//	η_t = β0 + Σ_k β_k s_k(t) + Σ_j h_j·(y ∗ b_j)(t) + Σ_i Σ_j c_ij·(y_i ∗ b_j)(t)
//	λ_t = g(η_t)  (Hz),  μ_t = λ_t·Δ/1000  (expected count in bin t),
//
// with stimulus covariates s_k, the neuron's own past counts y and other
// neurons' past counts y_i convolved causally (strictly past bins) with the
// functions b_j of a Basis, and the link g = exp (canonical) or
// g = softplus = log(1 + e^η). The counts are Poisson given the past:
// the log-likelihood is Σ_t y_t log μ_t − μ_t − log y_t!.
//
// A fit goes in three steps: build a Basis (RaisedCosine or Boxes), build a
// Design (NewDesign, AddIntercept, AddCovariate, AddHistory, AddCoupling;
// Bin turns a spiketrain.Train into counts), and call Fit. The Result gives
// the coefficients with standard errors, the log-likelihood, deviances,
// AIC, the fitted intensity, the estimated filters with 95% bands, and the
// time-rescaling Kolmogorov–Smirnov test of the fitted model.
//
// Times are in ms and intensities in Hz (spikes/s), as in the rest of hebb.
package glm
