"""The listening worker: a process that runs the recorder and the recognizer, and prints what it heard.

Started by `coach.listen.listener` with one JSON line on standard input (the
recorder's argument list, the commands and the answers); it then writes one
JSON line per event on standard output: `ready`, `heard` (with its moments on
the monotonic clock, which every process of a machine shares) and `fault`
(in plain words, with what to do), after which it ends. It ends too when its
standard input closes, which is how it learns that the coach has gone. The
recorder runs in this process's group, so ending the group ends both; what
the recorder prints on its standard error is kept for a fault, never shown.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import subprocess
import sys
import threading
import time
from typing import Any

from coach.listen import KEYS_STILL_WORK

SILENT_LIMIT = 10.0  # seconds without a byte from the recorder before it counts as hung
CHUNK = 3200  # bytes read at a time: 0.1 s of audio


def main() -> int:
    request = json.loads(sys.stdin.readline() or "{}")
    threading.Thread(target=_exit_when_coach_goes, daemon=True).start()
    try:
        from coach.listen.recognizer import Recognizer

        recognizer = Recognizer(request["commands"], request["answers"])
    except Exception as error:  # pocketsphinx missing or broken: the coach must hear why, in one line
        return _fault(
            f"Listening is off: the speech recognizer (pocketsphinx) did not start ({error}). "
            f"Reinstall coach with pip. {KEYS_STILL_WORK}"
        )
    argv: list[str] = request["recorder"]
    try:
        recorder = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except OSError as error:
        return _fault(
            f"Listening is off: the recorder {argv[0]} could not start ({error.strerror}). "
            f"{request['advice']} {KEYS_STILL_WORK}"
        )
    assert recorder.stdout is not None and recorder.stderr is not None
    complaint: list[bytes] = []
    errors = recorder.stderr
    threading.Thread(target=lambda: complaint.extend(errors.read().splitlines()[-1:]), daemon=True).start()
    source = recorder.stdout.fileno()
    heard_sound = False  # "ready" only once sound arrives: a recorder that starts and fails is one fault, not news
    while True:
        readable, _, _ = select.select([source], [], [], SILENT_LIMIT)
        if not readable:
            recorder.kill()
            return _fault(
                f"Listening is off: no sound came from the recorder ({_named(argv)}) for "
                f"{SILENT_LIMIT:.0f} seconds. Check the microphone. {KEYS_STILL_WORK}"
            )
        pcm = os.read(source, CHUNK)
        if not pcm:
            status = recorder.wait()
            time.sleep(0.1)  # its last complaint, read by the thread above
            said = complaint[0].decode(errors="replace").strip() if complaint else f"exit status {status}"
            return _fault(
                f"Listening is off: the recorder ({_named(argv)}) stopped: {said}. "
                f"Check that a microphone is connected. {KEYS_STILL_WORK}"
            )
        arrived = time.monotonic()
        if not heard_sound:
            heard_sound = True
            _send({"event": "ready"})
        heard = recognizer.feed(pcm)
        lag = arrived - recognizer.seconds  # the stream's start on the monotonic clock
        for item in heard:
            _send(
                {
                    "event": "heard",
                    "kind": item.kind,
                    "phrase": item.phrase,
                    "confidence": round(item.confidence, 3),
                    "began": lag + item.began,
                    "ended": lag + item.ended,
                }
            )


def _fault(text: str) -> int:
    _send({"event": "fault", "text": text})
    return 1


def _send(message: dict[str, Any]) -> None:
    try:
        sys.stdout.write(json.dumps(message) + "\n")
        sys.stdout.flush()
    except (BrokenPipeError, ValueError):
        _end_group()


def _exit_when_coach_goes() -> None:
    """Standard input ends when the coach closes it or dies: end the recorder with this process."""
    with contextlib.suppress(OSError):
        while sys.stdin.buffer.read(1):
            pass
    _end_group()


def _end_group() -> None:
    with contextlib.suppress(OSError):
        os.killpg(os.getpgid(0), 9)
    os._exit(0)


INTERPRETERS = ("python", "sh", "bash", "dash", "env", "perl")


def _named(argv: list[str]) -> str:
    """The recorder as a person would name it: its script where it runs under an interpreter (a walk was told
    "the recorder (/usr/bin/python3) stopped" of `python3 rec.py`)."""
    interpreted = os.path.basename(argv[0]).startswith(INTERPRETERS) and len(argv) > 1
    return f"{argv[0]} {argv[1]}" if interpreted else argv[0]


if __name__ == "__main__":
    sys.exit(main())
