"""Read a program file from disk, safely, and hand its TOML to the validator.

The file may come from a stranger: it is checked to be a regular file of at
most 1 MiB before it is read, decoded strictly as UTF-8, and parsed as data.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import sys

from coach.program.errors import Problem, ProgramError
from coach.program.locate import locate
from coach.program.model import Program
from coach.program.validate import build_program

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

MAX_BYTES = 1024 * 1024
_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


def load_program(path: str | os.PathLike[str]) -> Program:
    """The program in the file at `path`, or `ProgramError` saying what is wrong."""
    name = os.fspath(path)
    return parse_program(_read(name), file=name)


def parse_program(data: bytes, *, file: str = "<program>") -> Program:
    """The program in `data`, the bytes of a program file named `file` in messages."""

    def fail(line: int | None, field: str, message: str) -> ProgramError:
        return ProgramError([Problem(file, line, "", field, message)])

    if len(data) > MAX_BYTES:
        raise fail(None, "", f"the file is larger than 1 MiB ({len(data)} bytes)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise fail(line, "", f"the file is not UTF-8 text (byte 0x{data[error.start]:02x})") from None
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise fail(1, "", "the file is empty; a program starts with format = 1")
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        position = _TOML_POSITION.search(message)
        detail = message[: position.start()] if position else message
        where = f" (column {position.group(2)})" if position else ""
        raise fail(int(position.group(1)) if position else None, "TOML syntax", f"{detail}{where}") from None
    except RecursionError:
        raise fail(None, "TOML syntax", "values are nested too deeply") from None
    return build_program(doc, locate(text), file, hashlib.sha256(data).hexdigest())


def _read(name: str) -> bytes:
    def fail(message: str) -> ProgramError:
        return ProgramError([Problem(name, None, "", "", message)])

    try:
        info = os.stat(name)
    except FileNotFoundError:
        raise fail("no such file") from None
    except OSError as error:
        raise fail(f"cannot be read ({error.strerror})") from None
    if stat.S_ISDIR(info.st_mode):
        raise fail("is a folder, not a program file")
    if not stat.S_ISREG(info.st_mode):
        raise fail("is not a regular file (a pipe or a device?); give a .toml file")
    if info.st_size > MAX_BYTES:
        raise fail(f"the file is larger than 1 MiB ({info.st_size} bytes)")
    try:
        with open(name, "rb") as handle:
            return handle.read(MAX_BYTES + 1)
    except OSError as error:
        raise fail(f"cannot be read ({error.strerror})") from None
