"""`kind = "rest"`: a plain timed rest between exercises, told and timed, not counted as a step (issue 13.14).

Writing `kind = "rest"` used to get the misleading "did you mean "reps"?". Now a rest is said ("Rest,
30 seconds."), timed with 3-2-1 and "Next: …" in its closing seconds, and left out of the step numbers:
"Step 2 of 2" after it, "2 steps" in the welcome, in `coach validate`, in the picker, and in the history,
which records the exercises only.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.history.store import History
from coach.plan import plan_session
from coach.program import parse_program
from coach.session.clock import FakeClock
from coach.session.engine import Session
from coach.timeline import Timeline, compile_program
from coach.views.tui.picker import Entry, describe
from tests.conftest import PROGRAMS, run_coach
from tests.helpers import play

NECK = PROGRAMS / "good" / "hold-sets-and-rests.toml"


def test_a_rest_is_told_timed_and_not_numbered() -> None:
    timeline = compile_program(parse_program(NECK.read_bytes()))
    events, session = play(timeline)
    said = [event.text for event in events]
    assert said[0].startswith("Neck and shoulders. 2 steps, about ")
    assert "Step 1 of 2. Chin tucks." in said and "Step 2 of 2. Shoulder blade squeeze." in said
    assert not [text for text in said if text.startswith("Step 3")]
    rest = [event for event in events if event.segment == _after_step_one(timeline)]
    assert [event.text for event in rest] == [
        "Rest, 30 seconds.",
        "Let your shoulders drop.",
        "Next: Shoulder blade squeeze.",
        "3",
        "2",
        "1",
    ]
    assert {event.step for event in rest} == {0}
    following = next(event for event in events if event.text.startswith("Step 2 of 2"))
    assert following.at - rest[0].at == pytest.approx(timeline.segments[_after_step_one(timeline)].length)
    assert following.at - rest[0].at >= 30.0
    assert session.outcome == "completed"


def test_status_during_a_rest_says_the_time_left_and_the_next_exercise() -> None:
    timeline = compile_program(parse_program(NECK.read_bytes()))
    clock = FakeClock(0.0)
    session = Session(timeline, clock)
    session.start()
    rest = _after_step_one(timeline)
    told = timeline.segments[rest].cues[0]  # "Rest, 30 seconds.": its time starts as it ends
    clock.time = sum(segment.length for segment in timeline.segments[:rest]) + told.end + 10
    session.due()
    [status] = session.status()
    assert status.text.startswith("Rest. 20 seconds left.")  # the title, not "Rest. Rest." (title, then what)
    assert "20 seconds left." in status.text and status.text.endswith(
        "Next: Shoulder blade squeeze. About 9 minutes left in the session."
    )


def test_the_history_records_the_exercises_by_their_numbers(tmp_path: Path) -> None:
    history = History(tmp_path / "history.sqlite3")
    plan = plan_session(NECK, history=history, now=lambda: 1_790_000_000.0)
    clock = FakeClock(0.0)
    session = Session(plan.timeline, clock, plan.recorder)
    session.start()
    answered: set[int] = set()
    while not session.finished:
        session.due()
        if session.finished:
            break
        if session.segment.answer_ends and session.index not in answered:  # once: a second answer corrects it
            answered.add(session.index)
            session.answer(2)
            continue
        deadline = session.next_deadline()
        assert deadline is not None
        clock.time = deadline
    assert plan.recorder.close() is None
    [record] = History(tmp_path / "history.sqlite3").sessions()
    steps = History(tmp_path / "history.sqlite3").steps([record.id])[record.id]
    assert [(step.number, step.title, step.kind, step.sets) for step in steps] == [
        (1, "Chin tucks", "hold", 2),
        (2, "Shoulder blade squeeze", "hold", 2),
    ]
    assert record.steps_done == 2


def test_validate_and_the_picker_count_the_exercises(tmp_path: Path) -> None:
    result = run_coach("validate", str(NECK))
    assert result.returncode == 0 and result.stdout.startswith(f"{NECK}: ok, 2 steps, ")
    program = parse_program(NECK.read_bytes())
    lines = describe(Entry("neck", program, compile_program(program))).splitlines()
    assert lines[2:] == ["1. Chin tucks (hold)", "   Rest (rest)", "2. Shoulder blade squeeze (hold)"]


def _after_step_one(timeline: Timeline) -> int:
    """The segment right after step 1's: the rest step, which has no number of its own."""
    first = timeline.segment_of_step(1)
    assert first is not None
    return first + 1
