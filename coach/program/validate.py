"""Turn a parsed TOML document into a `Program`, or list everything wrong with it.

The walk never stops at the first problem: a caregiver gets every line to fix
in one run of `coach validate`.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Callable, Iterable
from typing import Any, Optional, Union

from coach.program import caps, fields, schema
from coach.program.durations import compact
from coach.program.errors import Problem, ProgramError, exercise_numbers, step_label
from coach.program.locate import Located
from coach.program.model import Kind, Program, Progress, Raise, Step
from coach.program.text import describe, literal

MAX_STEPS = 500
MAX_UNKNOWN = 20  # unknown keys told one by one in a table; the rest are counted
LineOf = Callable[[str], Optional[int]]  # noqa: UP045 - a runtime alias must work on Python 3.10
# Where a problem is, or how to name it: a step's label is made only for a step with a problem (making one for
# every step took a fifth of validating 500).
Where = Union[str, Callable[[], str]]  # noqa: UP007 - a runtime alias must work on Python 3.10


class _Report:
    """Collects problems with the file name filled in."""

    def __init__(self, file: str, lines: Located) -> None:
        self.file = file
        self.lines = lines
        self.problems: list[Problem] = []

    def add(self, line: int | None, where: Where, field: str, message: str) -> None:
        self.problems.append(Problem(self.file, line, where if isinstance(where, str) else where(), field, message))

    def invalid(self, line: int | None, where: Where, field: str, problem: fields.Invalid) -> None:
        for message in problem.messages:
            self.add(line, where, field, message)

    def unknown_keys(
        self, table: dict[str, Any], allowed: Iterable[str], where: Where, line_of: LineOf, within: str = ""
    ) -> None:
        """Each unknown key with the nearest known one; past MAX_UNKNOWN in one table, one line for the rest:
        a screenful helps a caregiver, and finding and matching 40,000 keys took seconds."""
        allowed = list(allowed)
        unknown = [key for key in table if key not in allowed]
        for key in unknown[:MAX_UNKNOWN]:
            near = _nearest(key, allowed)
            hint = f"; did you mean {literal(near)}?" if near else f"; expected one of {', '.join(allowed)}"
            self.add(line_of(key), where, within + literal(key, limit=30).strip('"'), f"unknown key{hint}")
        if len(unknown) > MAX_UNKNOWN:
            more = len(unknown) - MAX_UNKNOWN
            self.add(line_of(unknown[MAX_UNKNOWN]), where, "", f"and {more} more unknown keys from here on")


def _nearest(key: str, allowed: list[str]) -> str | None:
    """The known key `key` was likely meant for: its own letters swapped first ("rets" is "rest", not "sets", a
    walk's), else the closest in spelling."""
    swapped = [name for name in allowed if sorted(name) == sorted(key)]
    near = swapped or difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    return near[0] if near else None


def build_program(doc: dict[str, Any], lines: Located, file: str, sha256: str = "") -> Program:
    report = _Report(file, lines)
    report.unknown_keys(doc, schema.TOP_KEYS, "", lambda key: lines.of_key("", key))
    _check_format(doc, report)
    header = _check_program(doc.get("program"), report)
    defaults = _check_defaults(doc.get("defaults", {}), report)
    steps = _check_steps(doc.get("steps"), defaults, report)
    if steps and all(step.kind is Kind.REST for step in steps) and not report.problems:
        report.add(report.lines.of_step(0), "", "steps", "expected at least one step that is not a rest")
    if report.problems:
        # In the file's order, as an editor goes through them (a walk read line 36 told before line 32).
        report.problems.sort(key=lambda problem: (problem.line is None, problem.line or 0))  # the whole file: last
        raise ProgramError(report.problems)
    program = Program(steps=tuple(steps), path=file, sha256=sha256, **header)
    too_much = caps.session_problem(program)
    if too_much is not None:
        index, message = too_much
        step = program.steps[index]
        number = exercise_numbers([step.kind.value for step in program.steps])[index]
        report.add(step.line or None, step_label(number, step.title), "", message)
        raise ProgramError(report.problems)
    return program


def _check_format(doc: dict[str, Any], report: _Report) -> None:
    if "format" not in doc:
        report.add(1, "", "format", "missing; a program file starts with format = 1")
    elif isinstance(doc["format"], bool) or doc["format"] != 1:
        found = describe(doc["format"])
        report.add(
            report.lines.of_key("", "format"),
            "",
            "format",
            f"expected 1 (the only format this coach reads), got {found}",
        )


def _check_program(table: object, report: _Report) -> dict[str, Any]:
    def line_of(key: str) -> int | None:
        return report.lines.of_key("program", key)

    if table is None:
        # Every problem has a line, as the contract's form has (a caregiver's walk found these two without): a
        # part missing is told where it goes, [program] at the top and the steps at the end.
        top = report.lines.of_key("", "format") or 1
        report.add(top, "", "program", 'missing; add a [program] table with a title = "…"')
        return {}
    if not isinstance(table, dict):
        report.add(report.lines.of_key("", "program"), "", "program", f"expected a table, got {describe(table)}")
        return {}
    report.unknown_keys(table, schema.PROGRAM_FIELDS, "program", line_of)
    if "title" not in table:
        report.add(report.lines.of_table("program"), "program", "title", 'missing; add title = "…"')
    header: dict[str, Any] = {}
    for key, check in schema.PROGRAM_FIELDS.items():
        if key in table:
            try:
                header[key] = check(table[key])
            except fields.Invalid as problem:
                report.invalid(line_of(key), "program", key, problem)
    if "per_week" in table and "days" in table:
        report.add(line_of("days"), "program", "days", "give per_week or days, not both (days says how many too)")
    return header


def _check_defaults(table: object, report: _Report) -> dict[str, Any]:
    def line_of(key: str) -> int | None:
        return report.lines.of_key("defaults", key)

    if not isinstance(table, dict):
        report.add(report.lines.of_key("", "defaults"), "", "defaults", f"expected a table, got {describe(table)}")
        return {}
    report.unknown_keys(table, schema.STEP_FIELDS, "defaults", line_of)
    clean: dict[str, Any] = {}
    for key, value in table.items():
        if key not in schema.STEP_FIELDS:
            continue
        if key == "kind":
            kind = _kind(value)
            if kind is None:
                report.add(line_of(key), "defaults", key, _kind_message(value))
            clean[key] = kind
        elif key == "progress":
            report.add(line_of(key), "defaults", key, "is given per step, not as a default")
        else:
            try:
                clean[key] = schema.STEP_FIELDS[key](value)
            except fields.Invalid as problem:
                report.invalid(line_of(key), "defaults", key, problem)
    return clean


def _check_steps(steps: object, defaults: dict[str, Any], report: _Report) -> list[Step]:
    def line() -> int | None:
        return report.lines.of_key("", "steps") or report.lines.of_step(0)

    if steps is None:
        report.add(report.lines.last, "", "steps", "missing; add at least one [[steps]] with a kind and a title")
        return []
    if not isinstance(steps, list) or not all(isinstance(step, dict) for step in steps):
        report.add(line(), "", "steps", f"expected [[steps]] tables, got {describe(steps)}")
        return []
    if not 1 <= len(steps) <= MAX_STEPS:
        report.add(line(), "", "steps", f"expected 1 to {MAX_STEPS} steps, got {len(steps)}")
        return []
    numbers = exercise_numbers([raw.get("kind", defaults.get("kind")) for raw in steps])
    built = (_check_step(index, numbers[index], raw, defaults, report) for index, raw in enumerate(steps))
    return [step for step in built if step is not None]


def _kind(value: object) -> Kind | None:
    return Kind(value) if isinstance(value, str) and value in Kind._value2member_map_ else None


def _kind_message(value: object) -> str:
    names = [kind.value for kind in Kind]
    near = difflib.get_close_matches(value, names, n=1) if isinstance(value, str) else []
    hint = f"; did you mean {literal(near[0])}?" if near else ""
    return f"expected one of {', '.join(names)}, got {describe(value)}{hint}"


def _check_step(
    index: int, number: int | None, raw: dict[str, Any], defaults: dict[str, Any], report: _Report
) -> Step | None:
    where = functools.partial(step_label, number, raw.get("title"))

    def line_of(key: str) -> int | None:
        return report.lines.of_key("steps", key, index)

    before = len(report.problems)
    report.unknown_keys(raw, schema.STEP_FIELDS, where, line_of)
    kind = _kind(raw["kind"]) if "kind" in raw else defaults.get("kind")
    if kind is None:
        if "kind" in raw:
            report.add(line_of("kind"), where, "kind", _kind_message(raw["kind"]))
        else:
            report.add(
                report.lines.of_step(index),
                where,
                "kind",
                'missing; add kind = "timed", "ready", "hold", "reps" or "rest"',
            )
        return None
    allowed = schema.KIND_FIELDS[kind]
    values: dict[str, Any] = dict(schema.KIND_DEFAULTS.get(kind, {}))
    values.update({key: value for key, value in defaults.items() if key in allowed and value is not None})
    for key, value in raw.items():
        if key not in schema.STEP_FIELDS or key == "kind":
            continue
        if key not in allowed:
            # A rest step's own length is its duration; `rest` is the rest inside a hold or reps step.
            hint = '; a rest step lasts its duration, like duration = "30s"' if kind is Kind.REST else ""
            report.add(line_of(key), where, key, f"does not apply to a {kind.value} step{hint}")
        elif key == "progress":
            values[key] = _check_progress(value, kind, where, line_of, report)
        else:
            try:
                values[key] = schema.STEP_FIELDS[key](value)
            except fields.Invalid as problem:
                report.invalid(line_of(key), where, key, problem)
    # A key missing because it is misspelled is told once, by its misspelling ("hodl: unknown key; did you mean
    # "hold"?"): a caregiver's walk was told "hold: missing" first, on the step's line, and the cause after it.
    misspelled = {_nearest(key, list(schema.STEP_FIELDS)) for key in raw if key not in schema.STEP_FIELDS}
    if "title" not in raw and "title" not in values and "title" not in misspelled:
        report.add(report.lines.of_step(index), where, "title", 'missing; add title = "…"')
    required = schema.REQUIRED.get(kind)
    if required and required[0] not in raw and required[0] not in values and required[0] not in misspelled:
        report.add(
            report.lines.of_step(index),
            where,
            required[0],
            f"missing; a {kind.value} step needs it, like {required[1]}",
        )
    _aims_above(values, raw, where, line_of, report)
    if len(report.problems) > before:
        return None
    step = Step(kind=kind, line=report.lines.of_step(index) or 0, **values)
    too_fast = caps.pace_problem(step)
    if too_fast is not None:
        report.add(line_of("pace") or report.lines.of_step(index), where, "pace", too_fast)
        return None
    return step


def _check_progress(value: object, kind: Kind, where: Where, line_of: LineOf, report: _Report) -> Progress | None:
    field = "progress"
    if not isinstance(value, dict):
        report.add(line_of(field), where, field, f"expected a table, got {describe(value)}")
        return None
    report.unknown_keys(value, schema.PROGRESS_KEYS, where, lambda key: line_of(f"{field}.{key}"), f"{field}.")
    parts: dict[str, Any] = {}
    for key, check in (("every", fields.count()), ("max_pain", fields.count(0, 10))):
        if key in value:
            try:
                parts[key] = check(value[key])
            except fields.Invalid as problem:
                report.invalid(line_of(f"progress.{key}"), where, f"progress.{key}", problem)
    amounts = {"hold": fields.duration(), "reps": fields.count()}
    for key, check in amounts.items():
        if key not in value:
            continue
        if key == "hold" and kind is not Kind.HOLD:
            report.add(line_of("progress.hold"), where, "progress.hold", f"does not apply to a {kind.value} step")
            continue
        target = value[key]
        example = '{ to = "60s", by = "5s" }' if key == "hold" else "{ to = 15, by = 1 }"
        if not isinstance(target, dict):
            report.add(
                line_of(f"progress.{key}"), where, f"progress.{key}", f"expected {example}, got {describe(target)}"
            )
            continue
        # What is wrong in the table, by name: "got a table" told a walk nothing of its missing `by` or its `step`.
        wrong = [f"no {name}" for name in ("to", "by") if name not in target]
        wrong += [f"unknown key {literal(name, limit=30)}" for name in target if name not in {"to", "by"}]
        if wrong:
            report.add(line_of(f"progress.{key}"), where, f"progress.{key}", f"expected {example}: {', '.join(wrong)}")
            continue
        found: dict[str, int] = {}
        for part in ("to", "by"):  # named: "progress.hold" left a walk to guess which of the two was wrong
            try:
                found[part] = int(check(target[part]))  # type: ignore[call-overload]
            except fields.Invalid as problem:
                report.invalid(line_of(f"progress.{key}"), where, f"progress.{key}.{part}", problem)
        if len(found) == 2:
            parts[key] = Raise(**found)
    return Progress(**parts)


def _aims_above(values: dict[str, Any], raw: dict[str, Any], where: Where, line_of: LineOf, report: _Report) -> None:
    """A raise must aim above where the step starts. Told beside the step's other problems, so that one run of
    `coach validate` lists them all (a walk mended a step's sides, and only then heard of its raise)."""
    progress: Progress | None = values.get("progress")
    if progress is None:
        return
    for name in ("hold", "reps"):
        target: Raise | None = getattr(progress, name)
        start = values.get(name, None if name in raw else getattr(Step, name))  # given but wrong: not known
        if target is not None and start is not None and target.to < start:
            # A hold in the file's own units: "(30), got 20" left a walk to guess seconds from "30s" and "20s".
            said = compact if name == "hold" else str
            report.add(
                line_of(f"progress.{name}"),
                where,
                f"progress.{name}.to",
                f"expected at least the step's {name} ({said(start)}), got {said(target.to)}",
            )
