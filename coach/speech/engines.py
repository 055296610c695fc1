"""Choosing an engine by the name a person gives with `--speech`."""

from __future__ import annotations

import threading

from coach.errors import UsageError
from coach.speech import ENGINES
from coach.speech.engine import Engine, Voice
from coach.timeline import Priority


class SilentEngine:
    """`--speech none`: the session is shown, not spoken."""

    name = "none"

    def prepare(self, voice: str | None) -> str | None:
        return voice

    def speak(self, text: str, *, rate: int, voice: str | None, priority: Priority, cancelled: threading.Event) -> None:
        return None

    def cut(self) -> None:
        return None

    def voices(self) -> list[Voice]:
        return []

    def close(self) -> None:
        return None


def make_engine(name: str, command: str | None = None, model: str | None = None) -> Engine:
    """The engine called `name`; ValueError with a one-line reason if it cannot be made as asked."""
    if name == "pyttsx3":
        from coach.speech.pyttsx3_engine import Pyttsx3Engine

        return Pyttsx3Engine()
    if name == "speechd":
        from coach.speech.speechd import SpeechdEngine

        return SpeechdEngine()
    if name == "espeak":
        from coach.speech.espeak import EspeakEngine

        return EspeakEngine()
    if name == "piper":
        from coach.speech.piper import PiperEngine

        return PiperEngine(model)
    from coach.speech.process import CommandEngine

    if name == "command":
        if command is None:
            raise UsageError("--speech command needs --speech-command, for example: --speech-command 'say {text}'")
        return CommandEngine(command)
    if name == "none":
        return SilentEngine()
    raise UsageError(f"--speech: unknown engine {name!r}; choose one of {', '.join(ENGINES)}")
