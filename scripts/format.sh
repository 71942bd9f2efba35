#!/usr/bin/env bash
# scripts/format.sh: applies clang-format to every C++ file; --check only reports differences.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
mapfile -t files < <(git ls-files --cached --others --exclude-standard '*.cpp' '*.hpp')
if [ "${1:-}" = "--check" ]; then
  clang-format --dry-run --Werror "${files[@]}"
  echo "formatting: ${#files[@]} files clean"
else
  clang-format -i "${files[@]}"
fi
