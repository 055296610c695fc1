"""Benchmark (not a test): the fast subset of the tests, as a developer runs it while working.

`pytest -m "not slow" -n 2`, the README's command, three times: the median's wall time is judged against the
goal of 30 s on 2 cores. That goal is in seconds, unlike the others, because it is a person's wait; beside it
stand the CPU it took and a reference of fixed work timed in the same run (ten million additions), so that
runs on machines of different speeds can be set side by side. The first of the three runs is preceded by a
collection alone, which writes pytest's cache of rewritten test modules as a developer's first run would.
Run: `python bench/fast_tests.py` (`--quick`: one test module, once, to check it works).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shlex
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FAST = [sys.executable, "-m", "pytest", "-m", "not slow", "-n", "2", "-q", "-p", "no:cacheprovider"]
GOAL_S = 30.0


def reference_s() -> float:
    """Seconds for a fixed piece of pure-Python work: how fast this machine is, now."""
    started = time.perf_counter()
    total = 0
    for number in range(10_000_000):
        total += number
    return time.perf_counter() - started


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds (every process it started included) of `command`, which must pass."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    run = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if run.returncode != 0:  # 2, not SystemExit's 1 for a message: bench/run reads 1 as a goal missed
        print(f"bench/fast_tests.py: the tests failed:\n{run.stdout[-3000:]}{run.stderr[-2000:]}", file=sys.stderr)
        raise SystemExit(2)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one small module, once: checks the benchmark runs")
    quick = parser.parse_args().quick
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env.pop("COACH_BENCH_RESULTS", None)
    command = [*FAST, "tests/test_timeline.py"] if quick else FAST
    subprocess.run([*command, "--collect-only"], cwd=ROOT, env=env, capture_output=True)
    reference = reference_s()
    runs = [timed(command, env) for _ in range(1 if quick else 3)]
    walls = [wall for wall, _ in runs]
    median = round(statistics.median(walls), 1)
    results = {
        "command": shlex.join(["python", *command[1:]]),
        "wall_s": [round(wall, 1) for wall in walls],
        "cpu_s": [round(cpu, 1) for _, cpu in runs],
        "median_wall_s": median,
        "reference_s": round(reference, 2),
        "median_over_reference": round(median / reference, 1),
        "goal_s": GOAL_S,
    }
    print(json.dumps(results, indent=1))
    out = Path(os.environ.get("COACH_BENCH_RESULTS") or ROOT / "bench" / "results")
    out.mkdir(exist_ok=True)
    (out / "fast_tests.json").write_text(json.dumps(results, indent=1) + "\n")
    return 0 if quick or median <= GOAL_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
