"""The commands of the contract, run as a person runs them, in fresh interpreters."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from coach import __version__
from coach.program import load_program
from coach.program.catalog import bundled
from coach.session.clock import FakeClock
from coach.timeline import compile_program
from coach.views.plain.play import play_plain
from tests.conftest import PROGRAMS, ROOT, run_coach

PREVIEW_LINE = re.compile(r"^(\d+:)?\d{1,2}:\d\d  \S.*$")


def test_version() -> None:
    result = run_coach("--version")
    assert (result.returncode, result.stdout.strip()) == (0, f"coach {__version__}")


def test_list_names_every_bundled_program_with_title_and_length() -> None:
    result = run_coach("list")
    assert result.returncode == 0
    rows = result.stdout.splitlines()
    assert [row.split()[0] for row in rows] == sorted(bundled())
    assert any(re.search(r"demo\s+\d:\d\d\s+en\s+Demo$", row) for row in rows)


def test_preview_prints_every_line_then_the_total(tmp_path: Path) -> None:
    result = run_coach("preview", "low-back-relief", env={"COACH_CACHE_DIR": str(tmp_path)})  # a cache of its own
    assert result.returncode == 0
    *lines, total = result.stdout.splitlines()  # the total is the last line, as the contract says
    assert all(PREVIEW_LINE.match(line) for line in lines), [line for line in lines if not PREVIEW_LINE.match(line)]
    assert lines[0].startswith("0:00  Low back relief. 4 steps, about ")
    assert re.fullmatch(r"Total: \d+:\d\d", total)
    # pyttsx3 renders on Linux, and nothing has been rendered here yet: every length is an estimate, and it says so
    # apart, on stderr (a caregiver's walk found it after the total, where a script reads the total)
    spoken = [line for line in lines if not line.endswith("(tone)")]
    assert result.stderr.startswith(f"Estimated: {len(spoken)} of {len(spoken)} sentence lengths;")


def test_preview_json_matches_what_a_live_session_says() -> None:
    result = run_coach("preview", "demo", "--json")
    items = json.loads(result.stdout)
    assert all(isinstance(item["at"], float) and isinstance(item["text"], str) for item in items)
    out = io.StringIO()
    play_plain(compile_program(load_program(bundled()["demo"]), tones=True), out=out, clock=FakeClock())
    assert out.getvalue().splitlines() == [item["text"] for item in items if item["kind"] != "tone"]
    assert [item["kind"] for item in items].count("tone") == 3  # heard at each zero, never a line


def test_preview_shows_markup_literally_and_escapes_control_bytes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = run_coach("preview", str(PROGRAMS / "good" / "markup-title.toml"))
    assert "[bold red]Bridges[/]" in result.stdout


def test_a_line_break_in_a_step_is_a_space_in_preview_and_plain_mode_not_an_escape() -> None:
    """A walk heard a screen reader say "backslash x zero a": the format allows a newline in `say`, and each view
    that gives an event a line of its own escaped it instead of joining the lines."""
    from coach.program import parse_program
    from coach.views.preview import as_text

    program = parse_program(
        b'format = 1\n[program]\ntitle = "Lines"\ncheck_in = false\n'
        b'[[steps]]\nkind = "timed"\ntitle = "Warm"\nduration = "10s"\nsay = """Line one.\nLine two."""\n'
    )
    timeline = compile_program(program)
    assert "  Line one. Line two." in as_text(timeline).splitlines()[2]
    out = io.StringIO()
    play_plain(timeline, out=out, clock=FakeClock())
    assert "Line one. Line two." in out.getvalue().splitlines()
    assert "\\x0a" not in as_text(timeline) + out.getvalue()


@pytest.mark.parametrize(("language", "noted"), [("de", True), ("es-MX", False), ("en-GB", False), ("zh", False)])
def test_validate_says_when_the_coachs_own_sentences_will_be_in_english(
    tmp_path: Path, language: str, noted: bool
) -> None:
    """A walk wrote language = "de": valid (the voice is German), but validate said only "ok", and the session
    then said "Hold." in English."""
    program = tmp_path / "p.toml"
    program.write_text(
        f'format = 1\n[program]\ntitle = "P"\nlanguage = "{language}"\n'
        '[[steps]]\nkind = "timed"\ntitle = "Warm"\nduration = "1m"\n'
    )
    result = run_coach("validate", str(program))
    assert result.returncode == 0 and result.stdout.count("\n") == 1
    note = f'; language "{language}": the coach\'s own sentences will be in English (it has them in en, es, fr, zh)'
    assert result.stdout.rstrip("\n").endswith(note) == noted, result.stdout


def test_validate_takes_a_program_s_name_as_run_does(tmp_path: Path) -> None:
    """A caregiver's walk checked `coach validate mrsmith`, a name on the shelf, and was told "no such file"."""
    shelf = tmp_path / "shelf"
    shelf.mkdir()
    (shelf / "mrsmith.toml").write_text((ROOT / "tests" / "programs" / "good" / "grows.toml").read_text())
    config = tmp_path / "config.toml"
    config.write_text(f'programs = "{shelf}"\n')
    result = run_coach("validate", "mrsmith", "demo", "nosuch", env={"COACH_CONFIG": str(config)})
    assert result.returncode == 2
    lines = result.stdout.splitlines()
    assert lines[0].startswith("mrsmith: ok, 2 steps") and lines[1].startswith("demo: ok, 3 steps"), lines
    assert lines[2].startswith("nosuch: no program of that name"), lines


def test_validate_names_a_cue_that_is_never_said_for_want_of_room(tmp_path: Path) -> None:
    """A walk's cue in 5-second holds was never said, and validate said "ok": only preview showed it. A bundled
    program had one too ("Do not lead with your elbows or pull with your arms." between counts 4 s apart)."""
    program = tmp_path / "cues.toml"
    program.write_text(
        'format = 1\n[program]\ntitle = "Cues"\n'
        '[[steps]]\nkind = "hold"\ntitle = "Push"\nhold = "5s"\nreps = 3\ncues = ["Breathe out as you push."]\n'
        '[[steps]]\nkind = "hold"\ntitle = "Long"\nhold = "30s"\nreps = 2\ncues = ["Breathe slowly."]\n'
    )
    result = run_coach("validate", str(program), *map(str, bundled().values()))
    assert result.returncode == 0
    first, *others = result.stdout.splitlines()
    assert first.endswith(
        "; never said, no room for it (shorten it, or give its step more time):"
        ' "Breathe out as you push." in "Push" (line 4)'
    )
    assert len(others) == len(bundled()) and not [line for line in others if "never said" in line]


def test_validate_names_a_ready_step_that_waits_for_a_key_for_ever(tmp_path: Path) -> None:
    """A walk's `ready` step with timeout "0s" hung a session fed no input, after validate had said "ok, 0:18"."""
    program = tmp_path / "wait.toml"
    program.write_text(
        'format = 1\n[program]\ntitle = "Wait"\n'
        '[[steps]]\nkind = "ready"\ntitle = "Ready"\ntimeout = "0s"\n'
        '[[steps]]\nkind = "ready"\ntitle = "Set"\n'
        '[[steps]]\nkind = "hold"\ntitle = "Push"\nhold = "5s"\n'
    )
    result = run_coach("validate", str(program), str(PROGRAMS / "good" / "minimal.toml"))
    assert result.returncode == 0
    first, second = result.stdout.splitlines()
    assert first.endswith(
        '; waits for a key for ever, not counted in its length (hands-free, give it a timeout): "Ready" (line 4)'
    )
    assert "for ever" not in second  # a ready step with the default timeout goes on by itself


def test_preview_of_a_bad_file_is_one_line_and_exit_2() -> None:
    result = run_coach("preview", str(PROGRAMS / "bad" / "hold-missing.toml"))
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr


@pytest.mark.parametrize("command", ["run", "preview"])
def test_a_blank_program_name_is_no_program_not_the_current_folder(command: str) -> None:
    """A walk's `coach run ""` was told ".: is a folder, not a program file"."""
    result = run_coach(command, "", *(["--plain", "--no-speech"] if command == "run" else []))
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("'': no program of that name (bundled: "), result.stderr


def test_unknown_program_name_is_a_clear_error() -> None:
    result = run_coach("preview", "no-such-program")
    assert result.returncode == 2
    assert result.stderr.startswith("no-such-program: no program of that name (bundled: core-strength")
    # A name near one, mistyped, is offered first (a caregiver's walk's `kne` listed every program but knee).
    result = run_coach("preview", "lowback")
    assert result.stderr.startswith("lowback: no program of that name (did you mean low-back-relief? bundled: ")


HEADLESS = [
    "coach.program",
    "coach.timeline",
    "coach.session.engine",
    "coach.session.clock",
    "coach.session.drive",
    "coach.views.preview",
]


@pytest.mark.parametrize("module", HEADLESS)
def test_core_imports_neither_textual_nor_pyttsx3(module: str) -> None:
    code = f"import sys, {module}; print(sorted(m for m in ('textual', 'pyttsx3', 'sqlite3') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize(
    "args",
    [["--version"], ["list"], ["validate", "programs/demo.toml"], ["preview", "demo"], ["--theme", "nosuch", "list"]],
)
def test_quick_commands_never_import_textual(args: list[str]) -> None:
    code = (
        "import sys, runpy; sys.argv = ['coach', *sys.argv[1:]]\n"
        "try:\n    runpy.run_module('coach', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        "print('LOADED', sorted(m for m in ('textual', 'pyttsx3') if m in sys.modules), file=sys.stderr)"
    )
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT, check=True)
    assert "LOADED []" in out.stderr


def test_version_loads_nothing_of_the_coach_but_its_command_line() -> None:
    """`coach --version` must start as fast as Python itself allows: no program, timeline or speech code."""
    code = (
        "import sys, runpy; sys.argv = ['coach', '--version']\n"
        "try:\n    runpy.run_module('coach', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        "print('LOADED', sorted(m for m in sys.modules if m.startswith('coach')), file=sys.stderr)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert "LOADED ['coach', 'coach.cli', 'coach.speech']" in out.stderr


@pytest.mark.parametrize("args", [[], ["--csv"], ["--program", "demo"]])
def test_history_loads_neither_the_settings_nor_the_timeline(args: list[str], tmp_path: Path) -> None:
    """`coach history` is timed against `python -c pass` (bench/history.py). `--program` read the shelf, whose
    folder came from the settings, and they imported the speech engines and the timeline: 8× python against 5.4×
    for the table. A dataclass or a named tuple on the way would import `dataclasses` or `typing` (3 to 6 ms)."""
    code = (
        "import io, sys, runpy; sys.argv = ['coach', 'history', *sys.argv[1:]]; sys.stdout = io.StringIO()\n"
        "try:\n    runpy.run_module('coach', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        "heavy = ('coach.settings', 'coach.timeline', 'coach.program.load', 'dataclasses', 'typing', 'tempfile')\n"
        "print('LOADED', [m for m in heavy if m in sys.modules], file=sys.stderr)"
    )
    env = {**os.environ, "COACH_DATA_DIR": str(tmp_path), "COACH_CONFIG": str(tmp_path / "config.toml")}
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT, env=env)
    assert "LOADED []" in out.stderr, out.stderr


def test_a_reader_that_stops_early_gets_no_traceback() -> None:
    argv = [sys.executable, "-m", "coach", "list"]
    listing = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert listing.stdout is not None and listing.stderr is not None
    listing.stdout.close()  # like `| head -0`
    assert listing.wait(30) == 0
    assert listing.stderr.read() == b""


THEMES_LISTED = "expected one of coach-high-contrast, textual-dark, textual-light, "


@pytest.mark.parametrize(
    ("args", "config", "where"),
    [
        (["--theme", "nosuch", "run", "demo"], "", "--theme"),
        (["run", "demo", "--theme", "nosuch"], "", "--theme"),
        (["--theme", "nosuch"], "", "--theme"),  # the picker
        (["run", "demo"], 'theme = "nosuch"\n', "{config}: theme"),
        ([], 'theme = "nosuch"\n', "{config}: theme"),
        (["--theme", "nosuch", "run", "demo"], 'theme = "dracula"\n', "--theme"),  # the command line's is wrong
    ],
)
def test_an_unknown_theme_is_one_line_listing_the_themes_and_exit_2(
    tmp_path: Path, args: list[str], config: str, where: str
) -> None:
    """In a terminal (the player's case), before Textual takes it: no traceback, the terminal untouched."""
    from tests.pty_coach import PtyCoach

    config_file = tmp_path / "config.toml"
    config_file.write_text(config)
    coach = PtyCoach(*args, env={"COACH_CONFIG": str(config_file)})
    try:
        assert coach.finish(30) == 2
        assert bytes(coach.raw).count(b"\n") == 1  # one line, which the terminal may fold at its width
        line = "".join(coach.lines())
        assert line.startswith(f"{where.format(config=config_file)}: {THEMES_LISTED}")
        assert line.endswith(", got 'nosuch'")
        assert b"\x1b" not in bytes(coach.raw)
    finally:
        coach.close()


def test_a_theme_has_no_say_where_textual_does_not_start(tmp_path: Path) -> None:
    """Plain mode and the quick commands neither check nor import a theme: it is the player's alone."""
    result = run_coach("--theme", "nosuch", "run", "--plain", "--speech", "none", str(PROGRAMS / "good" / "tiny.toml"))
    assert result.returncode == 0 and result.stdout.splitlines()[-1] == "Session complete. Well done."


@pytest.mark.parametrize("entry", ["python -m coach", "coach"])
def test_ctrl_c_while_the_command_line_is_still_loading_is_quiet(tmp_path: Path, entry: str) -> None:
    """A walk: Ctrl-C in the first 30 ms, before `main` could catch it, printed a traceback from argparse's
    import. A module named argparse that raises KeyboardInterrupt stands for the key arriving then."""
    (tmp_path / "argparse.py").write_text("raise KeyboardInterrupt\n")
    script = Path(sys.executable).with_name("coach")
    if entry == "coach" and not script.exists():
        pytest.skip("the console script is not installed beside this Python")
    command = [sys.executable, "-m", "coach"] if entry == "python -m coach" else [str(script)]
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    result = subprocess.run([*command, "--version"], capture_output=True, text=True, cwd=ROOT, env=env, timeout=30)
    assert (result.returncode, result.stdout, result.stderr) == (130, "", "")


@pytest.mark.parametrize(("command", "closed"), [("list", ">&-"), ("history", "2>&-"), ("--version", ">&- 2>&-")])
def test_a_command_run_with_its_output_closed_exits_as_it_would(tmp_path: Path, command: str, closed: str) -> None:
    """A review: the exit's letting go of a lost terminal met `sys.stdout` as None (`coach list >&-`) and ended
    in a traceback, exit 1, where the coach had exited 0 before."""
    line = f"{sys.executable} -m coach {command} {closed}; echo status $? >&3"
    done = subprocess.run(
        ["bash", "-c", f"exec 3>{tmp_path / 'status'}; {line}"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "COACH_DATA_DIR": str(tmp_path)},
        timeout=60,
    )
    assert (tmp_path / "status").read_text() == "status 0\n", done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("command", [("run", "demo", "--plain"), ("say", "Hello.")], ids=["run", "say"])
def test_an_empty_voice_is_one_line_and_exit_2(command: tuple[str, ...]) -> None:
    """A walk's `--voice ''` played on with "The voice  is not available", no name between the spaces."""
    result = run_coach(*command, "--voice", "")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == "--voice: no voice given; `coach voices` lists them, or leave the option out\n"


def test_list_validate_and_preview_give_one_length(tmp_path: Path) -> None:
    """A walk: `coach list` said demo was 0:57 and `coach preview` 0:58; only preview counted the tone at each
    hold's end, which `coach run` plays by default. (With no audio cached, preview lays the estimates too.)"""
    env = {"COACH_CACHE_DIR": str(tmp_path / "cache")}
    listed = {line.split()[0]: line.split()[1] for line in run_coach("list", env=env).stdout.splitlines()[:3]}
    for name in listed:
        total = next(
            line for line in run_coach("preview", name, env=env).stdout.splitlines() if line.startswith("Total")
        )
        valid = run_coach("validate", str(bundled()[name]), env=env).stdout
        assert total == f"Total: {listed[name]}" and f", {listed[name]}" in valid, (name, listed[name], total, valid)


def test_every_command_says_what_it_does_at_the_head_of_its_help(capsys: pytest.CaptureFixture[str]) -> None:
    """A caregiver's walk: `coach add --help` (and list, schema, history) said nothing of what the command does,
    and add's FILE nothing at all. Each command's help starts with its line of `coach --help`, as a sentence."""
    from coach.cli import _COMMANDS, main

    with pytest.raises(SystemExit):
        main(["--help"])
    listed = capsys.readouterr().out
    for name in _COMMANDS:
        with pytest.raises(SystemExit):
            main([name, "--help"])
        usage, head, *rest = capsys.readouterr().out.split("\n\n")
        assert usage.startswith(f"usage: coach {name}") and head.endswith("."), (name, head)
        assert (head[0].lower() + head[1:-1]).split()[:3] == listed.split(f"\n    {name}")[1].split()[:3], name
        assert "FILE\n" not in "\n\n".join(rest), name  # every argument explained
