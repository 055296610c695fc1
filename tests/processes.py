"""Watching real processes and files from a test: is a process still running, has something happened yet."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path


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
