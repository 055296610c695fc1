"""A real `coach run --plain` whose commands come as words through a pipe, as a script or a person types them.

Lines are read on a thread, so a test waits for a line with a time limit and never hangs on a coach that
stopped talking.
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable

from tests.conftest import ROOT


class PlainCoach:
    def __init__(self, *args: str | bytes, env: dict[str, str] | None = None) -> None:
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "coach", "run", "--plain", "--speech", "none", "--rate", "450", *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env={**os.environ, **(env or {})},
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def wait_line(self, wanted: Callable[[str], bool], limit: float = 20) -> str:
        """The first new line `wanted` accepts; fails if the coach ends or `limit` seconds pass first."""
        deadline = time.monotonic() + limit
        while True:
            try:
                line = self._queue.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"no such line within {limit} s; the coach said {self.lines}") from None
            if line is None:
                raise AssertionError(f"the coach ended first; it said {self.lines}")
            self.lines.append(line)
            if wanted(line):
                return line

    def lines_for(self, seconds: float) -> list[str]:
        """Every line said in the next `seconds`."""
        said: list[str] = []
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self._queue.get(timeout=left)
            except queue.Empty:
                break
            if line is None:
                break
            self.lines.append(line)
            said.append(line)
        return said

    def send(self, word: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(word + "\n")
        self.process.stdin.flush()

    def finish(self, limit: float = 30) -> int:
        """Close the input and wait for the end; the exit status."""
        assert self.process.stdin is not None
        self.process.stdin.close()
        status = self.process.wait(limit)
        while (line := self._queue.get(timeout=5)) is not None:
            self.lines.append(line)
        return status

    def kill(self) -> None:
        """As a crash or a closed terminal window: no chance to record anything."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)
