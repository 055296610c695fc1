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
