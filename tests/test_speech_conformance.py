"""One conformance suite for every speech engine: what the speaker relies on, checked on each, for real.

An engine does not start when the utterance is already cancelled, `cut` ends speech at once, `close`
leaves no process, and a failure carries advice a person can act on. Real espeak-ng (through pyttsx3 and
the espeak engine) with the stand-in aplay, and the stand-in speech command `say-log`. An engine still to
come gets the suite by adding one entry to `ENGINES`.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from coach.speech.engine import Engine, SpeechFailed
from coach.speech.engines import make_engine
from coach.speech.reaper import REAPER
from coach.timeline import Priority
from tests.conftest import BIN, require_tool, stand_in_audio
from tests.processes import AT_ONCE, alive, descendants, wait_until
from tests.screen_reader import speechd_subject

LONG = "Lie on your back with your knees bent and your feet flat on the floor, a hip width apart."


@dataclass
class Subject:
    engine: Engine
    playing: Callable[[], int | None]  # the pid of the process making sound, once it has started
    break_it: Callable[[], None]  # make the next utterance fail as this engine fails in the field


def first_pid(log: Path, column: int) -> int | None:
    if not log.exists() or not log.read_text().strip():
        return None
    return int(log.read_text().splitlines()[0].split()[column])


def audio_subject(name: str, folder: Path, monkeypatch: pytest.MonkeyPatch) -> Subject:
    for key, value in stand_in_audio(folder).items():
        monkeypatch.setenv(key, value)
    failing = folder / "no-device"
    monkeypatch.setenv("COACH_TEST_APLAY_FAIL", str(failing))
    return Subject(make_engine(name), lambda: first_pid(folder / "starts.log", 1), failing.touch)


def command_subject(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Subject:
    log = folder / "said.log"
    monkeypatch.setenv("COACH_TEST_LOG", str(log))
    monkeypatch.setenv("COACH_TEST_SPEAK_SECONDS", "20")
    failing = folder / "fail"
    monkeypatch.setenv("COACH_TEST_FAIL", str(failing))
    return Subject(
        make_engine("command", f"{BIN / 'say-log'} {{rate}} {{text}}"), lambda: first_pid(log, 1), failing.touch
    )


def none_subject(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Subject:
    return Subject(make_engine("none"), lambda: None, lambda: None)


ENGINES: dict[str, Callable[[Path, pytest.MonkeyPatch], Subject]] = {
    "none": none_subject,
    "command": command_subject,
    "espeak": lambda folder, patch: audio_subject("espeak", folder, patch),
    "pyttsx3": lambda folder, patch: audio_subject("pyttsx3", folder, patch),
    "speechd": lambda folder, patch: Subject(*speechd_subject(folder)),  # a private daemon logging who speaks
}
SOUNDING = [name for name in ENGINES if name != "none"]


def prepared(name: str, folder: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Subject]:
    if name not in {"command", "none"}:
        require_tool("espeak-ng")
    made = ENGINES[name](folder, monkeypatch)
    made.engine.prepare(None)
    yield made
    made.engine.close()


@pytest.fixture(params=sorted(ENGINES))
def subject(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Subject]:
    yield from prepared(request.param, tmp_path, monkeypatch)


@pytest.fixture(params=SOUNDING)
def sounding(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Subject]:
    yield from prepared(request.param, tmp_path, monkeypatch)


def speak(engine: Engine, text: str, cancelled: threading.Event) -> None:
    engine.speak(text, rate=170, voice=None, priority=Priority.ANNOUNCE, cancelled=cancelled)


def test_an_engine_does_not_start_when_already_cancelled(subject: Subject) -> None:
    cancelled = threading.Event()
    cancelled.set()
    began = time.monotonic()
    speak(subject.engine, LONG, cancelled)
    assert time.monotonic() - began < AT_ONCE
    time.sleep(0.2)
    assert subject.playing() is None


def test_cut_ends_speech_at_once(sounding: Subject) -> None:
    subject = sounding
    cancelled = threading.Event()
    failure: list[BaseException] = []

    def run() -> None:
        try:
            speak(subject.engine, LONG, cancelled)
        except BaseException as error:  # reported by the test's own thread
            failure.append(error)

    speaking = threading.Thread(target=run)
    speaking.start()
    wait_until(lambda: subject.playing() is not None, 15, lambda: "the engine never started to play")
    player = subject.playing()
    assert player is not None
    asked = time.monotonic()
    cancelled.set()
    subject.engine.cut()
    speaking.join(5)
    returned = time.monotonic() - asked
    wait_until(lambda: not alive(player), AT_ONCE, lambda: "the playing process outlived the cut")
    gone = time.monotonic() - asked
    assert not speaking.is_alive() and failure == []
    assert returned < AT_ONCE and gone < AT_ONCE, (returned, gone)


def test_close_leaves_no_process(subject: Subject) -> None:
    before = descendants(os.getpid())
    cancelled = threading.Event()
    speaking = threading.Thread(target=speak, args=(subject.engine, LONG, cancelled))
    speaking.start()
    time.sleep(0.5)  # mid-sentence for every engine that speaks
    cancelled.set()
    subject.engine.close()
    speaking.join(5)
    reaper = {REAPER._process.pid} if REAPER._process is not None else set()
    left = descendants(os.getpid()) - before - reaper
    assert left == set()


def test_a_failure_carries_advice(sounding: Subject) -> None:
    sounding.break_it()
    with pytest.raises(SpeechFailed) as failed:
        speak(sounding.engine, "Hold.", threading.Event())
    advice = str(failed.value)
    assert "\n" not in advice and advice.endswith(".")
    assert advice.startswith(("Speech is off:", "No sound:"))
    assert any(word in advice for word in ("Check", "install", "exit status")), advice
