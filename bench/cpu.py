"""Benchmark (not a test): CPU and peak memory of the player and plain mode over a 60-second step, against termdown.

Each runs in its own pseudo-terminal of 80x24, side by side, so that they see
the same machine at the same time: `termdown 60` (PyPI), the Textual player
(`coach run`) and plain mode (`coach run --plain`) on
`bench/programs/one-minute.toml` without speech, and plain mode with pyttsx3
(espeak-ng; the stand-in `aplay` of the tests plays nothing), and for
reference a bare Textual app with a 1 Hz `Digits` (`bench/bare_textual.py`). The player
leaves its last screen up for 10 s before it exits by itself; that is counted. CPU time is user
plus system of the process and every child it waited for (the speech worker
included); peak memory is the largest resident set among them. Modules are
compiled to bytecode first, as `pip install` does.

Each is run three times (all side by side in each round) and the median
counts: CPU time on a shared machine varies by a fifth from run to run.

Run: `python bench/cpu.py` (about 4 minutes). Goals: the player at most 0.6
of termdown's CPU and under 60 MB; plain mode without speech at most a quarter
of termdown's CPU and under 25 MB.
"""

from __future__ import annotations

import argparse
import compileall
import fcntl
import json
import os
import shutil
import struct
import sys
import tempfile
import termios
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROGRAM = ROOT / "bench" / "programs" / "one-minute.toml"
GOALS = {"player": (0.6, 60.0), "plain": (0.25, 25.0)}  # share of termdown's CPU, MB


def drain(master: int) -> None:
    """Read a pseudo-terminal until it closes: a terminal that nobody reads would block the writer."""
    while True:
        try:
            if not os.read(master, 65536):
                return
        except OSError:
            return


def measure(argv: list[str], env: dict[str, str]) -> dict[str, float]:
    """Run `argv` in an 80x24 pty until it ends; its CPU seconds, peak memory and wall time."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:  # the child: its own session, the pty as its terminal
        os.setsid()
        fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
        for fd in (0, 1, 2):
            os.dup2(slave, fd)
        os.chdir(ROOT)
        os.execvpe(argv[0], argv, env)
    os.close(slave)

    reader = threading.Thread(target=drain, args=(master,), daemon=True)
    reader.start()
    _, status, usage = os.wait4(pid, 0)
    os.close(master)
    assert os.waitstatus_to_exitcode(status) == 0, f"{argv} ended with {status}"
    return {
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
        "peak_mb": round(usage.ru_maxrss / 1024, 1),  # Linux reports kilobytes
        "wall_s": round(time.monotonic() - started, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60, help="length of the timed step and of termdown's count")
    parser.add_argument("--rounds", type=int, default=3, help="rounds to take the median of (CPU time varies)")
    args = parser.parse_args()
    termdown = shutil.which("termdown") or str(Path(sys.executable).parent / "termdown")
    if not Path(termdown).exists():
        print("termdown is not installed: pip install termdown", file=sys.stderr)
        return 2
    folder = Path(tempfile.mkdtemp(prefix="coach-bench-"))
    program = folder / "timer.toml"
    program.write_text(PROGRAM.read_text().replace('"60s"', f'"{args.seconds}s"'))
    env = {**os.environ, "TERM": "xterm-256color", "PATH": f"{ROOT / 'tests' / 'bin'}{os.pathsep}{os.environ['PATH']}"}
    # As installed by pip, which compiles every module once: no source compiled at each start.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    compileall.compile_dir(ROOT / "coach", quiet=1)
    env["COACH_TEST_AUDIO"] = str(folder)
    env["COACH_DATA_DIR"] = str(folder / "history")  # the benchmark's sessions are not the person's
    coach = [sys.executable, "-m", "coach", "run", str(program)]
    runs = {
        "termdown": [termdown, str(args.seconds)],
        "bare_textual": [sys.executable, str(ROOT / "bench" / "bare_textual.py"), str(args.seconds)],
        "player": [*coach, "--speech", "none"],
        "plain": [*coach, "--plain", "--speech", "none"],
        "plain_pyttsx3": [*coach, "--plain", "--speech", "pyttsx3"],
    }
    rounds: dict[str, list[dict[str, float]]] = {name: [] for name in runs}

    def run(name: str) -> None:
        rounds[name].append(measure(runs[name], env))

    for _ in range(args.rounds):  # all side by side in each round; the median round of each counts
        threads = [threading.Thread(target=run, args=(name,)) for name in runs]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    results = {name: sorted(figures, key=lambda f: f["cpu_s"])[len(figures) // 2] for name, figures in rounds.items()}
    base = results["termdown"]["cpu_s"]
    for name in ("bare_textual", "player", "plain", "plain_pyttsx3"):
        results[name]["cpu_vs_termdown"] = round(results[name]["cpu_s"] / base, 3)
    print(json.dumps(results, indent=1))
    out = Path(os.environ.get("COACH_BENCH_RESULTS") or ROOT / "bench" / "results")
    out.mkdir(exist_ok=True)
    (out / "cpu.json").write_text(json.dumps(results, indent=1) + "\n")
    print(table(results))
    missed = [
        name
        for name, (share, megabytes) in GOALS.items()
        if results[name]["cpu_vs_termdown"] > share or results[name]["peak_mb"] >= megabytes
    ]
    for name in missed:
        print(f"missed: {name}")
    return 1 if missed else 0


def table(results: dict[str, dict[str, float]]) -> str:
    rows = [
        ("run, 60-second timed step", "CPU", "vs termdown", "peak memory", "goal"),
        ("---", "---", "---", "---", "---"),
        ("`termdown 60`", f"{results['termdown']['cpu_s']} s", "1", f"{results['termdown']['peak_mb']} MB", ""),
    ]
    for name, label, goal in (
        ("bare_textual", "a bare Textual app, 1 Hz `Digits` (reference)", ""),
        ("player", "`coach run --speech none` (the player)", "≤ 0.6 of termdown, < 60 MB"),
        ("plain", "`coach run --plain --speech none`", "≤ 0.25 of termdown, < 25 MB"),
        ("plain_pyttsx3", "`coach run --plain` with pyttsx3", ""),
    ):
        figures = results[name]
        rows.append((label, f"{figures['cpu_s']} s", str(figures["cpu_vs_termdown"]), f"{figures['peak_mb']} MB", goal))
    return "\n".join("| " + " | ".join(row) + " |" for row in rows)


if __name__ == "__main__":
    raise SystemExit(main())
