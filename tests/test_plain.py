"""Plain mode as a screen reader meets it: a real pty, the pyte emulator, real keys, real signals.

Each test starts `coach run --plain` in a pseudo-terminal and reads the
screen as a terminal screen reader would: one new line per event, nothing
rewritten, no escape sequences, and the terminal's modes given back however
the session ends.
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import termios
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from coach.history.store import History
from coach.program.catalog import bundled
from coach.program.load import load_program, parse_program
from coach.session.clock import FakeClock, MonotonicClock
from coach.session.drive import Inbox
from coach.session.engine import Session
from coach.speech.engines import SilentEngine, make_engine
from coach.speech.speaker import Speaker
from coach.timeline import compile_program
from coach.views.controls import ENTER, SHORT_HELP, Controls
from coach.views.plain.keys import split_keys
from coach.views.plain.play import play_plain
from tests.conftest import BIN, ROOT, run_coach
from tests.helpers import bundled_programs, play
from tests.pty_coach import COOKED, PtyCoach, assert_plain_output

TINY = str(ROOT / "tests" / "programs" / "good" / "tiny.toml")
SHORT = str(ROOT / "tests" / "programs" / "good" / "short.toml")
QUIET = ["--speech", "none"]


def preview_texts(program: str) -> list[str]:
    # With the session's own speech: with another, preview lays the sentences on the lengths of the audio that the
    # test run has made so far, and the welcome's "about 30 seconds" may round otherwise.
    cues = json.loads(run_coach("preview", program, "--json", *QUIET).stdout)
    return [cue["text"] for cue in cues if cue["kind"] != "tone"]  # a tone is heard, never a line


@pytest.fixture
def coach_in_pty() -> Iterator[list[PtyCoach]]:
    started: list[PtyCoach] = []
    yield started
    for coach in started:
        coach.close()


def start(started: list[PtyCoach], *args: str) -> PtyCoach:
    coach = PtyCoach("run", "--plain", *QUIET, *args)
    started.append(coach)
    return coach


def test_a_screen_reader_gets_each_line_once_and_nothing_rewritten(coach_in_pty: list[PtyCoach]) -> None:
    coach = start(coach_in_pty, SHORT)
    assert coach.finish() == 0
    assert_plain_output(coach)
    lines = coach.lines()
    assert lines == [SHORT_HELP, *preview_texts(SHORT)]
    for title in ("Step 1 of 3. Bridge.", "Step 2 of 3. Crunch.", "Step 3 of 3. Rest."):
        assert lines.count(title) == 1
    assert coach.local_modes() & COOKED == COOKED  # the terminal is given back as it was


def test_lines_per_step_are_bounded_and_long_waits_are_sparse() -> None:
    """A step of L seconds writes at most L / 0.95 + 1 lines: no two sentences overlap, the shortest
    (a count) is estimated at 0.85 s and a 0.1 s gap follows each. The 20-minute heat pad writes 14."""
    for name, program in bundled_programs().items():
        from coach.timeline import compile_program

        timeline = compile_program(program)
        events, _ = play(timeline)
        for index, segment in enumerate(timeline.segments):
            written = sum(1 for event in events if event.segment == index)
            assert written <= segment.length / 0.95 + 1, (name, segment.title, written)
            if segment.length >= 20 * 60:
                assert written <= 15, (name, segment.title, written)


def test_every_key_does_what_the_contract_says(coach_in_pty: list[PtyCoach]) -> None:
    coach = start(coach_in_pty, "demo")
    step1 = coach.wait_for("Step 1 of 3. Knee to chest.")
    assert coach.local_modes() & termios.ICANON == 0  # keys arrive at once while the session plays
    coach.press(" ")
    paused = coach.wait_for("Paused. Press Space to go on.", after=step1)
    lines_while_paused = len(coach.lines())
    coach.press("t")
    assert coach.wait_for_start("Step 1 of 3. Knee to chest.", after=paused + 1)
    assert len(coach.lines()) == lines_while_paused + 1  # status answers; nothing else moves while paused
    coach.press(" ")
    going = coach.wait_for("Going on.", after=paused)
    coach.press("r")
    repeat = coach.wait_for("Step 1 of 3. Knee to chest. Lie on your back. Pull one knee to your chest and hug it.")
    assert repeat > going
    coach.press("n")
    bridges = coach.wait_for("Step 2 of 3. Bridges.", after=repeat)
    coach.press("b")  # within 4 seconds of the start: back to the step before
    back = coach.wait_for("Step 1 of 3. Knee to chest.", after=bridges)
    hold = coach.wait_for("Hold.", after=back)
    coach.press("+")
    coach.wait_for("10 seconds added.", after=hold)
    coach.press("q")
    asked = coach.wait_for("Stop the session? y / n", after=hold)
    coach.press("n")
    coach.wait_for("Going on.", after=asked)
    coach.press("q")
    asked_again = coach.wait_for("Stop the session? y / n", after=asked + 1)
    coach.press("y")
    coach.wait_for("Session stopped.", after=asked_again)
    assert coach.finish() == 0
    assert_plain_output(coach)
    assert coach.local_modes() & COOKED == COOKED


def test_pain_stops_at_once_with_the_advice(coach_in_pty: list[PtyCoach]) -> None:
    coach = start(coach_in_pty, "demo")
    coach.wait_for("Step 1 of 3. Knee to chest.")
    coach.press("x")
    coach.wait_for("Stop now and rest. If the pain goes on or gets worse, call your doctor.")
    assert coach.finish() == 0
    assert coach.local_modes() & COOKED == COOKED


@pytest.mark.parametrize(
    ("how", "status"),
    [("ctrl-c", 130), ("sigterm", 128 + signal.SIGTERM), ("sighup", 128 + signal.SIGHUP)],
)
def test_every_way_of_ending_gives_the_terminal_back(coach_in_pty: list[PtyCoach], how: str, status: int) -> None:
    coach = start(coach_in_pty, "demo")
    coach.wait_for("Step 1 of 3. Knee to chest.")
    assert coach.local_modes() & termios.ICANON == 0
    if how == "ctrl-c":
        coach.press("\x03")
    else:
        coach.process.send_signal(signal.SIGTERM if how == "sigterm" else signal.SIGHUP)
    coach.wait_for("Session stopped.")
    assert coach.finish() == status
    assert "Traceback" not in bytes(coach.raw).decode()
    assert coach.local_modes() & COOKED == COOKED
    history = History()  # this test's own COACH_DATA_DIR: the session is recorded as stopped, not interrupted
    [record] = history.sessions()
    history.close()
    assert (record.program, record.how) == ("demo", "stopped")


def run_coach_argv() -> list[str]:
    import sys

    return [sys.executable, "-m", "coach"]


def test_command_words_on_standard_input_and_its_end_means_hands_free(tmp_path: Path) -> None:
    lines = played_through(TINY, "status\nmore\nnext\n", tmp_path).splitlines()
    assert lines[0] == "Tiny. 1 step, about 10 seconds."
    assert lines[1] == "Tiny. Next: Bridge. About 10 seconds left in the session."  # status
    assert lines[2] == "There is no timer to change now."  # more: the opening has no timer
    assert lines[3] == "Step 1 of 1. Bridge."  # next
    assert lines[-1] == "Session complete. Well done."


# --- the key and word tables, without a terminal ------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "keys"),
    [
        ("n", ["n"]),
        ("\x1b[C\x1b[D", ["right", "left"]),
        ("\x1bOC", ["right"]),
        ("\x1b", ["escape"]),
        ("\r", ["enter"]),
        ("\x1b[15~x", ["x"]),  # F5 is skipped, the x after it is not
        ("\x1b[A", []),  # up arrow: nothing
        ("+-><?", ["+", "-", ">", "<", "?"]),
    ],
)
def test_split_keys(typed: str, keys: list[str]) -> None:
    assert split_keys(typed) == keys


def test_help_in_plain_mode_pauses_the_session_and_ends_with_how_to_go_on() -> None:
    """A walk's help took 39 s to say while the session ran on behind it, unspoken: counts were lost, and the
    speech said "1" when the screen was at "Session complete". The player holds behind its help; plain mode
    pauses, and says how to go on last."""
    from coach.speech.engines import SilentEngine
    from coach.speech.speaker import Speaker

    clock = FakeClock(0.0)
    controls = Controls(Speaker(SilentEngine(), clock=MonotonicClock()))
    session = Session(compile_program(load_program(bundled()["demo"])), clock)
    session.start()
    clock.time = 20.0
    session.due()
    command = controls.key("?")
    assert command is not None
    told = command(session)
    assert [event.kind for event in told] == ["help", "paused"] and told[-1].text == "Paused. Press Space to go on."
    assert "Control Z: Pause and suspend" in told[0].text and "Control P" not in told[0].text  # the player's own
    clock.time += 60
    assert session.due() == [] and session.view().paused  # nothing went on behind the help
    assert [event.kind for event in command(session)] == ["help"]  # asked again while paused: the keys alone


def test_a_word_typed_on_a_terminal_is_the_word_not_its_letters() -> None:
    """A walk typed pain and Enter in plain mode on a terminal, at a check-in: its n skipped the check-in, Enter
    the step after, and nothing stopped. A letter that is no key begins a word, which Enter gives; the letters
    after it are the word's, not keys. x is pain at once, inside a word too."""
    from coach.speech.engines import SilentEngine
    from coach.speech.speaker import Speaker

    clock = FakeClock(0.0)
    controls = Controls(Speaker(SilentEngine(), clock=clock))
    session = Session(compile_program(load_program(bundled()["demo"])), clock)
    first = controls.typed("p")
    assert first is not None
    assert first(session)[0].text == "p is not a key. Press ? for the keys, or type a word and Enter."
    assert [controls.typed(key) for key in "ain"] == [None, None, Session.pain]  # at its last letter, Enter or not
    for word, command in [("stop", Session.stop), ("go on", None), ("help", None)]:
        assert controls.typed(word[0]) is not None  # told it is no key
        assert [controls.typed(key) for key in word[1:]] == [None] * (len(word) - 1)
        done = controls.typed(ENTER)
        assert done is not None and (command is None or done is command), word
    assert controls.typed("s") is not None and controls.typed("x") is Session.pain  # never held back
    session.start()
    went_on = controls.typed("n")  # the word ended with the x: n is next again
    assert went_on is not None and went_on(session) and session.index == 1
    controls.typed("s")
    clock.time += 2.0  # a stray letter is forgotten: the keys are keys again
    went_on, went_back = controls.typed("n"), controls.typed("b")
    assert went_on is not None and went_on(session) and session.index == 2
    assert went_back is not None and went_back(session) and session.index == 1


def _typing(language: str = "en") -> tuple[Controls, Session, FakeClock]:
    clock = FakeClock(0.0)
    controls = Controls(Speaker(SilentEngine(), clock=clock), language)
    session = Session(compile_program(load_program(bundled()["demo"])), clock)
    session.start()
    return controls, session, clock


def _type(controls: Controls, session: Session, text: str) -> list[str]:
    """`text` typed key by key, each key's command run: the sentences it was answered with."""
    said: list[str] = []
    for key in [*text, ENTER]:
        command = controls.typed(key)
        if command is not None:
            said += [event.text for event in command(session)]
    return said


@pytest.mark.parametrize(
    ("language", "typed"), [("en", "it hurts"), ("es", "me hace daño"), ("fr", "j'ai mal"), ("fr", "ça fait mal")]
)
def test_a_pain_word_that_begins_with_a_key_letter_stops_for_pain_and_speech_is_on(language: str, typed: str) -> None:
    """A walk typed "me hace daño", which the coach's own list offers, in plain mode on a terminal: its m muted
    the coach, and the rest was "Not a command: e hace daño". The key letter still acts at once; the word is
    the word, and speech that its m turned off is on again."""
    controls, session, _ = _typing(language)
    _type(controls, session, typed)
    assert session.outcome == "pain" and not controls.speaker.muted


@pytest.mark.parametrize(("typed", "key"), [("back", "b"), ("repeat", "r"), ("more", "+")])
def test_a_command_word_typed_whole_does_what_its_key_does_once(typed: str, key: str) -> None:
    """A walk's "next", typed on a terminal, went on with its n, and its x stopped the session for pain."""
    worded, by_key = _typing(), _typing()
    for controls, session, _ in (worded, by_key):
        for _ in range(2):  # from the welcome to step 1, then on to step 2
            command = controls.key("n")
            assert command is not None
            command(session)
    _type(worded[0], worded[1], typed)
    command = by_key[0].key(key)
    assert command is not None
    command(by_key[1])
    assert worded[1].outcome is None and worded[1].index == by_key[1].index >= 1


def test_more_typed_adds_time_and_leaves_speech_on_and_mute_typed_mutes() -> None:
    controls, session, _ = _typing()
    _type(controls, session, "mute")
    assert controls.speaker.muted  # muted once, not muted and unmuted
    _type(controls, session, "mute")
    assert not controls.speaker.muted
    said = _type(controls, session, "more")
    assert not controls.speaker.muted and said[-1] in {"10 seconds added.", "There is no timer to change now."}


def _at_a_check_in(language: str = "en") -> tuple[Controls, Session]:
    clock = FakeClock(0.0)
    controls = Controls(Speaker(SilentEngine(), clock=clock), language)
    text = 'format = 1\n[program]\ntitle = "T"\npain_stop = 7\n[[steps]]\nkind = "timed"\ntitle = "Lie"\n'
    text += 'duration = "30s"\n'
    session = Session(compile_program(parse_program(text.encode())), clock)
    session.start()
    while not session.asking_pain:
        session.due()
        clock.time += 0.5
    return controls, session


@pytest.mark.parametrize(
    ("language", "typed", "pain"),
    [
        ("en", "nine", 9),
        ("en", "three", 3),
        ("fr", "neuf", 9),
        ("fr", "quatre", 4),
        ("es", "nueve", 9),
        ("es", "tres", 3),
    ],
)
def test_a_number_word_at_a_check_in_is_the_answer_though_its_first_letter_is_a_key(
    language: str, typed: str, pain: int
) -> None:
    """A screen-reader walk typed "nine" at a check-in: its n went on to the next step, and the answer, 9, past
    the program's pain stop, was "No pain question now". At a check-in such a letter waits for its word."""
    controls, session = _at_a_check_in(language)
    index = session.index
    _type(controls, session, typed)
    assert session.answers[:1] == [(index, pain)] and session.outcome == ("pain" if pain >= 7 else None)


@pytest.mark.parametrize(("language", "typed", "pain"), [("en", "seven", 7), ("zh", "七", 7), ("es", "siete", 7)])
def test_a_number_word_at_a_check_in_answers_as_its_last_letter_comes(language: str, typed: str, pain: int) -> None:
    """A patient's walk typed "seven" at a check-in, and no Enter: "s is not a key", then the check-in ran out and
    the session went on without the answer, past the program's pain stop (七 in Chinese the same). A whole
    number word is the answer as its last letter comes, as a word of pain stops at once; and its first letter is
    not told to be no key there."""
    controls, session = _at_a_check_in(language)
    index = session.index
    said: list[str] = []
    for key in typed:
        command = controls.typed(key)
        if command is not None:
            said += [event.text for event in command(session)]
    if language == "zh":  # "七" may yet be "七分": the answer once no key follows it for WORD_GAP s
        assert session.answers == []
        quiet = controls.quiet()
        assert quiet is not None
        said += [event.text for event in quiet(session)]
    assert session.answers[:1] == [(index, pain)] and session.outcome == "pain"
    assert not any("not a key" in line or "不是按键" in line or "no es una tecla" in line for line in said), said


def test_x_is_pain_at_once_inside_any_word() -> None:
    """The pain key is never a letter of a word: "si" then x, or "six", stop for pain at once, Enter or not (a
    walk's "si" swallowed the x that followed). Numbers are typed as digits."""
    for typed in ("six", "nex", "dix"):
        controls, _ = _at_a_check_in("fr")
        assert [controls.typed(key) for key in typed][-1] is Session.pain, typed


@pytest.mark.parametrize(("language", "typed", "outcome"), [("fr", "oy", "stopped"), ("es", "sn", None)])
def test_a_stray_letter_at_the_stop_question_does_not_swallow_the_answer_after_it(
    language: str, typed: str, outcome: str | None
) -> None:
    """A French walk typed o (oui), then y: nothing answered, and the question stood 20 s. A Spanish s (sí), then
    n: the same. A letter that begins a word ("pain") still waits for it."""
    controls, session, _ = _typing(language)
    commands = []
    for key in "q" + typed:
        commands.append(controls.typed(key))
        if commands[-1] is not None:
            commands[-1](session)
    assert commands[1] is None and commands[2] is not None
    assert session.outcome == outcome and not session.held


def test_with_caps_lock_on_every_key_letter_is_its_key() -> None:
    """A walk's X, Caps Lock on, did nothing during a step (and said nothing), though it was pain at the stop
    question. A capital is the key: X is pain, N next, and at the stop question Y stops."""
    controls, session, _ = _typing()
    command = controls.typed("N")
    assert command is not None and session.index == 0
    command(session)
    assert session.index == 1
    command = controls.typed("X")
    assert command is Session.pain
    controls, session, _ = _typing()
    for key in "QY":
        command = controls.typed(key)
        assert command is not None
        command(session)
    assert session.outcome == "stopped"
    controls, session, _ = _typing()
    assert controls.key("X") is Session.pain


@pytest.mark.parametrize(
    ("language", "typed"), [("en", "pain"), ("en", "it hurts"), ("es", "me hace daño"), ("fr", "mal")]
)
def test_a_pain_word_stops_for_pain_as_its_last_letter_comes_and_at_the_stop_question(
    language: str, typed: str
) -> None:
    """A walk typed "mal" with no Enter: its m muted the coach, and nothing more. And "pain" typed at the stop
    question answered it no, and was then "Not a command: ain"."""
    controls, session, _ = _typing(language)
    commands = [controls.typed(key) for key in typed]
    assert commands[-1] is not None and not any(commands[:-1][1:]), commands
    for command in commands:
        if command is not None:
            command(session)
    assert session.outcome == "pain" and not controls.speaker.muted
    controls, session, _ = _typing(language)
    command = controls.typed("q")
    assert command is not None
    command(session)
    _type(controls, session, typed)
    assert session.outcome == "pain"


def test_pain_typed_on_a_terminal_at_a_check_in_stops_for_pain(coach_in_pty: list[PtyCoach]) -> None:
    coach = start(coach_in_pty, str(ROOT / "tests" / "programs" / "good" / "pain-six.toml"))
    coach.wait_for_start("How is your pain now")
    coach.press("pain\r")
    coach.wait_for_start("Stop now and rest")
    assert coach.finish() == 0
    after = coach.lines()[next(n for n, line in enumerate(coach.lines()) if line.startswith("How is your pain")) :]
    assert not any(line.startswith("Step ") for line in after), after


def test_every_word_of_the_contract_is_understood() -> None:
    from coach.speech.engines import SilentEngine
    from coach.speech.speaker import Speaker

    controls = Controls(Speaker(SilentEngine(), clock=MonotonicClock()))
    for word in ("pause", "resume", "next", "back", "repeat", "status", "more", "less", "mute", "pain", "stop"):
        assert controls.word(word + "\n") is not None, word
    assert controls.word("7\n") is not None and controls.word("\n") is Session.continue_  # Enter
    session = Session(compile_program(load_program(bundled()["demo"])), FakeClock(0.0))
    command = controls.word("dance\n")  # no command: answered with the words there are
    assert command is not None and command(session)[0].text.startswith("Not a command: dance. The words:")
    # a number is an answer: out of range, it is told the range (a walk typed 11 and read "Not a command")
    # and -1 or 3.5, which a caregiver's walk typed at a check-in and read "Not a command: -1. The words: …"
    range_told = "A pain answer is a number from 0 to 10."
    for typed, language, told in [("11", "en", range_told), ("42", "es", "de 0 a 10."), ("-1", "en", range_told),
                                  ("3.5", "en", range_told), ("3,5", "fr", "de 0 à 10.")]:  # fmt: skip
        command = Controls(Speaker(SilentEngine(), clock=MonotonicClock()), language).word(typed + "\n")
        assert command is not None and command(session)[0].text.endswith(told)


@pytest.mark.parametrize(
    ("flag", "environ", "terminal", "plain"),
    [
        (False, {}, True, False),
        (True, {}, True, True),
        (False, {"ACCESSIBLE": "1"}, True, True),
        (False, {"ACCESSIBLE": "yes"}, True, True),
        (False, {"ACCESSIBLE": "0"}, True, False),
        (False, {"ACCESSIBLE": ""}, True, False),
        (False, {"TERM": "dumb"}, True, True),
        (False, {"TERM": "xterm"}, False, True),
    ],
)
def test_plain_mode_is_chosen_as_the_contract_says(
    flag: bool, environ: dict[str, str], terminal: bool, plain: bool
) -> None:
    from coach.cli import wants_plain

    assert wants_plain(flag, environ, terminal) is plain


# --- the pain answer, the pain key and the stop question, typed in a terminal (issue 13) -----------------

PAIN_SIX = str(ROOT / "tests" / "programs" / "good" / "pain-six.toml")
QUESTION = "How is your pain now, from 0 to 10? Press a number, or I will go on in 10 seconds."
ADVICE = "Stop now and rest. If the pain goes on or gets worse, call your doctor."


def type_keys(coach: PtyCoach, keys: str, gap: float) -> None:
    for key in keys:
        coach.press(key)
        time.sleep(gap)


def only_session() -> tuple[str, int | None, int | None]:
    history = History()
    [record] = history.sessions()
    history.close()
    return record.how, record.pain_before, record.pain_after


@pytest.mark.parametrize("gap", [0.03, 0.6], ids=["burst", "person"])
def test_pain_ten_by_keys_one_then_zero_stops_for_pain(coach_in_pty: list[PtyCoach], gap: float) -> None:
    coach = start(coach_in_pty, PAIN_SIX)
    asked = coach.wait_for(QUESTION)
    type_keys(coach, "10", gap)
    coach.wait_for(f"You said your pain is 10 out of 10. {ADVICE}", after=asked)
    assert coach.finish() == 0
    assert "Session complete. Well done." not in coach.lines()
    assert only_session() == ("stopped for pain", 10, None)
    assert_plain_output(coach)


def test_every_answer_is_said_back_and_a_second_one_corrects_it(coach_in_pty: list[PtyCoach]) -> None:
    coach = start(coach_in_pty, PAIN_SIX)
    asked = coach.wait_for(QUESTION)
    coach.press("3")
    first = coach.wait_for("Pain 3, noted.", after=asked)
    time.sleep(0.5)
    coach.press("2")
    second = coach.wait_for("Pain 2, noted.", after=first)
    coach.press("\r")  # goes on at once
    coach.wait_for("Step 1 of 2. Chin tuck.", after=second)
    coach.press("x")
    coach.wait_for(ADVICE)
    assert coach.finish() == 0
    assert only_session() == ("stopped for pain", 2, None)


def test_a_lone_one_is_noted_after_its_wait(coach_in_pty: list[PtyCoach]) -> None:
    coach = start(coach_in_pty, PAIN_SIX)
    asked = coach.wait_for(QUESTION)
    pressed = time.monotonic()
    coach.press("1")
    while b"Pain 1, noted." not in coach.raw:  # the bytes, as they come: reading the screen takes longer
        assert time.monotonic() - pressed < 5, coach.lines()[asked:]
        time.sleep(0.005)
    waited = time.monotonic() - pressed
    assert 1.45 <= waited < 3.0, waited  # TEN_WAIT, 1.5 s, and then soon (not at the check-in's end, 10 s)
    coach.press("x")
    coach.wait_for(ADVICE)
    assert coach.finish() == 0


def test_x_while_stop_the_session_is_asked_is_pain_not_no(coach_in_pty: list[PtyCoach]) -> None:
    coach = start(coach_in_pty, "demo")
    step1 = coach.wait_for("Step 1 of 3. Knee to chest.")
    coach.press("q")
    asked = coach.wait_for("Stop the session? y / n", after=step1)
    coach.press("x")
    coach.wait_for(ADVICE, after=asked)
    assert coach.finish() == 0
    assert "Going on." not in coach.lines()[asked:]
    assert only_session()[0] == "stopped for pain"


def test_stop_the_session_holds_the_session_until_answered_and_no_goes_on_where_it_was(
    coach_in_pty: list[PtyCoach],
) -> None:
    coach = start(coach_in_pty, "demo")
    hold = coach.wait_for("Hold.")
    coach.press("q")
    asked = coach.wait_for("Stop the session? y / n", after=hold)
    time.sleep(7)  # longer than the hold: nothing may go on behind the question
    assert coach.lines()[asked + 1 :] == []
    coach.press("n")
    going = coach.wait_for("Going on.", after=asked)
    coach.wait_for("Release.", after=going)
    coach.press("q")
    coach.press("y")
    coach.wait_for("Session stopped.", after=going)
    assert coach.finish() == 0


def test_a_person_paused_before_the_question_stays_paused_after_no(coach_in_pty: list[PtyCoach]) -> None:
    coach = start(coach_in_pty, "demo")
    hold = coach.wait_for("Hold.")
    coach.press(" ")
    paused = coach.wait_for("Paused. Press Space to go on.", after=hold)
    type_keys(coach, "qn", 0.03)
    still = coach.wait_for("Still paused. Press Space to go on.", after=paused)
    time.sleep(1.5)
    assert coach.lines()[still + 1 :] == []
    coach.press(" ")
    coach.wait_for("Going on.", after=still)
    coach.press("x")
    assert coach.finish() == 0


def test_skipping_every_step_with_next_says_so_and_is_not_recorded_as_completed() -> None:
    result = subprocess.run(
        [*run_coach_argv(), "run", "--plain", *QUIET, SHORT],
        input="next\nnext\nnext\nnext\n",
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "Session over. Every step was skipped."
    assert only_session()[0] == "stopped"


# --- lines that fit the terminal ----------------------------------------------------------------

LONG_LINES = """format = 1
[program]
title = "Calf raises with a chair for balance, for the morning"
summary = "Rise onto the balls of your feet, then lower slowly."
check_in = false

[[steps]]
kind = "timed"
title = "Calf raise and lower, slowly, holding the back of a chair"
say = "Stand behind a chair. Rise onto the ball of your foot, then straighten your knee and lower slowly."
duration = "1s"
"""


@pytest.mark.slow
def test_plain_lines_at_40_columns_break_between_words_never_inside_one(
    coach_in_pty: list[PtyCoach], tmp_path: Path
) -> None:
    """A terminal wraps a long line at its last column, mid-word: plain mode breaks it at a space first."""
    program = tmp_path / "calf.toml"
    program.write_text(LONG_LINES)
    coach = PtyCoach("run", "--plain", *QUIET, str(program), columns=40)
    coach_in_pty.append(coach)
    assert coach.finish() == 0
    assert_plain_output(coach)
    rows = coach.lines()
    said = [SHORT_HELP, *preview_texts(str(program))]
    assert max(len(text) for text in said) > 80 and len(rows) > len(said)  # there was something to wrap
    assert all(len(row) <= 40 for row in rows)
    assert " ".join(rows).split() == " ".join(said).split(), "a word was split across two rows"


def test_plain_lines_follow_a_resized_terminal(tmp_path: Path) -> None:
    """The width is read for each line: a window made narrower mid-session is followed at once."""
    import fcntl
    import os
    import struct

    from coach.views.plain.wrapping import fit

    master, slave = os.openpty()
    try:
        with open(slave, "w", closefd=False) as terminal:
            text = "Rise onto the ball of your foot, then straighten your knee and lower slowly."
            for columns in (100, 40, 25):
                fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
                rows = fit(text, terminal).split("\n")
                assert all(len(row) <= columns for row in rows) and " ".join(rows) == text
                assert len(rows) == -(-len(text) // columns) or len(rows) == -(-len(text) // columns) + 1
    finally:
        os.close(master)
        os.close(slave)


@pytest.mark.slow
def test_plain_lines_stay_whole_when_the_output_is_not_a_terminal(tmp_path: Path) -> None:
    """A program or a file reading the lines gets each sentence on one line, whatever COLUMNS says."""
    program = tmp_path / "calf.toml"
    program.write_text(LONG_LINES)
    result = run_coach("run", "--plain", *QUIET, str(program), env={"COLUMNS": "40"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == preview_texts(str(program))


def test_x_while_the_closing_words_are_said_stops_for_pain(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The session is over as its closing words begin; while they are said, x (here the word, from a pipe) still
    gives the advice and the record says pain, as on the player's last screen. Nothing else is written after
    them: under a screen reader "La voz vuelve a funcionar." came after the advice, as the last line."""
    monkeypatch.setenv("COACH_TEST_LOG", str(tmp_path / "said.log"))
    monkeypatch.setenv("COACH_TEST_SPEAK_SECONDS", "2")  # each sentence takes 2 s to say
    one = b'format = 1\n[program]\ntitle = "One"\ncheck_in = false\n[[steps]]\ntitle = "Rest"\nkind = "timed"\n'
    timeline = compile_program(parse_program(one + b"duration = 1\n"))
    out = io.StringIO()
    inbox = Inbox()
    read, write = os.pipe()

    def answer_at_the_end() -> None:
        deadline = time.monotonic() + 60
        while "Session complete. Well done." not in out.getvalue() and time.monotonic() < deadline:
            time.sleep(0.02)
        inbox.put(lambda session: session.notice("The voice works again."))  # news of the voice, now beside the point
        time.sleep(0.2)
        os.write(write, b"pain\n")
        os.close(write)

    threading.Thread(target=answer_at_the_end, daemon=True).start()
    with os.fdopen(read) as keys:
        engine = make_engine("command", f"{BIN / 'say-log'} {{rate}} {{text}}")
        outcome = play_plain(timeline, out=out, keys=keys, engine=engine, clock=MonotonicClock(), inbox=inbox)
    assert outcome == "pain"
    lines = out.getvalue().splitlines()
    assert lines[-2] == "Session complete. Well done." and lines[-1].startswith("Stop now"), lines


def test_with_no_voice_x_in_the_time_the_closing_words_take_still_stops_for_pain() -> None:
    """A patient's walk ran plain mode with no speech and pressed x as "Session complete. Well done." appeared: the
    coach had already left, the x went to the shell, and the record said completed. With no voice the last words
    are still given the time they would take to say, as the player's last screen stays up."""
    one = b'format = 1\n[program]\ntitle = "One"\ncheck_in = false\n[[steps]]\ntitle = "Rest"\nkind = "timed"\n'
    timeline = compile_program(parse_program(one + b"duration = 1\n"), rate=400)
    out = io.StringIO()
    read, write = os.pipe()

    def pain_at_the_end() -> None:
        deadline = time.monotonic() + 30
        while "Session complete. Well done." not in out.getvalue() and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.2)  # a person's reaction: the words take about a second to say at 400 a minute
        os.write(write, b"pain\n")
        os.close(write)

    threading.Thread(target=pain_at_the_end, daemon=True).start()
    with os.fdopen(read) as keys:
        outcome = play_plain(timeline, out=out, keys=keys, clock=MonotonicClock())
    assert outcome == "pain"
    assert out.getvalue().splitlines()[-1].startswith("Stop now")


@pytest.mark.parametrize("last", ["pause", "help", "q"])
def test_a_pipe_that_ends_on_a_pause_or_a_question_goes_on_by_itself(tmp_path: Path, last: str) -> None:
    """A walk's pipe ended on `pause` (and `help`, which pauses): the session stood paused for ever, where the end
    of the input means hands-free. Nothing can come any more: a pause goes on, and the stop question as a no."""
    played_through(TINY, f"{last}\n", tmp_path)


def played_through(program: str, given: str, tmp_path: Path) -> str:
    """What plain mode printed, playing `program` with `given` piped in: to its end, exit status 0."""
    result = subprocess.run(
        [*run_coach_argv(), "run", "--plain", *QUIET, program],
        input=given,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env={**os.environ, "COACH_DATA_DIR": str(tmp_path / "data")},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "Session complete. Well done.", result.stdout
    return result.stdout


@pytest.mark.parametrize("given", ["", "pause\n"], ids=["empty", "pause"])
def test_after_the_input_ends_a_ready_step_that_waits_for_a_key_goes_on(tmp_path: Path, given: str) -> None:
    """A walk's pipe into a program whose ready step waits for a key ("0s") stood at "Press Space when you are
    ready." until killed, with its input over, or empty (/dev/null's)."""
    program = tmp_path / "wait.toml"
    program.write_text(
        'format = 1\n[program]\ntitle = "Wait"\ncheck_in = false\n[[steps]]\nkind = "timed"\ntitle = "Warm"\n'
        'duration = "3s"\n[[steps]]\nkind = "ready"\ntitle = "Ready"\ntimeout = "0s"\n'
        '[[steps]]\nkind = "timed"\ntitle = "Heat"\nduration = "2s"\n'
    )
    assert "Step 3 of 3. Heat." in played_through(str(program), given, tmp_path)


def test_from_a_pipe_a_pause_says_to_type_resume_not_to_press_space(tmp_path: Path) -> None:
    """A walk typed `pause` into a pipe and was told "Press Space to go on.": there is no Space key on a pipe."""
    from tests.conftest import PROGRAMS
    from tests.plain_coach import PlainCoach

    coach = PlainCoach(str(PROGRAMS / "good" / "tiny.toml"), env={"COACH_DATA_DIR": str(tmp_path / "data")})
    coach.wait_line(lambda line: line.startswith("Step 1 of 1."))
    coach.send("pause")
    assert coach.wait_line(lambda line: line.startswith("Paused")) == "Paused. Type resume to go on."
    coach.send("resume")
    assert coach.wait_line(lambda line: line.startswith("Going on")) == "Going on."
    assert coach.finish() == 0


def test_from_a_pipe_steps_skipped_after_a_pause_are_each_told(tmp_path: Path) -> None:
    """A walk typed pause, resume, then back and next four times: after "Going on." nothing more was printed, and
    the session ended, recorded, without a word of the steps it went through."""
    from tests.plain_coach import PlainCoach

    program = tmp_path / "two.toml"
    program.write_text(
        'format = 1\n[program]\ntitle = "Two"\ncheck_in = false\n'
        '[[steps]]\nkind = "hold"\ntitle = "Squeeze"\nhold = "4s"\nreps = 2\nrest = "1s"\n'
        '[[steps]]\nkind = "reps"\ntitle = "Lift"\nreps = 2\npace = "1s"\n'
    )
    coach = PlainCoach(str(program), env={"COACH_DATA_DIR": str(tmp_path / "data")})
    coach.wait_line(lambda line: line == "Hold.")
    coach.send("pause")
    coach.wait_line(lambda line: line.startswith("Paused"))
    coach.send("resume")
    coach.wait_line(lambda line: line.startswith("Going on"))
    time.sleep(0.5)  # as the walk typed them: while "Going on." is still said
    for word in ("back", "next", "next", "next"):
        coach.send(word)
    assert coach.finish() == 0
    after = coach.lines[coach.lines.index("Going on.") + 1 :]
    assert after[0] == "Step 1 of 2. Squeeze." and "Step 2 of 2. Lift." in after, after
    assert after[-1] == "Session over. Every step was skipped.", after


@pytest.mark.parametrize("typed", ["resume", "go on", "", "continue", "seguir"])
def test_from_a_pipe_a_ready_step_goes_on_with_spaces_word_go_on_or_an_empty_line(tmp_path: Path, typed: str) -> None:
    """A walk's pipe was told "Press Space when you are ready" and typed resume, go on, and an empty line (Enter):
    nothing happened; only continue went on. Space's word and Enter's line go on there, as the keys do; in
    Spanish too ("seguir")."""
    from tests.plain_coach import PlainCoach

    program = tmp_path / "ready.toml"
    language = 'language = "es"\n' if typed == "seguir" else ""
    program.write_text(
        f'format = 1\n[program]\ntitle = "Ready"\ncheck_in = false\n{language}'
        '[[steps]]\nkind = "ready"\ntitle = "Get ready"\ntimeout = "0s"\n'
        '[[steps]]\nkind = "timed"\ntitle = "Breathe"\nduration = "2s"\n'
    )
    coach = PlainCoach(str(program), env={"COACH_DATA_DIR": str(tmp_path / "data")})
    coach.wait_line(lambda line: line.startswith(("Press Space", "Pulsa")))
    coach.send(typed)
    coach.wait_line(lambda line: line.startswith(("Step 2 of 2.", "Paso 2 de 2.")), limit=10)
    assert coach.finish() == 0


def test_a_key_letter_held_for_a_number_word_acts_when_none_comes() -> None:
    """A walk pressed t at a check-in in plain mode on a terminal: it waited for "two", "three" or "ten", which
    never came, and was dropped without a word. When no letter follows for WORD_GAP s, it acts as its key."""
    controls, session = _at_a_check_in()
    command = controls.typed("t")
    assert command is not None and command(session) == []  # it waits: "ten" would be the answer
    quiet = controls.quiet()
    assert quiet is not None and quiet(session)[0].text.startswith("Pain check-in.")
    assert controls.quiet() is None  # once
    assert session.answers == [] and not session.finished


@pytest.mark.parametrize("language", ["en", "fr"])
def test_key_letters_typed_in_a_burst_at_a_check_in_each_act_in_turn(language: str) -> None:
    """A patient's walk typed n, n at a check-in in plain mode: the first n waited for "nine", the second took its
    place, and one next was lost (the player, given the same keys, went on to step 2). A letter that waited for
    a word the next key does not go on with acts as its key first, then that key acts."""
    clock = FakeClock(0.0)
    controls = Controls(Speaker(SilentEngine(), clock=clock), language)
    text = 'format = 1\n[program]\ntitle = "T"\n'
    text += '[[steps]]\nkind = "timed"\ntitle = "Plank"\nduration = "30s"\n' * 2
    session = Session(compile_program(parse_program(text.encode())), clock)
    session.start()
    while not session.asking_pain:
        session.due()
        clock.time += 0.5
    for key in "nn":
        command = controls.typed(key)
        if command is not None:
            command(session)
        clock.time += 0.3
    quiet = controls.quiet()  # no key for WORD_GAP s: the last n, still waiting for "nine", acts
    if quiet is not None:
        quiet(session)
    assert session.segment.number == 2 and session.answers == []
    controls, _ = _at_a_check_in(language)
    assert controls.typed("n") is not None
    assert controls.typed("x") is Session.pain  # pain alone and at once: never behind the letter that waited


def test_a_number_word_typed_slowly_then_enter_is_the_answer() -> None:
    """A walk typed t, w, o, paused, then pressed Enter at a check-in: no answer and no message. A whole number
    word is the answer as its last letter comes, and the Enter after it goes on, however long the pause."""
    controls, session = _at_a_check_in()
    index = session.index
    for key in "two":
        command = controls.typed(key)
        if command is not None:
            command(session)
    assert session.answers[:1] == [(index, 2)]  # at its last letter: no longer word goes on from "two"
    assert controls.quiet() is None  # nothing is left to give
    controls.speaker.clock.time += 3.0  # type: ignore[attr-defined]
    given = controls.typed(ENTER)
    assert given is not None
    given(session)
    assert session.answers[:1] == [(index, 2)] and session.index == index + 1  # Enter went on, once answered


def test_t_at_a_check_in_on_a_terminal_gives_the_status(coach_in_pty: list[PtyCoach]) -> None:
    coach = start(coach_in_pty, str(ROOT / "tests" / "programs" / "good" / "pain-six.toml"))
    coach.wait_for_start("How is your pain now")
    coach.press("t")
    coach.wait_for_start("Pain check-in.")
    coach.press("x")
    assert coach.finish() == 0
