"""Rendered speech in the core and its files: a timeline laid on real lengths, a session that waits for its
audio instead of speaking late, tones at zero, and a clip cache that is bounded and never half-written.

All on a fake clock or in a temporary folder; `test_rendered_live.py` plays real espeak-ng and Piper audio.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import signal
import time
import wave
from array import array
from pathlib import Path

import pytest

from coach.program import load_program
from coach.program.catalog import bundled
from coach.session.clock import FakeClock
from coach.session.engine import Event, Session, said_on_request
from coach.speech.cache import STALE_PART, ClipCache, clip_key, wav_seconds
from coach.speech.tones import SOUNDS, tone_wav
from coach.speech.voicing import texts_in_order
from coach.timeline import Timeline, compile_program
from coach.timeline.compile import CHECKIN_SECONDS
from coach.timeline.events import TONE, TONE_SECONDS
from coach.timeline.phrases import Phrases
from tests.helpers import SlowVoice, play, real

DEMO = load_program(bundled()["demo"])


def test_a_timeline_laid_on_real_lengths_uses_them_and_counts_what_is_still_estimated() -> None:
    laid = compile_program(DEMO, lengths=real)
    cues = [cue for segment in laid.segments for cue in segment.cues]
    assert all(cue.length == real(cue.text) for cue in cues)
    assert laid.estimated == 0
    half = compile_program(DEMO, lengths=lambda text: real(text) if "Hold" in text else None)
    assert 0 < half.estimated < len(cues)
    assert compile_program(DEMO).estimated == len(cues)
    assert laid.length < compile_program(DEMO).length  # the estimates err long; real audio is shorter


def test_relay_lays_the_same_session_again_offer_included() -> None:
    from coach.timeline import offer_resume

    timeline = offer_resume(compile_program(DEMO, tones=True), 2, "Go on from step 2?")
    laid = timeline.relay(real) if timeline.relay else None
    assert laid is not None and laid.estimated == 0
    assert [s.title for s in laid.segments] == [s.title for s in timeline.segments]
    assert laid.segments[0].cues[0].length == real("Go on from step 2?")
    assert any(cue.kind == TONE for segment in laid.segments for cue in segment.cues)


def test_a_tone_marks_the_zero_of_every_hold_and_timed_step_and_the_release_waits_for_it() -> None:
    timeline = compile_program(DEMO, tones=True)
    for segment in timeline.segments:
        cues = list(segment.cues)
        clocks = any(phase.kind in {"hold", "timed"} for phase in segment.phases)
        for index, cue in enumerate(cues):
            if cue.kind == "release" and clocks:
                before = cues[index - 1]
                assert before.kind == TONE and before.text == "", segment.title
                holds = [phase for phase in segment.phases if phase.kind in {"hold", "timed"}]
                assert any(abs(phase.end - before.at) < 0.001 for phase in holds)
                assert cue.at >= before.at + TONE_SECONDS
    tones = [cue for segment in timeline.segments for cue in segment.cues if cue.kind == TONE]
    assert len(tones) == 3  # two holds (a side each) and one timed step in the demo
    assert not any(cue.kind == TONE for segment in compile_program(DEMO).segments for cue in segment.cues)


def hands_free(session: Session, clock: FakeClock) -> list[Event]:
    """Every event of `session` played to its end with no key, the fake clock moved to each deadline."""
    session.start()
    events: list[Event] = []
    while True:
        events += session.due()
        if session.finished:
            return events
        deadline = session.next_deadline()
        assert deadline is not None
        clock.time = max(deadline, clock.time)


def test_a_session_waits_for_audio_still_being_made_with_a_notice_and_no_cue_is_late() -> None:
    timeline = compile_program(DEMO, tones=True)
    clock = FakeClock(0.0)
    voice = SlowVoice(clock, delay=3.0)
    session = Session(timeline, clock, readiness=voice)
    events = hands_free(session, clock)
    waits = [event for event in events if event.kind == "voice_wait"]
    assert waits and all("voice ready" in event.text for event in waits)
    assert len(waits) == len(timeline.segments)  # told once a segment that waited, every one here
    assert session.dropped == []  # nothing dropped as late
    spoken = [event for event in events if event.kind != "voice_wait"]
    assert len(spoken) == sum(len(segment.cues) for segment in timeline.segments)
    # Each segment began when its audio existed, 3 s after it was due; within it, times are the real lengths.
    plain_length = play(timeline.relay(real) if timeline.relay else timeline)[0][-1].at
    assert spoken[-1].at >= plain_length + 3.0 * len(timeline.segments) - 0.5


def test_steps_skipped_while_the_voice_is_made_tell_the_wait_once() -> None:
    """A walk pressed n twice while the voice was being made, and plain mode printed the wait twice in a row."""
    timeline = compile_program(DEMO)
    clock = FakeClock(0.0)
    session = Session(timeline, clock, readiness=SlowVoice(clock, delay=3.0))
    session.start()
    clock.time = 1.0
    events = session.due() + session.next() + session.next()
    assert [event.kind for event in events].count("voice_wait") == 1
    clock.time = 10.0  # ready: the segment plays; the next one that waits is told again
    events = session.due() + session.next()
    clock.time = 10.5
    events += session.due()
    assert [event.kind for event in events].count("voice_wait") == 1


def test_a_ready_voice_changes_nothing_but_the_lengths() -> None:
    timeline = compile_program(DEMO)
    clock = FakeClock(0.0)
    session = Session(timeline, clock, readiness=SlowVoice(clock, delay=0.0))
    events = hands_free(session, clock)
    assert not [event for event in events if event.kind == "voice_wait"]
    laid = play(timeline.relay(real) if timeline.relay else timeline)[0]
    assert [(round(e.at, 3), e.text) for e in events] == [(round(e.at, 3), e.text) for e in laid]


def test_what_a_session_says_on_request_is_made_ahead_pain_stops_first() -> None:
    timeline = compile_program(load_program(bundled()["low-back-relief"]))
    texts = said_on_request(timeline)
    assert "doctor" in texts[0] or "Stop" in texts[0]
    session = Session(timeline, FakeClock(0.0))
    session.start()
    assert session.pain()[0].text == texts[0]
    assert "Pain 7, noted." in texts
    heard = compile_program(load_program(bundled()["low-back-relief"]), listening=True)
    assert Phrases("en")("checkin", seconds=CHECKIN_SECONDS) in said_on_request(heard)  # as listening failed
    ordered = texts_in_order(timeline)
    assert [at for at, _ in ordered] == sorted(at for at, _ in ordered)
    assert ordered[0][1] == timeline.segments[0].cues[0].text


def test_tones_are_sines_of_their_notes() -> None:
    for name, (notes, seconds) in SOUNDS.items():
        with wave.open(io.BytesIO(tone_wav(name))) as audio:
            assert audio.getframerate() == 22050 and audio.getsampwidth() == 2
            samples = array("h", audio.readframes(audio.getnframes()))
        assert abs(len(samples) / 22050 - seconds * len(notes)) < 0.01
        per_note = len(samples) // len(notes)
        for index, frequency in enumerate(notes):
            part = samples[index * per_note : (index + 1) * per_note]
            crossings = sum(1 for a, b in zip(part, part[1:]) if a < 0 <= b)
            assert abs(crossings / seconds - frequency) < frequency * 0.05, name
        assert max(samples) > 10000


def test_the_cache_keeps_clips_by_engine_voice_rate_and_text(tmp_path: Path) -> None:
    cache = ClipCache(tmp_path)
    key = clip_key("espeak 1.51", "en-us", 170, "Hold.")
    assert len({key, clip_key("espeak 1.51", "en-us", 171, "Hold."), clip_key("piper", "en-us", 170, "Hold.")}) == 3
    assert cache.find(key) is None
    path = cache.put(key, tone_wav("beep"))
    assert cache.find(key) == path and wav_seconds(path) == 0.08


def test_the_cache_stays_within_its_bound_and_the_clips_used_longest_ago_go_first(tmp_path: Path) -> None:
    clip = tone_wav("long")  # about 26 kB
    cache = ClipCache(tmp_path, limit=len(clip) * 10)
    keys = [clip_key("e", None, 170, str(number)) for number in range(30)]
    for number, key in enumerate(keys):
        cache.put(key, clip)
        os.utime(tmp_path / f"{key}.wav", (1000 + number, 1000 + number))
        cache.find(keys[0])  # the first one is used all along: it stays
    total = sum(path.stat().st_size for path in tmp_path.glob("*.wav"))
    assert total <= len(clip) * 10
    assert cache.find(keys[0]) is not None
    assert cache.find(keys[1]) is None  # used longest ago: gone
    assert cache.find(keys[-1]) is not None


def _write_then_die(folder: str, key: str) -> None:
    """A coach killed between writing a clip and renaming it into place."""
    os.replace = lambda *args: time.sleep(60)
    ClipCache(Path(folder)).put(key, tone_wav("long"))


def test_a_clip_cut_off_by_sigkill_mid_write_is_never_found_and_is_cleared_later(tmp_path: Path) -> None:
    key = clip_key("espeak", None, 170, "Release.")
    child = multiprocessing.get_context("fork").Process(target=_write_then_die, args=(str(tmp_path), key))
    child.start()
    deadline = time.monotonic() + 10
    while not list(tmp_path.glob(".*.part")) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert child.pid is not None
    os.kill(child.pid, signal.SIGKILL)
    child.join()
    parts = list(tmp_path.glob(".*.part"))
    assert parts, "the child never began to write"
    cache = ClipCache(tmp_path, limit=1)
    assert cache.find(key) is None  # never a truncated clip
    old = time.time() - STALE_PART - 1
    os.utime(parts[0], (old, old))
    cache.put(clip_key("espeak", None, 170, "Hold."), tone_wav("beep"))  # over the bound: a trim clears it
    assert not list(tmp_path.glob(".*.part"))


class CostlyVoice:
    """Laying a segment on real lengths takes time (a compile, reading clip headers): 5 ms here."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock

    def ready(self, index: int, timeline: Timeline) -> Timeline | None:
        self.clock.time += 0.005
        return timeline.relay(real) if timeline.relay else timeline


def test_a_start_or_a_jump_begins_once_its_segment_is_laid_so_its_first_cue_loses_nothing() -> None:
    """bench/rendered.py found each session's first sentence 10 to 34 ms late: its clock began before the lay."""
    clock = FakeClock(0.0)
    session = Session(compile_program(DEMO, tones=True), clock, readiness=CostlyVoice(clock))
    session.start()
    first = session.due()[0]
    assert first.at == clock.now() == 0.005
    clock.time = 3.0
    assert session.next()[0].at == clock.now() == 3.005
    # Where one segment follows another, its time is the last one's end, laid or not: exact, never pushed.
    while (deadline := session.next_deadline()) is not None and session.index == 1:
        clock.time = deadline
        session.due()
    assert session.origin == pytest.approx(3.005 + session.timeline.segments[1].length)
