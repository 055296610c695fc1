"""Every repetition is counted or named, in order, and "Next: …" never comes before the last release.

A blind patient follows the voice alone: a lost count is a lost repetition, and "Next: Shoulder blade
squeeze." said before the tenth chin tuck made the patient start the next exercise during it (issue 13,
points 6 and 7). Checked on the caregiver's neck program, on every bundled program, and on generated
programs at speech rates from 80 to 450 words per minute; then each is played through the speaker's
backlog with an engine that takes the estimated times, and no count may be dropped.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.program import Kind, Program, Step, parse_program
from coach.session.engine import Event
from coach.timeline import DEFAULT_RATE, Phrases, Timeline, compile_program, estimate
from tests.conftest import run_coach
from tests.generated import toml_value
from tests.helpers import bundled_programs, play, play_with_speech

NECK = b"""format = 1

[program]
title = "Neck and shoulders"
author = "A caregiver, from the physiotherapist's sheet"

[[steps]]
kind = "hold"
title = "Chin tucks"
say = "Sit tall. Tuck your chin straight back, as if making a double chin."
hold = "5s"
reps = 10

[[steps]]
kind = "hold"
title = "Shoulder blade squeeze"
say = "Squeeze your shoulder blades together and down."
hold = "5s"
reps = 10
sets = 2
set_rest = "30s"
"""


# The defect as the caregiver met it: ten 5 s chin tucks, then the next exercise.
TUCKS = NECK.split(b"sets = 2")[0]


def one_step(**fields: Any) -> Program:
    body = ["format = 1", "[program]", 'title = "T"', "check_in = false", "[[steps]]", 'title = "S"']
    body += [f"{key} = {toml_value(value)}" for key, value in fields.items()]
    return parse_program("\n".join(body).encode())


def texts(events: list[Event], step: int) -> list[str]:
    return [event.text for event in events if event.step == step]


def countdown(hold: int) -> list[str]:
    return [str(left) for left in (3, 2, 1) if left < hold]


def check_counts(program: Program, timeline: Timeline, events: list[Event]) -> None:
    """The acceptance rule: every repetition of every set of every side counted or named, in order."""
    exercises = [step for step in program.steps if step.kind.value != "rest"]  # rests are not numbered
    phrases = Phrases(program.language)  # the counts are named in the program's language
    for number, step in enumerate(exercises, start=1):
        mine = [event for event in events if event.step == number]
        if step.kind is Kind.HOLD:
            _check_hold(step, mine, phrases)
        elif step.kind is Kind.REPS:
            _check_reps(step, mine, timeline.rate, phrases)


def _before_title(phrases: Phrases, key: str) -> str:
    """How a sentence with a title begins: "Next: ", "Last one, then "."""
    return phrases(key, title="\0").split("\0")[0]


def _check_hold(step: Step, mine: list[Event], phrases: Phrases) -> None:
    holds = [index for index, event in enumerate(mine) if event.kind == "hold"]
    releases = [index for index, event in enumerate(mine) if event.kind == "release"]
    sets = len(step.sides or ("",)) * step.sets
    assert len(holds) == len(releases) == sets * step.reps
    assert not [event for event in mine[: releases[-1]] if event.text.startswith(_before_title(phrases, "next"))]
    previous = 0
    for place, (hold, release) in enumerate(zip(holds, releases, strict=True)):
        rep, set_number = place % step.reps + 1, place // step.reps % step.sets + 1
        said = [event.text for event in mine[previous:hold]]
        if rep > 1:  # never a bare number, which would sound like the countdown to come
            last = rep == step.reps
            whole = phrases("repetition", number=rep, total=step.reps)
            names = {phrases("last_rep")} if last else {whole, phrases("repetition_short", number=rep)}
            # The very last may say what follows it: "Last one, then Bridges."
            then = _before_title(phrases, "last_then")
            assert names & set(said) or (last and any(t.startswith(then) for t in said)), (place, said)
        elif set_number > 1:
            assert phrases("set", number=set_number, total=step.sets) in said, (place, said)
        counted = [event.text for event in mine[hold:release] if event.kind == "count"]
        assert counted == countdown(step.hold), (place, counted)
        previous = release


def _check_reps(step: Step, mine: list[Event], rate: int, phrases: Phrases) -> None:
    counts = [event for event in mine if event.kind == "count"]
    runs: list[list[Event]] = []
    for event in counts:
        if event.text == "1":
            runs.append([])
        runs[-1].append(event)
    assert len(runs) == len(step.sides or ("",)) * step.sets
    for run in runs:
        said = [event.text for event in run]
        last = phrases("last_rep")
        assert said[:-1] == [str(n) for n in range(1, step.reps)] and said[-1] in {last, str(step.reps)}
        if step.reps > 1:
            assert said[-1] == last or estimate(last, rate) + 0.1 > step.pace
        gaps = {round(later.at - earlier.at, 6) for earlier, later in zip(run, run[1:])}
        assert len(gaps) <= 1 and all(gap >= step.pace for gap in gaps)
        if rate == DEFAULT_RATE:
            assert gaps <= {float(step.pace)}


def check_spoken(timeline: Timeline) -> None:
    """Played through the speaker's backlog, an engine taking the estimated times drops nothing."""
    lengths = {cue.text: cue.length for segment in timeline.segments for cue in segment.cues}
    played = play_with_speech(timeline, lengths)
    assert [utterance.text for utterance, start in played if start is None] == []


# --- the caregiver's neck program ---------------------------------------------------------------------


def test_the_last_chin_tuck_is_named_and_next_never_comes_before_its_release() -> None:
    events = play(compile_program(parse_program(TUCKS)))[0]
    tucks = [event for event in events if event.step == 1]
    holds = [event.at for event in tucks if event.kind == "hold"]
    releases = [event.at for event in tucks if event.kind == "release"]
    assert len(holds) == len(releases) == 10
    before_tenth = [event.text for event in tucks if releases[8] < event.at < holds[9]]
    assert before_tenth == ["Last one, then Shoulder blade squeeze."]  # what follows, before the last hold
    assert "Repetition 9 of 10." in texts(events, 1)
    assert not [event for event in events if event.text.startswith("Next: ") and event.at < releases[9]]


def test_a_hold_step_has_sets_with_a_told_rest_between_them() -> None:
    events = play(compile_program(parse_program(NECK)))[0]
    squeeze = [event for event in events if event.step == 2]
    holds = [event for event in squeeze if event.kind == "hold"]
    releases = [event for event in squeeze if event.kind == "release"]
    assert len(holds) == 20
    between = [event.text for event in squeeze if releases[9].at < event.at < holds[10].at]
    assert between == ["Rest, 30 seconds.", "Set 2 of 2."]
    assert holds[10].at - releases[9].at == pytest.approx(30.0, abs=1e-3)
    assert [event.text for event in squeeze if releases[18].at < event.at < holds[19].at] == ["Last one."]  # the end


def test_the_neck_program_is_counted_at_every_speech_rate() -> None:
    program = parse_program(NECK)
    for rate in (80, 120, 170, 250, 450):
        timeline = compile_program(program, rate=rate)
        check_counts(program, timeline, play(timeline)[0])
        check_spoken(timeline)


# --- counts that were lost --------------------------------------------------------------------------


def test_a_one_second_pace_says_every_count() -> None:
    events = play(compile_program(one_step(kind="reps", reps=3, pace="1s")))[0]
    said = texts(events, 1)
    assert said[said.index("1") :] == ["1", "2", "3", "Done."]


def test_a_three_second_hold_says_two_and_one() -> None:
    events = play(compile_program(one_step(kind="hold", hold="3s")))[0]
    said = texts(events, 1)
    assert said[said.index("Hold.") :] == ["Hold.", "2", "1", "Release."]
    at = {event.text: event.at for event in events if event.step == 1}
    assert at["1"] - at["2"] == pytest.approx(1.0)
    assert at["Release."] - at["Hold."] == pytest.approx(3.0, abs=0.5)  # the room "Hold." itself takes


def test_a_slow_voice_slows_a_reps_step_evenly_rather_than_losing_counts() -> None:
    program = one_step(kind="reps", reps=25, pace="2s")
    timeline = compile_program(program, rate=80)
    events = play(timeline)[0]
    check_counts(program, timeline, events)
    check_spoken(timeline)


def test_a_pace_too_short_to_say_its_counts_is_refused_in_one_line(tmp_path: Any) -> None:
    path = tmp_path / "fast.toml"
    path.write_text(
        'format = 1\n[program]\ntitle = "T"\n[[steps]]\nkind = "reps"\ntitle = "Turns"\nreps = 30\npace = "1s"\n'
    )
    result = run_coach("validate", str(path))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stdout.splitlines() == [
        f'{path}:8: step 1 ("Turns"): pace: expected at least "2s" to say every count up to 30 aloud '
        '(or at most 20 repetitions at "1s"), got "1s"'
    ]


# --- every bundled program, and generated ones -----------------------------------------------------


@pytest.mark.parametrize("name", sorted(bundled_programs()))
def test_every_bundled_program_counts_every_repetition(name: str) -> None:
    program = bundled_programs()[name]
    timeline = compile_program(program)
    check_counts(program, timeline, play(timeline)[0])
    check_spoken(timeline)


SIDES = st.lists(
    st.sampled_from(["right leg", "left leg", "right arm", "left arm"]), min_size=1, max_size=4, unique=True
)
CUES = st.lists(st.sampled_from(["Breathe slowly.", "Keep your back flat and your chin tucked in."]), max_size=2)
HOLD = st.fixed_dictionaries(
    {"kind": st.just("hold"), "hold": st.integers(1, 25), "reps": st.integers(1, 12)},
    optional={
        "rest": st.integers(1, 8),
        "sets": st.integers(1, 3),
        "set_rest": st.integers(1, 40),
        "sides": SIDES,
        "cues": CUES,
    },
)
REPS = st.fixed_dictionaries(
    {"kind": st.just("reps"), "reps": st.integers(1, 25)},
    optional={
        "pace": st.integers(2, 5),
        "sets": st.integers(1, 3),
        "rest": st.integers(1, 40),
        "sides": SIDES,
        "cues": CUES,
    },
)
FAST = st.fixed_dictionaries(
    {"kind": st.just("reps"), "reps": st.integers(1, 20), "pace": st.just(1)}, optional={"sets": st.integers(1, 2)}
)
OTHER = st.one_of(
    st.fixed_dictionaries({"kind": st.just("timed"), "duration": st.integers(1, 60)}, optional={"cues": CUES}),
    st.fixed_dictionaries({"kind": st.just("rest"), "duration": st.integers(1, 60)}),
    st.fixed_dictionaries({"kind": st.just("ready"), "timeout": st.integers(1, 10)}),
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.one_of(HOLD, REPS, FAST, OTHER), min_size=1, max_size=4).filter(
        lambda steps: any(step["kind"] != "rest" for step in steps)
    ),
    st.sampled_from([80, 100, 170, 250, 450]),
    st.booleans(),
)
def test_generated_programs_count_every_repetition(steps: list[dict[str, Any]], rate: int, check_in: bool) -> None:
    body = ["format = 1", "[program]", 'title = "Generated"', f"check_in = {toml_value(check_in)}"]
    for number, step in enumerate(steps, start=1):
        body += ["[[steps]]", f'title = "Exercise {number}"']
        body += [f"{key} = {toml_value(value)}" for key, value in step.items()]
    program = parse_program("\n".join(body).encode())
    timeline = compile_program(program, rate=rate)
    events = play(timeline)[0]
    check_counts(program, timeline, events)
    check_spoken(timeline)
    for before, after in zip(events, events[1:]):
        assert before.at + estimate(before.text, rate) + 0.1 <= after.at + 1e-6, (before, after)


def test_a_short_rest_names_the_repetition_in_words_never_as_a_bare_number() -> None:
    """Found walking a 2-second rest: "Release. 3. Hold. 2. 1." made the name sound like the countdown."""
    events = play(compile_program(one_step(kind="hold", hold="3s", reps=3, rest="2s")))[0]
    said = texts(events, 1)
    assert said[said.index("Hold.") :] == [
        *["Hold.", "2", "1", "Release.", "Repetition 2."],
        *["Hold.", "2", "1", "Release.", "Last one."],
        *["Hold.", "2", "1", "Release."],
    ]
