"""Speech: engines behind one small interface, and the speaker that plays events through them.

This package imports nothing at the top so that its pyttsx3 worker process
starts fast, and so does `coach --version`; use `coach.speech.speaker` and
`coach.speech.engines`.
"""

ENGINES = ("pyttsx3", "espeak", "piper", "speechd", "command", "none")
RATES = range(80, 451)  # words per minute a person may choose: the one place this range is written


def rates_told() -> str:
    """The range as the error lines tell it: `words per minute from 80 to 450`."""
    return f"words per minute from {RATES.start} to {RATES.stop - 1}"
