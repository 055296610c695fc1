"""What a second of the player draws again: the countdown and its words, and the terminal shows what Textual draws.

Textual's compositor drew every widget on the screen again for each second's change; the player's own
(`coach.views.tui.compositor`) draws only those under it. What reaches the terminal must be the same.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

from tests.player_app import advance, app_for, player, until_text
from tests.written import Written

pytestmark = pytest.mark.painted  # these read what each frame draws

MINUTE = """
format = 1

[program]
title = "One minute"
check_in = false

[[steps]]
kind = "timed"
title = "Timer"
duration = "60s"
"""


def counted(widget: Widget, drawn: Counter[str]) -> None:
    """Count each time `widget` is drawn, by its id (or its kind)."""
    draw: Callable[[Region], list[Strip]] = widget.render_lines

    def render_lines(crop: Region) -> list[Strip]:
        drawn[widget.id or type(widget).__name__] += 1
        return draw(crop)

    widget.render_lines = render_lines  # type: ignore[method-assign]


async def test_a_second_draws_the_countdown_and_its_words_again_and_nothing_else(tmp_path: Path) -> None:
    program = tmp_path / "minute.toml"
    program.write_text(MINUTE)
    app = app_for(program)
    async with app.run_test(size=(80, 24)) as pilot:
        until_text(app, "now", "Time left")
        advance(app, 8)  # seconds in which nothing is said, past "Under 1 min left" on the top line
        await pilot.pause()
        drawn: Counter[str] = Counter()
        for widget in player(app).query("*"):
            counted(widget, drawn)
        for _ in range(3):
            advance(app, 1)
            await pilot.pause()
        assert drawn["countdown"] >= 3 and drawn["words"] >= 3, drawn
        untouched = {"progress", "title", "now", "said", "instruction", "next", "FittingFooter", "FooterKey", "player"}
        assert not untouched & set(drawn), drawn


async def test_what_the_terminal_shows_after_each_second_is_what_textual_draws_whole() -> None:
    for size in ((80, 24), (100, 30), (40, 12)):
        app = app_for("demo")
        written = Written(app, size)
        async with app.run_test(size=size) as pilot:
            for _ in range(25):  # through the announcement, a hold, a rest, and into the next repetition
                advance(app, 1)
                await pilot.pause()
                whole = [strip.text for strip in app.screen._compositor.render_strips()]
                assert written.rows() == whole, (size, written.rows(), whole)
                # and in the same colours: a widget left undrawn behind another shows only in its colours
                assert written.cells() == Written.whole(app, size), size
