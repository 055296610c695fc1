"""What every speech engine offers the speaker: say one sentence, be cut off, list voices.

An engine speaks one utterance at a time and blocks while it does; the
`Speaker` calls it from its own thread, so the session never waits. `cut`
is the one call that comes from another thread, and it must end the
utterance at once. When an engine cannot speak it raises `SpeechFailed`
with advice a person can act on.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from coach.timeline import Priority


class SpeechFailed(Exception):
    """The engine cannot speak; the message says what is missing and how to get it, in plain words."""


@dataclass(frozen=True)
class Voice:
    id: str
    name: str
    languages: str = ""


# Tags a voice may carry for a language under another name: espeak-ng calls Mandarin "cmn" (ISO 639-3).
ALIASES = {"zh": ("zh", "cmn"), "cmn": ("zh", "cmn")}


OTHER_LANGUAGE = 3  # `language_rank` of a voice for another language


def language_rank(languages: str, wanted: str) -> int:
    """How well a voice's languages ("en-GB", "es es-419") fit `wanted`: 0 the very tag asked (en-GB for
    en-GB, cmn for zh), 1 the language as its home country speaks it (fr-fr for fr), 2 the same language
    elsewhere (en-US for en, fr-be for fr, cmn-latn-pinyin for zh), `OTHER_LANGUAGE` another."""
    wanted = wanted.replace("_", "-").casefold()
    primary = wanted.split("-")[0]
    names = ALIASES.get(primary, (primary,))
    tags = [tag.replace("_", "-").casefold() for tag in languages.replace(",", " ").split()]
    if wanted in tags or any(tag in names for tag in tags):
        return 0
    if any(tag == f"{name}-{name}" for tag in tags for name in names):
        return 1
    return 2 if any(tag.split("-")[0] in names for tag in tags) else OTHER_LANGUAGE


def voice_for(voices: list[Voice], language: str) -> str | None:
    """The id of the voice that best speaks `language`, in the engine's own order; None if none does."""
    fitting = sorted((language_rank(voice.languages, language), index) for index, voice in enumerate(voices))
    return voices[fitting[0][1]].id if fitting and fitting[0][0] < OTHER_LANGUAGE else None


class Engine(Protocol):
    name: str

    def prepare(self, voice: str | None) -> str | None:
        """Get ready to speak (start a process, find a program); raise SpeechFailed if it cannot.

        Returns the voice to use: `voice` if the engine has it, else None for its default.
        """

    def speak(self, text: str, *, rate: int, voice: str | None, priority: Priority, cancelled: threading.Event) -> None:
        """Say `text`; return when it has been said or cut; raise SpeechFailed on a fault.

        If `cancelled` is already set when the engine would start, it does not start: this
        closes the gap between the speaker choosing an utterance and the engine starting it.
        """

    def cut(self) -> None:
        """From any thread, after setting `cancelled`: stop the utterance in progress now."""

    def voices(self) -> list[Voice]:
        """The voices this engine can use."""

    def close(self) -> None:
        """Stop everything and leave no process behind."""


@runtime_checkable
class TakesTurns(Protocol):
    """An engine whose voice other programs share (speech-dispatcher, with a screen reader on it).

    A sentence may wait for its turn, so the engine itself drops one that could not begin in
    time, and says when each began: the speaker times its end from that, not from an estimate.
    """

    turn_limit: float  # the longest a sentence may wait to begin

    def speak_in_turn(
        self,
        text: str,
        *,
        rate: int,
        voice: str | None,
        cancelled: threading.Event,
        start_within: float | None,
        waits: bool,
        on_begin: Callable[[], None],
    ) -> str:
        """Like `Engine.speak`; returns "spoken", "cut", or "late" (not begun within `start_within` s). A
        sentence that `waits` is said when the others fall silent, even after they said it."""


def hang_limit(seconds_of_speech: float) -> float:
    """How long an utterance may take before the engine counts as hung."""
    return 2.0 + 2.0 * seconds_of_speech  # estimates already err long; twice that plus 2 s is broken
