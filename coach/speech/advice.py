"""What to tell a person whose speech is missing a part: plain words and the command that fixes it.

Kept free of imports so that the pyttsx3 worker process can use it and still start fast.
"""

from __future__ import annotations

import sys

DEBIAN_INSTALL = "sudo apt install espeak-ng alsa-utils"
NO_DEVICE = (
    "No sound: the audio device could not be opened. Check that speakers or headphones are connected "
    "and not muted, and that the command aplay -l lists a sound card."
)


def install_advice(what: str) -> str:
    """`what` is missing, and how to install it on this system."""
    if sys.platform.startswith("linux"):
        return f"{what} On Debian or Ubuntu: {DEBIAN_INSTALL}"
    return what


def no_sound(text: str) -> str:
    """The engine rendered `text` as silence, twice."""
    shown = text if len(text) <= 40 else text[:39] + "…"
    return f"No sound: the speech engine made no sound for {shown!r}."


def player_failed(status: int, complaint: bytes) -> str:
    """aplay stopped with `status`, having written `complaint` to its standard error."""
    if b"audio open error" in complaint:  # aplay's words for a device it cannot open (or none at all)
        return NO_DEVICE
    return f"No sound: the audio player aplay stopped with exit status {status}."
