"""Play a timeline on a clock, with the controls a person has: pause, skip, back, more time.

The session is a state machine with no threads and no I/O: it is asked what
is due now, and when the next thing is due. Each segment has an origin on
the clock, and every deadline is that origin plus the cue's offset, so a
pause or a skip moves one origin and nothing drifts. Views (the player,
plain mode) and speech all consume the events it returns.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

from coach.session.clock import Clock
from coach.session.outcome import Outcome
from coach.timeline import DROPPABLE, Cue, Phase, Phrases, Priority, Segment, Timeline, estimate
from coach.timeline.estimate import GAP, slowness

LATE = 0.25  # a count or reminder later than this is dropped, never spoken late
# The first event of a jump (next, back, Enter, an answer taken at once): silent, it tells the speaker that what is
# still being said, or waits to be, belongs to where the person has left. Said to its end, a 15 s instruction
# skipped with n held the next step's cues back: a walk heard its 16 s hold as 2.4 s, its counts dropped.
MOVED = "moved"
SENTENCE_ENDS = ("?", ".", "!", ":", "。", "？", "！", "：")  # a label that is a sentence already: no comma after it
BACK_GRACE = 4.0  # "back" within this long of a step's start goes to the step before
ADJUST = 10  # seconds that + and - add or take away
EMPTIED_GRACE = 1.0  # seconds after - empties a timer in which more presses of - do nothing: a burst, a key held
BURST = 2.0  # + or - pressed again within this long adds up in what is said: "30 seconds added." after +++
TOLD_MARGIN = 1.15  # an interjection's wait, over its estimated length: a walk's ran 0.3 to 1.2 s past it
TEN_WAIT = 1.5  # a `1` typed at a check-in waits this long for a `0` (10); Enter confirms it at once
CORRECTION = 4.0  # after an answer the check-in stays open this long, so another digit can correct it
EARLY = 2.0  # a digit typed this long before a check-in begins is its answer: the person saw the question coming
# A digit typed this long after a check-in closed unanswered is its answer: a screen reader, still reading the lines
# before it, read a walk's question out only as it closed.
LATE_ANSWER = 10.0


@dataclass(frozen=True)
class Event:
    """A whole sentence to show and say, with when it was due on the session clock."""

    at: float
    text: str
    priority: Priority
    kind: str
    segment: int
    step: int


@dataclass(frozen=True)
class View:
    """What a screen shows at one moment."""

    title: str
    step: int
    steps: int
    phase: Phase | None
    phase_left: float | None
    count: int | None
    count_total: int | None  # the last count of this set of repetitions
    doing: str  # the phase in words: "Hold, repetition 2 of 10, left leg", "Rest, then repetition 3 of 10"
    pending: int | None  # a `1` typed at a check-in, waiting for a `0`
    next_title: str
    session_left: float
    paused: bool
    waiting: bool
    finished: bool
    outcome: Outcome | None

    @property
    def seconds_left(self) -> int | None:
        """The phase's time left in whole seconds, as shown and as said: rounded up, so 0 comes only at its end. A
        walk paused a hold at 14.5 s and read 15 on the screen and "14 seconds left" in the status."""
        return None if self.phase_left is None else math.ceil(self.phase_left - 1e-9)


class SessionLog(Protocol):
    """Where a session's record goes as it happens: the history. Each call may return a notice to show."""

    def started(self) -> str | None: ...

    def resumed(self, step: int) -> str | None: ...

    def step_ended(self, number: int, completed: bool) -> str | None: ...

    def replayed(self, number: int) -> str | None:
        """Step `number`, left by a skip, is played again: the skip no longer stands."""

    def adjusted(self, step: int, seconds: int) -> str | None: ...

    def answered(self, before: bool, pain: int) -> str | None: ...

    def ended(self, outcome: Outcome, step: int | None) -> str | None:
        """The session ended; `step`: the exercise it was stopped in (None where none was playing)."""


class Readiness(Protocol):
    """Rendered speech: whether a segment's audio exists yet, and the timeline laid on its real lengths."""

    def ready(self, index: int, timeline: Timeline) -> Timeline | None:
        """`timeline` laid on the real lengths of the audio made so far, once every sentence of segment `index`
        has its audio; None while some is still being made (it is hurried). Never blocks."""


READY_POLL = 0.05  # how often a session waiting for its voice asks again
PHASE_GRAIN = 0.001  # a phase that begins with nothing said wakes the session this long after it has begun
ASK_AGAIN = 20.0  # seconds: a question left unanswered this long is asked again (`ask`)
ASKS = 3  # times in all a question is asked; ASK_AGAIN s after the last, unanswered, the session stops


class Session:
    """One playing of a timeline."""

    def __init__(
        self, timeline: Timeline, clock: Clock, log: SessionLog | None = None, readiness: Readiness | None = None
    ) -> None:
        self.timeline = timeline
        self.clock = clock
        self.log = log
        self.readiness = readiness
        self.getting_ready = False  # a segment waits for its audio: its clock starts when the audio exists
        self._told_getting_ready = False
        self._notices: list[Event] = []
        self.phrases = Phrases(timeline.language)
        self.index = -1
        self.origin = 0.0
        self.cues: list[Cue] = []
        self._counted: list[Cue] = []  # the segment's counts given so far (`adjust` says them again)
        self.phases: list[Phase] = []
        self.length = 0.0
        self.paused_at: float | None = None
        # An interjection is to be said (`interject`): the program's clock stands from `_told_from` until it has.
        self._told_from: float | None = None
        self._told_until = 0.0
        self._told_begins = 0.0  # when the first interjection still to be said begins: it may wait its turn
        self._speaking_until = -math.inf  # when the cues given so far should have been said, as laid
        self._pause_said_until = -math.inf  # when "Paused. Press Space to go on." should have been said
        self.held = False  # a question or the help screen holds the session (paused, silently)
        self.muted = False  # speech is off (m): nothing waits for an interjection nobody hears (`interject`)
        # Spoken commands are heard now: a pause says "Say coach go on" only then. Off once listening has failed
        # (a walk was told to say it with no recorder running), on again when a command is heard.
        self.hears_commands = timeline.listening
        self.typed = False  # commands come as typed words (plain mode from a pipe): a pause says to type resume
        # The input has ended (a pipe's end): no key can come, so no step waits for one (a `ready` step of "0s").
        self.keys_gone = False
        self._emptied_at = -math.inf  # when - last ended a timer (the clock's time)
        self._burst = (-math.inf, 0)  # when + or - was last pressed (the clock's time), and the seconds told since
        self._paused_before_hold = False
        self._question: str | None = None  # what `ask` asked, while held by it
        self._asked_at = 0.0
        self._asked = 0
        self.pending: int | None = None  # a `1` at a check-in, until `pending_until` or a `0`
        self._early: tuple[float, int, bool] | None = None  # a number typed before a check-in began: when, and whole
        self._missed: tuple[int, float] | None = None  # the last check-in left unanswered, and when it closed
        self._late_one = -math.inf  # when a lone `1` answered it while paused or waiting: a `0` after makes it 10
        self.pending_until = 0.0
        self.steps_done = 0  # steps that ran to their end
        self._skipped: set[int] = set()  # steps last left by a skip: played again (← back), the skip is undone
        self._added: dict[int, int] = {}  # seconds added to each step (less those taken), as recorded
        self.waiting = False
        # An accepted offer to go on from last time: the pain check-in it asks first, and the step it goes on from
        # after it. A resumed session went straight to the step, hours after what cut it short, and asked nothing.
        self._going_on: tuple[int, int] | None = None
        self.outcome: Outcome | None = None
        self.stopped_in: int | None = None  # the step playing when the session was stopped (for pain or not)
        self.answers: list[tuple[int, int]] = []  # (segment, pain 0..10)
        self.dropped: list[Event] = []

    # --- playing -------------------------------------------------------------------------

    @property
    def finished(self) -> bool:
        return self.outcome is not None

    @property
    def closing(self) -> bool:
        """The session's closing words are being said: every step is over."""
        return self.index == len(self.timeline.segments) - 1 and not self.segment.number

    @property
    def segment(self) -> Segment:
        return self.timeline.segments[self.index]

    def start(self) -> None:
        if self.log is not None:
            self._notice(self.log.started())
        self._enter(0, None)

    def due(self) -> list[Event]:
        """Every event whose time has come, in order; late counts and reminders are dropped."""
        now = self.clock.now()
        events: list[Event] = self._ask_again(now)
        while not self.finished and self.paused_at is None and not self.waiting:
            if self._told_from is not None and self._told_from <= now:
                if now < self._told_until:
                    break
                self._thaw(self._told_until)
            elif self.getting_ready:
                if not self._load(None):
                    break
            elif self.pending is not None and self.pending_until <= now:
                digit, self.pending = self.pending, None
                events += self._record(digit, self.pending_until)
            elif self.cues and self.origin + self.cues[0].at <= now:
                cue = self.cues.pop(0)
                text = cue.text if self.hears_commands else self.timeline.unheard.get(cue.text, cue.text)
                event = self._event(text, cue.priority, cue.kind, self.origin + cue.at)
                late = now - event.at > LATE and cue.priority in DROPPABLE
                (self.dropped if late else events).append(event)
                if not late:
                    self._speaking_until = max(self._speaking_until, event.at) + cue.length
                if cue.priority == Priority.COUNT:
                    self._counted.append(cue)
                if not self.cues and self.closing:
                    # The session is over as its last words begin: what would go on ("← Back" into it, Space
                    # pausing it) has nothing left to act on, and the views show their end while it is said.
                    self._enter(len(self.timeline.segments), None)
            # After the cues due: a number typed just before a check-in is noted once its question is asked (a walk
            # read "Pain 3, noted." before the question, which then sounded as though the answer was not taken).
            elif self._early is not None and (self.segment.answer_ends or now - self._early[0] >= EARLY):
                events += self._carry_early()
            elif self.origin + self.length <= now:
                if self.segment.waits_for_key and not self.keys_gone:
                    self.waiting = True
                else:
                    self._enter(self._following(leaving=True), self.origin + self.length, completed=True)
            else:
                break
        return events + self._take_notices()

    def next_deadline(self) -> float | None:
        """When `due` next has something to do, or a phase begins with nothing said (the countdown after a
        question); None while paused, waiting or done, unless a question unanswered is to be asked again."""
        asking = self._asking_until()
        if asking is not None:
            return asking
        if self.finished or self.paused_at is not None or self.waiting:
            return None
        if self._told_from is not None and self._told_from <= self.clock.now():
            return self._told_until
        told = math.inf if self._told_from is None else self._told_from  # the wait that begins after a sentence
        if self.getting_ready:
            return min(self.clock.now() + READY_POLL, told)
        end = min(self.origin + self.length, told)
        if self.pending is not None:
            end = min(end, self.pending_until)
        if self._early is not None:  # told when it is not an answer (`_carry_early`), not at the next cue
            end = min(end, self._early[0] + EARLY)
        end = min(end, self._next_phase_begins())
        return min(self.origin + self.cues[0].at, end) if self.cues else end

    def _next_phase_begins(self) -> float:
        """When the next phase of this segment begins, a millisecond (the grain of cue times) late so that it
        has begun by then whatever the rounding: a walk saw the countdown after a question first drawn with the
        next second's redraw, its first second shown for 0.2 to 0.6 s."""
        now = self.clock.now() - self.origin
        begins = [phase.start for phase in self.phases if phase.start > now]
        return self.origin + min(begins) + PHASE_GRAIN if begins else math.inf

    def _enter(self, index: int, origin: float | None, completed: bool | None = None) -> None:
        """Go to segment `index` from `origin`, or from now (None: a start or a jump) once it is loaded: laying it
        on its audio takes milliseconds its first cue must not lose. `completed` says whether the step being
        left ran to its end (None: not left)."""
        self.waiting = False
        self.pending = None
        if self.index >= 0 and self.segment.answer_ends and not self._answered_here():
            self._missed = (self.index, self.clock.now() if origin is None else origin)
        if completed is not None:
            self._step_ended(completed)
        if index >= len(self.timeline.segments):
            self._end(Outcome.COMPLETED if self.steps_done or not self.timeline.steps else Outcome.STOPPED)
            return
        self.index, self.origin = index, self.clock.now() if origin is None else origin
        if origin is None and self._told_until > self.origin:  # a start or a jump: it begins once that is said
            self._told_from = self.origin if self._told_from is None else max(self._told_from, self.origin)
        number = self.segment.number
        if number in self._skipped:
            # Played again: a walk skipped a step, went back into it, stopped there for pain, and read it skipped.
            self._skipped.discard(number)
            if self.log is not None:
                self._notice(self.log.replayed(number))
        if self._added.get(number) and self.log is not None:
            # Played again (← back to it): it starts as written, and the time changed in the pass left is not kept.
            self._notice(self.log.adjusted(number, -self._added[number]))
        self._added[number] = 0
        # Told once while the voice is still not ready, however many steps are skipped meanwhile: a walk's `n n`
        # printed "Getting the voice ready" twice in a row in plain mode.
        still_told = self.getting_ready and self._told_getting_ready
        self.getting_ready = self.readiness is not None
        self._told_getting_ready = still_told and self.getting_ready
        self._show(self.timeline.segments[index])
        if self.getting_ready:
            self._load(origin)

    def _step_ended(self, completed: bool) -> None:
        """The step being left is counted and recorded, done or not (a check-in, a rest: nothing to count)."""
        if self.index >= 0 and self.segment.number:
            self.steps_done += completed
            if completed:
                self._skipped.discard(self.segment.number)
            else:
                self._skipped.add(self.segment.number)
            if self.log is not None:
                self._notice(self.log.step_ended(self.segment.number, completed))

    def _load(self, origin: float | None) -> bool:
        """Rendered speech: play the segment on its audio's real lengths once that audio exists; until then the
        session waits (told once), so that no sentence is ever late for want of its audio. True once loaded."""
        assert self.readiness is not None
        laid = self.readiness.ready(self.index, self.timeline)
        if laid is None or len(laid.segments) != len(self.timeline.segments):
            if not self._told_getting_ready:
                self._told_getting_ready = True
                self._notices += self.voice_wait()
            return False
        self.timeline, self.getting_ready = laid, False
        # A start or a jump begins once loaded, and a segment that waited once made: now, not before.
        self.origin = self.clock.now() if origin is None or self._told_getting_ready else origin
        self._show(self.timeline.segments[self.index])
        return True

    def _show(self, segment: Segment) -> None:
        self.cues, self.phases, self.length = list(segment.cues), list(segment.phases), segment.length
        self._counted = []
        if self.index == len(self.timeline.segments) - 1 and self.timeline.steps and not self.steps_done:
            # Every step was skipped: the closing says so, instead of "Session complete. Well done."
            self.cues = [cue._replace(text=self.phrases("nothing_done")) for cue in self.cues]

    def _end(self, outcome: Outcome) -> None:
        if outcome != Outcome.COMPLETED and self.index >= 0:  # which exercise it was stopped in, for the record
            self.stopped_in = self.segment.number or None
        self.outcome = outcome
        if self.log is not None:
            self._notice(self.log.ended(outcome, self.stopped_in))

    def _notice(self, text: str | None) -> None:
        if text:
            self._notices.extend(self.notice(text))

    def _take_notices(self) -> list[Event]:
        taken, self._notices = self._notices, []
        return taken

    def _event(self, text: str, priority: Priority, kind: str, at: float | None = None) -> Event:
        step = self.segment.number if self.index >= 0 else 0
        return Event(self.clock.now() if at is None else at, text, priority, kind, self.index, step)

    def _now_event(self, key: str, priority: Priority = Priority.MARK, **values: object) -> list[Event]:
        return [self._event(self.phrases(key, **values), priority, key)]

    def _paused_event(self, key: str) -> list[Event]:
        """ "Paused. Press Space to go on.", and where spoken commands are heard "… Say coach go on, or press
        Space.": a walk's person on the floor, who had said "coach pause", was told to press a key."""
        return [self._event(self._for_input(key), Priority.MARK, key)]

    def _for_input(self, key: str) -> str:
        """The phrase `key` as the person gives commands: by voice, by typed words, or by keys."""
        return self.phrases(f"{key}_listening" if self.hears_commands else f"{key}_typed" if self.typed else key)

    def _unasked(self) -> list[Event]:
        """A pain number with no question asking for it: say so, and how to stop for pain. A walk's 9, typed in
        the middle of a step, was dropped without a word."""
        return [self._event(self._for_input("unasked"), Priority.MARK, "unasked")]

    # --- controls ------------------------------------------------------------------------

    def pause(self, at: float | None = None) -> list[Event]:
        """Space, or the process being suspended (Ctrl-Z) `at` the moment it stopped."""
        if self.held and not self._paused_before_hold:  # suspended behind help or a question: stay paused after
            self._paused_before_hold = True
            return []
        if self.finished or self.paused_at is not None or self.index < 0:
            return []
        self.paused_at = self.clock.now() if at is None else at
        self._thaw(self.paused_at)
        paused = self._paused_event("paused")
        # Said after what is being said; a "go on" meanwhile waits for its end (`resume`).
        self._pause_said_until = max(self.clock.now(), self._speaking_until) + self._estimate(paused[0].text)
        return paused

    def resume(self, *, say: bool = True) -> list[Event]:
        """Out of a pause, saying so ("Going on.") where `say`."""
        if self.held and self._paused_before_hold:  # "coach go on" behind help or a question: go on after it
            self._paused_before_hold = False
            return []
        if self.paused_at is None or self.held or self.finished:  # stopped behind the stop question: still paused
            return []
        now = self.clock.now()
        self._later(now - self.paused_at)
        self.paused_at = None
        if self._told_until > now:  # an interjection still to be said: the program waits for its end
            # (a walk resumed into it, and the hold's 3, 2, 1 were all lost), from when it begins: one queued behind
            # the sentence being said stood the clock for that sentence too (12 s, a walk's Chinese timer).
            self._told_from = max(now, self._told_begins)
        if not say:
            return self.due()
        if self.segment.key_ends:
            # A step that waits for Space (a ready step, the offer from last time): the key and the words that end
            # a pause ("coach go on") are the ones it asks for, so it goes on. A hands-free walk's "coach go on"
            # over the help on a ready step resumed it in silence, its countdown running; and a walk that heard
            # "Going on." there, after closing the help on the offer, then heard the session start afresh.
            return self.continue_()
        # Space twice at once: "Paused. Press Space to go on." is still being said, and "Going on." after it. The
        # program stands until both are (a walk's hold lost its 3 under them, its clock run on meanwhile).
        pause_said = self._pause_said_until > now
        self._speaking_until = max(self._speaking_until, self._pause_said_until)
        said = self.interject(self.phrases("resumed"), "resumed")
        if pause_said:
            self._told_from = now if self._told_from is None else min(self._told_from, now)
        return said + self.due()

    def hold(self) -> list[Event]:
        """A question ("Stop the session?") or the help screen is up: nothing goes on behind it.

        Silent, unlike Space: the question or the keys are what is said. `release` goes on where it was."""
        if self.finished or self.index < 0 or self.held:
            return []
        self._question = None  # the help holds with none; `ask` gives its own
        self._paused_before_hold = self.paused_at is not None
        if self.paused_at is None:
            self.paused_at = self.clock.now()
            self._thaw(self.paused_at)
        self.held = True
        return []

    def ask(self, question: str) -> list[Event]:
        """Hold the session behind `question` ("Stop the session?"), and ask it again if no answer comes: a walk's
        misheard "coach stop" left a person lying on the floor in silence, the question said once, long past."""
        held = self.hold()
        if self.held:  # not before the start nor after the end, where nothing is held: asked once, as ever
            self._question, self._asked_at, self._asked = question, self.clock.now(), 1
        return held + self.tell(question, "confirm", Priority.ANNOUNCE)

    def _asking_until(self) -> float | None:
        """When the question being asked is asked again, or, asked enough, its silence ends the session; None if
        none is asked."""
        if self._question is None or not self.held or self.finished:
            return None
        return self._asked_at + ASK_AGAIN

    def _ask_again(self, now: float) -> list[Event]:
        again = self._asking_until()
        if again is None or now < again or self._question is None:
            return []
        if self._asked >= ASKS:
            # Nobody is there to answer "Stop the session?": it stops, as asked, and says so. A walk's hands-free
            # session, its "coach stop" left unanswered, waited in silence for ever, recorded as nothing.
            return self.stop()
        self._asked_at, self._asked = now, self._asked + 1
        return self.tell(self._question, "confirm", Priority.ANNOUNCE)

    def release(self) -> list[Event]:
        """The question was answered "no", or the help closed: go on where it was; a person who had paused
        before stays paused, and is told so. A question of the session's own that is still unanswered (a pain
        check-in, the offer to go on from last time, a ready step's) is asked again, with its time, as `r` asks a
        check-in's: a walk's "no" at the offer left "Stop the session? y / n" on the screen, and its y then went
        on from last time; after the help, an unanswered check-in said "Going on."; at a ready step, plain mode
        said nothing at all, the stop question its last line."""
        if not self.held:
            return []
        self.held = False
        if self._paused_before_hold:
            return self._paused_event("still_paused")
        if self.pending is None and (self.segment.key_ends or self._asks_again(paused=False)):
            return self._jump(self.index)
        # A `1` typed before the help or the question opened still waits for its `0` (10 stops for pain): nothing
        # goes on there, and its "Pain 1, noted." is not to be cut by a "Going on." (a walk heard it cut).
        return self.resume(say=self.pending is None)

    def toggle_pause(self) -> list[Event]:
        """Space: continue a `ready` step or an answered check-in, otherwise pause or resume."""
        if self._toggle_continues():
            return self.continue_()
        return self.resume() if self.paused_at is not None else self.pause()

    @property
    def toggle_goes_on(self) -> bool:
        """Whether `toggle_pause` now goes on (resumes, or continues a `ready` step, the offer to go on from last
        time, an answered check-in) rather than pauses: the player's footer then names it so."""
        return not self.finished and self.index >= 0 and (self.paused_at is not None or self._toggle_continues())

    def _toggle_continues(self) -> bool:
        """A `ready` step, an answered check-in, or a `1` waiting for a `0`, which Space confirms as Enter does."""
        return self.paused_at is None and (self.segment.key_ends or self._answered_here() or self.pending is not None)

    def continue_(self) -> list[Event]:
        """Enter (or Space) on a `ready` step: go on now. At a check-in: confirm a `1` at once, or, once
        answered, go on without waiting for the time to correct it."""
        if self.finished:
            return []
        if self.pending is not None and self.paused_at is None:
            return self._note_pending()
        if self._answered_here() and self.paused_at is None:
            return self._jump(self._following(leaving=True))
        if not self.segment.key_ends:
            return []
        accept_to = self.segment.accept_to
        if accept_to is None:
            return self._jump(self.index + 1, completed=True)
        if self.log is not None:
            self._notice(self.log.resumed(self.timeline.segments[accept_to].number))
        checkin = self._checkin_before(accept_to)
        if checkin is None:
            return self._jump(accept_to)
        self._going_on = (checkin, accept_to)
        return self._jump(checkin)

    def _checkin_before(self, index: int) -> int | None:
        """The pain check-in the session opens with, before the steps and so before segment `index`; None when
        the program asks none."""
        first = self.timeline.segment_of_step(1)
        asked = [i for i, segment in enumerate(self.timeline.segments[: first or index]) if segment.answer_ends]
        return asked[-1] if asked else None

    def _following(self, *, leaving: bool = False) -> int:
        """The segment that comes after this one: the next, or after the check-in a resumed session asks first,
        the step it goes on from. `leaving`: the session goes there now."""
        if self._going_on is None or self._going_on[0] != self.index:
            return self.index + 1
        following = self._going_on[1]
        if leaving:
            self._going_on = None
        return following

    @property
    def at_checkin(self) -> bool:
        """A pain check-in is under way, paused or not: an answer there counts (`answer`, `digit`)."""
        return not self.finished and self.index >= 0 and self.segment.answer_ends

    @property
    def asking_pain(self) -> bool:
        """A pain check-in is open for an answer (or a correction)."""
        return self.at_checkin and self.paused_at is None

    @property
    def offering_to_resume(self) -> bool:
        """The offer to go on from where the last session stopped is open."""
        return not self.finished and self.index >= 0 and self.segment.accept_to is not None and self.paused_at is None

    def digit(self, digit: int) -> list[Event]:
        """A digit key at a check-in. A `1` waits up to TEN_WAIT for a `0` (10): the wait is a deadline on this
        clock, so it is played like any cue. Another digit after a `1` is the answer instead."""
        resumed = self._resume_for_answer()
        if not self.asking_pain:
            return resumed + self._early_digit(digit)
        if self.pending == 1 and digit == 0:
            self.pending = None
            return resumed + self._record(10)
        self.pending = None
        if digit == 1:
            self.pending, self.pending_until = 1, self.clock.now() + TEN_WAIT
            self.length = max(self.length, self.pending_until - self.origin)  # the check-in waits for it
            return resumed
        return resumed + self._record(digit)

    def _early_digit(self, digit: int, whole: bool = False) -> list[Event]:
        """A number with no check-in asking: kept a moment, in case one is about to (`_carry_early`). While
        paused, or waiting for Space, none will be, and the person is told so at once. `whole`: typed as a word
        (a pipe's "1" is one, not the start of a 10)."""
        if self.outcome == Outcome.PAIN or self.index < 0:
            return []
        now = self.clock.now()
        # No clock runs to wait on for a `0` while paused, waiting for Space, held behind the stop question or the
        # help, or over (the player's last screen): a number is noted at once, and a `0` just after a `1` makes 10.
        if self.paused_at is not None or self.waiting or self.finished:
            if digit == 0 and now - self._late_one < TEN_WAIT:
                digit = 10
            self._late_one = now if digit == 1 and not whole else -math.inf
            if self.held and self.at_checkin:
                # The check-in under the question still asks: this is its answer, the question over it left open.
                # A walk's 8 typed at the stop question was dropped, and a y then stopped with no pain recorded.
                return self._record(digit)
            # Else an answer to a check-in just closed, as a screen reader may read it late; or none was asked. A
            # walk's 9, typed just after the closing check-in ran out, was dropped without a word, and the record
            # said "4 to -"; an 8 at the stop question in a hold, too.
            missed = self._missed_before(now)
            return self._unasked() if missed is None else self._noted_late(missed, digit)
        if self._early is not None and self._early[1] == 1 and digit == 0 and now - self._early[0] < TEN_WAIT:
            self._early = (self._early[0], 10, False)
        else:
            self._early = (now, digit, whole)
        at, value, as_word = self._early
        if (value != 1 or as_word) and not self.at_checkin and self._missed_before(at) is not None:
            return self._carry_early()  # nothing to wait for: no `0` to come, nor a question
        return []

    def _missed_before(self, at: float) -> int | None:
        """The check-in that closed unanswered at most LATE_ANSWER seconds before `at`, if one did."""
        if self._missed is not None and 0 <= at - self._missed[1] <= LATE_ANSWER:
            return self._missed[0]
        return None

    def _carry_early(self) -> list[Event]:
        """A digit typed just before this check-in began is its answer (a `1` still waits for a `0`): a walk's
        `1`, typed as the safety notes ended, was dropped without a word, and its `0` at the question was noted
        as pain 0, not 10."""
        assert self._early is not None
        at, digit, whole = self._early
        self._early = None
        if self._answered_here():
            return []
        missed = self._missed_before(at)
        if not self.segment.answer_ends and missed is not None:
            return self._noted_late(missed, digit)
        if not self.segment.answer_ends or self.origin - at > EARLY:
            return self._unasked()
        if digit == 1 and not whole:
            self.pending, self.pending_until = 1, self.origin + TEN_WAIT
            self.length = max(self.length, self.pending_until - self.origin)
            return []
        return self._record(digit, self.origin)

    def answer(self, pain: int) -> list[Event]:
        """A whole answer (a word, "10", "seven"): noted at once."""
        resumed = self._resume_for_answer()
        if not self.asking_pain:
            return resumed + self._early_digit(pain, whole=True)
        self.pending = None
        return resumed + self._record(pain)

    def _resume_for_answer(self) -> list[Event]:
        """An answer given while paused (Space) at a check-in is still an answer: it goes on, so that a pain
        stop never waits for a resume nobody will press. A held session (a question, help) stays held."""
        return self.resume() if self.at_checkin and self.paused_at is not None and not self.held else []

    def _answered_here(self) -> bool:
        return self.segment.answer_ends and any(segment == self.index for segment, _ in self.answers)

    def _record(self, pain: int, at: float | None = None) -> list[Event]:
        """Note an answer (a later one at the same check-in corrects it), say it back, and keep the check-in
        open CORRECTION seconds for a correction; at or above the program's pain_stop, stop at once."""
        stopped = self._note(self.index, pain)
        if stopped:
            return stopped
        moment = self.clock.now() if at is None else at
        end = moment - self.origin + CORRECTION
        self.cues = []  # the question has been said: what is left is the time to correct
        self.phases = [Phase(0.0, end, "checkin", self.phrases("answer_label", pain=pain), self.phrases("answer_hint"))]
        self.length = end
        return [self._event(self.phrases("answer_noted", pain=pain), Priority.MARK, "answer", moment)]

    def _note(self, segment: int, pain: int) -> list[Event]:
        """The answer at check-in `segment` (a later one corrects it), in the log; at or above the program's
        pain_stop, the stop for pain."""
        self.answers = [(asked, value) for asked, value in self.answers if asked != segment]
        self.answers.append((segment, pain))
        if self.log is not None:
            first_step = self.timeline.segment_of_step(1)
            self._notice(self.log.answered(first_step is not None and segment < first_step, pain))
        if self.timeline.pain_stop is not None and pain >= self.timeline.pain_stop:
            return self._stop_for_pain(self.phrases("pain_high", pain=pain))
        return []

    def _noted_late(self, segment: int, pain: int) -> list[Event]:
        """An answer to a check-in just closed (`LATE_ANSWER`): noted and said back; the step goes on."""
        return self._note(segment, pain) or [
            self._event(self.phrases("answer_noted", pain=pain), Priority.MARK, "answer", self.clock.now())
        ]

    def next(self) -> list[Event]:
        return [] if self.finished else self._jump(self._following(leaving=True), completed=self._exercise_over())

    def _session_now(self) -> float:
        """The clock as the session sees it: stopped where it was paused, or while an interjection is said."""
        if self.paused_at is not None:
            return self.paused_at
        now = self.clock.now()
        return now if self._told_from is None else min(now, self._told_from)

    def _thaw(self, at: float) -> None:
        """The interjection's wait ends `at` (said, or a pause takes over): the segment goes on from where it
        stood, everything in it as much later."""
        if self._told_from is not None:
            self._later(max(0.0, at - self._told_from))
            self._told_from = None

    def _later(self, seconds: float) -> None:
        """Everything still to come in this segment moves `seconds` later (a pause, an interjection)."""
        self.origin += seconds
        self.pending_until += seconds

    def _exercise_over(self) -> bool:
        """The step's hold, counting or timer is over and only its last words ("Done.") are left: a step left
        now was done. Not a step that waits for a key: it has no exercise to be over."""
        if self.index < 0 or not self.segment.number or self.waiting or self.segment.waits_for_key:
            return False
        now = self._session_now() - self.origin
        return bool(self.phases) and now >= max(phase.end for phase in self.phases)

    def _leave_done_step(self) -> None:
        """Stopped (q, x, a signal) in a step's last words: the step ran to its end, and is recorded so."""
        if self._exercise_over():
            self._step_ended(True)

    def back(self) -> list[Event]:
        """To the start of this step, or the step before when this one has only just begun."""
        if self.finished:
            return []
        target = self.index
        if self.clock.now() - self.origin < BACK_GRACE:
            earlier = [i for i, seg in enumerate(self.timeline.segments[: self.index]) if seg.number]
            target = earlier[-1] if earlier else self.index
        return self._jump(target)

    def _jump(self, index: int, completed: bool | None = None) -> list[Event]:
        noted = self._note_pending()
        if self.finished:  # the answer was at or above pain_stop
            return noted
        self.paused_at = None
        # The person moves on: where they asked to go begins now, and what was being said of where they were is cut
        # (`MOVED`). Held back for an interjection, a walk's back and three nexts, typed just after "Going on.",
        # printed nothing, and the session ended without its closing words.
        self._told_from, self._told_until = None, min(self._told_until, self.clock.now())
        self._enter(index, None, completed)
        return [self._event("", Priority.INFO, MOVED), *noted, *self.due()]

    def _note_pending(self) -> list[Event]:
        """A `1` still waiting for a `0` is the answer the person gave: noted as the check-in is left (a stop,
        a step skipped), as Enter would note it, not lost."""
        if self.pending is None:
            return []
        digit, self.pending = self.pending, None
        return self._record(digit)

    def adjust(self, seconds: int) -> list[Event]:
        """+ or -: move the end of the current timer, and everything after it, by `seconds`."""
        phase = self.current_phase()
        if self.finished or phase is None or not phase.has_timer:
            return self._now_event("no_timer", Priority.INFO)
        if seconds < 0 and self.clock.now() - self._emptied_at < EMPTIED_GRACE:
            return []  # the presses after the one that ended this timer would take from the next ones
        now = self._session_now() - self.origin
        shift = float(seconds) if seconds > 0 else -min(float(-seconds), phase.end - now)
        if seconds < 0 and -shift < -seconds:
            self._emptied_at = self.clock.now()
        self.cues = [cue._replace(at=cue.at + shift) if cue.at >= now else cue for cue in self.cues]
        if shift > 0:
            # "3, 2" said, then more time: the countdown is said again on the new end's last seconds, not "1"
            # alone after 10 s of silence (a walk's "coach more" at a hold's end).
            again = [cue for cue in self._counted if phase.start <= cue.at < now]
            self._counted = [cue for cue in self._counted if cue not in again]  # counted when said again
            self.cues = sorted(self.cues + [cue._replace(at=cue.at + shift) for cue in again], key=lambda cue: cue.at)
        self.cues = [cue for cue in self.cues if cue.at >= now or cue.priority not in DROPPABLE]
        self.phases = [
            p._replace(end=p.end + shift, start=p.start + (shift if p.start > now else 0.0)) if p.end >= now else p
            for p in self.phases
        ]
        self.length += shift
        # Taken, said and recorded as the countdown showed it: not the unseen seconds a clock grew by (see
        # `Phase.grown`), and nothing said where nothing whole was taken ("0 seconds taken away.").
        told = round(shift if seconds > 0 else -min(-shift, phase.shown_left(phase.end - now)))
        if not told:
            return []
        if self.segment.number:
            self._added[self.segment.number] = self._added.get(self.segment.number, 0) + told
            if self.log is not None:
                self._notice(self.log.adjusted(self.segment.number, told))
        # A burst is said as its sum: a walk's +++ added 30 s, and the screen's last line said "10 seconds added."
        last, so_far = self._burst
        together = so_far + told if self.clock.now() - last < BURST and (so_far > 0) == (told > 0) else told
        self._burst = (self.clock.now(), together)
        # Said even over a count (a walk heard nothing after "coach more" in a 3, 2, 1): marked, never dropped.
        key, duration = "added" if together > 0 else "taken", self.phrases.duration(abs(together))
        return self._now_event(key, Priority.MARK, duration=duration)

    def stop(self) -> list[Event]:
        if self.finished:
            return []
        self.held = False
        noted = self._note_pending()
        if self.finished:
            return noted
        if self.closing:
            # Only the closing words were left: every step is over, and the session ends as they would end it
            # (stopped in them, by Ctrl-C or a closed window, a session done to its end was recorded stopped).
            self._enter(len(self.timeline.segments), None)
            return self._take_notices()
        self._leave_done_step()
        self._end(Outcome.STOPPED)
        return noted + self._now_event("stopped", Priority.SAFETY) + self._take_notices()

    def pain(self) -> list[Event]:
        """x: stop now for pain, with the advice to rest and call a doctor, and the program's own safety notes.

        After the end too, while a view still shows it (the player's last screen): a person who hurts as the
        session ends hears what to do, and the record says pain, for whoever reads it. Once only."""
        if self.outcome == Outcome.PAIN:
            return []
        if self.finished:
            return self._stop_for_pain()
        noted = self._note_pending()  # a `1` typed before it is still the answer given
        return noted if self.finished else noted + self._stop_for_pain()

    def _stop_for_pain(self, why: str = "") -> list[Event]:
        self.held = False
        if not self.finished:
            self._leave_done_step()
        self._end(Outcome.PAIN)
        # One event: a second safety sentence would cut the first.
        text = pain_stop_text(self.timeline, self.phrases, why)
        return [self._event(text, Priority.SAFETY, "pain_stop"), *self._take_notices()]

    def notice(self, text: str) -> list[Event]:
        """A message about the coach itself (speech has failed, say): shown in the stream, never spoken."""
        return [self._event(text, Priority.INFO, "notice")]

    def voice_wait(self) -> list[Event]:
        """Rendered speech: the session waits for its voice's audio. Shown where the words are, never said (there
        is no voice yet): as a notice, it covered the countdown at 40x12 for 15 s, long after the wait."""
        return [self._event(self.phrases("voice_wait"), Priority.INFO, "voice_wait")]

    def interject(self, text: str, kind: str) -> list[Event]:
        """A sentence about the session itself that the program waits for: listening is off, or understands
        English only. Said now, with the program's clock standing (the countdown too) for as long as it takes to
        say, so that what follows it is said on its own time rather than queued behind it. A walk's "Listening is
        off" took 11 s of speech that no cue had room for: the first step's words came 11 s late, its counts were
        dropped, and each of its holds was "Hold." and "Release." in one breath."""
        events = self.tell(text, kind, Priority.ANNOUNCE)
        if self.finished or self.paused_at is not None or self.waiting or self.muted:
            return events  # nothing is playing that it could run into, or it is not heard (a muted `t` froze the
            # countdown on the screen while it was read)
        # Erring long, as the estimates do, and more: a count due as it ends is dropped if it is still being said.
        length = self._estimate(text) * TOLD_MARGIN + GAP
        # It is said once the sentence being said has ended (the queue's order), and the wait begins then.
        begins = max(self.clock.now(), self._speaking_until)
        if self._told_until <= begins:  # none still to be said before it
            self._told_begins = begins
        self._told_until = max(self._told_until, begins) + length  # after any still to be said
        if self._told_from is None:
            self._told_from = begins
        return events

    def _estimate(self, text: str) -> float:
        """Seconds `text` takes to say, as the timeline estimates its sentences."""
        return estimate(text, self.timeline.rate, slowness(self.timeline.language))

    def tell(self, text: str, kind: str, priority: Priority = Priority.MARK) -> list[Event]:
        """A sentence a control answers with (a question, the keys, the new speech rate), now."""
        return [self._event(text, priority, kind)]

    # --- what to show and say on request ---------------------------------------------------

    def current_phase(self) -> Phase | None:
        """The last phase that has begun: phases are in time order and follow one another."""
        now = self._session_now() - self.origin
        started = [phase for phase in self.phases if phase.start <= now]
        return started[-1] if started else None

    def view(self) -> View:
        now = self._session_now()
        phase = self.current_phase()
        left = phase.shown_left(max(0.0, self.origin + phase.end - now)) if phase and phase.has_timer else None
        count = total = None
        if phase and phase.pace:
            reps = round((phase.end - phase.start) / phase.pace)
            count = phase.count_from + min(int((now - self.origin - phase.start) // phase.pace), reps - 1)
            total = phase.count_from + reps - 1
        later = sum(segment.length for segment in self.timeline.segments[self._following() :])
        return View(
            title=self.segment.title,
            step=self.segment.number,
            steps=self.timeline.steps,
            phase=phase,
            phase_left=left,
            count=count,
            count_total=total,
            doing=self._doing(phase, count, total),
            pending=self.pending,
            next_title=self._next_title(),
            session_left=max(0.0, self.origin + self.length - now) + later,
            paused=self.paused_at is not None,
            waiting=self.waiting,
            finished=self.finished,
            outcome=self.outcome,
        )

    def _doing(self, phase: Phase | None, count: int | None, total: int | None) -> str:
        """The phase as a person would write it: "Hold, repetition 2 of 10, left leg", "Rest, then
        repetition 3 of 10", "Set 1 of 2, repetition 4 of 10", "Go on from last time? Step 3"."""
        if phase is None:
            return ""
        if count is not None and total is not None:
            counted = self.phrases("repetition", number=count, total=total).rstrip(".。")
            parts = [phase.label] if phase.kind == "set" and phase.label != self.phrases("phase_repetitions") else []
            return _clause([*parts, counted, phase.detail], self.phrases("comma"))
        if not phase.detail:
            return phase.label
        if phase.kind == "rest":
            return _clause([phase.label, self.phrases("then", what=_lower(phase.detail))], self.phrases("comma"))
        if phase.label.endswith(SENTENCE_ENDS):
            return self.phrases.sentences(phase.label, phase.detail)
        return _clause([phase.label, phase.detail], self.phrases("comma"))

    def _next_title(self) -> str:
        if self.segment.accept_to is not None:  # the offer to go on from last time: what comes next is the answer
            return ""
        later = [segment.title for segment in self.timeline.segments[self._following() :] if segment.number]
        return later[0] if later else ""

    def repeat(self) -> list[Event]:
        """r: the current instruction again. At a pain check-in not yet answered, the question again, with the
        time it promises to wait (it said only "Pain check-in."); once answered, the answer as noted."""
        segment = self.segment
        if self._asks_again():
            return self._jump(self.index)
        head = (
            self.phrases("step", number=segment.number, steps=self.timeline.steps, title=segment.title)
            if segment.number
            else self.phrases.ended(segment.title, SENTENCE_ENDS)
        )
        phase = self.current_phase()
        noted = phase.label if phase and segment.answer_ends and self._answered_here() else ""
        detail = self.phrases.ended(_upper(phase.detail), SENTENCE_ENDS) if phase and phase.detail else ""
        text = self.phrases.sentences(head, segment.say, noted, detail)
        # Said whole, the program standing meanwhile (`interject`): a walk's "coach repeat" a second into a
        # 5-second hold was cut by its 3.
        return self.interject(text, "repeat")

    def _asks_again(self, *, paused: bool = True) -> bool:
        """r (and t at the offer) asks a question not yet answered again, with the time it promises to wait: a
        pain check-in's, the offer to go on from last time's (t there said "This is the last step." of step 3
        of 4, and a session length the offer would not play). `paused`: not while paused (False: paused or not)."""
        segment = self.segment
        unanswered = segment.answer_ends and not self._answered_here()
        asking = (unanswered or segment.accept_to is not None) and not self.finished
        return asking and (self.paused_at is None or not paused)

    def status(self) -> list[Event]:
        """t: where we are, what is happening (the count in a set of repetitions), the time left, what comes next,
        and about how long the session has left."""
        if self.segment.accept_to is not None and self._asks_again():
            return self._jump(self.index)
        view = self.view()
        where = (
            self.phrases("step", number=view.step, steps=view.steps, title=view.title)
            if view.step
            else self.phrases.ended(view.title, SENTENCE_ENDS)
        )
        parts = [where]
        # A timed step's label ("Time left") would only say what the time left says.
        if (
            view.phase is not None
            and view.phase.kind not in {"announce", "timed"}
            and view.doing not in {"", view.title}
        ):
            parts.append(self.phrases.ended(view.doing, SENTENCE_ENDS))
        if view.seconds_left is not None:
            parts.append(self.phrases("left", duration=self.phrases.duration(view.seconds_left)))
        parts.append(self.phrases("next", title=view.next_title) if view.next_title else self.phrases("status_last"))
        if not view.finished:  # plain mode has no top line: t is where the session's time left is told
            parts.append(self.phrases("session_left", duration=self.phrases.about(view.session_left)))
        return self.interject(self.phrases.sentences(*parts), "status")  # said whole, as `repeat` is


def pain_stop_text(timeline: Timeline, phrases: Phrases, why: str = "") -> str:
    """What a pain stop says: why (a high answer), the advice, and the program's own safety notes."""
    notes = (phrases("program_says"), *timeline.safety) if timeline.safety else ()
    return phrases.sentences(why, phrases("pain_stop"), *notes)


def said_on_request(timeline: Timeline) -> list[str]:
    """The sentences a session may say that are in no cue, most urgent first: the pain stops, then the answers
    and the pauses. Rendered speech makes them ahead, so that a pain stop is never waiting for its voice."""
    phrases = Phrases(timeline.language)
    stops = [pain_stop_text(timeline, phrases)]
    if timeline.pain_stop is not None:
        stops += [
            pain_stop_text(timeline, phrases, phrases("pain_high", pain=pain)) for pain in range(timeline.pain_stop, 11)
        ]
    answers = [phrases("answer_noted", pain=pain) for pain in range(11)]
    # with listening, the plain ones too: said once it has failed (`Session.hears_commands`)
    paused: tuple[str, ...] = ("paused", "still_paused", "paused_typed", "still_paused_typed")
    paused += ("paused_listening", "still_paused_listening") if timeline.listening else ()
    others = [phrases(key) for key in ("stopped", *paused, "resumed", "nothing_done")]
    return stops + answers + others + list(timeline.unheard.values())  # the questions, said as listening failed


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:]


def _upper(text: str) -> str:
    """A clause ("right leg") as the start of a sentence."""
    return text[:1].upper() + text[1:]


def _clause(parts: list[str], comma: str) -> str:
    """Parts joined as one clause: "Hold, repetition 2 of 10, left leg"."""
    parts = [part for part in parts if part]
    return comma.join([parts[0], *(_lower(part) for part in parts[1:])]) if parts else ""
