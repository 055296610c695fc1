"""Engines that start one process per utterance: espeak-ng and the user's own command.

A process per sentence is the simplest thing that can be cut off at once:
killing its process group ends the synthesiser and any audio player it
started. No shell is ever involved; program text is one argument (or the
standard input) of the command. What the process prints goes nowhere.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import subprocess
import threading

from coach.speech.advice import install_advice
from coach.speech.engine import SpeechFailed, Voice, hang_limit
from coach.timeline import Priority, estimate

_PLACEHOLDER = re.compile(r"\{(text|rate|voice)\}")  # one pass, so a {rate} inside the text stays text


def kill_group(process: subprocess.Popen[bytes]) -> None:
    """End a process and whatever it started (an audio player), now."""
    try:
        if hasattr(os, "killpg"):
            os.killpg(process.pid, signal.SIGKILL)
        else:  # pragma: no cover - Windows has no process groups of this kind
            process.kill()
    except (ProcessLookupError, PermissionError):
        pass


class ProcessEngine:
    """The shared machinery: start, wait with a limit, cut by killing the group."""

    name = "process"

    def __init__(self, program: str) -> None:
        self.program = program  # what must be on PATH for this engine to speak
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None

    def command(self, text: str, *, rate: int, voice: str | None, priority: Priority) -> tuple[list[str], str | None]:
        """The argument list, and the text for standard input if it is not an argument."""
        raise NotImplementedError

    def missing(self, program: str) -> str:
        return f"Speech is off: the program {program} was not found."

    def prepare(self, voice: str | None) -> str | None:
        if shutil.which(self.program) is None:
            raise SpeechFailed(self.missing(self.program))
        return voice

    def speak(
        self, text: str, *, rate: int, voice: str | None, priority: Priority, cancelled: threading.Event
    ) -> None:
        argv, stdin_text = self.command(text, rate=rate, voice=voice, priority=priority)
        with self._lock:
            if cancelled.is_set():
                return
            try:
                process = subprocess.Popen(
                    argv,
                    stdin=subprocess.PIPE if stdin_text is not None else subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    start_new_session=True,
                )
            except FileNotFoundError:
                raise SpeechFailed(self.missing(argv[0])) from None
            except OSError as error:
                raise SpeechFailed(f"Speech is off: {argv[0]} could not be started ({error.strerror}).") from None
            self._process = process
        try:
            if stdin_text is not None and process.stdin is not None:
                try:
                    process.stdin.write(stdin_text.encode())
                    process.stdin.close()
                except OSError:
                    pass
            limit = hang_limit(estimate(text, rate))
            try:
                status = process.wait(timeout=limit)
            except subprocess.TimeoutExpired:
                kill_group(process)
                process.wait()
                raise SpeechFailed(f"Speech is off: {argv[0]} did not finish within {limit:.0f} seconds.") from None
        finally:
            with self._lock:
                self._process = None
        if status != 0 and not cancelled.is_set():
            raise SpeechFailed(f"Speech is off: {argv[0]} stopped with exit status {status}.")

    def cut(self) -> None:
        with self._lock:
            if self._process is not None:
                kill_group(self._process)

    def voices(self) -> list[Voice]:
        return []

    def _listing(self, argv: list[str]) -> subprocess.CompletedProcess[str]:
        try:
            return subprocess.run(argv, capture_output=True, text=True, timeout=10, check=False)
        except FileNotFoundError:
            raise SpeechFailed(self.missing(argv[0])) from None
        except subprocess.TimeoutExpired:
            raise SpeechFailed(f"Speech is off: {argv[0]} did not list its voices within 10 seconds.") from None

    def close(self) -> None:
        self.cut()


class EspeakEngine(ProcessEngine):
    """The espeak-ng program, with the text on its standard input so that no word reads as an option."""

    name = "espeak"

    def __init__(self) -> None:
        super().__init__(shutil.which("espeak-ng") or shutil.which("espeak") or "espeak-ng")

    def missing(self, program: str) -> str:
        return install_advice("Speech is off: the espeak-ng program is not installed.")

    def command(self, text: str, *, rate: int, voice: str | None, priority: Priority) -> tuple[list[str], str | None]:
        return [self.program, "-s", str(rate), *(["-v", voice] if voice else []), "--stdin"], text

    def prepare(self, voice: str | None) -> str | None:
        voice = super().prepare(voice)
        if voice is None:
            return None
        probe = subprocess.run([self.program, "-q", "-v", voice, "x"], capture_output=True, timeout=10, check=False)
        return voice if probe.returncode == 0 else None

    def voices(self) -> list[Voice]:
        listing = self._listing([self.program, "--voices"])
        found = []
        for line in listing.stdout.splitlines()[1:]:
            columns = line.split()
            if len(columns) >= 5:
                found.append(Voice(id=columns[1], name=columns[3].replace("_", " "), languages=columns[1]))
        return found


class CommandEngine(ProcessEngine):
    """The user's own speech program, from an argument template with {text}, {rate} and {voice}.

    Without {text} in the template the text goes to the command's standard input.
    """

    name = "command"

    def __init__(self, template: str) -> None:
        self.template = parse_template(template)
        super().__init__(self.template[0])

    def missing(self, program: str) -> str:
        return f"Speech is off: the speech command {program} was not found."

    def command(self, text: str, *, rate: int, voice: str | None, priority: Priority) -> tuple[list[str], str | None]:
        values = {"text": text, "rate": str(rate), "voice": voice or ""}
        argv = [_PLACEHOLDER.sub(lambda found: values[found.group(1)], argument) for argument in self.template]
        has_text = any("{text}" in argument for argument in self.template)
        return argv, None if has_text else text


def parse_template(template: str) -> list[str]:
    """Split a --speech-command as a shell would, without ever running a shell; ValueError if unusable."""
    try:
        argv = shlex.split(template)
    except ValueError as error:
        raise ValueError(f"--speech-command: {error}") from None
    if not argv:
        raise ValueError("--speech-command is empty; give a program and its arguments, with {text} for the sentence")
    return argv
