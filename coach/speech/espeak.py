"""espeak-ng, rendering: each sentence made into a WAV (`--stdout`), kept in the cache, played by the output.

espeak-ng playing by itself, with no usable sound device, complains and
still exits 0: silence taken for speech. Rendered, a clip must hold sound (a
silent render is tried once more) and the player's "audio open error" and
exit status say when there is no sound. Where there is no player to play a
WAV (neither aplay nor afplay), espeak-ng plays by itself as before, and the
timeline stays on its estimates. The text goes to its standard input, so
that no word of a program reads as an option.
"""

from __future__ import annotations

import shutil
import subprocess
import threading

from coach.speech.advice import install_advice
from coach.speech.cache import ClipCache
from coach.speech.engine import SpeechFailed, Voice, hang_limit
from coach.speech.process import ProcessEngine
from coach.speech.rendering import RenderingEngine, player_program
from coach.timeline import Priority, estimate


class _Espeak(ProcessEngine):
    """The espeak-ng program, one process a sentence, saying it itself or writing its WAV."""

    name = "espeak"

    def missing(self, program: str) -> str:
        return install_advice("Speech is off: the espeak-ng program is not installed.")

    def command(self, text: str, *, rate: int, voice: str | None, priority: Priority) -> tuple[list[str], str | None]:
        return [self.program, "-s", str(rate), *(["-v", voice] if voice else []), "--stdin"], text


class EspeakEngine(RenderingEngine):
    name = "espeak"

    def __init__(self, cache: ClipCache | None = None) -> None:
        super().__init__(cache)
        self.espeak = _Espeak(shutil.which("espeak-ng") or shutil.which("espeak") or "espeak-ng")
        self.renders = player_program() is not None

    def identify(self) -> None:
        version = self.espeak._listing([self.espeak.program, "--version"]).stdout.strip()
        self.identity = f"espeak {version}"

    def start_renderer(self, voice: str | None) -> str | None:
        voice = self.espeak.prepare(voice)
        self.identify()
        if voice is None:
            return None
        probe = subprocess.run(
            [self.espeak.program, "-q", "-v", voice, "x"], capture_output=True, timeout=10, check=False
        )
        return voice if probe.returncode == 0 else None

    def prepare(self, voice: str | None) -> str | None:
        if not self.renders:
            return self.start_renderer(voice)
        return super().prepare(voice)

    def render(self, text: str, *, rate: int, voice: str | None) -> bytes:
        argv, _ = self.espeak.command(text, rate=rate, voice=voice, priority=Priority.ANNOUNCE)
        argv.insert(-1, "--stdout")
        limit = hang_limit(estimate(text, rate))
        status, wav = self.espeak._run(argv, text.encode(), threading.Event(), limit, keep="stdout")
        if status != 0:
            raise SpeechFailed(f"Speech is off: {argv[0]} stopped with exit status {status}.")
        return wav

    def speak(self, text: str, *, rate: int, voice: str | None, priority: Priority, cancelled: threading.Event) -> None:
        if not self.renders:
            self.espeak.speak(text, rate=rate, voice=voice, priority=priority, cancelled=cancelled)
            return
        super().speak(text, rate=rate, voice=voice, priority=priority, cancelled=cancelled)

    def cut(self) -> None:
        if not self.renders:
            self.espeak.cut()
        super().cut()  # a render in progress runs on: the baker's clip is still wanted, and takes milliseconds

    def close(self) -> None:
        self.espeak.close()
        super().close()

    def voices(self) -> list[Voice]:
        listing = self.espeak._listing([self.espeak.program, "--voices"])
        found = []
        for line in listing.stdout.splitlines()[1:]:
            columns = line.split()
            if len(columns) >= 5:
                found.append(Voice(id=columns[1], name=columns[3].replace("_", " "), languages=columns[1]))
        return found
