"""Plain mode: one appended line per event, for screen readers, braille and pipes.

Nothing is ever redrawn: no colour, no cursor movement, no carriage returns.
Each line is the sentence that is spoken, escaped so that program text can
never reach the terminal as a control sequence. Speech runs beside it on
the speaker's own thread; what the speaker has to say about itself (a
missing engine) arrives through the inbox and is written like any event.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import TextIO

from coach.clock import Clock, MonotonicClock
from coach.drive import Inbox, drive
from coach.program.text import escape
from coach.session import Event, Session
from coach.speech.engine import Engine
from coach.speech.engines import SilentEngine
from coach.speech.speaker import Record, Speaker
from coach.timeline import Timeline

WARM_LIMIT = 5.0  # seconds to wait for the engine before starting in text anyway
FAILURE_NOTE = "The session goes on in text; speech is tried again at the next step."


def play_plain(
    timeline: Timeline,
    *,
    out: TextIO | None = None,
    clock: Clock | None = None,
    inbox: Inbox | None = None,
    engine: Engine | None = None,
    voice: str | None = None,
    on_spoken: Callable[[Record], None] = lambda record: None,
) -> str:
    """Play `timeline` as lines on `out`, spoken by `engine`; returns how the session ended.

    `on_spoken` hears what became of each utterance (said, cut, dropped), from the speaker's thread.
    """
    stream = out or sys.stdout
    clock = clock or MonotonicClock()
    inbox = inbox or Inbox()
    writing = threading.Lock()

    def write(event: Event) -> None:
        with writing:
            stream.write(escape(event.text).replace("\n", " ") + "\n")
            stream.flush()

    def notice(text: str) -> None:
        inbox.put(lambda session: session.notice(text))

    speaker = Speaker(
        engine or SilentEngine(),
        clock=clock,
        rate=timeline.rate,
        voice=voice,
        on_notice=notice,
        on_done=on_spoken,
        failure_note=FAILURE_NOTE,
    )
    speaker.start()
    try:
        speaker.wait_ready(WARM_LIMIT)

        def show_and_say(event: Event) -> None:
            write(event)
            speaker.say(event)

        outcome = drive(Session(timeline, clock), show_and_say, inbox)
        speaker.finish()
        return outcome
    finally:
        speaker.close()
