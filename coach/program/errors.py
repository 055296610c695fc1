"""The one error a program file can raise, carrying every problem found in it.

A caregiver fixing a file wants the whole list at once, each problem pointing
at a line, a step and a field, in the form the contract shows:
`FILE:LINE: step 3 ("Knee to chest"): hold: expected a duration like "30s", got -5`.
"""

from __future__ import annotations

from dataclasses import dataclass

from coach.errors import CoachError
from coach.program.text import escape, literal


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a program file."""

    file: str
    line: int | None
    where: str  # "step 3 (\"Knee to chest\")", "program", "" for the file as a whole
    field: str
    message: str

    def __str__(self) -> str:
        location = f"{escape(self.file)}:{self.line}" if self.line else escape(self.file)
        parts = [location]
        if self.where:
            parts.append(self.where)
        if self.field:
            parts.append(self.field)
        parts.append(self.message)
        return ": ".join(parts)


class ProgramError(CoachError):
    """A program file that cannot be played; `problems` lists every reason (one line each)."""

    def __init__(self, problems: list[Problem]) -> None:
        if not problems:
            raise ValueError("a ProgramError needs at least one problem")
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


def step_label(number: int | None, title: object) -> str:
    """`step 3 ("Knee to chest")`, or `step 3` when the step has no usable title; a rest (`number` None) is
    `rest ("Short break")`. Numbered as the session numbers them, rests left out (see `exercise_numbers`)."""
    named = "rest" if number is None else f"step {number}"
    if isinstance(title, str) and title.strip():
        return f"{named} ({literal(title, limit=60)})"
    return named


def exercise_numbers(kinds: list[object]) -> list[int | None]:
    """Each step's number as "Step 2 of 6" says it, by the steps' kinds: None for a rest, which is not counted.

    `coach validate` said "step 5" of what the session announced as step 4, a rest coming before it. A kind
    that is not "rest", a wrong one too, is counted."""
    numbers: list[int | None] = []
    count = 0
    for kind in kinds:
        if kind == "rest":
            numbers.append(None)
        else:
            count += 1
            numbers.append(count)
    return numbers
