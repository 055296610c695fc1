"""Every bundled program played to its end on a fake clock, checked against the contract's timing rules."""

from __future__ import annotations

import pytest

from coach.program import Kind, Program
from coach.timeline import Phrases, Timeline, compile_program, estimate
from coach.timeline.estimate import GAP
from tests.helpers import bundled_programs, play, play_program

PROGRAMS = bundled_programs()
NAMES = sorted(PROGRAMS)


@pytest.fixture(params=NAMES)
def program(request: pytest.FixtureRequest) -> Program:
    return PROGRAMS[request.param]


def test_every_bundled_program_plays_to_its_end_in_preview_order(program: Program) -> None:
    timeline = compile_program(program)
    events, session = play(timeline)
    assert session.outcome == "completed"
    static = [(round(origin_at, 3), text) for origin_at, text in _preview_pairs(timeline)]
    assert [(round(event.at, 3), event.text) for event in events] == static
    assert events[-1].text == Phrases(program.language)("complete")


def _preview_pairs(timeline: Timeline) -> list[tuple[float, str]]:
    from coach.views.preview import lines

    return [(line.at, line.text) for line in lines(timeline)]


def test_no_two_utterances_overlap(program: Program) -> None:
    events = play_program(program)
    for before, after in zip(events, events[1:]):
        assert before.at + estimate(before.text) + GAP <= after.at + 1e-6, (before, after)


def test_countdown_is_one_second_apart_and_release_is_exactly_at_the_end_of_the_hold(program: Program) -> None:
    events = play_program(program)
    holds = [step for step in program.steps if step.kind is Kind.HOLD]
    starts = [event for event in events if event.kind == "hold"]
    assert len(starts) == sum(len(step.sides or ("",)) * step.reps for step in holds)
    for start in starts:
        hold = program.steps[start.step - 1].hold
        after = [event for event in events if event.at > start.at]
        release = next(event for event in after if event.kind == "release")
        assert release.at == pytest.approx(start.at + hold, abs=1e-3)
        counts = [event for event in after if event.kind == "count" and event.at < release.at]
        assert [event.text for event in counts] == ["3", "2", "1"][-len(counts) :]
        assert len(counts) == 3 or hold < 4
        for earlier, later in zip(counts, [*counts[1:], release]):
            assert later.at - earlier.at == pytest.approx(1.0, abs=1e-6)


def test_each_sides_repetitions_complete(program: Program) -> None:
    events = play_program(program)
    for number, step in enumerate(program.steps, start=1):
        mine = [event for event in events if event.step == number]
        sides = step.sides or ("",)
        switches = [event.at for event in mine if event.kind == "switch"]
        assert len(switches) == len(sides) - 1
        bounds = [float("-inf"), *switches, float("inf")]
        for low, high in zip(bounds, bounds[1:]):
            part = [event for event in mine if low <= event.at < high]
            if step.kind is Kind.HOLD:
                assert sum(event.kind == "hold" for event in part) == step.reps
            if step.kind is Kind.REPS:
                starts = sum(event.kind == "count" and event.text == "1" for event in part)
                assert starts == step.sets


def test_a_reps_step_counts_on_its_pace_and_says_the_last_one() -> None:
    events = play_program(PROGRAMS["demo"])
    counts = [event for event in events if event.step == 2 and event.kind == "count"]
    assert [event.text for event in counts] == ["1", "2", "Last one."]
    assert [round(b.at - a.at, 6) for a, b in zip(counts, counts[1:])] == [2.0, 2.0]


def test_timed_step_reminders_fall_at_the_sparse_marks() -> None:
    events = play_program(PROGRAMS["low-back-relief"])
    told = next(event for event in events if event.step == 1 and event.kind == "start")
    start = told.at + estimate(told.text)  # the time starts as "…, starting now." ends
    reminders = {event.text: round(event.at - start, 3) for event in events if event.kind == "remind"}
    assert reminders["15 minutes left."] == 300.0
    assert reminders["5 minutes left."] == 900.0
    assert reminders["30 seconds left."] == 1170.0
    end = next(event for event in events if event.step == 1 and event.kind == "release")
    assert end.at - start == pytest.approx(1200.0, abs=1e-6)
    assert next(event for event in events if event.at > end.at).text == "Remove the heating pad."


def test_halfway_where_it_fits_and_no_next_inside_a_hold_step() -> None:
    """ "Next: …" during the last hold made the patient start the next exercise in it (issue 13.6)."""
    events = play_program(PROGRAMS["core-strength"])
    plank = [event for event in events if event.step == 3]
    start = next(event for event in plank if event.kind == "hold")
    assert [event.text for event in plank if event.kind == "next"] == []
    halfway = [event.at - start.at for event in plank if event.kind == "halfway"]
    assert len(halfway) == 1 and 8 <= halfway[0] <= 12


def test_next_in_the_closing_seconds_of_a_timed_step() -> None:
    events = play_program(PROGRAMS["low-back-relief"])
    heat = [event for event in events if event.step == 1]
    end = next(event for event in heat if event.kind == "release")
    nexts = [event for event in heat if event.kind == "next"]
    assert len(nexts) == 1 and nexts[0].text.startswith("Next: ")
    assert end.at - 15 <= nexts[0].at <= end.at - 3


@pytest.mark.parametrize("name", sorted(bundled_programs()))
def test_the_welcome_tells_the_whole_sessions_length_its_own_words_included(name: str) -> None:
    """A walk heard "about 6 minutes" in the welcome while the player showed "7 min left" and the printed sheet said
    "About 7 minutes": the welcome had counted the session without its own words and safety notes."""
    timeline = compile_program(bundled_programs()[name])
    phrases = Phrases(timeline.language)
    welcome = timeline.segments[0].cues[0].text
    assert phrases.about(timeline.length) in welcome, (welcome, timeline.length)


def test_reps_on_two_sides_say_the_count_to_come_as_the_rest_between_them_ends() -> None:
    """A caregiver's walk of a reps step with sides (one set): "Switch to the left.", 28 s of silence, then a bare
    "1". The rest ends by naming what comes, as a hold's and a set's do."""
    from coach.program import parse_program

    program = parse_program(
        b'format = 1\n[program]\ntitle = "Neck"\ncheck_in = false\n[[steps]]\nkind = "reps"\ntitle = "Chin tucks"\n'
        b'reps = 3\npace = "2s"\nsides = ["right", "left"]\n'
    )
    (step,) = [segment for segment in compile_program(program).segments if segment.number]
    texts = [cue.text for cue in step.cues]
    switch = texts.index("Switch to the left.")
    assert texts[switch + 1 : switch + 3] == ["3 repetitions, on my count.", "1"]
    said = step.cues[switch + 1]
    assert step.cues[switch + 2].at - said.end < 1.0  # said as the rest ends, just before the count begins


def test_a_timed_steps_time_starts_as_starting_now_ends_and_its_countdown_shows_its_seconds_meanwhile() -> None:
    """A hands-free walk: "6 seconds, starting now." took 2.2 s to say, and its tone came 3.8 s after "now". The time
    is counted from the end of the words; while they are said the countdown stands at the seconds they say."""
    timeline = compile_program(PROGRAMS["demo"])
    [segment] = [segment for segment in timeline.segments if any(cue.kind == "start" for cue in segment.cues)]
    told = next(cue for cue in segment.cues if cue.kind == "start")
    up = next(cue for cue in segment.cues if cue.kind == "release")
    assert told.text == "5 seconds, starting now." and up.at == pytest.approx(told.end + 5, abs=0.002)
    timer = next(phase for phase in segment.phases if phase.kind == "timed")
    assert timer.start == told.at and timer.shown_left(timer.end - timer.start) == pytest.approx(5)
