"""Piper, a natural neural voice, kept at arm's length: its own program, started once, never imported.

Piper is GPL-licensed and this project is MIT, so the coach only runs it:
`piper -m MODEL -d FOLDER` (or `python -m piper` where the `piper` script is
not on the PATH) reads one sentence a line on its standard input, writes a
WAV for each into FOLDER, and logs "Wrote PATH" on its standard error when
the WAV is whole. The process is started once and kept for the session: its
model takes a second or two to load. The rate becomes Piper's length scale;
changing it starts the process again.
"""

from __future__ import annotations

import importlib.util
import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from coach.speech.cache import ClipCache
from coach.speech.engine import SpeechFailed, Voice, hang_limit
from coach.speech.process import kill_group
from coach.speech.reaper import REAPER, start
from coach.speech.rendering import RenderingEngine
from coach.timeline import DEFAULT_RATE, estimate

INSTALL = "Install Piper with: pip install piper-tts (or: pip install 'coach[piper]')."
VOICES = "Voices (an .onnx file and its .onnx.json): https://huggingface.co/rhasspy/piper-voices"
NO_MODEL = f"Speech is off: --speech piper needs a voice: --voice PATH.onnx, or piper_voice in the config. {VOICES}"
LOADING = 60.0  # seconds the first sentence may take: the model loads first (about 2 s on 2 cores)


def piper_command() -> list[str] | None:
    """How to run Piper here: its script, or its module under this Python; None if it is not installed."""
    script = shutil.which("piper")
    if script is not None:
        return [script]
    if importlib.util.find_spec("piper") is not None:  # finds it without importing it
        return [sys.executable, "-m", "piper"]
    return None


class PiperEngine(RenderingEngine):
    name = "piper"

    def __init__(self, model: str | None, cache: ClipCache | None = None) -> None:
        super().__init__(cache)
        self.model = model
        self._process: subprocess.Popen[bytes] | None = None
        self._lines: queue.Queue[bytes] = queue.Queue()
        self._scale: float | None = None
        self._folder: str | None = None
        self._lock = threading.Lock()

    def identify(self) -> None:
        if not self.model:
            raise SpeechFailed(NO_MODEL)
        model = Path(self.model).expanduser()
        if not model.is_file():
            raise SpeechFailed(f"Speech is off: the Piper voice {self.model} was not found. {VOICES}")
        status = model.stat()
        self.identity = f"piper {model.resolve()} {status.st_size} {status.st_mtime_ns}"

    def start_renderer(self, voice: str | None) -> str | None:
        self.identify()
        if piper_command() is None:
            raise SpeechFailed(f"Speech is off: Piper is not installed. {INSTALL}")
        REAPER.start()
        return voice  # the model is the voice: `--voice PATH.onnx` names it, and it is part of every clip's key

    def render(self, text: str, *, rate: int, voice: str | None) -> bytes:
        scale = round(DEFAULT_RATE / rate, 3)
        with self._lock:
            first = self._process is None or self._process.poll() is not None or self._scale != scale
            if first:
                self._start(scale)
            assert self._process is not None and self._process.stdin is not None
            try:
                self._process.stdin.write((" ".join(text.split()) + "\n").encode())
                self._process.stdin.flush()
            except OSError:
                raise SpeechFailed(self._ended("stopped")) from None
            limit = LOADING if first else hang_limit(estimate(text, rate)) * 4  # a neural voice on a slow CPU
            path = self._written(limit)
            try:
                return Path(path).read_bytes()
            finally:
                Path(path).unlink(missing_ok=True)

    def _start(self, scale: float) -> None:
        self.stop_renderer()
        command = piper_command()
        assert command is not None and self.model is not None
        self._folder = tempfile.mkdtemp(prefix="coach-piper-")
        argv = [*command, "-m", str(Path(self.model).expanduser()), "-d", self._folder, "--length-scale", str(scale)]
        try:
            unbuffered = {**os.environ, "PYTHONUNBUFFERED": "1"}
            self._process = start(
                argv, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=unbuffered
            )
        except OSError as error:
            raise SpeechFailed(f"Speech is off: Piper could not be started ({error.strerror}). {INSTALL}") from None
        REAPER.watch(self._process.pid)
        self._scale = scale
        self._lines = queue.Queue()
        threading.Thread(target=self._read, args=(self._process, self._lines), name="piper", daemon=True).start()

    @staticmethod
    def _read(process: subprocess.Popen[bytes], lines: queue.Queue[bytes]) -> None:
        assert process.stderr is not None
        for line in process.stderr:
            lines.put(line)
        lines.put(b"")  # it ended

    def _written(self, limit: float) -> str:
        """The path of the next WAV Piper says it wrote; SpeechFailed if it ends or takes past `limit` s."""
        said: list[bytes] = []
        while True:
            try:
                line = self._lines.get(timeout=limit)
            except queue.Empty:
                self.stop_renderer()
                raise SpeechFailed(
                    f"Speech is off: Piper did not make a sentence within {limit:.0f} seconds."
                ) from None
            if not line:
                raise SpeechFailed(self._ended("stopped", said))
            said.append(line)
            words = line.decode(errors="replace").strip()
            if ":Wrote " in words:
                return words.split(":Wrote ", 1)[1]

    def _ended(self, how: str, said: list[bytes] | None = None) -> str:
        last = (said or [b""])[-1].decode(errors="replace").strip()
        return f"Speech is off: Piper {how}" + (f" ({last[-160:]})." if last else ".")

    def stop_renderer(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            kill_group(process)
            REAPER.forget(process.pid)
            process.wait()
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None

    def voices(self) -> list[Voice]:
        """The one voice it was given, with the language its `.onnx.json` names ("en_US"); none if it is absent."""
        if not self.model or not Path(self.model).expanduser().is_file():
            return []
        model = Path(self.model).expanduser()
        try:
            language = json.loads(model.with_name(model.name + ".json").read_text())["language"]["code"]
        except (OSError, ValueError, KeyError, TypeError):
            language = ""
        return [Voice(id=self.model, name=model.stem, languages=str(language).replace("_", "-"))]
