"""Spoken phrases as a microphone would hear them: espeak-ng's voice, as 16 kHz mono WAVs for the stand-in recorder."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tests.conftest import BIN, require_tool

RECORDER = BIN / "recorder"
AUDIO = Path(__file__).resolve().parent / ".spoken"  # made once, reused by every run (ignored by git)


def spoken(folder: Path, text: str, voice: str = "en-us", rate: int = 150) -> Path:
    """`text` said by espeak-ng, resampled to what the recognizer reads; made once per folder."""
    require_tool("espeak-ng")
    require_tool("sox")
    out = folder / f"{voice}-{rate}-{text.replace(' ', '-')}.wav"
    if not out.exists():
        folder.mkdir(parents=True, exist_ok=True)
        raw, made = out.with_suffix(f".{os.getpid()}.22k.wav"), out.with_suffix(f".{os.getpid()}.wav")
        subprocess.run(["espeak-ng", "-v", voice, "-s", str(rate), "-w", str(raw), text], check=True)
        subprocess.run(["sox", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(made)], check=True)
        raw.unlink()
        made.replace(out)  # whole or not at all: xdist's workers may make the same phrase at once
    return out


def recorder(*script: str | Path) -> str:
    """`--listen-command` for the stand-in recorder playing `script` (WAVs, `quiet:S`, `wait:PATH`)."""
    return " ".join([str(RECORDER), *(str(item) for item in script)])
