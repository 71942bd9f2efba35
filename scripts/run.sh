#!/usr/bin/env bash
# The main job on a fresh machine: installs the dependencies, builds, runs the bundled default
# scenario (Jincheng 2020-2021) and prints its summary. Extra arguments go to `skillsim run`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/install-deps.sh"
bash "$root/scripts/build.sh" "$root/build"
mkdir -p "$root/results"
exec "$root/build/bin/skillsim" run -o "$root/results/jincheng_2020_2021.h5" --force "$@"
