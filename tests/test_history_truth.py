"""What `coach history` tells a caregiver, checked against sessions played for real in plain mode.

The session is driven the way a person (or a script) drives plain mode: words through a pipe, each
sent when the line it answers appears. The history is the real SQLite file those coaches wrote.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import PROGRAMS, ROOT, run_coach
from tests.plain_coach import PlainCoach
from tests.pty_coach import PtyCoach
from tests.recorded import Wall, play_once

SEVEN = PROGRAMS / "good" / "seven.toml"
TINY = PROGRAMS / "good" / "tiny.toml"
SKIPPED = [
    "Shoulder rolls",
    "Neck turns",
    "Side bends",
    "Shoulder blade squeeze",
    "Doorway stretch",
    "Upper back stretch",
]


def data_env(tmp_path: Path) -> dict[str, str]:
    return {"COACH_DATA_DIR": str(tmp_path / "data")}


def play_skipping_six(env: dict[str, str]) -> None:
    """Step 1 runs to its end; 10 s are added to step 2 and taken from step 3; steps 2 to 7 are skipped.

    Keys typed in a terminal as a person types them in plain mode: one at a time as the lines come,
    then `n` five times in a burst, 30 ms apart.
    """
    coach = PtyCoach("run", "--plain", "--speech", "none", "--rate", "450", str(SEVEN), env=env)
    try:
        at = coach.wait_for("Step 2 of 7. Shoulder rolls.")
        at = coach.wait_for("1 minute, starting now.", after=at)
        coach.press("+")
        at = coach.wait_for("10 seconds added.", after=at)
        coach.press("n")
        at = coach.wait_for("Step 3 of 7. Neck turns.", after=at)
        at = coach.wait_for("1 minute, starting now.", after=at)
        coach.press("-")
        at = coach.wait_for("10 seconds taken away.", after=at)
        for key in "nnnnn":
            coach.press(key)
            time.sleep(0.03)
        coach.wait_for("Session complete. Well done.", after=at)
        assert coach.finish(30) == 0
    finally:
        coach.close()


@pytest.mark.slow
def test_a_session_with_six_of_seven_steps_skipped_says_so_in_the_table_and_in_csv(tmp_path: Path) -> None:
    env = data_env(tmp_path)
    play_skipping_six(env)
    shown = run_coach("history", env=env)
    assert shown.returncode == 0, shown.stderr
    _, row, skipped, time, *_ = shown.stdout.splitlines()
    assert "completed" in row and row.rstrip().endswith("1 of 7"), row
    assert skipped == " " * 18 + f"Skipped: {', '.join(SKIPPED)}."
    assert time == " " * 18 + "Time: 10 s added to Shoulder rolls, 10 s taken from Neck turns."

    # `coach history --csv --steps`: one row per step, with the time added to each
    result = run_coach("history", "--csv", "--steps", env=env)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [row["step"] for row in rows] == [str(n) for n in range(1, 8)]
    assert [row["step_title"] for row in rows] == ["Chin tucks", *SKIPPED]
    assert [row["step_outcome"] for row in rows] == ["completed"] + ["skipped"] * 6
    assert [row["seconds_added"] for row in rows] == ["", "10", "-10", "", "", "", ""]
    assert {row["title"] for row in rows} == {"Neck and shoulders"} and {row["kind"] for row in rows} == {"timed"}
    assert rows[0]["duration"] == "2" and len({row["session"] for row in rows}) == 1

    sessions = list(csv.DictReader(io.StringIO(run_coach("history", "--csv", env=env).stdout)))
    [session] = sessions
    assert (session["outcome"], session["steps_completed"], session["steps"]) == ("completed", "1", "7")
    assert session["steps_skipped"] == "; ".join(SKIPPED)
    assert session["seconds_added"] == "0"  # +10 on one step, -10 on another


@pytest.mark.parametrize("args", [["history"], ["history", "--csv"], ["history", "--csv", "--steps"]])
@pytest.mark.parametrize("made", [False, True])
def test_history_messages_go_to_stderr_and_data_to_stdout(tmp_path: Path, args: list[str], made: bool) -> None:
    """`coach history --csv > file.csv` with no sessions: the file holds CSV, the message goes to the terminal."""
    env = data_env(tmp_path)
    if made:  # a history file whose only session is of another program
        play_once(tmp_path / "data" / "history.sqlite3", Wall(), program=TINY)
        args = [*args, "--program", "no-such-program"]
    result = run_coach(*args, env=env)
    if made:  # a name with no session, where others have some: a typo, told as one (a walk's got exit 0)
        assert result.returncode == 2 and result.stdout == ""
        assert result.stderr == (
            f"coach history: no sessions of 'no-such-program' in the history (programs with sessions: {TINY})\n"
        )
        return
    assert result.returncode == 0
    assert "No sessions" in result.stderr and "No sessions" not in result.stdout
    if "--csv" in args:
        assert len(result.stdout.splitlines()) == 1 and result.stdout.startswith("session,")  # the header alone
    else:
        assert result.stdout == ""


@pytest.mark.parametrize("name", ["demo", str(TINY)], ids=["bundled", "file"])
def test_history_of_a_program_that_is_there_with_no_sessions_yet_is_none_yet(tmp_path: Path, name: str) -> None:
    """A caregiver's walk added a program and asked for its history: exit 2, "no sessions of 'walk2' in the
    history", as for a name that is no program. A program that is there has none yet; a typo is still told."""
    env = data_env(tmp_path)
    other = tmp_path / "other.toml"
    other.write_text(TINY.read_text())
    play_once(tmp_path / "data" / "history.sqlite3", Wall(), program=other)
    result = run_coach("history", "--program", name, env=env)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "No sessions of that program yet.\n")
    assert run_coach("history", "--program", "dmeo", env=env).returncode == 2


@pytest.mark.parametrize("csv_flag", [[], ["--csv"]])
def test_history_of_a_program_under_an_unknown_users_home_is_no_match(tmp_path: Path, csv_flag: list[str]) -> None:
    env = data_env(tmp_path)
    play_once(tmp_path / "data" / "history.sqlite3", Wall(), program=TINY)
    result = run_coach("history", "--program", "~nouser/x", *csv_flag, env=env)
    assert "Traceback" not in result.stderr and result.returncode == 2, result.stderr
    assert result.stderr.startswith("coach history: no sessions of '~nouser/x' in the history")


@pytest.mark.slow
def test_a_program_whose_path_is_not_utf8_plays_previews_and_is_recorded(tmp_path: Path) -> None:
    folder = os.fsencode(tmp_path / "caf\xe9")  # a folder made on a Latin-1 system: its name is not UTF-8
    folder = folder[: -len("caf\xe9".encode())] + b"caf\xe9"
    os.mkdir(folder)
    path = os.path.join(folder, b"neck-\xff.toml")
    with open(path, "wb") as file:
        file.write(TINY.read_bytes())
    shown = os.fsdecode(path)  # as Python sees argv: the bad bytes as surrogates
    env = data_env(tmp_path)

    validate = subprocess.run([sys.executable, "-m", "coach", "validate", path], capture_output=True, cwd=ROOT)
    assert validate.returncode == 0 and b"neck-\xff.toml: ok, 1 step," in validate.stdout
    preview = run_coach("preview", shown, env=env)
    assert preview.returncode == 0 and "Step 1 of 1. Bridge." in preview.stdout, preview.stderr
    for _ in range(2):
        coach = PlainCoach(path, env=env)
        assert coach.finish() == 0 and "Session complete. Well done." in coach.lines, coach.lines
        assert coach.process.stderr is not None and coach.process.stderr.read() == ""

    again = run_coach("preview", shown, env=env)  # now with a history to grow the program from
    assert again.returncode == 0 and again.stdout == preview.stdout, again.stderr
    table = run_coach("history", "--program", shown, env=env)
    assert table.returncode == 0, table.stderr
    assert table.stdout.count("Tiny") >= 3 and "2 sessions in all" in table.stdout
    rows = list(csv.DictReader(io.StringIO(run_coach("history", "--csv", env=env).stdout)))
    assert [row["outcome"] for row in rows] == ["completed", "completed"]
    assert rows[0]["file"].endswith("caf\\xe9/neck-\\xff.toml") and rows[0]["program"] == rows[0]["file"]


def test_history_steps_without_csv_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = run_coach("history", "--steps", env=data_env(tmp_path))
    assert result.returncode == 2 and result.stdout == "" and "Traceback" not in result.stderr
    assert result.stderr == "coach history: --steps goes with --csv (one row per step, for a spreadsheet)\n"
