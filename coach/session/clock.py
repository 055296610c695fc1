"""Where time comes from: the monotonic clock in a session, a fake one in tests.

Every deadline is computed from a session's origin on this clock and waited
for with `wait_until`; nothing adds up sleeps, so nothing drifts.
"""

from __future__ import annotations

import threading
import time
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float:
        """Seconds on a clock that never goes backwards."""

    def wait_until(self, deadline: float | None, wake: threading.Event) -> None:
        """Return at `deadline` (None: never by itself), or earlier once `wake` is set."""


class MonotonicClock:
    """The real clock."""

    def now(self) -> float:
        return time.monotonic()

    def wait_until(self, deadline: float | None, wake: threading.Event) -> None:
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

    def wait_until(self, deadline: float | None, wake: threading.Event) -> None:
        if wake.is_set():
            return
        if deadline is None:
            raise RuntimeError("the fake clock would wait for ever: nothing is scheduled and no key will come")
        self.time = max(self.time, deadline)
