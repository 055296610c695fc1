"""NO_COLOR in a real terminal: the player stays legible in both themes, never dark on dark.

tmux keeps the colours it was sent; every letter and digit on the screen is
checked for a WCAG contrast of at least 4.5:1 between foreground and background.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import require_tool
from tests.contrast import contrast
from tests.tmux import Tmux

SGR = re.compile(r"\x1b\[([0-9;]*)m")
BASE16 = [
    (0, 0, 0), (128, 0, 0), (0, 128, 0), (128, 128, 0), (0, 0, 128), (128, 0, 128), (0, 128, 128),
    (192, 192, 192), (128, 128, 128), (255, 0, 0), (0, 255, 0), (255, 255, 0), (0, 0, 255), (255, 0, 255),
    (0, 255, 255), (255, 255, 255),
]  # fmt: skip


def rgb(index: int) -> tuple[int, int, int]:
    if index < 16:
        return BASE16[index]
    if index < 232:
        r, g, b = (index - 16) // 36, (index - 16) // 6 % 6, (index - 16) % 6
        return tuple(0 if c == 0 else 55 + 40 * c for c in (r, g, b))  # type: ignore[return-value]
    grey = 8 + 10 * (index - 232)
    return grey, grey, grey


def coloured_text(pane: str) -> list[tuple[str, int, int]]:
    """Each letter and digit with its 256-colour foreground and background (defaults: 7 on 0)."""
    fg, bg, cells = 7, 0, []
    pieces = SGR.split(pane)  # text, parameters, text, parameters, ...
    for number, piece in enumerate(pieces):
        if number % 2 == 0:
            cells += [(char, fg, bg) for char in piece if char.isalnum()]  # text, not decoration
            continue
        codes = [int(code) for code in piece.split(";") if code] or [0]
        index = 0
        while index < len(codes):
            code = codes[index]
            if code == 0:
                fg, bg = 7, 0
            elif code == 39:
                fg = 7
            elif code == 49:
                bg = 0
            elif code in (38, 48) and index + 2 < len(codes) and codes[index + 1] == 5:
                fg, bg = (codes[index + 2], bg) if code == 38 else (fg, codes[index + 2])
                index += 2
            index += 1
    return cells


def coloured_pane(tmp_path: Path, arguments: str, shown: str, then: tuple[str, str] | None = None) -> str:
    """The screen of `coach ARGUMENTS` under NO_COLOR in tmux at 80x24, with its colours, once `shown` is on it
    (and, with `then`, once a key has been pressed and its text is on it)."""
    require_tool("tmux")
    tmux = Tmux(tmp_path)
    tmux("new-session", "-d", "-s", "e2e", "-x", "80", "-y", "24",
         f"NO_COLOR=1 {sys.executable} -m coach {arguments} --speech none")  # fmt: skip
    try:
        tmux.wait_for(shown)
        if then is not None:
            key, shown_then = then
            tmux("send-keys", "-t", "e2e", key)
            tmux.wait_for(shown_then)
        time.sleep(0.3)
        return tmux("capture-pane", "-e", "-p", "-t", "e2e")
    finally:
        tmux("kill-server")


@pytest.mark.parametrize("theme", ["textual-dark", "coach-high-contrast"])
@pytest.mark.parametrize("key", [None, "x"], ids=["playing", "pain-stop"])
def test_no_color_keeps_the_player_legible(tmp_path: Path, theme: str, key: str | None) -> None:
    """A walk with NO_COLOR pressed x: the advice to rest and call a doctor, in the error colour greyed, was
    the faintest text on the screen (grey 240 on 233, about 2.6:1)."""
    then = None if key is None else (key, "call your doctor")
    cells = coloured_text(coloured_pane(tmp_path, f"run demo --theme {theme}", "Welcome", then))
    assert len(cells) > 40
    worst = min(contrast(rgb(fg), rgb(bg)) for _, fg, bg in cells)
    assert worst >= 4.5, f"some text has a contrast of only {worst:.1f}:1"


def test_no_color_shows_which_program_the_picker_has_highlighted(tmp_path: Path) -> None:
    """A walk with NO_COLOR: Textual greys every colour, and the highlighted program's background came out a shade
    lighter than the others' (grey 236 on 234, about 1.2:1): which one Enter would start could not be seen."""
    rows = coloured_pane(tmp_path, "", "Type to filter").splitlines()

    def background_of(title: str) -> int:
        row = next(row for row in rows if 0 <= SGR.sub("", row).find(title) < 40)  # the list, not the preview
        return coloured_text(row)[0][2]  # the first letter of the row: the program list's side

    highlighted, other = background_of("Core strength"), background_of("Demo")
    assert contrast(rgb(highlighted), rgb(other)) >= 3, (highlighted, other)


def test_no_color_shows_which_command_the_palette_has_highlighted(tmp_path: Path) -> None:
    """The same in the session's palette (Ctrl-P): the highlighted command's background was grey 236 on 234, 1.3:1
    (a walk's), and Enter from habit took ten seconds off the timer where the walk could not see it chosen."""
    rows = coloured_pane(tmp_path, "run demo", "Welcome", ("C-p", "Enter: choose")).splitlines()

    def background_of(title: str) -> int:
        row = next(row for row in rows if SGR.sub("", row).strip() == title)
        return coloured_text(row)[0][2]

    highlighted, other = background_of("10 seconds less"), background_of("Back")
    assert contrast(rgb(highlighted), rgb(other)) >= 3, (highlighted, other)
