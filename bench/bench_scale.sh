#!/bin/sh
# Models the size users have (issue 25): wall time and peak RSS of the whole loop on generated
# bf16 models of Llama-3.2-1B, Llama-3.2-3B and Llama-3.1-8B shapes.
# Usage: bench/bench_scale.sh [BUILD_DIR] [FIXTURES]
#   SHAPES="1b 3b 8b"   which shapes (default: 1b)
#   WORK=DIR            where the generated models and outputs go (default: a temporary folder,
#                       removed at the end; a 1B bf16 model takes 2 GB, 3B 6.4 GB, 8B 16.1 GB)
#   KEEP=1              keep WORK (the generated models are reused by a later run)
#   LLAMA_CPP_BIN=DIR   also llama-imatrix and llama-quantize on the same model (skipped without)
#   COMMANDS="fisher errors frontier export imatrix quantize"   which commands (default: all;
#                       the frontier reads the map fisher wrote, from an earlier run with
#                       KEEP=1 if fisher is skipped; imatrix and quantize need LLAMA_CPP_BIN)
#   FISHER_SAMPLES=16   fisher's samples of 256 tokens (and llama-imatrix's chunks); fewer where
#                       the time forces it
#   FISHER_ARGS=        further fisher options (e.g. --batch-size 1 where the fit check refuses
#                       the automatic batch of 3 x 256 tokens: the 8B shape on 24 GB)
#   FRONTIER_CHUNKS=8   the frontier's chunks of 256 tokens
#   FRONTIER_MEASURE=   the frontier's --measure (default: the three points below; none: only
#                       the predicted frontier)
#   FRONTIER_ARGS=      further frontier options (e.g. --no-fisher-weighting)
# Shapes: 1b is Llama-3.2-1B's body with the synthetic tokenizer's 458-token vocabulary (the rows
# before 3B/8B existed); 3b and 8b take Llama 3's 128,256-row vocabulary (synth-model --vocab:
# rows no token maps to, so the embedding, lm_head and logits cost what the real models' do)
# and 8b an untied lm_head as Llama-3.1-8B has (3B ties it, as Llama-3.2-3B).
# Per shape, one after the other (never two at once), each under /usr/bin/time -v:
#   fisher    16 samples x 256 tokens of WikiText-2
#   errors    every GGUF type (the default candidates), plain errors
#   frontier  5 budgets predicted (--bits 3.5,4,4.5,5,6), 3 points measured on 8 x 256 tokens
#             (the first map's optimal policies at 4 and 4.5 bits and Q4_K_M)
#   export    --type Q4_K_M --format gguf
#   llama.cpp (LLAMA_CPP_BIN): export f16 GGUF, llama-imatrix (16 x 256 tokens), llama-quantize
#             Q4_K_M
# Prints one table row per command: wall seconds, peak RSS in GB, RSS / safetensors size, and
# the target 1.3 x file + 2 GB. Figures, not pass/fail: bench/ never asserts timings.
set -e
build=${1:-build}
fixtures=${2:-${TASKQUANT_FIXTURES:-../shared}}
tq=$build/app/cli/taskquant-engine
text=$fixtures/data/wikitext2/wiki.test.raw
shapes=${SHAPES:-1b}
if [ -n "$WORK" ]; then
    work=$WORK
    mkdir -p "$work"
else
    work=$(mktemp -d)
fi
[ -n "$KEEP" ] || trap 'rm -rf "$work"' EXIT
[ -x "$tq" ] || { echo "no $tq (build first)" >&2; exit 1; }
[ -f "$text" ] || { echo "no $text (fixtures)" >&2; exit 1; }

commands=${COMMANDS:-fisher errors frontier export imatrix quantize}
want() { case " $commands " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }

# run NAME CMD...: runs CMD niced under /usr/bin/time -v, prints a table row.
run() {
    name=$1
    shift
    log=$work/$shape.$name.log
    if ! nice -n 5 /usr/bin/time -v "$@" >"$log" 2>&1; then
        echo "| $shape | $name | failed (see $log) | | | |"
        tail -5 "$log" >&2
        return 0
    fi
    python3 - "$log" "$size" "$shape" "$name" <<'PY'
import re, sys
log, size, shape, name = open(sys.argv[1]).read(), int(sys.argv[2]), sys.argv[3], sys.argv[4]
rss = int(re.search(r'Maximum resident set size \(kbytes\): (\d+)', log).group(1)) * 1024
w = re.search(r'Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)', log).group(1)
sec = 0.0
for part in w.split(':'):
    sec = sec * 60 + float(part)
target = 1.3 * size + 2 * 1024**3
print('| %s | %s | %.0f | %.2f | %.2f | %s |' % (shape, name, sec, rss / 1e9, rss / size,
      'yes' if rss <= target else 'no (%.1f GB)' % (target / 1e9)))
PY
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| shape | command | wall s | peak RSS GB | RSS / file | <= 1.3 x file + 2 GB |"
echo "|---|---|---|---|---|---|"
for shape in $shapes; do
    case $shape in
    1b) args="--hidden 2048 --layers 16 --heads 32 --kv-heads 8 --intermediate 8192" ;;
    3b) args="--hidden 3072 --layers 28 --heads 24 --kv-heads 8 --intermediate 8192 --vocab 128256" ;;
    8b) args="--hidden 4096 --layers 32 --heads 32 --kv-heads 8 --intermediate 14336 --vocab 128256 --untied" ;;
    *) echo "unknown shape $shape (1b, 3b, 8b)" >&2; exit 1 ;;
    esac
    model=$work/model-$shape
    if [ ! -f "$model/model.safetensors" ]; then
        # shellcheck disable=SC2086
        nice -n 5 "$tq" synth-model "$model" --arch llama3 $args --dtype bf16 >/dev/null
    fi
    size=$(stat -c %s "$model/model.safetensors")
    rm -f "$work/$shape".*.svg "$work/$shape".*.gguf "$work/$shape".*.dat
    if want fisher; then
        rm -f "$work/$shape.map.json"
        # shellcheck disable=SC2086
        run fisher "$tq" fisher "$model" --dtype bf16 --dataset wikitext --data "$text" \
            --samples "${FISHER_SAMPLES:-16}" --max-length 256 --bootstrap 0 $FISHER_ARGS \
            --out "$work/$shape.map.json"
    fi
    if want errors; then
        run errors "$tq" errors "$model" --out "$work/$shape.errors.json"
    fi
    if want frontier; then
        rm -f "$work/$shape.frontier.json"
        # shellcheck disable=SC2086
        run frontier "$tq" frontier "$model" --dtype bf16 --map "$work/$shape.map.json" \
            --dataset "wikitext:$text" --ctx 256 --chunks "${FRONTIER_CHUNKS:-8}" \
            --bits 3.5,4,4.5,5,6 --no-error-only \
            --measure "${FRONTIER_MEASURE:-optimal fisher @4,optimal fisher @4.5,Q4_K_M}" \
            $FRONTIER_ARGS --out "$work/$shape.frontier.json" --plot "$work/$shape.frontier.svg"
    fi
    if want export; then
        run export "$tq" export "$model" --type Q4_K_M --format gguf --out "$work/$shape.q4km.gguf"
    fi
    if [ -n "$LLAMA_CPP_BIN" ] && { want imatrix || want quantize; }; then
        nice -n 5 "$tq" export "$model" --type f16 --format gguf --out "$work/$shape.f16.gguf" \
            >/dev/null 2>&1
        if want imatrix; then
            run llama-imatrix "$LLAMA_CPP_BIN/llama-imatrix" -m "$work/$shape.f16.gguf" \
                -f "$text" -c 256 --chunks "${FISHER_SAMPLES:-16}" -o "$work/$shape.imatrix.dat"
        fi
        if want quantize; then
            run llama-quantize "$LLAMA_CPP_BIN/llama-quantize" "$work/$shape.f16.gguf" \
                "$work/$shape.llama-q4km.gguf" Q4_K_M
        fi
        rm -f "$work/$shape.f16.gguf" "$work/$shape.llama-q4km.gguf"
    fi
    if want frontier && [ -f "$work/$shape.frontier.json" ]; then
        python3 - "$work/$shape.frontier.json" <<'PY'
import json, sys
f = json.load(open(sys.argv[1]))
t = f['timing']
m = sum(1 for p in f['points'] if p.get('measured'))
print('  frontier: %d points predicted, %d measured; errors+Fisher %.0f s, reference %.0f s, '
      'mean eval %.0f s, total %.0f s' % (len(f['points']), m, t['errors_seconds'],
                                          t['reference_seconds'], t['mean_eval_seconds'],
                                          t['total_seconds']))
PY
    fi
    rm -f "$work/$shape.q4km.gguf"
done
