#!/usr/bin/python3
"""Reference data for neuron/lifvariants_test.go and neuron/siegert_test.go.

Run from this folder with Debian's interpreter (numpy, scipy):

    /usr/bin/python3 gen.py

It writes
  cond_psp.csv  the membrane potential of the conductance-based LIF
                (lif_cond_exp, lif_cond_alpha) after one excitatory and after
                one inhibitory input, solved with scipy's DOP853 at a relative
                tolerance of 1e-13 (the conductance is the analytic
                exponential or alpha function, so only V is integrated);
  siegert.csv   LIF firing rates under white-noise input from the Siegert
                formula, the integral done by scipy.integrate.quad with
                scipy.special.erfcx, and values of erfcx itself.
"""
import numpy as np
from scipy.integrate import quad, solve_ivp
from scipy.special import erfcx

# ---------------------------------------------------------------- cond_psp
# C_m dV/dt = -g_L (V - E_L) - g(t) (V - E_syn); V(0) = E_L; the input
# arrives at t = 0. Parameters: the COBA defaults of lif_cond_*.
C, gL, EL, Eex, Ein = 200.0, 10.0, -60.0, 0.0, -80.0  # pF, nS, mV
tex, tin = 5.0, 10.0  # ms
wex, win = 5.0, 20.0  # nS
T, dt = 100.0, 0.1


def g_exp(w, tau):
    return lambda t: w * np.exp(-t / tau)


def g_alpha(w, tau):
    return lambda t: w * (t / tau) * np.exp(1 - t / tau)


def psp(g, E):
    f = lambda t, y: [(-gL * (y[0] - EL) - g(t) * (y[0] - E)) / C]
    ts = np.round(np.arange(0, T + dt / 2, dt), 10)
    s = solve_ivp(f, (0, T), [EL], method="DOP853", t_eval=ts, rtol=1e-13, atol=1e-12)
    assert s.success
    return ts, s.y[0]


cols = {}
for name, gfun in (("exp", g_exp), ("alpha", g_alpha)):
    ts, cols[name + "_ex"] = psp(gfun(wex, tex), Eex)
    _, cols[name + "_in"] = psp(gfun(win, tin), Ein)
with open("cond_psp.csv", "w") as f:
    f.write("# C_m=%g pF g_L=%g nS E_L=%g E_ex=%g E_in=%g mV tau_syn_ex=%g tau_syn_in=%g ms w_ex=%g w_in=%g nS; V(0)=E_L, input at t=0\n"
            % (C, gL, EL, Eex, Ein, tex, tin, wex, win))
    f.write("t_ms,exp_ex,exp_in,alpha_ex,alpha_in\n")
    for i, t in enumerate(ts):
        f.write("%.1f,%s\n" % (t, ",".join("%.15g" % cols[k][i] for k in ("exp_ex", "exp_in", "alpha_ex", "alpha_in"))))

# ---------------------------------------------------------------- siegert
# nu = 1 / (t_ref + tau_m sqrt(pi) int_{(V_r-mu)/sigma}^{(theta-mu)/sigma} e^{u^2} (1 + erf u) du),
# e^{u^2} (1 + erf u) = erfcx(-u).


def siegert(tau, tref, theta, vr, mu, sigma):
    a, b = (vr - mu) / sigma, (theta - mu) / sigma
    pts = [p for p in (0.0,) if a < p < b]
    I, err = quad(lambda u: erfcx(-u), a, b, epsabs=0, epsrel=1e-13, limit=500, points=pts or None)
    return 1000.0 / (tref + tau * np.sqrt(np.pi) * I)  # Hz (times in ms)


rows = []
for tau, tref, theta, vr in ((20.0, 2.0, 20.0, 10.0), (10.0, 0.5, -50.0, -60.0)):
    base = 0.0 if theta > 0 else -70.0
    for dmu in (-10.0, 0.0, 5.0, 10.0, 15.0, 19.0, 25.0, 40.0):
        for sigma in (0.5, 2.0, 5.0, 8.0, 20.0):
            if (theta - base - dmu) / sigma <= 20:  # rates above ~1e-170 Hz
                rows.append((tau, tref, theta, vr, base + dmu, sigma))
# extremes: far subthreshold (tiny rates), far suprathreshold, narrow noise
rows += [(20.0, 2.0, 20.0, 10.0, -40.0, 5.0), (20.0, 2.0, 20.0, 10.0, 0.0, 2.5),
         (20.0, 2.0, 20.0, 10.0, 200.0, 1.0), (20.0, 0.0, 20.0, 10.0, 21.0, 0.1)]
with open("siegert.csv", "w") as f:
    f.write("# Siegert rates; times ms, potentials mV, rate Hz; scipy quad of erfcx(-u), epsrel 1e-13\n")
    f.write("tau_m,t_ref,theta,V_r,mu,sigma,rate\n")
    for r in rows:
        f.write("%g,%g,%g,%g,%g,%g,%.15g\n" % (r + (siegert(*r),)))

with open("erfcx.csv", "w") as f:
    f.write("# scipy.special.erfcx(x) = exp(x^2) erfc(x)\n")
    f.write("x,erfcx\n")
    for x in list(np.linspace(-6, 6, 49)) + [7.5, 10, 15, 26, 27, 30, 50, 100, 1e3, 1e5, 1e8]:
        f.write("%.17g,%.17g\n" % (x, erfcx(x)))
