"""`coach history` as a person reads it: a table of sessions, a summary per program, or CSV.

Everything from the history file that came from a program (titles, paths) is
escaped before it reaches the terminal, and CSV cells that a spreadsheet would
run as a formula are defused.
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from statistics import mean

from coach.history.store import SessionRecord, StepRecord
from coach.program.text import escape

WEEK = 7 * 24 * 60 * 60
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def select(records: Sequence[SessionRecord], name: str) -> list[SessionRecord]:
    """`--program NAME`: the sessions of the program with that bundled name, file name or path, or title."""
    wanted = {name.casefold(), str(Path(name).expanduser().resolve()).casefold()}
    chosen: dict[tuple[str, str], bool] = {}  # asked once per program, not once per session

    def matches(record: SessionRecord) -> bool:
        key = (record.program, record.title)
        if key not in chosen:
            names = {record.program.casefold(), Path(record.program).stem.casefold(), record.title.casefold()}
            chosen[key] = bool(names & wanted)
        return chosen[key]

    return [record for record in records if matches(record)]


def when(seconds: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(seconds))


def _pain(before: int | None, after: int | None) -> str:
    if before is None and after is None:
        return ""
    return f"{'-' if before is None else before} to {'-' if after is None else after}"


def _clip(text: str, width: int) -> str:
    text = escape(text).replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def table(records: Sequence[SessionRecord]) -> str:
    """One line per session, newest first: when, program, how it ended, pain before and after, minutes, steps."""
    title_width = min(32, max([len("Program")] + [len(escape(record.title)) for record in records]))
    lines = [f"{'When':<16}  {'Program':<{title_width}}  {'Ended':<16}  {'Pain':<8}  {'Minutes':>7}  {'Steps':>5}"]
    for record in records:
        lines.append(
            f"{when(record.started):<16}  {_clip(record.title, title_width):<{title_width}}  {record.how:<16}  "
            f"{_pain(record.pain_before, record.pain_after):<8}  {round(record.minutes):>7}  {record.steps_done:>5}"
        )
    return "\n".join(lines)


def _defused(cell: str) -> str:
    """A text cell a spreadsheet shows as text: one starting like a formula gets a leading apostrophe."""
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def as_csv(records: Iterable[SessionRecord]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "session",
            "started",
            "ended",
            "program",
            "title",
            "file",
            "outcome",
            "pain_before",
            "pain_after",
            "minutes",
            "steps_completed",
            "resumes",
        ]
    )
    for record in records:
        writer.writerow(
            [
                record.id,
                _iso(record.started),
                _iso(record.ended) if record.ended is not None else "",
                _defused(record.program),
                _defused(record.title),
                _defused(record.path),
                record.how,
                "" if record.pain_before is None else record.pain_before,
                "" if record.pain_after is None else record.pain_after,
                f"{record.minutes:.1f}",
                record.steps_done,
                "" if record.resumes is None else record.resumes,
            ]
        )
    return out.getvalue()


def _iso(seconds: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(seconds))


def _values(step: StepRecord) -> str:
    parts = []
    if step.hold is not None:
        parts.append(f"hold {step.hold} s")
    if step.reps is not None:
        if step.sets and step.sets > 1:
            parts.append(f"{step.sets} sets of {step.reps}")
        else:
            parts.append(f"{step.reps} {'time' if step.hold is not None and step.reps == 1 else 'times'}")
    return ", ".join(parts)


def latest_values(steps_by_session: Iterable[Sequence[StepRecord]]) -> list[StepRecord]:
    """Each step's newest record, from sessions given newest first: what the patient does now."""
    newest: dict[int, StepRecord] = {}
    for steps in steps_by_session:
        for step in steps:
            newest.setdefault(step.number, step)
    return [newest[number] for number in sorted(newest)]


def summary(records: Sequence[SessionRecord], latest_steps: Sequence[StepRecord], now: float) -> str:
    """A few sentences about one program's sessions (newest first), to read aloud or print."""
    newest = records[0]
    week = [record for record in records if now - record.started < WEEK]
    before = [record for record in records if WEEK <= now - record.started < 2 * WEEK]
    counts: dict[str, int] = {}
    for record in week:
        counts[record.how] = counts.get(record.how, 0) + 1
    how = ", ".join(f"{count} {what}" for what, count in counts.items())
    lines = [
        f"{_clip(newest.title, 80)} ({_clip(newest.program, 80)})",
        f"  This week: {_sessions(len(week))}{f' ({how})' if how else ''}; {_sessions(len(records))} in all, "
        f"the last on {when(newest.started)}.",
    ]
    shown = [f"{_clip(step.title, 40)}, {_values(step)}" for step in latest_steps if _values(step)]
    if shown:
        lines.append("  Now: " + "; ".join(shown) + ".")
    lines.append("  " + _trend(week, before))
    return "\n".join(lines)


def _sessions(count: int) -> str:
    return f"{count} session" + ("" if count == 1 else "s")


def _trend(week: Sequence[SessionRecord], before: Sequence[SessionRecord]) -> str:
    this = [record.pain_after for record in week if record.pain_after is not None]
    last = [record.pain_after for record in before if record.pain_after is not None]
    if not this:
        return "Pain after sessions: no answers this week."
    said = f"Pain after sessions: {mean(this):.1f} out of 10 on average this week"
    if not last:
        return said + "."
    change = mean(this) - mean(last)
    word = "better" if change <= -0.5 else "worse" if change >= 0.5 else "about the same"
    return f"{said}, {mean(last):.1f} the week before: {word}."
