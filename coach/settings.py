"""The settings a run is played with: the config file's, under the command line's, as one typed `Settings`.

A screen-reader user who always wants `--plain --speech speechd` writes it
once in `config.toml` in the user config folder (coach.folders; `COACH_CONFIG`
names another file). Anything given on the command line wins. A broken file
is one clear line and exit status 2, like a broken program.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from coach.config_file import config_path
from coach.errors import ConfigError, UsageError
from coach.speech import ENGINES, RATES, rates_told
from coach.timeline import DEFAULT_RATE

# What the config file may set; `programs` names the shelf's folder.
KEYS = (
    "plain",
    "speech",
    "speech_command",
    "rate",
    "voice",
    "piper_voice",
    "tones",
    "theme",
    "programs",
    "listen",
    "listen_command",
    "language",
)


@dataclass(frozen=True)
class Settings:
    """What `coach`, `run`, `say` and `voices` play and speak with, decided once before anything starts."""

    speech: str = "pyttsx3"
    """The speech engine, one of `ENGINES`; "none" under --no-speech."""
    speech_command: str | None = None
    """With the command engine: the command line template, with {text} (also {rate}, {voice})."""
    rate: int = DEFAULT_RATE
    """Words per minute, within `RATES`: the speech and the timeline built for it."""
    voice: str | None = None
    """A voice id as `coach voices` lists it; None for the engine's own."""
    theme: str | None = None
    """A Textual theme's name; checked only where Textual starts (`coach.views.tui.themes.theme_problem`)."""
    theme_from: str = "--theme"
    """Where the theme was given (--theme or the config file), for the one line when it is unknown."""
    plain: bool = False
    """Screen-reader mode: one line per event, no full-screen player."""
    use_progress: bool = True
    """Holds and reps grown from history (False under --no-progress; not a config key)."""
    listen: bool = False
    """Take spoken commands and answers through the microphone (`coach.listen`)."""
    listen_command: str | None = None
    """The recorder's command line; None for arecord, else sox."""
    piper_voice: str | None = None
    """With `--speech piper`: the Piper model file (.onnx), unless --voice names one."""
    language: str | None = None
    """What is shown outside a session (lists, history, reports) is in this language; None: the locale's."""
    tones: bool = True
    """A tone at the zero of every hold and timed step, and beeps for counts when no voice works (--no-tones)."""

    @property
    def piper_model(self) -> str | None:
        """The Piper voice to load: `--voice PATH.onnx`, else `piper_voice` from the config."""
        if self.voice and self.voice.endswith(".onnx"):
            return self.voice
        return self.piper_voice

    @property
    def sounds(self) -> bool:
        """Whether tones are played: asked for, and not a session chosen to be silent (`--speech none`), nor one
        spoken through speech-dispatcher, whose voice takes turns with a screen reader: a tone would not."""
        return self.tones and self.speech not in {"none", "speechd"}

    @classmethod
    def resolve(
        cls, config: Mapping[str, Any], given: Mapping[str, Any], *, config_file: str | os.PathLike[str] | None = None
    ) -> Settings:
        """The checked config file's `config` under the command line's `given` (argparse's names)."""

        if given.get("voice") == "":  # a walk saw "The voice  is not available", with no name between
            raise UsageError("--voice: no voice given; `coach voices` lists them, or leave the option out")

        def pick(key: str) -> Any:
            # the command line wins; an option it leaves out (None) or a flag it leaves off (False) says nothing
            value = given.get(key)
            return config.get(key) if value is None or value is False else value

        return cls(
            speech="none" if given.get("no_speech") else pick("speech") or "pyttsx3",
            speech_command=pick("speech_command"),
            rate=pick("rate") or DEFAULT_RATE,
            voice=pick("voice"),
            theme=pick("theme"),
            theme_from="--theme" if given.get("theme") else f"{config_file or config_path()}: theme",
            plain=bool(pick("plain")),
            use_progress=not given.get("no_progress"),
            listen=bool(pick("listen")),
            listen_command=pick("listen_command"),
            piper_voice=config.get("piper_voice"),
            language=config.get("language"),
            tones=not given.get("no_tones") and config.get("tones", True),
        )


def load_settings(given: Mapping[str, Any]) -> Settings:
    """The config file (checked: ConfigError when broken), then the command line's `given` over it."""
    path = config_path()
    return Settings.resolve(load_config(path), given, config_file=path)


def load_config(path: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """The settings in the config file, checked; {} when there is none. ConfigError (one line) when it is broken.

    Read as a program file is read (`coach.program.reading`): a regular file of at most 1 MiB, strict
    UTF-8, nesting scanned before parsing; so `COACH_CONFIG=/dev/zero` or a FIFO is one line, not a hang.
    """
    from coach.program.reading import Unreadable, decode, read_bounded
    from coach.program.syntax import NEW_STEP_HINT, TomlProblem, parse_toml

    path = path or config_path()
    try:
        text = decode(read_bounded(str(path), what="a config file"))
    except Unreadable as error:
        if error.missing:
            return {}
        raise ConfigError(f"{_at(path, error.line)}: {error}") from None
    try:
        settings = parse_toml(text)
    except TomlProblem as broken:
        told = str(broken).replace(NEW_STEP_HINT, "")  # a config file has no steps (a caregiver's walk)
        raise ConfigError(f"{_at(path, broken.line)}: not valid TOML: {told}") from None
    for key, value in settings.items():
        problem = _problem(key, value)
        if problem:
            raise ConfigError(f"{_at(path, _line_of(text, key))}: {problem}")
    return settings


def _line_of(text: str, key: str) -> int | None:
    """The line where `key` is given a value: a caregiver's walk found "rate: expected words per minute from 80
    to 450, got 30" with no line, where a TOML mistake has one."""
    given = re.search(rf"(?m)^[ \t]*[\"']?{re.escape(key)}[\"']?[ \t]*=", text)
    return None if given is None else text.count("\n", 0, given.start()) + 1


def _at(path: str | os.PathLike[str], line: int | None) -> str:
    from coach.program.text import escape

    return escape(str(path)) + (f":{line}" if line else "")


def _problem(key: str, value: object) -> str | None:
    if key not in KEYS:
        # A key cut short is the key it begins: a walk's `lang` was offered "plain", the nearest by letters.
        near = [known for known in KEYS if len(key) >= 3 and known.startswith(key)] or difflib.get_close_matches(
            key, KEYS, n=1
        )
        hint = f'; did you mean "{near[0]}"?' if near else f"; the keys are {', '.join(KEYS)}"
        return f"unknown key {key!r}{hint}"
    if key in {"plain", "listen", "tones"}:
        return None if isinstance(value, bool) else f"{key}: expected true or false, got {value!r}"
    if key == "rate":
        ok = isinstance(value, int) and not isinstance(value, bool) and value in RATES
        return None if ok else f"rate: expected {rates_told()}, got {value!r}"
    if not isinstance(value, str):
        return f"{key}: expected text in quotes, got {value!r}"
    if key == "language" and not re.fullmatch(r"[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*", value):
        return f'language: expected a language tag like "es" or "fr-CA", got {value!r}'
    if key == "speech" and value not in ENGINES:
        return f"speech: expected one of {', '.join(ENGINES)}, got {value!r}"
    return None
