"""tmux as a real terminal for the player: start a session, send keys, read the pane.

Shared by the tests that drive the player in a terminal (tmux, signals, terminals, colours).
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from tests.conftest import ROOT, require_tool
from tests.stuck import report

SHORT = ROOT / "tests" / "programs" / "good" / "short.toml"


class Tmux:
    def __init__(self, folder: Path) -> None:
        self.tmux = require_tool("tmux")
        self.socket = str(folder / "tmux.sock")

    def __call__(self, *args: str) -> str:
        if args[:1] == ("new-session",):
            # Under pytest a new session's shell was seen with COLUMNS=80 and LINES=24 (tmux's default size), not
            # the size asked for, and Textual takes them over the terminal's real size: at 40x12 the player drew
            # an 80x24 screen into it, a few scattered words. Never from a shell outside pytest.
            args = (*args[:-1], f"unset COLUMNS LINES; {args[-1]}")
        return subprocess.run(
            [self.tmux, "-S", self.socket, *args], capture_output=True, text=True, check=True, timeout=10
        ).stdout

    def pane(self) -> str:
        return self("capture-pane", "-p", "-t", "e2e")

    def wait_for(self, text: str, limit: float = 60) -> str:
        """The pane once it shows `text`. The limit is long: a full run once kept five players from their first
        hold past 20 s, all at once (ten workers on two cores); a test that passes waits no longer for it."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            pane = self.pane()
            if text in pane:
                return pane
            time.sleep(0.05)
        raise AssertionError(f"{text!r} never appeared; the pane shows:\n{self.pane()}\n{self.processes()}")

    def processes(self) -> str:
        """What every process in this terminal is doing (for a failure's message)."""
        try:
            server = int(self("display-message", "-p", "#{pid}").strip())
        except (subprocess.SubprocessError, ValueError):
            return "(no tmux server)"
        return report(server)
