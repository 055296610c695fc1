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
from coach.views.controls import Key, key_line


class ConfirmStop(ModalScreen[bool]):
    """Asks "Stop the session? y / n", so that a stray q or Escape never ends a session."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes, stop", id="confirm-yes"),
        Binding("n,escape,space", "answer(False)", "No, go on", id="confirm-no"),
    ]

    def __init__(self, question: str, catalog: NullTranslations = ENGLISH) -> None:
        super().__init__()
        self.question, self.catalog = question, catalog

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.question, id="question", markup=False)
            yield Static(self.catalog.gettext("y: stop.  n, Space or Escape: go on."), classes="hint", markup=False)

    def action_answer(self, stop: bool) -> None:
        self.dismiss(stop)


class HelpScreen(ModalScreen[None]):
    """Every key of the one table, a plain line each: no frame, so a screen reader reads words, not box drawing."""

    BINDINGS = [Binding("escape,question_mark,q,enter,space", "close", "Close", id="help-close")]

    def __init__(self, keys: Sequence[Key], catalog: NullTranslations = ENGLISH) -> None:
        super().__init__()
        self.keys, self.catalog = keys, catalog

    def compose(self) -> ComposeResult:
        words = self.catalog
        with VerticalScroll(id="help"):
            yield Static(words.gettext("Keys. The arrows scroll; Escape closes this."), id="question", markup=False)
            for key in self.keys:
                yield Static(key_line(words.gettext(key.shown), key, words), classes="key", markup=False)

    def action_close(self) -> None:
        self.dismiss(None)
