"""The Textual player under Pilot: every key of the contract, on a fake clock the test moves by hand.

The app is built by the same factory the command line uses, with a fake
clock and `autoplay=False`, so the test decides when time passes; the
session, the speaker and the screen are all real.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, cast

import pytest
from textual.command import CommandList, CommandPalette
from textual.css.styles import RulesMap
from textual.pilot import Pilot
from textual.style import Style
from textual.widgets import Footer, Input, Static

from coach.i18n import cells
from coach.listen.listener import Heard
from coach.program import load_program
from coach.program.catalog import bundled
from coach.session.clock import FakeClock, MonotonicClock
from coach.session.engine import ASK_AGAIN, ASKS, Event
from coach.session.outcome import Outcome
from coach.timeline import compile_program
from coach.views.controls import KEYS
from coach.views.listening import Listening
from coach.views.tui.app import CoachApp, make_app
from coach.views.tui.countdown import BigDigits
from coach.views.tui.dialogs import ConfirmStop, HelpScreen
from coach.views.tui.footer import FittingFooter
from coach.views.tui.messages import Spoken
from coach.views.tui.player import CLOSING_KEYS, PlayerScreen
from coach.views.tui.words import Words
from tests.conftest import ROOT
from tests.contrast import contrast, style_contrast
from tests.helpers import SlowVoice
from tests.player_app import PROGRAMS, advance, app_for, picker_app, player, shown, until_text

GOOD = ROOT / "tests" / "programs" / "good"


async def test_space_pauses_and_resumes_and_the_screen_says_so() -> None:
    app = app_for("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        until_text(app, "title", "Knee to chest")
        await pilot.press("space")
        assert player(app).session.paused_at is not None
        assert shown(app, "now") == "Paused"
        assert shown(app, "said") == "Paused. Press Space to go on."
        assert player(app).query_one("#now").styles.text_style.reverse  # shown as a warning, in reverse
        advance(app, 30)  # nothing moves while paused
        assert shown(app, "now") == "Paused"
        await pilot.press("space")
        assert player(app).session.paused_at is None and shown(app, "said") == "Going on."
        assert not player(app).query_one("#now").styles.text_style.reverse


async def test_next_back_repeat_status() -> None:
    app = app_for("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        until_text(app, "title", "Knee to chest")
        await pilot.press("right")
        assert shown(app, "title") == "Bridges"
        await pilot.press("left")  # just started: back to the step before
        assert shown(app, "title") == "Knee to chest"
        await pilot.press("n")
        await pilot.press("b")
        assert shown(app, "title") == "Knee to chest"
        assert shown(app, "instruction") == "Lie on your back. Pull one knee to your chest and hug it."
        await pilot.press("r")
        assert shown(app, "said").startswith("Step 1 of 3. Knee to chest. Lie on your back.")
        await pilot.press("t")
        assert shown(app, "said").startswith("Step 1 of 3. Knee to chest.") and "Next: Bridges." in shown(app, "said")


async def test_plus_and_minus_move_the_timer_and_the_big_countdown_shows_it_in_words_too() -> None:
    app = app_for("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        until_text(app, "now", "Hold")
        digits = player(app).query_one("#countdown", BigDigits).value
        assert digits == "0:05" and shown(app, "words") == "5 seconds left."
        await pilot.press("plus")
        assert shown(app, "said") == "10 seconds added."
        assert player(app).query_one("#countdown", BigDigits).value == "0:15"
        assert shown(app, "words") == "15 seconds left."
        await pilot.press("minus")
        assert player(app).query_one("#countdown", BigDigits).value == "0:05"


async def test_repetitions_are_counted_in_digits_and_words() -> None:
    app = app_for("demo")
    async with app.run_test(size=(80, 24)):
        until_text(app, "words", "Repetition 2 of 3")
        assert player(app).query_one("#countdown", BigDigits).value == "2"


@pytest.mark.parametrize(("language", "size"), [("en", (80, 24)), ("en", (40, 12)), ("es", (40, 12))])
async def test_while_muted_the_top_line_says_speech_is_off(language: str, size: tuple[int, int]) -> None:
    """A low-vision walk muted the coach: "Speech off." was soon replaced by the next sentence, and nothing on
    the screen said speech was still off."""
    app = app_for("demo" if language == "en" else f"demo-{language}")
    off = "Speech off" if language == "en" else "Voz apagada"
    async with app.run_test(size=size) as pilot:
        until_text(app, "now", "Hold" if language == "en" else "Mantén")
        await pilot.press("m")
        advance(app, 3)  # other sentences said since
        await pilot.pause()
        top = shown(app, "progress")
        assert top.endswith(off) and top.startswith("Step 1 of 3" if language == "en" else "Paso 1 de 3"), top
        assert cells(top) <= size[0] - 2
        await pilot.press("m")
        assert off not in shown(app, "progress")


async def test_speech_keys_change_rate_and_mute() -> None:
    app = app_for("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("greater_than_sign")
        assert app.speaker.rate == 190 and shown(app, "said") == "Faster: 190 words a minute."
        await pilot.press("less_than_sign", "less_than_sign")
        assert app.speaker.rate == 150
        await pilot.press("m")
        assert app.speaker.muted and shown(app, "said") == "Speech off."
        assert player(app).session.muted  # nothing waits for what is not heard
        await pilot.press("m")
        assert not app.speaker.muted and not player(app).session.muted


async def test_pain_key_stops_with_the_advice_on_a_clear_screen() -> None:
    app = app_for("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        until_text(app, "now", "Hold")
        await pilot.press("x")
        assert player(app).session.outcome == "pain"
        assert shown(app, "said") == "Stop now and rest. If the pain goes on or gets worse, call your doctor."
        assert shown(app, "now") == "Stopped for pain" and player(app).has_class("pain")
        assert player(app).query_one("#countdown", BigDigits).value == ""


@pytest.mark.parametrize("key", ["q", "escape"])
async def test_stopping_asks_first_and_a_no_goes_on(key: str) -> None:
    app = app_for("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(key)
        assert isinstance(app.screen, ConfirmStop)
        assert shown(app, "said") == "Stop the session? y / n"
        await pilot.press("n")
        assert isinstance(app.screen, PlayerScreen) and not player(app).session.finished
        await pilot.press(key, "y")
        assert player(app).session.outcome == "stopped"


async def test_an_unanswered_stop_question_is_said_again_with_its_dialog_up() -> None:
    """A person who cannot see the dialog heard the question once; unanswered, it is said again."""
    app = app_for("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = player(app)
        said: list[str] = []
        show = screen.show

        def showing(event: Event) -> None:
            said.append(event.text)
            show(event)

        screen.show = showing  # type: ignore[method-assign]
        await pilot.press("q")
        advance(app, ASK_AGAIN * ASKS - 1)
        assert said == ["Stop the session? y / n"] * ASKS and isinstance(app.screen, ConfirmStop)
        await pilot.press("n")
        assert isinstance(app.screen, PlayerScreen) and not screen.session.held and not screen.session.finished
        # Unanswered to the end, it stops: nobody is there (a hands-free walk's waited in silence for ever).
        await pilot.press("q")
        advance(app, ASK_AGAIN * ASKS)
        await pilot.pause()
        assert said[-1] == "Session stopped." and screen.session.outcome == Outcome.STOPPED
        assert isinstance(app.screen, PlayerScreen) and shown(app, "now") == "Stopped"


async def test_the_stop_question_is_one_for_keys_and_voice() -> None:
    """A walk's spoken "yes" went unheard behind the dialog q opened, and after "coach stop" (which asks by
    voice) no dialog showed that y and n work; a stop by voice then left the last screen up 12 s."""
    app = app_for("demo", listen="true")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = player(app)
        controls = screen.controls
        await pilot.press("q")
        assert isinstance(app.screen, ConfirmStop)
        screen.post_message(Spoken(controls.spoken_answer("no")))  # the key's question, answered by voice
        await pilot.pause()
        assert isinstance(app.screen, PlayerScreen) and not screen.session.finished and not controls.asking_to_stop
        screen.post_message(Spoken(controls.spoken("stop")))  # the voice's question, shown
        await pilot.pause()
        assert isinstance(app.screen, ConfirmStop)
        await pilot.press("n")  # answered by a key
        assert isinstance(app.screen, PlayerScreen) and not screen.session.finished and not controls.asking_to_stop
        screen.post_message(Spoken(controls.spoken("stop")))
        await pilot.pause()
        screen.post_message(Spoken(controls.spoken_answer("yes")))
        await pilot.pause()
        assert isinstance(app.screen, PlayerScreen) and screen.session.outcome == Outcome.STOPPED and screen.quitting


async def test_coach_help_shows_the_help_as_the_key_does() -> None:
    """A walk said "coach help": the keys were said for 55 s, and the screen showed only "Paused". A caregiver in
    the room saw nothing of them. Said, the help shows too; closed, the session stays paused as it said."""
    app = app_for("demo", listen="true")
    async with app.run_test(size=(80, 24)) as pilot:
        until_text(app, "now", "Hold")
        screen = player(app)
        screen.post_message(Spoken(screen.controls.spoken("help")))
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen) and screen.session.paused_at is not None
        await pilot.press("escape")
        await pilot.pause()
        assert screen.is_current and screen.session.paused_at is not None and not screen.session.finished
        screen.post_message(Spoken(screen.controls.spoken("go on")))
        await pilot.pause()
        assert screen.session.paused_at is None


@pytest.mark.parametrize("said", ["next", "go on", "back", "stop"])
async def test_a_command_said_over_the_help_closes_it_and_acts_at_once(said: str) -> None:
    """A walk said "coach next" over the spoken help: nothing, until its 53 s of keys were said; then the session
    went on behind a help screen that a person lying on the floor cannot close."""
    app = app_for("demo", listen="true")
    async with app.run_test(size=(80, 24)) as pilot:
        until_text(app, "title", "Bridges")
        advance(app, 10)  # well into it: "back" starts it again
        screen = player(app)
        for ask in ("help", said):
            screen.post_message(Spoken(screen.controls.spoken(ask)))
            await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
        if said == "stop":
            assert isinstance(app.screen, ConfirmStop)
            return
        assert screen.is_current
        # (not what "said" shows: listening's own "Listening has stopped", its recorder `true` gone, may come last)
        session = screen.session
        if said == "next":
            assert shown(app, "title") == "Rest" and session.segment.title == "Rest"
        elif said == "back":  # Bridges from its start
            assert session.segment.title == "Bridges" and session.clock.now() - session.origin < 1
        else:
            assert screen.session.paused_at is None


async def test_coach_go_on_said_over_the_help_on_a_ready_step_goes_on_from_it(tmp_path: Path) -> None:
    """A hands-free walk: on a ready step ("Say coach go on, or press Space, when you are ready"), "coach help",
    then "coach go on": the help closed, and the step stood where it was in silence, its countdown running."""
    program = tmp_path / "ready.toml"
    program.write_text(
        'format = 1\n[program]\ntitle = "Ready walk"\ncheck_in = false\n'
        '[[steps]]\nkind = "ready"\ntitle = "Get ready"\nsay = "Lie down on the mat."\ntimeout = "40s"\n'
        '[[steps]]\nkind = "timed"\ntitle = "Rest"\nduration = "5s"\n'
    )
    app = app_for(program, listen="true")
    async with app.run_test(size=(80, 24)) as pilot:
        until_text(app, "title", "Get ready")
        advance(app, 8)
        screen = player(app)
        screen.post_message(Spoken(screen.controls.spoken("help")))
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        screen.post_message(Spoken(screen.controls.spoken("go on")))
        await pilot.pause()
        assert screen.is_current and screen.session.segment.title == "Rest" and shown(app, "title") == "Rest"


@pytest.mark.parametrize("said", ["next", "back", "stop", "pause"])
@pytest.mark.parametrize("themes", [False, True], ids=["palette", "theme-list"])
async def test_a_command_said_over_the_palette_closes_it_and_acts_at_once(said: str, themes: bool) -> None:
    """As over the help: "coach next" said with the palette open (or the theme list opened from it) moved the
    session on behind it, and the palette stayed until a key closed it."""
    app = app_for("demo", listen="true")
    async with app.run_test(size=(80, 24)) as pilot:
        until_text(app, "title", "Bridges")
        advance(app, 10)  # well into it: "back" starts it again
        screen = player(app)
        await open_palette(pilot, app)
        if themes:
            await choose(pilot, app, "Theme")
            await pilot.pause()
        assert isinstance(app.screen, CommandPalette) and screen.session.held
        screen.post_message(Spoken(screen.controls.spoken(said)))
        await pilot.pause()
        await pilot.pause()
        session = screen.session
        if said == "stop":
            assert isinstance(app.screen, ConfirmStop) and app.screen_stack[-2] is screen
            return
        assert app.screen_stack[-1] is screen and not session.held
        if said == "next":
            assert shown(app, "title") == "Rest" and session.segment.title == "Rest"
        elif said == "back":  # Bridges from its start, going on
            assert session.segment.title == "Bridges" and session.clock.now() - session.origin < 1
            assert session.paused_at is None
        else:  # (not what "said" shows: "Listening has stopped", its recorder `true` gone, may come last)
            assert session.paused_at is not None and screen.query_one("#now").has_class("paused")
        await pilot.pause()
        assert not screen.held_by_palette and not session.held  # the palette's own closing let go of nothing more


@pytest.mark.parametrize("burst", [False, True], ids=["one-by-one", "burst"])
async def test_q_in_the_help_asks_to_stop_as_the_help_says(burst: bool) -> None:
    """The help lists "q Esc: Stop the session, after asking"; a walk found q there closed the help and went on
    (and the y after it did nothing). Escape closes the help, as it says at its top."""
    app = app_for("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        if burst:
            await pilot.press("q", "y")
        else:
            await pilot.press("q")
            assert isinstance(app.screen, ConfirmStop)
            assert shown(app, "said") == "Stop the session? y / n"  # not "Going on." first
            await pilot.press("n")
            assert shown(app, "said") == "Going on." and not player(app).session.held
            await pilot.press("q", "y")
        await pilot.pause()
        assert player(app).session.outcome == "stopped"
    app = app_for("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark", "escape")
        assert isinstance(app.screen, PlayerScreen) and not player(app).session.finished


async def test_help_shows_and_says_every_key() -> None:
    app = app_for("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        listed = " ".join(str(widget.render()) for widget in app.screen.query(".key"))
        for key in KEYS:  # every key of the one table, 0-10, Ctrl-C and Ctrl-Z among them
            assert f"{key.shown}: {key.action}" in listed
        for needed in ("0 to 10", "Ctrl-C", "Ctrl-Z", "Ctrl-P"):
            assert needed in listed
        assert shown(app, "said").startswith("Keys: Space: Pause or go on.")
        assert "Control P: Every command and the colour themes, in a list." in shown(app, "said")  # the palette
        await pilot.press("escape")
        assert isinstance(app.screen, PlayerScreen)


async def test_digits_answer_a_pain_check_in() -> None:
    app = app_for("low-back-relief")
    async with app.run_test(size=(80, 24)) as pilot:
        until_text(app, "said", "How is your pain now")
        await pilot.press("3")
        assert player(app).session.answers and player(app).session.answers[0][1] == 3


async def test_enter_continues_a_ready_step() -> None:
    app = app_for(GOOD / "minimal.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        until_text(app, "said", "Press Space when you are ready")
        assert shown(app, "now") == "Get ready"
        before = player(app).session.index
        await pilot.press("enter")
        assert player(app).session.index == before + 1


async def test_a_sentence_said_as_the_step_s_instruction_is_shown_once(tmp_path: Path) -> None:
    """A walk read a ready step's "Put the heat pad under your back, then press Space." twice, one above the
    other, while it was said: the instruction gives way to the sentence said while they are the same."""
    program = tmp_path / "ready.toml"
    said = "Put the heat pad under your lower back, then press Space."
    program.write_text(
        f'format = 1\n[program]\ntitle = "Heat"\n[[steps]]\ntitle = "Heat pad"\nkind = "ready"\nsay = "{said}"\n'
        'timeout = "30s"\n[[steps]]\ntitle = "Rest"\nkind = "rest"\nduration = "10s"\n'
    )
    app = app_for(program)
    async with app.run_test(size=(80, 24)):
        until_text(app, "said", said)
        assert (shown(app, "said"), shown(app, "instruction")) == (said, "")
        until_text(app, "said", "Going on")  # said otherwise, the instruction is there again
        assert shown(app, "instruction") == said


async def test_every_key_is_in_the_command_palette_in_the_session_s_language() -> None:
    app = app_for("demo")
    async with app.run_test(size=(80, 24)):
        titles = {command.title for command in app.get_system_commands(player(app))}
        assert {key.action for key in KEYS if key.bind} <= titles
    app = app_for("demo-es")  # a walk found the palette all English in a Spanish session
    async with app.run_test(size=(80, 24)):
        titles = {command.title for command in app.get_system_commands(player(app))}
        assert "Dolor: parar ya, desde cualquier pantalla" in titles and "Pain: stop now, from any screen" not in titles


async def test_once_the_session_is_over_the_palette_lists_no_key_but_pain() -> None:
    """A walk opened the palette after a pain stop: it listed Next step, 10 seconds less and every other key, which
    did nothing there. Once over, only the theme and Quit, and Pain until the session has stopped for pain."""
    app = app_for("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        until_text(app, "said", "Session complete", limit=600)
        titles = [command.title for command in app.get_system_commands(player(app))]
        assert titles == ["Theme", "Quit", "Pain: stop now, from any screen"]
        # no session to stop: Quit leaves (a walk read "Stop the session, after asking" in the picker too)
        [quit_] = [command for command in app.get_system_commands(player(app)) if command.title == "Quit"]
        assert quit_.help == "Leave the coach"
        await pilot.press("x")
        until_text(app, "said", "call your doctor")
        assert [command.title for command in app.get_system_commands(player(app))] == ["Theme", "Quit"]


async def test_quit_in_the_command_palette_asks_first() -> None:
    """A walk typed quit in the palette (Ctrl-P) and the session ended at once, without "Stop the session?"."""
    app = app_for("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        until_text(app, "now", "Hold")
        await open_palette(pilot, app)
        await choose(pilot, app, "Quit")
        assert isinstance(app.screen, ConfirmStop) and not player(app).session.finished
        await pilot.press("n")
        await pilot.pause()
        assert player(app).is_current and not player(app).session.finished


async def test_program_text_is_shown_exactly_as_written() -> None:
    app = app_for(GOOD / "markup-title.toml")
    async with app.run_test(size=(80, 24)):
        until_text(app, "title", "[bold red]Bridges[/]")
        assert shown(app, "title") == "[bold red]Bridges[/]"


async def test_hands_free_the_session_ends_by_itself() -> None:
    app = app_for("demo")
    async with app.run_test(size=(80, 24)):
        advance(app, 120)
        assert player(app).session.outcome == "completed"
        assert shown(app, "title") == "Session complete"


async def test_the_picker_filters_as_you_type_previews_and_starts_the_chosen_program() -> None:
    from textual.widgets import OptionList

    from coach.views.tui.picker import PickerScreen

    app = picker_app()
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, PickerScreen)
        [quit_] = [command for command in app.get_system_commands(app.screen) if command.title == "Quit"]
        assert quit_.help == "Leave the coach"  # a walk read "Stop the session, after asking" in the picker
        options = app.screen.query_one("#programs", OptionList)
        assert options.option_count == len(PROGRAMS)
        await pilot.press(*"stretch")
        shown_ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert "demo" not in shown_ids and "gentle-back-stretches" in shown_ids
        await pilot.press(*" heat")  # every word must match
        shown_ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert shown_ids == ["low-back-relief"]
        await pilot.press("down")
        preview = str(app.screen.query_one("#preview", Static).render())
        assert preview.startswith("Low back relief") and "1. Heating pad (timed)" in preview
        await pilot.press("enter")
        assert isinstance(app.screen, PlayerScreen)
        assert player(app).session.timeline.title == "Low back relief"


@pytest.mark.parametrize(
    ("language", "start", "leave"),
    [("en", "Start", "Quit"), ("es", "Empezar", "Salir"), ("fr", "Commencer", "Quitter")],
)
async def test_the_picker_footer_names_enter_and_escape_in_the_interface_s_language(
    language: str, start: str, leave: str
) -> None:
    """A walk read "esc Quit … ^p palette" in Spanish, and nothing said Enter starts the program: the filter box's
    own Enter hid the picker's from the footer."""
    from textual.widgets import Footer

    from coach.i18n import use_interface

    use_interface(language)
    try:
        app = picker_app()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            footer = app.screen.query_one(Footer)
            keys = {
                (binding.key, binding.description)
                for (_, binding, enabled, _) in footer.screen.active_bindings.values()
                if binding.show and enabled
            }
            assert ("enter", start) in keys and ("escape", leave) in keys, keys
            assert not footer.show_command_palette
            named = {binding.key: binding.key_display for (_, binding, _, _) in footer.screen.active_bindings.values()}
            assert named["escape"] == {"en": "Esc", "es": "Esc", "fr": "Échap"}[language]  # a walk read "esc Quitter"
            await pilot.press("tab")  # to the list, whose own Enter hid the picker's
            await pilot.pause()
            keys = {
                (binding.key, binding.description)
                for (_, binding, enabled, _) in footer.screen.active_bindings.values()
                if binding.show and enabled
            }
            assert ("enter", start) in keys, keys
            await pilot.press("enter")
            assert isinstance(app.screen, PlayerScreen)
    finally:
        use_interface("en")


async def test_a_highlight_that_arrives_after_its_list_was_rebuilt_changes_nothing() -> None:
    """What a burst of typing does: the list is rebuilt while an older highlight is still queued."""
    from textual.widgets import OptionList

    app = picker_app()
    async with app.run_test(size=(80, 24)) as pilot:
        options = app.screen.query_one("#programs", OptionList)
        stale = OptionList.OptionHighlighted(options, options.get_option_at_index(5), 5)
        await pilot.press(*"demo")
        options.post_message(stale)
        await pilot.pause()
        assert str(app.screen.query_one("#preview", Static).render()).startswith("Demo")
        await pilot.press("enter")
        assert player(app).session.timeline.title == "Demo"


async def test_keys_typed_in_a_burst_edit_the_filter_in_the_order_typed() -> None:
    """ "dex", Backspace and "m" arriving together filtered for "dex": Textual ran the Backspace after the "m"
    (its bindings go round the app first; Textual issue 6605), so "dem" became "de" + "x" - "m"."""
    from textual import events
    from textual.widgets import Input

    app = picker_app()
    async with app.run_test(size=(80, 24)) as pilot:
        for key, character in [("d", "d"), ("e", "e"), ("x", "x"), ("backspace", "\x7f"), ("m", "m"), ("left", None)]:
            app.post_message(events.Key(key, character))  # as a terminal delivers a burst: before any is handled
        app.post_message(events.Key("o", "o"))
        await pilot.pause()
        assert app.screen.query_one("#filter", Input).value == "deom"
        await pilot.press("enter")
        assert not isinstance(app.screen, PlayerScreen)  # "deom" matches nothing


async def test_the_picker_says_when_nothing_matches() -> None:
    app = picker_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"zzz")
        assert str(app.screen.query_one("#preview", Static).render()) == "No program matches."
        await pilot.press("enter")  # nothing to start: nothing happens
        assert not isinstance(app.screen, PlayerScreen)


async def test_escape_in_the_picker_clears_the_filter_first_then_quits() -> None:
    """A walk typed "backx" and pressed Escape to clear it: the coach quit. A filter typed is cleared first, from the
    box or the list; with none, Escape quits, as the footer says."""
    from textual.widgets import Input, OptionList

    app = picker_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"backx", "escape")
        await pilot.pause()
        assert app.screen.query_one("#filter", Input).value == "" and app.is_running
        assert app.screen.query_one("#programs", OptionList).option_count > 1
        await pilot.press(*"back", "tab", "escape")
        await pilot.pause()
        assert app.screen.query_one("#filter", Input).value == "" and app.is_running
        await pilot.press("escape")
        await pilot.pause()
        assert not app.is_running


async def test_a_filtered_program_list_shows_each_summary_whole() -> None:
    """A walk typed "low" at 80x24: "Posture: hamstrings and chest" ended at "which can strain". Each option's rows
    were counted at the list's width before its scrollbar came, one column more than it is drawn at."""
    from coach.views.tui.picker import ProgramList

    app = picker_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"low")
        await pilot.pause()
        programs = app.screen.query_one("#programs", ProgramList)
        for index in range(programs.option_count):  # every option has the rows its text takes where it is drawn
            assert programs._heights[index] == len(programs._get_option_render(programs.options[index], Style())), index
        await pilot.press("down", "down")  # to the posture program, on screen
        await pilot.pause()
        screen = "\n".join(strip.text for strip in app.screen._compositor.render_strips())
        assert "the lower back." in screen, screen


@pytest.mark.parametrize("size", [(80, 24), (40, 12), (60, 40), (70, 60)])
async def test_a_chinese_summary_in_the_picker_never_breaks_before_a_closing_mark(size: tuple[int, int]) -> None:
    """Textual broke a Chinese summary before a full-width comma: a line began "，再加一个短计时。"."""
    from coach.views.tui.picker import ProgramList

    app = picker_app()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        programs = app.screen.query_one("#programs", ProgramList)
        lines = [
            strip.text.strip()
            for index in range(programs.option_count)
            for strip in programs._get_option_render(programs.options[index], Style())
        ]
        assert any("，" in line for line in lines)  # the Chinese programs are listed, their commas in them
        assert not [line for line in lines if line[:1] in "，。、！？；：）"], lines


@pytest.mark.painted
async def test_the_cursor_sits_on_the_sentence_just_said_for_braille_displays() -> None:
    app = app_for("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        until_text(app, "said", "Lie on your back")
        await pilot.pause()  # the new sentence is laid out
        advance(app, 0)  # the next refresh of the view places the cursor
        said = player(app).query_one("#said", Static)
        text = shown(app, "said")
        assert app.cursor_position.y == said.content_region.y
        assert app.cursor_position.x == said.content_region.x + (said.content_region.width - len(text)) // 2


async def offered_to_go_on(tmp_path: Path) -> CoachApp:
    """The player of grows.toml, whose session before was cut short during step 2: it offers to go on from there."""
    from coach.history.store import History
    from coach.plan import plan_session

    db = tmp_path / "history.sqlite3"
    first = plan_session(GOOD / "grows.toml", history=History(db))
    app = make_app(first.timeline, clock=FakeClock(0.0), autoplay=False, log=first.recorder)
    async with app.run_test(size=(80, 24)):
        until_text(app, "title", "Bridges")
        first.recorder.history.close()
        first.recorder.history.path = str(tmp_path / "gone" / "history.sqlite3")
        (tmp_path / "gone").write_text("not a folder")  # the end is not recorded: the session was cut short
    second = plan_session(GOOD / "grows.toml", history=History(db))
    return make_app(second.timeline, clock=FakeClock(0.0), autoplay=False, log=second.recorder)


async def test_the_help_over_the_offer_to_go_on_holds_it_and_leaves_it_as_it_was(tmp_path: Path) -> None:
    """A walk pressed ? on "Go on from last time?", then Escape: the keys, cut short, stood where the offer's
    sentence had been, and were taken for still being read while the offer ran out. The offer waits behind the
    help, and its sentence is back when the help closes."""
    app = await offered_to_go_on(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        until_text(app, "said", "Last time you stopped during step 2 of 2, Bridges.")
        offer = shown(app, "said")
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen) and shown(app, "said").startswith("Keys:")
        advance(app, 60)
        await pilot.press("escape")
        assert isinstance(app.screen, PlayerScreen) and shown(app, "title") == "Go on from last time?"
        assert shown(app, "said") == offer
        await pilot.press("y")
        assert shown(app, "title") == "Pain check-in"  # asked first, then on to step 2


@pytest.mark.parametrize("opening", ["q", "question_mark"], ids=["stop-question", "help"])
async def test_no_to_the_stop_question_or_leaving_the_help_at_a_ready_step_shows_its_sentence_again(
    opening: str,
) -> None:
    """A ready step said nothing as it went on: a walk's "n" left "Stop the session? y / n" on the screen, whose y
    would have stopped a session that was going on. q pressed in the help, then n: the step's question too."""
    app = app_for(GOOD / "minimal.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        until_text(app, "said", "Press Space")
        ready = shown(app, "said")
        await pilot.press(opening)
        if opening == "question_mark":
            await pilot.press("q")
        assert isinstance(app.screen, ConfirmStop)
        await pilot.press("n")
        assert not isinstance(app.screen, ConfirmStop)
        until_text(app, "said", "Press Space", limit=10)  # asked again, after the step's title
        assert shown(app, "said") == ready


async def test_the_player_records_the_session_offers_to_go_on_and_y_accepts(tmp_path: Path) -> None:
    from coach.history.store import History
    from coach.plan import plan_session

    db = tmp_path / "history.sqlite3"
    grows = GOOD / "grows.toml"
    first = plan_session(grows, history=History(db))
    app = make_app(first.timeline, clock=FakeClock(0.0), autoplay=False, log=first.recorder)
    async with app.run_test(size=(80, 24)) as pilot:
        until_text(app, "title", "Pain check-in")
        await pilot.press("2")
        until_text(app, "title", "Bridges")  # Plank done: now the process dies, with no time to record more
        first.recorder.history.close()
        first.recorder.history.path = str(tmp_path / "gone" / "history.sqlite3")
        (tmp_path / "gone").write_text("not a folder")  # so the last word of this process is lost, as in a crash

    second = plan_session(grows, history=History(db))
    app = make_app(second.timeline, clock=FakeClock(0.0), autoplay=False, log=second.recorder)
    async with app.run_test(size=(80, 24)) as pilot:
        until_text(app, "said", "Last time you stopped during step 2 of 2, Bridges.")
        assert shown(app, "title") == "Go on from last time?"
        assert shown(app, "now") == "Step 2 of 2. Bridges."  # where it goes on from, not the title again
        await pilot.press("y")
        assert shown(app, "said").startswith("How is your pain now")
        await pilot.press("2", "enter")
        assert shown(app, "said") == "Step 2 of 2. Bridges."
        await pilot.press("x")
        assert "Your program says: If the pain spreads down a leg, call your doctor." in shown(app, "said")
    assert second.recorder.close() is None
    history = History(db)
    newest, interrupted = history.sessions()
    assert (interrupted.how, interrupted.pain_before, interrupted.steps_done) == ("interrupted", 2, 1)
    assert (newest.how, newest.resumes, newest.first_step, newest.pain_before) == (
        "stopped for pain",
        interrupted.id,
        2,
        2,
    )
    history.close()


async def test_quitting_the_player_mid_session_records_it_as_stopped(tmp_path: Path) -> None:
    from coach.history.store import History
    from coach.plan import plan_session

    planned = plan_session(GOOD / "short.toml", history=History(tmp_path / "history.sqlite3"))
    app = make_app(planned.timeline, clock=FakeClock(0.0), autoplay=False, log=planned.recorder)
    async with app.run_test(size=(80, 24)) as pilot:
        until_text(app, "title", "Crunch")
        await pilot.press("ctrl+q")
    assert planned.recorder.close() is None
    history = History(tmp_path / "history.sqlite3")
    [record] = history.sessions()
    history.close()
    assert (record.how, record.steps_done) == ("stopped", 1)


# --- the pain answer, the pain key from every screen, questions that hold, the end (issues 13, 14) -------

PAIN_SIX = GOOD / "pain-six.toml"


async def at_the_question(app: CoachApp) -> None:
    until_text(app, "said", "How is your pain now")
    until_text(app, "words", "10 seconds left.")  # said: the countdown starts, with the number the voice gave


@pytest.mark.parametrize("opened", ["q", "question_mark", "ctrl+p"], ids=["stop-question", "help", "palette"])
async def test_a_number_typed_over_a_dialog_answers_the_check_in_under_it(opened: str) -> None:
    """A walk pressed q at the pain question, then 8 (or ? then 8): nothing happened, and a y then stopped the
    session with no pain recorded. The number is the check-in's answer, over the stop question, the help or the
    palette, which stay open; a `1` then a `0` is 10, at pain_stop (6): the session stops for pain, and they close
    over the advice. (An 8, one digit at pain_stop, is the engine's test.)"""
    app = app_for(PAIN_SIX)
    async with app.run_test(size=(80, 24)) as pilot:
        await at_the_question(app)
        session, checkin = player(app).session, player(app).session.index
        await pilot.press(opened)
        await pilot.pause()
        dialog = app.screen
        assert dialog is not player(app)
        await pilot.press("3")
        await pilot.pause()
        assert session.answers == [(checkin, 3)] and app.screen is dialog and not session.finished
        await pilot.press("1", "0")
        await pilot.pause()
        assert session.answers == [(checkin, 10)] and session.outcome == Outcome.PAIN and app.screen is player(app)
        until_text(app, "said", "call your doctor")


async def test_a_number_on_the_last_screen_just_after_the_closing_question_is_its_answer() -> None:
    """A walk let the closing pain question run out, then typed 9 on the last screen: nothing happened, and the
    record said "4 to -". A number up to 10 s late is the answer, said back, and at pain_stop a stop for pain."""
    app = app_for(PAIN_SIX)
    async with app.run_test(size=(80, 24)) as pilot:
        until_text(app, "said", "Session complete", limit=600)
        await pilot.press("3")
        await pilot.pause()
        assert shown(app, "said") == "Pain 3, noted."
        await pilot.press("9")
        await pilot.pause()
        assert player(app).session.outcome == Outcome.PAIN
        until_text(app, "said", "call your doctor")


async def test_one_then_zero_is_pain_ten_and_stops_at_pain_stop_six() -> None:
    app = app_for(PAIN_SIX)
    async with app.run_test(size=(80, 24)) as pilot:
        await at_the_question(app)
        await pilot.press("1")
        assert shown(app, "now") == "Pain 1, or 0 for 10" and not player(app).session.answers
        await pilot.press("0")
        assert player(app).session.outcome == "pain"
        assert shown(app, "said").startswith("You said your pain is 10 out of 10. Stop now and rest.")


async def test_a_lone_one_is_noted_after_its_wait_and_enter_confirms_at_once() -> None:
    app = app_for(PAIN_SIX)
    async with app.run_test(size=(80, 24)) as pilot:
        await at_the_question(app)
        await pilot.press("1")
        advance(app, 1.4)
        assert not player(app).session.answers
        advance(app, 0.1)
        assert shown(app, "said") == "Pain 1, noted."
        assert shown(app, "now") == "Pain 1, noted. Another number corrects it."
        await pilot.press("1", "enter")
        assert shown(app, "said") == "Pain 1, noted."
        await pilot.press("5")
        assert shown(app, "said") == "Pain 5, noted." and [pain for _, pain in player(app).session.answers] == [5]
        await pilot.press("space")  # answered: goes on at once
        assert shown(app, "title") == "Chin tuck" and player(app).session.paused_at is None


async def open_dialog(pilot: Pilot[Outcome], app: CoachApp) -> None:
    await pilot.press("q")
    assert isinstance(app.screen, ConfirmStop)


async def open_help(pilot: Pilot[Outcome], app: CoachApp) -> None:
    await pilot.press("question_mark")
    assert isinstance(app.screen, HelpScreen)


async def open_palette(pilot: Pilot[Outcome], app: CoachApp) -> None:
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(app.screen, CommandPalette)


async def choose(pilot: Pilot[Outcome], app: CoachApp, title: str) -> None:
    """In the palette of a session, which takes no typing: the arrows down to `title`, then Enter."""
    # The palette gathers its commands in a worker, then marks itself "-ready": waited for, not slept on.
    for _ in range(500):
        if app.screen.has_class("-ready"):
            break
        await pilot.pause()
    else:
        raise AssertionError("the palette never gathered its commands")
    commands = app.screen.query_one(CommandList)
    for _ in range(commands.option_count + 1):
        at = commands.highlighted
        if at is not None and str(commands.get_option_at_index(at).prompt).startswith(title):
            await pilot.press("enter")
            await pilot.pause()
            return
        await pilot.press("down")
    raise AssertionError(f"{title!r} is not in the palette")


async def nothing_open(pilot: Pilot[Outcome], app: CoachApp) -> None:
    assert app.screen is player(app)


@pytest.mark.parametrize("key", ["x", "X"], ids=["x", "caps-lock"])  # a walk's X, Caps Lock on, did nothing
@pytest.mark.parametrize(
    "opening", [nothing_open, open_dialog, open_help, open_palette], ids=["step", "dialog", "help", "palette"]
)
async def test_x_is_pain_from_every_screen(
    opening: Callable[[Pilot[Outcome], CoachApp], Awaitable[None]], key: str
) -> None:
    app = app_for("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        until_text(app, "now", "Hold")
        await opening(pilot, app)
        await pilot.press(key)
        await pilot.pause()
        assert player(app).session.outcome == "pain"
        assert app.screen is player(app) and shown(app, "now") == "Stopped for pain"


async def test_with_caps_lock_on_the_letters_are_the_keys_and_answer_the_stop_question() -> None:
    app = app_for("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        until_text(app, "now", "Hold")
        step = player(app).session.index
        await pilot.press("N")
        assert player(app).session.index == step + 1
        await pilot.press("Q")
        assert isinstance(app.screen, ConfirmStop)
        await pilot.press("N")
        assert not isinstance(app.screen, ConfirmStop) and player(app).session.outcome is None
        await pilot.press("Q", "Y")
        assert player(app).session.outcome == "stopped"


async def test_x_in_the_picker_is_a_letter_of_a_name() -> None:
    app = picker_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"relax")
        from textual.widgets import Input

        assert app.screen.query_one(Input).value == "relax"


@pytest.mark.parametrize("opening", [open_dialog, open_help, open_palette], ids=["dialog", "help", "palette"])
async def test_a_question_or_help_holds_the_session_and_it_goes_on_where_it_was(
    opening: Callable[[Pilot[Outcome], CoachApp], Awaitable[None]],
) -> None:
    app = app_for("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        until_text(app, "now", "Hold")
        left = player(app).session.view().phase_left
        await opening(pilot, app)
        advance(app, 30)
        assert player(app).session.view().phase_left == left and shown(app, "now") == "Paused"
        await pilot.press("escape")
        assert app.screen is player(app)
        assert player(app).session.paused_at is None and shown(app, "said") == "Going on."
        assert player(app).session.view().phase_left == left


async def test_already_paused_stays_paused_after_help() -> None:
    app = app_for("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        until_text(app, "now", "Hold")
        await pilot.press("space", "question_mark", "escape")
        assert player(app).session.paused_at is not None
        assert shown(app, "said") == "Still paused. Press Space to go on."


def footer_keys(app: CoachApp) -> list[str]:
    from textual.widgets._footer import FooterKey

    return [key.description for key in player(app).query(FooterKey)]


async def footer_reads(pilot: Pilot[Any], app: CoachApp, *first: str, only: bool = False) -> None:
    """Wait until the footer's first keys are `first` (and no others, with `only`); fail with what it shows.

    Textual recomposes the footer some idle passes after the screen's bindings change: under CI's load one
    `pilot.pause()` was not always enough, and the footer still read "Pause" where it was about to say "Go on"."""
    for _ in range(200):
        keys = footer_keys(app)
        if (keys if only else keys[: len(first)]) == list(first):
            return
        await pilot.pause(0.01)
    raise AssertionError(f"the footer never read {list(first)}; it reads {footer_keys(app)}")


async def test_after_the_end_the_footer_offers_only_close() -> None:
    app = app_for("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await footer_reads(pilot, app, "Pause", "Pain", "Stop", "Help")
        advance(app, 120)
        await pilot.pause()
        assert player(app).session.outcome == "completed"
        await footer_reads(pilot, app, "Close", "Pain", only=True)  # x still gives the advice on the last screen


async def test_the_footer_says_go_on_wherever_space_goes_on() -> None:
    """A walk read "space Pause" on a ready step ("Press Space when you are ready"), on the offer to go on from last
    time and after a check-in was answered, where Space goes on; and under the stop question, where it answers it."""
    app = app_for(GOOD / "minimal.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        until_text(app, "said", "Press Space when you are ready")
        await pilot.pause()
        await footer_reads(pilot, app, "Go on")
    app = app_for(PAIN_SIX)
    async with app.run_test(size=(80, 24)) as pilot:
        until_text(app, "said", "How is your pain")
        await pilot.pause()
        await footer_reads(pilot, app, "Pause")  # unanswered, Space pauses the check-in
        await pilot.press("3")
        await pilot.pause()
        await footer_reads(pilot, app, "Go on")  # answered, Space goes on without waiting for a correction
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmStop)
        assert not player(app).query_one(Footer).visible  # the dialog says its own keys
        await pilot.press("n")
        await pilot.pause()
        assert player(app).query_one(Footer).visible


async def test_the_footer_lists_its_keys_anew_only_when_what_it_lists_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Textual mounted the footer's keys anew at every dialog opened or closed, and twice as the app started, 4 ms
    a time: a sixth of the player tests' CPU. The same keys stay; a pause, which makes Pause "Go on", lists them
    anew."""
    from textual.widgets._footer import FooterKey

    from coach.views.tui.footer import FittingFooter

    listings: list[tuple[object, ...]] = []
    compose = FittingFooter.compose

    def counted(footer: FittingFooter) -> Any:
        yield from compose(footer)
        listings.append(footer._listed)

    monkeypatch.setattr(FittingFooter, "compose", counted)
    app = app_for("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        until_text(app, "now", "Hold")
        await footer_reads(pilot, app, "Pause")
        for _ in range(5):
            await pilot.pause()
        assert len([keys for keys in listings if keys]) == 1, listings  # once, as the app starts
        keys = list(player(app).query(FooterKey))
        await pilot.press("question_mark", "escape", "q", "n")
        await pilot.pause()
        assert list(player(app).query(FooterKey)) == keys
        await pilot.press("space")
        await footer_reads(pilot, app, "Go on")
        assert not set(player(app).query(FooterKey)) & set(keys)


async def test_the_closing_words_tell_no_time_left_in_the_session() -> None:
    """A walk: "Session complete. Well done." was shown under "1 min left in the session"."""
    app = app_for("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        until_text(app, "said", "Session complete. Well done.")
        await pilot.pause()
        assert "left" not in shown(app, "progress")


async def test_x_on_the_last_screen_gives_the_advice_and_records_pain_not_close() -> None:
    """A walk: x on "Well done / space Close" closed the player and the record said completed."""
    app = app_for("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        advance(app, 120)
        await pilot.pause()
        assert player(app).session.outcome == "completed"
        await pilot.press("x")
        await pilot.pause()
        assert app.is_running, "x closed the last screen"
        assert player(app).session.outcome == "pain"
        # A walk: "Session complete" stayed above "Stopped for pain"; the program's title says no more than is true
        assert (shown(app, "title"), shown(app, "now")) == ("Demo", "Stopped for pain")
        assert shown(app, "now") == "Stopped for pain"
        assert shown(app, "said").startswith("Stop now and rest.")
        await footer_reads(pilot, app, "Close", only=True)
        # x again says the advice again and stays: a walk's second x, 0.3 s after the first, closed the screen and
        # cut the spoken advice short. Any other key closes it.
        await pilot.press("x")
        await pilot.pause()
        assert app.is_running and shown(app, "said").startswith("Stop now and rest.")
        said = [record.utterance.text for record in player(app).speaker.records]
        assert len([text for text in said if text.startswith("Stop now and rest.")]) == 2, said
        await pilot.press("space")
        await pilot.pause()
        assert not app.is_running and app.return_value == "pain"


@pytest.mark.slow  # the whole demo, a quarter of a second at a time: 7 s, too long for the fast subset
async def test_a_sentence_of_as_many_lines_as_the_last_repaints_without_a_layout_and_every_one_is_shown_whole() -> None:
    """A new layout was a third of the player's CPU in steady state: it is done only where a height changes."""
    app = app_for("demo")
    async with app.run_test(size=(40, 24)) as pilot:
        screen = player(app)
        said = screen.query_one("#said", Static)
        layouts = 0
        relayout = screen._refresh_layout

        def counted(*args: object, **kwargs: object) -> None:
            nonlocal layouts
            layouts += 1
            relayout(*args, **kwargs)  # type: ignore[arg-type]

        screen._refresh_layout = counted  # type: ignore[method-assign]
        heights: set[int] = set()
        last, quiet = "", 0
        for _ in range(240):  # the whole demo, a quarter of a second at a time
            before, step = layouts, screen.session.index
            advance(app, 0.25)
            await pilot.pause()
            text = shown(app, "said")
            lines = said.visual.get_height(said.styles, said.content_size.width)  # type: ignore[arg-type]  # RenderStyles reads as a RulesMap
            assert said.content_size.height == lines, f"{text!r} needs {lines} lines, has {said.content_size.height}"
            heights.add(lines)
            if text != last and last and len(text) < 20 and len(last) < 20 and screen.session.index == step:
                # "3" after "Hold.", in the same step: one line each, and nothing else changed its height
                quiet += 1
                assert layouts == before, f"{last!r} -> {text!r} laid the screen out again"
            last = text
        assert len(heights) > 1 and quiet > 3  # sentences of one line and of more, both ways; counts among them


@pytest.mark.slow
async def test_through_a_running_timer_the_countdown_is_redrawn_each_second_by_one_repeating_timer() -> None:
    """A one-shot timer set anew every second cost a tenth of the player's steady CPU (Textual wraps each one,
    reads its signature and sends it as a message): while the second changes in step, one timer repeats."""
    from coach.program import load_program
    from coach.session.clock import MonotonicClock
    from coach.timeline import compile_program

    minute = compile_program(load_program(ROOT / "bench" / "programs" / "one-minute.toml"))
    app = make_app(minute, clock=MonotonicClock())
    async with app.run_test(size=(80, 24)) as pilot:
        countdown = player(app).query_one("#countdown", BigDigits)
        for _ in range(100):  # the voice warms up, the step is announced, its minute starts
            await pilot.pause(0.1)
            if str(countdown.value).startswith("0:5"):
                break
        await pilot.pause(1.5)  # the repeating timer is set
        screen, made = player(app), []
        set_timer = screen.set_timer

        def counted(*args: Any, **kwargs: Any) -> Any:
            made.append(args)
            return set_timer(*args, **kwargs)

        screen.set_timer = counted  # type: ignore[method-assign]
        shown = [str(countdown.value)]
        for _ in range(4):
            await pilot.pause(1.0)
            shown.append(str(countdown.value))
        # One timer anew where a tick starved of the CPU fell out of step (a loaded CI machine's, once in four
        # seconds) is the timer doing its work; one each second is what must not come back.
        assert len(made) <= 1, f"timers were made for the seconds of a running countdown: {made}"
        assert len(set(shown)) == len(shown), f"the countdown stood still: {shown}"


@pytest.mark.parametrize("key", ["left", "t", "plus", "down", "a"])
async def test_on_the_last_screen_only_close_closes_and_no_key_acts_on_the_session_over(key: str) -> None:
    """Walks: keys pressed during "Session over" or "Session complete" acted on a session that was over: + and t
    replaced its last line ("There is no timer to change now."), Space paused it for good, ← went back into it.
    Then any key closed the last screen, and a walk's Down arrow, pressed to read the rest of a pain stop's advice,
    threw it away. The session ends as those words begin: its last screen is up, the footer offers Close, and
    only Close's keys close it, recorded completed, with the closing words the line left in the terminal."""
    app = app_for("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        until_text(app, "title", "Knee to chest")
        for _ in range(3):
            await pilot.press("n")
        closing = shown(app, "said")
        assert closing == "Session over. Every step was skipped." and player(app).session.finished
        await pilot.pause()
        await footer_reads(pilot, app, "Close", "Pain", only=True)
        assert shown(app, "title") == "Demo"  # not "Session complete" (a walk), when every step was skipped
        await pilot.press(key)
        await pilot.pause()
        assert app.is_running and shown(app, "said") == closing
        await pilot.press(CLOSING_KEYS[len(key) % len(CLOSING_KEYS)])
        await pilot.pause()
        assert app.return_value == Outcome.STOPPED  # every step skipped: stopped, as the words say
        assert player(app).last_words == closing


async def test_a_pain_stops_advice_too_long_for_the_screen_is_scrolled_by_the_arrows(tmp_path: Path) -> None:
    """A walk at 40x12: after a pain stop, the advice with a program's four safety notes lost its last lines
    (the one on bladder and bowels among them), and the Down arrow pressed to reach them closed the screen."""
    notes = ", ".join(f'"Safety note {n}: call your doctor at once if this or that happens to you."' for n in range(4))
    program = tmp_path / "long-safety.toml"
    program.write_text(PAIN_SIX.read_text().replace("[program]\n", f"[program]\nsafety = [{notes}]\n", 1))
    app = app_for(program)
    async with app.run_test(size=(40, 12)) as pilot:
        until_text(app, "said", "How is your pain")
        await pilot.press("x")
        await pilot.pause(0.3)
        box = player(app).query_one("#said-box")
        assert shown(app, "said").endswith("Safety note 3: call your doctor at once if this or that happens to you.")
        assert box.max_scroll_y > 0 and box.scroll_y == 0  # too long for 12 rows: it starts at the top
        await pilot.press("end")
        await pilot.pause()
        assert box.scroll_y == box.max_scroll_y and app.is_running
        last = player(app).query_one("#said").region.bottom - 1 - round(box.scroll_y)
        assert box.region.y <= last < box.region.bottom  # the last line is now in view
        await pilot.press("up")
        await pilot.pause()
        assert box.scroll_y == box.max_scroll_y - 1 and app.is_running
        await pilot.press("space")
        await pilot.pause()
        assert app.return_value == Outcome.PAIN


@pytest.mark.parametrize("size", [(40, 12), (80, 24)])
async def test_on_any_screen_a_notice_never_covers_the_sentence_said(size: tuple[int, int]) -> None:
    """A walk at 40x12 with speech failing: the notice covered the right half of the screen for 15 s, the pain
    check-in's question and the pain stop's advice with it, when the text was all there was. Another walk saw
    it at 80x24 too."""
    from textual.widgets._toast import Toast

    app = app_for("low-back-relief-es")
    async with app.run_test(size=size, notifications=True) as pilot:
        until_text(app, "said", "¿Cómo está")
        screen = player(app)
        for event in screen.session.notice("Speech is off: it failed. " + "La sesión sigue en texto. " * 3):
            screen.show(event)
        await pilot.pause(0.5)
        toasts = list(app.screen.query(Toast))
        said = screen.query_one("#said").region
        assert toasts and all(not toast.region.overlaps(said) for toast in toasts), (toasts[0].region, said)


@pytest.mark.parametrize(
    ("left", "shown_left"),
    [
        (125.0, "2 min"),
        (90.0, "2 min"),
        (89.0, "1 min"),
        (63.0, "1 min"),
        (60.0, "1 min"),
        (59.5, "Under 1 min"),
        (10.0, "Under 1 min"),
        (0.4, "Under 1 min"),
    ],
)
def test_the_session_s_time_left_is_shown_to_the_nearest_minute_or_under_one(left: float, shown_left: str) -> None:
    """Rounded up, a session of 1:03 said "2 min left" beside its welcome's "about 1 minute"; and with 10 s to go
    a patient's walk read "1 min left in the session" (in Spanish too): the last minute is "Under 1 min"."""
    from dataclasses import replace

    from coach.session.engine import Session
    from coach.timeline import compile_program
    from coach.views.tui.player import progress

    view = Session(compile_program(PROGRAMS["demo"]), FakeClock(0.0)).view()
    assert progress(replace(view, step=2, steps=6, session_left=left)) == (
        f"Step 2 of 6 · {shown_left} left in the session"
    )


async def test_through_a_long_step_the_top_line_changes_once_a_minute_and_the_countdown_every_second(
    tmp_path: Path,
) -> None:
    """The session's clock repainted every second cost the player a tenth of its steady CPU: it shows minutes."""
    program = tmp_path / "long.toml"
    program.write_text(
        'format = 1\n[program]\ntitle = "Long"\n[[steps]]\ntitle = "Timer"\nkind = "timed"\nduration = "150s"\n'
    )
    app = app_for(program)
    async with app.run_test(size=(80, 24)):
        until_text(app, "words", "2 minutes and 29 seconds left.")
        tops, countdowns = [], set()
        for _ in range(140):
            advance(app, 1)
            tops.append(shown(app, "progress"))
            countdowns.add(player(app).query_one("#countdown", BigDigits).value)
        assert list(dict.fromkeys(tops)) == [f"Step 1 of 1 · {n} min left in the session" for n in (3, 2, 1, "Under 1")]
        assert len(countdowns) == 140


@pytest.mark.parametrize("value", ["0:59", "12:05", "1:00:00", "7", ""])
def test_the_big_countdown_draws_textual_s_own_digit_glyphs(value: str) -> None:
    from rich.console import Console
    from textual.renderables.digits import Digits

    from coach.views.tui.countdown import glyphs

    console = Console(width=80, legacy_windows=False, force_terminal=False, color_system=None)
    with console.capture() as captured:
        console.print(Digits(value), end="")
    assert glyphs(value).split("\n") == captured.get().split("\n")[:3]


def test_the_large_countdown_is_solid_blocks_a_dot_a_square() -> None:
    from coach.views.tui.countdown import glyphs

    assert glyphs("0:59", 2).split("\n") == [
        "██████      ██████  ██████",
        "██  ██  ██  ██      ██  ██",
        "██  ██      ██████  ██████",
        "██  ██  ██      ██      ██",
        "██████      ██████  ██████",
    ]
    seven = ["█████████", "▀▀▀▀▀▀███", *["      ███"] * 5, "      ▀▀▀"]  # an odd scale: half a row at the foot
    assert glyphs("7", 3).split("\n") == seven


@pytest.mark.parametrize(
    ("size", "high"), [((40, 12), 3), ((80, 24), 3), ((100, 30), 5), ((120, 40), 10), ((160, 50), 10), ((250, 70), 15)]
)
async def test_the_countdown_grows_with_the_screen(size: tuple[int, int], high: int) -> None:
    """A low-vision walk found the countdown three rows high at 160x50 as at 40x12: it takes up to a quarter of the
    screen's rows, and every other line still shows."""
    app = app_for("demo")
    async with app.run_test(size=size) as pilot:
        until_text(app, "now", "Hold")
        await pilot.pause()
        countdown = player(app).query_one("#countdown", BigDigits)
        assert countdown.region.height == high and len(countdown.lines) == high
        assert countdown.region.width >= len(countdown.value)
        for name in ("title", "now", "words", "next"):
            assert player(app).query_one(f"#{name}").region.height >= 1, name
        await pilot.resize_terminal(40, 12)  # smaller, it is drawn smaller at once
        await pilot.pause()
        assert countdown.region.height == 3


async def test_the_countdown_fits_beside_textual_s_keys_panel() -> None:
    """A walk opened the keys panel (Ctrl-P, Keys) at 80x50: the digits, sized for the whole width, wrapped into
    fragments beside it. They are drawn for the width the countdown has."""
    app = app_for("demo")
    async with app.run_test(size=(80, 50)) as pilot:
        until_text(app, "now", "Hold")
        countdown = player(app).query_one("#countdown", BigDigits)
        wide = max(len(line) for line in countdown.lines)
        app.action_show_help_panel()
        await pilot.pause()
        await pilot.pause()
        assert countdown.size.width < 80 - 2
        assert max(len(line) for line in countdown.lines) <= countdown.size.width < wide
        app.action_hide_help_panel()
        await pilot.pause()
        await pilot.pause()
        assert max(len(line) for line in countdown.lines) == wide


async def test_the_footer_keeps_each_key_whole_beside_textual_s_keys_panel() -> None:
    """A walk opened the keys panel (Ctrl-P, Keys) at 80x24: the footer, fitted to the screen's width, ran under
    the panel and showed "r R" cut in half. It fits the width it has, and all of it again once the panel goes."""
    from textual.widgets._footer import FooterKey

    app = app_for("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        footer = player(app).query_one(FittingFooter)
        wide = len(footer.query(FooterKey))
        app.action_show_help_panel()
        await pilot.pause()
        await pilot.pause()
        keys = list(footer.query(FooterKey))
        assert footer.size.width < 80 and 4 <= len(keys) < wide
        assert all(key.region.right <= footer.region.right for key in keys), [(k.key, k.region) for k in keys]
        app.action_hide_help_panel()
        await pilot.pause()
        await pilot.pause()
        assert len(footer.query(FooterKey)) == wide


async def test_an_hour_long_countdown_is_drawn_smaller_where_it_would_not_fit(tmp_path: Path) -> None:
    program = tmp_path / "hour.toml"
    program.write_text(
        'format = 1\n[program]\ntitle = "Heat"\n[[steps]]\nkind = "timed"\ntitle = "Heat pad"\nduration = "70m"\n'
    )
    app = app_for(program)
    async with app.run_test(size=(44, 30)) as pilot:
        until_text(app, "now", "Time left")
        await pilot.pause()
        countdown = player(app).query_one("#countdown", BigDigits)
        assert countdown.value.startswith("1:")  # 46 columns at the scale of 44x30; 21 at the smallest
        assert max(len(line) for line in countdown.lines) <= 42
        assert countdown.region.height == 3
        await pilot.resize_terminal(80, 30)
        await pilot.pause()
        assert countdown.region.height == 5


def test_where_the_top_line_would_be_cut_its_time_left_says_less() -> None:
    """At 40 columns "Step 2 of 6 · 14 min left in the session" lost its last word; in every language it fits."""
    from dataclasses import replace

    from coach.i18n import cells, translation
    from coach.session.engine import Session
    from coach.timeline import compile_program
    from coach.views.tui.player import progress

    view = replace(Session(compile_program(PROGRAMS["demo"]), FakeClock(0.0)).view(), step=2, steps=6)
    view = replace(view, session_left=14 * 60)
    assert progress(view, width=76) == "Step 2 of 6 · 14 min left in the session"
    assert progress(view, width=38) == "Step 2 of 6 · 14 min left"
    for code in ("en", "es", "fr", "zh"):
        assert cells(progress(replace(view, step=12, steps=14, session_left=95 * 60), translation(code), 38)) <= 38


async def test_while_paused_the_footer_offers_go_on_and_space_goes_on() -> None:
    """The footer said "Pause" while paused; it says what the space bar does then, in the session's language."""
    app = app_for("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("space")
        await pilot.pause()
        assert player(app).session.view().paused
        await footer_reads(pilot, app, "Go on", "Pain", "Stop", "Help")
        await pilot.press("space")
        await pilot.pause()
        assert not player(app).session.view().paused
        await footer_reads(pilot, app, "Pause", "Pain", "Stop", "Help")
        await pilot.press("space", "x")  # the pain key while paused
        await pilot.pause()
        assert player(app).session.outcome == "pain"


@pytest.mark.parametrize("program", ["demo", "demo-es", "demo-fr", "demo-zh"])
async def test_the_first_four_keys_fit_at_40_columns_playing_and_paused(program: str) -> None:
    """Pause (or Go on), Pain, Stop and Help stay whole in the footer at 40 columns, in every language."""
    from textual.widgets._footer import FooterKey

    app = app_for(program)
    async with app.run_test(size=(40, 12)) as pilot:
        for _ in range(2):
            await pilot.pause()
            first = [key for key in player(app).query(FooterKey) if key.display][:4]
            shown_keys = [(key.key_display or key.key, key.description, key.region) for key in first]
            # all four there (a walk's French "espace Continuer" left no room for "? Aide"), and whole
            assert len(first) == 4 and first[-1].key == "question_mark", shown_keys
            assert first[-1].region.right <= 40, shown_keys
            await pilot.press("space")


@pytest.mark.parametrize("program", ["demo", "demo-es", "demo-fr", "demo-zh"])
@pytest.mark.parametrize("width", [40, 52, 80, 120])
async def test_the_footer_shows_each_key_whole_and_more_of_them_where_there_is_room(program: str, width: int) -> None:
    """At 52 columns a walk read "r Rep", and in French a bare "←"; at 120, +, -, m, > and < were never listed
    on screen. Each key is whole or not there, the most needed first, and a wide screen lists them all."""
    from textual.widgets._footer import FooterKey

    app = app_for(program)
    async with app.run_test(size=(width, 16)) as pilot:
        await pilot.pause()
        keys = list(player(app).query(FooterKey))
        assert all(key.region.right <= width and key.description for key in keys), [
            (k.description, k.region) for k in keys
        ]
        shown = [key.key_display for key in keys]
        assert shown[1:4] == ["x", "q", "?"]
        if width == 120:  # every key in English; in longer words, as many as fit
            assert shown[-5:] == ["+", "-", "m", ">", "<"] if program == "demo" else "+" in shown, shown
        await pilot.resize_terminal(40, 12)  # narrower: fewer keys, still whole
        await pilot.pause()
        assert all(key.region.right <= 40 for key in player(app).query(FooterKey))


@pytest.mark.parametrize("program", sorted(bundled()))
async def test_a_pain_stops_advice_is_shown_whole_at_40_by_12(program: str) -> None:
    """At 40x12 the advice with the program's safety notes lost its last lines ("... see a back specialist."):
    where rows are few, the last screen gives the top lines' rows to it."""
    app = app_for(program)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        said = player(app).query_one("#said", Static)
        assert said.visual is not None
        lines = said.visual.get_height(cast(RulesMap, said.styles), said.content_region.width)
        assert said.content_region.height >= lines, (said.content_region, lines)
        room = player(app).query_one("#player").region  # between the top of the screen and the footer
        assert room.contains_region(said.region), (room, said.region)


@pytest.mark.parametrize("program", [name for name in sorted(bundled()) if name.endswith("-zh")])
@pytest.mark.parametrize("size", [(40, 12), (52, 16), (80, 24)])
async def test_chinese_is_never_broken_before_a_closing_mark(program: str, size: tuple[int, int]) -> None:
    """A walk read the pain advice at 40 columns with a line that began "，或背痛越来越重": Textual folds a
    sentence with no spaces at its last cell. It is broken as plain mode breaks it, and loses nothing."""
    from textual.geometry import Region

    from coach.views.plain.wrapping import _CLOSING

    app = app_for(program)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        said = player(app).query_one("#said", Static)
        lines = [strip.text.strip() for strip in said.render_lines(Region(0, 0, *said.size))]
        lines = [line for line in lines if line]
        assert not [line for line in lines if line[0] in _CLOSING], lines
        assert len(lines) > 1 or size != (40, 12)  # at 40 columns the advice takes lines, and breaks
        assert "".join(lines).replace(" ", "") == player(app).last_words.replace(" ", "")


async def test_arrows_typed_in_a_burst_scroll_the_help_a_line_each() -> None:
    """Five Down arrows arriving together scrolled the help one line: Textual's scroll waits for the next
    refresh and starts from where it was then. Each press is a line, at once."""
    from textual import events

    app = app_for("demo")
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        keys = app.screen.query_one("#help")
        for _ in range(5):
            app.post_message(events.Key("down", None))  # as a terminal delivers a burst: before any refresh
        await pilot.pause()
        assert keys.scroll_y == 5
        for _ in range(2):
            app.post_message(events.Key("up", None))
        app.post_message(events.Key("pagedown", None))
        await pilot.pause()
        assert keys.scroll_y == min(keys.max_scroll_y, 3 + keys.scrollable_content_region.height)


async def test_behind_the_stop_question_the_footer_stays_as_it_was() -> None:
    """The question holds the session (paused, silently): the footer behind it went on to say Go on."""
    app = app_for("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmStop) and player(app).session.held
        await footer_reads(pilot, app, "Pause", "Pain")
        await pilot.press("n", "space", "question_mark")  # paused by the person, then help
        await pilot.pause()
        await footer_reads(pilot, app, "Go on", "Pain")


@pytest.mark.parametrize(("key", "character"), [("question_mark", "?"), ("q", "q")])
async def test_x_typed_with_another_key_leaves_the_pain_advice_on_screen(key: str, character: str) -> None:
    """ "? x" or "q x" typed together: x stops at once (at the app's door), and the ? or q, typed first but
    handled after, closed the pain stop's screen before its advice could be read."""
    from textual import events

    app = app_for("three-exercises")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.post_message(events.Key(key, character))
        app.post_message(events.Key("x", "x"))
        await pilot.pause()
        await pilot.pause()
        assert player(app).session.outcome == "pain"
        assert app.is_running and shown(app, "said").startswith("Stop now and rest.")
        await pilot.press("space")  # a key pressed now, after the end, closes it
        await pilot.pause()
        assert not app.is_running and app.return_value == "pain"


def test_one_minute_left_is_singular_in_spanish() -> None:
    from dataclasses import replace

    from coach.i18n import translation
    from coach.session.engine import Session
    from coach.timeline import compile_program
    from coach.views.tui.player import progress

    view = Session(compile_program(PROGRAMS["demo"]), FakeClock(0.0)).view()
    spanish = translation("es")
    assert progress(replace(view, step=0, session_left=63.0), spanish) == "Queda 1 min de sesión"
    assert progress(replace(view, step=0, session_left=130.0), spanish) == "Quedan 2 min de sesión"


def test_an_answer_noted_fits_its_line_at_40_columns() -> None:
    """ "Pain 1, noted. Another number corrects" lost its end at 40 columns, in every language."""
    from dataclasses import replace

    from coach.i18n import cells
    from coach.session.engine import Session
    from coach.timeline import Phrases, compile_program
    from coach.timeline.events import Phase
    from coach.views.tui.player import doing_line

    for language in ("en", "es", "fr", "zh"):
        phrases = Phrases(language)
        phase = Phase(0.0, 5.0, "checkin", phrases("answer_label", pain=1), phrases("answer_hint"))
        view = Session(compile_program(PROGRAMS["demo"]), FakeClock(0.0)).view()
        full = f"{phase.label} {phase.detail}"
        view = replace(view, phase=phase, doing=full)
        assert doing_line(view, 38) == (full if cells(full) <= 38 else phase.label)
        assert cells(doing_line(view, 38)) <= 38
        assert doing_line(view, 80) == full


async def test_the_listening_mark_stays_on_screen_at_40_by_12_under_a_long_sentence() -> None:
    """At 40x12 "Listening · Heard: pause" went below the footer whenever the sentence just said took two rows:
    what was heard is how a person lying on the floor knows the coach understood."""
    app = app_for("demo", listen="true")  # `true` records nothing: the mark says listening stopped
    async with app.run_test(size=(40, 12)) as pilot:
        until_text(app, "said", "Pull one knee to your chest")
        await pilot.pause()
        screen = player(app)
        said, mark = screen.query_one("#said"), screen.query_one("#listening", Static)
        assert said.region.height >= 2, said.region  # the sentence takes two rows
        room = screen.query_one("#player").region
        assert room.contains_region(mark.region) and mark.region.height == 1, (room, mark.region)
        assert str(mark.render()).strip()


async def test_listening_ends_with_the_session_and_its_mark_goes() -> None:
    """After a pain stop the end screen still said "Listening · Heard: go on", and the recorder ran on until Close."""
    app = app_for("demo", listen="true")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = player(app)
        assert screen.listening is not None and screen.query_one("#listening").display
        await pilot.press("x")
        await pilot.pause()
        assert screen.session.finished
        assert screen.listening.listener._closed  # no recorder, no worker: nothing left to hear
        assert not screen.query_one("#listening").display


async def test_the_last_screen_of_a_session_done_still_hears_coach_pain() -> None:
    """x on the last screen gives the advice; so does "coach pain" for a person who cannot reach the keys. The mark
    says it listens, without what was heard in the session; once the advice is given, listening ends."""
    app = app_for("demo", listen="true")
    async with app.run_test(size=(80, 24)) as pilot:
        advance(app, 120)
        await pilot.pause()
        screen = player(app)
        assert screen.session.outcome == Outcome.COMPLETED and screen.listening is not None
        assert not screen.listening.listener._closed and screen.query_one("#listening").display
        assert "·" not in shown(app, "listening")
        heard: list[object] = []
        speaker = screen.speaker
        Listening("true", screen.controls, speaker, heard.append, screen.session.clock).heard(
            Heard("command", "pain", 0.9, screen.session.clock.now() + 5, screen.session.clock.now() + 5.5)
        )
        screen.post_message(Spoken(heard[0]))  # type: ignore[arg-type]
        await pilot.pause()
        assert player(app).session.outcome == Outcome.PAIN and shown(app, "said").startswith("Stop now")
        assert screen.listening.listener._closed and not screen.query_one("#listening").display


async def test_the_help_screen_says_what_may_be_said_when_listening() -> None:
    app = app_for("demo", listen="true")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        lines = [str(line.render()) for line in app.screen.query("#help Static")]
        assert lines[1].startswith("Say coach, then: pause, go on, next"), lines[:3]
        assert lines[2].startswith("Space: ")


async def test_a_notice_never_covers_the_pain_stop_advice() -> None:
    """A walk at 80x24 with no sound card: the "No sound" notice, up for 15 s, covered the advice's right half
    ("You said your pain is 7 out of 10. St▌"). The advice is what matters then: it is never covered."""
    from textual.widgets._toast import Toast

    from coach.speech.advice import NO_DEVICE

    app = app_for(PAIN_SIX)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        until_text(app, "said", "How is your pain")
        screen = player(app)
        told = NO_DEVICE + " The session goes on in text; speech is tried again at the next step."
        for event in screen.session.notice(told):
            screen.show(event)
        await pilot.press("7")
        await pilot.pause(0.5)
        assert shown(app, "said").startswith("You said your pain is 7 out of 10.")
        said = screen.query_one("#said").region
        toasts = [toast for toast in app.screen.query(Toast) if toast.display]  # cleared by the pain stop
        assert all(not toast.region.overlaps(said) for toast in toasts), [(t.region, said) for t in toasts]


async def test_the_pain_stop_clears_the_notices_that_covered_its_advice_at_40_by_12() -> None:
    """A walk at 40x12 with a recorder that failed: x, and for 9 s the screen showed only the listening notice
    ("… listening is tried again at the next step."), "Stopped for pain" and the advice under it."""
    from textual.widgets._toast import Toast

    from coach.listen.recorder import NO_RECORDER

    app = app_for("demo")
    async with app.run_test(size=(40, 12), notifications=True) as pilot:
        await pilot.pause(0.2)
        for event in player(app).session.notice(NO_RECORDER):
            player(app).show(event)
        await pilot.pause(0.3)
        assert [toast for toast in app.screen.query(Toast) if toast.display]
        await pilot.press("x")
        await pilot.pause(0.3)
        assert player(app).session.outcome == Outcome.PAIN
        assert [toast for toast in app.screen.query(Toast) if toast.display] == []
        assert shown(app, "said").startswith("Stop now and rest.")


async def test_a_long_notice_is_drawn_whole_at_40_by_12() -> None:
    """A walk at 40x12: the notice that no recorder was found lost its last line ("next step."). Textual sized
    the notices' rack for its full width, then drew the notice beside a scrollbar's gutter, a line longer."""
    import html
    import re

    from coach.listen.recorder import NO_RECORDER

    app = app_for("demo")
    async with app.run_test(size=(40, 12), notifications=True) as pilot:
        await pilot.pause(0.2)
        for event in player(app).session.notice(NO_RECORDER):
            player(app).show(event)
        await pilot.pause(0.5)
        drawn = " ".join(
            html.unescape(text) for text in re.findall(r"<text[^>]*>([^<]*)</text>", app.export_screenshot())
        )
        assert "again\xa0at\xa0the\xa0next\xa0step." in drawn.replace("▌ ", ""), drawn


@pytest.mark.parametrize("key", ["q", "question_mark"])
async def test_a_notice_is_not_drawn_over_a_dialog(key: str) -> None:
    """A walk at 40x12: with the listening fault's notice up, q drew it a second time, in the corner, over
    "Stop the session? y / n", which became mostly unreadable. Over a dialog a notice is not drawn."""
    from textual.widgets._toast import Toast

    from coach.views.tui.dialogs import ConfirmStop, HelpScreen

    app = app_for("demo")
    async with app.run_test(size=(40, 12), notifications=True) as pilot:
        await pilot.pause(0.2)
        screen = player(app)
        told = "Listening is off: the recorder (/bin/false) stopped: exit status 1. Check that a microphone is "
        for event in screen.session.notice(
            told + "connected. Keys still work; listening is tried again at the next step."
        ):
            screen.show(event)
        await pilot.pause(0.3)
        await pilot.press(key)
        await pilot.pause(0.3)
        assert isinstance(app.screen, (ConfirmStop, HelpScreen))
        assert [toast for toast in app.screen.query(Toast) if toast.display] == []


async def test_at_40_by_12_the_side_and_a_long_announcement_are_shown_whole(tmp_path: Path) -> None:
    """At 40x12 "Hold, repetition 1 of 2, set 1 of 2," lost "right arm", the part most needed; and a long
    sentence said in an announcement was cut at "Heat relaxes tight" under the empty rows of the clock."""
    program = tmp_path / "sets.toml"
    program.write_text(
        'format = 1\n[program]\ntitle = "Sets"\ncheck_in = false\n[[steps]]\nkind = "hold"\ntitle = "Wall press"\n'
        'hold = "8s"\nreps = 2\nsets = 2\nsides = ["right arm", "left arm"]\n'
        "say = \"Stand an arm's length from a wall, hands flat on it at shoulder height, feet apart and steady, and "
        'lean in slowly until you feel the stretch in your chest, then hold there without arching your back."\n'
    )
    app = app_for(program)
    async with app.run_test(size=(40, 12)) as pilot:
        until_text(app, "said", "Stand an arm")
        await pilot.pause()
        said = player(app).query_one("#said", Static)
        assert said.visual is not None
        lines = said.visual.get_height(cast(RulesMap, said.styles), said.content_region.width)
        box, room = player(app).query_one("#said-box").region, player(app).query_one("#player").region
        assert box.height >= lines >= 4 and room.contains_region(box), (box, room, lines)  # seen whole
        until_text(app, "now", "Hold, repetition 1 of 2")
        await pilot.pause()
        now = player(app).query_one("#now", Static)
        assert "right arm" in shown(app, "now") and now.content_region.height == 2
        assert player(app).query_one("#countdown").region.height == 3  # the clock is back


async def test_the_stop_question_says_that_x_stops_for_pain_there_too() -> None:
    app = app_for("demo")
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmStop)
        hints = [str(hint.render()) for hint in app.screen.query(".hint")]
        assert hints[-1] == "x: pain, stop now." and all(hint.region.bottom <= 12 for hint in app.screen.query(".hint"))
        await pilot.press("x")
        await pilot.pause()
        assert player(app).session.outcome == Outcome.PAIN


async def test_a_segment_that_waited_for_its_voice_plays_on_by_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    """A walk on a cold cache: once step 2 had waited for its audio, nothing more was said, and the session
    stood at the step's end until a key was pressed. Loaded a moment after the time `due` began with, the step's
    first words were due "now" when the player set its timer: a timer of 0 s, which Textual's timer dies of
    (its count divides by the interval), so nothing woke the session again. The wait itself is shown where the
    words are, not in a notice: at 40x12 the notice covered the countdown for 15 s."""
    program = GOOD / "two-short-steps.toml"
    clock = MonotonicClock()
    monkeypatch.setattr("coach.views.tui.app.Voicing.of", lambda speaker: SlowVoice(clock, 0.5, first_too=False))
    app = make_app(compile_program(load_program(program)), clock=clock)  # the real clock, playing by itself
    waits = 0
    async with app.run_test(size=(40, 12)) as pilot:
        screen = player(app)
        for _ in range(1200):  # 60 s at most; it plays in about 10 (a loaded CI run took over 20)
            if screen.session.finished:
                break
            if screen.session.getting_ready and screen.session.index > 0:
                await pilot.pause()
                if screen.session.getting_ready:
                    waits += 1
                    assert shown(app, "said") == "Getting the voice ready; the next step starts when it is."
                    assert not screen.query("Toast")
            await pilot.pause(0.05)
        assert screen.session.finished and screen.session.outcome == Outcome.COMPLETED, shown(app, "said")
        assert screen.session.dropped == []  # and every sentence said on time
    assert waits


async def test_the_palette_over_the_stop_question_leaves_it_holding_the_session() -> None:
    """The palette holds the session, and lets it go when it closes: over the stop question, which holds it
    already, closing the palette must not let the session go on behind the question."""
    app = app_for("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        until_text(app, "now", "Hold")
        await pilot.press("q")
        assert isinstance(app.screen, ConfirmStop)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmStop) and player(app).session.held
        left = player(app).session.view().phase_left
        advance(app, 5)
        assert player(app).session.view().phase_left == left


@pytest.mark.parametrize("size", [(80, 24), (60, 30), (100, 30)])
async def test_a_long_instruction_said_again_leaves_next_on_the_screen(tmp_path: Path, size: tuple[int, int]) -> None:
    """A low-vision walk pressed r on a step with a 380-character instruction at 80x24: the larger digits pushed
    "Next: Knee to chest" and the end of the sentence said off the screen."""
    say = " ".join(["Place a heating pad on your lower back and rest there, breathing slowly."] * 5)
    program = tmp_path / "long.toml"
    program.write_text(
        f'format = 1\n[program]\ntitle = "Heat"\n[[steps]]\nkind = "timed"\ntitle = "Heat pad"\nduration = "5m"\n'
        f'say = "{say}"\n[[steps]]\nkind = "timed"\ntitle = "Knee to chest"\nduration = "1m"\n'
    )
    app = app_for(program)
    async with app.run_test(size=size) as pilot:
        until_text(app, "now", "Time left")
        await pilot.press("r")
        await pilot.pause()
        footer = app.screen.query_one(Footer).region
        for name in ("next", "said", "words"):
            region = player(app).query_one(f"#{name}").region
            assert region.height >= 1 and region.bottom <= footer.y, (name, region, footer)


async def test_the_seconds_in_words_wrap_rather_than_lose_their_end() -> None:
    """A walk read "Tiempo restante: 2 minutos y 1" at 40 columns: the words are for those who cannot read the
    glyphs, and were cut."""
    app = app_for("low-back-relief-es")
    async with app.run_test(size=(40, 12)) as pilot:
        until_text(app, "words", "minutos y")
        await pilot.pause()
        words = player(app).query_one("#words", Words)
        assert shown(app, "words").endswith("segundos.") and words.region.height == 2, shown(app, "words")
        # Shorter, it fits again: its second row goes back to the lines below.
        until_text(app, "words", "Tiempo restante: 59 segundos", limit=1500)
        await pilot.pause()
        assert words.region.height == 1, shown(app, "words")


@pytest.mark.parametrize("theme", [None, "coach-high-contrast"])
async def test_the_palette_s_one_line_about_x_is_as_legible_as_any_text(theme: str | None) -> None:
    """A walk: "x: pain. ↑ ↓ Enter: choose", the palette's only instruction, was drawn as a disabled box's
    placeholder, grey and faded: 2.2:1 on black in the high-contrast theme, under the 4.5:1 text needs."""
    from textual.command import CommandInput

    app = app_for("demo", **({"theme": theme} if theme else {}))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_palette(pilot, app)
        box = app.screen.query_one(CommandInput)
        style = box.get_component_rich_style("input--placeholder")
        assert box.placeholder.startswith("x: pain.") and box.styles.opacity == 1
        assert style_contrast(style) >= 7  # AAA, as the rest of the high-contrast theme


async def test_the_high_contrast_theme_draws_every_line_of_the_player_white_or_yellow_on_black() -> None:
    """A low-vision walk read the countdown, the time left, the instruction and what comes next in grey in the
    high-contrast theme (#dadada and #999999: Textual's text at 87 % and 60 %), which promises white on black,
    yellow for what matters now. And the pain advice, in the theme's red, was 6.7:1: under the 7:1 of AAA."""

    def contrast_on_black(name: str) -> float:
        widget = player(app).query_one(f"#{name}")
        assert widget.styles.background.hex in {"#000000", "#00000000"}, name
        color = widget.styles.color
        assert color.a == 1, (name, color.hex)
        red, green, blue = (value / 255 for value in color.rgb)
        lit = 0.2126 * red**2.2 + 0.7152 * green**2.2 + 0.0722 * blue**2.2  # near enough sRGB for these
        return float((lit + 0.05) / 0.05)

    app = app_for("demo", theme="coach-high-contrast")
    async with app.run_test(size=(80, 24)) as pilot:
        until_text(app, "now", "Hold")
        for name in ("progress", "title", "now", "countdown", "words", "instruction", "said", "next"):
            # white is 21:1 on black and yellow 19.6:1; Textual's grey text was 14.9:1 and 7.4:1
            assert contrast_on_black(name) >= 19, name
        await pilot.press("x")
        until_text(app, "said", "call your doctor")
        assert contrast_on_black("said") >= 7


async def test_the_pain_advice_is_as_legible_as_text_in_every_theme() -> None:
    """A walk in the default theme: the advice to rest and call a doctor, in the theme's error colour (#b93c5b),
    was the faintest line on the screen, 3.4:1 on its background. In Textual's text colour for errors it is 5:1 and
    more in every theme (the ANSI ones leave the colours to the terminal), and 7:1 in the high-contrast one."""
    from textual.color import Color
    from textual.theme import BUILTIN_THEMES

    app = app_for("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("x")
        until_text(app, "said", "call your doctor")
        said = player(app).query_one("#said")
        for theme in [name for name in BUILTIN_THEMES if not name.startswith("ansi")] + ["coach-high-contrast"]:
            app.theme = theme
            await pilot.pause()
            background = Color.parse(app.get_css_variables()["background"])
            assert said.styles.background.a == 0, theme  # drawn on the screen's background
            seen = contrast(said.styles.color.rgb, background.rgb)
            assert seen >= (7 if theme == "coach-high-contrast" else 4.5), (theme, round(seen, 1))


async def test_the_pickers_highlighted_program_and_its_filter_line_are_legible() -> None:
    """A walk in the high-contrast theme: the program Enter would start was white on yellow, 1.1:1; and "Type to
    filter the programs", the only line that says to type, was placeholder grey (3.5:1) in both themes."""
    from textual.widgets import Input, OptionList

    for theme, least in (("coach-high-contrast", 7), ("textual-dark", 4.5)):
        app = picker_app(theme)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("tab")
            programs = app.screen.query_one("#programs", OptionList)
            assert programs.has_focus
            row = programs.get_component_rich_style("option-list--option-highlighted")
            if theme == "coach-high-contrast":
                assert style_contrast(row) >= least, (row.color, row.bgcolor)
            typed = app.screen.query_one("#filter", Input)
            hint = typed.get_component_rich_style("input--placeholder")
            assert style_contrast(hint) >= least, (theme, hint.color, hint.bgcolor)


async def test_a_screen_opened_from_the_palette_holds_the_session_until_it_closes() -> None:
    """A walk chose Theme in the palette: "Going on." was said as the theme list opened, and the session went on
    behind the list. The session waits until the player is shown again."""
    app = app_for("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        until_text(app, "now", "Hold")
        left = player(app).session.view().phase_left
        await open_palette(pilot, app)
        await choose(pilot, app, "Theme")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette) and player(app).session.held  # the list of themes
        advance(app, 20)
        assert player(app).session.view().phase_left == left
        await pilot.press("escape")
        await pilot.pause()
        await pilot.pause()
        assert player(app).is_current and not player(app).session.held and shown(app, "said") == "Going on."


async def test_quit_in_the_palette_over_the_stop_question_does_not_end_the_session_unasked() -> None:
    app = app_for("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        until_text(app, "now", "Hold")
        await pilot.press("q")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await choose(pilot, app, "Quit")
        assert isinstance(app.screen, ConfirmStop) and not player(app).session.finished
        assert len([screen for screen in app.screen_stack if isinstance(screen, ConfirmStop)]) == 1
        quits = [command for command in app.get_system_commands(app.screen) if command.title == "Quit"]
        assert quits and all(command.callback != app.action_quit for command in quits)  # Textual's: out at once
        await pilot.press("n")
        await pilot.pause()
        assert player(app).is_current and not player(app).session.finished


@pytest.mark.parametrize(("width", "rows"), [(40, 2), (80, 1)])
async def test_what_comes_next_wraps_rather_than_lose_its_end(width: int, rows: int) -> None:
    """A walk at 40 columns read "Ensuite : Genou contre la poitrine," and no more: the next exercise was cut."""
    app = app_for("low-back-relief-fr")
    async with app.run_test(size=(width, 24)) as pilot:
        until_text(app, "next", "Genou contre la poitrine, une jambe")
        await pilot.pause()
        region = player(app).query_one("#next").region
        footer = app.screen.query_one(Footer).region
        assert region.height == rows and region.bottom <= footer.y, region


@pytest.mark.parametrize("opening", [open_dialog, open_help, open_palette], ids=["dialog", "help", "palette"])
async def test_coach_pain_closes_every_dialog_as_x_does(
    opening: Callable[[Pilot[Outcome], CoachApp], Awaitable[None]],
) -> None:
    """A walk said "coach pain" with the stop question, the help or the palette open: the session stopped for pain
    under it, and the dialog stayed over the advice, its "n, Space or Escape: go on" a lie."""
    app = app_for("demo", listen="true")
    async with app.run_test(size=(80, 24)) as pilot:
        until_text(app, "now", "Hold")
        screen = player(app)
        await opening(pilot, app)
        screen.post_message(Spoken(screen.controls.spoken("pain")))
        await pilot.pause()
        await pilot.pause()
        assert screen.session.outcome == Outcome.PAIN
        assert app.screen is screen and shown(app, "now") == "Stopped for pain"


async def test_the_palette_of_a_session_takes_no_typing_but_x_and_chooses_with_the_arrows() -> None:
    """Two walks typed "next" in the palette's search box to find Next step, and its x stopped the session for
    pain, recorded so. In a session the palette is a list: letters search nothing, the arrows and Enter choose."""
    app = app_for("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        until_text(app, "now", "Hold")
        await open_palette(pilot, app)
        await pilot.pause(0.3)
        commands = app.screen.query_one(CommandList)
        listed = commands.option_count
        assert app.screen.query_one(Input).disabled
        await pilot.press(*"ne", "space")
        await pilot.pause(0.3)
        assert isinstance(app.screen, CommandPalette) and commands.option_count == listed  # nothing searched
        await choose(pilot, app, "Next step")
        assert player(app).is_current and shown(app, "title") == "Bridges"
        await open_palette(pilot, app)
        await pilot.press("x")  # pain, from the palette too
        await pilot.pause()
        assert player(app).session.outcome == Outcome.PAIN and player(app).is_current


async def test_the_palette_opened_over_the_help_or_the_stop_question_lists_pain_and_it_stops_for_pain() -> None:
    """A patient's walk pressed ?, then Ctrl-P: the palette listed Quit and Theme, and no Pain, which it lists
    over the session. Pain is there from every screen, as x is."""
    for opening in (open_help, open_dialog):
        app = app_for("demo")
        async with app.run_test(size=(80, 24)) as pilot:
            until_text(app, "now", "Hold")
            await opening(pilot, app)
            await open_palette(pilot, app)
            await choose(pilot, app, "Pain: stop now")
            assert player(app).session.outcome == Outcome.PAIN and app.screen is player(app)
            assert shown(app, "now") == "Stopped for pain"


async def test_the_palette_speaks_the_session_s_language_and_opens_nothing_no_key_closes() -> None:
    """A walk opened the palette (Ctrl-P) in a Spanish session: "Search for commands…", "Keys", "Quit" in English,
    and Keys opened Textual's keys panel, English too, which no key shown closed (Escape asked to stop). And it
    typed "next" there to find Next step: the x stopped the session for pain, unwarned."""
    app = app_for("demo-es")
    async with app.run_test(size=(80, 24)) as pilot:
        until_text(app, "now", "Mantén")
        await open_palette(pilot, app)
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        commands = list(app.get_system_commands(player(app)))
        titles = [command.title for command in commands]
        assert titles[:2] == ["Tema", "Salir"] and "Keys" not in titles and "Quit" not in titles
        assert all(command.help and "the" not in command.help.split() for command in commands)  # no English
        assert palette.query_one(Input).placeholder == "x: dolor. ↑ ↓ Intro: elegir"
        await pilot.press("escape")
        await pilot.pause()
        app.search_themes()  # Theme, chosen in it: a walk read "Search for themes…" there
        await pilot.pause()
        assert app.screen.query_one(Input).placeholder == "x: dolor. ↑ ↓ Intro: elegir un tema"


def screen_text(app: CoachApp) -> str:
    """What the terminal would show, row by row."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def test_where_the_lines_would_run_off_the_screen_the_big_digits_give_way_and_come_back() -> None:
    """A walk at 40x12: `t` read "…About 24 minutes left" without "in the session." and without Next, while the
    big digits took three rows. They give way; the countdown in words stays; a shorter sentence brings them back."""
    app = app_for("low-back-relief")
    async with app.run_test(size=(40, 12)) as pilot:
        until_text(app, "now", "Time left")
        await pilot.pause()
        digits = player(app).query_one("#countdown", BigDigits)
        assert digits.display and digits.region.height == 3
        await pilot.press("t")
        await pilot.pause()
        await pilot.pause()
        shown_now = " ".join(screen_text(app).split())
        assert "minutes left in the session." in shown_now, screen_text(app)
        assert "Next: Knee to chest, one leg" in shown_now and shown(app, "words") in shown_now, screen_text(app)
        assert not digits.display
        until_text(app, "title", "Knee to chest", limit=1500)  # the next step, its sentences shorter
        until_text(app, "now", "Hold")
        await pilot.pause()
        await pilot.pause()
        assert digits.display and digits.region.height == 3, screen_text(app)


async def test_the_big_digits_stay_where_the_lines_fit() -> None:
    app = app_for("low-back-relief")
    async with app.run_test(size=(80, 24)) as pilot:
        until_text(app, "now", "Time left")
        await pilot.press("t")
        await pilot.pause()
        await pilot.pause()
        assert player(app).query_one("#countdown", BigDigits).display


async def test_the_offer_to_go_on_keeps_its_last_line_when_its_clock_runs_at_40x12(tmp_path: Path) -> None:
    """A walk at 40x12: asked again after q and n, the offer to go on from last time ran its clock, and its last
    line ("beginning in 10 seconds.") was cut under the big digits."""
    app = await offered_to_go_on(tmp_path)
    async with app.run_test(size=(40, 12)) as pilot:
        until_text(app, "said", "Last time you stopped")
        await pilot.press("q", "n")
        until_text(app, "words", "seconds left")
        await pilot.pause()
        await pilot.pause()
        on_screen = " ".join(screen_text(app).split())
        assert " ".join(shown(app, "said").split()) in on_screen, screen_text(app)
        assert shown(app, "words") in on_screen


async def test_each_second_gives_the_digits_back_their_room_whatever_the_change_before_missed() -> None:
    """A walk at 40x12: after `t` in a hold, the digits stayed hidden through 40 s of one-line sentences. The check
    a new sentence asks for had run before its layout; the player checks again each second."""
    app = app_for("low-back-relief")
    async with app.run_test(size=(40, 12)) as pilot:
        until_text(app, "now", "Time left")
        await pilot.pause()
        digits = player(app).query_one("#countdown", BigDigits)
        digits.add_class("gives-way")  # as a check made too soon left them
        player(app)._gave_way.append((digits, digits.drawn_rows))
        await pilot.pause(1.5)  # a second of the player's own, on the real clock
        assert digits.display


@pytest.mark.parametrize(
    ("program", "title"),
    [
        ("low-back-relief-fr", "Genou contre la poitrine, une jambe"),
        ("low-back-relief-es", "Rodilla al pecho, una pierna"),
    ],
)
async def test_a_long_status_at_40x12_is_all_there_next_and_the_top_line_giving_way_in_turn(
    program: str, title: str
) -> None:
    """A walk at 40x12: with the digits gone, `t` in a hold still lost its end in French ("…les deux jambes.
    Temps") and in Spanish. What comes next, the top line and the title give way too (the status says them all),
    and come back."""
    app = app_for(program)
    async with app.run_test(size=(40, 12)) as pilot:
        until_text(app, "title", title, limit=1500)
        until_text(app, "now", "1")  # a hold: its repetition's number
        await pilot.press("t")
        await pilot.pause()
        await pilot.pause()
        on_screen = " ".join(screen_text(app).split())
        assert " ".join(shown(app, "said").split()) in on_screen, screen_text(app)
        assert shown(app, "words") in on_screen
        names = ("countdown", "next", "progress", "title")
        shown_again: list[bool] = []
        for _ in range(60):  # the program stands while the status is said whole (`Session.interject`), 18 s in
            advance(app, 1)  # French; then shorter sentences, each giving back its rows
            await pilot.pause()
            await pilot.pause()
            shown_again = [player(app).query_one(f"#{name}").display for name in names]
            if all(shown_again):
                break
        assert shown_again == [True] * 4


async def test_pause_chosen_in_the_palette_pauses_and_chosen_again_goes_on() -> None:
    """A walk chose "Pause or go on" in the Ctrl-P list during a hold: "Going on.", and the clock ran on. The
    palette's own hold was what it undid. A command chosen there acts as its key does where the session was."""
    app = app_for("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        until_text(app, "now", "Hold")
        session = player(app).session
        await open_palette(pilot, app)
        await choose(pilot, app, "Pause or go on")
        assert isinstance(app.screen, PlayerScreen)
        assert session.paused_at is not None and not session.held and shown(app, "said").startswith("Paused")
        await open_palette(pilot, app)
        await choose(pilot, app, "Pause or go on")
        assert session.paused_at is None and not session.held and shown(app, "said") == "Going on."


async def test_a_french_line_never_begins_with_the_colon_or_question_mark_its_no_break_space_holds() -> None:
    """A walk read "…maintenant, de 0 à 10" over "? Appuyez sur un chiffre" at 50x13, and at 40x12 "Temps restant
    de la séance" over ": environ 24 minutes.": Textual breaks at the no-break space that French puts before ":"
    and "?", as at any space."""
    app = app_for("low-back-relief-fr")
    async with app.run_test(size=(50, 13)) as pilot:
        until_text(app, "said", "maintenant")
        assert "\u00a0?" in shown(app, "said")
        starts = set()
        for width in range(36, 66):
            await pilot.resize_terminal(width, 13)
            await pilot.pause()
            starts |= {
                (width, line.strip()) for line in screen_text(app).splitlines() if line.strip()[:1] in list(":?")
            }
        assert not starts, sorted(starts)


async def test_what_gave_way_is_back_on_the_last_screen_which_has_its_own_rules() -> None:
    """The last screen lays out its own rows (a pain stop's advice first): a title that gave way to a long sentence
    just before the end would otherwise have stayed hidden there."""
    app = app_for("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        until_text(app, "now", "Hold")
        title = player(app).query_one("#title")
        title.add_class("gives-way")  # as a long sentence just before the end left it
        player(app)._gave_way.append((title, 1))
        await pilot.press("x")
        await pilot.pause()
        await pilot.pause()
        assert player(app).session.outcome == "pain" and title.display
