"""The child process that owns one pyttsx3 engine: the only module that imports pyttsx3.

pyttsx3 2.99 must be created and driven in one thread; it cannot be
interrupted (`stop()` blocks and does not cut playback); it speaks only the
last of several `say()` calls and repeats the last sentence on a bare
`runAndWait()`; its first `runAndWait()` returns before the sentence has been
played (the engine starts out "busy", so the loop's end is queued ahead of the
speech); on Linux it plays through `os.system("aplay …")` and prints to the
terminal. So it lives here, alone in a process: one `say()` plus one
`runAndWait()` per request, then a wait for the engine's own
"finished-utterance" notice, never with empty text (that never returns),
file descriptors 0, 1 and 2 pointed at /dev/null, and the parent kills the
whole process group to cut it off.

On Linux the worker does not let the driver play: the driver's playback runs
`aplay` through `os.system` and ignores its exit status (a missing sound
device was never told), and its loop can cancel a sentence before it starts
(see `_render`). The worker renders each sentence to a WAV file of its own
with `save_to_file`, checks that it holds sound (a render of silence is done
once more, then reported), and plays it with aplay itself, so that a player
that fails is a speech fault like the others.

Protocol, one JSON object per line. Requests on stdin: {"say": TEXT,
"rate": WPM, "voice": ID or null}, {"render": TEXT, "rate": WPM, "voice": ID or null, "to": PATH} (rendered
speech: the parent checks and plays the file), {"voice": ID} (can it be used?) and
{"voices": true}. Replies on the original stdout: {"ready": true, "missing": ADVICE or null} once, then
{"done": true} or {"failed": ADVICE} for a sentence, {"rendered": true}, {"voice": ID or null}, {"voices": [...]};
or {"error": ADVICE} and an exit when speech cannot work.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from typing import Any, TextIO

from coach.speech.advice import install_advice, no_sound, player_failed
from coach.speech.sound import has_sound

IDLE_LIMIT = 2.0  # seconds to wait for espeak's own thread to finish the previous sentence
RATE_LIMIT = 1.0  # seconds to wait for espeak to take a new rate


def _take_protocol_streams() -> tuple[TextIO, TextIO]:
    """Keep private copies of stdin and stdout for the protocol, and silence 0, 1 and 2 for everything else."""
    requests = os.fdopen(os.dup(0), "r", encoding="utf-8")
    replies = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    return requests, replies


def main() -> int:
    requests, replies = _take_protocol_streams()

    def reply(**message: Any) -> None:
        replies.write(json.dumps(message) + "\n")

    try:
        import pyttsx3
    except ImportError:
        reply(error="Speech is off: the Python package pyttsx3 is not installed. Install it with: pip install pyttsx3")
        return 1
    try:
        engine = pyttsx3.init()
    except Exception:  # the platform's speech library is missing or broken; pyttsx3 raises many kinds
        reply(error=install_advice("Speech is off: the espeak-ng speech library could not be loaded."))
        return 1
    finished = threading.Event()
    rendering = _Rendering()

    def on_finished(**_: object) -> None:
        rendering.done()  # first: the sound starts as soon as its file is written
        finished.set()

    engine.connect("finished-utterance", on_finished)
    engine.connect("error", lambda **_: finished.set())
    # Listing voices needs no player, so a missing one is reported rather than fatal.
    missing: str | None = None
    player: str | None = None
    if sys.platform.startswith("linux"):
        player = shutil.which("aplay")
        if player is None:
            missing = install_advice("Speech is off: the audio player aplay is not installed.")
    reply(ready=True, missing=missing)

    voice_in_use: str | None = None
    known: dict[str, str] = {}  # id or name, lower-cased -> id

    def use_voice(voice: str | None) -> bool:
        # setProperty is queued while the engine is "busy" and its errors are swallowed,
        # so a voice is checked against the engine's own list instead.
        nonlocal voice_in_use
        if voice is None or voice == voice_in_use:
            return True
        if not known:
            for v in engine.getProperty("voices"):
                known.setdefault(str(v.name).lower(), v.id)
                known[str(v.id).lower()] = v.id
        if voice.lower() not in known:
            return False
        engine.setProperty("voice", known[voice.lower()])
        voice_in_use = voice
        return True

    for line in requests:
        request = json.loads(line)
        if "say" in request:
            use_voice(request.get("voice"))
            use_rate(engine, int(request["rate"]))
            text = str(request["say"]).strip() or "."
            if player is None:  # not Linux: the platform's driver plays, and cannot tell us if it failed
                finished.clear()
                engine.say(text)
                engine.runAndWait()
                finished.wait()  # the parent's time limit covers a notice that never comes
                reply(done=True)
                continue
            playing = _render(engine, text, finished, rendering, player) or _render(
                engine, text, finished, rendering, player
            )  # silence: once more
            if playing is None:
                reply(failed=no_sound(text))
                continue
            process, wav = playing
            _, complaints = process.communicate()
            os.remove(wav)
            if process.returncode != 0:
                reply(failed=player_failed(process.returncode, complaints))
            else:
                reply(done=True)
        elif "render" in request:  # rendered speech: the sentence to a file the parent names, never played here
            use_voice(request.get("voice"))
            use_rate(engine, int(request["rate"]))
            _save(engine, str(request["render"]).strip() or ".", finished, rendering, str(request["to"]))
            reply(rendered=True)
        elif "voices" in request:
            voices = [
                {"id": v.id, "name": v.name, "languages": " ".join(map(str, v.languages or []))}
                for v in engine.getProperty("voices")
            ]
            reply(voices=voices)
        elif "voice" in request:
            reply(voice=request["voice"] if use_voice(request["voice"]) else None)
    return 0


_names = itertools.count(1)


def use_rate(engine: Any, rate: int) -> None:
    """Set the speaking rate, and wait (up to RATE_LIMIT) until espeak has taken it.

    Espeak takes a rate on its own thread some time after it is asked. On a busy machine 4 renders in 64 of
    "Take a slow breath in." at 100 words a minute began while espeak's current rate was still the driver's
    first, 200, and came out 1.23 s long, not 2.66: CI heard `coach say --rate 100` at twice the speed asked.
    So the rate is given to espeak directly (pyttsx3 would hold it in its queue while its loop is busy, and
    let it through just as the sentence starts), and the sentence waits until espeak reports it in use.
    """
    try:
        library = importlib.import_module("pyttsx3.drivers._espeak")
    except (ImportError, OSError, RuntimeError):  # pragma: no cover - not Linux: the platform's driver
        engine.setProperty("rate", rate)
        return
    current = library.dll.espeak_GetParameter  # pyttsx3's binding passes no `current`, and so reads no rate
    current.argtypes, current.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    library.SetParameter(library.RATE, rate, 0)
    deadline = time.monotonic() + RATE_LIMIT
    while current(library.RATE, 1) != rate and time.monotonic() < deadline:
        time.sleep(0.002)


def _espeak_busy() -> bool:
    """Is espeak's own thread still on a sentence? Only the espeak driver can say; others never are."""
    try:
        espeak = importlib.import_module("pyttsx3.drivers._espeak")
    except (ImportError, OSError):  # pragma: no cover - not Linux
        return False
    return bool(espeak.IsPlaying())


class _Rendering:
    """The sentence being rendered, and its playback, started the moment the driver says the file is written.

    The driver writes the WAV and says "finished-utterance" from inside espeak's synthesis, then its
    loop sleeps a fixed 10 ms before `runAndWait()` returns: starting `aplay` there, not after the
    return, takes those 10 ms off every sentence's start (the cue lateness bench/run measures).
    """

    def __init__(self) -> None:
        self.path: str | None = None
        self.player: str | None = None
        self.playing: subprocess.Popen[bytes] | None = None

    def start(self, path: str, player: str | None) -> None:
        self.path, self.player, self.playing = path, player, None

    def done(self) -> None:
        path, player, self.path = self.path, self.player, None
        if path is None or player is None:
            return
        try:
            with open(path, "rb") as rendered:
                if not has_sound(rendered.read()):
                    return
        except FileNotFoundError:  # the driver cancelled the render before writing it
            return
        self.playing = subprocess.Popen([player, "-q", path], stdin=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _save(engine: Any, text: str, finished: threading.Event, rendering: _Rendering, path: str) -> None:
    """Render `text` to the WAV file `path`, once espeak is idle (see `_render`); the parent checks its sound."""
    deadline = time.monotonic() + IDLE_LIMIT
    while _espeak_busy() and time.monotonic() < deadline:
        time.sleep(0.002)
    finished.clear()
    rendering.start(path, None)  # nothing plays: `done` needs a player
    engine.save_to_file(text, path)
    engine.runAndWait()
    finished.wait()  # the parent's time limit covers a notice that never comes
    rendering.path = None


def _render(
    engine: Any, text: str, finished: threading.Event, rendering: _Rendering, player: str
) -> tuple[subprocess.Popen[bytes], str] | None:
    """Render `text` to a new WAV file in the private temporary folder and play it as soon as it is written;
    the playing `aplay` and the file if it holds sound, else None (and no file left).

    Why a sentence could come out empty (issue 15.10; reproduced by bench/empty_renders.py): the driver
    runs espeak-ng asynchronously and notifies "finished-utterance" from inside espeak's own thread, before
    that thread is done. A render started in that gap gets a single callback, MSG_TERMINATED with no
    samples, though espeak_Synth answered EE_OK, and the driver writes a WAV of 44 bytes: 8 in 5,320
    back-to-back renders, most often the first after a change of rate. A sentence queued behind the last
    one (said the moment it ends) is the one that falls in the gap. So each render waits for espeak to be
    idle (0 empty in 4,200), goes to a file of its own, and is checked for sound whatever the driver
    reported: a render with none is done once more, then told as a speech fault.
    """
    deadline = time.monotonic() + IDLE_LIMIT
    while _espeak_busy() and time.monotonic() < deadline:
        time.sleep(0.002)
    path = os.path.join(tempfile.gettempdir(), f"say-{os.getpid()}-{next(_names)}.wav")
    finished.clear()
    rendering.start(path, player)
    engine.save_to_file(text, path)
    engine.runAndWait()
    finished.wait()  # the parent's time limit covers a notice that never comes
    if rendering.playing is not None:
        return rendering.playing, path
    rendering.path = None  # a notice that came without the file: nothing plays
    with contextlib.suppress(FileNotFoundError):
        os.remove(path)
    return None


if __name__ == "__main__":
    sys.exit(main())
