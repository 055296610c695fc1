"""Durations as caregivers write them: `90`, `"45s"`, `"1m30s"`, `"20m"`, `"1h"`.

Kept apart from validation so that the timeline and the CLI can format seconds
back into the same words the program file uses.
"""

from __future__ import annotations

import re

MAX_SECONDS = 4 * 60 * 60

_DURATION = re.compile(r"(?:(?P<h>\d+)h)?(?:(?P<m>\d+)m)?(?:(?P<s>\d+)s)?")


def parse_duration(text: str) -> int | None:
    """Seconds in a duration string like "1m30s", or None when it is not one."""
    match = _DURATION.fullmatch(text.strip())
    if match is None or not any(match.groups()):
        return None
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def format_clock(seconds: float) -> str:
    """`M:SS`, or `H:MM:SS` from an hour: the form `coach preview` prints."""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"
