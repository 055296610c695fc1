"""A session that dies loses at most the step in progress: real `coach run --plain` processes, killed.

Each run records into a history file of its own. SIGKILL gives the coach no
chance to tidy up, so what survives is what was committed as it went: the
file must pass SQLite's integrity check, hold the session (shown as
interrupted), and hold every step whose end the person heard.
"""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

from coach.history.store import History
from tests.conftest import PROGRAMS, ROOT, run_coach

QUICK = str(PROGRAMS / "good" / "quick.toml")
ANNOUNCED = re.compile(r"^Step (\d) of 4\.")
KILL_AFTER = (0.4, 2.0, 3.5, 5.0, 6.5, 9.0, 10.5, 13.0, 14.0)  # seconds: before step 1, during each step, at the end


def start_plain(program: str, data: Path) -> subprocess.Popen[str]:
    """`coach run --plain` with no keys and no voice, fast, recording in `data`."""
    return subprocess.Popen(
        [sys.executable, "-m", "coach", "run", "--plain", "--speech", "none", "--rate", "450", program],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "COACH_DATA_DIR": str(data)},
    )


def recorded(data: Path) -> tuple[list[tuple[int | None, str | None]], list[int], str]:
    """(sessions as (id, outcome)), the step numbers recorded, and the integrity check's verdict."""
    with sqlite3.connect(data / "history.sqlite3") as db:
        verdict = db.execute("PRAGMA integrity_check").fetchone()[0]
        sessions = db.execute("SELECT id, outcome FROM sessions").fetchall()
        steps = [row[0] for row in db.execute("SELECT number FROM steps ORDER BY number")]
    return sessions, steps, verdict


def test_sigkill_at_any_point_loses_at_most_the_step_in_progress(tmp_path: Path) -> None:
    runs = []
    for delay in KILL_AFTER:  # side by side: the whole test takes as long as the longest run
        data = tmp_path / f"after-{delay}"
        runs.append((delay, data, start_plain(QUICK, data)))
    outputs: dict[float, list[str]] = {}

    def kill_when_due(delay: float, process: subprocess.Popen[str]) -> None:
        """Count from the session's first line, not from the launch: start-up time varies with the load."""
        assert process.stdout is not None
        lines = outputs.setdefault(delay, [process.stdout.readline()])
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        lines += process.stdout.readlines()

    killers = [threading.Thread(target=kill_when_due, args=(delay, process)) for delay, _, process in runs]
    for killer in killers:
        killer.start()
    for killer in killers:
        killer.join(60)
    heard_steps = set()
    for delay, data, process in runs:
        err = process.communicate(timeout=30)[1]
        lines = [line.rstrip("\n") for line in outputs[delay] if line]
        assert process.returncode == -signal.SIGKILL, f"ended by itself before {delay} s: {lines}"
        assert "Traceback" not in err
        announced = [int(match.group(1)) for line in lines if (match := ANNOUNCED.match(line))]
        if not lines:  # killed before it began: there may be no file, or an empty history
            continue
        sessions, steps, verdict = recorded(data)
        assert verdict == "ok"
        assert len(sessions) == 1 and sessions[0][1] is None, f"after {delay} s: {sessions}"
        finished = max(announced, default=1) - 1  # every step before the one announced last has ended
        assert steps[:finished] == list(range(1, finished + 1)), f"after {delay} s: heard {lines}, kept {steps}"
        assert steps == list(range(1, len(steps) + 1)) and len(steps) <= max(announced, default=0)
        heard_steps.add(finished)
        shown = run_coach("history", env={"COACH_DATA_DIR": str(data)})
        assert shown.returncode == 0 and "interrupted" in shown.stdout.splitlines()[1]
    assert len(heard_steps) >= 4, f"the kills did not land across the session: {sorted(heard_steps)}"


def test_sessions_played_side_by_side_share_one_history_file(tmp_path: Path) -> None:
    processes = [start_plain(str(PROGRAMS / "good" / "tiny.toml"), tmp_path) for _ in range(6)]
    for process in processes:
        out, err = process.communicate(timeout=60)
        assert process.returncode == 0 and err == ""
        assert "history" not in out  # no notice: a moment's wait for another writer is not a fault
    history = History(tmp_path / "history.sqlite3")
    records = history.sessions()
    history.close()
    assert [record.outcome for record in records] == ["completed"] * 6
    assert all(record.steps_done == 1 for record in records)


OPEN_AT_ONCE = """
import sys, time
from pathlib import Path
from coach.history.store import History, HistoryError
history = History(Path(sys.argv[1]))
while time.time() < float(sys.argv[2]):
    pass
try:
    history.open()
    history.sessions("x")
    print("ok")
except HistoryError as error:
    print(error)
"""


def test_coaches_making_the_history_file_at_the_same_moment_all_open_it(tmp_path: Path) -> None:
    """SQLite answers "locked" at once, without waiting, to a second coach switching a new file to WAL."""
    for attempt in range(15):
        path = tmp_path / f"{attempt}" / "history.sqlite3"
        start = time.time() + 0.4
        coaches = [
            subprocess.Popen(
                [sys.executable, "-c", OPEN_AT_ONCE, str(path), str(start)], stdout=subprocess.PIPE, text=True, cwd=ROOT
            )
            for _ in range(6)
        ]
        assert [coach.communicate(timeout=30)[0].strip() for coach in coaches] == ["ok"] * 6
