"""Reading what a person types in plain mode: single keys from a terminal, or words, one per line, from a pipe.

A terminal is put in cbreak mode (keys arrive at once, without echo; Ctrl-C
still interrupts) and always given back as it was: on a normal end, on
Ctrl-C, on SIGTERM and SIGHUP, and after Ctrl-Z and `fg`. A pipe is read a
line at a time; when it ends, the session goes on hands-free.
"""

from __future__ import annotations

import os
import select
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import TextIO

from coach.views.controls import ENTER, ESCAPE, LEFT, RIGHT

ESCAPES = {"\x1b[C": RIGHT, "\x1b[D": LEFT, "\x1bOC": RIGHT, "\x1bOD": LEFT}


def split_keys(chunk: str) -> list[str]:
    """The keys in what one read returned: arrows, Escape, Enter and plain characters."""
    keys: list[str] = []
    index = 0
    while index < len(chunk):
        for sequence, name in ESCAPES.items():
            if chunk.startswith(sequence, index):
                keys.append(name)
                index += len(sequence)
                break
        else:
            char = chunk[index]
            if char == "\x1b":
                # A lone Escape; the rest of an unknown sequence (other arrows, function keys) is skipped.
                rest = chunk[index + 1 :]
                if rest[:1] in {"[", "O"}:
                    end = next((i for i, c in enumerate(rest[1:], 1) if c.isalpha() or c == "~"), len(rest) - 1)
                    index += end + 2
                    continue
                keys.append(ESCAPE)
            elif char in "\r\n":
                keys.append(ENTER)
            elif char.isprintable():
                keys.append(char)
            index += 1
    return keys


class KeyReader:
    """Sends each key typed on a terminal to `on_key`, from its own thread, until stopped.

    It sleeps in `select` on the terminal and on a pipe of its own, so it wakes only
    for a key or to stop: no polling while a person lies still for twenty minutes.
    """

    def __init__(
        self, fd: int, on_key: Callable[[str], None], quiet: tuple[float, Callable[[], None]] | None = None
    ) -> None:
        self.fd = fd
        self.on_key = on_key
        self.quiet = quiet  # (seconds, what to call once when no key has followed the last for that long)
        self._wake_read, self._wake_write = os.pipe()
        self._thread = threading.Thread(target=self._run, name="keys", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        os.write(self._wake_write, b"x")
        self._thread.join(1)
        for fd in (self._wake_read, self._wake_write):
            os.close(fd)

    def _run(self) -> None:
        waiting: float | None = None  # once after keys, for the quiet after them; then for ever, until a key
        while True:
            ready, _, _ = select.select([self.fd, self._wake_read], [], [], waiting)
            if not ready and self.quiet is not None:
                waiting = None
                self.quiet[1]()
                continue
            if self._wake_read in ready:
                return
            try:
                data = os.read(self.fd, 64)
            except OSError:
                return
            if not data:
                return
            for key in split_keys(data.decode(errors="replace")):
                self.on_key(key)
            waiting = self.quiet[0] if self.quiet is not None else None


def read_words(stream: TextIO, on_word: Callable[[str], None], on_end: Callable[[], None]) -> None:
    """Send each line of `stream` to `on_word`, then tell `on_end`: the session goes on by itself from there."""
    for line in stream:
        on_word(line)
    on_end()


@contextmanager
def cbreak(fd: int, on_suspend: Callable[[], None] = lambda: None) -> Iterator[None]:
    """Keys without Enter and without echo, for the length of the block; the terminal is always given back.

    Ctrl-Z gives the terminal back and stops the process, after `on_suspend` (which pauses the session);
    `fg` takes the terminal again.
    """
    import termios
    import tty

    saved = termios.tcgetattr(fd)

    def restore() -> None:
        with suppress(OSError, termios.error):  # hung up (its window closed): no terminal is left to give back
            termios.tcsetattr(fd, termios.TCSADRAIN, saved)

    def suspend(signum: int, frame: object) -> None:  # Ctrl-Z: give the terminal back, stop, and on fg take it again
        on_suspend()
        # The shell may already have taken the terminal back: a background process setting it would be
        # stopped by SIGTTOU here, and then stopped again by the SIGTSTP below, so that `fg` seemed to fail.
        previous = signal.signal(signal.SIGTTOU, signal.SIG_IGN)
        try:
            restore()
        finally:
            signal.signal(signal.SIGTTOU, previous)
        signal.signal(signal.SIGTSTP, signal.SIG_DFL)
        # The whole job, as the terminal's Ctrl-Z does: a `kill -TSTP` from elsewhere reaches this process alone,
        # and a shell script wrapping it would go on waiting, its shell never getting the terminal back.
        os.killpg(os.getpgrp(), signal.SIGTSTP)
        # Continued; or never stopped, in a job no shell can continue (an orphaned group), where the kernel
        # ignores SIGTSTP and no SIGCONT will come: take the terminal again either way.
        resumed(signal.SIGCONT, None)

    def resumed(signum: int, frame: object) -> None:
        # A hang-up comes with a SIGCONT too, and then there is no terminal to take: its error here, raised in the
        # session's loop, ended a session unrecorded before SIGHUP could stop it.
        with suppress(OSError, termios.error):
            if os.tcgetpgrp(fd) == os.getpgrp():  # `fg`; after `bg` the terminal is not ours to set
                tty.setcbreak(fd)
        signal.signal(signal.SIGTSTP, suspend)

    handlers = ((signal.SIGTSTP, suspend), (signal.SIGCONT, resumed))
    previous = {sig: signal.signal(sig, handler) for sig, handler in handlers}
    tty.setcbreak(fd)
    try:
        yield
    finally:
        restore()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@contextmanager
def ending_signals(on_signal: Callable[[int], None]) -> Iterator[None]:
    """SIGTERM, SIGINT (Ctrl-C) and SIGHUP (the terminal closed) end the session like `stop`, through
    `on_signal`. Ctrl-C too: as a KeyboardInterrupt it could land inside a lock's release in `Event.wait`, and a
    walk with listening saw "RuntimeError: release unlocked lock", a traceback, exit 1 and the session unrecorded,
    in 3 of 30 tries."""
    if threading.current_thread() is not threading.main_thread():  # only the main thread may set handlers
        yield
        return
    wanted = [signal.SIGTERM, signal.SIGINT] + ([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])
    previous = {sig: signal.signal(sig, lambda signum, frame: on_signal(signum)) for sig in wanted}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except ValueError:  # closed
        return False
