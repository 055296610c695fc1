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
NO_COMMENT = {"empty": "the file is empty", "not-utf8": "the file is not UTF-8 text (byte 0xe9); save it as UTF-8"}
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
        # FILE:LINE: as the contract writes it, a part missing too (a caregiver's walk read "FILE: steps: missing")
        assert re.match(rf"{re.escape(str(path))}:\d+: ", message), message
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
    assert [(p.line, p.field) for p in problems] == [(7, "hold"), (11, "reps"), (12, "hodl")]


@pytest.mark.parametrize(("misspelled", "meant"), [('hodl = "5s"', "hold"), ('titel = "A"', "title")])
def test_a_key_missing_because_it_is_misspelled_is_told_once_by_its_misspelling(misspelled: str, meant: str) -> None:
    """A caregiver's walk: `hodl` was told as "hold: missing" on the step's line first, and its cause after it."""
    lines = ["format = 1", "[program]", 'title = "T"', "[[steps]]", 'kind = "hold"', 'title = "A"', 'hold = "5s"']
    lines = [line for line in lines if not line.startswith(f"{meant} =") or line == 'title = "T"'] + [misspelled]
    problems = pytest.raises(ProgramError, parse_program, "\n".join(lines).encode(), file="f.toml").value.problems
    step = 'step 1 ("A")' if meant != "title" else "step 1"
    told = f'{step}: {misspelled.split()[0]}: unknown key; did you mean "{meant}"?'
    assert [str(problem).split(": ", 1)[1] for problem in problems] == [told]


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


# Issue 13.13: durations as people write them.
HUMAN_DURATIONS = [
    ("5 minutes", 300),
    ("10 seconds", 10),
    ("1 minute 30 seconds", 90),
    ("5 min", 300),
    ("30 sec", 30),
    ("2 mins", 120),
    ("1.5 minutes", 90),
    ("1 hour", 3600),
    ("1h 30m", 5400),
    ("1 minute and 30 seconds", 90),
    ("1 minute, 30 seconds", 90),
    ("5 Minutes", 300),
    ("90 s", 90),
    ("0.25 hours", 900),
    ("45s", 45),  # the contract's own forms stay
    ("1m30s", 90),
    ("20m", 1200),
    ("1h", 3600),
]


def _one_step(duration: str) -> bytes:
    step = f'kind = "timed"\ntitle = "Heat"\nduration = "{duration}"\n'
    return f'format = 1\n[program]\ntitle = "T"\n[[steps]]\n{step}'.encode()


@pytest.mark.parametrize(("written", "seconds"), HUMAN_DURATIONS)
def test_a_duration_as_people_write_it_is_accepted(written: str, seconds: int) -> None:
    assert parse_program(_one_step(written)).steps[0].duration == seconds


@pytest.mark.parametrize(
    ("written", "proposed"),
    [
        ("ten minutes", '; did you mean "10m"?'),
        ("5 mintues", '; did you mean "5m"?'),
        ("30 sec.", '; did you mean "30s"?'),
        ("1.5 seconds", '; did you mean "2s"?'),  # whole seconds only
        ("1.33 minutes", '; did you mean "1m20s"?'),
        ("1:30", '; did you mean "1m30s"?'),
        ("1m30", '; did you mean "1m30s"?'),  # a walk was offered "1m": 30 seconds lost
        ("1h30", '; did you mean "1h30m"?'),
        ("2 min 15", '; did you mean "2m15s"?'),
        # written in the program's language: a walk's "1,5 minutos" was offered "5m", "90 segundos" nothing, and
        # "1 minuto 30 segundos" was called a range ("1 minu" to "30")
        ("1,5 minutos", '; did you mean "1m30s"?'),
        ("2,5m", '; did you mean "2m30s"?'),
        ("90 segundos", '; did you mean "1m30s"?'),
        ("1 minuto 30 segundos", '; did you mean "1m30s"?'),
        ("10 secondes", '; did you mean "10s"?'),
        ("1分30秒", '; did you mean "1m30s"?'),
        ("half a minute", '; did you mean "30s"?'),
        ("90", '; a number in quotes needs a unit: did you mean "90s" (or 90 without quotes)?'),
        ("20-30 seconds", '; that is a range: pick one value, like "20s"'),
        ("20 to 30 s", '; that is a range: pick one value, like "20s"'),
        ("5–10 min", '; that is a range: pick one value, like "5m"'),
    ],
)
def test_a_refused_duration_proposes_the_fix(written: str, proposed: str) -> None:
    [problem] = pytest.raises(ProgramError, parse_program, _one_step(written), file="neck.toml").value.problems
    expected = f'expected a duration like "30s", "1m30s" or 90, got "{written}"{proposed}'
    assert str(problem).startswith(f'neck.toml:7: step 1 ("Heat"): duration: {expected}')


def test_a_caregivers_program_with_every_human_duration_validates(tmp_path: Path) -> None:
    steps = "".join(
        f'[[steps]]\nkind = "hold"\ntitle = "Hold {n}"\nhold = "{written}"\nrest = "{written}"\n'
        for n, (written, _) in enumerate(HUMAN_DURATIONS, start=1)
    )
    path = tmp_path / "neck.toml"
    path.write_text(f'format = 1\n[program]\ntitle = "Neck"\n{steps}')
    result = run_coach("validate", str(path))
    assert result.returncode == 0, result.stdout
    assert result.stdout.startswith(f"{path}: ok, {len(HUMAN_DURATIONS)} steps, ")


def test_an_enormous_number_in_a_duration_is_too_long_not_a_crash() -> None:
    [problem] = pytest.raises(ProgramError, parse_program, _one_step("9" * 5000 + "s")).value.problems
    assert "expected a duration of at most 4 hours" in str(problem)


# Issue 13.15: TOML syntax errors say what is likely wrong, on the right line.
HEAD = 'format = 1\n\n[program]\ntitle = "Neck"\n\n[[steps]]\nkind = "hold"\n'  # a step starts on line 6
SYNTAX_MISTAKES = [
    ("title = Chin tucks", 'text must be in quotes: title = "Chin tucks"'),
    ('title = "Chin tucks', 'the closing quote is missing: title = "Chin tucks"'),
    ("title = 'Chin tucks", "the closing quote is missing: title = 'Chin tucks'"),
    (
        "title = \u201cChin tucks\u201d",
        'use straight quotes, not curly ones from a word processor: title = "Chin tucks"',
    ),
    ('title "Chin tucks"', '"=" is missing between title and its value: title = "Chin tucks"'),
    ('title: "Chin tucks"', 'use "=" between a key and its value, not ":": title = "Chin tucks"'),
    ('end say = "Well done."', "a key is one word: join words with _, like end_say"),
    ("hold = 5 seconds", 'text must be in quotes: hold = "5 seconds"'),
    ("hold = 10s  # the sheet says 10", 'text must be in quotes: hold = "10s"'),
    ('sides = ["right" "left"]', 'a comma is missing between the items of a list, like ["right leg", "left leg"]'),
    ("sides = [right, left]", 'text in a list must be in quotes too, like ["right leg", "left leg"]'),
    ("check_in = True", "write true or false, in small letters: check_in = true"),
    ("check_in = yes", "write true or false, in small letters: check_in = true"),
    ("check_in = tru", "write true or false: check_in = true"),
    ("check_in = flase", "write true or false: check_in = false"),
    ("say = 'Don't bounce.'", 'an apostrophe ends text in single quotes: use double quotes, say = "Don\'t bounce."'),
    ("hold =", "a value is missing after hold ="),
    ('kind = "reps"', "kind is given twice in the same table; keep one (if a new step starts here, put a [[steps]]"),
    ("[[steps]", "a step starts with [[steps]], two brackets on each side"),
    ("[program]", "the table [program] is given twice; keep one and put all its keys under it"),
    (
        'say = "C:\\notes\\pdf"',
        "a backslash in \"…\" starts an escape: write \\\\ for one, or use single quotes: say = 'C:\\notes\\pdf'",
    ),
    ('sides = ["right", "left"', 'this list is not closed: end it with "]", like sides = ["right leg", "left leg"]'),
    ('cues = ["Breathe slowly.",', 'this list is not closed: end it with "]", like cues = ["…", "…"]'),
]


@pytest.mark.parametrize(("line", "hint"), SYNTAX_MISTAKES, ids=[line for line, _ in SYNTAX_MISTAKES])
def test_a_syntax_mistake_says_what_is_likely_wrong_on_its_line(tmp_path: Path, line: str, hint: str) -> None:
    path = tmp_path / "neck.toml"
    path.write_text(f'{HEAD}{line}\nhold = "5s"\n')  # the mistake is on line 8
    result = run_coach("validate", str(path))
    assert result.returncode == 2 and "Traceback" not in result.stdout + result.stderr
    assert result.stdout.startswith(f"{path}:8: TOML syntax: {hint}"), result.stdout
    assert len(result.stdout.splitlines()) == 1


def test_a_step_header_without_its_s_is_a_key_to_correct_on_its_line(tmp_path: Path) -> None:
    path = tmp_path / "neck.toml"
    path.write_text(HEAD.replace("[[steps]]", "[[step]]") + 'title = "Chin tucks"\nhold = "5s"\n')
    result = run_coach("validate", str(path))
    assert result.returncode == 2
    assert f'{path}:6: step: unknown key; did you mean "steps"?' in result.stdout.splitlines()


# Issue 15.15: line numbers after U+2028 and U+2029; text with nothing visible.
@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])
def test_a_line_separator_inside_a_string_does_not_shift_line_numbers(separator: str) -> None:
    data = (
        'format = 1\n[program]\ntitle = "T"\nsummary = "One' + separator + "two" + separator + 'three"\n'
        '[[steps]]\nkind = "hold"\ntitle = "A"\nhodl = "5s"\n'
    ).encode()
    problems = pytest.raises(ProgramError, parse_program, data, file="f.toml").value.problems
    assert [(problem.line, problem.field) for problem in problems if problem.field == "hodl"] == [(8, "hodl")]


@pytest.mark.parametrize(
    ("title", "sides", "shown"),
    [
        ("\\u200b", '["right"]', "\\u200b"),
        ("\\u200b\\u200d\\ufeff", '["right"]', "\\u200b\\u200d\\ufeff"),
        (" \\u2060 ", '["right"]', "\\u0020\\u2060\\u0020"),
        ("Chin tucks", '["right", "\\u200b"]', "\\u200b"),  # "Switch to the \u200b."
    ],
)
def test_text_with_nothing_visible_is_refused(tmp_path: Path, title: str, sides: str, shown: str) -> None:
    path = tmp_path / "zw.toml"
    path.write_text(
        f'format = 1\n[program]\ntitle = "T"\n[[steps]]\nkind = "hold"\nhold = "5s"\n'
        f'title = "{title}"\nsides = {sides}\n'
    )
    result = run_coach("validate", str(path))
    assert result.returncode == 2 and "Traceback" not in result.stdout + result.stderr
    assert f"expected text with something to read, got only invisible characters ({shown})" in result.stdout
    assert len(result.stdout.splitlines()) == 1


def test_a_line_separator_in_text_is_refused_and_shown_escaped(tmp_path: Path) -> None:
    path = tmp_path / "sep.toml"
    path.write_text('format = 1\n[program]\ntitle = "T"\n[[steps]]\nkind = "hold"\nhold = "5s"\ntitle = "A\\u2028B"\n')
    result = run_coach("validate", str(path))
    assert result.returncode == 2
    assert (
        result.stdout
        == f'{path}:7: step 1 ("A\\u2028B"): title: expected plain text, got a control character (\\u2028)\n'
    )


@pytest.mark.parametrize("written", ["title = Knee\u202e to chest", "title = Bridge\x7f" + "s" * 5000])
def test_a_syntax_hint_quotes_the_file_escaped_and_short(written: str) -> None:
    data = f"format = 1\n[program]\n{written}\n".encode()
    [problem] = pytest.raises(ProgramError, parse_program, data, file="f.toml").value.problems
    shown = str(problem)
    assert shown.startswith("f.toml:3: TOML syntax: text must be in quotes: title = ")
    assert "\u202e" not in shown and "\x7f" not in shown and len(shown) < 300


STEP_HEADERS = [
    'format = 1\r\n[program]\r\ntitle = "Crlf"\r\n[[steps]]\r\nkind = "ready"\r\ntitle = "A"\r\n',
    'format = 1\n[program]\ntitle = "T"\n  [[ "steps" ]]  # one\nkind = "ready"\ntitle = "A"\n'
    '[steps.progress]\nevery = 2\n[[steps]]\nkind = "ready"\ntitle = "B"\n',
    'format = 1\n[program]\ntitle = "T"\nsummary = """\n[[steps]]\n"""\n[[steps]]\nkind = "ready"\ntitle = "A"\n',
]


@pytest.mark.parametrize("text", [path.read_text() for path in GOOD] + STEP_HEADERS)
def test_the_steps_lines_found_cheaply_are_the_full_scans(text: str) -> None:
    from coach.program.locate import Located, locate

    assert Located(text).steps == locate(text).steps


def test_a_good_program_is_loaded_without_scanning_every_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """Lines are for messages: a program with nothing wrong is not scanned for them (a sixth of its loading)."""
    from coach.program import locate

    monkeypatch.setattr(locate, "Lines", lambda: pytest.fail("every line scanned for a good program"))
    program = load_program(GOOD[0])
    assert program.steps[0].line > 0


def test_a_progress_table_names_its_own_keys_and_lines() -> None:
    """A caregiver's walk: an unknown key in [steps.progress] was told as "hodl" on the step's line (4), not as
    progress.hodl on its own line; and a raise aimed below the step's hold was only told once the step's other
    problem was mended."""
    text = (
        'format = 1\n[program]\ntitle = "T"\n[[steps]]\nkind = "hold"\ntitle = "K"\nhold = "10s"\n'
        'sides = ["a", "b", "c", "d", "e"]\n\n[steps.progress]\nhodl = 3\nevery = 0\nhold = { to = "5s", by = "5s" }\n'
    )
    with pytest.raises(ProgramError) as caught:
        parse_program(text.encode(), file="p.toml")
    told = [(problem.line, problem.field) for problem in caught.value.problems]
    assert told == [(8, "sides"), (11, "progress.hodl"), (12, "progress.every"), (13, "progress.hold.to")], told
    inline = text.replace("\n[steps.progress]\nhodl = 3\nevery = 0\nhold", "progress = { hodl = 3, hold").replace(
        '"5s" }\n', '"5s" } }\n'
    )
    with pytest.raises(ProgramError) as caught:
        parse_program(inline.encode(), file="p.toml")
    told = [(problem.line, problem.field) for problem in caught.value.problems]
    assert told == [(8, "sides"), (9, "progress.hodl"), (9, "progress.hold.to")], told


def test_an_old_mac_file_is_told_its_line_endings() -> None:
    """A caregiver's walk saved a program with CR alone at each line's end: it was told "text must be in quotes:
    format = "1\\x0d[program]…", and went looking for quotes."""
    from coach.program.syntax import LONE_CR_HINT

    with pytest.raises(ProgramError) as caught:
        parse_program(b'format = 1\r[program]\rtitle = "Old mac"\r', file="mac.toml")
    assert str(caught.value) == f"mac.toml:1: TOML syntax: {LONE_CR_HINT}"
    crlf = parse_program(b'format = 1\r\n[program]\r\ntitle = "T"\r\n[[steps]]\r\nkind = "ready"\r\ntitle = "A"\r\n')
    assert crlf.title == "T"


def test_a_key_given_twice_is_hinted_a_new_step_only_under_steps() -> None:
    """A walk gave [program] two titles and was told to put a [[steps]] line before the second."""
    program = PROGRAMS / "bad" / "title-twice-in-program.toml"
    [problem] = pytest.raises(ProgramError, load_program, program).value.problems
    assert str(problem).endswith("title is given twice in the same table; keep one")
    two_steps = b'format = 1\n[program]\ntitle = "T"\n[[steps]]\nkind = "ready"\ntitle = "A"\nkind = "ready"\n'
    [problem] = pytest.raises(ProgramError, parse_program, two_steps).value.problems
    assert str(problem).endswith("keep one (if a new step starts here, put a [[steps]] line before it)")


def test_problems_are_told_in_the_file_s_order() -> None:
    """A walk read line 36 told before line 32: unknown keys were told first, wherever they were."""
    text = b'format = 1\n[program]\ntitle = "T"\n[[steps]]\nkind = "hold"\ntitle = "A"\nhold = -1\nhodl = 5\n'
    problems = pytest.raises(ProgramError, parse_program, text).value.problems
    assert [(problem.line, problem.field) for problem in problems] == [(7, "hold"), (8, "hodl")]


def test_every_bad_item_of_a_list_is_told_each_on_its_own_line() -> None:
    """A caregiver's walk was told of item 2 only; fixed, validate then told of item 3, and then of item 4."""
    text = (
        'format = 1\n[program]\ntitle = "Lists"\nsafety = ["ok", 5, "tab\\there", "   "]\n'
        '[[steps]]\nkind = "hold"\ntitle = "Plank"\nhold = "5s"\nsides = ["left", "", "\\u0007"]\n'
    )
    problems = [
        str(problem)
        for problem in pytest.raises(ProgramError, parse_program, text.encode(), file="l.toml").value.problems
    ]
    assert problems == [
        "l.toml:4: program: safety: item 2: expected text of 1 to 2000 characters, got 5",
        "l.toml:4: program: safety: item 3: expected plain text, got a tab (write spaces)",
        "l.toml:4: program: safety: item 4: expected text, got only spaces",
        'l.toml:9: step 1 ("Plank"): sides: item 2: expected text, got none',
        'l.toml:9: step 1 ("Plank"): sides: item 3: expected plain text, got a control character (\\x07)',
    ]
