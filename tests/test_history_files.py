"""The history file as it is met in the wild: somebody else's database, an empty file, a read-only
folder, a full disk, and a session still playing in another terminal.

Reading never writes: `coach history` and `coach preview` leave every byte as it was. Mounts are made
in a mount namespace of their own (`unshare`), so a test that dies leaves no mount behind.
"""

from __future__ import annotations

import hashlib
import os
import shlex
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from coach.history.store import SCHEMA_VERSION
from tests.conftest import PROGRAMS, ROOT, require_tool, run_coach
from tests.plain_coach import PlainCoach
from tests.recorded import Wall, play_once

SEVEN = PROGRAMS / "good" / "seven.toml"
TINY = PROGRAMS / "good" / "tiny.toml"


def digest(folder: Path) -> dict[str, str]:
    """Every file in `folder` and the SHA-256 of its bytes."""
    files = sorted(path for path in folder.iterdir() if path.is_file())
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in files}


def endings(listing: str) -> list[str]:
    """How each session in a `coach history` table ended, newest first."""
    return [line[18:].split("  ")[1].strip() for line in listing.splitlines() if line[:2] == "20"]


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert result.stdout == "" and len(result.stderr.splitlines()) == 1, result.stderr
    return result.stderr


def foreign(path: Path) -> None:
    """Somebody's own SQLite file that happens to be called history.sqlite3: a rollback journal, no WAL."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE notes (said TEXT)")
        db.execute("INSERT INTO notes VALUES ('buy milk')")
    db.close()


def test_reading_a_foreign_sqlite_file_changes_nothing_and_says_whose_it_is(tmp_path: Path) -> None:
    data = tmp_path / "data"
    foreign(data / "history.sqlite3")
    before = digest(data)
    env = {"COACH_DATA_DIR": str(data)}
    for args in (["history"], ["history", "--csv"]):
        error = one_line_error(run_coach(*args, env=env))
        assert "is not a coach history" in error, error
    preview = run_coach("preview", str(TINY), env=env)
    assert preview.returncode == 0 and "Step 1 of 1. Bridge." in preview.stdout, preview.stderr
    assert digest(data) == before  # no -wal, no -shm, no journal switch, not a byte
    with sqlite3.connect(data / "history.sqlite3") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    db.close()


@pytest.mark.slow
def test_a_session_with_a_foreign_file_plays_and_leaves_it_alone(tmp_path: Path) -> None:
    data = tmp_path / "data"
    foreign(data / "history.sqlite3")
    before = digest(data)
    coach = PlainCoach(str(TINY), env={"COACH_DATA_DIR": str(data)})
    assert coach.finish() == 0 and "Session complete. Well done." in coach.lines
    assert any("is not a coach history" in line for line in coach.lines), coach.lines
    assert digest(data) == before


def test_reading_an_empty_file_writes_no_schema(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "history.sqlite3").write_bytes(b"")
    env = {"COACH_DATA_DIR": str(data)}
    for args in (["history"], ["history", "--csv"], ["preview", str(TINY)]):
        result = run_coach(*args, env=env)
        assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert digest(data) == {"history.sqlite3": hashlib.sha256(b"").hexdigest()}
    assert run_coach("history", env=env).stderr.startswith("No sessions yet")


@pytest.mark.slow
def test_a_history_from_the_first_coach_is_still_read_and_only_a_session_upgrades_it(tmp_path: Path) -> None:
    """Files written before the coach marked its own (application_id 0, schema 1) are the coach's.

    Reading leaves the database as it was (SQLite's reader may add its WAL index beside it);
    the next session brings it up to date, keeping every session in it.
    """
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(PROGRAMS.parent / "data" / "history-v1.sqlite3", data / "history.sqlite3")
    before = digest(data)["history.sqlite3"]
    env = {"COACH_DATA_DIR": str(data)}
    result = run_coach("history", "--csv", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("\n") == 2 and ",Tiny," in result.stdout
    assert digest(data)["history.sqlite3"] == before
    assert PlainCoach(str(TINY), env=env).finish() == 0
    rows = run_coach("history", "--csv", env=env).stdout.splitlines()[1:]
    assert [row.split(",")[6] for row in rows] == ["completed", "completed"]
    assert rows[0].endswith(",1,,0,,") and rows[1].endswith(",,,0,,")  # steps: 1 of 1 kept from now on
    with sqlite3.connect(data / "history.sqlite3") as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert db.execute("PRAGMA application_id").fetchone()[0] == 0x636F6163
    db.close()


def test_a_history_from_before_prescriptions_were_kept_reads_the_same_and_a_session_keeps_its_own(
    tmp_path: Path,
) -> None:
    """Schema 4 keeps the prescription each session was played under, for when its program's file is gone. A
    schema 3 file (the v2 file, brought to 3 by the coach of 2026-12-06) is read unchanged; a session upgrades it,
    its old sessions read as before, and the new one keeps what its file prescribed: nothing, for Tiny."""
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(PROGRAMS.parent / "data" / "history-v3.sqlite3", data / "history.sqlite3")
    before = digest(data)["history.sqlite3"]
    env = {"COACH_DATA_DIR": str(data)}
    views = (["history"], ["history", "--csv"], ["history", "--csv", "--steps"])
    read = [run_coach(*view, env=env).stdout for view in views]
    assert digest(data)["history.sqlite3"] == before
    assert "Skipped: Step 2." in read[0] and "Time: 15 s added to Step 2." in read[0], read[0]
    assert PlainCoach(str(TINY), env=env).finish() == 0
    with sqlite3.connect(data / "history.sqlite3") as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        kept = db.execute("SELECT prescribed FROM sessions ORDER BY id").fetchall()
    db.close()
    assert kept == [(None,), (None,), (None,), ("none",)]  # not kept before; Tiny prescribes nothing
    table, as_csv, steps = (run_coach(*view, env=env).stdout for view in views)
    sessions_before, sessions_after = (text.split("\n\n")[0].splitlines() for text in (read[0], table))
    assert sessions_after[2:] == sessions_before[1:]
    assert as_csv.splitlines()[2:] == read[1].splitlines()[1:]
    assert set(read[2].splitlines()) < set(steps.splitlines())  # every old step's row, and the new session's


def test_a_history_from_before_the_stopped_step_was_kept_reads_the_same_and_a_session_stopped_names_its_step(
    tmp_path: Path,
) -> None:
    """Schema 5 keeps the step a session was stopped in. A schema 4 file (Tiny completed, stopped, stopped for
    pain, by the coach of 2026-12-07) reads unchanged; a session upgrades it, the old ones read as before, with
    no step named, and the new one, stopped for pain in Bridge, names it in the table and the CSV."""
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(PROGRAMS.parent / "data" / "history-v4.sqlite3", data / "history.sqlite3")
    before = digest(data)["history.sqlite3"]
    env = {"COACH_DATA_DIR": str(data)}
    views = (["history"], ["history", "--csv"])
    read = [run_coach(*view, env=env).stdout for view in views]
    assert digest(data)["history.sqlite3"] == before
    assert "In step" not in read[0] and read[1].count(",stopped,") + read[1].count(",stopped for pain,") == 2, read
    coach = PlainCoach(str(TINY), env=env)
    coach.wait_line(lambda line: line == "Hold.")
    coach.send("pain")
    assert coach.finish() == 0
    with sqlite3.connect(data / "history.sqlite3") as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 5
    db.close()
    table, as_csv = (run_coach(*view, env=env).stdout for view in views)
    sessions_after = table.split("\n\n")[0].splitlines()
    assert sessions_after[2].strip() == "In step 1, Bridge."
    assert sessions_after[3:] == read[0].split("\n\n")[0].splitlines()[1:]
    assert as_csv.splitlines()[1].endswith(",stopped for pain,,,0.0,0,,1,,0,1,Bridge")
    assert as_csv.splitlines()[2:] == read[1].splitlines()[1:]


def test_a_history_from_before_the_totals_reads_the_same_before_and_after_a_session_upgrades_it(
    tmp_path: Path,
) -> None:
    """Schema 3 keeps each session's totals (steps done, the last step, time added, whether any was skipped
    or changed) beside it, where schema 2 added up its steps at each reading. A schema 2 file is read as it is,
    unchanged; once a session upgrades it, its old sessions read exactly as before: the table, CSV, steps."""
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(PROGRAMS.parent / "data" / "history-v2.sqlite3", data / "history.sqlite3")
    before = digest(data)["history.sqlite3"]
    env = {"COACH_DATA_DIR": str(data)}
    views = (["history"], ["history", "--csv"], ["history", "--csv", "--steps"])
    read = [run_coach(*view, env=env).stdout for view in views]
    assert digest(data)["history.sqlite3"] == before
    assert "Skipped: Step 2." in read[0] and "Time: 15 s added to Step 2." in read[0], read[0]
    assert ",Step 2,-10,,\n" in read[1] and ",,15,,\n" in read[1], read[1]
    assert PlainCoach(str(TINY), env=env).finish() == 0
    with sqlite3.connect(data / "history.sqlite3") as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    db.close()
    table, as_csv, steps = (run_coach(*view, env=env).stdout for view in views)
    sessions_before, sessions_after = (text.split("\n\n")[0].splitlines() for text in (read[0], table))
    assert sessions_after[2:] == sessions_before[1:]  # under the heading and the new session's line
    assert as_csv.splitlines()[2:] == read[1].splitlines()[1:]
    assert steps.splitlines()[2:] == read[2].splitlines()[1:]  # the new session's one step comes first


# --- read-only media and a full disk -----------------------------------------------------------


def in_own_mounts(script: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`script` (sh) in a mount namespace of its own, as root there, so it may mount and nothing leaks out."""
    unshare = require_tool("unshare")
    probe = subprocess.run([unshare, "--mount", "--map-root-user", "true"], capture_output=True, text=True)
    if probe.returncode != 0:  # a container that forbids namespaces: say so, and fail under CI as for a tool
        reason = f"cannot make a mount namespace here: {probe.stderr.strip()}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return subprocess.run(
        [unshare, "--mount", "--map-root-user", "sh", "-ec", script],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env=env,
    )


def recorded(tmp_path: Path) -> Path:
    """A data folder with one session of Tiny in it (played on a fake clock), closed as a finished coach leaves it."""
    data = tmp_path / "data"
    play_once(data / "history.sqlite3", Wall(), program=TINY)
    return data


def history_in(folder: str) -> str:
    coach = f"COACH_DATA_DIR={shlex.quote(folder)} {shlex.quote(sys.executable)} -m coach history"
    return f"{coach}\n{coach} --csv\n"


def test_an_intact_history_is_read_from_a_read_only_folder(tmp_path: Path) -> None:
    data = recorded(tmp_path)
    media = tmp_path / "media"
    media.mkdir()
    script = (
        f"mount --bind {shlex.quote(str(data))} {shlex.quote(str(media))}\n"
        f"mount -o remount,bind,ro {shlex.quote(str(media))}\n"
        f"! touch {shlex.quote(str(media))}/proof 2>/dev/null\n" + history_in(str(media))
    )
    before = digest(data)
    result = in_own_mounts(script, env=dict(os.environ))
    assert result.returncode == 0 and result.stderr == "", result.stderr
    assert "Tiny" in result.stdout and "completed" in result.stdout and ",Tiny," in result.stdout
    assert digest(data) == before


def test_an_intact_history_is_read_from_a_full_disk(tmp_path: Path) -> None:
    data = recorded(tmp_path)
    disk = tmp_path / "disk"
    disk.mkdir()
    quoted = shlex.quote(str(disk))
    script = (
        f"mount -t tmpfs -o size=128k tmpfs {quoted}\n"
        f"cp {shlex.quote(str(data / 'history.sqlite3'))} {quoted}/\n"
        f"cat /dev/zero > {quoted}/filler 2>/dev/null || true\n"
        f'test "$(df --output=avail {quoted} | tail -1)" -eq 0\n' + history_in(str(disk))
    )
    result = in_own_mounts(script, env=dict(os.environ))
    assert result.returncode == 0 and result.stderr == "", result.stderr
    assert "Tiny" in result.stdout and "completed" in result.stdout and ",Tiny," in result.stdout


# --- a session still playing ------------------------------------------------------------------


@pytest.mark.slow
def test_a_session_still_playing_elsewhere_is_not_offered_to_resume_until_its_coach_is_gone(tmp_path: Path) -> None:
    env = {"COACH_DATA_DIR": str(tmp_path / "data")}
    first = PlainCoach(str(SEVEN), env=env)
    try:
        first.wait_line(lambda line: line.startswith("Step 2 of 7."))
        first.wait_line(lambda line: line.endswith("starting now."))
        second = PlainCoach(str(SEVEN), env=env)  # another terminal, while the first still plays step 2
        opening = second.lines_for(3)
        assert opening and opening[0].startswith("Neck and shoulders. 7 steps"), opening
        assert not any(line.startswith("Last time") for line in opening), opening
        second.kill()
        listed = run_coach("history", env=env).stdout
        assert endings(listed) == ["interrupted", "playing now"]
        assert "(1 interrupted, 1 playing now)" in listed or "(1 playing now, 1 interrupted)" in listed, listed
    finally:
        first.kill()  # its process is gone: now, and only now, its session was cut short

    third = PlainCoach(str(SEVEN), env=env)
    try:
        # the second one, killed in its first step, is the newest session: it has nothing to go on from
        assert not any(line.startswith("Last time") for line in third.lines_for(2))
    finally:
        third.kill()
    assert endings(run_coach("history", env=env).stdout) == ["interrupted"] * 3


@pytest.mark.slow
def test_a_session_whose_coach_was_killed_is_offered_to_resume(tmp_path: Path) -> None:
    env = {"COACH_DATA_DIR": str(tmp_path / "data")}
    first = PlainCoach(str(SEVEN), env=env)
    first.wait_line(lambda line: line.startswith("Step 2 of 7."))
    first.wait_line(lambda line: line.endswith("starting now."))
    first.kill()
    [left] = (tmp_path / "data" / "history.playing").iterdir()  # a killed coach cannot take its file away
    second = PlainCoach(str(SEVEN), env=env)
    try:
        offer = second.wait_line(lambda line: bool(line), limit=10)
        assert offer.startswith("Last time you stopped during step 2 of 7, Shoulder rolls."), offer
    finally:
        second.kill()
    os.utime(left, (time.time() - 120, time.time() - 120))  # a while ago: the next session sweeps it away
    third = PlainCoach(str(SEVEN), env=env)
    try:
        third.wait_line(lambda line: line.startswith("Last time") or line.startswith("Neck and shoulders"))
        assert left.name not in {path.name for path in left.parent.iterdir()}
    finally:
        third.kill()
