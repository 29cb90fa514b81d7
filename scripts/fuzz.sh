#!/usr/bin/env bash
# Open-ended fuzzing with clang's libFuzzer: scripts/fuzz.sh TARGET [SECONDS]
# (TARGET: camt, mt940, bank_csv, fee_file, registry, expression, bank_file).
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: scripts/fuzz.sh TARGET [SECONDS]}
seconds=${2:-60}
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DSFMON_LIBFUZZER=ON -DSFMON_WERROR=OFF >/dev/null
cmake --build build-fuzz --target "fuzz_$target" -j"$(nproc)"
mkdir -p "build-fuzz/corpus-$target"
"build-fuzz/tests/fuzz/fuzz_$target" -max_total_time="$seconds" "build-fuzz/corpus-$target"
