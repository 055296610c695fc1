"""Cue timing against real speech lengths: espeak-ng says every sentence, a fake clock plays every program.

Each program's sentences are said in its own language's voice (`es`, `fr`, `cmn`), as a session says them.

The timeline is built from estimated sentence lengths. If espeak-ng, which
pyttsx3 drives on Linux, takes longer than the estimate, the engine is still
busy when the next cue is due and that cue comes late. Here espeak-ng
writes each sentence of every bundled program to a WAV, and each program is
played on a fake clock through the speaker's own backlog rules with one
engine that is busy for exactly those WAV lengths. The real-clock version
of this, with processes and threads, is `bench/speech.py`.
"""

from __future__ import annotations

import statistics
import subprocess
import tempfile
import wave
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from coach.timeline import DROPPABLE, compile_program, estimate
from coach.timeline.estimate import slowness
from tests.conftest import require_tool
from tests.helpers import bundled_programs, play_with_speech

PROGRAMS = bundled_programs()
TIMELINES = {name: compile_program(program) for name, program in PROGRAMS.items()}
VOICES = {"en": "en", "es": "es", "fr": "fr", "zh": "cmn"}  # espeak-ng's, as `voice_for` chooses them
LANGUAGES = {said_by: language for language, said_by in VOICES.items()}
# One worker runs the module, so its fixture speaks every sentence once: spread over seven workers it was spoken
# seven times, 35 s each under a full run's load, and the CPU went from the real-clock tests beside them.
pytestmark = pytest.mark.xdist_group("speech-timing")


def voice(name: str) -> str:
    return VOICES[PROGRAMS[name].language]


def wav_seconds(path: Path) -> float:
    with wave.open(str(path)) as audio:
        return float(audio.getnframes() / audio.getframerate())


@pytest.fixture(scope="module")
def spoken() -> dict[str, dict[str, float]]:
    """How long espeak-ng at 170 wpm takes to say every sentence of every bundled program, by voice."""
    espeak = require_tool("espeak-ng")
    wanted = sorted(
        {
            (voice(name), cue.text)
            for name, timeline in TIMELINES.items()
            for seg in timeline.segments
            for cue in seg.cues
        }
    )
    with tempfile.TemporaryDirectory() as folder:

        def length(item: tuple[int, tuple[str, str]]) -> tuple[str, str, float]:
            index, (said_by, text) = item
            wav = Path(folder) / f"{index}.wav"
            argv = [espeak, "-v", said_by, "-s", "170", "-w", str(wav), "--stdin"]
            subprocess.run(argv, input=text.encode(), check=True)
            return said_by, text, wav_seconds(wav)

        lengths: dict[str, dict[str, float]] = {}
        with ThreadPoolExecutor(4) as pool:
            for said_by, text, seconds in pool.map(length, enumerate(wanted)):
                lengths.setdefault(said_by, {})[text] = seconds
        return lengths


def test_every_bundled_sentence_is_estimated_at_least_as_long_as_espeak_says_it(
    spoken: dict[str, dict[str, float]],
) -> None:
    assert set(spoken) == set(VOICES.values()) and all(len(texts) > 20 for texts in spoken.values())
    short = {
        (said_by, text): (seconds, estimate(text, slower=slowness(LANGUAGES[said_by])))
        for said_by, texts in spoken.items()
        for text, seconds in texts.items()
        if seconds > estimate(text, slower=slowness(LANGUAGES[said_by])) + 0.01
    }
    assert short == {}


@pytest.mark.parametrize("name", sorted(TIMELINES))
def test_every_cue_starts_on_time_and_3_2_1_is_one_second_apart(name: str, spoken: dict[str, dict[str, float]]) -> None:
    played = play_with_speech(TIMELINES[name], spoken[voice(name)])
    assert [u.text for u, start in played if start is None] == []  # nothing dropped, not even a count
    lateness = sorted(start - u.due for u, start in played if start is not None)
    assert lateness[int(0.99 * (len(lateness) - 1))] <= 0.020
    counts = [(u, start) for u, start in played if u.kind == "count" and u.priority in DROPPABLE]
    gaps = [
        later - earlier
        for (a, earlier), (b, later) in zip(counts, counts[1:])
        if earlier is not None and later is not None and (a.text, b.text) in {("3", "2"), ("2", "1")}
    ]
    assert gaps, "a program with holds has 3-2-1 counts"
    assert all(abs(gap - 1.0) <= 0.020 for gap in gaps)
    assert statistics.mean(gaps) == pytest.approx(1.0, abs=0.001)
