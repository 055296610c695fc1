"""What a compiled program is made of: cues to speak, phases to show, segments to play.

Times here are seconds from the start of their segment, so that pausing,
skipping or adding time only moves one segment's origin and the rest follows
without drift.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from typing import NamedTuple


class Priority(IntEnum):
    """How speech treats a cue when it is busy or late. Lower is more urgent."""

    SAFETY = 0  # pain stop, stop: cuts everything
    ANNOUNCE = 1  # step announcements and instructions: queued, never dropped
    MARK = 2  # "Hold.", "Release.", switch sides: on time, never dropped
    COUNT = 3  # 3-2-1 and repetition counts: dropped rather than spoken late
    INFO = 4  # reminders, halfway, "Next: …", breathing cues: dropped when late, newer replaces older


DROPPABLE = frozenset({Priority.COUNT, Priority.INFO})
TONE = "tone"  # the kind of a cue that is a sound, not a sentence: its text is empty, views show nothing
TONE_SECONDS = 0.25  # the tone at a clock's zero: short, and the sentence after it waits this long


class Cue(NamedTuple):
    """One sentence the coach says, and when.

    Cues and phases are named tuples, not frozen dataclasses: a 500-step program makes some 10,000 of each, and
    a frozen dataclass took four times as long to make (a quarter of the whole compile)."""

    at: float
    text: str
    priority: Priority
    kind: str  # announce, say, mark, count, release, halfway, next, remind, cue, prepare, ...
    length: float  # estimated seconds of speech at the compile rate

    @property
    def end(self) -> float:
        return self.at + self.length


class Phase(NamedTuple):
    """A stretch of a segment the screen shows: a hold, a rest, a set, a wait."""

    start: float
    end: float
    kind: str  # announce, hold, rest, set, timed, ready, checkin, question (said before a ready or a checkin)
    label: str  # "Hold", "Rest", "Set 1 of 2", "Get ready"
    detail: str = ""  # "Repetition 2 of 3, right leg"
    count_from: int = 0  # reps: the first count of the set; 0 elsewhere
    pace: float = 0.0  # reps: seconds per repetition
    # Seconds the clock grew past those said ("5 seconds, starting now." left the 3-2-1 no room): the countdown
    # never shows them, so that the screen and the voice give one number.
    grown: float = 0.0

    def shown_left(self, left: float) -> float:
        """`left` seconds to its end as the countdown shows them: never more than were said."""
        return min(left, self.end - self.start - self.grown)

    @property
    def has_timer(self) -> bool:
        return self.kind in {"hold", "rest", "timed", "ready", "checkin"}


@dataclass(frozen=True)
class Segment:
    """One step, or the opening or closing of a session, compiled."""

    title: str
    number: int  # 1-based step number; 0 for the opening and closing
    cues: tuple[Cue, ...]
    phases: tuple[Phase, ...]
    length: float  # seconds until the next segment starts
    say: str = ""
    waits_for_key: bool = False  # a `ready` step with timeout "0s": only a key moves on
    answer_ends: bool = False  # a pain check-in: an answer moves on at once
    key_ends: bool = False  # a `ready` step: Space or Enter moves on at once
    accept_to: int | None = None  # an offer (to resume): Space, Enter or y goes to this segment


@dataclass(frozen=True)
class Timeline:
    """A whole program, ready to play."""

    title: str
    segments: tuple[Segment, ...]
    steps: int
    rate: int
    language: str = "en"
    safety: tuple[str, ...] = ()  # the program's own safety notes, said again after a pain stop
    pain_stop: int | None = None  # a pain check-in at or above this ends the session
    estimated: int = 0  # sentences laid on an estimated length: their audio did not exist yet
    listening: bool = False  # spoken commands are heard: a pause says to say "coach go on" as well as press Space
    # With listening, each sentence that says what to say, as it is said once listening has failed (a walk was told
    # "Say or press a number" with no recorder running): `Session.hears_commands`.
    unheard: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)
    relay: Callable[[Callable[[str], float | None]], Timeline] | None = field(default=None, compare=False, repr=False)
    """The same timeline laid again on real sentence lengths (rendered speech), as it was compiled."""

    def segment_of_step(self, number: int) -> int | None:
        """The index of step `number`'s segment, or None when there is no such step."""
        found = [index for index, segment in enumerate(self.segments) if segment.number == number]
        return found[0] if found else None

    @property
    def length(self) -> float:
        return sum(segment.length for segment in self.segments)
