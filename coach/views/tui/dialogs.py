"""The two questions the player asks: stop the session, and which keys there are."""

from __future__ import annotations

from collections.abc import Sequence
from gettext import NullTranslations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from coach.i18n import ENGLISH
from coach.views.controls import STOP_KEY, Key, key_line, with_capitals
from coach.views.tui.cursor import CursorHere
from coach.views.tui.sentence import shown


class ConfirmStop(ModalScreen[bool]):
    """Asks "Stop the session? y / n", so that a stray q or Escape never ends a session."""

    BINDINGS = [
        Binding(with_capitals("y"), "answer(True)", "Yes, stop", id="confirm-yes"),
        Binding(with_capitals("n,escape,space"), "answer(False)", "No, go on", id="confirm-no"),
    ]

    def __init__(self, question: str, catalog: NullTranslations = ENGLISH) -> None:
        super().__init__()
        self.question, self.catalog = question, catalog

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield CursorHere(shown(self.question), id="question", markup=False)
            yield Static(
                shown(self.catalog.gettext("y: stop.  n, Space or Escape: go on.")), classes="hint", markup=False
            )
            # x works here as everywhere, and a walk found nothing under the question to say so
            yield Static(shown(self.catalog.gettext("x: pain, stop now.")), classes="hint", markup=False)

    def action_answer(self, stop: bool) -> None:
        self.dismiss(stop)


class KeyList(VerticalScroll):
    """The help's lines. A key scrolls them at once and without animation: Textual's own scrolling waits for
    the next refresh and counts from where it was then, so five arrows typed in a burst scrolled one line."""

    def _by(self, rows: float) -> None:
        self.scroll_to(y=self.scroll_y + rows, animate=False, immediate=True)

    def action_scroll_down(self) -> None:
        self._by(1)

    def action_scroll_up(self) -> None:
        self._by(-1)

    def action_page_down(self) -> None:
        self._by(self.scrollable_content_region.height)

    def action_page_up(self) -> None:
        self._by(-self.scrollable_content_region.height)


class HelpScreen(ModalScreen[bool]):
    """Every key of the one table, a plain line each: no frame, so a screen reader reads words, not box drawing.

    It closes with False; with True when the stop key (q) was pressed in it, so that the player asks to stop, as
    the help itself says q does. Escape, the stop key's other name, closes it, as its first line says."""

    BINDINGS = [
        Binding("escape,question_mark,enter,space", "close", "Close", id="help-close"),
        Binding(with_capitals(STOP_KEY.bind.split(",")[0]), "stop", "Stop", id="help-stop", show=False),
    ]

    def __init__(self, keys: Sequence[Key], catalog: NullTranslations = ENGLISH, spoken: str = "") -> None:
        super().__init__()
        self.keys, self.catalog, self.spoken = keys, catalog, spoken  # spoken: what may be said, when listening

    def compose(self) -> ComposeResult:
        words = self.catalog
        with KeyList(id="help"):
            yield CursorHere(
                shown(words.gettext("Keys. The arrows scroll; Escape closes this.")), id="question", markup=False
            )
            if self.spoken:
                yield Static(shown(self.spoken), classes="key", markup=False)
            for key in self.keys:
                yield Static(shown(key_line(words.gettext(key.shown), key, words)), classes="key", markup=False)

    def action_close(self) -> None:
        self.dismiss(False)

    def action_stop(self) -> None:
        self.dismiss(True)
