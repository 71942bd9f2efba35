#!/usr/bin/env bash
# Regenerates tests/golden/*_summary.txt from the current build. Run it only when a change of
# results or of the summary's layout is intended, and say why in the commit message.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
"$root/tests/golden/golden_summary.sh" "$build/bin/skillsim" "$root/tests/golden"
for file in "$root"/tests/golden/*_summary.txt; do
  echo "updated tests/golden/$(basename "$file"):"
  cat "$file"
done
