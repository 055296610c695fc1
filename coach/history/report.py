"""`coach history` as a person reads it: a table of sessions, a summary per program, or CSV.

The table tells the truth of each session: how many of its steps ran to their
end out of how many, which were skipped, and the time added or taken away.
Everything from the history file that came from a program (titles, paths) is
escaped before it reaches the terminal, and CSV cells that a spreadsheet would
run as a formula are defused.
"""

from __future__ import annotations

import io
import os
import time
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence

from coach.errors import UsageError
from coach.history.store import SessionRecord, StepRecord, storable
from coach.i18n import N_, cells, decimal, interface, list_separator, pad
from coach.program.catalog import named
from coach.program.text import escape, one_line

WEEK = 7 * 24 * 60 * 60
HEADS = (N_("When"), N_("Program"), N_("Ended"), N_("Pain"), N_("Minutes"), N_("Steps"))  # the table's columns
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def select(records: Sequence[SessionRecord], name: str, programs: Collection[str] = ()) -> list[SessionRecord]:
    """`--program NAME`: the sessions of the program with that bundled name, file name or path, or title (the
    program's sessions under its earlier titles too).

    A program that is exactly `name` (a name on the shelf or bundled, in `programs`, or a path) is the one
    meant: a file's stem or a title counts only where none is. After `coach add walk.toml`, `--program walk`
    listed the shelf's sessions and every one played from walk.toml before it, though `add` had said those
    stay under the file."""
    path = os.path.expanduser(name)  # `~nouser/x` stays as it is: no such home, so no such file; maybe a title
    meant = {name, storable(os.path.realpath(path))}
    if os.path.isfile(path):  # a bundled or shelf program's own file means it, by its name (a caregiver's walk)
        from coach.program.catalog import program_key

        meant.add(storable(program_key(path)))
    wanted = {key.casefold() for key in meant}
    # The program of that very name first: a shelf file Demo.toml, synced in beside the bundled demo, had its
    # sessions listed under `--program demo` (a walk's). Else in any case: `--program Demo` is the demo.
    exact = [record for record in records if record.program in meant] or [
        record for record in records if record.program.casefold() in wanted
    ]
    if exact or name in programs:
        return exact
    # Asked once per program and title, not once per session. A title (or a file's name) means every session
    # of the programs that bear it: a program renamed keeps its sessions under its old title, and a walk's
    # `--program "Neck release v2"` lost them, a pain stop among them, under a heading that named the program.
    keys = {
        program
        for program, title in {(record.program, record.title) for record in records}
        if {_file_name(program)[0].casefold(), "".join(_file_name(program)).casefold(), title.casefold()} & wanted
    }
    return [record for record in records if record.program in keys]


def _file_name(program: str) -> tuple[str, str]:
    """A program's file name as its stem and suffix: a bundled or shelf program, known by its name (a path has a
    slash), is NAME.toml."""
    return os.path.splitext(os.path.basename(program)) if "/" in program or "\\" in program else (program, ".toml")


def chosen(records: Sequence[SessionRecord], name: str, command: str, *, none_yet: bool = False) -> list[SessionRecord]:
    """`select`, or a UsageError (one line) naming the programs that have sessions where none is of `name`: a
    walk's mistyped `coach history --program` said "No sessions of that program yet." with exit 0. `none_yet`:
    a program that is there (bundled, on the shelf, a file) with no sessions is no error, only none yet (a
    caregiver's walk added a program, asked for its history, and was told it was not in it, exit 2)."""
    programs = named()
    found = select(records, name, programs)
    if none_yet and not found and (name in programs or (name.endswith(".toml") and os.path.isfile(name))):
        return []
    if records and not found:
        # named programs first, then those played from a file (their paths): none may be left out, or a history of
        # files alone gave "(programs with sessions: )"
        known = list_separator().join(
            sorted({record.program for record in records}, key=lambda program: ("/" in program, program))
        )
        told = interface().gettext("no sessions of {name} in the history (programs with sessions: {known})")
        raise UsageError(f"{command}: " + told.format(name=repr(name), known=known))
    return found


def when(seconds: float) -> str:
    """The moment as the table shows it: 16 columns, 2026-12-04 19:30."""
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(seconds))


def _pain(before: int | None, after: int | None) -> str:
    if before is None and after is None:
        return ""
    return (
        interface()
        .gettext("{before} to {after}")
        .format(before="-" if before is None else before, after="-" if after is None else after)
    )


def _clip(text: str, width: int) -> str:
    """`text` escaped, in at most `width` terminal columns (a Chinese character takes two)."""
    text = one_line(text)
    if cells(text) <= width:
        return text
    while cells(text) > width - 1:
        text = text[:-1]
    return text + "…"


def steps_done(record: SessionRecord) -> str:
    """ "1 of 7": the steps that ran to their end, of the program's steps (files before 0.2 kept no total)."""
    if record.steps is None:
        return str(record.steps_done)
    return interface().gettext("{done} of {steps}").format(done=record.steps_done, steps=record.steps)


def skipped(steps: Sequence[StepRecord]) -> list[str]:
    return [step.title for step in steps if not step.completed]


def changes(steps: Sequence[StepRecord]) -> list[str]:
    """What a session did not play as written, in sentences: "Skipped: Bridge.", "Time: 20 s added to Rest."."""
    words, told = interface(), []
    if names := skipped(steps):
        told.append(
            words.gettext("Skipped: {steps}.").format(steps=list_separator().join(_clip(name, 40) for name in names))
        )
    if timed := _time_changes(steps):
        told.append(
            words.gettext("Time: {changes}.").format(
                changes=list_separator().join(_clip(change, 60) for change in timed)
            )
        )
    return told


def seconds_text(seconds: int) -> str:
    """A length as the history shows it, in the interface's language: "45 s", "5 min"; "45秒", "5分钟" (a walk
    read "Warm towel，10 s" beside "保持5秒")."""
    words = interface()
    if abs(seconds) < 120:
        return words.pgettext("a length in seconds", "{seconds} s").format(seconds=seconds)
    if seconds % 60:  # "19 min 58 s": a walk read "1198 s taken from Heating pad"
        told = words.pgettext("a length in minutes and seconds", "{minutes} min {seconds} s")
        return told.format(minutes=seconds // 60, seconds=seconds % 60)
    return words.pgettext("a length in minutes", "{minutes} min").format(minutes=seconds // 60)


def went_on(record: SessionRecord, started: Mapping[int, float], moment: Callable[[float], str] = when) -> list[str]:
    """ "Went on from step 3, where the session of 2026-12-04 19:30 was cut short.": a session that took the offer
    to go on from an interrupted one. Without it, "completed, 1 of 3" read as two steps skipped. `started`: when
    each session began, by id (the one gone on from may be outside what is shown); `moment` writes it (the report
    writes dates its own way). One that ended before that step (at the pain question asked first) took the offer
    but went on from nowhere: a caregiver's walk read "Went on from step 3" above "stopped for pain, 0 of 4"."""
    if record.resumes is None:
        return []
    words = interface()
    went = record.last_step >= record.first_step
    if record.resumes in started:
        told = (
            words.gettext("Went on from step {step}, where the session of {when} was cut short.")
            if went
            else words.gettext("Took the offer to go on from step {step}, where the session of {when} was cut short.")
        )
        return [told.format(step=record.first_step, when=moment(started[record.resumes]))]
    told = (
        words.gettext("Went on from step {step}, where an earlier session was cut short.")
        if went
        else words.gettext("Took the offer to go on from step {step}, where an earlier session was cut short.")
    )
    return [told.format(step=record.first_step)]


def stopped_in(record: SessionRecord) -> list[str]:
    """ "In step 2, Quad sets.": the exercise a session was stopped in, for pain or not (a therapist's walk read
    "stopped for pain" and could not tell which exercise hurt). Nothing where none was playing (a check-in, a
    rest, the opening) or the file is from before it was kept."""
    if record.stopped_step is None:
        return []
    told = interface().gettext("In step {number}, {title}.")
    return [told.format(number=record.stopped_step, title=_clip(record.stopped_title or "", 40))]


def _time_changes(steps: Sequence[StepRecord]) -> list[str]:
    changes = []
    for step in steps:
        if step.added:
            told = N_("{seconds} added to {step}") if step.added > 0 else N_("{seconds} taken from {step}")
            changes.append(interface().gettext(told).format(seconds=seconds_text(abs(step.added)), step=step.title))
    return changes


def table(records: Sequence[SessionRecord], steps: Mapping[int, Sequence[StepRecord]] | None = None) -> str:
    """One line per session, newest first: when, program, how it ended, pain, minutes, steps done of all.

    Under a session that skipped steps or changed a timer, a line names them, so that "completed"
    never hides a session that was mostly skipped.
    """
    words = interface()
    heads = [words.gettext(head) for head in HEADS]
    titles = {record.title for record in records}  # a few programs over thousands of sessions: escaped once each
    title_width = min(32, max([cells(heads[1])] + [cells(escape(title)) for title in titles]))
    shown = {title: pad(_clip(title, title_width), title_width) for title in titles}
    hows = [record.how for record in records]
    ended = {how: words.gettext(how) for how in set(hows)}
    ended_width = max([16, cells(heads[2])] + [cells(how) for how in ended.values()])
    widths = (16, title_width, ended_width, max(8, cells(heads[3])), max(7, cells(heads[4])))
    lines = [
        "  ".join(
            [
                *(pad(head, width) for head, width in zip(heads[:4], widths[:4], strict=True)),
                pad(heads[4], widths[4], right=True),
                heads[5],
            ]
        )
    ]
    under = " " * 18
    began: dict[int, float] = {}
    # Thousands of lines share a few dozen cells: each is translated and padded once (half the table's time).
    ended_cells = {how: pad(text, ended_width) for how, text in ended.items()}
    pain_cells: dict[tuple[int | None, int | None], str] = {}
    steps_cells: dict[tuple[int, int | None], str] = {}
    for record, how in zip(records, hows, strict=True):
        pain = (record.pain_before, record.pain_after)
        if pain not in pain_cells:
            pain_cells[pain] = pad(_pain(*pain), widths[3])
        done_of = (record.steps_done, record.steps)
        if done_of not in steps_cells:
            steps_cells[done_of] = steps_done(record)
        lines.append(
            f"{when(record.started)}  {shown[record.title]}  {ended_cells[how]}  {pain_cells[pain]}  "
            f"{round(record.minutes):>{widths[4]}}  {steps_cells[done_of]}"
        )
        done = (steps or {}).get(record.id)
        if record.stopped_step is not None:
            lines += [under + told for told in stopped_in(record)]
        if record.resumes is not None:  # rare: the table of starts is made only then (3,650 sessions in 50 ms)
            began = began if began else {other.id: other.started for other in records}
            lines += [under + told for told in went_on(record, began)]
        if done:
            lines += [under + told for told in changes(done)]
    return "\n".join(lines)


def _defused(cell: str) -> str:
    """A text cell a spreadsheet shows as text: one starting like a formula gets a leading apostrophe."""
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def as_csv(records: Iterable[SessionRecord], steps: Mapping[int, Sequence[StepRecord]] | None = None) -> str:
    """One row per session; `steps` (the skipped ones, at least) name those skipped."""
    steps = steps or {}
    import csv  # here: `coach history` without --csv need not load it

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
            "steps",
            "steps_skipped",
            "seconds_added",
            "stopped_step",
            "stopped_step_title",
        ]
    )
    named: dict[tuple[str, str, str], list[str]] = {}  # a few programs over thousands of rows: defused once each
    for record in records:
        names = (record.program, record.title, record.path)
        if names not in named:
            named[names] = [_defused(name) for name in names]
        done = steps.get(record.id)  # most sessions skipped nothing, and were read without their steps
        writer.writerow(
            [
                record.id,
                _iso(record.started),
                _iso(record.ended) if record.ended is not None else "",
                *named[names],
                record.how,
                "" if record.pain_before is None else record.pain_before,
                "" if record.pain_after is None else record.pain_after,
                f"{record.minutes:.1f}",
                record.steps_done,
                "" if record.resumes is None else record.resumes,
                "" if record.steps is None else record.steps,
                _defused("; ".join(skipped(done))) if done else "",
                record.added,
                "" if record.stopped_step is None else record.stopped_step,
                "" if record.stopped_title is None else _defused(record.stopped_title),
            ]
        )
    return out.getvalue()


def steps_csv(records: Iterable[SessionRecord], steps: Mapping[int, Sequence[StepRecord]]) -> str:
    """One row per step of each session, in session order (newest first) and step order."""
    import csv  # here: `coach history` without --csv need not load it

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "session",
            "started",
            "program",
            "title",
            "step",
            "step_title",
            "kind",
            "step_outcome",
            "hold",
            "reps",
            "sets",
            "duration",
            "seconds_added",
            "at",
        ]
    )
    for record in records:
        for step in steps.get(record.id, ()):
            writer.writerow(
                [
                    record.id,
                    _iso(record.started),
                    _defused(record.program),
                    _defused(record.title),
                    step.number,
                    _defused(step.title),
                    step.kind,
                    "completed" if step.completed else "skipped",
                    *("" if value is None else value for value in (step.hold, step.reps, step.sets, step.duration)),
                    "" if step.added is None else step.added,
                    _iso(step.at),
                ]
            )
    return out.getvalue()


def _iso(seconds: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(seconds))


def _values(step: StepRecord) -> str:
    """What a step did: a timer for as long as it ran (a walk's 20-minute heat pad, cut to 2 s with -, was listed
    as "20 min"), a hold and its repetitions as the program gave them."""
    words = interface()
    played = None if step.duration is None else max(0, step.duration + (step.added or 0))
    parts = [seconds_text(played)] if played is not None else []
    if step.hold is not None:
        parts.append(words.gettext("hold {seconds} s").format(seconds=step.hold))
    if step.reps is not None:
        if step.sets and step.sets > 1:
            parts.append(words.gettext("{sets} sets of {reps}").format(sets=step.sets, reps=step.reps))
        else:
            parts.append(words.ngettext("{reps} time", "{reps} times", step.reps).format(reps=step.reps))
    return list_separator().join(parts)


def latest_values(steps_by_session: Iterable[Sequence[StepRecord]], *, done: bool = False) -> list[StepRecord]:
    """Each step's newest record, from sessions given newest first; with `done`, its newest record of it done:
    what the patient last did (a step skipped or cut short was not: a walk's demo, every step skipped, was listed
    as played). Not what the next session plays, which a progression may grow (`coach preview`, the report's
    current values): working that out loads the program and every session's steps, which would more than double
    `coach history`'s time."""
    newest: dict[int, StepRecord] = {}
    for steps in steps_by_session:
        for step in steps:
            if step.completed or not done:
                newest.setdefault(step.number, step)
    return [newest[number] for number in sorted(newest)]


def summary(
    records: Sequence[SessionRecord], latest_steps: Sequence[StepRecord], now: float, adherence: Sequence[str] = ()
) -> str:
    """A few sentences about one program's sessions (newest first), to read aloud or print; `adherence`: the
    lines of `coach.history.adherence` that count them against the prescription."""
    newest = records[0]
    week = [record for record in records if now - record.started < WEEK]
    before = [record for record in records if WEEK <= now - record.started < 2 * WEEK]
    counts: dict[str, int] = {}
    for record in week:
        counts[record.how] = counts.get(record.how, 0) + 1
    words = interface()
    how = list_separator().join(_ended(what, count) for what, count in counts.items())
    # "6 sessions (1 interrupted, 2 stopped for pain)", as the language writes it: "6次练习（1次中断、…）"
    this_week = words.pgettext("sessions and how they ended", "{sessions} ({how})") if how else "{sessions}"
    this_week = this_week.format(sessions=_sessions(len(week)), how=how)
    lines = [
        f"{_clip(newest.title, 80)} ({_clip(newest.program, 80)})",
        "  "
        + words.gettext("Last 7 days: {week}; {all} in all, the last on {when}.").format(
            week=this_week, all=_sessions(len(records)), when=when(newest.started)
        ),
    ]
    lines.extend(f"  {line}" for line in adherence)
    # "Chin tuck, hold 15 s; Bridges, 5 times", as the language separates them: "Chin tuck，保持15秒；…"
    comma, semicolon = words.pgettext("a title and what it did", ", "), words.pgettext("clause separator", "; ")
    shown = [f"{_clip(step.title, 40)}{comma}{_values(step)}" for step in latest_steps if _values(step)]
    if shown:
        lines.append("  " + words.gettext("Last played: {steps}.").format(steps=semicolon.join(shown)))
    lines.append("  " + _trend(week, before))
    return "\n".join(lines)


def _ended(how: str, count: int) -> str:
    """ "3 completed", "1 stopped for pain": how many sessions ended so, agreeing with the count."""
    words = interface()
    if how == "completed":
        return words.ngettext("{count} completed", "{count} completed", count).format(count=count)
    if how == "stopped":
        return words.ngettext("{count} stopped", "{count} stopped", count).format(count=count)
    if how == "stopped for pain":
        return words.ngettext("{count} stopped for pain", "{count} stopped for pain", count).format(count=count)
    if how == "playing now":  # not "interrupted" beside the table's "playing now" (a walk's)
        return words.ngettext("{count} playing now", "{count} playing now", count).format(count=count)
    return words.ngettext("{count} interrupted", "{count} interrupted", count).format(count=count)


def _sessions(count: int) -> str:
    return interface().ngettext("{count} session", "{count} sessions", count).format(count=count)


def _mean(values: Sequence[int]) -> float:
    """The mean of whole numbers, correctly rounded like `statistics.mean`, without importing it (a tenth of
    `coach history`'s start-up)."""
    return sum(values) / len(values)


def _trend(week: Sequence[SessionRecord], before: Sequence[SessionRecord]) -> str:
    this = [record.pain_after for record in week if record.pain_after is not None]
    last = [record.pain_after for record in before if record.pain_after is not None]
    words = interface()
    if not this:
        return words.gettext("Pain after sessions: no answers in the last 7 days.")
    if not last:
        return words.gettext("Pain after sessions: {mean} out of 10 on average in the last 7 days.").format(
            mean=decimal(_mean(this), ".1f")
        )
    change = _mean(this) - _mean(last)
    word = N_("better") if change <= -0.5 else N_("worse") if change >= 0.5 else N_("about the same")
    return words.gettext(
        "Pain after sessions: {mean} out of 10 on average in the last 7 days, {before} in the 7 days before: {trend}."
    ).format(mean=decimal(_mean(this), ".1f"), before=decimal(_mean(last), ".1f"), trend=words.gettext(word))
