"""The README's first commands, run as written on a fresh copy of the project, as a new user runs them.

After the first command a new user types `coach`, as every later example does; the README must say
how that works, and what it says must work.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT, stand_in_audio


def try_it_blocks() -> list[str]:
    """The shell blocks of the README's "Try it" section, in order."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Try it", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)```", section, re.DOTALL)


def fresh_copy(folder: Path) -> Path:
    """The project's files as a clone has them: no venv, no caches."""
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    for name in listed:
        if (ROOT / name).is_file():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, folder / name)
    return folder


def bash(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-c", script], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


@pytest.mark.slow
def test_the_first_command_plays_the_demo_and_the_next_says_how_to_type_coach(tmp_path: Path) -> None:
    install, *rest = try_it_blocks()
    assert "coach run demo" in install
    activate = next(block for block in rest if "activate" in block)
    project = fresh_copy(tmp_path / "coach")
    env = {
        key: value for key, value in os.environ.items() if key not in {"VIRTUAL_ENV", "PYTHONPATH", "COACH_DATA_DIR"}
    }
    env |= stand_in_audio(tmp_path / "audio")  # real pyttsx3 and espeak-ng; a stand-in aplay, as no sound card
    env["PATH"] = os.pathsep.join(p for p in env["PATH"].split(os.pathsep) if ".venv" not in p)
    env["COACH_DATA_DIR"] = str(tmp_path / "data")

    assert bash("command -v coach", project, env).returncode != 0  # a new user has no coach yet
    first = bash(install, project, env)
    assert first.returncode == 0, first.stderr[-2000:]
    assert "Session complete. Well done." in first.stdout
    assert bash("coach --version", project, env).returncode == 127  # "command not found", as the README warns

    then = bash(activate + "command -v coach && coach list", project, env)
    assert then.returncode == 0, then.stderr
    where, *listing = then.stdout.splitlines()
    assert Path(where) == project / ".venv" / "bin" / "coach"
    assert any(line.startswith("demo ") for line in listing)
