"""Speech: engines behind one small interface, and the speaker that plays events through them.

This package imports nothing at the top so that its pyttsx3 worker process
starts fast, and so does `coach --version`; use `coach.speech.speaker` and
`coach.speech.engines`.
"""

ENGINES = ("pyttsx3", "espeak", "speechd", "command", "none")
