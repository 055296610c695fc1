"""A program file from a stranger is data: fuzzed, it only ever gives the typed error; its text never runs,
never reaches a shell, never rewrites the terminal; a path that is no file is a clear error.

The fuzzing is marked slow (6,500 programs, about a minute of CPU at the lowest priority); CI runs it.
"""

from __future__ import annotations

import ast
import csv
import io
import json
import os
import re
import shlex
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.history import report
from coach.history.store import History, SessionRecord
from coach.plan import plan_session
from coach.program import ProgramError, parse_program
from coach.session.clock import FakeClock
from coach.timeline import compile_program
from coach.views import preview
from coach.views.plain.play import play_plain
from tests.conftest import ROOT, run_coach
from tests.generated import KEYS, SEEDS, VALUES, mutated, toml_value
from tests.priority import at_lowest_priority

# Generating a nested program costs Hypothesis 30 ms, the coach under 1 ms of it: 5,000 of them were 160 s of
# CPU, the longest test of a full run. Mutating a bundled program costs 3 ms, and more of them load and compile.
GENERATED, MUTATED = 1500, 5000
TERMINAL_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
HOSTILE_TEXTS = [
    "[bold red]Bridges[/]",  # console markup
    "\x1b[2J\x1b[31mgone",  # terminal escapes: clear the screen, red
    "Knee\u202e to chest",  # a bidirectional override
    "x" * 120,  # one very long word
    '=HYPERLINK("http://evil")',  # a spreadsheet formula
    "$(rm -rf ~); `reboot` | tee /etc/passwd",  # shell syntax
]


def check(data: bytes) -> None:
    """Only the typed error may escape; a program that loads compiles, and its preview is inert text."""
    try:
        program = parse_program(data)
    except ProgramError as error:
        assert error.problems and all(not TERMINAL_CONTROL.search(str(problem)) for problem in error.problems)
        return
    text = preview.as_text(compile_program(program))
    assert not TERMINAL_CONTROL.search(text)


@pytest.mark.slow
@pytest.mark.xdist_group("cpu")  # one CPU-bound test at a time, and that one at the lowest priority
def test_fuzzed_programs_give_a_program_or_the_typed_error() -> None:
    @settings(max_examples=GENERATED, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=8), max_size=4), VALUES)
    def fuzz(steps: list[dict[str, Any]], header: Any) -> None:
        body = ["format = 1", f"program = {toml_value(header)}"]
        for step in steps:
            body.append("[[steps]]")
            body += [f"{key} = {toml_value(value)}" for key, value in step.items()]
        check("\n".join(body).encode())

    at_lowest_priority(fuzz)


@pytest.mark.slow
@pytest.mark.xdist_group("cpu")
def test_mutated_bundled_programs_give_a_program_or_the_typed_error() -> None:
    @settings(max_examples=MUTATED, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        st.sampled_from(SEEDS),
        st.lists(
            st.tuples(
                st.integers(0, 20_000), st.binary(max_size=6) | st.sampled_from([t.encode() for t in HOSTILE_TEXTS])
            ),
            max_size=6,
        ),
    )
    def fuzz(seed: bytes, edits: list[tuple[int, bytes]]) -> None:
        check(mutated(seed, edits))

    at_lowest_priority(fuzz)


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_hostile_titles_are_refused_or_shown_literally_in_every_view(tmp_path: Path, text: str) -> None:
    path = tmp_path / "hostile.toml"
    quoted = toml_value(text)  # control characters as TOML escapes, so they reach the coach's own checks
    path.write_text(f'format = 1\n[program]\ntitle = {quoted}\n[[steps]]\nkind = "hold"\ntitle = {quoted}\nhold = 1\n')
    if TERMINAL_CONTROL.search(text):
        validated = run_coach("validate", str(path))
        assert validated.returncode == 2 and "expected plain text, got a control character" in validated.stdout
        assert not TERMINAL_CONTROL.search(validated.stdout + validated.stderr)
        return
    plan = plan_session(path, history=History(tmp_path / "history.sqlite3"))
    assert f"Step 1 of 1. {text}." in preview.as_text(plan.timeline)  # literally: no markup applied, nothing run
    out = io.StringIO()
    assert play_plain(plan.timeline, out=out, clock=FakeClock(0.0), log=plan.recorder) == "completed"
    assert f"Step 1 of 1. {text}." in out.getvalue().splitlines()
    assert plan.recorder.close() is None
    history = History(tmp_path / "history.sqlite3")
    records = history.sessions()
    history.close()
    assert text[:20] in report.table(records)
    title_cell = next(csv.DictReader(io.StringIO(report.as_csv(records))))["title"]
    assert title_cell == ("'" + text if text.startswith("=") else text)


def test_control_characters_already_in_a_history_are_escaped_on_the_way_out() -> None:
    record = SessionRecord(1, "p", "Bad\x1b[2Jtitle\u202e", "/x", 0.0, None, None, None, None, 1, None, 0, 0, 0.0)
    assert "\x1b" not in report.table([record]) and "\u202e" not in report.table([record])
    assert "\\x1b[2J" in report.table([record])


@pytest.mark.parametrize("kind", ["device", "symlink to a device", "unreadable"])
def test_a_program_path_that_cannot_be_a_program_is_one_clear_line(tmp_path: Path, kind: str) -> None:
    if kind == "device":
        path = Path("/dev/null")
    elif kind == "symlink to a device":
        path = tmp_path / "zero.toml"
        path.symlink_to("/dev/zero")
    elif os.geteuid() == 0:  # root reads a file of mode 000: take one whose read fails anyway
        path = Path("/proc/self/mem")
    else:
        path = tmp_path / "secret.toml"
        path.write_text("format = 1\n")
        path.chmod(0)
    for command in (["validate", str(path)], ["run", str(path), "--plain", "--speech", "none"]):
        result = run_coach(*command, timeout=20)
        output = result.stdout + result.stderr
        assert result.returncode == 2 and "Traceback" not in output and len(output.strip().splitlines()) == 1
        assert "is not a regular file" in output or "cannot be read" in output


def test_no_code_of_the_coach_can_hand_text_to_a_shell() -> None:
    """A static check: no shell=True, os.system, os.popen or exec of program text anywhere in the package."""
    found = []
    for source in (ROOT / "coach").rglob("*.py"):
        tree = ast.parse(source.read_text())
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.keyword)
                and node.arg == "shell"
                and not (isinstance(node.value, ast.Constant) and node.value.value is False)
            ):
                found.append(f"{source.name}:{node.value.lineno}: shell=")
            if (
                isinstance(node, ast.Attribute)
                and node.attr in {"system", "popen"}
                and getattr(node.value, "id", "") == "os"
            ):
                found.append(f"{source.name}:{node.lineno}: os.{node.attr}")
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") in {"eval", "exec"}:
                found.append(f"{source.name}:{node.lineno}: {node.func.id}")  # type: ignore[attr-defined]
    assert found == []


# Issue 15.3: what made tomllib itself take minutes and gigabytes is refused before it parses; every hostile
# file of at most 1 MiB costs at most 2 s and 200 MB, measured in a fresh process through `coach validate`.
# Seconds of the process's own CPU, not of the wall: idle a file costs 0.2 s either way, but a full run's
# ten workers on two cores stretched one to 2.1 s of wall clock. What made tomllib take minutes was CPU.
MAX_SECONDS, MAX_MB = 2.0, 200
MEASURE = """
import json, sys, time
from coach import cli
from coach.views.tui.picker import load_entries
start = time.process_time()
status = cli.main(["validate", sys.argv[1]])
validated = time.process_time() - start
start = time.process_time()
listed = load_entries({"hostile": __import__("pathlib").Path(sys.argv[1])}, 150)
picked = time.process_time() - start
# VmHWM, this program's own peak: Linux carries ru_maxrss over exec from the process that forked it (a
# pytest worker grown to 400 MB made a 30 MB check read as 444 MB).
status_lines = open("/proc/self/status").read().splitlines()
peak = next(int(line.split()[1]) for line in status_lines if line.startswith("VmHWM:")) / 1024
print(json.dumps({"status": status, "validated": validated, "picked": picked, "listed": len(listed), "peak_mb": peak}))
"""
MIB = 1024 * 1024


def _fill(head: str, unit: str, tail: str = "", size: int = MIB) -> str:
    return head + unit * ((size - len(head) - len(tail)) // len(unit)) + tail


HOSTILE_NESTING = {
    "dotted-key-20000-parts-40KB": "a" + ".a" * 19_999 + " = 1\n",  # the probe's file: 56 s and 2.4 GB before
    "dotted-key-150000-parts": "a" + ".a" * 149_999 + " = 1\n",  # ran past 120 s
    "dotted-key-1MiB": _fill("format = 1\na", ".a", " = 1\n"),
    "quoted-dotted-key-1MiB": _fill('"a"', '."a"', " = 1\n"),
    "table-header-1MiB": _fill("[a", ".a", "]\n"),
    "array-tables-header-1MiB": _fill("[[a", ".a", "]]\n"),
    "nested-arrays-1MiB": _fill("x = ", "["),
    "nested-arrays-closed": "x = " + "[" * 50_000 + "]" * 50_000 + "\n",
    "nested-inline-tables-1MiB": _fill("a = ", "{b = "),
    "nested-inline-tables-closed": "a = " + "{b = " * 20_000 + "1" + "}" * 20_000 + "\n",
    "step-of-nested-lists": 'format = 1\n[program]\ntitle = "T"\n[[steps]]\nkind = "hold"\ntitle = "A"\nhold = '
    + "[" * 100_000,
}


@pytest.mark.parametrize("name", list(HOSTILE_NESTING))
def test_pathological_nesting_is_refused_fast_and_small(tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.toml"
    path.write_text(HOSTILE_NESTING[name])
    assert path.stat().st_size <= MIB
    measured = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path)], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert measured.returncode == 0, measured.stderr[-2000:]
    numbers = measured.stdout.splitlines()[-1]
    cost = json.loads(numbers)
    print(
        f"{name}: {path.stat().st_size} bytes, validate {cost['validated']:.3f} s, "
        f"picker {cost['picked']:.3f} s, peak {cost['peak_mb']:.0f} MB"
    )
    assert cost["status"] == 2 and cost["listed"] == 0
    assert cost["validated"] < MAX_SECONDS and cost["picked"] < MAX_SECONDS and cost["peak_mb"] < MAX_MB, cost
    result = run_coach("validate", str(path), timeout=20)
    assert result.returncode == 2 and "Traceback" not in result.stdout + result.stderr
    assert len(result.stdout.splitlines()) == 1, result.stdout[:500]
    assert "nested too deeply" in result.stdout


def test_nesting_inside_strings_and_comments_is_only_text() -> None:
    brackets = "[[[[[[[[[[[[{{{{{{{{{{{{..............."
    data = (
        f'format = 1\n# {brackets}\n[program]\ntitle = "{brackets}"\nsummary = """{brackets}\n{brackets}"""\n'
        f"author = '{brackets}'\nsource = '''{brackets}'''\n"
        '[[steps]]\nkind = "hold"\ntitle = "A"\nhold = "5s"\n'
        'progress = { hold = { to = "60s", by = "5s" }, every = 2 }\n'
    ).encode()
    program = parse_program(data)
    assert program.title == brackets and program.steps[0].progress is not None


# TOML's strings and comments as its spec words them, a choice at every character: the scan's own patterns are
# faster forms of these, and must find the same text.
PLAIN_MULTILINE = r'"""(?:[^"\\]|\\.|"(?!""))*"""(?:"{1,2})?' r"|'''(?:[^']|'(?!''))*'''(?:'{1,2})?"
PLAIN_STRINGS = re.compile(
    rf"({PLAIN_MULTILINE})" r'|"(?:[^"\\\n]|\\.)*"' r"|'[^'\n]*'" r"|#[^\n]*",
    re.DOTALL,
)
PIECES = [
    '"',
    "'",
    "\\",
    "\n",
    "#",
    ".",
    "[",
    "]",
    "{",
    "}",
    "=",
    "x",
    " ",
    '"""',
    "'''",
    "a.b.c.d.e.f.g.h.i.j.k",
    "{a=[",
]


@settings(max_examples=1000, deadline=None)  # 600,000 random texts matched the old patterns once, offline
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_the_scan_reads_strings_and_comments_as_toml_says(text: str) -> None:
    """The scan before tomllib blanks strings and comments with patterns four times faster than the plain ones,
    and in one pass where no multi-line string can be: it must leave exactly what the plain ones leave, and judge
    the nesting on the brackets alone as it does with their lines."""
    from coach.program import syntax

    plain = re.compile(PLAIN_MULTILINE, re.DOTALL).sub(
        lambda found: found.group().translate(syntax._NEUTRAL), PLAIN_STRINGS.sub(lambda found: found.group(1), text)
    )
    assert syntax._structure(text) == plain
    assert syntax._too_deep(re.sub(r"[^\[\]{}]+", "", plain)) == (syntax._where_too_deep(plain) is not None)


def test_pathological_nesting_in_a_real_program_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "deep.toml"
    path.write_text(
        'format = 1\n[program]\ntitle = "T"\n\n[[steps]]\nkind = "hold"\ntitle = "A"\nhold = "5s"\n'
        + "progress"
        + ".hold" * 12
        + " = 1\n"
    )
    result = run_coach("validate", str(path))
    assert result.returncode == 2
    assert result.stdout == (
        f"{path}:9: TOML syntax: nested too deeply: a key of more than 10 dotted parts"
        " (a program's longest is progress.hold.to)\n"
    )


def test_a_pathological_file_in_a_dir_folder_does_not_blank_the_picker(tmp_path: Path) -> None:
    """Issue 15.3: a 150,000-part dotted key in a --dir folder kept the picker blank for minutes."""
    from tests.tmux import Tmux

    folder = tmp_path / "programs"
    folder.mkdir()
    (folder / "deep.toml").write_text("a" + ".a" * 149_999 + " = 1\n")
    (folder / "mine.toml").write_text(
        'format = 1\n[program]\ntitle = "My neck"\n[[steps]]\nkind = "hold"\ntitle = "Chin tucks"\nhold = "5 seconds"\n'
    )
    tmux = Tmux(tmp_path)
    command = f"{shlex.quote(sys.executable)} -m coach --dir {shlex.quote(str(folder))}"
    started = time.monotonic()
    tmux("new-session", "-d", "-s", "e2e", "-x", "100", "-y", "30", f"cd {shlex.quote(str(ROOT))} && {command}")
    try:
        tmux.wait_for("Type to filter the programs", limit=10)
        shown = time.monotonic() - started
        print(f"picker shown after {shown:.2f} s")
        tmux("send-keys", "-t", "e2e", "-l", "my neck")
        pane = tmux.wait_for("1. Chin tucks (hold)", limit=10)
        assert "deep" not in pane
    finally:
        tmux("kill-server")


@pytest.mark.parametrize("separator", ["\u2028", "\u2029"])
def test_a_line_separator_that_reaches_plain_mode_is_shown_escaped(separator: str) -> None:
    """Issue 15.15: the loader refuses U+2028/U+2029 in text now; should one reach plain mode all the same
    (a program built in code, an older file), it is written as an escape, never raw: a terminal or a braille
    display may break the line there."""
    from dataclasses import replace

    loaded = parse_program(
        b'format = 1\n[program]\ntitle = "T"\ncheck_in = false\n'
        b'[[steps]]\nkind = "ready"\ntitle = "A"\ntimeout = "1s"\n'
    )
    program = replace(loaded, steps=(replace(loaded.steps[0], title=f"Chin{separator}tucks"),))
    out = io.StringIO()
    assert play_plain(compile_program(program), out=out, clock=FakeClock(0.0)) == "completed"
    assert separator not in out.getvalue()
    assert f"Step 1 of 1. Chin\\u{ord(separator):04x}tucks." in out.getvalue().splitlines()


HOSTILE_FLAT = {  # no nesting at all, but a megabyte of what a validator must look at one by one
    "unknown-keys-1MiB": _fill(
        'format = 1\n[program]\ntitle = "T"\n[[steps]]\nkind = "timed"\ntitle = "A"\nduration = 5\n',
        "k.a.b.c.d.e.f.g.h = 1\n".replace("k", "k{}"),
    ),
    "step-headers-1MiB": _fill('format = 1\n[program]\ntitle = "T"\n', "[[steps]]\n"),
}


@pytest.mark.parametrize("name", list(HOSTILE_FLAT))
def test_a_flat_megabyte_of_problems_is_refused_fast_small_and_short(tmp_path: Path, name: str) -> None:
    """A file of a megabyte is told in a screenful, not in 40,000 lines that took 4 s to find."""
    text = HOSTILE_FLAT[name]
    counter = iter(range(10**7))
    text = re.sub(r"k\{\}", lambda _: f"k{next(counter)}", text)  # every key its own: each is a problem
    text = text[:MIB].rsplit("\n", 1)[0] + "\n"
    path = tmp_path / f"{name}.toml"
    path.write_text(text)
    assert path.stat().st_size <= MIB
    measured = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path)], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert measured.returncode == 0, measured.stderr[-2000:]
    cost = json.loads(measured.stdout.splitlines()[-1])
    print(f"{name}: validate {cost['validated']:.3f} s, picker {cost['picked']:.3f} s, peak {cost['peak_mb']:.0f} MB")
    assert cost["status"] == 2 and cost["listed"] == 0
    assert cost["validated"] < MAX_SECONDS and cost["picked"] < MAX_SECONDS and cost["peak_mb"] < MAX_MB, cost
    result = run_coach("validate", str(path), timeout=20)
    assert result.returncode == 2 and "Traceback" not in result.stdout + result.stderr
    assert 1 <= len(result.stdout.splitlines()) <= 30, result.stdout[-500:]


def test_escape_takes_no_shortcut_past_a_character_it_must_escape() -> None:
    """`escape` returns printable text as it is without its pattern (a millisecond of `coach history`): every
    code point the pattern escapes must be one `str.isprintable` refuses, or the shortcut would let it through."""
    import sys

    from coach.program import text

    pattern = re.compile(text._CONTROLS)
    every = (chr(code) for code in range(sys.maxunicode + 1))
    let_through = [hex(ord(char)) for char in every if char.isprintable() and pattern.match(char)]
    assert let_through == []
    assert text.escape("Chin\u202etucks\x1b[2J") == "Chin\\u202etucks\\x1b[2J"
