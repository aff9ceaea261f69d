package glm

import (
	"fmt"
	"math"
	"strings"
)

// pivotTol is the smallest acceptable Cholesky pivot of the Fisher
// information scaled to unit diagonal: a pivot below it means that column
// j, regressed (with the IRLS weights) on the columns before it, has
// 1 − R² < pivotTol, i.e. it is a linear combination of them to within
// rounding.
const pivotTol = 1e-10

// chol is the Cholesky factor of a symmetric positive-definite p×p matrix
// A, computed on the scaled matrix S = D·A·D, D = diag(A)^(−1/2), so that
// its pivots measure collinearity independently of the columns' units.
type chol struct {
	p     int
	scale []float64 // D
	l     []float64 // lower factor of S, row-major p×p
}

// factor factors the full symmetric p×p matrix a (row-major). On failure
// it returns the index of the offending column and whether the column has
// no information at all (zero diagonal), and the factor of the leading
// block before it.
func factor(a []float64, p int) (c *chol, bad int, zero bool) {
	c = &chol{p: p, scale: make([]float64, p), l: make([]float64, p*p)}
	for j := range p {
		d := a[j*p+j]
		if !(d > 0) || math.IsInf(d, 0) {
			return c, j, true
		}
		c.scale[j] = 1 / math.Sqrt(d)
	}
	l := c.l
	for j := range p {
		lj := l[j*p : j*p+j]
		s := 1.0 // scaled diagonal
		for _, v := range lj {
			s -= v * v
		}
		if !(s > pivotTol) {
			return c, j, false
		}
		djj := math.Sqrt(s)
		l[j*p+j] = djj
		for i := j + 1; i < p; i++ {
			li := l[i*p : i*p+j]
			v := a[i*p+j] * c.scale[i] * c.scale[j]
			for k, x := range li {
				v -= x * lj[k]
			}
			l[i*p+j] = v / djj
		}
	}
	return c, -1, false
}

// solve returns x with A·x = b.
func (c *chol) solve(b []float64) []float64 {
	p := c.p
	z := make([]float64, p)
	for i := range p {
		z[i] = b[i] * c.scale[i]
	}
	c.solveScaled(z, p)
	for i := range p {
		z[i] *= c.scale[i]
	}
	return z
}

// solveScaled solves S_k·z = z in place for the leading k×k block S_k of
// the scaled matrix.
func (c *chol) solveScaled(z []float64, k int) {
	p, l := c.p, c.l
	for i := range k {
		v := z[i]
		for j := range i {
			v -= l[i*p+j] * z[j]
		}
		z[i] = v / l[i*p+i]
	}
	for i := k - 1; i >= 0; i-- {
		v := z[i]
		for j := i + 1; j < k; j++ {
			v -= l[j*p+i] * z[j]
		}
		z[i] = v / l[i*p+i]
	}
}

// inverse returns A⁻¹ as a full row-major p×p matrix.
func (c *chol) inverse() []float64 {
	p := c.p
	inv := make([]float64, p*p)
	e := make([]float64, p)
	for j := range p {
		clear(e)
		e[j] = 1
		c.solveScaled(e, p)
		for i := range p {
			inv[i*p+j] = e[i] * c.scale[i] * c.scale[j]
		}
	}
	// Symmetrise against rounding.
	for i := range p {
		for j := i + 1; j < p; j++ {
			m := 0.5 * (inv[i*p+j] + inv[j*p+i])
			inv[i*p+j], inv[j*p+i] = m, m
		}
	}
	return inv
}

// singularError explains why the matrix a (p×p) could not be factored at
// column bad: the column carries no information, or it is (with the IRLS
// weights) a linear combination of the columns named before it, which are
// found by regressing it on them.
func singularError(what string, a []float64, p int, c *chol, bad int, zero bool, names []string) error {
	if zero {
		return fmt.Errorf("%w (%s): column %q carries no information (it is zero wherever the model's weights are positive)", ErrSingular, what, names[bad])
	}
	// Regression of the scaled column bad on the scaled columns before it.
	z := make([]float64, bad)
	for i := range bad {
		z[i] = a[i*p+bad] * c.scale[i] * c.scale[bad]
	}
	c.solveScaled(z, bad)
	var with []string
	for i, v := range z {
		if math.Abs(v) > 1e-6 {
			with = append(with, fmt.Sprintf("%q", names[i]))
		}
	}
	if len(with) == 0 {
		return fmt.Errorf("%w (%s): column %q is numerically dependent on the columns before it", ErrSingular, what, names[bad])
	}
	return fmt.Errorf("%w (%s): column %q is a linear combination of %s (collinear columns)", ErrSingular, what, names[bad], strings.Join(with, ", "))
}
