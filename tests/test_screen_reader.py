"""Issue 14's acceptance: the coach on `--speech speechd` under a real terminal screen reader.

yasr (Debian's) reads the coach's plain-mode output aloud through a private
speech-dispatcher, as a blind user hears it; the coach speaks through the same
daemon. Each utterance is logged with its real length (espeak-ng's), so what
is checked is what would be heard: the screen reader is never cut, cancelled
or made to repeat itself by the coach; the coach's counts are on time or not
said at all; a pain stop's advice is heard whole before the coach exits.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from coach.session.engine import LATE
from tests.conftest import PROGRAMS, run_coach
from tests.helpers import SPANISH_CHECK_IN
from tests.screen_reader import ScreenReader, SpeechDispatcher, Utterance, coach_argv

# One yasr session at a time, on a worker of its own: each daemon is private (own folder and port), so this
# group need not wait behind the speechd engine tests, nor they behind its minute-long sessions.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("yasr")]

MODULE_START = 0.15  # the logging module's own start: a shell, then its first line


@pytest.fixture
def daemon(tmp_path: Path) -> Iterator[SpeechDispatcher]:
    server = SpeechDispatcher(tmp_path / "speechd", tcp=True)  # yasr speaks to it over loopback TCP
    yield server
    server.stop()


def play_under_screen_reader(
    daemon: SpeechDispatcher, program: str, keys: list[tuple[str, str]]
) -> tuple[ScreenReader, float]:
    """Run `program` in plain mode under yasr; each (text, key) presses key once text is on screen.

    Returns the reader, once it has fallen silent, and when (wall clock) the program ended.
    """
    reader = ScreenReader(
        daemon,
        coach_argv("run", program, "--plain", "--speech", "speechd"),
        env={"SPEECHD_ADDRESS": daemon.address},
        columns=300,  # no line wraps: the screen reader reads each line whole
    )
    try:
        for text, key in keys:
            reader.wait_for(text, timeout=120)
            time.sleep(0.3)  # a person hears the line, then presses
            reader.press(key)
        assert reader.finish(timeout=240) == 0
        finished = time.time()
        daemon.quiet()
    finally:
        reader.close()
    return reader, finished


def session_start(daemon: SpeechDispatcher, title: str) -> float:
    """When the coach queued its first sentence, the title at 0 s, from the daemon's log (wall clock)."""
    for moment, text in daemon.stamped():
        if f"Queueing message |{title}| with priority 4" in text:
            return moment
    raise AssertionError("the coach never queued its title")


def check_screen_reader_untouched(daemon: SpeechDispatcher, reader: ScreenReader) -> list[Utterance]:
    """No line the screen reader read was cut, cancelled or repeated because of the coach.

    yasr says a long line in pieces, and silences itself when a key is pressed (its own
    CANCEL SELF): a line it skipped or cut then is its own doing, allowed only if such a
    flush came while that line waited or was being said.
    """
    said = daemon.utterances()
    heard = [u for u in said if u.who == "screen-reader"]
    lines = [" ".join(line.split()) for line in reader.text().splitlines() if line.strip()]
    flushes = daemon.cancels_by(":yasr:")
    where = place_pieces([" ".join(u.text.split()) for u in heard], lines)  # raises if one is repeated or made up
    for utterance in heard:
        if utterance.cut:
            queued = daemon.queued_at(utterance)
            assert any(flush >= queued - 0.05 for flush in flushes), f"{utterance.text!r} was cut"
    for index, line in enumerate(lines):
        if index in where:
            continue
        before = [heard[k].began for k, i in enumerate(where) if i < index]
        after = [heard[k].began for k, i in enumerate(where) if i > index]
        window = (max(before, default=0.0), min(after, default=float("inf")))
        assert any(window[0] <= flush <= window[1] for flush in flushes), f"{line!r} was never read"
    log = daemon.log_text().upper()
    assert "CANCEL ALL" not in log and "STOP ALL" not in log  # the coach cancels only its own
    return said


def place_pieces(pieces: list[str], lines: list[str]) -> list[int]:
    """For each piece the screen reader said, the screen line it belongs to; each line's pieces are said once."""
    where: list[int] = []
    line = 0
    for piece in pieces:
        said_here = [pieces[k] for k, i in enumerate(where) if i == line]
        if not (where and piece in lines[line] and piece not in said_here):
            line += 1 if where else 0
            while line < len(lines) and piece not in lines[line]:
                line += 1
            assert line < len(lines), f"the screen reader said {piece!r} again, or something not on the screen"
        where.append(line)
    return where


def count_lateness(daemon: SpeechDispatcher, program: str, said: list[Utterance]) -> tuple[int, list[float]]:
    """How many counts and reminders the program has, and how late each one the coach said began."""
    cues = json.loads(run_coach("preview", program, "--json", "--speech", "speechd").stdout)  # as it was played
    droppable = [cue for cue in cues if cue["priority"] in {"count", "info"}]
    start = session_start(daemon, cues[0]["text"])
    lateness = []
    for utterance in said:
        if utterance.who != "coach":
            continue
        at = utterance.began - start
        candidates = [cue["at"] for cue in droppable if cue["text"] == utterance.text and cue["at"] <= at + 0.05]
        if candidates and not any(c["text"] == utterance.text for c in cues if c["priority"] not in {"count", "info"}):
            lateness.append(at - max(candidates))
    return len(droppable), lateness


def test_the_demo_under_a_screen_reader(daemon: SpeechDispatcher) -> None:
    reader, _ = play_under_screen_reader(daemon, "demo", [])
    said = check_screen_reader_untouched(daemon, reader)
    counts, lateness = count_lateness(daemon, "demo", said)
    print(f"demo: {counts} counts and reminders, {len(lateness)} said by the coach, lateness {lateness}")
    assert all(late <= LATE + MODULE_START for late in lateness), lateness
    assert reader.text().splitlines()[-1] == "Session complete. Well done."


def test_a_pain_stop_under_a_screen_reader(daemon: SpeechDispatcher) -> None:
    # three-exercises' opening (safety, check-in, a long spoken line, counts) at half its pace: the stop
    # comes at count 4 as there, in half the time
    program = str(PROGRAMS / "good" / "pain-stop.toml")
    reader, finished = play_under_screen_reader(daemon, program, [("How is your pain now", "2"), ("\n4\n", "x")])
    said = check_screen_reader_untouched(daemon, reader)
    counts, lateness = count_lateness(daemon, program, said)
    print(f"pain-stop: {counts} counts and reminders, {len(lateness)} said by the coach, lateness {lateness}")
    assert all(late <= LATE + MODULE_START for late in lateness), lateness
    advice_line = reader.text().splitlines()[-1]
    assert advice_line.startswith("Stop now and rest.")
    advice = [u for u in said if u.who == "coach" and u.text == advice_line]
    whole = [u for u in advice if not u.cut]  # one cut by the screen reader is said again whole, by design
    assert len(whole) == 1 and all(u.cut for u in advice if u is not whole[0]), said  # heard whole, once
    assert whole[0].ended is not None and whole[0].ended <= finished
    history = run_coach("history", "--csv").stdout.splitlines()
    assert ",stopped for pain," in history[1]


SAY_LINE = "\x0c"  # Ctrl-L: yasr's "say line" (/etc/yasr/yasr.conf), the line under the terminal cursor
DOWN, UP = "\x1b[B", "\x1b[A"


class Garbled(Exception):
    """yasr sent speech-dispatcher text it rejected as invalid UTF-8, so nothing of it was said.

    Debian's yasr 0.6.9 does so now and then on a busy machine (1 session in 4 with both cores
    busy): reading the terminal in 255-byte pieces, it loses its place in a multi-byte character
    (the picker's scrollbar is drawn with block glyphs), and from then on every line it sends is
    rejected. Its copy of the program's output to its own terminal was seen holding invalid UTF-8
    too, though the program writes whole strings (Textual's driver encodes them).
    """


GARBLED_AFTER = 3.0  # s: a title not heard by then, with lines rejected, is yasr's garbling (a title takes < 1.5 s)
SESSIONS = 5  # a session garbled by yasr is played again, up to this many in all


def rejections_since(daemon: SpeechDispatcher, moment: float) -> int:
    return sum(1 for when, text in daemon.stamped() if when >= moment and "INVALID ENCODING" in text)


def words_since(
    daemon: SpeechDispatcher, reader: ScreenReader, moment: float, title: str, limit: float, among: Sequence[str] = ()
) -> tuple[float, str]:
    """When (s after `moment`) the screen reader began saying `title`, and the first words it said then: of
    those naming one of `among`, where given (busy, yasr says what it read in pieces: a lone "p" came first)."""
    deadline = time.monotonic() + limit
    while True:
        said = [u for u in daemon.utterances() if u.who == "screen-reader" and u.began >= moment]
        words = [u for u in said if any(ch.isalnum() for ch in u.text)]  # not the box drawing between them
        words = [u for u in words if any(name in u.text for name in among)] if among else words
        if any(title in u.text for u in words):
            return next(u.began for u in words if title in u.text) - moment, words[0].text
        told = f"{title!r} was not spoken; the screen reader said {[u.text for u in said]}"
        rejected = rejections_since(daemon, moment)
        if rejected and time.monotonic() > deadline - limit + GARBLED_AFTER:
            raise Garbled(f"{told}; speech-dispatcher rejected {rejected} of its lines as invalid UTF-8")
        if time.monotonic() > deadline:
            raise AssertionError(f"{told}\nthe screen: {reader.output[-3000:]!r}")
        time.sleep(0.05)


ESCAPES = re.compile(r"\x1b(\[[0-9;?]*[ -/]*[@-~]|\][^\x07]*\x07|[()][0-9A-Za-z]|.)")  # CSI, OSC, charset, others


def written_text(output: bytes) -> str:
    """What a program wrote, without its escape sequences: the text in the order it was written."""
    return ESCAPES.sub("", output.decode("utf-8", "replace"))


def settle(reader: ScreenReader, still: float = 0.5) -> None:
    """Wait until the program has written nothing for `still` s (at most 10 s)."""
    deadline, size = time.monotonic() + 10, -1
    while len(reader.output) != size and time.monotonic() < deadline:
        size = len(reader.output)
        time.sleep(still)


def test_moving_the_picker_highlight_speaks_the_program_title(tmp_path: Path) -> None:
    """`coach` alone under yasr: each move of the highlight is heard as the program's title, first.

    yasr speaks what a program writes, as it is written: the picker writes the newly
    highlighted program first, so that of the programs it names, that one is heard first (the
    steps in the preview beside are not programs). yasr's "say line" key then reads the line under the terminal
    cursor, which must be the highlighted program's. A session in which yasr garbles its own
    speech (see `Garbled`) is played again, with a daemon of its own.
    """
    from coach.program.catalog import bundled
    from coach.views.plain.chooser import load_entries

    # As the picker lists them: those in the interface's language (English here) first, filling the window.
    titles = [entry.program.title for entry in load_entries(bundled(), 170) if entry.program.language == "en"]
    for attempt in range(1, SESSIONS + 1):
        daemon = SpeechDispatcher(tmp_path / f"speechd-{attempt}", tcp=True)
        try:
            heard, line = walk_the_picker(daemon, titles)
            break
        except Garbled as error:
            print(f"session {attempt}: {error}")
        finally:
            daemon.stop()
    else:
        pytest.fail(f"yasr garbled its speech in {SESSIONS} sessions running")
    print(f"key to its title: {[round(s, 2) for s in heard]} s; say line to the title: {[round(s, 2) for s in line]} s")
    assert max(heard) < 1.5


def walk_the_picker(daemon: SpeechDispatcher, titles: list[str]) -> tuple[list[float], list[float]]:
    """Move the highlight down and up under yasr; how soon each title was heard after its key, and after
    "say line". A title not heard first where speech-dispatcher rejected lines of yasr's is `Garbled`."""
    reader = ScreenReader(daemon, coach_argv(), env={"SPEECHD_ADDRESS": daemon.address})
    paced = [(DOWN, 1), (DOWN, 2), (UP, 1), (DOWN, 2), (DOWN, 3)]
    heard, line = [], []
    try:
        reader.wait_for(titles[-1], timeout=120)  # the list is drawn
        settle(reader)  # drawn whole; yasr is still reading it, and a key silences it, as for a person
        for key, index in paced:
            pressed, before = time.time(), len(reader.output)
            reader.press(key)
            after, first = words_since(daemon, reader, pressed, titles[index], limit=20, among=titles)
            if titles[index] not in first and (rejected := rejections_since(daemon, pressed)):
                raise Garbled(f"after {key!r} the screen reader first said {first!r}; {rejected} lines rejected")
            assert titles[index] in first, f"after {key!r} the screen reader first said {first!r}"
            written = written_text(bytes(reader.output[before:]))
            # the highlight's bar, then the title: "▊ Demo  0:57"
            assert written.lstrip("▊ ").startswith(titles[index]), f"after {key!r} the picker wrote {written!r}"
            heard.append(after)
            settle(reader)  # the person heard the title, and asks for the line they are on
            asked = time.time()
            reader.press(SAY_LINE)
            # As long as the key's own title may take: a fresh clone's CI, ten workers on two cores, heard
            # nothing at all in 5 s. How soon it comes is printed, not judged.
            after, first = words_since(daemon, reader, asked, titles[index], limit=20)
            assert titles[index] in first, f"say line read {first!r}"
            line.append(after)
        reader.press("\x1b")  # Escape: leave the picker
        assert reader.finish(timeout=30) == 0
    finally:
        reader.close()
    return heard, line


def test_a_spanish_pain_answer_stops_the_session_under_a_screen_reader(
    daemon: SpeechDispatcher, tmp_path: Path
) -> None:
    """Issue 20 under yasr: the Spanish lines (accents, ¿…?) are read once each and never cut by the coach;
    7 at the check-in, over the program's pain_stop of 6, ends it with the Spanish advice, heard whole."""
    program = tmp_path / "puente.toml"
    program.write_text(SPANISH_CHECK_IN, encoding="utf-8")
    reader, finished = play_under_screen_reader(daemon, str(program), [("¿Cómo está tu dolor", "7")])
    said = check_screen_reader_untouched(daemon, reader)
    advice_line = reader.text().splitlines()[-1]
    assert advice_line.startswith("Has dicho que tu dolor es 7 de 10. Para ahora y descansa."), reader.text()
    whole = [u for u in said if u.who == "coach" and u.text == advice_line and not u.cut]
    assert len(whole) == 1 and whole[0].ended is not None and whole[0].ended <= finished, said
    assert ",stopped for pain," in run_coach("history", "--csv").stdout.splitlines()[1]
