#!/usr/bin/env bash
# Configures and builds sfmon into build/ (or the folder given as $1, with
# extra CMake arguments after it). The binary lands at <folder>/sfmon.
# SFMON_TARGET=sfmon builds only the binary (no test suites).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build}
shift || true
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build "$dir" -j"$(nproc)" ${SFMON_TARGET:+--target "$SFMON_TARGET"}
