"""Listening's logic on a fake clock: what each spoken command and answer does, and when an answer counts."""

from __future__ import annotations

import io
from typing import Any

import pytest

from coach.listen.grammar import decoys, jsgf
from coach.listen.listener import Heard
from coach.program import Program
from coach.program.load import parse_program
from coach.session.clock import FakeClock
from coach.session.engine import ASK_AGAIN, ASKS, Event, Session
from coach.session.outcome import Outcome
from coach.speech.engines import SilentEngine
from coach.speech.speaker import Speaker
from coach.timeline import Priority, compile_program
from coach.views.controls import SPOKEN, WORDS, Controls
from coach.views.listening import ANSWERS, Listening


def program_from(text: str) -> Program:
    return parse_program(text.encode())


def _program(pain_stop: str = "") -> str:
    return f"""format = 1
[program]
title = "Listen"
{pain_stop}
[[steps]]
kind = "timed"
title = "Lie still"
duration = "30s"
"""


def _session(text: str, clock: FakeClock) -> Session:
    session = Session(compile_program(program_from(text), listening=True), clock)
    session.start()
    for _ in range(120):  # on to the first check-in
        session.due()
        if session.asking_pain:
            break
        clock.advance(1)
    return session


def test_every_spoken_command_is_a_word_of_the_contract() -> None:
    for phrase, word in SPOKEN.items():
        assert word in WORDS or word in {"pause", "resume", "stop"}, phrase


def test_decoys_never_hold_a_word_of_a_command_or_an_answer() -> None:
    chosen = decoys(tuple(SPOKEN), ANSWERS, lambda word: True)
    spoken_words = {word for phrase in (*SPOKEN, *ANSWERS) for word in phrase.split()} | {"coach"}
    assert chosen and not spoken_words & set(chosen)
    grammar = jsgf(tuple(SPOKEN), ANSWERS, chosen)
    assert "coach <command>" in grammar and "it hurts" in grammar


def test_fillers_after_the_wake_word_never_hold_a_word_of_a_command_or_an_answer() -> None:
    """A filler that is a command's word would take the command's place after "coach"."""
    from coach.listen.grammar import FILLERS

    spoken_words = {word for phrase in (*SPOKEN, *ANSWERS) for word in phrase.split()} | {"coach"}
    assert FILLERS and not spoken_words & set(FILLERS)
    assert "coach <filler>" in jsgf(tuple(SPOKEN), ANSWERS, ["hold"])


def test_a_phrase_the_grammar_cannot_hold_is_refused() -> None:
    with pytest.raises(ValueError, match="grammar"):
        jsgf(("pause;",), ANSWERS, ["hold"])


def test_the_check_in_asks_to_say_or_press_a_number_when_listening() -> None:
    texts = [cue.text for segment in compile_program(program_from(_program())).segments for cue in segment.cues]
    listening = compile_program(program_from(_program()), listening=True)
    heard = [cue.text for segment in listening.segments for cue in segment.cues]
    assert any("Press a number" in text for text in texts)
    assert any("Say or press a number" in text for text in heard)


READY = """
format = 1
[program]
title = "Ready"
check_in = false
[[steps]]
kind = "ready"
title = "Lie down"
[[steps]]
kind = "ready"
title = "Stand up"
timeout = "0s"
"""


def test_a_ready_step_asks_to_say_coach_go_on_when_listening() -> None:
    """A hands-free walk was told "Press Space when you are ready" while lying on the floor, where the pause and
    the check-in had said what to say."""
    said = [
        cue.text for segment in compile_program(program_from(READY), listening=True).segments for cue in segment.cues
    ]
    assert "Say coach go on, or press Space, when you are ready, or I will go on in 30 seconds." in said
    assert "Say coach go on, or press Space, when you are ready." in said
    keys = [cue.text for segment in compile_program(program_from(READY)).segments for cue in segment.cues]
    assert "Press Space when you are ready." in keys


def _texts(events: list[Event]) -> list[str]:
    return [event.text for event in events]


def test_coach_stop_asks_and_yes_stops() -> None:
    clock = FakeClock()
    session = _session(_program(), clock)
    controls = Controls(Speaker(SilentEngine(), clock=clock))
    asked = controls.spoken("stop")(session)
    assert _texts(asked) == ["Stop the session? Say yes or no."] and session.held
    assert controls.spoken_answer("yes")(session)[0].text == "Heard: yes."
    assert session.outcome == "stopped"


def test_no_to_the_stop_question_goes_on() -> None:
    clock = FakeClock()
    session = _session(_program(), clock)
    controls = Controls(Speaker(SilentEngine(), clock=clock))
    controls.spoken("stop")(session)
    controls.spoken_answer("no")(session)
    assert not session.held and not session.finished


@pytest.mark.parametrize("phrase", ["help", "go on", "next", "stop", "mute"])
def test_another_command_at_the_stop_question_asks_it_again(phrase: str) -> None:
    """A walk said "coach help" at the stop question: the session went on behind a question that nothing said
    could answer any more (its dialog stayed up to the end). The question stays until yes, no, or pain."""
    clock = FakeClock()
    session = _session(_program(), clock)
    speaker = Speaker(SilentEngine(), clock=clock)
    controls = Controls(speaker, "en")
    controls.spoken("stop")(session)
    assert _texts(controls.spoken(phrase)(session)) == ["Stop the session? Say yes or no."]
    assert session.held and controls.asking_to_stop and not speaker.muted
    controls.spoken_answer("no")(session)
    assert not session.held and not session.finished
    controls.spoken("stop")(session)
    controls.spoken("pain")(session)  # pain, whatever was asked
    assert session.outcome == "pain"


@pytest.mark.parametrize("answer", ["seven", "three"])
def test_a_number_at_the_stop_question_with_no_check_in_under_it_asks_it_again(answer: str) -> None:
    """A hands-free walk said "seven" at "Stop the session? Say yes or no.": nothing, for the 20 s until it was
    asked again. Anything but yes, no or pain asks it again at once, as another command does."""
    clock = FakeClock()
    session = Session(compile_program(program_from(_program("check_in = false")), listening=True), clock)
    session.start()
    for _ in range(5):
        session.due()
        clock.advance(1)
    controls = Controls(Speaker(SilentEngine(), clock=clock), "en")
    controls.spoken("stop")(session)
    said = _texts(controls.spoken_answer(answer)(session))
    assert said == [f"Heard: {answer}.", "Stop the session? Say yes or no."]
    assert session.held and controls.asking_to_stop and not session.answers
    controls.spoken_answer("yes")(session)
    assert session.outcome == "stopped"


def test_an_unanswered_stop_question_is_asked_again_then_stops_the_session() -> None:
    """A walk's misheard "coach stop" left a person lying on the floor in silence: the question, said once, was
    long past. It is asked again after ASK_AGAIN s, ASKS times in all; ASK_AGAIN s after the last, unanswered, the
    session stops, as asked (a later walk's waited in silence for ever, and nothing was recorded)."""
    clock = FakeClock()
    session = _session(_program(), clock)
    controls = Controls(Speaker(SilentEngine(), clock=clock))
    start = clock.now()
    controls.spoken("stop")(session)
    asked: list[tuple[float, str]] = []
    while clock.now() < start + 5 * ASK_AGAIN:
        deadline = session.next_deadline()
        if deadline is None:
            break
        clock.advance(deadline - clock.now())
        asked += [(clock.now() - start, event.text) for event in session.due()]
    assert asked == [(ASK_AGAIN * n, "Stop the session? Say yes or no.") for n in range(1, ASKS)] + [
        (ASK_AGAIN * ASKS, "Session stopped.")
    ]
    assert session.outcome == Outcome.STOPPED


def test_a_stop_question_answered_late_goes_on_where_it_was() -> None:
    clock = FakeClock()
    session = _session(_program(), clock)
    controls = Controls(Speaker(SilentEngine(), clock=clock))
    controls.spoken("stop")(session)
    clock.advance(ASK_AGAIN * ASKS - 1)
    session.due()
    assert session.held and not session.finished
    controls.spoken_answer("no")(session)  # answered late, it goes on where it was
    assert not session.held and session.next_deadline() is not None


def test_an_answered_question_is_not_asked_again() -> None:
    clock = FakeClock()
    session = _session(_program(), clock)
    controls = Controls(Speaker(SilentEngine(), clock=clock))
    controls.spoken("stop")(session)
    clock.advance(ASK_AGAIN / 2)
    controls.spoken_answer("no")(session)
    session.hold()  # as the help does: it asks nothing, and nothing is said again behind it
    clock.advance(ASK_AGAIN * 2)
    assert not [event for event in session.due() if event.kind == "confirm"] and session.next_deadline() is None


@pytest.mark.parametrize("answer", ["yes", "no"])
def test_yes_or_no_to_the_pain_question_is_told_it_wants_a_number(answer: str) -> None:
    """A walk said "yes" to "How is your pain now, from 0 to 10?" and nothing answered."""
    clock = FakeClock()
    session = _session(_program(), clock)
    controls = Controls(Speaker(SilentEngine(), clock=clock))
    told = controls.spoken_answer(answer)(session)
    assert _texts(told) == [f"Heard: {answer}.", "A pain answer is a number from 0 to 10."]
    assert session.asking_pain and session.answers == []


def test_a_spoken_number_answers_the_check_in_and_another_corrects_it() -> None:
    clock = FakeClock()
    session = _session(_program(), clock)
    controls = Controls(Speaker(SilentEngine(), clock=clock))
    assert session.asking_pain
    assert "Pain 3, noted." in _texts(controls.spoken_answer("three")(session))
    assert "Pain 4, noted." in _texts(controls.spoken_answer("four")(session))
    assert session.answers == [(session.index, 4)]


def test_a_spoken_number_at_or_over_pain_stop_stops_with_the_advice() -> None:
    clock = FakeClock()
    session = _session(_program("pain_stop = 6"), clock)
    controls = Controls(Speaker(SilentEngine(), clock=clock))
    said = _texts(controls.spoken_answer("seven")(session))
    assert said[0] == "Heard: seven." and said[1].startswith("You said your pain is 7 out of 10.")
    assert session.outcome == "pain"


def test_a_spoken_number_while_paused_at_a_check_in_still_stops_for_pain() -> None:
    """As a key does: a walk said "coach pause" at the check-in, then "seven", and nothing happened."""
    clock = FakeClock()
    session = _session(_program("pain_stop = 6"), clock)
    controls = Controls(Speaker(SilentEngine(), clock=clock))
    controls.spoken("pause")(session)
    said = _texts(controls.spoken_answer("seven")(session))
    assert said[0] == "Heard: seven." and said[-1].startswith("You said your pain is 7 out of 10.")
    assert session.outcome == "pain"


def test_a_bare_answer_when_nothing_is_asked_does_nothing() -> None:
    clock = FakeClock()
    session = _session(_program(), clock)
    controls = Controls(Speaker(SilentEngine(), clock=clock))
    controls.spoken_answer("five")(session)  # answers the check-in
    clock.advance(8)
    session.due()
    assert not session.asking_pain and not session.finished
    assert controls.spoken_answer("two")(session) == []
    assert controls.spoken_answer("yes")(session) == []


def test_coach_pain_stops_at_once_and_pause_and_go_on_work() -> None:
    clock = FakeClock()
    session = _session(_program(), clock)
    controls = Controls(Speaker(SilentEngine(), clock=clock))
    controls.spoken("pause")(session)
    assert session.paused_at is not None
    controls.spoken("go on")(session)
    assert session.paused_at is None
    controls.spoken("it hurts")(session)
    assert session.outcome == "pain"


class _Speaker(Speaker):
    def __init__(self, clock: FakeClock, quiet: float | None) -> None:
        super().__init__(SilentEngine(), clock=clock)
        self.quiet = quiet

    def quiet_since(self) -> float | None:
        return self.quiet


def _listening(clock: FakeClock, quiet: float | None) -> tuple[Listening, list[object]]:
    posted: list[object] = []
    speaker = _Speaker(clock, quiet)
    return Listening("true", Controls(speaker), speaker, posted.append, clock), posted


def test_an_answer_heard_while_the_coach_spoke_or_just_after_is_its_own_echo() -> None:
    clock = FakeClock(100.0)
    listening, posted = _listening(clock, quiet=None)  # speaking now
    listening.heard(Heard("answer", "seven", 0.9, 99.0, 99.5))
    listening, posted_after = _listening(clock, quiet=98.8)  # fell silent 0.2 s before it began
    listening.heard(Heard("answer", "seven", 0.9, 99.0, 99.5))
    assert posted == [] and posted_after == []
    listening, posted = _listening(clock, quiet=95.0)
    listening.heard(Heard("answer", "seven", 0.9, 99.0, 99.5))
    assert len(posted) == 1


def test_what_the_recognizer_was_unsure_of_acts_on_nothing_and_says_nothing() -> None:
    """A session takes it for nothing, not even "Say: coach help."; only `coach listen` shows it."""
    clock = FakeClock(100.0)
    listening, posted = _listening(clock, quiet=90.0)
    listening.heard(Heard("unsure", "coach repeat", 0.5, 99.0, 99.5))
    listening.heard(Heard("unsure", "seven", 0.5, 99.6, 99.9))
    assert posted == []
    listening.heard(Heard("command", "repeat", 0.9, 99.0, 99.5))
    assert len(posted) == 1  # the same sentence, sure, acts


def test_a_command_counts_even_while_the_coach_speaks() -> None:
    clock = FakeClock(100.0)
    listening, posted = _listening(clock, quiet=None)
    listening.heard(Heard("command", "pain", 0.9, 99.0, 99.5))
    assert len(posted) == 1


class _Voice(SilentEngine):
    """An engine that speaks, as far as the speaker can tell: every sentence begins the moment it is given."""

    name = "voice"


@pytest.mark.parametrize("engine", [_Voice(), SilentEngine()], ids=["speaking", "speech-none"])
def test_what_begins_as_the_coach_begins_a_sentence_is_its_own_voice_but_pain(engine: SilentEngine) -> None:
    """The coach's "Switch to the left arm and right leg." was heard as "coach status", begun with the sentence.
    With `--speech none` it says nothing, and nothing heard is its own."""
    clock = FakeClock(100.0)
    speaker = Speaker(engine, clock=clock)
    speaker.start()
    try:
        posted: list[object] = []
        listening = Listening("true", Controls(speaker), speaker, posted.append, clock)
        speaker.say(Event(100.0, "Switch to the left arm and right leg.", Priority.MARK, "cue", 0, 0))
        assert speaker.wait_idle(5)
        for kind, phrase in (("command", "status"), ("unknown", ""), ("command", "pain")):
            listening.heard(Heard(kind, phrase, 0.5, 100.1, 101.9))  # heard a little late, through the air
            listening.heard(Heard(kind, phrase, 0.5, 99.8, 101.9))
        # "coach pain" always acts: a walk's, begun as the coach began "Hold.", was dropped and the session went on
        assert len(posted) == (2 if engine.name == "voice" else 5)  # "Say: coach help." once a minute
        listening.heard(Heard("command", "status", 0.9, 101.0, 101.9))  # begun while it spoke: a person's
        listening.heard(Heard("command", "pain", 0.9, 98.0, 98.8))  # before it began
        assert len(posted) == (4 if engine.name == "voice" else 7)
        clock.advance(10)
        speaker.say(Event(clock.now(), "3", Priority.COUNT, "count", 0, 0))  # a count is not heard as a command
        assert speaker.wait_idle(5)
        listening.heard(Heard("command", "pain", 0.9, clock.now() + 0.1, clock.now() + 1.0))
        assert len(posted) == (5 if engine.name == "voice" else 8)
    finally:
        speaker.close()


@pytest.mark.parametrize("language", ["en", "es", "fr", "zh"])
def test_coach_help_when_listening_says_first_what_may_be_said(language: str) -> None:
    """ "coach help" to a person on the floor listed only keys: with listening, the help starts with the spoken
    commands, in English whatever the session's language (the recognizer's model is English)."""
    clock = FakeClock(100.0)
    controls = Controls(Speaker(SilentEngine(), clock=clock), language)
    keys_only = controls.help
    Listening("true", controls, controls.speaker, lambda command: None, clock)
    assert controls.help.startswith(controls.spoken_help) and controls.help.endswith(keys_only)
    for phrase in ("pause", "go on", "next", "back", "status", "stop", "pain"):
        assert phrase in controls.spoken_help
    assert "coach" in controls.spoken_help
    session = _session(_program(), clock)
    said = _texts(controls.spoken("help")(session))
    assert said[0] == controls.help and len(said) == 2  # then how to go on: the session waits behind the help


def test_coach_and_something_unknown_gets_say_coach_help_once_a_minute() -> None:
    clock = FakeClock(100.0)
    listening, posted = _listening(clock, quiet=0.0)
    session = _session(_program(), clock)
    for _ in range(3):
        listening.heard(Heard("unknown", "", 0.5, 99.0, 99.5))
    assert len(posted) == 1
    assert _texts(posted[0](session)) == ["Say: coach help."]  # type: ignore[operator]
    clock.advance(61)
    listening.heard(Heard("unknown", "", 0.5, 160.0, 160.5))
    assert len(posted) == 2


@pytest.mark.parametrize(
    ("language", "told"), [("fr", "Dites coach help, en anglais."), ("zh", "请用英语说 coach help。")]
)
def test_say_coach_help_is_told_in_the_sessions_language(language: str, told: str) -> None:
    """A walk's French session answered "coach banana" with "Say: coach help." among its French lines."""
    clock = FakeClock(100.0)
    speaker = _Speaker(clock, 0.0)
    posted: list[object] = []
    listening = Listening("true", Controls(speaker, language), speaker, posted.append, clock)
    listening.heard(Heard("unknown", "", 0.5, 99.0, 99.5))
    assert _texts(posted[-1](_session(_program(), clock))) == [told]  # type: ignore[operator]


def test_plain_mode_listening_says_in_its_first_lines_what_may_be_said() -> None:
    """A walk: with --listen, plain mode's first lines named the keys only; a person on the floor, with a
    screen reader, had to ask "coach help" to learn what to say, without knowing that they could."""
    from coach.views.plain.play import play_plain

    out = io.StringIO()
    timeline = compile_program(program_from(_program()), listening=True)
    play_plain(timeline, out=out, clock=FakeClock(0.0), listen="true")  # `true` records nothing: keys go on
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("Say coach, then: pause, go on, next"), lines[:3]
    silent = io.StringIO()
    play_plain(compile_program(program_from(_program())), out=silent, clock=FakeClock(0.0))
    assert "Say coach" not in silent.getvalue()


def test_after_the_end_coach_pain_still_gives_the_advice_and_nothing_else_acts() -> None:
    """x on the last screen, or while the closing words are said, gives the advice and records pain: so does
    "coach pain" for a person who cannot reach the keys. Every other command finds the session over."""
    clock = FakeClock()
    session = Session(compile_program(program_from(_program())), clock)
    session.start()
    while not session.finished:
        session.due()
        clock.advance(1)
    listening, posted = _listening(clock, quiet=0.0)
    for phrase in ("pause", "back", "next", "stop", "pain"):
        listening.heard(Heard("command", phrase, 0.9, clock.now(), clock.now() + 0.5))
    said = [event for command in posted for event in command(session)]  # type: ignore[operator]
    assert [event.kind for event in said] == ["heard", "pain_stop"] and session.outcome == "pain"
    listening.heard(Heard("command", "it hurts", 0.9, clock.now(), clock.now() + 0.5))
    assert posted[-1](session) == []  # type: ignore[operator]  # once only


def test_played_at_a_speed_the_same_sound_takes_less_time_or_more() -> None:
    """The checks of `STEADY` hear the utterance as a tape played faster or slower: shorter or longer, every
    cycle kept."""
    import array
    import math

    from coach.listen.recognizer import played_at

    tone = array.array("h", (round(10000 * math.sin(2 * math.pi * 200 * i / 16000)) for i in range(16000)))
    for speed in (1.07, 0.97):  # 200 cycles in 0.93 s (214 Hz), and in 1.03 s (194 Hz)
        played = array.array("h", played_at(tone.tobytes(), speed))
        assert len(played) == int(15999 / speed)
        crossings = sum(1 for a, b in zip(played, played[1:]) if a < 0 <= b)
        assert crossings in (199, 200)


def test_the_floor_tops_up_only_what_a_room_lacks() -> None:
    import array
    import math
    import random

    from coach.listen.recognizer import FLOOR, with_floor

    def rms(pcm: bytes) -> float:
        samples = array.array("h", pcm)
        return math.sqrt(sum(x * x for x in samples) / len(samples)) / 32767

    silence = bytes(2 * 16000)
    assert rms(with_floor(silence)) == pytest.approx(FLOOR, rel=0.05)
    assert with_floor(silence) == with_floor(silence)  # the same noise every time
    chance = random.Random(1)
    room = array.array("h", (round(chance.gauss(0, 2 * FLOOR * 32767)) for _ in range(16000))).tobytes()
    assert with_floor(room) == room  # it has noise enough of its own


def test_with_listening_off_a_pause_says_press_space_and_on_again_say_coach_go_on() -> None:
    """A walk with no recorder: after "Listening is off…" a pause still said "Paused. Say coach go on, or press
    Space.", and the player showed "Not listening" beside it. Heard again, a command turns it back."""
    clock = FakeClock(100.0)
    session = _session(_program(), clock)
    listening, posted = _listening(clock, quiet=0.0)
    assert _texts(session.pause()) == ["Paused. Say coach go on, or press Space."]
    session.resume()
    listening.fault(
        "Listening is off: no recorder program. Keys still work; listening is tried again at the next step."
    )
    assert _texts(posted[-1](session)) == [  # type: ignore[operator]
        "Listening is off: no recorder program.",  # shown: the cause, not what the line said after it tells again
        "Listening has stopped. The keys still work; listening is tried again at the next step.",  # and said
    ]
    assert _texts(session.pause()) == ["Paused. Press Space to go on."]
    told = len(posted)
    listening.heard(Heard("command", "go on", 1.0, 99.0, 99.5))
    for command in posted[told:]:
        command(session)  # type: ignore[operator]
    assert session.paused_at is None  # "coach go on" went on
    assert _texts(session.pause()) == ["Paused. Say coach go on, or press Space."]


def test_a_listening_fault_after_the_end_leaves_the_closing_words_and_the_pain_advice_alone() -> None:
    """A fault that arrived just after a pain stop (the recorder failing as the session ended) said "Listening has
    stopped. … tried again at the next step", which replaced the advice on the last screen. Over, it is only
    shown; after a pain stop, whose listening was closed on purpose, nothing at all."""
    clock = FakeClock(100.0)
    listening, posted = _listening(clock, quiet=0.0)
    session = _session(_program(), clock)
    session.pain()
    listening.fault("Listening is off: the recorder stopped.")
    assert _texts(posted[-1](session)) == []  # type: ignore[operator]
    session = _session(_program(), clock)
    while not session.finished:
        clock.advance(1)
        session.due()
    listening.fault("Listening is off: the recorder stopped.")
    told = posted[-1](session)  # type: ignore[operator]
    assert [(event.kind, event.text) for event in told] == [("notice", "Listening is off: the recorder stopped.")]


def test_closing_a_listener_while_its_thread_reads_raises_nothing_in_that_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A full run printed "Exception in thread listener ... PyMemoryView_FromBuffer(): info->buf must not be NULL":
    `close` closed the worker's output while the reading thread was in the middle of a read. Here a worker that
    writes without pause is closed a hundred times, mid-read."""
    import subprocess
    import threading

    from coach.listen.listener import Listener

    raised: list[BaseException | None] = []
    monkeypatch.setattr(threading, "excepthook", lambda failure: raised.append(failure.exc_value))
    chatty = ["sh", "-c", """while :; do echo '{"event": "ready"}'; done"""]
    for _ in range(100):
        listener = Listener("true", (), (), on_heard=lambda heard: None, on_fault=lambda text: None)
        process = subprocess.Popen(chatty, stdin=subprocess.PIPE, stdout=subprocess.PIPE, start_new_session=True)
        listener._process = process
        reader = threading.Thread(target=listener._read, args=(process,))
        reader.start()
        listener.close()
        reader.join(5)
        assert not reader.is_alive() and process.stdout is not None and process.stdout.closed
    assert raised == []


def test_a_recorder_that_works_a_moment_then_fails_is_told_once_per_outage() -> None:
    """A walk's recorder gave three seconds of sound and exited: started again at each step, it said it was
    ready and failed again, and "Listening is off" was printed and said at every step (5 s each). One outage is
    told once; a fault after listening has worked WORKED_FOR seconds is a new one, told again."""
    from coach.listen.listener import WORKED_FOR, Listener

    told: list[str] = []
    listener = Listener("true", (), (), on_heard=lambda heard: None, on_fault=told.append)
    moment = [0.0]
    listener.now = lambda: moment[0]
    ready, fault = b'{"event": "ready"}', b'{"event": "fault", "text": "Listening is off."}'
    for _ in range(4):  # a step each: started again, ready, failed 3 s later
        listener._take(ready)
        moment[0] += 3
        listener._take(fault)
        moment[0] += 10
    assert told == ["Listening is off."] and listener.state == "Not listening"
    listener._take(ready)
    assert listener.state == "Listening"
    moment[0] += WORKED_FOR
    listener._take(fault)
    assert told == ["Listening is off."] * 2


def test_a_worker_that_dies_without_a_word_is_told_as_a_fault() -> None:
    """A worker that died on an error said nothing, and `coach listen` waited for ever after "Listening."."""
    import subprocess
    import threading

    from coach.listen.listener import Listener

    told: list[str] = []
    listener = Listener("true", (), (), on_heard=lambda heard: None, on_fault=told.append)
    dying = ["sh", "-c", """echo '{"event": "ready"}'; exit 3"""]
    process = subprocess.Popen(dying, stdin=subprocess.PIPE, stdout=subprocess.PIPE, start_new_session=True)
    listener._process = process
    reader = threading.Thread(target=listener._read, args=(process,))
    reader.start()
    reader.join(5)
    assert told == ["Listening is off: its worker stopped. Keys still work; listening is tried again at the next step."]
    assert listener.state == "Not listening"


def test_a_worker_gone_before_it_is_given_its_request_is_told_as_a_fault_not_raised(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A worker that exited at once (a broken install, a kill) broke the pipe its request was written to, and the
    BrokenPipeError went up through the session's start: a traceback, exit 1 before the first line. A full run
    here saw a French plain-mode session with listening exit 1 with nothing written; this is one way to it."""
    import subprocess
    import time

    from coach.listen import listener as listener_module
    from coach.speech.reaper import start as real_start

    def gone_at_once(argv: list[str], **streams: Any) -> subprocess.Popen[bytes]:
        process = real_start(["true"], **streams)
        process.wait()  # gone before the coach writes to it
        return process

    monkeypatch.setattr(listener_module, "start", gone_at_once)
    told: list[str] = []
    listener = listener_module.Listener("true", (), (), on_heard=lambda heard: None, on_fault=told.append)
    try:
        listener.start()
        deadline = time.monotonic() + 5
        while not told and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        listener.close()
    assert told == ["Listening is off: its worker stopped. Keys still work; listening is tried again at the next step."]
    assert listener.state == "Not listening"


def test_a_number_at_the_stop_question_over_a_check_in_answers_it_and_the_question_stays() -> None:
    """A walk pressed q at the pain question, then 8: in plain mode any key but y answered the stop question no,
    and the 8 was lost; said, "eight" was dropped behind the question. The number answers the check-in under it,
    typed or said, and the stop question still waits for its own answer; at pain_stop it stops for pain."""
    clock = FakeClock()
    session = _session(_program("pain_stop = 7"), clock)
    controls = Controls(Speaker(SilentEngine(), clock=clock))
    checkin = session.index
    ask = controls.key("q")
    assert ask is not None
    ask(session)
    typed = controls.key("3")
    assert typed is not None
    assert "Pain 3, noted." in _texts(typed(session))
    assert session.answers == [(checkin, 3)] and session.held and controls.asking_to_stop
    controls.spoken_answer("eight")(session)
    assert session.answers == [(checkin, 8)] and session.outcome == "pain"
