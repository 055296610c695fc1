"""The loader against a folder of good and bad program files, in the contract's message form."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from coach.program import Kind, ProgramError, load_program, parse_program
from tests.conftest import PROGRAMS, run_coach

BAD = sorted((PROGRAMS / "bad").glob("*.toml"))
GOOD = sorted((PROGRAMS / "good").glob("*.toml"))
NO_COMMENT = {"empty": "the file is empty", "not-utf8": "the file is not UTF-8 text (byte 0xe9)"}
MESSAGE = re.compile(r"^[^:]+:(\d+: )?.+: .+$")


def expectation(path: Path) -> str:
    if path.stem in NO_COMMENT:
        return NO_COMMENT[path.stem]
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# expect: "), f"{path.name} needs an '# expect:' first line"
    return first.removeprefix("# expect: ")


@pytest.mark.parametrize("path", BAD, ids=lambda path: path.stem)
def test_bad_file_is_rejected_with_the_contract_message(path: Path) -> None:
    with pytest.raises(ProgramError) as caught:
        load_program(path)
    messages = [str(problem) for problem in caught.value.problems]
    assert any(expectation(path) in message for message in messages), messages
    for message in messages:
        assert message.startswith(str(path)), message
        assert "\n" not in message and "\x1b" not in message


@pytest.mark.parametrize("path", GOOD, ids=lambda path: path.stem)
def test_good_file_loads(path: Path) -> None:
    program = load_program(path)
    assert program.steps and program.title


def test_message_names_file_line_step_field_expected_and_found() -> None:
    path = PROGRAMS / "bad" / "duration-negative.toml"
    problem = pytest.raises(ProgramError, load_program, path).value.problems[0]
    assert str(problem) == (
        f'{path}:8: step 1 ("Knee to chest"): hold: expected a duration like "30s", "1m30s" or 90, got -5'
    )


def test_syntax_error_carries_the_parser_line() -> None:
    problem = pytest.raises(ProgramError, load_program, PROGRAMS / "bad" / "toml-syntax.toml").value.problems[0]
    assert problem.line == 7


def test_every_problem_is_reported_at_once() -> None:
    text = (
        b'format = 1\n[program]\ntitle = "T"\n[[steps]]\nkind = "hold"\ntitle = "A"\nhold = -1\n'
        b'[[steps]]\nkind = "reps"\ntitle = "B"\nreps = 0\nhodl = 3\n'
    )
    problems = pytest.raises(ProgramError, parse_program, text, file="f.toml").value.problems
    assert [(p.line, p.field) for p in problems] == [(7, "hold"), (12, "hodl"), (11, "reps")]


def test_oversized_file_is_rejected_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.toml"
    path.write_bytes(b"format = 1\n" + b"# padding\n" * 110_000)
    assert "larger than 1 MiB" in str(pytest.raises(ProgramError, load_program, path).value)


def test_six_hundred_steps_is_one_clear_problem() -> None:
    steps = '[[steps]]\nkind = "ready"\ntitle = "R"\n' * 600
    problems = pytest.raises(ProgramError, parse_program, f'format = 1\n[program]\ntitle = "T"\n{steps}'.encode()).value
    assert [str(p) for p in problems.problems] == ["<program>:4: steps: expected 1 to 500 steps, got 600"]


@pytest.mark.parametrize("kind", ["folder", "missing"])
def test_a_path_that_is_no_file_is_a_clear_error(tmp_path: Path, kind: str) -> None:
    path = tmp_path if kind == "folder" else tmp_path / "nope.toml"
    error = str(pytest.raises(ProgramError, load_program, path).value)
    assert error in {f"{path}: is a folder, not a program file", f"{path}: no such file"}


def test_defaults_fill_steps_of_the_kinds_that_take_them() -> None:
    program = load_program(PROGRAMS / "good" / "every-field.toml")
    timed, ready, hold, reps, forever = program.steps
    assert (timed.kind, timed.duration, timed.remind) == (Kind.TIMED, 90, 30)
    assert hold.rest == 60 and reps.rest == 10 and ready.timeout == 10 and forever.timeout == 0
    assert hold.cues == ("Breathe slowly.",) and hold.progress is not None and hold.progress.every == 2
    assert program.language == "en-GB" and program.pain_stop == 7 and not program.check_in


def test_markup_is_kept_as_written() -> None:
    assert load_program(PROGRAMS / "good" / "markup-title.toml").steps[0].title == "[bold red]Bridges[/]"


@pytest.mark.parametrize("path", BAD, ids=lambda path: path.stem)
def test_validate_command_exits_2_without_a_traceback(path: Path) -> None:
    result = run_coach("validate", str(path))
    assert result.returncode == 2
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines and all(MESSAGE.match(line) for line in lines), lines
    assert any(expectation(path) in line for line in lines)


def test_validate_accepts_good_files_and_says_so() -> None:
    result = run_coach("validate", *map(str, GOOD))
    assert result.returncode == 0, result.stdout
    assert all(": ok, " in line for line in result.stdout.splitlines())


def _oversized(folder: Path) -> Path:
    path = folder / "big.toml"
    path.write_bytes(b"format = 1\n" + b"# padding\n" * 110_000)
    return path


def _six_hundred_steps(folder: Path) -> Path:
    path = folder / "many.toml"
    path.write_text('format = 1\n[program]\ntitle = "T"\n' + '[[steps]]\nkind = "ready"\ntitle = "R"\n' * 600)
    return path


def _fifo(folder: Path) -> Path:
    path = folder / "pipe.toml"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_oversized, "the file is larger than 1 MiB"),
        (_six_hundred_steps, "steps: expected 1 to 500 steps, got 600"),
        (_fifo, "is not a regular file"),
        (lambda folder: folder, "is a folder, not a program file"),
    ],
)
def test_generated_bad_inputs_exit_2_with_one_line(tmp_path: Path, make, message: str) -> None:  # type: ignore[no-untyped-def]
    result = run_coach("validate", str(make(tmp_path)), timeout=20)
    assert result.returncode == 2 and "Traceback" not in result.stdout + result.stderr
    assert len(result.stdout.splitlines()) == 1 and message in result.stdout
