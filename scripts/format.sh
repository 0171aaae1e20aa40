#!/usr/bin/env bash
# The project's C++ format (.clang-format), with Debian 12's clang-format 14.
#   bash scripts/format.sh          reformat every tracked C++ file in place
#   bash scripts/format.sh --check  list the files that differ and fail (what .ci/run runs)
set -euo pipefail
cd "$(dirname "$0")/.."
TASKQUANT_DEPS=format bash scripts/install-deps.sh
CF=$(command -v clang-format-14 || command -v clang-format)
mapfile -t files < <(git ls-files '*.cpp' '*.h' | grep -v '^tests/fuzz/corpus/\|^tests/fuzz/regressions/')
if [ "${1:-}" = "--check" ]; then
  mapfile -t bad < <("$CF" --style=file --dry-run "${files[@]}" 2>&1 |
                     sed -n 's/^\([^:]*\):[0-9]*:[0-9]*: warning: code should be clang-formatted.*/\1/p' |
                     sort -u)
  if [ ${#bad[@]} -gt 0 ]; then
    printf 'not formatted (run bash scripts/format.sh):\n' >&2
    printf '  %s\n' "${bad[@]}" >&2
    exit 1
  fi
  echo "format: ${#files[@]} files formatted as .clang-format says"
else
  "$CF" --style=file -i "${files[@]}"
fi
