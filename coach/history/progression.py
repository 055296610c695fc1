"""Holds and repetitions that grow from session to session, as a step's `[steps.progress]` asks.

Nothing about progression is stored: a step's level is worked out each time
from the outcomes of this program's past sessions, so editing a program file,
or playing one with `--no-progress`, never leaves a stale level behind. What
a change is told against is what the history recorded the patient doing: a
file edited since would put other numbers in their mouth.
Completed sessions in which the step itself ran to its end (not skipped) count
towards a raise (one every `every`, when the pain after the last one was at
most `max_pain`); a session stopped for pain never raises and takes the next
one back one raise; other sessions change nothing.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from coach.program.model import Program, Progress, Raise, Step
from coach.session.outcome import Outcome
from coach.timeline import Phrases

Played = tuple[int | None, int | None]
"""A step's hold (seconds) and reps as the history recorded them played; None where the step has none."""


@dataclass(frozen=True)
class Past:
    """What progression needs of one earlier session of the program."""

    outcome: str | None  # completed, stopped, pain; None when it was interrupted
    pain_after: int | None
    done: Mapping[str, Played] = field(default_factory=dict)  # the steps that ran to their end, by title


@dataclass(frozen=True)
class Progression:
    """A program with this session's values, and what to say where they changed since last time."""

    program: Program
    notes: dict[int, str]  # step number -> "Hold 15 seconds, up from 10 seconds."


def _top(step: Step, progress: Progress) -> int:
    """How many raises take every value of the step to its target."""
    needed = [
        math.ceil((target.to - base) / target.by)
        for target, base in ((progress.hold, step.hold), (progress.reps, step.reps))
        if target is not None
    ]
    return max(needed, default=0)


def level(step: Step, past: Sequence[Past]) -> int:
    """How many raises `step` has earned over `past`, oldest first."""
    progress = step.progress
    if progress is None:
        return 0
    top = _top(step, progress)
    earned = since = 0
    for session in past:
        if session.outcome == Outcome.PAIN:
            earned, since = max(0, earned - 1), 0
        elif session.outcome == Outcome.COMPLETED and step.title in session.done:
            since += 1
            calm = session.pain_after is None or session.pain_after <= progress.max_pain
            if since >= progress.every and calm:
                earned, since = min(top, earned + 1), 0
    return earned


def _raised(base: int, target: Raise | None, raises: int) -> int:
    return base if target is None else min(target.to, base + raises * target.by)


def at_level(step: Step, raises: int) -> Step:
    """`step` with its hold and reps after `raises` raises."""
    if step.progress is None or raises == 0:
        return step
    return replace(
        step,
        hold=_raised(step.hold, step.progress.hold, raises),
        reps=_raised(step.reps, step.progress.reps, raises),
    )


def last_done(step: Step, past: Sequence[Past]) -> Step | None:
    """`step` as it was last played to its end, or None if it never was.

    A change is told against what the patient last did, not against the session before: a walk was raised from
    5 to 10 s, stopped the next session before that step, and then played 10 s untold; after a pain stop it was
    told "down from 10 seconds" of a hold it never held.
    """
    for index in range(len(past) - 1, -1, -1):
        if step.title in past[index].done:
            # As recorded: a caregiver's walk raised the base from 2 to 3 s after a session held 4 s, and the
            # next was told "up from 5 seconds", the old count on the new base.
            hold, reps = past[index].done[step.title]
            reckoned = at_level(step, level(step, past[:index]))
            return replace(
                reckoned, hold=reckoned.hold if hold is None else hold, reps=reckoned.reps if reps is None else reps
            )
    return None


def progress(program: Program, past: Sequence[Past]) -> Progression:
    """`program` as this session plays it, after the sessions in `past` (oldest first)."""
    phrases = Phrases(program.language)
    steps: list[Step] = []
    notes: dict[int, str] = {}
    for number, step in enumerate(program.steps, start=1):
        now = at_level(step, level(step, past))
        before = last_done(step, past) or now
        steps.append(now)
        changes = []
        if now.hold != before.hold:
            changes.append(
                phrases(
                    "hold_change",
                    now=phrases.duration(now.hold),
                    before=phrases.duration(before.hold),
                    direction=phrases("up" if now.hold > before.hold else "down"),
                )
            )
        if now.reps != before.reps:
            changes.append(
                phrases(
                    "reps_change",
                    now=now.reps,
                    before=before.reps,
                    direction=phrases("up" if now.reps > before.reps else "down"),
                )
            )
        if changes:
            notes[number] = " ".join(changes)
    return Progression(replace(program, steps=tuple(steps)), notes)
