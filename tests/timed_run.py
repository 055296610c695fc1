"""A real coach process whose output lines are stamped with when they arrived, to compare with its schedule."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from tests.conftest import ROOT

ON_TIME = 0.5  # seconds: a line is on schedule if it comes within this of its time


@dataclass
class TimedRun:
    """A coach process whose output lines are stamped with when they arrived."""

    args: list[str]
    env: dict[str, str]
    lines: list[tuple[float, str]] = field(default_factory=list)
    stderr: str = ""
    status: int | None = None
    exited_at: float = 0.0
    on_line: Callable[[str, int], None] = lambda line, pid: None  # a fault to inject when a line is seen

    def start(self) -> threading.Thread:
        def run() -> None:
            process = subprocess.Popen(
                [sys.executable, "-m", "coach", *self.args],
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            assert process.stdout is not None and process.stderr is not None
            for line in process.stdout:
                self.lines.append((time.monotonic(), line.rstrip("\n")))
                self.on_line(line, process.pid)
            self.stderr = process.stderr.read()
            self.status = process.wait(timeout=60)
            self.exited_at = time.monotonic()

        thread = threading.Thread(target=run)
        thread.start()
        return thread
