"""The history file: one SQLite database of sessions and the steps done in them.

Written as the session goes, one autocommitted statement per step, in WAL
mode: a crash or `kill -9` loses at most the step in progress, and readers
(`coach history` in another terminal) never wait for the session. Reading
never writes: a file is opened read-only, and only once it is known to be
the coach's own (its application_id and user_version) is anything read from
it; a file on read-only media or a full disk is read as it is (`immutable`).
A session with no outcome is playing while its coach holds a lock on its file
in `history.playing/`, and was interrupted once nobody does. Every failure of
SQLite (a locked, corrupt or unwritable file) becomes one `HistoryError`
with a line a person can act on; the file itself is never deleted or rebuilt.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from operator import itemgetter

from coach.history import playing
from coach.history.errors import HistoryError
from coach.history.records import NamedTuple
from coach.i18n import N_
from coach.session.outcome import how

__all__ = ["History", "HistoryError", "SessionRecord", "StepRecord", "default_path"]

SCHEMA_VERSION = 5  # 2: the number of steps of each session, and the time added to steps; 3: their totals;
# 4: the prescription each session was played under; 5: the step a session was stopped in
APPLICATION_ID = 0x636F6163  # "coac" in the file's header: how a history file is told from any other
FILE_NAME = "history.sqlite3"
WRITE_WAIT = 0.02  # seconds
# A reader is on no session's clock: it waits out a coach that holds the file alone for a moment (the last one
# to close it copies its WAL in and deletes it), where a session's 20 ms told a CI run "database is locked".
READ_WAIT = 2.0  # seconds
_BUSY = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED
# In files from before schema 3, read as they are: each session's steps and its time added, summed once per
# table and joined, not once per session (with ten years of sessions the correlated forms took a fifth of
# `coach history`; the join still took a fifth, and schema 3 keeps the totals instead).
_STEPS = (
    " LEFT JOIN (SELECT session, SUM(completed) AS done, MAX(number) AS last, MAX(at) AS at FROM steps"
    " GROUP BY session) t ON t.session = s.id"
)
_ADDED = " LEFT JOIN (SELECT session, SUM(seconds) AS added FROM adjustments GROUP BY session) a ON a.session = s.id"
_CHUNK = 900  # sessions asked for at once: SQLite before 3.32 takes at most 999 values in one statement
_CANNOT_READ_HERE = ("unable to open", "disk i/o error", "readonly", "read-only")  # read-only media, a full disk
_FOREIGN = "it is not a coach history (another program's SQLite file); it is left as it is: move it away"

# What `coach history` shows of each session, kept as each step and each change to a timer is written: in
# the same statement, so a crash never leaves them apart, and read without reading a step. A step written
# again (INSERT OR REPLACE) is added up again, not twice.
_TOTALS = """
CREATE TRIGGER steps_add_up AFTER INSERT ON steps BEGIN
    UPDATE sessions SET
        (done, last_step, last_at) =
            (SELECT SUM(completed), MAX(number), MAX(at) FROM steps WHERE session = NEW.session),
        notable = notable OR NOT NEW.completed
    WHERE id = NEW.session;
END;
CREATE TRIGGER adjustments_add_up AFTER INSERT ON adjustments BEGIN
    UPDATE sessions SET added = added + NEW.seconds, notable = 1 WHERE id = NEW.session;
END;
"""
_SCHEMA = (
    """
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
    resumes     INTEGER REFERENCES sessions (id),
    steps       INTEGER,           -- the program's number of steps, as played
    done        INTEGER NOT NULL DEFAULT 0,  -- steps that ran to their end; this and the rest: by the triggers
    last_step   INTEGER,           -- the highest step number recorded
    last_at     REAL,              -- when the last step was recorded
    added       INTEGER NOT NULL DEFAULT 0,  -- seconds added to its timers, less those taken away
    notable     INTEGER NOT NULL DEFAULT 0,  -- 1: a step may have been skipped or had its timer changed
    prescribed  TEXT,              -- what the file prescribed: "days:mon,wed,fri", "per_week:5"; NULL: nothing
    stopped_step  INTEGER,         -- the step playing when it was stopped (for pain or not); NULL: none was
    stopped_title TEXT             -- that step's title, as played
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
CREATE TABLE adjustments (         -- each + and - on a step's timer
    session   INTEGER NOT NULL REFERENCES sessions (id),
    step      INTEGER NOT NULL,
    seconds   INTEGER NOT NULL,    -- added, or taken away when negative
    at        REAL NOT NULL
);
CREATE INDEX adjustments_by_step ON adjustments (session, step);
"""
    + _TOTALS
)
_UPGRADE_1 = """
ALTER TABLE sessions ADD COLUMN steps INTEGER;
CREATE TABLE adjustments (session INTEGER NOT NULL REFERENCES sessions (id), step INTEGER NOT NULL,
    seconds INTEGER NOT NULL, at REAL NOT NULL);
CREATE INDEX adjustments_by_step ON adjustments (session, step);
"""
_UPGRADE_2 = (
    """
ALTER TABLE sessions ADD COLUMN done INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN last_step INTEGER;
ALTER TABLE sessions ADD COLUMN last_at REAL;
ALTER TABLE sessions ADD COLUMN added INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN notable INTEGER NOT NULL DEFAULT 0;
UPDATE sessions SET
    (done, last_step, last_at) =
        (SELECT COALESCE(SUM(completed), 0), MAX(number), MAX(at) FROM steps WHERE session = sessions.id),
    added = (SELECT COALESCE(SUM(seconds), 0) FROM adjustments WHERE session = sessions.id),
    notable = EXISTS (SELECT 1 FROM steps WHERE session = sessions.id AND completed = 0)
        OR EXISTS (SELECT 1 FROM adjustments WHERE session = sessions.id);
"""
    + _TOTALS
)
_UPGRADE_3 = "ALTER TABLE sessions ADD COLUMN prescribed TEXT;\n"
_UPGRADE_4 = (
    "ALTER TABLE sessions ADD COLUMN stopped_step INTEGER;\nALTER TABLE sessions ADD COLUMN stopped_title TEXT;\n"
)
_UPGRADES = {  # from each older schema to this one
    0: _SCHEMA,
    1: _UPGRADE_1 + _UPGRADE_2 + _UPGRADE_3 + _UPGRADE_4,
    2: _UPGRADE_2 + _UPGRADE_3 + _UPGRADE_4,
    3: _UPGRADE_3 + _UPGRADE_4,
    4: _UPGRADE_4,
}


# Records are named tuples, not dataclasses: ten years of sessions are made in a tenth of the time, and
# `coach history` does not import `dataclasses` (and `inspect` with it) at all. The file's sha256, written with each
# session, is not read into them: nothing shows it, and its 3,650 strings were a fiftieth of `coach history`.
class SessionRecord(NamedTuple):
    id: int
    program: str
    title: str
    path: str
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
    steps: int | None = None  # the program's exercises (its rests are no steps); None in files from before it was kept
    added: int = 0  # seconds added to timers with + (less those taken with -)
    prescribed: str | None = None  # what the program's file prescribed as it was played (`store_prescription`)
    stopped_step: int | None = None  # the step playing when it was stopped, for pain or not; None: none was
    stopped_title: str | None = None
    playing: bool = False  # no outcome yet, and its coach is still running

    @property
    def how(self) -> str:
        if self.playing:
            return N_("playing now")  # shown translated; the CSV keeps the English words
        return how(self.outcome)

    @property
    def minutes(self) -> float:
        return max(0.0, ((self.ended or self.last_at) - self.started) / 60)


class StepRecord(NamedTuple):
    number: int
    title: str
    kind: str
    completed: bool
    hold: int | None
    reps: int | None
    sets: int | None
    duration: int | None
    at: float
    added: int | None = None  # seconds added with + (less those taken with -); None: the timer was left alone


def storable(text: str) -> str:
    """Text SQLite can hold: a path's bytes that are not UTF-8 (surrogate escapes) become `\\xNN`, always alike."""
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate no file name decodes to
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def default_path() -> str:
    """`COACH_DATA_DIR/history.sqlite3`, or the same file in the user data folder (coach.folders)."""
    from coach.folders import data_folder

    return os.path.join(data_folder(), FILE_NAME)


def _header(path: str) -> bytes:
    """The file's first 100 bytes, read as bytes: SQLite is not let near a file before it is known."""
    with open(path, "rb") as file:
        return file.read(100)


_URI_KEEPS = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~/:")


def file_uri(path: str) -> str:
    """`path`, made absolute, as the `file:` URI SQLite opens: what `Path.resolve().as_uri()` gives, every other
    byte as %XX, without importing pathlib (see coach.folders)."""
    absolute = os.path.realpath(path)
    if os.name == "nt":  # C:\a\b -> /C:/a/b
        absolute = "/" + absolute.replace("\\", "/")
    return "file://" + "".join(chr(byte) if byte in _URI_KEEPS else f"%{byte:02X}" for byte in os.fsencode(absolute))


def _application(header: bytes) -> int | None:
    """The application_id a database's header is marked with; None for an empty file or not a database."""
    if len(header) < 100 or not header.startswith(b"SQLite format 3\0"):
        return None  # SQLite says which, when asked
    return int.from_bytes(header[68:72], "big")


def _version(connection: sqlite3.Connection) -> int:
    """The coach's schema in this file: 0 for an empty database; a foreign or newer one is refused.

    Read in one transaction: another coach making the file at the same moment commits its tables, its
    application_id and its version together, and three separate reads could see half of that (no id yet,
    but a version and tables) and take the coach's own file for somebody else's."""
    own = not connection.in_transaction
    if own:
        connection.execute("BEGIN")
    try:
        application = connection.execute("PRAGMA application_id").fetchone()[0]
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        if own and connection.in_transaction:  # an immutable file may answer without opening one
            connection.execute("COMMIT")
    ours = application == APPLICATION_ID or (
        application == 0 and ((version == 0 and not tables) or (version == 1 and {"sessions", "steps"} <= tables))
    )  # files from the first coach carry no application_id
    if not ours:
        raise sqlite3.DatabaseError(_FOREIGN)
    if version > SCHEMA_VERSION:
        raise sqlite3.DatabaseError(f"it was written by a newer coach (schema {version})")
    return int(version)


def _prepare(connection: sqlite3.Connection) -> None:
    """Make the tables, or bring those of an older coach up to date: all or nothing, once among coaches."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        version = _version(connection)
        statement = ""
        for line in _UPGRADES.get(version, "").splitlines(keepends=True):  # a trigger holds statements of its own
            statement += line
            if sqlite3.complete_statement(statement):
                connection.execute(statement)
                statement = ""
        connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


class History:
    """One history file. Opened on first use; `timeout` is how long a write waits for another writer.

    Another coach's write takes a millisecond or two, so the default wait lets sessions played side by
    side share one file, yet a write never holds the session's clock back by more than that. Reading
    opens the file read-only; the first write (or `open`) opens it for writing.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *, timeout: float = WRITE_WAIT) -> None:
        self.path = os.fspath(path) if path else default_path()
        self._timeout = timeout
        self._connection: sqlite3.Connection | None = None
        self._writable = False
        self._version = 0
        self._hold: playing.Hold | None = None  # while this coach's session plays

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
    def _sqlite(self, doing: str, *, write: bool = True) -> Iterator[sqlite3.Connection]:
        try:
            yield self._connect() if write else self._read()
        except sqlite3.Error as error:
            reason = str(error) or type(error).__name__
            if "not a database" in reason or "malformed" in reason:
                reason += "; it may be damaged (it is left as it is: move it away to start a new one)"
            busy = getattr(error, "sqlite_errorcode", None) in _BUSY or "locked" in reason  # 3.10 has no code
            raise HistoryError(f"history {self.path}: cannot {doing}: {reason}", busy=busy) from None
        except OSError as error:
            raise HistoryError(f"history {self.path}: cannot {doing}: {error.strerror or error}") from None

    def _connect(self) -> sqlite3.Connection:
        """The connection for writing: the file is made, or brought up to date, if it is the coach's own."""
        if self._connection is not None and self._writable:
            return self._connection
        self.close()
        os.makedirs(os.path.dirname(self.path) or ".", exist_ok=True)
        if os.path.exists(self.path) and _application(_header(self.path)) not in (None, 0, APPLICATION_ID):
            raise sqlite3.DatabaseError(_FOREIGN)
        connection = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None, check_same_thread=False)
        try:
            version = _version(connection)  # before anything is written: somebody else's file stays as it was
            if connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = NORMAL")  # with WAL: safe from crashes, fsync-free per step
            if version < SCHEMA_VERSION or connection.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                _prepare(connection)
        except BaseException:
            connection.close()
            raise
        self._connection, self._writable, self._version = connection, True, SCHEMA_VERSION
        return connection

    def _read(self) -> sqlite3.Connection:
        """A connection that cannot write, to a file known to be the coach's own.

        Read-only media, or a full disk, cannot take the WAL's shared-memory file that a reader makes
        beside the database: then the file is read as it is (`immutable`), which is exact there, since
        nothing can write to it either.
        """
        if self._connection is not None:
            return self._connection
        application = _application(_header(self.path))
        if application not in (None, 0, APPLICATION_ID):
            raise sqlite3.DatabaseError(_FOREIGN)
        uri = file_uri(self.path) + "?mode=ro"
        if application != APPLICATION_ID:  # unmarked: empty, the first coach's, or somebody else's?
            # Asked of the file as it lies on the disk, which takes no lock and makes no file beside it.
            try:
                connection, version = self._reader(uri + "&immutable=1")
            except sqlite3.DatabaseError:
                # Read unlocked while a coach wrote its first session's WAL into it (a checkpoint as a session
                # ended): "database disk image is malformed", of a history that was not (a CI run). Read as
                # SQLite reads a file others may be writing, which says so only of a file really damaged.
                connection, version = None, -1
            wal = self.path + "-wal"
            if (
                connection is not None
                and version == 0
                and not (os.path.exists(wal) and os.stat(wal).st_size)
                # and still unmarked: a coach that checkpointed its first session into the file between the probe
                # and this look (its WAL then gone) left a marked file, which the probe saw empty (a CI run's)
                and _application(_header(self.path)) != APPLICATION_ID
            ):
                self._connection, self._writable, self._version = connection, False, 0  # empty, no WAL waiting
                return connection
            if connection is not None:
                connection.close()  # the coach's own: read it as SQLite reads a file others may be writing
        try:
            connection, version = self._reader(uri)
        except sqlite3.OperationalError as error:
            if not any(reason in str(error).lower() for reason in _CANNOT_READ_HERE):
                raise
            connection, version = self._reader(uri + "&immutable=1")
        self._connection, self._writable, self._version = connection, False, version
        return connection

    def _reader(self, uri: str) -> tuple[sqlite3.Connection, int]:
        wait = max(self.timeout, READ_WAIT)
        connection = sqlite3.connect(uri, uri=True, timeout=wait, isolation_level=None, check_same_thread=False)
        try:
            return connection, _version(connection)
        except BaseException:
            connection.close()
            raise

    def _readable(self) -> bool:
        """Whether there is anything to read: reading never makes a file, nor a schema in an empty one."""
        if self._connection is not None:
            return self._version > 0
        try:
            if os.stat(self.path).st_size == 0:
                return False
        except FileNotFoundError:
            return False
        except OSError:
            pass  # told when it is opened
        with self._sqlite("read the history", write=False):
            return self._version > 0

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
        if self._hold is not None:
            self._hold.release()
            self._hold = None
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    # --- writing, one statement each -----------------------------------------------------------

    def begin(
        self,
        program: str,
        title: str,
        path: str,
        sha256: str,
        started: float,
        steps: int | None = None,
        prescribed: str | None = None,
    ) -> int:
        """Record a new session, and hold its lock: no reader sees it without the lock being held."""
        with self._sqlite("record the session") as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                cursor = db.execute(
                    "INSERT INTO sessions (program, title, path, sha256, started, steps, prescribed)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (storable(program), title, storable(path), sha256, started, steps, prescribed),
                )
                assert cursor.lastrowid is not None
                try:
                    self._hold = playing.Hold(self.path, cursor.lastrowid)
                except OSError:  # the record matters more: a coach beside this one may offer it to resume
                    self._hold = None
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                if self._hold is not None:
                    self._hold.release()
                    self._hold = None
                raise
            return cursor.lastrowid

    def resumed(self, session: int, resumes: int, first_step: int) -> None:
        with self._sqlite("record the session") as db:
            db.execute("UPDATE sessions SET resumes = ?, first_step = ? WHERE id = ?", (resumes, first_step, session))

    def step(self, session: int, number: int, values: StepRecord) -> None:
        with self._sqlite("record a step") as db:
            db.execute(
                "INSERT INTO steps (session, number, title, kind, completed, hold, reps, sets, duration, at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                # Done once, done: a second pass skipped (← back, then →) does not take it away.
                " ON CONFLICT (session, number) DO UPDATE SET completed = MAX(completed, excluded.completed),"
                " title = excluded.title, kind = excluded.kind, hold = excluded.hold, reps = excluded.reps,"
                " sets = excluded.sets, duration = excluded.duration, at = excluded.at",
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

    def unskip(self, session: int, number: int) -> None:
        """Step `number`, skipped, is played again: it is no longer recorded skipped (a step done stays done)."""
        with self._sqlite("record a step") as db:
            db.execute("DELETE FROM steps WHERE session = ? AND number = ? AND completed = 0", (session, number))

    def adjust(self, session: int, step: int, seconds: int, at: float) -> None:
        with self._sqlite("record the time added") as db:
            db.execute(
                "INSERT INTO adjustments (session, step, seconds, at) VALUES (?, ?, ?, ?)", (session, step, seconds, at)
            )

    def pain(self, session: int, *, before: bool, pain: int) -> None:
        column = "pain_before" if before else "pain_after"
        with self._sqlite("record the pain") as db:
            db.execute(f"UPDATE sessions SET {column} = ? WHERE id = ?", (pain, session))

    def end(self, session: int, outcome: str, ended: float, step: int | None = None, title: str | None = None) -> None:
        """The session's end; `step` and its `title`: the step it was stopped in, if any (a therapist's walk read
        "stopped for pain" and could not tell which exercise hurt)."""
        with self._sqlite("record the end of the session") as db:
            db.execute(
                "UPDATE sessions SET outcome = ?, ended = ?, stopped_step = ?, stopped_title = ? WHERE id = ?",
                (outcome, ended, step, title, session),
            )

    # --- reading ---------------------------------------------------------------------------------

    def sessions(self, program: str | None = None) -> list[SessionRecord]:
        """Sessions newest first, of one program (its key) or of all."""
        if not self._readable():
            return []
        where, values = ("WHERE s.program = ?", (storable(program),)) if program is not None else ("", ())
        if self._version >= 3:
            totals = "s.done, COALESCE(s.last_step, s.first_step - 1), COALESCE(s.last_at, s.started), s.steps, s.added"
            tables = "sessions s"
        else:
            totals = "COALESCE(t.done, 0), COALESCE(t.last, s.first_step - 1), COALESCE(t.at, s.started), " + (
                "s.steps, COALESCE(a.added, 0)" if self._version >= 2 else "NULL, 0"
            )
            tables = f"sessions s{_STEPS}{_ADDED if self._version >= 2 else ''}"
        totals += ", s.prescribed" if self._version >= 4 else ", NULL"
        with self._sqlite("read the history", write=False) as db:
            rows = db.execute(
                "SELECT s.id, s.program, s.title, s.path, s.started, s.ended, s.outcome,"
                f" s.pain_before, s.pain_after, s.first_step, s.resumes, {totals} FROM {tables} {where}",
                values,
            ).fetchall()
            # The step stopped in, read where there is one: for every row, two more columns were 4 % of the command.
            stopped = (
                {
                    session: {"stopped_step": step, "stopped_title": title}
                    for session, step, title in db.execute(
                        f"SELECT s.id, s.stopped_step, s.stopped_title FROM sessions s {where}"
                        f"{' AND' if where else ' WHERE'} s.stopped_step IS NOT NULL",
                        values,
                    )
                }
                if self._version >= 5
                else {}
            )
        # newest first (started, id): here, in a tenth of SQLite's time
        rows.sort(key=itemgetter(SessionRecord._fields.index("started"), 0), reverse=True)
        records = [
            SessionRecord(*row)._replace(**stopped[row[0]]) if row[0] in stopped else SessionRecord(*row)
            for row in rows
        ]
        live = playing.playing(self.path)
        return [
            record._replace(playing=True) if record.id in live and record.outcome is None else record
            for record in records
        ]

    def done(self, program: str) -> dict[int, dict[str, tuple[int | None, int | None]]]:
        """For each session of `program`, the steps that ran to their end: by title, their hold and reps as played."""
        if not self._readable():
            return {}
        with self._sqlite("read the history", write=False) as db:
            rows = db.execute(
                "SELECT t.session, t.title, t.hold, t.reps FROM steps t JOIN sessions s ON s.id = t.session"
                " WHERE s.program = ? AND t.completed = 1",
                (storable(program),),
            ).fetchall()
        found: dict[int, dict[str, tuple[int | None, int | None]]] = {}
        for session, title, hold, reps in rows:
            found.setdefault(session, {})[title] = (hold, reps)
        return found

    def steps(self, sessions: Sequence[int], *, notable: bool = False) -> dict[int, list[StepRecord]]:
        """The steps recorded in each of `sessions`, in step order, with the time added to each.

        `notable`: only the steps a session's line names, those skipped or whose timer was changed.
        """
        found: dict[int, list[StepRecord]] = {session: [] for session in sessions}
        if not sessions or not self._readable():
            return found
        newer = self._version >= 2
        added = "(SELECT SUM(a.seconds) FROM adjustments a WHERE a.session = t.session AND a.step = t.number)"
        changed = "EXISTS (SELECT 1 FROM adjustments a WHERE a.session = t.session AND a.step = t.number)"
        only = f"t.completed = 0 OR {changed}" if newer else "t.completed = 0"
        columns = (
            "SELECT session, number, title, kind, completed, hold, reps, sets, duration, at,"
            f" {added if newer else 'NULL'} FROM steps t"
        )
        rows = []
        with self._sqlite("read the history", write=False) as db:
            if notable:  # few in any history: all of them at once, then those of `sessions`
                among = "session IN (SELECT id FROM sessions WHERE notable) AND " if self._version >= 3 else ""
                rows = db.execute(f"{columns} WHERE {among}({only}) ORDER BY session, number").fetchall()
            for start in range(0, 0 if notable else len(sessions), _CHUNK):
                chunk = tuple(sessions[start : start + _CHUNK])
                marks = ", ".join("?" * len(chunk))
                rows += db.execute(f"{columns} WHERE session IN ({marks}) ORDER BY session, number", chunk).fetchall()
        for session, *row in rows:
            if session not in found:
                continue
            number, title, kind, completed, hold, reps, sets, duration, at, seconds = row
            found[session].append(
                StepRecord(number, title, kind, bool(completed), hold, reps, sets, duration, at, seconds)
            )
        return found
