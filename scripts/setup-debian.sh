#!/usr/bin/env bash
# scripts/setup-debian.sh: installs what clact needs on Debian 12 (or Ubuntu) when missing:
# PoCL (OpenCL on the CPU), the ICD loader and headers, clinfo, a C compiler, CMake, and MPFR
# (for the reference self-test). Idempotent; uses sudo when not run as root.
set -euo pipefail
packages=(pocl-opencl-icd ocl-icd-opencl-dev opencl-headers clinfo gcc make cmake libmpfr-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all packages present"
  exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "setup: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
