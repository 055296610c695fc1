"""Textual's Linux driver, with an input thread that sleeps until a key comes.

Textual's own thread wakes ten times a second, key or not, to give its key
parser a tick: a lone Escape is known to be Escape, not the start of an arrow
key's sequence, only once `ESCDELAY` has passed with nothing after it. Over a
session that nobody touches it was a third of the player's steady CPU
(bench/cpu.py): more than the second-by-second countdown itself.

Here the thread ticks that way only just after a key, for as long as a
sequence may still be under way; otherwise it waits on the terminal with no
timeout. Ending the thread, which Textual does by setting `exit_event`, also
writes to a pipe the thread waits on, so it ends at once as before (the pipe
lasts as long as the driver: a suspended app starts a new thread on it).

The loop is Textual's `LinuxDriver.run_input_thread` otherwise: the pin of
Textual below its next major version in pyproject.toml, and the real-terminal
tests (keys, Escape alone, bursts, leaving), keep it honest.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import time
from codecs import getincrementaldecoder
from threading import Event
from typing import Any

from textual import constants
from textual._parser import ParseError
from textual._xterm_parser import XTermParser
from textual.drivers.linux_driver import LinuxDriver

# Seconds after the last key during which the parser still gets its ticks: a sequence's rest may be coming.
TICKING = constants.ESCAPE_DELAY + 0.2
TICK = 0.1  # Textual's own interval between ticks


class _WakingEvent(Event):
    """`exit_event`: set, it also wakes the input thread from its wait."""

    def __init__(self, wake: int) -> None:
        super().__init__()
        self._wake = wake

    def set(self) -> None:
        super().set()
        with contextlib.suppress(BlockingIOError):  # a pipe full of wake-ups nobody read: one is enough
            os.write(self._wake, b"x")


class QuietLinuxDriver(LinuxDriver):
    """`LinuxDriver` whose input thread does nothing while no key comes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._wake_read, self._wake_write = os.pipe()
        os.set_blocking(self._wake_write, False)
        self.exit_event = _WakingEvent(self._wake_write)

    def run_input_thread(self) -> None:
        selector = selectors.SelectSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        selector.register(self._wake_read, selectors.EVENT_READ)
        parser = XTermParser(self._debug)
        decode = getincrementaldecoder("utf-8")().decode
        last_key = -float("inf")

        def read(timeout: float | None, final: bool = False) -> bool:
            """Feed what the terminal has within `timeout`, then tick; False at its end."""
            nonlocal last_key
            ready = [key.fd for key, mask in selector.select(timeout) if mask & selectors.EVENT_READ]
            if self._wake_read in ready:
                os.read(self._wake_read, 64)
            if self.fileno in ready:
                last_key = time.monotonic()
                raw = os.read(self.fileno, 1024 * 4)
                if not raw:  # the terminal is gone
                    return False
                # Half a character (its other bytes still to come) decodes to nothing: not an end, and not fed
                # (the parser takes "" for the end of its input).
                data = decode(raw, final=final)
                for event in parser.feed(data) if data else ():
                    self.process_message(event)
            for event in parser.tick():
                self.process_message(event)
            return True

        try:
            while not self.exit_event.is_set():
                if not read(TICK if time.monotonic() - last_key < TICKING else None):
                    break
            selector.unregister(self.fileno)
            read(0, final=True)
        finally:
            selector.close()
            try:
                for _event in parser.feed(""):
                    pass
            except (EOFError, ParseError):
                pass
