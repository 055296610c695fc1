"""Shared fixtures: where the test programs are, and how to skip for a missing tool.

A test that needs a system tool (espeak-ng, tmux, sox) skips with a reason
where the tool is absent, except under CI (`CI=true`), where `.ci/run` has
installed it and its absence is a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROGRAMS = Path(__file__).resolve().parent / "programs"


def require_tool(name: str) -> str:
    """The path of a system tool, or a skip (a failure under CI) that says how to install it."""
    found = shutil.which(name)
    if found:
        return found
    message = f"{name} is not installed (Debian: apt-get install {name}); .ci/run installs it"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"under CI, {message}")
    pytest.skip(message)


def run_coach(
    *args: str, env: dict[str, str] | None = None, timeout: float = 60, stdin: int | None = subprocess.DEVNULL
) -> subprocess.CompletedProcess[str]:
    """`coach ARGS` in a fresh interpreter, as a person would run it."""
    return subprocess.run(
        [sys.executable, "-m", "coach", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        stdin=stdin,
        env={**os.environ, **(env or {})},
    )


BIN = Path(__file__).resolve().parent / "bin"


def stand_in_audio(folder: Path) -> dict[str, str]:
    """Environment for a run whose `aplay` is the stand-in that keeps each WAV in `folder`."""
    require_tool("espeak-ng")
    folder.mkdir(parents=True, exist_ok=True)
    return {"PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "COACH_TEST_AUDIO": str(folder)}
