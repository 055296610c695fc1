"""The loop that plays a session in real time: wait for the next deadline or a key, then act.

Views and speech are plain callables that receive each event; keys arrive
through an `Inbox` from whichever thread reads them. With a `FakeClock` the
same loop runs a 20-minute program in milliseconds.
"""

from __future__ import annotations

import queue
from collections.abc import Callable

from coach.clock import Wake
from coach.session import Event, Session

Command = Callable[[Session], list[Event]]
Sink = Callable[[Event], None]


class Inbox:
    """Commands from a key reader, and the event that wakes the loop for them."""

    def __init__(self) -> None:
        self.commands: queue.SimpleQueue[Command] = queue.SimpleQueue()
        self.wake = Wake()  # set from key threads and from signal handlers alike

    def put(self, command: Command) -> None:
        self.commands.put(command)
        self.wake.set()

    def drain(self) -> list[Command]:
        self.wake.clear()
        drained: list[Command] = []
        while True:
            try:
                drained.append(self.commands.get_nowait())
            except queue.Empty:
                return drained


def drive(session: Session, sink: Sink, inbox: Inbox | None = None) -> str:
    """Play `session` to its end, sending every event to `sink`; returns how it ended."""
    inbox = inbox or Inbox()
    if session.index < 0:
        session.start()
    while True:
        for event in session.due():
            sink(event)
        if session.finished:
            break
        session.clock.wait_until(session.next_deadline(), inbox.wake)
        for command in inbox.drain():
            for event in command(session):
                sink(event)
    assert session.outcome is not None
    return session.outcome
