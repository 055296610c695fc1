"""The default engine: pyttsx3 with its platform driver, kept in a worker process it cannot escape.

The worker (`pyttsx3_worker`) is started at once, in the background, so that
it is warm when the first cue comes. Cutting an utterance kills the worker's
whole process group (the audio player with it) and starts a fresh worker
straight away for what comes next. The worker's temporary WAV files live in
a private folder that is removed on close, even when a kill left some behind.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
from typing import Any

from coach.speech.cache import ClipCache
from coach.speech.engine import SpeechFailed, Voice, hang_limit
from coach.speech.process import kill_group
from coach.speech.reaper import REAPER, start
from coach.speech.rendering import RenderingEngine, player_program
from coach.timeline import Priority, estimate

READY_LIMIT = 15.0  # seconds a worker may take to load pyttsx3 and its driver


class _Worker:
    """One running worker process, and a thread that turns its replies into a queue."""

    def __init__(self, folder: str) -> None:
        argv = [sys.executable, "-m", "coach.speech.pyttsx3_worker"]
        temporary = {**os.environ, "TMPDIR": folder, "TEMP": folder, "TMP": folder}
        self.process = start(
            argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=temporary
        )
        REAPER.watch(self.process.pid)  # so that a killed coach leaves no sentence playing on
        self.replies: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.ready = False
        self.missing: str | None = None  # what it lacks to play sound, though it can list voices
        self.reader = threading.Thread(target=self._read, name="pyttsx3-replies", daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            try:
                self.replies.put(json.loads(line))
            except ValueError:
                continue
        self.replies.put(None)  # the worker has gone

    def send(self, **request: Any) -> None:
        assert self.process.stdin is not None
        try:
            self.process.stdin.write((json.dumps(request) + "\n").encode())
            self.process.stdin.flush()
        except OSError:
            pass  # it has died; the reader reports that

    def reply(self, limit: float) -> dict[str, Any] | None:
        """The next reply; None when the worker has gone; SpeechFailed if it says nothing for `limit` s."""
        try:
            return self.replies.get(timeout=limit)
        except queue.Empty:
            self.kill()
            raise SpeechFailed(f"Speech is off: the speech engine did not answer within {limit:.0f} seconds.") from None

    def kill(self) -> None:
        kill_group(self.process)
        REAPER.forget(self.process.pid)
        self.process.wait()
        # The whole group is dead, so the reader meets the end of the pipe: waited for, it is gone when the
        # engine is (CI once found three readers still running after their engines had closed).
        self.reader.join(2.0)
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()


class Pyttsx3Engine(RenderingEngine):
    """On Linux a rendering engine: the worker writes each sentence's WAV (`save_to_file`) for the clip cache,
    and the audio output plays it. Elsewhere the platform's driver plays by itself, on estimates."""

    name = "pyttsx3"

    def __init__(self, cache: ClipCache | None = None) -> None:
        super().__init__(cache)
        self.renders = sys.platform.startswith("linux") and player_program() is not None
        self.identity = f"pyttsx3 {sys.platform}"
        self._folder = tempfile.mkdtemp(prefix="coach-speech-")
        self._lock = threading.Lock()
        self._worker: _Worker | None = None
        self._speaking = False
        self._closed = False
        self._names = itertools.count(1)
        self._asking = threading.Lock()  # one request at a time to the worker: the baker's renders, a voice list

    def _ready_worker(self) -> _Worker:
        """The running worker, started and waited for if need be."""
        worker = self._worker
        if worker is None or worker.process.poll() is not None:
            worker = self._worker = _Worker(self._folder)
        if not worker.ready:
            answer = worker.reply(READY_LIMIT)
            if answer is None or "error" in answer:
                self._worker = None
                worker.kill()
                advice = answer["error"] if answer else "Speech is off: the speech engine stopped as it started."
                raise SpeechFailed(advice)
            worker.ready, worker.missing = True, answer.get("missing")
        return worker

    def _speaking_worker(self) -> _Worker:
        worker = self._ready_worker()
        if worker.missing:
            raise SpeechFailed(worker.missing)
        return worker

    def prepare(self, voice: str | None) -> str | None:
        if self.renders:
            return super().prepare(voice)
        return self.start_renderer(voice)

    def start_renderer(self, voice: str | None) -> str | None:
        with self._asking:
            worker = self._ready_worker() if self.renders else self._speaking_worker()
            if voice is None:
                return None
            worker.send(voice=voice)
            answer = worker.reply(READY_LIMIT)
        return answer.get("voice") if answer else None

    def render(self, text: str, *, rate: int, voice: str | None) -> bytes:
        path = os.path.join(self._folder, f"render-{next(self._names)}.wav")
        with self._asking:
            worker = self._ready_worker()
            worker.send(render=text, rate=rate, voice=voice, to=path)
            answer = worker.reply(hang_limit(estimate(text, rate)))
            if answer is None:
                self._worker = None
                worker.kill()
                raise SpeechFailed("Speech stopped: the speech engine ended unexpectedly.")
        try:
            with open(path, "rb") as rendered:
                return rendered.read()
        except FileNotFoundError:
            return b""  # rendered as nothing: the clip is tried once more, then told as no sound
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.remove(path)

    def speak(self, text: str, *, rate: int, voice: str | None, priority: Priority, cancelled: threading.Event) -> None:
        if self.renders:
            super().speak(text, rate=rate, voice=voice, priority=priority, cancelled=cancelled)
            return
        worker = self._speaking_worker()
        with self._lock:
            if cancelled.is_set():
                return
            self._speaking = True
        worker.send(say=text, rate=rate, voice=voice)
        try:
            answer = worker.reply(hang_limit(estimate(text, rate)))
        finally:
            with self._lock:
                self._speaking = False
        if answer is None:
            self._worker = None
            worker.kill()  # reap it
            if not cancelled.is_set():
                raise SpeechFailed("Speech stopped: the speech engine ended unexpectedly.")
            with self._lock:
                if not self._closed:  # a worker started after close would be left behind
                    self._worker = _Worker(self._folder)  # warm up the next one at once
        elif "failed" in answer:  # no sound: the player could not play, or the render was silent
            raise SpeechFailed(str(answer["failed"]))

    def cut(self) -> None:
        if self.renders:
            super().cut()  # the player; a render in progress goes on: its clip is still wanted
            return
        with self._lock:
            if self._speaking and self._worker is not None:
                kill_group(self._worker.process)

    def voices(self) -> list[Voice]:
        with self._asking:
            worker = self._ready_worker()
            worker.send(voices=True)
            answer = worker.reply(READY_LIMIT) or {}
        return [Voice(v["id"], v["name"], v["languages"]) for v in answer.get("voices", [])]

    def close(self) -> None:
        with self._lock:
            self._closed = True
        super().close()
        if self._worker is not None:
            self._worker.kill()
            self._worker = None
        shutil.rmtree(self._folder, ignore_errors=True)
