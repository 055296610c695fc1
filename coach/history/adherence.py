"""Adherence: the sessions done against the program's prescription (`per_week` or `days`), week by week.

What a therapist asks first: did the patient do what was prescribed? A week
runs Monday to Sunday in local time; a session counts on the day it started,
and counts as done when it was completed (one stopped for pain or cut short is
shown where sessions are listed, not counted as done). With `days`, a week
counts the prescribed days with a session completed (two on a Monday are one
Monday; a Tuesday is no Monday), and a week that owes none its sessions; a
prescribed day with no session at all is missed once it is over, and one with
sessions begun but none completed is told with how they ended: a day stopped
for pain is not a day missed. Today is never missed yet. Nothing is owed before
the first session: a `per_week` week that began before it owes its share of
the days left. `coach history` and `coach report` both count here.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Sequence

from coach.history.records import TYPE_CHECKING, NamedTuple
from coach.history.store import SessionRecord
from coach.i18n import interface, list_separator

if TYPE_CHECKING:  # the program's model and fields only where a program prescribes: most do not
    from typing import Protocol

    from coach.program import Program

    class Prescribes(Protocol):
        """How often to play: a program as its file says now, or a `Prescription` kept with its sessions."""

        @property
        def per_week(self) -> int | None: ...

        @property
        def days(self) -> tuple[str, ...]: ...

        @property
        def prescribed(self) -> int | None: ...


class Prescription(NamedTuple):
    """A program's prescription as the history kept it with a session (schema 4): read when the program's file
    is gone. A caregiver's walk moved a file of Mon, Wed, Fri after six sessions, and its missed days and its
    prescription went with it."""

    per_week: int | None
    days: tuple[str, ...]

    @property
    def prescribed(self) -> int | None:
        return len(self.days) if self.days else self.per_week


NOTHING_PRESCRIBED = "none"  # kept for a session whose program prescribed nothing; NULL: not kept (before schema 4)


def prescription_kept(program: Program) -> str:
    """What the history keeps of `program`'s prescription with each session: "days:mon,wed,fri", "per_week:5"."""
    if program.days:
        return "days:" + ",".join(program.days)
    return f"per_week:{program.per_week}" if program.per_week else NOTHING_PRESCRIBED


def recorded(records: Sequence[SessionRecord]) -> Prescription | None:
    """The prescription the newest session that kept one was played under (`records` newest first): one that
    prescribes nothing where its file said nothing; None where no session kept one."""
    for record in records:
        if record.prescribed is None:
            continue
        kind, _, value = record.prescribed.partition(":")
        if kind == "days":
            return Prescription(None, tuple(value.split(",")))
        return Prescription(int(value) if kind == "per_week" and value.isdigit() else None, ())
    return None


class Week(NamedTuple):
    start: dt.date  # its Monday
    done: int  # completed sessions
    prescribed: int | None  # sessions prescribed that week; None when the program does not say, or none was due
    missed: tuple[dt.date, ...] = ()  # prescribed days over with no session begun (`days` only)
    # Prescribed days over with sessions begun but none completed, and how they ended ("stopped for pain" first).
    not_completed: tuple[tuple[dt.date, str], ...] = ()


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def weeks(records: Sequence[SessionRecord], program: Prescribes | None, now: float, count: int) -> list[Week]:
    """The last `count` weeks, this one last, each with its sessions done and prescribed (`records` newest
    first, all of one program)."""
    from coach.program.fields import WEEKDAYS  # here: `coach history` of programs with no prescription skips them
    from coach.session.outcome import Outcome

    today = dt.date.fromtimestamp(now)
    first = monday(today) - dt.timedelta(weeks=count - 1)
    done_on: dict[dt.date, int] = {}
    ended_on: dict[dt.date, list[str]] = {}  # how the sessions begun that day and not completed ended
    for record in records:
        day = dt.date.fromtimestamp(record.started)
        if day < first:
            continue
        if record.outcome == Outcome.COMPLETED:
            done_on[day] = done_on.get(day, 0) + 1
        else:
            ended_on.setdefault(day, []).append(record.how)  # or "playing now": begun, at least
    prescribed = program.prescribed if program is not None else None
    days = {WEEKDAYS.index(day) for day in program.days} if program is not None else set()
    # Nothing is prescribed, nor missed, before the patient's first session of the program.
    since = dt.date.fromtimestamp(records[-1].started) if records else today
    found = []
    for number in range(count):
        start = first + dt.timedelta(weeks=number)
        dates = [start + dt.timedelta(days=offset) for offset in range(7)]
        owed = [day for day in dates if day.weekday() in days and day >= since]
        due = None if prescribed is None or dates[-1] < since else len(owed) if days else prescribed
        if due and not days and start < since:  # a first session on a Sunday owed a whole week's five
            due = _share(due, (dates[-1] - since).days + 1)
        if due == 0:  # the first week, begun after its prescribed days: "1 of 0" read as done beyond the due
            due = None
        over = [day for day in owed if day < today and not done_on.get(day)]
        missed = tuple(day for day in over if day not in ended_on)
        begun = tuple((day, _worst(ended_on[day])) for day in over if day in ended_on)
        # With `days` a week that owes days counts the prescribed days done, as it names those missed: three
        # sessions on a Monday of a Mon, Wed, Fri program were "3 of 3" above "Missed: Wed, Fri" (a caregiver's
        # walk). A week that owes none counts its sessions ("Done: 1").
        sessions = sum(done_on.get(day, 0) for day in dates)
        done = sum(1 for day in owed if done_on.get(day)) if days and due else sessions
        found.append(Week(start, done, due, missed, begun))
    return found


def _share(per_week: int, days_left: int) -> int:
    """What a week owes of `per_week` sessions from its last `days_left` days: 5 a week from a Wednesday is 4."""
    return int(per_week * days_left / 7 + 0.5)


def _worst(hows: list[str]) -> str:
    """How a day's sessions ended, none completed: a pain stop first, as a therapist would want it read."""
    from coach.session.outcome import Outcome, how

    return how(Outcome.PAIN) if how(Outcome.PAIN) in hows else hows[0]  # newest first


def weekday_name(index: int) -> str:
    """Monday (0) to Sunday, short, in the interface's language."""
    words = interface()
    return (
        words.pgettext("weekday", "Mon"),
        words.pgettext("weekday", "Tue"),
        words.pgettext("weekday", "Wed"),
        words.pgettext("weekday", "Thu"),
        words.pgettext("weekday", "Fri"),
        words.pgettext("weekday", "Sat"),
        words.pgettext("weekday", "Sun"),
    )[index]


def _month(number: int) -> str:
    words = interface()
    return (
        words.pgettext("month", "Jan"),
        words.pgettext("month", "Feb"),
        words.pgettext("month", "Mar"),
        words.pgettext("month", "Apr"),
        words.pgettext("month", "May"),
        words.pgettext("month", "Jun"),
        words.pgettext("month", "Jul"),
        words.pgettext("month", "Aug"),
        words.pgettext("month", "Sep"),
        words.pgettext("month", "Oct"),
        words.pgettext("month", "Nov"),
        words.pgettext("month", "Dec"),
    )[number - 1]


def day_label(day: dt.date) -> str:
    """ "Wed 11 Nov": a date a person reads at a glance, in the interface's language (not the locale's, which
    `strftime` follows: a Spanish caregiver's history said "Mon 30 Nov" amid Spanish)."""
    shown = interface().pgettext("date", "{weekday} {day} {month}")
    return shown.format(weekday=weekday_name(day.weekday()), day=day.day, month=_month(day.month))


def short_day(day: dt.date) -> str:
    """ "11 Nov": a chart's axis, in the interface's language ("11月11日" in Chinese)."""
    return interface().pgettext("short date", "{day} {month}").format(day=day.day, month=_month(day.month))


def lines(records: Sequence[SessionRecord], program: Prescribes | None, now: float) -> list[str]:
    """What `coach history` says under a program: this week, the four before, and the days missed."""
    if program is None or program.prescribed is None:
        return []
    words = interface()
    recent = weeks(records, program, now, 5)
    this, before = recent[-1], [week for week in recent[:-1] if week.prescribed is not None]
    # "the week from Mon 23 Nov", not "this week": the summary's own "this week" is the last seven days
    if this.prescribed is None:
        told = words.gettext("Prescribed: {prescription}. Done: {done} in the week from {day}")
    else:
        told = words.gettext("Prescribed: {prescription}. Done: {done} of {due} in the week from {day}")
    said = told.format(
        prescription=prescription(program), done=this.done, due=this.prescribed, day=day_label(this.start)
    )
    if before:
        done, due = sum(week.done for week in before), sum(week.prescribed or 0 for week in before)
        said += words.ngettext(
            "; {done} of {due} in the week before", "; {done} of {due} in the {weeks} weeks before", len(before)
        ).format(done=done, due=due, weeks=len(before))
    missed = list_separator().join(day_label(day) for week in recent for day in week.missed)
    begun = list_separator().join(
        f"{day_label(day)} ({words.gettext(ended)})" for week in recent for day, ended in week.not_completed
    )
    return [
        said + words.pgettext("end of a sentence", "."),
        *([words.gettext("Missed: {days}.").format(days=missed)] if missed else []),
        *([words.gettext("Begun, not completed: {days}.").format(days=begun)] if begun else []),
    ]


def prescription(program: Prescribes) -> str:
    """ "5 sessions a week" or "Mon, Wed, Fri", as a person says it."""
    from coach.program.fields import WEEKDAYS

    if program.days:
        return list_separator().join(weekday_name(WEEKDAYS.index(day)) for day in program.days)
    count = program.per_week or 0
    return interface().ngettext("{count} session a week", "{count} sessions a week", count).format(count=count)


def program_of(key: str) -> Program | None:
    """The program the history knows as `key`, as its file says now: a bundled or shelf name, or a path.
    None when there is no such file any more, or it does not load (the history is still shown)."""
    from coach.program import ProgramError, load_program
    from coach.program.catalog import named

    path = named().get(key) or (key if os.path.isabs(key) else None)
    if path is None:
        return None
    try:
        return load_program(path)
    except (ProgramError, OSError):
        return None


_PRESCRIBES = rb"(?m)^[ \t]*(per_week|days)[ \t]*="
_MOST_BYTES = 1 << 20  # as a program file may be


def how_often(key: str, records: Sequence[SessionRecord]) -> Prescribes | None:
    """For `coach history`: how often the program known as `key` is prescribed. Its file says, where it is;
    where it is gone (moved, renamed, removed), the history says what it prescribed when last played."""
    path = _path_of(key)
    if not os.path.isfile(path):
        return recorded(records)
    program = prescribed(key)
    if program is None and _load_fails(path):  # a file that no longer loads says nothing: as if gone
        return recorded(records)
    return program


def _path_of(key: str) -> str:
    if os.path.isabs(key):
        return key
    from coach.program.catalog import programs_dir

    path = os.path.join(programs_dir(), f"{key}.toml")
    if not os.path.isfile(path):
        from coach.program.shelf import shelf_dir

        path = os.path.join(shelf_dir(), f"{key}.toml")
    return path


def _prescribes(data: bytes) -> bool:
    """Whether a program file has a `per_week` or `days` line. The words are looked for first: compiling the
    line's pattern took 0.2 ms of every `coach history`, and most files have neither."""
    return (b"per_week" in data or b"days" in data) and re.search(_PRESCRIBES, data) is not None


def _bytes(path: str) -> bytes:
    with open(path, "rb") as file:
        return file.read()


def _load_fails(path: str) -> bool:
    """Whether a file that prescribes (a `per_week` or `days` line) fails to load."""
    try:
        return _prescribes(_bytes(path)) and _load(path) is None
    except OSError:
        return True


def prescribed(key: str) -> Program | None:
    """The program known as `key`, only if its file says how often. A file is first looked at for a
    `per_week` or `days` line, and only then loaded: the loader and the TOML parser are a fifth of
    `coach history`'s start-up, and most programs prescribe nothing."""
    path = _path_of(key)
    try:
        if not os.path.isfile(path) or os.stat(path).st_size > _MOST_BYTES:
            return None
        if not _prescribes(_bytes(path)):
            return None
    except OSError:
        return None
    program = program_of(key) if not os.path.isabs(key) else _load(path)
    return program if program is not None and program.prescribed is not None else None


def _load(path: str) -> Program | None:
    from coach.program import ProgramError, load_program

    try:
        return load_program(path)
    except (ProgramError, OSError):
        return None
