#!/usr/bin/python3
"""Reference spike times of the Hodgkin-Huxley squid axon from NEURON.

Writes hh_reference.json next to this script; neuron/hh_test.go reads it.
Run with Debian's interpreter (python3-neuron, NEURON 8.2):

    /usr/bin/python3 neuron/testdata/neuron/hh_reference.py

Model: one isopotential section (nseg = 1, L = diam, area 10000 um^2) with
NEURON's built-in `hh` mechanism, its lookup tables switched off
(usetable_hh = 0: the rates are computed from the formulas at every
evaluation), E_L = -54.4 mV (hh.mod's default is -54.3 mV; hebb uses the
1952 value), E_Na = 50 mV, E_K = -77 mV, C = 1 uF/cm^2.

Integration: CVODE (variable order, variable step) with atol 1e-9 and
rtol 0; threshold crossings (NetCon, 0 mV, upward) are located by
interpolation (cvode.condition_order(2)). Checked against fixed steps of
0.25 us (secondorder = 2): spike times agree within 0.3 us, and CVODE with
atol 1e-8 and 1e-10 agree within 0.05 us.

Protocols, at celsius = 6.3 and 18.5 degC: finitialize(-65) (V = -65 mV, gates
at their steady state there), no current until t = 10 ms, then a step of
current density J (an IClamp of J * area) for 1000 ms; tstop = 1010 ms.
Recorded: upward 0 mV crossing times, and for each spike the time spent
above 0 mV (from a 1 us resampling of V, linearly interpolated).

Also: the resting potential (V after 1000 ms without current), V samples of a
subthreshold step (J = 2.2 uA/cm^2 at 6.3 degC), and two thresholds found by
bisection to 1e-4 uA/cm^2:
  single:     least J with at least one spike during a 200 ms step from rest;
  repetitive: least J with a spike in the last 500 ms of a 1000 ms step.
"""

import json
import math
import os

from neuron import h

AREA = 10000.0  # um^2, hebb's default `area`
ONSET, DUR = 10.0, 1000.0  # ms
ATOL = 1e-9

h.load_file("stdrun.hoc")
sec = h.Section(name="soma")
sec.nseg = 1
sec.L = sec.diam = math.sqrt(AREA / math.pi)  # lateral area pi*d*L
sec.cm = 1.0
seg = sec(0.5)
sec.insert("hh")
seg.hh.gnabar, seg.hh.gkbar, seg.hh.gl, seg.hh.el = 0.12, 0.036, 0.0003, -54.4
seg.ena, seg.ek = 50.0, -77.0
h.usetable_hh = 0

stim = h.IClamp(seg)
stim.delay = ONSET
nc = h.NetCon(seg._ref_v, None, sec=sec)
nc.threshold = 0.0
h.cvode.active(1)
h.cvode.atol(ATOL)
h.cvode.rtol(0)
h.cvode.condition_order(2)


def run(J, dur, celsius, tstop=None, trace=False):
    """Step of J uA/cm^2 from ONSET for dur ms, simulated until tstop
    (default: the end of the step). Returns the spike times and, with
    trace, V sampled every 1 us (index k: t = k us)."""
    if tstop is None:
        tstop = ONSET + dur
    h.celsius = celsius
    stim.amp = J * AREA * 1e-8 * 1e3  # uA/cm^2 * cm^2 = uA; *1e3 -> nA
    stim.dur = dur
    tv = h.Vector()
    nc.record(tv)
    n = int(round(tstop / 0.001)) + 1
    if trace:
        tq = h.Vector([k * 0.001 for k in range(n)])
        vv, tt = h.Vector(), h.Vector()
        vv.record(seg._ref_v, tq)
        tt.record(h._ref_t, tq)
    h.finitialize(-65.0)
    # CVODE's recording stops short of tstop: run a little longer.
    h.continuerun(tstop + 1.0 if trace else tstop)
    spikes = [t for t in tv if t <= tstop]
    if not trace:
        return spikes, None
    assert len(vv) >= n and all(abs(tt[k] - k * 0.001) < 1e-9 for k in range(0, n, 997))
    return spikes, list(vv)[:n]


def widths(v, spikes):
    """Time above 0 mV of each spike, from V sampled every 1 us."""
    out = []
    dt = 0.001
    for ts in spikes:
        k = int(math.floor(ts / dt)) + 1
        while k < len(v) and v[k] >= 0:
            k += 1
        if k >= len(v):
            break
        tdown = (k - 1 + v[k - 1] / (v[k - 1] - v[k])) * dt
        out.append(round(tdown - ts, 6))
    return out


def bisect(pred, lo, hi, tol=1e-4):
    """Least x in [lo, hi] with pred(x), pred monotone."""
    assert not pred(lo) and pred(hi)
    while hi - lo > tol:
        mid = 0.5 * (lo + hi)
        if pred(mid):
            hi = mid
        else:
            lo = mid
    return round(0.5 * (lo + hi), 5)


def single(c):
    return lambda J: len(run(J, 200.0, c)[0]) > 0


def repetitive(c):
    return lambda J: any(t >= ONSET + DUR - 500 for t in run(J, DUR, c)[0])


def main():
    amps = {
        6.3: [1.5, 2.0, 2.2, 2.5, 3.0, 5.0, 6.0, 6.3, 7.0, 10.0, 20.0],
        18.5: [5.0, 7.0, 10.0, 15.0, 20.0],
    }
    out = {
        "generator": "neuron/testdata/neuron/hh_reference.py",
        "simulator": "NEURON " + h.nrnversion(),
        "integration": "CVODE atol %g rtol 0, usetable_hh 0, condition_order 2" % ATOL,
        "area_um2": AREA,
        "v_init_mV": -65.0,
        "onset_ms": ONSET,
        "duration_ms": DUR,
        "protocols": [],
    }
    for c, js in amps.items():
        for J in js:
            sp, v = run(J, DUR, c, trace=True)
            out["protocols"].append({
                "celsius": c,
                "J_uA_cm2": J,
                "spikes_ms": [round(t, 6) for t in sp],
                "widths_ms": widths(v, sp),
            })
    _, v = run(0.0, DUR, 6.3, trace=True)
    out["v_rest_mV"] = round(v[-1], 9)
    _, v = run(2.2, DUR, 6.3, tstop=60.0, trace=True)
    ts = [5.0, 10.0, 11.0, 12.0, 14.0, 16.0, 20.0, 25.0, 30.0, 40.0, 60.0]
    out["subthreshold"] = {
        "celsius": 6.3,
        "J_uA_cm2": 2.2,
        "t_ms": ts,
        "V_mV": [round(v[int(round(t / 0.001))], 9) for t in ts],
    }
    out["thresholds"] = []
    for c, (lo1, hi1, lo2, hi2) in {6.3: (1.5, 3.0, 6.0, 7.0), 18.5: (4.0, 7.0, 7.0, 10.0)}.items():
        out["thresholds"].append({
            "celsius": c,
            "single_uA_cm2": bisect(single(c), lo1, hi1),
            "repetitive_uA_cm2": bisect(repetitive(c), lo2, hi2),
        })
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "hh_reference.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print("wrote", path)


if __name__ == "__main__":
    main()
