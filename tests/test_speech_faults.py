"""When speech fails, the session goes on, on time, in text, and says once what is missing.

Each case is a real `coach run --plain` on a real clock; the cases run side
by side so that together they take one short session's time. Every line's
arrival is timed and compared with the schedule `coach preview` gives.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import BIN, ROOT, run_coach
from tests.timed_run import ON_TIME, TimedRun

TINY = str(ROOT / "tests" / "programs" / "good" / "tiny.toml")
SAY_LOG = f"{BIN / 'say-log'} {{rate}} {{text}}"
NOTE = "The session goes on in text; speech is tried again at the next step."


def schedule() -> list[tuple[float, str, float]]:
    cues = json.loads(run_coach("preview", TINY, "--json").stdout)
    return [(cue["at"], cue["text"], cue["length"]) for cue in cues if cue["kind"] != "tone"]


def cases(tmp_path: Path) -> dict[str, TimedRun]:
    import os

    failing = tmp_path / "fail"
    failing.touch()
    base = {**os.environ, "COACH_TEST_LOG": str(tmp_path / "log")}
    command = ["run", TINY, "--plain", "--speech", "command"]
    nothing_on_path = tmp_path / "empty-bin"
    nothing_on_path.mkdir()
    return {
        "missing": TimedRun([*command, "--speech-command", "no-such-speech-program {text}"], base),
        "exit 1": TimedRun([*command, "--speech-command", SAY_LOG], {**base, "COACH_TEST_FAIL": str(failing)}),
        "hangs 30 s": TimedRun([*command, "--speech-command", SAY_LOG], {**base, "COACH_TEST_SPEAK_SECONDS": "30"}),
        "pyttsx3, no aplay": TimedRun(
            ["run", TINY, "--plain", "--speech", "pyttsx3"], {**base, "PATH": str(nothing_on_path)}
        ),
    }


NOTICES = {
    "missing": "Speech is off: the speech command no-such-speech-program was not found.",
    "exit 1": f"Speech is off: {BIN / 'say-log'} stopped with exit status 1.",
    "hangs 30 s": f"Speech is off: {BIN / 'say-log'} did not finish within 9 seconds.",
    "pyttsx3, no aplay": "Speech is off: the audio player aplay is not installed. "
    "On Debian or Ubuntu: sudo apt install espeak-ng alsa-utils",
}


pytestmark = pytest.mark.xdist_group("faults")  # one worker runs the side-by-side sessions once


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, TimedRun]:
    started = cases(tmp_path_factory.mktemp("faults"))
    threads = [run.start() for run in started.values()]
    for thread in threads:
        thread.join(90)
    return started


@pytest.mark.parametrize("case", sorted(NOTICES))
def test_a_speech_fault_is_told_once_and_the_session_keeps_its_schedule(runs: dict[str, TimedRun], case: str) -> None:
    run = runs[case]
    assert run.status == 0, run.stderr
    assert run.stderr == ""
    notices = [line for _, line in run.lines if line.startswith("Speech is off")]
    assert notices == [f"{NOTICES[case]} {NOTE}"]
    cues = [(at, line) for at, line in run.lines if not line.startswith("Speech is off")]
    planned = schedule()
    assert [line for _, line in cues] == [text for _, text, _ in planned]
    origin = cues[0][0]
    for (arrived, text), (at, _, _) in zip(cues, planned):
        assert abs((arrived - origin) - at) < ON_TIME, f"{text!r} came {arrived - origin - at:+.2f} s off schedule"
    last_at, _, last_length = planned[-1]
    assert run.exited_at - origin < last_at + last_length + 3.0


def test_nothing_the_engine_prints_reaches_the_terminal(runs: dict[str, TimedRun]) -> None:
    for run in runs.values():
        output = "\n".join(line for _, line in run.lines) + run.stderr
        assert "say-log" not in output.replace(str(BIN / "say-log"), "")
        assert "ALSA" not in output and "Traceback" not in output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--speech", "command"], "--speech command needs --speech-command"),
        (["--speech", "command", "--speech-command", "say 'open"], "--speech-command: No closing quotation"),
        (["--speech", "command", "--speech-command", ""], "--speech-command is empty"),
    ],
)
def test_a_bad_speech_option_is_one_line_and_exit_2(args: list[str], message: str) -> None:
    result = run_coach("run", TINY, "--plain", *args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith(message) and result.stderr.count("\n") == 1


@pytest.mark.parametrize("rate", ["10", "fast", "9999"])
def test_a_rate_out_of_range_is_refused(rate: str) -> None:
    result = run_coach("run", TINY, "--plain", "--rate", rate)
    assert result.returncode == 2
    assert "--rate: expected words per minute from 80 to 450" in result.stderr
    assert "Traceback" not in result.stderr
