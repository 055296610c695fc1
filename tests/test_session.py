"""The controls a person has, on a fake clock: pause, more time, skip, back, repeat, status, pain, stop."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace

import pytest

from coach.program import load_program, parse_program
from coach.session.clock import FakeClock
from coach.session.engine import CORRECTION, EARLY, LATE_ANSWER, MOVED, TEN_WAIT, Event, Session, View
from coach.timeline import DROPPABLE, Timeline, compile_program, offer_resume
from coach.timeline.compile import CHECKIN_SECONDS
from tests.conftest import ROOT
from tests.helpers import Action, bundled_programs, play

PROGRAMS = bundled_programs()
PANIC_KINDS = {"paused", "resumed", "added", "taken"}


def spoken(events: list[Event]) -> list[tuple[float, str]]:
    return [(round(event.at, 3), event.text) for event in events if event.kind not in PANIC_KINDS]


def going_on(timeline: Timeline) -> float:
    """How long the program waits for "Going on." after a pause: it is said, not talked over (`interject`)."""
    from coach.session.engine import TOLD_MARGIN
    from coach.timeline.estimate import GAP, estimate

    return estimate("Going on.", timeline.rate) * TOLD_MARGIN + GAP


def near(said: list[tuple[float, str]], expected: list[tuple[float, str]]) -> bool:
    """The same sentences at the same times, to the millisecond they are rounded to."""
    texts = [text for _, text in said] == [text for _, text in expected]
    return texts and all(abs(a - b) <= 0.0015 for (a, _), (b, _) in zip(said, expected, strict=True))


def test_pause_and_resume_shift_everything_after_exactly() -> None:
    timeline = compile_program(PROGRAMS["three-exercises"])
    baseline, _ = play(timeline)
    pause_at, pause_for = 100.5, 37.25
    events, session = play(timeline, [(pause_at, Session.pause), (pause_at + pause_for, Session.resume)])
    assert session.outcome == "completed"
    # and "Going on." is said before what follows: a walk's next sentences ran into it, its hold 0.5 s short
    shift = pause_for + going_on(timeline)
    expected = [(at if at <= pause_at else round(at + shift, 3), text) for at, text in spoken(baseline)]
    assert near(spoken(events), expected)
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


def test_minus_typed_in_a_burst_empties_this_timer_and_no_other() -> None:
    """Six presses of - at once (a burst, or a key held down) emptied the hold, then the rest after it and the
    next hold: each press that came after the timer ended took 10 s from the one after."""
    timeline = compile_program(PROGRAMS["posture"])
    baseline, _ = play(timeline)
    hold = next(event.at for event in baseline if event.kind == "hold")

    def gap(events: list[Event]) -> float:  # from this hold's release to the next hold
        release = next(event.at for event in events if event.kind == "release")
        return next(event.at for event in events if event.kind == "hold" and event.at > release) - release

    burst = [(hold + 5.0 + n * 0.02, lambda session: session.adjust(-10)) for n in range(6)]
    events, _ = play(timeline, burst)
    assert next(event.at for event in events if event.kind == "release") == pytest.approx(hold + 5.02)
    assert gap(events) == pytest.approx(gap(baseline))  # the rest after it, and what follows, untouched
    assert sum(event.kind == "taken" for event in events) == 2  # 10 s, then the 5 s left; the rest do nothing
    # A press once the next timer has begun shortens that one, as before.
    next_hold = next(event.at for event in events if event.kind == "hold" and event.at > hold + 5.02)
    events, _ = play(timeline, [*burst, (next_hold + 2.0, lambda session: session.adjust(-10))])
    assert sum(event.kind == "taken" for event in events) == 3


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


@pytest.mark.parametrize("timeout", ["0s", "40s"])
def test_going_on_out_of_a_pause_on_a_ready_step_goes_on_from_it(timeout: str) -> None:
    """A hands-free walk's "coach help" paused a ready step ("Say coach go on, or press Space, when you are
    ready"); its "coach go on" then resumed the step in silence, its countdown running, and only a second one went
    on. The words (and the key) that end a pause are the ones the step asks for: they go on from it."""
    program = parse_program(
        b'format = 1\n[program]\ntitle = "Ready"\ncheck_in = false\n[[steps]]\nkind = "ready"\ntitle = "Mat"\n'
        + f'timeout = "{timeout}"\n'.encode()
        + b'[[steps]]\nkind = "timed"\ntitle = "Rest"\nduration = "5s"\n'
    )
    events, session = play(compile_program(program), [(6, Session.pause), (9, Session.resume)])
    rest = next(event for event in events if event.text.startswith("Step 2 of 2. Rest."))
    assert rest.at == 9 and session.outcome == "completed"
    assert "Going on." not in [event.text for event in events]  # on to the next step, not back to the question


def test_space_twice_at_once_in_a_hold_loses_no_count_under_what_pausing_and_going_on_say() -> None:
    """A keyboard walk typed Space twice at once in a hold: "Paused. Press Space to go on." was said, then "Going
    on.", and the hold's 3 was never said: its clock had run on under the first, and waited for the second alone
    as if said at once. The program stands until both are said, erring long as interjections do."""
    from coach.timeline.estimate import GAP, estimate

    timeline = compile_program(bundled_programs()["demo"])
    hold = next(event for event in play(timeline)[0] if event.text == "Hold.")
    at = hold.at + 1.0
    events, _ = play(timeline, [(at, Session.toggle_pause), (at + 0.05, Session.toggle_pause)])
    paused, going_on = (next(event for event in events if event.kind == kind) for kind in ("paused", "resumed"))
    said_until = paused.at + estimate(paused.text, timeline.rate) + estimate(going_on.text, timeline.rate) + GAP
    counts = [event for event in events if event.kind == "count" and event.at > at][:3]
    assert [event.text for event in counts] == ["3", "2", "1"]
    assert said_until <= counts[0].at < said_until + 3, (said_until, counts[0].at)


@pytest.mark.parametrize("asked", [Session.repeat, Session.status], ids=["repeat", "status"])
def test_repeat_or_status_in_a_hold_is_said_whole_and_loses_no_count(asked: Action) -> None:
    """A hands-free walk said "coach repeat" a second into a 5-second hold: the instruction, 7 s long, was cut
    by the 3 after 3 s. What a person asks to hear is said whole, the program standing meanwhile, as for the
    coach's own interjections; then the hold goes on, every count said."""
    from coach.timeline.estimate import estimate

    timeline = compile_program(bundled_programs()["demo"])
    hold = next(event for event in play(timeline)[0] if event.text == "Hold.")
    at = hold.at + 1.0
    events, _ = play(timeline, [(at, asked)])
    said = next(event for event in events if event.kind in {"repeat", "status"})
    counts = [event for event in events if event.kind == "count" and event.at > at][:3]
    assert [event.text for event in counts] == ["3", "2", "1"]
    assert counts[0].at >= said.at + estimate(said.text, timeline.rate), (said, counts[0])


def test_muted_nothing_waits_for_what_is_not_heard() -> None:
    """Muted (m), a status read on the screen in a hold froze its countdown for as long as it would take to say."""
    timeline = compile_program(bundled_programs()["demo"])
    hold = next(event for event in play(timeline)[0] if event.text == "Hold.")

    def mute(session: Session) -> list[Event]:
        session.muted = True
        return []

    counts = {
        muted: [event.at for event in events if event.kind == "count"][:3]
        for muted in (False, True)
        for events in [
            play(timeline, [(hold.at - 5, mute if muted else Session.due), (hold.at + 1, Session.status)])[0]
        ]
    }
    unasked = [event.at for event in play(timeline)[0] if event.kind == "count"][:3]
    assert counts[True] == unasked and counts[False][0] > unasked[0] + 5


def test_a_ready_step_that_waits_for_a_key_shows_no_clock_and_tells_no_seconds_left() -> None:
    """A walk saw 00:00 and "0 seconds left." under "Press Space when you are ready.": a wait for ever has no
    clock, and status does not count one down."""
    program = parse_program(
        b'format = 1\n[program]\ntitle = "Ready"\ncheck_in = false\n'
        b'[[steps]]\nkind = "ready"\ntitle = "Mat"\ntimeout = "0s"\n'
    )
    seen: dict[str, View] = {}
    told: list[str] = []

    def look(session: Session) -> list[Event]:
        seen["view"] = session.view()
        told.append(session.status()[0].text)
        return []

    _, session = play(compile_program(program), [(60, look), (61, Session.continue_)])
    assert session.outcome == "completed"
    assert seen["view"].waiting and seen["view"].phase_left is None
    assert " 0 seconds left" not in told[0] and told[0].startswith("Step 1 of 1. Mat. Press Space."), told


@pytest.mark.parametrize(
    ("listening", "paused", "still"),
    [
        (False, "Paused. Press Space to go on.", "Still paused. Press Space to go on."),
        (True, "Paused. Say coach go on, or press Space.", "Still paused. Say coach go on, or press Space."),
    ],
)
def test_a_pause_says_how_to_go_on_by_voice_where_the_coach_listens(listening: bool, paused: str, still: str) -> None:
    """A walk's person on the floor said "coach pause" and was told to press Space."""
    session = Session(compile_program(PROGRAMS["demo"], listening=listening), FakeClock(0.0))
    session.start()
    assert [event.text for event in session.pause()] == [paused]
    session.hold()  # the stop question, asked while paused, answered no
    assert [event.text for event in session.release()] == [still]


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
    assert heard["repeat"].endswith("hug it. Left leg.")
    assert heard["status"] == (
        "Step 1 of 3. Knee to chest. Hold, left leg. 4 seconds left. Next: Bridges."
        " About 40 seconds left in the session."
    )


def test_repeat_at_a_pain_check_in_asks_again_and_after_an_answer_says_it() -> None:
    """r at a check-in said "Pain check-in." only: now the question again, with the 10 s it promises, and once
    answered, the answer as noted."""
    timeline = compile_program(PROGRAMS["three-exercises"])
    baseline, _ = play(timeline)
    asked = next(event for event in baseline if event.kind == "checkin")
    said: list[str] = []

    def repeat(session: Session) -> list[Event]:
        events = session.repeat()
        said.extend(event.text for event in events if event.kind != MOVED)
        return events

    events, session = play(
        timeline, [(asked.at + 6, repeat), (asked.at + 12, lambda s: s.answer(5)), (asked.at + 13, repeat)]
    )
    again = [event for event in events if event.kind == "checkin" and event.at < asked.at + 12]
    assert [event.at for event in again] == [asked.at, asked.at + 6] and said[0] == asked.text
    assert said[-1] == "Pain check-in. Pain 5, noted. Another number corrects it."
    assert [pain for _, pain in session.answers] == [5]  # at 12 s, within the 10 s asked again at 6 s


@pytest.mark.parametrize(
    ("action", "outcome", "kind"), [(Session.pain, "pain", "pain_stop"), (Session.stop, "stopped", "stopped")]
)
def test_pain_and_stop_end_the_session_at_once(action, outcome: str, kind: str) -> None:  # type: ignore[no-untyped-def]
    events, session = play(compile_program(PROGRAMS["demo"]), [(20, action)])
    assert session.outcome == outcome and events[-1].kind == kind
    assert all(event.at <= 20 for event in events)


def test_the_session_ends_as_its_closing_words_begin_and_nothing_moves_it_on() -> None:
    """A walk: in the 2.7 s of "Session complete. Well done." the session still took its keys: ← went back into
    it (a burst replayed it all), Space paused it for good (the history said "playing now"), q asked to stop it.
    Every step is over by then: it ends completed as those words begin, and nothing moves it on; x still stops
    for pain (the player's last screen, plain mode while the words are said)."""
    timeline = compile_program(PROGRAMS["demo"])
    closing = timeline.segments[-1].cues[0].text
    log = Log()
    events, session = play(timeline, log=log)
    assert events[-1].text == closing and session.outcome == "completed" and log.outcome == "completed"
    assert session.clock.now() == events[-1].at  # ended as they began, not once they were said
    for act in (Session.back, Session.next, Session.pause, Session.stop, lambda s: s.adjust(10)):
        assert [event.kind for event in act(session)] in ([], ["no_timer"]) and session.outcome == "completed"
    assert [event.kind for event in session.pain()] == ["pain_stop"] and log.outcome == "pain"


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
    from coach.session.clock import FakeClock

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


# --- answers at a check-in, questions that hold the session, what is said (issue 13) ---------------------

PAIN_SIX = ROOT / "tests" / "programs" / "good" / "pain-six.toml"


def pain_six() -> Timeline:
    return compile_program(load_program(PAIN_SIX))


class Log:
    """The history's side of a session, as written: the last answer at each check-in, and the outcome."""

    def __init__(self) -> None:
        self.pain: dict[bool, int] = {}
        self.outcome: str | None = None
        self.steps: list[tuple[int, bool]] = []
        self.adjustments: list[tuple[int, int]] = []

    def started(self) -> None:
        return None

    def resumed(self, step: int) -> None:
        return None

    def step_ended(self, number: int, completed: bool) -> None:
        self.steps.append((number, completed))

    def replayed(self, number: int) -> None:
        self.steps.remove((number, False))

    def answered(self, before: bool, pain: int) -> None:
        self.pain[before] = pain

    def ended(self, outcome: str, step: int | None) -> None:
        self.outcome, self.stopped_in = outcome, step

    def adjusted(self, step: int, seconds: int) -> None:
        self.adjustments.append((step, seconds))


def question_end(timeline: Timeline) -> float:
    """When the first check-in's question has been said (and its countdown starts): when a person answers."""
    baseline, _ = play(timeline)
    asked = next(event for event in baseline if event.text.startswith("How is your pain now"))
    _question, countdown = timeline.segments[asked.segment].phases
    assert asked.at + timeline.segments[asked.segment].cues[0].length <= asked.at + countdown.start
    return asked.at + countdown.start


def at_checkin(actions: list[tuple[float, Action]], log: Log | None = None) -> tuple[list[Event], Session]:
    """Play pain-six with `actions` at seconds after its first question has been said."""
    timeline = pain_six()
    asked = question_end(timeline)
    return play(timeline, [(asked + at, act) for at, act in actions], log=log)


def digit(value: int) -> Action:
    return lambda session: session.digit(value)


def test_a_one_then_a_zero_is_pain_ten_and_at_pain_stop_six_the_session_stops_for_pain() -> None:
    log = Log()
    events, session = at_checkin([(1.0, digit(1)), (1.3, digit(0))], log)
    assert session.outcome == "pain" and log.outcome == "pain"
    assert [pain for _, pain in session.answers] == [10] and log.pain == {True: 10}
    assert events[-1].kind == "pain_stop" and events[-1].text.startswith("You said your pain is 10 out of 10. Stop now")
    assert not any(event.text == "Session complete. Well done." for event in events)


def test_a_lone_one_waits_on_the_session_clock_for_a_zero_then_is_noted() -> None:
    timeline = pain_six()
    asked = question_end(timeline)
    clock = FakeClock(0.0)
    session = Session(timeline, clock)
    session.start()
    while clock.time < asked + 1:
        session.due()
        clock.time = min(session.next_deadline() or asked + 1, asked + 1)
    session.due()
    assert session.digit(1) == [] and session.next_deadline() == pytest.approx(asked + 1 + TEN_WAIT)
    assert session.view().pending == 1
    clock.time = asked + 1 + TEN_WAIT - 0.01
    assert session.due() == []
    clock.time = asked + 1 + TEN_WAIT
    [noted] = session.due()
    assert noted.text == "Pain 1, noted."
    assert noted.at == pytest.approx(asked + 1 + TEN_WAIT)
    assert session.view().doing == "Pain 1, noted. Another number corrects it."
    assert session.view().phase_left == pytest.approx(CORRECTION)  # open for a correction, and it says how long


@pytest.mark.parametrize("confirm", [Session.continue_, Session.toggle_pause], ids=["enter", "space"])
def test_enter_or_space_confirms_a_one_at_once(confirm: Action) -> None:
    """Space, which goes on after an answer, confirms a `1` as Enter does: a walk's 1 then Space paused the
    session ("Paused. Press Space to go on."), the 1 taken only once it went on again."""
    events, session = at_checkin([(1.0, digit(1)), (1.2, confirm)])
    assert not any(event.kind == "paused" for event in events)
    noted = next(event for event in events if event.kind == "answer")
    assert noted.text == "Pain 1, noted."
    assert noted.at == pytest.approx(question_end(pain_six()) + 1.2)
    assert next(pain for _, pain in session.answers) == 1


@pytest.mark.parametrize("leave", [Session.stop, Session.next, Session.pain], ids=["stop", "next", "pain"])
def test_a_one_still_waiting_for_a_zero_is_noted_when_the_check_in_is_left(leave: Action) -> None:
    """A `1` is an answer the person gave: stopping (q then y, Ctrl-C, a closed window, x), or going on before
    its wait for a `0` is over notes it, as Enter would, instead of losing it (a walk found `1 x` lost it)."""
    log = Log()
    events, session = at_checkin([(1.0, digit(1)), (1.2, leave)], log)
    assert [pain for _, pain in session.answers] == [1] and log.pain == {True: 1}
    noted = next(event for event in events if event.kind == "answer")
    assert noted.text == "Pain 1, noted."
    if leave is Session.pain:
        assert session.outcome == "pain" and events[-1].kind == "pain_stop"


@pytest.mark.parametrize("closed", ["help", "question"])
def test_a_one_waiting_for_a_zero_when_the_help_or_the_question_closes_is_not_talked_over_by_going_on(
    closed: str,
) -> None:
    """A keyboard walk typed 1 at the check-in, then ? and Escape: "Pain 1, noted." was cut after 0.2 s by "Going
    on.". Nothing goes on there: the 1 still waits for a 0 (a 10 stops for pain), and is said back alone."""
    log = Log()

    def close(session: Session) -> list[Event]:
        return session.release()

    opened: Action = Session.hold if closed == "help" else (lambda session: session.ask("Stop the session?"))
    events, session = at_checkin([(1.0, digit(1)), (1.5, opened), (3.0, close)], log)
    assert [pain for _, pain in session.answers] == [1] and log.pain == {True: 1}
    closed_at = question_end(pain_six()) + 3.0
    said = [(event.text, event.at) for event in events if event.kind in {"answer", "resumed"}]
    assert [text for text, _ in said] == ["Pain 1, noted."] and said[0][1] > closed_at


def test_every_answer_is_said_back_and_another_one_corrects_it() -> None:
    log = Log()
    events, session = at_checkin([(1.0, digit(3)), (2.5, digit(2))], log)
    asked = question_end(pain_six())
    noted = [(round(event.at - asked, 3), event.text) for event in events if event.kind == "answer"]
    assert noted[:2] == [(1.0, "Pain 3, noted."), (2.5, "Pain 2, noted.")]
    assert log.pain[True] == 2 and next(pain for _, pain in session.answers) == 2
    step1 = next(event for event in events if event.text == "Step 1 of 2. Chin tuck.")
    assert step1.at == pytest.approx(asked + 2.5 + CORRECTION)  # open CORRECTION s after the last answer


def test_space_or_enter_after_an_answer_goes_on_at_once() -> None:
    events, _ = at_checkin([(1.0, digit(4)), (1.5, Session.toggle_pause)])
    step1 = next(event for event in events if event.text == "Step 1 of 2. Chin tuck.")
    assert step1.at == pytest.approx(question_end(pain_six()) + 1.5)
    assert not any(event.kind == "paused" for event in events)


def test_a_correction_at_pain_stop_stops_at_once() -> None:
    events, session = at_checkin([(1.0, digit(3)), (2.0, digit(8))])
    assert session.outcome == "pain" and events[-1].text.startswith("You said your pain is 8 out of 10.")


def test_the_check_in_countdown_and_the_voice_give_one_number() -> None:
    """The question says "I will go on in 10 seconds": no countdown while it is said, then 10, and it goes on
    10 seconds after it was said."""
    timeline = pain_six()
    asked = question_end(timeline)
    seen: dict[str, View] = {}

    def look(name: str) -> Action:
        def act(session: Session) -> list[Event]:
            seen[name] = session.view()
            return []

        return act

    events, _ = play(timeline, [(asked - 1.0, look("saying")), (asked + 0.001, look("said"))])
    assert seen["saying"].phase_left is None and seen["saying"].doing == "Pain, 0 to 10"
    assert seen["said"].phase_left == pytest.approx(CHECKIN_SECONDS, abs=0.01)
    step1 = next(event for event in events if event.text == "Step 1 of 2. Chin tuck.")
    assert step1.at == pytest.approx(asked + CHECKIN_SECONDS)


def test_a_countdown_that_begins_with_nothing_said_is_a_deadline_of_its_own() -> None:
    """A walk saw the first second of a countdown after a question for 0.2 to 0.6 s: nothing said begins it, so
    nothing woke the screen as it began, and it was first drawn with the next second's redraw."""
    timeline = pain_six()
    asked = question_end(timeline)
    clock = FakeClock(0.0)
    session = Session(timeline, clock)
    session.start()
    while (deadline := session.next_deadline()) is not None and deadline < asked:
        clock.time = deadline
        session.due()
    assert deadline is not None and deadline == pytest.approx(asked, abs=0.002)  # not the countdown's end, 10 s on
    clock.time = deadline
    session.due()
    assert session.view().phase_left == pytest.approx(CHECKIN_SECONDS, abs=0.002)  # shown from its first second


def test_a_question_holds_the_session_and_no_goes_on_where_it_was() -> None:
    timeline = compile_program(PROGRAMS["three-exercises"])
    baseline, _ = play(timeline)
    asked_at, answered_at = 100.5, 137.25
    events, session = play(timeline, [(asked_at, Session.hold), (answered_at, Session.release)])
    assert session.outcome == "completed"
    shift = answered_at - asked_at + going_on(timeline)
    late = [(at if at <= asked_at else round(at + shift, 3), text) for at, text in spoken(baseline)]
    assert near(spoken(events), late)
    assert [event.text for event in events if event.kind == "paused"] == []  # the question is what is said


def test_a_person_already_paused_stays_paused_after_the_question() -> None:
    events, session = play(
        compile_program(PROGRAMS["demo"]),
        [(20, Session.pause), (21, Session.hold), (25, Session.release), (40, Session.pain)],
    )
    assert "Still paused. Press Space to go on." in [event.text for event in events]
    assert not session.held and not any(event.kind == "resumed" for event in events)
    assert [event.at for event in events if event.kind == "pain_stop"] == [40]  # nothing moved from 20 to 40
    assert max(event.at for event in events if event.kind != "pain_stop") <= 25


def test_skipping_every_step_says_and_records_the_truth() -> None:
    log = Log()
    timeline = compile_program(PROGRAMS["three-exercises"])
    # `next` on the opening, the check-in, each step and the last check-in, a second apart
    events, session = play(timeline, [(5 + at, Session.next) for at in range(len(timeline.segments) - 1)], log=log)
    assert session.outcome == "stopped" and log.outcome == "stopped"
    assert log.steps == [(1, False), (2, False), (3, False)]
    assert events[-1].text == "Session over. Every step was skipped."
    assert "Session complete. Well done." not in [event.text for event in events]


def test_status_reads_as_a_person_would_write_it() -> None:
    def status_at(timeline: Timeline, when: Callable[[list[Event]], float]) -> str:
        baseline, _ = play(timeline)
        heard: list[str] = []

        def ask(session: Session) -> list[Event]:
            heard.append(session.status()[0].text)
            return []

        play(timeline, [(when(baseline), ask)])
        return heard[0]

    timed = compile_program(PROGRAMS["low-back-relief"])
    text = status_at(timed, lambda events: next(e.at for e in events if e.kind == "start") + 4)
    assert "Time left." not in text and "19 minutes and 5" in text and " seconds left." in text
    reps = pain_six()
    text = status_at(reps, lambda events: next(e.at for e in events if e.step == 2 and e.text == "2") + 0.5)
    assert (
        text == "Step 2 of 2. Shrugs. Repetition 2 of 4. This is the last step. About 30 seconds left in the session."
    )
    text = status_at(reps, lambda events: next(e.at for e in events if e.text == "Release.") + 1)
    assert text.startswith("Step 1 of 2. Chin tuck. Rest, then repetition 2 of 2. ")


def test_the_screen_reads_rest_and_the_offer_as_a_person_would_write_them() -> None:
    reps = pain_six()
    baseline, _ = play(reps)
    release = next(event.at for event in baseline if event.text == "Release.")
    seen: list[View] = []

    def look(session: Session) -> list[Event]:
        seen.append(session.view())
        return []

    play(reps, [(release + 1, look)])
    assert seen[0].doing == "Rest, then repetition 2 of 2"
    offered = offer_resume(reps, 2, "Last time you stopped during step 2.")
    offer = offered.segments[0]
    clock = FakeClock(0.0)
    session = Session(offered, clock)
    session.start()
    clock.time = offer.length - 1
    assert session.view().doing == "Step 2 of 2. Shrugs."  # the title was said again: "… Step 2"
    # Not "Next: " the first step: a walk read it at the offer to go on from step 3. The question says both ways.
    assert session.view().next_title == ""


@pytest.mark.parametrize("answer", [[digit(8)], [digit(1), digit(0)], [lambda session: session.answer(7)]])
def test_a_pain_answer_while_paused_at_a_check_in_still_stops_for_pain(answer: list[Action]) -> None:
    """Space at the check-in, then the answer: the pain stop must not wait for a resume nobody will press."""
    actions: list[tuple[float, Action]] = [(1.0, Session.toggle_pause)]
    actions += [(5.0 + 0.3 * n, act) for n, act in enumerate(answer)]
    events, session = at_checkin(actions)
    assert session.outcome == "pain"
    assert events[-1].kind == "pain_stop"


def test_a_suspension_while_help_is_up_stays_paused_when_help_closes() -> None:
    """Ctrl-Z during help (or "Stop the session?"): at `fg` and the help closed, the session is still paused."""
    events, _session = play(
        compile_program(PROGRAMS["demo"]),
        [(20, Session.hold), (21, lambda session: session.pause(at=21)), (30, Session.release), (60, Session.resume)],
    )
    assert "Still paused. Press Space to go on." in [event.text for event in events]
    assert not [event for event in events if 30 < event.at < 60]  # nothing went on after the help closed


def test_go_on_said_behind_help_goes_on_when_help_closes() -> None:
    """Paused, then help, then "coach go on" heard behind it: the help closed, the session goes on (a walk saw
    "Still paused", the "go on" lost, though "coach pause" behind help was kept)."""
    events, _session = play(
        compile_program(PROGRAMS["demo"]),
        [(20, Session.toggle_pause), (22, Session.hold), (24, Session.resume), (30, Session.release)],
    )
    said = [event.text for event in events]
    assert "Still paused. Press Space to go on." not in said
    assert [event for event in events if event.kind == "resumed" and event.at == 30]
    assert [event for event in events if 30 < event.at < 40]  # it went on after the help closed


def test_x_after_the_session_has_ended_still_gives_the_advice_and_records_pain() -> None:
    """The player's last screen stays up after "Session complete": x there, from a person who hurts as the
    session ends, gives the advice and the record says pain (a walk found x closed the screen, recorded
    completed). Once stopped for pain, x again does nothing more."""
    log = Log()
    _, session = play(pain_six(), log=log)
    assert session.outcome == "completed" and log.outcome == "completed"
    [advice] = session.pain()
    assert advice.kind == "pain_stop" and advice.text.startswith("Stop now")
    assert session.outcome == "pain" and log.outcome == "pain"
    assert session.pain() == []


@pytest.mark.parametrize("leave", [Session.stop, Session.pain, Session.next], ids=["stop", "pain", "next"])
@pytest.mark.parametrize("last_words", ["Release.", "Done.", "Time is up."])
def test_a_step_left_while_its_last_words_are_said_was_done(leave: Action, last_words: str) -> None:
    """The hold, the counting or the timer is over and only its last words are being said ("Done."): a stop,
    a pain stop or a skip then leaves a step that was done, and the record says so. A walk found x just after
    "Done." in plain mode recorded the step as not done. A moment before those words, it was not."""
    timeline = compile_program(PROGRAMS["demo"])
    baseline, _ = play(timeline)
    said = [event for event in baseline if event.text == last_words][-1]  # the step's last: the left leg's
    step = timeline.segments[said.segment].number
    for at, done in ((said.at + 0.1, True), (said.at - 0.1, False)):
        log = Log()
        _, session = play(timeline, [(at, leave)], log=log)
        assert ((step, True) in log.steps) is done, (at, log.steps)
        assert session.steps_done == sum(completed for _, completed in log.steps)


def highest_shown(timeline: Timeline, kind: str, actions: list[tuple[float, Action]] | None = None) -> list[int]:
    """The highest second the countdown shows in each phase of `kind`, sampled every 10 ms on the session's clock."""
    shown: dict[tuple[int, float], int] = {}

    def look(session: Session) -> list[Event]:
        view = session.view()
        if view.phase is not None and view.phase.kind == kind and view.phase_left is not None:
            key, second = (session.index, view.phase.start), math.ceil(view.phase_left - 1e-9)
            shown[key] = max(shown.get(key, 0), second)
        return []

    samples: list[tuple[float, Action]] = [(n / 100, look) for n in range(int(timeline.length * 100))]
    play(timeline, samples + (actions or []))
    return list(shown.values())


def test_a_countdown_never_starts_above_the_seconds_the_voice_said() -> None:
    """A walk: "5 seconds, starting now." was shown as "6 seconds left.", a 3 s hold as 4, a 3 s rest as 4. The
    clock grows where the words that start it leave the 3-2-1 no room (a count is never dropped); the countdown
    shows the seconds that were said, its first a little longer. Time added with + is shown."""
    assert highest_shown(compile_program(PROGRAMS["demo"]), "timed") == [5]
    assert highest_shown(pain_six(), "hold") == [3, 3]
    assert highest_shown(pain_six(), "rest") == [3]
    demo = compile_program(PROGRAMS["demo"])
    timed = next(index for index, segment in enumerate(demo.segments) if segment.title == "Rest")
    baseline, _ = play(demo)
    started = next(event.at for event in baseline if event.segment == timed and event.text.startswith("5 seconds"))
    assert highest_shown(demo, "timed", [(started + 0.5, lambda session: session.adjust(10))]) == [15]


def test_repeat_in_a_hold_on_one_side_says_the_side_as_a_sentence() -> None:
    """A walk: r during "Hold, right leg" said "… hug it. right leg." The detail is its own sentence."""
    timeline = compile_program(PROGRAMS["demo"])
    baseline, _ = play(timeline)
    held = next(event.at for event in baseline if event.text == "Hold.")
    events, _ = play(timeline, [(held + 1, Session.repeat)])
    [repeated] = [event.text for event in events if event.kind == "repeat"]
    assert repeated.endswith("hug it. Right leg."), repeated


def test_minus_takes_away_the_seconds_shown_and_never_says_none() -> None:
    """A walk: - just after "4 seconds, starting now." said "5 seconds taken away." and recorded 5 s taken from a
    4 s step (the clock had grown, unseen, to leave the 3-2-1 room); - on the last fraction of a second said
    "0 seconds taken away." What is taken, said and recorded is what the countdown showed."""
    timeline = compile_program(load_program(ROOT / "tests" / "programs" / "good" / "short.toml"))
    baseline, _ = play(timeline)
    started = next(event for event in baseline if event.text == "4 seconds, starting now.")
    timer = next(phase for phase in timeline.segments[started.segment].phases if phase.kind == "timed")
    assert timer.grown > 0.5  # the case the walk found
    log = Log()
    events, _ = play(timeline, [(started.at + 0.5, lambda session: session.adjust(-10))], log=log)
    assert "4 seconds taken away." in [event.text for event in events]
    assert log.adjustments == [(3, -4)]
    end = started.at + timer.end - timer.start
    events, _ = play(timeline, [(end - 0.3, lambda session: session.adjust(-10))])
    assert not [event.text for event in events if "taken away" in event.text]


def test_time_changed_in_a_pass_that_was_left_and_played_again_is_not_kept() -> None:
    """A walk: + + + - - at "Hold.", then → and ←, and the hold played again as written: the record still said
    "10 s added to Knee to chest". A step played again starts as written, and so does its record."""
    timeline = compile_program(PROGRAMS["demo"])
    baseline, _ = play(timeline)
    held = next(event.at for event in baseline if event.text == "Hold.")
    log = Log()
    actions: list[tuple[float, Action]] = [
        (held + 0.5, lambda session: session.adjust(10)),
        (held + 1.0, Session.next),
        (held + 1.5, Session.back),  # within the grace: back to the step before, played again
    ]
    _, session = play(timeline, actions, log=log)
    assert sum(seconds for step, seconds in log.adjustments if step == 1) == 0, log.adjustments
    assert log.steps[:2] == [(1, True), (2, True)] and session.outcome == "completed"  # the skip undone
    log = Log()
    play(timeline, actions[:1], log=log)  # left alone, the time added stays in the record
    assert log.adjustments == [(1, 10)]


NOTICE = "Listening is off: no recorder program was found (arecord or sox). Keys still work."


def _interject(session: Session) -> list[Event]:
    return session.interject(NOTICE, "listening")


def _same(said: list[tuple[float, str]], expected: list[tuple[float, str]]) -> None:
    """`said` (the interjection left out) is `expected`, to the millisecond the times are rounded to."""
    said = [item for item in said if item[1] != NOTICE]
    assert [text for _, text in said] == [text for _, text in expected]
    assert all(abs(at - want) <= 0.0015 for (at, _), (want, _) in zip(said, expected, strict=True)), said


def _told_for(timeline: Timeline) -> float:
    from coach.session.engine import TOLD_MARGIN
    from coach.timeline.estimate import GAP, estimate

    return estimate(NOTICE, timeline.rate) * TOLD_MARGIN + GAP


def _said_by(timeline: Timeline, when: float) -> float:
    """When the cues laid at or before `when` end, played hands-free: where an interjection's wait begins."""
    origin, ends = 0.0, when
    for segment in timeline.segments:
        ends = max([ends, *(origin + cue.end for cue in segment.cues if origin + cue.at <= when)])
        origin += segment.length
    return ends


@pytest.mark.parametrize("when", [0.0, 3.0, 100.5, 110.0])  # the start, the welcome, an announcement, a hold
def test_an_interjection_shifts_everything_after_by_its_length(when: float) -> None:
    """A walk's "Listening is off" (11 s) was said over the first step: its words late, its counts dropped,
    each hold "Hold." and "Release." in one breath. The program waits for it instead, as for a pause, from the
    end of the sentence it is said after."""
    timeline = compile_program(PROGRAMS["three-exercises"])
    baseline, _ = play(timeline)
    told, begins = _told_for(timeline), _said_by(timeline, when)
    assert begins > when or when == 110.0  # after the sentence being said; in the hold, at once
    events, session = play(timeline, [(when, _interject)])
    assert session.outcome == "completed" and not session.dropped
    said = next(event for event in events if event.text == NOTICE)
    assert said.at == when and said.kind == "listening"
    expected = [(at if at < begins else round(at + told, 3), text) for at, text in spoken(baseline)]
    _same(spoken(events), expected)


def test_the_countdown_stands_while_an_interjection_is_said_then_goes_on() -> None:
    timeline = compile_program(PROGRAMS["three-exercises"])
    told, when = _told_for(timeline), 110.0  # in a 15 s hold, nothing being said
    seen: list[tuple[float | None, bool]] = []

    def look(session: Session) -> list[Event]:
        seen.append((session.view().phase_left, session.view().paused))
        return []

    play(timeline, [(when, look), (when, _interject), (when + told - 0.5, look), (when + told + 1, look)])
    (before, _), (during, paused), (after, _) = seen
    assert before is not None and during == before and not paused  # standing, not paused
    assert after == pytest.approx(before - 1)


def test_a_pause_during_an_interjection_keeps_the_wait_so_far_and_two_add_up() -> None:
    timeline = compile_program(PROGRAMS["three-exercises"])
    baseline, _ = play(timeline)
    told = _told_for(timeline)
    when = 110.0  # in a 15 s hold, nothing being said
    assert _said_by(timeline, when) == when  # nothing is being said then: the wait begins at once
    # Paused 1 s into it, for 10 s (after it was said): everything after moves by 11 s and "Going on.", not by the
    # interjection's length on top.
    events, _ = play(timeline, [(when, _interject), (when + 1, Session.pause), (when + 11, Session.resume)])
    expected = [(at if at < when else round(at + 11 + going_on(timeline), 3), text) for at, text in spoken(baseline)]
    _same(spoken(events), expected)
    # A second one while the first is said waits its turn behind it: the two lengths add up.
    events, _ = play(timeline, [(when, _interject), (when + 1, _interject)])
    expected = [(at if at < when else round(at + 2 * told, 3), text) for at, text in spoken(baseline)]
    _same(spoken(events), expected)


def test_a_second_hold_before_going_on_is_said_does_not_stand_the_clock_until_it_is() -> None:
    """A walk opened the command palette twice as a Chinese timer began: its "Going on." was queued behind the
    sentence being said, and the second release stood the clock from then until it was said, 12 s."""
    timeline = compile_program(PROGRAMS["three-exercises"])
    baseline, _ = play(timeline)
    long = next(event for event in baseline if event.at > 20 and _said_by(timeline, event.at + 0.5) - event.at > 5)
    when = long.at + 0.5
    begins = _said_by(timeline, when)  # the first "Going on." is said from here
    seen: list[float] = []

    def look(session: Session) -> list[Event]:
        seen.append(session.view().session_left)
        return []

    holds = [
        (when, Session.hold),
        (when + 0.5, Session.release),
        (when + 1, Session.hold),
        (when + 1.5, Session.release),
    ]
    play(timeline, [*holds, (when + 2, look), (when + 3, look), (begins + 0.5, look)])
    assert begins > when + 3
    assert seen[0] - seen[1] == pytest.approx(1.0, abs=0.01)  # running while the sentence before it is said
    assert seen[1] - seen[2] < begins + 0.5 - (when + 3) - 0.4  # and standing once "Going on." is said


@pytest.mark.parametrize("into", [1.5, 2.5])  # after "3", after "3, 2"
def test_more_time_in_the_last_seconds_counts_down_again_to_the_new_end(into: float) -> None:
    """A walk's "coach more" in a hold's 3-2-1 gave "3, 2", then 11 s of silence, then "1": the counts already
    said were gone, the one left moved with the end. The countdown is said again, on the new end's last seconds."""
    timeline = compile_program(PROGRAMS["posture"])
    baseline, _ = play(timeline)
    release = next(event.at for event in baseline if event.kind == "release")
    counts = [event for event in baseline if event.kind == "count" and release - 4 < event.at < release]
    assert [event.text for event in counts] == ["3", "2", "1"]
    when = counts[0].at + into - 1.0
    events, _ = play(timeline, [(when, lambda session: session.adjust(10))])
    moved = next(event.at for event in events if event.kind == "release")
    assert moved == pytest.approx(release + 10)
    said = [
        (round(event.at - moved, 3), event.text)
        for event in events
        if event.kind == "count" and when <= event.at < moved
    ]
    assert said == [(round(count.at - release, 3), count.text) for count in counts], said


def test_more_time_pressed_twice_in_the_last_seconds_still_counts_down_once() -> None:
    timeline = compile_program(PROGRAMS["posture"])
    baseline, _ = play(timeline)
    release = next(event.at for event in baseline if event.kind == "release")
    more = lambda session: session.adjust(10)  # noqa: E731
    events, _ = play(timeline, [(release - 1.5, more), (release - 1.4, more)])
    moved = next(event.at for event in events if event.kind == "release")
    assert moved == pytest.approx(release + 20)
    said = [
        (round(event.at - moved, 3), event.text)
        for event in events
        if event.kind == "count" and release - 1.5 <= event.at < moved
    ]
    assert said == [(-3.0, "3"), (-2.0, "2"), (-1.0, "1")], said


def test_more_time_typed_in_a_burst_is_said_as_its_sum() -> None:
    """A walk's +++ added 30 s, and the screen's last line said "10 seconds added."."""
    timeline = compile_program(PROGRAMS["posture"])
    baseline, _ = play(timeline)
    hold = next(event.at for event in baseline if event.kind == "hold")
    more, less = (lambda session: session.adjust(10)), (lambda session: session.adjust(-10))
    presses = [(hold + 2.0, more), (hold + 2.3, more), (hold + 2.6, more), (hold + 6.0, more), (hold + 6.5, less)]
    events, _ = play(timeline, presses)
    told = [event.text for event in events if event.kind in {"added", "taken"}]
    # never dropped as late: a walk's "coach more" in a 3, 2, 1 was answered by nothing but the counts again
    assert all(event.priority not in DROPPABLE for event in events if event.kind in {"added", "taken"})
    assert told == [
        "10 seconds added.",
        "20 seconds added.",
        "30 seconds added.",
        "10 seconds added.",  # a press after a pause begins again
        "10 seconds taken away.",  # and so does the other way
    ]


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "1 minute and 30 seconds added."),
        ("es", "1 minuto y 30 segundos más."),
        ("fr", "1 minute et 30 secondes de plus."),
        ("zh", "加了1分钟30秒。"),
    ],
)
def test_more_time_is_said_in_minutes_and_seconds_as_a_person_says_it(language: str, said: str) -> None:
    """A walk pressed + 245 times and heard "2450 seconds added."."""
    timeline = compile_program(replace(PROGRAMS["posture"], language=language))
    baseline, _ = play(timeline)
    hold = next(event.at for event in baseline if event.kind == "hold")
    presses = [(hold + 1.0 + 0.1 * n, lambda session: session.adjust(10)) for n in range(9)]
    events, _ = play(timeline, presses)
    assert [event.text for event in events if event.kind == "added"][-1] == said


def _check_in_begins(timeline: Timeline) -> float:
    baseline, _ = play(timeline)
    return next(event.at for event in baseline if event.text.startswith("How is your pain now"))


@pytest.mark.parametrize(
    ("typed", "pain"),
    [
        ([(-0.8, 1), (0.5, 0)], 10),
        ([(-1.2, 1), (-0.9, 0)], 10),
        ([(-1.0, 3)], 3),
        ([(-0.5, 1)], 1),
        ([(-9.0, 3)], None),
    ],
    ids=["1-then-0-at-it", "1-0-before-it", "3", "a-lone-1", "long-before"],
)
def test_a_digit_typed_just_before_a_check_in_is_its_answer(typed: list[tuple[float, int]], pain: int | None) -> None:
    """A walk typed `1` as the safety notes ended, a moment before the question, then `0` once it was asked:
    the 1 was dropped without a word, and pain 0 was recorded where 10 was meant."""
    timeline = pain_six()
    begins = _check_in_begins(timeline)
    _, session = play(timeline, [(begins + at, digit(value)) for at, value in typed])
    assert [value for _, value in session.answers] == ([] if pain is None else [pain])
    assert (session.outcome == "pain") == (pain is not None and pain >= 6)


def test_an_answer_typed_just_before_its_question_is_noted_after_the_question_is_asked() -> None:
    """A patient's walk typed 3 as the safety notes ended: plain mode wrote "Pain 3, noted." and then the question,
    which, read aloud, sounded as though the answer had not been taken. The question comes first, then its answer."""
    timeline = pain_six()
    begins = _check_in_begins(timeline)
    events, session = play(timeline, [(begins - 1.0, digit(3))])
    texts = [event.text for event in events]
    asked = next(n for n, text in enumerate(texts) if text.startswith("How is your pain now"))
    noted = texts.index("Pain 3, noted.")
    assert asked < noted and [value for _, value in session.answers] == [3]


def _check_in_ends(timeline: Timeline) -> float:
    """When the first check-in, left unanswered, closes by itself."""
    clock = FakeClock(0.0)
    session = Session(timeline, clock)
    session.start()
    asked = False
    while True:
        session.due()
        asked = asked or session.at_checkin
        if asked and not session.at_checkin:
            return clock.time
        deadline = session.next_deadline()
        assert deadline is not None
        clock.time = deadline


@pytest.mark.parametrize(
    ("typed", "pain"),
    [([(1.0, 3)], 3), ([(9.5, 1), (9.8, 0)], 10), ([(0.5, 1)], 1), ([(10.5, 3)], None)],
    ids=["3", "1-then-0", "a-lone-1", "too-late"],
)
def test_a_digit_typed_just_after_a_check_in_closed_unanswered_is_its_answer(
    typed: list[tuple[float, int]], pain: int | None
) -> None:
    """A screen reader still reading the lines before the question (its key list alone took 6.8 s) read the
    question out as the check-in closed: the walk's 3, typed a second after hearing it, was told "No pain question
    now", and no pain before the session was recorded. A number up to LATE_ANSWER seconds later answers it."""
    timeline = pain_six()
    ends = _check_in_ends(timeline)
    log = Log()
    events, session = play(timeline, [(ends + at, digit(value)) for at, value in typed], log)
    assert [value for _, value in session.answers] == ([] if pain is None else [pain])
    assert log.pain == ({} if pain is None else {True: pain})  # the pain before the session
    assert (session.outcome == "pain") == (pain is not None and pain >= 6)
    told = [event.text for event in events if event.at >= ends and event.kind in {"answer", "unasked"}]
    if pain is None:
        assert told == ["No pain question now. If it hurts, press x to stop."]
    elif pain < 6:
        assert told == [f"Pain {pain}, noted."]


def test_a_late_answer_is_noted_while_a_ready_step_waits_and_a_late_one_still_stops_for_pain() -> None:
    """The walk's check-in was followed by a ready step, which waits for Space: a number there was told "No pain
    question now" at once, with no moment kept for a question to come."""
    ready = b'format = 1\n[program]\ntitle = "T"\npain_stop = 7\n[[steps]]\nkind = "ready"\ntitle = "R"\n'
    ready += b'timeout = "0s"\n'
    timeline = compile_program(parse_program(ready))
    ends = _check_in_ends(timeline)
    waiting = ends + 7.0  # the ready step's words are said (5.2 s): it waits for Space alone
    log = Log()
    events, session = play(timeline, [(waiting, digit(3)), (waiting + 2, Session.continue_)], log)
    assert [event.text for event in events if event.kind in {"answer", "unasked"}] == ["Pain 3, noted."]
    assert log.pain == {True: 3} and session.outcome == "completed"
    events, session = play(timeline, [(waiting, digit(8))])
    assert session.outcome == "pain" and events[-1].text.startswith("You said your pain is 8 out of 10.")
    # 10 typed as 1 then 0 there: the 0 was taken as a correction to 0 (pain 10 recorded as 0)
    events, session = play(timeline, [(waiting, digit(1)), (waiting + 0.3, digit(0))])
    assert [value for _, value in session.answers] == [10] and session.outcome == "pain"


def test_once_listening_has_failed_no_question_says_to_say_anything() -> None:
    """A hands-free walk's recorder failed at the start ("Listening has stopped. The keys still work"), and every
    check-in still said "Say or press a number", every ready step "Say coach go on": with nothing listening."""
    source = b'format = 1\n[program]\ntitle = "T"\n[[steps]]\nkind = "ready"\ntitle = "R"\ntimeout = "20s"\n'
    source += b'[[steps]]\nkind = "ready"\ntitle = "K"\ntimeout = "0s"\n'
    heard = compile_program(parse_program(source), listening=True)
    plain = [event.text for event in play(compile_program(parse_program(source)), [(300, Session.continue_)])[0]]
    clock = FakeClock(0.0)
    session = Session(heard, clock)
    session.start()
    session.hears_commands = False  # as `Listening.fault` leaves it
    said: list[str] = []
    while not session.finished:
        said += [event.text for event in session.due()]
        deadline = session.next_deadline()
        if deadline is None:  # the ready step that waits for a key
            said += [event.text for event in session.continue_()]
            continue
        clock.time = deadline
    asking = [text for text in said if "Say" in text or "say" in text]
    assert asking == [], asking
    assert said[1:] == plain[1:]  # all but the welcome's length, laid on the longer sentences
    session = Session(heard, FakeClock(0.0))  # and while listening works, they do
    session.start()
    assert any("Say or press a number" in event.text for event in session.due() + session.next())


def test_with_no_key_to_come_a_ready_step_that_waits_for_one_goes_on() -> None:
    """A pipe's end (`Controls.ended`): a ready step of "0s" waited for a key that could no longer come."""
    forever = b'format = 1\n[program]\ntitle = "T"\ncheck_in = false\n[[steps]]\nkind = "ready"\ntitle = "R"\n'
    forever += b'timeout = "0s"\n[[steps]]\nkind = "timed"\ntitle = "Heat"\nduration = "2s"\n'
    session = Session(compile_program(parse_program(forever)), FakeClock(0.0))
    session.keys_gone = True
    session.start()
    clock = session.clock
    assert isinstance(clock, FakeClock)
    while not (said := [event.text for event in session.due()]) or not session.finished:
        deadline = session.next_deadline()
        assert deadline is not None, "it waits for a key"
        clock.time = deadline
    assert session.outcome == "completed" and said == ["Session complete. Well done."]


UNASKED = "No pain question now. If it hurts, press x to stop."


@pytest.mark.parametrize("value", [3, 1, 9])
def test_a_pain_number_with_no_question_is_answered_with_how_to_stop(value: int) -> None:
    """A walk typed 9 in the middle of the session, long before any question: nothing was said or shown. The
    number is kept a moment (a question may be about to be asked), then the person is told how to stop."""
    timeline = pain_six()
    typed = 36.0  # in step 1's second hold, more than LATE_ANSWER after the first question closed, before the last
    events, session = play(timeline, [(typed, digit(value))])
    told = [event for event in events if event.kind == "unasked"]
    assert [event.text for event in told] == [UNASKED]
    assert told[0].at == pytest.approx(typed + EARLY)  # not at the next cue, whenever that comes
    assert session.answers == [] and session.outcome == "completed"


def test_a_pain_number_while_paused_is_answered_at_once_and_the_way_told_fits_the_input() -> None:
    timeline = pain_six()
    typed = 36.0  # in step 1's second hold, more than LATE_ANSWER after the first question closed, before the last
    events, _ = play(timeline, [(typed, Session.pause), (typed + 1, digit(7)), (typed + 5, Session.resume)])
    assert [(event.at, event.text) for event in events if event.kind == "unasked"] == [(typed + 1, UNASKED)]
    clock = FakeClock(0.0)
    session = Session(timeline, clock)
    session.start()
    session.due()
    session.typed = True
    session.pause()
    assert [event.text for event in session.answer(7)] == ["No pain question now. If it hurts, type pain to stop."]
    session.typed, session.hears_commands = False, True
    assert [event.text for event in session.digit(7)] == [
        "No pain question now. If it hurts, say coach pain, or press x."
    ]
    # Behind the help or the stop question too: a walk's 8 at the stop question, in a hold, was dropped without a word.
    session.hold()
    assert [event.kind for event in session.digit(7)] == ["unasked"] and session.held


def test_a_pain_number_at_a_ready_step_is_answered_at_once() -> None:
    """A ready step waits for Space, and its clock with it: a number kept for a question would be told only
    after Space."""
    forever = b'format = 1\n[program]\ntitle = "T"\n[[steps]]\nkind = "ready"\ntitle = "Ready"\ntimeout = "0s"\n'
    timeline = compile_program(parse_program(forever))
    ready = 600.0  # long after its words: the step waits for Space alone
    events, _ = play(timeline, [(ready, digit(4)), (ready + 10, Session.continue_)])
    assert [event.at for event in events if event.kind == "unasked"] == [ready]


def test_at_the_offer_t_and_r_ask_it_again_and_nothing_says_going_on() -> None:
    """At the offer to go on from last time, t said "This is the last step." (of step 3 of 4) and a session length
    the offer would not play; closing the help said "Going on.", and then the session started from the beginning."""
    offered = offer_resume(pain_six(), 2, "Last time you stopped during step 2. Press Space to go on from there.")
    clock = FakeClock(0.0)
    session = Session(offered, clock)
    session.start()
    asked = session.due()
    assert asked[0].text.startswith("Last time you stopped during step 2.")
    for key in (Session.status, Session.repeat):
        clock.advance(4.0)
        session.due()
        again = key(session)
        assert [event.text for event in again if event.kind != MOVED] == [asked[0].text]  # its wait whole again
        assert session.view().session_left > 0 and session.origin == clock.now()
    clock.advance(1.0)
    session.hold()  # the help, or the stop question ("n" closes it)
    # Asked again, with its wait whole: a walk's "n" left the stop question on the screen, whose y then went on
    released = session.release()
    assert [event.text for event in released if event.kind != MOVED] == [asked[0].text]
    assert session.origin == clock.now()
    assert not any(event.kind == "resumed" for event in released + session.pause() + session.resume())


def asked_pain() -> tuple[Session, FakeClock]:
    """pain-six, played on a fake clock up to its first check-in's question."""
    clock = FakeClock(0.0)
    session = Session(pain_six(), clock)
    session.start()
    while not session.asking_pain:
        clock.time = session.next_deadline()  # type: ignore[assignment]
        session.due()
    return session, clock


def test_after_the_help_or_a_no_an_unanswered_check_in_asks_its_question_again() -> None:
    """Closing the help at a check-in not yet answered said "Going on.", which a walk took for the check-in being
    over. The question is asked again, with its time; a `1` typed before (waiting for a `0`) is the answer."""
    session, clock = asked_pain()
    question = session.segment.cues[0].text
    clock.advance(6.0)
    session.due()
    session.hold()
    clock.advance(30.0)
    released = session.release()
    assert [event.text for event in released if event.kind != MOVED] == [question]
    assert session.asking_pain and session.origin == clock.now()
    session.digit(1)
    session.hold()
    released = session.release()
    assert session.pending == 1 and question not in [event.text for event in released]
    clock.advance(5.0)
    session.due()
    assert session.answers == [(session.index, 1)]


def test_going_on_is_not_said_where_a_ready_step_still_waits_for_space() -> None:
    timeline = compile_program(load_program(ROOT / "tests" / "programs" / "good" / "minimal.toml"))
    events, _ = play(timeline)
    ready = next(event.at for event in events if event.text.startswith("Press Space when you are ready"))
    events, _ = play(timeline, [(ready + 1, Session.hold), (ready + 3, Session.release)])
    assert not any(event.kind == "resumed" for event in events)


def test_after_no_to_the_stop_question_a_ready_step_asks_for_its_key_again() -> None:
    """A walk in plain mode: q, then n, at "Press Space when you are ready": nothing more was printed, and the last
    line a screen reader had was "Stop the session? y / n". The step's question is asked again, with its time."""
    timeline = compile_program(load_program(ROOT / "tests" / "programs" / "good" / "minimal.toml"))
    events, _ = play(timeline)
    ready = next(event for event in events if event.text.startswith("Press Space when you are ready"))
    events, _ = play(timeline, [(ready.at + 5, Session.hold), (ready.at + 8, Session.release)])
    again = [event for event in events if event.text == ready.text]
    assert [event.at for event in again][1:] and again[1].at > ready.at + 8


def test_a_step_jumped_to_during_an_interjection_begins_at_once_and_each_is_told() -> None:
    """A walk typed back and three nexts just after "Going on.": nothing was printed, and the session ended without
    its closing words. Each jump is the person's: where it goes begins at once, said after the interjection."""
    timeline = compile_program(PROGRAMS["three-exercises"])
    when = 110.0
    jumps = [(when + 0.5, Session.back), *((when + 0.6 + 0.1 * n, Session.next) for n in range(3))]
    baseline, _ = play(timeline, jumps)
    events, session = play(timeline, [(when, _interject), *jumps])
    told = [(event.at, event.text) for event in events if event.at >= when and event.text not in {NOTICE, ""}]
    assert told == [(event.at, event.text) for event in baseline if event.at >= when and event.text]
    assert len(told) == 4 and told[-1][1] == "Session complete. Well done."
    assert session.outcome == "completed"


def test_going_on_while_an_interjection_is_still_said_waits_for_its_end() -> None:
    """A walk paused during "Listening is off" and went on while it was still said: the program went on at once,
    under it, and the hold's 3, 2, 1 were all lost. It waits for the rest of it, as it did before the pause."""
    timeline = compile_program(PROGRAMS["three-exercises"])
    baseline, _ = play(timeline)
    told, when = _told_for(timeline), 110.0
    events, _ = play(timeline, [(when, _interject), (when + 1, Session.pause), (when + 3, Session.resume)])
    # Paused 1 s in, for 2 s: the wait still ends where it would have, when the sentence ends, and "Going on." then.
    expected = [(at if at < when else round(at + told + going_on(timeline), 3), text) for at, text in spoken(baseline)]
    _same(spoken(events), expected)


@pytest.mark.parametrize("past", [0.5, 0.25, 0.75])
def test_the_status_says_the_seconds_left_the_countdown_shows(past: float) -> None:
    """A patient's walk paused a hold and pressed t: the screen read 15 and the status "14 seconds left" (the
    screen rounds up, so that 0 comes only at the end; the status rounded to even). Both say `seconds_left`."""
    clock = FakeClock(0.0)
    session = Session(compile_program(PROGRAMS["demo"]), clock)
    session.start()
    while session.view().phase is None or session.view().phase.kind != "hold":  # type: ignore[union-attr]
        clock.time += 0.05
        session.due()
    clock.time += 2 + past  # 2.5 s into the hold: 12.5 s left of a 15 s hold
    session.due()
    session.pause()
    view = session.view()
    assert view.phase_left is not None and view.seconds_left == math.ceil(view.phase_left)
    said = session.status()[0].text
    assert f" {view.seconds_left} seconds left." in said, (view.phase_left, said)


@pytest.mark.parametrize("typed", [[8], [1, 0], [3]], ids=["eight", "ten", "three"])
def test_a_number_typed_under_the_stop_question_or_the_help_answers_the_check_in(typed: list[int]) -> None:
    """A walk pressed q at the pain question, then 8: it was dropped, and a y after it stopped the session with no
    pain recorded. Under the question (or the help) the check-in still asks: the number is its answer, at once; at
    the program's pain_stop (6 here) the session stops for pain, the question over it gone with it."""
    session, clock = asked_pain()
    checkin = session.index
    session.ask("Stop the session? y / n")
    said = []
    for value in typed:
        clock.advance(0.4)
        said += session.digit(value)
    pain = typed[0] if len(typed) == 1 else 10
    assert session.answers == [(checkin, pain)]
    if pain >= 6:
        assert session.outcome == "pain" and session.finished
    else:
        assert not session.finished and session.held and "Pain 3, noted." in [event.text for event in said]
        released = session.release()  # "no": the check-in goes on to its end, answered, asked no more
        assert session.segment.cues[0].text not in [event.text for event in released]
        while session.index == checkin:
            clock.time = session.next_deadline()  # type: ignore[assignment]
            session.due()
        assert session.answers == [(checkin, 3)] and not session.finished


def test_a_number_just_after_the_closing_check_in_ran_out_is_still_its_answer() -> None:
    """A walk let the closing pain question run out and typed 9 a moment later, on the player's last screen:
    nothing was said, and the record said "4 to -". Up to LATE_ANSWER s after it closed, a number is its answer,
    as mid-session (pain_stop here is 6); later, the person is told how to stop for pain; after a pain stop,
    nothing."""
    for typed, pain in (([3], 3), ([1, 0], 10), ([8], 8)):
        log = Log()
        events, session = play(pain_six(), log=log)
        assert session.outcome == "completed" and events[-1].text.startswith("Session complete")
        clock = session.clock
        said = []
        for value in typed:
            clock.advance(0.5)  # type: ignore[attr-defined]
            said += session.digit(value)
        assert log.pain.get(False) == pain
        if pain >= 6:
            assert session.outcome == "pain" and log.outcome == "pain" and said[-1].kind == "pain_stop"
            assert session.digit(4) == []
        else:
            assert [event.text for event in said] == ["Pain 3, noted."] and log.outcome == "completed"
            clock.advance(LATE_ANSWER)  # type: ignore[attr-defined]
            assert [event.kind for event in session.digit(5)] == ["unasked"] and log.pain[False] == 3
