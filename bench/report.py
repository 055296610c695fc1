"""Benchmark (not a test): `coach report` over ten years of daily sessions (3,650), charts included.

The history is the one bench/history.py makes (six hold steps a session, values that change); `coach
report` writes its HTML page (the last 12 weeks, as a therapist asks for it) and, for the record, the whole
ten years with `--weeks 520`, each timed as a person runs it, beside `python -c pass`. The goal: at most
40 times `python -c pass`. Run: `python bench/report.py`.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from history import SESSIONS, fill  # noqa: E402  (bench/ is on the path when run as a script)

GOAL_TIMES = 40.0  # times `python -c pass`


def timed_ms(argvs: list[list[str]], repeat: int) -> list[float]:
    """The median milliseconds of each command line, run in turn `repeat` times (interleaved, so that a
    busy moment on a shared machine falls on all of them alike), compiled first as pip installs it."""
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    compileall.compile_dir(ROOT / "coach", quiet=1)
    times: list[list[float]] = [[] for _ in argvs]
    for _ in range(repeat):
        for argv, kept in zip(argvs, times, strict=True):
            start = time.perf_counter()
            subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, check=True)
            kept.append((time.perf_counter() - start) * 1000)
    return [statistics.median(kept) for kept in times]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=SESSIONS, help="days of history to make")
    sessions = parser.parse_args().sessions
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder)
        fill(data / "history.sqlite3", sessions)
        os.environ["COACH_DATA_DIR"] = str(data)
        os.environ["COACH_CONFIG"] = str(data / "no-config.toml")
        python = [sys.executable]
        out = str(data / "report.html")
        baseline, report = timed_ms([[*python, "-c", "pass"], [*python, "-m", "coach", "report", "--out", out]], 9)
        (everything,) = timed_ms([[*python, "-m", "coach", "report", "--weeks", "520", "--out", out]], 3)
    results = {
        "sessions": sessions,
        "python_c_pass_ms": round(baseline, 1),
        "coach_report_ms": round(report, 1),
        "coach_report_over_python": round(report / baseline, 1),
        "coach_report_520_weeks_ms": round(everything, 1),
    }
    print(json.dumps(results, indent=1))
    folder_out = Path(os.environ.get("COACH_BENCH_RESULTS") or ROOT / "bench" / "results")
    folder_out.mkdir(exist_ok=True)
    (folder_out / "report.json").write_text(json.dumps(results, indent=1) + "\n")
    print("| measure | median | goal |\n| --- | --- | --- |")
    print(f"| `python -c pass` | {baseline:.1f} ms | |")
    print(f"| `coach report`, {sessions} sessions | {report:.1f} ms ({report / baseline:.0f}×) | ≤ {GOAL_TIMES:.0f}× |")
    print(f"| `coach report --weeks 520` | {everything:.1f} ms | |")
    return 0 if report <= GOAL_TIMES * baseline else 1


if __name__ == "__main__":
    raise SystemExit(main())
