"""What one program may ask of a session, checked by arithmetic on the file's own numbers.

Every field may be within its range and the whole still absurd: 1000 repetitions × 1000 sets × 4
sides is four million counts in a 500-byte file, and validate, preview, run and the picker all build
the whole session before they say anything. So the session's length and its number of sentences are
worked out here from the numbers alone (a few multiplications per step) and capped before anything is
built: checking a file costs as much as the file, not as the session it describes.

Also here, because it too is a number the coach cannot honour: a reps pace too short to say its counts.
"""

from __future__ import annotations

import math

from coach.program.model import Kind, Program, Step
from coach.timeline.estimate import DEFAULT_RATE, GAP, longest_count

MAX_HOURS = 24
MAX_SECONDS = MAX_HOURS * 3600  # a whole day: no session of home exercise lasts longer, so more is a typo
# An hour of the busiest counting (1-second holds, 1-second rests) says about 9,000 sentences; building
# 20,000 takes half a second and 35 MB, so that even the largest session allowed starts at once.
MAX_SENTENCES = 20_000
CHECKINS = 2 * 10  # the two pain check-ins' waits, in seconds
OPENING = 30  # sentences of the welcome, the safety notes, the check-ins and the closing, at most

# Sentences a step may say besides its repetitions: its title, a progress note, `say`, the first side,
# the intro, and a margin.
_PER_STEP = 8
# Per hold: "Hold.", 3-2-1, "Release.", its name, halfway and a cue.
_PER_HOLD = 8
# Per set or side of a reps step: "1", the end word, its name, a switch of sides and a cue.
_PER_SET = 5


def _grown(step: Step) -> tuple[int, int]:
    """The step's hold and reps at their highest: as far as `[steps.progress]` may raise them."""
    progress = step.progress
    hold = max(step.hold, progress.hold.to) if progress and progress.hold else step.hold
    reps = max(step.reps, progress.reps.to) if progress and progress.reps else step.reps
    return hold, reps


def demands(step: Step) -> tuple[int, int]:
    """At least how many seconds `step` lasts, and at most how many sentences it says."""
    hold, reps = _grown(step)
    sets = len(step.sides or ("",)) * step.sets
    if step.kind in {Kind.TIMED, Kind.REST}:
        reminders = step.duration // step.remind if step.remind else 6
        return step.duration, _PER_STEP + reminders + len(step.cues) + 6
    if step.kind is Kind.READY:
        return step.timeout, _PER_STEP
    if step.kind is Kind.HOLD:
        between = step.set_rest if step.sets > 1 else step.rest
        seconds = sets * (reps * hold + (reps - 1) * step.rest) + (sets - 1) * between
        return seconds, _PER_STEP + sets * (reps * _PER_HOLD + 2)
    seconds = sets * reps * step.pace + (sets - 1) * step.rest
    return seconds, _PER_STEP + sets * (reps + _PER_SET)


def _what(step: Step) -> str:
    """ "1000 repetitions × 1000 sets × 4 sides": the numbers that make a step long."""
    _, reps = _grown(step)
    parts = [f"{reps} repetitions"] if step.kind in {Kind.HOLD, Kind.REPS} else []
    parts += [f"{step.sets} sets"] if step.sets > 1 and step.kind in {Kind.HOLD, Kind.REPS} else []
    parts += [f"{len(step.sides)} sides"] if len(step.sides) > 1 else []
    return f" ({' × '.join(parts)})" if len(parts) > 1 else ""


def session_problem(program: Program) -> tuple[int, str] | None:
    """Why `program` asks too much of one session, and the index of the step most to blame; or None."""
    each = [demands(step) for step in program.steps]
    seconds = CHECKINS + sum(length for length, _ in each)
    sentences = OPENING + len(program.safety) + sum(count for _, count in each)
    if seconds <= MAX_SECONDS and sentences <= MAX_SENTENCES:
        return None
    if seconds > MAX_SECONDS:
        worst = max(range(len(each)), key=lambda index: each[index][0])
        hours = f"about {seconds / 3600:,.0f} hours" if seconds >= 10 * 3600 else f"{seconds / 3600:.1f} hours"
        said = f"the session would last {hours}"
    else:
        worst = max(range(len(each)), key=lambda index: each[index][1])
        said = f"the session would say about {sentences:,} sentences"
    limits = f"a session lasts at most {MAX_HOURS} hours and says at most {MAX_SENTENCES:,} sentences"
    step = program.steps[worst]
    return worst, f"{said}, most of it in this step{_what(step)}; {limits}: is a number a typo?"


def pace_problem(step: Step) -> str | None:
    """Why a reps step's pace is too short to say its counts aloud at the default rate, or None."""
    if step.kind is not Kind.REPS:
        return None
    _, reps = _grown(step)
    needed = math.ceil(longest_count(reps, DEFAULT_RATE) + GAP)
    if step.pace >= needed:
        return None
    fits = next(n for n in range(reps, 0, -1) if longest_count(n, DEFAULT_RATE) + GAP <= step.pace)
    return (
        f'expected at least "{needed}s" to say every count up to {reps} aloud '
        f'(or at most {fits} repetitions at "{step.pace}s"), got "{step.pace}s"'
    )
