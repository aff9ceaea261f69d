package glm

import (
	"fmt"
	"math"

	"github.com/hebb-snn/hebb/spiketrain"
)

// Design is the design matrix of a GLM: T rows (time bins of width Dt ms)
// and one column per covariate, stored column by column. Columns are added
// in groups called terms: the intercept, a covariate (one column), or a
// history or coupling term (one column per basis function, named
// "name[j]"). Build one with NewDesign and the Add methods; the columns are
// copies, so later changes to the caller's slices do not reach the design.
type Design struct {
	dt    float64
	rows  int
	cols  [][]float64
	names []string
	pen   []bool // pen[j]: column j is penalised by L1/L2 (all but the intercept)
	terms []term
}

// term is a group of columns added by one Add call.
type term struct {
	name   string
	first  int    // index of its first column
	n      int    // number of columns
	basis  *Basis // nil for the intercept and covariates
	source string // "intercept", "covariate", "history" or "coupling"
}

// NewDesign returns an empty design of t rows (bins) of width dt ms. It is
// an error if t < 1 or dt is not positive and finite.
func NewDesign(t int, dt float64) (*Design, error) {
	if t < 1 {
		return nil, fmt.Errorf("glm: design needs at least one bin, got %d", t)
	}
	if !(dt > 0) || math.IsInf(dt, 0) {
		return nil, fmt.Errorf("glm: bin width %g ms must be positive and finite", dt)
	}
	return &Design{dt: dt, rows: t}, nil
}

// Rows returns the number of rows T (time bins).
func (d *Design) Rows() int { return d.rows }

// Dt returns the bin width in ms.
func (d *Design) Dt() float64 { return d.dt }

// Cols returns the number of columns p.
func (d *Design) Cols() int { return len(d.cols) }

// Names returns the column names, in column order (a copy).
func (d *Design) Names() []string { return append([]string(nil), d.names...) }

// Column returns column j (not a copy: do not modify it), or nil if j is
// out of range.
func (d *Design) Column(j int) []float64 {
	if j < 0 || j >= len(d.cols) {
		return nil
	}
	return d.cols[j]
}

// Penalised reports whether column j is penalised by Options.L1 and L2:
// every column but the intercept is.
func (d *Design) Penalised(j int) bool { return j >= 0 && j < len(d.pen) && d.pen[j] }

func (d *Design) checkName(name string) error {
	if name == "" {
		return fmt.Errorf("glm: a term needs a name")
	}
	for _, t := range d.terms {
		if t.name == name {
			return fmt.Errorf("glm: the design already has a term %q", name)
		}
	}
	return nil
}

// AddIntercept adds the column "intercept" of ones, whose coefficient β0
// is log λ (exp link) or softplus⁻¹ λ of the baseline rate in Hz. The
// intercept is never penalised. It is an error to add it twice.
func (d *Design) AddIntercept() error {
	if err := d.checkName("intercept"); err != nil {
		return err
	}
	c := make([]float64, d.rows)
	for i := range c {
		c[i] = 1
	}
	d.terms = append(d.terms, term{name: "intercept", first: len(d.cols), n: 1, source: "intercept"})
	d.cols = append(d.cols, c)
	d.names = append(d.names, "intercept")
	d.pen = append(d.pen, false)
	return nil
}

// AddCovariate adds the column x (a copy), e.g. a stimulus value s(t) per
// bin, as the term name. x must have one finite value per row.
func (d *Design) AddCovariate(name string, x []float64) error {
	if err := d.checkName(name); err != nil {
		return err
	}
	if len(x) != d.rows {
		return fmt.Errorf("glm: covariate %q has %d values for %d bins", name, len(x), d.rows)
	}
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("glm: covariate %q is not finite in bin %d (%g)", name, i, v)
		}
	}
	d.terms = append(d.terms, term{name: name, first: len(d.cols), n: 1, source: "covariate"})
	d.cols = append(d.cols, append([]float64(nil), x...))
	d.names = append(d.names, name)
	d.pen = append(d.pen, true)
	return nil
}

// AddHistory adds the spike-history term name: one column per function of
// b, the causal convolution of the counts (one per bin) with it,
//
//	x_j(t) = Σ_{l=1}^{L} b_j(l)·counts(t − l),
//
// over strictly past bins; bins before the first one count as empty (no
// spikes are known there). The columns are named "name[j]". The basis bin
// width must equal the design's. The cost is O(S·L) per function, S the
// number of non-zero bins. counts must have one finite value per row.
func (d *Design) AddHistory(name string, counts []float64, b *Basis) error {
	return d.addFiltered(name, counts, b, "history")
}

// AddCoupling adds the coupling term name: the history of another
// neuron's counts through the basis b, computed exactly as in AddHistory
// (strictly past bins, columns "name[j]").
func (d *Design) AddCoupling(name string, counts []float64, b *Basis) error {
	return d.addFiltered(name, counts, b, "coupling")
}

func (d *Design) addFiltered(name string, counts []float64, b *Basis, source string) error {
	if err := d.checkName(name); err != nil {
		return err
	}
	if err := b.check(); err != nil {
		return fmt.Errorf("glm: %s term %q: %w", source, name, err)
	}
	if math.Abs(b.Dt-d.dt) > 1e-9*d.dt {
		return fmt.Errorf("glm: %s term %q: basis bin width %g ms differs from the design's %g ms", source, name, b.Dt, d.dt)
	}
	if len(counts) != d.rows {
		return fmt.Errorf("glm: %s term %q has %d counts for %d bins", source, name, len(counts), d.rows)
	}
	for i, v := range counts {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("glm: %s term %q: count in bin %d is not finite (%g)", source, name, i, v)
		}
	}
	d.terms = append(d.terms, term{name: name, first: len(d.cols), n: b.Len(), basis: b, source: source})
	for j, f := range b.Funcs {
		c := make([]float64, d.rows)
		for s, y := range counts {
			if y == 0 {
				continue
			}
			dst := c[s+1:]
			if len(dst) > len(f) {
				dst = dst[:len(f)]
			}
			for l := range dst {
				dst[l] += y * f[l]
			}
		}
		d.cols = append(d.cols, c)
		d.names = append(d.names, fmt.Sprintf("%s[%d]", name, j))
		d.pen = append(d.pen, true)
	}
	return nil
}

// Bin counts the spikes of train in the bins [start + t·dt, start + (t+1)·dt)
// ms, t = 0..T−1, T = ⌊(stop − start)/dt⌋ (up to a relative rounding of
// 1e-9, so a window that is a whole number of bins is not cut short).
// Spikes outside [start, start + T·dt) are ignored, so an incomplete last
// bin is dropped. A spike within a relative 1e-9 of a bin's start is
// counted in that bin. An empty train gives T zeros. It is an error if the
// window or dt is not positive and finite, or T < 1.
func Bin(train spiketrain.Train, start, stop, dt float64) ([]float64, error) {
	if !(dt > 0) || math.IsInf(dt, 0) {
		return nil, fmt.Errorf("glm: bin width %g ms must be positive and finite", dt)
	}
	if math.IsNaN(start) || math.IsInf(start, 0) || !(stop > start) || math.IsInf(stop, 0) {
		return nil, fmt.Errorf("glm: window [%g, %g) ms is empty or not finite", start, stop)
	}
	n := int(math.Floor((stop-start)/dt + 1e-9))
	if n < 1 {
		return nil, fmt.Errorf("glm: window [%g, %g) ms is shorter than one bin of %g ms", start, stop, dt)
	}
	counts := make([]float64, n)
	for _, t := range train {
		if !(t >= start) {
			continue
		}
		k := int(math.Floor((t-start)/dt + 1e-9))
		if k >= 0 && k < n {
			counts[k]++
		}
	}
	return counts, nil
}
