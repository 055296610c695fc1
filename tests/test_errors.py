"""Bad input is one line and exit 2; a bug is a traceback, so that it gets reported (issue 16.3, 16.4).

Run in-process through `coach.cli.main`, the very function `coach` runs, so a
bug can be planted by monkeypatching one function the command calls.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

import coach.cli
from coach.errors import CoachError, ConfigError, UsageError
from coach.history.errors import HistoryError
from coach.program import ProgramError
from coach.speech import RATES


def one_line_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str], starts: str) -> None:
    status = coach.cli.main(argv)
    err = capsys.readouterr().err
    assert status == 2, err
    assert err.startswith(starts) and err.count("\n") == 1, err
    assert "Traceback" not in err


def test_a_bug_inside_a_command_is_a_traceback_not_exit_2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Before, `except ValueError` around everything turned any bug into one line and exit 2."""

    def broken(*args: object, **kwargs: object) -> object:
        raise ValueError("a bug, not bad input")

    monkeypatch.setattr("coach.program.catalog.bundled", broken)
    with pytest.raises(ValueError, match="a bug, not bad input"):
        coach.cli.main(["list"])


def test_a_bug_in_the_config_reader_is_a_traceback(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("rate = 200\n")
    monkeypatch.setenv("COACH_CONFIG", str(config))

    def broken(text: str) -> object:
        raise ValueError("a bug in the parser")

    monkeypatch.setattr("coach.program.syntax.parse_toml", broken)
    with pytest.raises(ValueError, match="a bug in the parser"):
        coach.cli.main(["say", "--speech", "none", "Hello."])


def test_every_kind_of_bad_input_is_a_coach_error() -> None:
    assert all(issubclass(kind, CoachError) for kind in (UsageError, ConfigError, ProgramError, HistoryError))


@pytest.mark.parametrize("silent", [["--speech", "none"], ["--no-speech"]])
def test_say_without_speech_is_a_usage_error(capsys: pytest.CaptureFixture[str], silent: list[str]) -> None:
    """`coach say` is there to try a voice: without one it said nothing and printed nothing, with exit 0."""
    one_line_exit_2(capsys, ["say", *silent, "Hi."], "coach say: with --speech none nothing is said")


def test_a_usage_error_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    one_line_exit_2(capsys, ["history", "--steps"], "coach history: --steps goes with --csv")
    one_line_exit_2(capsys, ["say", "--speech", "command", "Hi."], "--speech command needs --speech-command")
    one_line_exit_2(capsys, ["say", "--speech", "command", "--speech-command", "", "Hi."], "--speech-command is empty")
    # an empty recorder is an error as an empty speech command is (a walk saw "" start arecord instead)
    one_line_exit_2(capsys, ["run", "demo", "--listen", "--listen-command", ""], "--listen-command is empty")
    one_line_exit_2(capsys, ["listen", "--listen-command", ""], "--listen-command is empty")


def test_a_config_error_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text("rate = 1000\n")
    monkeypatch.setenv("COACH_CONFIG", str(config))
    one_line_exit_2(capsys, ["say", "--speech", "none", "Hi."], f"{config}:1: rate: expected words per minute")
    config.write_text("rates = 200\n")
    one_line_exit_2(capsys, ["run", "demo", "--plain"], f"{config}:1: unknown key 'rates'; did you mean \"rate\"?")


def test_a_bad_theme_is_told_as_coming_from_where_it_was_given() -> None:
    """Checked only where Textual starts: from the config file a ConfigError, from --theme a UsageError."""
    from coach.settings import Settings

    with pytest.raises(ConfigError, match=r"^config\.toml: theme: expected one of coach-high-contrast"):
        coach.cli._theme(Settings(theme="no-such-theme", theme_from="config.toml: theme"))
    with pytest.raises(UsageError, match=r"^--theme: expected one of"):
        coach.cli._theme(Settings(theme="no-such-theme", theme_from="--theme"))
    assert coach.cli._theme(Settings(theme="coach-high-contrast")) == "coach-high-contrast"


def test_a_program_error_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    program = tmp_path / "broken.toml"
    program.write_text("format = \n")
    one_line_exit_2(capsys, ["preview", str(program)], f"{program}:1: TOML syntax")


def test_a_history_error_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "history.sqlite3").write_bytes(b"not a database, " * 100)
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path))
    one_line_exit_2(capsys, ["history"], "history ")


def test_the_config_file_fills_what_the_command_line_leaves_unsaid() -> None:
    from coach.settings import Settings

    settings = Settings.resolve({"rate": 200, "plain": True, "voice": "en"}, {"rate": 300, "voice": None})
    assert (settings.rate, settings.plain, settings.voice) == (300, True, "en")
    assert Settings.resolve({}, {}).rate == 170 and Settings.resolve({}, {}).speech == "pyttsx3"
    assert Settings.resolve({"speech": "espeak"}, {"no_speech": True}).speech == "none"
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.rate = 100  # type: ignore[misc]


def test_the_rate_range_is_told_from_the_one_place_it_lives(capsys: pytest.CaptureFixture[str]) -> None:
    told = f"from {RATES.start} to {RATES.stop - 1}"
    with pytest.raises(SystemExit):
        coach.cli.main(["say", "--rate", str(RATES.stop), "Hi."])
    assert told in capsys.readouterr().err
    with pytest.raises(SystemExit):
        coach.cli.main(["--help"])
    assert f"({RATES.start} to {RATES.stop - 1})" in capsys.readouterr().out


def test_the_theme_check_lives_beside_textual_not_in_the_settings() -> None:
    """coach.settings imports no view: `theme_problem` moved to coach.views.tui.themes."""
    import coach.settings
    from coach.views.tui.themes import theme_problem

    assert not hasattr(coach.settings, "theme_problem")
    assert theme_problem("coach-high-contrast") is None
    assert "expected one of" in (theme_problem("nope") or "")


@pytest.mark.parametrize(
    ("args", "told"),
    [
        (["--bogus"], "coach: unrecognized arguments: --bogus (see coach --help)"),
        (["run", "demo", "--rate", "abc"], "coach run: argument --rate: expected words per minute from 80 to 450"),
        (["nosuch"], "coach: argument COMMAND: invalid choice: 'nosuch'"),
        (
            ["run"],  # a walk did not know that `coach` alone opens the list
            "coach run: name a program (coach list shows them), or run coach alone to choose one"
            " (see coach run --help)",
        ),
        (["preview"], "coach preview: name a program (coach list shows them) (see coach preview --help)"),
        (["sheet"], "coach sheet: name a program (coach list shows them) (see coach sheet --help)"),
        (["history", "--weeks", "3"], "coach history: unrecognized arguments: --weeks 3 (see coach history --help)"),
        (["run", "demo", "--bogus"], "coach run: unrecognized arguments: --bogus (see coach run --help)"),
    ],
)
def test_a_mistake_on_the_command_line_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], args: list[str], told: str
) -> None:
    """Not argparse's usage block first: five lines a screen reader reads before the one that matters."""
    with pytest.raises(SystemExit) as ended:
        coach.cli.main(args)
    assert ended.value.code == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and err.startswith(told), err
