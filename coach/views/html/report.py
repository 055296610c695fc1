"""`coach report`: the history as a therapist reads it, one printable page per program, from the history file.

For each program with sessions in the weeks asked for: adherence against the prescription week by week,
pain before and after each session (a chart, and the same figures in a table), each exercise's hold and
repetitions over time, every session stopped for pain or cut short, and the values the next session will
play. Every figure a chart shows is also in a table, for a screen reader and for a photocopy.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from coach import __version__
from coach.errors import UsageError
from coach.history import adherence
from coach.history.report import changes, chosen, seconds_text, steps_done, stopped_in, went_on
from coach.history.store import History, SessionRecord, StepRecord
from coach.i18n import N_, decimal, interface, interface_code, list_separator
from coach.program import Program
from coach.session.outcome import Outcome
from coach.views.html import charts
from coach.views.html.page import document, text

SHORT_TABLE = 12  # rows: a table this short is never split across pages
MOST_STEP_CHARTS = 12
MOST_POINTS_WEEKS = 52  # a chart over more weeks than this puts several weeks in each point
MOST_PAIN_POINTS = 120  # more sessions than this: the pain chart shows averages by week; the table every one


def _bucket(seconds: float, first: dt.date, per: int) -> dt.date:
    """The first day of the `per`-week stretch (counted from `first`) that the moment falls in."""
    days = (dt.date.fromtimestamp(seconds) - first).days
    return first + dt.timedelta(weeks=max(0, days) // 7 // per * per)


def _short(day: dt.date) -> str:
    """ "7 Sep", and "7 Sep 25" in another year than this one."""
    return adherence.short_day(day) + (f" {day:%y}" if day.year != dt.date.today().year else "")


def chart_dates(moments: Sequence[float]) -> list[str]:
    """ "7 Sep" for each session: short enough for a chart's axis, the tables give the whole date. Where a day
    has more than one, each has its time too ("5 Dec 14:02"; to the second where a minute has more than one):
    a walk's chart labelled four points "5 Dec". Every label is its own: pygal shows each label equal to a shown
    one, so four of "6 Dec 00:23" were drawn over one another."""
    times = [dt.datetime.fromtimestamp(seconds) for seconds in moments]
    days = Counter(moment.date() for moment in times)
    minutes = Counter(moment.strftime("%x %H:%M") for moment in times)

    def label(moment: dt.datetime) -> str:
        day = adherence.short_day(moment.date())
        if days[moment.date()] == 1:
            return day
        return f"{day} {moment:%H:%M}" if minutes[moment.strftime("%x %H:%M")] == 1 else f"{day} {moment:%H:%M:%S}"

    seen: Counter[str] = Counter()
    labels = []
    for moment in times:
        shown = label(moment)
        seen[shown] += 1
        labels.append(shown if seen[shown] == 1 else f"{shown} ({seen[shown]})")
    return labels


def _when(seconds: float) -> str:
    moment = dt.datetime.fromtimestamp(seconds)
    shown = interface().pgettext("date with year and time", "{date} {year} {time}")
    return shown.format(date=adherence.day_label(moment.date()), year=moment.year, time=f"{moment:%H:%M}")


def _long(day: dt.date) -> str:
    return interface().pgettext("date with year", "{date} {year}").format(date=adherence.day_label(day), year=day.year)


def _pain_caption(before: Sequence[float | None], after: Sequence[float | None]) -> str:
    """Which line is which; and, where an answer stands alone, that it is a dot: a walk's "after", answered in two
    sessions of six, was drawn as two dots under a caption that promised a dashed line."""
    words = interface()
    caption = words.gettext("Pain before (solid line) and after (dashed line).")
    if charts.alone(before) or charts.alone(after):
        caption = _then(caption, words.gettext("An answer with no answer in the sessions beside it is a dot alone."))
    return caption


def _then(first: str, second: str) -> str:
    """Two sentences one after the other: with a space between, and none in Chinese."""
    return interface().pgettext("two sentences", "{first} {second}").format(first=first, second=second)


LONG_WORD = 20  # characters: a longer word in a step's title may break anywhere


def _cell(value: object, *, number: bool = False) -> str:
    shown = "" if value is None else text(value)
    return f'<td class="number">{shown}</td>' if number else f"<td>{shown}</td>"


def _title_cell(title: str, lang: str) -> str:
    """A step's title, in its program's language. Its words stay whole, its column as wide as the longest: at
    seven columns in Spanish a walk read "Almohadil" over "la térmica". Only a word longer than any column could
    hold (a walk's 100 letters ran the table 1,498 px wide on A4) may break anywhere."""
    breaks = " long" if any(len(word) > LONG_WORD for word in title.split()) else ""
    return f'<td class="title{breaks}"{lang}>{text(title)}</td>'


def _lang(program: Program | None) -> str:
    """The attribute that marks a program's own words in its language, where it is not the page's: a screen
    reader read a Chinese program's titles with an English voice (the page was all `lang="en"`)."""
    if program is None or program.language == interface_code():
        return ""
    return f' lang="{text(program.language)}"'


def _heading(words: str) -> str:
    """A section's heading, in the interface's language."""
    return f"<h3>{text(interface().gettext(words))}</h3>"


def _table(caption: str, heads: Sequence[str], rows: Sequence[str], numbers: Sequence[int] = ()) -> str:
    words = interface()
    header = "".join(
        f'<th scope="col"{" class=number" if index in numbers else ""}>{text(words.gettext(head))}</th>'
        for index, head in enumerate(heads)
    )
    short = ' class="short"' if len(rows) <= SHORT_TABLE else ""  # printed on one page, not split
    # On a narrow screen the table scrolls in its own box, reachable by keyboard, not the whole page sideways.
    return (
        f'<div class="scroll" role="region" aria-label="{text(caption)}" tabindex="0">'
        f"<table{short}><caption>{text(caption)}</caption><thead><tr>{header}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def _figure(svg: str, caption: str) -> str:
    return f"<figure>{svg}<figcaption>{text(caption)}</figcaption></figure>"


@dataclass
class _Program:
    key: str
    records: list[SessionRecord]  # newest first, all of them
    shown: list[SessionRecord] = field(default_factory=list)  # in the weeks asked for, oldest first


def build(history: History, name: str | None, weeks: int, now: float | None = None) -> str:
    """The page, or UsageError (one line) when there is nothing to report on."""
    now = time.time() if now is None else now
    records = history.sessions()
    if not records:
        told = interface().gettext("no sessions yet; each `coach run` is recorded, then reported on")
        raise UsageError(f"coach report: {told}")
    if name is not None:
        records = chosen(records, name, "coach report")
    this_week = adherence.monday(dt.date.fromtimestamp(now))
    began = adherence.monday(dt.date.fromtimestamp(min(record.started for record in records)))
    weeks = max(1, min(weeks, (this_week - began).days // 7 + 1))  # no empty weeks before the first session
    start = this_week - dt.timedelta(weeks=weeks - 1)
    first = dt.datetime.combine(start, dt.time()).timestamp()
    programs: dict[str, _Program] = {}
    for record in records:
        programs.setdefault(record.program, _Program(record.program, [])).records.append(record)
    for program in programs.values():
        program.shown = [record for record in reversed(program.records) if record.started >= first]
    shown = [program for program in programs.values() if program.shown]
    if not shown:
        last = max(record.started for record in records)
        told = interface().ngettext(
            "no sessions in the last {weeks} week (the last was on {when}); give more --weeks",
            "no sessions in the last {weeks} weeks (the last was on {when}); give more --weeks",
            weeks,
        )
        raise UsageError("coach report: " + told.format(weeks=weeks, when=_when(last)))
    sections = [_section(history, program, weeks, now, f"program-{number}") for number, program in enumerate(shown, 1)]
    words = interface()
    period = words.ngettext("{start} to {end}, {weeks} week", "{start} to {end}, {weeks} weeks", weeks).format(
        start=_long(start), end=_long(dt.date.fromtimestamp(now)), weeks=weeks
    )
    heading = (
        words.gettext("Exercise report: {title}").format(title=shown[0].shown[-1].title)
        if len(shown) == 1
        else words.gettext("Exercise report")
    )
    made = words.gettext(
        "{period}. Made by coach {version} on {when} from the history on this computer. Pain is as the patient"
        " answered, from 0 (none) to 10 (the worst)."
    ).format(period=period, version=__version__, when=_when(now))
    meta = f'<p class="meta">{text(made)}</p>'
    body = f"<h1>{text(heading)}</h1>\n{meta}\n" + "\n".join(sections)
    return document(heading, body, language=interface_code())


def _section(history: History, found: _Program, weeks: int, now: float, ident: str) -> str:
    program = adherence.program_of(found.key)
    title = found.shown[-1].title
    steps = history.steps([record.id for record in found.shown])
    lang = _lang(program)
    parts = [f'<section class="program" aria-labelledby="{ident}">', f'<h2 id="{ident}"{lang}>{text(title)}</h2>']
    how_often = program if program is not None else adherence.recorded(found.records)  # the file's, or as kept
    parts.append(_about(found, program, how_often))
    parts.append(_adherence(found, how_often, weeks, now))
    per = -(-weeks // MOST_POINTS_WEEKS)  # weeks to a point in the long charts
    first = adherence.monday(dt.date.fromtimestamp(now)) - dt.timedelta(weeks=weeks - 1)
    parts.append(_pain(found.shown, first, per))
    parts.append(_values(found.shown, steps, first, per, lang))
    parts.append(_not_as_written(found.shown, steps))
    parts.append(_current(history, found, program, steps))
    parts.append("</section>")
    return "\n".join(parts)


def _about(found: _Program, program: Program | None, how_often: adherence.Prescribes | None) -> str:
    words = interface()
    counts: dict[str, int] = {}
    for record in found.shown:
        counts[record.how] = counts.get(record.how, 0) + 1
    ended = words.pgettext("sessions that ended so", "{count} {how}")
    how = list_separator().join(ended.format(count=count, how=words.gettext(what)) for what, count in counts.items())
    # A name plays only while its file is there: a removed program's report told "coach run neck" (a walk's).
    where = found.key if "/" in found.key or program is None else f"coach run {found.key}"
    rows = [
        (N_("Program"), where),
        (
            N_("Prescribed"),
            adherence.prescription(how_often)
            if how_often and how_often.prescribed
            # With the file gone and no session that kept its prescription, it is not known: not "not said" (a
            # walk's, of a program moved after six sessions of Mon, Wed, Fri).
            else words.gettext("not known without the program file")
            if how_often is None
            else words.gettext("not said in the file"),
        ),
        (
            N_("Sessions"),
            words.gettext("{shown} in these weeks ({how}); {all} in all").format(
                shown=len(found.shown), how=how, all=len(found.records)
            ),
        ),
    ]
    if program is None:
        gone = words.gettext("the program file is gone (removed, moved or broken): its history is shown as recorded")
        rows.append((N_("Note"), gone))
    shown = "".join(f"<dt>{text(words.gettext(a))}</dt><dd>{text(b)}</dd>" for a, b in rows)
    return f'<dl class="values">{shown}</dl>'


def _adherence(found: _Program, program: adherence.Prescribes | None, weeks: int, now: float) -> str:
    counted = adherence.weeks(found.records, program, now, weeks)
    words = interface()
    labels = [adherence.day_label(week.start) for week in counted]
    axis = [adherence.short_day(week.start) for week in counted]
    done = [week.done for week in counted]
    due = [week.prescribed for week in counted]
    said = list_separator().join(str(value) for value in done)
    # With `days` a week counts the prescribed days done, not the sessions: a caregiver's walk read "Sessions
    # completed each week" over a 1 for two sessions on one Monday.
    by_days = bool(program and program.days)
    label = (
        words.gettext("Prescribed days done each week, {first} to {last}: {counts}.")
        if by_days
        else words.gettext("Sessions done each week, {first} to {last}: {counts}.")
    ).format(first=labels[0], last=labels[-1], counts=said)
    if program and program.prescribed:
        prescribed = words.gettext("Prescribed: {prescription}.").format(prescription=adherence.prescription(program))
        label = _then(label, prescribed)
    rows = [
        "<tr>"
        + _cell(f"{label}")
        + _cell(week.done, number=True)
        + _cell("" if week.prescribed is None else week.prescribed, number=True)
        + _cell(_not_done(week))
        + "</tr>"
        for label, week in zip(labels, counted, strict=True)
    ]
    return (
        _heading(N_("Adherence by week"))
        + _figure(
            charts.adherence(axis, done, due, label),
            # not "and prescribed (grey)" beside "Prescribed: not said in the file", with no grey drawn (a walk's)
            words.gettext("Prescribed days completed each week (black) and prescribed (grey).")
            if by_days
            else words.gettext("Sessions completed each week (black) and prescribed (grey).")
            if program and program.prescribed
            else words.gettext("Sessions completed each week."),
        )
        + _table(
            words.gettext("Sessions each week"),
            [N_("Week of"), N_("Done"), N_("Prescribed"), N_("Prescribed days not completed")],
            rows,
            (1, 2),
        )
    )


def _not_done(week: adherence.Week) -> str:
    """ "Wed 11 Nov (missed), Fri 13 Nov (stopped for pain)": a day the patient began and stopped for pain is not
    a day missed (a walk's report said "missed" of three pain stops)."""
    words = interface()
    days = [(day, words.gettext("missed")) for day in week.missed]
    days += [(day, words.gettext(ended)) for day, ended in week.not_completed]
    shown = words.pgettext("a day and how it went", "{day} ({how})")
    return list_separator().join(shown.format(day=adherence.day_label(day), how=ended) for day, ended in sorted(days))


def _pain(shown: Sequence[SessionRecord], first: dt.date, per: int) -> str:
    words = interface()
    answered = [record for record in shown if record.pain_before is not None or record.pain_after is not None]
    if not answered:
        none = words.gettext("No pain answers were given in these weeks.")
        return _heading(N_("Pain before and after")) + f"<p>{text(none)}</p>"
    dates = chart_dates([record.started for record in answered])
    before: list[float | None] = [record.pain_before for record in answered]
    after: list[float | None] = [record.pain_after for record in answered]
    count = len(answered)
    told = words.ngettext(
        "Pain before and after each of {count} session, {first} to {last}, on a scale of 0 to 10:",
        "Pain before and after each of {count} sessions, {first} to {last}, on a scale of 0 to 10:",
        count,
    )
    if len(answered) > MOST_PAIN_POINTS:  # too many to tell apart: the average of each week (or weeks)
        groups: dict[dt.date, list[SessionRecord]] = {}
        for record in answered:
            groups.setdefault(_bucket(record.started, first, per), []).append(record)
        dates = [_short(day) for day in groups]
        before = [_mean(record.pain_before for record in group) for group in groups.values()]
        after = [_mean(record.pain_after for record in group) for group in groups.values()]
        told = (
            words.gettext(
                "Pain before and after {count} sessions, averaged by week ({weeks} weeks a point), {first} to {last},"
                " on a scale of 0 to 10:"
            )
            if per > 1
            else words.gettext(
                "Pain before and after {count} sessions, averaged by week, {first} to {last}, on a scale of 0 to 10:"
            )
        )

    def span(values: Sequence[float | None]) -> str:
        given = [value for value in values if value is not None]
        if not given:
            return words.gettext("not answered")
        if given[0] == given[-1] or len(given) == 1:
            return decimal(given[0])
        return words.gettext("from {first} to {last}").format(first=decimal(given[0]), last=decimal(given[-1]))

    spans = words.gettext("before: {before}; after: {after}. The table gives every figure.")
    label = _then(
        told.format(count=count, weeks=per, first=dates[0], last=dates[-1]),
        spans.format(before=span(before), after=span(after)),
    )
    rows = [
        "<tr>"
        + _cell(_when(record.started))
        + _cell(record.pain_before, number=True)
        + _cell(record.pain_after, number=True)
        + _cell(words.gettext(record.how))
        + "</tr>"
        for record in answered
    ]
    return (
        _heading(N_("Pain before and after"))
        + _figure(
            charts.pain(dates, before, after, label),
            _pain_caption(before, after),
        )
        + _table(
            words.gettext("Pain, 0 to 10"), [N_("Session"), N_("Before"), N_("After"), N_("How it ended")], rows, (1, 2)
        )
    )


def _mean(values: Iterable[int | None]) -> float | None:
    given = [value for value in values if value is not None]
    return round(sum(given) / len(given), 1) if given else None


def _values(
    shown: Sequence[SessionRecord], steps: dict[int, list[StepRecord]], first: dt.date, per: int, lang: str
) -> str:
    """Each exercise's hold and reps as played (by its title: versions renumber steps): charted as they stood at
    the end of each week, with a row in the table for each change."""
    by_step: dict[str, list[tuple[SessionRecord, StepRecord]]] = {}
    for record in shown:
        for step in steps.get(record.id, ()):
            # Played to its end: a step skipped was charted as played, as `coach history` once listed it (a walk)
            if step.completed and (step.hold is not None or step.reps is not None):
                by_step.setdefault(step.title, []).append((record, step))
    words = interface()
    if not by_step:
        none = words.gettext("No exercise with a hold or repetitions was recorded.")
        return _heading(N_("Hold and repetitions over time")) + f"<p>{text(none)}</p>"
    parts = [_heading(N_("Hold and repetitions over time"))]
    for index, (title, played) in enumerate(by_step.items()):
        dates = chart_dates([record.started for record, _ in played])
        holds = [step.hold for _, step in played]
        reps = [step.reps for _, step in played]
        changes = [
            "<tr>"
            + _cell(_when(record.started))
            + _cell(step.hold, number=True)
            + _cell(step.reps, number=True)
            + "</tr>"
            for number, (record, step) in enumerate(played)
            if number == 0 or (step.hold, step.reps) != (played[number - 1][1].hold, played[number - 1][1].reps)
        ]
        parts.append(f"<h4{lang}>{text(title)}</h4>")
        if index < MOST_STEP_CHARTS and len(played) > 1:
            weekly: dict[dt.date, StepRecord] = {}
            for record, step in played:  # oldest first: each week's last values stand
                weekly[_bucket(record.started, first, per)] = step
            over = words.ngettext(
                "Over {count} session, {first} to {last}.", "Over {count} sessions, {first} to {last}.", len(played)
            ).format(count=len(played), first=dates[0], last=dates[-1])
            both = words.gettext("{title}: {hold}; {repetitions}.")
            label = _then(both.format(title=title, hold=_holds(holds), repetitions=_repetitions(reps)), over)
            svg = charts.values(
                [_short(day) for day in weekly],
                [step.hold for step in weekly.values()],
                [step.reps for step in weekly.values()],
                label,
            )
            if any(holds) and any(reps):
                drawn = words.gettext("{title}, at the end of each week: hold (solid) and repetitions (dashed).")
            elif any(holds):
                drawn = words.gettext("{title}, at the end of each week: hold (solid).")
            else:
                drawn = words.gettext("{title}, at the end of each week: repetitions (dashed).")
            parts.append(_figure(svg, drawn.format(title=title)))
        parts.append(
            _table(
                words.gettext("{title}: each change").format(title=title),
                [N_("From the session of"), N_("Hold, seconds"), N_("Repetitions")],
                changes,
                (1, 2),
            )
        )
    return "".join(parts)


def _holds(values: Sequence[int | None]) -> str:
    """ "hold from 5 to 15 seconds", for a chart's label."""
    words = interface()
    given = [value for value in values if value is not None]
    if not given:
        return words.gettext("no hold")
    if given[0] == given[-1]:
        return words.ngettext("hold {seconds} second throughout", "hold {seconds} seconds throughout", given[0]).format(
            seconds=given[0]
        )
    return words.gettext("hold from {first} to {last} seconds").format(first=given[0], last=given[-1])


def _repetitions(values: Sequence[int | None]) -> str:
    """ "repetitions from 8 to 12", for a chart's label."""
    words = interface()
    given = [value for value in values if value is not None]
    if not given:
        return words.gettext("no repetitions")
    if given[0] == given[-1]:
        return words.ngettext("{count} repetition throughout", "{count} repetitions throughout", given[0]).format(
            count=given[0]
        )
    return words.gettext("repetitions from {first} to {last}").format(first=given[0], last=given[-1])


def _not_as_written(shown: Sequence[SessionRecord], steps: dict[int, list[StepRecord]]) -> str:
    """Every session not played as written: stopped, stopped for pain, interrupted, or completed with steps
    skipped or a timer changed (a walk found "completed" hiding a skipped step and 20 s added)."""
    words = interface()
    heading = _heading(N_("Sessions stopped, interrupted or changed"))
    began = {record.id: record.started for record in shown}
    changed = {
        record.id: stopped_in(record) + went_on(record, began, _when) + changes(steps.get(record.id, ()))
        for record in shown
    }
    ended = [
        record for record in shown if not record.playing and (record.outcome != Outcome.COMPLETED or changed[record.id])
    ]
    if not ended:
        playing = sum(record.playing for record in shown)
        # Not "every session … was completed" of one still playing (a walk's report, while a session played)
        none = (
            words.ngettext(
                "None: every session ended in these weeks was completed as written ({count} still playing).",
                "None: every session ended in these weeks was completed as written ({count} still playing).",
                playing,
            ).format(count=playing)
            if playing
            else words.gettext("None: every session ended in these weeks was completed as written.")
        )
        return heading + f"<p>{text(none)}</p>"
    rows = [
        "<tr>"
        + _cell(_when(record.started))
        + _cell(words.gettext(record.how))
        + _cell(record.pain_before, number=True)
        + _cell(record.pain_after, number=True)
        + _cell(steps_done(record))
        + _cell(" ".join(changed[record.id]))
        + "</tr>"
        for record in ended
    ]
    return heading + _table(
        words.ngettext(
            "{count} session not completed as written", "{count} sessions not completed as written", len(ended)
        ).format(count=len(ended)),
        [N_("Session"), N_("How it ended"), N_("Pain before"), N_("Pain after"), N_("Steps done"), N_("Changes")],
        rows,
        (2, 3),
    )


def _current(history: History, found: _Program, program: Program | None, steps: dict[int, list[StepRecord]]) -> str:
    """What the next session plays: the file's values grown by the history, as `coach run` grows them."""
    from coach.history.progression import Past, progress
    from coach.history.report import latest_values

    heads = [N_("Step"), N_("Kind"), N_("Hold, seconds"), N_("Repetitions"), N_("Sets"), N_("Sides"), N_("Time")]
    words = interface()  # a kind's name is the preview's ("hold", `coach.views.tui.picker.KINDS`), translated so
    lang = _lang(program)
    if program is None:
        latest = latest_values(steps.get(record.id, []) for record in reversed(found.shown))
        rows = [
            "<tr>"
            + _title_cell(step.title, lang)
            + _cell(words.gettext(step.kind))
            + _cell(step.hold, number=True)
            + _cell(step.reps, number=True)
            + _cell(step.sets, number=True)
            + _cell("")
            + _cell(seconds_text(step.duration) if step.duration is not None else None)
            + "</tr>"
            for step in latest
        ]
        caption = words.gettext("As last played (the file is gone)")
    else:
        done = history.done(found.key)
        past = [Past(record.outcome, record.pain_after, done.get(record.id, {})) for record in found.records[::-1]]
        grown = progress(program, past).program
        rows = [
            "<tr>"
            + _title_cell(step.title, lang)
            + _cell(words.gettext(step.kind.value))
            + _cell(step.hold if step.kind.value == "hold" else None, number=True)
            + _cell(step.reps if step.kind.value in {"hold", "reps"} else None, number=True)
            + _cell(step.sets if step.kind.value in {"hold", "reps"} else None, number=True)
            + _cell(", ".join(step.sides))
            + _cell(seconds_text(step.duration) if step.kind.value == "timed" else None)
            + "</tr>"
            for step in grown.exercises
        ]
        caption = words.gettext("What the next session plays")
    return _heading(N_("Current values")) + _table(caption, heads, rows, (2, 3, 4))
