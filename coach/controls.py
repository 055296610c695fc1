"""What each key and each command word does, for every view: one table, so the player and plain mode agree.

A key (or word) becomes a command for the session loop's inbox. Most act on
the session; `>`, `<` and `m` act on the speaker. `q` and Escape only ask
"Stop the session? y / n": the next key answers, so a stray key never ends
a session. Words are deliberate, so the word `stop` stops at once.
"""

from __future__ import annotations

from collections.abc import Callable

from coach.drive import Command
from coach.session import ADJUST, Event, Session
from coach.speech.speaker import Speaker
from coach.timeline import Priority

ESCAPE, ENTER, RIGHT, LEFT = "escape", "enter", "right", "left"

HELP = (
    "Keys: Space pause or go on. Enter continue. n or right arrow next step. b or left arrow back. "
    "r repeat. t status. Plus or minus, 10 seconds more or less. Greater or less than, faster or slower speech. "
    "m mute. x pain, stop now. q stop. Question mark, these keys. A digit answers a pain question. "
    "y says yes to going on from last time."
)
SHORT_HELP = "Keys: Space pause, n next, b back, r repeat, t status, x pain, q stop, ? all keys."

NUMBERS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")  # pain, in words

WORDS = {  # words on standard input, and what key each stands for
    "pause": " ",
    "resume": " ",
    "continue": ENTER,
    "next": "n",
    "back": "b",
    "repeat": "r",
    "status": "t",
    "more": "+",
    "less": "-",
    "faster": ">",
    "slower": "<",
    "mute": "m",
    "pain": "x",
    "help": "?",
    "yes": "y",  # "no", like any other answer to "Stop the session?", goes on
}


class Controls:
    """Turns keys and words into inbox commands for one session and its speaker."""

    def __init__(self, speaker: Speaker) -> None:
        self.speaker = speaker
        self.asking_to_stop = False

    def key(self, key: str) -> Command | None:
        """The command for one key press (a character, or ESCAPE, ENTER, RIGHT, LEFT); None if it means nothing."""
        if self.asking_to_stop:
            self.asking_to_stop = False
            return Session.stop if key in {"y", "Y"} else _tell("Going on.", "confirm")
        if key in {"q", ESCAPE}:
            self.asking_to_stop = True
            return _tell("Stop the session? y / n", "confirm", Priority.ANNOUNCE)
        if len(key) == 1 and key.isdigit():
            return lambda session: session.answer(int(key))
        return self._commands().get(key)

    def word(self, line: str) -> Command | None:
        """The command for one line of standard input: a word of the contract, a number, or a key itself."""
        word = line.strip().lower()
        if word == "stop":
            return Session.stop
        if word in NUMBERS:
            word = str(NUMBERS.index(word))
        if word.isdigit() and 0 <= int(word) <= 10:
            return lambda session: session.answer(int(word))
        if word == "pause":
            return lambda session: session.pause()
        if word == "resume":
            return lambda session: session.resume()
        return self.key(WORDS.get(word, word)) if word else None

    def _commands(self) -> dict[str, Command]:
        speaker = self.speaker
        return {
            " ": Session.toggle_pause,
            ENTER: Session.continue_,
            "n": Session.next,
            RIGHT: Session.next,
            "b": Session.back,
            LEFT: Session.back,
            "r": Session.repeat,
            "t": Session.status,
            "+": lambda session: session.adjust(ADJUST),
            "-": lambda session: session.adjust(-ADJUST),
            ">": lambda session: _said(session, f"Faster: {speaker.faster()} words a minute."),
            "<": lambda session: _said(session, f"Slower: {speaker.slower()} words a minute."),
            "m": lambda session: _said(session, "Speech off." if speaker.toggle_mute() else "Speech on."),
            "x": Session.pain,
            "y": Session.continue_,  # yes, to an offer to go on from last time
            "?": _tell(HELP, "help", Priority.ANNOUNCE),
        }


def _said(session: Session, text: str) -> list[Event]:
    return session.tell(text, "speech")


def _tell(text: str, kind: str, priority: Priority = Priority.MARK) -> Callable[[Session], list[Event]]:
    return lambda session: session.tell(text, kind, priority)
