"""The program as the rest of coach sees it: plain, frozen, already validated.

Once a file has passed the loader, nothing downstream checks a type again;
every duration here is whole seconds and every optional field has its default.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Kind(str, Enum):
    """The kinds of step of format 1."""

    TIMED = "timed"
    READY = "ready"
    HOLD = "hold"
    REPS = "reps"
    REST = "rest"  # a plain timed rest between exercises: told and timed, not numbered as a step


@dataclass(frozen=True)
class Raise:
    """One `[steps.progress]` target: grow by `by` towards `to`."""

    to: int
    by: int


@dataclass(frozen=True)
class Progress:
    """How a step grows from session to session (applied by the history issue)."""

    hold: Raise | None = None
    reps: Raise | None = None
    every: int = 1
    max_pain: int = 3


@dataclass(frozen=True)
class Step:
    """One step of a program. Fields a kind does not use keep their defaults."""

    kind: Kind
    title: str
    say: str = ""
    cues: tuple[str, ...] = ()
    sides: tuple[str, ...] = ()
    duration: int = 0  # timed, rest
    remind: int | None = None  # timed: seconds between reminders, None for the sparse marks
    end_say: str = ""  # timed
    timeout: int = 30  # ready; 0 waits for a key for ever
    hold: int = 0  # hold
    reps: int = 1  # hold, reps
    rest: int = 5  # hold: between repetitions (and sides, with one set); reps: between sets and sides
    pace: int = 3  # reps
    sets: int = 1  # hold, reps
    set_rest: int = 30  # hold: between sets, and between sides when there are sets
    progress: Progress | None = None
    line: int = 0  # where its `[[steps]]` header is, for messages


@dataclass(frozen=True)
class Program:
    """A whole program file."""

    title: str
    steps: tuple[Step, ...]
    summary: str = ""
    language: str = "en"
    author: str = ""
    source: str = ""
    safety: tuple[str, ...] = ()
    check_in: bool = True
    pain_stop: int | None = None
    per_week: int | None = None  # prescribed sessions a week; None: not said (or said by `days`)
    days: tuple[str, ...] = ()  # prescribed days, "mon" .. "sun", Monday first
    path: str = ""
    sha256: str = ""

    @property
    def prescribed(self) -> int | None:
        """Sessions a week the program is prescribed for, by `per_week` or `days`; None when it does not say."""
        return len(self.days) if self.days else self.per_week

    @property
    def exercises(self) -> tuple[Step, ...]:
        """The steps a person is told "Step 2 of 6" about: every step but the rests between them."""
        return tuple(step for step in self.steps if step.kind is not Kind.REST)
