"""What one session of a program plays: the file's steps grown by its history, and how it is recorded.

`coach run`, the picker and `coach preview` all start here, so the values a
person hears are the values the preview prints and the history records.
Reading the history may fail (a locked or damaged file): the session then
plays the file's own values and says why, and still tries to record itself.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from coach.errors import UsageError
from coach.history.progression import Past, progress
from coach.history.recorder import Recorder
from coach.history.store import History, HistoryError, SessionRecord
from coach.program import Program, load_program
from coach.program.catalog import program_key
from coach.timeline import DEFAULT_RATE, Phrases, Timeline, compile_program, offer_resume
from coach.timeline.compile import CHECKIN_SECONDS

RESUME_WITHIN = 24 * 60 * 60  # an interrupted session older than this is not offered to go on from


@dataclass(frozen=True)
class Plan:
    program: Program  # with this session's holds and reps
    timeline: Timeline
    recorder: Recorder


def plan_session(
    path: Path,
    *,
    rate: int = DEFAULT_RATE,
    use_progress: bool = True,
    history: History | None = None,
    now: Callable[[], float] = time.time,
    listening: bool = False,
    tones: bool = False,
    typed: bool = False,
) -> Plan:
    """Load the program at `path` and make ready to play and record it (`ProgramError` if the file is bad).
    `typed`: commands come as words typed into a pipe (plain mode), where no Space can be pressed."""
    history = history or History()
    key = program_key(path)
    made = _progressed(path, rate, use_progress, history, key, making=True, listening=listening, tones=tones)
    program, timeline, past, problem = made
    offer = _interrupted(past, len(program.exercises), now())
    if offer is not None:
        step = offer.last_step + 1
        phrases = Phrases(program.language)
        text = phrases(
            # lying on the floor: what to say too; from a pipe: what to type (a walk was told to press Space)
            "resume_offer_listening" if listening else "resume_offer_typed" if typed else "resume_offer",
            number=step,
            steps=len(program.exercises),
            title=program.exercises[step - 1].title,
            seconds=CHECKIN_SECONDS,
        )
        timeline = offer_resume(timeline, step, text)
    recorder = Recorder(history, program, key, problem=problem, resumes=offer.id if offer else None, now=now)
    return Plan(program, timeline, recorder)


def preview_timeline(
    path: Path,
    *,
    rate: int = DEFAULT_RATE,
    use_progress: bool = True,
    tones: bool = False,
) -> Timeline:
    """The timeline `coach run` would play now, without any offer to resume (a preview has no past); laid on
    estimates (the caller lays it again on a rendering engine's cached audio, in the program's voice)."""
    history = History()
    try:
        return _progressed(path, rate, use_progress, history, program_key(path), tones=tones)[1]
    finally:
        history.close()


def grown_program(path: Path) -> Program:
    """The program at `path` with the holds and reps its next session plays, grown by its history: what the
    printed sheet gives (a caregiver's walk found the file's first values on it, sessions after they grew)."""
    history = History()
    try:
        return _progressed(path, DEFAULT_RATE, True, history, program_key(path))[0]
    finally:
        history.close()


def _progressed(
    path: Path,
    rate: int,
    use_progress: bool,
    history: History,
    key: str,
    *,
    making: bool = False,
    listening: bool = False,
    tones: bool = False,
) -> tuple[Program, Timeline, list[SessionRecord], str | None]:
    """The program as grown by its history; `making` opens (or makes) the file first, as a session will write."""
    program = load_program(path)
    try:
        if making:
            history.open()
        past = history.sessions(key)
        done = history.done(key) if use_progress else {}
        problem = None
    except HistoryError as error:
        past, done, problem = [], {}, str(error)
    if not use_progress:
        return program, compile_program(program, rate=rate, listening=listening, tones=tones), past, problem
    oldest_first = [Past(record.outcome, record.pain_after, done.get(record.id, {})) for record in past[::-1]]
    grown = progress(program, oldest_first)
    timeline = compile_program(grown.program, rate=rate, notes=grown.notes, listening=listening, tones=tones)
    return grown.program, timeline, past, problem


def _interrupted(past: list[SessionRecord], steps: int, now: float) -> SessionRecord | None:
    """The last session, if it was cut short lately with a step still to do (not one still playing elsewhere)."""
    if not past:
        return None
    last = past[0]
    not_cut_short = last.outcome is not None or last.playing
    if not_cut_short or now - last.started > RESUME_WITHIN or not 1 <= last.last_step < steps:
        return None
    return last


def resolve_named(name: str) -> Path:
    """The file of a program named on the command line (`catalog.resolve`); a name that is no longer on the
    shelf but has a history is told as such, in one line, so the caregiver knows its sessions are not lost."""
    from coach.program import ProgramError
    from coach.program.catalog import resolve

    try:
        return resolve(name)
    except ProgramError:
        removed = _recorded(name)
        if removed:
            raise UsageError(
                f"{name}: no longer on the shelf (removed or renamed); its {removed} recorded session"
                f"{'s stay' if removed > 1 else ' stays'} in the history: coach history --program {name}"
            ) from None
        raise


def _recorded(key: str) -> int:
    """How many sessions the history holds under a name; 0 for a path, or when it cannot be read."""
    if not key or "/" in key or key.endswith(".toml"):
        return 0
    history = History()
    try:
        return len(history.sessions(key))
    except HistoryError:
        return 0
    finally:
        history.close()
