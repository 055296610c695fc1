"""The config file: set once, overridden by the command line, and a clear line when it is broken."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import BIN, run_coach

SAY_LOG = BIN / "say-log"


def logged_rates(log: Path) -> list[int]:
    return [int(line.split(" ", 3)[2]) for line in log.read_text().splitlines()]


def test_the_config_file_chooses_engine_and_rate_and_the_command_line_wins(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'speech = "command"\nspeech_command = "{SAY_LOG} {{rate}} {{text}}"\nrate = 200\n')
    log = tmp_path / "log"
    env = {"COACH_CONFIG": str(config), "COACH_TEST_LOG": str(log)}
    assert run_coach("say", "From the config.", env=env).returncode == 0
    assert run_coach("say", "--rate", "300", "From the command line.", env=env).returncode == 0
    assert logged_rates(log) == [200, 300]


def test_no_config_file_is_no_problem(tmp_path: Path) -> None:
    result = run_coach("say", "--speech", "none", "Quiet.", env={"COACH_CONFIG": str(tmp_path / "none.toml")})
    assert result.returncode == 0 and result.stderr == ""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("speach = 'espeak'\n", "unknown key 'speach'; did you mean \"speech\"?"),
        ("rate = 1000\n", "rate: expected words per minute from 80 to 450, got 1000"),
        ("rate = true\n", "rate: expected words per minute from 80 to 450, got True"),
        ("speech = 'festival'\n", "speech: expected one of pyttsx3, espeak, speechd, command, none, got 'festival'"),
        ("plain = 'yes'\n", "plain: expected true or false, got 'yes'"),
        ("voice = 3\n", "voice: expected text in quotes, got 3"),
        ("rate = \n", "not valid TOML: "),
    ],
)
def test_a_broken_config_file_is_one_line_and_exit_2(tmp_path: Path, text: str, message: str) -> None:
    config = tmp_path / "config.toml"
    config.write_text(text)
    result = run_coach("run", "demo", "--plain", env={"COACH_CONFIG": str(config)})
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"{config}: {message}") and result.stderr.count("\n") == 1
