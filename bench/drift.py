"""Benchmark (not a test): where the last cue of a 20-minute timed step lands against its schedule.

A real 20 minutes would not fit a benchmark run, so the session plays on a
clock that runs `--speed` times faster than the monotonic clock (20: one
minute of real time) but is otherwise the real one: `drive` waits on it with
`threading.Event.wait`, exactly as on the monotonic clock, and every deadline
is still the step's origin plus the cue's offset. Lateness is measured on the
real clock, in real milliseconds, for every cue; drift is the last cue's
lateness (and its difference from the first's). Speech is a silent engine
through the real speaker, in plain mode.

Run: `python bench/drift.py` (about a minute).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coach.program import load_program  # noqa: E402
from coach.session.clock import MonotonicClock  # noqa: E402
from coach.speech.speaker import Record  # noqa: E402
from coach.timeline import compile_program  # noqa: E402
from coach.views.plain.play import play_plain  # noqa: E402

PROGRAM = ROOT / "bench" / "programs" / "twenty-minutes.toml"
GOAL_MS = 20.0


class FastClock(MonotonicClock):
    """The monotonic clock, `speed` times faster from the moment it is made."""

    def __init__(self, speed: float) -> None:
        self.speed = speed
        self.start = time.monotonic()

    def now(self) -> float:
        return self.start + (time.monotonic() - self.start) * self.speed

    def wait_until(self, deadline: float | None, wake: threading.Event) -> None:
        if deadline is None:
            wake.wait()
            return
        remaining = (deadline - self.now()) / self.speed
        if remaining > 0:
            wake.wait(remaining)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--speed", type=float, default=20.0, help="session seconds per real second")
    parser.add_argument("--minutes", type=int, default=20, help="length of the timed step")
    args = parser.parse_args()
    program = load_program(PROGRAM)
    if args.minutes != 20:
        from dataclasses import replace

        program = replace(program, steps=(replace(program.steps[0], duration=args.minutes * 60),))
    timeline = compile_program(program)
    clock = FastClock(args.speed)
    records: list[Record] = []
    outcome = play_plain(timeline, out=io.StringIO(), clock=clock, on_spoken=records.append)
    assert outcome == "completed", outcome
    said = sorted((record for record in records if record.started is not None), key=lambda r: r.utterance.due)
    # Session-clock lateness divided by the speed is real lateness: the clock is linear in real time.
    late_ms = [(record.started - record.utterance.due) / args.speed * 1000 for record in said]  # type: ignore[operator]
    last = next(record for record in reversed(said) if record.utterance.text == "Time is up.")
    results = {
        "step_minutes": args.minutes,
        "speed": args.speed,
        "cues": len(said),
        "last_cue": last.utterance.text,
        "last_cue_late_ms": round((last.started - last.utterance.due) / args.speed * 1000, 2),  # type: ignore[operator]
        "first_cue_late_ms": round(late_ms[0], 2),
        "median_late_ms": round(statistics.median(late_ms), 2),
        "max_late_ms": round(max(late_ms), 2),
    }
    results["drift_ms"] = round(results["last_cue_late_ms"] - results["first_cue_late_ms"], 2)
    print(json.dumps(results, indent=1))
    out = Path(os.environ.get("COACH_BENCH_RESULTS") or ROOT / "bench" / "results")
    out.mkdir(exist_ok=True)
    (out / "drift.json").write_text(json.dumps(results, indent=1) + "\n")
    print("| measure | real ms | goal |\n| --- | --- | --- |")
    print(
        f"| last cue of a {args.minutes}-minute step ({last.utterance.text!r}) | {results['last_cue_late_ms']} | ≤ 20 |"
    )
    return 0 if abs(results["last_cue_late_ms"]) <= GOAL_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
