"""Real engines, really speaking: espeak-ng through pyttsx3, espeak-ng itself, and speech-dispatcher.

There is no sound card here, so the stand-in `aplay` (tests/bin) keeps the
WAV pyttsx3 plays, and soxi and sox check it is speech of a plausible length.
speech-dispatcher runs privately (tests/screen_reader.py) with output modules
that log what they would say, for as long as espeak-ng would take to say it.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from coach.session.clock import MonotonicClock
from coach.session.engine import LATE, Event
from coach.speech.pyttsx3_engine import Pyttsx3Engine
from coach.speech.speaker import Speaker
from coach.speech.speechd import SpeechdEngine
from coach.speech.ssip import ANSWER_LIMIT, default_address
from coach.timeline import Priority, estimate
from tests.audio import played, rms, seconds
from tests.conftest import ROOT, require_tool, run_coach, stand_in_audio
from tests.processes import AT_ONCE, alive, rest_of, wait_until
from tests.screen_reader import SpeechDispatcher


@pytest.fixture(autouse=True)
def no_threads_left_behind() -> Iterator[None]:
    """Each test's engines and speakers leave no thread running when closed. Asked per test, of the threads
    the test made: a check of the whole worker at the end of the module failed on another module's threads."""
    before = set(threading.enumerate())
    yield
    left = [t.name for t in threading.enumerate() if t not in before and t.name in {"speaker", "pyttsx3-replies"}]
    assert left == []


ENGINE_NOISE = ("Audio saved", "ALSA", "aplay", "say-log", "Traceback")


def preview_texts(program: str) -> list[str]:
    cues = json.loads(run_coach("preview", program, "--json").stdout)
    return [cue["text"] for cue in cues if cue["kind"] != "tone"]  # a tone is heard, never a line


def test_pyttsx3_speaks_each_cue_of_a_program_as_one_real_wav(tmp_path: Path) -> None:
    """Also the hands-free test: standard input is /dev/null and output a pipe, so plain mode is chosen
    without --plain, and the program plays to its end with exit status 0."""
    audio = tmp_path / "audio"
    program = str(ROOT / "tests" / "programs" / "good" / "short.toml")  # a hold, counted repetitions, a timer
    result = run_coach("run", program, "--speech", "pyttsx3", env=stand_in_audio(audio), timeout=120)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines == preview_texts(program)
    assert not any(noise in result.stdout + result.stderr for noise in ENGINE_NOISE)
    wavs = played(audio)
    assert len(wavs) == len(lines)  # one WAV per spoken cue: none dropped, none repeated
    for wav, text in zip(wavs, lines):
        length = seconds(wav)
        assert 0.4 * estimate(text) <= length <= estimate(text) + 0.01, (text, length)
        assert rms(wav) > 0.02, f"{text!r} is silent"


def speaker(engine: Pyttsx3Engine | SpeechdEngine, notices: list[str] | None = None) -> Speaker:
    clock = MonotonicClock()
    voice = Speaker(engine, clock=clock, on_notice=(notices if notices is not None else []).append)
    voice.start()
    assert voice.wait_ready(15)
    return voice


def event(text: str, priority: Priority = Priority.ANNOUNCE, kind: str = "say") -> Event:
    return Event(time.monotonic(), text, priority, kind, 1, 1)


def test_pyttsx3_is_cut_at_once_and_the_safety_advice_follows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in stand_in_audio(tmp_path).items():
        monkeypatch.setenv(name, value)
    voice = speaker(Pyttsx3Engine())
    try:
        voice.say(event("Kneel on the floor with your knees tucked under you, and stretch your arms out in front."))
        starts = tmp_path / "starts.log"
        deadline = time.monotonic() + 10
        # Its line, not only the file: the stand-in's `>>` makes the file a moment before it writes to it (a full
        # run read it empty once)
        while not (starts.exists() and starts.read_text().endswith("\n")):
            assert time.monotonic() < deadline, "pyttsx3 never started playing"
            time.sleep(0.002)
        player = int(starts.read_text().split()[1])
        pressed = time.monotonic()
        voice.say(event("Stop now and rest.", Priority.SAFETY, "pain_stop"))
        while alive(player):
            time.sleep(0.001)
        cut_after = time.monotonic() - pressed
        assert voice.wait_idle(10)
    finally:
        voice.close()
    assert cut_after < AT_ONCE
    assert [record.outcome for record in voice.records] == ["cut", "spoken"]
    wavs = played(tmp_path)
    assert len(wavs) == 2 and seconds(wavs[1]) <= estimate("Stop now and rest.")
    assert not (tmp_path / "ends.log").exists() or len((tmp_path / "ends.log").read_text().splitlines()) == 1


def test_the_pyttsx3_worker_leaves_no_process_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in stand_in_audio(tmp_path).items():
        monkeypatch.setenv(name, value)
    engine = Pyttsx3Engine()
    voice = speaker(engine)
    folder = Path(engine._folder)
    voice.say(event("One sentence, cut off halfway through by the end of the session."))
    time.sleep(0.3)
    worker = engine._worker
    assert worker is not None
    voice.close()
    assert worker.process.poll() is not None
    assert not folder.exists()


@pytest.mark.parametrize("engine", ["pyttsx3", "espeak"])
def test_coach_voices_lists_english(engine: str) -> None:
    require_tool("espeak-ng")
    result = run_coach("voices", "--speech", engine)
    assert result.returncode == 0, result.stderr
    ids = [line.split()[0] for line in result.stdout.splitlines()]
    assert len(ids) >= 3 and any(i in {"en", "gmw/en", "en-gb", "en-us"} for i in ids)
    every = run_coach("voices", "--speech", engine, "--all")
    assert len(every.stdout.splitlines()) > 20 + len(ids)  # the other languages' voices, after English


def test_coach_say_speaks_with_the_rate_and_voice_asked_for(tmp_path: Path) -> None:
    env = stand_in_audio(tmp_path)
    slow = run_coach("say", "--rate", "100", "Take a slow breath in.", env=env)
    fast = run_coach("say", "--rate", "300", "--voice", "gmw/en-US", "Take a slow breath in.", env=env)
    assert slow.returncode == 0 and fast.returncode == 0, slow.stderr + fast.stderr
    assert slow.stdout == fast.stdout == slow.stderr == fast.stderr == ""
    first, second = played(tmp_path)
    assert seconds(first) > 2 * seconds(second)


def test_the_pyttsx3_worker_has_espeak_speak_at_the_rate_asked_before_it_begins() -> None:
    """Under CI's load `coach say --rate 100` came out at 200 (1.23 s of 2.66): espeak had not yet taken the
    rate when the sentence began, and pyttsx3 holds a rate in its queue while its loop is busy, as it is at
    first. The worker gives espeak each rate itself and waits until espeak says it is in use."""
    require_tool("espeak-ng")
    script = """
import ctypes, pyttsx3
import pyttsx3.drivers._espeak as espeak
from coach.speech.pyttsx3_worker import use_rate
engine = pyttsx3.init()
current = espeak.dll.espeak_GetParameter
current.argtypes, current.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
for rate in (100, 300, 175):
    use_rate(engine, rate)
    print(current(espeak.RATE, 1))
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=30)
    assert result.stdout.split() == ["100", "300", "175"], result.stderr


def test_an_unknown_voice_is_reported_and_the_default_voice_speaks(tmp_path: Path) -> None:
    result = run_coach("say", "--voice", "no-such-voice", "Hello.", env=stand_in_audio(tmp_path))
    assert result.returncode == 0
    assert result.stderr.strip() == (
        "The voice no-such-voice is not available; using the default voice. `coach voices` lists them."
    )
    assert len(played(tmp_path)) == 1


def test_the_espeak_engine_speaks_and_is_quiet_about_it(tmp_path: Path) -> None:
    require_tool("espeak-ng")
    result = run_coach("say", "--speech", "espeak", "Hello from espeak.", env=stand_in_audio(tmp_path))
    assert result.returncode == 0
    assert result.stdout == result.stderr == ""  # espeak-ng's ALSA complaints went nowhere


# --- speech-dispatcher, for real -------------------------------------------------------------


@pytest.fixture
def speechd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SpeechDispatcher]:
    """A private daemon whose output modules log each utterance, lasting as long as espeak-ng would speak it."""
    server = SpeechDispatcher(tmp_path / "speechd")
    monkeypatch.setenv("SPEECHD_ADDRESS", server.address)
    yield server
    server.stop()


def wait_said(server: SpeechDispatcher, count: int, limit: float = 15) -> None:
    def done() -> bool:
        return len([u for u in server.utterances() if u.ended is not None or u.cut]) >= count

    wait_until(done, limit, lambda: f"speech-dispatcher said only {server.utterances()}")


@pytest.mark.slow
@pytest.mark.xdist_group("speechd")
def test_speechd_speaks_a_program_as_notifications(speechd: SpeechDispatcher) -> None:
    """Every sentence goes as `notification`, the priority that never cuts another client's speech."""
    program = str(ROOT / "tests" / "programs" / "good" / "tiny.toml")
    result = run_coach("run", program, "--plain", "--speech", "speechd", timeout=60)
    assert result.returncode == 0, result.stderr
    texts = preview_texts(program)
    assert result.stdout.splitlines() == texts
    speechd.quiet()
    said = [u.text for u in speechd.utterances() if u.who == "coach" and not u.cut]
    assert said[0] == texts[0] and said[-1] == texts[-1], said  # the title, and the last sentence before exit
    assert {priority for _, priority in speechd.queued()} == {4}  # 4 is notification


class OtherClient:
    """Another program on the same daemon, as a screen reader is: SSIP at `message` (Orca) or `text` (TDSR)."""

    def __init__(self, address: str, priority: str = "message") -> None:
        from coach.speech.ssip import Connection, default_address

        self.connection = Connection.open(default_address({"SPEECHD_ADDRESS": address}), lambda code, msg: None)
        self.connection.command("SET SELF CLIENT_NAME test:screen-reader:main")
        self.connection.command("SET SELF OUTPUT_MODULE espeak")  # the module that logs as the screen reader
        self.connection.command(f"SET SELF PRIORITY {priority}")

    def say(self, text: str) -> None:
        self.connection.command("SPEAK", data=text)


@pytest.mark.xdist_group("speechd")
@pytest.mark.parametrize("priority", ["message", "text"])
def test_speechd_safety_cancels_only_the_coachs_own_speech(speechd: SpeechDispatcher, priority: str) -> None:
    """Issue 14.1: `spd-say --cancel` cancelled every client's speech, the screen reader's too.

    Issue 14.2: the coach's `message` cut a screen reader speaking at `text`, which was never resumed.
    """
    voice = speaker(SpeechdEngine())
    reader = OtherClient(speechd.address, priority)
    try:
        voice.say(event("Lie on your back with your knees bent and your feet flat on the floor."))
        wait_until(lambda: bool(speechd.texts("coach")), 10, lambda: "the coach never began")
        reader.say("Line 3 of the terminal: the coach is speaking.")  # cuts the coach: the screen reader wins
        wait_until(lambda: bool(speechd.texts("screen-reader")), 10, lambda: "the screen reader never began")
        voice.say(event("Stop now and rest.", Priority.SAFETY, "pain_stop"))
        assert voice.wait_idle(30)
        speechd.quiet()
    finally:
        voice.close()
        reader.connection.close()
    said = speechd.utterances()
    reader_said = [u for u in said if u.who == "screen-reader"]
    assert len(reader_said) == 1 and reader_said[0].ended is not None, said  # never cut, never cancelled
    advice = [u for u in said if u.who == "coach" and u.text == "Stop now and rest."]
    assert len(advice) == 1 and not advice[0].cut and advice[0].began >= reader_said[0].ended, said  # its turn
    log = speechd.log_text()
    assert "CANCEL ALL" not in log.upper() and "STOP ALL" not in log.upper()
    # The coach's first sentence gave way: cut once begun, or, where the screen reader's line came while it
    # waited for the daemon's voice (under load), given up before it began.
    assert [record.outcome for record in voice.records] in (["cut", "spoken"], ["late", "spoken"])


@pytest.mark.xdist_group("speechd")
@pytest.mark.parametrize(
    ("text", "priority", "kind"),
    [("Step 2 of 3. Bridges.", Priority.ANNOUNCE, "announce"), ("Session stopped.", Priority.SAFETY, "stopped")],
)
def test_speechd_gives_up_a_sentence_the_screen_reader_is_reading(
    speechd: SpeechDispatcher, text: str, priority: Priority, kind: str
) -> None:
    """A screen-reader walk heard nearly every line twice: the screen reader read the new line, then the coach,
    which had waited for its turn, said it again (and was cut by the next line half a second in). A sentence
    that finds the screen reader speaking is given up: the line is on the screen, being read. "Session
    stopped." too, though it cuts the coach's own speech (a walk heard it twice). Only the pain advice still
    waits its turn (`test_speechd_safety_cancels_only_the_coachs_own_speech`)."""
    voice = speaker(SpeechdEngine())
    reader = OtherClient(speechd.address)
    try:
        reader.say(f"{text} Knees bent, feet flat. Lift your hips, then lower them, slowly.")
        wait_until(lambda: bool(speechd.texts("screen-reader")), 10, lambda: "the screen reader never began")
        voice.say(event(text, priority, kind))
        assert voice.wait_idle(10)
        speechd.quiet()
    finally:
        voice.close()
        reader.connection.close()
    said = speechd.utterances()
    assert [u.text for u in said if u.who == "coach"] == [], said
    assert [u.cut for u in said if u.who == "screen-reader"] == [False]
    assert [record.outcome for record in voice.records] == ["late"]


@pytest.mark.slow
@pytest.mark.xdist_group("speechd")
def test_speechd_counts_are_said_on_time_or_dropped_never_late(speechd: SpeechDispatcher) -> None:
    """Issue 14.2: counts sent as `progress` while a screen reader spoke were said 4.3 s late.

    Alone on the daemon, each count begins within LATE of its time; while another client speaks,
    the coach drops its count itself, judged by the daemon's BEGIN event, and the other is never cut.
    """
    voice = speaker(SpeechdEngine())
    reader = OtherClient(speechd.address)
    try:
        sent = []
        for number in ("3", "2", "1"):  # alone: on time
            sent.append(time.time())
            voice.say(event(number, Priority.COUNT, "count"))
            time.sleep(1.0)
        reader.say("The screen reader reads a long line of the terminal aloud, slowly and completely.")
        wait_until(lambda: bool(speechd.texts("screen-reader")), 10, lambda: "the screen reader never began")
        voice.say(event("4", Priority.COUNT, "count"))  # while it speaks: dropped
        time.sleep(1.0)
        voice.say(event("5", Priority.COUNT, "count"))
        assert voice.wait_idle(10)
        speechd.quiet()
    finally:
        voice.close()
        reader.connection.close()
    said = speechd.utterances()
    coach = [u for u in said if u.who == "coach"]
    assert [u.text for u in coach] == ["3", "2", "1"], said
    lateness = [u.began - at for u, at in zip(coach, sent)]
    print(f"counts alone on the daemon began {[round(late, 3) for late in lateness]} s after their time")
    assert all(late <= LATE + 0.15 for late in lateness), lateness  # 0.15 s: the logging module's own start
    assert [u.cut for u in said if u.who == "screen-reader"] == [False]
    assert [record.outcome for record in voice.records] == ["spoken", "spoken", "spoken", "late", "late"]


@pytest.mark.xdist_group("speechd")
def test_speechd_names_the_coach_to_the_daemon(speechd: SpeechDispatcher) -> None:
    result = run_coach("say", "--speech", "speechd", "Hello.")
    assert result.returncode == 0, result.stderr
    assert "SET SELF CLIENT_NAME" in speechd.log_text()
    assert ":coach:main" in speechd.log_text()


@pytest.mark.xdist_group("speechd")
def test_coach_voices_lists_speechd_voices_over_ssip(speechd: SpeechDispatcher) -> None:
    result = run_coach("voices", "--speech", "speechd")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["default", "default", "en"]
    assert "LIST SYNTHESIS_VOICES" in speechd.log_text()


@pytest.mark.slow
@pytest.mark.xdist_group("speechd")
def test_speechd_pain_advice_is_spoken_whole_before_exit(tmp_path: Path) -> None:
    """Issue 14.3: the exit was timed from an estimate and cut the advice; now it waits for its END event.

    The daemon's voice is 60 % slower than the coach's estimate, as a slow voice or a busy machine makes it.
    """
    server = SpeechDispatcher(tmp_path / "speechd", slower=1.6)
    try:
        program = str(ROOT / "tests" / "programs" / "good" / "tiny.toml")
        coach = subprocess.Popen(
            [sys.executable, "-m", "coach", "run", program, "--plain", "--speech", "speechd"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env={**os.environ, "SPEECHD_ADDRESS": server.address},
        )
        assert coach.stdout is not None and coach.stdin is not None
        assert coach.stdout.readline().startswith("Tiny")
        coach.stdin.write("pain\n")
        coach.stdin.flush()
        out, err = rest_of(coach, timeout=90)
        exited = time.time()
        assert coach.returncode == 0, err
        assert "Stop now and rest." in out and "Traceback" not in err
        server.quiet()
    finally:
        server.stop()
    advice = [u for u in server.utterances() if u.who == "coach" and u.text.startswith("Stop now and rest.")]
    assert len(advice) == 1 and advice[0].ended is not None, server.utterances()
    assert advice[0].ended <= exited


@pytest.mark.xdist_group("speechd")
def test_speechd_is_started_when_nothing_listens(tmp_path: Path) -> None:
    """As libspeechd does: `speech-dispatcher --spawn` with the user's own config, then the sentence."""
    require_tool("speech-dispatcher")
    template = SpeechDispatcher(tmp_path / "template")  # writes a config whose modules log what they say
    template.stop()
    config = tmp_path / "config" / "speech-dispatcher"
    shutil.copytree(template.folder / "modules", config / "modules")
    conf = (template.folder / "speechd.conf").read_text()
    (config / "speechd.conf").write_text("\n".join(line for line in conf.splitlines() if "Socket" not in line))
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    env = {"XDG_RUNTIME_DIR": str(runtime), "XDG_CONFIG_HOME": str(tmp_path / "config"), "SPEECHD_ADDRESS": ""}
    try:
        result = run_coach("say", "--speech", "speechd", "Started for me.", env=env, timeout=60)
        assert result.returncode == 0, result.stderr
        assert (runtime / "speech-dispatcher" / "speechd.sock").exists()
        wait_until(lambda: template.texts("coach") == ["Started for me."], 10, lambda: str(template.utterances()))
    finally:
        pid_file = runtime / "speech-dispatcher" / "pid" / "speech-dispatcher.pid"
        if pid_file.exists():
            os.kill(int(pid_file.read_text().split()[0]), signal.SIGTERM)


# --- a daemon that accepts and never answers ---------------------------------------------------


@pytest.fixture
def hung_daemon(tmp_path: Path) -> Iterator[str]:
    """A UNIX socket that accepts connections and never says a word: speech-dispatcher hung."""
    path = tmp_path / "hung.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"unix_socket:{path}"
    stop.set()
    thread.join(2)
    for connection in held:
        connection.close()
    server.close()


HUNG = (
    f"Speech is off: speech-dispatcher did not answer within {ANSWER_LIMIT:.0f} seconds. "
    "Check that speech-dispatcher works: spd-say hello."
)


def test_coach_say_with_a_hung_speechd_says_so_in_one_line(hung_daemon: str) -> None:
    """Issues 14.4 and 15.1: a TimeoutExpired traceback, or exit 1 after 7 s saying nothing."""
    started = time.monotonic()
    result = run_coach("say", "--speech", "speechd", "Hello.", env={"SPEECHD_ADDRESS": hung_daemon}, timeout=30)
    took = time.monotonic() - started
    assert result.returncode == 1
    assert result.stderr.splitlines() == [HUNG]
    assert took < ANSWER_LIMIT + 3, took


def test_coach_say_without_speechd_says_what_is_missing(tmp_path: Path) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    env = {"SPEECHD_ADDRESS": f"unix_socket:{tmp_path / 'none.sock'}", "PATH": str(empty)}
    result = run_coach("say", "--speech", "speechd", "Hello.", env=env, timeout=30)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "Speech is off: speech-dispatcher is not running and is not installed. "
        "On Debian or Ubuntu: sudo apt install speech-dispatcher."
    ]


@pytest.mark.slow
@pytest.mark.parametrize("words", [["pain"], []], ids=["pain-stop", "to-the-end"])
def test_a_hung_speechd_never_stops_a_session_from_ending_and_being_recorded(
    hung_daemon: str, words: list[str]
) -> None:
    """Issue 15.1: a pain stop crashed when speech-dispatcher did not answer; so did a normal end."""
    program = str(ROOT / "tests" / "programs" / "good" / "tiny.toml")
    env = {"SPEECHD_ADDRESS": hung_daemon}
    coach = subprocess.Popen(
        [sys.executable, "-m", "coach", "run", program, "--plain", "--speech", "speechd"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, **env},
    )
    assert coach.stdout is not None and coach.stdin is not None
    assert coach.stdout.readline().startswith("Tiny")
    started = time.monotonic()
    for word in words:
        coach.stdin.write(word + "\n")
        coach.stdin.flush()
    out, err = rest_of(coach, timeout=60)
    took = time.monotonic() - started
    assert coach.returncode == 0, err
    assert "Traceback" not in err + out
    told = HUNG + " The session goes on in text; speech is tried again at the next step."
    history = run_coach("history", "--csv", env=env)
    rows = history.stdout.splitlines()
    assert len(rows) == 2, history.stdout
    if words:
        assert "Stop now and rest." in out and ",stopped for pain," in rows[1]
        assert took < 10, took  # the advice is not waited for: speech is off
    else:
        assert out.splitlines()[-1] == preview_texts(program)[-1] and ",completed," in rows[1]
        assert told in out  # a pain stop may come before the daemon has failed to answer: then nothing to tell


# --- a daemon that answers a cancel only when the sentence ends ----------------------------------


class LateCancelDaemon:
    """A scripted SSIP daemon that does what speech-dispatcher did in a CI run: a CANCEL that came just after a
    sentence's BEGIN was answered only when its module finished the sentence, 4.7 s later (the daemon's speak
    thread held the module while it waited for the module's next event)."""

    def __init__(self, folder: Path, *, cancel_takes: float) -> None:
        self.path = folder / "late-cancel.sock"
        self.cancel_takes = cancel_takes
        self.spoken: list[str] = []
        self.began = threading.Event()
        self._server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._server.bind(str(self.path))
        self._server.listen(1)
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def address(self) -> str:
        return f"unix_socket:{self.path}"

    def _serve(self) -> None:
        connection, _ = self._server.accept()
        lines = connection.makefile("r", encoding="utf-8", newline="\r\n")
        speaking: int | None = None

        def send(*replies: str) -> None:
            with contextlib.suppress(OSError):  # the coach hung up
                connection.sendall("".join(reply + "\r\n" for reply in replies).encode())

        with connection:
            for line in lines:
                command = line.strip()
                if command == "SPEAK":
                    send("230 OK RECEIVING DATA")
                    text = []
                    for data in lines:
                        if data.strip() == ".":
                            break
                        text.append(data.strip())
                    message = len(self.spoken) + 1
                    self.spoken.append(" ".join(text))
                    send(f"225-{message}", "225 OK MESSAGE QUEUED", f"701-{message}", "701-1", "701 BEGIN")
                    speaking = message
                    self.began.set()
                    if message > 1:  # the advice: said whole
                        send(f"702-{message}", "702-1", "702 END")
                elif command == "CANCEL SELF":
                    time.sleep(self.cancel_takes)
                    if speaking is not None:
                        send(f"702-{speaking}", "702-1", "702 END")
                    send("213 OK CANCELED")
                elif command == "QUIT":
                    send("231 HAPPY HACKING")
                    return
                else:
                    send("200 OK")

    def close(self) -> None:
        self._server.close()
        self._thread.join(5)


def test_speechd_pain_advice_is_said_when_the_daemon_answers_a_cancel_only_at_the_sentences_end(
    tmp_path: Path,
) -> None:
    """A CI run: pain came just as the welcome began, the daemon answered CANCEL 4.7 s later, the coach took
    that as a hung daemon (3 s) and turned speech off, so the pain advice was printed and never said."""
    daemon = LateCancelDaemon(tmp_path, cancel_takes=ANSWER_LIMIT + 1.5)
    notices: list[str] = []
    voice = speaker(SpeechdEngine(default_address({"SPEECHD_ADDRESS": daemon.address})), notices)
    try:
        voice.say(event("Tiny. 1 step, about 10 seconds."))
        assert daemon.began.wait(10)
        voice.say(event("Stop now and rest.", Priority.SAFETY, "pain_stop"))
        assert voice.finish()
    finally:
        voice.close()
        daemon.close()
    assert daemon.spoken == ["Tiny. 1 step, about 10 seconds.", "Stop now and rest."], notices
    assert notices == []
    assert [record.outcome for record in voice.records] == ["cut", "spoken"]
