"""Compile a program into a timeline: every sentence, when it is said, and what is shown.

This is where the contract's "Timing, as the patient hears it" lives. The
session only plays what is decided here, so `coach preview` prints exactly what
a hands-free session will say.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from coach.program.model import Kind, Program, Step
from coach.timeline.builder import SegmentBuilder
from coach.timeline.estimate import DEFAULT_RATE, GAP
from coach.timeline.events import Phase, Priority, Segment, Timeline
from coach.timeline.phrases import Phrases

CHECKIN_SECONDS = 10
NEXT_BEFORE_END = 9.0  # "Next: …" lands about this long before a step ends, as the best timers do


def compile_program(program: Program, *, rate: int = DEFAULT_RATE, notes: Mapping[int, str] | None = None) -> Timeline:
    """The timeline of a whole session of `program`, spoken at `rate` words per minute.

    `notes` are sentences said right after a step's title, by step number: how a hold has grown since last time.
    """
    phrases = Phrases(program.language)
    count = len(program.steps)
    notes = notes or {}
    steps = [
        _step(step, number, count, _next_title(program, number), phrases, rate, notes.get(number, ""))
        for number, step in enumerate(program.steps, start=1)
    ]
    closing = _closing(phrases, rate)
    before = [_checkin(phrases, rate, "Pain check-in")] if program.check_in else []
    after = [_checkin(phrases, rate, "Pain check-in")] if program.check_in else []
    rest = before + steps + after + [closing]
    opening = _opening(program, phrases, rate, sum(segment.length for segment in rest))
    return Timeline(
        program.title,
        tuple([opening, *rest]),
        count,
        rate,
        program.language,
        safety=program.safety,
        pain_stop=program.pain_stop if program.check_in else None,
    )


def offer_resume(timeline: Timeline, step: int, text: str) -> Timeline:
    """`timeline` with a first question: go on from `step`, where the last session was cut short?

    Space, Enter or y jumps to that step; any other answer, or none within the timeout, plays from the start.
    """
    target = timeline.segment_of_step(step)
    if target is None:
        return timeline
    builder = SegmentBuilder(timeline.rate)
    builder.chain(text, "offer")
    end = builder.cursor + CHECKIN_SECONDS
    _asking(builder, end, "ready", "Go on from last time?", f"Step {step}")
    offer = Segment(
        "Go on from last time?", 0, builder.resolve(), tuple(builder.phases), end, key_ends=True, accept_to=target + 1
    )
    return replace(timeline, segments=(offer, *timeline.segments))


def _next_title(program: Program, number: int) -> str:
    return program.steps[number].title if number < len(program.steps) else ""


def _opening(program: Program, phrases: Phrases, rate: int, rest_length: float) -> Segment:
    builder = SegmentBuilder(rate)
    about = round(rest_length / 60) * 60 if rest_length >= 120 else max(10, round(rest_length / 10) * 10)
    builder.chain(
        phrases(
            "welcome" if len(program.steps) > 1 else "welcome_one",
            title=program.title,
            steps=len(program.steps),
            minutes=phrases.duration(about),
        ),
        "announce",
    )
    if program.safety:
        builder.chain(phrases("safety"), "safety")
        for note in program.safety:
            builder.chain(note, "safety")
    builder.phase(Phase(0.0, builder.cursor, "announce", "Welcome"))
    return Segment(program.title, 0, builder.resolve(), tuple(builder.phases), builder.cursor, say=program.summary)


def _checkin(phrases: Phrases, rate: int, title: str) -> Segment:
    builder = SegmentBuilder(rate)
    builder.chain(phrases("checkin", seconds=CHECKIN_SECONDS), "checkin")
    end = builder.cursor + CHECKIN_SECONDS
    _asking(builder, end, "checkin", "Pain, 0 to 10")
    return Segment(title, 0, builder.resolve(), tuple(builder.phases), end, answer_ends=True)


def _asking(builder: SegmentBuilder, end: float, kind: str, label: str, detail: str = "") -> None:
    """A question that says "I will go on in N seconds": while it is said the screen shows no countdown, then
    the N seconds it promised, so that the screen and the voice give one number, the true one."""
    builder.phase(Phase(0.0, builder.cursor, "question", label, detail))
    builder.phase(Phase(builder.cursor, end, kind, label, detail))


def _closing(phrases: Phrases, rate: int) -> Segment:
    builder = SegmentBuilder(rate)
    builder.chain(phrases("complete"), "complete", Priority.MARK)
    builder.phase(Phase(0.0, builder.cursor, "announce", "Done"))
    return Segment("Session complete", 0, builder.resolve(), tuple(builder.phases), builder.cursor)


def _step(step: Step, number: int, count: int, next_title: str, phrases: Phrases, rate: int, note: str) -> Segment:
    builder = SegmentBuilder(rate)
    builder.chain(phrases("step", number=number, steps=count, title=step.title), "announce")
    if note:
        builder.chain(note, "progress")
    if step.say:
        builder.chain(step.say, "say")
    if step.sides:
        builder.chain(phrases("side_first", side=step.sides[0]), "announce")
    compile_kind = {Kind.TIMED: _timed, Kind.READY: _ready, Kind.HOLD: _hold, Kind.REPS: _reps}[step.kind]
    waits = compile_kind(builder, step, next_title, phrases)
    cues = builder.resolve()
    phases = tuple(sorted(builder.phases, key=lambda phase: phase.start))
    length = max([builder.cursor] + [phase.end for phase in phases])
    return Segment(
        step.title,
        number,
        cues,
        phases,
        length,
        say=step.say,
        waits_for_key=waits,
        key_ends=step.kind is Kind.READY,
    )


def _announce_phase(builder: SegmentBuilder, until: float) -> None:
    if until > 0:
        builder.phase(Phase(0.0, until, "announce", "Listen"))


def _look_ahead(builder: SegmentBuilder, end: float, next_title: str, clock_length: float, phrases: Phrases) -> None:
    """ "Next: …" in the closing seconds of a step of 20 s and more."""
    if next_title and clock_length >= 20:
        text = phrases("next", title=next_title)
        latest = end - 3 - GAP - builder.length_of(text)
        builder.flexible(0, end - NEXT_BEFORE_END, end - 15, latest, text, "next")


def _countdown(builder: SegmentBuilder, start: float, end: float) -> None:
    for left in (3, 2, 1):
        if end - left > start:
            builder.count(end - left, str(left))


def _timed(builder: SegmentBuilder, step: Step, next_title: str, phrases: Phrases) -> bool:
    _announce_phase(builder, builder.cursor)
    start = builder.mark(builder.cursor, phrases("timed_start", duration=phrases.duration(step.duration)), "start").at
    end = start + step.duration
    builder.phase(Phase(start, end, "timed", "Time left"))
    marks = (
        range(step.remind, step.duration, step.remind)
        if step.remind
        else [step.duration - left for left in (900, 600, 300, 60, 30, 10) if left < step.duration - 5]
    )
    for elapsed in marks:
        if step.duration - elapsed >= 5:
            at = start + elapsed
            builder.flexible(
                3, at, at, at + 1.0, phrases("left", duration=phrases.duration(step.duration - elapsed)), "remind"
            )
    for index, cue in enumerate(step.cues):
        at = start + step.duration * (index + 1) / (len(step.cues) + 1)
        builder.flexible(4, at, at - 5, at + 5, cue, "cue")
    _countdown(builder, start, end)
    _look_ahead(builder, end, next_title, step.duration, phrases)
    builder.mark(end, phrases("time_up"), "release")
    if step.end_say:
        builder.chain(step.end_say, "say")
    return False


def _ready(builder: SegmentBuilder, step: Step, next_title: str, phrases: Phrases) -> bool:
    if step.timeout == 0:
        builder.chain(phrases("ready_key"), "ready")
        builder.phase(Phase(0.0, builder.cursor, "ready", "Press Space"))
        return True
    builder.chain(phrases("ready_timeout", seconds=phrases.duration(step.timeout)), "ready")
    end = builder.cursor + step.timeout
    _asking(builder, end, "ready", "Get ready")
    builder.mark(end, phrases("going_on"), "release")
    return False


def _sides(step: Step) -> tuple[str, ...]:
    return step.sides or ("",)


def _rest(
    builder: SegmentBuilder,
    step: Step,
    start: float,
    side_index: int,
    first_of_side: bool,
    prepare: str,
    phrases: Phrases,
) -> float:
    """A rest from `start`, with the switch of sides said in it; returns when it ends."""
    if first_of_side:
        builder.chain(phrases("switch", side=step.sides[side_index]), "switch", Priority.MARK)
    end = max(start + step.rest, builder.cursor)
    builder.phase(Phase(start, end, "rest", "Rest", prepare))  # shown as "Rest, then repetition 2 of 10"
    if prepare:
        text = prepare + "."
        latest = end - GAP - builder.length_of(text)
        builder.flexible(2, latest, start, latest, text, "prepare")
    return end


def _detail(step: Step, side: str, number: int, total: int, what: str) -> str:
    parts = [f"{what} {number} of {total}"] if total > 1 else []
    return ", ".join(parts + ([side] if side else []))


def _hold(builder: SegmentBuilder, step: Step, next_title: str, phrases: Phrases) -> bool:
    _announce_phase(builder, builder.cursor)
    sides = _sides(step)
    clock_length = len(sides) * step.reps * (step.hold + step.rest) - step.rest
    t, cue_index = builder.cursor, 0
    for side_index, side in enumerate(sides):
        for rep in range(1, step.reps + 1):
            if side_index or rep > 1:
                prepare = phrases("repetition", number=rep, total=step.reps)[:-1] if step.reps > 1 else ""
                t = _rest(builder, step, t, side_index, rep == 1, prepare, phrases)
            start = builder.mark(t, phrases("hold"), "hold").at
            end = start + step.hold
            builder.phase(Phase(start, end, "hold", "Hold", _detail(step, side, rep, step.reps, "Repetition")))
            _countdown(builder, start, end)
            if step.hold >= 20:
                half = start + step.hold / 2
                builder.flexible(1, half, half - 2, half + 2, phrases("halfway"), "halfway")
            if step.cues:
                builder.flexible(4, start + 1.5, start + 0.5, end - 4, step.cues[cue_index % len(step.cues)], "cue")
                cue_index += 1
            if side_index == len(sides) - 1 and rep == step.reps:
                _look_ahead(builder, end, next_title, clock_length, phrases)
            builder.mark(end, phrases("release"), "release")
            t = end
    return False


def _reps(builder: SegmentBuilder, step: Step, next_title: str, phrases: Phrases) -> bool:
    builder.chain(phrases("reps_intro", reps=step.reps), "announce")
    _announce_phase(builder, builder.cursor)
    sides = _sides(step)
    clock_length = len(sides) * step.sets * (step.reps * step.pace + step.rest) - step.rest
    t, cue_index = builder.cursor, 0
    for side_index, side in enumerate(sides):
        for number in range(1, step.sets + 1):
            if side_index or number > 1:
                prepare = phrases("set", number=number, total=step.sets)[:-1] if step.sets > 1 else ""
                t = _rest(builder, step, t, side_index, number == 1, prepare, phrases)
            start = builder.mark(t, "1", "count").at
            end = start + step.reps * step.pace
            label = f"Set {number} of {step.sets}" if step.sets > 1 else "Repetitions"
            builder.phase(Phase(start, end, "set", label, side, count_from=1, pace=step.pace))
            for rep in range(2, step.reps + 1):
                builder.count(start + (rep - 1) * step.pace, phrases("last_rep") if rep == step.reps else str(rep))
            if step.cues:
                builder.flexible(
                    4, start + step.pace * 1.5, start + 0.5, end - 1, step.cues[cue_index % len(step.cues)], "cue"
                )
                cue_index += 1
            last = side_index == len(sides) - 1 and number == step.sets
            if last:
                _look_ahead(builder, end, next_title, clock_length, phrases)
            builder.mark(end, phrases("reps_done" if last else "set_done"), "release")
            t = end
    return False
