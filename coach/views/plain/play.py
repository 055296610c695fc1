"""Plain mode: one appended line per event, for screen readers, braille and pipes.

Nothing is ever redrawn: no colour, no cursor movement, no carriage returns.
Each line is the sentence that is spoken, escaped so that program text can
never reach the terminal as a control sequence. Speech runs beside it on
the speaker's own thread; what the speaker has to say about itself (a
missing engine) arrives through the inbox and is written like any event.
"""

from __future__ import annotations

import errno
import os
import sys
import threading
from collections.abc import Callable
from contextlib import ExitStack
from typing import TextIO

from coach.program.text import one_line
from coach.session.clock import Clock, MonotonicClock
from coach.session.drive import Command, Inbox, drive
from coach.session.engine import Event, Session, SessionLog
from coach.session.outcome import Outcome
from coach.speech.engine import Engine
from coach.speech.engines import SilentEngine
from coach.speech.speaker import GOES_ON_IN_TEXT, WARM_LIMIT, Record, Speaker
from coach.speech.voicing import Voicing
from coach.timeline import Timeline, estimate
from coach.timeline.estimate import slowness
from coach.views.controls import KEYS, WORD_GAP, Controls, short_help
from coach.views.listening import Listening
from coach.views.plain.keys import KeyReader, cbreak, ending_signals, is_terminal, read_words
from coach.views.plain.wrapping import fit

LAST_WORDS = frozenset({"complete", "stopped"})  # a session's closing words, after which x is still pain


def play_plain(
    timeline: Timeline,
    *,
    out: TextIO | None = None,
    keys: TextIO | None = None,
    clock: Clock | None = None,
    inbox: Inbox | None = None,
    engine: Engine | None = None,
    voice: str | None = None,
    on_spoken: Callable[[Record], None] = lambda record: None,
    log: SessionLog | None = None,
    listen: str | None = None,
    tones: bool = False,
) -> Outcome:
    """Play `timeline` as lines on `out`, spoken by `engine`, controlled from `keys`; returns how it ended.

    `keys` is a terminal (single keys) or a pipe (words, one per line), or None for no controls.
    `on_spoken` hears what became of each utterance (said, cut, dropped), from the speaker's thread.
    `log` records the session as it goes (the history).
    `listen`, when not None, also takes spoken commands: the recorder's template, or "" for the default one.
    `tones` plays a tone at each clock's zero (when the timeline has them), and beeps for counts with no voice.
    SIGTERM and SIGHUP stop the session and then exit with 128 + the signal's number.
    """
    stream = out or sys.stdout
    clock = clock or MonotonicClock()
    inbox = inbox or Inbox()
    writing = threading.Lock()

    def write_line(text: str) -> None:
        with writing:
            if stream.closed:
                return
            try:
                stream.write(fit(one_line(text), stream) + "\n")
                stream.flush()
            except OSError as error:  # the reader went away (`| head`) or the terminal hung up: speech goes on
                if not isinstance(error, BrokenPipeError) and error.errno != errno.EIO:
                    raise  # anything else is not an end of the output, and is not hidden
                _silence(stream)

    def notice(text: str) -> None:
        inbox.put(lambda session: session.notice(text))

    speaker = Speaker(
        engine or SilentEngine(),
        clock=clock,
        rate=timeline.rate,
        voice=voice,
        on_notice=notice,
        on_done=on_spoken,
        failure_note=GOES_ON_IN_TEXT,
        tones=tones,
        language=timeline.language,
    )
    voicing = Voicing.of(speaker)
    controls = Controls(speaker, timeline.language)
    ended_by: list[int] = []

    def end_by_signal(signum: int) -> None:
        ended_by.append(signum)
        inbox.put_from_signal(Session.stop)

    listening = Listening(listen, controls, speaker, inbox.put, clock) if listen is not None else None

    last_words: list[Event] = []
    warmed = threading.Event()  # the voice is ready, or given up on: the session may begin

    def show_and_say(event: Event) -> None:
        if event.kind in LAST_WORDS:
            last_words[:] = [event]
        if event.text:  # a tone has none: it is heard, not read
            write_line(event.text)
        speaker.say(event)
        if listening is not None:
            listening.saw(event)

    speaker.start()
    inbox.listen_for_signals()
    with ExitStack() as stack:
        stack.callback(inbox.stop_listening)
        stack.callback(speaker.close)
        stack.enter_context(ending_signals(end_by_signal))
        if listening is not None:
            listening.start()
            stack.callback(listening.close)
        if keys is not None and is_terminal(keys):
            stack.enter_context(cbreak(keys.fileno(), on_suspend=lambda: inbox.put_from_signal(_pause_at(clock.now()))))
            reader = KeyReader(
                keys.fileno(),
                lambda key: _post(inbox, controls.typed(key)),
                quiet=(WORD_GAP, lambda: _post(inbox, controls.quiet())),
            )
            reader.start()
            stack.callback(reader.stop)
            write_line(short_help(KEYS, timeline.language))
        elif keys is not None:

            def input_ended() -> None:
                # Told once the voice is ready: an empty input's end, told at once, woke the session as a key
                # does and cut the voice's warming short (CI: "Getting the voice ready" before a pyttsx3 session).
                warmed.wait()
                _post(inbox, controls.ended())

            words = threading.Thread(
                target=read_words, args=(keys, lambda line: _post(inbox, controls.word(line)), input_ended), daemon=True
            )
            words.start()
        if listening is not None:  # what may be said, beside the keys: not only for who asks "coach help"
            write_line(controls.spoken_help)
        speaker.wait_ready(WARM_LIMIT)
        speaker.use_language(timeline.language)
        if voicing is not None:
            voicing.warm(timeline, write_line, interrupted=inbox.wake.is_set)
        warmed.set()
        session = Session(timeline, clock, log, voicing)
        session.typed = keys is not None and not is_terminal(keys)  # words from a pipe: no Space to press
        try:
            drive(session, show_and_say, inbox)
            # As long as the last words take to say, even unsaid (no voice): a walk's x, pressed as "Session complete."
            # appeared, found the coach gone with no voice, and the session recorded as completed.
            # With no input at all no x can come, nor after a signal ended it (a closed window): no wait then.
            heard = (keys is not None or listening is not None) and not ended_by
            said_by = _said_by(last_words, speaker.rate, timeline.language) if heard else 0.0
            _while_said(speaker, session, inbox, show_and_say, said_by)
        except KeyboardInterrupt:  # Ctrl-C: say nothing more, note it, give the terminal back
            speaker.cancel()
            for event in session.stop():
                write_line(event.text)
            raise
        speaker.finish()
    if ended_by:
        raise SystemExit(128 + ended_by[0])
    assert session.outcome is not None
    return session.outcome


def _while_said(
    speaker: Speaker, session: Session, inbox: Inbox, sink: Callable[[Event], None], said_by: float
) -> None:
    """The session is over as its last words begin; while they are said, and at least until `said_by` on the
    session's clock (as long as they take to say), x still stops for pain, as on the player's last screen.
    Nothing else is shown after them: other keys have nothing left to act on, and news of the voice ("The
    voice works again.") would come after the pain stop's advice, the line that matters."""
    finishing = threading.Thread(target=speaker.finish, name="finish", daemon=True)
    finishing.start()
    while finishing.is_alive() or (session.outcome != Outcome.PAIN and session.clock.now() < said_by):
        if finishing.is_alive():
            inbox.wake.wait(0.05)
        else:
            session.clock.wait_until(said_by, inbox.wake)
        for command in inbox.drain():
            events = command(session)
            if any(event.kind == "pain_stop" for event in events):
                for event in events:
                    sink(event)


def _said_by(last_words: list[Event], rate: int, language: str) -> float:
    """When the last words would be said to their end, on the session's clock (0 when there were none)."""
    return max((event.at + estimate(event.text, rate, slowness(language)) for event in last_words), default=0.0)


def _silence(stream: TextIO) -> None:
    """Point a broken output at /dev/null, so that nothing fails on writing to it again, even at exit."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())
    except (OSError, ValueError):
        stream.close()


def _pause_at(moment: float) -> Command:
    """Pause at `moment`, though the command runs later: Ctrl-Z stops the process before the loop sees it."""
    return lambda session: session.pause(at=moment)


def _post(inbox: Inbox, command: Command | None) -> None:
    if command is not None:
        inbox.put(command)
