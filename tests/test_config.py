"""The config file: set once, overridden by the command line, and a clear line when it is broken."""

from __future__ import annotations

import os
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
    # with no voice: a rendering engine's preview says on stderr how many lengths are estimates
    result = run_coach("preview", "demo", "--speech", "none", env={"COACH_CONFIG": str(tmp_path / "none.toml")})
    assert result.returncode == 0 and result.stderr == "" and "Total:" in result.stdout


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("speach = 'espeak'\n", ":1: unknown key 'speach'; did you mean \"speech\"?"),
        ("lang = 'es'\n", ":1: unknown key 'lang'; did you mean \"language\"?"),  # a walk's was offered "plain"
        ("plain = true\nrate = 1000\n", ":2: rate: expected words per minute from 80 to 450, got 1000"),
        ("rate = true\n", ":1: rate: expected words per minute from 80 to 450, got True"),
        (
            "speech = 'festival'\n",
            ":1: speech: expected one of pyttsx3, espeak, piper, speechd, command, none, got 'festival'",
        ),
        ("plain = 'yes'\n", ":1: plain: expected true or false, got 'yes'"),
        ("# the voice\n  voice = 3\n", ":2: voice: expected text in quotes, got 3"),
        ("rate = 150\nrate = 160\n", ":2: not valid TOML: rate is given twice in the same table; keep one\n"),
        ("rate = \n", ":1: not valid TOML: a value is missing after rate ="),
        ("plain = true\nspeech = espeak\n", ':2: not valid TOML: text must be in quotes: speech = "espeak"'),
    ],
)
def test_a_broken_config_file_is_one_line_and_exit_2(tmp_path: Path, text: str, message: str) -> None:
    config = tmp_path / "config.toml"
    config.write_text(text)
    result = run_coach("run", "demo", "--plain", env={"COACH_CONFIG": str(config)})
    assert result.returncode == 2
    assert result.stdout == ""
    separator = "" if message.startswith(":") else ": "
    assert result.stderr.startswith(f"{config}{separator}{message}") and result.stderr.count("\n") == 1


def _fifo(folder: Path) -> Path:
    os.mkfifo(folder / "config.toml")
    return folder / "config.toml"


def _big(folder: Path) -> Path:
    (folder / "config.toml").write_bytes(b"# padding\n" * 110_000)
    return folder / "config.toml"


def _latin1(folder: Path) -> Path:
    (folder / "config.toml").write_bytes(b'plain = true\nvoice = "caf\xe9"\n')
    return folder / "config.toml"


def _deep(folder: Path) -> Path:
    (folder / "config.toml").write_text("a" + ".a" * 150_000 + " = 1\n")
    return folder / "config.toml"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda folder: Path("/dev/zero"), "/dev/zero: is not a regular file (a pipe or a device?)"),
        (_fifo, "config.toml: is not a regular file (a pipe or a device?)"),
        (lambda folder: folder, ": is a folder, not a config file"),
        (_big, "config.toml: the file is larger than 1 MiB (1100000 bytes)"),
        (_latin1, "config.toml:2: the file is not UTF-8 text (byte 0xe9); save it as UTF-8"),
        (_deep, "config.toml:1: not valid TOML: nested too deeply: a key of more than 10 dotted parts"),
    ],
    ids=["dev-zero", "fifo", "folder", "over-1-MiB", "not-utf8", "deep-dotted-key"],
)
def test_a_config_path_that_is_no_sane_file_is_one_line_and_exit_2(tmp_path: Path, make, message: str) -> None:  # type: ignore[no-untyped-def]
    """COACH_CONFIG=/dev/zero grew to 4.4 GB and a FIFO hung: the config is read as a program file is."""
    config = make(tmp_path)
    result = run_coach("say", "--speech", "none", "Hello.", env={"COACH_CONFIG": str(config)}, timeout=10)
    assert result.returncode == 2 and result.stdout == ""
    assert message in result.stderr and result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr


def test_coach_list_with_a_broken_config_file_says_so_before_listing_anything(tmp_path: Path) -> None:
    """The list reads the config for the shelf's folder: the error is the whole output, not a list cut short."""
    config = tmp_path / "config.toml"
    config.write_text('rate = "fast"\n')
    result = run_coach("list", env={"COACH_CONFIG": str(config)})
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [f"{config}:1: rate: expected words per minute from 80 to 450, got 'fast'"]


def test_listen_and_its_recorder_come_from_the_config_file_under_the_command_line() -> None:
    from coach.settings import Settings

    config = {"listen": True, "listen_command": "my-recorder --raw"}
    assert Settings.resolve(config, {}).listen is True
    assert Settings.resolve(config, {}).listen_command == "my-recorder --raw"
    assert Settings.resolve(config, {"listen_command": "other"}).listen_command == "other"
    assert Settings.resolve({}, {"listen": True}).listen is True
    assert Settings.resolve({}, {}).listen is False


def test_listen_in_the_config_file_must_be_true_or_false(tmp_path: Path) -> None:
    from coach.errors import ConfigError
    from coach.settings import load_config

    path = tmp_path / "config.toml"
    path.write_text('listen = "yes"\n')
    with pytest.raises(ConfigError, match="listen: expected true or false, got 'yes'"):
        load_config(path)
