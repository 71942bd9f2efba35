# Shared by the shell tests (sourced): a scratch directory removed on exit, made the current
# one; check NAME COMMAND... which counts the command's success or failure; contains FILE TEXT
# and lacks FILE TEXT (which show the file when they fail). End a test with `finish`, which
# prints the plain "N passed, N failed" line and fails if anything failed.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
passed=0
failed=0
check() { # check NAME COMMAND...: the command must succeed
  local name=$1; shift
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: $name"; fi
}
contains() { grep -qF -- "$2" "$1" || { echo "--- $1 lacks: $2"; cat "$1"; return 1; }; }
lacks() { ! grep -qF -- "$2" "$1" || { echo "--- $1 should not have: $2"; cat "$1"; return 1; }; }
finish() {
  echo "$passed passed, $failed failed"
  test "$failed" -eq 0
}
