"""Adherence: sessions done against the prescription, counted from a real history file, and as `coach history`
says it under each program."""

from __future__ import annotations

import datetime as dt
import functools
import time
from pathlib import Path

import pytest

from coach.cli import main
from coach.history import adherence
from coach.history.store import History
from coach.program import Program, parse_program
from coach.program.shelf import shelf_dir

THURSDAY = dt.datetime(2026, 11, 19, 12, 0).timestamp()  # local noon


def program(prescription: str) -> bytes:
    return f'format = 1\n[program]\ntitle = "Neck"\n{prescription}\n[[steps]]\nkind = "ready"\ntitle = "R"\n'.encode()


def record(history: History, day: dt.date, outcome: str | None, key: str = "neck", hour: int = 9) -> None:
    started = dt.datetime(day.year, day.month, day.day, hour).timestamp()
    if outcome is None:  # cut short: its coach is gone, and its lock with it (else it reads as playing now)
        gone = History(history.path)
        gone.begin(key, "Neck", "/x/neck.toml", "0" * 64, started, 1)
        gone.close()
        return
    session = history.begin(key, "Neck", "/x/neck.toml", "0" * 64, started, 1)
    history.end(session, outcome, started + 300)


def day(number: int) -> dt.date:
    return dt.date(2026, 11, number)


@pytest.fixture
def history(tmp_path: Path) -> History:
    made = History(tmp_path / "history.sqlite3")
    # Three weeks of a Monday-Wednesday-Friday prescription, with what really happened:
    for done in (2, 6, 9, 11, 13, 16):  # completed
        record(made, day(done), "completed")
    record(made, day(4), "pain")  # stopped for pain on Wednesday the 4th: not done
    record(made, day(18), None)  # cut short on Wednesday the 18th: not done
    record(made, day(16), "completed", hour=18)  # twice on Monday the 16th: one prescribed day done
    return made


def test_days_prescribed_count_done_sessions_and_name_the_days_missed(history: History) -> None:
    prescribed = parse_program(program('days = ["mon", "wed", "fri"]'))
    weeks = adherence.weeks(history.sessions("neck"), prescribed, THURSDAY, 3)
    assert [(week.start, week.done, week.prescribed) for week in weeks] == [
        (day(2), 2, 3),
        (day(9), 3, 3),
        (day(16), 1, 3),  # Monday twice is Monday: "2 of 3" stood above "Missed: Wed" in a caregiver's walk
    ]
    # Begun and not completed is not missed: a walk's therapist read "missed" of three days stopped for pain.
    assert [week.missed for week in weeks] == [(), (), ()]  # Friday the 20th is not over yet
    assert [week.not_completed for week in weeks] == [((day(4), "stopped for pain"),), (), ((day(18), "interrupted"),)]
    four = adherence.weeks(history.sessions("neck"), prescribed, THURSDAY, 4)
    assert four[0].prescribed is None and four[0].missed == ()  # the week before the first session


def test_with_days_a_session_on_a_day_not_prescribed_is_no_prescribed_day_done(tmp_path: Path) -> None:
    made = History(tmp_path / "history.sqlite3")
    for done in (2, 3, 3, 4):  # Monday, Tuesday twice (not prescribed), Wednesday
        record(made, day(done), "completed")
    prescribed = parse_program(program('days = ["mon", "wed", "fri"]'))
    (week,) = adherence.weeks(made.sessions("neck"), prescribed, dt.datetime(2026, 11, 8, 12).timestamp(), 1)
    assert (week.done, week.prescribed, week.missed) == (2, 3, (day(6),))
    per_week = parse_program(program("per_week = 3"))  # sessions, not days, where days are not prescribed
    (week,) = adherence.weeks(made.sessions("neck"), per_week, dt.datetime(2026, 11, 8, 12).timestamp(), 1)
    assert (week.done, week.prescribed) == (4, 3)


def test_history_lines_say_this_week_the_four_before_and_the_missed_days(history: History) -> None:
    prescribed = parse_program(program('days = ["mon", "wed", "fri"]'))
    assert adherence.lines(history.sessions("neck"), prescribed, THURSDAY) == [
        "Prescribed: Mon, Wed, Fri. Done: 1 of 3 in the week from Mon 16 Nov; 5 of 6 in the 2 weeks before.",
        "Begun, not completed: Wed 4 Nov (stopped for pain), Wed 18 Nov (interrupted).",
    ]  # nothing was prescribed, nor missed, before the first session, on Monday the 2nd
    per_week = parse_program(program("per_week = 5"))
    assert adherence.lines(history.sessions("neck"), per_week, THURSDAY) == [
        "Prescribed: 5 sessions a week. Done: 2 of 5 in the week from Mon 16 Nov; 5 of 10 in the 2 weeks before."
    ]
    assert adherence.lines(history.sessions("neck"), parse_program(program("")), THURSDAY) == []


def test_a_day_begun_and_not_completed_is_told_with_how_it_ended_not_as_missed(tmp_path: Path) -> None:
    """A caregiver's walk: the report and `coach history` said "Missed" of three days stopped for pain."""
    made = History(tmp_path / "history.sqlite3")
    record(made, day(2), "completed")  # Monday, the first session
    record(made, day(4), "stopped", hour=7)
    record(made, day(4), "pain", hour=8)  # Wednesday: stopped, then stopped for pain: the pain is told
    record(made, day(6), "pain", hour=7)
    record(made, day(6), "completed", hour=8)  # Friday: stopped for pain, then completed: done
    record(made, day(9), "stopped")  # Monday: stopped
    # Wednesday the 11th: nothing at all
    prescribed = parse_program(program('days = ["mon", "wed", "fri"]'))
    thursday = dt.datetime(2026, 11, 12, 12, 0).timestamp()
    weeks = adherence.weeks(made.sessions("neck"), prescribed, thursday, 2)
    assert [(week.done, week.missed, week.not_completed) for week in weeks] == [
        (2, (), ((day(4), "stopped for pain"),)),
        (0, (day(11),), ((day(9), "stopped"),)),
    ]
    assert adherence.lines(made.sessions("neck"), prescribed, thursday) == [
        "Prescribed: Mon, Wed, Fri. Done: 0 of 3 in the week from Mon 9 Nov; 2 of 3 in the week before.",
        "Missed: Wed 11 Nov.",
        "Begun, not completed: Wed 4 Nov (stopped for pain), Mon 9 Nov (stopped).",
    ]


@pytest.mark.parametrize(
    ("first", "per_week", "owed"),
    [(2, 5, 5), (4, 5, 4), (8, 5, 1), (8, 1, None), (7, 3, 1)],  # from Monday, Wednesday, Sunday, Saturday
)
def test_a_per_week_prescription_owes_its_share_of_the_first_week(
    tmp_path: Path, first: int, per_week: int, owed: int | None
) -> None:
    """A caregiver's walk: a first session on a Sunday read "0 of 5" for the week that ended that day."""
    made = History(tmp_path / "history.sqlite3")
    record(made, day(first), "stopped")
    prescribed = parse_program(program(f"per_week = {per_week}"))
    monday_after = dt.datetime(2026, 11, 9, 12, 0).timestamp()
    before, this = adherence.weeks(made.sessions("neck"), prescribed, monday_after, 2)
    assert (before.prescribed, this.prescribed) == (owed, per_week)


def test_a_first_session_after_the_week_s_prescribed_days_is_not_done_of_none(tmp_path: Path) -> None:
    """A caregiver's walk: a first session on a Sunday, with Monday, Wednesday and Friday prescribed, read
    "Done: 1 of 0 in the week from Mon 16 Nov"; nothing was due that week."""
    made = History(tmp_path / "history.sqlite3")
    record(made, day(22), "completed")  # Sunday
    prescribed = parse_program(program('days = ["mon", "wed", "fri"]'))
    sunday_evening = dt.datetime(2026, 11, 22, 20, 0).timestamp()
    [week] = adherence.weeks(made.sessions("neck"), prescribed, sunday_evening, 1)
    assert (week.done, week.prescribed, week.missed) == (1, None, ())
    assert adherence.lines(made.sessions("neck"), prescribed, sunday_evening) == [
        "Prescribed: Mon, Wed, Fri. Done: 1 in the week from Mon 16 Nov."
    ]
    monday_after = dt.datetime(2026, 11, 23, 20, 0).timestamp()
    assert adherence.lines(made.sessions("neck"), prescribed, monday_after) == [
        "Prescribed: Mon, Wed, Fri. Done: 0 of 3 in the week from Mon 23 Nov.",
    ]  # the week before, with nothing due, is not counted among the weeks before either


def test_coach_history_counts_a_shelf_program_against_its_prescription(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COACH_CONFIG", str(tmp_path / "none.toml"))
    Path(shelf_dir()).mkdir(parents=True)
    (Path(shelf_dir()) / "neck.toml").write_bytes(program("per_week = 5"))
    history = History()
    try:
        record(history, dt.date.fromtimestamp(time.time()), "completed", hour=0)
    finally:
        history.close()
    assert main(["history"]) == 0
    said = capsys.readouterr().out
    monday = adherence.day_label(adherence.monday(dt.date.today()))
    owed = (5, 4, 4, 3, 2, 1, 1)[dt.date.today().weekday()]  # a first week owes its share from the first session
    assert f"  Prescribed: 5 sessions a week. Done: 1 of {owed} in the week from {monday}." in said  # none before


def test_coach_history_loads_a_program_file_only_when_it_prescribes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The loader and the TOML parser are a fifth of `coach history`'s start-up: a program that says nothing
    of how often (every bundled one) is only looked at, never loaded."""
    monkeypatch.setenv("COACH_CONFIG", str(tmp_path / "none.toml"))
    loaded: list[str] = []
    real = adherence.program_of

    def program_of(key: str) -> Program | None:
        loaded.append(key)
        return real(key)

    monkeypatch.setattr(adherence, "program_of", program_of)
    assert adherence.prescribed("demo") is None and loaded == []  # bundled, says nothing of how often
    Path(shelf_dir()).mkdir(parents=True)
    (Path(shelf_dir()) / "plain.toml").write_bytes(program(""))
    (Path(shelf_dir()) / "neck.toml").write_bytes(program("per_week = 5"))
    assert adherence.prescribed("plain") is None and loaded == []
    neck = adherence.prescribed("neck")
    assert neck is not None and neck.per_week == 5 and loaded == ["neck"]
    assert adherence.prescribed("gone") is None


@pytest.mark.parametrize(
    ("language", "prescribed", "begun"),
    [
        ("es", "Prescrito: lun, mié, vie. Hechas: 0 de 3 en la semana desde el ", "Empezadas, sin completar: "),
        ("zh", "规定：周一、周三、周五。从", "开始但未完成："),
    ],
)
def test_coach_history_says_the_prescription_in_the_interface_s_language(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    language: str,
    prescribed: str,
    begun: str,
) -> None:
    """A caregiver's walk with language = "es": every line of `coach history` was Spanish but this one."""
    config = tmp_path / "config.toml"
    config.write_text(f'language = "{language}"\n', encoding="utf-8")
    monkeypatch.setenv("COACH_CONFIG", str(config))
    Path(shelf_dir()).mkdir(parents=True)
    (Path(shelf_dir()) / "neck.toml").write_bytes(program('days = ["mon", "wed", "fri"]'))
    monday = adherence.monday(dt.date.today()) - dt.timedelta(weeks=1)
    history = History()
    try:
        record(history, monday, "pain")
    finally:
        history.close()
    assert main(["history"]) == 0
    said = capsys.readouterr().out
    assert prescribed in said and begun in said
    assert "Prescribed" not in said and "Mon" not in said and "stopped for pain" not in said


@pytest.mark.parametrize(
    ("language", "week_before", "last_played"),
    [
        ("fr", "\u00a0; ", "Heat pad, 5\u00a0min\u00a0; Chin tuck"),
        ("zh", "", "Heat pad，5分钟；Chin tuck，保持15秒、5次；Shoulder rolls"),
    ],
)
def test_coach_history_separates_its_clauses_as_the_language_does(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    language: str,
    week_before: str,
    last_played: str,
) -> None:
    """A caregiver's walk: French "… du lun 30 nov; 10 sur 12" and "Heat pad, 5 min; Chin tuck", without the space
    French puts before ";"; Chinese "Heat pad, 5 min; Chin tuck" with an English comma and semicolon, and its
    minutes as "min" (another walk's "Warm towel，10 s" beside "保持5秒")."""
    from tests.caregiving import fill, shelve

    config = tmp_path / "config.toml"
    config.write_text(f'language = "{language}"\n', encoding="utf-8")
    monkeypatch.setenv("COACH_CONFIG", str(config))
    path = shelve(Path(shelf_dir()))
    history = History()
    try:
        fill(history, adherence.monday(dt.date.today()), path=str(path))
    finally:
        history.close()
    assert main(["history"]) == 0
    said = capsys.readouterr().out
    assert last_played in said, said
    if week_before:
        assert f"{week_before}" in said and "; " not in said.replace("\u00a0; ", ""), said


def test_coach_history_in_chinese_writes_its_lists_and_brackets_as_chinese_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A caregiver's walk read "6次练习 (1次中断, 2次因疼痛停止, …)" and "跳过：Heating pad, Knee to chest, one leg。":
    ASCII brackets and commas beside "：" and "；", and a list of skipped steps whose commas were a title's too."""
    from coach.history.store import StepRecord

    config = tmp_path / "config.toml"
    config.write_text('language = "zh"\n', encoding="utf-8")
    monkeypatch.setenv("COACH_CONFIG", str(config))
    today = dt.date.today()
    history = History()
    try:
        record(history, today, "pain", hour=0)
        started = dt.datetime(today.year, today.month, today.day, 0, 5).timestamp()
        session = history.begin("neck", "Neck", "/x/neck.toml", "0" * 64, started, 2)
        history.step(session, 1, StepRecord(1, "Heating pad", "timed", False, None, None, None, 300, started + 1))
        history.step(session, 2, StepRecord(2, "Knee to chest, one leg", "hold", False, 5, 5, 1, None, started + 2))
        history.end(session, "completed", started + 3)
    finally:
        history.close()
    assert main(["history"]) == 0
    said = capsys.readouterr().out
    assert "2次练习（1次完成、1次因疼痛停止）" in said, said
    assert "跳过：Heating pad、Knee to chest, one leg。" in said, said


def test_a_program_moved_away_keeps_its_prescription_and_missed_days_in_history_and_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A caregiver's walk played a program of Mon, Wed, Fri six times, then moved its file: `coach history` lost
    its prescription and missed days, and the report said "Prescribed: not said in the file". Each session keeps
    the prescription it was played under, and with the file gone the newest one's is read."""
    from coach.history.recorder import Recorder
    from coach.program import load_program

    Path(shelf_dir()).mkdir(parents=True)
    path = Path(shelf_dir()) / "neck.toml"
    path.write_bytes(program('days = ["mon", "wed", "fri"]'))
    played = load_program(path)
    monday = adherence.monday(dt.date.today()) - dt.timedelta(weeks=1)
    history = History()
    try:
        for day in (monday, monday + dt.timedelta(days=4)):  # Monday and Friday: Wednesday missed
            started = dt.datetime(day.year, day.month, day.day, 9).timestamp()
            recorder = Recorder(history, played, "neck", now=functools.partial(float, started))
            recorder.started()
            assert recorder.session is not None
            history.end(recorder.session, "completed", started + 300)
        assert {record.prescribed for record in history.sessions()} == {"days:mon,wed,fri"}
    finally:
        history.close()
    path.unlink()  # moved away
    assert main(["history"]) == 0
    said = capsys.readouterr().out
    # Last week's Wednesday, and this week's prescribed days already over: this test ran on Mondays for weeks,
    # and failed on a Tuesday, where this Monday was missed too.
    this_week = [monday + dt.timedelta(weeks=1, days=offset) for offset in (0, 2, 4)]
    over = [monday + dt.timedelta(days=2)] + [day for day in this_week if day < dt.date.today()]
    missed = adherence.day_label(over[0])
    assert "Prescribed: Mon, Wed, Fri." in said, said
    assert f"Missed: {', '.join(adherence.day_label(day) for day in over)}." in said, said
    out = tmp_path / "report.html"
    assert main(["report", "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert "<dd>Mon, Wed, Fri</dd>" in page and "the program file is gone" in page
    assert "prescribed (grey)" in page and missed in page


@pytest.mark.parametrize(
    ("prescription", "kept", "per_week", "days"),
    [
        ("per_week = 5", "per_week:5", 5, ()),
        ('days = ["mon", "fri"]', "days:mon,fri", None, ("mon", "fri")),
        ("", "none", None, ()),
    ],
)
def test_a_prescription_is_kept_and_read_back_as_the_file_said_it(
    prescription: str, kept: str, per_week: int | None, days: tuple[str, ...]
) -> None:
    from coach.history.store import SessionRecord

    said = parse_program(program(prescription))
    assert adherence.prescription_kept(said) == kept
    record = SessionRecord(1, "neck", "Neck", "", 0.0, 60.0, "completed", None, None, 1, None, 1, 1, 30.0)
    older = record._replace(prescribed=None)  # before schema 4: not kept, and passed over
    read = adherence.recorded([older, record._replace(prescribed=kept), record._replace(prescribed="per_week:9")])
    assert read == adherence.Prescription(per_week, days) and read.prescribed == said.prescribed
    assert adherence.recorded([older]) is None
