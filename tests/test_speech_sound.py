"""Silence is never taken for speech: a player that cannot open the sound device, a render with no sound.

With espeak-ng installed but no usable sound device, aplay exits 1 ("audio open error") for every
sentence. The stand-in aplay (tests/bin) does exactly that while the file $COACH_TEST_APLAY_FAIL
exists. Real espeak-ng renders, through pyttsx3 and through the espeak engine; a real `coach run
--plain` on the real clock, side by side, read line by line as a hands-free user's screen reader
would read them.
"""

from __future__ import annotations

import os
import wave
from pathlib import Path

import pytest

from tests.audio import played, rms
from tests.conftest import BIN, ROOT, require_tool, run_coach, stand_in_audio
from tests.timed_run import TimedRun

QUICK = str(ROOT / "tests" / "programs" / "good" / "quick.toml")
NO_DEVICE = "No sound: the audio device could not be opened. Check"
NO_SOUND = "No sound: the speech engine made no sound for"
AGAIN = "Speech is working again."
NOTE = "The session goes on in text; speech is tried again at the next step."
ENGINES = ("pyttsx3", "espeak")


def failing_player(tmp_path: Path) -> dict[str, str]:
    """The stand-in aplay, told to fail as aplay does with no sound device."""
    failing = tmp_path / "no-device"
    failing.touch()
    return {**stand_in_audio(tmp_path / "audio"), "COACH_TEST_APLAY_FAIL": str(failing)}


@pytest.mark.parametrize("engine", ENGINES)
def test_coach_say_with_no_sound_device_exits_1_with_one_line(tmp_path: Path, engine: str) -> None:
    result = run_coach("say", "--speech", engine, "Take a slow breath in.", env=failing_player(tmp_path))
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith(NO_DEVICE) and result.stderr.count("\n") == 1, result.stderr
    assert "ALSA" not in result.stderr and "aplay:" not in result.stderr
    assert (tmp_path / "audio" / "failures.log").exists()  # the player was really tried


@pytest.mark.parametrize("engine", ENGINES)
def test_a_sentence_rendered_as_silence_is_not_taken_for_speech(tmp_path: Path, engine: str) -> None:
    """espeak-ng renders "." as 154 samples of silence: `coach say` used to exit 0, having "said" it."""
    audio = tmp_path / "audio"
    result = run_coach("say", "--speech", engine, ".", env=stand_in_audio(audio))
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith(NO_SOUND) and result.stderr.count("\n") == 1, result.stderr
    assert played(audio) == []  # silence is never sent to the player


@pytest.mark.parametrize("engine", ENGINES)
def test_coach_say_still_speaks_through_the_player(tmp_path: Path, engine: str) -> None:
    audio = tmp_path / "audio"
    result = run_coach("say", "--speech", engine, "Take a slow breath in.", env=stand_in_audio(audio))
    assert result.returncode == 0, result.stderr
    assert result.stdout == result.stderr == ""
    [wav] = played(audio)
    assert rms(wav) > 0.02


# --- a session, read as a hands-free user would -------------------------------------------------


pytestmark = pytest.mark.xdist_group("sound")  # one worker runs the side-by-side sessions once


@pytest.fixture(scope="module")
def sessions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[TimedRun, Path]]:
    require_tool("espeak-ng")
    started: dict[str, tuple[TimedRun, Path]] = {}
    for engine in ENGINES:
        for case in ("no device", "device comes back"):
            folder = tmp_path_factory.mktemp(f"{engine}-{case.replace(' ', '-')}")
            env = {**os.environ, **failing_player(folder)}
            failing = Path(env["COACH_TEST_APLAY_FAIL"])

            def on_line(line: str, pid: int, failing: Path = failing, case: str = case) -> None:
                if case == "device comes back" and line.startswith("Step 2 of 4"):
                    failing.unlink(missing_ok=True)

            run = TimedRun(["run", QUICK, "--plain", "--speech", engine], env, on_line=on_line)
            started[f"{engine}, {case}"] = (run, folder / "audio")
    threads = [run.start() for run, _ in started.values()]
    for thread in threads:
        thread.join(90)
    return started


@pytest.mark.slow
@pytest.mark.parametrize("engine", ENGINES)
def test_a_session_with_no_sound_device_says_so_once_in_the_first_step(
    sessions: dict[str, tuple[TimedRun, Path]], engine: str
) -> None:
    run, audio = sessions[f"{engine}, no device"]
    assert run.status == 0, run.stderr
    assert run.stderr == ""
    texts = [line for _, line in run.lines]
    told = [line for line in texts if line.startswith("No sound")]
    assert len(told) == 1, texts
    assert told[0].startswith(NO_DEVICE) and told[0].endswith(NOTE)
    assert texts.index(told[0]) < texts.index("Step 2 of 4. Two.")  # within the first step
    assert AGAIN not in texts
    tries = (audio / "failures.log").read_text().splitlines()
    assert len(tries) >= 4, tries  # tried again at every step, told only once
    assert played(audio) == []


@pytest.mark.slow
@pytest.mark.parametrize("engine", ENGINES)
def test_a_sound_device_that_comes_back_is_used_from_the_next_step(
    sessions: dict[str, tuple[TimedRun, Path]], engine: str
) -> None:
    run, audio = sessions[f"{engine}, device comes back"]
    assert run.status == 0, run.stderr
    texts = [line for _, line in run.lines]
    told = [line for line in texts if line.startswith("No sound")]
    assert len(told) == 1 and texts.index(told[0]) < texts.index("Step 2 of 4. Two."), texts
    assert texts.count(AGAIN) == 1, texts
    wavs = played(audio)
    assert wavs and all(rms(wav) > 0.02 for wav in wavs)


# --- the empty WAV of issue 15.10 ----------------------------------------------------------------

BREATHE = """format = 1

[program]
title = "Empty WAV"
check_in = false

[[steps]]
kind = "reps"
title = "Crunch"
reps = 9
pace = "2s"

[[steps]]
kind = "hold"
title = "Bridge"
hold = "3s"
reps = 3
rest = "2s"

[[steps]]
kind = "timed"
title = "Breathe"
duration = "4s"

[[steps]]
kind = "reps"
title = "Squat"
reps = 3
pace = "2s"
"""


def frames(path: Path) -> int:
    with wave.open(str(path)) as audio:
        return int(audio.getnframes())


@pytest.mark.slow
def test_every_sentence_of_a_session_is_played_with_sound(tmp_path: Path) -> None:
    """The program of issue 15.10: 34 sentences, the 24th "Step 3 of 4. Breathe.", about a second after
    "Release."; pyttsx3 once played that one as a 44-byte WAV while the session believed it spoken."""
    program = tmp_path / "breathe.toml"
    program.write_text(BREATHE)
    audio = tmp_path / "audio"
    result = run_coach("run", str(program), "--plain", "--speech", "pyttsx3", env=stand_in_audio(audio), timeout=150)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    breathe = lines.index("Step 3 of 4. Breathe.")  # the sentence that came out empty, just after a release
    assert breathe > 20 and lines[breathe - 1] == "Release."
    wavs = played(audio)
    assert len(wavs) == len(lines)
    empty = [(text, frames(wav)) for text, wav in zip(lines, wavs) if frames(wav) == 0 or rms(wav) < 0.02]
    assert empty == []


def test_the_stand_in_player_fails_as_aplay_does(tmp_path: Path) -> None:
    env = failing_player(tmp_path)
    import subprocess

    result = subprocess.run(
        [str(BIN / "aplay"), "-q", "-"], input=b"RIFF", capture_output=True, env={**os.environ, **env}, check=False
    )
    assert result.returncode == 1 and b"audio open error" in result.stderr
