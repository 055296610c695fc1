"""Durations as caregivers write them: `90`, `"45s"`, `"1m30s"`, `"20m"`, `"1h"`, and in words:
`"5 minutes"`, `"1 minute 30 seconds"`, `"30 sec"`, `"1.5 minutes"`.

One regular expression is the whole grammar: the loader matches it and the
JSON Schema (`jsonschema.py`) ships it as its pattern, so an editor and
`coach validate` agree on every string. It only lets through fractions that
come to whole seconds ("1.5 minutes" yes, "1.5 seconds" no), and it is built
from ASCII classes only, as ECMA 262 (the schema's regex dialect) reads them
the same way. Whatever it refuses, `suggest` tries to turn into the form the
writer meant ("ten minutes" → "10m"), and a range ("20-30 seconds") gets a
hint to pick one value. Kept apart from validation so that the timeline and
the CLI can format seconds back into the same words.
"""

from __future__ import annotations

import difflib
import re
from decimal import Decimal

MAX_SECONDS = 4 * 60 * 60

# Unit words, in the order a duration names them, with their seconds.
_UNITS: tuple[tuple[tuple[str, ...], int, str], ...] = (
    (("h", "hr", "hrs", "hour", "hours"), 3600, r"\.[0-9]{1,2}|\.[0-9]{2}[05]"),  # 0.01 h = 36 s; 0.005 h = 18 s
    (("m", "min", "mins", "minute", "minutes"), 60, r"\.[0-9]|\.[0-9][05]"),  # 0.1 min = 6 s; 0.05 min = 3 s
    (("s", "sec", "secs", "second", "seconds"), 1, ""),  # whole seconds only
)


def _any_case(word: str) -> str:
    return "".join(f"[{letter}{letter.upper()}]" for letter in word)


def _part(words: tuple[str, ...], fraction: str) -> str:
    number = "[0-9]+" + (f"(?:{fraction})?" if fraction else "")
    names = "|".join(_any_case(word) for word in sorted(words, key=len, reverse=True))
    return f"({number})[ \\t]*(?:{names})"


# Between parts: "1m30s", "1h 30m", "1 minute, 30 seconds", "1 minute and 30 seconds".
_SEP = "(?:[ \\t]*(?:,[ \\t]*)?(?:[aA][nN][dD][ \\t]+)?)"
_H, _M, _S = (_part(words, fraction) for words, _, fraction in _UNITS)
# Hours, then minutes, then seconds, each at most once and at least one: "1h30m", "1 minute 30 seconds", "90 s".
PATTERN = f"^[ \\t]*(?:{_H}(?:{_SEP}{_M})?(?:{_SEP}{_S})?|{_M}(?:{_SEP}{_S})?|{_S})[ \\t]*$"
_DURATION = re.compile(PATTERN)


def parse_duration(text: str) -> int | None:
    """Seconds in a duration string like "1m30s" or "1 minute 30 seconds", or None when it is not one."""
    match = _DURATION.match(text)
    if match is None:
        return None
    sizes = (3600, 60, 1, 60, 1, 1)  # the pattern's groups: h, m, s; then m, s; then s (one per alternative)
    total = sum((Decimal(found) * size for found, size in zip(match.groups(), sizes, strict=True) if found), Decimal(0))
    # The pattern only lets through fractions that come to whole seconds; past 4 hours any size will do.
    return int(total) if total <= MAX_SECONDS else MAX_SECONDS + 1


def compact(seconds: int) -> str:
    """The contract's short form of a duration: 90 → "1m30s", 3600 → "1h"."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{amount}{unit}" for amount, unit in ((hours, "h"), (minutes, "m"), (secs, "s")) if amount]
    return "".join(parts) or "0s"


_NUMBER_WORDS = {
    word: value
    for value, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen"  # noqa: SIM905
        " sixteen seventeen eighteen nineteen twenty".split()
    )
} | {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "ninety": 90, "a": 1, "an": 1, "half": 0.5}
# The units in the languages the coach speaks too, for hints alone (the grammar is the contract's, in English): a
# Spanish caregiver's "90 segundos" was offered nothing.
_FOREIGN_UNITS = (
    (("hora", "horas", "heure", "heures", "小时"), 3600),
    (("minuto", "minutos", "分", "分钟"), 60),
    (("segundo", "segundos", "seconde", "secondes", "秒"), 1),
)
_ALL_UNITS = {word: size for words, size, *_ in _UNITS + _FOREIGN_UNITS for word in words}
# A range's words stand alone: "1 minuto 30 segundos" was read as "1 minu" to "30".
_RANGE = re.compile(
    r"^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\.?\s*(?:-|–|—|\bto\b|\bor\b)\s*(\d+(?:\.\d+)?)\s*([a-z]*)\.?\s*$",
    re.IGNORECASE,
)
_CLOCK = re.compile(r"^\s*(?:(\d{1,2}):)?(\d{1,2}):(\d{2})\s*$")
_TOKEN = re.compile(r"\d+(?:[.,]\d+)?|[^\W\d_]+")  # a decimal comma too: "1,5 minutos" was offered "5m"


def suggest(text: str) -> str:
    """The end of a refusal: what the writer likely meant (`; did you mean "5m"?`), or a hint, or ""."""
    found = _RANGE.match(text)
    if found:
        unit = found.group(2) or found.group(4)
        first = _guess(f"{found.group(1)} {unit}") if unit else None
        example = f", like {_quoted(first)}" if first else ""
        return f"; that is a range: pick one value{example} (a step can grow with [steps.progress])"
    found = _CLOCK.match(text)
    if found:
        hours, minutes, seconds = (int(part or 0) for part in found.groups())
        guess: int | None = hours * 3600 + minutes * 60 + seconds
    elif text.strip().isdigit():
        return f'; a number in quotes needs a unit: did you mean "{text.strip()}s" (or {text.strip()} without quotes)?'
    else:
        guess = _guess(text)
    return f"; did you mean {_quoted(guess)}?" if guess else ""


def _quoted(seconds: int) -> str:
    return f'"{compact(seconds)}"'


def _guess(text: str) -> int | None:
    """Seconds in a loosely written duration ("ten mintues", "1.5 seconds", "30 sec."), rounded; None if none.

    A number left without a unit after one is of the next unit down, as a clock is read: "1m30" is 1m30s (a walk
    was offered "1m", 30 seconds lost) and "1h30" 1h30m."""
    total, number, last = Decimal(0), None, None
    for token in _TOKEN.findall(text.lower()):
        if token[0].isdigit():
            number = Decimal(token.replace(",", "."))
            continue
        if token in _NUMBER_WORDS:
            number = Decimal(str(_NUMBER_WORDS[token])) if number is None else number
            continue
        unit = _ALL_UNITS.get(token) or next(
            (_ALL_UNITS[near] for near in difflib.get_close_matches(token, _ALL_UNITS, n=1, cutoff=0.75)), None
        )
        if unit is not None and number is not None:
            total += number * unit
            number, last = None, unit
    if number is not None and last in (3600, 60):
        total += number * last // 60
    seconds = int(total + Decimal("0.5")) if total < MAX_SECONDS * 2 else 0
    return seconds if 1 <= seconds <= MAX_SECONDS else None


def format_clock(seconds: float) -> str:
    """`M:SS`, or `H:MM:SS` from an hour: the form `coach preview` prints."""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"
