"""What each quick command imports: start-up is most of their time, and `bench/run` holds them to a ratio of
`python -c pass` (`coach history` at most 5 times, `coach --version` 3 times)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT


def imported(*argv: str) -> set[str]:
    """The modules `python -m coach ARGV` imports, as `-X importtime` lists them."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "coach", *argv], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return {line.rsplit("|", 1)[1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}


@pytest.mark.parametrize("argv", [("history",), ("history", "--csv"), ("--version",)])
def test_the_quick_commands_import_neither_the_loader_nor_the_timeline(argv: tuple[str, ...]) -> None:
    # `coach history` needs ProgramError and escape() from coach.program: importing them brought the whole
    # loader, validator and timeline with the package, a fifth of the command's start-up.
    modules = imported(*argv)
    assert not modules & {"coach.program.load", "coach.program.validate", "coach.timeline", "tomllib", "textual"}


@pytest.mark.parametrize("argv", [("history",), ("history", "--csv"), ("--version",)])
def test_the_quick_commands_import_no_module_they_do_not_use(argv: tuple[str, ...]) -> None:
    # statistics for one mean, json for a number in an error message, typing for TYPE_CHECKING and pathlib in
    # cli.py for one option: a fifth of `coach history`'s imports and of `coach --version`'s, by -X importtime.
    # `coach history` does use typing now: its records are NamedTuples (dataclasses brought inspect, and more).
    # shutil (with bz2, lzma and zlib) came with argparse's help formatter, made for every option, for the width.
    # locale came with argparse's lookups of its own words in the system's catalogs, where Python ships none.
    # pathlib (with urllib.parse and ipaddress) took 3.8 ms, a third of python's start: the folders are strings.
    unused = {"statistics", "json", "dataclasses", "inspect", "shutil", "locale", "pathlib"}
    unused |= {"typing", "textwrap"} if argv == ("--version",) else set()
    assert not imported(*argv) & unused
