"""The controls a person has, on a fake clock: pause, more time, skip, back, repeat, status, pain, stop."""

from __future__ import annotations

import pytest

from coach.program import parse_program
from coach.session import CORRECTION, Event, Session
from coach.timeline import compile_program
from tests.helpers import bundled_programs, play

PROGRAMS = bundled_programs()
PANIC_KINDS = {"paused", "resumed", "added", "taken"}


def spoken(events: list[Event]) -> list[tuple[float, str]]:
    return [(round(event.at, 3), event.text) for event in events if event.kind not in PANIC_KINDS]


def test_pause_and_resume_shift_everything_after_exactly() -> None:
    timeline = compile_program(PROGRAMS["three-exercises"])
    baseline, _ = play(timeline)
    pause_at, pause_for = 100.5, 37.25
    events, session = play(timeline, [(pause_at, Session.pause), (pause_at + pause_for, Session.resume)])
    assert session.outcome == "completed"
    expected = [(at if at <= pause_at else round(at + pause_for, 3), text) for at, text in spoken(baseline)]
    assert spoken(events) == expected
    assert [event.text for event in events if event.kind == "paused"] == ["Paused. Press Space to go on."]


@pytest.mark.parametrize("seconds", [10, -10])
def test_more_or_less_time_shifts_everything_after_exactly(seconds: int) -> None:
    timeline = compile_program(PROGRAMS["low-back-relief"])
    baseline, _ = play(timeline)
    start = next(event.at for event in baseline if event.kind == "start")
    when = start + 400.0  # inside the 20-minute heat pad
    events, _ = play(timeline, [(when, lambda session: session.adjust(seconds))])
    expected = [(at if at <= when else round(at + seconds, 3), text) for at, text in spoken(baseline)]
    assert spoken(events) == expected


def test_less_time_at_the_end_of_a_hold_releases_now() -> None:
    timeline = compile_program(PROGRAMS["posture"])
    baseline, _ = play(timeline)
    hold = next(event.at for event in baseline if event.kind == "hold")
    events, _ = play(timeline, [(hold + 15.5, lambda session: session.adjust(-10))])
    release = next(event for event in events if event.kind == "release")
    assert release.at == pytest.approx(hold + 15.5)
    counts = [event for event in events if event.kind == "count" and event.at < release.at]
    assert all(event.at < hold + 15.5 for event in counts)


def test_next_and_back_move_between_steps() -> None:
    timeline = compile_program(PROGRAMS["three-exercises"])
    baseline, _ = play(timeline)
    step2 = next(event.at for event in baseline if event.step == 2)
    events, _ = play(timeline, [(step2 + 20, Session.next), (step2 + 21, Session.back), (step2 + 40, Session.back)])
    announcements = [event.text for event in events if event.kind == "announce" and event.text.startswith("Step")]
    assert announcements == [
        "Step 1 of 3. Partial crunches.",
        "Step 2 of 3. Hamstring stretch with a towel.",
        "Step 3 of 3. Wall sits.",  # next
        "Step 2 of 3. Hamstring stretch with a towel.",  # back within 4 s of the start: the step before
        "Step 2 of 3. Hamstring stretch with a towel.",  # back later: the start of this step
        "Step 3 of 3. Wall sits.",
    ]


def test_ready_step_waits_for_a_key_and_check_in_takes_an_answer() -> None:
    program = parse_program(
        b'format = 1\n[program]\ntitle = "Ready"\n[[steps]]\nkind = "ready"\ntitle = "Mat"\ntimeout = "0s"\n'
    )
    timeline = compile_program(program)
    events, session = play(
        timeline,
        [(5, lambda session: session.answer(4)), (300, Session.toggle_pause), (305, lambda session: session.answer(2))],
    )
    assert session.outcome == "completed" and [pain for _, pain in session.answers] == [4, 2]
    going = next(event for event in events if event.text == "Session complete. Well done.")
    assert going.at == 305 + CORRECTION  # the check-in stays open a moment for a correction


def test_repeat_and_status_say_where_we_are() -> None:
    timeline = compile_program(PROGRAMS["demo"])
    heard: dict[str, str] = {}

    def ask(session: Session) -> list[Event]:
        heard["repeat"] = session.repeat()[0].text
        heard["status"] = session.status()[0].text
        return []

    baseline, _ = play(timeline)
    second_hold = [event.at for event in baseline if event.kind == "hold"][1]
    play(timeline, [(second_hold + 1, ask)])
    assert heard["repeat"].startswith("Step 1 of 3. Knee to chest. Lie on your back.")
    assert heard["repeat"].endswith("left leg.")
    assert heard["status"] == "Step 1 of 3. Knee to chest. Hold, left leg. 4 seconds left. Next: Bridges."


@pytest.mark.parametrize(
    ("action", "outcome", "kind"), [(Session.pain, "pain", "pain_stop"), (Session.stop, "stopped", "stopped")]
)
def test_pain_and_stop_end_the_session_at_once(action, outcome: str, kind: str) -> None:  # type: ignore[no-untyped-def]
    events, session = play(compile_program(PROGRAMS["demo"]), [(20, action)])
    assert session.outcome == outcome and events[-1].kind == kind
    assert all(event.at <= 20 for event in events)


def test_view_shows_the_countdown_and_the_count() -> None:
    timeline = compile_program(PROGRAMS["demo"])
    baseline, _ = play(timeline)
    views = {}

    def look(name: str):  # type: ignore[no-untyped-def]
        def act(session: Session) -> list[Event]:
            views[name] = session.view()
            return []

        return act

    hold = next(event.at for event in baseline if event.kind == "hold")
    one = next(event.at for event in baseline if event.step == 2 and event.text == "1")
    play(timeline, [(hold + 2.0, look("hold")), (one + 2.5, look("reps"))])
    assert views["hold"].phase is not None
    assert views["hold"].phase.label == "Hold" and views["hold"].phase_left == pytest.approx(3.0)
    assert views["reps"].count == 2 and views["reps"].phase_left is None


def test_a_late_count_is_dropped_but_a_late_release_is_still_said() -> None:
    from coach.clock import FakeClock

    timeline = compile_program(PROGRAMS["demo"])
    baseline, _ = play(timeline)
    three = next(event for event in baseline if event.kind == "count" and event.text == "3")
    release = next(event for event in baseline if event.kind == "release")
    clock = FakeClock(0.0)
    session = Session(timeline, clock)
    session.start()
    clock.time = three.at - 0.01
    session.due()
    clock.time = release.at + 0.5  # the process stalled: every count of this hold is now late
    heard = session.due()
    assert [event.text for event in session.dropped] == ["3", "2", "1"]
    assert heard[0].text == "Release." and heard[0].at == release.at
