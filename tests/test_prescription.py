"""`per_week` and `days` in `[program]`: how often a program is prescribed, read as the caregiver wrote it."""

from __future__ import annotations

from coach.program import load_program, parse_program
from tests.conftest import PROGRAMS


def test_days_are_kept_monday_first_and_count_as_the_sessions_a_week() -> None:
    program = load_program(PROGRAMS / "good" / "prescribed.toml")
    assert program.days == ("mon", "wed", "fri") and program.per_week is None and program.prescribed == 3


def test_per_week_is_the_sessions_a_week() -> None:
    program = load_program(PROGRAMS / "good" / "per-week.toml")
    assert program.per_week == 5 and program.days == () and program.prescribed == 5


def test_a_program_that_says_nothing_has_no_prescription() -> None:
    program = parse_program(b'format = 1\n[program]\ntitle = "T"\n[[steps]]\nkind = "ready"\ntitle = "R"\n')
    assert program.prescribed is None
