#!/usr/bin/env bash
# Installs every Debian package nocsim needs. Idempotent, and silent when everything is present,
# so the Makefile can call it before every build.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config
  libboost-graph-dev libboost-iostreams-dev libboost-system-dev libboost-filesystem-dev
  libprotobuf-dev protobuf-compiler libonnx-dev
  libeigen3-dev libssl-dev
  zlib1g-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  gnuplot-nox libcli11-dev
  dataset-fashion-mnist
  libopenmpi-dev openmpi-bin
  clang libclang-rt-14-dev clang-format
  python3-dev pybind11-dev python3-numpy python3-pandas python3-matplotlib
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup.sh: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  SUDO=sudo
fi
echo "setup.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
