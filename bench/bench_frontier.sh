#!/bin/sh
# Frontier cost against one `eval` of one policy (the issue's target: within 10x with 5 budgets
# on stories260K). Usage: bench/bench_frontier.sh [BUILD_DIR] [FIXTURES]
# Times, on the same text and windows, the whole commands as a user runs them:
#   taskquant eval MODEL --policy P     (load, tokenize, reference pass, one quantized pass)
#   taskquant frontier MODEL --map M --bits 5 budgets (every mix, uniform type, optimal family)
# and prints wall-clock seconds and their ratio, plus the frontier's own timing line.
set -e
build=${1:-build}
fixtures=${2:-${TASKQUANT_FIXTURES:-../shared}}
tq=$build/app/cli/taskquant
model=$fixtures/models/stories260K
data=$fixtures/data/gsm8k/train.jsonl
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
now() { python3 -c 'import time; print(time.monotonic())'; }
"$tq" fisher "$model" --dataset gsm8k --data "$data" --samples 64 --max-length 256 \
    --out "$tmp/m.json" >/dev/null 2>&1
cat > "$tmp/p.json" <<'JSON'
{"format": "taskquant-policy", "version": 1, "default": "q4_0", "embeddings": "f16",
 "lm_head": "f16", "norms": "f32", "biases": "f32", "other": "f16", "reference": "f16",
 "overrides": {}}
JSON
t0=$(now)
"$tq" eval "$model" --policy "$tmp/p.json" --dataset "gsm8k:$data" --ctx 256 --chunks 32 \
    >/dev/null 2>&1
t1=$(now)
"$tq" frontier "$model" --map "$tmp/m.json" --dataset "gsm8k:$data" --ctx 256 --chunks 32 \
    --bits 8.5,9,9.5,10,11 --out "$tmp/f.json" 2>/dev/null | tail -1
t2=$(now)
python3 - "$tmp/f.json" "$t0" "$t1" "$t2" <<'PY'
import json, sys
f = json.load(open(sys.argv[1]))
t0, t1, t2 = map(float, sys.argv[2:5])
ev, fr = t1 - t0, t2 - t1
t = f['timing']
print('points %d, distinct plans evaluated %d' % (len(f['points']), t.get('evaluations', 0)))
print('one eval %.2f s, frontier (5 budgets) %.2f s: frontier / one eval = %.2fx (wall clock)'
      % (ev, fr, fr / ev))
print('inside frontier: reference %.2f s, mean eval %.2f s, errors %.2f s, total %.2f s = %.2fx'
      % (t['reference_seconds'], t['mean_eval_seconds'], t['errors_seconds'],
         t['total_seconds'], t['eval_equivalents']))
PY
