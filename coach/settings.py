"""The config file: the options a person sets once (engine, rate, voice, plain mode), under the command line's.

A screen-reader user who always wants `--plain --speech speechd` writes it
once in `config.toml` in platformdirs' user config folder (`COACH_CONFIG`
names another file). Anything given on the command line wins. A broken file
is one clear line and exit status 2, like a broken program.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path
from typing import Any

from coach.speech import ENGINES

RATES = range(80, 451)
KEYS = ("plain", "speech", "speech_command", "rate", "voice", "theme", "programs")  # programs: the shelf's folder


def config_path() -> Path:
    named = os.environ.get("COACH_CONFIG")
    if named:
        return Path(named)
    import platformdirs

    return Path(platformdirs.user_config_dir("coach")) / "config.toml"


def load_config(path: Path | None = None) -> dict[str, Any]:
    """The settings in the config file, checked; {} when there is none. ValueError (one line) when it is broken.

    Read as a program file is read (`coach.program.reading`): a regular file of at most 1 MiB, strict
    UTF-8, nesting scanned before parsing; so `COACH_CONFIG=/dev/zero` or a FIFO is one line, not a hang.
    """
    from coach.program.reading import Unreadable, decode, read_bounded
    from coach.program.syntax import TomlProblem, parse_toml

    path = path or config_path()
    try:
        text = decode(read_bounded(str(path), what="a config file"))
    except Unreadable as error:
        if error.missing:
            return {}
        raise ValueError(f"{_at(path, error.line)}: {error}") from None
    try:
        settings = parse_toml(text)
    except TomlProblem as broken:
        raise ValueError(f"{_at(path, broken.line)}: not valid TOML: {broken}") from None
    for key, value in settings.items():
        problem = _problem(key, value)
        if problem:
            raise ValueError(f"{path}: {problem}")
    return settings


def _at(path: Path, line: int | None) -> str:
    from coach.program.text import escape

    return escape(str(path)) + (f":{line}" if line else "")


def _problem(key: str, value: object) -> str | None:
    if key not in KEYS:
        near = difflib.get_close_matches(key, KEYS, n=1)
        hint = f'; did you mean "{near[0]}"?' if near else f"; the keys are {', '.join(KEYS)}"
        return f"unknown key {key!r}{hint}"
    if key == "plain":
        return None if isinstance(value, bool) else f"plain: expected true or false, got {value!r}"
    if key == "rate":
        ok = isinstance(value, int) and not isinstance(value, bool) and value in RATES
        return None if ok else f"rate: expected words per minute from 80 to 450, got {value!r}"
    if not isinstance(value, str):
        return f"{key}: expected text in quotes, got {value!r}"
    if key == "speech" and value not in ENGINES:
        return f"speech: expected one of {', '.join(ENGINES)}, got {value!r}"
    return None


def theme_problem(name: str) -> str | None:
    """What is wrong with a theme's name, or None. It imports Textual: asked only where Textual starts anyway."""
    from textual.theme import BUILTIN_THEMES

    from coach.views.tui.themes import HIGH_CONTRAST

    names = [HIGH_CONTRAST.name, *BUILTIN_THEMES]
    return None if name in names else f"expected one of {', '.join(names)}, got {name!r}"
