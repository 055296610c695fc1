"""The loop that plays a session in real time: wait for the next deadline or a key, then act.

Views and speech are plain callables that receive each event; keys arrive
through an `Inbox` from whichever thread reads them. With a `FakeClock` the
same loop runs a 20-minute program in milliseconds.
"""

from __future__ import annotations

import os
import queue
import signal
import threading
from collections.abc import Callable

from coach.session.engine import Event, Session
from coach.session.outcome import Outcome

Command = Callable[[Session], list[Event]]
Sink = Callable[[Event], None]


class Inbox:
    """Commands from a key reader, and the event that wakes the loop for them."""

    def __init__(self) -> None:
        self.commands: queue.SimpleQueue[Command] = queue.SimpleQueue()
        self.wake = threading.Event()

    def put(self, command: Command) -> None:
        self.commands.put(command)
        self.wake.set()

    def listen_for_signals(self) -> None:
        """Make ready for `put_from_signal`: a pipe, and a thread that turns a byte on it into a wake-up.

        The kernel may give a process's signal to any of its threads, and CPython runs the handler only in the
        main thread, once it runs again: a loop waiting with nothing scheduled (paused) never did, and SIGTERM
        was lost. So every signal with a handler also writes to the pipe (`signal.set_wakeup_fd`, whichever
        thread takes it), which wakes the loop, and the handler runs.
        """
        self._signals_read, self._signals_write = os.pipe()
        self._wakeup: int | None = None
        if threading.current_thread() is threading.main_thread():
            os.set_blocking(self._signals_write, False)
            self._wakeup = signal.set_wakeup_fd(self._signals_write)
        threading.Thread(target=self._relay_signals, name="signals", daemon=True).start()

    def put_from_signal(self, command: Command) -> None:
        """`put` for a signal handler, which must take no lock: `Event.set` takes one, and the code the signal
        interrupted may hold it (SIGHUP arriving while Ctrl-Z's handler posted its pause hung a coach for good).
        SimpleQueue.put is reentrant, and a write to a pipe takes no lock; the relay thread sets the event."""
        self.commands.put(command)
        os.write(self._signals_write, b"x")

    def stop_listening(self) -> None:
        if self._wakeup is not None:
            signal.set_wakeup_fd(self._wakeup)
        os.close(self._signals_write)  # the relay reads the end of the pipe and stops

    def _relay_signals(self) -> None:
        while os.read(self._signals_read, 64):
            self.wake.set()
        os.close(self._signals_read)

    def put_back(self, commands: list[Command]) -> None:
        """`commands`, drained but not run, back in the inbox ahead of any that came since."""
        if commands:  # and with none, no wake-up: a loop woken for nothing never waits (a fake clock stands still)
            for command in commands + self.drain():
                self.put(command)

    def drain(self) -> list[Command]:
        self.wake.clear()
        drained: list[Command] = []
        while True:
            try:
                drained.append(self.commands.get_nowait())
            except queue.Empty:
                return drained


def drive(session: Session, sink: Sink, inbox: Inbox | None = None) -> Outcome:
    """Play `session` to its end, sending every event to `sink`; returns how it ended."""
    inbox = inbox or Inbox()
    if session.index < 0:
        session.start()
    while True:
        for event in session.due():
            sink(event)
        if session.finished:
            break
        session.clock.wait_until(session.next_deadline(), inbox.wake)
        commands = inbox.drain()
        while commands and not session.finished:
            for event in commands.pop(0)(session):
                sink(event)
        # Those after the end are the view's, for its last words (only x acts there): a walk's pipe ended on "q",
        # "yes", and its end, read in one turn, said "Going on." after "Session stopped.".
        inbox.put_back(commands)
    assert session.outcome is not None
    return session.outcome
