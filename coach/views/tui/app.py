"""The Textual app: a player screen for one session, its speaker, its theme, and a calm exit.

Built by `make_app`, the same factory the command line and the tests use.
Animations are off and the high-contrast theme is bundled. At the end of a
session the app waits for the last sentence to be said, then exits with
how the session ended.
"""

from __future__ import annotations

import asyncio
import functools
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import App, SuspendNotSupported, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.driver import Driver
from textual.screen import Screen
from textual.theme import ThemeProvider
from textual.timer import Timer

from coach.i18n import interface, interface_code, translation
from coach.session.clock import Clock, MonotonicClock
from coach.session.engine import Session, SessionLog
from coach.session.outcome import Outcome
from coach.speech.engine import Engine
from coach.speech.engines import SilentEngine
from coach.speech.reaper import STARTING
from coach.speech.speaker import GOES_ON_IN_TEXT, Speaker
from coach.speech.voicing import Voicing
from coach.timeline import DEFAULT_RATE, Timeline
from coach.views.controls import KEYS, PAIN_KEY, STOP_KEY, uncapped, with_alt, with_capitals
from coach.views.tui.dialogs import ConfirmStop
from coach.views.tui.messages import Finished, SpeechNotice
from coach.views.tui.palette import SessionPalette
from coach.views.tui.player import PlayerScreen, named_key
from coach.views.tui.themes import HIGH_CONTRAST

if TYPE_CHECKING:
    from types import FrameType

    from coach.views.tui.picker import Entry

# The terminal closed, a polite kill, or `kill -INT` (the Ctrl-C key is no signal in the player: the terminal is raw).
ENDING_SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)
EXIT_WATCHDOG = 8.0  # seconds a signalled exit may take (the history may wait 5 s for another writer)
LINGER = 10.0  # seconds the last screen stays up once all is said
LINGER_AFTER_PAIN = 60.0  # the advice stays readable longer
PAIN_KEYS = with_alt(with_capitals(PAIN_KEY.bind))  # x, with Caps Lock, and with Escape typed just before


class CoachApp(App[Outcome]):
    CSS_PATH = "coach.tcss"
    TITLE = "coach"
    BINDINGS = [
        Binding("ctrl+c", "interrupt", "Stop now", show=False, priority=True),  # as in plain mode: stop, exit 130
        # Pauses the session; `fg` shows it paused. Priority: the dialogs are modal, and Ctrl-Z must work there too.
        Binding("ctrl+z", "suspend_process", "Suspend", show=False, priority=True),
        # The pain key works from every screen: the stop dialog, help, the command palette. Not in the picker,
        # where it is a letter of a name (`check_action` lets it through there).
        # Shown in the footer in the player's place for x (active bindings keep the first position of a key).
        Binding(PAIN_KEYS, "pain", PAIN_KEY.short, priority=True, tooltip=PAIN_KEY.action),
        # The digits answer a pain question from every screen of a session, as x is: under the stop question, the
        # help or the palette too, which stay (a walk's 8 there was dropped), and on the last screen, late. Priority:
        # a modal screen hides the app's other bindings. Not in the picker, where they filter (`check_action`).
        *(Binding(str(digit), f"answer('{digit}')", show=False, priority=True) for digit in range(10)),
    ]

    def __init__(
        self,
        timeline: Timeline | None = None,
        *,
        entries: list[Entry] | None = None,  # with no timeline: the picker offers these
        engine: Engine | None = None,
        voice: str | None = None,
        clock: Clock | None = None,
        theme: str | None = None,
        autoplay: bool = True,
        log: SessionLog | None = None,  # records the session: the history
        plan: Callable[[Entry], tuple[Timeline, SessionLog | None]] | None = None,  # a picked entry's session
        listen: str | None = None,  # the recorder's template when listening ("" for the default one)
        tones: bool = False,  # a tone at each clock's zero; beeps for counts when no voice works
    ) -> None:
        super().__init__()
        self.set_class(self.no_color, "-no-color")  # Textual's NO_COLOR greys every colour: see coach.tcss
        self.animation_level = "none"
        self.timeline = timeline
        self.clock = clock or MonotonicClock()
        self.autoplay = autoplay
        self._endings = 0  # how many times the session has ended: once, or twice with x on the last screen
        self._leaving: Timer | None = None  # the last screen's time up, once all is said
        self._textual_continues: Callable[[int, FrameType | None], object] | int | None = None  # SIGCONT, once mounted
        self.entries = entries or []
        self.session_log = log
        self.plan = plan or (lambda entry: (entry.timeline, None))
        self.listen = listen
        self.speaker = Speaker(
            engine or SilentEngine(),
            clock=self.clock,
            rate=timeline.rate if timeline else DEFAULT_RATE,
            voice=voice,
            on_notice=self._post_notice,
            failure_note=GOES_ON_IN_TEXT,
            tones=tones,
            language=timeline.language if timeline else interface_code(),  # the picker's, until one is chosen
        )
        self.register_theme(HIGH_CONTRAST)
        self.theme = theme or "textual-dark"
        self.player: PlayerScreen | None = None
        self.ended_by: int | None = None  # the signal that ended the app, if one did

    def get_driver_class(self) -> type[Driver]:
        """Textual's choice, but on Linux the driver whose input thread sleeps until a key comes (`driver`)."""
        chosen = super().get_driver_class()
        if chosen.__name__ == "LinuxDriver":
            from coach.views.tui.driver import QuietLinuxDriver

            return QuietLinuxDriver
        return chosen

    def on_mount(self) -> None:
        loop = asyncio.get_running_loop()
        for signum in ENDING_SIGNALS:  # stop, record, restore the terminal, exit 128 + the signal
            loop.add_signal_handler(signum, self.end_by_signal, signum)
        loop.add_signal_handler(signal.SIGTSTP, self.action_suspend_process)  # `kill -TSTP`: as Ctrl-Z
        # Not through the loop: Textual's handler must run as the signal comes, inside `App.suspend` after Ctrl-Z
        # (where it does nothing), not after it, where it took the terminal a second time and the app never ended.
        self._textual_continues = signal.getsignal(signal.SIGCONT)
        signal.signal(signal.SIGCONT, functools.partial(_continued, self._textual_continues))
        # After the handlers: a hang-up as speech started killed the coach (SIGHUP's default) with its session
        # unrecorded, under load in CI.
        self.speaker.start()  # warms up while the first screen appears
        if self.timeline is not None:
            self.play(self.timeline, self.session_log)
        else:
            from coach.views.tui.picker import PickerScreen  # only `coach` alone needs it; `coach run` starts faster

            self.push_screen(
                PickerScreen.speaking(self.entries), lambda entry: self.play(*self.plan(entry)) if entry else None
            )

    def play(self, timeline: Timeline, log: SessionLog | None = None) -> None:
        self._name_pain_key(timeline.language)
        self.player = PlayerScreen.speaking(timeline.language)(
            Session(timeline, self.clock, log, Voicing.of(self.speaker)),
            self.speaker,
            autoplay=self.autoplay,
            listen=self.listen,
        )
        self.push_screen(self.player)

    def _name_pain_key(self, language: str) -> None:
        """The footer names x in the session's language: the app's own binding is the one shown, and the app
        is made before a program (and so a language) is chosen. Textual has no public way to change a
        binding's description, so the app's binding for the key is replaced by the same in that language."""
        catalog = translation(language)
        for key in PAIN_KEYS.split(","):
            shown = [
                replace(binding, description=catalog.gettext(PAIN_KEY.short), tooltip=catalog.gettext(PAIN_KEY.action))
                for binding in self._bindings.key_to_bindings.get(key, [])
            ]
            if shown:
                self._bindings.key_to_bindings[key] = shown

    def _post_notice(self, text: str) -> None:  # on the speaker's thread
        self.post_message(SpeechNotice(text))

    def on_speech_notice(self, message: SpeechNotice) -> None:
        if self.player is not None:
            self.player.pump(self.player.session.notice(message.text))

    def on_finished(self, message: Finished) -> None:
        """Let the last sentence be said (in a worker: the screen stays live), leave the last screen up
        a while to be read, then exit by itself; Close's keys exit sooner. A stop the person confirmed exits
        as soon as "Session stopped." is said: they want to be out (the last words stay in the terminal)."""
        outcome = message.outcome
        if self.autoplay:
            # x on the last screen ends it again, as a pain stop: the first end's leaving is called off
            self._endings += 1
            if self._leaving is not None:
                self._leaving.stop()
                self._leaving = None
            linger = 0.0 if message.at_once else LINGER_AFTER_PAIN if outcome == Outcome.PAIN else LINGER
            ending = self._endings
            self.run_worker(
                lambda: self._said_then_exit(outcome, linger, ending), thread=True, exclusive=True, group="finish"
            )

    def _said_then_exit(self, outcome: Outcome, linger: float, ending: int) -> None:
        self.speaker.finish()
        self.call_from_thread(self._leave_after, outcome, linger, ending)

    def _leave_after(self, outcome: Outcome, linger: float, ending: int) -> None:
        if ending != self._endings:  # a later end leaves in its own time
            return
        if linger:
            self._leaving = self.set_timer(linger, lambda: self.exit(outcome))
        else:  # a timer of 0 s divides by zero in Textual
            self.exit(outcome)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "answer":
            return self.player is not None
        if action == "pain":  # while a session plays, its voice warms up, or its last screen is up, until the
            # session has stopped for pain; elsewhere (the picker) x is an ordinary key
            return self.player is not None and self.player.session.outcome != Outcome.PAIN
        return True

    async def on_event(self, event: events.Event) -> None:
        """x at the door, before any screen: a text box (the command palette's search) would take the letter,
        and Textual drops a binding for a key that a focused text box consumes, priority or not."""
        if isinstance(event, events.Key) and uncapped(event.key) == PAIN_KEY.bind and self.check_action("pain", ()):
            event.stop()
            self.action_pain()
            return
        await super().on_event(event)

    def action_pain(self) -> None:
        if self.player is not None:
            self.player.pain()

    def action_answer(self, digit: str) -> None:
        if self.player is not None:
            self.player.action_control(digit)

    def action_interrupt(self) -> None:
        self.end_by_signal(signal.SIGINT)

    def action_suspend_process(self) -> None:
        """Ctrl-Z, or SIGTSTP from outside: pause the session at this moment, give the terminal back, and stop
        the whole job, as the terminal itself does for Ctrl-Z in plain mode; `fg` takes the terminal again.

        The pause lands before the stop, on the loop, so no timer can move the session on when the process
        comes back, however long it was stopped. Textual would stop this process alone (SIGSTOP): a shell
        wrapping the coach (`sh -c 'coach run …'`) would go on waiting, and its shell would never get the
        terminal back. SIGTSTP to the process group stops the wrapper too; in a group no shell can continue
        (an orphaned one) the kernel ignores it, where SIGSTOP would stop the coach for good.
        """
        if self.player is not None and self.player.started:
            self.player.pump(self.player.session.pause(at=self.clock.now()))
        loop = asyncio.get_running_loop()
        try:
            # No child half started as the group stops (`STARTING`): "Paused." is being started as this runs.
            with STARTING, self.suspend():  # the terminal as it was; on return, the screen again
                loop.remove_signal_handler(signal.SIGTSTP)  # the default action, so that the stop stops us too
                try:
                    os.killpg(os.getpgrp(), signal.SIGTSTP)
                finally:
                    loop.add_signal_handler(signal.SIGTSTP, self.action_suspend_process)
        except SuspendNotSupported:  # no terminal of ours (a test's headless driver): paused, not stopped
            pass

    def end_by_signal(self, signum: int) -> None:
        """SIGTERM, SIGHUP, SIGINT or the Ctrl-C key: record the stop now, then leave as usual, giving the terminal
        back if it is still there. If leaving hangs (Textual once hung writing to a terminal that had been closed),
        a watchdog ends the process: a coach must never linger after its terminal is gone."""
        self.ended_by = signum
        self._stop_session()
        watchdog = threading.Timer(EXIT_WATCHDOG, os._exit, args=(128 + signum,))
        watchdog.daemon = True
        watchdog.start()
        self.exit(Outcome.STOPPED)

    def _stop_session(self) -> None:
        """Ctrl-Q or a signal: the record says stopped, not interrupted (a finished session stays as it ended)."""
        if self.player is not None and self.player.started:
            self.player.stop_on_leaving()

    def on_unmount(self) -> None:
        self._stop_session()
        self.speaker.close()
        loop = asyncio.get_running_loop()
        for signum in (*ENDING_SIGNALS, signal.SIGTSTP):
            loop.remove_signal_handler(signum)
        if self._textual_continues is not None:
            signal.signal(signal.SIGCONT, self._textual_continues)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The palette's commands, in the session's language (a walk found it all English in Spanish): the theme,
        Quit, and in a session every key. Textual's others are left out: English whatever the language, and its
        keys panel closed by no key shown (a walk's Escape there asked to stop): `?` shows the keys."""
        player = self.player
        words = player.catalog if player is not None else interface()
        under_way = player is not None and player.started and not player.session.finished
        yield SystemCommand(words.gettext("Theme"), words.gettext("Change the colours"), self.action_change_theme)
        # Textual's Quit ended a session at once (a walk typed quit), over the stop question or the help too: in
        # a session, it asks, as q does.
        leave = self._ask_stop_in_session if under_way else self.action_quit
        # In the picker, or once the session is over, there is no session to stop (a walk read "Stop the session,
        # after asking" in the picker): it leaves.
        told = words.gettext(STOP_KEY.action) if under_way else words.gettext("Leave the coach")
        yield SystemCommand(words.gettext("Quit"), told, leave)
        key_word = words.gettext("key")
        if player is None or screen is not player or not under_way:
            # Pain from every screen, as x is: a walk's palette over the help had Quit and Theme only. Once the
            # session is over, the keys act no more: a walk's palette after a pain stop listed Next step and the rest.
            if self.check_action("pain", ()):
                shown = f"{key_word} {words.gettext(PAIN_KEY.shown)}"
                yield SystemCommand(words.gettext(PAIN_KEY.action), shown, self.action_pain)
            return
        for key in KEYS:
            if key.bind:
                shown = f"{key_word} {named_key(key, words) or words.gettext(key.shown)}"
                yield SystemCommand(words.gettext(key.action), shown, lambda key=key: player.run_chosen(key))

    def on_command_palette_closed(self, _: CommandPalette.Closed) -> None:
        # After the command chosen in it, which the palette runs next, and which may open a screen (Theme).
        if self.player is not None:
            self.call_later(self.player.palette_closed)

    def _ask_stop_in_session(self) -> None:
        if self.player is not None and not isinstance(self.screen, ConfirmStop):  # asked already: its answer
            self.player.action_ask_stop()

    def action_command_palette(self) -> None:
        """Ctrl-P. In a session the palette holds it, as the help does: a walk's 5-second hold ran out behind
        it. Closed, the session goes on where it was (a command chosen in it acts as its key does)."""
        player = self.player
        open_already = any(isinstance(screen, CommandPalette) for screen in self.screen_stack)
        if not self.use_command_palette or open_already:
            return
        if player is not None and player.started and not player.session.finished and not player.session.held:
            player.pump(player.session.hold())  # (behind a question or the help, which hold it already: theirs)
            player.held_by_palette = True  # let go when it and what it opened are gone (`on_command_palette_closed`)
        self.push_screen(self._palette(id="--command-palette"))

    def search_themes(self) -> None:
        """Theme, chosen in the palette: its list in the session's language, and in a session chosen with the
        arrows as the palette is (a walk read "Search for themes…" in a Spanish session)."""
        self.push_screen(self._palette(themes=True, providers=[ThemeProvider]))

    def _palette(self, *, themes: bool = False, **options: Any) -> CommandPalette:
        """In the session's language. Where x is pain, a list without typing that says so (`SessionPalette`: two
        walks typed "next" in its search box and were stopped for pain at its x)."""
        words = self.player.catalog if self.player is not None else interface()
        if self.check_action("pain", ()):
            if themes:
                told = words.gettext("x: pain. ↑ ↓ Enter: choose a theme")
            else:
                told = words.gettext("x: pain. ↑ ↓ Enter: choose")  # short: 40 columns show it whole
            return SessionPalette(placeholder=told, **options)
        told = words.gettext("Search the themes") if themes else words.gettext("Search the commands")
        return CommandPalette(placeholder=told, **options)


def _continued(textual_continues: object, signum: int, frame: object) -> None:
    """SIGCONT: Textual's own handler takes the terminal again (after a `kill -STOP`; Ctrl-Z's `App.suspend` comes
    back by itself), if the terminal is still there and ours. A hang-up comes with a SIGCONT, and taking a hung-up
    terminal again left Textual's output thread dead and the exit waiting on it until the watchdog, 8 s later."""
    fd = sys.__stderr__.fileno() if sys.__stderr__ is not None else -1  # where Textual draws
    try:
        ours = os.isatty(fd) and os.tcgetpgrp(fd) == os.getpgrp()
    except OSError:  # hung up
        ours = False
    if ours and callable(textual_continues):
        textual_continues(signum, frame)


# The app for one program (`coach run`), or with `entries=` the picker first (`coach`). The factory is the
# class itself, so that its callers are checked against the app's real signature.
make_app = CoachApp
