"""What each key and each command word does, for every view: one table, so the player and plain mode agree.

A key (or word) becomes a command for the session loop's inbox. Most act on
the session; `>`, `<` and `m` act on the speaker. `q` and Escape only ask
"Stop the session? y / n", and hold the session while they ask: the next key
answers (y stops, x stops for pain, any other goes on), so a stray key never
ends a session. Words are deliberate, so the word `stop` stops at once.
`KEYS` is the one table of keys and words: the player's bindings, its footer,
the help screen and the spoken help, plain mode's keys and the command words
are all made from it, so adding a key is one row (and its command, if new).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from coach.session.drive import Command
from coach.session.engine import ADJUST, Event, Session
from coach.speech.speaker import Speaker
from coach.timeline import Priority

ESCAPE, ENTER, RIGHT, LEFT = "escape", "enter", "right", "left"
STOP_QUESTION = "Stop the session? y / n"


@dataclass(frozen=True)
class Key:
    """One key of the contract: how Textual names it, how it is shown and said, and what it does."""

    bind: str  # Textual's key names, for the player's Binding ("": listed only, handled elsewhere)
    shown: str  # on screen, as the contract names it; the first word is the key to type
    said: str  # in the spoken help
    action: str  # what it does, in the help
    short: str = ""  # in the footer; only keys with one are shown there, in this order
    control: str | None = None  # the key `Controls.key` takes for it
    words: tuple[str, ...] = ()  # command words on standard input that stand for it


KEYS = (  # the keys that matter most first: the footer keeps them visible down to 40 columns
    Key("space", "Space", "Space", "Pause or go on", "Pause", " ", ("pause", "resume")),
    Key("x", "x", "x", "Pain: stop now, from any screen", "Pain", "x", ("pain",)),
    Key("q,escape", "q Esc", "q or Escape", "Stop the session, after asking", "Stop", "q"),
    Key("question_mark", "?", "Question mark", "These keys", "Help", "?", ("help",)),
    Key("right,n", "n →", "n or right arrow", "Next step", "Next", RIGHT, ("next",)),
    Key("left,b", "b ←", "b or left arrow", "Back", "Back", LEFT, ("back",)),
    Key("r", "r", "r", "Repeat", "Repeat", "r", ("repeat",)),
    Key("t", "t", "t", "Status: where we are and the time left", "Status", "t", ("status",)),
    Key("enter", "Enter", "Enter", "Continue; confirms an answer at once", "", ENTER, ("continue",)),
    Key("plus", "+", "Plus", "10 seconds more", "", "+", ("more",)),
    Key("minus", "-", "Minus", "10 seconds less", "", "-", ("less",)),
    Key("greater_than_sign", ">", "Greater than", "Faster speech", "", ">", ("faster",)),
    Key("less_than_sign", "<", "Less than", "Slower speech", "", "<", ("slower",)),
    Key("m", "m", "m", "Mute or unmute", "", "m", ("mute",)),
    Key("y", "y", "y", "Yes: go on from last time", "", "y", ("yes",)),  # "no", like any answer but "pain", goes on
    Key("", "0 to 10", "A number from 0 to 10", "Answers a pain check-in; for 10 type 1 then 0", ""),
    Key("", "Ctrl-C", "Control C", "Stop now and leave", ""),
    Key("", "Ctrl-Z", "Control Z", "Pause and suspend; fg comes back, paused", ""),
)

# Textual's names for keys that are not themselves a character, as plain mode reads them from a terminal.
_TYPED = {"space": " ", "question_mark": "?", "plus": "+", "minus": "-", "greater_than_sign": ">"}
_TYPED |= {"less_than_sign": "<", "enter": ENTER, "escape": ESCAPE, "right": RIGHT, "left": LEFT}


def help_text(keys: tuple[Key, ...]) -> str:
    """The help screen's words, shown and spoken."""
    return "Keys: " + " ".join(f"{key.said}: {key.action}." for key in keys)


def short_help(keys: tuple[Key, ...]) -> str:
    """Plain mode's one line of keys: those the footer shows."""
    return "Keys: " + ", ".join(f"{key.shown.split()[0]} {key.short.lower()}" for key in keys if key.short) + "."


def plain_keys(keys: tuple[Key, ...]) -> dict[str, str]:
    """Each key plain mode reads (a character, or ESCAPE, ENTER, RIGHT, LEFT), and the control it stands for."""
    return {_TYPED.get(name, name): key.control for key in keys if key.control for name in key.bind.split(",")}


def command_words(keys: tuple[Key, ...]) -> dict[str, str]:
    """Each word on standard input, and the control it stands for."""
    return {word: key.control for key in keys if key.control for word in key.words}


PAIN_KEY = next(key for key in KEYS if key.control == "x")
HELP = help_text(KEYS)
SHORT_HELP = short_help(KEYS)
PLAIN_KEYS = plain_keys(KEYS)
WORDS = command_words(KEYS)

# What may follow the wake word "coach", and the command word of the contract it stands for. "stop" asks first
# (unlike the typed word): a sound taken for "stop" must not end a session.
SPOKEN = {
    "pause": "pause",
    "go on": "resume",
    "next": "next",
    "back": "back",
    "repeat": "repeat",
    "status": "status",
    "more": "more",
    "less": "less",
    "slower": "slower",
    "faster": "faster",
    "mute": "mute",
    "help": "help",
    "stop": "stop",
    "pain": "pain",
    "it hurts": "pain",
}
SPOKEN_STOP_QUESTION = "Stop the session? Say yes or no."

NUMBERS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")  # pain, in words


class Controls:
    """Turns keys and words into inbox commands for one session and its speaker."""

    def __init__(self, speaker: Speaker) -> None:
        self.speaker = speaker
        self.asking_to_stop = False

    def key(self, key: str) -> Command | None:
        """The command for one key press (a character, or ESCAPE, ENTER, RIGHT, LEFT); None if it means nothing."""
        if self.asking_to_stop:
            self.asking_to_stop = False
            if key in {"x", "X"}:  # pain, whatever was asked
                return Session.pain
            return Session.stop if key in {"y", "Y"} else Session.release
        if len(key) == 1 and key.isdigit():
            return lambda session: session.digit(int(key))
        control = PLAIN_KEYS.get(key, key)  # n is the right arrow's control, Escape is q's
        if control == "q":
            self.asking_to_stop = True
            return ask_to_stop
        return self._commands().get(control)

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

    def spoken(self, phrase: str) -> Command:
        """The command for what followed the wake word ("go on"); "stop" asks, and "yes" or "no" answers."""
        word = SPOKEN[phrase]
        if word == "stop":
            self.asking_to_stop = True
            return lambda session: session.hold() + session.tell(SPOKEN_STOP_QUESTION, "confirm", Priority.ANNOUNCE)
        if word == "resume":  # "go on": out of a pause, or on from a ready step or an answered check-in
            return lambda session: session.resume() if session.paused_at is not None else session.continue_()
        command = self.word(word)
        assert command is not None, word
        return command

    def spoken_answer(self, answer: str) -> Command:
        """A bare answer: to the stop question, a pain check-in, or the offer to go on from last time. It does
        nothing (and is not shown) when nothing was asked."""

        def answer_now(session: Session) -> list[Event]:
            heard = heard_line(session, answer)
            if self.asking_to_stop and answer in {"yes", "no"}:
                self.asking_to_stop = False
                return heard + (session.stop() if answer == "yes" else session.release())
            if answer in NUMBERS and session.asking_pain:
                return heard + session.answer(NUMBERS.index(answer))
            if session.offering_to_resume and answer in {"yes", "no"}:
                return heard + (session.continue_() if answer == "yes" else session.next())
            return []

        return answer_now

    def _commands(self) -> dict[str, Command]:
        speaker = self.speaker
        return {
            " ": Session.toggle_pause,
            ENTER: Session.continue_,
            RIGHT: Session.next,
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


def heard_line(session: Session, what: str) -> list[Event]:
    """ "Heard: pause.": shown (plain mode's own line, the player's mark), never spoken."""
    return session.tell(f"Heard: {what}.", "heard", Priority.INFO)


def ask_to_stop(session: Session) -> list[Event]:
    """q or Escape: hold the session and ask; it goes on where it was if the answer is no."""
    return session.hold() + session.tell(STOP_QUESTION, "confirm", Priority.ANNOUNCE)


def _said(session: Session, text: str) -> list[Event]:
    return session.tell(text, "speech")


def _tell(text: str, kind: str, priority: Priority = Priority.MARK) -> Callable[[Session], list[Event]]:
    return lambda session: session.tell(text, kind, priority)
