"""Play a session on a fake clock, with scripted key presses at given times."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from coach.catalog import bundled
from coach.clock import FakeClock
from coach.program import Program, load_program
from coach.session import Event, Session, SessionLog
from coach.timeline import Timeline, compile_program

Action = Callable[[Session], list[Event]]


def bundled_programs() -> dict[str, Program]:
    return {name: load_program(path) for name, path in bundled().items()}


def play(
    timeline: Timeline, actions: Iterable[tuple[float, Action]] = (), log: SessionLog | None = None
) -> tuple[list[Event], Session]:
    """Every event of a session, hands-free apart from `actions` (seconds from the start), recorded in `log`."""
    clock = FakeClock(0.0)
    session = Session(timeline, clock, log)
    session.start()
    events: list[Event] = []
    pending = sorted(actions, key=lambda item: item[0])
    while True:
        events += session.due()
        if session.finished:
            return events, session
        deadline = session.next_deadline()
        if pending and (deadline is None or pending[0][0] <= deadline):
            at, act = pending.pop(0)
            clock.time = max(clock.time, at)
            events += session.due()
            events += act(session)
            continue
        assert deadline is not None, "the session waits for a key that no action gives"
        clock.time = deadline


def play_program(program: Program, actions: Iterable[tuple[float, Action]] = ()) -> list[Event]:
    return play(compile_program(program), actions)[0]
