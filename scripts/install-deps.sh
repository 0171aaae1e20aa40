#!/usr/bin/env bash
# Installs the Debian 12 packages TaskQuant Studio builds against (only what is missing).
# libopenblas0-openmp is required: without it Debian's libtorch falls back to the reference
# BLAS and runs about 30x slower.
set -euo pipefail
pkgs=(build-essential cmake ninja-build ccache pkg-config
      libtorch-dev libopenblas0-openmp nlohmann-json3-dev libsentencepiece-dev libcli11-dev libpcre2-dev
      qt6-base-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-svg-dev libqcustomplot-dev
      libgl1-mesa-dev xvfb xauth)
if [ "${TASKQUANT_BUILD_GUI:-ON}" = "OFF" ]; then
  pkgs=(build-essential cmake ninja-build ccache pkg-config
        libtorch-dev libopenblas0-openmp nlohmann-json3-dev libsentencepiece-dev libcli11-dev libpcre2-dev)
fi
# The fuzz build (scripts/fuzz.sh) and the sanitizer build need clang and its runtimes; only they
# ask for them, so the ordinary install stays lean. The fuzz build needs nothing of libtorch/Qt.
if [ "${TASKQUANT_DEPS:-}" = "fuzz" ]; then
  pkgs=(cmake ninja-build ccache pkg-config clang-14 libclang-rt-14-dev
        nlohmann-json3-dev libsentencepiece-dev libpcre2-dev)
elif [ "${TASKQUANT_DEPS:-}" = "format" ]; then
  pkgs=(clang-format-14)
elif [ "${TASKQUANT_DEPS:-}" = "sanitize" ]; then
  pkgs+=(clang-14 libclang-rt-14-dev)
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
echo "Installing: ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
