#!/usr/bin/python3
"""Brian2 (C++ standalone) side of hebb's benchmark suite (issue 6).

Usage: /usr/bin/python3 bench/brian2/run.py MODEL [--scale S] [--duration SEC]
       [--threads T] [--seed N] [--build-dir DIR]

MODEL is one of coba, cuba, brunel, brunel_stdp, microcircuit, as defined in
bench/models.go (see bench/brian2/README.md). Prints one JSON object on stdout in the report format
shared with `hebb bench --json`; Brian2's log and compiler output go to stderr.
"""

import argparse
import json
import math
import os
import shutil
import sys
import tempfile
import time

import numpy as np

MODELS = ('coba', 'cuba', 'brunel', 'brunel_stdp', 'microcircuit')

# Bytes Brian2 keeps per synapse of a static projection with one delay for
# all synapses: the pre- and postsynaptic indices (int32 each) and the
# synapse's entry in the spike queue's per-source lists (int32). Plastic
# and heterogeneous projections add their per-synapse variables (float64
# each: w, traces, lastupdate, delay) and an int32 delay in the queue.
SYN_BYTES_STATIC = 4 + 4 + 4

# Wrapper that runs the compiled binary and records its own peak RSS and wall
# time (the compiler's children are not counted).
RUN_WRAPPER = r'''
import os, resource, subprocess, sys, time
t0 = time.time()
p = subprocess.Popen(sys.argv[1:])
_, status, ru = os.wait4(p.pid, 0)
with open(os.path.join("results", "hebb_bench_binary.txt"), "w") as f:
    f.write("%d %.6f\n" % (ru.ru_maxrss * 1024, time.time() - t0))
sys.exit(os.waitstatus_to_exitcode(status))
'''


def parse_args():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('model', choices=MODELS)
    p.add_argument('--scale', type=float, default=1.0)
    p.add_argument('--duration', type=float, default=1.0, help='simulated time in seconds')
    p.add_argument('--threads', type=int, default=1,
                   help='OpenMP threads (0 = build without OpenMP; run time then is CPU time)')
    p.add_argument('--seed', type=int, default=1)
    p.add_argument('--build-dir', default=None,
                   help='standalone project folder, kept and reused (make recompiles only what changed); '
                        'default: a fresh temporary folder, removed afterwards')
    return p.parse_args()


def fixed_indegree(rng, n_src, n_tgt, k, same):
    """Sources i and targets j for k inputs per target drawn uniformly with
    replacement; when same (source = target population) a target never draws
    itself. Returned in target-major order."""
    j = np.repeat(np.arange(n_tgt, dtype=np.int32), k)
    if same:
        if n_src < 2:
            raise ValueError('population too small for fixed in-degree without autapses')
        r = rng.integers(0, n_src - 1, size=j.size, dtype=np.int64)
        i = (r + (r >= j)).astype(np.int32)
    else:
        i = rng.integers(0, n_src, size=j.size, dtype=np.int32)
    return i, j


def fixed_total_number(rng, n_src, n_tgt, total, same):
    """total synapses, each between a uniformly drawn source and target
    (never i→i when same), as NEST's fixed_total_number (multapses allowed)."""
    j = rng.integers(0, n_tgt, size=total, dtype=np.int64)
    if same:
        r = rng.integers(0, n_src - 1, size=total, dtype=np.int64)
        i = r + (r >= j)
    else:
        i = rng.integers(0, n_src, size=total, dtype=np.int64)
    order = np.lexsort((i, j))
    return i[order].astype(np.int32), j[order].astype(np.int32)


def pop_sizes(scale, full):
    return [max(1, int(round(n * scale))) for n in full]


def build_coba(b, args, rng, pops, conns):
    ms, mV, nS, pF, pA = b.ms, b.mV, b.nS, b.pF, b.pA
    NE, NI = pop_sizes(args.scale, (3200, 800))
    N = NE + NI
    ns = dict(Cm=200 * pF, gL=10 * nS, EL=-60 * mV, Vth=-50 * mV, Vr=-60 * mV,
              Eex=0 * mV, Ein=-80 * mV, tex=5 * ms, tin=10 * ms, wE=4 * nS, wI=51 * nS,
              Ibg=200 * pA)
    eqs = '''
    dv/dt = (gL*(EL - v) + gex*(Eex - v) + gin*(Ein - v) + Ibg)/Cm : volt (unless refractory)
    dgex/dt = -gex/tex : siemens
    dgin/dt = -gin/tin : siemens
    '''
    P = b.NeuronGroup(N, eqs, threshold='v > Vth', reset='v = Vr', refractory=5 * ms,
                      method='euler', namespace=ns, name='P')
    # As bench/models.go: V ~ uniform(-60 mV, -50 mV), g = 0, and a constant
    # 200 pA drive (Auryn's and ANNarchy's COBA benchmark): without it the
    # activity dies out within ~20 ms for every initialisation tried.
    P.v = rng.uniform(-60.0, -50.0, N) * mV
    syn = _two_pop_synapses(b, P, NE, NI, 64, 16, 'gex_post += wE', 'gin_post += wI', 0.1 * ms, ns, rng,
                            conns)
    pops.extend([('E', P, 0, NE), ('I', P, NE, N)])
    return [P] + syn


def build_cuba(b, args, rng, pops, conns):
    ms, mV = b.ms, b.mV
    NE, NI = pop_sizes(args.scale, (3200, 800))
    N = NE + NI
    ns = dict(taum=20 * ms, El=-49 * mV, Vth=-50 * mV, Vr=-60 * mV, tex=5 * ms, tin=10 * ms,
              wE=1.62 * mV, wI=9 * mV)
    eqs = '''
    dv/dt = (ge + gi - (v - El))/taum : volt (unless refractory)
    dge/dt = -ge/tex : volt
    dgi/dt = -gi/tin : volt
    '''
    P = b.NeuronGroup(N, eqs, threshold='v > Vth', reset='v = Vr', refractory=5 * ms,
                      method='exact', namespace=ns, name='P')
    P.v = rng.uniform(-60.0, -50.0, N) * mV
    syn = _two_pop_synapses(b, P, NE, NI, 64, 16, 'ge_post += wE', 'gi_post -= wI', 0.1 * ms, ns, rng, conns)
    pops.extend([('E', P, 0, NE), ('I', P, NE, N)])
    return [P] + syn


def _two_pop_synapses(b, P, NE, NI, kE, kI, on_e, on_i, delay, ns, rng, conns):
    """E→all and I→all projections (fixed in-degree, no autapses) for coba/cuba."""
    objs = []
    for name, lo, n_src, k, code in (('CE', 0, NE, kE, on_e), ('CI', NE, NI, kI, on_i)):
        ii, jj = [], []
        for tlo, n_tgt in ((0, NE), (NE, NI)):
            i, j = fixed_indegree(rng, n_src, n_tgt, k, same=(tlo == lo))
            ii.append(i)
            jj.append(j + tlo)
        i = np.concatenate(ii)
        j = np.concatenate(jj)
        S = b.Synapses(P[lo:lo + n_src], P, on_pre=code, delay=delay, namespace=ns, name=name)
        S.connect(i=i, j=j)
        conns.append((lo, i, SYN_BYTES_STATIC))
        objs.append(S)
    return objs


def build_brunel(b, args, rng, pops, conns, stdp=False):
    ms, mV, Hz = b.ms, b.mV, b.Hz
    NE, NI = pop_sizes(args.scale, (8000, 2000))
    N = NE + NI
    CE, CI = 800, 200
    J = 0.1 * mV
    g = 5.0
    delay = 1.5 * ms
    ns = dict(tau=20 * ms, Vth=20 * mV, Vr=10 * mV, J=J, gJ=g * J,
              taupre=20 * ms, taupost=20 * ms, Apre=0.001 * mV, Apost=-0.00105 * mV,
              wmax=0.3 * mV)
    P = b.NeuronGroup(N, 'dv/dt = -v/tau : volt (unless refractory)', threshold='v > Vth',
                      reset='v = Vr', refractory=2 * ms, method='exact', namespace=ns, name='P')
    P.v = rng.uniform(0.0, 20.0, N) * mV
    # Input during refractoriness is discarded (NEST iaf_psc_delta), both
    # recurrent and external.
    ext = b.PoissonInput(P, 'v', N=CE, rate=25 * Hz, weight='0.1*mV*int(not_refractory)')
    objs = [ext]

    static = 'v_post += J*int(not_refractory_post)'
    if stdp:
        # E→E plastic (its own object), E→I static.
        model = '''
        w : volt
        dapre/dt = -apre/taupre : volt (event-driven)
        dapost/dt = -apost/taupost : volt (event-driven)
        '''
        on_pre = '''
        v_post += w*int(not_refractory_post)
        apre += Apre
        w = clip(w + apost, 0*mV, wmax)
        '''
        on_post = '''
        apost += Apost
        w = clip(w + apre, 0*mV, wmax)
        '''
        i, j = fixed_indegree(rng, NE, NE, CE, same=True)
        S = b.Synapses(P[0:NE], P[0:NE], model=model, on_pre=on_pre, on_post=on_post,
                       delay={'pre': delay}, namespace=ns, name='CEE')
        S.connect(i=i, j=j)
        S.w = J
        conns.append((0, i, SYN_BYTES_STATIC + 4 * 8))
        objs.append(S)
        i, j = fixed_indegree(rng, NE, NI, CE, same=False)
        S = b.Synapses(P[0:NE], P[NE:N], on_pre=static, delay=delay, namespace=ns, name='CEI')
        S.connect(i=i, j=j)
        conns.append((0, i, SYN_BYTES_STATIC))
        objs.append(S)
    else:
        # E→all in one object: targets E (no autapses), then I.
        iE, jE = fixed_indegree(rng, NE, NE, CE, same=True)
        iI, jI = fixed_indegree(rng, NE, NI, CE, same=False)
        i = np.concatenate([iE, iI])
        j = np.concatenate([jE, jI + NE])
        S = b.Synapses(P[0:NE], P, on_pre=static, delay=delay, namespace=ns, name='CE')
        S.connect(i=i, j=j)
        conns.append((0, i, SYN_BYTES_STATIC))
        objs.append(S)
    # I→all.
    iE, jE = fixed_indegree(rng, NI, NE, CI, same=False)
    iI, jI = fixed_indegree(rng, NI, NI, CI, same=True)
    i = np.concatenate([iE, iI])
    j = np.concatenate([jE, jI + NE])
    S = b.Synapses(P[NE:N], P, on_pre='v_post -= gJ*int(not_refractory_post)', delay=delay,
                   namespace=ns, name='CI')
    S.connect(i=i, j=j)
    conns.append((NE, i, SYN_BYTES_STATIC))
    objs.append(S)
    pops.extend([('E', P, 0, NE), ('I', P, NE, N)])
    return [P] + objs


# Potjans & Diesmann 2014.
MC_NAMES = ['L23E', 'L23I', 'L4E', 'L4I', 'L5E', 'L5I', 'L6E', 'L6I']
MC_N = [20683, 5834, 21915, 5479, 4850, 1065, 14395, 2948]
MC_C = [
    [.1009, .1689, .0437, .0818, .0323, 0, .0076, 0],
    [.1346, .1371, .0316, .0515, .0755, 0, .0042, 0],
    [.0077, .0059, .0497, .1350, .0067, .0003, .0453, 0],
    [.0691, .0029, .0794, .1597, .0033, 0, .1057, 0],
    [.1004, .0622, .0505, .0057, .0831, .3726, .0204, 0],
    [.0548, .0269, .0257, .0022, .0600, .3158, .0086, 0],
    [.0156, .0066, .0211, .0166, .0572, .0197, .0396, .2252],
    [.0364, .0010, .0034, .0005, .0277, .0080, .0658, .1443],
]
MC_KEXT = [1600, 1500, 2100, 1900, 2000, 1900, 2900, 2100]


def mc_synapses(t, s, scale):
    """Potjans & Diesmann (2014) eq. 1 at full scale, times the scale (the
    mean in-degree stays that of the full model), as bench/models.go."""
    c = MC_C[t][s]
    if c == 0:
        return 0
    k_total = math.log1p(-c) / math.log1p(-1.0 / (MC_N[s] * MC_N[t]))
    return int(round(k_total * scale))


def _normal_same_sign(rng, mean, sd, n):
    x = rng.normal(mean, sd, n)
    bad = np.sign(x) != np.sign(mean)
    while bad.any():
        x[bad] = rng.normal(mean, sd, int(bad.sum()))
        bad = np.sign(x) != np.sign(mean)
    return x


def build_microcircuit(b, args, rng, pops, conns):
    ms, mV, pA, pF, Hz = b.ms, b.mV, b.pA, b.pF, b.Hz
    dt_ms = 0.1
    ns = dict(taum=10 * ms, Cm=250 * pF, EL=-65 * mV, Vth=-50 * mV, Vr=-65 * mV, tsyn=0.5 * ms)
    eqs = '''
    dv/dt = -(v - EL)/taum + I/Cm : volt (unless refractory)
    dI/dt = -I/tsyn : amp
    '''
    sizes = pop_sizes(args.scale, MC_N)
    groups = []
    objs = []
    for name, n, kext in zip(MC_NAMES, sizes, MC_KEXT):
        G = b.NeuronGroup(n, eqs, threshold='v > Vth', reset='v = Vr', refractory=2 * ms,
                          method='exact', namespace=ns, name=name)
        G.v = rng.normal(-58.0, 10.0, n) * mV
        objs.append(b.PoissonInput(G, 'I', N=kext, rate=8 * Hz, weight=87.81 * pA))
        groups.append(G)
        pops.append((name, G, 0, n))
    gid0 = np.cumsum([0] + sizes[:-1])
    for t in range(8):
        for s in range(8):
            k = mc_synapses(t, s, args.scale)
            if k == 0:
                continue
            i, j = fixed_total_number(rng, sizes[s], sizes[t], k, same=(s == t))
            exc = MC_NAMES[s].endswith('E')
            if exc:
                mean = 175.62 if (s == 2 and t == 0) else 87.81
                w = _normal_same_sign(rng, mean, mean / 10, i.size)
                d = rng.normal(1.5, 0.75, i.size)
            else:
                w = _normal_same_sign(rng, -351.24, 35.124, i.size)
                d = rng.normal(0.75, 0.375, i.size)
            d = np.maximum(np.round(d / dt_ms), 1) * dt_ms
            S = b.Synapses(groups[s], groups[t], model='w : amp', on_pre='I_post += w',
                           namespace=ns, name='C_%s_%s' % (MC_NAMES[s], MC_NAMES[t]))
            S.connect(i=i, j=j)
            S.w = w * pA
            S.delay = d * ms
            conns.append((int(gid0[s]), i, SYN_BYTES_STATIC + 8 + 8 + 4))
            objs.append(S)
    # Monitors use per-group indices; pops carries (name, group, 0, n).
    return groups + objs


def main():
    args = parse_args()
    t_start = time.time()
    import brian2 as b
    b.prefs.devices.cpp_standalone.openmp_threads = max(0, args.threads)
    # Brian2's default is 'make -j' without a limit: hundreds of compilers at
    # once for the microcircuit.
    b.prefs.devices.cpp_standalone.extra_make_args_unix = ['-j%d' % (os.cpu_count() or 1)]
    tmp = args.build_dir is None
    directory = tempfile.mkdtemp(prefix='hebb-brian2-') if tmp else os.path.abspath(args.build_dir)
    os.makedirs(directory, exist_ok=True)
    wrapper = os.path.join(directory, 'hebb_bench_wrapper.py')
    with open(wrapper, 'w') as f:
        f.write(RUN_WRAPPER)
    b.prefs.devices.cpp_standalone.run_cmd_unix = [sys.executable, wrapper, './main']
    b.set_device('cpp_standalone', directory=directory, build_on_run=False)
    b.defaultclock.dt = 0.1 * b.ms
    b.seed(args.seed)
    rng = np.random.default_rng(args.seed)

    pops, conns = [], []
    if args.model == 'coba':
        objs = build_coba(b, args, rng, pops, conns)
    elif args.model == 'cuba':
        objs = build_cuba(b, args, rng, pops, conns)
    elif args.model == 'brunel':
        objs = build_brunel(b, args, rng, pops, conns)
    elif args.model == 'brunel_stdp':
        objs = build_brunel(b, args, rng, pops, conns, stdp=True)
    else:
        objs = build_microcircuit(b, args, rng, pops, conns)

    groups = []
    for _, G, _, _ in pops:
        if all(G is not g for g in groups):
            groups.append(G)
    monitors = [b.SpikeMonitor(G, record=True) for G in groups]
    net = b.Network(objs + monitors)
    net.run(args.duration * b.second)
    t_built = time.time()
    b.device.build(directory=directory, compile=True, run=True, debug=False)
    t_end = time.time()

    sim_s = float(b.device._last_run_time)
    completed = float(b.device._last_run_completed_fraction)
    with open(os.path.join(directory, 'results', 'hebb_bench_binary.txt')) as f:
        rss, binary_s = f.read().split()
    peak_rss = int(rss)
    binary_s = float(binary_s)

    counts = {id(G): np.asarray(m.count[:], dtype=np.int64) for G, m in zip(groups, monitors)}
    neurons = sum(len(G) for G in groups)
    rates = {}
    spikes = 0
    for name, G, lo, hi in pops:
        c = counts[id(G)][lo:hi]
        spikes += int(c.sum())
        rates[name] = round(float(c.sum()) / ((hi - lo) * args.duration), 4)
    # Synaptic events: every spike of a source neuron is transmitted over all
    # its outgoing synapses (spikes still in flight at the end are counted).
    # Source indices in conns are local to their group; offsets index the
    # concatenated per-group counts (same order as pops for microcircuit).
    if args.model == 'microcircuit':
        allc = np.concatenate([counts[id(G)] for G in groups])
    else:
        allc = counts[id(groups[0])]
    events = 0
    synapses = 0
    syn_bytes = 0
    for lo, i, nb in conns:
        synapses += int(i.size)
        syn_bytes += int(i.size) * nb
        events += int(allc[lo + i].sum())

    report = {
        'simulator': 'brian2',
        'model': args.model,
        'scale': args.scale,
        'threads': args.threads,
        'duration_s': args.duration,
        'neurons': neurons,
        'synapses': synapses,
        'build_s': round((t_end - t_start) - sim_s, 4),
        'sim_s': round(sim_s, 4),
        'wall_per_sim_s': round(sim_s / args.duration, 4),
        'spikes': spikes,
        'rates_hz': rates,
        'events': events,
        'peak_rss_bytes': peak_rss,
        'bytes_per_synapse': round(syn_bytes / synapses, 2) if synapses else None,
        'events_per_s': round(events / sim_s, 1) if sim_s > 0 else None,
        'detail': {
            'brian2_version': b.__version__,
            'seed': args.seed,
            'python_construct_s': round(t_built - t_start, 3),
            'make_s': round(b.device.timers['compile']['make'] or 0.0, 3),
            'binary_wall_s': round(binary_s, 3),
            'completed_fraction': completed,
            'timer': 'omp_get_wtime (wall)' if args.threads > 0 else 'std::clock (CPU)',
        },
    }
    print(json.dumps(report))
    if tmp:
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == '__main__':
    main()
