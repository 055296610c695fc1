"""Whole sessions played on a fake clock and recorded in a real history file, the wall clock moved a day between."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from coach.history.store import History
from coach.plan import Plan, plan_session
from coach.session.clock import FakeClock
from coach.session.engine import Event, Session
from tests.conftest import PROGRAMS

GROWS = PROGRAMS / "good" / "grows.toml"
DAY = 24 * 60 * 60


class Wall:
    """The wall clock the history records, moved on a day between sessions."""

    def __init__(self, start: float = 1_790_000_000.0) -> None:
        self.time = start

    def __call__(self) -> float:
        return self.time


def play_once(
    path: Path,
    wall: Wall,
    *acts: Callable[[Session], list[Event] | None],
    program: Path = GROWS,
    use_progress: bool = True,
) -> tuple[Plan, Session, list[Event]]:
    """One whole session on a fake clock, recorded in the history at `path`; the wall clock moves a day on."""
    plan = plan_session(program, history=History(path), now=wall, use_progress=use_progress)
    _, session, events = play_plan(plan, *acts, wall=wall)
    assert plan.recorder.close() is None
    wall.time += DAY
    return plan, session, events


def play_plan(
    plan: Plan, *acts: Callable[[Session], list[Event] | None], wall: Wall | None = None
) -> tuple[Plan, Session, list[Event]]:
    """Play a planned session to its end on a fake clock, doing `acts` as they apply; the wall clock follows."""
    clock = FakeClock(0.0)
    session = Session(plan.timeline, clock, plan.recorder)
    session.start()
    events: list[Event] = []
    while True:
        events += session.due()
        for act in acts:
            if not session.finished:
                events += act(session) or []
        if session.finished:
            return plan, session, events
        deadline = session.next_deadline()
        assert deadline is not None
        clock.time = deadline
        if wall is not None:
            wall.time += 1
