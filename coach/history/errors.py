"""The one error the history raises, apart from SQLite so that catching it costs no import."""


class HistoryError(Exception):
    """The history file cannot be read or written; the message is one line for a person."""
