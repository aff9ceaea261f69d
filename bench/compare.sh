#!/usr/bin/env bash
# Runs hebb's benchmark models in hebb and in Brian2 (C++ standalone) side by
# side and prints a table. See bench/brian2/README.md.
#
# Usage: bench/compare.sh [options] [MODEL...]
#   MODEL            coba cuba brunel brunel_stdp microcircuit
#                    (default: coba cuba brunel brunel_stdp)
#   -s, --scale S    population scale (default 1; env SCALE)
#   -d, --duration D simulated seconds (default 1; env DURATION)
#   -t, --threads T  thread counts, comma separated (default 1; env THREADS), e.g. 1,2
#   -r, --reps R     repetitions of each run (default 3; env REPS)
#   --seed N         seed (default 1; env SEED)
#   -o, --out FILE   raw JSON lines (default bench/results-<date>.jsonl; env OUT)
#   --only hebb|brian2   run one side only
#   --hebb CMD       command that runs hebb (default "go run ./cmd/hebb"; env HEBB);
#                    a built binary avoids compiling on every run
#   --no-cache       give Brian2 a fresh project folder on every run (default:
#                    one cached folder per model and thread count under
#                    $BRIAN2_CACHE, default /tmp/hebb-brian2-cache, so that
#                    make recompiles only what changed; sim_s is unaffected)
# Brian2 runs with /usr/bin/python3 (Debian's python3-brian); if it is
# missing and we are root, it is installed with apt-get.
set -euo pipefail

cd "$(dirname "$0")/.."

SCALE=${SCALE:-1}
DURATION=${DURATION:-1}
THREADS=${THREADS:-1}
REPS=${REPS:-3}
SEED=${SEED:-1}
OUT=${OUT:-bench/results-$(date +%Y-%m-%d).jsonl}
HEBB=${HEBB:-go run ./cmd/hebb}
BRIAN2_CACHE=${BRIAN2_CACHE:-/tmp/hebb-brian2-cache}
ONLY=${ONLY:-}
CACHE=1
PY=/usr/bin/python3
MODELS=()

while [ $# -gt 0 ]; do
	case "$1" in
	-s | --scale) SCALE=$2; shift 2 ;;
	-d | --duration) DURATION=$2; shift 2 ;;
	-t | --threads) THREADS=$2; shift 2 ;;
	-r | --reps) REPS=$2; shift 2 ;;
	--seed) SEED=$2; shift 2 ;;
	-o | --out) OUT=$2; shift 2 ;;
	--only) ONLY=$2; shift 2 ;;
	--hebb) HEBB=$2; shift 2 ;;
	--no-cache) CACHE=0; shift ;;
	-h | --help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	-*) echo "compare.sh: unknown option $1" >&2; exit 2 ;;
	*) MODELS+=("$1"); shift ;;
	esac
done
[ ${#MODELS[@]} -gt 0 ] || MODELS=(coba cuba brunel brunel_stdp)
case "$ONLY" in "" | hebb | brian2) ;; *) echo "compare.sh: --only hebb|brian2" >&2; exit 2 ;; esac

ensure_brian2() {
	if "$PY" -c 'import brian2' 2>/dev/null; then
		return
	fi
	if [ "$(id -u)" != 0 ]; then
		echo "compare.sh: Brian2 is missing; as root: apt-get install python3-brian python3-dev cython3 g++" >&2
		exit 1
	fi
	echo "compare.sh: installing Brian2 (python3-brian) ..." >&2
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-brian python3-dev cython3 g++ >&2
}

[ "$ONLY" = hebb ] || ensure_brian2
mkdir -p "$(dirname "$OUT")"
: >>"$OUT"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# run_one SIDE MODEL THREADS: appends one JSON line to $tmp/lines and $OUT.
run_one() {
	local side=$1 model=$2 threads=$3 line
	if [ "$side" = hebb ]; then
		# shellcheck disable=SC2086
		line=$($HEBB bench "$model" --scale "$SCALE" --duration "$DURATION s" --threads "$threads" \
			--seed "$SEED" --json 2>"$tmp/err") || { cat "$tmp/err" >&2; return 1; }
	else
		local dir=()
		[ "$CACHE" = 1 ] && dir=(--build-dir "$BRIAN2_CACHE/$model-t$threads")
		line=$("$PY" bench/brian2/run.py "$model" --scale "$SCALE" --duration "$DURATION" \
			--threads "$threads" --seed "$SEED" "${dir[@]}" 2>"$tmp/err") || { cat "$tmp/err" >&2; return 1; }
	fi
	line=$(printf '%s\n' "$line" | grep '^{' | tail -n 1)
	[ -n "$line" ] || { echo "compare.sh: $side $model printed no JSON" >&2; cat "$tmp/err" >&2; return 1; }
	printf '%s\n' "$line" >>"$tmp/lines"
	printf '%s\n' "$line" >>"$OUT"
	"$PY" -c 'import json,sys; d=json.loads(sys.argv[1]); print("  %-6s %-12s t=%s sim_s=%.3f rates=%s" % (d["simulator"], d["model"], d["threads"], d["sim_s"], d["rates_hz"]))' "$line" >&2
}

sides=(hebb brian2)
[ -z "$ONLY" ] || sides=("$ONLY")
IFS=, read -r -a thread_list <<<"$THREADS"
for model in "${MODELS[@]}"; do
	for threads in "${thread_list[@]}"; do
		echo "== $model scale=$SCALE duration=${DURATION}s threads=$threads" >&2
		for ((r = 1; r <= REPS; r++)); do
			for side in "${sides[@]}"; do
				run_one "$side" "$model" "$threads" || echo "compare.sh: $side $model failed" >&2
			done
		done
	done
done

echo "raw results appended to $OUT" >&2
[ -s "$tmp/lines" ] || exit 1
"$PY" - "$tmp/lines" <<'EOF'
import json, statistics, sys

rows = {}
for line in open(sys.argv[1]):
    d = json.loads(line)
    rows.setdefault((d["model"], d["threads"]), {}).setdefault(d["simulator"], []).append(d)

def med(runs, key):
    return statistics.median(r[key] for r in runs) if runs else None

def rates(runs):
    if not runs:
        return "-"
    r = runs[0]["rates_hz"]
    return " ".join("%s %.1f" % (k, v) for k, v in r.items())

def f(x):
    return "-" if x is None else "%.3f" % x

print("wall s per simulated s: median of the runs (min-max); rates in Hz from the first run")
hdr = ("model", "thr", "hebb", "brian2", "hebb/brian2", "hebb rates", "brian2 rates")
out = [hdr]
for (model, threads), sides in rows.items():
    h, b = sides.get("hebb", []), sides.get("brian2", [])
    def cell(runs):
        if not runs:
            return "-"
        v = [r["wall_per_sim_s"] for r in runs]
        return "%s (%s-%s)" % (f(statistics.median(v)), f(min(v)), f(max(v))) if len(v) > 1 else f(v[0])
    mh, mb = med(h, "wall_per_sim_s"), med(b, "wall_per_sim_s")
    ratio = "%.2f" % (mh / mb) if mh is not None and mb else "-"
    out.append((model, str(threads), cell(h), cell(b), ratio, rates(h), rates(b)))
w = [max(len(r[i]) for r in out) for i in range(len(hdr))]
for r in out:
    print("  ".join(c.ljust(w[i]) for i, c in enumerate(r)).rstrip())
EOF
