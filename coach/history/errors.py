"""The one error the history raises, apart from SQLite so that catching it costs no import."""

from coach.errors import CoachError


class HistoryError(CoachError):
    """The history file cannot be read or written; the message is one line for a person."""

    def __init__(self, message: str, *, busy: bool = False) -> None:
        super().__init__(message)
        self.busy = busy  # another writer holds the file: worth trying again
