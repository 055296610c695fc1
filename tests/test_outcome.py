"""How a session ends is one enum, whose values are the very strings the history has always stored."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from coach.history import store
from coach.history.store import History
from coach.session.outcome import INTERRUPTED, Outcome, how


def test_the_enum_is_what_the_history_file_allows() -> None:
    allowed = re.search(r"outcome IN \(([^)]*)\)", store._SCHEMA)
    assert allowed is not None
    assert {value.strip(" '") for value in allowed.group(1).split(",")} == {outcome.value for outcome in Outcome}


def test_each_outcome_has_its_words_and_none_is_interrupted() -> None:
    assert [how(outcome.value) for outcome in Outcome] == ["completed", "stopped", "stopped for pain"]
    assert how(None) == INTERRUPTED == "interrupted"
    assert f"{Outcome.PAIN}" == "pain" and Outcome("pain") is Outcome.PAIN


def test_an_outcome_stored_as_the_enum_reads_back_as_the_plain_string(tmp_path: Path) -> None:
    history = History(tmp_path / "history.sqlite")
    history.open()
    try:
        session = history.begin("demo", "Demo", "/demo.toml", "0" * 64, 0.0)
        history.end(session, Outcome.PAIN, 1.0)
        (record,) = history.sessions()
    finally:
        history.close()
    assert (record.outcome, record.how) == ("pain", "stopped for pain")
    with sqlite3.connect(tmp_path / "history.sqlite") as db:  # the bytes in the file: text, as before
        assert db.execute("SELECT outcome, typeof(outcome) FROM sessions").fetchone() == ("pain", "text")
