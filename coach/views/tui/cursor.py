"""A line of text that takes the terminal's cursor: screen readers and braille displays read the row under it.

The cursor is placed as the text is painted, never after: Textual writes the
cursor's place only with a repaint, so a place set after the last one stayed
unwritten (the picker's cursor was left on the filter box), and a place worked
out from a layout about to change pointed at a blank row (after a pain stop,
the cursor sat two rows below the advice). Only the active screen's text takes
it: the player's sentence, painted under the help, once put the cursor in the
middle of the help's list.
"""

from __future__ import annotations

from textual.geometry import Offset, Region
from textual.strip import Strip
from textual.widgets import Static


class CursorHere(Static):
    """Static text with the terminal's cursor at the start of its first line, while `takes_cursor`."""

    takes_cursor = True

    def render_lines(self, crop: Region) -> list[Strip]:
        lines = super().render_lines(crop)
        if self.takes_cursor and crop.y == 0 and self.screen is self.app.screen:
            for row, line in enumerate(lines):
                text = line.text
                if text.strip():
                    left = crop.x + len(text) - len(text.lstrip())
                    self.app.cursor_position = Offset(self.region.x + left, self.region.y + row)
                    break
        return lines
