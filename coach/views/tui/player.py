"""The player screen: what is happening now, big enough to read from a mat two metres away.

The session runs here, on the UI thread, on Textual timers: each timer is set
for the session's next deadline, computed from the step's origin, so nothing
drifts. Every event is shown (the sentence, in words) and handed to the
speaker, which speaks on its own thread. The countdown is refreshed just
after each second it shows changes, and the one-line fields repaint without
a new layout.
"""

from __future__ import annotations

import math
import time
from functools import cache
from gettext import NullTranslations
from typing import TYPE_CHECKING, cast

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Static

from coach.i18n import ENGLISH, LANGUAGES, base, cells, translation
from coach.program.durations import format_clock
from coach.session.clock import Clock
from coach.session.engine import SENTENCE_ENDS, Event, Session, View
from coach.session.outcome import Outcome
from coach.speech.speaker import WARM_LIMIT, Speaker
from coach.speech.voicing import Voicing
from coach.timeline import Phrases, Priority
from coach.views.controls import KEYS, PAIN_KEY, Controls, Key, SpokenCommand, uncapped, with_capitals
from coach.views.listening import Listening
from coach.views.tui.compositor import ChangedOnlyCompositor
from coach.views.tui.countdown import BigDigits
from coach.views.tui.cursor import CursorHere
from coach.views.tui.dialogs import ConfirmStop, HelpScreen
from coach.views.tui.footer import FittingFooter
from coach.views.tui.messages import Finished, Spoken
from coach.views.tui.sentence import shown
from coach.views.tui.words import Words

if TYPE_CHECKING:
    from textual.css.styles import RulesMap

ACTIONS = {"q": "ask_stop", "?": "help"}  # keys the player handles itself; the others go to `Controls`
COMPACT_BELOW = 90  # columns: narrower, the footer is compact (four keys fit at 40, eight at 80, any language)
# Rows: fewer, the instruction gives way, and the last screen gives the top lines' rows to the last words (a pain
# stop's advice). The screen's class `-short` says so.
SHORT_BELOW = 20
WORD_KEYS = frozenset({"space", "enter", "escape"})  # the keys Textual's footer shows as an English word
ENDINGS = {"complete", "stopped", "pain_stop"}  # the kinds of event a session's end is shown and left with
# The fields of one line; the others wrap ("now": its side was cut at 40 columns, "next" its exercise's end).
ONE_LINE = {"progress", "listening"}
PAUSE_KEYS = {(key.control,) for key in KEYS if key.paused}  # the parameters of the keys that pause and go on
# The shortest timer set: one of 0 s dies in Textual (late, it divides by its interval), and nothing wakes the
# session again (a walk's step 2, due "now" once its voice was ready, stood still until a key was pressed).
TIMER_FLOOR = 0.001
TICK_SLACK = 0.05  # seconds the countdown's timer may fall behind the shown second's change before it is set anew


def player_action(key: Key) -> str:
    return ACTIONS.get(key.control or "", f"control({key.control!r})")


def named_key(key: Key, catalog: NullTranslations) -> str | None:
    """How the footer shows a key that is a word ("space"): in the session's language. Others as Textual shows
    them (x, ?, →)."""
    first = key.bind.split(",")[0]
    return catalog.gettext(key.said).lower() if first in WORD_KEYS else None


CLOSING_KEYS = ("space", "q", "escape", "enter")  # what closes the last screen: no other key, not by accident
SCROLLS = {"up": "scroll_up", "down": "scroll_down", "pageup": "scroll_page_up", "pagedown": "scroll_page_down",
           "home": "scroll_home", "end": "scroll_end"}  # fmt: skip  # the last screen's words, where they overflow


def player_bindings(language: str) -> list[BindingType]:
    """The player's bindings from the one key table, their descriptions (the footer's words) in `language`."""
    catalog = translation(language)
    space = named_key(next(key for key in KEYS if key.bind == "space"), catalog)
    return [
        *(
            Binding(
                with_capitals(key.bind),
                player_action(key),
                catalog.gettext(key.short or key.more or key.action),
                show=bool(key.short or key.more),  # as many as fit whole (`FittingFooter`)
                id=f"key-{key.bind.split(',')[0]}",  # for keymaps
                tooltip=catalog.gettext(key.action),
                key_display=named_key(key, catalog),
            )
            for key in KEYS
            if key.bind
        ),
        # While paused the footer says what the key does then ("Go on"), from a binding of its own on the same key.
        *(
            Binding(
                with_capitals(key.bind),
                f"go_on({key.control!r})",
                catalog.gettext(key.paused),
                id=f"key-{key.bind.split(',')[0]}-paused",
                tooltip=catalog.gettext(key.action),
                key_display=named_key(key, catalog),
            )
            for key in KEYS
            if key.paused
        ),
        # Once the session has ended. The footer shows it as the space bar, which the pause key taught.
        Binding(
            with_capitals(",".join(CLOSING_KEYS)), "close", catalog.gettext("Close"), id="close", key_display=space
        ),
    ]


class PlayerScreen(Screen[Outcome]):
    """One session, from welcome to its end."""

    VERTICAL_BREAKPOINTS = [(0, "-short"), (SHORT_BELOW, "-tall")]

    BINDINGS = player_bindings("en")

    @classmethod
    @cache
    def speaking(cls, language: str) -> type[PlayerScreen]:
        """The player for a session in `language`: its footer names the keys in that language."""
        code = base(language)
        if code == "en" or code not in LANGUAGES:
            return cls
        return type(f"{cls.__name__}_{code}", (cls,), {"BINDINGS": player_bindings(code)})

    def __init__(self, session: Session, speaker: Speaker, *, autoplay: bool = True, listen: str | None = None) -> None:
        super().__init__()
        self._compositor = ChangedOnlyCompositor()  # a second's change repaints its four rows, not every widget
        self.session = session
        self.speaker = speaker
        language = session.timeline.language
        self.controls = Controls(speaker, language, player=True)
        self.catalog = translation(language)
        self.listening = (
            Listening(listen, self.controls, speaker, lambda command: self.post_message(Spoken(command)), session.clock)
            if listen is not None
            else None
        )
        self.phrases = Phrases(session.timeline.language)
        self.autoplay = autoplay
        self._timer: Timer | None = None
        self._second: Timer | None = None  # the countdown's, every second, just after the shown second changes
        self._shown: dict[str, str] = {}
        self.last_words = ""
        self.ending = ""  # the session's own last words: its closing, or why it stopped
        self._finished_as: Outcome | None = None  # how the end was last shown (x after it shows it again)
        self.quitting = False  # a confirmed stop: out at once, no lingering screen
        self._heard = ""  # the last thing heard, beside the Listening mark
        self._before_help = ("", "")  # the sentence shown, and the last words, before the help was said
        self.held_by_palette = False  # the command palette holds the session (`CoachApp.action_command_palette`)
        self._offers_go_on = False  # the pause key goes on (paused, a ready step, …): the footer says Go on
        self._finished_at = math.inf  # when the last screen was shown (time.monotonic)
        # The fields by name, kept as they are made, rather than found by a query (a selector parsed, the tree
        # walked) several times a second.
        self._fields: dict[str, Static] = {}
        self._countdown = BigDigits(id="countdown")
        self._words = Words(id="words")  # the countdown in words
        self._gave_way: list[tuple[Widget, int]] = []  # what gave way to the sentence (`_make_room`), and its rows
        self._column = Vertical(id="player")  # its lines, measured each second by `_make_room`

    def compose(self) -> ComposeResult:
        with self._column:
            yield self._field("progress")
            yield self._field("title")
            yield self._field("now")
            yield self._countdown
            yield self._words
            yield self._field("instruction")
            # Scrolled by the arrows on the last screen, where a pain stop's advice may need more rows than there are
            # (40x12, a program's long safety notes): never taking the focus, so that no key is taken from the player.
            with VerticalScroll(id="said-box", can_focus=False):
                yield self._field("said", CursorHere)  # braille displays follow the cursor
            yield self._field("next")
            if self.listening is not None:
                yield self._field("listening")
        yield FittingFooter(show_command_palette=False)  # Space, x, q and ? stay visible down to 40 columns

    def _field(self, name: str, kind: type[Static] = Static) -> Static:
        self._fields[name] = kind(id=name, markup=False)
        return self._fields[name]

    def on_resize(self, event: events.Resize) -> None:
        """Narrow, the footer drops its spacing: Spanish's "espacio Pausa … ? Ayuda" was cut to "? Ayud" at 40."""
        self.query_one(FittingFooter).compact = event.size.width < COMPACT_BELOW  # it fits its keys again itself
        self._countdown.fit(event.size)  # as large as the screen allows
        if self.started:
            self.call_after_refresh(self.refresh_view)  # the top line's long or short form, for the new width
        self._room_after_layout()

    def on_screen_suspend(self) -> None:
        """A dialog is over the player (the stop question, the help): the player's footer, seen through beside it,
        said "space Pause" where Space answers the dialog. The dialog says its own keys."""
        self._covered(True)

    def on_screen_resume(self) -> None:
        self._covered(False)

    def _room_after_layout(self) -> None:
        self.call_after_refresh(self._make_room)

    def _make_room(self) -> None:
        """Where the lines would run off the bottom of the screen, the big digits give way to them (their words
        stay), then what comes next, the top line and the step's title: the sentence said matters most, and a
        status (`t`) says them all. They come back, in turn, when there is room. At 40x12 a walk's `t` lost "in
        the session." and Next, in French its last sentence; the offer to go on, asked again with its clock, lost
        its last line."""
        if self.session.finished:  # the last screen has its own rules for its rows (`finished` in coach.tcss)
            while self._gave_way:
                self._gave_way.pop()[0].remove_class("gives-way")
            return
        column = self._column
        lines = [child for child in column.children if child.display and not child.styles.is_docked]
        if not lines:
            return
        top = min(line.region.y - line.styles.margin.top for line in lines)
        bottom = max(line.region.bottom + line.styles.margin.bottom for line in lines)
        docked = sum(child.outer_size.height for child in column.children if child.display and child.styles.is_docked)
        spare = column.content_size.height - docked - (bottom - top)  # below zero, lines are cut
        giving: tuple[Widget, ...] = (self._countdown, *(self._fields[name] for name in ("next", "progress", "title")))
        for widget in giving:
            if spare >= 0:
                break
            if widget.display:
                rows = widget.drawn_rows if isinstance(widget, BigDigits) else widget.outer_size.height
                widget.add_class("gives-way")
                self._gave_way.append((widget, rows))
                spare += rows
        while self._gave_way and spare >= self._gave_way[-1][1]:
            back, rows = self._gave_way.pop()  # there is room for it again
            back.remove_class("gives-way")
            spare -= rows

    def _covered(self, on: bool) -> None:
        for hidden in (self.query_one(FittingFooter), self._countdown):
            _mark(hidden, on, "covered")

    def palette_closed(self) -> None:
        """The command palette, and any screen a command in it opened, are gone: the session goes on, as after
        the help. A walk's Theme list, opened from it, had the session go on behind it."""
        if self.held_by_palette and self.app.screen is self:
            self.held_by_palette = False
            if not self.session.finished:  # x in the palette stopped it for pain
                self.pump(self.session.release())

    async def run_chosen(self, key: Key) -> None:
        """A command chosen in the command palette acts as `key` does where the session was: the palette's hold is
        let go first, unsaid (the command says what it does). A walk chose "Pause or go on" there during a hold:
        it undid the palette's own hold instead ("Going on."), and the clock ran on; while paused, nothing."""
        if self.held_by_palette:
            self.held_by_palette = False
            self.session.release()  # its words (going on, a question asked again) give way to the command's
        if (key.control,) in PAUSE_KEYS:  # Pause or Go on, as Space is now (the footer shows one of the two)
            self.action_control(key.control or "")
        else:
            await self.run_action(player_action(key))

    def _close_palette(self) -> None:
        """A command said over the command palette, or the theme list chosen in it: they close first, unchosen,
        as Escape closes them, and the session goes on from where they held it (as over the help: "coach next"
        moved the session on behind the palette, which then stayed until a key closed it)."""
        if not any(isinstance(screen, CommandPalette) for screen in self.app.screen_stack):
            return
        while not isinstance(self.app.screen, PlayerScreen | ConfirmStop | HelpScreen):
            self.app.pop_screen()  # the palettes, and any screen a command in them opened
        self.palette_closed()

    def on_mount(self) -> None:
        # Its lines grown past the screen (a clock come back, a long sentence), or shrunk again: room is made.
        self.watch(self._column, "virtual_size", self._room_after_layout, init=False)
        if self.autoplay:  # the screen is up at once; the session starts when the voice is warm
            self._set("title", self.session.timeline.title)
            self.run_worker(self._warm_then_start, thread=True, group="warm")
        else:
            self._start()

    def _warm_then_start(self) -> None:
        self.speaker.wait_ready(WARM_LIMIT)
        self.speaker.use_language(self.session.timeline.language)
        if isinstance(self.session.readiness, Voicing):  # rendered speech: the first minute's audio first
            waits = self.session.voice_wait
            self.session.readiness.warm(
                self.session.timeline,
                lambda _text: self.app.call_from_thread(self.pump, waits()),
                interrupted=lambda: self.started,  # x meanwhile started (and stopped) the session itself
            )
        self.app.call_from_thread(self._start)

    def _start(self) -> None:
        if self.started:  # x while the voice warmed up: already started, and stopped for pain
            return
        if self.listening is not None:
            self.listening.start()
        self.session.start()
        self.pump()
        self._tick()

    @property
    def started(self) -> bool:
        return self.session.index >= 0

    # --- the session's clock -----------------------------------------------------------------

    def pump(self, events: list[Event] | None = None) -> None:
        """Show and say `events` and whatever has come due, then wait for the next deadline."""
        for event in events or []:
            self.show(event)
        if not self.started:  # a notice about the voice can come while it warms up
            return
        for event in self.session.due():
            self.show(event)
        self.refresh_view()
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self.session.finished:
            if self._finished_as != self.session.outcome:  # once, and again for x on the last screen
                self._finished_as = self.session.outcome
                self._finished_at = time.monotonic()  # Textual's clock for events, on Linux and macOS
                self.add_class("finished")  # no countdown any more: its rows go to the last words
                self._close_screens_above()
                self._heard = ""  # what was heard belonged to the session
                if self.listening is not None and self.session.outcome == Outcome.PAIN:
                    self.listening.close()  # nothing is left to hear: the recorder stops, its mark goes
                if self.ending:  # not the answer to a key pressed while the closing words were said
                    self._set("said", self.ending)
                    self.last_words = self.ending
                self.refresh_bindings()  # the footer no longer offers Pause, Next and the rest
                self.post_message(Finished(self.session.outcome or Outcome.STOPPED, at_once=self.quitting))
            return
        deadline = self.session.next_deadline()
        if deadline is not None and self.autoplay:
            self._timer = self.set_timer(max(TIMER_FLOOR, deadline - self.clock.now()), self.pump)

    def stop_on_leaving(self) -> None:
        """The coach is leaving (a signal, the window closed): the session is stopped, and how it ended is the
        line left in the terminal, not said. A walk found "Paused. Press Space to go on." left there."""
        for event in self.session.stop():
            if event.kind in ENDINGS:
                self.ending = event.text
        if self.ending:  # stopped in the closing words, it ends as they do: they are the line left
            self.last_words = self.ending

    @property
    def clock(self) -> Clock:
        return self.session.clock

    def show(self, event: Event) -> None:
        if event.kind == "help" and self._shown.get("said") != event.text:
            self._before_help = (self._shown.get("said", ""), self.last_words)
        if event.kind != "notice" and event.text:  # a tone has no text: it is heard, not shown
            self._set("said", event.text)
            self.last_words = event.text
        if event.kind in ENDINGS:
            self.ending = event.text
        self.speaker.say(event)
        if self.listening is not None:
            self.listening.saw(event)
            if event.kind == "heard":
                self._heard = event.text.rstrip(".。")
        if event.kind == "pain_stop":
            self.add_class("pain")
            # The advice is what matters now: a notice about listening or sound, up for 15 s, covered all of it
            # at 40x12 (a walk), and what it said ("tried again at the next step") is over with the session.
            self.app.clear_notifications()
        if event.kind == "notice":
            self.notify(event.text, severity="warning", timeout=15, markup=False)

    # --- what the screen shows ------------------------------------------------------------------

    def _tick(self) -> None:
        """Refresh just after the shown second changes, and not otherwise: no redraw when nothing changed.

        One timer repeats every second while the second changes in step with it, as it does through a
        running phase; only where that step is lost (a new phase, a pause) is the timer set anew. A new
        one-shot timer each second cost the player a tenth of its steady CPU in Textual's timer machinery.
        """
        # Room is checked again each second too: a change of sentence may be laid out only after
        # the check its change asked for (a walk's digits stayed hidden for 40 s of one-line sentences after `t`).
        self._make_room()
        view = self.refresh_view()
        left = view.phase_left
        delay = ((left % 1.0) or 1.0) + 0.01 if left is not None else 1.01
        if self._second is not None and (view.paused or abs(delay - 1.01) <= TICK_SLACK):
            return  # the repeating timer comes just after the next change too (paused, none comes)
        if self._second is not None:
            self._second.stop()
        self._second = None
        self.set_timer(delay, self._tick_every_second)

    def _tick_every_second(self) -> None:
        self._second = self.set_interval(1.0, self._tick)
        self._tick()

    def refresh_view(self) -> View:
        """Show the session as it is now; returns the view shown."""
        view = self.session.view()
        width = self._fields["progress"].content_size.width
        self._set("progress", progress(view, self.catalog, width, self.speaker.muted))
        self._set("title", self.heading(view))
        self._set("now", self.now(view))
        digits, words = self.countdown(view)
        self._countdown.show(digits)
        self._words.update(words)
        for clock in (self._countdown, self._words):  # where rows are few, its empty rows go to the sentence said
            _mark(clock, not digits, "no-clock")
        # A ready step's sentence is its instruction: said, it was shown twice, one above the other (a walk).
        instruction = self.session.segment.say
        self._set("instruction", "" if view.finished or instruction == self._shown.get("said") else instruction)
        shown_next = self.phrases("next", title=view.next_title).rstrip(".。")
        self._set("next", shown_next if view.next_title and not view.finished else "")
        _mark(self._fields["now"], view.paused, "paused")
        goes_on = self.session.toggle_goes_on  # paused, or a ready step, the offer from last time, an answer given
        if self._offers_go_on != goes_on and not self.session.held:  # behind a question it stays as it was
            self._offers_go_on = goes_on
            self.refresh_bindings()  # the footer's Pause becomes Go on, and back
        if self.listening is not None:
            state = self.listening.listener.state
            shown = self.catalog.gettext(state)  # "Listening", "Not listening", "Starting to listen"
            self._set("listening", f"{shown} · {self._heard}" if self._heard and state == "Listening" else shown)
        return view

    def heading(self, view: View) -> str:
        """The step's title; at the end, "Session complete" only for a session completed: a walk read it above
        "Stopped for pain" (x on the last screen) and above "Every step was skipped", where the program's title
        says no more than is true."""
        if view.outcome == Outcome.COMPLETED:
            return self.phrases("title_complete")
        return self.session.timeline.title if view.finished and self.session.closing else view.title

    def now(self, view: View) -> str:
        words = self.catalog
        if view.outcome == Outcome.PAIN:
            return words.gettext("Stopped for pain")
        if view.finished:
            return words.gettext("Stopped") if view.outcome == Outcome.STOPPED else words.gettext("Well done")
        if view.paused:
            return words.gettext("Paused")
        if view.waiting:
            return words.gettext("Press Space or Enter to go on")
        if view.pending is not None:
            return self.phrases("answer_pending")
        return doing_line(view, self._fields["now"].content_size.width)

    def countdown(self, view: View) -> tuple[str, str]:
        """The big value and the same value in words, for those who cannot read the glyphs."""
        if view.finished:
            return "", ""
        if view.seconds_left is not None:
            seconds = view.seconds_left
            return format_clock(seconds), self.phrases("left", duration=self.phrases.duration(seconds))
        if view.count is not None and view.count_total is not None:
            return str(view.count), self.phrases("repetition", number=view.count, total=view.count_total)
        return "", ""

    def _set(self, name: str, text: str) -> None:
        if self._shown.get(name) != text:
            self._shown[name] = text
            widget = self._fields[name]
            # Repainting needs no new layout where the height holds: one-line fields have a fixed one, and a
            # sentence that wraps to as many lines as the one before fits the same space. A layout costs more
            # than the rest of a second's work: it was a third of the player's CPU in steady state.
            widget.update(shown(text), layout=False)  # Chinese broken as a reader expects (`sentence`)
            if name not in ONE_LINE:
                width, height = widget.content_size
                if height == 1 and text and "\n" not in text and cells(text) <= width:
                    return  # one line that fits in one: no wrapping to work out
                # The styles as Textual's own get_content_height passes them: its annotation names a narrower type.
                rules = cast("RulesMap", widget.styles)
                if not width or widget.visual.get_height(rules, width) != height:
                    widget.refresh(layout=True)
                    self._room_after_layout()  # a shorter sentence may leave room for what gave way

    # --- keys -----------------------------------------------------------------------------------

    def on_key(self, event: events.Key) -> None:
        """Once the session has ended, a key of Close pressed since closes the last screen, and the arrows scroll
        what was said: a walk's Down arrow, pressed to reach the end of the advice cut at 40x12, closed it. A key
        typed before the end but come after it is let go: x answers at once (at the app's door), so in "? x" or
        "q x" typed together the ? or q came after the pain stop, and closed its advice as soon as it was shown. (A
        number is the app's, as x is: a late answer to the closing check-in.)"""
        if self.session.finished:
            event.stop()
            event.prevent_default()  # nor does it reach the Close binding
            if self.session.outcome == Outcome.PAIN and uncapped(event.key) == PAIN_KEY.bind and self.ending:
                # x again: the advice again, and the screen stays up after it. A walk's second x, pressed 0.3 s
                # after the first as a person in pain may, closed the screen and cut the spoken advice short.
                self.speaker.say(Event(self.clock.now(), self.ending, Priority.ANNOUNCE, "pain_stop", 0, 0))
                self.post_message(Finished(Outcome.PAIN))
            elif event.key in SCROLLS:
                getattr(self.query_one("#said-box", VerticalScroll), SCROLLS[event.key])(animate=False)
            elif uncapped(event.key) in CLOSING_KEYS and event.time >= self._finished_at:
                self.app.exit(self.session.outcome)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """After the end only Close is offered (and shown in the footer); before it, Close is not. While paused,
        the pause key is offered as what it then does ("Go on"), by the binding `go_on`: one of the two is."""
        if (action == "close") != self.session.finished:
            return False
        if action == "go_on":
            return self._offers_go_on
        if action == "control" and parameters in PAUSE_KEYS:
            return not self._offers_go_on
        return True

    def action_go_on(self, key: str) -> None:
        self.action_control(key)

    def action_close(self) -> None:
        self.app.exit(self.session.outcome)

    def on_spoken(self, message: Spoken) -> None:
        """A spoken command or answer. The stop question is one, whether a key or "coach stop" asked it: its
        dialog opens for either, and a spoken "yes" or "no" closes it as a key would. A walk's spoken "yes" went
        unheard behind the q key's dialog, and after "coach stop" no dialog showed that y and n work."""
        if not self.started:
            return
        word = message.command.word if isinstance(message.command, SpokenCommand) else None
        if word not in {None, "help", "pain"}:
            self._close_palette()
            if isinstance(self.app.screen, HelpScreen):
                # The help closes first, its words cut, as Escape does: a walk's "coach next" waited out 53 s of
                # keys and the session then went on behind a help screen that a person on the floor cannot close.
                self.app.pop_screen()
                self._help_closed(False)
        asked = self.controls.asking_to_stop
        events = message.command(self.session)
        if asked and not self.controls.asking_to_stop:  # answered by voice
            self.quitting = self.session.outcome == Outcome.STOPPED  # out at once, as after y
            while isinstance(self.app.screen, ConfirmStop):
                self.app.pop_screen()  # no callback: the answer has been given
        self.pump(events)
        asking = any(event.kind == "confirm" for event in events)  # "coach stop" asked
        if asking and not self.session.finished and not isinstance(self.app.screen, ConfirmStop):
            self._show_stop_question()
        # "coach help": said, and shown as `?` shows it (a walk's screen said only "Paused" for the 55 s the keys
        # took to say). The session stays paused when it closes, as the help's last words say.
        if any(event.kind == "help" for event in events) and not isinstance(self.app.screen, HelpScreen):
            self._show_help()

    def on_unmount(self) -> None:
        if self.listening is not None:
            self.listening.close()

    def action_control(self, key: str) -> None:
        if not self.started:
            return
        command = self.controls.key(key)
        if command is not None:
            self.pump(command(self.session))

    def pain(self) -> None:
        """x, from any screen (the app routes it here): the screens above close, and the session stops for pain;
        on the last screen too, where it gives the advice and the record says pain."""
        if self.session.outcome == Outcome.PAIN:
            return
        if not self.started:  # while the voice warms up: the session begins, and stops for pain, at once
            self.session.start()
        self.pump(self.session.pain())

    def _close_screens_above(self) -> None:
        """The session has ended under a dialog, the help or the command palette (x there, or "coach pain" said,
        which left a walk's dialog over the advice): they close, unanswered (no callback runs, nothing goes on),
        and its last screen shows."""
        self.controls.asking_to_stop = False
        while self.app.screen is not self and len(self.app.screen_stack) > 1:
            self.app.pop_screen()

    def action_ask_stop(self) -> None:
        if not self.started:
            self.app.exit(Outcome.STOPPED)  # nothing has begun: nothing to confirm
            return
        self.controls.asking_to_stop = True  # a spoken "yes" or "no" answers it too
        self.pump(self.controls.ask_to_stop(self.session))
        self._show_stop_question()

    def _show_stop_question(self) -> None:
        def answered(stop: bool | None) -> None:
            self.controls.asking_to_stop = False
            if stop:
                self.quitting = True
                self.pump(self.session.stop())
            else:
                self.pump(self.session.release())

        self.app.push_screen(ConfirmStop(self.controls.stop_question, self.catalog), answered)

    def action_help(self) -> None:
        if not self.started:
            return
        self.pump(self.session.hold() + self.session.tell(self.controls.help, "help", Priority.ANNOUNCE))
        self._show_help()

    def _show_help(self) -> None:
        self.app.push_screen(HelpScreen(KEYS, self.catalog, self.controls.spoken_help), self._help_closed)

    def _help_closed(self, stop: bool | None) -> None:
        """`?` held the session, and it goes on; "coach help" paused it, and it stays paused (`release` leaves a
        session not held as it is), as its last words said."""
        self.speaker.cancel()  # the rest of the keys, unheard, would hold up the session's own words
        said, help_said = self._shown.get("said"), self.controls.help
        if stop:  # q in the help: the question, as q asks it anywhere; still held, nothing goes on meanwhile
            self.action_ask_stop()
        else:
            self.pump(self.session.release())
        if said == help_said and self._shown.get("said") == help_said:
            # Nothing said since ("coach help" paused the session, and it stays paused): the keys, cut short,
            # stood where the session's last sentence had been, and a walk took them for still being read.
            self._set("said", self._before_help[0])
            self.last_words = self._before_help[1]


def progress(view: View, catalog: NullTranslations = ENGLISH, width: int = 0, muted: bool = False) -> str:
    """Where the session is: the step, and the session's time left to the nearest minute, as the welcome's "about
    1 minute" (rounded up, a session of 1:03 was "2 min left" under it), or "Under 1 min"; and "Speech off"
    while muted, which a walk found nowhere on the screen once "Speech off." had been replaced.

    Where the line is wider than `width` (40 columns, "Step 2 of 6 · 14 min left in the session"), the time
    left says less: "Step 2 of 6 · 14 min left"; where even that is too wide, speech being off is told first.

    The countdown below gives the seconds; the session's own clock changes once a minute. Ticking by the
    second, it cost the player a tenth of its steady CPU (a repaint each second) for a figure nobody reads
    to the second (bench/cpu.py).
    """
    where = catalog.gettext("Step {number} of {steps}").format(number=view.step, steps=view.steps) if view.step else ""
    off = catalog.gettext("Speech off") if muted else ""
    if view.finished or not (view.step or view.next_title):  # after the last step (its check-in): none to tell
        return _joined(where, off)
    minutes = max(1, math.floor(view.session_left / 60 + 0.5))
    long = catalog.ngettext("{minutes} min left in the session", "{minutes} min left in the session", minutes)
    short = catalog.ngettext("{minutes} min left", "{minutes} min left", minutes)
    if view.session_left < 60:  # "1 min left" with 10 s to go misled a walk: the last minute is told as such
        long, short = catalog.gettext("Under 1 min left in the session"), catalog.gettext("Under 1 min left")
    for left in (long, short):
        line = _joined(where, left.format(minutes=minutes), off)
        if not width or cells(line) <= width:
            return line
    return _joined(where, off) if off else line


def doing_line(view: View, width: int = 0) -> str:
    """What is happening, on the one line it has: where "Pain 1, noted. Another number corrects it." is wider
    (it lost its last word at 40 columns), the first sentence alone, the answer as it was said back."""
    phase = view.phase
    if width and cells(view.doing) > width and phase is not None and phase.label.endswith(SENTENCE_ENDS):
        return phase.label
    return view.doing


def _joined(*parts: str) -> str:
    return " · ".join(part for part in parts if part)


def _mark(widget: Widget, on: bool, name: str) -> None:
    """`widget`'s class `name` on or off, asked each second. On the widget it styles, not on the screen: a class
    changed on the screen restyles every widget on it (a pause, a step's start and end: 3 to 8 ms each)."""
    if widget.has_class(name) != on:
        widget.set_class(on, name)
