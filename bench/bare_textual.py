"""The reference for the player's CPU: a bare Textual app that shows a 1 Hz countdown in `Digits` for N seconds.

Whatever the player costs beyond this is the coach's own; this much is Textual's.
Run by `bench/cpu.py`; by hand: `python bench/bare_textual.py 60`.
"""

from __future__ import annotations

import sys
import time

from textual.app import App, ComposeResult
from textual.widgets import Digits


class Countdown(App[None]):
    def __init__(self, seconds: int) -> None:
        super().__init__()
        self.seconds = seconds
        self.start = time.monotonic()

    def compose(self) -> ComposeResult:
        yield Digits(self.shown(self.seconds))

    def on_mount(self) -> None:
        self.start = time.monotonic()
        self.set_interval(1, self.tick)

    @staticmethod
    def shown(left: int) -> str:
        return f"{left // 60}:{left % 60:02d}"

    def tick(self) -> None:
        left = self.seconds - round(time.monotonic() - self.start)
        self.query_one(Digits).update(self.shown(max(0, left)))
        if left <= 0:
            self.exit()


if __name__ == "__main__":
    Countdown(int(sys.argv[1]) if len(sys.argv) > 1 else 60).run()
