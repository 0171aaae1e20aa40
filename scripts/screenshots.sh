#!/bin/sh
# Renders every TaskQuant Studio view on the Phi-2 study maps to PNG under a virtual X server.
# Usage: scripts/screenshots.sh [OUT_DIR]   (default: build/screenshots)
# Environment: BUILD_DIR (default build), TASKQUANT_FIXTURES (default ../shared).
set -eu
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
OUT=${1:-$BUILD_DIR/screenshots}
MAPS=${TASKQUANT_FIXTURES:-../shared}/maps/taskquant-phi2
STUDIO=$BUILD_DIR/app/studio/taskquant-studio
[ -x "$STUDIO" ] || { echo "$STUDIO: not built (cmake --build $BUILD_DIR --target taskquant-studio)" >&2; exit 1; }
for f in fisher_gsm8k_mean.json magnitude_gsm8k.json fisher_math_mean.json; do
    [ -f "$MAPS/$f" ] || { echo "$MAPS/$f: missing (set TASKQUANT_FIXTURES)" >&2; exit 1; }
done
mkdir -p "$OUT"
# A fresh settings location so window geometry and recent files of a user do not leak in.
XDG_CONFIG_HOME=$(mktemp -d)
export XDG_CONFIG_HOME
trap 'rm -rf "$XDG_CONFIG_HOME"' EXIT
LANG=C.UTF-8 LC_ALL=C.UTF-8 xvfb-run -a -s "-screen 0 1600x1000x24 -dpi 96" \
    "$STUDIO" --screenshots "$OUT" \
    "$MAPS/fisher_gsm8k_mean.json" "$MAPS/magnitude_gsm8k.json" "$MAPS/fisher_math_mean.json"
