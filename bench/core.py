"""Benchmark (not a test): loading + compiling a 500-step program, and start-up times.

Every goal is a ratio to a reference timed in the same run, since absolute
times on shared machines drift (`python -c pass` took 9.8 ms on one machine
and 32 ms on another): loading and compiling 500 steps against `tomllib`
alone parsing the same text, start-up against `python -c pass`.
Run: `python bench/core.py`.
"""

from __future__ import annotations

import argparse
import compileall
import fcntl
import json
import os
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coach.program import parse_program  # noqa: E402
from coach.timeline import compile_program  # noqa: E402

GOAL_COMPILE_OVER_TOML = 1.5  # load + compile 500 steps, over tomllib parsing the same text
GOAL_VERSION_OVER_PYTHON = 3.0  # `coach --version` over `python -c pass`


def bundled_steps_program(steps: int = 500) -> bytes:
    """500 steps cut from the bundled programs, in turn: what real programs hold."""
    from coach.program.catalog import bundled
    from coach.program.syntax import tomllib  # type: ignore[attr-defined]  # the same parser the loader uses

    pool = [step for path in bundled().values() for step in tomllib.loads(path.read_text())["steps"]]
    body = []
    for n in range(steps):
        step = pool[n % len(pool)]
        fields = "\n".join(f"{key} = {json.dumps(value)}" for key, value in step.items() if key != "progress")
        body.append(f"[[steps]]\n{fields}\n")
    return ('format = 1\n[program]\ntitle = "Bundled"\n' + "".join(body)).encode()


def big_program(steps: int = 500) -> bytes:
    """A heavy synthetic case: long holds on two sides, 5-minute timers, many counts."""
    kinds = [
        'kind = "hold"\nhold = "30s"\nreps = 3\nsides = ["right leg", "left leg"]\ncues = ["Breathe slowly."]',
        'kind = "reps"\nreps = 12\npace = "3s"\nsets = 2',
        'kind = "timed"\nduration = "5m"',  # within the 24-hour cap of a session
        'kind = "ready"\ntimeout = "30s"',
    ]
    body = [
        f'[[steps]]\ntitle = "Step {n}"\nsay = "Do the exercise number {n} slowly."\n{kinds[n % 4]}\n'
        for n in range(steps)
    ]
    return ('format = 1\n[program]\ntitle = "Big"\nsafety = ["Stop if it hurts."]\n' + "".join(body)).encode()


def best_ms(action, repeat: int = 15) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _starting(argv: list[str]) -> Callable[[], object]:
    # As installed by pip, which compiles every module once: no source compiled at each start.
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    compileall.compile_dir(ROOT / "coach", quiet=1)
    return lambda: subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, check=True)


def against(reference: Callable[[], object], subjects: list[Callable[[], object]], repeat: int) -> list[Timed]:
    """Each subject timed against the reference in turn, round after round.

    On a shared machine the load drifts over seconds (`python -c pass` took 25 ms, then 70 ms, minutes
    apart): a reference timed before its subject would not share its load. So every round times the
    reference and each subject back to back, and a subject's ratio is the median of its rounds' ratios.
    """
    times: list[list[float]] = [[] for _ in range(len(subjects) + 1)]
    for _ in range(repeat):
        for slot, action in zip(times, [reference, *subjects], strict=True):
            start = time.perf_counter()
            action()
            slot.append((time.perf_counter() - start) * 1000)
    base = times[0]
    return [
        Timed(
            statistics.median(slot),
            statistics.median(ms / ref for ms, ref in zip(slot, base, strict=True)),
            statistics.median(base),
        )
        for slot in times[1:]
    ]


class Timed(NamedTuple):
    ms: float  # median milliseconds of the subject
    ratio: float  # median, over rounds, of the subject's time over the reference's in the same round
    reference_ms: float


def startup_against_python(argvs: list[list[str]], repeat: int) -> list[Timed]:
    """Commands timed against `python -c pass`, round after round."""
    return against(_starting([sys.executable, "-c", "pass"]), [_starting(argv) for argv in argvs], repeat)


def first_frame_ms(argv: list[str], marker: bytes, repeat: int = 7) -> float:
    """Milliseconds from starting `argv` in an 80x24 pty to `marker` appearing in what it writes."""
    env = {
        name: value for name, value in os.environ.items() if name not in {"PYTHONDONTWRITEBYTECODE", "COLUMNS", "LINES"}
    }
    env["TERM"] = "xterm-256color"
    env["COACH_DATA_DIR"] = tempfile.mkdtemp(prefix="coach-bench-")  # the benchmark's sessions are not the person's
    times = []
    for _ in range(repeat):
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        start = time.perf_counter()
        process = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, cwd=ROOT, env=env, start_new_session=True
        )
        os.close(slave)
        seen = b""
        while marker not in seen:
            ready, _, _ = select.select([master], [], [], 10)
            if not ready:
                raise RuntimeError(f"{argv}: no {marker!r} within 10 s")
            seen += os.read(master, 65536)
        times.append((time.perf_counter() - start) * 1000)
        process.kill()
        process.wait()
        os.close(master)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats: a smoke run, not the benchmark")
    repeat = 3 if parser.parse_args().quick else 15
    real = bundled_steps_program()
    heavy = big_program()
    from coach.program.syntax import tomllib  # type: ignore[attr-defined]  # the same parser the loader uses

    text = real.decode()
    compiled = against(lambda: tomllib.loads(text), [lambda: compile_program(parse_program(real))], repeat)[0]
    toml_ms, compile_ms, compile_ratio = compiled.reference_ms, compiled.ms, compiled.ratio
    heavy_ms = best_ms(lambda: compile_program(parse_program(heavy)), repeat)
    cues = sum(len(segment.cues) for segment in compile_program(parse_program(heavy)).segments)
    python = [sys.executable]
    started = startup_against_python(
        [[*python, "-m", "coach", "--version"], [*python, "-m", "coach", "preview", "low-back-relief"]], repeat
    )
    baseline, version, preview = started[0].reference_ms, started[0].ms, started[1].ms
    version_ratio = started[0].ratio
    frame = first_frame_ms([*python, "-m", "coach", "run", "demo", "--speech", "none"], b"Demo", max(3, repeat // 2))
    results = {
        "load_and_compile_500_bundled_steps_ms": round(compile_ms, 1),
        "tomllib_500_bundled_steps_ms": round(toml_ms, 1),
        "compile_over_tomllib": round(compile_ratio, 2),
        "load_and_compile_500_heavy_steps_ms": round(heavy_ms, 1),
        "heavy_program_sentences": cues,
        "python_c_pass_ms": round(baseline, 1),
        "coach_version_ms": round(version, 1),
        "coach_preview_ms": round(preview, 1),
        "coach_version_over_python_ms": round(version - baseline, 1),
        "coach_version_over_python": round(version_ratio, 2),
        "coach_preview_over_python_ms": round(preview - baseline, 1),
        "player_first_frame_ms": round(frame, 1),
        "player_first_frame_over_python_ms": round(frame - baseline, 1),
    }
    print(json.dumps(results, indent=1))
    out = Path(os.environ.get("COACH_BENCH_RESULTS") or ROOT / "bench" / "results")
    out.mkdir(exist_ok=True)
    (out / "core.json").write_text(json.dumps(results, indent=1) + "\n")
    print("| measure | median | goal |\n| --- | --- | --- |")
    print(
        f"| load + compile 500 steps from the bundled programs | {compile_ms:.1f} ms"
        f" ({compile_ratio:.2f}× tomllib) | ≤ {GOAL_COMPILE_OVER_TOML}× tomllib |"
    )
    print(f"| `tomllib` parsing the same 500 steps (reference) | {toml_ms:.1f} ms | |")
    print(f"| load + compile 500 heavy steps ({cues} sentences) | {heavy_ms:.1f} ms | |")
    print(f"| `python -c pass` | {baseline:.1f} ms | |")
    print(
        f"| `coach --version` | {version:.1f} ms ({version_ratio:.2f}× python) | ≤ {GOAL_VERSION_OVER_PYTHON}× python |"
    )
    print(f"| `coach preview low-back-relief` | {preview:.1f} ms (+{preview - baseline:.1f}) | |")
    print(f"| `coach run demo`, the player's first frame | {frame:.1f} ms (+{frame - baseline:.1f}) | |")
    met = compile_ratio <= GOAL_COMPILE_OVER_TOML and version_ratio <= GOAL_VERSION_OVER_PYTHON
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
