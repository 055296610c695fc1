"""Experiment (not a test): how often pyttsx3 2.99 renders a sentence as an empty WAV, and whether the
worker's wait for espeak to be idle prevents it (issue 15.10).

pyttsx3's espeak driver runs espeak-ng in its asynchronous RETRIEVAL mode and says "finished-utterance"
from inside espeak's own thread, before that thread is done. A `save_to_file` started in that gap gets
one callback, MSG_TERMINATED with no samples, and a 44-byte WAV; espeak_Synth itself returns EE_OK.
On 2026-12-04: 8 empty in 5,320 back-to-back renders without the wait (0.15 %), 0 in 4,200 with it.
The cause is espeak-ng's (its issue 2286 reports callback data missing in RETRIEVAL mode across threads).

Run: `python bench/empty_renders.py [--rounds 10]` (a minute or two per mode).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import wave
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coach.speech.pyttsx3_worker import IDLE_LIMIT, _espeak_busy  # noqa: E402

SENTENCES = ("Step 3 of 4. Breathe.", "Release.", "Hold.", "3", "2", "1", "Time is up.")
RATES = (150, 170, 190, 210)


def renders(rounds: int, wait_for_idle: bool) -> tuple[int, int]:
    """(renders, empty ones) of SENTENCES at each of RATES, `rounds` times over, back to back."""
    import pyttsx3  # here only: the worker is the one module of the coach that imports it

    engine = pyttsx3.init()
    path = str(Path(tempfile.mkdtemp(prefix="coach-empty-")) / "render.wav")
    total = empty = 0
    for _ in range(rounds):
        for rate in RATES:
            engine.setProperty("rate", rate)
            for text in SENTENCES:
                deadline = time.monotonic() + IDLE_LIMIT
                while wait_for_idle and _espeak_busy() and time.monotonic() < deadline:
                    time.sleep(0.002)
                engine.save_to_file(text, path)
                engine.runAndWait()
                with wave.open(path) as rendered:
                    empty += rendered.getnframes() == 0
                total += 1
    return total, empty


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--mode", choices=("raw", "worker"), help="one mode (each runs in a process of its own)")
    options = parser.parse_args()
    if options.mode:
        total, empty = renders(options.rounds, wait_for_idle=options.mode == "worker")
        print(json.dumps({"mode": options.mode, "renders": total, "empty": empty}))
        return
    import subprocess

    for mode in ("raw", "worker"):  # a process each: espeak is initialised once per process
        out = subprocess.run(
            [sys.executable, __file__, "--mode", mode, "--rounds", str(options.rounds)],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        print(next(line for line in out.splitlines() if line.startswith("{")))


if __name__ == "__main__":
    main()
