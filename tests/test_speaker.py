"""The speaker's rules, with real speech processes: a logging command stands in for a voice.

`tests/bin/say-log` logs each utterance it is started with and then "speaks"
for as long as it is told, so these tests see what reached the engine, in
what order, at what rate, and whether a cut really ended the process.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from coach.errors import UsageError
from coach.session.clock import MonotonicClock
from coach.session.engine import MOVED, Event, Session
from coach.speech.engine import SpeechFailed
from coach.speech.process import CommandEngine
from coach.speech.speaker import Backlog, Speaker, Utterance
from coach.timeline import Priority, compile_program
from tests.conftest import ROOT
from tests.helpers import bundled_programs
from tests.processes import AT_ONCE, alive, wait_until

SAY_LOG = ROOT / "tests" / "bin" / "say-log"
TEMPLATE = f"{SAY_LOG} {{rate}} {{text}}"


def utterance(text: str, priority: Priority, kind: str = "say", due: float = 0.0) -> Utterance:
    return Utterance(text, priority, kind, due, 1)


# --- the backlog's rules, table-driven -------------------------------------------------------


def test_safety_displaces_everything_waiting() -> None:
    backlog = Backlog()
    for text in ("Step 2.", "Hold.", "3"):
        backlog.push(utterance(text, Priority.ANNOUNCE))
    displaced = backlog.push(utterance("Stop now.", Priority.SAFETY))
    assert [u.text for u in displaced] == ["Step 2.", "Hold.", "3"]
    assert [u.text for u in backlog.waiting] == ["Stop now."]


def test_a_newer_status_replaces_an_older_one_and_nothing_else() -> None:
    backlog = Backlog()
    backlog.push(utterance("Step 1 of 3. Bridges. 20 seconds left.", Priority.ANNOUNCE, "status"))
    backlog.push(utterance("Hold.", Priority.MARK, "hold"))
    displaced = backlog.push(utterance("Step 1 of 3. Bridges. 18 seconds left.", Priority.ANNOUNCE, "status"))
    assert [u.text for u in displaced] == ["Step 1 of 3. Bridges. 20 seconds left."]
    assert [u.kind for u in backlog.waiting] == ["hold", "status"]


def test_a_bursts_newer_sum_replaces_the_one_still_waiting() -> None:
    """+++: "30 seconds added." is said, not the "20 seconds added." still waiting before it."""
    backlog = Backlog()
    backlog.push(utterance("20 seconds added.", Priority.INFO, "added"))
    displaced = backlog.push(utterance("30 seconds added.", Priority.INFO, "added"))
    assert [u.text for u in displaced] == ["20 seconds added."]
    assert [u.text for u in backlog.waiting] == ["30 seconds added."]


@pytest.mark.parametrize(
    ("priority", "late_by", "kept"),
    [
        (Priority.COUNT, 0.2, True),
        (Priority.COUNT, 0.3, False),
        (Priority.INFO, 0.3, False),
        (Priority.MARK, 5.0, True),
        (Priority.ANNOUNCE, 30.0, True),
    ],
)
def test_counts_and_reminders_are_dropped_when_late_marks_and_announcements_never(
    priority: Priority, late_by: float, kept: bool
) -> None:
    backlog = Backlog()
    backlog.push(utterance("x", priority, due=100.0))
    chosen, late = backlog.pop(100.0 + late_by)
    assert (chosen is not None) is kept
    assert len(late) == (0 if kept else 1)


# --- a real speaker driving a real process ---------------------------------------------------


class Log:
    """What `say-log` wrote: one (start time, pid, rate, text) per utterance it was started with."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def entries(self) -> list[tuple[float, int, int, str]]:
        if not self.path.exists():
            return []
        rows = []
        for line in self.path.read_text().splitlines():
            start, pid, rate, text = line.split(" ", 3)
            rows.append((float(start), int(pid), int(rate), text))
        return rows

    def texts(self) -> list[str]:
        return [entry[3] for entry in self.entries()]

    def wait_for(self, count: int, limit: float = 5.0) -> None:
        wait_until(lambda: len(self.entries()) >= count, limit, lambda: f"only {self.texts()} reached the engine")


@pytest.fixture
def log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Log:
    monkeypatch.setenv("COACH_TEST_LOG", str(tmp_path / "spoken.log"))
    monkeypatch.setenv("COACH_TEST_FAIL", str(tmp_path / "fail"))
    return Log(tmp_path / "spoken.log")


def speaker_for(template: str = TEMPLATE, notices: list[str] | None = None) -> Speaker:
    clock = MonotonicClock()
    speaker = Speaker(CommandEngine(template), clock=clock, on_notice=(notices if notices is not None else []).append)
    speaker.start()
    assert speaker.wait_ready(5)
    return speaker


def event(text: str, priority: Priority = Priority.ANNOUNCE, kind: str = "say", segment: int = 1) -> Event:
    return Event(time.monotonic(), text, priority, kind, segment, segment)


def seconds_to_cut(log: Log, speaker: Speaker, cue: Event) -> float:
    """Say `cue` while the first logged sentence is being said; how soon that sentence's process is gone."""
    saying = log.entries()[0][1]
    said = time.monotonic()
    speaker.say(cue)
    while alive(saying):
        time.sleep(0.001)
    return time.monotonic() - said


def test_sentences_reach_the_engine_in_order_and_the_speaker_reports_them_done(log: Log) -> None:
    """Every one is a mark, which is never dropped: the counts, all due at once here, are dropped when they come
    more than LATE after their time, by design (a fresh clone's CI, under load, dropped the "1" so)."""
    speaker = speaker_for()
    try:
        for text in ("Step 1 of 2. Bridges.", "Hold.", "3", "2", "1", "Release."):
            speaker.say(event(text, Priority.MARK))
        assert speaker.wait_idle(10)
    finally:
        speaker.close()
    assert log.texts() == ["Step 1 of 2. Bridges.", "Hold.", "3", "2", "1", "Release."]
    assert [record.outcome for record in speaker.records] == ["spoken"] * 6


def test_safety_cuts_a_long_sentence_at_once_and_is_said_next(log: Log, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COACH_TEST_SPEAK_SECONDS", "5")
    speaker = speaker_for()
    try:
        speaker.say(event("Lie on your back with your knees bent and your feet flat on the floor, hip width apart."))
        speaker.say(event("Hold."))
        log.wait_for(1)
        cut_after = seconds_to_cut(log, speaker, event("Stop now and rest.", Priority.SAFETY, "pain_stop"))
        log.wait_for(2)
    finally:
        speaker.close()
    assert cut_after < AT_ONCE
    assert log.texts()[1] == "Stop now and rest."  # "Hold." was waiting and is gone
    outcomes = {record.utterance.text: record.outcome for record in speaker.records}
    assert outcomes["Hold."] == "replaced"
    assert outcomes["Lie on your back with your knees bent and your feet flat on the floor, hip width apart."] == "cut"


def test_moving_on_cuts_what_was_being_said_of_the_step_left(log: Log, monkeypatch: pytest.MonkeyPatch) -> None:
    """n 5 s into a 15 s instruction: the rest of it was said for 13 s more, with the next step's words waiting
    behind it; its first hold was heard as 2.4 s of 16 and its counts were dropped (a walk). The jump's first
    event (`MOVED`) cuts it and what waited, and the next step is said at once."""
    monkeypatch.setenv("COACH_TEST_SPEAK_SECONDS", "5")
    speaker = speaker_for()
    session = Session(compile_program(bundled_programs()["three-exercises"]), MonotonicClock())
    session.start()
    try:
        speaker.say(event("Lie on your back with your knees bent and your feet flat on the floor, hip width apart."))
        speaker.say(event("Hold.", Priority.MARK))
        log.wait_for(1)
        jumped = session.next()
        assert jumped[0].kind == MOVED and jumped[0].text == ""
        seconds = seconds_to_cut(log, speaker, jumped[0])
        for said in jumped[1:]:
            speaker.say(said)
        log.wait_for(2)
    finally:
        speaker.close()
    assert seconds < AT_ONCE
    assert log.texts()[1] == next(said.text for said in jumped[1:] if said.text)  # where it went; not "Hold."
    outcomes = {record.utterance.text: record.outcome for record in speaker.records}
    assert outcomes["Hold."] == "cancelled"


def test_a_newer_status_cuts_an_older_one_being_said(log: Log, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COACH_TEST_SPEAK_SECONDS", "5")
    speaker = speaker_for()
    try:
        speaker.say(event("Step 1. 30 seconds left.", kind="status"))
        log.wait_for(1)
        speaker.say(event("Step 1. 29 seconds left.", kind="status"))
        speaker.say(event("Step 1. 28 seconds left.", kind="status"))
        log.wait_for(2)
    finally:
        speaker.close()
    assert log.texts() == ["Step 1. 30 seconds left.", "Step 1. 28 seconds left."]


@pytest.mark.parametrize("asked", ["status", "repeat"])
def test_a_status_or_repeat_being_said_gives_way_to_the_next_cue_at_its_time(
    asked: str, log: Log, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`t` in a hold's last seconds: its 9 s status held "Release." and the tone at zero 3.6 s late (a walk)."""
    monkeypatch.setenv("COACH_TEST_SPEAK_SECONDS", "5")
    speaker = speaker_for()
    try:
        speaker.say(event("Step 1 of 3. Hold, right leg. 2 seconds left. About 40 seconds left.", kind=asked))
        log.wait_for(1)
        cut_after = seconds_to_cut(log, speaker, event("Release.", Priority.MARK, "release"))
        log.wait_for(2)
    finally:
        speaker.close()
    assert cut_after < AT_ONCE
    assert log.texts()[1:] == ["Release."]
    assert speaker.records[0].outcome == "cut"


@pytest.mark.parametrize(
    ("moved_on", "kind"), [("Going on.", "resumed"), ("Stop the session? Say yes or no.", "confirm")]
)
def test_going_on_or_the_stop_question_ends_the_help_being_said(
    moved_on: str, kind: str, log: Log, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A walk's "coach help", then "coach go on": the 55 s of keys talked on over the session, whose own words went
    unheard, and the stop question waited behind them, unsaid. The "Paused." that ended the help goes too."""
    monkeypatch.setenv("COACH_TEST_SPEAK_SECONDS", "5")
    speaker = speaker_for()
    try:
        speaker.say(event("Say coach, then: pause, go on, next. Space: pause or go on. x: pain.", kind="help"))
        speaker.say(event("Paused. Say coach go on, or press Space.", Priority.MARK, "paused"))
        log.wait_for(1)
        cut_after = seconds_to_cut(log, speaker, event(moved_on, Priority.MARK, kind))
        log.wait_for(2)
    finally:
        speaker.close()
    assert cut_after < AT_ONCE
    assert log.texts()[1:] == [moved_on]
    assert sorted(record.outcome for record in speaker.records)[:2] == ["cancelled", "cut"]


def test_a_reminder_waits_for_a_status_to_end(log: Log, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COACH_TEST_SPEAK_SECONDS", "1")
    speaker = speaker_for()
    try:
        speaker.say(event("Step 1 of 3. Hold. 20 seconds left.", kind="status"))
        log.wait_for(1)
        speaker.say(event("Halfway.", Priority.INFO, "halfway"))
        assert speaker.wait_idle(5)
    finally:
        speaker.close()
    assert [record.outcome for record in speaker.records][:1] == ["spoken"]


def test_a_count_that_would_be_late_is_dropped_not_queued(log: Log, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COACH_TEST_SPEAK_SECONDS", "0.6")
    speaker = speaker_for()
    try:
        speaker.say(event("Knees bent, feet flat, lift your hips."))
        log.wait_for(1)
        speaker.say(event("3", Priority.COUNT, "count"))  # the engine is busy for 0.6 s more: too late
        speaker.say(event("Release.", Priority.MARK, "release"))
        assert speaker.wait_idle(5)
    finally:
        speaker.close()
    assert log.texts() == ["Knees bent, feet flat, lift your hips.", "Release."]
    assert [r.outcome for r in speaker.records if r.utterance.text == "3"] == ["late"]


def test_a_rate_change_applies_from_the_next_utterance(log: Log) -> None:
    speaker = speaker_for()
    try:
        speaker.say(event("One."))
        assert speaker.wait_idle(5)
        speaker.faster()
        speaker.say(event("Two."))
        assert speaker.wait_idle(5)
        speaker.set_rate(1000)
        speaker.say(event("Three."))
        assert speaker.wait_idle(5)
    finally:
        speaker.close()
    assert [entry[2] for entry in log.entries()] == [170, 190, 450]


def test_a_voice_change_applies_from_the_next_utterance(log: Log) -> None:
    speaker = speaker_for(f"{SAY_LOG} {{rate}} {{voice}}:{{text}}")
    try:
        speaker.say(event("One."))
        assert speaker.wait_idle(5)
        speaker.set_voice("en-gb")
        speaker.say(event("Two."))
        assert speaker.wait_idle(5)
    finally:
        speaker.close()
    assert log.texts() == [":One.", "en-gb:Two."]


def test_muted_speech_says_nothing_and_cuts_what_it_was_saying(log: Log, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COACH_TEST_SPEAK_SECONDS", "5")
    speaker = speaker_for()
    try:
        speaker.say(event("A long sentence."))
        log.wait_for(1)
        assert speaker.toggle_mute() is True
        speaker.say(event("Unheard."))
        assert speaker.wait_idle(1)
        assert speaker.toggle_mute() is False
    finally:
        speaker.close()
    assert log.texts() == ["A long sentence."]
    assert sorted(r.outcome for r in speaker.records) == ["cut", "muted"]


def test_the_pain_advice_is_said_even_when_muted(log: Log) -> None:
    """A walk muted the coach ("coach mute"), then said "coach pain": the advice was shown, and nothing was heard.
    A person who cannot see the screen must hear that the session stopped for pain, and what to do."""
    speaker = speaker_for()
    try:
        assert speaker.toggle_mute() is True
        speaker.say(event("Unheard."))
        speaker.say(event("Stop now and rest.", Priority.SAFETY, "pain_stop"))
        # and a question: a walk's "coach mute", then "coach stop", asked three times in silence
        speaker.say(event("Stop the session? Say yes or no.", Priority.ANNOUNCE, "confirm"))
        # and "Speech off." itself: a hands-free walk's "coach mute" was only printed
        speaker.say(event("Speech off.", Priority.MARK, "speech_off"))
        assert speaker.wait_idle(5)
    finally:
        speaker.close()
    assert log.texts() == ["Stop now and rest.", "Stop the session? Say yes or no.", "Speech off."]


def test_a_failing_engine_is_reported_once_and_tried_again_at_the_next_step(log: Log, tmp_path: Path) -> None:
    notices: list[str] = []
    speaker = speaker_for(notices=notices)
    failing = tmp_path / "fail"
    try:
        failing.touch()
        speaker.say(event("Step 1.", segment=1))
        speaker.say(event("Hold.", segment=1))
        assert speaker.wait_idle(5)
        failing.unlink()
        speaker.say(event("Release.", segment=1))  # same step: not tried again, though it would work now
        speaker.say(event("Step 2.", segment=2))
        assert speaker.wait_idle(5)
    finally:
        speaker.close()
    assert log.texts() == ["Step 2."]
    assert [r.outcome for r in speaker.records] == ["failed", "off", "off", "spoken"]
    assert notices[0] == f"Speech is off: {SAY_LOG} stopped with exit status 1."
    assert notices[1:] == ["Speech is working again."]


def test_the_pain_advice_tries_a_failed_engine_again_at_once(log: Log, tmp_path: Path) -> None:
    """Speech failed in this step; the person says "coach pain", lying on the floor and looking at no screen.
    The advice does not wait for a next step that will never come: the engine is tried again for it."""
    notices: list[str] = []
    speaker = speaker_for(notices=notices)
    failing = tmp_path / "fail"
    try:
        failing.touch()
        speaker.say(event("Hold.", segment=1))
        assert speaker.wait_idle(5)
        failing.unlink()
        speaker.say(event("Release.", segment=1))  # same step: not tried again
        assert speaker.wait_idle(5)
        speaker.say(event("Stop now and rest.", Priority.SAFETY, "pain_stop", segment=1))
        assert speaker.wait_idle(5)
    finally:
        speaker.close()
    assert log.texts() == ["Stop now and rest."]
    assert [r.outcome for r in speaker.records] == ["failed", "off", "spoken"]
    assert notices[1:] == ["Speech is working again."]


def test_a_missing_command_is_reported_once_and_in_plain_words(log: Log) -> None:
    notices: list[str] = []
    clock = MonotonicClock()
    speaker = Speaker(CommandEngine("no-such-speech-program {text}"), clock=clock, on_notice=notices.append)
    speaker.start()
    try:
        assert speaker.wait_ready(5) is False
        for segment in (1, 2, 3):
            speaker.say(event(f"Step {segment}.", segment=segment))
        assert speaker.wait_idle(5)
    finally:
        speaker.close()
    assert notices == ["Speech is off: the speech command no-such-speech-program was not found."]
    assert {r.outcome for r in speaker.records} == {"off"}


def test_the_text_is_one_argument_however_it_looks(log: Log) -> None:
    speaker = speaker_for()
    hostile = "$(touch pwned); `rm -rf ~` && echo 'quoted' \"double\" -x --help {rate}"
    try:
        speaker.say(event(hostile))
        assert speaker.wait_idle(5)
    finally:
        speaker.close()
    assert log.texts() == [hostile]
    assert not (ROOT / "pwned").exists()


@pytest.mark.parametrize("template", ["", "   ", "say 'unbalanced"])
def test_an_unusable_speech_command_is_a_clear_error(template: str) -> None:
    with pytest.raises(UsageError, match="--speech-command"):
        CommandEngine(template)


def test_a_hung_command_counts_as_failed_and_is_killed(monkeypatch: pytest.MonkeyPatch, log: Log) -> None:
    monkeypatch.setattr("coach.speech.process.hang_limit", lambda seconds: 0.3)
    monkeypatch.setenv("COACH_TEST_SPEAK_SECONDS", "30")
    engine = CommandEngine(TEMPLATE)
    import threading

    started = time.monotonic()
    with pytest.raises(SpeechFailed, match="did not finish within 0 seconds"):
        engine.speak("Hello.", rate=170, voice=None, priority=Priority.ANNOUNCE, cancelled=threading.Event())
    assert time.monotonic() - started < 5
    assert not alive(log.entries()[0][1])


class FlakyEngine(CommandEngine):
    """A command engine whose failures each say something a little different, as hangs do (9 s, then 7 s)."""

    def __init__(self, failures: list[str]) -> None:
        super().__init__(TEMPLATE)
        self.failures = failures

    def speak(self, text: str, **options: object) -> None:
        if self.failures:
            raise SpeechFailed(self.failures.pop(0))
        super().speak(text, **options)  # type: ignore[arg-type]


def test_an_outage_is_told_once_however_its_retries_fail_and_a_new_one_is_told_again(log: Log) -> None:
    notices: list[str] = []
    engine = FlakyEngine(["Speech is off: took 9 s.", "Speech is off: took 7 s."])
    speaker = Speaker(engine, clock=MonotonicClock(), on_notice=notices.append)
    speaker.start()
    try:
        assert speaker.wait_ready(5)
        for segment in (1, 2, 3):  # fails, fails again when retried, then works
            speaker.say(event(f"Step {segment}.", segment=segment))
            assert speaker.wait_idle(5)
        engine.failures.append("Speech is off: took 8 s.")  # a second outage
        for segment in (4, 5):
            speaker.say(event(f"Step {segment}.", segment=segment))
            assert speaker.wait_idle(5)
    finally:
        speaker.close()
    assert log.texts() == ["Step 3.", "Step 5."]
    assert notices == [
        "Speech is off: took 9 s.",
        "Speech is working again.",
        "Speech is off: took 8 s.",
        "Speech is working again.",
    ]


def test_a_spanish_sessions_speech_notices_are_in_spanish_their_cause_as_the_engine_says_it(log: Log) -> None:
    """The words of the notice are the session's; the fault's cause and the check to make stay as the engine
    gives them, for whoever sets the coach up."""
    notices: list[str] = []
    engine = FlakyEngine(["Speech is off: took 9 s."])
    note = "The session goes on in text; speech is tried again at the next step."
    speaker = Speaker(engine, clock=MonotonicClock(), on_notice=notices.append, failure_note=note, language="es")
    speaker.start()
    try:
        assert speaker.wait_ready(5)
        for segment in (1, 2):
            speaker.say(event(f"Paso {segment}.", segment=segment))
            assert speaker.wait_idle(5)
    finally:
        speaker.close()
    assert notices == [
        "Speech is off: took 9 s. La sesión sigue en texto; la voz se volverá a probar en el siguiente paso.",
        "La voz vuelve a funcionar.",
    ]
