"""The player's compositor: a change repaints the widgets under it, not every widget on the screen.

Once a second the countdown and its words change, four rows of the screen.
Textual's compositor finds the widgets to draw again for such a change by
whether their *clip* overlaps it, and a widget's clip is its container's
region: in the player every widget on the screen, twelve, was drawn again
through Textual's styles cache to repaint four rows. Here a widget is drawn
again only where what is seen of it (its region within its clip) overlaps
the change, and only its rows under the change; what is drawn, and where, is
Textual's own. A full repaint (`crop` None) is Textual's own too.

Nor is a widget drawn whose part under the change is wholly hidden by the
widgets in front of it: the compositor paints front to back and keeps the
first strip for each cell, so the player's container and the screen behind
the countdown were drawn each second and thrown away.

The widgets not under the change were drawn from the styles cache's lines, so
this saves less than a profile suggests: with the player's other changes of
the same commit, its steady CPU went from 2.69 to 2.46 ms a second
(/proc's schedstat, a 120 s step, 40 s measured).
"""

from __future__ import annotations

from collections.abc import Iterable

from textual._compositor import Compositor
from textual.geometry import Region
from textual.strip import Strip


class ChangedOnlyCompositor(Compositor):
    def _get_renders(self, crop: Region | None = None) -> Iterable[tuple[Region, Region, list[Strip]]]:
        if crop is None:
            yield from super()._get_renders(crop)
            return
        in_front: list[Region] = []  # what is drawn, front to back: the first strip for a cell is the one kept
        for widget, (region, clip) in self.visible_widgets.items():
            # Only the rows under the change: the screen's own 24 lines were drawn for four of them.
            # (Not its columns: a strip is cut where the widgets' edges are, and the change's may be elsewhere.)
            clip = clip.intersection(Region(clip.x, crop.y, clip.width, crop.height))
            seen = region.intersection(clip)
            changed = seen.intersection(crop)
            if not changed:  # an empty region is false
                continue  # none of it is under the change: Textual drew it again all the same
            if _hidden(changed, in_front):
                continue
            in_front.append(seen)
            # The lines of it that are seen, relative to itself, as Textual's compositor asks for them.
            lines = Region(seen.x - region.x, seen.y - region.y, seen.width, seen.height)
            yield region, clip, widget.render_lines(lines)


def _hidden(part: Region, in_front: list[Region]) -> bool:
    """Whether every row of `part` is covered, across its width, by one of the regions `in_front` of it."""
    return all(
        any(front.y <= y < front.bottom and front.x <= part.x and front.right >= part.right for front in in_front)
        for y in part.line_range
    )
