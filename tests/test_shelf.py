"""The patient's shelf, walked as a caregiver walks it: write a program, add it, see it, play it by name,
add a new version over it (its progression goes on), take it off (its history stays).

The in-process tests call `coach.cli.main` as the command line does; the walk runs the real `coach` in a
pty, with the real history file.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from coach.cli import main
from coach.history.store import History, default_path
from coach.program.catalog import program_key, resolve
from coach.program.shelf import MARK, shelf_dir
from coach.timeline import Phrases
from coach.views.plain.chooser import load_entries
from tests.conftest import run_coach
from tests.pty_coach import PtyCoach
from tests.recorded import Wall, play_once

NECK = """format = 1
[program]
title = "{title}"
check_in = false
[[steps]]
kind = "hold"
title = "Chin tuck"
say = "{say}"
hold = "1s"
reps = 1
[steps.progress]
hold = {{ to = 5, by = 1 }}
"""


def neck(folder: Path, *, title: str = "Neck relief", say: str = "Tuck your chin.", name: str = "neck") -> Path:
    path = folder / f"{name}.toml"
    path.write_text(NECK.format(title=title, say=say), encoding="utf-8")
    return path


DONE = Phrases("en")("complete")


@pytest.fixture(autouse=True)
def no_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COACH_CONFIG", str(tmp_path / "no-config.toml"))


@pytest.fixture
def coaches() -> Iterator[list[PtyCoach]]:
    started: list[PtyCoach] = []
    yield started
    for coach in started:
        coach.close()


def test_add_puts_a_valid_file_on_the_shelf_and_run_list_and_the_chooser_find_it_marked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["add", str(neck(tmp_path))]) == 0
    assert "Added neck (Neck relief)" in capsys.readouterr().out
    on_shelf = Path(shelf_dir()) / "neck.toml"
    assert on_shelf.read_text(encoding="utf-8") == (tmp_path / "neck.toml").read_text(encoding="utf-8")
    assert resolve("neck") == on_shelf
    assert main(["list"]) == 0
    listed = capsys.readouterr().out
    assert f"Neck relief ({MARK})" in listed and listed.index("demo") < listed.index("neck")
    assert program_key(on_shelf) == "neck"  # its name, not its path


def test_add_tells_what_validate_tells_of_a_valid_program(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A caregiver's walk added a program whose `ready` step waits for a key for ever: `add` said only "Added",
    where `validate` warns that a hands-free patient would be stalled."""
    program = tmp_path / "wait.toml"
    program.write_text(
        'format = 1\n[program]\ntitle = "Wait"\n[[steps]]\nkind = "ready"\ntitle = "Go"\ntimeout = "0s"\n'
        '[[steps]]\nkind = "hold"\ntitle = "Push"\nhold = "5s"\n'
    )
    assert main(["add", str(program)]) == 0
    told = capsys.readouterr().out.splitlines()
    assert told == [
        "Added wait (Wait). Play it with: coach run wait",
        '  Waits for a key for ever, not counted in its length (hands-free, give it a timeout): "Go" (line 4).',
    ]
    assert main(["add", str(neck(tmp_path))]) == 0
    assert capsys.readouterr().out.splitlines() == ["Added neck (Neck relief). Play it with: coach run neck"]


def test_add_checks_every_file_shows_every_problem_and_adds_nothing_if_one_is_bad(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = neck(tmp_path)
    bad = tmp_path / "bad.toml"
    bad.write_text('format = 1\n[program]\ntitel = "x"\n', encoding="utf-8")
    assert main(["add", str(good), str(bad)]) == 2
    told = capsys.readouterr().err.splitlines()
    assert any(":3: program: titel: unknown key" in line for line in told)
    assert any("title: missing" in line for line in told)
    assert any("steps: missing" in line for line in told)
    assert told[-1].startswith("Nothing added")
    assert not (Path(shelf_dir()) / "neck.toml").exists() and not (Path(shelf_dir()) / "bad.toml").exists()


def test_a_name_of_a_bundled_program_is_refused_with_a_free_name_to_use(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clash = neck(tmp_path, name="demo")
    assert main(["add", str(clash)]) == 2
    told = capsys.readouterr().err
    assert "'demo' is the name of a bundled program" in told and "my-demo.toml" in told
    assert not (Path(shelf_dir()) / "demo.toml").exists()
    # A walk added Demo.toml: `coach run Demo` played it, and the chooser, given "Demo", the bundled demo.
    assert main(["add", str(neck(tmp_path, name="Demo"))]) == 2
    told = capsys.readouterr().err
    assert "'Demo' is the bundled program 'demo' but for case" in told and "my-demo.toml" in told
    assert not (Path(shelf_dir()) / "Demo.toml").exists()


def test_a_name_that_differs_from_a_shelf_program_s_only_in_case_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A caregiver's walk added short.toml, then Short.toml: two programs listed "Short (yours)", one name to a
    person typing it, and one file on a case-blind synced folder."""
    assert main(["add", str(neck(tmp_path, name="short"))]) == 0
    (tmp_path / "other").mkdir()
    assert main(["add", str(neck(tmp_path / "other", name="Short"))]) == 2
    told = capsys.readouterr().err
    assert "'Short' is the program 'short' but for case: name the file short.toml to replace it" in told
    assert sorted(path.name for path in Path(shelf_dir()).glob("*.toml")) == ["short.toml"]
    assert main(["add", str(neck(tmp_path / "other", name="short"))]) == 0  # the same name replaces it


def test_a_file_that_no_longer_validates_on_the_shelf_is_listed_with_its_first_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path(shelf_dir()).mkdir(parents=True)
    (Path(shelf_dir()) / "broken.toml").write_text('format = 1\n[program]\ntitle = "Broken"\n', encoding="utf-8")
    assert main(["list"]) == 0
    line = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("broken"))
    assert "does not load" in line and "steps: missing" in line
    broken: list[str] = []
    assert load_entries({"broken": Path(shelf_dir()) / "broken.toml"}, 170, broken=broken) == []
    assert len(broken) == 1 and "steps: missing" in broken[0]


def test_the_config_file_names_the_shelf_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('programs = "shared/coach"\n', encoding="utf-8")
    monkeypatch.setenv("COACH_CONFIG", str(config))
    assert main(["add", str(neck(tmp_path))]) == 0
    assert (tmp_path / "shared" / "coach" / "neck.toml").is_file()  # beside the config file, as it says
    assert resolve("neck") == tmp_path / "shared" / "coach" / "neck.toml"


def test_remove_an_unknown_name_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["remove", "nothing-here", "--yes"]) == 2
    told = capsys.readouterr().err
    assert told.count("\n") == 1 and "no program named 'nothing-here' on the shelf" in told
    assert main(["remove", "demo", "--yes"]) == 2
    told = capsys.readouterr().err
    assert told == "coach remove: demo is a bundled program; only those added with coach add go\n"


def test_a_shelf_file_of_any_name_is_listed_escaped_where_a_name_is_no_program(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A shelf kept in sync from afar may hold a file named with a terminal escape: the list of names told with an
    unknown one printed it raw, and the nearest name offered would have too."""
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path / "data"))
    shelf = Path(shelf_dir())
    shelf.mkdir(parents=True)
    (shelf / "neck\x1b[2J.toml").write_bytes(neck(tmp_path).read_bytes())
    assert main(["preview", "neck\x1b[2"]) == 2
    told = capsys.readouterr().err
    assert "\x1b" not in told and told.count("neck\\x1b[2J") == 2, told  # offered, and among yours
    assert main(["remove", "nothing-here", "--yes"]) == 2
    told = capsys.readouterr().err
    assert "\x1b" not in told and "(yours: neck\\x1b[2J)" in told, told


def test_remove_names_the_program_meant_by_its_file_or_other_capitals(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A caregiver's walk: `coach remove Neck` and `coach remove neck.toml` said only that there was no such
    program. Removing is not undone, so the one meant is named, not removed."""
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path / "data"))
    assert main(["add", str(neck(tmp_path))]) == 0
    capsys.readouterr()
    for asked in ("Neck", "neck.toml"):
        assert main(["remove", asked, "--yes"]) == 2
        told = capsys.readouterr().err
        assert told.count("\n") == 1 and "; did you mean neck? (yours: neck)" in told, told
    assert (Path(shelf_dir()) / "neck.toml").is_file()


def test_the_plain_chooser_offers_the_shelf_marked_and_lists_a_broken_file_with_its_problem(tmp_path: Path) -> None:
    shelf = Path(shelf_dir())
    shelf.mkdir(parents=True)
    neck(shelf)
    (shelf / "broken.toml").write_text("format = 1\n", encoding="utf-8")
    given = tmp_path / "given"
    given.mkdir()
    (given / "typo.toml").write_text('format = 1\n[program]\ntitel = "x"\n', encoding="utf-8")
    result = run_coach(
        "--plain", "--speech", "none", "--dir", str(given), stdin=None, env={"COACH_CONFIG": str(tmp_path / "none")}
    )
    lines = result.stdout.splitlines()
    assert any(line.startswith("7. Neck relief (yours), ") for line in lines)
    at = lines.index("Not offered, 2 files with a problem:")
    assert "broken.toml" in lines[at + 1] and "program: missing" in lines[at + 1]
    assert "typo.toml:2: program: title: missing" in lines[at + 2] and "(and 2 more" in lines[at + 2]  # by line


def test_the_caregivers_walk_add_list_run_replace_and_remove(tmp_path: Path, coaches: list[PtyCoach]) -> None:
    """The acceptance walk, each step through the real `coach`."""
    env = {"COACH_CONFIG": str(tmp_path / "none.toml")}
    added = run_coach("add", str(neck(tmp_path)), env=env)
    assert added.returncode == 0, added.stderr
    listed = run_coach("list", env=env)
    shown = listed.stdout.splitlines()
    assert any(line.startswith("neck ") and line.endswith(f"Neck relief ({MARK})") for line in shown)

    first = PtyCoach("run", "neck", "--plain", "--speech", "none", env=env)
    coaches.append(first)
    first.wait_for(DONE)
    assert first.finish() == 0

    # A new version, from the same file name anywhere: added over the old one, it goes on from its progression.
    newer = tmp_path / "new"
    newer.mkdir()
    replaced = run_coach("add", str(neck(newer, title="Neck relief, week 2", say="Tuck gently.")), env=env)
    assert replaced.returncode == 0 and "Replaced neck" in replaced.stdout and "history" in replaced.stdout
    # a walk replaced a program with a different one, told nothing of what it replaced: the old title is named
    assert replaced.stdout.startswith(
        "Replaced neck (Neck relief, week 2); it was Neck relief, and its history and progression go on under the"
        " new title."
    ), replaced.stdout
    second = PtyCoach("run", "neck", "--plain", "--speech", "none", env=env)
    coaches.append(second)
    second.wait_for(DONE)
    assert second.finish() == 0
    assert "Hold 2 seconds, up from 1 second." in second.lines()  # one completed session earned one raise

    remove = PtyCoach("remove", "neck", env=env)
    coaches.append(remove)
    remove.wait_for_start("Take neck off the shelf? Its history stays.")
    for key in "y\r":  # typed, one key at a time
        remove.press(key)
    remove.wait_for_start("Removed neck from the shelf.")
    assert remove.finish() == 0
    assert not (Path(shelf_dir()) / "neck.toml").exists()

    history = History()
    try:
        sessions = history.sessions("neck")
    finally:
        history.close()
    assert [record.outcome for record in sessions] == ["completed", "completed"]
    assert [record.title for record in sessions] == ["Neck relief, week 2", "Neck relief"]
    gone = run_coach("run", "neck", "--plain", "--speech", "none", env=env)
    assert gone.returncode == 2 and gone.stderr.count("\n") == 1
    assert "no longer on the shelf" in gone.stderr and "2 recorded sessions" in gone.stderr


async def test_the_picker_marks_the_shelf_programs(tmp_path: Path) -> None:
    from textual.widgets import OptionList

    from coach.program.catalog import bundled
    from coach.session.clock import FakeClock
    from coach.views.tui.app import make_app

    paths = {**bundled(), "neck": neck(tmp_path)}
    entries = load_entries(paths, 170, marks={"neck": MARK})
    app = make_app(entries=entries, clock=FakeClock(0.0), autoplay=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(*"neck")
        options = app.screen.query_one("#programs", OptionList)
        assert options.option_count == 1
        assert str(options.get_option_at_index(0).prompt).startswith(f"Neck relief ({MARK})  ")


def test_around_the_picker_a_broken_shelf_file_is_told_once_with_its_problem(tmp_path: Path) -> None:
    """In tmux, as a person sees it: the picker marks the shelf's program; once it is left, the terminal holds
    the broken file's line, once."""
    import shlex
    import sys

    from tests.conftest import ROOT
    from tests.tmux import Tmux

    Path(shelf_dir()).mkdir(parents=True)
    neck(Path(shelf_dir()))
    (Path(shelf_dir()) / "broken.toml").write_text("format = 1\n", encoding="utf-8")
    tmux = Tmux(tmp_path)
    data = Path(shelf_dir()).parent
    env = f"COACH_DATA_DIR={shlex.quote(str(data))} COACH_CONFIG={shlex.quote(str(tmp_path / 'none'))}"
    script = f"cd {shlex.quote(str(ROOT))} && {env} {shlex.quote(sys.executable)} -m coach --speech none; sleep 60"
    tmux("new-session", "-d", "-s", "e2e", "-x", "120", "-y", "40", script)
    try:
        tmux.wait_for("Type to filter")
        for key in "neck":
            tmux("send-keys", "-t", "e2e", key)
        tmux.wait_for(f"Neck relief ({MARK})")
        tmux("send-keys", "-t", "e2e", "Escape")  # the filter cleared first, then the picker left
        tmux.wait_for("Low back relief")
        tmux("send-keys", "-t", "e2e", "Escape")
        pane = tmux.wait_for("Not offered")
        assert pane.count("Not offered, 1 file with a problem:") == 1
        assert "broken.toml:1: program: missing" in pane
    finally:
        tmux("kill-server")


@pytest.mark.parametrize("answer", ["n\n", "\n", ""])  # no, Enter alone, the end of input
def test_remove_keeps_the_program_unless_the_answer_is_yes(
    answer: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    assert main(["add", str(neck(tmp_path))]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO(answer))
    assert main(["remove", "neck"]) == 1
    said = capsys.readouterr().out.splitlines()
    assert said[-2:] == [
        "Take neck off the shelf? Its history stays. Type y and Enter to remove it.",
        "Not removed. (Without asking: coach remove neck --yes)",
    ]
    assert (Path(shelf_dir()) / "neck.toml").is_file()


def test_a_shelf_folder_that_cannot_be_made_is_one_line_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    config = tmp_path / "config.toml"
    config.write_text('programs = "a-file/shelf"\n', encoding="utf-8")  # under a file: not even root makes it
    monkeypatch.setenv("COACH_CONFIG", str(config))
    assert main(["add", str(neck(tmp_path))]) == 2
    said = capsys.readouterr().err
    assert said.startswith(f"coach add: cannot write to {tmp_path / 'a-file' / 'shelf'}: ") and said.count("\n") == 1


def test_a_new_version_names_the_growing_steps_whose_progression_starts_afresh(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["add", str(neck(tmp_path))]) == 0
    play_once(Path(default_path()), Wall(), program=Path(shelf_dir()) / "neck.toml")  # Chin tuck played to its end
    renamed = tmp_path / "v2"
    renamed.mkdir()
    (renamed / "neck.toml").write_text(
        NECK.format(title="Neck relief", say="Tuck.").replace("Chin tuck", "Chin tucks"), encoding="utf-8"
    )
    capsys.readouterr()
    assert main(["add", str(renamed / "neck.toml")]) == 0
    said = capsys.readouterr().out.splitlines()
    assert said[0].startswith("Replaced neck (Neck relief); its history and progression go on.")
    assert said[1] == "  Progression starts from this file's values for steps never played before: Chin tucks."
    assert main(["add", str(renamed / "neck.toml")]) == 0  # the same again: nothing starts afresh
    assert len(capsys.readouterr().out.splitlines()) == 1
    # Named back: a walk was told it started afresh, and it went on from the sessions its title has.
    assert main(["add", str(neck(tmp_path))]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 1


def test_adding_a_file_played_before_from_its_path_says_where_its_sessions_stay(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from coach.program import load_program

    path = neck(tmp_path)
    history = History()
    try:
        program = load_program(path)
        session = history.begin(program_key(path), program.title, str(path), program.sha256, 1.0e9, 1)
        history.end(session, "completed", 1.0e9 + 60)
    finally:
        history.close()
    assert main(["add", str(path)]) == 0
    said = capsys.readouterr().out.splitlines()
    assert said[1] == (
        f"  Its 1 session played from {path.resolve()} stays in the history under that file:"
        f" coach history --program {path.resolve()}"
    )


@pytest.mark.parametrize(
    ("file", "offered"),
    [
        ("my knee.toml", "my-knee.toml"),
        ("_ cou (2).toml", "cou-2.toml"),
        ("ñandú.toml", "nandu.toml"),  # its letters without accents: a walk was offered "and.toml"
        ("膝.toml", "neck-stretches.toml"),
    ],
)
def test_a_file_name_that_cannot_be_a_program_s_is_offered_its_own_made_plain(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], file: str, offered: str
) -> None:
    """A walk's "my knee.toml" was told to rename itself, "such as neck-stretches.toml"."""
    path = tmp_path / file
    path.write_bytes(neck(tmp_path).read_bytes())
    assert main(["add", str(path)]) == 2
    [told, nothing] = capsys.readouterr().err.splitlines()
    assert told.endswith(f"such as {offered}") and nothing == "Nothing added: 1 problem."
    renamed = tmp_path / offered
    path.rename(renamed)
    assert main(["add", str(renamed)]) == 0
