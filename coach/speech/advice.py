"""What to tell a person whose speech is missing a part: plain words and the command that fixes it.

Kept free of imports so that the pyttsx3 worker process can use it and still start fast.
"""

from __future__ import annotations

import sys

DEBIAN_INSTALL = "sudo apt install espeak-ng alsa-utils"


def install_advice(what: str) -> str:
    """`what` is missing, and how to install it on this system."""
    if sys.platform.startswith("linux"):
        return f"{what} On Debian or Ubuntu: {DEBIAN_INSTALL}"
    return what
