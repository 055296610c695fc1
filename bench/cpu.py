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

Start-up is apart: the goal is the CPU each takes in steady state, from 5 s
after its start (`--warmup`) to 2 s before the step's end, read from /proc while it runs
(10 ms ticks); the whole run's CPU is shown beside it.

Run: `python bench/cpu.py` (about 4 minutes; `--only player` runs the player
beside termdown alone). Goals, over the same window: the player at most 0.5 of
termdown's steady CPU and under 60 MB; plain mode without speech at most 0.05
of it and under 25 MB.
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
# share of termdown's CPU in steady state (from --warmup to the step's end), MB
GOALS = {"player": (0.5, 60.0), "plain": (0.05, 25.0)}


def drain(master: int) -> None:
    """Read a pseudo-terminal until it closes: a terminal that nobody reads would block the writer."""
    while True:
        try:
            if not os.read(master, 65536):
                return
        except OSError:
            return


TICK = os.sysconf("SC_CLK_TCK")


def tree_cpu_s(pid: int) -> float:
    """CPU seconds (user + system) of `pid`, of the children it waited for and of the live ones, from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        children = [
            int(child)
            for task in Path(f"/proc/{pid}/task").iterdir()
            for child in (task / "children").read_text().split()
        ]
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    own = sum(int(value) for value in fields[11:15]) / TICK  # utime, stime, cutime, cstime
    return own + sum(tree_cpu_s(child) for child in children)


def measure(argv: list[str], env: dict[str, str], window: tuple[float, float]) -> dict[str, float]:
    """Run `argv` in an 80x24 pty until it ends; its CPU seconds, peak memory and wall time.

    `steady_cpu_s` is the CPU it took between `window`'s two times after the start (start-up is apart).
    """
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
    samples: list[float] = []

    def sample() -> None:
        for at in window:
            time.sleep(max(0.0, started + at - time.monotonic()))
            samples.append(tree_cpu_s(pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(pid, 0)
    sampler.join(0)
    os.close(master)
    assert os.waitstatus_to_exitcode(status) == 0, f"{argv} ended with {status}"
    assert len(samples) == 2, f"{argv} ended before {window[1]} s"
    return {
        "steady_cpu_s": round(samples[1] - samples[0], 3),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
        "peak_mb": round(usage.ru_maxrss / 1024, 1),  # Linux reports kilobytes
        "wall_s": round(time.monotonic() - started, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60, help="length of the timed step and of termdown's count")
    parser.add_argument("--rounds", type=int, default=3, help="rounds to take the median of (CPU time varies)")
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds after the start before steady state")
    parser.add_argument("--only", nargs="*", default=None, help="run only these (termdown always)")
    args = parser.parse_args()
    window = (args.warmup, args.seconds - 2.0)  # ends before termdown's count does, whatever the load
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
    if args.only is not None:
        runs = {name: argv for name, argv in runs.items() if name == "termdown" or name in args.only}
    rounds: dict[str, list[dict[str, float]]] = {name: [] for name in runs}

    def run(name: str) -> None:
        rounds[name].append(measure(runs[name], env, window))

    for _ in range(args.rounds):  # all side by side in each round; the median round of each counts
        threads = [threading.Thread(target=run, args=(name,)) for name in runs]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    results = {
        name: sorted(figures, key=lambda f: f["steady_cpu_s"])[len(figures) // 2] for name, figures in rounds.items()
    }
    base = results["termdown"]
    for name in runs.keys() - {"termdown"}:  # steady state is the goal; the whole run, start-up included, is shown
        steady = results[name]["steady_cpu_s"] / max(base["steady_cpu_s"], 1 / TICK)
        results[name]["steady_vs_termdown"] = round(steady, 3)
        results[name]["cpu_vs_termdown"] = round(results[name]["cpu_s"] / base["cpu_s"], 3)
    results["window_s"] = list(window)  # type: ignore[assignment]
    print(json.dumps(results, indent=1))
    out = Path(os.environ.get("COACH_BENCH_RESULTS") or ROOT / "bench" / "results")
    out.mkdir(exist_ok=True)
    (out / "cpu.json").write_text(json.dumps(results, indent=1) + "\n")
    print(table(results))
    missed = [
        name
        for name, (share, megabytes) in GOALS.items()
        if name in results and (results[name]["steady_vs_termdown"] > share or results[name]["peak_mb"] >= megabytes)
    ]
    for name in missed:
        print(f"missed: {name}")
    return 1 if missed else 0


def table(results: dict[str, dict[str, float]]) -> str:
    start, end = results["window_s"]
    termdown = results["termdown"]
    rows = [
        (f"run, timed step ({start:g}-{end:g} s is steady)", "steady CPU", "vs termdown", "whole run", "peak", "goal"),
        ("---", "---", "---", "---", "---", "---"),
        ("`termdown`", f"{termdown['steady_cpu_s']} s", "1", f"{termdown['cpu_s']} s", f"{termdown['peak_mb']} MB", ""),
    ]
    for name, label, goal in (
        ("bare_textual", "a bare Textual app, 1 Hz `Digits` (reference)", ""),
        ("player", "`coach run --speech none` (the player)", "≤ 0.5 of termdown, < 60 MB"),
        ("plain", "`coach run --plain --speech none`", "≤ 0.05 of termdown, < 25 MB"),
        ("plain_pyttsx3", "`coach run --plain` with pyttsx3", ""),
    ):
        if name not in results:
            continue
        figures = results[name]
        rows.append(
            (
                label,
                f"{figures['steady_cpu_s']} s",
                str(figures["steady_vs_termdown"]),
                f"{figures['cpu_s']} s ({figures['cpu_vs_termdown']})",
                f"{figures['peak_mb']} MB",
                goal,
            )
        )
    return "\n".join("| " + " | ".join(row) + " |" for row in rows)


if __name__ == "__main__":
    raise SystemExit(main())
