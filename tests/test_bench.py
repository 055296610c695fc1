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


@pytest.mark.slow  # not in the fuzzing's "cpu" group: a smoke run judges no figure, and that group's chain of
# tests on one worker (fuzzing 430 s, this 220 s under a full run's load) was the whole run's longest path
def test_bench_run_smoke_runs_every_benchmark_and_judges_its_own_table(tmp_path: Path) -> None:
    require_tool("espeak-ng")
    result = subprocess.run(
        [sys.executable, str(RUN), "--smoke", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=420,
        cwd=ROOT,
    )
    assert result.returncode in (0, 1), result.stderr
    bench = runner()
    results = json.loads((tmp_path / "run.json").read_text())
    assert set(results) >= {
        "core",
        "history",
        "drift",
        "speech",
        "cpu",
        "listen",
        "rendered",
        "fast_tests",
        "goals",
        "run",
    }
    assert results["run"]["smoke"]
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
    # Listening, even small: the coach's own counts are never taken for answers, the sources read aloud give no
    # command, the plain US voice is mostly heard right, and spoken commands take effect.
    rendered = results["rendered"]
    assert rendered["lateness"]["not_spoken"] == [] and rendered["lateness"]["overlaps_ms"] == []
    # Both starts and both engines' speeds were timed; which was faster is the bench's verdict, not this test's:
    # under a full run's load CI saw 21.4 s cold and 22.8 s warm. That a warm start renders nothing is shown
    # without a clock in test_rendered_live.
    assert all(rendered["start"]["piper"][start] > 0 for start in ("cold_s", "warm_s"))
    assert all(rendered["render"][engine]["render_per_audio_s"] > 0 for engine in ("espeak", "piper"))
    listen = results["listen"]
    assert listen["echo"]["answers_taken"] == [] and listen["echo"]["answers_heard"] > 0
    assert listen["echo"]["commands"] == []
    assert listen["unrelated"]["commands"] == []
    assert listen["corpus"]["per_voice"]["espeak en-us 150"]["right_pct"] >= 75
    # Three of four commands took effect within 2 s of their words (`latency` counts no later effect). How soon is
    # bench/run's goal to judge, not this test's: a fresh clone's CI, under load, measured a p95 of 550 ms once.
    assert listen["latency"]["n"] >= 3 and listen["latency"]["p95_ms"] is not None
    assert listen["cost"]["cpu_share_pct"] > 0  # measured; the 5 % goal is bench/run's to judge, like the p95
    fast = results["fast_tests"]  # the smoke run times one small module of the tests, once
    assert len(fast["wall_s"]) == 1 and fast["cpu_s"][0] > 0 and fast["reference_s"] > 0


def test_a_missed_goal_is_judged_missed() -> None:
    bench = runner()
    results = json.loads((ROOT / "tests" / "bench-results.json").read_text())
    verdicts = {verdict["measure"]: verdict["met"] for verdict in bench.judge(results)}
    assert verdicts["player CPU in steady state (5 s on), over termdown's in the same window"] is False  # 0.72
    assert verdicts["plain mode CPU in steady state, over termdown's"] is True  # 0.02
    assert verdicts["drift: last cue of a 20-minute timed step"] is True


def test_every_goal_on_time_or_cpu_is_a_ratio_to_a_reference_of_the_same_run_and_a_ratio_over_it_misses() -> None:
    """The sample's absolute times would meet the old goals in ms; as ratios to its own references they miss."""
    bench = runner()
    results = json.loads((ROOT / "tests" / "bench-results.json").read_text())
    ratios = {goal[0]: goal for goal in bench.GOALS if goal[2].endswith("×")}
    assert len(ratios) == 6  # player and plain CPU, --version, load + compile, history
    verdicts = {verdict["measure"]: verdict for verdict in bench.judge(results)}
    compile_ = verdicts["load + compile 500 steps (from the bundled programs), over tomllib parsing the same text"]
    assert compile_["value"] == 3.0 and compile_["met"] is False  # 79.8 ms against tomllib's 26.6 ms
    version = verdicts["`coach --version` over `python -c pass`"]
    assert version["value"] == 3.37 and version["met"] is False  # 36.7 ms, python 10.9 ms: 26 ms over, yet 3.37×
    history = verdicts["`coach history`, 3,650 sessions, over `python -c pass`"]
    assert history["value"] == 6.15 and history["met"] is False  # 67 ms: under the old 200 ms, over 5×
    # On the bound: exactly at a ratio is met where the goal says "at most", missed where it says "under".
    (_, _, _, player_met), (_, _, _, plain_met) = (
        ratios["player CPU in steady state (5 s on), over termdown's in the same window"],
        ratios["plain mode CPU in steady state, over termdown's"],
    )
    assert player_met(0.5) and not player_met(0.501)
    assert plain_met(0.049) and not plain_met(0.05)
    rows = bench.parse_table(bench.table(results, bench.judge(results)))
    shown = {row["measure"]: row for row in rows}
    assert shown["`coach history`, 3,650 sessions, over `python -c pass`"]["measured"] == "6.15×"
    assert shown["`coach history`, 3,650 sessions, over `python -c pass`"]["met"] == "**no**"
    assert shown["`python -c pass`"]["measured"] == "10.9 ms"  # the absolute figures stay, as information


def test_rendered_speech_is_judged_from_its_own_figures() -> None:
    bench = runner()
    results = json.loads((ROOT / "tests" / "bench-results.json").read_text())
    verdicts = {verdict["measure"]: verdict for verdict in bench.judge(results)}
    assert verdicts["rendered speech (espeak-ng): lateness p99, schedule to playback, demo"]["met"] is True  # 8.3
    assert verdicts["Piper, cold cache: `coach run demo` to its first sound"]["met"] is False  # 5.063 s
    assert verdicts["Piper, warm cache: `coach run demo` to its first sound"]["met"] is True  # 0.329 s
    results["rendered"]["lateness"]["overlaps_ms"] = [1.5]
    overlapping = {verdict["measure"]: verdict for verdict in bench.judge(results)}
    assert overlapping["rendered clips overlapping (from the WAVs' lengths)"]["met"] is False


def test_the_fast_subset_is_judged_by_its_median_wall_time_in_seconds() -> None:
    """The one time goal in seconds: a developer's wait for the fast subset, 30 s on 2 cores."""
    bench = runner()
    results = json.loads((ROOT / "tests" / "bench-results.json").read_text())
    measure = 'the fast subset of the tests (`pytest -m "not slow" -n 2`), median of 3, 2 cores'
    verdict = {verdict["measure"]: verdict for verdict in bench.judge(results)}[measure]
    assert verdict["value"] == 30.4 and verdict["met"] is False
    results["fast_tests"]["median_wall_s"] = 30.0
    assert {verdict["measure"]: verdict for verdict in bench.judge(results)}[measure]["met"] is True
