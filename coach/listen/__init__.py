"""Listening: spoken commands and answers, recognised offline, for a session that needs no key at all.

An adapter at the edge, like speech and history: the recognizer (pocketsphinx)
and the recorder it reads run in a worker process of their own, so a crash or
a hang there never touches the session. The coach's side (`listener`) only
reads what the worker heard, one JSON line at a time, and the views turn it
into the same commands keys and words give.
"""

SAMPLE_RATE = 16000  # the recorder's raw PCM: signed 16-bit little-endian mono at this rate
SAMPLE_BYTES = 2
INSTALL_ADVICE = "Install alsa-utils (arecord) or sox, or name a recorder with --listen-command."
KEYS_STILL_WORK = "Keys still work; listening is tried again at the next step."
NAMED_RECORDER_ADVICE = "Check the recorder program given with --listen-command."
