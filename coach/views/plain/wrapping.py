"""Lines that fit the terminal: plain mode breaks its lines at spaces, so the terminal never splits a word.

A terminal wraps a line that is longer than it is wide at its last column,
mid-word, and a screen reader then reads "…the ball of your foot, t" and
"hen straighten…". When the output is a terminal, a long line is broken at
word boundaries to the width it has now (asked afresh for each line, so a
resized window is followed without a SIGWINCH handler). When it is not (a pipe,
a file, a test's StringIO), lines stay whole for the program that reads them.
"""

from __future__ import annotations

import os
import textwrap
from typing import TextIO


def fit(text: str, stream: TextIO) -> str:
    """`text` as one or more lines, each no wider than the terminal `stream` is; unchanged if it is no terminal."""
    width = terminal_width(stream)
    if width is None or len(text) <= width:
        return text
    # A word longer than the whole width (a long path) must still be cut: the terminal would cut it anyway.
    return "\n".join(textwrap.wrap(text, width, break_on_hyphens=False)) or text


def terminal_width(stream: TextIO) -> int | None:
    """The width of the terminal `stream` writes to, or None when it is not a terminal."""
    try:
        if not stream.isatty():
            return None
        columns = os.get_terminal_size(stream.fileno()).columns
    except (OSError, ValueError):  # closed, no file descriptor, or a terminal that does not know its size
        return None
    return columns if columns > 0 else None
