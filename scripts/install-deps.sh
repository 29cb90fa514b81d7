#!/usr/bin/env bash
# Installs the Debian 12 packages sfmon needs to build and test. Idempotent:
# packages already present are left alone and apt is not touched at all.
set -euo pipefail

packages=(
  g++ cmake make pkg-config python3
  libpoco-dev libexpat1-dev libyaml-cpp-dev libsqlite3-dev sqlite3 libboost-dev
  libgtest-dev libgmock-dev
  python3-aiosmtpd openssl
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
