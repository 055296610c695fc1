"""One table of keys and words: the player's bindings, its footer, the help (shown and spoken), plain mode's
keys and the command words all come from `KEYS`, so a new row reaches every one of them."""

from __future__ import annotations

import pytest
from textual.binding import Binding

from coach.session.clock import MonotonicClock
from coach.session.engine import Session
from coach.speech.engines import SilentEngine
from coach.speech.speaker import Speaker
from coach.views.controls import (
    HELP,
    KEYS,
    PLAIN_KEYS,
    SHORT_HELP,
    WORDS,
    Controls,
    Key,
    command_words,
    help_text,
    plain_keys,
    short_help,
    with_capitals,
)
from coach.views.tui.player import PlayerScreen, player_action

NEW = Key("z,f5", "z F5", "z or F5", "Zap", "Zap", "z", ("zap", "zip"))


def test_a_new_row_reaches_the_help_the_footer_line_plain_keys_and_words() -> None:
    table = (*KEYS, NEW)
    assert help_text(table) == HELP + " z or F5: Zap."
    assert short_help(table) == SHORT_HELP[:-1] + ", z\u00a0zap."
    assert plain_keys(table) == PLAIN_KEYS | {"z": "z", "f5": "z"}
    assert command_words(table) == WORDS | {"zap": "z", "zip": "z"}


def test_the_derived_sets_are_the_table_s() -> None:
    controls = {key.control for key in KEYS if key.control}
    assert set(PLAIN_KEYS.values()) == controls
    assert set(WORDS.values()) == {key.control for key in KEYS if key.words}
    assert sum(len(key.words) for key in KEYS) == len(WORDS)  # no word stands for two keys
    bindings = [binding for binding in PlayerScreen.BINDINGS if isinstance(binding, Binding)]
    playing = [
        binding for binding in bindings if binding.id not in {None, "close"} and not binding.action.startswith("go_on(")
    ]
    bound = {(binding.key, binding.action) for binding in playing}
    assert bound == {(with_capitals(key.bind), player_action(key)) for key in KEYS if key.bind}
    footer = [key.short or key.more for key in KEYS if key.short or key.more]  # the footer fits what it can
    assert [binding.description for binding in playing if binding.show] == footer
    paused = [binding for binding in bindings if binding.action.startswith("go_on(")]
    assert [(binding.key, binding.description) for binding in paused] == [
        (with_capitals(key.bind), key.paused) for key in KEYS if key.paused
    ]


def test_every_key_and_word_of_the_table_does_something_in_plain_mode() -> None:
    controls = Controls(Speaker(SilentEngine(), clock=MonotonicClock()))
    for typed in PLAIN_KEYS:
        assert controls.key(typed) is not None, typed
        controls.asking_to_stop = False
    for word in WORDS:
        assert controls.word(word + "\n") is not None, word
        controls.asking_to_stop = False


def test_what_may_be_said_after_coach_may_be_typed_too() -> None:
    """A walk typed "go on", which every pause offers ("Press Space to go on"), and was told it was no command."""
    from coach.program.catalog import bundled
    from coach.program.load import load_program
    from coach.session.clock import FakeClock
    from coach.timeline import compile_program
    from coach.views.controls import SPOKEN

    for phrase in SPOKEN:
        controls = Controls(Speaker(SilentEngine(), clock=MonotonicClock()))
        session = Session(compile_program(load_program(bundled()["demo"])), FakeClock(0.0))
        session.start()
        command = controls.word(phrase + "\n")
        assert command is not None, phrase
        assert [event.kind for event in command(session) if event.kind == "unknown"] == [], phrase
    controls = Controls(Speaker(SilentEngine(), clock=MonotonicClock()))
    session = Session(compile_program(load_program(bundled()["demo"])), FakeClock(0.0))
    session.start()
    session.pause()
    go_on = controls.word("Go on\n")
    assert go_on is not None
    go_on(session)
    assert not session.view().paused


@pytest.mark.parametrize(
    ("language", "typed"), [("en", "It hurts"), ("es", "me hace daño"), ("fr", "ça fait mal"), ("zh", "好疼")]
)
def test_it_hurts_typed_stops_for_pain_as_said(language: str, typed: str) -> None:
    """ "coach it hurts" stopped the session when spoken; typed on a line it was ignored."""
    controls = Controls(Speaker(SilentEngine(), clock=MonotonicClock()), language)
    assert controls.word(typed + "\n") is Session.pain


@pytest.mark.parametrize(
    ("language", "start"),
    [
        ("en", "Not a command: bogus. The words: pause, resume, pain"),
        ("es", "No es una orden: bogus. Las palabras: pausa"),
    ],
)
def test_a_word_that_means_nothing_is_answered_with_the_words(language: str, start: str) -> None:
    """A line typed into plain mode's pipe that is no command got no answer at all."""
    from coach.program.catalog import bundled
    from coach.program.load import load_program
    from coach.session.clock import FakeClock
    from coach.timeline import compile_program

    controls = Controls(Speaker(SilentEngine(), clock=MonotonicClock()), language)
    command = controls.word("bogus\n")
    assert command is not None
    session = Session(compile_program(load_program(bundled()["demo"])), FakeClock(0.0))
    [told] = command(session)
    assert told.text.startswith(start) and told.text.endswith(".")
    assert controls.word("\n") is Session.continue_  # an empty line is Enter: no answer, and on from a ready step


def test_at_the_end_of_the_rates_a_rate_key_says_so() -> None:
    """A patient's walk pressed < three times from --rate 100: "Slower: 80 words a minute." each time, and the
    voice slowed once. At the end of the range the key says that it is."""
    from coach.program.catalog import bundled
    from coach.program.load import load_program
    from coach.session.clock import FakeClock
    from coach.speech import RATES
    from coach.timeline import compile_program

    speaker = Speaker(SilentEngine(), clock=MonotonicClock())
    controls = Controls(speaker)
    session = Session(compile_program(load_program(bundled()["demo"])), FakeClock(0.0))
    session.start()
    said = {}
    for key, end in (("<", RATES.start), (">", RATES.stop - 1)):
        command = controls.key(key)
        assert command is not None
        told = [command(session)[0].text for _ in range(40)]
        assert speaker.rate == end
        said[key] = told
    assert (
        said["<"][0].startswith("Slower: ") and said["<"][-1] == f"Already the slowest: {RATES.start} words a minute."
    )
    assert (
        said[">"][0].startswith("Faster: ")
        and said[">"][-1] == f"Already the fastest: {RATES.stop - 1} words a minute."
    )


def test_the_input_ending_just_after_a_yes_to_stop_says_nothing_more() -> None:
    """A walk's pipe ended on "q", "yes": now and then "Going on." came after "Session stopped.", the input's end
    taken in the same turn of the loop as a "no" to a question already answered, and a resume of a session over."""
    from coach.program.catalog import bundled
    from coach.program.load import load_program
    from coach.session.clock import FakeClock
    from coach.timeline import compile_program

    controls = Controls(Speaker(SilentEngine(), clock=MonotonicClock()))
    clock = FakeClock(0.0)
    session = Session(compile_program(load_program(bundled()["demo"])), clock)
    session.start()
    clock.time = 8.0
    session.due()
    commands = [controls.word("q\n"), controls.word("yes\n"), controls.ended()]  # read, then run in one turn
    said = [event.text for command in commands if command is not None for event in command(session)]
    assert said[-1] == "Session stopped." and session.finished, said


def test_what_is_read_in_the_turn_a_session_stops_is_left_to_its_last_words() -> None:
    """The loop that plays plain mode runs no command after the one that ends the session: those read with it (a
    pipe's "status", its end) go back to the inbox, for the last words, where only x acts."""
    from coach.program.catalog import bundled
    from coach.program.load import load_program
    from coach.session.clock import FakeClock
    from coach.session.drive import Inbox, drive
    from coach.timeline import compile_program

    controls = Controls(Speaker(SilentEngine(), clock=MonotonicClock()))
    session = Session(compile_program(load_program(bundled()["demo"])), FakeClock(0.0))
    inbox = Inbox()
    for command in (controls.word("q\n"), controls.word("yes\n"), controls.word("status\n"), controls.ended()):
        assert command is not None
        inbox.put(command)
    said: list[str] = []
    drive(session, lambda event: said.append(event.text), inbox)
    assert said[-2:] == ["Stop the session? y / n", "Session stopped."], said
    assert len(inbox.drain()) == 2


def test_m_says_speech_off_as_its_last_word_and_speech_on_after() -> None:
    """A hands-free walk's "coach mute" was only printed: "Speech off." is of the kind heard even muted."""
    from coach.program.catalog import bundled
    from coach.program.load import load_program
    from coach.session.clock import FakeClock
    from coach.speech.speaker import ALOUD_MUTED
    from coach.timeline import compile_program

    speaker = Speaker(SilentEngine(), clock=MonotonicClock())
    controls = Controls(speaker)
    session = Session(compile_program(load_program(bundled()["demo"])), FakeClock(0.0))
    session.start()
    mute = controls.key("m")
    assert mute is not None
    [off] = mute(session)
    assert speaker.muted and off.text == "Speech off." and off.kind in ALOUD_MUTED
    [on] = mute(session)
    assert not speaker.muted and on.text == "Speech on." and on.kind not in ALOUD_MUTED


def test_the_help_in_chinese_runs_on_without_spaces_between_its_sentences() -> None:
    """A walk read "暂停或继续。 x：疼痛…": Chinese sentences follow one another with no space."""
    told = help_text(KEYS, "zh")
    assert "。 " not in told and "暂停或继续。x：" in told
    assert "Pause or go on. x: Pain" in help_text(KEYS, "en")
