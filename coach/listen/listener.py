"""The coach's side of listening: start the worker, read what it heard, tell a fault once, try again later.

Everything that can hang or crash (the microphone, pocketsphinx) is in the
worker's process (`coach.listen.worker`); here a thread only reads its JSON
lines and hands them on. The worker's process group is listed with the
reaper, so a coach killed outright still leaves no recorder behind.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from coach.i18n import N_
from coach.listen import INSTALL_ADVICE, KEYS_STILL_WORK, NAMED_RECORDER_ADVICE
from coach.listen.recorder import NO_RECORDER, recorder_argv
from coach.speech.reaper import REAPER, start


@dataclass(frozen=True)
class Heard:
    """What the worker heard, with its moments on the monotonic clock."""

    kind: str  # "command", "answer", "unknown", "unsure" or "other" (`coach.listen.recognizer.Heard`)
    phrase: str
    confidence: float
    began: float
    ended: float


WORKED_FOR = 30.0  # seconds listening must last before a fault is told again, as a new outage


class Listener:
    """One listening worker at a time, for one session or one microphone check."""

    now: Callable[[], float] = staticmethod(time.monotonic)

    def __init__(
        self,
        template: str | None,
        commands: tuple[str, ...],
        answers: tuple[str, ...],
        *,
        on_heard: Callable[[Heard], None],
        on_fault: Callable[[str], None],
    ) -> None:
        self._argv = recorder_argv(template)
        # A recorder the person named is theirs to check; advice to install arecord would send them elsewhere.
        advice = NAMED_RECORDER_ADVICE if template else INSTALL_ADVICE
        request = {"recorder": self._argv, "advice": advice, "commands": commands, "answers": answers}
        self._request = json.dumps(request)
        self._on_heard, self._on_fault = on_heard, on_fault
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._told = False  # a fault has been told and listening has not worked (WORKED_FOR) since
        self._ready_at: float | None = None  # when the worker last said it is ready
        self.listening = False  # the worker said it is ready and has not failed since
        self._closed = False

    def start(self) -> None:
        """Start the worker, unless one is running; a fault is told once per outage."""
        with self._lock:
            if self._closed or (self._process is not None and self._process.poll() is None):
                return
            if self._argv is None:
                self._fault(NO_RECORDER)
                return
            try:
                argv = [sys.executable, "-m", "coach.listen.worker"]
                process = start(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            except OSError as error:
                self._fault(f"Listening is off: its worker could not start ({error.strerror}). {KEYS_STILL_WORK}")
                return
            REAPER.watch(process.pid)
            assert process.stdin is not None
            try:
                process.stdin.write(self._request.encode() + b"\n")
                process.stdin.flush()
            except OSError:  # gone already (a broken install, a kill): its reader finds its output over, and tells
                pass  # the fault; raised, it ended the session's start with a traceback
            self._process = process
            threading.Thread(target=self._read, args=(process,), name="listener", daemon=True).start()

    @property
    def state(self) -> str:
        """ "Listening", "Not listening" (after a fault, until it works again) or "Starting to listen"."""
        if self.listening:
            return N_("Listening")
        return N_("Not listening") if self._told or self._argv is None else N_("Starting to listen")

    def retry(self) -> None:
        """At a new step: start again if listening has stopped."""
        if not self.listening:
            self.start()

    def close(self) -> None:
        """End the worker and its recorder; nothing is left behind."""
        with self._lock:
            self._closed = True
            process, self._process = self._process, None
        if process is not None:
            _end(process)

    def _read(self, process: subprocess.Popen[bytes]) -> None:
        assert process.stdout is not None
        # Closed here, by the one thread that reads it: closed by `close` from another thread in the middle of a
        # read, it raised in this thread ("PyMemoryView_FromBuffer(): info->buf must not be NULL"), and the
        # traceback was printed over the player. Killed, the worker's end of the pipe closes and the loop ends.
        with process.stdout:
            for line in process.stdout:
                self._take(line)
        # Its output ended with no fault told: the worker died (a bug, a kill). Said, not waited on for ever: a
        # walk's `coach listen` hung, its worker gone on an error, "Listening." the last word.
        with self._lock:
            if not self._closed and self._process is process:
                self._fault(f"Listening is off: its worker stopped. {KEYS_STILL_WORK}")
        self.listening = False
        _end(process)

    def _take(self, line: bytes) -> None:
        try:
            message = json.loads(line)
        except ValueError:
            return
        event = message.get("event")
        if event == "ready":
            self.listening, self._ready_at = True, self.now()
        elif event == "heard":
            self._on_heard(
                Heard(message["kind"], message["phrase"], message["confidence"], message["began"], message["ended"])
            )
        elif event == "fault":
            with self._lock:
                self._fault(message["text"])

    def _fault(self, text: str) -> None:
        # Told once per outage: a recorder that gives a few seconds of sound and then exits (a walk's) is started
        # again at each step, says it is ready, and fails again: that is one outage, not one a step, each said.
        worked = self.listening and self._ready_at is not None and self.now() - self._ready_at >= WORKED_FOR
        self.listening = False
        if worked:
            self._told = False
        if not self._told and not self._closed:
            self._told = True
            self._on_fault(text)


def _end(process: subprocess.Popen[bytes]) -> None:
    """Kill the worker's process group and reap it; its output is left to the thread that reads it."""
    with contextlib.suppress(OSError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(OSError, ValueError):
        if process.stdin is not None:
            process.stdin.close()
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=2)
    REAPER.forget(process.pid)
