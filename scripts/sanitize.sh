#!/usr/bin/env bash
# Builds everything with clang's AddressSanitizer + UndefinedBehaviorSanitizer into
# ${BUILD_DIR:-build-asan} and runs the whole test suite there. Any sanitizer report fails its
# test (UBSan halts on the first error, LSan reports leaks at exit; see tests/CMakeLists.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
TASKQUANT_DEPS=sanitize bash scripts/install-deps.sh
export CC=clang-14 CXX=clang++-14
BUILD_DIR=${BUILD_DIR:-build-asan} CMAKE_BUILD_TYPE=RelWithDebInfo \
  bash scripts/build.sh -DTASKQUANT_SANITIZE=address,undefined "$@"
export TASKQUANT_FIXTURES=${TASKQUANT_FIXTURES:-$(cd .. && pwd)/shared}
cd "${BUILD_DIR:-build-asan}"
ctest --output-on-failure --parallel "${JOBS:-$(nproc)}"
