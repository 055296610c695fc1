"""The big countdown: Textual's own 3x3 digit glyphs, drawn as three lines of plain text.

Textual's `Digits` draws the same glyphs through a Rich renderable wrapped in
`Align`, and that path cost the player more each second than any other
widget (1.35 ms a repaint here, against about 0.35 ms for a line of text).
The countdown repaints every second of a session, so it is drawn as the text
it is: the same glyphs, centred by the stylesheet like the lines around it.
"""

from __future__ import annotations

from textual.renderables.digits import DIGITS, DIGITS3X3
from textual.widgets import Static


class BigDigits(Static):
    """`0:59` or `12` in glyphs three lines high; `value` is the text they show."""

    DEFAULT_CSS = """
    BigDigits {
        height: 3;
    }
    """

    def __init__(self, value: str = "", *, id: str | None = None) -> None:
        super().__init__(glyphs(value), id=id, markup=False)
        self.value = value

    def show(self, value: str) -> None:
        """Show `value`: three lines always, so the screen needs no new layout."""
        if value != self.value:
            self.value = value
            self.update(glyphs(value), layout=False)


def glyphs(text: str) -> str:
    """Three lines of glyphs for `text`; a character without one is written as itself on the bottom line."""
    rows: tuple[list[str], list[str], list[str]] = ([], [], [])
    for character in text:
        at = DIGITS.find(character)
        if at < 0:
            rows[0].append(" ")
            rows[1].append(" ")
            rows[2].append(character)
        else:
            for row, piece in zip(rows, DIGITS3X3[at * 3 : at * 3 + 3], strict=True):
                row.append(piece.ljust(3))
    return "\n".join("".join(row) for row in rows)
