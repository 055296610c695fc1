"""The reaper: a small process that ends the speech processes' groups if the coach itself is killed.

Every speech process runs in a process group of its own, which the coach ends
after each sentence and at exit. A coach killed by SIGKILL cannot do that, and
a speech command's background child would play on for ever. So the coach
starts this process once (in a session of its own, out of reach of the
terminal's signals) and tells it, on a pipe, each group it starts ("+PGID")
and ends ("-PGID"). When the pipe closes, the coach is gone, however it went:
the reaper kills the groups still listed, then exits. What it cannot reach is
a process that left its group (by `setsid` or `setpgid`), and a group started
in the moment between `fork` and the line that lists it.

Every module that starts a child imports this one, so the way children are
started is set here too: with `fork`, not `vfork`. With `vfork` the thread
that starts a child waits, and cannot be stopped, until the child has started
its program. Ctrl-Z stops the coach's whole process group, and a child still
in it (before it moves to a session of its own) is stopped before it can: the
waiting thread never stops, so the group's stop never completes, the shell is
never told, and its terminal stays blank. Under load, most runs of the six
suspension tests met it once: the player says "Paused." as Ctrl-Z stops it,
and starting that sentence's process met the stop. With `fork` the starting
thread does not wait on the child, and both stop with the group and go on with
it at `fg`. Python documents `subprocess._USE_VFORK` as the switch for this.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
from subprocess import Popen

# See above: a child caught by Ctrl-Z before its program must not hang the stop. (Not in typeshed.)
subprocess._USE_VFORK = False  # type: ignore[attr-defined]
STARTING = threading.Lock()
"""Held while the coach starts a child, and while the player stops its own group for Ctrl-Z. A child forked but
not yet running its program is a copy of the coach, with the coach's signal handlers: caught by that stop, it
passed the SIGTSTP on to the coach's event loop, which stopped the coach again as soon as `fg` had resumed it."""


def start(argv: list[str], *, stdin: int, stdout: int, stderr: int, env: dict[str, str] | None = None) -> Popen[bytes]:
    """`argv` started in a session of its own, out of reach of the terminal's signals, under `STARTING`."""
    with STARTING:
        return subprocess.Popen(argv, stdin=stdin, stdout=stdout, stderr=stderr, start_new_session=True, env=env)


class Reaper:
    """The coach's side: list and unlist process groups; the reaper process starts at the first one."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start the reaper process now, before the first group, so that listing one costs one write."""
        with self._lock:
            self._start()

    def watch(self, group: int) -> None:
        self._send(f"+{group}")

    def forget(self, group: int) -> None:
        self._send(f"-{group}")

    def _start(self) -> None:
        if self._process is None:
            with contextlib.suppress(OSError):  # without it the coach still ends its groups itself
                argv = [sys.executable, "-m", "coach.speech.reaper"]
                self._process = start(argv, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def _send(self, line: str) -> None:
        with self._lock:
            self._start()
            if self._process is None or self._process.stdin is None:
                return
            try:
                self._process.stdin.write(f"{line}\n".encode())
                self._process.stdin.flush()
            except OSError:
                pass  # the reaper is gone (killed by hand); the coach still ends its groups itself


REAPER = Reaper()


def main() -> int:
    groups: set[int] = set()
    for line in sys.stdin.buffer:
        try:
            group = int(line[1:])
        except ValueError:
            continue
        if line.startswith(b"+"):
            groups.add(group)
        elif line.startswith(b"-"):
            groups.discard(group)
    for group in groups:  # the coach is gone and these were still going
        with contextlib.suppress(OSError):
            os.killpg(group, signal.SIGKILL)
    return 0


if __name__ == "__main__":
    sys.exit(main())
