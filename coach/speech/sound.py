"""Is there sound in a rendered sentence? A render with no sound is a failed utterance, never speech.

espeak-ng renders "." as 154 samples of silence, and pyttsx3 once played a
sentence as a 44-byte WAV while the session believed it spoken. Engines that
render a WAV before playing it ask here first, so that silence is re-rendered
once and then told like any speech fault. Kept free of coach imports so that
the pyttsx3 worker can use it and still start fast.
"""

from __future__ import annotations

import io
import sys
import wave
from array import array

AUDIBLE = 64  # of 32767: a sample quieter than this (-54 dBFS) in every frame is a render of nothing


def has_sound(wav: bytes) -> bool:
    """True if the 16-bit WAV `wav` has at least one audible sample; False for no samples, silence or a bad file."""
    try:
        with wave.open(io.BytesIO(wav)) as audio:
            if audio.getsampwidth() != 2:
                return len(audio.readframes(1)) > 0  # not espeak-ng's format: trust any sample at all
            samples = array("h", audio.readframes(audio.getnframes()))
    except (wave.Error, EOFError):
        return False
    if sys.byteorder == "big":
        samples.byteswap()
    return any(sample >= AUDIBLE or sample <= -AUDIBLE for sample in samples)


def whole_wav(wav: bytes) -> bytes:
    """`wav` with a header that gives its true length. espeak-ng writing to a pipe cannot go back to fill in
    the length, and leaves the largest there is; a clip kept in the cache is read by its header."""
    with wave.open(io.BytesIO(wav)) as audio:
        params = audio.getparams()
        frames = audio.readframes(audio.getnframes())
    out = io.BytesIO()
    with wave.open(out, "wb") as fixed:
        fixed.setnchannels(params.nchannels)
        fixed.setsampwidth(params.sampwidth)
        fixed.setframerate(params.framerate)
        fixed.writeframes(frames)
    return out.getvalue()
