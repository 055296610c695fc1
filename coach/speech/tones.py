"""The sounds that are not words: the tone at a clock's zero, and the beeps that count when no voice works.

Generated here as WAVs, never shipped as files: a sine with a soft edge, so
that it does not click. "No signal at zero" is a known complaint of interval
timers; the tone is short and distinct from any voice. 16-bit mono at 22050
Hz, as espeak-ng and Piper's medium voices render, so that one player plays
all of them.
"""

from __future__ import annotations

import io
import math
import sys
import wave
from array import array
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coach.speech.cache import ClipCache

SAMPLE_RATE = 22050
EDGE = 0.01  # seconds of fade at each end

# name: (notes in Hz, seconds per note); `end` rises a fifth, so it is never mistaken for a count's beep
SOUNDS = {
    "end": ((660.0, 990.0), 0.12),
    "beep": ((880.0,), 0.08),
    "long": ((880.0,), 0.6),
}


def tone_wav(name: str, volume: float = 0.5) -> bytes:
    """The WAV of the sound called `name` (one of SOUNDS)."""
    notes, seconds = SOUNDS[name]
    samples = array("h")
    per_note = int(SAMPLE_RATE * seconds)
    edge = int(SAMPLE_RATE * EDGE)
    for frequency in notes:
        for index in range(per_note):
            fade = min(1.0, index / edge, (per_note - 1 - index) / edge)
            value = volume * fade * math.sin(2 * math.pi * frequency * index / SAMPLE_RATE)
            samples.append(round(value * 32767))
    out = io.BytesIO()
    with wave.open(out, "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(SAMPLE_RATE)
        if sys.byteorder == "big":
            samples.byteswap()  # a WAV's samples are little-endian
        audio.writeframes(samples.tobytes())
    return out.getvalue()


def tone_file(name: str) -> tuple[Path, float]:
    """The WAV file of the sound `name`, made once into the clip cache (or a private folder), and its seconds."""
    from coach.speech.cache import ClipCache, clip_key, wav_seconds

    key = clip_key("tone", name, 1, repr(SOUNDS[name]))
    if not _CACHE:
        _CACHE.append(ClipCache())
    cache = _CACHE[0]
    path = cache.find(key) or cache.put(key, tone_wav(name))
    seconds = wav_seconds(path)
    if seconds is None:
        raise OSError(f"the tone {name} could not be read back")
    return path, seconds


_CACHE: list[ClipCache] = []
