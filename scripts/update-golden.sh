#!/usr/bin/env bash
# Regenerates tests/golden/jincheng_summary.txt from the current build. Run it only when a change
# of results is intended, and say why in the commit message.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
"$root/tests/golden/golden_summary.sh" "$build/bin/skillsim" "$root/tests/golden/jincheng_summary.txt"
rm -f "$root/tests/golden/jincheng_summary.txt.h5"
echo "updated tests/golden/jincheng_summary.txt:"
cat "$root/tests/golden/jincheng_summary.txt"
