"""Benchmark (not a test): is every cue spoken on time, on the real clock, through real processes?

Plays `bench/programs/two-minutes.toml` (2:42) in plain mode twice at once:

- with the `command` engine pointed at `bench/bin/log-cue`, a logger that
  notes when it was started: lateness from schedule to the engine, and to
  the logger's own start;
- with pyttsx3 (espeak-ng) and the stand-in `aplay` of the tests, which notes
  when playback would start and stays busy for the WAV's length: lateness
  from schedule to playback.

Then cuts a long sentence ten times with each engine, and with rendered
speech (espeak-ng's WAV played by the stand-in `aplay`), and times how long the
speech process takes to end. Schedule times are on the monotonic clock and
the logs on the wall clock; one offset, taken at the start, joins them.

The two sessions play side by side. Run: `python bench/speech.py` (about 3
minutes), or `--quick` for the 13 s tiny program (a smoke run; its figures are
not the benchmark).
"""

from __future__ import annotations

import argparse
import io
import itertools
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coach.program import load_program  # noqa: E402
from coach.session.clock import MonotonicClock  # noqa: E402
from coach.session.engine import Event  # noqa: E402
from coach.speech.engine import Engine  # noqa: E402
from coach.speech.espeak import EspeakEngine  # noqa: E402
from coach.speech.process import CommandEngine  # noqa: E402
from coach.speech.pyttsx3_engine import Pyttsx3Engine  # noqa: E402
from coach.speech.speaker import Record, Speaker  # noqa: E402
from coach.timeline import Priority, compile_program  # noqa: E402
from coach.views.plain.play import play_plain  # noqa: E402
from tests.processes import alive  # noqa: E402

PROGRAM = ROOT / "bench" / "programs" / "two-minutes.toml"
TINY = ROOT / "tests" / "programs" / "good" / "tiny.toml"
LOG_CUE = ROOT / "bench" / "bin" / "log-cue"
STAND_INS = ROOT / "tests" / "bin"
GOALS = {"p99_ms": 20.0, "spacing_ms": 20.0, "cut_ms": 100.0}
LONG = "Kneel on the floor with your knees tucked under you, and stretch your arms out in front of you."


def wall_offset() -> float:
    """Wall clock minus monotonic clock, the median of a few close readings."""
    return statistics.median(time.time() - time.monotonic() for _ in range(9))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summary(lateness_s: list[float]) -> dict[str, float]:
    ms = [value * 1000 for value in lateness_s]
    return {
        "n": len(ms),
        "p50_ms": round(percentile(ms, 0.5), 2),
        "p99_ms": round(percentile(ms, 0.99), 2),
        "max_ms": round(max(ms), 2),
    }


def stamps(path: Path) -> list[float]:
    return [float(line.split()[0]) for line in path.read_text().splitlines()] if path.exists() else []


def count_spacing(spoken: list[Record], starts: list[float]) -> list[float]:
    """Seconds between the starts of 3 and 2, and of 2 and 1, in each hold's countdown."""
    gaps = []
    for (a, start_a), (b, start_b) in itertools.pairwise(zip(spoken, starts, strict=True)):
        if a.utterance.kind == b.utterance.kind == "count" and (a.utterance.text, b.utterance.text) in {
            ("3", "2"),
            ("2", "1"),
        }:
            gaps.append(start_b - start_a)
    return gaps


def session(engine: Engine, program: Path) -> tuple[list[Record], float]:
    records: list[Record] = []
    offset = wall_offset()
    timeline = compile_program(load_program(program))
    outcome = play_plain(timeline, out=io.StringIO(), engine=engine, on_spoken=records.append)
    assert outcome == "completed", outcome
    return records, offset


def timing(engine_name: str, engine: Engine, log: Path, program: Path) -> dict[str, Any]:
    records, offset = session(engine, program)
    spoken = sorted((r for r in records if r.outcome == "spoken"), key=lambda r: r.utterance.due)
    reached = [r.started - r.utterance.due for r in spoken if r.started is not None]
    started = stamps(log)
    assert len(started) == len(spoken), f"{engine_name}: {len(started)} starts logged for {len(spoken)} utterances"
    at_process = [start - (r.utterance.due + offset) for r, start in zip(spoken, started, strict=True)]
    spacing = count_spacing(spoken, started)
    return {
        "engine": engine_name,
        "utterances": len(records),
        "dropped": len(records) - len(spoken),
        "to_engine": summary(reached),
        "to_sound" if engine_name == "pyttsx3" else "to_process": summary(at_process),
        "first_cue_ms": round(at_process[0] * 1000, 2),
        "spacing_321": {
            "n": len(spacing),
            "min_s": round(min(spacing, default=1.0), 4),
            "max_s": round(max(spacing, default=1.0), 4),
            "worst_error_ms": round(max((abs(gap - 1.0) for gap in spacing), default=0.0) * 1000, 2),
        },
    }


def cut_latency(engine: Engine, pids: Path, times: int = 10) -> dict[str, float]:
    """Milliseconds from a safety cue to the end of the process saying a long sentence."""
    speaker = Speaker(engine, clock=MonotonicClock())
    speaker.start()
    assert speaker.wait_ready(15)
    latencies = []
    try:
        for attempt in range(times):
            known = len(pids.read_text().splitlines()) if pids.exists() else 0
            speaker.say(Event(time.monotonic(), f"{LONG} {attempt}", Priority.ANNOUNCE, "say", 1, 1))
            while len(pids.read_text().splitlines() if pids.exists() else []) <= known:
                time.sleep(0.001)
            pid = int(pids.read_text().splitlines()[-1].split()[1])
            pressed = time.monotonic()
            speaker.say(Event(time.monotonic(), "Stop.", Priority.SAFETY, "pain_stop", 1, 1))
            while alive(pid):
                time.sleep(0.0005)
            latencies.append((time.monotonic() - pressed) * 1000)
            speaker.cancel()  # the stand-in would say "Stop." for as long as the long sentence
            assert speaker.wait_idle(10)
    finally:
        speaker.close()
    median, worst = statistics.median(latencies), max(latencies)
    return {"n": len(latencies), "median_ms": round(median, 2), "max_ms": round(worst, 2)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a 13-second smoke run; its figures are not the benchmark")
    quick = parser.parse_args().quick
    program = TINY if quick else PROGRAM
    folder = Path(tempfile.mkdtemp(prefix="coach-bench-"))
    os.environ["PATH"] = f"{STAND_INS}{os.pathsep}{os.environ['PATH']}"
    os.environ["COACH_BENCH_LOG"] = str(folder / "command.log")
    os.environ["COACH_TEST_AUDIO"] = str(folder / "audio")
    (folder / "audio").mkdir()
    timings: dict[str, dict[str, Any]] = {}
    sessions = [  # side by side: the same machine at the same time, and half the wait
        threading.Thread(
            target=lambda: timings.update(
                command=timing("command", CommandEngine(f"{LOG_CUE} {{text}}"), folder / "command.log", program)
            )
        ),
        threading.Thread(
            target=lambda: timings.update(
                pyttsx3=timing("pyttsx3", Pyttsx3Engine(), folder / "audio" / "starts.log", program)
            )
        ),
    ]
    for thread in sessions:
        thread.start()
    for thread in sessions:
        thread.join()
    command, pyttsx3 = timings["command"], timings["pyttsx3"]
    os.environ["COACH_TEST_LOG"] = str(folder / "cut.log")
    os.environ["COACH_TEST_SPEAK_SECONDS"] = "10"
    times = 3 if quick else 10
    cuts = {
        "command": cut_latency(CommandEngine(f"{STAND_INS / 'say-log'} {{rate}} {{text}}"), folder / "cut.log", times),
        "pyttsx3": cut_latency(Pyttsx3Engine(), folder / "audio" / "starts.log", times),
        "espeak": cut_latency(EspeakEngine(), folder / "audio" / "starts.log", times),  # rendered: its player
    }
    results = {"program": program.name, "command": command, "pyttsx3": pyttsx3, "cut": cuts}
    print(json.dumps(results, indent=1))
    out = Path(os.environ.get("COACH_BENCH_RESULTS") or ROOT / "bench" / "results")
    out.mkdir(exist_ok=True)
    (out / ("speech-quick.json" if quick else "speech.json")).write_text(json.dumps(results, indent=1) + "\n")
    print(table(results))
    missed = missed_goals(results)
    for goal in missed:
        print(f"missed: {goal}")
    return 1 if missed else 0


def table(results: dict[str, Any]) -> str:
    command, pyttsx3, cuts = results["command"], results["pyttsx3"], results["cut"]

    def late(figures: dict[str, float]) -> str:
        return f"p50 {figures['p50_ms']} / p99 {figures['p99_ms']} / max {figures['max_ms']} ms"

    def spacing(entry: dict[str, Any]) -> str:
        figures = entry["spacing_321"]
        return f"{figures['min_s']}-{figures['max_s']} s (n={figures['n']})"

    def cut(figures: dict[str, float]) -> str:  # median / worst
        return f"{figures['median_ms']} / {figures['max_ms']} ms"

    def first(entry: dict[str, Any]) -> str:
        return f"{entry['first_cue_ms']} ms"

    rows = [
        ("measure", "command engine (logger)", "pyttsx3 (espeak-ng, to playback)", "goal"),
        ("---", "---", "---", "---"),
        ("cue lateness, schedule to engine", late(command["to_engine"]), late(pyttsx3["to_engine"]), "p99 ≤ 20 ms"),
        ("cue lateness, schedule to process / sound", late(command["to_process"]), late(pyttsx3["to_sound"]), ""),
        ("3-2-1 spacing", spacing(command), spacing(pyttsx3), "1 s ± 20 ms"),
        ("first cue (warm start), to process / sound", first(command), first(pyttsx3), ""),
        (
            "utterances / dropped",
            f"{command['utterances']} / {command['dropped']}",
            f"{pyttsx3['utterances']} / {pyttsx3['dropped']}",
            "none dropped",
        ),
        (f"cut a long sentence ({cuts['command']['n']} times)", cut(cuts["command"]), cut(cuts["pyttsx3"]), "≤ 100 ms"),
        ("cut rendered speech (espeak-ng's WAV, its player)", "", cut(cuts["espeak"]), "≤ 100 ms"),
    ]
    return "\n".join("| " + " | ".join(row) + " |" for row in rows)


def missed_goals(results: dict[str, Any]) -> list[str]:
    missed = []
    for name in ("command", "pyttsx3"):
        entry = results[name]
        to_engine, spacing = entry["to_engine"], entry["spacing_321"]
        if to_engine["p99_ms"] > GOALS["p99_ms"]:
            missed.append(f"{name}: p99 lateness to the engine {to_engine['p99_ms']} ms")
        if spacing["worst_error_ms"] > GOALS["spacing_ms"]:
            missed.append(f"{name}: 3-2-1 spacing off by {spacing['worst_error_ms']} ms")
        if entry["dropped"]:
            missed.append(f"{name}: {entry['dropped']} utterances dropped")
    for name, cut in results["cut"].items():
        if cut["max_ms"] > GOALS["cut_ms"]:
            missed.append(f"{name}: cutting took up to {cut['max_ms']} ms")
    return missed


if __name__ == "__main__":
    raise SystemExit(main())
