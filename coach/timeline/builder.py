"""Lay one segment's sentences on its clock so that no two ever overlap.

Three kinds of sentence, resolved in this order:
- chained and marked sentences must be said: announcements follow one
  another, and a mark ("Hold.", "Release.") waits for whatever is still being
  said, pushing the clock rather than talking over it;
- counts are fixed to the second and always kept: the compiler leaves them
  room (a count of repetitions is the exercise itself);
- flexible sentences (halfway, "Next: …", reminders, breathing cues) move
  within a window to the nearest free slot, by rank, or are dropped.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass

from coach.timeline.estimate import GAP, estimate
from coach.timeline.events import TONE, TONE_SECONDS, Cue, Phase, Priority

Lengths = Callable[[str], "float | None"]
"""The real seconds a voice takes to say a sentence, where its audio exists; None where it does not yet."""


@dataclass(frozen=True)
class _Flexible:
    rank: int
    desired: float
    low: float
    high: float
    text: str
    kind: str


class SegmentBuilder:
    """Collects a segment's sentences and phases, then resolves their times."""

    def __init__(self, rate: int, lengths: Lengths | None = None, *, tones: bool = False, slower: float = 1.0) -> None:
        self.rate = rate
        self.slower = slower  # the program's language's `slowness`
        self.lengths = lengths
        self.tones = tones
        self.estimated = 0  # sentences laid on an estimate, not on their audio's real length
        self.cursor = 0.0  # the earliest moment the next mandatory sentence may start
        self._fixed: list[Cue] = []
        self._counts: list[Cue] = []
        self._flexible: list[_Flexible] = []
        self.phases: list[Phase] = []

    def length_of(self, text: str) -> float:
        known = self.lengths(text) if self.lengths is not None else None
        return known if known is not None else estimate(text, self.rate, self.slower)

    def _laid(self, text: str) -> float:
        """`length_of`, counting the sentences laid on an estimate (each time it is laid, as preview lists it)."""
        known = self.lengths(text) if self.lengths is not None else None
        if known is None:
            self.estimated += 1
            return estimate(text, self.rate, self.slower)
        return known

    def tone(self, at: float) -> None:
        """The short tone that marks a clock's zero, at `at`, before the sentence that follows it; none under
        --no-tones. It is a mark: what is still being said is not talked over, and what follows waits for it."""
        if self.tones:
            cue = Cue(round(max(at, self.cursor), 3), "", Priority.MARK, TONE, TONE_SECONDS)
            self._fixed.append(cue)
            self.cursor = cue.end + GAP

    def chain(self, text: str, kind: str, priority: Priority = Priority.ANNOUNCE) -> Cue:
        """A sentence said as soon as the one before it ends."""
        return self.mark(self.cursor, text, kind, priority)

    def mark(self, at: float, text: str, kind: str, priority: Priority = Priority.MARK) -> Cue:
        """A sentence said at `at`, or later if something is still being said."""
        cue = Cue(round(max(at, self.cursor), 3), text, priority, kind, self._laid(text))
        self._fixed.append(cue)
        self.cursor = cue.end + GAP
        return cue

    def count(self, at: float, text: str) -> None:
        """A count at exactly `at`. Never dropped: the caller has left it room."""
        self._counts.append(Cue(round(at, 3), text, Priority.COUNT, "count", self._laid(text)))

    def flexible(self, rank: int, desired: float, low: float, high: float, text: str, kind: str) -> None:
        """A sentence said near `desired`, anywhere in [low, high], lower ranks first."""
        self._flexible.append(_Flexible(rank, desired, low, high, text, kind))

    def phase(self, phase: Phase) -> None:
        self.phases.append(phase)

    def resolve(self) -> tuple[Cue, ...]:
        """Every sentence kept, in time order."""
        track = _Track(self._fixed + self._counts)
        for wish in sorted(self._flexible, key=lambda wish: (wish.rank, wish.desired)):
            length = self.length_of(wish.text)
            start = _nearest_free(wish, length, track)
            if start is not None:
                self._laid(wish.text)
                track.add(Cue(round(start, 3), wish.text, Priority.INFO, wish.kind, length))
        return tuple(track.cues)


class _Track:
    """Kept sentences in time order. They never overlap, so a new one need only
    be checked against its neighbours."""

    def __init__(self, cues: list[Cue]) -> None:
        self.cues = sorted(cues, key=lambda cue: cue.at)
        self.starts = [cue.at for cue in self.cues]

    def fits(self, start: float, length: float) -> bool:
        index = bisect_right(self.starts, start)
        before = self.cues[index - 1] if index else None
        after = self.cues[index] if index < len(self.cues) else None
        return (before is None or start >= before.end + GAP) and (after is None or start + length + GAP <= after.at)

    def add(self, cue: Cue) -> None:
        index = bisect_right(self.starts, cue.at)
        self.starts.insert(index, cue.at)
        self.cues.insert(index, cue)

    def near(self, low: float, high: float) -> list[Cue]:
        return self.cues[max(0, bisect_left(self.starts, low) - 1) : bisect_right(self.starts, high) + 1]


def _nearest_free(wish: _Flexible, length: float, track: _Track) -> float | None:
    candidates = [wish.desired]
    for other in track.near(wish.low - length - GAP, wish.high + length + GAP):
        candidates += [other.end + GAP, other.at - GAP - length]
    in_window = sorted((abs(start - wish.desired), start) for start in candidates if wish.low <= start <= wish.high)
    return next((start for _, start in in_window if track.fits(start, length)), None)
