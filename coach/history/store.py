"""The history file: one SQLite database of sessions and the steps done in them.

Written as the session goes, one autocommitted statement per step, in WAL
mode: a crash or `kill -9` loses at most the step in progress, and readers
(`coach history` in another terminal) never wait for the session. A session
with no outcome never ended: it is shown as interrupted. Every failure of
SQLite (a locked, corrupt or unwritable file) becomes one `HistoryError`
with a line a person can act on; the file itself is never deleted or rebuilt.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from coach.history.errors import HistoryError

__all__ = ["History", "HistoryError", "SessionRecord", "StepRecord", "default_path"]

SCHEMA_VERSION = 1
FILE_NAME = "history.sqlite3"
WRITE_WAIT = 0.02  # seconds
_BUSY = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED

_SCHEMA = """
CREATE TABLE sessions (
    id          INTEGER PRIMARY KEY,
    program     TEXT NOT NULL,     -- the bundled name, or the program file's absolute path
    title       TEXT NOT NULL,
    path        TEXT NOT NULL,
    sha256      TEXT NOT NULL,     -- of the file's bytes, as played
    started     REAL NOT NULL,     -- seconds since the epoch, UTC
    ended       REAL,
    outcome     TEXT CHECK (outcome IN ('completed', 'stopped', 'pain')),  -- NULL: interrupted
    pain_before INTEGER CHECK (pain_before BETWEEN 0 AND 10),
    pain_after  INTEGER CHECK (pain_after BETWEEN 0 AND 10),
    first_step  INTEGER NOT NULL DEFAULT 1,
    resumes     INTEGER REFERENCES sessions (id)
);
CREATE INDEX sessions_by_program ON sessions (program, started);
CREATE TABLE steps (
    session   INTEGER NOT NULL REFERENCES sessions (id),
    number    INTEGER NOT NULL,
    title     TEXT NOT NULL,
    kind      TEXT NOT NULL,
    completed INTEGER NOT NULL,    -- 1: ran to its end, 0: skipped
    hold      INTEGER,             -- seconds, for hold steps
    reps      INTEGER,
    sets      INTEGER,
    duration  INTEGER,             -- seconds, for timed steps
    at        REAL NOT NULL,
    PRIMARY KEY (session, number)
);
"""


@dataclass(frozen=True)
class SessionRecord:
    id: int
    program: str
    title: str
    path: str
    sha256: str
    started: float
    ended: float | None
    outcome: str | None
    pain_before: int | None
    pain_after: int | None
    first_step: int
    resumes: int | None
    steps_done: int  # steps that ran to their end
    last_step: int  # the highest step number recorded, or first_step - 1
    last_at: float  # when the last step was recorded, or the start

    @property
    def how(self) -> str:
        return {"completed": "completed", "stopped": "stopped", "pain": "stopped for pain"}.get(
            self.outcome or "", "interrupted"
        )

    @property
    def minutes(self) -> float:
        return max(0.0, ((self.ended or self.last_at) - self.started) / 60)


@dataclass(frozen=True)
class StepRecord:
    number: int
    title: str
    kind: str
    completed: bool
    hold: int | None
    reps: int | None
    sets: int | None
    duration: int | None
    at: float


def default_path() -> Path:
    """`COACH_DATA_DIR/history.sqlite3`, or the same file in platformdirs' user data folder."""
    folder = os.environ.get("COACH_DATA_DIR")
    if not folder:
        import platformdirs

        folder = platformdirs.user_data_dir("coach", appauthor=False)
    return Path(folder) / FILE_NAME


def _create(connection: sqlite3.Connection) -> None:
    """Make the tables, all or nothing, unless another coach made them meanwhile."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        if connection.execute("PRAGMA user_version").fetchone()[0] == 0:
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


class History:
    """One history file. Opened on first use; `timeout` is how long a write waits for another writer.

    Another coach's write takes a millisecond or two, so the default wait lets sessions played side by
    side share one file, yet a write never holds the session's clock back by more than that.
    """

    def __init__(self, path: Path | None = None, *, timeout: float = WRITE_WAIT) -> None:
        self.path = path or default_path()
        self._timeout = timeout
        self._connection: sqlite3.Connection | None = None

    @property
    def timeout(self) -> float:
        return self._timeout

    @timeout.setter
    def timeout(self, seconds: float) -> None:
        """Set once, not before every statement: writes are on the session's clock."""
        self._timeout = seconds
        if self._connection is not None:
            self._connection.execute(f"PRAGMA busy_timeout = {int(seconds * 1000)}")

    # --- opening ---------------------------------------------------------------------------

    @contextmanager
    def _sqlite(self, doing: str) -> Iterator[sqlite3.Connection]:
        try:
            yield self._connect()
        except sqlite3.Error as error:
            reason = str(error) or type(error).__name__
            if "not a database" in reason or "malformed" in reason:
                reason += "; it may be damaged (it is left as it is: move it away to start a new one)"
            busy = getattr(error, "sqlite_errorcode", None) in _BUSY or "locked" in reason  # 3.10 has no code
            raise HistoryError(f"history {self.path}: cannot {doing}: {reason}", busy=busy) from None
        except OSError as error:
            raise HistoryError(f"history {self.path}: cannot {doing}: {error.strerror or error}") from None

    def _connect(self) -> sqlite3.Connection:
        if self._connection is not None:
            return self._connection
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None, check_same_thread=False)
        try:
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise sqlite3.DatabaseError(f"it was written by a newer coach (schema {version})")
            if connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = NORMAL")  # with WAL: safe from crashes, fsync-free per step
            if version == 0:
                _create(connection)
        except BaseException:
            connection.close()
            raise
        self._connection = connection
        return connection

    def open(self, wait: float = 2.0) -> None:
        """Open (or make) the file now, waiting up to `wait` s for another coach: before a session, not in it.

        Tried again until then when the file is busy: SQLite answers a switch to WAL, or a reader that
        would have to become a writer, with "locked" at once, without waiting, when another coach
        makes the same file at the same moment.
        """
        timeout, self.timeout = self.timeout, wait
        deadline = time.monotonic() + wait
        try:
            while True:
                try:
                    with self._sqlite("open the history"):
                        return
                except HistoryError as error:
                    if not error.busy or time.monotonic() >= deadline:
                        raise
                time.sleep(0.02)
        finally:
            self.timeout = timeout

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    # --- writing, one statement each -----------------------------------------------------------

    def begin(self, program: str, title: str, path: str, sha256: str, started: float) -> int:
        with self._sqlite("record the session") as db:
            cursor = db.execute(
                "INSERT INTO sessions (program, title, path, sha256, started) VALUES (?, ?, ?, ?, ?)",
                (program, title, path, sha256, started),
            )
            assert cursor.lastrowid is not None
            return cursor.lastrowid

    def resumed(self, session: int, resumes: int, first_step: int) -> None:
        with self._sqlite("record the session") as db:
            db.execute("UPDATE sessions SET resumes = ?, first_step = ? WHERE id = ?", (resumes, first_step, session))

    def step(self, session: int, number: int, values: StepRecord) -> None:
        with self._sqlite("record a step") as db:
            db.execute(
                "INSERT OR REPLACE INTO steps (session, number, title, kind, completed, hold, reps, sets, duration, at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    session,
                    number,
                    values.title,
                    values.kind,
                    int(values.completed),
                    values.hold,
                    values.reps,
                    values.sets,
                    values.duration,
                    values.at,
                ),
            )

    def pain(self, session: int, *, before: bool, pain: int) -> None:
        column = "pain_before" if before else "pain_after"
        with self._sqlite("record the pain") as db:
            db.execute(f"UPDATE sessions SET {column} = ? WHERE id = ?", (pain, session))

    def end(self, session: int, outcome: str, ended: float) -> None:
        with self._sqlite("record the end of the session") as db:
            db.execute("UPDATE sessions SET outcome = ?, ended = ? WHERE id = ?", (outcome, ended, session))

    # --- reading ---------------------------------------------------------------------------------

    def sessions(self, program: str | None = None) -> list[SessionRecord]:
        """Sessions newest first, of one program (its key) or of all."""
        if self._connection is None and not self.path.exists():  # reading never makes a file
            return []
        where, values = ("WHERE s.program = ?", (program,)) if program is not None else ("", ())
        with self._sqlite("read the history") as db:
            rows = db.execute(
                "SELECT s.id, s.program, s.title, s.path, s.sha256, s.started, s.ended, s.outcome,"
                " s.pain_before, s.pain_after, s.first_step, s.resumes,"
                " COALESCE(SUM(t.completed), 0), COALESCE(MAX(t.number), s.first_step - 1),"
                " COALESCE(MAX(t.at), s.started)"
                f" FROM sessions s LEFT JOIN steps t ON t.session = s.id {where}"
                " GROUP BY s.id ORDER BY s.started DESC, s.id DESC",
                values,
            ).fetchall()
        return [SessionRecord(*row) for row in rows]

    def done(self, program: str) -> dict[int, frozenset[str]]:
        """For each session of `program`, the titles of the steps that ran to their end."""
        if self._connection is None and not self.path.exists():
            return {}
        with self._sqlite("read the history") as db:
            rows = db.execute(
                "SELECT t.session, t.title FROM steps t JOIN sessions s ON s.id = t.session"
                " WHERE s.program = ? AND t.completed = 1",
                (program,),
            ).fetchall()
        found: dict[int, set[str]] = {}
        for session, title in rows:
            found.setdefault(session, set()).add(title)
        return {session: frozenset(titles) for session, titles in found.items()}

    def steps(self, sessions: Sequence[int]) -> dict[int, list[StepRecord]]:
        """The steps recorded in each of `sessions`, in step order."""
        found: dict[int, list[StepRecord]] = {session: [] for session in sessions}
        if not sessions:
            return found
        marks = ", ".join("?" * len(sessions))
        with self._sqlite("read the history") as db:
            rows = db.execute(
                "SELECT session, number, title, kind, completed, hold, reps, sets, duration, at FROM steps"
                f" WHERE session IN ({marks}) ORDER BY session, number",
                tuple(sessions),
            ).fetchall()
        for session, *row in rows:
            number, title, kind, completed, hold, reps, sets, duration, at = row
            found[session].append(StepRecord(number, title, kind, bool(completed), hold, reps, sets, duration, at))
        return found
