"""Real engines, really speaking: espeak-ng through pyttsx3, espeak-ng itself, and speech-dispatcher.

There is no sound card here, so the stand-in `aplay` (tests/bin) keeps the
WAV pyttsx3 plays, and soxi and sox check it is speech of a plausible length.
speech-dispatcher runs privately with an output module that writes what it
would say to a file.
"""

from __future__ import annotations

import json
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from coach.clock import MonotonicClock
from coach.session import Event
from coach.speech.process import SpeechdEngine
from coach.speech.pyttsx3_engine import Pyttsx3Engine
from coach.speech.speaker import Speaker
from coach.timeline import Priority, estimate
from tests.audio import played, rms, seconds
from tests.conftest import ROOT, require_tool, run_coach, stand_in_audio
from tests.processes import alive, wait_until

ENGINE_NOISE = ("Audio saved", "ALSA", "aplay", "say-log", "Traceback")


def preview_texts(program: str) -> list[str]:
    return [cue["text"] for cue in json.loads(run_coach("preview", program, "--json").stdout)]


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




def test_pyttsx3_is_cut_within_100_ms_and_the_safety_advice_follows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in stand_in_audio(tmp_path).items():
        monkeypatch.setenv(name, value)
    voice = speaker(Pyttsx3Engine())
    try:
        voice.say(event("Kneel on the floor with your knees tucked under you, and stretch your arms out in front."))
        starts = tmp_path / "starts.log"
        deadline = time.monotonic() + 10
        while not starts.exists():
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
    assert cut_after < 0.1
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
    assert len(ids) > 20 and any(i in {"en", "gmw/en", "en-gb", "en-us"} for i in ids)


def test_coach_say_speaks_with_the_rate_and_voice_asked_for(tmp_path: Path) -> None:
    env = stand_in_audio(tmp_path)
    slow = run_coach("say", "--rate", "100", "Take a slow breath in.", env=env)
    fast = run_coach("say", "--rate", "300", "--voice", "gmw/en-US", "Take a slow breath in.", env=env)
    assert slow.returncode == 0 and fast.returncode == 0, slow.stderr + fast.stderr
    assert slow.stdout == fast.stdout == slow.stderr == fast.stderr == ""
    first, second = played(tmp_path)
    assert seconds(first) > 2 * seconds(second)


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

RECORDER = """GenericExecuteSynth "printf '%s\\\\n' '$DATA' >> {spoken}; sleep {seconds}"
GenericDelimiters "~"
AddVoice "en" "MALE1" "default"
GenericLanguage "en" "en" "utf-8"
"""

SPEECHD_CONF = """CommunicationMethod "unix_socket"
SocketPath "{socket}"
LogLevel 5
AddModule "recorder" "sd_generic" "recorder.conf"
DefaultModule "recorder"
DefaultLanguage "en"
AudioOutputMethod "alsa"
AudioALSADevice "null"
"""


class Speechd:
    """A private speech-dispatcher whose only voice writes each message to a file."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.spoken = folder / "spoken.txt"
        self.log = folder / "speech-dispatcher.log"
        self.socket = folder / "speechd.sock"

    def said(self) -> list[str]:
        return self.spoken.read_text().splitlines() if self.spoken.exists() else []

    def priorities(self) -> dict[str, int]:
        """speechd's own log: the priority (1 important, 2 message, 5 progress) each text was queued with."""
        found = {}
        for line in self.log.read_text(errors="replace").splitlines():
            if "Queueing message |" in line:
                text, priority = line.split("Queueing message |", 1)[1].rsplit("| with priority ", 1)
                found[text] = int(priority)
        return found

    def wait_for(self, count: int, limit: float = 10) -> None:
        wait_until(lambda: len(self.said()) >= count, limit, lambda: f"speech-dispatcher said only {self.said()}")


@pytest.fixture
def speechd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Speechd]:
    daemon = require_tool("speech-dispatcher")
    require_tool("spd-say")
    folder = tmp_path / "speechd"
    folder.mkdir()
    server = Speechd(folder)
    (folder / "speechd.conf").write_text(SPEECHD_CONF.format(socket=server.socket))
    (folder / "modules").mkdir()
    (folder / "modules" / "recorder.conf").write_text(RECORDER.format(spoken=server.spoken, seconds="0.3"))
    process = subprocess.Popen(
        [daemon, "-s", "-t", "0", "-C", str(folder), "-L", str(folder), "-c", "unix_socket", "-S", str(server.socket)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while not server.socket.exists():
        assert process.poll() is None and time.monotonic() < deadline, "speech-dispatcher did not start"
        time.sleep(0.02)
    monkeypatch.setenv("SPEECHD_ADDRESS", f"unix_socket:{server.socket}")
    yield server
    process.terminate()
    process.wait(10)


@pytest.mark.xdist_group("speechd")  # one daemon at a time: a second one exits at once
def test_speechd_speaks_a_program_with_its_priorities(speechd: Speechd) -> None:
    program = str(ROOT / "tests" / "programs" / "good" / "tiny.toml")
    result = run_coach("run", program, "--plain", "--speech", "speechd", timeout=60)
    assert result.returncode == 0, result.stderr
    texts = preview_texts(program)
    assert result.stdout.splitlines() == texts
    speechd.wait_for(len(texts))
    assert speechd.said() == texts
    priorities = speechd.priorities()
    assert priorities["Step 1 of 1. Bridge."] == 2  # message: queues with a screen reader
    assert priorities["1"] == 5  # progress: a count gives way


@pytest.mark.xdist_group("speechd")  # one daemon at a time: a second one exits at once
def test_speechd_safety_is_important_and_cancels_what_was_queued(speechd: Speechd) -> None:
    voice = speaker(SpeechdEngine())
    try:
        voice.say(event("Lie on your back with your knees bent."))
        speechd.wait_for(1)
        voice.say(event("Stop now and rest.", Priority.SAFETY, "pain_stop"))
        speechd.wait_for(2)
        assert voice.wait_idle(10)
    finally:
        voice.close()
    assert speechd.said() == ["Lie on your back with your knees bent.", "Stop now and rest."]
    assert speechd.priorities()["Stop now and rest."] == 1  # important
    assert "CANCEL ALL" in speechd.log.read_text(errors="replace")


@pytest.mark.xdist_group("speechd")  # one daemon at a time: a second one exits at once
def test_speechd_names_the_coach_to_the_daemon(speechd: Speechd) -> None:
    result = run_coach("say", "--speech", "speechd", "Hello.")
    assert result.returncode == 0, result.stderr
    speechd.wait_for(1)
    assert "SET SELF CLIENT_NAME" in speechd.log.read_text(errors="replace")
    assert ":coach:" in speechd.log.read_text(errors="replace")


def test_threads_are_not_left_behind() -> None:
    assert [t.name for t in threading.enumerate() if t.name in {"speaker", "pyttsx3-replies"}] == []
