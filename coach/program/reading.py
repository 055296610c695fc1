"""Reading a TOML file that may come from a stranger: a regular file, at most 1 MiB, strict UTF-8.

Program files and the config file are both read here, so neither can be a
FIFO that never ends, a device that never stops (`/dev/zero`), or a file that
fills memory: the path is checked before it is opened and the read is bounded.
"""

from __future__ import annotations

import os
import stat

MAX_BYTES = 1024 * 1024


class Unreadable(Exception):
    """A path that gives no text; `str()` is the reason, `line` where in the file, `missing` if it is absent."""

    def __init__(self, reason: str, *, line: int | None = None, missing: bool = False) -> None:
        super().__init__(reason)
        self.line = line
        self.missing = missing


def read_bounded(name: str, *, what: str = "a program file") -> bytes:
    """The bytes of the regular file `name`, at most `MAX_BYTES`; `Unreadable` says why not."""
    try:
        info = os.stat(name)
    except FileNotFoundError:
        raise Unreadable("no such file", missing=True) from None
    except OSError as error:
        raise Unreadable(f"cannot be read ({error.strerror})") from None
    if stat.S_ISDIR(info.st_mode):
        raise Unreadable(f"is a folder, not {what}")
    if not stat.S_ISREG(info.st_mode):
        raise Unreadable("is not a regular file (a pipe or a device?); give a .toml file")
    if info.st_size > MAX_BYTES:
        raise Unreadable(f"the file is larger than 1 MiB ({info.st_size} bytes)")
    try:
        # O_NONBLOCK: should the path become a FIFO after the check, opening it does not wait for a writer.
        descriptor = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(descriptor, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as error:
        raise Unreadable(f"cannot be read ({error.strerror})") from None
    if data is None or len(data) > MAX_BYTES:  # None: a pipe swapped in after the check, with nothing to read
        raise Unreadable("is not a regular file, or grew past 1 MiB while it was read")
    return data


def decode(data: bytes) -> str:
    """The text of a file's bytes: strict UTF-8, a byte-order mark dropped; `Unreadable` names the first bad byte."""
    if len(data) > MAX_BYTES:
        raise Unreadable(f"the file is larger than 1 MiB ({len(data)} bytes)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        byte = data[error.start]
        # how to mend it, too: a caregiver's walk saved a program as Latin-1, the default of some editors
        raise Unreadable(f"the file is not UTF-8 text (byte 0x{byte:02x}); save it as UTF-8", line=line) from None
    return text.removeprefix("\ufeff")
