"""One checker per kind of value in a program file.

Each checker takes the raw TOML value and returns the clean value, or raises
`Invalid` with the words that finish "expected …, got …". The loader adds the
file, line, step and field around them.
"""

from __future__ import annotations

from collections.abc import Callable

from coach.program.durations import MAX_SECONDS, parse_duration, suggest
from coach.program.text import code_points, describe, escape, first_control, visible

MAX_COUNT = 1000


class Invalid(ValueError):
    """A value that does not fit its field; each message is shown as is, one problem each (a list's items)."""

    def __init__(self, *messages: str) -> None:
        super().__init__(*messages)
        self.messages = messages

    def __str__(self) -> str:
        return "; ".join(self.messages)


Checker = Callable[[object], object]


def duration(*, allow_zero: bool = False) -> Checker:
    def check(value: object) -> int:
        seconds: int | None = None
        if isinstance(value, int) and not isinstance(value, bool):
            seconds = value
        elif isinstance(value, str):
            seconds = parse_duration(value)
        if seconds is None or seconds < 0:
            hint = suggest(value) if isinstance(value, str) else ""  # "ten minutes": did you mean "10m"?
            raise Invalid(f'expected a duration like "30s", "1m30s" or 90, got {describe(value)}{hint}')
        if seconds == 0 and not allow_zero:
            raise Invalid(f"expected a duration of at least 1 second, got {describe(value)}")
        if seconds > MAX_SECONDS:
            raise Invalid(f"expected a duration of at most 4 hours, got {describe(value)}")
        return seconds

    return check


def count(low: int = 1, high: int = MAX_COUNT) -> Checker:
    def check(value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise Invalid(f"expected a whole number from {low} to {high}, got {describe(value)}")
        return value

    return check


_CONTROLS = {"\t": "a tab (write spaces)", "\n": "a line break", "\r": "a line break (\\r)"}


def text(*, limit: int, required: bool = True, newline: bool = False) -> Checker:
    def check(value: object) -> str:
        # "0 to 2000 characters" read oddly to a walk: text that may be left out has at most so many.
        size = f"1 to {limit}" if required else f"at most {limit}"
        if not isinstance(value, str):
            raise Invalid(f"expected text of {size} characters, got {describe(value)}")
        if len(value) > limit:  # how long it is: "got "xxx…"" left a walk to count 9,000 characters
            raise Invalid(f"expected text of {size} characters, got {len(value):,}: {describe(value)}")
        if required and not value.strip():  # not "1 to 120 characters, got "  "", two characters
            raise Invalid(f"expected text, got {'only spaces' if value else 'none'}")
        bad = first_control(value, allow_newline=newline)
        if bad is not None:
            raise Invalid(f"expected plain text, got {_CONTROLS.get(bad, f'a control character ({escape(bad)})')}")
        if required and not visible(value):
            raise Invalid(f"expected text with something to read, got only invisible characters ({code_points(value)})")
        return value.strip()

    return check


def texts(*, low: int, high: int, each: int) -> Checker:
    item = text(limit=each)

    def check(value: object) -> tuple[str, ...]:
        if not isinstance(value, list) or not low <= len(value) <= high:
            raise Invalid(f"expected a list of {low} to {high} texts, got {describe(value)}")
        # Every item's problem: a caregiver's walk fixed item 2, ran validate again, and was told of item 3.
        wrong = []
        for position, entry in enumerate(value, start=1):
            try:
                item(entry)
            except Invalid as problem:
                wrong.append(f"item {position}: {problem}")
        if wrong:
            raise Invalid(*wrong)
        return tuple(str(entry).strip() for entry in value)

    return check


def boolean(value: object) -> bool:
    if not isinstance(value, bool):
        raise Invalid(f"expected true or false, got {describe(value)}")
    return value


def language(value: object) -> str:
    tag = text(limit=35)(value)
    assert isinstance(tag, str)
    parts = tag.split("-")
    if not (parts[0].isascii() and parts[0].isalpha() and 2 <= len(parts[0]) <= 3) or not all(
        part.isascii() and part.isalnum() and 1 <= len(part) <= 8 for part in parts[1:]
    ):
        raise Invalid(f'expected a language tag like "en" or "en-GB", got {describe(value)}')
    return tag


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # as a prescription names them, Monday first


def weekdays(value: object) -> tuple[str, ...]:
    """`days = ["mon", "wed", "fri"]`: the days of the week a program is prescribed on, each once."""
    if not isinstance(value, list) or not 1 <= len(value) <= 7:
        raise Invalid(f'expected a list of 1 to 7 days like ["mon", "wed", "fri"], got {describe(value)}')
    seen: list[str] = []
    for position, day in enumerate(value, start=1):
        if day not in WEEKDAYS:
            near = day.strip().casefold()[:3] if isinstance(day, str) else ""
            hint = f'; did you mean "{near}"?' if near in WEEKDAYS else ""
            raise Invalid(f"item {position}: expected one of {', '.join(WEEKDAYS)}, got {describe(day)}{hint}")
        if day in seen:
            raise Invalid(f"item {position}: {day} is given twice; name each day once")
        seen.append(day)
    return tuple(sorted(seen, key=WEEKDAYS.index))
