"""Where time comes from: the monotonic clock in a session, a fake one in tests.

Every deadline is computed from a session's origin on this clock and waited
for with `wait_until`; nothing adds up sleeps, so nothing drifts.
"""

from __future__ import annotations

import contextlib
import os
import select
import time
from typing import Protocol


class Wake:
    """A flag a sleeping loop wakes up for, like `threading.Event`, but one that a signal handler may set.

    `Event.set` takes a lock; a handler that runs while the code it interrupted holds that same lock
    (SIGHUP arriving while Ctrl-Z's handler is posting its pause) waits for it for ever. Here setting
    is a write of one byte to a pipe, and waiting is `select` on it: no lock anywhere.
    """

    def __init__(self) -> None:
        self._read, self._write = os.pipe()
        os.set_blocking(self._read, False)
        os.set_blocking(self._write, False)

    def set(self) -> None:
        with contextlib.suppress(BlockingIOError):  # the pipe is full: it is set already
            os.write(self._write, b"x")

    def clear(self) -> None:
        try:
            while os.read(self._read, 4096):
                pass
        except BlockingIOError:
            pass

    def is_set(self) -> bool:
        return self.wait(0)

    def wait(self, timeout: float | None = None) -> bool:
        """True once set (and still set), False when `timeout` seconds pass first."""
        return bool(select.select([self._read], [], [], timeout)[0])

    def close(self) -> None:
        for fd in (self._read, self._write):
            with contextlib.suppress(OSError):
                os.close(fd)
        self._read = self._write = -1

    def __del__(self) -> None:
        if self._read >= 0:
            self.close()


class Clock(Protocol):
    def now(self) -> float:
        """Seconds on a clock that never goes backwards."""

    def wait_until(self, deadline: float | None, wake: Wake) -> None:
        """Return at `deadline` (None: never by itself), or earlier once `wake` is set."""


class MonotonicClock:
    """The real clock."""

    def now(self) -> float:
        return time.monotonic()

    def wait_until(self, deadline: float | None, wake: Wake) -> None:
        if deadline is None:
            wake.wait()
            return
        remaining = deadline - time.monotonic()
        if remaining > 0:
            wake.wait(remaining)


class FakeClock:
    """A clock that jumps to each deadline at once: a 20-minute program plays in milliseconds."""

    def __init__(self, start: float = 1000.0) -> None:
        self.time = start

    def now(self) -> float:
        return self.time

    def advance(self, seconds: float) -> None:
        self.time += seconds

    def wait_until(self, deadline: float | None, wake: Wake) -> None:
        if wake.is_set():
            return
        if deadline is None:
            raise RuntimeError("the fake clock would wait for ever: nothing is scheduled and no key will come")
        self.time = max(self.time, deadline)
