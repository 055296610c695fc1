"""Every sentence coach says on its own, by a key, in English; the catalogs of `coach.i18n` translate them.

The key is the sentence's context in the catalog (msgctxt), so a translator
sees what it is for, and two sentences alike in English ("Going on." after a
pause and after a ready step) may differ in another language. A sentence with
a count has a singular and a plural, and the catalog as many forms as its
language needs. A program whose language has no catalog is coached in English.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from coach.i18n import base, translation

UNSPACED = frozenset({"zh"})  # languages whose sentences follow one another with no space, ending in 。


@dataclass(frozen=True)
class Plural:
    """A sentence with a count: its English singular and plural, and which placeholder is the count."""

    one: str
    many: str
    count: str = "n"


ENGLISH: Mapping[str, str | Plural] = {
    "welcome": Plural("{title}. {steps} step, about {minutes}.", "{title}. {steps} steps, about {minutes}.", "steps"),
    "safety": "Before you start.",
    "checkin": Plural(
        "How is your pain now, from 0 to 10? Press a number, or I will go on in {seconds} second.",
        "How is your pain now, from 0 to 10? Press a number, or I will go on in {seconds} seconds.",
        "seconds",
    ),
    "checkin_listening": Plural(
        "How is your pain now, from 0 to 10? Say or press a number, or I will go on in {seconds} second.",
        "How is your pain now, from 0 to 10? Say or press a number, or I will go on in {seconds} seconds.",
        "seconds",
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
    "reps_intro": Plural("{reps} repetition, on my count.", "{reps} repetitions, on my count.", "reps"),
    "last_rep": "Last one.",
    "last_then": "Last one, then {title}.",  # the last repetition of a hold step, and what comes after it
    "set_done": "Rest.",
    "reps_done": "Done.",
    "timed_start": "{duration}, starting now.",
    "time_up": "Time is up.",
    "left": "{duration} left.",
    "ready_timeout": "Press Space when you are ready, or I will go on in {seconds}.",
    "ready_key": "Press Space when you are ready.",
    "ready_timeout_listening": "Say coach go on, or press Space, when you are ready, or I will go on in {seconds}.",
    "ready_key_listening": "Say coach go on, or press Space, when you are ready.",
    "going_on": "Going on.",
    "complete": "Session complete. Well done.",
    "paused": "Paused. Press Space to go on.",
    "paused_listening": "Paused. Say coach go on, or press Space.",  # with --listen: a person on the floor
    "resumed": "Going on.",
    "stopped": "Session stopped.",
    "pain_stop": "Stop now and rest. If the pain goes on or gets worse, call your doctor.",
    "pain_high": "You said your pain is {pain} out of 10.",
    "program_says": "Your program says:",
    "resume_offer": (
        "Last time you stopped during step {number} of {steps}, {title}. Press Space to go on from there, "
        "or I will start from the beginning in {seconds} seconds."
    ),
    "resume_offer_typed": (  # plain mode from a pipe, where there is no Space to press
        "Last time you stopped during step {number} of {steps}, {title}. Type yes to go on from there, "
        "or I will start from the beginning in {seconds} seconds."
    ),
    "resume_offer_listening": (
        "Last time you stopped during step {number} of {steps}, {title}. Say yes, or press Space, to go on from "
        "there, or I will start from the beginning in {seconds} seconds."
    ),
    "hold_change": "Hold {now}, {direction} from {before}.",
    "reps_change": Plural(
        "{now} repetition, {direction} from {before}.", "{now} repetitions, {direction} from {before}.", "now"
    ),
    "up": "up",
    "down": "down",
    "no_timer": "There is no timer to change now.",
    "unknown_word": "Not a command: {word}. The words: {words}.",  # a line typed into plain mode's pipe
    "not_a_key": "{letter} is not a key. Press ? for the keys, or type a word and Enter.",  # plain mode, a terminal
    "answer_range": "A pain answer is a number from 0 to 10.",  # a larger number typed into plain mode's pipe
    # In words, as a person says a length: a walk's 245 presses of + were "2450 seconds added."
    "added": "{duration} added.",
    "taken": "{duration} taken away.",
    "status_last": "This is the last step.",
    "session_left": "About {duration} left in the session.",
    # counting (hold sets, rest steps)
    "rest_start": "{title}, {duration}.",
    "set_rest": "Rest, {duration}.",
    "repetition_short": "Repetition {number}.",
    "hours": Plural("{n} hour", "{n} hours"),
    "minutes": Plural("{n} minute", "{n} minutes"),
    "seconds": Plural("{n} second", "{n} seconds"),
    "and": "{first} and {second}",
    "comma": ", ",  # between the parts of what the screen shows: "Hold, repetition 2 of 10, left leg"
    # Answers and questions (the safety helper): a check-in's answer said back, help and stop holding the session.
    "answer_noted": "Pain {pain}, noted.",
    "answer_label": "Pain {pain}, noted.",
    "answer_hint": "Another number corrects it.",
    "answer_pending": "Pain 1, or 0 for 10",
    "still_paused": "Still paused. Press Space to go on.",
    "still_paused_listening": "Still paused. Say coach go on, or press Space.",
    # Plain mode fed words from a pipe, where there is no Space to press (a walk's `pause` was told to press it).
    # A pain number given with no question asking: how to stop for pain instead, as the person gives commands.
    "unasked": "No pain question now. If it hurts, press x to stop.",
    "unasked_listening": "No pain question now. If it hurts, say coach pain, or press x.",
    "unasked_typed": "No pain question now. If it hurts, type pain to stop.",
    "paused_typed": "Paused. Type resume to go on.",
    "still_paused_typed": "Still paused. Type resume to go on.",
    "nothing_done": "Session over. Every step was skipped.",
    "voice_wait": "Getting the voice ready; the next step starts when it is.",
    "then": "then {what}",
    # What the screen shows as the phase (the player's line under the title; `t` says it too)
    "phase_welcome": "Welcome",
    "phase_done": "Done",
    "phase_listen": "Listen",
    "phase_hold": "Hold",
    "phase_rest": "Rest",
    "phase_repetitions": "Repetitions",
    "phase_time_left": "Time left",
    "phase_press_space": "Press Space",
    "phase_get_ready": "Get ready",
    "phase_pain": "Pain, 0 to 10",
    "title_checkin": "Pain check-in",
    "title_resume": "Go on from last time?",
    "title_complete": "Session complete",
    # What the keys say (the speaker's, in the session's language)
    "faster": "Faster: {rate} words a minute.",
    "slower": "Slower: {rate} words a minute.",
    "fastest": "Already the fastest: {rate} words a minute.",
    "slowest": "Already the slowest: {rate} words a minute.",
    "speech_off": "Speech off.",
    "speech_on": "Speech on.",
    "heard": "Heard: {what}.",
    "stop_question": "Stop the session? y / n",
    "spoken_stop_question": "Stop the session? Say yes or no.",
    "no_voice": "This speech engine has no voice for {language}; its default voice reads the words.",
    "listening_english": "Listening understands English only: say coach pause, coach pain, or a number in English.",
    # A listening fault, said (its cause, a recorder's command line and all, is shown): a walk heard 12 s of English
    # read by a French voice, "/work/main/.venv/bin/python" with it, while the session waited for it.
    "listening_off": "Listening has stopped. The keys still work; listening is tried again at the next step.",
    "spoken_help": "Say coach, then: {commands}.",
    "say_help": "Say: coach help.",  # "coach" and something unknown was heard
}


def english_texts() -> list[str]:
    """Every English sentence of the table, in its order, both forms of a sentence with a count."""
    return [
        text
        for value in ENGLISH.values()
        for text in ((value.one, value.many) if isinstance(value, Plural) else (value,))
    ]


class Phrases:
    """The phrase table in one language, with English for whatever its catalog lacks."""

    def __init__(self, language: str = "en") -> None:
        self.language = language
        self.catalog = translation(language)

    def __call__(self, key: str, **values: object) -> str:
        english = ENGLISH[key]
        if isinstance(english, Plural):
            count = values[english.count]
            assert isinstance(count, int), (key, count)
            text = self.catalog.npgettext(key, english.one, english.many, count)
        else:
            text = self.catalog.pgettext(key, english)
        return text.format(**values)

    def sentences(self, *parts: str) -> str:
        """Sentences one after another: "Step 1. Hold." in English, "第1步。保持。" in Chinese."""
        return ("" if base(self.language) in UNSPACED else " ").join(part for part in parts if part)

    def ended(self, text: str, ends: tuple[str, ...]) -> str:
        """`text` as a sentence: its own full stop if it has none of `ends`, the language's own ("。")."""
        return text if text.endswith(ends) else text + ("。" if base(self.language) in UNSPACED else ".")

    def about(self, seconds: float) -> str:
        """A length as a person says it roughly: to the minute from 2 minutes, else to 10 seconds ("about 50
        seconds", "about 6 minutes"): the welcome's length, and the session's time left when asked."""
        return self.duration(round(seconds / 60) * 60 if seconds >= 120 else max(10, round(seconds / 10) * 10))

    def duration(self, seconds: float) -> str:
        """Seconds in words: 90 -> "1 minute and 30 seconds"."""
        whole = max(0, round(seconds))
        hours, rest = divmod(whole, 3600)
        minutes, secs = divmod(rest, 60)
        parts = []
        for amount, key in ((hours, "hours"), (minutes, "minutes"), (secs, "seconds")):
            if amount:
                parts.append(self(key, n=amount))
        if not parts:
            return self("seconds", n=0)
        said = parts[0]
        for part in parts[1:]:
            said = self("and", first=said, second=part)
        return said
