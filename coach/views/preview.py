"""What a hands-free session will say, in order, with the time from the start.

`coach preview` prints this for a caregiver to read, or as JSON for tools.
It assumes what a hands-free session does: every `ready` step waits its whole
timeout and every pain check-in goes unanswered.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from coach.i18n import N_, interface
from coach.program.durations import format_clock
from coach.program.text import one_line
from coach.timeline import Timeline
from coach.timeline.events import TONE

TONE_SHOWN = N_("(tone)")


@dataclass(frozen=True)
class Line:
    at: float
    text: str
    kind: str
    priority: str
    step: int
    length: float


def lines(timeline: Timeline) -> list[Line]:
    out: list[Line] = []
    origin = 0.0
    for segment in timeline.segments:
        for cue in segment.cues:
            at = round(origin + cue.at, 3)
            out.append(Line(at, cue.text, cue.kind, cue.priority.name.lower(), segment.number, cue.length))
        origin += segment.length
    return out


def as_text(timeline: Timeline) -> str:
    """`M:SS  text` per line, then `Total: M:SS`, the last line, as the contract says. Program text is escaped,
    never interpreted."""
    words = interface()  # the caregiver's language; the sentences are the program's
    tone = words.gettext(TONE_SHOWN)
    every = lines(timeline)
    rows = [f"{format_clock(line.at)}  {tone if line.kind == TONE else one_line(line.text)}" for line in every]
    rows.append(words.gettext("Total: {time}").format(time=format_clock(timeline.length)))
    return "\n".join(rows)


def estimated(timeline: Timeline) -> str:
    """For a timeline laid on the cached audio of a rendering engine: how many of its lengths are still estimates,
    or "" when none is. Said apart from the preview (on stderr): after its `Total` line a caregiver's walk found it
    where the contract puts the last line, and a script reading the total would have read it instead."""
    if not timeline.estimated:
        return ""
    sentences = sum(1 for line in lines(timeline) if line.kind != TONE)
    told = interface().gettext(
        "Estimated: {estimated} of {sentences} sentence lengths; their audio is not made yet"
        " (a session makes it, and the times above grow shorter)."
    )
    return told.format(estimated=timeline.estimated, sentences=sentences)


def as_json(timeline: Timeline) -> str:
    items = [line.__dict__ for line in lines(timeline)]
    return json.dumps(items, indent=1, ensure_ascii=True)
