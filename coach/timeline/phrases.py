"""Every sentence coach says on its own, in one table per language.

A translation is one new table with the same keys; a program whose language
has no table is coached in English.
"""

from __future__ import annotations

from collections.abc import Mapping

ENGLISH: Mapping[str, str] = {
    "welcome": "{title}. {steps} steps, about {minutes}.",
    "welcome_one": "{title}. 1 step, about {minutes}.",
    "safety": "Before you start.",
    "checkin": "How is your pain now, from 0 to 10? Press a number, or I will go on in {seconds} seconds.",
    "checkin_listening": (
        "How is your pain now, from 0 to 10? Say or press a number, or I will go on in {seconds} seconds."
    ),
    "step": "Step {number} of {steps}. {title}.",
    "side_first": "Start with the {side}.",
    "switch": "Switch to the {side}.",
    "hold": "Hold.",
    "release": "Release.",
    "halfway": "Halfway.",
    "next": "Next: {title}.",
    "repetition": "Repetition {number} of {total}.",
    "set": "Set {number} of {total}.",
    "reps_intro": "{reps} repetitions, on my count.",
    "last_rep": "Last one.",
    "last_then": "Last one, then {title}.",  # the last repetition of a hold step, and what comes after it
    "set_done": "Rest.",
    "reps_done": "Done.",
    "timed_start": "{duration}, starting now.",
    "time_up": "Time is up.",
    "left": "{duration} left.",
    "ready_timeout": "Press Space when you are ready, or I will go on in {seconds}.",
    "ready_key": "Press Space when you are ready.",
    "going_on": "Going on.",
    "complete": "Session complete. Well done.",
    "paused": "Paused. Press Space to go on.",
    "resumed": "Going on.",
    "stopped": "Session stopped.",
    "pain_stop": "Stop now and rest. If the pain goes on or gets worse, call your doctor.",
    "pain_high": "You said your pain is {pain} out of 10.",
    "program_says": "Your program says:",
    "resume_offer": (
        "Last time you stopped during step {number} of {steps}, {title}. Press Space to go on from there, "
        "or I will start from the beginning in {seconds} seconds."
    ),
    "hold_change": "Hold {now}, {direction} from {before}.",
    "reps_change": "{now} repetitions, {direction} from {before}.",
    "up": "up",
    "down": "down",
    "no_timer": "There is no timer to change now.",
    "added": "{seconds} seconds added.",
    "taken": "{seconds} seconds taken away.",
    "status_last": "This is the last step.",
    # counting (hold sets, rest steps)
    "rest_start": "{title}, {duration}.",
    "set_rest": "Rest, {duration}.",
    "repetition_short": "Repetition {number}.",
    "hour": "1 hour",
    "hours": "{n} hours",
    "minute": "1 minute",
    "minutes": "{n} minutes",
    "second": "1 second",
    "seconds": "{n} seconds",
    "and": " and ",
    # Answers and questions (the safety helper): a check-in's answer said back, help and stop holding the session.
    "answer_noted": "Pain {pain}, noted.",
    "answer_label": "Pain {pain}, noted.",
    "answer_hint": "Another number corrects it.",
    "answer_pending": "Pain 1, or 0 for 10",
    "still_paused": "Still paused. Press Space to go on.",
    "nothing_done": "Session over. Every step was skipped.",
    "voice_wait": "Getting the voice ready; the next step starts when it is.",
    "then": "then {what}",
}

TABLES: Mapping[str, Mapping[str, str]] = {"en": ENGLISH}


class Phrases:
    """The phrase table for one language, with English for whatever it lacks."""

    def __init__(self, language: str = "en") -> None:
        self.table = TABLES.get(language.split("-")[0].lower(), ENGLISH)

    def __call__(self, key: str, **values: object) -> str:
        return self.table.get(key, ENGLISH[key]).format(**values)

    def duration(self, seconds: float) -> str:
        """Seconds in words: 90 -> "1 minute and 30 seconds"."""
        whole = max(0, round(seconds))
        hours, rest = divmod(whole, 3600)
        minutes, secs = divmod(rest, 60)
        parts = []
        for amount, one, many in (
            (hours, "hour", "hours"),
            (minutes, "minute", "minutes"),
            (secs, "second", "seconds"),
        ):
            if amount:
                parts.append(self(one) if amount == 1 else self(many, n=amount))
        return self("and").join(parts) if parts else self("seconds", n=0)
