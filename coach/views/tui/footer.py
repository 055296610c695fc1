"""The player's footer: as many keys as the width holds whole, in the key table's order.

Textual's footer lays every key shown in one row and cuts the row at the screen's edge: at 52 columns a walk
read "r Rep", and a bare "←" without its word in French. Where there was room (120 columns), `+`, `-`, `m`,
`>` and `<` were never listed on screen at all. Here each key is shown whole or not at all, the most
needed first (the table's order), so a wide screen lists more and a narrow one never a piece of one.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from coach.i18n import cells


def key_width(key: FooterKey, compact: bool) -> int:
    """The columns `key` takes, with its spacing: Textual's footer CSS (compact: "x Pain" and a margin of 1;
    otherwise " x Pain ")."""
    return cells(key.key_display) + 1 + cells(key.description) + (1 if compact else 2)


class FittingFooter(Footer):
    _fitted = 0  # the width the keys were last fitted to
    _listed: tuple[object, ...] = ()  # the keys it last listed, as `_keys` gives them

    def _keys(self) -> tuple[object, ...]:
        """What the footer lists, and how: each key shown, its words, whether it acts now."""
        shown = self.screen.active_bindings.values()
        return tuple((b.key, b.description, enabled, tooltip) for _, b, enabled, tooltip in shown if b.show)

    def bindings_changed(self, screen: Screen[object]) -> None:
        # Textual lists the keys anew, after the next refresh, whenever they may have changed: at every dialog
        # opened or closed and at each pause, mounting the same keys again, 4 ms a time. Here they are listed
        # anew only if by then what they show has changed (as the app starts, its first listing has it all).
        self._bindings_ready = True
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self.call_after_refresh(self._list_if_changed)

    async def _list_if_changed(self) -> None:
        if self._keys() != self._listed:
            await self.recompose()

    def compose(self) -> ComposeResult:
        if self._bindings_ready:
            self._listed = self._keys()
        # Its own width once it has one: a panel beside it (Textual's keys, Ctrl-P Keys) narrows it and not the
        # screen, and a walk read "r R" cut in half under the panel.
        room = self._fitted = self.size.width or self.app.size.width
        widgets: list[Widget] = list(super().compose())
        for widget in widgets:
            if isinstance(widget, FooterKey):
                room -= key_width(widget, self.compact)
                if room < 0:
                    return  # this one and every later one (less needed) would be cut
                # Its class as its `compact` watcher will set it, so that the watcher changes nothing: else
                # each key's styles are worked out again as it mounts, a tenth of a test run's CPU.
                widget.set_class(self.compact, "-compact", update=False)
            yield widget

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._fitted:
            self.refresh(recompose=True)

    def watch_compact(self) -> None:
        self.refresh(recompose=True)  # narrower keys: more of them fit
