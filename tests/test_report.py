"""`coach report` and `coach sheet` as files: what is in them, that nothing in them runs or loads from
elsewhere, and that bad input is one line, exit 2, and no file written half. (The pages as a browser shows
and prints them, and their accessibility check, are in test_printed.py.)"""

from __future__ import annotations

import datetime as dt
import html
import os
import re
import time
from pathlib import Path

import pytest

from coach.cli import main
from coach.history import adherence
from coach.history.store import History, StepRecord
from coach.program.shelf import shelf_dir
from coach.views.html.report import _when
from tests.caregiving import fill, shelve


@pytest.fixture(autouse=True)
def no_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COACH_CONFIG", str(tmp_path / "no-config.toml"))


def this_monday() -> dt.date:
    today = dt.date.today()
    return today - dt.timedelta(days=today.weekday())


@pytest.fixture
def patient() -> int:
    """Eleven weeks of the neck program's sessions, up to this week's Monday."""
    path = shelve(shelf_dir())
    history = History()
    try:
        return fill(history, this_monday(), path=str(path))
    finally:
        history.close()


def nothing_from_elsewhere(page: str) -> None:
    assert "<script" not in page.lower() and "javascript:" not in page.lower()
    assert set(re.findall(r"(?:https?:)?//[\w.-]+[^\s\"'<>)]*", page)) <= {"http://www.w3.org/2000/svg"}
    assert "<link" not in page and "@import" not in page and "url(" not in page


def test_the_report_has_every_part_a_therapist_reads(
    patient: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report.html"
    assert main(["report", "--out", str(out)]) == 0
    assert capsys.readouterr().err.strip() == f"Wrote {out}: open it in a web browser, and print it from there."
    page = out.read_text(encoding="utf-8")
    nothing_from_elsewhere(page)
    for heading in (
        "Adherence by week",
        "Pain before and after",
        "Hold and repetitions over time",
        "Sessions stopped, interrupted or changed",
        "Current values",
    ):
        assert f"<h3>{heading}</h3>" in page
    assert page.count('<svg role="img" aria-label="') == 4  # adherence, pain, and the two exercises
    assert page.count("<table") == 6  # by week, pain, the two exercises' changes, not completed, values now
    assert "Mon, Wed, Fri" in page and "stopped for pain" in page and "1 interrupted" in page
    rows = re.search(r"<caption>Pain, 0 to 10</caption>.*?<tbody>(.*?)</tbody>", page, re.S)
    assert rows is not None and rows.group(1).count("<tr>") == patient  # every session answered a pain question
    # The next session's values, as `coach run` grows them: the chin tuck's hold has reached its 15 s.
    current = page[page.index("What the next session plays") :]
    assert re.search(r"<td class=\"title\">Chin tuck</td><td>hold</td><td class=\"number\">15</td>", current)
    # A walk: the cells a timed step has no value for are blank.
    assert re.search(r"<td class=\"title\">Heat pad</td><td>timed</td>(<td[^>]*></td>){4}<td>5 min</td>", current)


def sessions_changed(folder: Path) -> str:
    """The report's table of the sessions stopped, interrupted or changed, from a report written in `folder`."""
    out = folder / "report.html"
    assert main(["report", "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    changed = page[page.index("<h3>Sessions stopped, interrupted or changed</h3>") :]
    return changed[: changed.index("</table>")]


def test_a_session_completed_with_a_step_skipped_and_time_added_is_reported_with_them(
    patient: int, tmp_path: Path
) -> None:
    """A walk: `coach history` said "completed 2 of 3 / Skipped: Bridge. / Time: 20 s added to Rest.", and the
    report counted the session as done as written, listing neither."""
    history = History()
    try:
        started = dt.datetime.combine(this_monday(), dt.time(9, 0)).timestamp()
        session = history.begin("neck", "Neck and shoulders", "/x/neck.toml", "0" * 64, started, 3)
        history.adjust(session, 1, 20, started + 100)
        history.step(session, 1, StepRecord(1, "Heat pad", "timed", True, None, None, None, 300, started + 300))
        history.step(session, 2, StepRecord(2, "Chin tuck", "hold", False, 15, 5, 1, None, started + 310))
        history.step(session, 3, StepRecord(3, "Shoulder rolls", "reps", True, None, 12, 1, None, started + 400))
        history.end(session, "completed", started + 500)
    finally:
        history.close()
    changed = sessions_changed(tmp_path)
    assert "completed" in changed and "Skipped: Chin tuck. Time: 20 s added to Heat pad." in changed


def test_a_session_stopped_for_pain_in_a_step_names_it_in_the_report(patient: int, tmp_path: Path) -> None:
    """A therapist's walk read "stopped for pain" and could not tell which exercise hurt."""
    history = History()
    try:
        started = dt.datetime.combine(this_monday(), dt.time(9, 0)).timestamp()
        session = history.begin("neck", "Neck and shoulders", "/x/neck.toml", "0" * 64, started, 3)
        history.step(session, 1, StepRecord(1, "Heat pad", "timed", True, None, None, None, 300, started + 300))
        history.end(session, "pain", started + 320, 2, "Chin tuck <2>")
    finally:
        history.close()
    changed = sessions_changed(tmp_path)
    assert "stopped for pain" in changed and "In step 2, Chin tuck &lt;2&gt;." in changed


def test_a_session_that_went_on_from_an_interrupted_one_says_so_in_the_history_and_the_report(
    patient: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A session that took the offer to go on from where the last one stopped read "completed, 1 of 3", like
    one that skipped two steps: a caregiver could not tell it began at step 3."""
    history = History()
    try:
        started = dt.datetime.combine(this_monday(), dt.time(9, 0)).timestamp()
        first = history.begin("neck", "Neck and shoulders", "/x/neck.toml", "0" * 64, started, 3)
        history.step(first, 1, StepRecord(1, "Heat pad", "timed", True, None, None, None, 300, started + 300))
        history.step(first, 2, StepRecord(2, "Chin tuck", "hold", True, 15, 5, 1, None, started + 400))
    finally:
        history.close()  # with no end: interrupted (its terminal closed)
    history = History()
    try:
        later = started + 3600
        second = history.begin("neck", "Neck and shoulders", "/x/neck.toml", "0" * 64, later, 3)
        history.resumed(second, first, 3)
        history.step(second, 3, StepRecord(3, "Shoulder rolls", "reps", True, None, 12, 1, None, later + 100))
        history.end(second, "completed", later + 120)
    finally:
        history.close()
    told = "Went on from step 3, where the session of " + time.strftime("%Y-%m-%d %H:%M", time.localtime(started))
    capsys.readouterr()
    assert main(["history"]) == 0
    lines = capsys.readouterr().out.splitlines()
    row = next(
        n for n, line in enumerate(lines) if line.startswith(time.strftime("%Y-%m-%d %H:%M", time.localtime(later)))
    )
    assert lines[row + 1].strip() == told + " was cut short."
    # in the report's own way of writing a date, not the table's ISO one beside it (a caregiver's walk)
    reported = f"Went on from step 3, where the session of {_when(started)} was cut short."
    assert reported in sessions_changed(tmp_path)


def test_a_resumed_session_that_ended_at_its_first_question_took_the_offer_but_went_on_from_nothing(
    patient: int, capsys: pytest.CaptureFixture[str]
) -> None:
    """A caregiver's walk: stopped for pain at the pain question a resumed session asks first, it read "Went on
    from step 3, where the session of … stopped." above "0 of 4": nothing went on, and nothing had stopped."""
    history = History()
    try:
        started = time.time() - 7200
        first = history.begin("neck", "Neck and shoulders", "/x/neck.toml", "0" * 64, started, 3)
        history.step(first, 1, StepRecord(1, "Heat pad", "timed", True, None, None, None, 60, started + 60))
        second = history.begin("neck", "Neck and shoulders", "/x/neck.toml", "0" * 64, started + 3600, 3)
        history.resumed(second, first, 2)
        history.end(second, "pain", started + 3620)
    finally:
        history.close()
    capsys.readouterr()
    assert main(["history"]) == 0
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(started))
    took = f"Took the offer to go on from step 2, where the session of {when} was cut short."
    assert took in [line.strip() for line in capsys.readouterr().out.splitlines()]


def test_the_sheet_puts_the_safety_notes_first(tmp_path: Path) -> None:
    shelve(shelf_dir())
    out = tmp_path / "sheet.html"
    assert main(["sheet", "neck", "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    nothing_from_elsewhere(page)
    assert page.index("Safety first") < page.index("Move slowly") < page.index("The steps") < page.index("Heat pad")
    assert "Do it on Monday, Wednesday and Friday." in page and "Hold 5 seconds, 5 times." in page
    assert "As your sessions go well, the hold grows, up to 15 seconds." in page  # no session yet: all to grow
    assert "As your sessions go well, the repetitions grow, up to 12." in page
    assert "On each side, in turn: right, left." in page and "Then rest, 30 seconds." in page
    assert page.count("<li><h3>") == 3  # the rest is not a numbered step
    assert "About 9 minutes with the coach." in page


def test_the_sheet_says_a_step_on_one_side_is_on_that_side_only(tmp_path: Path) -> None:
    """A caregiver's walk read "On each side, in turn: right leg." of a step with one side."""
    program = tmp_path / "knee.toml"
    program.write_text(
        'format = 1\n[program]\ntitle = "Knee"\n[[steps]]\nkind = "hold"\ntitle = "Quad set"\nhold = "5s"\n'
        'sides = ["right leg"]\n',
        encoding="utf-8",
    )
    out = tmp_path / "sheet.html"
    assert main(["sheet", str(program), "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert "On one side only: right leg." in page and "each side" not in page


@pytest.mark.parametrize(
    ("language", "three", "one"),
    [
        ("en", "Do it on Monday, Wednesday and Friday.", "Do it on Saturday."),
        ("es", "Hazlo cada lunes, miércoles y viernes.", "Hazlo cada sábado."),  # "el lunes" was this Monday alone
        ("fr", "À faire chaque lundi, mercredi et vendredi.", "À faire chaque samedi."),  # "le lundi, mercredi et le"
        ("zh", "在星期一、星期三和星期五做。", "在星期六做。"),  # a Chinese list is parted by 、
    ],
)
def test_the_sheet_says_the_prescribed_days_as_the_language_says_them(
    tmp_path: Path, language: str, three: str, one: str
) -> None:
    """A caregiver's walk read "Hazlo el lunes, miércoles y el viernes." on a Spanish sheet: this Monday, and an
    article on two days of three."""
    from coach.program import load_program
    from coach.views.html import sheet

    for days, told in (('["mon", "wed", "fri"]', three), ('["sat"]', one)):
        path = tmp_path / f"{language}.toml"
        path.write_text(
            f'format = 1\n[program]\ntitle = "Cuello"\nlanguage = "{language}"\ndays = {days}\n'
            '[[steps]]\ntitle = "Cuello"\nkind = "hold"\nhold = "5s"\nreps = 2\n',
            encoding="utf-8",
        )
        assert told in sheet.build(load_program(path))


def test_the_sheet_gives_what_the_next_session_plays_and_says_it_grows(tmp_path: Path, patient: int) -> None:
    """A caregiver's walk: after weeks of sessions, the sheet on the fridge still said "Hold 5 seconds" while the
    next session held 15, and nothing on it said the hold grows. It gives the report's current values."""
    sheet, report = tmp_path / "sheet.html", tmp_path / "report.html"
    assert main(["sheet", "neck", "--out", str(sheet)]) == 0 and main(["report", "--out", str(report)]) == 0
    page = sheet.read_text(encoding="utf-8")
    current = report.read_text(encoding="utf-8").split("What the next session plays")[-1]
    chin_tuck = re.search(r"Chin tuck</td><td>hold</td><td[^>]*>(\d+)</td><td[^>]*>(\d+)<", current)
    rolls = re.search(r"Shoulder rolls</td><td>reps</td><td[^>]*></td><td[^>]*>(\d+)<", current)
    assert chin_tuck is not None and rolls is not None, current[:1500]
    held, times = int(chin_tuck[1]), int(chin_tuck[2])
    assert held > 5 and f"Hold {held} seconds, {times} times." in page and "Hold 5 seconds" not in page
    assert f"{rolls[1]} times, one every" in page
    if held < 15:
        assert "As your sessions go well, the hold grows, up to 15 seconds." in page
    assert "As your sessions go well, the repetitions grow, up to 12." in page or int(rolls[1]) == 12


def test_program_text_is_escaped_in_the_pages(tmp_path: Path, patient: int) -> None:
    path = Path(shelf_dir()) / "neck.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("Chin tuck", "<img src=x onerror=alert(1)>"), encoding="utf-8"
    )
    for command in (["sheet", "neck"], ["report"]):
        out = tmp_path / "page.html"
        assert main([*command, "--out", str(out)]) == 0
        page = out.read_text(encoding="utf-8")
        assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


@pytest.mark.parametrize(
    ("args", "told"),
    [
        (["report", "--program", "nothing-like-it"], "coach report: no sessions of 'nothing-like-it' in the history"),
        (["sheet", "nothing-like-it"], "nothing-like-it: no program of that name"),
    ],
)
def test_an_unknown_program_is_one_line_and_exit_2(
    patient: int, args: list[str], told: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.html"
    assert main([*args, "--out", str(out)]) == 2
    said = capsys.readouterr().err
    assert said.startswith(told) and said.count("\n") == 1
    assert not out.exists()


def test_an_empty_history_is_one_line_and_exit_2_and_leaves_an_old_report_as_it_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report.html"
    out.write_text("last month's report", encoding="utf-8")
    assert main(["report", "--out", str(out)]) == 2
    said = capsys.readouterr().err
    assert said == "coach report: no sessions yet; each `coach run` is recorded, then reported on\n"
    assert out.read_text(encoding="utf-8") == "last month's report"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder")
def test_an_unwritable_out_is_one_line_and_exit_2_and_nothing_is_left_there(
    patient: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        assert main(["report", "--out", str(locked / "report.html")]) == 2
        said = capsys.readouterr().err
        assert said.startswith(f"--out {locked / 'report.html'}: cannot write there: ") and said.count("\n") == 1
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o700)


def test_a_report_of_one_program_is_named_for_it_and_leaves_the_others_report_of_the_day(
    patient: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A caregiver's walk wrote one program's report, then another's the same day: the second replaced the first
    (both coach-report-DATE.html). With --program the name says which; a path's or a title's becomes a file name."""
    from coach.cli import _report_name

    monkeypatch.chdir(tmp_path)
    day = time.strftime("%Y-%m-%d")
    assert main(["report"]) == 0 and main(["report", "--program", "neck"]) == 0
    assert sorted(path.name for path in tmp_path.glob("coach-report-*")) == [
        f"coach-report-{day}-neck.html",
        f"coach-report-{day}.html",
    ]
    assert _report_name("/home/me/Knee care.toml", day) == f"coach-report-{day}-Knee-care.html"
    assert _report_name("Neck release v2", day) == f"coach-report-{day}-Neck-release-v2.html"
    assert _report_name("../..", day) == f"coach-report-{day}-program.html"


@pytest.mark.parametrize("where", ["missing/report.html", ".", "a-file/report.html"])
def test_an_out_in_no_folder_or_a_folder_itself_is_one_line_and_exit_2(
    patient: int, where: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a-file").write_text("", encoding="utf-8")  # a folder no one can write in, even root
    assert main(["report", "--out", where]) == 2
    said = capsys.readouterr().err
    assert said.startswith(f"--out {where}: ") and said.count("\n") == 1
    assert [path.name for path in tmp_path.iterdir() if path.name.endswith(".part")] == []


def test_a_program_removed_from_the_shelf_is_reported_from_its_history_but_not_sheeted(
    patient: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["remove", "neck", "--yes"]) == 0
    capsys.readouterr()
    out = tmp_path / "sheet.html"
    assert main(["sheet", "neck", "--out", str(out)]) == 2
    said = capsys.readouterr().err
    assert said.startswith("neck: no longer on the shelf") and said.count("\n") == 1 and not out.exists()
    report = tmp_path / "report.html"
    assert main(["report", "--program", "neck", "--out", str(report)]) == 0
    page = report.read_text(encoding="utf-8")
    assert "the program file is gone" in page and "As last played" in page
    # its prescription was the file's: not known now, and not "not said in the file", which it had said (a walk's)
    assert "<dd>not known without the program file</dd>" in page and "not said in the file" not in page
    assert "<dd>neck</dd>" in page and "coach run neck" not in page  # a name no longer plays it


def test_no_sessions_in_the_weeks_asked_for_says_when_the_last_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    history = History()
    try:
        fill(history, this_monday() - dt.timedelta(weeks=30), weeks=2)
    finally:
        history.close()
    assert main(["report", "--weeks", "4", "--out", str(tmp_path / "r.html")]) == 2
    said = capsys.readouterr().err
    assert said.startswith("coach report: no sessions in the last 4 weeks (the last was on ") and "--weeks" in said


def test_a_new_patients_report_starts_at_their_first_session_not_weeks_of_nothing_before(tmp_path: Path) -> None:
    """Two weeks of sessions, the default twelve weeks asked for: the page covers the two weeks there are."""
    path = shelve(shelf_dir())
    history = History()
    try:
        fill(history, this_monday(), weeks=2, path=str(path))
    finally:
        history.close()
    out = tmp_path / "report.html"
    assert main(["report", "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert ", 2 weeks." in page or ", 3 weeks." in page, page[:600]  # this week counts, whatever day it is
    assert "12 weeks" not in page


def test_coach_history_says_a_timed_steps_time_now_as_the_report_does(
    patient: int, capsys: pytest.CaptureFixture[str]
) -> None:
    """A walk: the history's "Now:" line left out the timed steps that the report's current values show."""
    assert main(["history"]) == 0
    now = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("  Last played: "))
    assert now.startswith("  Last played: Heat pad, 5 min; Chin tuck, hold 15 s"), now


def test_sessions_on_one_day_are_told_apart_on_a_charts_axis() -> None:
    """A walk's pain chart labelled four sessions of one day "5 Dec" each: they have their times too."""
    from coach.views.html.report import chart_dates

    day = dt.datetime(2026, 12, 5, 9, 30).timestamp()
    other = dt.datetime(2026, 12, 7, 18, 5).timestamp()
    assert chart_dates([day, day + 4 * 3600 + 60, other]) == ["5 Dec 09:30", "5 Dec 13:31", "7 Dec"]
    # Four in one minute (a walk's), two of them in one second: each label its own, or pygal draws them as one.
    assert chart_dates([day, day + 20, day + 40, day + 40]) == [
        "5 Dec 09:30:00",
        "5 Dec 09:30:20",
        "5 Dec 09:30:40",
        "5 Dec 09:30:40 (2)",
    ]


def test_a_charts_last_label_has_room_to_its_right() -> None:
    """ "5 Dec 22:04" was cut to "5 Dec 22" at the chart's right edge."""
    from coach.views.html.charts import LABEL_CHARACTER, pain

    dates = ["5 Dec 21:57", "5 Dec 21:58", "5 Dec 21:59", "5 Dec 22:04"]
    svg = pain(dates, [5, 0, 8, None], [None, None, None, 4], "Pain")
    plot = re.search(r'<g transform="translate\(([\d.]+), [\d.]+\)" class="plot">', svg)
    last = re.findall(r'<text x="([\d.]+)" y="[\d.]+" class="major">([^<]*)</text>', svg)[-1]
    assert plot is not None and last[1] == "5 Dec 22:04"
    assert float(plot.group(1)) + float(last[0]) + len(last[1]) * LABEL_CHARACTER / 2 <= 800


@pytest.mark.parametrize("sessions", [4, 90])
def test_a_pain_line_breaks_where_a_session_has_no_answer_and_a_lone_answer_keeps_its_dot(sessions: int) -> None:
    """A walk read 2, 8, 1 as a trend: the "after" line joined answers across sessions that had none."""
    from coach.views.html.charts import pain

    before = [3.0] * sessions
    after: list[float | None] = [None] * sessions
    after[0], after[2], after[3] = 2, 8, 1  # the second session left unanswered, then two answers side by side
    svg = pain([f"{day} Dec" for day in range(sessions)], list(before), after, "Pain")
    lines = re.findall(r'<path d="M([^"]+)"[^>]*class="line reactive', svg)
    assert [line.count(" L") for line in lines] == [1, 1]  # before: one line; after: 8 to 1 only, not 2 to 8
    assert "M" not in lines[1] and len(re.findall(r"[\d.]+ [\d.]+", lines[1])) == 2
    groups = re.split(r'class="series serie-(\d)', svg)  # each series' lines, then each one's dots
    after_dots = sum(text.count("<circle") for series, text in zip(groups[1::2], groups[2::2]) if series == "1")
    assert after_dots == 3  # the lone 2 has its dot, many sessions or few


def test_a_program_with_no_prescription_has_no_grey_in_its_caption(tmp_path: Path) -> None:
    """The caption said "and prescribed (grey)" beside "Prescribed: not said in the file", with no grey drawn."""
    program = tmp_path / "plain.toml"  # a file that prescribes nothing
    program.write_text(
        'format = 1\n[program]\ntitle = "Plain"\n[[steps]]\ntitle = "Heat pad"\nkind = "timed"\nduration = "5m"\n',
        encoding="utf-8",
    )
    history = History()
    try:
        fill(history, this_monday(), weeks=2, key=str(program), path=str(program))
    finally:
        history.close()
    out = tmp_path / "report.html"
    assert main(["report", "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert "<dd>not said in the file</dd>" in page and "program file is gone" not in page
    assert "<figcaption>Sessions completed each week.</figcaption>" in page
    assert "prescribed (grey)" not in page


def test_a_prescribed_day_stopped_for_pain_is_not_reported_missed(tmp_path: Path) -> None:
    """A caregiver's walk: "Prescribed days missed" listed three days the patient began and stopped for pain."""
    path = shelve(shelf_dir())
    monday = this_monday() - dt.timedelta(weeks=1)
    history = History()
    try:
        for offset, outcome in ((0, "pain"), (4, "completed")):  # Wednesday: nothing at all
            started = dt.datetime.combine(monday + dt.timedelta(days=offset), dt.time(10)).timestamp()
            history.end(history.begin("neck", "Neck", str(path), "0" * 64, started, 3), outcome, started + 60)
    finally:
        history.close()
    out = tmp_path / "report.html"
    assert main(["report", "--weeks", "2", "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    wednesday = monday + dt.timedelta(days=2)
    said = f"{adherence.day_label(monday)} (stopped for pain), {adherence.day_label(wednesday)} (missed)"
    assert f"<td>{said}</td>" in page and '<th scope="col">Prescribed days not completed</th>' in page
    # With days, a week counts the days done: a caregiver's walk read "Sessions completed each week" over a 1 for
    # two sessions on one Monday.
    assert "<figcaption>Prescribed days completed each week (black) and prescribed (grey).</figcaption>" in page
    assert "Prescribed days done each week," in page and "Sessions completed each week" not in page


def test_a_session_still_playing_is_not_called_completed(tmp_path: Path) -> None:
    """A caregiver's walk: with a session playing, the report said every session was completed as written."""
    history = History()
    try:
        history.begin("neck", "Neck", "/x/neck.toml", "0" * 64, time.time() - 60, 3)  # its lock held: playing
        out = tmp_path / "report.html"
        assert main(["report", "--out", str(out)]) == 0
    finally:
        history.close()
    page = out.read_text(encoding="utf-8")
    assert "1 playing now" in page
    assert "None: every session ended in these weeks was completed as written (1 still playing)." in page


# English words a sentence of the report's own would hold; the program's words (its titles, "right" and "left") are
# its own, in its language, and taken out first.
ENGLISH = re.compile(
    r"\b(the|and|of|each|to|from|over|at|in|on|none|every|what|was|were|is|as|sessions?|weeks?|pain|before|after"
    r"|hold|repetitions|seconds|done|prescribed|completed|stopped|interrupted|missed|changes?|step|steps|kind|reps"
    r"|timed|rest|sets|sides|time|averages?|throughout|went|given|sessions?|made|history|computer|worst)\b",
    re.I,
)
NECK_WORDS = ("Neck and shoulders", "Heat pad", "Chin tuck", "Shoulder rolls", "Rest", "right", "left")


def seen_and_heard(page: str) -> str:
    """What a reader sees and a screen reader says: the text between tags, and the charts' labels."""
    page = re.sub(r"<style.*?</style>", " ", page, flags=re.S)
    labels = " ".join(re.findall(r'aria-label="([^"]*)"', page))
    shown = re.sub(r"<[^>]+>", " ", page)
    return html.unescape(f"{shown} {labels}")


@pytest.mark.parametrize("language", ["es", "fr", "zh"])
def test_the_report_is_in_the_interface_s_language_but_for_the_program_s_own_words(
    patient: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, language: str
) -> None:
    """A caregiver's walk with language = "es": the headings were Spanish, every sentence under them English (the
    intro, the counts, the charts' legends and captions, the tables' captions), on a page marked `lang="es"` that
    a screen reader read with a Spanish voice."""
    config = tmp_path / "config.toml"
    config.write_text(f'language = "{language}"\n', encoding="utf-8")
    monkeypatch.setenv("COACH_CONFIG", str(config))
    out = tmp_path / "report.html"
    assert main(["report", "--out", str(out)]) == 0
    said = seen_and_heard(out.read_text(encoding="utf-8"))
    for words in NECK_WORDS:
        said = said.replace(words, " ")
    said = re.sub(r"coach run neck|coach \S+", " ", said)
    english = sorted({match.group(0) for match in ENGLISH.finditer(said)})
    assert english == [], re.sub(r"\s+", " ", said)


def test_a_step_skipped_is_not_charted_as_played_and_one_figure_is_said_once(tmp_path: Path) -> None:
    """A caregiver's walk: a step skipped in each session stood in the report's hold and repetitions as played
    ("each change": 10 s, 3 times), though `coach history` rightly did not list it; and a chart's sentence said
    "1 repetitions throughout", and of one pain answer "before went from 5 to 5"."""
    path = shelve(shelf_dir())
    history = History()
    try:
        for day in (1, 2):
            started = dt.datetime.combine(this_monday() - dt.timedelta(days=day), dt.time(10)).timestamp()
            session = history.begin("neck", "Neck and shoulders", str(path), "0" * 64, started, 3)
            history.pain(session, before=True, pain=5)
            history.step(session, 2, StepRecord(2, "Chin tuck", "hold", False, 10, 3, 1, None, started + 60))
            history.step(session, 3, StepRecord(3, "Shoulder rolls", "reps", True, None, 1, 1, None, started + 90))
            history.end(session, "completed", started + 120)
    finally:
        history.close()
    out = tmp_path / "report.html"
    assert main(["report", "--weeks", "2", "--out", str(out)]) == 0
    page = html.unescape(out.read_text(encoding="utf-8"))
    assert "Chin tuck: each change" not in page and "Shoulder rolls: each change" in page
    assert "no hold; 1 repetition throughout." in page
    assert "before: 5; after: not answered." in page


def test_the_pain_caption_says_an_answer_alone_is_a_dot() -> None:
    """A walk's "after", answered in 2 sessions of 6 with none beside them, was drawn as two dots under a caption
    that promised a dashed line."""
    from coach.views.html.report import _pain_caption

    sparse = _pain_caption([3, 4, 3, 5, 4, 3], [None, 2, None, None, 3, None])
    assert sparse == (
        "Pain before (solid line) and after (dashed line). "
        "An answer with no answer in the sessions beside it is a dot alone."
    )
    assert _pain_caption([3, 4, 3], [2, 2, None]) == "Pain before (solid line) and after (dashed line)."
