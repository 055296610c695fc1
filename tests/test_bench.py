"""`bench/run --smoke`: every benchmark starts, and the runner reads back and judges its own output.

The figures of a smoke run are not the benchmark (tiny sizes, one round);
what is checked is that each benchmark runs, that the table and the JSON agree,
and that the exit status says whether a goal was missed.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import ROOT, require_tool

RUN = ROOT / "bench" / "run"


def runner() -> ModuleType:
    loader = importlib.machinery.SourceFileLoader("bench_run", str(RUN))
    spec = importlib.util.spec_from_loader("bench_run", loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


@pytest.mark.slow
@pytest.mark.xdist_group("cpu")  # it measures CPU: not beside the fuzzing
def test_bench_run_smoke_runs_every_benchmark_and_judges_its_own_table(tmp_path: Path) -> None:
    require_tool("espeak-ng")
    result = subprocess.run(
        [sys.executable, str(RUN), "--smoke", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=240,
        cwd=ROOT,
    )
    assert result.returncode in (0, 1), result.stderr
    bench = runner()
    results = json.loads((tmp_path / "run.json").read_text())
    assert set(results) >= {"core", "history", "drift", "speech", "cpu", "goals", "run"} and results["run"]["smoke"]
    rows = bench.parse_table((tmp_path / "run.md").read_text())
    assert rows == bench.parse_table(result.stdout)
    judged = {row["measure"]: row for row in rows if row["goal"]}
    assert len(judged) == len(bench.GOALS) == len(results["goals"])
    for verdict in results["goals"]:
        row = judged[verdict["measure"]]
        assert row["met"] == ("yes" if verdict["met"] else "**no**")
        assert row["measured"].startswith(str(verdict["value"]))
    missed = [verdict["measure"] for verdict in results["goals"] if not verdict["met"]]
    assert (result.returncode == 1) == bool(missed)
    told = [line.removeprefix("missed: ") for line in result.stderr.splitlines() if line.startswith("missed: ")]
    assert told == missed
    assert not (tmp_path / "history.sqlite3").exists()  # nothing of the benchmark lands in a history by accident


def test_a_missed_goal_is_judged_missed() -> None:
    bench = runner()
    results = json.loads((ROOT / "tests" / "bench-results.json").read_text())
    verdicts = {verdict["measure"]: verdict["met"] for verdict in bench.judge(results)}
    assert verdicts["player CPU, share of termdown's"] is False  # 1.02 in the sample
    assert verdicts["plain mode CPU, share of termdown's"] is True  # 0.13
    assert verdicts["drift: last cue of a 20-minute timed step"] is True
