"""Which program records the microphone: the person's own (`--listen-command`), else arecord, else sox.

Each must write raw signed 16-bit little-endian mono PCM at 16 kHz to its
standard output. arecord (alsa-utils, already needed for speech) reaches
PipeWire and PulseAudio through ALSA's default device; sox's `-d` is the
default device elsewhere. A template is split as a shell would split it but
never run by one, like `--speech-command`.
"""

from __future__ import annotations

import shutil

from coach.listen import INSTALL_ADVICE, KEYS_STILL_WORK
from coach.speech.process import parse_template

ARECORD = ["arecord", "-q", "-t", "raw", "-f", "S16_LE", "-r", "16000", "-c", "1"]
SOX = ["sox", "-d", "-q", "-t", "raw", "-b", "16", "-e", "signed", "-r", "16000", "-c", "1", "-"]


def split_template(template: str) -> list[str]:
    """`--listen-command`'s words; UsageError (one line) when it cannot be split or is empty."""
    return parse_template(template, "--listen-command", "the recorder program and its arguments")


def recorder_argv(template: str | None) -> list[str] | None:
    """The recorder to start; None when none is given and neither arecord nor sox is installed."""
    if template:
        return split_template(template)
    for argv in (ARECORD, SOX):
        if shutil.which(argv[0]):
            return argv
    return None


NO_RECORDER = f"Listening is off: no recorder program was found (arecord or sox). {INSTALL_ADVICE} {KEYS_STILL_WORK}"
