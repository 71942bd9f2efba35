#!/usr/bin/env bash
# Installs everything skillsim needs on a fresh Debian 12 machine. Idempotent: a second run
# only checks. C++ libraries come from Debian packages, Python packages from the Python package
# index (into the interpreter named by $PYTHON, default python3). fonts-noto-cjk gives the plots
# their Chinese labels; python3-venv lets scripts/test.sh install the skillsim package into a
# fresh virtual environment (build-venv/), where pip brings the package's own dependencies.
# netcdf-bin (ncdump, nccopy) lets the tests check that the netCDF-C library reads results files.
# chromium and chromium-driver: the test of `skillsim report` opens the HTML report in a real
# headless browser (through selenium, a test dependency of the Python package).
set -euo pipefail

apt_packages=(
  build-essential cmake ninja-build pkg-config git
  libeigen3-dev libboost-graph-dev libhdf5-dev hdf5-tools netcdf-bin
  pybind11-dev libgtest-dev libgmock-dev libbenchmark-dev librandom123-dev libtomlplusplus-dev libcli11-dev libfmt-dev
  openmpi-bin libopenmpi-dev
  clang libclang-rt-14-dev clang-format
  python3-dev python3-pip python3-venv
  fonts-noto-cjk
  chromium chromium-driver
)
python_packages=(numpy "xarray>=2023.1" "h5netcdf>=1.1" "h5py>=3.8" pandas)

missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing Debian packages: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "install-deps: Debian packages present"
fi

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c "import numpy, xarray, h5netcdf, h5py, pandas" 2>/dev/null; then
  echo "install-deps: installing Python packages into $("$PYTHON" -c 'import sys; print(sys.prefix)')"
  # A Debian system interpreter refuses pip installs (PEP 668) unless told; a pyenv or venv
  # interpreter does not need the flag.
  if ! "$PYTHON" -m pip install --quiet --disable-pip-version-check "${python_packages[@]}"; then
    "$PYTHON" -m pip install --quiet --disable-pip-version-check --break-system-packages "${python_packages[@]}"
  fi
else
  echo "install-deps: Python packages present"
fi
