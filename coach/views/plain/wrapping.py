"""Lines that fit the terminal: plain mode breaks its lines at spaces, so the terminal never splits a word.

A terminal wraps a line that is longer than it is wide at its last column,
mid-word, and a screen reader then reads "…the ball of your foot, t" and
"hen straighten…". When the output is a terminal, a long line is broken at
word boundaries to the width it has now (asked afresh for each line, so a
resized window is followed without a SIGWINCH handler). When it is not (a pipe,
a file, a test's StringIO), lines stay whole for the program that reads them.

Width is counted in the terminal's cells: a Chinese character takes two. Chinese
has no spaces, so a line breaks between any two characters, except before a
closing mark (，。！？) that must end the line it follows.
"""

from __future__ import annotations

import os
import re
import textwrap
from typing import TextIO

from coach.i18n import cells

_CLOSING = "，。、！？；：）」』》〉,.!?;:)"
_BREAK = r"[^\S\u00a0\u202f]"  # a space a line may break at: not French's no-break spaces before ? ! : ;
_GLUE = "\u00a0\u202f"  # no-break spaces: what follows one stays on its line
_PIECE = re.compile(rf"{_BREAK}+|[^\s{_CLOSING}](?:[{_GLUE}]*[{_CLOSING}])*|[{_GLUE}]+[{_CLOSING}]*|[{_CLOSING}]+")


def _breaks(piece: str) -> bool:
    return piece.isspace() and not any(glue in piece for glue in _GLUE)


def _narrow(piece: str) -> bool:
    """No wide character in it (a combining accent takes no cell, so "é" written as e + U+0301 is narrow)."""
    return cells(piece) <= len(piece)


def fit(text: str, stream: TextIO) -> str:
    """`text` as one or more lines, each no wider than the terminal `stream` is; unchanged if it is no terminal."""
    width = terminal_width(stream)
    if width is None or cells(text) <= width:
        return text
    if cells(text) == len(text):
        # A word longer than the whole width (a long path) must still be cut: the terminal would cut it anyway.
        return "\n".join(textwrap.wrap(text, width, break_on_hyphens=False)) or text
    return "\n".join(wrap_wide(text, width))


def lines_at(text: str, width: int) -> list[str]:
    """`text`'s lines at `width` cells: as it is where it fits on one, else broken by `wrap_wide` (which would
    join its spaces: "示范 (中文)  1:22" lost one)."""
    if "\n" not in text and cells(text) <= width:
        return [text]
    return wrap_wide(text, max(1, width)) or [""]


def wrap_wide(text: str, width: int) -> list[str]:
    """Lines of at most `width` cells, broken at spaces, and between wide characters (never before a closing
    mark); what is left over of a word (a run with no space) longer than a line is cut."""
    lines: list[str] = []
    line = ""
    for piece in _pieces(text):
        if _breaks(piece):
            if line:
                line += " "
            continue
        # a run of narrow letters is one word; a wide character (with its closing mark) is a word of its own
        if cells(line.rstrip()) + (1 if line.endswith(" ") else 0) + cells(piece) > width and line.strip():
            lines.append(line.rstrip())
            line = ""
        while cells(piece) > width:  # longer than a whole line: cut it, as the terminal would
            cut = _longest_prefix(piece, width)
            lines.append(cut)
            piece = piece[len(cut) :]
        line += piece
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _pieces(text: str) -> list[str]:
    """Spaces, words of narrow letters, and each wide character with the closing marks that follow it."""
    pieces: list[str] = []
    for match in _PIECE.finditer(text):
        piece = match.group()
        if pieces and piece[0] in _GLUE:
            pieces[-1] += piece  # never a break before a no-break space
        elif _breaks(piece) or _narrow(piece):
            if pieces and not _breaks(piece) and not _breaks(pieces[-1]) and _narrow(pieces[-1]):
                pieces[-1] += piece  # narrow letters run on: one word
            else:
                pieces.append(piece)
        else:
            pieces.append(piece)
    return pieces


def _longest_prefix(text: str, width: int) -> str:
    end = 1
    while end < len(text) and cells(text[: end + 1]) <= width:
        end += 1
    return text[:end]


def terminal_width(stream: TextIO) -> int | None:
    """The width of the terminal `stream` writes to, or None when it is not a terminal."""
    try:
        if not stream.isatty():
            return None
        columns = os.get_terminal_size(stream.fileno()).columns
    except (OSError, ValueError):  # closed, no file descriptor, or a terminal that does not know its size
        return None
    return columns if columns > 0 else None
