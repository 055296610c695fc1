"""Engines that render: every sentence made into audio before it is due, kept, and played by one output.

A rendering engine (espeak-ng, Piper) makes each distinct sentence of a
session into a WAV in the clip cache, in the order the session will need
them, on a thread of its own (the baker). Speaking is then only playing a
file, which starts in milliseconds and is cut at once by killing the player.
The real length of every clip is known, so the timeline is laid on it
(`coach.speech.voicing`), not on estimates. A sentence asked for that has no
clip yet (a status, a repeat) is rendered on the spot.
"""

from __future__ import annotations

import shutil
import sys
import threading
from pathlib import Path

from coach.speech.advice import install_advice, no_sound, player_failed
from coach.speech.cache import ClipCache, clip_key, wav_seconds
from coach.speech.engine import SpeechFailed, Voice
from coach.speech.process import ProcessEngine
from coach.speech.sound import has_sound, whole_wav
from coach.timeline import Priority

Wanted = tuple[str, int, "str | None"]  # a sentence, at a rate, in a voice


def player_program() -> str | None:
    """The program that plays a WAV file: aplay on Linux (alsa-utils), afplay on macOS."""
    if sys.platform.startswith("linux"):
        return shutil.which("aplay")
    if sys.platform == "darwin":
        return shutil.which("afplay")
    return None


class AudioOutput(ProcessEngine):
    """The one audio output of rendered speech and tones: a player process per clip, cut by ending it."""

    name = "audio"

    def __init__(self) -> None:
        super().__init__(player_program() or "aplay")

    def missing(self, program: str) -> str:
        return install_advice("Speech is off: the audio player aplay is not installed.")

    def prepare(self, voice: str | None) -> str | None:
        if player_program() is None:
            raise SpeechFailed(self.missing(self.program))
        return super().prepare(voice)

    def play(self, path: Path, seconds: float, cancelled: threading.Event) -> None:
        """Play the WAV at `path` (`seconds` long) to its end or until cut; SpeechFailed if the player fails."""
        quiet = ["-q"] if Path(self.program).name == "aplay" else []
        status, complaint = self._run(
            [self.program, *quiet, str(path)], None, cancelled, 2.0 + 2.0 * seconds, keep="stderr"
        )
        if status not in (None, 0) and not cancelled.is_set():
            raise SpeechFailed(player_failed(status, complaint))


class RenderingEngine:
    """What every rendering engine shares: the cache, the baker, the output. Subclasses render one sentence."""

    name = "rendering"
    renders = True  # False where there is no player: the engine then speaks by itself, on estimates

    def __init__(self, cache: ClipCache | None = None) -> None:
        self.cache = cache or ClipCache()
        self.output = AudioOutput()
        self.identity = self.name  # the engine and its version or model: part of every clip's key
        self.made = 0  # clips made since the start: the timeline is laid again when this grows
        self.bake_failure: str | None = None
        self._rendering = threading.Lock()
        self._lengths: dict[str, float] = {}
        self._wanted: list[Wanted] = []
        self._changed = threading.Condition()
        self._closing = False
        self._baker: threading.Thread | None = None

    # --- what a subclass provides --------------------------------------------------------------

    def start_renderer(self, voice: str | None) -> str | None:
        """Get ready to render (find the program, load the model); returns the voice it will use."""
        raise NotImplementedError

    def render(self, text: str, *, rate: int, voice: str | None) -> bytes:
        """One sentence as a WAV; SpeechFailed on a fault."""
        raise NotImplementedError

    def stop_renderer(self) -> None:
        return None

    def identify(self) -> None:
        """Set `identity` (the engine's version, the model) without starting anything: `coach preview` looks up
        the cache by it. Raise SpeechFailed if the engine is not there."""
        return None

    # --- the engine ------------------------------------------------------------------------------

    def prepare(self, voice: str | None) -> str | None:
        self.output.prepare(None)
        voice = self.start_renderer(voice)
        self.bake_failure = None
        if self._baker is None:
            self._baker = threading.Thread(target=self._bake, name="baker", daemon=True)
            self._baker.start()
        return voice

    def speak(self, text: str, *, rate: int, voice: str | None, priority: Priority, cancelled: threading.Event) -> None:
        if cancelled.is_set():
            return
        path, seconds = self.clip(text, rate=rate, voice=voice)
        self.output.play(path, seconds, cancelled)

    def play_file(self, path: Path, seconds: float, cancelled: threading.Event) -> None:
        self.output.play(path, seconds, cancelled)

    def cut(self) -> None:
        self.output.cut()

    def voices(self) -> list[Voice]:
        return []

    def close(self) -> None:
        with self._changed:
            self._closing = True
            self._wanted.clear()
            self._changed.notify_all()
        self.output.close()
        self.stop_renderer()
        self.cache.close()

    # --- clips ---------------------------------------------------------------------------------

    def length(self, text: str, *, rate: int, voice: str | None) -> float | None:
        """The real seconds `text` plays for, if its clip exists; None if it does not yet."""
        key = clip_key(self.identity, voice, rate, text)
        known = self._lengths.get(key)
        if known is None:
            path = self.cache.find(key)
            known = wav_seconds(path) if path is not None else None
            if known is not None:
                self._lengths[key] = known
        return known

    def clip(self, text: str, *, rate: int, voice: str | None) -> tuple[Path, float]:
        """The clip of `text`, from the cache or rendered now; SpeechFailed if it cannot be made."""
        key = clip_key(self.identity, voice, rate, text)
        found = self._found(key)
        if found is not None:
            return found
        with self._rendering:
            found = self._found(key)  # the baker may have made it meanwhile
            if found is not None:
                return found
            for _ in range(2):  # a render of silence is done once more before it counts as a fault
                wav = self.render(text, rate=rate, voice=voice)
                if has_sound(wav):
                    break
            else:
                raise SpeechFailed(no_sound(text))
            path = self.cache.put(key, whole_wav(wav))
        seconds = wav_seconds(path)
        if seconds is None:
            raise SpeechFailed(no_sound(text))
        self._lengths[key] = seconds
        with self._changed:
            self.made += 1
        return path, seconds

    def _found(self, key: str) -> tuple[Path, float] | None:
        path = self.cache.find(key)
        if path is None:
            return None
        seconds = self._lengths.get(key) or wav_seconds(path)
        return None if seconds is None else (path, seconds)

    def bake(self, texts: list[str], *, rate: int, voice: str | None, first: bool = False) -> None:
        """Render `texts` in the background, in this order; `first` puts them before what already waits."""
        fresh = [
            (text, rate, voice)
            for text in dict.fromkeys(texts)
            if text and self.length(text, rate=rate, voice=voice) is None
        ]
        with self._changed:
            if first:
                self._wanted = fresh + [wanted for wanted in self._wanted if wanted not in fresh]
            else:
                waiting = set(self._wanted)
                self._wanted += [wanted for wanted in fresh if wanted not in waiting]
            self._changed.notify_all()

    def _bake(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(lambda: self._closing or bool(self._wanted))
                if self._closing:
                    return
                text, rate, voice = self._wanted.pop(0)
            try:
                self.clip(text, rate=rate, voice=voice)
            except SpeechFailed as failure:  # the speaker hears of it when it speaks; baking stops till prepared again
                with self._changed:
                    self.bake_failure = str(failure)
                    self._wanted.clear()
            except Exception as error:
                with self._changed:
                    self.bake_failure = f"Speech is off: rendering failed ({error})."
                    self._wanted.clear()
