"""A coach process in a real pseudo-terminal, read through the pyte terminal emulator.

This is what a terminal screen reader sees: the lines that appear, and
whether any line, once written, is ever written over. The screen is tall
enough that nothing scrolls, so every row keeps the line first written there.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import select
import struct
import subprocess
import sys
import termios
import threading
import time

import pyte

from tests.conftest import ROOT

BOX_DRAWING = re.compile("[\u2500-\u259f]")
COOKED = termios.ICANON | termios.ECHO


class PtyCoach:
    def __init__(self, *args: str, env: dict[str, str] | None = None, rows: int = 400, columns: int = 200) -> None:
        self.master, self.slave = os.openpty()
        fcntl.ioctl(self.slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.screen = pyte.Screen(columns, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.raw = bytearray()
        self.rewritten: list[tuple[int, str, str]] = []  # (row, first written, later seen)
        self._settled: dict[int, str] = {}
        self._lock = threading.Lock()
        self._closing = False
        slave = self.slave

        def own_terminal() -> None:  # in the child: a session of its own, with this pty as its terminal
            os.setsid()
            fcntl.ioctl(slave, termios.TIOCSCTTY, 0)

        self.process = subprocess.Popen(
            [sys.executable, "-m", "coach", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            cwd=ROOT,
            env={**os.environ, "TERM": "xterm-256color", **(env or {})},
            preexec_fn=own_terminal,  # a test harness: the child has no threads yet
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while not self._closing:
            # Waits in select, not in read: a reader still blocked in read on this fd number after `close`
            # would read the next test's terminal once the number is reused, and steal its lines.
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if not ready:
                continue
            try:
                data = os.read(self.master, 4096)
            except OSError:
                return
            if not data:
                return
            with self._lock:
                self.raw += data
                self.stream.feed(data)
                self._check_settled_rows()

    def _check_settled_rows(self) -> None:
        """Rows above the cursor are finished lines: note any that change after they were first seen."""
        display = self.screen.display  # a property that renders every row: once, not once per row
        for row in range(self.screen.cursor.y):
            text = display[row].rstrip()
            first = self._settled.setdefault(row, text)
            if text != first:
                self.rewritten.append((row, first, text))

    def lines(self) -> list[str]:
        """The finished lines on the screen, top to bottom."""
        with self._lock:
            display = self.screen.display
            return [display[row].rstrip() for row in range(self.screen.cursor.y)]

    def wait_for(self, text: str, timeout: float = 20, after: int = 0) -> int:
        """Wait until a finished line at index `after` or later equals `text`; return its index."""
        deadline = time.monotonic() + timeout
        ended = False
        while time.monotonic() < deadline:
            lines = self.lines()
            for index in range(after, len(lines)):
                if lines[index] == text:
                    return index
            if ended:
                break
            if self.process.poll() is not None:
                self._drain()
                ended = True
            time.sleep(0.01)
        raise AssertionError(f"{text!r} never came; the screen holds {self.lines()[after:]}")

    def wait_for_start(self, text: str, timeout: float = 20, after: int = 0) -> str:
        """The first finished line from index `after` on that starts with `text`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in self.lines()[after:]:
                if line.startswith(text):
                    return line
            time.sleep(0.01)
        raise AssertionError(f"no line starting {text!r}; the screen holds {self.lines()[after:]}")

    def _drain(self) -> None:
        """Wait until the reader has taken all an ended process left in the terminal (at most 5 s).

        Done when nothing waits in the terminal and the reader took nothing for 50 ms: a fixed pause
        was both slow and, under load, too short for the last line's end.
        """
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            size = len(self.raw)
            waiting, _, _ = select.select([self.master], [], [], 0)
            time.sleep(0.05)
            if not waiting and len(self.raw) == size:
                return

    def press(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def local_modes(self) -> int:
        """The terminal's local mode flags now (ICANON, ECHO, ...)."""
        return int(termios.tcgetattr(self.slave)[3])

    def finish(self, timeout: float = 90) -> int:
        status = self.process.wait(timeout)
        self._drain()
        return status

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._closing = True
        self._reader.join(5)
        for fd in (self.master, self.slave):
            with contextlib.suppress(OSError):
                os.close(fd)


def assert_plain_output(coach: PtyCoach) -> None:
    """What a screen reader needs: nothing rewritten, no escapes, no carriage returns but in CR LF, no boxes."""
    assert coach.rewritten == []
    raw = bytes(coach.raw)
    assert b"\x1b" not in raw
    assert b"\r" not in raw.replace(b"\r\n", b"")
    assert not BOX_DRAWING.search(raw.decode())
