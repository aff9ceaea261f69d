package glm

import (
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"strconv"
	"testing"
)

// refFit is one reference fit of testdata/glm_fits.json.
type refFit struct {
	Alpha        float64   `json:"alpha"`
	Params       []float64 `json:"params"`
	BSE          []float64 `json:"bse"`
	LLF          float64   `json:"llf"`
	Deviance     float64   `json:"deviance"`
	NullDeviance float64   `json:"null_deviance"`
	AIC          float64   `json:"aic"`
}

// fixture reads testdata/glm_design.csv and glm_fits.json, made by
// testdata/make_statsmodels.py, and returns the design (intercept, then the
// other columns as covariates), the counts and the reference fits.
func fixture(t *testing.T) (*Design, []float64, map[string]refFit) {
	t.Helper()
	f, err := os.Open("testdata/glm_design.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	head, rows := rows[0], rows[1:]
	p := len(head) - 1
	cols := make([][]float64, p+1)
	for j := range cols {
		cols[j] = make([]float64, len(rows))
		for i, r := range rows {
			if cols[j][i], err = strconv.ParseFloat(r[j], 64); err != nil {
				t.Fatal(err)
			}
		}
	}
	raw, err := os.ReadFile("testdata/glm_fits.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Dt       float64 `json:"dt_ms"`
		Exp      refFit  `json:"exp"`
		Softplus refFit  `json:"softplus"`
		ExpL2    refFit  `json:"exp_l2"`
	}
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	d, err := NewDesign(len(rows), ref.Dt)
	if err != nil {
		t.Fatal(err)
	}
	if head[0] != "intercept" {
		t.Fatalf("first column %q", head[0])
	}
	for _, v := range cols[0] {
		if v != 1 {
			t.Fatal("intercept column is not all ones")
		}
	}
	if err := d.AddIntercept(); err != nil {
		t.Fatal(err)
	}
	for j := 1; j < p; j++ {
		if err := d.AddCovariate(head[j], cols[j]); err != nil {
			t.Fatal(err)
		}
	}
	return d, cols[p], map[string]refFit{"exp": ref.Exp, "softplus": ref.Softplus, "exp_l2": ref.ExpL2}
}

// relErr returns max_j |a_j − b_j|/|b_j|.
func relErr(a, b []float64) float64 {
	m := 0.0
	for j := range b {
		m = math.Max(m, math.Abs(a[j]-b[j])/math.Abs(b[j]))
	}
	return m
}

func rel(a, b float64) float64 { return math.Abs(a-b) / math.Abs(b) }

// TestStatsmodels compares Fit with statsmodels' Poisson GLM (exp link),
// and with scipy optimisations of the softplus-link and ridge-penalised
// likelihoods, all made by testdata/make_statsmodels.py: 4000 bins of
// 5 ms, 689 spikes, 8 columns (intercept, 5 stimulus-like covariates, 2
// spike-history columns). Tolerance: relative error 1e-6 for every
// coefficient, standard error, log-likelihood, deviance and AIC.
func TestStatsmodels(t *testing.T) {
	d, y, refs := fixture(t)
	const tol = 1e-6
	check := func(name string, res *Result, ref refFit) {
		t.Helper()
		e := []float64{relErr(res.Coef, ref.Params), relErr(res.SE, ref.BSE), rel(res.LogLik, ref.LLF)}
		if ref.Deviance != 0 {
			e = append(e, rel(res.Deviance, ref.Deviance))
		}
		if ref.NullDeviance != 0 {
			e = append(e, rel(res.NullDeviance, ref.NullDeviance))
		}
		if ref.AIC != 0 {
			e = append(e, rel(res.AIC, ref.AIC))
		}
		t.Logf("%s: %d iterations; relative errors coef %.2g, SE %.2g, LL %.2g, others %.2g", name, res.Iterations, e[0], e[1], e[2], e[3:])
		for k, v := range e {
			if !(v <= tol) {
				t.Errorf("%s: relative error %d = %g > %g\ncoef %v\nref  %v\nSE   %v\nref  %v", name, k, v, tol, res.Coef, ref.Params, res.SE, ref.BSE)
				break
			}
		}
	}
	res, err := Fit(y, d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	check("exp (statsmodels)", res, refs["exp"])
	if !res.Converged {
		t.Error("Converged false")
	}

	res, err = Fit(y, d, Options{Link: LinkSoftplus})
	if err != nil {
		t.Fatal(err)
	}
	check("softplus (scipy)", res, refs["softplus"])

	l2 := refs["exp_l2"]
	res, err = Fit(y, d, Options{L2: l2.Alpha})
	if err != nil {
		t.Fatal(err)
	}
	check("exp + L2 (scipy)", res, l2)
}
