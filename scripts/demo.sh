#!/usr/bin/env bash
# The main job on the embedded default: builds TaskQuant (installing what is missing), then on the
# demo model (resources/demo-model) computes the Fisher maps of task A (arithmetic) and task B
# (stories) and the magnitude map, the size-quality frontier on task A, the task-A policy at
# about 4.5 bits per weight, compares it on both tasks with llama.cpp's nearest mix and the
# task-B policy, exports it as GGUF and reads it back; prints one table and where every file
# went, and opens TaskQuant Studio on the result when a display is present (--no-gui skips it).
# Outputs go to ${OUT_DIR:-out/demo}; other arguments go to `taskquant demo` (see --help).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
bash scripts/build.sh >/dev/null
OUT_DIR=${OUT_DIR:-out/demo}
mkdir -p "$OUT_DIR"
exec "$BUILD_DIR/app/cli/taskquant" demo --out "$OUT_DIR" "$@"
