"""The player as a Textual app on a fake clock, for Textual's pilot: built, moved on in time, and read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import Static

from coach.program import load_program
from coach.session.clock import FakeClock
from coach.timeline import compile_program
from coach.views.tui.app import CoachApp, make_app
from coach.views.tui.player import PlayerScreen
from coach.views.tui.words import Words
from tests.helpers import bundled_programs

PROGRAMS = bundled_programs()


def app_for(program: str | Path, **options: Any) -> CoachApp:
    loaded = PROGRAMS[program] if isinstance(program, str) else load_program(program)
    return make_app(compile_program(loaded), clock=FakeClock(0.0), autoplay=False, **options)


def player(app: CoachApp) -> PlayerScreen:
    assert app.player is not None
    return app.player


def advance(app: CoachApp, seconds: float) -> None:
    """Let `seconds` pass on the session's clock, firing every deadline on the way, as the timers would."""
    screen = player(app)
    clock = screen.session.clock
    assert isinstance(clock, FakeClock)
    until = clock.time + seconds
    while (deadline := screen.session.next_deadline()) is not None and deadline <= until:
        clock.time = deadline
        screen.pump()
    clock.time = until
    screen.pump()


def shown(app: CoachApp, name: str) -> str:
    widget = player(app).query_one(f"#{name}")
    return widget.text if isinstance(widget, Words) else str(player(app).query_one(f"#{name}", Static).render())


def until_text(app: CoachApp, name: str, text: str, limit: float = 120) -> None:
    for _ in range(int(limit * 4)):
        if text in shown(app, name):
            return
        advance(app, 0.25)
    raise AssertionError(f"#{name} never showed {text!r}; it shows {shown(app, name)!r}")


def picker_app(theme: str | None = None) -> CoachApp:
    from coach.program.catalog import bundled
    from coach.views.tui.picker import load_entries

    return make_app(entries=load_entries(bundled(), 170), clock=FakeClock(0.0), autoplay=False, theme=theme)
