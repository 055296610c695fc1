"""What the player and the speaker tell the app, as Textual messages rather than calls into it.

The player does not know the app's methods: it posts `Finished` and the app
decides how to leave. The speaker's thread posts `SpeechNotice` (its fault and
notice lines) and the listener posts `Spoken` commands; `post_message` is safe from
any thread, so no `call_from_thread`.
"""

from __future__ import annotations

from textual.message import Message

from coach.session.drive import Command
from coach.session.outcome import Outcome


class Finished(Message):
    """The session has ended: let the last words be said, then exit with `outcome`."""

    def __init__(self, outcome: Outcome, *, at_once: bool = False) -> None:
        super().__init__()
        self.outcome = outcome
        self.at_once = at_once  # a stop the person confirmed: out as soon as it is said, no lingering screen


class SpeechNotice(Message):
    """A line from the speaker about itself (a voice failed, speech goes on in text), to show and say."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class Spoken(Message):
    """A spoken command or answer, from the listener's thread, for the player to run on its session."""

    def __init__(self, command: Command) -> None:
        super().__init__()
        self.command = command
