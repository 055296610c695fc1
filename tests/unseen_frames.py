"""The fast subset runs the player without drawing frames that nobody sees; the full suite draws every one.

Under Textual's pilot the app is headless, yet each frame a change asks for is still drawn, cell by cell, and
thrown away: profiled, a third of the player tests' CPU. The tests read the widgets, not those cells. So the
fast subset (`-m "not slow"`) lets the screen do all else a frame does (lay out, clear what was due) and skips
the drawing. A test that reads what a frame left behind (the cursor's place is set as its line is drawn) is
marked `painted` and draws. The full suite, which CI runs, draws every frame, so a view that fails to draw
fails there, as the snapshot tests and the real terminals of the slow tests do. Tests only.
"""

from __future__ import annotations

from rich.console import RenderableType
from textual._compositor import Compositor
from textual.screen import Screen

painting = True  # whether the frames of the test now running are drawn: set for each test
_in_frame = False  # inside a screen's own refresh, not an export or a test's explicit render

_refresh = Screen._compositor_refresh
_render_update = Compositor.render_update


def _compositor_refresh(self: Screen[object]) -> None:
    global _in_frame
    _in_frame = True
    try:
        _refresh(self)
    finally:
        _in_frame = False


def _unseen_update(
    self: Compositor, full: bool = False, screen_stack: list[Screen[object]] | None = None, simplify: bool = False
) -> RenderableType | None:
    if _in_frame and not painting:
        self._dirty_regions.clear()  # as drawing them would have
        return None  # nothing to write: the app goes on as after a frame with nothing to show
    return _render_update(self, full, screen_stack, simplify)


def install() -> None:
    Screen._compositor_refresh = _compositor_refresh  # type: ignore[method-assign,assignment]
    Compositor.render_update = _unseen_update  # type: ignore[method-assign]
