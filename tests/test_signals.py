"""Every way a session can be ended or suspended, in both modes: the record is written, every speech
process is gone (no orphan left behind), and the terminal is given back.

Plain mode runs in a pty; the player and Ctrl-Z runs in tmux, Ctrl-Z under an interactive bash so that
job control (and `fg`) is real.
"""

from __future__ import annotations

import os
import shlex
import signal
import sys
import termios
import time
from pathlib import Path

import pytest

from coach.history.store import History
from tests.conftest import BIN, ROOT, require_tool
from tests.processes import alive, descendants, state, wait_until
from tests.pty_coach import PtyCoach
from tests.test_tmux import Tmux

QUICK = str(ROOT / "tests" / "programs" / "good" / "quick.toml")
SAY_LOG = f"{BIN / 'say-log'} {{rate}} {{text}}"
COOKED = termios.ICANON | termios.ECHO
PROMPT = 4.0  # seconds to end after a signal: less than the 7 s a sentence may take before it counts as hung
ENGINES = {
    "command": ["--speech", "command", "--speech-command", SAY_LOG],
    "pyttsx3": ["--speech", "pyttsx3"],
}


def speech_env(tmp_path: Path) -> dict[str, str]:
    """Speech that is busy: each sentence "takes" 30 s, so an orphan would outlive the test's wait for it to go
    (the coach cuts it long before); pyttsx3's stand-in aplay keeps the WAV."""
    (tmp_path / "audio").mkdir(exist_ok=True)
    return {
        "COACH_DATA_DIR": str(tmp_path / "data"),
        "COACH_TEST_LOG": str(tmp_path / "spoken.log"),
        "COACH_TEST_SPEAK_SECONDS": "30",
        "COACH_TEST_AUDIO": str(tmp_path / "audio"),
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
    }


def recorded(data: Path) -> str:
    history = History(data / "history.sqlite3")
    try:
        [record] = history.sessions()
        return record.how
    finally:
        history.close()


@pytest.mark.parametrize("engine", sorted(ENGINES))
@pytest.mark.parametrize("how", ["ctrl-c", "sigterm", "sighup"])
def test_plain_mode_ends_cleanly_with_no_orphan(tmp_path: Path, how: str, engine: str) -> None:
    if engine == "pyttsx3":
        require_tool("espeak-ng")
    env = speech_env(tmp_path)
    coach = PtyCoach("run", "--plain", *ENGINES[engine], QUICK, env=env)
    try:
        coach.wait_for("Step 1 of 4. One.")
        wait_until(lambda: bool(descendants(coach.process.pid)), 10, lambda: "no speech process ever started")
        speaking = descendants(coach.process.pid)
        asked = time.monotonic()
        if how == "ctrl-c":
            coach.press("\x03")
        else:
            coach.process.send_signal(signal.SIGTERM if how == "sigterm" else signal.SIGHUP)
        status = coach.finish()
        assert time.monotonic() - asked < PROMPT, "the coach waited for its speech to end by itself"
        assert status == {"ctrl-c": 130, "sigterm": 143, "sighup": 129}[how]
        assert coach.local_modes() & COOKED == COOKED
        assert "Traceback" not in bytes(coach.raw).decode()
    finally:
        coach.close()
    wait_until(lambda: not any(alive(pid) for pid in speaking), 1, lambda: f"left running: {speaking}")
    assert recorded(tmp_path / "data") == "stopped"


def coach_pid(tmux: Tmux) -> int:
    shell = int(tmux("display-message", "-p", "-t", "e2e", "#{pane_pid}").strip())
    found: list[int] = []

    def started() -> bool:
        found[:] = [pid for pid in descendants(shell) if b"\0-m\0coach\0" in Path(f"/proc/{pid}/cmdline").read_bytes()]
        return bool(found)

    wait_until(started, 10, lambda: "coach never started")
    return found[0]


def start_in_bash(tmux: Tmux, tmp_path: Path, *args: str) -> None:
    """An interactive bash in tmux (job control on), where `coach ARGS` is typed as a job of its own."""
    require_tool("bash")
    env = " ".join(f"{name}={shlex.quote(value)}" for name, value in speech_env(tmp_path).items())
    command = " ".join([shlex.quote(sys.executable), "-m", "coach", *map(shlex.quote, args)])
    tmux("new-session", "-d", "-s", "e2e", "-x", "100", "-y", "30", "bash --norc --noprofile -i")
    tmux("send-keys", "-t", "e2e", f"cd {shlex.quote(str(ROOT))} && export TERM=xterm-256color {env}", "Enter")
    tmux("send-keys", "-t", "e2e", "clear; " + command, "Enter")


def exit_status(tmux: Tmux, pid: int, tmp_path: Path, limit: float = 30) -> str:
    """Once the coach has ended, ask bash for its exit status."""
    wait_until(lambda: not alive(pid), limit, lambda: "the coach did not end")
    status = tmp_path / "status"
    tmux("send-keys", "-t", "e2e", f"echo $? > {status}", "Enter")
    wait_until(lambda: status.exists() and bool(status.read_text().strip()), 5, lambda: "bash said nothing")
    return status.read_text().strip()


@pytest.mark.parametrize("how", ["sigterm", "sighup", "ctrl-c"])
def test_the_player_ends_cleanly_with_no_orphan(tmp_path: Path, how: str) -> None:
    tmux = Tmux(tmp_path)
    start_in_bash(tmux, tmp_path, "run", QUICK, *ENGINES["command"])
    try:
        tmux.wait_for("Step 1 of 4")
        pid = coach_pid(tmux)
        wait_until(lambda: bool(descendants(pid)), 10, lambda: "no speech process ever started")
        speaking = descendants(pid)
        if how == "ctrl-c":
            tmux("send-keys", "-t", "e2e", "C-c")
        else:
            os.kill(pid, signal.SIGTERM if how == "sigterm" else signal.SIGHUP)
        wait_until(lambda: not alive(pid), PROMPT, lambda: "the coach waited for its speech to end by itself")
        assert exit_status(tmux, pid, tmp_path) == {"ctrl-c": "130", "sigterm": "143", "sighup": "129"}[how]
        assert tmux("display-message", "-p", "-t", "e2e", "#{alternate_on}").strip() == "0"
        assert "Traceback" not in tmux.pane()
    finally:
        tmux("kill-server")
    wait_until(lambda: not any(alive(child) for child in speaking), 1, lambda: f"left running: {speaking}")
    assert recorded(tmp_path / "data") == "stopped"


@pytest.mark.parametrize("mode", ["plain", "player"])
def test_ctrl_z_suspends_paused_and_fg_comes_back_paused(tmp_path: Path, mode: str) -> None:
    tmux = Tmux(tmp_path)
    plain = ["--plain"] if mode == "plain" else []
    start_in_bash(tmux, tmp_path, "run", QUICK, *plain, *ENGINES["command"])
    try:
        tmux.wait_for("Step 1 of 4")
        pid = coach_pid(tmux)
        tmux("send-keys", "-t", "e2e", "C-z")
        wait_until(lambda: state(pid) == "T", 5, lambda: f"not stopped: state {state(pid)!r}")
        assert tmux("display-message", "-p", "-t", "e2e", "#{alternate_on}").strip() == "0"
        tmux.wait_for("Stopped")  # bash's own line: the terminal is the shell's again
        time.sleep(1)
        tmux("send-keys", "-t", "e2e", "fg", "Enter")
        tmux.wait_for("Paused" if mode == "player" else "Paused. Press Space to go on.")
        time.sleep(1)
        assert "Step 2 of 4" not in tmux.pane()  # paused since Ctrl-Z: nothing moved on meanwhile
        tmux("send-keys", "-t", "e2e", "Space")
        tmux.wait_for("Going on.")
        tmux("send-keys", "-t", "e2e", "q")
        time.sleep(0.3)
        tmux("send-keys", "-t", "e2e", "y")
        tmux.wait_for("Session stopped")
        if mode == "player":
            time.sleep(0.3)
            tmux("send-keys", "-t", "e2e", "Enter")  # leave the last screen now
        assert exit_status(tmux, pid, tmp_path) == "0", tmux.pane()
        assert "Traceback" not in tmux.pane()
    finally:
        tmux("kill-server")
    assert recorded(tmp_path / "data") == "stopped"
