#!/bin/sh
# Frontier cost in units of one `eval` of one policy (the issue's target: within 10x with 5
# budgets on stories260K). Usage: bench/bench_frontier.sh [BUILD_DIR] [FIXTURES]
# Prints the frontier's own timing line and the ratio from its JSON ("timing").
set -e
build=${1:-build}
fixtures=${2:-${TASKQUANT_FIXTURES:-../shared}}
model=$fixtures/models/stories260K
data=$fixtures/data/gsm8k/train.jsonl
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$build/app/cli/taskquant" fisher "$model" --dataset gsm8k --data "$data" --samples 64 \
    --max-length 256 --out "$tmp/m.json" >/dev/null 2>&1
"$build/app/cli/taskquant" frontier "$model" --map "$tmp/m.json" --dataset "gsm8k:$data" \
    --ctx 256 --chunks 32 --bits 8.5,9,9.5,10,11 --out "$tmp/f.json" 2>/dev/null | tail -1
python3 -c "import json,sys; t=json.load(open(sys.argv[1]))['timing']; print('frontier / one eval = %.2fx (reference %.2f s, one eval %.2f s, total %.2f s)' % (t['eval_equivalents'], t['reference_seconds'], t['mean_eval_seconds'], t['total_seconds']))" "$tmp/f.json"
