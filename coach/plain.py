"""Plain mode: one appended line per event, for screen readers, braille and pipes.

Nothing is ever redrawn: no colour, no cursor movement, no carriage returns.
Each line is the sentence that is spoken, escaped so that program text can
never reach the terminal as a control sequence.
"""

from __future__ import annotations

import sys
from typing import TextIO

from coach.clock import Clock, MonotonicClock
from coach.drive import Inbox, drive
from coach.program.text import escape
from coach.session import Event, Session
from coach.timeline import Timeline


def play_plain(
    timeline: Timeline, *, out: TextIO | None = None, clock: Clock | None = None, inbox: Inbox | None = None
) -> str:
    """Play `timeline` as lines on `out`; returns how the session ended."""
    stream = out or sys.stdout

    def write(event: Event) -> None:
        stream.write(escape(event.text).replace("\n", " ") + "\n")
        stream.flush()

    session = Session(timeline, clock or MonotonicClock())
    return drive(session, write, inbox)
