"""tmux as a real terminal for the player: start a session, send keys, read the pane.

Shared by the tests that drive the player in a terminal (tmux, signals, terminals, colours).
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from tests.conftest import ROOT, require_tool

SHORT = ROOT / "tests" / "programs" / "good" / "short.toml"


class Tmux:
    def __init__(self, folder: Path) -> None:
        self.tmux = require_tool("tmux")
        self.socket = str(folder / "tmux.sock")

    def __call__(self, *args: str) -> str:
        return subprocess.run(
            [self.tmux, "-S", self.socket, *args], capture_output=True, text=True, check=True, timeout=10
        ).stdout

    def pane(self) -> str:
        return self("capture-pane", "-p", "-t", "e2e")

    def wait_for(self, text: str, limit: float = 20) -> str:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            pane = self.pane()
            if text in pane:
                return pane
            time.sleep(0.05)
        raise AssertionError(f"{text!r} never appeared; the pane shows:\n{self.pane()}")
