"""How a session ends: one name each, and one wording each, for the screen, the history and the exit.

A `str` enum: the history's SQLite file stores these very strings (its CHECK
constraint names them), and the CSV and JSON reports print them, so files
written before the enum existed read the same and reports stay byte-identical.
"""

from __future__ import annotations

from enum import Enum

from coach.i18n import N_

INTERRUPTED = N_("interrupted")  # no outcome recorded: the coach was cut short (a crash, a power cut)


class Outcome(str, Enum):  # not StrEnum: 3.10 is still supported
    COMPLETED = "completed"
    STOPPED = "stopped"
    PAIN = "pain"

    def __str__(self) -> str:  # as the string it stands for, in an f-string or a CSV cell
        return self.value

    @property
    def words(self) -> str:
        """How the history's reports name it."""
        return _WORDS[self]


_WORDS: dict[str, str] = {
    Outcome.COMPLETED: N_("completed"),
    Outcome.STOPPED: N_("stopped"),
    Outcome.PAIN: N_("stopped for pain"),
}  # English in the history's files and CSV; `coach history`'s table and summary translate them


def how(outcome: str | None) -> str:
    """The words for an outcome read from the history, where none (NULL) means interrupted."""
    return _WORDS.get(outcome, INTERRUPTED) if outcome is not None else INTERRUPTED  # a str finds its member
