"""The history on a real SQLite file: what a session records, how it ended, and what the next one plays."""

from __future__ import annotations

import csv
import io
import math
import os
import shlex
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from coach.history import report
from coach.history.recorder import BUSY_PATIENCE
from coach.history.store import APPLICATION_ID, History, HistoryError, SessionRecord, StepRecord
from coach.i18n import use_interface
from coach.plan import plan_session
from coach.session.clock import FakeClock
from coach.session.engine import MOVED, Event, Session
from coach.timeline import Priority
from tests.conftest import run_coach
from tests.recorded import DAY, GROWS, Wall, play_once, play_plan

Act = Callable[[Session], list[Event]]


def at_step(number: int, act: Act, phase: str | None = None) -> Callable[[Session], list[Event] | None]:
    """Do `act` once the session is in step `number` (and in its `phase`, if given)."""

    def when(session: Session) -> list[Event] | None:
        current = session.current_phase()
        if session.segment.number != number or (phase and (current is None or current.kind != phase)):
            return None
        return act(session)

    return when


def answers(before: int | None = None, after: int | None = None) -> Callable[[Session], list[Event] | None]:
    """Answer the pain check-ins; None leaves one to time out."""

    def act(session: Session) -> list[Event] | None:
        if not session.segment.answer_ends:
            return None
        first = session.timeline.segment_of_step(1)
        pain = before if first is not None and session.index < first else after
        return None if pain is None else session.answer(pain)

    return act


def sessions(path: Path) -> list[SessionRecord]:
    history = History(path)
    try:
        return history.sessions()
    finally:
        history.close()


def steps_of(path: Path, session: int) -> list[StepRecord]:
    history = History(path)
    try:
        return history.steps([session])[session]
    finally:
        history.close()


def texts(events: list[Event]) -> list[str]:
    return [event.text for event in events if event.kind != MOVED]  # (a jump's own mark is silent)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "history.sqlite3"


def test_a_completed_session_is_recorded_with_its_values_and_pain(db: Path) -> None:
    wall = Wall()
    start = wall.time
    plan, session, _ = play_once(db, wall, answers(before=4, after=2))
    assert session.outcome == "completed"
    [record] = sessions(db)
    assert (record.outcome, record.how, record.pain_before, record.pain_after) == ("completed", "completed", 4, 2)
    assert record.title == "Grows" and record.program == str(GROWS.resolve()) and record.path == str(GROWS.resolve())
    with sqlite3.connect(db) as check:  # kept for whoever asks which file was played, though nothing reads it yet
        [(sha256,)] = check.execute("SELECT sha256 FROM sessions").fetchall()
    assert sha256 == plan.program.sha256 and len(sha256) == 64
    assert record.started == start and record.ended is not None and record.ended > record.started
    plank, bridges = steps_of(db, record.id)
    assert (plank.title, plank.kind, plank.completed, plank.hold, plank.reps) == ("Plank", "hold", True, 10, 2)
    assert (bridges.title, bridges.completed, bridges.hold, bridges.reps, bridges.sets) == ("Bridges", True, None, 3, 1)
    assert record.steps_done == 2
    with sqlite3.connect(db) as check:
        assert check.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_rest_is_not_counted_among_the_steps_of_a_session(db: Path) -> None:
    """A walk read "completed, 4 of 5" for a program the coach calls "4 steps": its rest was counted as a step
    not done. Two exercises with a rest between are two steps, both done."""
    from tests.conftest import PROGRAMS

    _, session, _ = play_once(db, Wall(), program=PROGRAMS / "good" / "hold-sets-and-rests.toml")
    assert session.outcome == "completed" and session.timeline.steps == 2
    [record] = sessions(db)
    assert (record.steps_done, record.steps) == (2, 2)


def test_a_stopped_session_keeps_the_steps_done_and_a_skipped_step_is_marked(db: Path) -> None:
    _, session, events = play_once(db, Wall(), at_step(1, Session.next), at_step(2, Session.stop))
    assert session.outcome == "stopped" and "Session stopped." in texts(events)
    [record] = sessions(db)
    assert record.how == "stopped" and record.pain_before is None and record.steps_done == 0
    [plank] = steps_of(db, record.id)
    assert plank.number == 1 and not plank.completed


def test_the_pain_key_cuts_in_with_the_advice_and_the_programs_own_safety_note(db: Path) -> None:
    _, session, events = play_once(db, Wall(), answers(before=3), at_step(2, Session.pain))
    assert session.outcome == "pain"
    [advice] = [event for event in events if event.kind == "pain_stop"]
    assert advice.priority is Priority.SAFETY
    assert "Stop now and rest" in advice.text and "call your doctor" in advice.text
    assert advice.text.endswith("Your program says: If the pain spreads down a leg, call your doctor.")
    [record] = sessions(db)
    assert record.how == "stopped for pain" and record.pain_before == 3 and record.steps_done == 1


@pytest.mark.parametrize(("pain", "outcome"), [(7, "pain"), (9, "pain"), (6, "completed")])
def test_a_check_in_at_the_programs_pain_stop_ends_the_session(db: Path, pain: int, outcome: str) -> None:
    _, session, events = play_once(db, Wall(), answers(before=pain))
    assert session.outcome == outcome
    [record] = sessions(db)
    assert record.outcome == outcome and record.pain_before == pain
    if outcome == "pain":
        assert record.steps_done == 0
        assert any(
            text.startswith(f"You said your pain is {pain} out of 10. Stop now and rest") for text in texts(events)
        )


def test_check_ins_left_unanswered_go_on_by_themselves(db: Path) -> None:
    _, session, events = play_once(db, Wall())
    assert session.outcome == "completed" and session.answers == []
    assert sum("How is your pain now" in text for text in texts(events)) == 2
    [record] = sessions(db)
    assert record.pain_before is None and record.pain_after is None


def values(db: Path) -> dict[str, tuple[int | None, int | None]]:
    """The hold and reps the newest session used, by step title."""
    newest = sessions(db)[0]
    return {step.title: (step.hold, step.reps) for step in steps_of(db, newest.id)}


def test_progression_over_sessions_raises_caps_waits_and_goes_back_after_pain(db: Path) -> None:
    wall = Wall()
    calm = answers(before=1, after=1)
    notes: list[list[str]] = []

    def session(
        *acts: Callable[[Session], list[Event] | None], use_progress: bool = True
    ) -> dict[str, tuple[int | None, int | None]]:
        _, _, events = play_once(db, wall, *acts, use_progress=use_progress)
        notes.append([event.text for event in events if event.kind == "progress"])
        return values(db)

    # Plank raises every session (to 20 s, 3 reps); Bridges every 2 sessions, and only if pain after was at most 2.
    assert session(calm) == {"Plank": (10, 2), "Bridges": (None, 3)}
    assert notes[-1] == []
    assert session(calm) == {"Plank": (15, 3), "Bridges": (None, 3)}
    assert notes[-1] == ["Hold 15 seconds, up from 10 seconds. 3 repetitions, up from 2."]
    assert session(answers(before=1, after=5)) == {"Plank": (20, 3), "Bridges": (None, 8)}
    assert notes[-1] == ["Hold 20 seconds, up from 15 seconds.", "8 repetitions, up from 3."]
    # Pain 5 after the last one: above both steps' max_pain, so nothing grows (Plank is at its cap anyway).
    assert session(calm) == {"Plank": (20, 3), "Bridges": (None, 8)}
    assert notes[-1] == []
    # A stopped session changes nothing; it is the first to play Bridges at its cap, 13.
    assert session(calm, at_step(2, Session.stop, phase="set")) == {"Plank": (20, 3)}
    assert notes[-1] == ["13 repetitions, up from 8."]
    # Nor does an interrupted one (begun, then the process died).
    plan = plan_session(GROWS, history=History(db), now=wall)
    Session(plan.timeline, FakeClock(0.0), plan.recorder).start()
    plan.recorder.history.close()
    wall.time += DAY
    assert sessions(db)[0].how == "interrupted"
    # Told again: the stopped session never played Bridges' 13 to the end, and 8 is what the patient last did.
    assert session(calm) == {"Plank": (20, 3), "Bridges": (None, 13)}
    assert notes[-1] == ["13 repetitions, up from 8."]
    # Pain: the next session goes back one raise, from the cap (not from the raises counted past it).
    session(answers(before=2), at_step(1, Session.pain))
    assert session(calm) == {"Plank": (15, 3), "Bridges": (None, 8)}
    assert notes[-1] == ["Hold 15 seconds, down from 20 seconds.", "8 repetitions, down from 13."]
    # --no-progress plays the file's own values.
    assert session(calm, use_progress=False) == {"Plank": (10, 2), "Bridges": (None, 3)}


def test_a_change_is_told_against_what_the_patient_last_did_to_the_end(db: Path) -> None:
    """A walk was raised from 10 to 15 s, stopped the next session before the step, and then held 15 s untold;
    and after a pain stop it heard "down from" a hold it had never held."""
    wall = Wall()
    calm = answers(before=1, after=1)

    def notes(*acts: Callable[[Session], list[Event] | None]) -> list[str]:
        _, _, events = play_once(db, wall, *acts)
        return [event.text for event in events if event.kind == "progress"]

    assert notes(calm) == []
    assert notes(calm, at_step(1, Session.stop, phase="hold")) == [
        "Hold 15 seconds, up from 10 seconds. 3 repetitions, up from 2."
    ]
    assert notes(calm) == ["Hold 15 seconds, up from 10 seconds. 3 repetitions, up from 2."]  # told again
    # Raised to 20 s, then a pain stop before Plank ends: back to 15 s, which is what was last done. Nothing to tell.
    assert notes(answers(before=1), at_step(1, Session.pain, phase="hold")) == [
        "Hold 20 seconds, up from 15 seconds.",
    ]
    assert notes(calm) == []
    assert values(db)["Plank"] == (15, 3)


def test_the_step_a_session_was_stopped_in_is_kept_and_told(db: Path) -> None:
    """A therapist's walk read "stopped for pain" and could not tell which exercise hurt. The step playing when a
    session stops, for pain or not, is kept as played, and told under the session in the table, the CSV (and the
    report); none where no step was playing (a check-in), and x on the last words keeps the step stopped in."""
    wall = Wall()
    play_once(db, wall, answers(before=1), at_step(2, Session.pain, phase="set"))
    stopped_then_x = at_step(1, lambda session: session.stop() + session.pain(), phase="hold")  # x on its last words
    play_once(db, wall, answers(before=1), stopped_then_x)
    play_once(db, wall, answers(before=8))  # stopped for pain by the first check-in's answer: no step playing
    newest_first = sessions(db)
    assert [(record.how, record.stopped_step, record.stopped_title) for record in newest_first] == [
        ("stopped for pain", None, None),
        ("stopped for pain", 1, "Plank"),
        ("stopped for pain", 2, "Bridges"),
    ]
    lines = report.table(newest_first).splitlines()
    assert lines[3].strip() == "In step 1, Plank." and lines[5].strip() == "In step 2, Bridges.", lines
    rows = list(csv.DictReader(io.StringIO(report.as_csv(newest_first))))
    assert [(row["stopped_step"], row["stopped_step_title"]) for row in rows] == [
        ("", ""),
        ("1", "Plank"),
        ("2", "Bridges"),
    ]


def test_a_change_is_told_against_what_was_recorded_when_the_file_was_edited_since(db: Path, tmp_path: Path) -> None:
    """A caregiver's walk raised a step's base hold from 2 to 3 s after the patient held 4 s; the next session
    said "Hold 7 seconds, up from 5 seconds": the old count of raises on the new base, not what was held."""
    wall = Wall()
    edited = tmp_path / "grows.toml"
    edited.write_text(GROWS.read_text())
    calm = answers(before=1, after=1)
    play_once(db, wall, calm, program=edited)
    assert values(db)["Plank"] == (10, 2)
    edited.write_text(GROWS.read_text().replace('hold = "10s"', 'hold = "12s"'))
    _, _, events = play_once(db, wall, calm, program=edited)
    told = [event.text for event in events if event.kind == "progress"]
    assert told == ["Hold 17 seconds, up from 10 seconds. 3 repetitions, up from 2."]
    assert values(db)["Plank"] == (17, 3)


def test_preview_shows_the_grown_values_and_no_progress_the_files(db: Path, tmp_path: Path) -> None:
    play_once(db, Wall(), answers(before=1, after=1))
    env = {"COACH_DATA_DIR": str(db.parent)}
    grown = run_coach("preview", str(GROWS), env=env)
    assert grown.returncode == 0, grown.stderr
    assert "Step 1 of 2. Plank.\n" in grown.stdout
    assert "  Hold 15 seconds, up from 10 seconds. 3 repetitions, up from 2.\n" in grown.stdout
    plain = run_coach("preview", str(GROWS), "--no-progress", env=env)
    assert "up from" not in plain.stdout and plain.stdout.count("Hold.") == 2


def interrupted_in_bridges(db: Path, wall: Wall | None = None) -> Wall:
    """A session of GROWS whose process dies in step 2, Bridges, an hour ago by the wall clock returned."""
    wall = wall or Wall()
    plan = plan_session(GROWS, history=History(db), now=wall)
    session = Session(plan.timeline, FakeClock(0.0), plan.recorder)
    session.start()
    session.answer(2)
    while session.segment.number != 2:  # Plank completes; Bridges is in progress when the process dies
        session.clock.time = session.next_deadline()  # type: ignore[attr-defined]
        session.due()
    plan.recorder.history.close()
    wall.time += 3600
    return wall


def test_an_interrupted_session_is_offered_to_go_on_from_the_step_in_progress(db: Path) -> None:
    wall = interrupted_in_bridges(db)
    interrupted = sessions(db)[0]
    assert interrupted.how == "interrupted" and interrupted.steps_done == 1

    _, session, events = play_once(db, wall, OFFER_TAKEN, answers(before=3, after=1))
    assert texts(events)[0] == (
        "Last time you stopped during step 2 of 2, Bridges. Press Space to go on from there, "
        "or I will start from the beginning in 10 seconds."
    )
    # Asked about pain first, as every session is: hours may have passed since what cut it short.
    assert texts(events)[1:4] == [
        "How is your pain now, from 0 to 10? Press a number, or I will go on in 10 seconds.",
        "Pain 3, noted.",
        "Step 2 of 2. Bridges.",
    ]
    assert session.outcome == "completed"
    resumed = sessions(db)[0]
    assert (resumed.resumes, resumed.first_step, resumed.steps_done) == (interrupted.id, 2, 1)
    assert (resumed.pain_before, resumed.pain_after) == (3, 1)
    assert [step.number for step in steps_of(db, resumed.id)] == [2]


OFFER_TAKEN = at_step(0, lambda s: s.continue_() if s.segment.accept_to is not None else [])


def test_a_resumed_session_stops_for_pain_at_its_first_question(db: Path) -> None:
    wall = interrupted_in_bridges(db)
    _, session, events = play_once(db, wall, OFFER_TAKEN, answers(before=8))
    assert session.outcome == "pain"
    assert not any(text.startswith("Step 2 of 2") for text in texts(events))
    resumed = sessions(db)[0]
    assert (resumed.outcome, resumed.pain_before, resumed.steps_done) == ("pain", 8, 0)


@pytest.mark.parametrize("leave", ["time out", "next", "continue"])
def test_the_question_a_resumed_session_asks_first_leads_to_the_step_it_goes_on_from(db: Path, leave: str) -> None:
    """Left by its time, by `n`, or by Enter once answered: on to step 2, never to step 1 nor to the welcome. While
    it is asked, what comes next and the time left are those of the steps it goes on to."""
    wall = interrupted_in_bridges(db)
    plan = plan_session(GROWS, history=History(db), now=wall)
    session = Session(plan.timeline, FakeClock(0.0), plan.recorder)
    session.start()
    session.continue_()
    assert session.asking_pain
    view = session.view()
    assert view.next_title == "Bridges"
    from_step = sum(segment.length for segment in plan.timeline.segments[plan.timeline.segment_of_step(2) or 0 :])
    assert view.session_left == pytest.approx(session.length + from_step)
    if leave == "next":
        session.next()
    elif leave == "continue":
        session.answer(2)
        session.continue_()
    while session.segment.answer_ends:
        session.clock.time = session.next_deadline()  # type: ignore[attr-defined]
        session.due()
    assert session.segment.number == 2
    plan.recorder.close()


def test_the_offer_to_go_on_says_what_to_say_when_listening(db: Path) -> None:
    """A hands-free walk was offered "Press Space to go on from there", lying on the floor; "yes" works."""
    wall = interrupted_in_bridges(db)
    listening = plan_session(GROWS, history=History(db), now=wall, listening=True)
    try:
        assert listening.timeline.segments[0].cues[0].text == (
            "Last time you stopped during step 2 of 2, Bridges. Say yes, or press Space, to go on from there, "
            "or I will start from the beginning in 10 seconds."
        )
    finally:
        listening.recorder.history.close()


def test_the_offer_says_what_to_type_to_a_session_fed_words_from_a_pipe(db: Path) -> None:
    """A walk's `echo resume | coach run … --plain` was told to press Space, which a pipe has not; "yes" works."""
    interrupted_in_bridges(db, Wall(time.time() - 3600))  # an hour ago, as `coach run` reads the clock
    coach = " ".join(shlex.quote(part) for part in [sys.executable, "-m", "coach", "run", str(GROWS), "--plain"])
    played = subprocess.run(
        ["sh", "-c", f"(sleep 2; echo stop) | {coach} --no-speech"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "COACH_DATA_DIR": str(db.parent)},
    )
    assert played.returncode == 0, played.stderr
    assert (
        "Last time you stopped during step 2 of 2, Bridges. Type yes to go on from there, "
        "or I will start from the beginning in 10 seconds."
    ) in played.stdout.splitlines()


def test_the_offer_times_out_to_the_start_and_is_not_made_a_day_later(db: Path) -> None:
    wall = Wall()
    for wait, offered in ((3600, True), (DAY + 1, False)):
        plan = plan_session(GROWS, history=History(db), now=wall)
        session = Session(plan.timeline, FakeClock(0.0), plan.recorder)
        session.start()
        while session.segment.number != 2:
            session.due()
            if session.segment.answer_ends:
                session.answer(1)
            session.clock.time = session.next_deadline()  # type: ignore[attr-defined]
        plan.recorder.history.close()
        wall.time += wait
        _, session, events = play_once(db, wall)
        assert texts(events)[0].startswith("Last time you stopped") is offered
        assert any(text.startswith("Grows. 2 steps") for text in texts(events))
        assert sessions(db)[0].resumes is None and sessions(db)[0].outcome == "completed"


def test_csv_export_parses_back_and_defuses_formulas(db: Path, tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.toml"
    hostile.write_text(GROWS.read_text().replace('title = "Grows"', 'title = "=HYPERLINK(\\"http://x\\",\\"y\\")"'))
    wall = Wall()
    play_once(db, wall, answers(before=3, after=2))
    play_once(db, wall, answers(before=8), program=hostile)
    records = sessions(db)
    history = History(db)
    done = history.steps([record.id for record in records])
    history.close()
    rows = list(csv.DictReader(io.StringIO(report.as_csv(records, done))))
    assert [row["title"] for row in rows] == ['\'=HYPERLINK("http://x","y")', "Grows"]
    assert [row["outcome"] for row in rows] == ["stopped for pain", "completed"]
    assert [(row["pain_before"], row["pain_after"]) for row in rows] == [("8", ""), ("3", "2")]
    assert [int(row["session"]) for row in rows] == [record.id for record in records]
    assert float(rows[1]["minutes"]) == pytest.approx(records[1].minutes, abs=0.05)
    assert all(not row[key].startswith(("=", "+", "-", "@")) for row in rows for key in row)

    cli = run_coach("history", "--csv", env={"COACH_DATA_DIR": str(db.parent)})
    assert cli.returncode == 0 and cli.stdout == report.as_csv(records, done)


def test_coach_history_lists_newest_first_with_a_summary_and_filters_by_program(db: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.toml"
    other.write_text(GROWS.read_text().replace('title = "Grows"', 'title = "Other"'))
    wall = Wall(time.time() - 3 * DAY)
    play_once(db, wall, answers(before=4, after=3))
    play_once(db, wall, answers(before=3), at_step(2, Session.pain))
    play_once(db, wall, program=other)
    env = {"COACH_DATA_DIR": str(db.parent)}
    shown = run_coach("history", env=env)
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[0].split() == ["When", "Program", "Ended", "Pain", "Minutes", "Steps"]
    assert "Other" in lines[1] and "completed" in lines[1]
    assert "Grows" in lines[2] and "stopped for pain" in lines[2] and "3 to -" in lines[2]
    assert lines[3].strip() == "In step 2, Bridges."
    assert "Grows" in lines[4] and "4 to 3" in lines[4]
    assert "  Last 7 days: 2 sessions (1 stopped for pain, 1 completed); 2 sessions in all" in shown.stdout
    assert (
        "  Last played: Plank, hold 15 s, 3 times; Bridges, 3 times.\n"
        "  Pain after sessions: 3.0 out of 10 on average in the last 7 days.\n" in shown.stdout
    )

    only = run_coach("history", "--program", "grows", env=env)
    assert "Other" not in only.stdout and only.stdout.count("Grows") >= 3
    by_title = run_coach("history", "--program", "Other", env=env)
    assert "Grows" not in by_title.stdout and "Other" in by_title.stdout


def test_coach_history_with_no_file_says_so_and_creates_nothing(tmp_path: Path) -> None:
    result = run_coach("history", env={"COACH_DATA_DIR": str(tmp_path / "none")})
    assert result.returncode == 0 and result.stderr.startswith("No sessions yet") and result.stdout == ""
    assert not (tmp_path / "none").exists()


def test_a_corrupt_history_file_is_told_once_the_session_plays_and_the_file_is_left_alone(db: Path) -> None:
    db.parent.mkdir(parents=True)
    garbage = b"this is not a database, but somebody's notes\n" * 200
    db.write_bytes(garbage)
    plan = plan_session(GROWS, history=History(db), now=Wall())
    _, session, events = play_plan(plan, answers(before=1, after=1))
    assert session.outcome == "completed"
    notices = [event.text for event in events if event.kind == "notice"]
    assert len(notices) == 1 and "not a database" in notices[0] and "this one is kept until" in notices[0]
    assert (plan.recorder.close() or "").startswith(f"coach: history {db}: cannot record the session")
    assert db.read_bytes() == garbage

    cli = run_coach("history", env={"COACH_DATA_DIR": str(db.parent)})
    assert cli.returncode == 2 and "Traceback" not in cli.stderr
    assert cli.stderr.strip().count("\n") == 0 and "not a database" in cli.stderr


@pytest.mark.parametrize("briefly", [True, False], ids=["briefly", "to-step-2"])
def test_a_locked_history_keeps_the_records_in_memory_and_writes_them_when_it_can(db: Path, briefly: bool) -> None:
    """Another coach's write is not news (CI once printed "database is locked" when four sessions ended a step at
    the same moment); a lock that lasts is told once; either way, everything is written when the lock goes."""
    wall = Wall()
    play_once(db, wall, answers(before=1, after=1))  # the file exists, in WAL mode
    locker = sqlite3.connect(db, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")  # another program writing: every write of ours is refused at once
    locked_at = wall.time

    def unlock_after_held(session: Session) -> list[Event] | None:
        """Briefly: the start and the first pain answer find it locked. Otherwise step 1's end, 23 s later, too."""
        held = BUSY_PATIENCE / 2 if briefly else math.inf
        if locker.in_transaction and (wall.time - locked_at >= held or session.segment.number == 2):
            locker.execute("COMMIT")
        return None

    plan = plan_session(GROWS, history=History(db), now=wall)
    _, session, events = play_plan(plan, answers(before=5, after=4), unlock_after_held, wall=wall)
    assert session.outcome == "completed" and not locker.in_transaction
    notices = [event.text for event in events if event.kind == "notice"]
    if briefly:
        assert notices == []
    else:
        assert len(notices) == 1 and "database is locked" in notices[0], notices
    assert plan.recorder.close() is None
    newest = sessions(db)[0]
    assert (newest.outcome, newest.pain_before, newest.pain_after, newest.steps_done) == ("completed", 5, 4, 2)
    locker.close()


def test_reading_waits_for_a_coach_that_holds_the_file_a_moment_as_it_closes(db: Path) -> None:
    """The last coach to close the file copies its WAL in and deletes it, holding the file alone meanwhile. A
    reader then (`coach history` as a session ends; a test reading the record as the coach left) was told
    "database is locked" after the 20 ms a session's writes wait: a reader is in no hurry, and waits."""
    play_once(db, Wall(), answers(before=1, after=1))
    holder = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")  # the file is this connection's alone until it closes
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("COMMIT")
    closing = threading.Timer(0.5, holder.close)
    closing.start()
    try:
        assert [record.outcome for record in sessions(db)] == ["completed"]
    finally:
        closing.join()


def test_a_lock_held_to_the_end_is_waited_for_a_little_then_written(db: Path) -> None:
    play_once(db, Wall(), answers(before=1, after=1))
    locker = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    locker.execute("BEGIN EXCLUSIVE")
    plan = plan_session(GROWS, history=History(db), now=Wall())
    play_plan(plan)
    releaser = threading.Timer(0.3, lambda: locker.execute("COMMIT"))
    releaser.start()
    assert plan.recorder.close() is None  # waited for the other writer, then wrote everything
    releaser.join()
    assert sessions(db)[0].outcome == "completed" and sessions(db)[0].steps_done == 2
    locker.close()


def test_a_history_from_a_newer_coach_is_refused_with_a_clear_line(db: Path) -> None:
    db.parent.mkdir(parents=True)
    with sqlite3.connect(db) as newer:
        newer.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        newer.execute("PRAGMA user_version = 99")
    with pytest.raises(HistoryError, match=r"written by a newer coach \(schema 99\)"):
        sessions(db)


def test_the_summary_compares_pain_this_week_with_the_week_before(db: Path) -> None:
    wall = Wall(time.time() - 12 * DAY)
    for after in (6, 7):
        play_once(db, wall, answers(before=5, after=after))
    wall.time = time.time() - 2 * DAY
    for after in (2, 3):
        play_once(db, wall, answers(before=3, after=after))
    records = sessions(db)
    text = report.summary(records, [], time.time())
    assert "Last 7 days: 2 sessions (2 completed); 4 sessions in all" in text
    assert text.endswith(
        "Pain after sessions: 2.5 out of 10 on average in the last 7 days, 6.5 in the 7 days before: better."
    )
    use_interface("fr")  # a decimal comma: a walk read "3.7 sur 10"
    try:
        assert "2,5 sur 10" in report.summary(records, [], time.time())
    finally:
        use_interface("en")


def test_plain_mode_takes_the_pain_answer_as_a_word_and_stops_at_the_programs_pain_stop(db: Path) -> None:
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    process = subprocess.Popen(
        [sys.executable, "-m", "coach", "run", "--plain", "--speech", "none", "--rate", "450", str(GROWS)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "COACH_DATA_DIR": str(db.parent)},
    )
    assert process.stdin is not None and process.stdout is not None
    lines = []
    for line in process.stdout:
        lines.append(line.rstrip("\n"))
        if line.startswith("How is your pain now"):
            process.stdin.write("seven\n")
            process.stdin.flush()
        if line.startswith("You said"):
            break
    process.stdin.close()
    assert process.wait(timeout=30) == 0
    assert lines[-1] == (
        "You said your pain is 7 out of 10. Stop now and rest. If the pain goes on or gets worse, call your doctor. "
        "Your program says: If the pain spreads down a leg, call your doctor."
    )
    [record] = sessions(db)
    assert (record.how, record.pain_before, record.steps_done) == ("stopped for pain", 7, 0)


def test_a_step_skipped_in_a_completed_session_does_not_grow(db: Path) -> None:
    wall = Wall()
    calm = answers(before=1, after=1)
    play_once(db, wall, calm, at_step(1, Session.next, phase="hold"))  # Plank skipped, Bridges done
    play_once(db, wall, calm)
    assert values(db) == {"Plank": (10, 2), "Bridges": (None, 3)}  # one Plank done so far: the raise is next time
    play_once(db, wall, calm)
    assert values(db) == {"Plank": (15, 3), "Bridges": (None, 8)}  # Bridges: 2 completed sessions with it done


def test_each_sessions_totals_are_kept_as_its_steps_and_timer_changes_are_written(tmp_path: Path) -> None:
    """Schema 3 keeps the totals `coach history` shows beside each session (triggers on each write), so that
    reading ten years reads no step. A step written again (going back) is added up again, not twice; the
    totals are what adding up the steps gives, and only sessions with a skip or a change are looked into."""
    history = History(tmp_path / "history.sqlite3")
    try:
        first = history.begin("p", "P", "/p.toml", "0" * 64, 1000.0, steps=3)
        history.step(first, 1, StepRecord(1, "One", "hold", False, 10, 3, None, None, 1010.0))
        history.step(first, 1, StepRecord(1, "One", "hold", True, 10, 3, None, None, 1020.0))  # back, and done
        history.step(first, 2, StepRecord(2, "Two", "timed", False, None, None, None, 60, 1030.0))
        history.adjust(first, 3, 15, 1040.0)
        history.adjust(first, 3, -5, 1041.0)
        plain = history.begin("p", "P", "/p.toml", "0" * 64, 2000.0, steps=3)
        history.step(plain, 1, StepRecord(1, "One", "hold", True, 10, 3, None, None, 2010.0))
        untouched = history.begin("p", "P", "/p.toml", "0" * 64, 3000.0, steps=3)
        history.resumed(untouched, plain, 2)
        records = {record.id: record for record in history.sessions()}
        notable = history.steps(list(records), notable=True)
    finally:
        history.close()
    totals = {
        session: (record.steps_done, record.last_step, record.last_at, record.added)
        for session, record in records.items()
    }
    assert totals == {first: (1, 2, 1030.0, 10), plain: (1, 1, 2010.0, 0), untouched: (0, 1, 3000.0, 0)}
    assert [step.title for step in notable[first]] == ["Two"] and notable[plain] == notable[untouched] == []
    with sqlite3.connect(tmp_path / "history.sqlite3") as db:
        flagged = db.execute("SELECT id FROM sessions WHERE notable ORDER BY id").fetchall()
    db.close()
    assert flagged == [(first,)]  # the others' steps are never read for the table's notes


def test_a_programs_own_name_is_the_one_meant_not_a_file_of_that_stem(db: Path, tmp_path: Path) -> None:
    """After `coach add walk.toml`, `--program walk` listed the shelf's sessions and those played from walk.toml
    before it too, though `add` had said those stay under the file. The file's stem, or the title, is the
    program meant only where no program is that name."""
    path = str(tmp_path / "walk.toml")
    history = History(db)
    for program in ("walk", path, path):
        history.end(history.begin(program, "Walk test", path, "0" * 64, time.time()), "completed", time.time())
    records = history.sessions()
    history.close()
    assert [record.program for record in report.select(records, "walk")] == ["walk"]
    assert [record.program for record in report.select(records, path)] == [path, path]
    assert len(report.select(records, "walk test")) == 3  # the title: both
    only_files = [record for record in records if record.program == path]
    assert len(report.select(only_files, "walk")) == 2  # the stem, where no program is named so


def test_a_name_on_the_shelf_means_that_program_before_it_has_sessions(db: Path, tmp_path: Path) -> None:
    """Just after `coach add back.toml`, `--program back` listed the sessions played from back.toml, which `add`
    had said stay under the file: a name a program now has means that program, sessions or not."""
    path = str(tmp_path / "back.toml")
    history = History(db)
    history.end(history.begin(path, "Back", path, "0" * 64, time.time()), "completed", time.time())
    records = history.sessions()
    history.close()
    assert report.select(records, "back", programs={"back"}) == []
    assert len(report.select(records, "back")) == 1  # no program of that name: the file's stem is meant


def test_a_title_means_every_session_of_the_programs_with_it_renamed_or_not(db: Path, tmp_path: Path) -> None:
    """A caregiver's walk renamed "Neck release" to "Neck release v2" (`coach add` said its history goes on), then
    asked for `--program "Neck release v2"`: the sessions under the old title, a pain stop among them, were left
    out under a heading naming the whole program, and the pain trend read "better" where it was worse. And a
    file's whole name matches as its stem does: `--program neck-moved.toml` found nothing."""
    moved = str(tmp_path / "elsewhere" / "neck-moved.toml")
    history = History(db)
    for program, title in (("neck", "Neck release"), ("neck", "Neck release v2"), ("walk", "Walk"), (moved, "Neck")):
        history.end(history.begin(program, title, program, "0" * 64, time.time()), "completed", time.time())
    records = history.sessions()
    history.close()
    assert sorted(record.title for record in report.select(records, "Neck release v2")) == [
        "Neck release",
        "Neck release v2",
    ]
    assert [record.program for record in report.select(records, "neck-moved.toml")] == [moved]
    assert [record.program for record in report.select(records, "neck-moved")] == [moved]


def test_a_shelf_or_bundled_programs_file_name_means_that_program(db: Path, tmp_path: Path) -> None:
    """A walk's `coach history --program neck.toml`, for the shelf's neck (its file neck.toml), was told there were
    no sessions of it, while `--program neck` listed them: a program known by its name has a file of that name."""
    history = History(db)
    for program in ("neck", "demo", str(tmp_path / "other.toml")):
        history.end(history.begin(program, program, program, "0" * 64, time.time()), "completed", time.time())
    records = history.sessions()
    history.close()
    assert [record.program for record in report.select(records, "neck.toml", programs={"neck", "demo"})] == ["neck"]
    assert [record.program for record in report.select(records, "Demo.toml", programs={"neck", "demo"})] == ["demo"]
    assert report.select(records, "neck.tom", programs={"neck", "demo"}) == []


def test_last_played_counts_only_the_steps_done() -> None:
    """A walk skipped every step of the demo (n, n, n…): `coach history` then said "Last played: Knee to chest,
    hold 5 s, 1 time; Bridges, 3 times", none of which was played. A step skipped shows its last values done."""
    done = StepRecord(1, "Knee to chest", "hold", True, 5, 1, None, None, 10.0)
    skipped_since = done._replace(completed=False, hold=10, at=20.0)
    never_done = StepRecord(2, "Bridges", "reps", False, None, 3, None, None, 20.0)
    assert report.latest_values([[skipped_since, never_done], [done]], done=True) == [done]
    assert report.latest_values([[never_done]], done=True) == []
    # The report's steps as last played, where the file is gone, are every step's, done or not.
    assert report.latest_values([[skipped_since, never_done], [done]]) == [skipped_since, never_done]


def test_a_timer_cut_short_is_told_as_played_in_minutes_and_seconds() -> None:
    """A walk took 1,198 s off a 20-minute heat pad with -: the session's line said "1198 s taken from Heating pad",
    and the summary "Last played: Heating pad, 20 min", though the heat lasted 2 s."""
    cut = StepRecord(1, "Heating pad", "timed", True, None, None, None, 1200, 10.0, added=-1198)
    longer = cut._replace(added=90)
    assert report.changes([cut]) == ["Time: 19 min 58 s taken from Heating pad."]
    assert report.summary([_record()], [cut], 20.0).count("Last played: Heating pad, 2 s.") == 1
    assert report.summary([_record()], [longer], 20.0).count("Last played: Heating pad, 21 min 30 s.") == 1
    assert [report.seconds_text(seconds) for seconds in (45, 119, 120, 150, 3600)] == [
        "45 s",
        "119 s",
        "2 min",
        "2 min 30 s",
        "60 min",
    ]


def _record() -> SessionRecord:
    return SessionRecord(1, "neck", "Neck", "/neck.toml", 10.0, 20.0, "completed", None, None, 1, None, 1, 1, 20.0)


def in_turn(*moves: tuple[int, Callable[[Session], list[Event]]]) -> Callable[[Session], list[Event] | None]:
    """Each (step, act) once, in order, as the session reaches that step."""
    left = list(moves)

    def act(session: Session) -> list[Event] | None:
        if left and session.segment.number == left[0][0]:
            return left.pop(0)[1](session)
        return None

    return act


def test_a_step_played_again_is_recorded_as_it_was_last_left(db: Path) -> None:
    """A walk skipped a step, went back into it (←), and stopped there for pain: the history said "Skipped:
    Hamstring stretch.", of a step it was doing. And a step done, then skipped on a second pass, was recorded
    skipped: its doing lost."""
    wall = Wall()
    play_once(db, wall, answers(before=3), in_turn((1, Session.next), (2, Session.back), (1, Session.pain)))
    play_once(db, wall, answers(before=3), in_turn((2, Session.back), (1, Session.next)))
    history = History(db)
    records = sessions(db)
    steps = history.steps([record.id for record in records])
    history.close()
    skipped_then_played, done_then_skipped = records[1], records[0]
    assert report.skipped(steps.get(skipped_then_played.id, [])) == []
    assert [step.completed for step in steps[done_then_skipped.id] if step.number == 1] == [True]
    assert done_then_skipped.steps_done == done_then_skipped.steps


def test_a_history_read_while_its_first_session_is_checkpointed_is_read_not_called_damaged(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A CI run: read just as a coach ended its first session, the history was "database disk image is malformed;
    it may be damaged". Its first writes were still in the WAL, so the file on the disk was not yet marked as the
    coach's, and was probed unlocked (`immutable`) while the coach copied the WAL into it. Such a probe that
    fails is read again as SQLite reads a file others may be writing."""
    writer = History(db)
    session = writer.begin("demo", "Demo", "/x/demo.toml", "0" * 64, time.time(), 3)
    probed: list[str] = []
    real = History._reader

    def mid_checkpoint(self: History, uri: str) -> tuple[sqlite3.Connection, int]:
        if "immutable=1" in uri:
            probed.append(uri)
            raise sqlite3.DatabaseError("database disk image is malformed")
        return real(self, uri)

    monkeypatch.setattr(History, "_reader", mid_checkpoint)
    try:
        reader = History(db)
        try:
            assert [record.id for record in reader.sessions()] == [session]
        finally:
            reader.close()
    finally:
        writer.close()
    assert probed  # the file on the disk was not yet marked: it was probed


def test_a_history_whose_first_session_is_checkpointed_just_after_its_probe_is_read_whole(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A CI run: a session stopped for pain in tmux, its coach was closed, and the history read at that moment had
    no session. The unlocked probe saw the file before the coach checkpointed its first session into it (empty),
    then looked for the WAL after the coach had removed it (none): "empty, nothing waiting". The file is marked
    as the coach's by then, so the probe's answer is not taken."""
    writer = History(db)
    session = writer.begin("demo", "Demo", "/x/demo.toml", "0" * 64, time.time(), 3)
    real = History._reader
    wal_gone: list[bool] = []

    def checkpointed_after_the_probe(self: History, uri: str) -> tuple[sqlite3.Connection, int]:
        found = real(self, uri)
        if "immutable=1" in uri:
            writer.close()  # the last connection: SQLite copies the WAL into the file and removes it
            wal_gone.append(not db.with_name(db.name + "-wal").exists())
        return found

    monkeypatch.setattr(History, "_reader", checkpointed_after_the_probe)
    try:
        reader = History(db)
        try:
            assert [record.id for record in reader.sessions()] == [session]
        finally:
            reader.close()
    finally:
        writer.close()
    assert wal_gone == [True]  # the race as it was: probed empty, and no WAL left to see


@pytest.mark.parametrize("folder", ["a?b#c", "50% off", "x%41y", "dos espacios", "niño", "raw-\udcff-byte", "file:x"])
def test_a_history_in_a_folder_of_any_name_is_written_and_read_back(tmp_path: Path, folder: str) -> None:
    # Read through SQLite's `file:` URI, which coach.history.store makes itself (pathlib is not imported by
    # `coach history`): a ? or # left as it is would end the path, a % begin an escape.
    path = tmp_path / folder / "history.sqlite3"
    history = History(path)
    history.end(history.begin("demo", "Demo", "/demo.toml", "0" * 64, 1_000.0), "completed", 1_060.0)
    history.close()
    assert [(record.program, record.outcome) for record in History(path).sessions()] == [("demo", "completed")]
    shown = run_coach("history", env={"COACH_DATA_DIR": str(tmp_path / folder)})
    assert shown.returncode == 0 and "completed" in shown.stdout, shown.stderr


def test_a_programs_file_by_its_path_means_the_program_and_a_name_in_its_own_case_first(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A caregiver's walk: `--program ~/shelf/neck.toml`, the shelf program's own file, and the bundled demo's file
    by its path found no sessions; and a shelf file Demo.toml, synced in beside the bundled demo, had its sessions
    listed under `--program demo`. A program's file means it; a name means the program of that very name first."""
    from coach.program.catalog import bundled
    from coach.program.shelf import shelf_dir

    monkeypatch.setenv("COACH_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path / "data"))
    shelf = Path(shelf_dir())
    shelf.mkdir(parents=True)
    (shelf / "neck.toml").write_text("format = 1\n", encoding="utf-8")
    history = History(db)
    for program in ("neck", "demo", "Demo"):
        history.end(history.begin(program, program, program, "0" * 64, time.time()), "completed", time.time())
    records = history.sessions()
    history.close()
    assert [record.program for record in report.select(records, str(shelf / "neck.toml"))] == ["neck"]
    assert [record.program for record in report.select(records, str(bundled()["demo"]))] == ["demo"]
    assert [record.program for record in report.select(records, "demo")] == ["demo"]
    assert [record.program for record in report.select(records, "Demo")] == ["Demo"]
    assert sorted(record.program for record in report.select(records, "DEMO")) == ["Demo", "demo"]
