"""Read a program file from disk, safely, and hand its TOML to the validator.

The file may come from a stranger: it is checked to be a regular file of at
most 1 MiB before it is read, decoded strictly as UTF-8, and parsed as data.
"""

from __future__ import annotations

import hashlib
import os

from coach.program.errors import Problem, ProgramError
from coach.program.locate import Located
from coach.program.model import Program
from coach.program.reading import Unreadable, decode, read_bounded
from coach.program.syntax import TomlProblem, parse_toml
from coach.program.validate import build_program


def load_program(path: str | os.PathLike[str]) -> Program:
    """The program in the file at `path`, or `ProgramError` saying what is wrong."""
    name = os.fspath(path)
    try:
        data = read_bounded(name)
    except Unreadable as error:
        raise ProgramError([Problem(name, None, "", "", str(error))]) from None
    return parse_program(data, file=name)


def parse_program(data: bytes, *, file: str = "<program>") -> Program:
    """The program in `data`, the bytes of a program file named `file` in messages."""

    def fail(line: int | None, field: str, message: str) -> ProgramError:
        return ProgramError([Problem(file, line, "", field, message)])

    try:
        text = decode(data)
    except Unreadable as error:
        raise fail(error.line, "", str(error)) from None
    if not text.strip():
        raise fail(1, "", "the file is empty; a program starts with format = 1")
    try:
        doc = parse_toml(text)
    except TomlProblem as problem:
        raise fail(problem.line, "TOML syntax", str(problem)) from None
    return build_program(doc, Located(text), file, hashlib.sha256(data).hexdigest())
