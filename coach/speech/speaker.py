"""The speaker: plays session events through an engine on its own thread, so that nothing waits for a voice.

Its rules are the contract's timing rules. Safety (stop, pain) cuts
everything and goes first. Step announcements and marks queue. Counts and
reminders that could not start within `LATE` of their time are dropped,
never spoken late. A newer status or repeat replaces an older one.

When the engine fails, the session goes on in text: the person is told once
what is missing, and the speaker tries the engine again at the next step.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from coach.i18n import N_, base, named, translation
from coach.session.clock import Clock
from coach.session.engine import LATE, MOVED, Event
from coach.speech import RATES
from coach.speech.engine import Engine, SpeechFailed, TakesTurns, hang_limit, voice_for
from coach.speech.rendering import AudioOutput, RenderingEngine
from coach.timeline import DEFAULT_RATE, DROPPABLE, Phrases, Priority, estimate
from coach.timeline.estimate import slowness
from coach.timeline.events import TONE

WARM_LIMIT = 5.0  # seconds a view waits for the engine before it starts the session in text anyway
GOES_ON_IN_TEXT = N_("The session goes on in text; speech is tried again at the next step.")
REPLACEABLE = frozenset({"status", "repeat", "help", "answer", "added", "taken"})  # only the newest is worth hearing
ON_REQUEST = frozenset({"status", "repeat"})  # said when asked, out of date at the session's next cue
SILENT = frozenset({"notice", "voice_wait", "heard"})  # shown, never spoken: about speech itself, or what was heard
# Heard even muted: a question waits for an answer (a walk's "coach mute", then "coach stop": three silent asks), and
# "Speech off." itself, the last word before the silence: a hands-free walk's "coach mute" was only printed, and a
# misheard one would silence the session without a word.
ALOUD_MUTED = frozenset({"confirm", "speech_off"})
# The person has moved on from the help (going on, the stop question): the rest of it, and the "Paused." after it,
# are out of date. A walk's "coach go on" left 50 s of keys talking over the session's own words, unheard, and the
# stop question waited behind them, unsaid, while the spoken answer to it was taken for the coach's own voice.
ENDS_HELP = frozenset({"resumed", "confirm"})
# Said by the coach even after a screen reader on the same voice read it, once it falls silent: the pain advice, the
# last thing the coach has to say. Any other sentence the screen reader is reading is given up (`SpeechdEngine`).
WAITS_ITS_TURN = frozenset({"pain_stop"})
RATE_STEP = 20


@dataclass(frozen=True)
class Utterance:
    text: str
    priority: Priority
    kind: str
    due: float  # on the session clock
    segment: int

    @classmethod
    def of(cls, event: Event) -> Utterance:
        return cls(event.text, event.priority, event.kind, event.at, event.segment)


@dataclass(frozen=True)
class Record:
    """What became of one utterance: spoken, cut, late, replaced, cancelled, muted, off or failed."""

    utterance: Utterance
    outcome: str
    started: float | None = None
    ended: float | None = None


class Backlog:
    """The utterances waiting for the engine, in order, with the dropping rules applied."""

    def __init__(self) -> None:
        self.waiting: list[Utterance] = []

    def push(self, utterance: Utterance) -> list[Utterance]:
        """Add `utterance`; returns what it displaced (everything, for safety; older ones of its kind)."""
        if utterance.priority == Priority.SAFETY:
            displaced, self.waiting = self.waiting, [utterance]
            return displaced
        displaced = [u for u in self.waiting if utterance.kind in REPLACEABLE and u.kind == utterance.kind]
        self.waiting = [u for u in self.waiting if u not in displaced] + [utterance]
        return displaced

    def pop(self, now: float) -> tuple[Utterance | None, list[Utterance]]:
        """The next utterance still worth saying, and the late ones dropped on the way."""
        late: list[Utterance] = []
        while self.waiting:
            utterance = self.waiting.pop(0)
            if utterance.priority in DROPPABLE and now - utterance.due > LATE:
                late.append(utterance)
                continue
            return utterance, late
        return None, late

    def clear(self) -> list[Utterance]:
        cleared, self.waiting = self.waiting, []
        return cleared


class Speaker:
    """The one speech interface the session's views use: say, cancel, rate, voice, mute, done."""

    def __init__(
        self,
        engine: Engine,
        *,
        clock: Clock,
        rate: int = DEFAULT_RATE,
        voice: str | None = None,
        on_notice: Callable[[str], None] = lambda text: None,
        on_done: Callable[[Record], None] = lambda record: None,
        failure_note: str = "",
        tones: bool = False,
        language: str = "en",
    ) -> None:
        self.engine = engine
        self.tones = tones  # the tone at zero, and beeps for counts when no voice works
        self.clock = clock
        self.rate = rate
        self.voice = voice
        self.language_slowness = 1.0  # the language's `slowness`: how long its sentences are expected to take
        self._asked_voice = voice is not None  # a voice the person chose is never swapped for the language's
        self.muted = False
        self.records: list[Record] = []
        self.notices: list[str] = []
        self._on_notice = on_notice
        self._on_done = on_done
        self._failure_note = failure_note  # what the view adds to "speech is off", e.g. that it goes on in text
        # The notices' own words are in the session's language; the cause of a fault, and what to check, stays
        # as the engine says it: it names commands and files, for whoever sets the coach up.
        self._words = translation(language)
        self._backlog = Backlog()
        self._current: Utterance | None = None
        self._current_started = 0.0
        self._current_began: float | None = None  # when an engine that takes turns said it began
        self._superseded = False  # the current sentence never got its turn before the next was due
        self._cancelled = threading.Event()
        self._changed = threading.Condition()
        self._ready = threading.Event()
        self._working = False
        self._language: str | None = None  # the session's language, until its voice has been chosen
        self._broken_in: int | None = None  # the segment in which the engine failed
        self._recovering = False  # prepared again after a failure, not yet heard to speak
        self._told_off = False  # the person has been told that speech is off, and it has not come back yet
        self._closing = False
        self._quiet_since = clock.now()  # when the last sentence ended
        self._starts: deque[float] = deque(maxlen=8)  # when the last sounds began, on the clock
        self._sounds: AudioOutput | None = None  # plays the tones, when the engine does not play files itself
        self._sound_failed = False
        self._thread = threading.Thread(target=self._run, name="speaker", daemon=True)

    # --- the session's side ----------------------------------------------------------------

    def start(self) -> None:
        """Warm the engine up in the background; `wait_ready` says when it can speak."""
        self._thread.start()

    def wait_ready(self, timeout: float) -> bool:
        """Wait up to `timeout` s for the engine to be ready; True if it can speak."""
        self._ready.wait(timeout)
        return self._working

    def say(self, event: Event) -> None:
        """Queue an event's sentence by its priority; never waits."""
        if event.kind == MOVED:  # the person has moved on: what belongs to where they were is not said
            self.cancel()
            return
        utterance = Utterance.of(event)
        if utterance.kind in SILENT:
            return
        if self.muted and utterance.priority != Priority.SAFETY and utterance.kind not in ALOUD_MUTED:
            # The pain advice is heard even muted: a walk's "coach mute", then "coach pain", stopped in silence
            # for a person who could not see the screen. And a question, and "Speech off." (`ALOUD_MUTED`).
            self._note(utterance, "muted")
            return
        with self._changed:
            if utterance.kind in ENDS_HELP and self._current is not None and self._current.kind == "help":
                for dropped in self._backlog.clear():
                    self._note(dropped, "cancelled")
                self._cut_current()
            current = self._current
            urgent = utterance.priority == Priority.SAFETY
            replaces = current is not None and utterance.kind in REPLACEABLE and current.kind == utterance.kind
            # A status or a repeat asked for is out of date once the session's next cue is due: the cue keeps its
            # time. Said to its end, a status in a hold's last seconds put the tone at zero 3.6 s late.
            gives_way = (
                current is not None
                and current.kind in ON_REQUEST
                and utterance.priority in (Priority.ANNOUNCE, Priority.MARK, Priority.COUNT)
                and utterance.kind not in REPLACEABLE
            )
            # A sentence still waiting for a screen reader to fall silent is out of date once the next one is due.
            outdated = (
                current is not None
                and isinstance(self.engine, TakesTurns)
                and self._current_began is None
                and current.priority != Priority.SAFETY
                and utterance.priority not in DROPPABLE
            )
            for displaced in self._backlog.push(utterance):
                self._note(displaced, "replaced")
            if urgent or replaces or outdated or gives_way:
                self._superseded = outdated and not (urgent or replaces or gives_way)
                self._cut_current()
            self._changed.notify_all()

    def cancel(self) -> None:
        """Silence now: drop what waits and cut what is being said."""
        with self._changed:
            for dropped in self._backlog.clear():
                self._note(dropped, "cancelled")
            self._cut_current()

    def set_rate(self, words_per_minute: int) -> int:
        """From the next utterance on; kept within what engines can do."""
        self.rate = min(max(words_per_minute, RATES.start), RATES.stop - 1)
        return self.rate

    def set_voice(self, voice: str | None) -> None:
        """From the next utterance on; an engine that lacks the voice uses its default."""
        self.voice = voice

    def use_language(self, language: str) -> None:
        """Speak `language` in the engine's voice for it, unless a voice was asked for; where the engine has
        none, say so once (the default voice reads on). Called before a session starts, off the UI thread:
        an engine may take a moment to list its voices."""
        self.language_slowness = slowness(language)
        self._words = translation(language)
        with self._changed:
            self._language = language
            working = self._working
        if working:
            self._choose_voice()
        # else chosen once the engine is ready (`_prepare`): a speech-dispatcher slow to answer was not, as a walk's
        # French session began, and its voice was never looked for

    def _choose_voice(self) -> None:
        with self._changed:
            language, self._language = self._language, None
        if language is None or self._asked_voice:
            return
        self.voice = None
        if base(language) == "en":  # English: the engine's default voice, as ever
            return
        try:
            voices = self.engine.voices()
        except (SpeechFailed, OSError):
            return
        if voices:  # an engine with no list (a command) is taken to speak whatever it is given
            self.voice = voice_for(voices, language)
            if self.voice is None:
                self._tell(Phrases(language)("no_voice", language=named(language)))

    def faster(self) -> int:
        return self.set_rate(self.rate + RATE_STEP)

    def slower(self) -> int:
        return self.set_rate(self.rate - RATE_STEP)

    def toggle_mute(self) -> bool:
        self.muted = not self.muted
        if self.muted:
            self.cancel()
        return self.muted

    @property
    def renders(self) -> bool:
        """Whether the engine renders sentences to audio now (so the timeline can be laid on real lengths)."""
        engine = self.engine
        return isinstance(engine, RenderingEngine) and engine.renders and self._working

    def length(self, text: str) -> float | None:
        """The real seconds `text` plays for at the current rate and voice, once rendered; None before."""
        engine = self.engine
        if not isinstance(engine, RenderingEngine):
            return None
        return engine.length(text, rate=self.rate, voice=self.voice)

    def bake(self, texts: list[str], *, first: bool = False) -> None:
        """Render `texts` in the background, in order (`first`: before anything already waiting)."""
        if isinstance(self.engine, RenderingEngine):
            self.engine.bake(texts, rate=self.rate, voice=self.voice, first=first)

    def quiet_since(self) -> float | None:
        """Since when nothing has been said (on the clock), or None while a sentence is being said or waits."""
        with self._changed:
            if self._current is not None or self._backlog.waiting:
                return None
            return self._quiet_since

    def began_near(self, moment: float, *, before: float, after: float) -> bool:
        """Whether a sentence (not a count) began from `before` seconds before `moment` to `after` seconds after
        it: speech heard to start then is the coach's own, heard a little late through the speakers and microphone."""
        with self._changed:
            return any(start - before <= moment <= start + after for start in self._starts)

    def wait_idle(self, timeout: float) -> bool:
        """Wait until everything queued has been said (or dropped); False if `timeout` came first."""
        with self._changed:
            return self._changed.wait_for(lambda: not self._backlog.waiting and self._current is None, timeout)

    def finish(self, grace: float = 1.0) -> bool:
        """Let what is queued be said, each for as long as it should take and no longer (a rendered clip, as long
        as its player may take before the output counts it hung).

        An utterance still going `grace` seconds after its estimated end counts as hung: it is
        not waited for, so a session whose engine hangs still ends on time.
        """
        with self._changed:
            while self._backlog.waiting or self._current is not None:
                if self._current is None:
                    self._changed.wait(0.05)  # the speaker thread is about to take the next one
                    continue
                if self.renders and self._current.text and self.length(self._current.text) is None:
                    self._changed.wait(0.05)  # still being rendered (a voice loading): its render has its own limit
                    self._current_started = self.clock.now()
                    continue
                expected = estimate(self._current.text, self.rate, self.language_slowness)
                clip = self.length(self._current.text) if self.renders and self._current.text else None
                # A clip is waited for as long as its player may take before the output counts it hung: the
                # estimate can be short of the clip, and a busy machine starts the player late (under load a
                # `coach say` was cut after 1.2 s of its 3).
                expected_end = self._current_started + (expected + grace if clip is None else hang_limit(clip))
                if isinstance(self.engine, TakesTurns):  # its own events say when it began and ended
                    speech = hang_limit(expected) + grace
                    began = self._current_began
                    waiting = self.engine.turn_limit if began is None else 0.0
                    expected_end = (self._current_started if began is None else began) + waiting + speech
                left = expected_end - self.clock.now()
                if left <= 0:
                    return False
                self._changed.wait(left)
            return True

    def close(self) -> None:
        """Stop speaking and end the engine: no process is left behind."""
        with self._changed:
            self._closing = True
            self._backlog.clear()
            self._cut_current()
            self._changed.notify_all()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        self.engine.close()
        if self._sounds is not None:
            self._sounds.close()

    # --- the speaker thread ------------------------------------------------------------------

    def _cut_current(self) -> None:
        """Cut the utterance being said, or about to be; call with the lock held, so it cannot change meanwhile."""
        if self._current is not None:
            self._cancelled.set()
            self.engine.cut()
            if self._sounds is not None:
                self._sounds.cut()

    def _run(self) -> None:
        self._prepare(0)
        if self.tones:  # made before the first is due: making one (a file, a look at the cache's size) takes ms
            from coach.speech.tones import SOUNDS, tone_file

            for name in SOUNDS:
                try:
                    tone_file(name)
                except OSError:
                    break
        self._ready.set()
        while True:
            with self._changed:
                self._changed.wait_for(lambda: self._closing or bool(self._backlog.waiting))
                if self._closing:
                    return
                utterance, late = self._backlog.pop(self.clock.now())
                for dropped in late:
                    self._note(dropped, "late")
                if utterance is None:
                    continue
                self._current, self._current_started, self._current_began = utterance, self.clock.now(), None
                self._superseded = False
                self._cancelled = threading.Event()
                cancelled = self._cancelled
                # Tried again at the next step; the pain advice cannot wait for one: there is none after it.
                retry = self._broken_in is not None and (
                    utterance.segment != self._broken_in or utterance.priority == Priority.SAFETY
                )
            if retry:
                self._prepare(utterance.segment, again=True)
            self._speak(utterance, cancelled)
            with self._changed:
                self._current = None
                self._quiet_since = self.clock.now()
                self._changed.notify_all()

    def _speak(self, utterance: Utterance, cancelled: threading.Event) -> None:
        if utterance.kind == TONE or (utterance.kind == "count" and not self._working and self.tones):
            # A tone at zero; with no voice, a beep a count and a long one at zero, so that time is still kept.
            sound = ("end" if self._working else "long") if utterance.kind == TONE else "beep"
            self._note(utterance, self._sound(sound, cancelled), self.clock.now())
            return
        if not self._working:
            self._note(utterance, "off")
            return
        started = self.clock.now()
        if self.engine.name != "none":  # `--speech none` says nothing that could be heard
            self._sounding(utterance)
        outcome = "spoken"
        try:
            if isinstance(self.engine, TakesTurns):
                outcome = self._speak_in_turn(self.engine, utterance, cancelled)
            else:
                self.engine.speak(
                    utterance.text, rate=self.rate, voice=self.voice, priority=utterance.priority, cancelled=cancelled
                )
        except SpeechFailed as failure:
            self._fail(str(failure), utterance.segment)
            self._note(utterance, "failed", started)
            return
        if self._recovering:
            self._recovering, self._broken_in, self._told_off = False, None, False
            self._announce(self._words.gettext("Speech is working again."))
        if outcome == "late" or self._superseded:
            self._note(utterance, "late")
            return
        began = self._current_began
        self._note(utterance, "cut" if cancelled.is_set() else outcome, started if began is None else began)

    def _sound(self, name: str, cancelled: threading.Event) -> str:
        """Play the tone `name` through the engine's own output, or one of the speaker's; what became of it."""
        if not self.tones or self._sound_failed:
            return "off"
        from coach.speech.tones import tone_file

        engine = self.engine
        try:
            path, seconds = tone_file(name)
            if isinstance(engine, RenderingEngine) and self.renders:
                engine.play_file(path, seconds, cancelled)
            else:
                if self._sounds is None:
                    self._sounds = AudioOutput()
                    self._sounds.prepare(None)
                self._sounds.play(path, seconds, cancelled)
        except (SpeechFailed, OSError) as failure:
            self._sound_failed = True  # told once, unless speech has said it (the same missing device): no tones
            if self._working:
                reason = str(failure).removeprefix("No sound: ").removeprefix("Speech is off: ")
                self._tell(f"No tones: {reason}")
            return "failed"
        return "cut" if cancelled.is_set() else "spoken"

    def _speak_in_turn(self, engine: TakesTurns, utterance: Utterance, cancelled: threading.Event) -> str:
        """A count or reminder must begin within `LATE` of its time, or the engine drops it."""
        start_within = None
        if utterance.priority in DROPPABLE:
            start_within = max(0.0, utterance.due + LATE - self.clock.now())
        return engine.speak_in_turn(
            utterance.text,
            rate=self.rate,
            voice=self.voice,
            cancelled=cancelled,
            start_within=start_within,
            waits=utterance.kind in WAITS_ITS_TURN,
            on_begin=self._began,
        )

    def _sounding(self, utterance: Utterance) -> None:
        """`utterance` is about to be heard (`began_near`). Not a count: a count is a number, heard as an answer
        if at all (and those wait for the coach's silence), and counts come each second: keeping their starts
        left "coach pain" deaf through most of a countdown."""
        if utterance.kind == "count":
            return
        with self._changed:
            self._starts.append(self.clock.now())

    def _began(self) -> None:
        with self._changed:
            self._current_began = self.clock.now()
            if self._current is not None and self._current.kind != "count":
                self._starts.append(self._current_began)
            self._changed.notify_all()

    def _prepare(self, segment: int, *, again: bool = False) -> None:
        try:
            voice = self.engine.prepare(self.voice)
        except SpeechFailed as failure:
            self._fail(str(failure), segment)
            return
        caution = getattr(self.engine, "caution", None)  # an engine's warning about how it was set up
        if caution:
            self._tell(caution)
        if self.voice is not None and voice is None:
            missing = self._words.gettext(
                "The voice {voice} is not available; using the default voice. `coach voices` lists them."
            )
            self._tell(missing.format(voice=self.voice))
        self.voice = voice
        with self._changed:
            self._working = True
        self._recovering = again
        self._choose_voice()  # a language chosen while the engine warmed up

    def _fail(self, advice: str, segment: int) -> None:
        self._working = self._recovering = False
        self._broken_in = segment
        if not self._told_off:  # once an outage: a retry that fails again (7 s, not 9 s) is not news
            self._told_off = True
            note = self._words.gettext(self._failure_note) if self._failure_note else ""
            self._announce(f"{advice} {note}".strip())

    def _tell(self, text: str) -> None:
        """Say a notice once only, however often its cause comes back."""
        if text not in self.notices:
            self._announce(text)

    def _announce(self, text: str) -> None:
        self.notices.append(text)
        self._on_notice(text)

    def _note(self, utterance: Utterance, outcome: str, started: float | None = None) -> None:
        record = Record(utterance, outcome, started, self.clock.now() if started is not None else None)
        self.records.append(record)
        self._on_done(record)
