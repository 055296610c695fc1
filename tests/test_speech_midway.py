"""Speech that fails in the middle of a session and then recovers: it crashes, hangs, disappears, comes back.

Each case is a real `coach run --plain` on the real clock, side by side; the fault is injected when the
line "Step 2 of 4" is seen and taken away at "Step 3 of 4". The session must keep its schedule to within
half a second on every line, say once that speech is off, and once that it works again.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import BIN, ROOT, require_tool, run_coach
from tests.processes import descendants
from tests.timed_run import ON_TIME, TimedRun

QUICK = str(ROOT / "tests" / "programs" / "good" / "quick.toml")
AGAIN = "Speech is working again."


def flip(start: Callable[[int], None], end: Callable[[int], None]) -> Callable[[str, int], None]:
    """A fault from "Step 2" to "Step 3"."""

    def on_line(line: str, pid: int) -> None:
        if line.startswith("Step 2 of 4"):
            start(pid)
        elif line.startswith("Step 3 of 4"):
            end(pid)

    return on_line


def kill_worker(pid: int) -> None:
    for child in descendants(pid):
        if b"pyttsx3_worker" in Path(f"/proc/{child}/cmdline").read_bytes():
            os.kill(child, signal.SIGKILL)


pytestmark = pytest.mark.xdist_group("midway")  # one worker runs the side-by-side sessions once


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, TimedRun]:
    require_tool("espeak-ng")
    folder = tmp_path_factory.mktemp("midway")
    (folder / "audio").mkdir()
    base = {**os.environ, "COACH_TEST_LOG": str(folder / "log"), "COACH_TEST_AUDIO": str(folder / "audio")}
    base["PATH"] = f"{BIN}{os.pathsep}{base['PATH']}"
    fail, hang, speaker = folder / "fail", folder / "hang", folder / "speak"
    speaker.symlink_to(BIN / "say-log")
    command = ["run", QUICK, "--plain", "--speech", "command"]
    cases = {
        "fails": TimedRun(
            [*command, "--speech-command", f"{BIN / 'say-log'} {{rate}} {{text}}"],
            {**base, "COACH_TEST_FAIL": str(fail)},
            on_line=flip(lambda pid: fail.touch(), lambda pid: fail.unlink()),
        ),
        "hangs": TimedRun(
            [*command, "--speech-command", f"{BIN / 'say-log'} {{rate}} {{text}}"],
            {**base, "COACH_TEST_HANG": str(hang)},
            on_line=flip(lambda pid: hang.touch(), lambda pid: hang.unlink()),
        ),
        "disappears": TimedRun(
            [*command, "--speech-command", f"{speaker} {{rate}} {{text}}"],
            base,
            on_line=flip(lambda pid: speaker.unlink(), lambda pid: speaker.symlink_to(BIN / "say-log")),
        ),
        "crashes": TimedRun(
            ["run", QUICK, "--plain", "--speech", "pyttsx3"], base, on_line=flip(kill_worker, lambda pid: None)
        ),
    }
    threads = [run.start() for run in cases.values()]
    for thread in threads:
        thread.join(90)
    return cases


def schedule(*engine: str) -> list[tuple[float, str]]:
    """What `coach preview` says the session plays with `engine`: on estimates for a command, and for pyttsx3 on
    the clips its run rendered into the cache (the same folder here)."""
    import json

    cues = json.loads(run_coach("preview", QUICK, "--json", "--speech", *engine).stdout)
    return [(cue["at"], cue["text"]) for cue in cues if cue["kind"] != "tone"]


def test_a_crashed_pyttsx3_worker_no_longer_stops_rendered_speech(runs: dict[str, TimedRun]) -> None:
    """Every sentence was rendered before it was due: the worker killed at step 2 takes nothing from the session."""
    run = runs["crashes"]
    assert run.status == 0 and run.stderr == "", run.stderr
    texts = [line for _, line in run.lines]
    assert not [line for line in texts if line.startswith(("Speech is off", "Speech stopped"))]
    planned = schedule("pyttsx3")
    assert texts == [text for _, text in planned]
    origin = run.lines[0][0] - planned[0][0]
    late = [round(at - origin - due, 3) for (at, _), (due, _) in zip(run.lines, planned, strict=True)]
    assert all(abs(lateness) <= ON_TIME for lateness in late), late


@pytest.mark.parametrize("case", ["fails", "hangs", "disappears"])
def test_speech_failing_midway_is_told_once_and_the_session_keeps_time(runs: dict[str, TimedRun], case: str) -> None:
    run = runs[case]
    assert run.status == 0, run.stderr
    assert run.stderr == ""
    texts = [line for _, line in run.lines]
    told = [line for line in texts if line.startswith(("Speech is off", "Speech stopped"))]
    assert len(told) == 1, texts
    assert told[0].endswith("The session goes on in text; speech is tried again at the next step.")
    assert texts.index(told[0]) > texts.index("Step 2 of 4. Two.")
    assert texts.count(AGAIN) == 1 and texts.index(AGAIN) > texts.index("Step 3 of 4. Three.")
    cues = [(at, line) for at, line in run.lines if line not in {told[0], AGAIN}]
    planned = schedule("command", "--speech-command", "say-log {text}")
    assert [line for _, line in cues] == [text for _, text in planned]
    origin = cues[0][0] - planned[0][0]
    late = [round(at - origin - due, 3) for (at, _), (due, _) in zip(cues, planned)]
    assert all(abs(lateness) <= ON_TIME for lateness in late), late


def test_the_cases_ran_side_by_side(runs: dict[str, TimedRun]) -> None:
    ends = [run.exited_at for run in runs.values()]
    assert max(ends) - min(ends) < 15
