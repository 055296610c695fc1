"""A real speech-dispatcher and a real terminal screen reader (yasr) for tests, and what a person would hear.

`SpeechDispatcher` runs a private daemon (its own socket or loopback port,
config, log and pid file) whose voices are two output modules that log each
utterance instead of playing it: the time it began, the time it ended (no end
line: it was cut), who said it, and the text. Each lasts as long as espeak-ng
takes to say it, so queueing and cutting happen as they would aloud. The
module `screen-reader` answers to the name `espeak`, which yasr asks for;
every other client (the coach) gets the module `coach`.

`ScreenReader` runs yasr in a pseudo-terminal, reading a program's output
aloud through that daemon over TCP, as a blind user would hear it.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import os
import select
import signal
import socket
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from coach.speech.speechd import SpeechdEngine
from coach.speech.ssip import default_address
from tests.conftest import ROOT, require_tool
from tests.processes import alive, descendants

SAY = """#!/bin/sh
# $1: who speaks; $2: the text. A begin line, then as long as espeak-ng would speak, then an end line.
wav="{folder}/$$.wav"
printf '%s\\t%s\\tbegin\\t%s\\t%s\\n' "$(date +%s.%N)" $$ "$1" "$2" >> "{log}"
printf '%s' "$2" | espeak-ng --stdin -w "$wav" 2>/dev/null
seconds=$(soxi -D "$wav" 2>/dev/null || echo 0.3)
sleep "$(awk -v s="$seconds" 'BEGIN {{ print s * {slower} }}')"
rm -f "$wav"
printf '%s\\t%s\\tend\\t%s\\t%s\\n' "$(date +%s.%N)" $$ "$1" "$2" >> "{log}"
"""

MODULE = """GenericExecuteSynth "{say} {who} '$DATA'"
GenericDelimiters "~"
GenericMaxChunkLength 100000
AddVoice "en" "MALE1" "default"
GenericLanguage "en" "en" "utf-8"
"""

CONF = """{method}
LogLevel 5
AddModule "coach" "sd_generic" "coach.conf"
AddModule "espeak" "sd_generic" "screen-reader.conf"
DefaultModule "coach"
DefaultLanguage "en"
AudioOutputMethod "alsa"
AudioALSADevice "null"
"""


@dataclass
class Utterance:
    who: str  # "coach" or "screen-reader"
    text: str
    began: float  # time.time()
    ended: float | None  # None: cut off before its end
    pid: int = 0  # the shell that said it

    @property
    def cut(self) -> bool:
        return self.ended is None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class SpeechDispatcher:
    """A private speech-dispatcher; `address` goes in SPEECHD_ADDRESS for its clients."""

    def __init__(self, folder: Path, *, tcp: bool = False, slower: float = 1.0) -> None:
        daemon = require_tool("speech-dispatcher")
        require_tool("espeak-ng")
        require_tool("soxi")
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.spoken = folder / "spoken.tsv"
        self.log = folder / "speech-dispatcher.log"
        self.socket = folder / "speechd.sock"
        self.port = free_port() if tcp else None
        say = folder / "say.sh"
        say.write_text(SAY.format(folder=folder, log=self.spoken, slower=slower))
        say.chmod(0o755)
        (folder / "modules").mkdir(exist_ok=True)
        for who, name in (("coach", "coach.conf"), ("screen-reader", "screen-reader.conf")):
            (folder / "modules" / name).write_text(MODULE.format(say=say, who=who))
        if self.port is None:
            method = f'CommunicationMethod "unix_socket"\nSocketPath "{self.socket}"'
            where = ["-c", "unix_socket", "-S", str(self.socket)]
            self.address = f"unix_socket:{self.socket}"
        else:
            method = f'CommunicationMethod "inet_socket"\nPort {self.port}'
            where = ["-c", "inet_socket", "-p", str(self.port)]
            self.address = f"inet_socket:127.0.0.1:{self.port}"
        (folder / "speechd.conf").write_text(CONF.format(method=method))
        self.process = subprocess.Popen(
            [daemon, "-s", "-t", "0", "-C", str(folder), "-L", str(folder), "-P", str(folder / "pid"), *where],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its output modules go with it at `stop`
        )
        atexit.register(self.stop)  # even when a test stops before its own teardown
        deadline = time.monotonic() + 10
        while not self._listening():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"speech-dispatcher did not start: {self.log_text()[-2000:]}")
            time.sleep(0.02)

    def _listening(self) -> bool:
        """Whether the daemon takes connections: its socket's file is made as it binds, before it listens, and a
        client let in then was refused, and spawned a daemon of its own that failed (a CI run under load)."""
        if self.port is None:
            with socket.socket(socket.AF_UNIX) as probe:
                return probe.connect_ex(str(self.socket)) == 0
        with socket.socket() as probe:
            return probe.connect_ex(("127.0.0.1", self.port)) == 0

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def utterances(self) -> list[Utterance]:
        """What was said, in order of beginning; an utterance with no end line was cut."""
        said: list[Utterance] = []
        speaking: dict[str, Utterance] = {}  # by the speaking shell's process id
        lines = self.spoken.read_text(errors="replace").splitlines() if self.spoken.exists() else []
        for line in lines:
            moment, pid, event, who, text = line.split("\t", 4)
            if event == "begin":
                speaking[pid] = Utterance(who, text, float(moment), None, int(pid))
                said.append(speaking[pid])
            elif pid in speaking:
                speaking.pop(pid).ended = float(moment)
        return said

    def texts(self, who: str) -> list[str]:
        return [u.text for u in self.utterances() if u.who == who]

    def queued(self) -> list[tuple[str, int]]:
        """The daemon's own log: each text queued, with its priority (1 important ... 4 notification, 5 progress)."""
        found = []
        for line in self.log_text().splitlines():
            if "Queueing message |" in line:
                text, priority = line.split("Queueing message |", 1)[1].rsplit("| with priority ", 1)
                found.append((text, int(priority)))
        return found

    def queued_at(self, utterance: Utterance) -> float:
        """When the daemon queued `utterance`'s text (its log's clock), at the latest by its beginning.

        Its beginning is when the output module's shell started saying it, which a busy machine may delay
        by a tenth of a second and more after the daemon handed it over: a flush in between still cuts it.
        """
        marker = f"Queueing message |{utterance.text}|"
        queued = [moment for moment, text in self.stamped() if marker in text and moment <= utterance.began + 0.05]
        return max(queued, default=utterance.began)

    def stamped(self) -> list[tuple[float, str]]:
        """The daemon's log lines with their time (wall clock, as in the utterance log)."""
        found = []
        for line in self.log_text().splitlines():
            if not line.startswith("[") or " : " not in line[:40]:
                continue
            stamp, rest = line[1:].split("]", 1)
            when, micro = stamp.rsplit(" : ", 1)
            moment = time.mktime(time.strptime(when, "%a %b %d %H:%M:%S %Y")) + int(micro) / 1e6
            found.append((moment, rest.strip()))
        return found

    def commands(self) -> list[tuple[float, str, str]]:
        """Each SSIP command the daemon received: (time, client name, command), the text of SPEAK left out."""
        names: dict[str, str] = {}
        speaking: set[str] = set()
        found = []
        for moment, text in self.stamped():
            head, _, data = text.removeprefix("speechd:").strip().partition(":DATA:|")
            if not data or not head.isdigit():
                continue
            if head in speaking:
                if data == ".":
                    speaking.discard(head)
                continue
            if data.upper().startswith("SET SELF CLIENT_NAME"):
                names[head] = data.split()[-1]
            if data.upper() == "SPEAK":
                speaking.add(head)
            found.append((moment, names.get(head, head), data))
        return found

    def cancels_by(self, client: str) -> list[float]:
        """When the client whose name contains `client` sent CANCEL or STOP (for itself: its own flushes)."""
        return [
            moment
            for moment, name, command in self.commands()
            if client in name and command.upper().split()[0] in {"CANCEL", "STOP"}
        ]

    def quiet(self, settle: float = 0.5, limit: float = 60) -> None:
        """Wait until nothing is being said and nothing new began for `settle` s.

        An utterance with no end line is still being said while the shell saying it lives (a long
        line takes 10 s: judged by silence alone it once looked cut); once that shell is gone, it was cut.
        """
        deadline = time.monotonic() + limit
        before, unchanged_since = None, time.monotonic()
        while time.monotonic() < deadline:
            now = self.spoken.read_text() if self.spoken.exists() else ""
            if now != before:
                before, unchanged_since = now, time.monotonic()
            speaking = [u for u in self.utterances() if u.ended is None and _alive(u.pid)]
            if not speaking and time.monotonic() - unchanged_since >= settle:
                return
            time.sleep(0.1)
        raise AssertionError("speech-dispatcher never fell quiet")

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)


class ScreenReader:
    """yasr in a pseudo-terminal, running `argv` and reading its output through `daemon`."""

    def __init__(
        self, daemon: SpeechDispatcher, argv: list[str], *, env: dict[str, str] | None = None, columns: int = 80
    ) -> None:
        yasr = require_tool("yasr")
        assert daemon.port is not None, "yasr speaks to speech-dispatcher over TCP: start the daemon with tcp=True"
        folder = daemon.folder
        conf = Path("/etc/yasr/yasr.conf").read_text()
        conf = conf.replace("synthesizer port=127.0.0.1:6560", f"synthesizer port=127.0.0.1:{daemon.port}")
        (folder / "yasr.conf").write_text(conf)
        # yasr reads options of its own from its arguments: a script has none. As in a person's shell,
        # yasr stays after the program ends, so it says the program's last lines whole; the script
        # leaves the program's exit status in a file, off the screen.
        self.status_file = folder / "exit-status"
        self.status_file.unlink(missing_ok=True)
        program = folder / "program.sh"
        command = " ".join(_quote(part) for part in argv)
        status = _quote(str(self.status_file))
        # Then it waits for yasr to go (its parent): yasr gives the program a session of its own, so
        # killing yasr's process group would leave a plain `sleep` behind.
        stay = "while kill -0 $PPID 2>/dev/null; do sleep 0.2; done"
        program.write_text(f"#!/bin/sh\n{command}\necho $? > {status}\n{stay}\n")
        program.chmod(0o755)
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
        self.output = bytearray()
        self._closing = False
        self.process = subprocess.Popen(
            [yasr, "-C", str(folder / "yasr.conf"), str(program)],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            cwd=ROOT,
            env={**os.environ, "TERM": "xterm", "SHELL": "/bin/sh", "HOME": str(folder), **(env or {})},
            start_new_session=True,
        )
        os.close(slave)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while not self._closing:
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:
                    return
                if not chunk:
                    return
                self.output += chunk

    def text(self) -> str:
        return self.output.decode("utf-8", "replace").replace("\r", "")

    def wait_for(self, text: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.text():
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never appeared; the screen had: {self.text()[-1500:]}")
            time.sleep(0.02)

    def press(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def finish(self, timeout: float = 120) -> int:
        """Wait for the program to end (yasr stays, still reading); its exit status."""
        deadline = time.monotonic() + timeout
        while not self.status_file.exists() or not self.status_file.read_text().strip():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"the program did not end; the screen had: {self.text()[-1500:]}")
            time.sleep(0.05)
        return int(self.status_file.read_text())

    def close(self) -> None:
        # yasr gives the program a session of its own and leaks its pseudo-terminal's master into it, so the
        # program never gets the hangup when yasr dies: a failed picker test left a `coach` running for good.
        program = descendants(self.process.pid)
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)
        for pid in program:  # the hangup a closed terminal would have sent; then nothing is left
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGHUP)
        deadline = time.monotonic() + 5
        while any(alive(pid) for pid in program) and time.monotonic() < deadline:
            time.sleep(0.05)
        for pid in program:
            if alive(pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        self._closing = True
        self._reader.join(1)
        with contextlib.suppress(OSError):
            os.close(self.master)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - someone else's process took the number
        return True
    return True


def coach_argv(*args: str) -> list[str]:
    return [sys.executable, "-m", "coach", *args]


def _quote(part: str) -> str:
    return "'" + part.replace("'", "'\\''") + "'"


class OwnDaemonEngine(SpeechdEngine):
    """The speechd engine on a private daemon of its own, which it stops when closed (for engine-wide suites)."""

    def __init__(self, daemon: SpeechDispatcher) -> None:
        super().__init__(default_address({"SPEECHD_ADDRESS": daemon.address}))
        self.daemon = daemon

    def close(self) -> None:
        super().close()
        self.daemon.stop()


def speechd_subject(folder: Path) -> tuple[OwnDaemonEngine, Callable[[], int | None], Callable[[], None]]:
    """For tests/test_speech_conformance.py: the engine, the pid of the process saying its sentence, and
    how to break it as it breaks in the field (the daemon goes away)."""
    daemon = SpeechDispatcher(folder / "speechd")

    def playing() -> int | None:
        speaking = [u for u in daemon.utterances() if u.who == "coach"]
        return speaking[0].pid if speaking else None

    return OwnDaemonEngine(daemon), playing, daemon.stop
