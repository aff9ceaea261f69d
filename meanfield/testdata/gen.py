#!/usr/bin/python3
"""Reference data for meanfield/siegert_test.go.

Run from this folder with Debian's interpreter (numpy, scipy):

    /usr/bin/python3 gen.py

It writes
  siegert.csv   LIF firing rates under white-noise input from the Siegert
                formula, the integral done by scipy.integrate.quad with
                scipy.special.erfcx;
  erfcx.csv     values of scipy.special.erfcx.
"""
import numpy as np
from scipy.integrate import quad
from scipy.special import erfcx

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
