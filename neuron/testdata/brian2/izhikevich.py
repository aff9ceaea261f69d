#!/usr/bin/python3
"""Reference spike trains of the Izhikevich (2003) model for hebb's tests.

Writes izhikevich.json next to this script. Run with Debian's interpreter
(brian2 2.5.1, scipy, numpy):

    /usr/bin/python3 neuron/testdata/brian2/izhikevich.py

Model (Izhikevich 2003, IEEE Trans Neural Netw 14:1569), in the paper's
units (v in mV, t in ms, u and I in mV/ms):

    dv/dt = 0.04 v^2 + 5 v + 140 - u + I
    du/dt = a (b v - u)
    if v >= 30: v <- c, u <- u + d

Protocols: each preset of the paper's Fig. 2 starts at its resting point
(the lower root of 0.04 v^2 + (5 - b) v + 140 = 0, u = b v) and receives a
current step I_on from t_on to t_off; the run lasts 600 ms. The paper does
not tabulate the currents of Fig. 2: the cortical types get I = 10, the
value commonly used to reproduce it; TC gets two protocols, a depolarising
step of 2 (tonic firing) and a hyperpolarising step of -10 whose release
evokes a rebound burst; RZ gets 0.5, which leaves RS silent.

Three references per protocol:

* "brian2": Brian2's RK4 at dt = 1 us (runtime numpy target), threshold
  v >= 30, reset at the end of the step. I is a parameter set between
  runs, so the step starts exactly with the step that starts at t_on.
  Brian2 stamps a spike with the START of the step in which v crossed 30,
  so the crossing lies in (t, t + dt].
* "exact": scipy's DOP853 (rtol 1e-12) with event location of v = 30 and
  the reset applied at the located time: the spike times of the ODE to
  about 1e-7 ms. Used to quantify Brian2's own error (stored as
  "brian2_vs_exact_ms").
* "scheme2003": the published MATLAB scheme generalised to step dt, in
  plain Python with the same floating-point operations as hebb's
  izhikevich2003 integrator: v += (dt/2) f(v, u) twice, u += dt a (b v - u),
  then threshold and reset. The current of step s (from s dt to (s+1) dt)
  is I_on if round(t_on/dt) <= s < round(t_off/dt). Stored as the indices
  s of the steps that end with a spike (spike time (s+1) dt), and the final
  (v, u), for dt = 1, 0.5 and 0.1 ms.
"""
import json
import math
import os
import sys

import numpy as np
from scipy.integrate import solve_ivp

import brian2
from brian2 import NeuronGroup, SpikeMonitor, defaultclock, ms, prefs, run

PEAK = 30.0
DURATION = 600.0  # ms

PRESETS = {  # a (1/ms), b (1/ms), c (mV), d (mV/ms): Izhikevich 2003, Fig. 2
    "RS": (0.02, 0.2, -65.0, 8.0),
    "IB": (0.02, 0.2, -55.0, 4.0),
    "CH": (0.02, 0.2, -50.0, 2.0),
    "FS": (0.1, 0.2, -65.0, 2.0),
    "LTS": (0.02, 0.25, -65.0, 2.0),
    "TC": (0.02, 0.25, -65.0, 0.05),
    "RZ": (0.1, 0.26, -65.0, 2.0),
}

PROTOCOLS = [  # name, preset, I_on (mV/ms = pA at C_m = 1 pF), t_on, t_off (ms)
    ("RS", "RS", 10.0, 50.0, 550.0),
    ("IB", "IB", 10.0, 50.0, 550.0),
    ("CH", "CH", 10.0, 50.0, 550.0),
    ("FS", "FS", 10.0, 50.0, 550.0),
    ("LTS", "LTS", 10.0, 50.0, 550.0),
    ("TC", "TC", 2.0, 50.0, 550.0),
    ("TC_rebound", "TC", -10.0, 50.0, 250.0),
    ("RZ", "RZ", 0.5, 50.0, 550.0),
]

BRIAN_DT = 0.001  # ms
SCHEME_DTS = [1.0, 0.5, 0.1]


def rest(b):
    """Lower (stable) root of 0.04 v^2 + (5 - b) v + 140 = 0."""
    B = 5.0 - b
    return (-B - math.sqrt(B * B - 4 * 0.04 * 140.0)) / (2 * 0.04)


def run_brian(protocols):
    prefs.codegen.target = "numpy"
    defaultclock.dt = BRIAN_DT * ms
    eqs = """
    dv/dt = (0.04*v**2 + 5*v + 140 - u + I)/ms : 1
    du/dt = a*(b*v - u)/ms : 1
    I : 1
    a : 1 (constant)
    b : 1 (constant)
    c : 1 (constant)
    d : 1 (constant)
    """
    g = NeuronGroup(len(protocols), eqs, threshold="v >= 30", reset="v = c; u += d", method="rk4")
    for i, p in enumerate(protocols):
        g.a[i], g.b[i], g.c[i], g.d[i] = p["a"], p["b"], p["c"], p["d"]
        g.v[i], g.u[i] = p["v0"], p["u0"]
    mon = SpikeMonitor(g)
    # I is a parameter, constant within a step, changed between runs: the
    # step current starts exactly with the step that starts at t_on.
    edges = sorted({0.0, DURATION} | {p["t_on"] for p in protocols} | {p["t_off"] for p in protocols})
    for t0, t1 in zip(edges, edges[1:]):
        for i, p in enumerate(protocols):
            g.I[i] = p["I_on"] if p["t_on"] <= t0 < p["t_off"] else 0.0
        run((t1 - t0) * ms)
    trains = mon.spike_trains()
    return [[round(float(t / ms), 6) for t in trains[i]] for i in range(len(protocols))]


def run_exact(p):
    a, b, c, d = p["a"], p["b"], p["c"], p["d"]
    y = np.array([p["v0"], p["u0"]])
    spikes = []
    segments = [(0.0, p["t_on"], 0.0), (p["t_on"], p["t_off"], p["I_on"]), (p["t_off"], DURATION, 0.0)]
    for t0, t1, I in segments:
        def f(t, y, I=I):
            v, u = y
            return [0.04 * v * v + 5 * v + 140 - u + I, a * (b * v - u)]

        def hit(t, y):
            return y[0] - PEAK

        hit.terminal, hit.direction = True, 1
        t = t0
        while t < t1:
            r = solve_ivp(f, (t, t1), y, method="DOP853", rtol=1e-12, atol=1e-12, events=hit)
            if r.status == 1:
                te, ye = r.t_events[0][0], r.y_events[0][0]
                spikes.append(te)
                y, t = np.array([c, ye[1] + d]), te
            else:
                y, t = r.y[:, -1], t1
    return [round(s, 7) for s in spikes]


def run_scheme2003(p, dt):
    """The published scheme, with the floating-point operations of hebb."""
    a, b, c, d = p["a"], p["b"], p["c"], p["d"]
    v, u = p["v0"], p["u0"]
    h = dt / 2
    s_on, s_off = round(p["t_on"] / dt), round(p["t_off"] / dt)
    steps = []
    for s in range(round(DURATION / dt)):
        I = p["I_on"] if s_on <= s < s_off else 0.0
        v += h * (0.04 * v * v + 5 * v + 140 - u + I)
        v += h * (0.04 * v * v + 5 * v + 140 - u + I)
        u += dt * a * (b * v - u)
        if v >= PEAK:
            steps.append(s)
            v = c
            u += d
    return steps, [v, u]


def main():
    protocols = []
    for name, preset, I_on, t_on, t_off in PROTOCOLS:
        a, b, c, d = PRESETS[preset]
        v0 = rest(b)
        protocols.append({
            "name": name, "preset": preset, "a": a, "b": b, "c": c, "d": d,
            "v0": v0, "u0": b * v0, "I_on": I_on, "t_on": t_on, "t_off": t_off,
        })
    brian = run_brian(protocols)
    for p, sp in zip(protocols, brian):
        p["brian2"] = sp
        p["exact"] = run_exact(p)
        n = min(len(sp), len(p["exact"]))
        # Brian2's stamp is the start of the crossing step: compare its midpoint.
        p["brian2_vs_exact_ms"] = max((abs(sp[i] + BRIAN_DT / 2 - p["exact"][i]) for i in range(n)), default=0.0)
        p["scheme2003"] = {}
        for dt in SCHEME_DTS:
            steps, final = run_scheme2003(p, dt)
            p["scheme2003"][repr(dt)] = {"steps": steps, "final": final}
        print(f"{p['name']:10s} {len(sp):3d} spikes (exact {len(p['exact'])}), "
              f"max |brian2 + dt/2 - exact| = {p['brian2_vs_exact_ms']:.2g} ms, "
              f"2003 scheme dt=1: {len(p['scheme2003']['1.0']['steps'])} spikes", file=sys.stderr)
    out = {
        "generator": "izhikevich.py (Brian2 " + brian2.__version__ + ", numpy target)",
        "duration_ms": DURATION,
        "peak_mV": PEAK,
        "brian2_method": "rk4",
        "brian2_dt_ms": BRIAN_DT,
        "brian2_stamp": "start of the step in which v >= 30 was reached",
        "protocols": protocols,
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "izhikevich.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
