# Shared by the shell tests (sourced; needs PYTHON): on_terminal LOG COMMAND... runs COMMAND with
# stderr on a pseudo-terminal (stdout to /dev/null), so progress bars are drawn; what the terminal
# received goes to LOG; the exit status is the command's.
on_terminal() {
  "$PYTHON" - "$@" <<'PY'
import os, pty, sys
log, argv = sys.argv[1], sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    os.execvp(argv[0], argv)
data = b""
while True:
    try:
        chunk = os.read(fd, 65536)
    except OSError:  # EIO: the command has ended
        break
    if not chunk:
        break
    data += chunk
open(log, "wb").write(data)
sys.exit(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
PY
}
