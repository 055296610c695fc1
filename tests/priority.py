"""CPU-bound tests at the lowest priority, so the real-clock tests beside them keep their timing.

A full run puts ten workers on two cores, and most of them play sessions on the real clock. Fuzzing is pure
CPU: at the usual priority it took a core from them for minutes and their sentences began late. Linux keeps a
nice value per thread, so one thread can give way without the worker that later runs a real-clock test in it.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable

LOWEST = 19


def at_lowest_priority(run: Callable[[], None]) -> None:
    """`run()` in a thread of its own at the lowest CPU priority; what it raised is raised here."""
    raised: list[BaseException] = []

    def body() -> None:
        with contextlib.suppress(OSError):  # where priorities cannot be set, the test still runs
            os.setpriority(os.PRIO_PROCESS, 0, LOWEST)  # 0: the calling thread, on Linux
        try:
            run()
        except BaseException as error:  # handed to the test's own thread, whatever it is
            raised.append(error)

    thread = threading.Thread(target=body, name="lowest-priority")
    thread.start()
    thread.join()
    if raised:
        raise raised[0]
