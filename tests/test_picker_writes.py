"""What the picker writes to the terminal, as a screen reader that speaks each write (yasr) is given it.

The app runs under Pilot; each frame is rendered as the real driver renders it
and fed to a pyte screen, so a test sees both what a terminal would show and the
order in which it was written.
"""

from __future__ import annotations

import pytest

from tests.player_app import picker_app
from tests.written import Written


def titles_in_order() -> list[str]:
    """The bundled programs' titles as the picker lists them: those in the interface's language first."""
    from coach.program.catalog import bundled
    from coach.views.plain.chooser import load_entries

    return [entry.program.title for entry in load_entries(bundled(), 170)]


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(3))
async def test_the_picker_list_is_written_whole_even_when_its_messages_come_slowly(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under heavy load each message waits its turn: however they interleave, every program is written."""
    import asyncio
    import random

    from textual.message_pump import MessagePump

    chance = random.Random(seed)
    dispatch = MessagePump._dispatch_message

    async def slowly(pump: MessagePump, message: object) -> None:
        await asyncio.sleep(chance.random() * 0.02)
        await dispatch(pump, message)  # type: ignore[arg-type]

    monkeypatch.setattr(MessagePump, "_dispatch_message", slowly)
    app = picker_app()
    written = Written(app, (100, 72))
    titles = titles_in_order()
    async with app.run_test(size=(100, 72)) as pilot:
        for _ in range(10):
            await pilot.pause(0.05)
        screen = "\n".join(written.rows())
        assert all(title in screen for title in titles), screen
        assert titles[0] in written.cursor_row()
        for key, index in [("down", 1), ("down", 2), ("tab", 2), ("down", 3), ("up", 2), ("shift+tab", 2)]:
            await pilot.press(key)
            for _ in range(5):
                await pilot.pause(0.05)
            screen = "\n".join(written.rows())
            assert all(title in screen for title in titles), screen
            assert titles[index] in written.cursor_row(), (key, screen)


async def test_a_move_of_the_picker_highlight_writes_the_new_title_first_and_no_other_program() -> None:
    """yasr speaks what is written, as it is written: a move must not write the whole list from the top."""
    app = picker_app()
    written = Written(app, (100, 72))
    titles = titles_in_order()
    async with app.run_test(size=(100, 72)) as pilot:
        await pilot.pause(0.3)
        for key, index, before in [("down", 1, 0), ("down", 2, 1), ("up", 1, 2), ("tab", 1, 1), ("down", 2, 1)]:
            mark = len(written.text)
            await pilot.press(key)
            await pilot.pause(0.3)
            pieces = written.pieces_since(mark)
            others = [title for title in titles if title not in {titles[index], titles[before]}]
            if key != "tab":  # the focus moving into the list restyles all of it: Textual repaints it whole
                assert not any(other in piece for piece in pieces for other in others), (key, pieces)
                assert titles[index] in pieces[0], (key, pieces)
            assert titles[index] in written.cursor_row()
        screen = "\n".join(written.rows())
        assert all(title in screen for title in titles), screen
