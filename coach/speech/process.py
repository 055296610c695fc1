"""Engines that start one process per utterance (the user's own command), and the machinery espeak-ng's
renderer and the audio output share.

A process per sentence is the simplest thing that can be cut off at once:
killing its process group ends the synthesiser and any audio player it
started. The group is ended after every sentence too, so that a command that
leaves a child in the background leaves nothing behind, and the reaper
(`coach.speech.reaper`) ends it if the coach is killed. No shell is ever
involved; program text is one argument (or the standard input) of the
command. What the process prints goes nowhere.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import subprocess
import threading

from coach.errors import UsageError
from coach.speech.engine import SpeechFailed, Voice, hang_limit
from coach.speech.reaper import REAPER, start
from coach.timeline import Priority, estimate

_PLACEHOLDER = re.compile(r"\{(text|rate|voice)\}")  # one pass, so a {rate} inside the text stays text


def _wait_unreaped(process: subprocess.Popen[bytes]) -> None:
    """Wait for `process` to end but leave it unreaped, so that its group id cannot be reused before we kill it."""
    if hasattr(os, "waitid"):
        while True:
            try:
                os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOWAIT)
                return
            except InterruptedError:  # pragma: no cover - Python retries these itself
                continue
            except ChildProcessError:  # already reaped
                return
    process.wait()  # pragma: no cover - no waitid here


def _ended(process: subprocess.Popen[bytes]) -> bool:
    """Whether `process` has ended, asked without reaping it (its group id must not be reused yet)."""
    if hasattr(os, "waitid"):
        try:
            return os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
        except ChildProcessError:
            return True
    return process.poll() is not None  # pragma: no cover - no waitid here


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
        REAPER.start()
        return voice

    def speak(self, text: str, *, rate: int, voice: str | None, priority: Priority, cancelled: threading.Event) -> None:
        argv, stdin_text = self.command(text, rate=rate, voice=voice, priority=priority)
        data = stdin_text.encode() if stdin_text is not None else None
        status, _ = self._run(argv, data, cancelled, hang_limit(estimate(text, rate)))
        if status not in (None, 0) and not cancelled.is_set():
            raise SpeechFailed(f"Speech is off: {argv[0]} stopped with exit status {status}.")

    def _run(
        self, argv: list[str], data: bytes | None, cancelled: threading.Event, limit: float, *, keep: str = ""
    ) -> tuple[int | None, bytes]:
        """Run `argv` in a group of its own with `data` on its standard input, and end the group after it.

        Returns its exit status (None if `cancelled` was set before it could start) and what it
        wrote on the stream `keep` names ("stdout" or "stderr"; the other streams go nowhere).
        SpeechFailed if it cannot start or runs past `limit` seconds.
        """
        with self._lock:
            if cancelled.is_set():
                return None, b""
            try:
                process = start(
                    argv,
                    stdin=subprocess.PIPE if data is not None else subprocess.DEVNULL,
                    stdout=subprocess.PIPE if keep == "stdout" else subprocess.DEVNULL,
                    stderr=subprocess.PIPE if keep == "stderr" else subprocess.DEVNULL,
                )
            except FileNotFoundError:
                raise SpeechFailed(self.missing(argv[0])) from None
            except OSError as error:
                raise SpeechFailed(f"Speech is off: {argv[0]} could not be started ({error.strerror}).") from None
            self._process = process
        REAPER.watch(process.pid)
        timed_out = threading.Event()

        def give_up() -> None:
            if _ended(process):  # it finished while the coach itself was stopped (Ctrl-Z): not a hang
                return
            timed_out.set()
            kill_group(process)

        hung = threading.Timer(limit, give_up)
        hung.start()
        kept = b""
        try:
            if data is not None and process.stdin is not None:
                try:
                    process.stdin.write(data)
                    process.stdin.close()
                except OSError:
                    pass  # it stopped reading: it failed, or it was cut; its status says which
            stream = process.stdout if keep == "stdout" else process.stderr if keep == "stderr" else None
            if stream is not None:
                kept = stream.read()
                stream.close()
            _wait_unreaped(process)
        finally:
            hung.cancel()
            kill_group(process)  # what it left running in its group, a background child, ends with it
            REAPER.forget(process.pid)  # before the reaping below frees the group's number for reuse
            status = process.wait()
            with self._lock:
                self._process = None
        if timed_out.is_set() and not cancelled.is_set():
            raise SpeechFailed(f"Speech is off: {argv[0]} did not finish within {limit:.0f} seconds.")
        return status, kept

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


class CommandEngine(ProcessEngine):
    """The user's own speech program, from an argument template with {text}, {rate} and {voice}.

    Without {text} in the template the text goes to the command's standard input.
    """

    name = "command"

    def __init__(self, template: str) -> None:
        self.template = parse_template(template)
        super().__init__(self.template[0])
        self.caution = shell_caution(self.template)  # the speaker tells it once, before the first sentence

    def missing(self, program: str) -> str:
        return f"Speech is off: the speech command {program} was not found."

    def command(self, text: str, *, rate: int, voice: str | None, priority: Priority) -> tuple[list[str], str | None]:
        values = {"text": text, "rate": str(rate), "voice": voice or ""}
        argv = [_PLACEHOLDER.sub(lambda found: values[found.group(1)], argument) for argument in self.template]
        has_text = any("{text}" in argument for argument in self.template)
        return argv, None if has_text else text


def parse_template(
    template: str,
    option: str = "--speech-command",
    wanted: str = "a program and its arguments, with {text} for the sentence",
) -> list[str]:
    """Split a command template (--speech-command, --listen-command) as a shell would, without ever running a
    shell; UsageError if unusable."""
    try:
        argv = shlex.split(template)
    except ValueError as error:
        raise UsageError(f"{option}: {error}") from None
    if not argv:
        raise UsageError(f"{option} is empty; give {wanted}")
    return argv


SHELLS = frozenset({"sh", "bash", "dash", "zsh", "ksh", "mksh", "ash", "yash", "fish"})
SHELL_CAUTION = (
    "Warning: your --speech-command gives {text} to a shell inside its -c script, so a quote, $( ) or ; "
    "in a program's text would run as a command. Pass the text as an argument instead, for example: "
    "sh -c 'espeak-ng \"$1\"' sh {text}"
)


def shell_caution(argv: list[str]) -> str | None:
    """A warning if the template runs a shell whose -c script holds {text}: program text would become code.

    The coach itself never runs a shell; a template that does so is the user's choice, and a safe
    one passes the text as the script's argument ("$1"), where the shell never reads it as code.
    """
    if os.path.basename(argv[0]) not in SHELLS:
        return None
    for index, argument in enumerate(argv[1:], start=1):
        if argument == "--" or not argument.startswith("-"):
            return None  # a script file, or no -c before the operands
        if not argument.startswith("--") and "c" in argument[1:]:  # -c, -ec, -xc …
            script = next((operand for operand in argv[index + 1 :] if not operand.startswith("-")), "")
            return SHELL_CAUTION if "{text}" in script else None
    return None
