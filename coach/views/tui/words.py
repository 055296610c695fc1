"""The countdown in words, for those who cannot read the glyphs: drawn line by line, as it changes every second.

A `Static` formats, wraps and aligns its text again through Textual's content
machinery at each update and each repaint: for this one line, a fifth of the
player's CPU in steady state. With this widget (and the countdown's style
kept), the player's main thread went from 2.31 to 2.01 ms of CPU a second
(/proc's schedstat over 40 s of a 120 s step, three runs each, side by side).

Here the text is broken into lines once for each change of text or width, as
plain mode breaks it (`wrap_wide`: at spaces, and between wide characters but
never before a closing mark), and each line is drawn centred in the widget's
own style with Textual's line API. A walk read "Tiempo restante: 2 minutos y 1" at 40
columns, so a line too long for the width still takes a second row.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget

from coach.i18n import cells
from coach.views.plain.wrapping import lines_at


class Words(Widget):
    """`text` centred, on as many lines as it takes at the widget's width."""

    DEFAULT_CSS = """
    Words {
        height: auto;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.text = ""
        self._broken: tuple[str, int, list[str]] = ("", 0, [""])  # the text, the width, its lines there

    def update(self, text: str) -> None:
        """Show `text`: a new layout only where it takes another number of lines than the text before."""
        if text == self.text:
            return
        width = self.content_size.width
        before = len(self.lines(width))
        self.text = text
        self.refresh(layout=not width or len(self.lines(width)) != before)

    def lines(self, width: int) -> list[str]:
        """The text's lines at `width` cells."""
        text, broken_at, lines = self._broken
        if text != self.text or broken_at != width:
            lines = lines_at(self.text, width)
            self._broken = (self.text, width, lines)
        return lines

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width))

    def render_line(self, y: int) -> Strip:
        room = self.content_size.width
        lines = self.lines(room)
        line = lines[y] if y < len(lines) else ""
        used = cells(line)
        left = max(0, (room - used) // 2)
        # `visual_style` is Textual's own, kept until the styles change: `rich_style` walked every ancestor's
        # styles again for each line drawn.
        return Strip(
            [Segment(f"{' ' * left}{line}{' ' * max(0, room - left - used)}", self.visual_style.rich_style)], room
        )
