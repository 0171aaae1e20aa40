#!/usr/bin/env bash
# The main job on the embedded default: builds TaskQuant (installing what is missing), then
# computes task-aware Fisher maps for two tasks and the magnitude map of the demo model, prints
# the most sensitive tensors per task and how the tasks relate, and opens TaskQuant Studio on the
# result when a display is present. Outputs go to ${OUT_DIR:-out/demo}.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
bash scripts/build.sh >/dev/null
OUT_DIR=${OUT_DIR:-out/demo}
mkdir -p "$OUT_DIR"
exec "$BUILD_DIR/app/cli/taskquant" demo --out "$OUT_DIR" "$@"
