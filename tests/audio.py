"""Reading what the stand-in `aplay` kept: the WAVs in the order they were played, and how they sound."""

from __future__ import annotations

import subprocess
import wave
from pathlib import Path

from tests.conftest import require_tool


def played(folder: Path, *, tones: bool = False) -> list[Path]:
    """The WAVs the stand-in was given, in the order it started them (named by their start time); the tones
    only with `tones`."""
    from coach.speech.tones import SOUNDS, tone_wav

    made = {tone_wav(name) for name in SOUNDS} if not tones else set()
    found = sorted(folder.glob("*.wav"), key=lambda path: float(path.stem))
    return [path for path in found if not made or path.stat().st_size > 40000 or path.read_bytes() not in made]


def seconds(path: Path) -> float:
    """The length of a WAV, as soxi reports it."""
    soxi = require_tool("soxi")
    return float(subprocess.run([soxi, "-D", str(path)], capture_output=True, text=True, check=True).stdout)


def rms(path: Path) -> float:
    """Root-mean-square amplitude from 0 to 1: silence is near 0, speech well above."""
    sox = require_tool("sox")
    report = subprocess.run([sox, str(path), "-n", "stat"], capture_output=True, text=True, check=True).stderr
    return next(float(line.split(":")[1]) for line in report.splitlines() if line.startswith("RMS     amplitude"))


def sample_rate(path: Path) -> int:
    with wave.open(str(path)) as audio:
        return int(audio.getframerate())
