"""Tiny and odd terminals, in tmux: 20x8 and 40x12, a storm of resizes, TERM=dumb and xterm-mono, NO_COLOR,
a C locale. The coach must not crash, must stay readable, and must end as it should.
"""

from __future__ import annotations

import random
import shlex
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.tmux import SHORT, Tmux

ACCENTS = ROOT / "tests" / "programs" / "good" / "accents.toml"


def start(tmux: Tmux, size: tuple[int, int], env: str, *args: str) -> Path:
    """`env coach ARGS` in a new tmux session of `size`; the file its exit status will be written to."""
    status = Path(tmux.socket).parent / "status"
    command = " ".join([shlex.quote(sys.executable), "-m", "coach", *map(shlex.quote, args)])
    script = f"cd {shlex.quote(str(ROOT))} && env {env} {command}; echo $? > {status}; sleep 60"
    tmux("new-session", "-d", "-s", "e2e", "-x", str(size[0]), "-y", str(size[1]), script)
    return status


def exit_status(status: Path, limit: float = 30) -> str:
    deadline = time.monotonic() + limit
    while not status.exists() or not status.read_text().strip():
        assert time.monotonic() < deadline, "the coach did not end"
        time.sleep(0.05)
    return status.read_text().strip()


def quit_with_a_yes(tmux: Tmux) -> None:
    """q, y: the session stops; then Enter (a key of Close) leaves the last screen at once instead of after 10 s."""
    tmux("send-keys", "-t", "e2e", "q")
    time.sleep(0.3)
    tmux("send-keys", "-t", "e2e", "y")
    tmux.wait_for("Session stopped")
    time.sleep(0.3)
    tmux("send-keys", "-t", "e2e", "Enter")


@pytest.mark.parametrize(
    ("size", "env"),
    [
        ((20, 8), "TERM=xterm-256color"),
        ((40, 12), "TERM=xterm-256color"),
        ((80, 24), "TERM=xterm-mono"),
        ((80, 24), "TERM=xterm-256color NO_COLOR=1"),
        ((80, 24), "TERM=xterm-256color LANG=C LC_ALL=C"),
    ],
    ids=["20x8", "40x12", "xterm-mono", "NO_COLOR", "LANG=C"],
)
def test_the_player_stays_up_and_readable(tmp_path: Path, size: tuple[int, int], env: str) -> None:
    tmux = Tmux(tmp_path)
    status = start(tmux, size, env, "run", str(ACCENTS), "--speech", "none")
    try:
        pane = tmux.wait_for("Genou", limit=20)
        assert "Traceback" not in pane
        if size[0] >= 40:
            assert "Genou → poitrine" in tmux.wait_for("Step 1 of 1")
        quit_with_a_yes(tmux)
        assert exit_status(status) == "0", tmux.pane()
        assert tmux("display-message", "-p", "-t", "e2e", "#{alternate_on}").strip() == "0"
        assert "Traceback" not in tmux.pane()
    finally:
        tmux("kill-server")


def test_a_storm_of_fifty_resizes_in_five_seconds(tmp_path: Path) -> None:
    tmux = Tmux(tmp_path)
    status = start(tmux, (80, 24), "TERM=xterm-256color", "run", str(SHORT), "--speech", "none")
    try:
        tmux.wait_for("Step 1 of 3")
        sizes = random.Random(8).choices([(20, 8), (40, 12), (80, 24), (132, 43), (250, 70), (33, 9)], k=50)
        began = time.monotonic()
        for number, (width, height) in enumerate(sizes, start=1):
            tmux("resize-window", "-t", "e2e", "-x", str(width), "-y", str(height))
            time.sleep(max(0.0, began + number * 0.1 - time.monotonic()))  # 50 in 5 s
        # A storm however loaded the machine (a fresh clone's CI took 6.4 s to send them, a full run of ten
        # workers 16.7 s): the coach's part is to come through it, below.
        assert time.monotonic() - began < 30
        tmux("resize-window", "-t", "e2e", "-x", "100", "-y", "30")
        pane = tmux.wait_for("left in the session")
        assert "Traceback" not in pane and ("Step 1 of 3" in pane or "Step 2 of 3" in pane)
        quit_with_a_yes(tmux)
        assert exit_status(status) == "0", tmux.pane()
    finally:
        tmux("kill-server")


def test_term_dumb_gets_plain_lines_with_no_escape_sequences(tmp_path: Path) -> None:
    tmux = Tmux(tmp_path)
    status = start(
        tmux, (60, 20), "TERM=dumb LANG=C LC_ALL=C", "run", str(ACCENTS), "--speech", "none", "--rate", "450"
    )
    try:
        assert exit_status(status) == "0", tmux.pane()
        pane = tmux("capture-pane", "-p", "-e", "-t", "e2e")  # -e: escape sequences too, if any were written
        assert "Step 1 of 1. Genou → poitrine." in pane and "Session complete. Well done." in pane
        assert "\x1b" not in pane and "Traceback" not in pane
    finally:
        tmux("kill-server")
