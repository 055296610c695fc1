"""Program text is data: how to quote it in a message and how to spot what it must not hold.

A program file comes from someone else. Its strings end up in error messages,
on screen and in speech, so control characters and bidirectional overrides
are found here once, and anything echoed back is escaped so it cannot move a
cursor, change colours or reorder what the reader sees.
"""

from __future__ import annotations

import re
from functools import cache

# Bidirectional embeddings, overrides and isolates: they reorder text on screen (CVE-2021-42574).
# And the line and paragraph separators (U+2028, U+2029): a terminal or a log reader may break the line there.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c\u2028\u2029")

# Characters that show nothing on their own: zero-width spaces and joiners, soft hyphen, fillers, variation
# selectors, the blank Braille cell. A title of only these reads as nothing ("Switch to the \u200b.").
# The first part is in the Basic Multilingual Plane, so the JSON Schema can carry it as a pattern too.
INVISIBLE_BMP = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f"
    "\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0"
)
_SOMETHING_VISIBLE = "[^\\s" + INVISIBLE_BMP + "\U0001d173-\U0001d17a\U000e0000-\U000e0fff\x00-\x1f\x7f-\x9f]"
# C0 and C1 controls and DEL (Unicode category Cc), plus the bidirectional controls.
_CONTROLS = "[\x00-\x1f\x7f-\x9f" + "".join(sorted(_BIDI_CONTROLS)) + "]"
_CONTROLS_BUT_NEWLINE = "[\x00-\x09\x0b-\x1f\x7f-\x9f" + "".join(sorted(_BIDI_CONTROLS)) + "]"


@cache
def _pattern(source: str) -> re.Pattern[str]:
    """Compiled when first used, not on import: `coach history` escapes titles that are mostly plain (a
    millisecond)."""
    return re.compile(source)


def first_control(text: str, *, allow_newline: bool = False) -> str | None:
    """The first forbidden control character in text, or None."""
    found = _pattern(_CONTROLS_BUT_NEWLINE if allow_newline else _CONTROLS).search(text)
    return found.group() if found else None


def visible(text: str) -> bool:
    """Whether text has at least one character a reader sees (not only spaces or zero-width characters)."""
    return _pattern(_SOMETHING_VISIBLE).search(text) is not None


def code_points(text: str, *, limit: int = 6) -> str:
    """Text as code points, `\\u200b\\u200b`, for a message about characters that cannot be seen."""
    shown = "".join(f"\\u{ord(char):04x}" for char in text[:limit])
    return shown + ("…" if len(text) > limit else "")


def escape(text: str) -> str:
    """Text with every control character written as a visible escape like `\\x1b`."""
    if text.isprintable():  # no control (Cc), format (Cf: the bidirectional ones) or separator but space
        return text

    def visible(match: re.Match[str]) -> str:
        code = ord(match.group())
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _pattern(_CONTROLS).sub(visible, text)


def one_line(text: str) -> str:
    """Text for a line of its own (plain mode, preview): the newlines a `say` may hold become spaces, and every
    other control character is escaped."""
    return escape(text.replace("\n", " "))


def literal(text: str, *, limit: int = 40) -> str:
    """A string quoted for a message: `"Knee to chest"`, shortened and escaped."""
    shown = text if len(text) <= limit else text[: limit - 1] + "…"
    return '"' + escape(shown).replace('"', '\\"') + '"'


def describe(value: object) -> str:
    """A TOML value as a caregiver would recognise it in an error message."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return literal(value)
    if isinstance(value, (int, float)):
        import json  # here, not at the top: `coach history` escapes titles and needs no JSON

        return json.dumps(value) if isinstance(value, int) else repr(value)
    if isinstance(value, list):
        return f"a list of {len(value)}" if value else "an empty list"
    if isinstance(value, dict):
        return "a table"
    return escape(str(value))[:40]
