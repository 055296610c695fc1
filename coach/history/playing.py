"""Which sessions are still playing: while its coach runs, a session holds a lock on a file of its own.

A session with no outcome is either still playing in another terminal or was cut short (a crash, a
closed window, `kill -9`). The history file cannot tell them apart, and a heartbeat could only guess
from time; the kernel knows: an `flock` is let go when the process holding it ends, however it ends.
So a coach holds an exclusive lock on `history.playing/ID` for as long as its session may write, and
a reader asks for a shared lock on that file, which is refused exactly while that coach lives. The
reader opens the file read-only and never makes one, so this works on read-only media too. Windows
has no `flock`: there, a session with no outcome shows as interrupted, as before.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time

if sys.platform != "win32":
    import fcntl

STALE_AFTER = 60.0  # seconds: older than any gap between making a session's file and locking it


def folder(history: str) -> str:
    """Beside the history file: `history.playing/`."""
    return os.path.splitext(history)[0] + ".playing"


class Hold:
    """The lock of one playing session; `release` (or the process's end) lets it go."""

    def __init__(self, history: str, session: int) -> None:
        here = folder(history)
        self.file = os.path.join(here, str(session))
        self._fd: int | None = None
        if sys.platform == "win32":
            return
        with contextlib.suppress(FileExistsError):
            os.mkdir(here)
        _sweep(here)
        self._fd = os.open(self.file, os.O_WRONLY | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # a new session's number: nobody holds it
        except OSError:
            os.close(self._fd)
            raise

    def release(self) -> None:
        """The session has ended (or will write no more): take its file away, then let the lock go."""
        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            os.unlink(self.file)
        os.close(self._fd)
        self._fd = None


def _sweep(here: str) -> None:
    """Take away the files of coaches that died (`kill -9` leaves one): those nobody holds, a while old.

    Only old ones: a file made a moment ago may belong to a coach that has not locked it yet.
    """
    if sys.platform == "win32":
        return
    try:
        stale = [entry for entry in os.scandir(here) if entry.stat().st_mtime < time.time() - STALE_AFTER]
    except OSError:
        return
    for entry in stale:
        with contextlib.suppress(OSError):
            fd = os.open(entry.path, os.O_WRONLY | os.O_CLOEXEC)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # refused while its coach lives
                os.unlink(entry.path)
            finally:
                os.close(fd)


def playing(history: str) -> set[int]:
    """The sessions whose coach is still running: those whose lock somebody holds."""
    if sys.platform == "win32":
        return set()
    try:
        here = folder(history)
        names = os.listdir(here)  # one look, however long the history: few files are ever here
    except OSError:  # no folder: no session has played since the coach began to keep it
        return set()
    return {int(name) for name in names if name.isdigit() and _held(os.path.join(here, name))}


def _held(file: str) -> bool:
    try:
        fd = os.open(file, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:  # gone since the folder was listed: its coach ended it
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:  # a file system without locks: nothing to tell by
        return False
    finally:
        os.close(fd)  # also lets go of the shared lock, if it was given
    return False
