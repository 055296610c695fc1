"""The player tells the app how the session ended, and the speaker tells it of its faults, as Textual messages."""

from __future__ import annotations

from textual.message import Message

from coach.session.outcome import Outcome
from coach.views.tui.messages import Finished, SpeechNotice
from tests.player_app import advance, app_for, player


async def _finished(keys: tuple[str, ...], seconds: float) -> list[Finished]:
    app = app_for("demo")
    posted: list[Message] = []
    async with app.run_test(size=(80, 24), message_hook=posted.append) as pilot:
        advance(app, 1)
        for key in keys:
            await pilot.press(key)
        advance(app, seconds)
        await pilot.pause()
    # The hook sees a message at each node it reaches (the screen, then the app it bubbles to): count it once.
    return list({id(message): message for message in posted if isinstance(message, Finished)}.values())


async def test_a_session_played_to_its_end_posts_finished_completed() -> None:
    finished = await _finished((), 120)
    assert [(message.outcome, message.at_once) for message in finished] == [(Outcome.COMPLETED, False)]


async def test_the_pain_key_posts_finished_pain_once() -> None:
    finished = await _finished(("x",), 30)
    assert [(message.outcome, message.at_once) for message in finished] == [(Outcome.PAIN, False)]


async def test_a_confirmed_stop_posts_finished_stopped_at_once() -> None:
    finished = await _finished(("q", "y"), 1)
    assert [(message.outcome, message.at_once) for message in finished] == [(Outcome.STOPPED, True)]


async def test_a_speech_notice_is_shown_through_a_message() -> None:
    app = app_for("demo")
    posted: list[Message] = []
    async with app.run_test(size=(80, 24), message_hook=posted.append) as pilot:
        advance(app, 1)
        app.speaker._announce("Speech failed: the voice stopped. The session goes on in text.")  # as its thread does
        await pilot.pause()
        assert any(isinstance(message, SpeechNotice) for message in posted)
        notes = [str(notification.message) for notification in app._notifications]
        assert notes == ["Speech failed: the voice stopped. The session goes on in text."]  # a toast, never said
        assert player(app).session.finished is False
