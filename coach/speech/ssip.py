"""A small SSIP client: one connection of the coach's own to speech-dispatcher, with message events.

`spd-say` opens a connection per sentence, so the only way it can silence a
sentence is `--cancel`, which cancels every client's speech, the screen
reader's too. One connection for the whole session lets the coach say
`CANCEL SELF`, and hear, for each of its own messages, when it began, ended
or was cancelled (SSIP's event notifications), which no estimate can tell.

SSIP is plain text over a socket: a command is one line ending in CR LF; a
reply is lines `CCC-data` ended by `CCC text`. Replies 700-799 are events
that may arrive at any time; a reader thread sorts them from the replies to
commands. Every operation has a time limit, so a daemon that accepts the
connection and then never answers costs seconds, never the session.
"""

from __future__ import annotations

import contextlib
import os
import queue
import shutil
import socket
import subprocess
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ANSWER_LIMIT = 3.0  # seconds a command may wait for its reply: a busy machine answers within it, a hung daemon never
SPAWN_LIMIT = 5.0  # seconds `speech-dispatcher --spawn` may take to start the daemon
INSTALL = "On Debian or Ubuntu: sudo apt install speech-dispatcher"


class SSIPError(Exception):
    """speech-dispatcher cannot be reached, did not answer, or refused; the message says so in plain words."""


@dataclass(frozen=True)
class Address:
    """Where the daemon listens: a UNIX socket path, or a host and port."""

    path: str | None = None
    host: str = "127.0.0.1"
    port: int = 6560

    def __str__(self) -> str:
        return self.path if self.path is not None else f"{self.host}:{self.port}"


def default_address(environ: dict[str, str] | None = None) -> Address:
    """SPEECHD_ADDRESS as libspeechd reads it, else the per-user socket libspeechd uses."""
    env = dict(os.environ) if environ is None else environ
    given = env.get("SPEECHD_ADDRESS", "").strip()
    method, _, rest = given.partition(":")
    if method == "inet_socket":
        host, _, port = rest.partition(":")
        try:
            return Address(host=host or "127.0.0.1", port=int(port) if port else 6560)
        except ValueError:
            raise SSIPError(f"Speech is off: SPEECHD_ADDRESS has a port that is not a number: {given!r}.") from None
    if method == "unix_socket" and rest:
        return Address(path=rest)
    if given and method not in {"unix_socket", "inet_socket"}:
        raise SSIPError(
            f"Speech is off: SPEECHD_ADDRESS {given!r} is neither unix_socket:PATH nor inet_socket:HOST:PORT."
        )
    runtime = env.get("XDG_RUNTIME_DIR") or env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Address(path=str(Path(runtime) / "speech-dispatcher" / "speechd.sock"))


@dataclass(frozen=True)
class Reply:
    code: int
    lines: list[str]  # the data lines, without their codes
    text: str  # the last line's words


Listener = Callable[[int, int], None]  # (event code 701..705, message id), or (0, 0): the connection broke


class Connection:
    """One SSIP connection: `command` waits for its reply; events go to `on_event` from the reader thread."""

    def __init__(self, sock: socket.socket, on_event: Listener, answer_limit: float = ANSWER_LIMIT) -> None:
        self._socket = sock
        self._on_event = on_event
        self._limit = answer_limit
        self._replies: queue.Queue[Reply | None] = queue.Queue()
        self._lock = threading.Lock()  # SSIP is synchronous: one command and its reply at a time
        self.broken: str | None = None  # why the connection is no use any more
        sock.settimeout(answer_limit)  # bounds every send; the reader just reads again after a quiet spell
        self._reader = threading.Thread(target=self._read, name="ssip-reader", daemon=True)
        self._reader.start()

    @classmethod
    def open(cls, address: Address, on_event: Listener, *, spawn: bool = True) -> Connection:
        """Connect, starting the daemon first as libspeechd does if nothing listens at a local socket."""
        try:
            return cls(_connect(address), on_event)
        except (FileNotFoundError, ConnectionRefusedError):
            if not spawn or address.path is None:
                raise SSIPError(
                    f"Speech is off: speech-dispatcher is not running (nothing listens at {address})."
                ) from None
        _spawn(address)
        try:
            return cls(_connect(address), on_event)
        except OSError as error:
            raise SSIPError(f"Speech is off: speech-dispatcher was started but cannot be reached ({error}).") from None

    def command(self, line: str, *, data: str | None = None, limit: float | None = None) -> Reply:
        """Send one command (and for SPEAK its text); the reply, or SSIPError if it fails or is late.

        `limit`: how long its reply may take, if not the connection's answer limit.
        """
        with self._lock:
            if self.broken is not None:
                raise SSIPError(self.broken)
            self._send(line + "\r\n")
            if data is not None:
                first = self._reply(line)
                if first.code != 230:
                    raise SSIPError(f"Speech is off: speech-dispatcher refused to take a sentence ({first.text}).")
                self._send(_encode_text(data))
            return self._reply(line, limit)

    def close(self) -> None:
        """Say goodbye without waiting for an answer, and hang up."""
        if self.broken is None:
            try:
                self._socket.settimeout(0.2)
                self._socket.sendall(b"QUIT\r\n")
            except OSError:
                pass
        self._break("Speech is off: the connection to speech-dispatcher was closed.")
        with contextlib.suppress(OSError):
            self._socket.shutdown(socket.SHUT_RDWR)
        self._socket.close()

    def _send(self, text: str) -> None:
        try:
            self._socket.sendall(text.encode("utf-8"))
        except OSError as error:
            self._break(f"Speech is off: speech-dispatcher stopped listening ({error.strerror or error}).")
            raise SSIPError(self.broken or "") from None

    def _reply(self, line: str, limit: float | None = None) -> Reply:
        limit = self._limit if limit is None else limit
        try:
            reply = self._replies.get(timeout=limit)
        except queue.Empty:
            self._break(f"Speech is off: speech-dispatcher did not answer within {limit:.0f} seconds.")
            raise SSIPError(self.broken or "") from None
        if reply is None:
            raise SSIPError(self.broken or "Speech is off: speech-dispatcher closed the connection.")
        if reply.code >= 300:
            raise SSIPError(f"Speech is off: speech-dispatcher refused {line.split()[0]} ({reply.code} {reply.text}).")
        return reply

    def _break(self, why: str) -> None:
        if self.broken is None:
            self.broken = why
            with contextlib.suppress(OSError):
                self._socket.shutdown(socket.SHUT_RDWR)
            self._on_event(0, 0)  # whoever waits for an event hears at once that none will come

    def _read(self) -> None:
        buffer = b""
        data: list[str] = []
        while True:
            try:
                chunk = self._socket.recv(4096)
            except TimeoutError:  # the socket's limit is for sending; reading waits as long as the session lasts
                if self.broken is not None:
                    chunk = b""
                else:
                    continue
            except OSError:
                chunk = b""
            if not chunk:
                self._break("Speech is off: speech-dispatcher closed the connection.")
                self._replies.put(None)
                return
            buffer += chunk
            while b"\n" in buffer:
                raw, buffer = buffer.split(b"\n", 1)
                line = raw.decode("utf-8", "replace").rstrip("\r")
                if len(line) < 4 or not line[:3].isdigit():
                    continue
                code, last, rest = int(line[:3]), line[3] == " ", line[4:]
                if not last:
                    data.append(rest)
                    continue
                reply, data = Reply(code, data, rest), []
                if 700 <= code < 800:
                    if reply.lines and reply.lines[0].isdigit():
                        self._on_event(code, int(reply.lines[0]))
                else:
                    self._replies.put(reply)


def _connect(address: Address) -> socket.socket:
    if address.path is not None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        target: str | tuple[str, int] = address.path
    else:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        target = (address.host, address.port)
    sock.settimeout(ANSWER_LIMIT)
    try:
        sock.connect(target)
    except TimeoutError:
        sock.close()
        raise SSIPError(
            f"Speech is off: speech-dispatcher did not accept a connection within {ANSWER_LIMIT:.0f} seconds."
        ) from None
    except OSError:
        sock.close()
        raise
    return sock


def _spawn(address: Address) -> None:
    """Start the daemon the way libspeechd does; SSIPError saying why not."""
    program = shutil.which("speech-dispatcher")
    if program is None:
        raise SSIPError(f"Speech is off: speech-dispatcher is not running and is not installed. {INSTALL}")
    argv = [program, "--spawn", "--communication-method", "unix_socket", "--socket-path", str(address.path)]
    try:
        started = subprocess.run(
            argv, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=SPAWN_LIMIT, check=False
        )
    except subprocess.TimeoutExpired:
        raise SSIPError(f"Speech is off: speech-dispatcher did not start within {SPAWN_LIMIT:.0f} seconds.") from None
    except OSError as error:
        raise SSIPError(f"Speech is off: speech-dispatcher could not be started ({error.strerror}).") from None
    if started.returncode != 0:
        said = started.stderr.strip().splitlines() or _last_error(Path(str(address.path)).parent / "log")
        why = said[-1] if said else f"exit status {started.returncode}"
        raise SSIPError(f"Speech is off: speech-dispatcher is not running and would not start: {why}")


def _last_error(folder: Path) -> list[str]:
    """The daemon says why it would not start in its log, not on its error output."""
    try:
        lines = (folder / "speech-dispatcher.log").read_text(errors="replace").splitlines()[-50:]
    except OSError:
        return []
    errors = [line.split("]", 1)[-1].split(":", 1)[-1].strip() for line in lines if "rror" in line]
    return [f"{errors[-1].rstrip('. ')} (its log: {folder / 'speech-dispatcher.log'})"] if errors else []


def _encode_text(text: str) -> str:
    """The body of SPEAK: CR LF line ends, a leading dot doubled, ended by a line holding one dot."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "".join(("." + line if line.startswith(".") else line) + "\r\n" for line in lines) + ".\r\n"
