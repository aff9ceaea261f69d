#!/usr/bin/python3
"""Reference fits for the glm package tests.

Builds a point-process GLM design (fixed numpy seed): 4000 bins of 5 ms,
an intercept, five stimulus-like covariates and two spike-history columns
computed from the simulated counts themselves, with Poisson counts drawn
bin by bin. Writes

  glm_design.csv  the design matrix and the counts y (full precision),
  glm_fits.json   reference fits:
    "exp"        statsmodels sm.GLM(y, X, family=Poisson(), offset=log(dt/1000))
                 (IRLS): params, bse, llf, deviance, aic, and null_deviance
                 from an explicit intercept-only sm.GLM fit with the offset;
    "softplus"   lambda = log(1 + e^eta) Hz; statsmodels has no softplus link,
                 so the negative log-likelihood is minimised with
                 scipy.optimize.minimize(method="trust-exact") with analytic
                 gradient and Hessian, then polished by 5 Newton steps in
                 numpy (max |gradient| ~1e-15 afterwards);
                 bse from the inverse expected (Fisher) information
                 X' diag(c s^2/lambda) X, c = dt/1000, s = sigmoid(eta);
    "exp_l2"     exp link with the ridge penalty (alpha/2) sum_{j>=1} b_j^2
                 (intercept not penalised), same optimiser; bse from
                 (I + alpha P)^-1.

Run with Debian's python3 (apt-get install python3-statsmodels):
  /usr/bin/python3 glm/testdata/make_statsmodels.py
The Go tests only read the files; they never run Python.
"""
import json
import os

import numpy as np
import scipy.optimize
import scipy.special
import statsmodels
import statsmodels.api as sm

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20261123)

T = 4000
DT = 5.0  # ms
C = DT / 1000.0
OFFSET = np.log(C)

t = np.arange(T)
stim_a = rng.normal(size=T)
stim_b = np.sin(2 * np.pi * t / 200.0)
stim_c = rng.uniform(-1, 1, size=T)
pulse = (rng.uniform(size=T) < 0.2).astype(float)
ramp = t / T - 0.5

true = dict(intercept=np.log(30.0), stim_a=0.3, stim_b=0.4, stim_c=-0.2,
            pulse=0.5, ramp=0.3, hist4=-0.5, trace=0.25)

# History columns from the counts themselves, strictly past bins:
# hist4 = spikes in the previous 4 bins, trace = sum_l 0.8^(l-1) y[t-l].
y = np.zeros(T)
hist4 = np.zeros(T)
trace = np.zeros(T)
tr = 0.0
for i in range(T):
    hist4[i] = y[max(0, i - 4):i].sum()
    trace[i] = tr
    eta = (true["intercept"] + true["stim_a"] * stim_a[i] + true["stim_b"] * stim_b[i]
           + true["stim_c"] * stim_c[i] + true["pulse"] * pulse[i] + true["ramp"] * ramp[i]
           + true["hist4"] * hist4[i] + true["trace"] * trace[i])
    y[i] = rng.poisson(np.exp(eta + OFFSET))
    tr = 0.8 * tr + y[i]

names = ["intercept", "stim_a", "stim_b", "stim_c", "pulse", "ramp", "hist4", "trace"]
X = np.column_stack([np.ones(T), stim_a, stim_b, stim_c, pulse, ramp, hist4, trace])
lgy = scipy.special.gammaln(y + 1).sum()


def deviance(mu):
    pos = y > 0
    d = np.sum(mu) - np.sum(y)
    d += np.sum(y[pos] * np.log(y[pos] / mu[pos]))
    return 2 * d


# --- exp link: statsmodels ---------------------------------------------
model = sm.GLM(y, X, family=sm.families.Poisson(), offset=np.full(T, OFFSET))
fit = model.fit(method="IRLS", tol=1e-14, maxiter=200)
# statsmodels 0.13.5's fit.null_deviance is wrong with an offset (here
# ~1e44; see statsmodels issue #7686 on GLM.null), so the reference null
# deviance is the deviance of an explicit intercept-only fit with the offset.
null = sm.GLM(y, np.ones((T, 1)), family=sm.families.Poisson(), offset=np.full(T, OFFSET)).fit(tol=1e-14)
exp_ref = dict(params=fit.params.tolist(), bse=fit.bse.tolist(), llf=float(fit.llf),
               deviance=float(fit.deviance), null_deviance=float(null.deviance),
               statsmodels_null_deviance_attribute=float(fit.null_deviance),
               aic=float(fit.aic), iterations=int(fit.fit_history["iteration"]))


# --- softplus link: scipy -----------------------------------------------
def softplus(e):
    return np.logaddexp(0.0, e)


def sp_parts(b):
    e = X @ b
    lam = softplus(e)
    s = scipy.special.expit(e)
    return e, lam, s


def sp_negll(b):
    _, lam, _ = sp_parts(b)
    mu = C * lam
    return -(np.sum(y * np.log(mu)) - mu.sum() - lgy)


def sp_grad(b):
    _, lam, s = sp_parts(b)
    r = s * (y / lam - C)
    return -(X.T @ r)


def sp_hess(b):
    _, lam, s = sp_parts(b)
    q = y / lam - C
    w = y * s * s / lam**2 - s * (1 - s) * q
    return X.T @ (w[:, None] * X)


def polish(f_grad, f_hess, b, steps=5):
    for _ in range(steps):
        b = b - np.linalg.solve(f_hess(b), f_grad(b))
    return b


b0 = np.zeros(X.shape[1])
b0[0] = np.log(np.expm1(y.mean() / C))
opt = scipy.optimize.minimize(sp_negll, b0, jac=sp_grad, hess=sp_hess, method="trust-exact",
                              options=dict(gtol=1e-10, maxiter=1000))
bsp = polish(sp_grad, sp_hess, opt.x)
_, lam, s = sp_parts(bsp)
fisher = X.T @ ((C * s * s / lam)[:, None] * X)
softplus_ref = dict(params=bsp.tolist(), bse=np.sqrt(np.diag(np.linalg.inv(fisher))).tolist(),
                    llf=float(-sp_negll(bsp)), deviance=float(deviance(C * lam)),
                    grad_norm=float(np.abs(sp_grad(bsp)).max()), scipy_success=bool(opt.success))

# --- exp link with L2 penalty: scipy ----------------------------------
ALPHA = 5.0
P = np.eye(X.shape[1])
P[0, 0] = 0


def l2_negobj(b):
    e = X @ b + OFFSET
    return -(np.sum(y * e) - np.exp(e).sum() - lgy) + 0.5 * ALPHA * b @ P @ b


def l2_grad(b):
    mu = np.exp(X @ b + OFFSET)
    return -(X.T @ (y - mu)) + ALPHA * P @ b


def l2_hess(b):
    mu = np.exp(X @ b + OFFSET)
    return X.T @ (mu[:, None] * X) + ALPHA * P


opt = scipy.optimize.minimize(l2_negobj, fit.params, jac=l2_grad, hess=l2_hess, method="trust-exact",
                              options=dict(gtol=1e-10, maxiter=1000))
bl2 = polish(l2_grad, l2_hess, opt.x)
e = X @ bl2 + OFFSET
l2_ref = dict(alpha=ALPHA, params=bl2.tolist(),
              bse=np.sqrt(np.diag(np.linalg.inv(l2_hess(bl2)))).tolist(),
              llf=float(np.sum(y * e) - np.exp(e).sum() - lgy),
              grad_norm=float(np.abs(l2_grad(bl2)).max()))

with open(os.path.join(HERE, "glm_design.csv"), "w") as f:
    f.write(",".join(names + ["y"]) + "\n")
    for i in range(T):
        f.write(",".join(repr(float(v)) for v in X[i]) + "," + repr(float(y[i])) + "\n")

ref = dict(
    note="made by make_statsmodels.py; see its docstring",
    numpy=np.__version__, scipy=scipy.__version__, statsmodels=statsmodels.__version__,
    seed=20261123, dt_ms=DT, offset=OFFSET, names=names, true=[true[n] for n in names],
    spikes=int(y.sum()), exp=exp_ref, softplus=softplus_ref, exp_l2=l2_ref,
)
with open(os.path.join(HERE, "glm_fits.json"), "w") as f:
    json.dump(ref, f, indent=1)
print("spikes", int(y.sum()), "max count", int(y.max()))
print("exp", exp_ref["params"], exp_ref["llf"], exp_ref["iterations"])
print("softplus", softplus_ref["params"], softplus_ref["grad_norm"], softplus_ref["scipy_success"])
print("l2", l2_ref["params"], l2_ref["grad_norm"])
