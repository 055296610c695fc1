"""The big countdown, as large as the screen allows: for a person who reads it from the floor, or with low vision.

On a short screen it is Textual's own 3x3 digit glyphs. It repaints every
second of a session, so it is drawn line by line (Textual's line API), each
line a single run of text in the widget's own style: Textual's `Digits` draws
the same glyphs through a Rich renderable wrapped in `Align`, which cost the
player more each second than any other widget (1.35 ms a repaint here), and
a `Static` wraps and formats its text again at each update.

From `LARGE_FROM` rows on it is solid blocks, scaled: a 3x5 dot font, each dot
`scale` columns wide and `scale` half-rows high (half blocks, so that a dot
is about square in a terminal's tall cells). A low-vision walk found the
3-row digits as small at 160x50 as at 40x12. The scale is the largest whose
rows fit a quarter of the screen's, and whose "00:00" fits its width.
"""

from __future__ import annotations

import math

from rich.segment import Segment
from textual import events
from textual.geometry import Size
from textual.renderables.digits import DIGITS, DIGITS3X3
from textual.strip import Strip
from textual.widget import Widget

LARGE_FROM = 30  # rows: from here the countdown is blocks, and grows (at 24 rows a long instruction pushed Next off)
SHARE = 4  # the countdown takes at most a quarter of the screen's rows
WIDEST = "00:00"  # the width a scale must fit; a longer value (an hour, H:MM:SS) is drawn smaller
PADDING = 2  # the player's columns of padding, one each side
# The dots of each character, three wide (the colon one) and five high.
FONT = {
    "0": ("###", "#.#", "#.#", "#.#", "###"),
    "1": (".#.", "##.", ".#.", ".#.", "###"),
    "2": ("###", "..#", "###", "#..", "###"),
    "3": ("###", "..#", "###", "..#", "###"),
    "4": ("#.#", "#.#", "###", "..#", "..#"),
    "5": ("###", "#..", "###", "..#", "###"),
    "6": ("###", "#..", "###", "#.#", "###"),
    "7": ("###", "..#", "..#", "..#", "..#"),
    "8": ("###", "#.#", "###", "#.#", "###"),
    "9": ("###", "#.#", "###", "..#", "###"),
    ":": (".", "#", ".", "#", "."),
}
_HALVES = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}


class BigDigits(Widget):
    """`0:59` or `12` in glyphs at least three lines high, centred; `value` is the text they show."""

    DEFAULT_CSS = """
    BigDigits {
        height: 3;
    }
    """

    def __init__(self, value: str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.value = value
        self.lines = glyphs(value).split("\n")  # as drawn
        self.scale = 1  # the largest the screen allows (`fit`)
        self._columns = 0  # the columns the glyphs may take
        self._drawn_scale = 1

    def fit(self, screen: Size) -> None:
        """Size the glyphs for a screen of `screen`'s size, and draw the value again at it."""
        self.scale, self._columns = scale_for(screen), max(0, screen.width - PADDING)
        self._draw()

    def on_resize(self, event: events.Resize) -> None:
        """Its own width, which a panel beside the player narrows with no change to the screen's: a walk opened
        Textual's keys panel (Ctrl-P, Keys) and the digits wrapped into fragments."""
        if event.size.width and event.size.width != self._columns:
            self._columns = event.size.width
            self._draw()

    @property
    def drawn_rows(self) -> int:
        """The rows it takes where it is shown."""
        return rows(self._drawn_scale)

    def show(self, value: str) -> None:
        """Show `value`: as many rows as before whatever it is, so the screen needs no new layout."""
        if value != self.value:
            self.value = value
            self._draw()

    def _draw(self) -> None:
        scale = self.scale
        while scale > 1 and width(self.value, scale) > self._columns:  # an hour's H:MM:SS, on a narrow screen
            scale -= 1
        self.lines = glyphs(self.value, scale).split("\n")
        if scale != self._drawn_scale:
            self._drawn_scale = scale
            self.styles.height = rows(scale)  # and a new layout, which setting a style asks for
        self.refresh()

    def render_line(self, y: int) -> Strip:
        line = self.lines[y] if y < len(self.lines) else ""
        room = self.size.width
        left = max(0, (room - len(line)) // 2)
        # `visual_style` is Textual's own, kept until the styles change: `rich_style` walked every ancestor's styles
        # again for each line drawn, a fifth of the time the countdown took to draw.
        return Strip([Segment(f"{' ' * left}{line}".ljust(room)[:room], self.visual_style.rich_style)], room)


def scale_for(screen: Size) -> int:
    """The countdown's scale on a screen of this size: 1 (three rows) on a short one."""
    if screen.height < LARGE_FROM:
        return 1
    scale = 1
    while rows(scale + 1) <= screen.height // SHARE and width(WIDEST, scale + 1) <= screen.width - PADDING:
        scale += 1
    return scale


def rows(scale: int) -> int:
    return 3 if scale == 1 else math.ceil(5 * scale / 2)


def width(text: str, scale: int) -> int:
    """Columns `text` takes at `scale`: a dot's width between characters."""
    if scale == 1:
        return 3 * len(text)
    dots = sum(len(FONT[character][0]) if character in FONT else 1 for character in text) + max(0, len(text) - 1)
    return dots * scale


def glyphs(text: str, scale: int = 1) -> str:
    """Lines of glyphs for `text`; a character without one is written as itself on the bottom line."""
    if scale == 1:
        return _glyphs_3x3(text)
    dots: list[str] = [""] * 5  # the whole value's dots, row by row
    bottom: dict[int, str] = {}  # characters without dots, by their column
    for at, character in enumerate(text):
        if at:
            dots = [row + "." for row in dots]
        pattern = FONT.get(character)
        if pattern is None:
            bottom[len(dots[0]) * scale] = character
            pattern = (".",) * 5
        dots = [row + piece for row, piece in zip(dots, pattern, strict=True)]
    high = [[dot == "#" for dot in row for _ in range(scale)] for row in dots for _ in range(scale)]
    if len(high) % 2:
        high.append([False] * len(high[0]))
    lines = [
        "".join(_HALVES[top, under] for top, under in zip(high[row], high[row + 1], strict=True))
        for row in range(0, len(high), 2)
    ]
    for column, character in bottom.items():
        lines[-1] = lines[-1][:column] + character + lines[-1][column + 1 :]
    return "\n".join(lines)


def _glyphs_3x3(text: str) -> str:
    rows_: tuple[list[str], list[str], list[str]] = ([], [], [])
    for character in text:
        at = DIGITS.find(character)
        if at < 0:
            rows_[0].append(" ")
            rows_[1].append(" ")
            rows_[2].append(character)
        else:
            for row, piece in zip(rows_, DIGITS3X3[at * 3 : at * 3 + 3], strict=True):
                row.append(piece.ljust(3))
    return "\n".join("".join(row) for row in rows_)
