"""`coach listen`: a microphone check, so a person can try their microphone and their voice before a session.

It prints, and says in plain words, each command it hears with the
recognizer's confidence; bare answers too, since at a check-in they count;
and what it was not sure of, which a session would take for nothing.
Ctrl-C ends it. What it hears does nothing: there is no session. Unlike a
session, it says "coach" itself ("Heard: coach pause"), so what it hears
while it speaks, or just after, is taken for its own voice and dropped.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable

from coach.listen import KEYS_STILL_WORK
from coach.listen.listener import Heard, Listener
from coach.session.clock import MonotonicClock
from coach.session.engine import Event
from coach.speech.speaker import Speaker
from coach.timeline import Priority
from coach.views.controls import SPOKEN
from coach.views.listening import ANSWERS, ECHO_MARGIN
from coach.views.plain.keys import ending_signals

# The longest the check waits at a time. The kernel may give Ctrl-C to any of its threads, and CPython runs the
# handler only in the main thread, once it runs again: waiting with no limit, the check never ended.
SIGNAL_CHECK = 0.25
STARTING = 5.0  # the longest the introduction waits for the recognizer to load and the first sound to arrive

INTRO = (
    'Listening. Say "coach" and a command, such as "coach pause" or "coach help"; or an answer, such as "seven". '
    "Wait each time until I have finished speaking: I do not hear you while I talk. Press Ctrl-C to end."
)


def check_microphone(template: str | None, speaker: Speaker, write: Callable[[str], None]) -> int:
    """Listen until Ctrl-C, then 0; 1 when listening failed (the reason is written and said), 128 + a signal that
    ended it (SIGTERM, SIGHUP: the terminal closed)."""
    clock = MonotonicClock()
    failed = threading.Event()
    ended_by: list[int] = []

    def tell(text: str) -> None:
        write(text)
        speaker.say(Event(clock.now(), text, Priority.ANNOUNCE, "check", 0, 0))

    def heard(item: Heard) -> None:
        quiet_since = speaker.quiet_since()
        if quiet_since is None or item.began < quiet_since + ECHO_MARGIN:
            return  # its own "Heard: coach pause", through the speakers
        if item.kind == "unsure":  # a session takes it for nothing: say so, so the person tries again. Not
            # what it was unsure of: that is its wrong guess as often as not ("coach repeat" for "coach next").
            tell("Not sure what you said: a session would do nothing. Say it again.")
            return
        if item.kind == "other":  # a walk said a British "nine", heard as no number, and the check said nothing
            tell('Heard you, but not a command or a number: a session would do nothing. Commands start with "coach".')
            return
        what = f"coach {item.phrase}" if item.kind == "command" else item.phrase or "coach, and something unknown"
        tell(f"Heard: {what} (confidence {item.confidence:.0%}).")

    def end(signum: int) -> None:
        ended_by.append(signum)
        failed.set()

    def fault(text: str) -> None:
        tell(text.replace(f" {KEYS_STILL_WORK}", ""))  # there is no session here
        failed.set()

    listener = Listener(template, tuple(SPOKEN), ANSWERS, on_heard=heard, on_fault=fault)
    speaker.start()
    speaker.wait_ready(15)
    try:
        with ending_signals(end):
            listener.start()
            # "Listening." only once it is: a walk saw it said just before "Listening is off: no recorder
            # program". A recorder that fails does so at once; one that hangs is told later, when it has.
            deadline = clock.now() + STARTING
            while not (listener.listening or failed.wait(SIGNAL_CHECK / 5)) and clock.now() < deadline:
                pass
            if not failed.is_set():
                tell(INTRO)
            while not failed.wait(SIGNAL_CHECK):
                pass
        if ended_by:  # Ctrl-C is how a check ends: a success, unlike Ctrl-C in a session
            return 0 if ended_by[0] == signal.SIGINT else 128 + ended_by[0]
        speaker.finish()
        return 1
    except KeyboardInterrupt:  # Ctrl-C is how a check ends: a success, unlike Ctrl-C in a session
        return 0
    finally:
        listener.close()
        speaker.close()
