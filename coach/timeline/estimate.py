"""How long a sentence takes to say, from its letters, words, pauses and the speech rate.

The timeline is built from these estimates, so they err long: a sentence
estimated too short runs into the next fixed cue and makes it late. The
coefficients are the tightest upper bound (a linear program) over espeak-ng
1.51, which pyttsx3 drives on Linux, saying every sentence of the bundled
programs and every count from 1 to 30 at 170 words per minute, measured as
the length of the WAV it plays, trailing pause included. There no sentence
runs past its estimate, and the estimate is 0.45 s long on average. At 100,
250 and 400 wpm, scaled as below, none runs past either.

Chinese, Japanese and Korean are written without spaces, a syllable a
character: each such character is a word of its own and counts as
`SYLLABLE_LETTERS` letters. espeak-ng's Mandarin (`cmn`) says the sentences of
the bundled Chinese programs at 0.36 to 0.57 s a character, pauses included;
counted so, each estimate is longer than the voice. Their full-width stops and
commas pause as ours do.
"""

from __future__ import annotations

import re
from functools import lru_cache

DEFAULT_RATE = 170  # words per minute; espeak-ng speaks 175 by default
GAP = 0.1  # seconds between two utterances; the engine's own trailing pause comes on top

_SYLLABIC = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"  # kana, CJK, Hangul
_WORD = re.compile(f"[{_SYLLABIC}]|[^\\W_{_SYLLABIC}]+", re.UNICODE)
_STOP = re.compile(r"[.!?;:](?=\s|$)|[。！？；：]")
_BREAK = re.compile(r"[,()\[\]/，、（）]")
SYLLABLE_LETTERS = 7.5  # a Chinese character takes as long to say as 7.5 letters of English
# Voices that say the same letters more slowly than English, by language: espeak-ng's Spanish takes up to
# 4.6 % longer than the English fit over the Spanish programs' sentences (numbers most: "veinticuatro").
SLOWER = {"es": 1.08}


def slowness(language: str) -> float:
    """How much longer than the English estimate a voice of `language` takes: 1.0 for most."""
    return SLOWER.get(language.replace("_", "-").split("-")[0].lower(), 1.0)


BASE, PER_LETTER, PER_WORD, PER_STOP, PER_BREAK = 0.713, 0.0539, 0.042, 0.215, 0.1474  # seconds at 170 wpm
SMALL_COUNT, LARGE_COUNT = 0.85, 1.25  # a bare number up to 20 takes 0.59-0.83 s; 21 to 99 up to 1.19 s


def letters(text: str) -> int:
    """Letters as spoken, a number counting roughly as the letters of its words."""
    words = _WORD.findall(text)
    return round(sum(_letters(word) for word in words))


def _letters(word: str) -> float:
    if word.isdigit():
        return {1: 5, 2: 8}.get(len(word), 4 * len(word))
    return SYLLABLE_LETTERS if len(word) == 1 and "\u3040" <= word <= "\ufaff" else len(word)


def _at_default_rate(text: str) -> float:
    bare = text.strip()
    if bare.isdigit() and len(bare) <= 2:
        return SMALL_COUNT if int(bare) <= 20 else LARGE_COUNT
    seconds = BASE + PER_LETTER * letters(text) + PER_WORD * len(_WORD.findall(text))
    return seconds + PER_STOP * len(_STOP.findall(text)) + PER_BREAK * len(_BREAK.findall(text))


@lru_cache(maxsize=4096)
def estimate(text: str, rate: int = DEFAULT_RATE, slower: float = 1.0) -> float:
    """Estimated seconds to speak `text` at `rate` words per minute, erring long; `slower` is the language's
    `slowness`."""
    # Slower speech stretches the pauses more than the words: scale a little more below the fitted rate.
    scale = DEFAULT_RATE / rate
    if text.strip().isdigit():  # a count takes as long in every language (espeak-ng: "17" 1.05 s es, 0.99 s en)
        slower = 1.0
    return round(_at_default_rate(text) * (scale**1.1 if scale > 1 else scale) * slower, 3)


def longest_count(upto: int, rate: int = DEFAULT_RATE, slower: float = 1.0) -> float:
    """Estimated seconds of the longest of the counts 1 to `upto`, without saying each.

    A count's estimate depends only on how many digits it has (and, up to 99, whether it is past 20),
    so the first and last of each such group stand for all of it.
    """
    samples = [n for n in (1, 20, 21, 99, 100, 999, 1000, 9999) if n < upto] + [upto]
    return max(estimate(str(n), rate, slower) for n in samples)
