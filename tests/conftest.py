"""Shared fixtures: where the test programs are, and how to skip for a missing tool.

A test that needs a system tool (espeak-ng, tmux, sox) skips with a reason
where the tool is absent, except under CI (`CI=true`), where `.ci/run` has
installed it and its absence is a failure.
"""

from __future__ import annotations

import atexit
import functools
import gc
import inspect
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# No test, nor any `coach` a test starts, ever touches the real history (per-test fixtures go further).
os.environ["COACH_DATA_DIR"] = tempfile.mkdtemp(prefix="coach-test-data-")
atexit.register(shutil.rmtree, os.environ["COACH_DATA_DIR"], True)
# Nor the real clip cache: rendered speech is kept in a folder of the test run's own, shared by its tests.
os.environ["COACH_CACHE_DIR"] = tempfile.mkdtemp(prefix="coach-test-cache-")
# What the coach shows outside a session follows the locale: the tests read English, whatever the machine's
# locale is; those of another language set their own.
os.environ["LC_ALL"] = "C.UTF-8"
for _locale in ("LANGUAGE", "LC_MESSAGES", "LANG"):
    os.environ.pop(_locale, None)
atexit.register(shutil.rmtree, os.environ["COACH_CACHE_DIR"], True)
# Every `coach` a test starts writes where its threads are on SIGUSR1 (coach.__main__): a test whose coach does
# not leave asks it why, and says so in its failure (`tests.stuck`).
os.environ["COACH_STACKS"] = tempfile.mkdtemp(prefix="coach-test-stacks-")
atexit.register(shutil.rmtree, os.environ["COACH_STACKS"], True)
# pytest-xdist's workers run with COLUMNS=80 and LINES=24, which every `coach` a test starts would
# inherit and take over its terminal's real size: under yasr the picker drew itself 24 rows high in a
# 50-row terminal and its last programs were never on screen (only in full runs, never alone).
for _size in ("COLUMNS", "LINES"):
    os.environ.pop(_size, None)
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


@pytest.fixture(autouse=True)
def english_interface() -> Iterator[None]:
    """A test that runs `coach` in-process in another language (`language = "fr"` in a config) set the
    interface's language for the rest of its worker: a later picker test read "Aucun programme ne correspond."."""
    yield
    from coach.i18n import use_interface

    use_interface("en")


@pytest.fixture(autouse=True)
def private_history(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test, and every `coach` it starts, records its sessions in a folder of its own."""
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path_factory.mktemp("data")))


# The fast subset (`pytest -m "not slow"`) is the headless core on a fake clock and the player under
# Textual's pilot: seconds in all. Everything that starts a real process, terminal, daemon or voice, or
# waits on a real clock (a MonotonicClock), is `slow`, found here rather than marked by hand so that a new test lands on
# the right side: a test is slow if its module is one of these, whose helpers start the real thing ...
REAL_MODULES = {
    "test_bench", "test_chooser", "test_crash", "test_history_files", "test_history_truth", "test_load",
    "test_no_color", "test_packaging", "test_plain", "test_readme", "test_screen_reader", "test_signals",
    "test_speech_children", "test_speech_conformance", "test_speech_engines", "test_speech_faults",
    "test_speech_midway", "test_speech_sound", "test_speech_timing", "test_terminals", "test_tmux",
    "test_voices", "test_wake", "test_listening_live", "test_rendered_live", "test_languages_live",
}  # fmt: skip
# ... or if its own body calls one of these, pauses Textual's pilot for a tenth of a second or more, or has the
# stand-in voice take real seconds to speak (COACH_TEST_SPEAK_SECONDS).
REAL_WORLD = re.compile(
    r"\b(run_coach|PtyCoach|PlainCoach|Tmux|TimedRun|ScreenReader|SpeechDispatcher|require_tool|stand_in_audio"
    r"|subprocess|Popen|sleep|MonotonicClock|COACH_TEST_SPEAK_SECONDS)\b"
    r"|\bpause\((?:0\.[1-9]|[1-9])"
)


@functools.cache
def _waits_on_the_real_world(function: object) -> bool:
    """Whether a test function's body matches `REAL_WORLD`: once per function, not once per parameter."""
    return bool(REAL_WORLD.search(inspect.getsource(function)))  # type: ignore[arg-type]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        function = getattr(item, "function", None)
        module = item.module.__name__.rsplit(".", 1)[-1] if isinstance(item, pytest.Function) else ""
        if module in REAL_MODULES or (function is not None and _waits_on_the_real_world(function)):
            item.add_marker(pytest.mark.slow)


# Textual's pilot waits for the app to go idle after every key and pause, 20 ms at a time: 140 player tests spent
# 27 of their 50 s asleep there. `tests/quick_idle.py` waits in shorter steps and does not mistake a busy machine
# for an idle app.
import tests.parsed_once  # noqa: E402
import tests.quick_idle  # noqa: E402
import tests.unseen_frames  # noqa: E402

tests.quick_idle.install()
tests.parsed_once.install()


def pytest_configure(config: pytest.Config) -> None:
    # The fast subset draws no frame nobody sees (`tests/unseen_frames.py`); the full suite draws them all.
    if "not slow" in (config.option.markexpr or ""):
        tests.unseen_frames.install()


def pytest_collection_finish(session: pytest.Session) -> None:
    # What collecting left (the modules, Textual, the tests) lives to the end of the run: Python's collector
    # need not walk it again at each full collection (1.3 s of the player tests' 30 s of CPU).
    gc.freeze()


@pytest.fixture(autouse=True)
def painted_frames(request: pytest.FixtureRequest) -> None:
    """Whether this test's frames are drawn when the fast subset skips drawing: those marked `painted` are."""
    tests.unseen_frames.painting = request.node.get_closest_marker("painted") is not None
