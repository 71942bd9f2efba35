#!/usr/bin/env bash
# Every test on a fresh machine: installs the dependencies, then
#   1. formatting check (clang-format, fails on any diff);
#   2. Release build with warnings as errors, and all tests (ctest: C++ unit tests, the command
#      line end to end, the results file read by xarray and by netCDF-C, the golden summary);
#   3. the same tests built with AddressSanitizer and UndefinedBehaviorSanitizer;
#   4. the fuzz targets (libFuzzer) of the scenario and sweep-file readers, for a short run each;
#   5. the Python package: `pip install .[test]` into a fresh virtual environment (build-venv/,
#      compiled with warnings as errors), every notebook in notebooks/ executed headless, then
#      pytest (strict: warnings are errors), whose summary is the last line.
# Set SKILLSIM_FUZZ_SECONDS (default 60, two thirds for scenarios and one third for sweep files) to
# fuzz longer; SKILLSIM_SKIP_SANITIZE=1 to skip 3.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/install-deps.sh
jobs=$(nproc)

echo "== 1. formatting"
bash scripts/format.sh --check

echo "== 2. Release build, warnings as errors, all tests"
bash scripts/build.sh "$root/build" -DSKILLSIM_WERROR=ON
(cd build && ctest --output-on-failure --parallel "$jobs")

if [ "${SKILLSIM_SKIP_SANITIZE:-0}" != 1 ]; then
  echo "== 3. AddressSanitizer + UndefinedBehaviorSanitizer build, all tests"
  bash scripts/build.sh "$root/build-sanitize" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSKILLSIM_SANITIZE=ON \
    -DSKILLSIM_WERROR=ON -DSKILLSIM_BENCH=OFF
  (cd build-sanitize && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --output-on-failure --parallel "$jobs")
fi

echo "== 4. fuzzing the scenario and sweep-file readers"
for target in fuzz_scenario fuzz_sweep; do
  BUILD_TARGET=$target bash scripts/build.sh "$root/build-fuzz" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DSKILLSIM_FUZZ=ON -DSKILLSIM_TESTS=OFF -DSKILLSIM_BENCH=OFF
done
fuzz_seconds=${SKILLSIM_FUZZ_SECONDS:-60}
sweep_seconds=$((fuzz_seconds / 3))
for run in "fuzz_scenario corpus $((fuzz_seconds - sweep_seconds))" "fuzz_sweep corpus_sweep $sweep_seconds"; do
  read -r target seeds seconds <<< "$run"
  corpus=$(mktemp -d)
  cp "tests/fuzz/$seeds"/* "$corpus"/
  echo "$target, $seconds s:"
  "build-fuzz/bin/$target" -max_total_time="$seconds" -timeout=10 -artifact_prefix="$root/build-fuzz/$target-" \
    "$corpus" 2>&1 | tail -n 3
  rm -rf "$corpus"
done
echo "fuzz: 2 passed, 0 failed"

echo "== 5. Python package, notebooks and pytest"
venv="$root/build-venv"
[ -x "$venv/bin/python" ] || "${PYTHON:-python3}" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
  --config-settings=cmake.define.SKILLSIM_WERROR=ON "$root[test]"
"$venv/bin/python" tests/python/run_notebooks.py
# The report's browser test must run here, not skip (scripts/install-deps.sh installs chromium).
SKILLSIM_REQUIRE_BROWSER=1 "$venv/bin/python" -m pytest -p no:cacheprovider
