"""The speech-dispatcher engine: the coach as a polite client of the daemon screen readers speak through.

Priority. Every sentence goes as SSIP `notification`, the one priority that
never cuts, cancels or postpones another client's speech (speech-dispatcher's
rules: `important` cuts whatever speaks; `message` cancels `text` being
spoken and never resumes it; `text` cancels any other `text`; `progress`
keeps the last of a series and says it later as `message`, which made counts
4 s late). A `notification` is dropped by the daemon when anything else is
speaking, and cut when anything else arrives. So the coach itself does the
waiting: it watches its own message's events (BEGIN, END, CANCEL) and

- gives up a step announcement or a mark the daemon dropped because the
  screen reader was speaking: it is reading the new line on the screen, most
  likely this very one, and the coach saying it again once it fell silent
  made a screen-reader user hear nearly every line twice (and the coach's
  repeat was cut by the next line half a second in);
- says the pain advice (a sentence that `waits` its turn) when the screen
  reader falls silent: dropped, it is sent again every fifth of a second
  until it begins (up to `SAFETY_TURN_LIMIT`), and cut halfway by the screen
  reader, it is said again whole. "Session stopped." does not wait: a walk
  heard it read, then said again by the coach;
- drops a count or a reminder that has not begun by its latest start
  (`start_within`): it is cancelled, never said late;
- cancels only its own speech (`CANCEL SELF`), never another client's.

Orca speaks at `message` and TDSR and yasr at the daemon's default
(`message` unless `DefaultPriority` says otherwise): whichever, the screen
reader always wins, and its speech is never cut or heard twice because of
the coach.
"""

from __future__ import annotations

import getpass
import threading
import time
from collections.abc import Callable

from coach.speech.engine import SpeechFailed, Voice, hang_limit
from coach.speech.ssip import ANSWER_LIMIT, Address, Connection, SSIPError, default_address
from coach.timeline import Priority, estimate

PRIORITY = "notification"
TURN_LIMIT = 15.0  # seconds a sentence that must be said waits for the other clients to fall silent
SAFETY_TURN_LIMIT = 30.0  # the pain advice waits longer: it is the last thing the coach has to say
CHECK = "Check that speech-dispatcher works: spd-say hello."
RETRY_GAP = 0.2  # between sending again a sentence the daemon dropped because something else spoke
COUNT_RETRY_GAP = 0.03  # a count has a quarter of a second: try more often
RETRIES_AFTER_CUT = 3  # the pain advice is said again whole when another client cut it

BEGIN, END, CANCELED = 701, 702, 703


def speechd_rate(words_per_minute: int) -> int:
    """speech-dispatcher's rate runs from -100 to 100 around its normal speed; we take 170 wpm as normal."""
    return max(-100, min(100, round((words_per_minute / 170 - 1) * 100)))


class SpeechdEngine:
    """One SSIP connection for the whole session; see the module's docstring for the rules."""

    name = "speechd"
    turn_limit = SAFETY_TURN_LIMIT  # the longest an utterance may wait to begin: the speaker's `finish` allows it

    def __init__(self, address: Address | None = None) -> None:
        self._address = address
        self._connection: Connection | None = None
        self._events: dict[int, list[int]] = {}
        self._changed = threading.Condition()
        self._rate: int | None = None
        self._voice: str | None = None

    # --- the Engine interface ------------------------------------------------------------------

    def prepare(self, voice: str | None) -> str | None:
        try:
            connection = self._connected()
            if voice is None:
                return None
            if voice not in {found.id for found in self._list(connection)}:
                return None
            return voice
        except SSIPError as error:
            raise _failed(error) from None

    def speak(self, text: str, *, rate: int, voice: str | None, priority: Priority, cancelled: threading.Event) -> None:
        waits = priority == Priority.SAFETY
        self.speak_in_turn(
            text, rate=rate, voice=voice, cancelled=cancelled, start_within=None, waits=waits, on_begin=_nothing
        )

    def speak_in_turn(
        self,
        text: str,
        *,
        rate: int,
        voice: str | None,
        cancelled: threading.Event,
        start_within: float | None,
        waits: bool,
        on_begin: Callable[[], None],
    ) -> str:
        """Say `text` when the voice is free; "spoken", "cut" (by us or another client) or "late".

        With `start_within` (a count, a reminder) the sentence is dropped ("late") if it has not
        begun within that many seconds. Without, a sentence that `waits` (the pain advice) waits up to
        the turn limit for its turn; any other is given up where the screen reader is speaking.
        """
        waits = waits and start_within is None
        start_by = time.monotonic() + (
            start_within if start_within is not None else SAFETY_TURN_LIMIT if waits else TURN_LIMIT
        )
        cuts_left = RETRIES_AFTER_CUT if waits else 0
        gap = COUNT_RETRY_GAP if start_within is not None else RETRY_GAP
        try:
            connection = self._connected()
            self._settings(connection, rate, voice)
            while not cancelled.is_set():
                message = self._send(connection, text)
                limit = hang_limit(estimate(text, rate))
                outcome = self._follow(connection, message, cancelled, start_by, limit, on_begin)
                if outcome in {"spoken", "cut", "late"}:
                    return outcome
                if outcome == "interrupted":  # the screen reader spoke over it: once more, whole, if it matters
                    if cuts_left == 0 or time.monotonic() >= start_by:
                        return "cut"
                    cuts_left -= 1
                elif not waits:
                    return "late"  # the screen reader is reading, most likely this very line: heard once, not twice
                elif time.monotonic() + gap >= start_by:  # dropped each time: something else spoke all along
                    return "late"
                cancelled.wait(gap)
            return "cut"
        except SSIPError as error:
            raise _failed(error) from None

    def cut(self) -> None:
        """Never blocks: wakes the speaking thread, which cancels its own message (`CANCEL SELF`)."""
        with self._changed:
            self._changed.notify_all()

    def voices(self) -> list[Voice]:
        try:
            return self._list(self._connected())
        except SSIPError as error:
            raise _failed(error) from None

    def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.close()

    # --- SSIP ------------------------------------------------------------------------------------

    def _connected(self) -> Connection:
        """The session's connection, opened (and the daemon started) when there is none or it broke."""
        if self._connection is not None and self._connection.broken is None:
            return self._connection
        if self._connection is not None:
            self._connection.close()
        connection = Connection.open(self._address or default_address(), self._on_event)
        try:
            user = getpass.getuser().replace(" ", "_").replace(":", "_") or "unknown"
        except (KeyError, OSError):
            user = "unknown"
        try:
            connection.command(f"SET SELF CLIENT_NAME {user}:coach:main")
            connection.command("SET SELF NOTIFICATION ALL on")
            connection.command(f"SET SELF PRIORITY {PRIORITY}")
        except SSIPError:
            connection.close()
            raise
        self._connection, self._rate, self._voice = connection, None, None
        return connection

    def _settings(self, connection: Connection, rate: int, voice: str | None) -> None:
        if rate != self._rate:
            connection.command(f"SET SELF RATE {speechd_rate(rate)}")
            self._rate = rate
        if voice is not None and voice != self._voice:
            connection.command(f"SET SELF SYNTHESIS_VOICE {voice}")
            self._voice = voice

    def _list(self, connection: Connection) -> list[Voice]:
        found = []
        for line in connection.command("LIST SYNTHESIS_VOICES").lines:
            columns = line.split("\t")
            if columns and columns[0]:
                found.append(Voice(id=columns[0], name=columns[0], languages=columns[1] if len(columns) > 1 else ""))
        return found

    def _send(self, connection: Connection, text: str) -> int:
        reply = connection.command("SPEAK", data=text.replace("\n", " "))
        try:
            return int(reply.lines[0])
        except (IndexError, ValueError):
            raise SSIPError(f"Speech is off: speech-dispatcher answered SPEAK with {reply.text}.") from None

    def _on_event(self, code: int, message: int) -> None:
        with self._changed:
            self._events.setdefault(message, []).append(code)
            self._changed.notify_all()

    def _follow(
        self,
        connection: Connection,
        message: int,
        cancelled: threading.Event,
        start_by: float,
        speech_limit: float,
        on_begin: Callable[[], None],
    ) -> str:
        """Watch one message to its end: spoken, cut, late, dropped (never began) or interrupted (after it began)."""
        began: float | None = None
        cancel_sent = False
        try:
            while True:
                with self._changed:
                    if connection.broken is not None:  # closed under us: silent, so cut if that was asked
                        if cancelled.is_set():
                            return "cut"
                        raise SSIPError(connection.broken)
                    events = self._events.get(message, [])
                    now = time.monotonic()
                    if END in events:
                        return "spoken"
                    if CANCELED in events:
                        if cancel_sent:
                            return "late" if began is None and not cancelled.is_set() else "cut"
                        return "dropped" if began is None else "interrupted"
                    starting = began is None and BEGIN in events
                    if starting:
                        began = now
                    deadline = (
                        now + ANSWER_LIMIT if cancel_sent else began + speech_limit if began is not None else start_by
                    )
                    wanted_cancel = not cancel_sent and (cancelled.is_set() or now >= deadline)
                    if not starting and not wanted_cancel:
                        if cancel_sent and now >= deadline:
                            return "cut"  # the daemon took the cancel but never said so: it is silent all the same
                        self._changed.wait(max(0.0, deadline - now))
                        continue
                if starting:
                    on_begin()  # outside our lock: the speaker takes its own
                    continue
                if began is not None and not cancelled.is_set():
                    connection.command("CANCEL SELF")
                    raise SSIPError(
                        f"Speech is off: speech-dispatcher did not finish a sentence within {speech_limit:.0f} seconds."
                    )
                # Ours only: a screen reader's speech is never touched. The daemon may answer only when the
                # sentence ends (a cancel just after BEGIN waits for its module), so the reply may take as long
                # as the sentence: taken for a hung daemon, it turned speech off and left the pain advice unsaid.
                connection.command("CANCEL SELF", limit=speech_limit + ANSWER_LIMIT)
                cancel_sent = True
        finally:
            with self._changed:
                self._events.pop(message, None)


def _failed(error: SSIPError) -> SpeechFailed:
    """A speech fault a person can act on: what went wrong, then what to check (unless it says already)."""
    said = str(error).rstrip(".") + "."
    return SpeechFailed(said if "install" in said or "Check" in said else f"{said} {CHECK}")


def _nothing() -> None:
    return None
