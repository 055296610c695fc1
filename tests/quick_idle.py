"""Textual's pilot, waiting for the app to go idle in 4 ms steps instead of 20 ms ones, as surely.

After every key and pause the pilot waits until the process seems idle: it sleeps 20 ms at a time until a
sleep passes with under 1 ms of CPU. 140 player tests spent 27 of their 50 s there. A 4 ms step alone is
fooled twice, and footer and countdown tests failed both ways with four workers on two cores:
- a process that the machine's other work kept off the CPU uses none, and looks idle with its work undone:
  a step that overslept is not trusted;
- a screen lays itself out again on its next frame, up to 17 ms later (60 a second), which a 20 ms step
  always outlasted: while anything is due within 20 ms, the app is not idle. A paused Textual timer
  (the screen's frames, between changes) still wakes at every tick to find itself paused: it is not due.
The wait goes on until a step that was short, quiet and had nothing due, or Textual's limit of a second.
And a screen here draws its next frame a millisecond after a change, so there is less to wait for: the
player tests' waits took 13 s in all, from 27 (tests run one at a time).
"""

from __future__ import annotations

import asyncio
import time

import textual.app
import textual.pilot
import textual.screen
from textual.timer import Timer

STEP = 0.004
QUIET_CPU = STEP / 20  # Textual's own share: under 1 ms in 20
OVERSLEPT = 2 * STEP  # a step this long was not the app's alone
FRAME = 0.02  # Textual's own step, longer than a frame (1/60 s)
FRAME_PERIOD = 0.001  # a frame a millisecond after a change: the app settles sooner, as the next step finds


async def wait_for_idle(min_sleep: float = STEP, max_sleep: float = 1) -> None:
    """Textual's `wait_for_idle`, with its signature: returns once the process is idle, or after `max_sleep`."""
    start = time.monotonic()
    while True:
        cpu, before = time.process_time(), time.monotonic()
        await asyncio.sleep(STEP)
        now = time.monotonic()
        if now - start >= max_sleep:
            return
        quiet = time.process_time() - cpu < QUIET_CPU and now - before < OVERSLEPT and _nothing_due(FRAME)
        if now - start > min_sleep and quiet:
            return


def _nothing_due(within: float) -> bool:
    """Whether the event loop has no callback ready, and none due within `within` seconds (a frame, a timer)."""
    loop = asyncio.get_running_loop()
    if loop._ready:  # type: ignore[attr-defined]
        return False
    deadline = loop.time() + within
    due = (handle for handle in loop._scheduled if not handle.cancelled() and handle.when() <= deadline)  # type: ignore[attr-defined]
    return all(_paused_timer(handle) for handle in due)


def _paused_timer(handle: asyncio.TimerHandle) -> bool:
    """Whether `handle` wakes a Textual timer that is paused: it will find so, and go back to sleep."""
    future = handle._args[0] if handle._args else None  # asyncio.sleep's future
    for callback, _context in getattr(future, "_callbacks", None) or ():
        task = getattr(callback, "__self__", None)
        frame = getattr(task.get_coro(), "cr_frame", None) if isinstance(task, asyncio.Task) else None
        timer = frame.f_locals.get("self") if frame is not None else None
        if isinstance(timer, Timer):
            return not timer._active.is_set()
    return False


def install() -> None:
    """Every pilot of this test run waits so: `press`, `pause`, `resize_terminal` and the rest; and a screen
    draws its next frame within a millisecond of a change rather than 17, so that there is less to wait for."""
    textual.screen.UPDATE_PERIOD = FRAME_PERIOD  # type: ignore[misc]  # read as each screen's frame timer is made
    textual.pilot.wait_for_idle = wait_for_idle  # type: ignore[attr-defined]
    textual.app.wait_for_idle = wait_for_idle  # type: ignore[attr-defined]
