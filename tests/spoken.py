"""Spoken phrases as a microphone would hear them: espeak-ng's voice, as 16 kHz mono WAVs for the stand-in recorder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import BIN, require_tool

RECORDER = BIN / "recorder"
AUDIO = Path(__file__).resolve().parent / ".spoken"  # made once, reused by every run (ignored by git)
ROOM_NOISE = "0.02"  # sox brownnoise amplitude: a quiet room, as in bench/listen.py


def spoken(folder: Path, text: str, voice: str = "en-us", rate: int = 150, *, room: bool = False) -> Path:
    """`text` said by espeak-ng, resampled to what the recognizer reads; made once per folder. With `room`, in
    a quiet room as a microphone hears it: low brown noise under it and a second of it before and after, the
    same noise at every run (sox's repeatable mode)."""
    require_tool("espeak-ng")
    require_tool("sox")
    out = folder / f"{voice}-{rate}-{text.replace(' ', '-')}{'-room' if room else ''}.wav"
    if not out.exists():
        folder.mkdir(parents=True, exist_ok=True)
        raw, made = out.with_suffix(f".{os.getpid()}.22k.wav"), out.with_suffix(f".{os.getpid()}.wav")
        subprocess.run(["espeak-ng", "-v", voice, "-s", str(rate), "-w", str(raw), text], check=True)
        to_16k = ["sox", "-R", str(raw), "-r", "16000", "-c", "1", "-b", "16"]  # -R: the same noise every run
        if room:
            clean, hum = made.with_suffix(".clean.wav"), made.with_suffix(".hum.wav")
            subprocess.run([*to_16k, str(clean), "pad", "1", "1"], check=True)
            length = subprocess.run(["soxi", "-D", str(clean)], capture_output=True, text=True, check=True).stdout
            subprocess.run(["sox", "-R", "-n", "-r", "16000", "-c", "1", "-b", "16", str(hum), "synth", length.strip(),
                            "brownnoise", "vol", ROOM_NOISE], check=True)  # fmt: skip
            subprocess.run(["sox", "-R", "-m", str(clean), str(hum), "-b", "16", str(made)], check=True)
            clean.unlink()
            hum.unlink()
        else:
            subprocess.run([*to_16k, str(made)], check=True)
        raw.unlink()
        made.replace(out)  # whole or not at all: xdist's workers may make the same phrase at once
    return out


def recorder(*script: str | Path) -> str:
    """`--listen-command` for the stand-in recorder playing `script` (WAVs, `quiet:S`, `wait:PATH`), run by this
    Python: through its `env python3` line a pyenv shim's bash stood 40 s under load before the recorder began
    (a fresh-clone CI run, where the coach then had no recorder to be checked for)."""
    return " ".join([sys.executable, str(RECORDER), *(str(item) for item in script)])
