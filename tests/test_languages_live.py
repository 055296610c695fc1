"""The languages, for real: plain mode in a pseudo-terminal read through pyte as a screen reader reads it,
and a Spanish session stopped for pain by a word typed into its pipe."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.i18n import cells
from coach.timeline import Phrases
from coach.views.controls import KEYS, short_help
from tests.helpers import SPANISH_CHECK_IN
from tests.plain_coach import PlainCoach
from tests.pty_coach import PtyCoach, assert_plain_output


@pytest.mark.parametrize("language", ["es", "fr", "zh"])
def test_plain_mode_in_each_language_is_readable_and_unbroken(language: str) -> None:
    """Every line once, none rewritten, no escapes; at 40 columns no row is wider than the terminal, however
    many cells its characters take, and the words read in order."""
    columns = 40  # the narrowest terminal the coach is made for: long lines wrap here, Chinese most
    coach = PtyCoach("run", "--plain", "--speech", "none", "--rate", "450", f"demo-{language}", columns=columns)
    try:
        assert coach.finish() == 0
        assert_plain_output(coach)
        rows = coach.lines()
        phrases = Phrases(language)
        said = "".join("".join(rows).split())
        for wanted in (
            short_help(KEYS, language),
            phrases("step", number=1, steps=3, title=translated_title(language)),
            phrases("complete"),
        ):
            assert "".join(wanted.split()) in said, (wanted, rows)
        assert all(cells(row) <= columns for row in rows), rows
    finally:
        coach.close()


def translated_title(language: str) -> str:
    return {"es": "Rodilla al pecho", "fr": "Genou contre la poitrine", "zh": "抱膝至胸"}[language]


def test_siete_typed_into_a_spanish_session_stops_it_for_pain_with_the_spanish_advice(tmp_path: Path) -> None:
    program = tmp_path / "puente.toml"
    program.write_text(SPANISH_CHECK_IN)
    coach = PlainCoach(str(program))
    try:
        asked = Phrases("es")("checkin", seconds=10)  # "¿Cómo está tu dolor ahora, de 0 a 10? …"
        coach.wait_line(lambda line: line == asked)
        coach.send("siete")
        stop = coach.wait_line(lambda line: "Para ahora y descansa" in line)
        assert stop.startswith("Has dicho que tu dolor es 7 de 10.")
        assert coach.finish() == 0
    finally:
        coach.kill()
