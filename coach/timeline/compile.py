"""Compile a program into a timeline: every sentence, when it is said, and what is shown.

This is where the contract's "Timing, as the patient hears it" lives. The
session only plays what is decided here, so `coach preview` prints exactly what
a hands-free session will say.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from coach.program.model import Kind, Program, Step
from coach.timeline.builder import Lengths, SegmentBuilder
from coach.timeline.estimate import DEFAULT_RATE, GAP, longest_count, slowness
from coach.timeline.events import Phase, Priority, Segment, Timeline
from coach.timeline.phrases import Phrases

CHECKIN_SECONDS = 10
NEXT_BEFORE_END = 9.0  # "Next: …" lands about this long before a step ends, as the best timers do


@dataclass
class Layout:
    """How sentences are laid out: at what rate, on which real lengths, with or without tones at zero."""

    rate: int
    lengths: Lengths | None
    tones: bool
    slower: float = 1.0
    builders: list[SegmentBuilder] = field(default_factory=list)

    def builder(self) -> SegmentBuilder:
        made = SegmentBuilder(self.rate, self.lengths, tones=self.tones, slower=self.slower)
        self.builders.append(made)
        return made

    @property
    def estimated(self) -> int:
        return sum(builder.estimated for builder in self.builders)


def compile_program(
    program: Program,
    *,
    rate: int = DEFAULT_RATE,
    notes: Mapping[int, str] | None = None,
    listening: bool = False,
    lengths: Lengths | None = None,
    tones: bool = False,
) -> Timeline:
    """The timeline of a whole session of `program`, spoken at `rate` words per minute.

    `notes` are sentences said right after a step's title, by the step's place in the file: how a hold has
    grown since last time. Rests are not numbered: "Step 2 of 3" counts the exercises only.
    `lengths` gives a sentence's real length where its audio exists (rendered speech): there the timeline is
    exact, elsewhere it is laid on the estimate. `tones` puts a tone at the zero of every hold and timed step.
    """
    layout = Layout(rate, lengths, tones, slowness(program.language))
    phrases = Phrases(program.language)
    count = len(program.exercises)
    notes = notes or {}
    steps, number = [], 0
    for index, step in enumerate(program.steps):
        next_title = _next_title(program, index)
        if step.kind is Kind.REST:
            steps.append(_rest_step(step, next_title, phrases, layout))
            continue
        number += 1
        steps.append(_step(step, number, count, next_title, phrases, layout, notes.get(index + 1, ""), listening))
    closing = _closing(phrases, layout)
    before = [_checkin(phrases, layout, phrases("title_checkin"), listening)] if program.check_in else []
    after = [_checkin(phrases, layout, phrases("title_checkin"), listening)] if program.check_in else []
    rest = before + steps + after + [closing]
    opening = _opening(program, phrases, layout, sum(segment.length for segment in rest))
    return Timeline(
        program.title,
        tuple([opening, *rest]),
        count,
        rate,
        program.language,
        safety=program.safety,
        pain_stop=program.pain_stop if program.check_in else None,
        estimated=layout.estimated,
        listening=listening,
        unheard=_unheard(program, phrases) if listening else {},
        relay=lambda real: compile_program(
            program, rate=rate, notes=notes, listening=listening, lengths=real, tones=tones
        ),
    )


def offer_resume(timeline: Timeline, step: int, text: str, lengths: Lengths | None = None) -> Timeline:
    """`timeline` with a first question: go on from `step`, where the last session was cut short?

    Space, Enter or y jumps to that step; any other answer, or none within the timeout, plays from the start.
    """
    target = timeline.segment_of_step(step)
    if target is None:
        return timeline
    builder = SegmentBuilder(timeline.rate, lengths, slower=slowness(timeline.language))
    builder.chain(text, "offer")
    end = builder.cursor + CHECKIN_SECONDS
    phrases = Phrases(timeline.language)
    asked = phrases("title_resume")
    # Below the title, the step it goes on from: "Go on from last time? Step 3" said the title again (a walk's).
    going_on = phrases("step", number=step, steps=timeline.steps, title=timeline.segments[target].title)
    _asking(builder, end, "ready", going_on)
    offer = Segment(asked, 0, builder.resolve(), tuple(builder.phases), end, key_ends=True, accept_to=target + 1)
    inner = timeline.relay
    return replace(
        timeline,
        segments=(offer, *timeline.segments),
        estimated=timeline.estimated + builder.estimated,
        relay=None if inner is None else lambda real: offer_resume(inner(real), step, text, real),
    )


def _next_title(program: Program, index: int) -> str:
    """The title of the next exercise after the step at `index`: a rest is not worth announcing as next."""
    # The first one found ends the search: a list of every later title made compiling quadratic in the steps.
    return next((step.title for step in program.steps[index + 1 :] if step.kind is not Kind.REST), "")


def _opening(program: Program, phrases: Phrases, layout: Layout, rest_length: float) -> Segment:
    """The welcome and the safety notes. The welcome's "about N minutes" is the whole session's, its own words
    included, as the player's "N min left" and the printed sheet count it: a walk heard "about 6 minutes" and
    read "7 min left" at the same moment. Laid once without being kept, for its own length."""
    own = _welcome(program, phrases, replace(layout, builders=[]), rest_length).length
    return _welcome(program, phrases, layout, rest_length + own)


def _welcome(program: Program, phrases: Phrases, layout: Layout, session_length: float) -> Segment:
    builder = layout.builder()
    builder.chain(
        phrases(
            "welcome",
            title=program.title,
            steps=len(program.exercises),
            minutes=phrases.about(session_length),
        ),
        "announce",
    )
    if program.safety:
        builder.chain(phrases("safety"), "safety")
        for note in program.safety:
            builder.chain(note, "safety")
    builder.phase(Phase(0.0, builder.cursor, "announce", phrases("phase_welcome")))
    return Segment(program.title, 0, builder.resolve(), tuple(builder.phases), builder.cursor, say=program.summary)


def _unheard(program: Program, phrases: Phrases) -> dict[str, str]:
    """Each question that says what to say (`_checkin`, `_ready`), and the same without it."""
    told = {phrases("checkin_listening", seconds=CHECKIN_SECONDS): phrases("checkin", seconds=CHECKIN_SECONDS)}
    for step in program.steps:
        if step.kind == Kind.READY and step.timeout == 0:
            told[phrases("ready_key_listening")] = phrases("ready_key")
        elif step.kind == Kind.READY:
            seconds = phrases.duration(step.timeout)
            told[phrases("ready_timeout_listening", seconds=seconds)] = phrases("ready_timeout", seconds=seconds)
    return told


def _checkin(phrases: Phrases, layout: Layout, title: str, listening: bool) -> Segment:
    builder = layout.builder()
    builder.chain(phrases("checkin_listening" if listening else "checkin", seconds=CHECKIN_SECONDS), "checkin")
    end = builder.cursor + CHECKIN_SECONDS
    _asking(builder, end, "checkin", phrases("phase_pain"))
    return Segment(title, 0, builder.resolve(), tuple(builder.phases), end, answer_ends=True)


def _asking(builder: SegmentBuilder, end: float, kind: str, label: str, detail: str = "") -> None:
    """A question that says "I will go on in N seconds": while it is said the screen shows no countdown, then
    the N seconds it promised, so that the screen and the voice give one number, the true one."""
    builder.phase(Phase(0.0, builder.cursor, "question", label, detail))
    builder.phase(Phase(builder.cursor, end, kind, label, detail))


def _closing(phrases: Phrases, layout: Layout) -> Segment:
    builder = layout.builder()
    builder.chain(phrases("complete"), "complete", Priority.MARK)
    builder.phase(Phase(0.0, builder.cursor, "announce", phrases("phase_done")))
    return Segment(phrases("title_complete"), 0, builder.resolve(), tuple(builder.phases), builder.cursor)


CompileKind = Callable[[SegmentBuilder, Step, str, Phrases], bool]  # a step's kind laid: True if it waits for a key


def _step(
    step: Step, number: int, count: int, next_title: str, phrases: Phrases, layout: Layout, note: str, listening: bool
) -> Segment:
    builder = layout.builder()
    builder.chain(phrases("step", number=number, steps=count, title=step.title), "announce")
    if note:
        builder.chain(note, "progress")
    if step.say:
        builder.chain(step.say, "say")
    if step.sides:
        builder.chain(phrases("side_first", side=step.sides[0]), "announce")
    ready: CompileKind = functools.partial(_ready, listening=listening)
    compile_kind: CompileKind = {Kind.TIMED: _timed, Kind.READY: ready, Kind.HOLD: _hold, Kind.REPS: _reps}[step.kind]
    waits = compile_kind(builder, step, next_title, phrases)
    return _segment(builder, step, number, waits_for_key=waits, key_ends=step.kind is Kind.READY)


def _rest_step(step: Step, next_title: str, phrases: Phrases, layout: Layout) -> Segment:
    """A rest between exercises: told and timed like a timed step, but no step of its own (number 0)."""
    builder = layout.builder()
    told = phrases("rest_start", title=step.title, duration=phrases.duration(step.duration))
    said = builder.chain(told, "rest", Priority.MARK)
    if step.say:
        builder.chain(step.say, "say")
    _clock(builder, step, said.end, next_title, phrases, "rest", step.title, shown_from=said.at)
    return _segment(builder, step, 0)


def _segment(builder: SegmentBuilder, step: Step, number: int, **flags: bool) -> Segment:
    cues = builder.resolve()
    phases = tuple(sorted(builder.phases, key=lambda phase: phase.start))
    length = max([builder.cursor] + [phase.end for phase in phases])
    return Segment(step.title, number, cues, phases, length, say=step.say, **flags)


def _announce_phase(builder: SegmentBuilder, until: float, phrases: Phrases) -> None:
    if until > 0:
        builder.phase(Phase(0.0, until, "announce", phrases("phase_listen")))


def _up(seconds: float) -> float:
    """`seconds` rounded up to the millisecond, the grain of every cue time."""
    return math.ceil(round(seconds * 1000, 6)) / 1000


def _look_ahead(builder: SegmentBuilder, end: float, next_title: str, clock_length: float, phrases: Phrases) -> None:
    """ "Next: …" in the closing seconds of a timed step or a rest of 20 s and more.

    Never in a hold or reps step: there it would come before the last repetition is done, and the patient
    would start the next exercise during it. A hold step says it with its last repetition ("Last one, then
    Bridges."); after the last release the next step announces itself.
    """
    if next_title and clock_length >= 20:
        text = phrases("next", title=next_title)
        latest = end - 3 - GAP - builder.length_of(text)
        builder.flexible(0, end - NEXT_BEFORE_END, end - 15, latest, text, "next")


def _grown(start: float, end: float, said: float) -> float:
    """How much longer than the `said` seconds a clock from `start` to `end` runs (see `Phase.grown`)."""
    return max(0.0, round(end - start - said, 3))


def _countdown(builder: SegmentBuilder, start: float, seconds: int) -> float:
    """ "3, 2, 1" on the last seconds of a clock of `seconds` from `start`; returns when the clock ends.

    Every number is said, one a second. Where the sentence that starts the clock ("Hold.") leaves no room
    for them (a hold of 2 to 4 s), or the voice is too slow to say a number in a second, the clock grows by
    what they need rather than losing one: a count is never dropped.
    """
    numbers = [left for left in (3, 2, 1) if left < seconds]
    spacing = max([1.0] + [_up(builder.length_of(str(left)) + GAP) for left in numbers])
    end = max(start + seconds, _up(builder.cursor + len(numbers) * spacing))
    for left in numbers:
        builder.count(end - left * spacing, str(left))
    return end


def _clock(
    builder: SegmentBuilder,
    step: Step,
    start: float,
    next_title: str,
    phrases: Phrases,
    kind: str,
    label: str,
    *,
    shown_from: float,
) -> float:
    """A timed step's or a rest's clock from `start`: reminders, cues, 3-2-1 and "Next: …"; returns its end.

    Its time starts as the words that start it end ("…, starting now."): from their beginning, a walk's 6 s step
    gave 3.8 s after "now". Its countdown is shown from `shown_from`, as they begin, standing at the seconds
    they say until "now" (`Phase.grown`), and + and - work on it while they are said."""
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
    end = _countdown(builder, start, step.duration)
    for index, cue in enumerate(step.cues):
        at = start + step.duration * (index + 1) / (len(step.cues) + 1)
        # Within the clock: past its end a cue would run into the next step's first words.
        builder.flexible(4, at, at - 5, min(at + 5, end - builder.length_of(cue) - GAP), cue, "cue")
    shown = label if kind == "rest" else phrases("phase_time_left")
    builder.phase(Phase(shown_from, end, kind, shown, grown=_grown(shown_from, end, step.duration)))
    _look_ahead(builder, end, next_title, step.duration, phrases)
    return end


def _timed(builder: SegmentBuilder, step: Step, next_title: str, phrases: Phrases) -> bool:
    _announce_phase(builder, builder.cursor, phrases)
    said = builder.mark(builder.cursor, phrases("timed_start", duration=phrases.duration(step.duration)), "start")
    end = _clock(builder, step, said.end, next_title, phrases, "timed", phrases("phase_time_left"), shown_from=said.at)
    builder.tone(end)
    builder.mark(end, phrases("time_up"), "release")
    if step.end_say:
        builder.chain(step.end_say, "say")
    return False


def _ready(builder: SegmentBuilder, step: Step, next_title: str, phrases: Phrases, *, listening: bool) -> bool:
    """Listening, it says what to say too: a hands-free walk was told to press Space, lying on the floor."""
    if step.timeout == 0:
        builder.chain(phrases("ready_key_listening" if listening else "ready_key"), "ready")
        # a question with no clock: it waits for ever, and a countdown would stand at 0:00 ("0 seconds left")
        builder.phase(Phase(0.0, builder.cursor, "question", phrases("phase_press_space")))
        return True
    told = "ready_timeout_listening" if listening else "ready_timeout"
    builder.chain(phrases(told, seconds=phrases.duration(step.timeout)), "ready")
    end = builder.cursor + step.timeout
    _asking(builder, end, "ready", phrases("phase_get_ready"))
    builder.mark(end, phrases("going_on"), "release")
    return False


def _sides(step: Step) -> tuple[str, ...]:
    return step.sides or ("",)


def _rest(
    builder: SegmentBuilder, phrases: Phrases, start: float, seconds: int, name: str, short: str, detail: str
) -> float:
    """A rest of `seconds` from `start` that ends by naming what comes next; returns when it ends.

    The name is the count of the repetition or set to come, and like every count it is never dropped: said
    whole where it fits ("Repetition 3 of 10."), as `short` ("Repetition 3.") where the rest is too short,
    and where even that does not fit the rest grows to make room. A switch of sides said before it
    (chained by the caller) is room taken too.
    """
    end = max(start + seconds, builder.cursor)
    if name:
        text = name if not short or builder.cursor + builder.length_of(name) + GAP <= end else short
        builder.mark(max(builder.cursor, end - builder.length_of(text) - GAP), text, "prepare")
        end = max(end, builder.cursor)
    # shown as "Rest, then repetition 2 of 10"
    builder.phase(Phase(start, end, "rest", phrases("phase_rest"), detail, grown=_grown(start, end, seconds)))
    return end


def _detail(phrases: Phrases, *parts: str) -> str:
    return phrases("comma").join(part for part in parts if part)


def _of(phrases: Phrases, key: str, number: int, total: int) -> str:
    """ "Repetition 2 of 10", "Set 2 of 3", or nothing when there is only one."""
    return phrases(key, number=number, total=total)[:-1] if total > 1 else ""


def _hold(builder: SegmentBuilder, step: Step, next_title: str, phrases: Phrases) -> bool:
    """Every repetition of every set on every side: named, held to a counted end, released.

    Rests: `rest` between repetitions; between sets `set_rest`, and between sides too when there are sets.
    The last repetition of each set is named "Last one.".
    """
    _announce_phase(builder, builder.cursor, phrases)
    sides = _sides(step)
    between_sets = step.set_rest if step.sets > 1 else step.rest
    t, cue_index = builder.cursor, 0
    for side_index, side in enumerate(sides):
        for set_number in range(1, step.sets + 1):
            set_name = _of(phrases, "set", set_number, step.sets)
            for rep in range(1, step.reps + 1):
                repetition = _of(phrases, "repetition", rep, step.reps)
                if rep > 1:
                    # Never a bare number here: "3" just before "Hold." would sound like its countdown.
                    last = rep == step.reps
                    name = phrases("last_rep") if last else repetition + "."
                    short = "" if last else phrases("repetition_short", number=rep)
                    if last and next_title and side_index == len(sides) - 1 and set_number == step.sets:
                        # What comes after, said where it cannot be mistaken for it: before the last hold.
                        name, short = phrases("last_then", title=next_title), name
                    t = _rest(builder, phrases, t, step.rest, name, short, repetition)
                elif side_index or set_number > 1:
                    told = phrases("switch", side=side) if set_number == 1 else ""
                    told = told or phrases("set_rest", duration=phrases.duration(between_sets))
                    builder.chain(told, "switch" if set_number == 1 else "rest", Priority.MARK)
                    t = _rest(builder, phrases, t, between_sets, set_name + "." if set_name else "", "", set_name)
                start = builder.mark(t, phrases("hold"), "hold").at
                end = _countdown(builder, start, step.hold)
                builder.phase(
                    Phase(
                        start,
                        end,
                        "hold",
                        phrases("phase_hold"),
                        _detail(phrases, repetition, set_name.lower(), side),
                        grown=_grown(start, end, step.hold),
                    )
                )
                if step.hold >= 20:
                    half = start + step.hold / 2
                    builder.flexible(1, half, half - 2, half + 2, phrases("halfway"), "halfway")
                if step.cues:
                    builder.flexible(4, start + 1.5, start + 0.5, end - 4, step.cues[cue_index % len(step.cues)], "cue")
                    cue_index += 1
                builder.tone(end)
                builder.mark(end, phrases("release"), "release")
                t = end
    return False


def _pace(builder: SegmentBuilder, step: Step, phrases: Phrases) -> tuple[float, str]:
    """Seconds from one count to the next, and the last count: "Last one." where it fits, else its number.

    The step's own pace; only a voice too slow to say every count within it (a low --rate) slows the
    whole step evenly, so the rhythm stays even and no count is lost. `coach validate` refuses a pace too
    short at the default rate.
    """
    pace = max(float(step.pace), _up(longest_count(step.reps, builder.rate, builder.slower) + GAP))
    last = phrases("last_rep")
    return pace, last if builder.length_of(last) + GAP <= pace else str(step.reps)


def _reps(builder: SegmentBuilder, step: Step, next_title: str, phrases: Phrases) -> bool:
    builder.chain(phrases("reps_intro", reps=step.reps), "announce")
    _announce_phase(builder, builder.cursor, phrases)
    pace, last_count = _pace(builder, step, phrases)
    sides = _sides(step)
    t, cue_index = builder.cursor, 0
    for side_index, side in enumerate(sides):
        for number in range(1, step.sets + 1):
            set_name = _of(phrases, "set", number, step.sets)
            if side_index or number > 1:
                if number == 1:
                    builder.chain(phrases("switch", side=side), "switch", Priority.MARK)
                # Named as it ends, as every rest is: a set by its number, one set on its next side by the count
                # to come. A caregiver's walk heard "Switch to the left.", 28 s of silence, then a bare "1".
                told = set_name + "." if set_name else phrases("reps_intro", reps=step.reps)
                t = _rest(builder, phrases, t, step.rest, told, "", set_name)
            start = builder.mark(t, "1", "count").at
            end = start + step.reps * pace
            label = set_name or phrases("phase_repetitions")
            builder.phase(Phase(start, end, "set", label, side, count_from=1, pace=pace))
            for rep in range(2, step.reps + 1):
                builder.count(start + (rep - 1) * pace, last_count if rep == step.reps else str(rep))
            if step.cues:
                cue = step.cues[cue_index % len(step.cues)]
                builder.flexible(4, start + pace * 1.5, start + 0.5, end - 1, cue, "cue")
                cue_index += 1
            last = side_index == len(sides) - 1 and number == step.sets
            builder.mark(end, phrases("reps_done" if last else "set_done"), "release")
            t = end
    return False
