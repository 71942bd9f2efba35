#!/usr/bin/env bash
# Guards against unintended changes of model output and of the summary's layout: runs the golden
# scenarios (golden_summary.sh) and compares their summaries with tests/golden/*_summary.txt.
# When a change is intended, regenerate the files with scripts/update-golden.sh and commit them
# with the change.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
actual=$(mktemp -d)
trap 'rm -rf "$actual"' EXIT
"$here/golden_summary.sh" "$SKILLSIM" "$actual"
passed=0
failed=0
for file in "$actual"/*_summary.txt; do
  name=$(basename "$file")
  if [ -f "$here/$name" ] && diff -u "$here/$name" "$file"; then
    passed=$((passed + 1))
  else
    [ -f "$here/$name" ] || echo "tests/golden/$name is missing" >&2
    echo "golden summary $name differs (above). If the change is intended, run scripts/update-golden.sh." >&2
    failed=$((failed + 1))
  fi
done
echo "golden summaries: $passed passed, $failed failed"
test "$failed" -eq 0
