#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite with ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh "$@"
export TASKQUANT_FIXTURES=${TASKQUANT_FIXTURES:-$(cd .. && pwd)/shared}
cd "${BUILD_DIR:-build}"
ctest --output-on-failure --parallel "${JOBS:-$(nproc)}"
