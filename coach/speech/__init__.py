"""Speech: engines behind one small interface, and the speaker that plays events through them.

This package imports nothing at the top so that its pyttsx3 worker process
starts fast; use `coach.speech.speaker` and `coach.speech.engines`.
"""
