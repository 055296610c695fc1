"""Benchmark (not a test): `coach history` over ten years of daily sessions (3,650).

The history is made once in a temporary folder, with six steps per session
like the bundled programs, then `coach history` (the table and a summary),
`--csv` and `--program` are each timed as a person runs them, beside
`python -c pass` in the same run: the goal is at most 5 times its time.
Run: `python bench/history.py`.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core import startup_against_python  # noqa: E402  (bench/ is on the path when run as a script)

from coach.history.store import History  # noqa: E402

GOAL_OVER_PYTHON = 5.0  # each over `python -c pass` timed in the same run: absolute times drift between machines
SESSIONS = 3650
OUTCOMES = ("completed",) * 8 + ("stopped", "pain", None)


def fill(path: Path, sessions: int = SESSIONS) -> None:
    history = History(path)  # the file and its tables, made as the coach makes them
    history.end(history.begin("demo", "Demo", "/demo.toml", "0" * 64, time.time()), "completed", time.time())
    history.close()
    start = time.time() - sessions * 86400
    with sqlite3.connect(path) as db:
        for day in range(sessions):
            outcome = OUTCOMES[day % len(OUTCOMES)]
            began = start + day * 86400
            cursor = db.execute(
                "INSERT INTO sessions (program, title, path, sha256, started, ended, outcome, pain_before, pain_after)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    "low-back-relief",
                    "Low back relief",
                    "/usr/share/coach/low-back-relief.toml",
                    "0" * 64,
                    began,
                    None if outcome is None else began + 1500,
                    outcome,
                    day % 6,
                    None if outcome is None else (day + 2) % 5,
                ),
            )
            db.executemany(
                "INSERT INTO steps (session, number, title, kind, completed, hold, reps, at)"
                " VALUES (?, ?, ?, ?, 1, ?, ?, ?)",
                [(cursor.lastrowid, n, f"Step {n}", "hold", 10 + day % 50, 3, began + n * 200) for n in range(1, 7)],
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=SESSIONS, help="days of history to make")
    sessions = parser.parse_args().sessions
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder)
        fill(data / "history.sqlite3", sessions)
        os.environ["COACH_DATA_DIR"] = str(data)
        coach = [sys.executable, "-m", "coach", "history"]
        table, as_csv, one = startup_against_python(
            [coach, [*coach, "--csv"], [*coach, "--program", "low-back-relief"]], repeat=9
        )
    baseline = table.reference_ms
    results = {
        "sessions": sessions,
        "python_c_pass_ms": round(baseline, 1),
        "coach_history_ms": round(table.ms, 1),
        "coach_history_csv_ms": round(as_csv.ms, 1),
        "coach_history_program_ms": round(one.ms, 1),
        "coach_history_over_python": round(table.ratio, 2),
        "coach_history_csv_over_python": round(as_csv.ratio, 2),
        "coach_history_program_over_python": round(one.ratio, 2),
    }
    print(json.dumps(results, indent=1))
    out = Path(os.environ.get("COACH_BENCH_RESULTS") or ROOT / "bench" / "results")
    out.mkdir(exist_ok=True)
    (out / "history.json").write_text(json.dumps(results, indent=1) + "\n")
    print("| measure | median | goal |\n| --- | --- | --- |")
    print(f"| `python -c pass` | {baseline:.1f} ms | |")
    for label, timed in (
        (f"`coach history`, {sessions} sessions", table),
        ("`coach history --csv`", as_csv),
        ("`coach history --program low-back-relief`", one),
    ):
        print(f"| {label} | {timed.ms:.1f} ms ({timed.ratio:.2f}× python) | ≤ {GOAL_OVER_PYTHON:g}× python |")
    return 0 if max(table.ratio, as_csv.ratio, one.ratio) <= GOAL_OVER_PYTHON else 1


if __name__ == "__main__":
    raise SystemExit(main())
