"""The command palette during a session: a list to choose from with the arrows and Enter, with no text box.

In a session every letter is a key and `x` is pain, from every screen. Textual's palette is a search box, and
two walks typed "next" there to find Next step: its `x` stopped the session for pain, and the therapist's record
said so. A warning in the box did not stop the second. Here the box shows that warning and takes no typing:
the list is short (Theme, Quit and the keys), letters search nothing, and `x` is pain. The warning is drawn in
the theme's full text colour (`coach.tcss`): as a disabled box's placeholder it was grey on black, 2.2:1.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.command import CommandInput, CommandPalette


class SessionPalette(CommandPalette):
    BINDINGS = [Binding("enter", "choose", show=False)]  # the box took Enter; disabled, it takes nothing

    def on_mount(self) -> None:
        self.query_one(CommandInput).disabled = True

    def action_choose(self) -> None:
        """Enter: the command highlighted, or the first highlighted (as Textual's Enter in its box does)."""
        self._select_or_command()
