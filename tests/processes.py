"""Watching real processes and files from a test: is a process still running, has something happened yet."""

from __future__ import annotations

import ctypes
import os
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

# "At once" in a test on real processes: far sooner than the sentence a cut ends (5 s and more) or a wait for
# nothing, and far later than any machine's load, which stretched 100 ms bounds to 103 ms on CI. How soon
# exactly (≤ 100 ms) is bench/run's to judge (bench/speech.py), never a timed test's.
AT_ONCE = 1.0


def alive(pid: int) -> bool:
    """Running, that is: a killed process whose parent has not reaped it yet (a zombie) has ended.

    Linux only (it reads /proc): that is where the speech tests and benchmarks run.
    """
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in {"Z", "X"}


def wait_until(happened: Callable[[], bool], limit: float, what: Callable[[], str]) -> None:
    """Poll until `happened()`; fail with `what()` if `limit` seconds pass first."""
    deadline = time.monotonic() + limit
    while not happened():
        assert time.monotonic() < deadline, what()
        time.sleep(0.002)


def state(pid: int) -> str:
    """The process's state letter (R, S, T for stopped, Z), or "" when it is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return ""


def descendants(pid: int) -> set[int]:
    """Every living process below `pid`: its children, theirs, and so on."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents.setdefault(int(fields[1]), []).append(int(entry.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            if child not in found and alive(child):
                found.add(child)
                todo.append(child)
    return found


def rest_of(process: subprocess.Popen[str], timeout: float) -> tuple[str, str]:
    """What `communicate` gives, for a process whose stdout has already been read from by line.

    `communicate` reads the pipes' file descriptors, not the text wrapper: whatever `readline` had already
    buffered behind the line it returned is lost. A notice written in the same instant as a session's
    first line vanished that way in CI.
    """
    assert process.stdout is not None and process.stderr is not None
    if process.stdin is not None:
        process.stdin.close()
    out: list[str] = []
    err: list[str] = []
    readers = [
        threading.Thread(target=lambda: out.append(process.stdout.read()), daemon=True),  # type: ignore[union-attr]
        threading.Thread(target=lambda: err.append(process.stderr.read()), daemon=True),  # type: ignore[union-attr]
    ]
    for reader in readers:
        reader.start()
    process.wait(timeout)
    for reader in readers:
        reader.join(timeout)
    return "".join(out), "".join(err)


def signal_another_thread(pid: int, signum: int) -> int:
    """Send `signum` to a thread of `pid` other than its main one (the thread's id is returned).

    The kernel may hand a signal sent to a process to any of its threads; CPython then runs the handler in
    the main thread only once it runs Python code again, so a main thread blocked in a wait with no time limit
    never sees it. This makes that case happen every time instead of now and then.
    """
    threads = sorted(int(tid) for tid in os.listdir(f"/proc/{pid}/task") if int(tid) != pid)
    assert threads, f"process {pid} has no thread but its main one"
    if ctypes.CDLL(None, use_errno=True).tgkill(pid, threads[0], signum) != 0:
        raise OSError(ctypes.get_errno(), "tgkill failed")
    return threads[0]


def command_line(pid: int) -> str:
    """A process's command line, its arguments joined by spaces; "" once it is gone."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""
