#!/bin/sh
# Renders the engine actions of TaskQuant Studio under a virtual X server: the Run Fisher
# dialog, a Fisher job on the embedded demo model (running and finished), the live cost after
# applying llama.cpp's Q4_K_M mix (dock, heatmap coloured by GGUF type, the GGUF Type menu; on
# the demo model every type applies; tst_gguf_type_menu shows a 96-column row's disabled
# ones), the Export dialog with the file size, then the Compute Frontier dialog, the frontier,
# the scatter with bootstrap error bars and the damage validation scatter
# (app/studio/frontier_tour.h).
# Usage: scripts/screenshots-engine.sh [OUT_DIR]   (default: docs/screenshots)
# Environment: BUILD_DIR (default build), TASKQUANT_FIXTURES (default ../shared; GSM8K test set).
set -eu
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
OUT=${1:-docs/screenshots}
DATA=${TASKQUANT_FIXTURES:-../shared}/data/gsm8k/test.jsonl
STUDIO=$BUILD_DIR/app/studio/taskquant-studio
[ -x "$STUDIO" ] || { echo "$STUDIO: not built (cmake --build $BUILD_DIR --target taskquant-studio)" >&2; exit 1; }
[ -f "$DATA" ] || { echo "$DATA: missing (set TASKQUANT_FIXTURES)" >&2; exit 1; }
mkdir -p "$OUT"
XDG_CONFIG_HOME=$(mktemp -d)
export XDG_CONFIG_HOME
trap 'rm -rf "$XDG_CONFIG_HOME"' EXIT
LANG=C.UTF-8 LC_ALL=C.UTF-8 xvfb-run -a -s "-screen 0 1600x1000x24 -dpi 96" \
    "$STUDIO" --engine-screenshots "$OUT" --calibration "gsm8k:$DATA" resources/demo-model
