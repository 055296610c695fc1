"""Benchmark (not a test): ten minutes on the real clock, and does memory grow?

Plays a ten-minute program of holds, counted repetitions and timers, in plain
mode and in the Textual player (each in its own 80x24 pseudo-terminal, side by
side, no speech), and samples each process's resident memory every 5 seconds.
Growth is the last minute's median against the second minute's (the first is
start-up). Run: `python bench/soak.py` (about 11 minutes).
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from cpu import drain  # noqa: E402  (bench/ is on the path when run as a script)

GOAL_GROWTH_MB = 1.0

STEPS = [
    '[[steps]]\nkind = "hold"\ntitle = "Plank {n}"\nhold = "20s"\nreps = 3\nrest = "5s"\ncues = ["Breathe slowly."]\n',
    '[[steps]]\nkind = "reps"\ntitle = "Bridges {n}"\nreps = 12\npace = "2s"\nsets = 2\nrest = "10s"\n',
    '[[steps]]\nkind = "timed"\ntitle = "Rest {n}"\nduration = "45s"\n',
]


def program(minutes: int) -> str:
    body, total, n = [], 0, 0
    while total < minutes * 60 + 60:  # a little over, since the estimates are rough
        body.append(STEPS[n % 3].format(n=n))
        total += (95, 70, 50)[n % 3]  # about what each takes, announcements included
        n += 1
    return 'format = 1\n[program]\ntitle = "Soak"\ncheck_in = false\n' + "".join(body)


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def run(argv: list[str], env: dict[str, str], samples: list[tuple[float, float]], every: float) -> int:
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    process = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, cwd=ROOT, env=env, start_new_session=True)
    os.close(slave)

    threading.Thread(target=drain, args=(master,), daemon=True).start()
    began = time.monotonic()
    while process.poll() is None:
        size = rss_mb(process.pid)
        if size is not None:
            samples.append((time.monotonic() - began, size))
        time.sleep(every)
    os.close(master)
    return process.returncode


def growth(samples: list[tuple[float, float]]) -> dict[str, float]:
    end = samples[-1][0]
    second = [size for at, size in samples if 60 <= at < 120] or [samples[0][1]]
    last = [size for at, size in samples if at >= end - 60 - 15 and at < end - 15] or [samples[-1][1]]  # before exit
    return {
        "minutes": round(end / 60, 1),
        "second_minute_mb": round(statistics.median(second), 2),
        "last_minute_mb": round(statistics.median(last), 2),
        "growth_mb": round(statistics.median(last) - statistics.median(second), 2),
        "peak_mb": round(max(size for _, size in samples), 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=int, default=10)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="coach-soak-"))
    path = folder / "soak.toml"
    path.write_text(program(args.minutes))
    env = {**os.environ, "TERM": "xterm-256color", "COACH_DATA_DIR": str(folder / "history")}
    coach = [sys.executable, "-m", "coach", "run", str(path), "--speech", "none"]
    samples: dict[str, list[tuple[float, float]]] = {"plain": [], "player": []}
    status: dict[str, int] = {}
    threads = [
        threading.Thread(target=lambda: status.update(plain=run([*coach, "--plain"], env, samples["plain"], 5))),
        threading.Thread(target=lambda: status.update(player=run(coach, env, samples["player"], 5))),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results = {name: {**growth(found), "exit": status[name]} for name, found in samples.items()}
    print(json.dumps(results, indent=1))
    out = Path(os.environ.get("COACH_BENCH_RESULTS") or ROOT / "bench" / "results")
    out.mkdir(exist_ok=True)
    (out / "soak.json").write_text(json.dumps(results, indent=1) + "\n")
    return 0 if all(entry["growth_mb"] < GOAL_GROWTH_MB and entry["exit"] == 0 for entry in results.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
