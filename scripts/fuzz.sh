#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, address + undefined sanitizers, no libtorch) into
# ${FUZZ_BUILD_DIR:-build-fuzz} and runs every target for SECONDS seconds, one after another.
#   scripts/fuzz.sh SECONDS [TARGET...]     fuzz (all targets when none is named)
#   scripts/fuzz.sh --regen-corpus          rewrite tests/fuzz/corpus/ with make_corpus
# Each run starts from the committed seeds (tests/fuzz/corpus/<target>) and regression inputs
# (tests/fuzz/regressions/<target>), plus what earlier runs found (build-fuzz/corpus/<target>).
# A crash, leak, sanitizer report, out-of-memory or an input taking over 5 s fails the run; the
# input is saved as build-fuzz/artifacts/<target>/<kind>-<hash> (copy it into
# tests/fuzz/regressions/<target>/ once fixed). Logs: build-fuzz/logs/<target>.log.
# Prints "<target>: <seconds> s clean" per target and exits non-zero if any target failed.
set -euo pipefail
cd "$(dirname "$0")/.."
TASKQUANT_DEPS=fuzz bash scripts/install-deps.sh
BUILD=${FUZZ_BUILD_DIR:-build-fuzz}
export CCACHE_BASEDIR="$PWD" CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime
CC=clang-14 CXX=clang++-14 cmake -S . -B "$BUILD" -G Ninja -DTASKQUANT_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD" --parallel "${JOBS:-$(nproc)}"

TARGETS=(safetensors config_json tokenizer_json bpe_encode spm_json_encode sentencepiece map_json
         policy_json dataset_jsonl dataset_text gguf imatrix export_manifest)
if [ "${1:-}" = "--regen-corpus" ]; then
  rm -rf tests/fuzz/corpus
  "$BUILD/tests/fuzz/make_corpus" tests/fuzz/corpus
  find tests/fuzz/corpus -type f | sort
  exit 0
fi
SECONDS_PER_TARGET=${1:?usage: scripts/fuzz.sh SECONDS [TARGET...] | --regen-corpus}
shift
[ $# -gt 0 ] && TARGETS=("$@")

declare -A DICT=([config_json]=json [tokenizer_json]=json [map_json]=json [policy_json]=json
                 [dataset_jsonl]=json [safetensors]=json)
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
failed=()
for t in "${TARGETS[@]}"; do
  work="$BUILD/corpus/$t" art="$BUILD/artifacts/$t" log="$BUILD/logs/$t.log"
  mkdir -p "$work" "$art" "$(dirname "$log")"
  args=(-max_total_time="$SECONDS_PER_TARGET" -timeout=5 -rss_limit_mb=2048 -malloc_limit_mb=2048
        -max_len=16384 -print_final_stats=1 -artifact_prefix="$art/")
  [ -n "${DICT[$t]:-}" ] && args+=(-dict=tests/fuzz/${DICT[$t]}.dict)
  seeds=(tests/fuzz/corpus/"$t")
  [ -n "$(ls tests/fuzz/regressions/"$t" 2>/dev/null | grep -v README.md)" ] && seeds+=(tests/fuzz/regressions/"$t")
  start=$(date +%s)
  if "$BUILD/tests/fuzz/fuzz_$t" "${args[@]}" "$work" "${seeds[@]}" >"$log" 2>&1; then
    echo "$t: $(( $(date +%s) - start )) s clean ($(grep -m1 -o 'stat::number_of_executed_units: [0-9]*' "$log" | grep -o '[0-9]*$') runs)"
  else
    echo "$t: FAILED after $(( $(date +%s) - start )) s; see $log and $art/"
    grep -E "ERROR|SUMMARY|CONTRACT|Test unit written" "$log" | head -5 || true
    failed+=("$t")
  fi
done
[ ${#failed[@]} -eq 0 ] || { echo "failed: ${failed[*]}"; exit 1; }
