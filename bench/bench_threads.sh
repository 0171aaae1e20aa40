#!/usr/bin/env bash
# Thread policy under load (issue 18): the same Fisher job idle and beside N busy processes,
# for the old default (the engine binary started directly with every core and libgomp's
# spinning wait, as `taskquant` ran before the launcher) and the new default (the `taskquant`
# launcher: OMP_WAIT_POLICY=PASSIVE, threads from the model size and the load), in one run.
# Prints seconds (best of REPEAT) and the busy/idle ratio of each. Not a test.
#
#   bash bench/bench_threads.sh [BUILD_DIR]     env: BUSY (2), REPEAT (3), SAMPLES (32),
#                                               BIG_SAMPLES (4), TIMEOUT (600 s a run)
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build}
FIX=${TASKQUANT_FIXTURES:-$(cd .. && pwd)/shared}
BUSY=${BUSY:-2}; REPEAT=${REPEAT:-3}; SAMPLES=${SAMPLES:-32}; BIG_SAMPLES=${BIG_SAMPLES:-4}
TIMEOUT=${TIMEOUT:-600}
CLI=$BUILD_DIR/app/cli/taskquant
ENGINE=$BUILD_DIR/app/cli/taskquant-engine
for f in "$CLI" "$ENGINE" "$FIX/models/stories260K/config.json" "$FIX/data/gsm8k/train.jsonl"; do
  [ -e "$f" ] || { echo "bench_threads: missing $f" >&2; exit 1; }
done
WORK=$(mktemp -d); trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$WORK"' EXIT
"$CLI" synth-model "$WORK/big" --arch llama --hidden 512 --layers 8 --heads 8 \
    --intermediate 1536 >/dev/null || exit 1
NPROC=$(nproc)

# run_one MODEL SAMPLES MODE -> seconds (best of REPEAT), or ">TIMEOUT"
run_one() {
  local model=$1 n=$2 mode=$3 best="" t0 t1 s rc
  for _ in $(seq "$REPEAT"); do
    t0=$(date +%s.%N)
    if [ "$mode" = old ]; then
      env -u OMP_WAIT_POLICY -u GOMP_SPINCOUNT -u TASKQUANT_THREADS timeout "$TIMEOUT" \
        "$ENGINE" --threads "$NPROC" fisher "$model" --dataset gsm8k \
        --data "$FIX/data/gsm8k/train.jsonl" --samples "$n" --out "$WORK/m.json" >/dev/null 2>&1
    else
      env -u OMP_WAIT_POLICY -u GOMP_SPINCOUNT -u TASKQUANT_THREADS timeout "$TIMEOUT" \
        "$CLI" fisher "$model" --dataset gsm8k \
        --data "$FIX/data/gsm8k/train.jsonl" --samples "$n" --out "$WORK/m.json" >/dev/null 2>&1
    fi
    rc=$?
    t1=$(date +%s.%N)
    [ $rc -eq 124 ] && { echo ">$TIMEOUT"; return; }
    [ $rc -ne 0 ] && { echo "failed"; return; }
    s=$(echo "$t1 - $t0" | bc -l)
    if [ -z "$best" ] || [ "$(echo "$s < $best" | bc -l)" = 1 ]; then best=$s; fi
  done
  printf '%.2f' "$best"
}

start_busy() { for _ in $(seq "$BUSY"); do (while :; do :; done) & done; }
stop_busy() { kill $(jobs -p) 2>/dev/null; wait 2>/dev/null; }

ratio() { case "$1$2" in *'>'*|*failed*) echo "n/a";; *) printf '%.2fx' "$(echo "$2 / $1" | bc -l)";; esac; }

printf 'Fisher (gsm8k), %d cores, %d busy processes, best of %d\n' "$NPROC" "$BUSY" "$REPEAT"
printf '%-28s %-8s %10s %10s %10s\n' model default idle_s busy_s busy/idle
for spec in "stories260K:$FIX/models/stories260K:$SAMPLES" "synthetic-27M:$WORK/big:$BIG_SAMPLES"; do
  IFS=: read -r label model n <<<"$spec"
  for mode in old new; do
    idle=$(run_one "$model" "$n" "$mode")
    start_busy; busy=$(run_one "$model" "$n" "$mode"); stop_busy
    printf '%-28s %-8s %10s %10s %10s\n' "$label ($n samples)" "$mode" "$idle" "$busy" "$(ratio "$idle" "$busy")"
  done
done
