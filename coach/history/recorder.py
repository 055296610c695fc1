"""The session's log: each step, pain answer and ending goes to the history file as it happens.

Writes never wait: when the file is locked or broken, the record is kept in
memory and everything kept is written, in order, at the next chance. A broken
file is told at once (as a notice in the session's stream); a file another
coach is writing is told only if it stays locked for `BUSY_PATIENCE`, since two
sessions ending a step at the same moment is not news. Reading and writing
never raise into the session.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from coach.history.adherence import prescription_kept
from coach.history.store import History, HistoryError, StepRecord
from coach.i18n import N_, translation
from coach.program.model import Kind, Program
from coach.session.outcome import Outcome

FINAL_WAIT = 5.0  # seconds the last write may wait for another writer when the session is over
BUSY_PATIENCE = 10.0  # seconds of the session a lock may last before it is told: another coach's write takes ms
KEPT = N_("The session goes on; its record is kept and written when the file can be.")

Write = Callable[[History], None]


class Recorder:
    """A `SessionLog` for one session of `program`, known in the history as `key`."""

    def __init__(
        self,
        history: History,
        program: Program,
        key: str,
        *,
        problem: str | None = None,  # what went wrong reading the history before the start, to tell once
        resumes: int | None = None,  # the interrupted session an accepted offer goes on from
        now: Callable[[], float] = time.time,
    ) -> None:
        self.history = history
        self.program = program
        self.key = key
        self.problem = problem
        self.resumes = resumes
        self.now = now
        self.session: int | None = None
        self.kept: list[Write] = []
        self.told = False
        self.busy_since: float | None = None  # when the file was first found locked, while it still is
        self.words = translation(program.language)  # the notices' own words; the file's fault is said as it is

    # --- SessionLog ------------------------------------------------------------------------------

    def started(self) -> str | None:
        started = self.now()
        program = self.program

        def begin(history: History) -> None:
            path = str(Path(program.path).resolve())
            steps, prescribed = len(program.exercises), prescription_kept(program)
            self.session = history.begin(self.key, program.title, path, program.sha256, started, steps, prescribed)

        self.kept.append(begin)
        failure = self.flush()
        if self.problem is None:
            return self._tell(failure)
        self.told = failure is not None  # a write that fails later is news, if this one went through
        if failure is None:
            uncounted = self.words.gettext("Past sessions are not counted this time.")
            return f"{self.problem}. {uncounted}"
        kept = self.words.gettext("Past sessions are not counted, and this one is kept until the file can be written.")
        return f"{self.problem}. {kept}"

    def resumed(self, step: int) -> str | None:
        if self.resumes is None:
            return None
        resumes = self.resumes
        return self._write(lambda history: history.resumed(self._id(), resumes, step))

    def step_ended(self, number: int, completed: bool) -> str | None:
        step = self.program.exercises[number - 1]  # numbers count exercises: rests are not steps
        values = StepRecord(
            number,
            step.title,
            step.kind.value,
            completed,
            hold=step.hold if step.kind is Kind.HOLD else None,
            reps=step.reps if step.kind in {Kind.HOLD, Kind.REPS} else None,
            sets=step.sets if step.kind in {Kind.HOLD, Kind.REPS} else None,
            duration=step.duration if step.kind is Kind.TIMED else None,
            at=self.now(),
        )
        return self._write(lambda history: history.step(self._id(), number, values))

    def replayed(self, number: int) -> str | None:
        return self._write(lambda history: history.unskip(self._id(), number))

    def adjusted(self, step: int, seconds: int) -> str | None:
        at = self.now()
        return self._write(lambda history: history.adjust(self._id(), step, seconds, at))

    def answered(self, before: bool, pain: int) -> str | None:
        return self._write(lambda history: history.pain(self._id(), before=before, pain=pain))

    def ended(self, outcome: Outcome, step: int | None) -> str | None:
        ended = self.now()
        title = None if step is None else self.program.exercises[step - 1].title  # as played: the file may change
        return self._write(lambda history: history.end(self._id(), outcome, ended, step, title))

    # --- writing -----------------------------------------------------------------------------------

    def _id(self) -> int:
        assert self.session is not None  # `begin` is always the first write, and writes go in order
        return self.session

    def _write(self, write: Write) -> str | None:
        self.kept.append(write)
        return self._tell(self.flush())

    def _tell(self, failure: HistoryError | None) -> str | None:
        """The notice for a failed write: the first one only, and a lock only once it has lasted."""
        if failure is None:
            self.busy_since = None
            return None
        if failure.busy:
            now = self.now()
            self.busy_since = now if self.busy_since is None else self.busy_since
            if now - self.busy_since < BUSY_PATIENCE:
                return None
        if self.told:
            return None
        self.told = True
        return f"{failure}. {self.words.gettext(KEPT)}"

    def flush(self) -> HistoryError | None:
        """Write everything kept, in order; why it could not, or None when all is written."""
        try:
            while self.kept:
                self.kept[0](self.history)
                self.kept.pop(0)
        except HistoryError as error:
            return error
        return None

    def close(self) -> str | None:
        """At the end: one last try, waiting a little for another writer. A line for the terminal if it failed."""
        self.history.timeout = FINAL_WAIT
        failure = self.flush()
        self.history.close()
        if failure:
            return f"coach: {failure}. This session's record could not be written."
        return None
