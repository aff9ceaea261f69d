#!/usr/bin/python3
"""Reference spike trains of the AdEx model for hebb's tests.

Writes adex.json next to this script. Run with Debian's interpreter
(brian2 2.5.1, scipy, numpy):

    /usr/bin/python3 neuron/testdata/brian2/adex.py

Model (Brette & Gerstner 2005), internal units ms, mV, pA, pF, nS:

    C dV/dt = -gL (V - EL) + gL DT exp((V - VT)/DT) - w + I + I_syn
    tau_w dw/dt = a (V - EL) - w
    if V >= V_peak: V <- Vr, w <- w + b

1. Firing patterns. Each preset of Naud et al. (2008, Biol Cybern 99:335,
   Table 1) starts at V = EL, w = 0 and receives the table's step current
   from 50 to 550 ms; the run lasts 600 ms. V_peak = 0 mV (Naud et al. do not
   tabulate it).

   * "brian2": Brian2 at dt = 1 us (runtime numpy target), method BRIAN_METHOD,
     threshold V >= V_peak, reset at the end of the step. The right-hand
     sides are evaluated at Vc = min(V, V_peak), as in hebb: this changes
     nothing below V_peak, but without it the RK4 stages of the step that
     jumps over V_peak see V ~ 10^6 mV and add ~100 pA to w (with the
     exponent alone capped, Brian2 then loses or adds spikes). Brian2 stamps a spike with
     the START of the step in which V crossed V_peak: the crossing lies in
     (t, t + dt].
   * "exact": scipy's DOP853 (rtol 1e-12) with event location (the final
     upswing from VT + 10 DT to V_peak integrated with V as the independent
     variable) and the reset applied at the located time. Used to quantify
     Brian2's own error ("brian2_vs_exact_ms", first spikes only for the
     chaotic "irregular" preset).

2. Synaptic input, for adex (exponential currents, weights in pA) and
   adex_cond (exponential conductances, weights in nS): the tonic preset with
   a bias current receives excitatory and inhibitory input spikes at given
   arrival times. In hebb an input arriving at T (a multiple of dt) is added
   to the synaptic variable at the end of the step that ends at T; Brian2's
   SpikeGeneratorGroup spike at T - dt_brian is applied by the synapses after
   the state update of the step from T - dt_brian to T, i.e. also at T.
   Stored: Brian2's spike times and V sampled every 0.5 ms (Brian2 records
   the state at the start of a step, i.e. V(t)); the same from an
   event-located scipy solution ("exact", "V_exact"); and the largest
   |V_brian2 - V_exact| ("brian2_vs_exact_mV"): Brian2 resets up to 1 us
   late, which shifts V after each spike and is amplified while V lingers
   near threshold.
"""
import json
import math
import os
import sys

import numpy as np
from scipy.integrate import solve_ivp

import brian2
from brian2 import (NeuronGroup, SpikeGeneratorGroup, SpikeMonitor, StateMonitor, Synapses,
                    Network, defaultclock, ms, mV, nS, pA, pF, prefs, start_scope)

DURATION = 600.0  # ms
V_PEAK = 0.0  # mV
BRIAN_DT = 0.001  # ms
BRIAN_METHOD = "rk4"

# C (pF), gL (nS), EL, VT, DeltaT (mV), a (nS), tau_w (ms), b (pA), Vr (mV), I (pA)
PRESETS = {
    "tonic": (200, 10, -70, -50, 2, 2, 30, 0, -58, 500),
    "adapting": (200, 12, -70, -50, 2, 2, 300, 60, -58, 500),
    "initial_burst": (130, 18, -58, -50, 2, 4, 150, 120, -50, 400),
    "regular_bursting": (200, 10, -58, -50, 2, 2, 120, 100, -46, 210),
    "delayed_accelerating": (200, 12, -70, -50, 2, -10, 300, 0, -58, 300),
    "delayed_regular_bursting": (100, 10, -65, -50, 2, -10, 90, 30, -47, 110),
    "transient": (100, 10, -65, -50, 2, 10, 90, 100, -47, 180),
    "irregular": (100, 12, -60, -50, 2, -11, 130, 30, -48, 160),
}
KEYS = ["C", "gL", "EL", "VT", "DeltaT", "a", "tau_w", "b", "Vr"]

EQS = """
dV/dt = (-gL*(Vc - EL) + gL*DeltaT*exp((Vc - VT)/DeltaT) - w + I + I_syn)/C : volt
dw/dt = (a*(Vc - EL) - w)/tau_w : amp
Vc = clip(V, -1*volt, V_peak) : volt
I : amp
C : farad (constant)
gL : siemens (constant)
EL : volt (constant)
VT : volt (constant)
DeltaT : volt (constant)
a : siemens (constant)
tau_w : second (constant)
b : amp (constant)
Vr : volt (constant)
V_peak : volt (constant)
"""

UNITS = {"C": pF, "gL": nS, "EL": mV, "VT": mV, "DeltaT": mV, "a": nS, "tau_w": ms, "b": pA, "Vr": mV}


def set_params(g, i, p):
    for k in KEYS:
        getattr(g, k)[i] = p[k] * UNITS[k]
    g.V_peak[i] = V_PEAK * mV


def brian_patterns(protocols):
    start_scope()
    defaultclock.dt = BRIAN_DT * ms
    g = NeuronGroup(len(protocols), EQS + "I_syn : amp\n", threshold="V >= V_peak",
                    reset="V = Vr; w += b", method=BRIAN_METHOD)
    for i, p in enumerate(protocols):
        set_params(g, i, p)
        g.V[i] = p["V0"] * mV
        g.w[i] = p["w0"] * pA
    mon = SpikeMonitor(g)
    net = Network(g, mon)
    edges = sorted({0.0, DURATION} | {p["t_on"] for p in protocols} | {p["t_off"] for p in protocols})
    for t0, t1 in zip(edges, edges[1:]):
        for i, p in enumerate(protocols):
            g.I[i] = (p["I_on"] if p["t_on"] <= t0 < p["t_off"] else 0.0) * pA
        net.run((t1 - t0) * ms)
    trains = mon.spike_trains()
    return [[round(float(t / ms), 6) for t in trains[i]] for i in range(len(protocols))]


def exact_pattern(p):
    """Event-located solution. Up to V_SWITCH = VT + 10 DT the system is
    integrated in time; from there to V_PEAK, where dV/dt exceeds 10^4 times
    its value near rest and keeps growing exponentially, it is integrated with
    V as the independent variable (dt/dV = 1/V', dw/dV = w'/V'), which is
    smooth and lands exactly on V_PEAK."""
    C, gL, EL, VT, DT, a, tw, b, Vr = (p[k] for k in KEYS)
    v_switch = VT + 10 * DT
    y = np.array([p["V0"], p["w0"]])
    spikes = []
    for t0, t1, I in [(0.0, p["t_on"], 0.0), (p["t_on"], p["t_off"], p["I_on"]), (p["t_off"], DURATION, 0.0)]:
        def f(t, y, I=I):
            V, w = y
            e = math.exp((min(V, V_PEAK) - VT) / DT)
            return [(-gL * (V - EL) + gL * DT * e - w + I) / C, (a * (V - EL) - w) / tw]

        def by_v(V, y):
            dV, dw = f(0.0, (V, y[1]))
            if dV <= 0:
                raise RuntimeError("V' <= 0 above V_SWITCH")
            return [1 / dV, dw / dV]

        def hit(t, y):
            return y[0] - v_switch

        hit.terminal, hit.direction = True, 1
        t = t0
        while t < t1:
            r = solve_ivp(f, (t, t1), y, method="DOP853", rtol=1e-12, atol=1e-12, events=hit)
            if r.status == 1:
                te, ye = r.t_events[0][0], r.y_events[0][0]
                up = solve_ivp(by_v, (v_switch, V_PEAK), [te, ye[1]], method="DOP853", rtol=1e-12, atol=1e-14)
                ts, ws = up.y[0, -1], up.y[1, -1]
                if ts >= t1:
                    raise RuntimeError("spike straddles a change of the current")
                spikes.append(ts)
                y, t = np.array([Vr, ws + b]), ts
            elif r.status == 0:
                y, t = r.y[:, -1], t1
            else:
                raise RuntimeError(r.message)
    return [round(s, 7) for s in spikes]


SYN_DURATION = 300.0  # ms
SAMPLE = 0.5  # ms


def synaptic_protocols():
    """Input trains onto the tonic preset with a bias current."""
    # Excitatory volleys that make the neuron fire, inhibitory ones that
    # pull it back; arrival times are multiples of 0.1 ms.
    ex = [10.0, 30.0, 31.0, 32.0, 60.0, 60.5, 61.0, 61.5, 62.0, 62.5, 63.0, 100.0, 140.3, 140.8, 141.3,
          141.8, 142.3, 142.8, 143.3, 143.8, 200.0, 200.2, 200.4, 200.6, 200.8, 201.0, 201.2, 201.4]
    inh = [20.0, 90.0, 150.0, 151.0, 152.0, 153.0, 154.0, 155.0, 250.0, 250.5]
    base = dict(zip(KEYS, PRESETS["tonic"][:9]))
    return [
        dict(base, name="adex_syn", model="adex", I_e=150.0, tau_syn_ex=2.0, tau_syn_in=5.0,
             w_ex=400.0, w_in=-300.0, ex=ex, inh=inh),
        dict(base, name="adex_cond_syn", model="adex_cond", I_e=150.0, tau_syn_ex=5.0, tau_syn_in=10.0,
             E_ex=0.0, E_in=-80.0, w_ex=6.0, w_in=-8.0, ex=ex, inh=inh),
    ]


def brian_synaptic(p):
    start_scope()
    defaultclock.dt = BRIAN_DT * ms
    if p["model"] == "adex":
        syn = """I_syn = I_ex + I_in : amp
        dI_ex/dt = -I_ex/tau_ex : amp
        dI_in/dt = -I_in/tau_in : amp
        tau_ex : second (constant)
        tau_in : second (constant)
        """
        on_ex, on_in = "I_ex_post += w_ex*pA", "I_in_post += w_in*pA"
    else:
        syn = """I_syn = g_ex*(E_ex - Vc) + g_in*(E_in - Vc) : amp
        dg_ex/dt = -g_ex/tau_ex : siemens
        dg_in/dt = -g_in/tau_in : siemens
        tau_ex : second (constant)
        tau_in : second (constant)
        E_ex : volt (constant)
        E_in : volt (constant)
        """
        # hebb's inhibitory weights are negative; the conductance grows by |w|.
        on_ex, on_in = "g_ex_post += w_ex*nS", "g_in_post += -w_in*nS"
    g = NeuronGroup(1, EQS + syn, threshold="V >= V_peak", reset="V = Vr; w += b", method=BRIAN_METHOD)
    set_params(g, 0, p)
    g.tau_ex, g.tau_in = p["tau_syn_ex"] * ms, p["tau_syn_in"] * ms
    if p["model"] == "adex_cond":
        g.E_ex, g.E_in = p["E_ex"] * mV, p["E_in"] * mV
    g.V = p["EL"] * mV
    g.I = p["I_e"] * pA
    shift = BRIAN_DT  # see the module doc: a spike at T - dt acts at T
    src_ex = SpikeGeneratorGroup(1, np.zeros(len(p["ex"]), dtype=int), (np.array(p["ex"]) - shift) * ms)
    src_in = SpikeGeneratorGroup(1, np.zeros(len(p["inh"]), dtype=int), (np.array(p["inh"]) - shift) * ms)
    s_ex = Synapses(src_ex, g, on_pre=on_ex, namespace={"w_ex": p["w_ex"]})
    s_in = Synapses(src_in, g, on_pre=on_in, namespace={"w_in": p["w_in"]})
    s_ex.connect()
    s_in.connect()
    spk = SpikeMonitor(g)
    st = StateMonitor(g, "V", record=0, dt=SAMPLE * ms)
    net = Network(g, src_ex, src_in, s_ex, s_in, spk, st)
    net.run(SYN_DURATION * ms)
    return ([round(float(t / ms), 6) for t in spk.t],
            [round(float(t / ms), 6) for t in st.t],
            [float(v / mV) for v in st.V[0]])


def exact_synaptic(p):
    """Event-located solution of a synaptic protocol: the state (V, w, s_ex,
    s_in) is integrated between input arrivals (where s jumps), with the
    upswing from VT + 10 DT to V_peak integrated in V as in exact_pattern.
    Returns the spike times and V at the sample times (None for a sample
    that falls within an upswing)."""
    C, gL, EL, VT, DT, a, tw, b, Vr = (p[k] for k in KEYS)
    cond = p["model"] == "adex_cond"
    v_switch = VT + 10 * DT
    samples = [k * SAMPLE for k in range(round(SYN_DURATION / SAMPLE))]
    V_at = [None] * len(samples)

    def f(t, y):
        V, w, se, si = y
        Vc = min(V, V_PEAK)
        isyn = se * (p["E_ex"] - Vc) + si * (p["E_in"] - Vc) if cond else se + si
        dV = (-gL * (Vc - EL) + gL * DT * math.exp((Vc - VT) / DT) - w + p["I_e"] + isyn) / C
        return [dV, (a * (Vc - EL) - w) / tw, -se / p["tau_syn_ex"], -si / p["tau_syn_in"]]

    def by_v(V, z):
        t, w, se, si = z
        d = f(t, (V, w, se, si))
        if d[0] <= 0:
            raise RuntimeError("V' <= 0 above V_SWITCH")
        return [1 / d[0], d[1] / d[0], d[2] / d[0], d[3] / d[0]]

    def hit(t, y):
        return y[0] - v_switch

    hit.terminal, hit.direction = True, 1
    jumps = {}
    for T in p["ex"]:
        jumps.setdefault(round(T, 9), [0.0, 0.0])[0] += p["w_ex"]
    for T in p["inh"]:
        jumps.setdefault(round(T, 9), [0.0, 0.0])[1] += p["w_in"] if not cond else -p["w_in"]
    edges = sorted(set(jumps) | {0.0, SYN_DURATION})
    y = np.array([EL, 0.0, 0.0, 0.0])
    spikes = []
    for t0, t1 in zip(edges, edges[1:]):
        if t0 in jumps:
            y = y + np.array([0.0, 0.0, jumps[t0][0], jumps[t0][1]])
        t = t0
        while t < t1:
            r = solve_ivp(f, (t, t1), y, method="DOP853", rtol=1e-12, atol=1e-12, events=hit, dense_output=True)
            end = r.t_events[0][0] if r.status == 1 else t1
            for i, ts in enumerate(samples):
                if t <= ts <= end:
                    V_at[i] = float(r.sol(ts)[0])
            if r.status == 1:
                ye = r.y_events[0][0]
                up = solve_ivp(by_v, (v_switch, V_PEAK), [end, ye[1], ye[2], ye[3]], method="DOP853", rtol=1e-12, atol=1e-14)
                ts, ws, ses, sis = up.y[:, -1]
                if ts >= t1:
                    raise RuntimeError("spike straddles an input")
                for i, tsam in enumerate(samples):
                    if end < tsam < ts:
                        V_at[i] = None
                spikes.append(ts)
                y, t = np.array([Vr, ws + b, ses, sis]), ts
            elif r.status == 0:
                y, t = r.y[:, -1], t1
            else:
                raise RuntimeError(r.message)
    return [round(x, 7) for x in spikes], V_at


def main():
    prefs.codegen.target = "numpy"
    protocols = []
    for name, vals in PRESETS.items():
        p = dict(zip(KEYS, [float(x) for x in vals[:9]]))
        p.update(name=name, preset=name, V_peak=V_PEAK, V0=p["EL"], w0=0.0,
                 I_on=float(vals[9]), t_on=50.0, t_off=550.0)
        protocols.append(p)
    brian = brian_patterns(protocols)
    for p, sp in zip(protocols, brian):
        p["brian2"] = sp
        p["exact"] = exact_pattern(p)
        n = min(len(sp), len(p["exact"]))
        if p["name"] == "irregular":
            n = min(n, 8)  # chaotic: trajectories separate after a few spikes
        p["brian2_vs_exact_ms"] = max((abs(sp[i] + BRIAN_DT / 2 - p["exact"][i]) for i in range(n)), default=0.0)
        print(f"{p['name']:26s} {len(sp):3d} spikes (exact {len(p['exact'])}), "
              f"max |brian2 + dt/2 - exact| = {p['brian2_vs_exact_ms']:.2g} ms over {n}", file=sys.stderr)
    syn = synaptic_protocols()
    for p in syn:
        p["brian2"], p["t"], p["V"] = brian_synaptic(p)
        p["exact"], p["V_exact"] = exact_synaptic(p)
        assert len(p["V_exact"]) == len(p["t"])
        dv = max(abs(a - b) for a, b in zip(p["V"], p["V_exact"]) if b is not None)
        p["brian2_vs_exact_mV"] = dv
        print(f"{p['name']:26s} {len(p['brian2'])} spikes at {p['brian2']}, exact {p['exact']}, "
              f"max |V_brian2 - V_exact| = {dv:.3g} mV", file=sys.stderr)
    out = {
        "generator": "adex.py (Brian2 " + brian2.__version__ + ", numpy target)",
        "duration_ms": DURATION,
        "brian2_method": BRIAN_METHOD,
        "brian2_dt_ms": BRIAN_DT,
        "brian2_stamp": "start of the step in which V >= V_peak was reached",
        "protocols": protocols,
        "synaptic_duration_ms": SYN_DURATION,
        "synaptic": syn,
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "adex.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
