"""`coach voices` with a real engine: the voices for one language, not every voice the engine knows.

espeak-ng knows 131 voices, speech-dispatcher with every espeak-ng variant over 13,000: a person
looking for a voice for an English program wants the English ones, and to be told the others exist.
The test reads espeak-ng's own list as the truth to compare with.
"""

from __future__ import annotations

import subprocess

import pytest

from tests.conftest import require_tool, run_coach


def espeak_voices() -> list[tuple[str, str]]:
    """(language, file) for each voice, as espeak-ng lists them itself."""
    listing = subprocess.run([require_tool("espeak-ng"), "--voices"], capture_output=True, text=True, check=True)
    return [(line.split()[1], line.split()[4]) for line in listing.stdout.splitlines()[1:] if len(line.split()) >= 5]


@pytest.mark.parametrize(
    ("args", "language"), [((), "en"), (("--language", "de"), "de"), (("--language", "pt-BR"), "pt")]
)
def test_voices_lists_the_languages_voices_and_says_how_many_more(args: tuple[str, ...], language: str) -> None:
    voices = espeak_voices()
    mine = [voice for voice, _ in voices if voice.split("-")[0] == language]
    assert 0 < len(mine) < len(voices) / 4
    result = run_coach("voices", "--speech", "espeak", *args)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert sorted(line.split()[-1] for line in lines) == sorted(mine)
    assert result.stderr.splitlines()[-1].startswith(f"{len(mine)} voices for {args[-1] if args else 'en'}; ")
    assert f"{len(voices) - len(mine)} more for other languages: coach voices --all" in result.stderr


def test_voices_all_lists_every_voice_the_languages_first() -> None:
    voices = espeak_voices()
    result = run_coach("voices", "--speech", "espeak", "--all")
    assert result.returncode == 0 and result.stderr == "", result.stderr
    languages = [line.split()[-1] for line in result.stdout.splitlines()]
    assert sorted(languages) == sorted(voice for voice, _ in voices)
    english = [index for index, language in enumerate(languages) if language.split("-")[0] == "en"]
    assert english == list(range(len(english)))  # first, all together


def test_a_bad_language_is_one_line_and_exit_2() -> None:
    result = run_coach("voices", "--speech", "none", "--language", "english!")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "expected a language code such as en or pt-BR" in result.stderr


@pytest.mark.parametrize(("program", "first"), [("demo-es", "es"), ("demo-fr", "fr-fr"), ("demo-zh", "cmn")])
def test_voices_for_a_program_list_its_languages_voices_first(program: str, first: str) -> None:
    """`--program` names the language: espeak-ng's Mandarin is `cmn`, which the coach takes for `zh`."""
    result = run_coach("voices", "--speech", "espeak", "--program", program, "--all")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].split()[0] == first
    assert run_coach("voices", "--speech", "espeak", "--program", "nosuch").returncode == 2
