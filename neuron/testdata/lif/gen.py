#!/usr/bin/python3
"""Reference data for neuron/lifvariants_test.go (the Siegert and erfcx
fixtures are made by meanfield/testdata/gen.py).

Run from this folder with Debian's interpreter (numpy, scipy):

    /usr/bin/python3 gen.py

It writes
  cond_psp.csv  the membrane potential of the conductance-based LIF
                (lif_cond_exp, lif_cond_alpha) after one excitatory and after
                one inhibitory input, solved with scipy's DOP853 at a relative
                tolerance of 1e-13 (the conductance is the analytic
                exponential or alpha function, so only V is integrated).
"""
import numpy as np
from scipy.integrate import solve_ivp

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
