"""Rendered speech meets the session: the timeline laid on real audio lengths, and never ahead of its audio.

Before a session starts, every sentence it will say is queued for rendering
in the order it is needed (right after the first minute's, the pain stop, so
that the one urgent sentence does not wait for its voice for long), and the
start waits until the first minute's audio exists. Then each segment, as it begins, is
laid again on the real lengths of the clips made so far (`Timeline.relay`);
a segment whose audio is not all made yet waits, with a notice, rather than
speak late. When the engine does not render (it failed, or it speaks by
itself) the session plays on its estimates, as before.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from coach.session.engine import said_on_request
from coach.speech.rendering import RenderingEngine
from coach.speech.speaker import Speaker
from coach.timeline import Phrases, Timeline
from coach.timeline.events import TONE

FIRST = 60.0  # seconds of session whose audio must exist before it starts
START_LIMIT = 20.0  # the longest a start waits for that; past it, each segment waits for its own audio instead
TELL_AFTER = 1.0  # a start that waits longer than this says why


def texts_in_order(timeline: Timeline) -> list[tuple[float, str]]:
    """Every sentence of `timeline` with when it is first due from the start, in that order (no tones)."""
    found: dict[str, float] = {}
    start = 0.0
    for segment in timeline.segments:
        for cue in segment.cues:
            if cue.kind != TONE and cue.text not in found:
                found[cue.text] = start + cue.at
        start += segment.length
    return sorted(((at, text) for text, at in found.items()), key=lambda pair: pair[0])


class Voicing:
    """The session's `Readiness` for a rendering speaker."""

    @classmethod
    def of(cls, speaker: Speaker) -> Voicing | None:
        """A voicing for `speaker` if its engine can render; None if it speaks by itself."""
        return cls(speaker) if isinstance(speaker.engine, RenderingEngine) else None

    def __init__(self, speaker: Speaker) -> None:
        self.speaker = speaker
        self._laid: Timeline | None = None
        self._made = -1

    def _failed(self) -> bool:
        engine = self.speaker.engine
        return not self.speaker.renders or (isinstance(engine, RenderingEngine) and engine.bake_failure is not None)

    def warm(
        self,
        timeline: Timeline,
        tell: Callable[[str], None],
        *,
        limit: float = START_LIMIT,
        interrupted: Callable[[], bool] = lambda: False,
    ) -> bool:
        """Queue every sentence, then wait (up to `limit` s) for the first minute's; True if it is all made.

        A key or a word meanwhile (`interrupted`: x, above all) ends the wait at once: it is never held up
        by a voice still loading."""
        if self._failed() or timeline.relay is None:
            return False
        ordered = texts_in_order(timeline)
        needed = [text for at, text in ordered if at < FIRST]
        urgent = said_on_request(timeline)[:1]  # the pain stop, right after what the start waits for
        self.speaker.bake(needed + urgent + [text for _, text in ordered] + said_on_request(timeline))
        began, told = time.monotonic(), False
        while time.monotonic() - began < limit and not interrupted():
            if self._failed():
                return False
            if all(self.speaker.length(text) is not None for text in needed):
                # Laid on those lengths, the first minute may say something new ("about 50 seconds" where the
                # estimates said a minute): make that too, so that the first step never waits at the start.
                laid = timeline.relay(self.speaker.length)
                needed = [text for at, text in texts_in_order(laid) if at < FIRST]
                unmade = [text for text in needed if self.speaker.length(text) is None]
                if not unmade:
                    return True
                self.speaker.bake(unmade, first=True)
            if not told and time.monotonic() - began > TELL_AFTER:
                told = True
                tell(Phrases(timeline.language)("voice_wait"))
            time.sleep(0.02)
        return False

    def ready(self, index: int, timeline: Timeline) -> Timeline | None:
        if self._failed() or timeline.relay is None:
            return timeline
        engine = self.speaker.engine
        made = engine.made if isinstance(engine, RenderingEngine) else 0
        laid = self._laid
        exact = laid is not None and laid.estimated == 0 and timeline is laid  # nothing left to lay again
        if laid is None or (made != self._made and not exact) or timeline is not laid:
            self._made = made
            laid = self._laid = timeline.relay(self.speaker.length)
        missing = [cue.text for cue in laid.segments[index].cues if cue.text and self.speaker.length(cue.text) is None]
        if missing:
            self.speaker.bake(missing, first=True)
            return None
        return laid
