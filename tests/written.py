"""What an app under Textual's pilot writes to its terminal: a headless run writes nothing itself.

Each frame is rendered as the real driver renders it and fed to a pyte screen, so a test sees both what a
terminal would show and the order in which it was written.
"""

from __future__ import annotations

from typing import Any

from coach.views.tui.app import CoachApp


class Written:
    """What the app writes to its terminal, as a pyte screen and as text; a headless run writes nothing itself.

    Each frame is rendered as the real driver renders it, the cursor placed last, so a test sees what a
    terminal would show and what a screen reader that speaks each write (yasr) would be given, in order.
    """

    def __init__(self, app: CoachApp, size: tuple[int, int]) -> None:
        import pyte
        from rich.control import Control
        from textual._compositor import CompositorUpdate

        self.screen = pyte.Screen(*size)
        stream = pyte.Stream(self.screen)
        self.text = ""
        display = app._display

        def written(screen: object, renderable: object) -> None:
            if isinstance(renderable, CompositorUpdate) and app._running:
                cursor = app.screen.outer_size.clamp_offset(app.cursor_position)
                sequence = renderable.render_segments(app.console) + Control.move_to(*cursor).segment.text
                self.text += sequence
                stream.feed(sequence)
            display(screen, renderable)  # type: ignore[arg-type]

        app._display = written  # type: ignore[method-assign]

    def rows(self) -> list[str]:
        return list(self.screen.display)

    def cells(self) -> list[list[tuple[str, str, str, bool, bool]]]:
        """Every cell as a terminal shows it: its character, colours, bold and reverse."""
        return _cells(self.screen)

    @staticmethod
    def whole(app: CoachApp, size: tuple[int, int]) -> list[list[tuple[str, str, str, bool, bool]]]:
        """The cells of the app's screen drawn whole, as a full repaint writes it to a terminal."""
        import pyte
        from textual._compositor import LayoutUpdate
        from textual.geometry import Region

        screen = pyte.Screen(*size)
        strips = app.screen._compositor.render_strips()
        pyte.Stream(screen).feed(
            LayoutUpdate([[strip] for strip in strips], Region(0, 0, *size)).render_segments(app.console)
        )
        return _cells(screen)

    def cursor_row(self) -> str:
        return self.rows()[self.screen.cursor.y]

    def pieces_since(self, mark: int) -> list[str]:
        """The runs of words written since `mark`, in order, as yasr speaks them (it stops at each escape)."""
        import re

        runs = re.split(r"\x1b\[[0-9;?]*[ -/]*[@-~]|[\r\n]", self.text[mark:])
        return [" ".join(run.split()) for run in runs if any(ch.isalnum() for ch in run)]


def _cells(screen: Any) -> list[list[tuple[str, str, str, bool, bool]]]:
    rows = (screen.buffer[y] for y in range(screen.lines))
    return [[(c.data, c.fg, c.bg, c.bold, c.reverse) for c in (row[x] for x in range(screen.columns))] for row in rows]
