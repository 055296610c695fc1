"""Listening in a session: what the listener heard, turned into the commands that keys and words give.

One place for both views, so the player and plain mode behave alike. A
command after the wake word acts at any time (so "coach pain" can cut in
while the coach speaks); a bare answer ("seven", "yes") counts only while the
coach waits for one and has been silent since before it began, so its own
counts ("7") are never taken for an answer. Nothing heard to begin as the
coach began a sentence counts at all: that is the coach's own voice. What is
heard is shown as "Heard: pause." (not spoken: what it does is what is said).
"""

from __future__ import annotations

from collections.abc import Callable

from coach.i18n import base
from coach.listen import KEYS_STILL_WORK
from coach.listen.listener import Heard, Listener
from coach.session.clock import Clock
from coach.session.drive import Command
from coach.session.engine import Event, Session
from coach.session.outcome import Outcome
from coach.speech.speaker import Speaker
from coach.timeline import Phrases, Priority
from coach.views.controls import NUMBERS, SPOKEN, Controls, SpokenCommand, heard_line

ANSWERS = (*NUMBERS, "yes", "no")
ECHO_MARGIN = 0.5  # seconds: speech that began this soon after the coach fell silent may be its own echo
# Speech heard to begin from OWN_BEFORE before to OWN_AFTER after the coach began a sentence is that sentence,
# reaching the microphone a little late. Its own sentences did come out as commands: a whole core-strength session
# said by espeak-ng (bench/listen.py) gave "coach status" for "Switch to the left arm and right leg." and three
# more, each begun within 15 ms of a sentence. A person who starts a command then is talking over the coach,
# and the detector would hear the two as one long piece of speech anyway.
OWN_BEFORE, OWN_AFTER = 0.25, 0.5
UNKNOWN_EVERY = 60.0  # "Say: coach help." at most this often


class Listening:
    """The listener for one session: started with it, tried again at each new segment, closed with it."""

    def __init__(
        self,
        template: str | None,
        controls: Controls,
        speaker: Speaker,
        post: Callable[[Command], object],
        clock: Clock,
    ) -> None:
        self.controls, self.speaker, self.post, self.clock = controls, speaker, post, clock
        self._helped_at = -UNKNOWN_EVERY
        controls.listening()  # the help says what may be said
        self._segment = -1
        self.listener = Listener(template, tuple(SPOKEN), ANSWERS, on_heard=self.heard, on_fault=self.fault)

    def start(self) -> None:
        self.listener.start()
        phrases = self.controls.phrases
        if base(phrases.language) != "en":  # the recognizer's model is English: say so, in the session's language
            told = phrases("listening_english")
            self.post(lambda session: session.interject(told, "listening_note"))

    def close(self) -> None:
        self.listener.close()

    def saw(self, event: Event) -> None:
        """Each event the session gave: at a new segment, listening that has stopped is tried again."""
        if event.segment != self._segment:
            self._segment = event.segment
            self.listener.retry()

    def heard(self, heard: Heard) -> None:  # on the listener's thread
        # "coach pain" acts even so: a walk's, said as the coach began "Hold.", was dropped without a word, and the
        # session played on. A false stop can be started again; a pain unheard cannot be taken back. The coach's
        # own speech gave no command at all over a whole session (bench/listen.py: decoded_as_commands).
        pain = heard.kind == "command" and SPOKEN.get(heard.phrase) == "pain"
        if not pain and self.speaker.began_near(heard.began, before=OWN_BEFORE, after=OWN_AFTER):
            return
        if heard.kind == "command":
            self.post(_shown(heard.phrase, self.controls.spoken(heard.phrase), self.controls.phrases))
        elif heard.kind == "answer" and self._quiet_before(heard.began):
            self.post(self.controls.spoken_answer(heard.phrase))
        elif heard.kind == "unknown" and self.clock.now() - self._helped_at >= UNKNOWN_EVERY:
            self._helped_at = self.clock.now()
            told = self.controls.phrases("say_help")  # in the session's language; the words stay English
            self.post(lambda session: session.tell(told, "help", Priority.ANNOUNCE))
        # "unsure" acts on nothing: a miss, never another command (the recognizer's `STEADY`); nor "other"

    def fault(self, text: str) -> None:
        """Shown whole (what is wrong and how to fix it, for whoever reads the screen); said short, in the
        session's language, the session waiting for it."""
        told = self.controls.phrases("listening_off")
        # What follows the cause ("Keys still work; listening is tried again…") is what the said line tells, in the
        # session's language: shown twice, plain mode gave a screen reader two lines of it (a patient's walk).
        # Once the session is over it is untrue, and the cause alone is shown.
        text = text.removesuffix(KEYS_STILL_WORK).rstrip()

        def not_hearing(session: Session) -> list[Event]:
            session.hears_commands = False  # a pause no longer says to say "coach go on"
            # A fault that comes once the session is over (from a recorder that was failing as it ended) is shown,
            # not said: "tried again at the next step" is untrue there, and it replaced the closing words on the
            # screen. After a pain stop listening has been closed on purpose, and the advice stays alone.
            if session.outcome == Outcome.PAIN:
                return []
            if session.finished:
                return session.notice(text)
            return session.notice(text) + session.interject(told, "listening")

        self.post(not_hearing)

    def _quiet_before(self, began: float) -> bool:
        quiet_since = self.speaker.quiet_since()
        return quiet_since is not None and quiet_since + ECHO_MARGIN <= began


def _shown(phrase: str, command: SpokenCommand, phrases: Phrases) -> SpokenCommand:
    def heard_then(session: Session) -> list[Event]:
        session.hears_commands = True  # listening works (again): a pause may say to say "coach go on"
        # Once the session is over only "coach pain" acts, as x does on the last screen: the advice, once.
        if session.finished and (SPOKEN[phrase] != "pain" or session.outcome == Outcome.PAIN):
            return []
        return heard_line(session, phrase, phrases) + command(session)

    return SpokenCommand(command.word, heard_then)
