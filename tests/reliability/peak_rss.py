"""Run a command and report the kernel's peak RSS for it, measured from a small process of its own.

    python -I -S peak_rss.py RESULT_FILE COMMAND [ARG ...]

Forks and execs COMMAND, waits for it with `wait4` and writes one line `<ru_maxrss in KiB> <exit code>` to
RESULT_FILE (the exit code negative for a signal, as `subprocess` reports it); exits 0 once it has written it.

Why not `wait4` on a child of pytest: on exec, Linux carries the high-water RSS of the memory the new program
replaces into the process's peak — for a child forked or vforked from pytest that is pytest's own peak (gigabytes
once a test session has loaded models), so every ingest would report the same polluted figure. Started from
this wrapper (a fresh interpreter without `site`, a few MB), the command's peak is its own and its reaped
children's (the ingest's reader process), plus at most the wrapper's few MB.

Only `os` and `sys` are imported, so the wrapper stays small; the command gets the wrapper's environment unchanged.
"""

import os
import sys


def main() -> None:
    result, command = sys.argv[1], sys.argv[2:]
    pid = os.fork()
    if pid == 0:
        try:
            os.execv(command[0], command)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    with open(result, "w") as fh:
        fh.write(f"{usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}\n")


if __name__ == "__main__":
    main()
