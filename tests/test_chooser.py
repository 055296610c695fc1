"""`coach` alone in plain mode: the plain chooser, walked as a screen-reader user walks it.

A real pty read through pyte: the numbered list, the question, wrong answers
said and asked again, then the chosen program played exactly as `coach run`
plays it (its lines, its options, its history). Pipes: the first line chooses,
the rest are command words.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import termios
from collections.abc import Iterator
from pathlib import Path

import pytest

from coach.history.store import History
from coach.i18n import cells
from coach.program.catalog import bundled
from coach.views.controls import SHORT_HELP
from coach.views.plain.chooser import ASK, NONE_CHOSEN, Entry, listing, load_entries, pick
from tests.conftest import BIN, PROGRAMS, ROOT, run_coach
from tests.pty_coach import COOKED, PtyCoach, assert_plain_output

QUIET = ["--speech", "none"]
TINY = PROGRAMS / "good" / "tiny.toml"


@pytest.fixture
def coaches() -> Iterator[list[PtyCoach]]:
    started: list[PtyCoach] = []
    yield started
    for coach in started:
        coach.close()


COUNT = len(bundled())  # the chooser offers every bundled program, in every language


def numbered() -> list[str]:
    """The list as the chooser writes it, one line per bundled program (a 200-column pty wraps none); under QUIET
    (`--speech none`), whose sessions play no tones, its lengths count none."""
    return listing(load_entries(bundled(), 170, tones=False))


@pytest.mark.slow
def test_accessible_coach_lists_asks_says_what_was_wrong_and_plays_the_chosen_program(
    coaches: list[PtyCoach],
) -> None:
    """The acceptance walk: `ACCESSIBLE=1 coach`, a wrong answer or two, then `2` Enter, and the demo plays."""
    coach = PtyCoach(*QUIET, env={"ACCESSIBLE": "1"})
    coaches.append(coach)
    asked = coach.wait_for(ASK)
    assert coach.lines()[:asked] == numbered() and coach.lines()[1].startswith("2. Demo, ")
    assert coach.local_modes() & COOKED == COOKED  # the terminal's own line editing, and what is typed is seen
    for typed, told in (
        ("zzz", f'No program matches "zzz". Type a number from 1 to {COUNT} or a name, then Enter.'),
        ("99", f"There is no program 99. Type a number from 1 to {COUNT} or a name, then Enter."),
        ("", f"Type a number from 1 to {COUNT} or a name, then Enter."),
    ):
        for key in typed + "\r":  # one by one, as a person types
            coach.press(key)
        asked = coach.wait_for(told, after=asked)
    for key in "2\r":
        coach.press(key)
    opening = coach.wait_for_start("Demo. 3 steps, about ", after=asked)
    step = coach.wait_for("Step 1 of 3. Knee to chest.", after=asked, timeout=60)
    assert coach.lines()[asked + 1 : step] == ["2", SHORT_HELP, opening]
    assert coach.local_modes() & termios.ICANON == 0  # the session's single keys now
    coach.press("q")
    coach.wait_for("Stop the session? y / n", after=step)
    coach.press("y")
    coach.wait_for("Session stopped.", after=step)
    assert coach.finish() == 0
    assert_plain_output(coach)
    assert coach.local_modes() & COOKED == COOKED
    history = History()  # recorded as `coach run demo` records it
    [record] = history.sessions()
    history.close()
    assert (record.program, record.how) == ("demo", "stopped")


@pytest.mark.parametrize("how", ["ACCESSIBLE", "TERM=dumb", "--plain", "config"])
def test_every_way_of_choosing_plain_mode_gives_the_chooser_and_ctrl_d_leaves(
    coaches: list[PtyCoach], tmp_path: Path, how: str
) -> None:
    config = tmp_path / "config.toml"
    config.write_text("plain = true\n" if how == "config" else "")
    env = {"COACH_CONFIG": str(config)}
    env.update({"ACCESSIBLE": "1"} if how == "ACCESSIBLE" else {"TERM": "dumb"} if how == "TERM=dumb" else {})
    coach = PtyCoach(*QUIET, *(["--plain"] if how == "--plain" else []), env=env)
    coaches.append(coach)
    asked = coach.wait_for(ASK)
    coach.press("\x04")  # Ctrl-D: the end of input
    coach.wait_for(NONE_CHOSEN, after=asked)
    assert coach.finish() == 0
    assert_plain_output(coach)


def test_the_config_files_plain_and_speech_are_used_by_coach_alone(coaches: list[PtyCoach], tmp_path: Path) -> None:
    """`plain = true` and the engine in the config file: the chooser, then the program spoken by that engine."""
    config, spoken = tmp_path / "config.toml", tmp_path / "spoken.log"
    config.write_text(f'plain = true\nspeech = "command"\nspeech_command = "{BIN / "say-log"} {{rate}} {{text}}"\n')
    coach = PtyCoach("--dir", str(TINY.parent), env={"COACH_CONFIG": str(config), "COACH_TEST_LOG": str(spoken)})
    coaches.append(coach)
    asked = coach.wait_for(ASK)
    for key in "tiny\r":
        coach.press(key)
    step = coach.wait_for("Step 1 of 1. Bridge.", after=asked, timeout=60)
    coach.press("x")  # out at once
    coach.wait_for("Stop now and rest. If the pain goes on or gets worse, call your doctor.", after=step)
    assert coach.finish() == 0
    assert "Tiny. 1 step, about 10 seconds." in spoken.read_text()


@pytest.mark.slow
def test_through_pipes_the_first_line_chooses_and_the_rest_are_command_words(tmp_path: Path) -> None:
    """Neither end a terminal: the list and the answers are lines, and the words after the choice control it."""
    result = subprocess.run(
        [sys.executable, "-m", "coach", *QUIET, "--dir", str(TINY.parent)],
        input="nothing like it\ntiny\nstatus\n",
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    asked = lines.index(ASK)
    assert lines[asked + 1].startswith('No program matches "nothing like it".')
    assert lines[asked + 2 :][:2] == [
        "Tiny. 1 step, about 10 seconds.",
        "Tiny. Next: Bridge. About 10 seconds left in the session.",
    ]  # status
    assert lines[-1] == "Session complete. Well done."
    history = History()
    [record] = history.sessions()
    history.close()
    assert record.program == str(TINY.resolve())  # as `coach run tests/programs/good/tiny.toml` records it


def test_no_input_at_all_lists_and_leaves_quietly() -> None:
    result = run_coach(*QUIET)  # stdin from /dev/null, stdout a pipe
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [*numbered(), ASK, NONE_CHOSEN]


@pytest.mark.slow
def test_the_run_options_given_to_coach_alone_are_the_run_options(tmp_path: Path) -> None:
    """`coach --rate 300 --no-progress --speech command ...` plays as `coach run` plays with the same options."""
    options = ["--rate", "300", "--no-progress", "--speech", "command"]
    options += ["--speech-command", f"{BIN / 'say-log'} {{rate}} {{text}}"]
    said: list[list[str]] = []
    for argv, answer in (([*options, "--dir", str(TINY.parent)], "tiny\n"), (["run", str(TINY), *options], "")):
        spoken = tmp_path / f"spoken-{len(said)}.log"
        result = subprocess.run(
            [sys.executable, "-m", "coach", *argv],
            input=answer,
            capture_output=True,
            text=True,
            timeout=60,
            cwd=ROOT,
            env={**os.environ, "COACH_TEST_LOG": str(spoken)},
        )
        assert result.returncode == 0, result.stderr
        said.append([line.split(" ", 2)[2] for line in spoken.read_text().splitlines()])  # rate and text
    assert said[0] == said[1] and said[0][0].startswith("300 Tiny.")


@pytest.mark.parametrize(
    ("answer", "chosen"),
    [
        ("2", "demo"),
        (" 2. ", "demo"),
        ("DEMO", "demo"),
        ("low back relief", "low-back-relief"),
        ("heat", "low-back-relief"),
    ],
)
def test_an_answer_names_a_program_by_number_name_title_or_words(answer: str, chosen: str) -> None:
    entries = load_entries(bundled(), 170)
    found = pick(entries, answer.strip())
    assert isinstance(found, Entry) and found.name == chosen


@pytest.mark.parametrize(
    ("answer", "told"),
    [
        ("0", "There is no program 0. "),
        ("back", '8 programs match "back": 1. Core strength, 3. Gentle back stretches, '),
        ("neck", 'No program matches "neck". '),
    ],
)
def test_a_wrong_answer_is_told_in_one_line_that_asks_again(answer: str, told: str) -> None:
    said = pick(load_entries(bundled(), 170), answer)
    assert isinstance(said, str) and said.startswith(told)
    assert said.endswith(f"Type a number from 1 to {COUNT} or a name, then Enter.") and "\n" not in said


def test_q_leaves_without_a_program() -> None:
    assert pick(load_entries(bundled(), 170), "q") is None


def test_at_40_columns_the_list_breaks_between_words(coaches: list[PtyCoach]) -> None:
    coach = PtyCoach(*QUIET, env={"ACCESSIBLE": "1"}, columns=40)
    coaches.append(coach)
    coach.wait_for_start("Type a number or a name,")
    coach.press("\x04")
    coach.wait_for(NONE_CHOSEN)
    assert coach.finish() == 0
    rows = coach.lines()
    assert len(rows) > len(numbered()) + 2 and all(cells(row) <= 40 for row in rows)
    said = " ".join([*numbered(), ASK, NONE_CHOSEN])
    assert "".join(" ".join(rows).split()) == "".join(said.split())  # Chinese breaks between any two characters
    words = re.compile(r"[^\W\u3000-\u9fff]+")
    assert words.findall(" ".join(rows)) == words.findall(said), "a word was split across two rows"


def offered_titles(folder: Path, config: Path) -> list[str]:
    """The titles the plain chooser offers with `--dir folder`, as each row shows it (with its mark)."""
    result = subprocess.run(
        [sys.executable, "-m", "coach", "--plain", *QUIET, "--dir", str(folder)],
        input="",
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env={**os.environ, "COACH_CONFIG": str(config)},
    )
    listed = result.stdout.splitlines()
    return [re.sub(r"^\d+\. ", "", line).split(",")[0] for line in listed if re.match(r"\d+\. ", line)]


def test_a_program_in_dir_named_as_a_bundled_one_is_added_beside_it_not_in_its_place(tmp_path: Path) -> None:
    """A walk's `--dir` held a demo.toml: the bundled Demo was gone from the list, and nothing said why."""
    given = tmp_path / "given"
    given.mkdir()
    (given / "demo.toml").write_bytes(TINY.read_bytes())
    (given / "mine.toml").write_bytes(TINY.read_bytes())
    titles = offered_titles(given, tmp_path / "none.toml")
    assert "Demo" in titles and "Tiny (demo.toml)" in titles and "Tiny (mine.toml)" in titles, titles
    assert len(titles) == len(bundled()) + 2


def test_files_in_dir_of_one_title_are_told_apart_by_their_files_names(tmp_path: Path) -> None:
    """A caregiver's walk kept two versions of Mrs Patel's program in one folder: two identical rows."""
    given = tmp_path / "given"
    given.mkdir()
    for name in ("patel-v1", "patel-v2", "other"):
        (given / f"{name}.toml").write_bytes(
            TINY.read_bytes().replace(b'"Tiny"', b'"Mrs Patel"' if "patel" in name else b'"Other"')
        )
    titles = offered_titles(given, tmp_path / "none.toml")
    assert "Mrs Patel (patel-v1.toml)" in titles and "Mrs Patel (patel-v2.toml)" in titles, titles
    assert "Other" in titles and "Demo" in titles, titles  # a title of its own is shown as it is


def test_a_filter_matches_without_its_accents_and_in_any_case() -> None:
    """A Spanish walk typed "demostracion", as a keyboard without accents types it, and no program matched."""
    entries = {entry.name: entry for entry in load_entries(bundled(), 170)}
    demo_es = entries["demo-es"]
    assert demo_es.program.title == "Demostración"
    for typed in ("demostracion", "DEMOSTRACIÓN", "Demostración", "demostración estiramiento", "MENOS de un minuto"):
        assert demo_es.matches(typed), typed
    assert not entries["demo"].matches("demostracion")
