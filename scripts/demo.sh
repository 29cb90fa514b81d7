#!/usr/bin/env bash
# The main job on the bundled demo city: installs what is missing, builds,
# copies examples/demo-city to build/demo-city (so the bundled inbox stays
# untouched), runs one pull + evaluate cycle of every connector, and prints
# what was stored.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
SFMON_TARGET=sfmon scripts/build.sh build -DSFMON_UNITY_BUILD=ON

work=build/demo-city
rm -rf "$work"
cp -r examples/demo-city "$work"

echo "== sfmon run-once on the demo city ($work)"
build/sfmon run-once --config "$work/sfmon.yaml"
echo
echo "== flagged records (first 20)"
build/sfmon records list --config "$work/sfmon.yaml" --flagged --format table | head -22
if build/sfmon help | grep -q "alerts list"; then
  echo
  echo "== alerts"
  build/sfmon alerts list --config "$work/sfmon.yaml" --format table
fi
