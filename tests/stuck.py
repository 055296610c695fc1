"""Why a coach under test will not leave: its threads' states, and its Python stacks, asked for by SIGUSR1.

A failure that was seen once in a CI run and never again on this machine leaves only its message behind; this
puts in that message what the coach was doing (`coach.__main__` writes the stacks where $COACH_STACKS says).
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from tests.processes import command_line, descendants


def _read(path: Path) -> str:
    try:
        return path.read_text(errors="replace").strip()
    except OSError:
        return "?"


def report(root: int) -> str:
    """The processes under `root`, each thread's state and where the kernel has it waiting, and the stacks of
    every coach among them."""
    lines: list[str] = []
    coaches = []
    for pid in [root, *sorted(descendants(root))]:
        command = command_line(pid)
        lines.append(f"process {pid}: {command}")
        for task in sorted(Path(f"/proc/{pid}/task").glob("*")):
            state = _read(task / "stat").rsplit(")", 1)[-1].split()[:1]
            lines.append(f"  thread {task.name} {_read(task / 'comm')}: {' '.join(state)} in {_read(task / 'wchan')}")
        if command.split()[1:3] == ["-m", "coach"]:  # not the shell that started it, nor `-m coach.speech.reaper`
            coaches.append(pid)
    folder = os.environ.get("COACH_STACKS")
    for pid in coaches:
        try:
            os.kill(pid, signal.SIGUSR1)
        except OSError:
            continue
    if coaches and folder:
        time.sleep(1)  # a stopped coach writes nothing: its threads' states above say so
        for pid in coaches:
            lines.append(f"stacks of {pid}:\n{_read(Path(folder) / f'{pid}.txt')}")
    return "\n".join(lines)
