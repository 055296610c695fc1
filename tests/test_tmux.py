"""The player in a real terminal: tmux runs it, sends the keys, reads the pane, and resizes the window
(120x40, 40x12, 250x70 and back).

Speech goes to the logging command of the tests, so "see and hear" is the
pane and the log of what was spoken.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from coach.views.tui.driver import TICKING
from tests.conftest import BIN, ROOT
from tests.processes import wait_until
from tests.spoken import AUDIO, recorder, spoken
from tests.tmux import SHORT, Tmux


def test_the_player_in_tmux_pauses_skips_survives_resizes_and_quits_on_a_yes(tmp_path: Path) -> None:
    tmux = Tmux(tmp_path)
    spoken, status = tmp_path / "spoken.log", tmp_path / "status"
    command = " ".join(
        [
            shlex.quote(sys.executable),
            "-m",
            "coach",
            "run",
            shlex.quote(str(SHORT)),
            "--speech",
            "command",
            "--speech-command",
            shlex.quote(f"{BIN / 'say-log'} {{rate}} {{text}}"),
        ]
    )
    script = f"cd {shlex.quote(str(ROOT))} && COACH_TEST_LOG={shlex.quote(str(spoken))} {command}; echo $? > {status}"
    tmux("new-session", "-d", "-s", "e2e", "-x", "120", "-y", "40", script)
    try:
        tmux.wait_for("Step 1 of 3")
        tmux.wait_for("Bridge")
        tmux("send-keys", "-t", "e2e", "Space")
        tmux.wait_for("Paused")
        deadline = time.monotonic() + 5
        while "Paused. Press Space to go on." not in (spoken.read_text() if spoken.exists() else ""):
            assert time.monotonic() < deadline, "'Paused' was shown but not spoken"
            time.sleep(0.05)
        tmux("send-keys", "-t", "e2e", "Space")
        tmux.wait_for("Going on.")
        tmux("send-keys", "-t", "e2e", "n")
        tmux.wait_for("Crunch")
        tmux("resize-window", "-t", "e2e", "-x", "40", "-y", "12")
        small = tmux.wait_for("Crunch")
        assert "Step 2 of 3" in small and "Traceback" not in small
        tmux("resize-window", "-t", "e2e", "-x", "250", "-y", "70")
        largest = tmux.wait_for(" " * 100 + "Crunch")  # centred in 250 columns, so laid out anew
        assert "Step 2 of 3" in largest
        tmux("resize-window", "-t", "e2e", "-x", "120", "-y", "40")
        large = tmux.wait_for("left in the session")
        assert "Crunch" in large
        tmux("send-keys", "-t", "e2e", "q")
        tmux.wait_for("Stop the session? y / n")
        tmux("send-keys", "-t", "e2e", "y")
        deadline = time.monotonic() + 30
        while not status.exists() or not status.read_text().strip():
            assert time.monotonic() < deadline, f"the coach did not exit; the pane shows:\n{tmux.pane()}"
            time.sleep(0.1)
        assert status.read_text().strip() == "0"
    finally:
        subprocess.run([tmux.tmux, "-S", tmux.socket, "kill-server"], capture_output=True, check=False)


def test_a_missing_voice_is_told_on_screen_and_the_session_keeps_its_pace(tmp_path: Path) -> None:
    """The notice can come while the voice warms up, before the session starts: it must not start it early."""
    tmux = Tmux(tmp_path)
    command = " ".join(
        [
            shlex.quote(sys.executable), "-m", "coach", "run", shlex.quote(str(SHORT)),
            "--speech", "command", "--speech-command", "no-such-speech-program",
        ]
    )  # fmt: skip
    tmux("new-session", "-d", "-s", "e2e", "-x", "100", "-y", "30", f"cd {shlex.quote(str(ROOT))} && {command}")
    try:
        pane = tmux.wait_for("Speech is off")
        assert "Session complete" not in pane
        tmux.wait_for("Step 1 of 3")
        time.sleep(1)
        assert "Step 1 of 3" in tmux.pane() and "Session complete" not in tmux.pane()
    finally:
        tmux("kill-server")


def test_coach_alone_opens_the_picker_and_enter_starts_the_program(tmp_path: Path) -> None:
    tmux = Tmux(tmp_path)
    command = f"{shlex.quote(sys.executable)} -m coach --theme coach-high-contrast"
    tmux("new-session", "-d", "-s", "e2e", "-x", "100", "-y", "30", f"cd {shlex.quote(str(ROOT))} && {command}")
    try:
        tmux.wait_for("Type to filter the programs")
        tmux("send-keys", "-t", "e2e", "-l", "demo")
        tmux.wait_for("1. Knee to chest (hold)")
        tmux("send-keys", "-t", "e2e", "Enter")
        tmux.wait_for("left in the session")
    finally:
        tmux("kill-server")


def test_sigterm_to_the_player_records_it_as_stopped_and_gives_the_terminal_back(tmp_path: Path) -> None:
    from coach.history.store import History

    tmux = Tmux(tmp_path)
    status, data = tmp_path / "status", tmp_path / "data"
    command = f"{shlex.quote(sys.executable)} -m coach run {shlex.quote(str(SHORT))} --speech none"
    script = f"cd {shlex.quote(str(ROOT))} && COACH_DATA_DIR={shlex.quote(str(data))} {command}; echo $? > {status}"
    tmux("new-session", "-d", "-s", "e2e", "-x", "100", "-y", "30", script + "; sleep 30")
    try:
        tmux.wait_for("Step 2 of 3")
        assert tmux("display-message", "-p", "-t", "e2e", "#{alternate_on}").strip() == "1"
        pane_shell = tmux("display-message", "-p", "-t", "e2e", "#{pane_pid}").strip()
        coach = subprocess.run(["pgrep", "-P", pane_shell, "-f", "coach run"], capture_output=True, text=True)
        os.kill(int(coach.stdout.split()[0]), 15)
        deadline = time.monotonic() + 10
        while not status.exists() or not status.read_text().strip():
            assert time.monotonic() < deadline, "the player did not exit on SIGTERM"
            time.sleep(0.05)
        assert status.read_text().strip() == "143"
        assert tmux("display-message", "-p", "-t", "e2e", "#{alternate_on}").strip() == "0"
        assert "Traceback" not in tmux.pane()
    finally:
        tmux("kill-server")
    history = History(data / "history.sqlite3")
    [record] = history.sessions()
    history.close()
    assert (record.how, record.steps_done) == ("stopped", 1)


# --- the pain answer, the pain key from every screen, stopping, the footer (issues 13, 14) --------------

PAIN_SIX = ROOT / "tests" / "programs" / "good" / "pain-six.toml"
DEMO = "demo"  # a bundled name, as a person types it
BOXES = {chr(code) for code in range(0x2500, 0x25A0)}  # box drawing and block elements (scrollbars)


class Player:
    """`coach run PROGRAM` in tmux, speaking to the log, recording in a history of its own."""

    def __init__(
        self, folder: Path, program: Path | str, columns: int = 100, rows: int = 30, extra: tuple[str, ...] = ()
    ) -> None:
        self.tmux = Tmux(folder)
        self.spoken, self.status, self.data = folder / "spoken.log", folder / "status", folder / "data"
        command = " ".join(
            [
                shlex.quote(sys.executable), "-m", "coach", "run", shlex.quote(str(program)),
                "--speech", "command", "--speech-command", shlex.quote(f"{BIN / 'say-log'} {{rate}} {{text}}"),
                *(shlex.quote(argument) for argument in extra),
            ]
        )  # fmt: skip
        environment = f"COACH_TEST_LOG={shlex.quote(str(self.spoken))} COACH_DATA_DIR={shlex.quote(str(self.data))}"
        script = f"cd {shlex.quote(str(ROOT))} && {environment} {command}; echo $? > {self.status}; sleep 60"
        self.tmux("new-session", "-d", "-s", "e2e", "-x", str(columns), "-y", str(rows), script)

    def keys(self, *keys: str, gap: float = 0.03) -> None:
        for key in keys:
            self.tmux("send-keys", "-t", "e2e", key)
            time.sleep(gap)

    def said(self, text: str, limit: float = 10) -> None:
        deadline = time.monotonic() + limit
        while text not in (self.spoken.read_text() if self.spoken.exists() else ""):
            assert time.monotonic() < deadline, f"{text!r} was never said"
            time.sleep(0.05)

    def exited(self, limit: float) -> float:
        """Wait up to `limit` seconds for the coach to exit; returns how long it took."""
        began = time.monotonic()
        while not self.status.exists() or not self.status.read_text().strip():
            assert time.monotonic() - began < limit, (
                f"the coach did not exit; the pane shows:\n{self.tmux.pane()}\n{self.tmux.processes()}"
            )
            time.sleep(0.05)
        assert self.status.read_text().strip() == "0"
        return time.monotonic() - began

    def outcome(self) -> tuple[str, int | None]:
        from coach.history.store import History

        history = History(self.data / "history.sqlite3")
        [record] = history.sessions()
        history.close()
        return record.how, record.pain_before

    def close(self) -> None:
        subprocess.run([self.tmux.tmux, "-S", self.tmux.socket, "kill-server"], capture_output=True, check=False)


def test_pain_ten_typed_as_1_then_0_in_the_player_stops_for_pain(tmp_path: Path) -> None:
    player = Player(tmp_path, PAIN_SIX)
    try:
        player.tmux.wait_for("How is your pain now")
        player.tmux.wait_for("10 seconds left.")  # the countdown starts with the number the voice said
        player.keys("1", "0")
        pane = player.tmux.wait_for("Stopped for pain")
        assert "You said your pain is 10 out of 10." in pane
        player.said("You said your pain is 10 out of 10. Stop now and rest.")
        player.keys("q")  # q, a key of Close, closes the last screen
        player.exited(10)
    finally:
        player.close()
    assert player.outcome() == ("stopped for pain", 10)


def test_an_answer_is_said_back_and_corrected_in_the_player(tmp_path: Path) -> None:
    player = Player(tmp_path, PAIN_SIX)
    try:
        player.tmux.wait_for("How is your pain now")
        player.keys("3")
        player.tmux.wait_for("Pain 3, noted.")
        player.said("Pain 3, noted.")
        player.keys("2")
        player.tmux.wait_for("Pain 2, noted.")
        player.said("Pain 2, noted.")
        player.keys("Enter")
        player.tmux.wait_for("Chin tuck")
        player.keys("x")
        player.tmux.wait_for("Stopped for pain")
    finally:
        player.close()
    assert player.outcome() == ("stopped for pain", 2)


@pytest.mark.parametrize(
    ("opening", "shows"),
    [
        ("?", "Keys. The arrows scroll; Escape closes this."),
        ("q", "y: stop.  n, Space or Escape: go on."),
        ("C-p", "x: pain. ↑ ↓ Enter: choose"),
    ],
    ids=["help", "dialog", "palette"],
)
def test_x_is_pain_from_help_the_stop_dialog_and_the_palette(tmp_path: Path, opening: str, shows: str) -> None:
    player = Player(tmp_path, DEMO, columns=80, rows=24)
    try:
        player.tmux.wait_for("Hold")
        player.keys(opening)
        player.tmux.wait_for(shows)
        player.keys("x")
        pane = player.tmux.wait_for("Stopped for pain")
        assert shows not in pane
        player.said("Stop now and rest. If the pain goes on or gets worse, call your doctor.")
        player.keys("Enter")
        player.exited(10)
    finally:
        player.close()
    assert player.outcome()[0] == "stopped for pain"


@pytest.mark.parametrize("pain", ["x", "X"])
def test_escape_and_x_typed_at_once_is_pain(tmp_path: Path, pain: str) -> None:
    """A walk hit Escape and x together: a terminal sends them as Alt+x (and Alt as Escape first), and both keys
    were lost, the pain key among them. x is pain however it comes."""
    player = Player(tmp_path, DEMO, columns=80, rows=24)
    try:
        player.tmux.wait_for("Hold")
        player.tmux("send-keys", "-t", "e2e", "Escape", pain)  # one write: ESC x
        player.tmux.wait_for("Stopped for pain")
    finally:
        player.close()
    assert player.outcome()[0] == "stopped for pain"


def test_the_advice_left_in_a_narrow_terminal_breaks_between_words(tmp_path: Path) -> None:
    """At 40 columns the pain advice left after Close was cut by the terminal: "goes on o" / "r gets worse"."""
    player = Player(tmp_path, DEMO, columns=40, rows=12)
    advice = "Stop now and rest. If the pain goes on or gets worse, call your doctor."
    try:
        player.tmux.wait_for("Hold")
        player.keys("x")
        player.said(advice)
        time.sleep(0.5)
        player.keys("Enter")
        player.exited(10)
        pane = player.tmux.wait_for("call your doctor.")
    finally:
        player.close()
    left = pane[pane.index("Stop now") :].split("call your doctor.")[0] + "call your doctor."
    assert [line.rstrip() for line in left.splitlines()] == textwrap.wrap(advice, 40), pane


def test_keys_after_a_quiet_while_are_read_whole_and_at_once(tmp_path: Path) -> None:
    """The player's input thread sleeps until a key comes (`driver`), where Textual's woke ten times a second.
    After a quiet while, a lone Escape must still be known for Escape (it waits for the parser's next tick),
    an arrow's sequence for an arrow, and leaving must not wait on the sleeping thread."""
    player = Player(tmp_path, DEMO, columns=80, rows=24)
    try:
        player.tmux.wait_for("Step 1 of 3")
        time.sleep(TICKING + 0.5)  # nothing typed: the thread waits with no timeout
        player.keys("Escape")
        player.tmux.wait_for("y: stop.  n, Space or Escape: go on.", limit=3)
        player.keys("n")
        time.sleep(TICKING + 0.5)
        player.keys("Right")  # three bytes, the escape sequence of an arrow: Next, not Escape then [ and C
        player.tmux.wait_for("Step 2 of 3", limit=3)
        assert "Stop the session?" not in player.tmux.pane()
        # Half a character, its other byte later: the reader waits for it, rather than taking the end of input.
        player.tmux("send-keys", "-t", "e2e", "-H", "c3")
        time.sleep(0.3)
        player.tmux("send-keys", "-t", "e2e", "-H", "a9")
        time.sleep(TICKING + 0.5)
        player.keys("q")
        player.tmux.wait_for("y: stop.", limit=3)
        player.keys("y")
        assert player.exited(5) < 3
    finally:
        player.close()


def test_the_cursor_is_on_the_first_line_of_what_was_said_and_of_a_dialog(tmp_path: Path) -> None:
    """Braille displays and screen readers follow the cursor. A walk found it on a blank row two below the pain
    advice, on the last line of a wrapped check-in question ("seconds."), and mid-list in the help: it was put
    where the sentence stood before the layout changed, and by the player even under the help."""
    player = Player(tmp_path, PAIN_SIX, columns=40, rows=12)
    try:
        player.tmux.wait_for("How is your pain")
        cursor_on(player.tmux, "How is your pain")
        player.keys("?")
        cursor_on(player.tmux, "Keys. The arrows scroll")
        player.keys("Escape")
        cursor_on(player.tmux, "How is your pain")  # the check-in, unanswered, asks again as the help closes
        player.keys("q")
        cursor_on(player.tmux, "Stop the session?")
        player.keys("n")
        player.keys("1", "0")
        cursor_on(player.tmux, "You said your pain is 10")
    finally:
        player.close()


def test_a_session_started_from_the_picker_leaves_its_last_words_in_the_terminal(tmp_path: Path) -> None:
    """A walk: started from the picker, stopped for pain, the advice was gone with the screen; `coach run` leaves
    it in the terminal, and so must `coach` alone."""
    tmux, status = Tmux(tmp_path), tmp_path / "status"
    start_picker(tmux, status)
    try:
        tmux.wait_for("Type to filter the programs")
        tmux("send-keys", "-t", "e2e", "-l", "demo")
        tmux.wait_for("Demo  (0:")
        tmux("send-keys", "-t", "e2e", "Enter")
        tmux.wait_for("Hold")
        tmux("send-keys", "-t", "e2e", "x")
        tmux.wait_for("Stopped for pain")
        time.sleep(0.5)
        tmux("send-keys", "-t", "e2e", "Enter")
        wait_until(lambda: status.exists() and status.read_text().strip() != "", 10, lambda: tmux.pane())
        assert "call your doctor." in tmux.pane() and status.read_text().strip() == "0", tmux.pane()
    finally:
        tmux("kill-server")


def test_q_then_n_goes_on_where_it_was_and_q_then_y_exits_at_once(tmp_path: Path) -> None:
    player = Player(tmp_path, DEMO)
    try:
        player.tmux.wait_for("Hold")
        player.keys("q")
        player.tmux.wait_for("y: stop.  n, Space or Escape: go on.")
        time.sleep(0.3)  # the player's footer goes from behind the dialog a frame after it
        frozen = player.tmux.pane()
        assert "space Pause" not in frozen  # under the question, Space answers it: the dialog says its own keys
        time.sleep(6.5)  # longer than the hold: nothing goes on behind the question
        assert player.tmux.pane() == frozen
        player.keys("n")
        player.said("Going on.")
        player.tmux.wait_for("Release.")
        player.keys("q", "y")
        took = player.exited(4)  # out at once: no 10 s of "Session stopped." on the screen
        pane = player.tmux.wait_for("Session stopped.")  # the last words stay in the terminal
        assert "Traceback" not in pane
    finally:
        player.close()
    assert player.outcome()[0] == "stopped"
    print(f"q, y to exit: {took:.2f} s")


@pytest.mark.parametrize("columns", [80, 40])
def test_the_footer_keeps_space_x_q_and_help_visible(tmp_path: Path, columns: int) -> None:
    player = Player(tmp_path, DEMO, columns=columns, rows=24 if columns == 80 else 12)
    try:
        player.tmux.wait_for("Welcome")
        footer = player.tmux.wait_for("Pause").rstrip("\n").splitlines()[-1]  # the footer comes a moment later
        for shown in ("space Pause", "x Pain", "q Stop", "? Help"):
            assert shown in footer, footer
        if columns == 80:
            assert "t Status" in footer, footer
            player.keys("?")
            pane = player.tmux.wait_for("Keys. The arrows scroll; Escape closes this.")
            lines = [line.strip() for line in pane.splitlines() if line.strip()]
            assert (
                "Ctrl-Z: Pause and suspend; fg comes back, paused." in lines and "Ctrl-C: Stop now and leave." in lines
            )
            assert any(line.startswith("0 to 10: ") for line in lines)
            assert not BOXES & set(pane), pane  # plain lines only: nothing of the player shows through
    finally:
        player.close()


def test_after_the_end_the_footer_no_longer_offers_the_session_keys(tmp_path: Path) -> None:
    player = Player(tmp_path, SHORT)
    try:
        player.tmux.wait_for("Step 1 of 3")
        player.keys("n", "n", "n", gap=0.3)
        player.tmux.wait_for("Session over. Every step was skipped.")
        footer = player.tmux.wait_for("Close").rstrip("\n").splitlines()[-1]
        assert "Pause" not in footer and "Next" not in footer and "Close" in footer, footer
    finally:
        player.close()


def test_x_on_the_last_screen_gives_the_advice_and_stays_up_as_a_pain_stop_does(tmp_path: Path) -> None:
    """A walk: x on the last screen closed it and the record said completed. Now the advice is said and shown
    and stays up as a pain stop's does (60 s, not the 10 s the first end had set), recorded as pain."""
    from coach.views.tui.app import LINGER

    player = Player(tmp_path, SHORT)
    try:
        player.tmux.wait_for("Step 1 of 3")
        player.keys("n", "n", "n", gap=0.3)
        player.tmux.wait_for("space Close")
        player.keys("x")
        player.said("Stop now and rest.")
        player.tmux.wait_for("Stopped for pain")
        time.sleep(LINGER + 2)
        assert not (player.status.exists() and player.status.read_text().strip()), "it left with the first end's time"
        assert "Stopped for pain" in player.tmux.pane()
        player.keys("Enter")
        player.exited(10)
        assert player.outcome()[0] == "stopped for pain"
    finally:
        player.close()


def start_picker(tmux: Tmux, status: Path, *options: str) -> None:
    command = " ".join([shlex.quote(sys.executable), "-m", "coach", "--speech", "none", *options])
    script = f"cd {shlex.quote(str(ROOT))} && {command}; echo $? > {status}; sleep 60"
    tmux("new-session", "-d", "-s", "e2e", "-x", "100", "-y", "30", script)


def highlighted_row(tmux: Tmux) -> str:
    """The pane's row under the terminal cursor: what a screen reader or a braille display is shown."""
    row = int(tmux("display-message", "-p", "-t", "e2e", "#{cursor_y}").strip())
    return tmux.pane().splitlines()[row]


def cursor_on(tmux: Tmux, text: str, limit: float = 5) -> None:
    """Wait until the row under the cursor shows `text`: a fixed wait was too short on eight workers in CI."""
    wait_until(lambda: text in highlighted_row(tmux), limit, lambda: f"the cursor is on {highlighted_row(tmux)!r}")


def focus_moves(tmux: Tmux, key: str) -> None:
    """Send `key` and wait for the focus to show it moved (colours only): the arrows move the highlight from
    either place, so without this a lost Tab would only show later, as letters typed into the list."""
    before = tmux("capture-pane", "-e", "-p", "-t", "e2e")
    tmux("send-keys", "-t", "e2e", key)
    wait_until(lambda: tmux("capture-pane", "-e", "-p", "-t", "e2e") != before, 5, lambda: f"{key} changed nothing")


def test_a_burst_of_typing_in_the_picker_filters_without_a_crash(tmp_path: Path) -> None:
    """`neck` typed as one burst: the list is rebuilt four times while highlight events are still queued."""
    tmux, status = Tmux(tmp_path), tmp_path / "status"
    start_picker(tmux, status)
    try:
        tmux.wait_for("Type to filter the programs")
        for erase, burst in ((0, "neck"), (4, "back"), (4, "zzz"), (3, "demo")):
            if erase:
                tmux("send-keys", "-t", "e2e", *["BSpace"] * erase)
            tmux("send-keys", "-t", "e2e", "-l", burst)  # one write: the keys arrive together
            time.sleep(0.3)
            assert "Traceback" not in tmux.pane() and not status.exists()
        pane = tmux.wait_for("1. Knee to chest (hold)")  # the preview follows the last list, not a stale one
        assert "Demo" in highlighted_row(tmux)
        tmux("send-keys", "-t", "e2e", "Escape")  # the filter cleared first
        tmux.wait_for("Low back relief")
        assert not status.exists()
        tmux("send-keys", "-t", "e2e", "Escape")
        deadline = time.monotonic() + 10
        while not status.exists() or not status.read_text().strip():
            assert time.monotonic() < deadline, f"the picker did not exit; the pane shows:\n{tmux.pane()}"
            time.sleep(0.05)
        assert status.read_text().strip() == "0", pane
    finally:
        tmux("kill-server")


def test_the_terminal_cursor_follows_the_picker_highlight_also_after_tab(tmp_path: Path) -> None:
    """Screen readers and braille displays read the row under the cursor: it must be the highlighted program."""
    from coach.program.catalog import bundled
    from coach.views.plain.chooser import load_entries

    # The picker lists the programs in the interface's language (English here) first: those fill the window.
    titles = [entry.program.title for entry in load_entries(bundled(), 170) if entry.program.language == "en"]
    tmux, status = Tmux(tmp_path), tmp_path / "status"
    start_picker(tmux, status)
    try:
        tmux.wait_for("Type to filter the programs")
        tmux.wait_for("1. ")  # the preview of the first program: the list is laid out
        cursor_on(tmux, titles[0])
        for title in titles[1:3]:  # arrows in the filter box move the highlight
            tmux("send-keys", "-t", "e2e", "Down")
            tmux.wait_for(f"{title}  (")  # its preview
            cursor_on(tmux, title)
        focus_moves(tmux, "Tab")  # into the list itself
        cursor_on(tmux, titles[2])
        for title in (titles[3], titles[2], titles[3]):
            tmux("send-keys", "-t", "e2e", "Down" if title == titles[3] else "Up")
            tmux.wait_for(f"{title}  (")
            cursor_on(tmux, title)
        tmux("resize-window", "-t", "e2e", "-x", "40", "-y", "12")  # the options fold: the cursor follows
        cursor_on(tmux, titles[3].split()[0])
        focus_moves(tmux, "BTab")  # back to the filter box
        cursor_on(tmux, titles[3].split()[0])
        tmux("send-keys", "-t", "e2e", "-l", "zzz")
        tmux.wait_for("matches.")
        cursor_on(tmux, "No program")
        tmux("send-keys", "-t", "e2e", *["BSpace"] * 3)
        tmux("send-keys", "-t", "e2e", "-l", "demo")
        tmux.wait_for("Demo  (0:")  # its preview, folded at 40 columns
        cursor_on(tmux, "Demo")
    finally:
        tmux("kill-server")


@pytest.mark.slow
def test_coach_alone_with_its_answer_piped_in_chooses_in_plain_lines(tmp_path: Path) -> None:
    """`echo tiny | coach` in a terminal: the Textual picker would read the pipe as keys and wait for ever."""
    tmux, status = Tmux(tmp_path), tmp_path / "status"
    coach = f"{shlex.quote(sys.executable)} -m coach --speech none --dir {shlex.quote(str(SHORT.parent))}"
    script = f"cd {shlex.quote(str(ROOT))} && printf 'tiny\\n' | {coach}; echo $? > {status}; sleep 60"
    tmux("new-session", "-d", "-s", "e2e", "-x", "100", "-y", "50", script)
    try:
        tmux.wait_for("Type a number or a name, then Enter.")
        tmux.wait_for("Session complete. Well done.", limit=60)
        deadline = time.monotonic() + 10
        while not status.exists() or not status.read_text().strip():
            assert time.monotonic() < deadline, f"the coach did not exit; the pane shows:\n{tmux.pane()}"
            time.sleep(0.05)
        assert status.read_text().strip() == "0"
    finally:
        tmux("kill-server")


@pytest.mark.slow
def test_the_picker_is_drawn_whole_and_follows_the_arrows_on_a_busy_machine(tmp_path: Path) -> None:
    """Four busy processes per core starve the picker as a full test run does: the list is still drawn whole,
    and each move keeps every program on screen with the cursor on the highlighted one."""
    from coach.program.catalog import bundled
    from coach.views.plain.chooser import load_entries

    # The picker lists the programs in the interface's language (English here) first: those fill the window.
    titles = [entry.program.title for entry in load_entries(bundled(), 170) if entry.program.language == "en"]
    busy = [subprocess.Popen(["yes"], stdout=subprocess.DEVNULL) for _ in range(4 * (os.cpu_count() or 1))]
    status = tmp_path / "status"
    try:
        for run in range(3):
            (tmp_path / str(run)).mkdir()
            tmux = Tmux(tmp_path / str(run))  # a server of its own: the last one may still be shutting down
            start_picker(tmux, status)
            try:
                tmux.wait_for("1. ", limit=60)  # the preview of the first program
                pane = tmux.wait_for(titles[-1], limit=10)
                assert all(title in pane for title in titles), pane
                for key, index in [("Down", 1), ("Down", 2), ("Up", 1), ("Tab", 1), ("Down", 2), ("Down", 3)]:
                    tmux("send-keys", "-t", "e2e", key)
                    tmux.wait_for(f"{titles[index]}  (", limit=20)  # its preview
                    time.sleep(0.5)
                    pane = tmux.pane()
                    assert all(title in pane for title in titles), pane
                    assert titles[index] in highlighted_row(tmux), pane
            finally:
                tmux("kill-server")
    finally:
        for process in busy:
            process.kill()
            process.wait()


def test_the_player_listens_answers_pauses_goes_on_and_stops_on_a_spoken_yes(tmp_path: Path) -> None:
    """The player with --listen and the stand-in microphone: a spoken answer at the check-in, "coach pause",
    "coach go on", then "coach stop" and "yes". Each shows "Heard: …" beside the Listening mark; the session is
    recorded stopped with the spoken pain."""
    words = {text: spoken(AUDIO, text) for text in ("three", "coach pause", "coach go on", "coach stop", "yes")}
    cue = {name: tmp_path / name for name in ("answer", "pause", "go-on", "stop", "yes")}
    # A person leaves a moment between one thing and the next: speech within half a second of other speech is
    # taken for part of it (coach.listen.recognizer.QUIET_BEFORE), so each phrase follows a second of quiet.
    # The "yes" waits for the question, as a person's does: an answer is taken only after the coach has been
    # quiet a moment (its own voice could be taken for one), and a CI run under load asked the question 1.5 s
    # after "coach stop", as the "yes" a fixed 1.5 s later was already being said.
    microphone = recorder(
        f"wait:{cue['answer']}", "quiet:1", words["three"], f"wait:{cue['pause']}", "quiet:1", words["coach pause"],
        f"wait:{cue['go-on']}", "quiet:1", words["coach go on"], f"wait:{cue['stop']}", "quiet:1",
        words["coach stop"], f"wait:{cue['yes']}", "quiet:1", words["yes"],
    )  # fmt: skip
    player = Player(tmp_path, PAIN_SIX, extra=("--listen", "--listen-command", microphone))
    try:
        player.tmux.wait_for("Listening")
        player.said("Say or press a number")
        player.tmux.wait_for("10 seconds left.")  # the question has been said: the coach is silent
        cue["answer"].touch()
        pane = player.tmux.wait_for("Heard: three")
        assert "Listening · Heard: three" in pane
        player.tmux.wait_for("Pain 3, noted.")
        player.tmux.wait_for("Step 1 of 2")  # not "Chin tuck": "Next: Chin tuck" is up during the check-in
        cue["pause"].touch()
        player.tmux.wait_for("Paused")
        player.tmux.wait_for("Heard: pause")
        cue["go-on"].touch()
        player.tmux.wait_for("Heard: go on")
        cue["stop"].touch()
        player.said("Stop the session? Say yes or no.")
        cue["yes"].touch()
        player.exited(30)
    finally:
        player.close()
    assert player.outcome() == ("stopped", 3)


def test_a_coach_that_will_not_leave_can_be_asked_where_it_is(tmp_path: Path) -> None:
    """A failure seen once in CI (a coach that never exited) left only its pane behind. Every coach a test starts
    writes its threads' stacks on SIGUSR1, and a tmux wait that fails says what each process was doing."""
    player = Player(tmp_path, SHORT)
    try:
        player.tmux.wait_for("Step 1 of 3")
        with pytest.raises(AssertionError) as failed:
            player.tmux.wait_for("never shown", limit=0.1)
    finally:
        player.close()
    told = str(failed.value)
    assert "Step 1 of 3" in told  # the pane, as before
    assert "-m coach run" in told and "thread" in told  # each process and its threads
    assert "stacks of " in told and "in _run_once" in told and "coach/cli.py" in told  # the coach's main thread
