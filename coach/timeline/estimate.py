"""How long a sentence takes to say, from its words and the speech rate.

The timeline is built from these estimates, so they err long: a cue that
is estimated too short would run into the next fixed cue.
"""

from __future__ import annotations

import re
from functools import lru_cache

DEFAULT_RATE = 170  # words per minute; espeak-ng speaks 175 by default
GAP = 0.25  # seconds of silence kept between two utterances

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_PAUSE = re.compile(r"[.!?;:](?=\s|$)|,")


def words(text: str) -> int:
    """Spoken words, where a number of three or more digits counts double."""
    count = 0
    for word in _WORD.findall(text):
        count += 2 if word.isdigit() and len(word) >= 3 else 1
    return count


@lru_cache(maxsize=4096)
def estimate(text: str, rate: int = DEFAULT_RATE) -> float:
    """Estimated seconds to speak `text` at `rate` words per minute."""
    pauses = _PAUSE.findall(text)
    stops = sum(1 for mark in pauses if mark != ",")
    commas = len(pauses) - stops
    seconds = 0.1 + words(text) * 60.0 / rate + 0.25 * stops + 0.12 * commas
    return round(max(0.35, seconds), 3)
