"""Snapshots of the player, at 80x24 and 40x12, in the default and the high-contrast theme.

Each app is built by the same factory the command line uses, on a fake clock
that `run_before` moves to the moment shown. Update after a deliberate
change of the look with `pytest tests/test_snapshots.py --snapshot-update`,
and read the new SVGs before committing them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.player_app import app_for, until_text

SIZES = [(80, 24), (40, 12)]
THEMES = ["textual-dark", "coach-high-contrast"]


async def at_hold(pilot: Pilot[Any]) -> None:
    until_text(pilot.app, "now", "Hold")  # type: ignore[arg-type]
    await pilot.pause()


async def at_rest(pilot: Pilot[Any]) -> None:
    until_text(pilot.app, "now", "Rest")  # type: ignore[arg-type]
    await pilot.pause()


async def paused(pilot: Pilot[Any]) -> None:
    await at_hold(pilot)
    await pilot.press("space")
    await pilot.pause()


async def helping(pilot: Pilot[Any]) -> None:
    await pilot.press("question_mark")
    await pilot.pause()


async def pain_stop(pilot: Pilot[Any]) -> None:
    await at_hold(pilot)
    await pilot.press("x")
    await pilot.pause()


STATES: dict[str, Callable[[Pilot[Any]], Awaitable[None]]] = {
    "hold": at_hold,
    "rest": at_rest,
    "paused": paused,
    "help": helping,
    "pain": pain_stop,
}


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
@pytest.mark.parametrize("state", sorted(STATES))
def test_player_looks_right(snap_compare: Any, state: str, size: tuple[int, int], theme: str) -> None:
    assert snap_compare(app_for("demo", theme=theme), terminal_size=size, run_before=STATES[state])


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_picker_looks_right(snap_compare: Any, size: tuple[int, int], theme: str) -> None:
    from tests.player_app import picker_app

    assert snap_compare(picker_app(theme=theme), terminal_size=size)


async def at_phrase(pilot: Pilot[Any], key: str) -> None:
    """Where the screen shows the phrase `key` in the session's language ("Mantén", "Tenez", "保持")."""
    from coach.timeline import Phrases

    app = pilot.app
    await pilot.pause()  # laid out first, as the player is before its first step: the top line fits its width
    until_text(app, "now", Phrases(app.player.session.timeline.language)(key))  # type: ignore[attr-defined,arg-type]
    await pilot.pause()


async def at_hold_in_language(pilot: Pilot[Any]) -> None:
    await at_phrase(pilot, "phase_hold")


async def help_in_language(pilot: Pilot[Any]) -> None:
    await at_hold_in_language(pilot)
    await pilot.press("question_mark")
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
@pytest.mark.parametrize("state", ["hold", "help"])
@pytest.mark.parametrize("language", ["es", "fr", "zh"])
def test_the_player_in_each_language_looks_right(
    snap_compare: Any, language: str, state: str, size: tuple[int, int]
) -> None:
    """Every word in the program's language, the footer's keys too; Chinese, two columns a character, unbroken
    at 40 columns."""
    run = at_hold_in_language if state == "hold" else help_in_language
    assert snap_compare(app_for(f"demo-{language}"), terminal_size=size, run_before=run)
