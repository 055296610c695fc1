"""Big programs on the fake clock: 500 steps, and a 4-hour timed step, play through correctly."""

from __future__ import annotations

import sys

from coach.program import parse_program
from coach.timeline import compile_program, estimate
from tests.conftest import ROOT
from tests.helpers import play

sys.path.insert(0, str(ROOT / "bench"))
from core import bundled_steps_program


def test_five_hundred_steps_play_in_order_and_nothing_is_lost() -> None:
    timeline = compile_program(parse_program(bundled_steps_program(500)))
    events, session = play(timeline)
    assert session.outcome == "completed"
    announced = [event.step for event in events if event.kind == "announce" and event.text.startswith("Step ")]
    assert announced == list(range(1, 501))
    assert events[-1].text == "Session complete. Well done."
    planned = [cue.text for segment in timeline.segments for cue in segment.cues]
    assert [event.text for event in events] == planned and session.dropped == []
    closing = timeline.segments[-1].length  # the session is over as its closing words begin
    assert abs(session.clock.now() - (timeline.length - closing)) < 1e-6


def test_a_four_hour_timed_step_keeps_its_marks_to_the_second() -> None:
    data = b'format = 1\n[program]\ntitle = "Long"\ncheck_in = false\n'
    data += b'[[steps]]\nkind = "timed"\ntitle = "Soak"\nduration = "4h"\n'
    timeline = compile_program(parse_program(data))
    events, session = play(timeline)
    assert session.outcome == "completed"
    told = next(event for event in events if event.text == "4 hours, starting now.")
    start = told.at + estimate(told.text)  # the time starts as the words end
    reminders = {event.text: round(event.at - start, 3) for event in events if event.kind == "remind"}
    assert reminders == {
        "15 minutes left.": 14400 - 900,
        "10 minutes left.": 14400 - 600,
        "5 minutes left.": 14400 - 300,
        "1 minute left.": 14400 - 60,
        "30 seconds left.": 14400 - 30,
        "10 seconds left.": 14400 - 10,
    }
    [time_up] = [event for event in events if event.text == "Time is up."]
    assert time_up.at - start == 14400
    assert [event.text for event in events if event.kind == "count"] == ["3", "2", "1"]
