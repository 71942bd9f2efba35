#!/usr/bin/env bash
# Guards against unintended changes of model output: runs a small fixed scenario and compares
# its summary with tests/golden/jincheng_summary.txt. When a change of results is intended,
# regenerate the file with scripts/update-golden.sh and commit it with the change.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
actual=$(mktemp)
trap 'rm -f "$actual" "$actual.h5"' EXIT
"$here/golden_summary.sh" "$SKILLSIM" "$actual"
if diff -u "$here/jincheng_summary.txt" "$actual"; then
  echo "golden summary: 1 passed, 0 failed"
else
  echo "golden summary differs (above). If the change is intended, run scripts/update-golden.sh." >&2
  echo "golden summary: 0 passed, 1 failed"
  exit 1
fi
