"""What each key and each command word does, for every view: one table, so the player and plain mode agree.

A key (or word) becomes a command for the session loop's inbox. Most act on
the session; `>`, `<` and `m` act on the speaker. `q` and Escape only ask
"Stop the session? y / n", and hold the session while they ask: the next key
answers (y stops, x stops for pain, any other goes on), so a stray key never
ends a session. Words are deliberate, so the word `stop` stops at once.
`KEYS` is the one table of keys and words: the player's bindings, its footer,
the help screen and the spoken help, plain mode's keys and the command words
are all made from it, so adding a key is one row (and its command, if new).
What a key is called and does is marked for the catalog (`N_`) and said in the
session's language; the command words and number words of a language come from
its catalog too ("pausa", "siete"), beside the English ones, which always work.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from gettext import NullTranslations

from coach.i18n import N_, folded, translation
from coach.session.drive import Command
from coach.session.engine import ADJUST, Event, Session
from coach.speech.speaker import Speaker
from coach.timeline import Phrases, Priority

ESCAPE, ENTER, RIGHT, LEFT = "escape", "enter", "right", "left"


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
    paused: str = ""  # in the footer in place of `short` while the session is paused: what the key does then
    more: str = ""  # in the player's footer after the `short` ones, where the width has room (not plain mode's line)
    player_only: bool = False  # the player's alone (its command palette): plain mode's help does not list it


KEYS = (  # the keys that matter most first: the footer keeps them visible down to 40 columns
    Key("space", "Space", N_("Space"), N_("Pause or go on"), N_("Pause"), " ", ("pause", "resume"), N_("Go on")),
    Key("x", "x", "x", N_("Pain: stop now, from any screen"), N_("Pain"), "x", ("pain", "it hurts")),
    Key("q,escape", N_("q Esc"), N_("q or Escape"), N_("Stop the session, after asking"), N_("Stop"), "q"),
    Key("question_mark", "?", N_("Question mark"), N_("These keys"), N_("Help"), "?", ("help",)),
    Key("right,n", "n →", N_("n or right arrow"), N_("Next step"), N_("Next"), RIGHT, ("next",)),
    Key("left,b", "b ←", N_("b or left arrow"), N_("Back"), N_("Back"), LEFT, ("back",)),
    Key("r", "r", "r", N_("Repeat"), N_("Repeat"), "r", ("repeat",)),
    Key("t", "t", "t", N_("Status: where we are and the time left"), N_("Status"), "t", ("status",)),
    Key("enter", "Enter", N_("Enter"), N_("Continue; confirms an answer at once"), "", ENTER, ("continue",)),
    Key("plus", "+", N_("Plus"), N_("10 seconds more"), "", "+", ("more",), more=N_("More")),
    Key("minus", "-", N_("Minus"), N_("10 seconds less"), "", "-", ("less",), more=N_("Less")),
    Key("m", "m", "m", N_("Mute or unmute"), "", "m", ("mute",), more=N_("Mute")),
    Key("greater_than_sign", ">", N_("Greater than"), N_("Faster speech"), "", ">", ("faster",), more=N_("Faster")),
    Key("less_than_sign", "<", N_("Less than"), N_("Slower speech"), "", "<", ("slower",), more=N_("Slower")),
    Key("y", "y", "y", N_("Yes: go on from last time"), "", "y", ("yes",)),  # "no", like any answer but "pain", goes on
    Key("", N_("0 to 10"), N_("A number from 0 to 10"), N_("Answers a pain check-in; for 10 type 1 then 0"), ""),
    Key("", "Ctrl-C", N_("Control C"), N_("Stop now and leave"), ""),
    Key("", "Ctrl-Z", N_("Control Z"), N_("Pause and suspend; fg comes back, paused"), ""),
    # A walk found no way to the palette (and its themes) in the help: Textual's own footer, which named it, is not
    # shown in a session.
    Key("", "Ctrl-P", N_("Control P"), N_("Every command and the colour themes, in a list"), "", player_only=True),
)

# Textual's names for keys that are not themselves a character, as plain mode reads them from a terminal.
_TYPED = {"space": " ", "question_mark": "?", "plus": "+", "minus": "-", "greater_than_sign": ">"}
_TYPED |= {"less_than_sign": "<", "enter": ENTER, "escape": ESCAPE, "right": RIGHT, "left": LEFT}


def with_capitals(bind: str) -> str:
    """Textual's key names `bind` ("q,escape"), each letter with its capital too ("q,Q,escape"): with Caps Lock on,
    a walk's X did nothing, in the player and in plain mode alike."""
    names = bind.split(",")
    return ",".join(names + [name.upper() for name in names if len(name) == 1 and name.islower()])


def with_alt(bind: str) -> str:
    """Textual's key names `bind` ("x,X"), each letter with Alt too ("alt+x", "alt+shift+x"): Escape typed just
    before a key reaches the player as Alt and that key, as a terminal sends Alt. A walk's Escape and x, typed
    together, were both lost: for the pain key, that must not be."""
    names = bind.split(",")
    alt = [f"alt+shift+{name.lower()}" if name.isupper() else f"alt+{name}" for name in names if len(name) == 1]
    return ",".join(names + alt)


def uncapped(key: str) -> str:
    """A key as typed, as the table names it: a capital letter is its small one (Caps Lock, Shift)."""
    return key.lower() if len(key) == 1 and key.isupper() else key


def help_text(keys: tuple[Key, ...], language: str = "en", *, player: bool = True) -> str:
    """The help's words, spoken (and plain mode's, shown): in plain mode without the player's own keys."""
    catalog = translation(language)
    lines = (key_line(catalog.gettext(key.said), key, catalog) for key in keys if player or not key.player_only)
    each = Phrases(language).sentences(*lines)  # one after another as the language writes them: "。x：" in Chinese
    return catalog.gettext("Keys: {keys}").format(keys=each)


def key_line(name: str, key: Key, catalog: NullTranslations) -> str:
    """One key of the help, as "Space: Pause or go on.", in the language's own punctuation ("Espace : …")."""
    return catalog.gettext("{key}: {action}.").format(key=name, action=catalog.gettext(key.action))


def short_help(keys: tuple[Key, ...], language: str = "en") -> str:
    """Plain mode's one line of keys: those the footer shows."""
    catalog = translation(language)
    shown = [  # a no-break space: a narrow terminal never leaves a key at the end of one line, its word on the next
        f"{catalog.gettext(key.shown.split()[0])}\u00a0{catalog.gettext(key.short).lower()}"
        for key in keys
        if key.short
    ]
    return catalog.gettext("Keys: {keys}.").format(keys=catalog.gettext(", ").join(shown))


def plain_keys(keys: tuple[Key, ...]) -> dict[str, str]:
    """Each key plain mode reads (a character, or ESCAPE, ENTER, RIGHT, LEFT), and the control it stands for."""
    return {_TYPED.get(name, name): key.control for key in keys if key.control for name in key.bind.split(",")}


def command_words(keys: tuple[Key, ...]) -> dict[str, str]:
    """Each word on standard input, and the control it stands for."""
    return {word: key.control for key in keys if key.control for word in key.words}


def said_as(language: str, context: str, english: str) -> tuple[str, ...]:
    """The ways to type or say `english` (a command word or a number word) in `language`, folded, English first.

    The catalog gives a language's words as a comma-separated list, under the context "command word" or
    "number word": "seven" is "siete" in Spanish, and "七, qī" in Chinese."""
    words = [english, *translation(language).pgettext(context, english).split(",")]
    return tuple(dict.fromkeys(folded(word) for word in words if word.strip()))


def typed_words(language: str) -> dict[str, str]:
    """Each word plain mode reads in `language` (English always too), and the English word it stands for."""
    found = {typed: word for word in TYPED for typed in said_as(language, "command word", word)}
    return found | {typed: word for word in NUMBERS for typed in said_as(language, "number word", word)}


PAIN_KEY = next(key for key in KEYS if key.control == "x")
STOP_KEY = next(key for key in KEYS if key.control == "q")
MUTE_KEY = next(key for key in KEYS if "mute" in key.words)
HELP = help_text(KEYS)
SHORT_HELP = short_help(KEYS)
PLAIN_KEYS = plain_keys(KEYS)
WORDS = command_words(KEYS)
TYPED = tuple(dict.fromkeys([*WORDS, "stop", "pause", "resume", "yes", "no"]))  # every word plain mode reads

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
NUMBER = re.compile(r"[-+]?\d+(?:[.,]\d*)?")  # a number typed, whole or not
WORD_MARKS = " '’-"  # typed inside a word, as letters are ("j'ai mal", "go on")
PAIN_LETTERS = frozenset({PAIN_KEY.bind})  # pain at once, inside a word too (a capital is its small letter)
ANSWER_LETTERS = frozenset("yn")  # the stop question's answers; its other letters begin a word
WORD_GAP = 1.5  # seconds: a word typed on a terminal (`Controls.typed`) ends when no letter follows for this long
NUMBERS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")  # pain, in words


@dataclass(frozen=True)
class SpokenCommand:
    """A command said after the wake word, knowing which (`word`, as `SPOKEN` names it): a view acts on the word
    as well as running it (the player closes its help before "coach next")."""

    word: str
    run: Command

    def __call__(self, session: Session) -> list[Event]:
        return self.run(session)


class Controls:
    """Turns keys and words into inbox commands for one session and its speaker."""

    def __init__(self, speaker: Speaker, language: str = "en", *, player: bool = False) -> None:
        self.speaker = speaker
        self.player = player  # the player's controls (which has keys of its own), not plain mode's
        self.asking_to_stop = False
        self.phrases = Phrases(language)
        self.help = help_text(KEYS, language, player=player)
        self.spoken_help = ""  # with listening: what to say, first in the help
        self.stop_question = self.phrases("stop_question")
        self.words = typed_words(language)
        catalog = translation(language)  # the words as the language writes them, each its first way
        shown = [catalog.pgettext("command word", word).split(",")[0].strip() or word for word in TYPED]
        self.word_list = self.phrases("comma").join(shown)
        self._word = ""  # a word being typed on a terminal (`typed`), and when its last letter came
        self._word_at = 0.0
        self._word_key = ""  # the key letter the word began with, which acted as a key ("more": m muted)
        self._key_letter = ("", 0.0)  # the last key letter typed, and when: it may begin a word
        self._key_acted: list[bool] = []  # whether that letter acted as its key (at a check-in it may wait)
        self._went_on_with = ""  # the key letter the key just typed went on with, as a word ("ni": n)
        said = {folded(phrase): word for phrase, word in SPOKEN.items()}
        meanings = said | {typed: SPOKEN.get(word, word) for typed, word in self.words.items()}  # "me hace daño": pain
        self._whole_words = frozenset(meanings)
        self._prefixes = frozenset(word[:end] for word in meanings for end in range(1, len(word) + 1))
        # Words of pain, and numbers (a check-in's answers), that no longer word goes on from: they act at once, as
        # their last letter comes. A walk's "seven", typed at a check-in without Enter, was lost when it ran out.
        self._at_once = frozenset(
            word
            for word, meant in meanings.items()
            if meant in {"pain", *NUMBERS} and not any(other != word and other.startswith(word) for other in meanings)
        )
        self._number_letters = frozenset(word[0] for word, meant in meanings.items() if meant in NUMBERS)

    def key(self, key: str) -> Command | None:
        """The command for one key press (a character, or ESCAPE, ENTER, RIGHT, LEFT); None if it means nothing."""
        key = uncapped(key)
        if len(key) == 1 and key.isdigit():  # a pain answer, whatever was asked: a question asked stays (`digit`)
            return lambda session: session.digit(int(key))
        if self.asking_to_stop:
            self.asking_to_stop = False
            if key == PAIN_KEY.control:  # pain, whatever was asked
                return Session.pain
            return Session.stop if key == "y" else Session.release
        control = PLAIN_KEYS.get(key, key)  # n is the right arrow's control, Escape is q's
        if control == "q":
            self.asking_to_stop = True
            return self.ask_to_stop
        return self._commands().get(control)

    def typed(self, key: str) -> Command | None:
        """A key typed on a terminal in plain mode, where a person may type a word as the pipe takes them ("pain",
        Enter). A walk's "pain" was p, a and i, which are no keys, then n: next, past the check-in it answered. A
        letter that is no key begins a word and is told so; the letters after it are the word's, not keys, until
        Enter gives it (a part of a word is forgotten when none follows for WORD_GAP s). x is pain at once, inside
        a word too.

        A key letter acts at once, as a key; if the letters after it make it the start of a word, they are that
        word's (a walk's Spanish "me hace daño" muted the coach, and was "Not a command: e hace daño"). At a
        pain check-in, a key letter that begins a number word waits for the word ("nine": its n skipped the
        check-in). At the stop question, a letter other than its answers begins a word ("pain" answered no). A
        word of pain stops for pain as its last letter comes, Enter or not."""
        key = uncapped(key)
        waiting, acted = self._key_letter[0], self._key_acted
        self._went_on_with = ""
        command = self._typed(key)
        may_have_waited = waiting.lower() in self._number_letters and not acted
        if not may_have_waited or self._went_on_with == waiting or command is Session.pain:  # pain first, alone
            return command
        # The letter before may have waited for a word (n for "nine" at a check-in) that this key does not go on
        # with: it acts as its key first. A walk's n, n at a check-in lost one next.
        return _in_turn(self._waited(waiting, acted), command)

    def _waited(self, letter: str, acted: list[bool]) -> Command:
        """`letter`'s key, if it waited rather than acted (as it ran, just before: the inbox keeps their order)."""

        def act(session: Session) -> list[Event]:
            command = None if acted else self.key(letter)
            return [] if command is None else command(session)

        return act

    def _typed(self, key: str) -> Command | None:
        now = self.speaker.clock.now()
        key_letter, self._key_letter = self._key_letter, ("", 0.0)
        # A stray letter is forgotten after WORD_GAP s; a whole word waits for its Enter (a walk typed "two",
        # paused, pressed Enter, and got neither the answer nor a word about it).
        given = key == ENTER and folded(self._word) in self._whole_words
        if self._word and now - self._word_at > WORD_GAP and not given:
            self._word = self._word_key = ""
        letter = len(key) == 1 and (key.isalpha() or key in WORD_MARKS) and key not in PAIN_LETTERS
        if self._word:
            if key == ENTER:
                word, began_with = self._word, self._word_key
                self._word = self._word_key = ""
                return self._typed_word(word, began_with)
            if letter and self.asking_to_stop and key in ANSWER_LETTERS and not self._goes_on(self._word + key):
                # A letter that began no word ("o" for oui, "s" for sí) does not swallow the answer after it: a
                # walk's "o" then "y" answered nothing, and the question stood for 20 s.
                self._word = self._word_key = ""
                return self.key(key)
            if letter:
                self._word, self._word_at = self._word + key, now
                if folded(self._word) not in self._at_once:
                    return None
                word, began_with = self._word, self._word_key
                self._word = self._word_key = ""
                return self._typed_word(word, began_with)
            self._word = self._word_key = ""
        elif letter and key.isalpha() and self.asking_to_stop and key.lower() not in ANSWER_LETTERS:
            self._word, self._word_at = key, now  # a word, not an answer: "pain" there answered no
            return None
        elif letter and key.isalpha() and not self.asking_to_stop:
            acted, at = key_letter
            if acted and now - at <= WORD_GAP and self._goes_on(acted + key):  # "tres": its r is the word's
                self._word, self._word_at, self._word_key = acted + key, now, acted
                self._went_on_with = acted
                return None
            if not self._means_nothing(key):
                return self._key_letter_typed(key, now)
            if folded(key) in self._at_once:  # a word of one letter: "七"
                return self._typed_word(key, "")
            self._word, self._word_at = key, now
            told = self.phrases("not_a_key", letter=key)
            begins_a_number = key.lower() in self._number_letters
            # At a check-in the first letter of "seven" is not told to be no key: the answer is on its way.
            return lambda session: (
                [] if begins_a_number and session.asking_pain else session.tell(told, "unknown", Priority.INFO)
            )
        return self.key(key)

    def quiet(self) -> Command | None:
        """No key has come for WORD_GAP s (the terminal's key reader says so): a key letter that waited at a check-in
        for a number word that never came acts as its key now (a walk's t, which may begin "two", "three" or
        "ten", gave no status and no word)."""
        (key, _), acted = self._key_letter, self._key_acted
        self._key_letter = ("", 0.0)
        if self._word and self.words.get(folded(self._word)) in NUMBERS:
            # A whole number that a longer word goes on from ("七", which may be "七分") is the answer now: a walk's
            # 七, typed at a check-in with no Enter, was lost when the check-in ran out.
            word, began_with = self._word, self._word_key
            self._word = self._word_key = ""
            return self._typed_word(word, began_with)
        if not key or acted:
            return None
        return self.key(key)

    def _key_letter_typed(self, key: str, now: float) -> Command | None:
        """A key letter that may begin a word: it acts as its key, unless it begins a number word at a check-in
        (the answer's, then); whether it acted is kept for the word (`_typed_word`)."""
        if not self._goes_on(key):
            return self.key(key)
        acted: list[bool] = []  # whether it acted, once it has run: the word it begins reads it then
        self._key_letter, self._key_acted = (key, now), acted
        waits = key.lower() in self._number_letters

        def act(session: Session) -> list[Event]:
            if waits and session.asking_pain:
                return []
            command = self.key(key)  # here, not as it is typed: q asks, and a "quatre" at a check-in must not
            acted.append(True)
            return [] if command is None else command(session)

        return act

    def _goes_on(self, begun: str) -> bool:
        """Whether `begun` is the start of a word plain mode reads."""
        return folded(begun) in self._prefixes

    def _typed_word(self, word: str, began_with: str) -> Command | None:
        """A word typed on a terminal, whose first letter may have acted already as a key: the word is not done
        twice ("mute" is not muted and unmuted), and speech muted by a word's m ("more") is on again. Whether
        the letter acted is read as the word's command runs, after the letter's own."""
        command = self.word(word)
        if not began_with:
            return command
        acted, control = self._key_acted, PLAIN_KEYS.get(began_with, began_with)
        meant = self.words.get(folded(word)) or SPOKEN.get(folded(word), folded(word))
        unmute = self._commands()[MUTE_KEY.bind]

        def after_its_letter(session: Session) -> list[Event]:
            if acted and WORDS.get(meant) == control:
                return []
            undone = unmute(session) if acted and control == MUTE_KEY.control else []
            return undone + ([] if command is None else command(session))

        return after_its_letter

    def _means_nothing(self, key: str) -> bool:
        control = PLAIN_KEYS.get(key, key)
        return control != STOP_KEY.control and control not in self._commands()

    def word(self, line: str) -> Command | None:
        """The command for one line of standard input: a word of the contract, a number, or a key itself."""
        typed = folded(line)
        # What may be said after "coach" may be typed too: a walk typed "go on", which every pause offers, and
        # was told it was not a command.
        word = self.words.get(typed) or SPOKEN.get(typed, typed)
        if word == "stop":
            return Session.stop
        if word in NUMBERS:
            word = str(NUMBERS.index(word))
        if word.isdigit() and int(word) <= 10:
            return lambda session: session.answer(int(word))
        if NUMBER.fullmatch(word):  # 11, -1, 3.5: not "Not a command" (a walk's), a number is an answer out of range
            told = self.phrases("answer_range")
            return lambda session: session.tell(told, "unknown", Priority.INFO)
        if word == "pause":
            return lambda session: session.pause()
        if word == "resume":  # Space's word, and "go on": out of a pause, or on from a ready step or an answered
            # check-in, as Space goes on there (a walk's pipe, told "Press Space when you are ready", typed resume
            # and go on, and nothing happened)
            return lambda session: session.resume() if session.paused_at is not None else session.continue_()
        if not word:  # an empty line is Enter, as typed on a terminal: it went on nowhere
            return self.key(ENTER)
        command = self.key(WORDS.get(word, word))
        if command is None:  # a line that means nothing: say so, and which words there are
            told = self.phrases("unknown_word", word=line.strip()[:40], words=self.word_list)
            return lambda session: session.tell(told, "unknown", Priority.INFO)
        return command

    def listening(self) -> None:
        """The session listens: its help (`?`, "coach help") starts with what may be said. The commands stay
        English, whatever the session's language: the recognizer's model is English."""
        commands = self.phrases("comma").join(phrase for phrase in SPOKEN if phrase != "it hurts")
        self.spoken_help = self.phrases("spoken_help", commands=commands)
        keys = help_text(KEYS, self.phrases.language, player=self.player)
        self.help = self.phrases.sentences(self.spoken_help, keys)

    def spoken(self, phrase: str) -> SpokenCommand:
        """The command for what followed the wake word ("go on"); "stop" asks, and "yes" or "no" answers."""
        word = SPOKEN[phrase]
        question = self.phrases("spoken_stop_question")
        if self.asking_to_stop and word != "pain":  # pain, whatever was asked
            # The question stays until yes or no: a walk's "coach help" there went on behind a question (and its
            # dialog) that nothing said could answer any more.
            return SpokenCommand("stop", lambda session: session.ask(question))
        if word == "stop":
            self.asking_to_stop = True
            return SpokenCommand(word, lambda session: session.ask(question))
        command = self.word(word)
        assert command is not None, word
        return SpokenCommand(word, command)

    def spoken_answer(self, answer: str) -> Command:
        """A bare answer: to the stop question, a pain check-in, or the offer to go on from last time. It does
        nothing (and is not shown) when nothing was asked."""

        def answer_now(session: Session) -> list[Event]:
            heard = heard_line(session, answer, self.phrases)
            if self.asking_to_stop and answer in {"yes", "no"}:
                self.asking_to_stop = False
                return heard + (session.stop() if answer == "yes" else session.release())
            # paused there too, as with a key (`Session.answer` goes on); behind the stop question or the help too,
            # which stay (`Session.digit`)
            if answer in NUMBERS and session.at_checkin:
                return heard + session.answer(NUMBERS.index(answer))
            if self.asking_to_stop:  # a number, with no check-in under the question: asked again, as a command
                # asks it (a hands-free walk's "seven" there met 20 s of silence)
                return heard + session.ask(self.phrases("spoken_stop_question"))
            if session.offering_to_resume and answer in {"yes", "no"}:
                return heard + (session.continue_() if answer == "yes" else session.next())
            if answer in {"yes", "no"} and session.at_checkin and not session.held:
                # a walk's "yes" to "How is your pain now?" went unanswered: the question wants a number
                return heard + session.tell(self.phrases("answer_range"), "unknown")
            return []

        return answer_now

    def ended(self) -> Command:
        """The input's end: nothing more can come, so nothing waits for it. A walk's pipe ended on `pause` (and on
        `help`, which pauses), and the session stood paused for ever: a pause goes on, the stop question as a no
        would, and a `ready` step that waits for a key goes on, now and later."""

        def go_on(session: Session) -> list[Event]:
            session.keys_gone = True
            events = []
            if self.asking_to_stop:
                self.asking_to_stop = False
                events += session.release()
            events += session.resume() if session.paused_at is not None else []
            return events + (session.continue_() if session.waiting else [])

        return go_on

    def ask_to_stop(self, session: Session) -> list[Event]:
        """q or Escape: hold the session and ask; it goes on where it was if the answer is no."""
        return session.ask(self.stop_question)

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
            ">": lambda session: self._rate(session, speaker.faster, "faster", "fastest"),
            "<": lambda session: self._rate(session, speaker.slower, "slower", "slowest"),
            "m": self._mute,
            "x": Session.pain,
            "y": Session.continue_,  # yes, to an offer to go on from last time
            "?": self._help,
        }

    def _mute(self, session: Session) -> list[Event]:
        """m: speech off, said as the last word before the silence (`ALOUD_MUTED`), or on again."""
        session.muted = self.speaker.toggle_mute()
        if session.muted:
            return _said(session, self.phrases("speech_off"), "speech_off")
        return _said(session, self.phrases("speech_on"))

    def _rate(self, session: Session, change: Callable[[], int], changed: str, at_the_end: str) -> list[Event]:
        """ "Slower: 120 words a minute.", or at the end of the range "Already the slowest: …": a walk's < said
        "Slower: 80 words a minute." three times, and the voice slowed once."""
        before = self.speaker.rate
        rate = change()
        return _said(session, self.phrases(changed if rate != before else at_the_end, rate=rate))

    def _help(self, session: Session) -> list[Event]:
        """The keys, said with the session paused: a walk's help took 39 s to say while the session ran on behind
        it unspoken, and counts were lost. It ends with how to go on ("Paused. Press Space to go on.")."""
        paused = session.pause()  # at once; said after the keys
        return session.tell(self.help, "help", Priority.ANNOUNCE) + paused


def heard_line(session: Session, what: str, phrases: Phrases) -> list[Event]:
    """ "Heard: pause.": shown (plain mode's own line, the player's mark), never spoken."""
    return session.tell(phrases("heard", what=what), "heard", Priority.INFO)


def _said(session: Session, text: str, kind: str = "speech") -> list[Event]:
    return session.tell(text, kind)


def _in_turn(first: Command, then: Command | None) -> Command:
    """`first`, then `then`: two keys' commands as one, in the order they were typed."""
    if then is None:
        return first
    return lambda session: first(session) + then(session)
