"""The program picker: `coach` with no arguments. Type to filter, arrows to choose, Enter to start.

Each program shows its title, length and summary; the steps of the one under
the cursor are listed beside it, so a person knows what they start. The
terminal's cursor sits on the highlighted program, wherever the focus is, so
that terminal screen readers and braille displays follow the highlight. (In
plain mode `coach` offers the plain chooser of coach/views/plain/chooser.py instead.)
"""

from __future__ import annotations

from gettext import NullTranslations

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.geometry import Offset, Region
from textual.screen import Screen
from textual.strip import Strip
from textual.widgets import Footer, Input, OptionList
from textual.widgets.option_list import Option

from coach.i18n import ENGLISH, N_, cells, interface
from coach.program import Kind
from coach.program.durations import format_clock
from coach.views.plain.chooser import Entry, in_language, load_entries
from coach.views.tui.cursor import CursorHere
from coach.views.tui.sentence import Sentence

__all__ = ["Entry", "PickerScreen", "describe", "load_entries"]


# How the preview names each kind of step, in the interface's language.
KINDS = {
    Kind.HOLD: N_("hold"),
    Kind.REPS: N_("reps"),
    Kind.TIMED: N_("timed"),
    Kind.READY: N_("ready"),
    Kind.REST: N_("rest"),
}


def describe(entry: Entry) -> str:
    """The steps of a program, one per line, as the preview shows them."""
    lines = [f"{entry.program.title}  ({format_clock(entry.timeline.length)})", ""]
    numbers = iter(range(1, len(entry.program.steps) + 1))
    for step in entry.program.steps:
        number = "  " if step.kind is Kind.REST else f"{next(numbers)}."  # a rest is not a numbered step
        lines.append(f"{number} {step.title} ({interface().gettext(KINDS[step.kind])})")
    return "\n".join(lines)


def label(heading: str, summary: str) -> Text | Sentence:
    """A program as the list shows it: its heading in bold, its summary under it. Chinese is broken as a reader
    expects (`Sentence`): Textual broke a summary before a full-width comma ("，再加一个短计时。")."""
    if cells(heading + summary) > len(heading + summary):
        return Sentence(heading, "bold", then=((summary, ""),) if summary else ())
    text = Text(heading, style="bold")
    if summary:
        text.append("\n" + summary, style="")
    return text


class ProgramList(OptionList):
    """The programs, with the terminal's cursor on the highlighted one, for screen readers and braille displays.

    The cursor is placed each time the list is painted, that is after Textual has laid it out and scrolled
    to the highlight: a focus change (the filter box takes the cursor when it is focused), a resize or a
    burst of typing cannot leave it behind.

    A move of the highlight by one writes only the two options whose look changes, the newly highlighted one
    first: a terminal screen reader (yasr) speaks whatever is written as it is written, so Textual's repaint
    of the whole list is heard as the list from the top, with the new title somewhere in it. That shortcut is
    taken only for a move between two options both already on screen; everything else (the first paint, a
    list rebuilt by typing, a move that scrolls, a resize) keeps Textual's own full repaint, so what draws the
    list never depends on it, and the two rows it adds come on top of any repaint still pending.
    """

    def move_highlight(self, index: int) -> None:
        old = self.highlighted
        if old is None or index == old or not (self.on_screen(old) and self.on_screen(index)):
            self.highlighted = index
            return
        self.set_reactive(ProgramList.highlighted, index)  # no full repaint; what its watcher does, done here
        self.post_message(self.OptionHighlighted(self, self.options[index], index))
        self.repaint_option(index)
        self.call_after_refresh(self.repaint_option, old)  # after: the new title is the first thing written

    def on_screen(self, index: int) -> bool:
        """Whether all of the option's lines are inside the list as it is drawn now."""
        start = self._index_to_line.get(index)  # no public API for an option's lines
        top = round(self.scroll_y)
        return start is not None and top <= start and start + self._heights[index] <= top + self.content_region.height

    def repaint_option(self, index: int) -> None:
        start = self._index_to_line.get(index)
        if start is not None and index in self._heights:
            self.refresh_lines(start, self._heights[index])

    def action_cursor_down(self) -> None:  # the arrows when the list itself has the focus; they wrap, as Textual's
        self.step(1)

    def action_cursor_up(self) -> None:
        self.step(-1)

    def step(self, by: int) -> None:
        if self.highlighted is None or not self.option_count:  # no option is disabled here
            self.highlighted = 0
        else:
            self.move_highlight((self.highlighted + by) % self.option_count)

    def render_lines(self, crop: Region) -> list[Strip]:
        lines = super().render_lines(crop)
        line = self._index_to_line.get(self.highlighted) if self.highlighted is not None else None  # no public API
        row = None if line is None else line - round(self.scroll_y)
        if row is not None and 0 <= row < self.content_region.height:
            self.app.cursor_position = Offset(self.content_region.x, self.content_region.y + row)
        return lines

    def on_resize(self) -> None:
        self.call_after_refresh(self.scroll_to_highlight)  # options grow or shrink with the width

    def watch_show_vertical_scrollbar(self) -> None:
        """The options' width changes with the scrollbar, and so may their rows: Textual counts them again for a
        resize only. A walk typed "low" at 80x24, and a summary counted at the width without the scrollbar lost
        its last line ("which can strain" ended it)."""
        self._clear_caches()  # Textual's own for a resize; no public API


class FilterBox(Input):
    """The filter: its own editing keys (Backspace, the arrows, Home) act in the order they were typed.

    Textual lets a widget's bindings run only once the key has gone round the app, while letters go in at
    once: typed in a burst, "dex", Backspace, "m" became "dexm" less its last letter (Textual issue 6605).
    Here those bindings run as the key arrives, as the fix proposed there (pull request 6631) does.
    """

    async def _on_key(self, event: events.Key) -> None:
        for binding in self._bindings.key_to_bindings.get(event.key, []):
            # Handled here, or passed on as before: Down is the screen's (the box's own scrolling skips it).
            if not binding.priority and await self.app.run_action(binding.action, self):
                event.stop()
                event.prevent_default()
                return
        await super()._on_key(event)


START, QUIT = N_("Start"), N_("Quit")
ENTER, ESCAPE = N_("Enter"), N_("Esc")  # named in the interface's language (Textual draws ⏎, and "esc")


def picker_bindings(words: NullTranslations) -> list[BindingType]:
    """The picker's keys, the footer's words in the interface's language (a walk read "esc Quit" in Spanish)."""
    return [
        Binding("down", "move(1)", words.gettext("Next program"), show=False, id="picker-down"),
        Binding("up", "move(-1)", words.gettext("Previous program"), show=False, id="picker-up"),
        Binding("enter", "start", words.gettext(START), id="picker-start", key_display=words.gettext(ENTER)),
        Binding("escape", "clear_or_quit", words.gettext(QUIT), id="picker-quit", key_display=words.gettext(ESCAPE)),
    ]


class PickerScreen(Screen[Entry]):
    BINDINGS = picker_bindings(ENGLISH)

    @classmethod
    def speaking(cls, entries: list[Entry]) -> PickerScreen:
        """The picker in the interface's language: its footer, and the filter's Enter, which the footer names
        (the filter box's own Enter, unnamed, hid the screen's "Start": a walk was never told Enter starts)."""
        words = interface()
        speaking: type[PickerScreen] = type(cls.__name__, (cls,), {"BINDINGS": picker_bindings(words)})
        screen = speaking(entries)

        def start(action: str) -> list[BindingType]:
            return [Binding("enter", action, words.gettext(START), key_display=words.gettext(ENTER))]

        # The list's own Enter hid the picker's too, once Tab had moved there (a walk).
        filter_class: type[FilterBox] = type(FilterBox.__name__, (FilterBox,), {"BINDINGS": start("submit")})
        list_class: type[ProgramList] = type(ProgramList.__name__, (ProgramList,), {"BINDINGS": start("select")})
        screen.filter_class, screen.list_class = filter_class, list_class
        return screen

    def __init__(self, entries: list[Entry]) -> None:
        super().__init__()
        self.entries = entries
        self.shown: list[Entry] = []
        self.filter_class, self.list_class = FilterBox, ProgramList

    def compose(self) -> ComposeResult:
        filter_box = self.filter_class(placeholder=interface().gettext("Type to filter the programs"), id="filter")
        filter_box.cursor_blink = False  # a blink repaints the box twice a second: a screen reader says it each time
        yield filter_box
        with Horizontal(id="choice"):
            yield self.list_class(id="programs")
            yield CursorHere(id="preview", markup=False)
        yield Footer(show_command_palette=False)  # Ctrl-P still opens it; the footer names the picker's own keys

    def on_mount(self) -> None:
        self.fill("")
        self.query_one("#filter", Input).focus()

    async def action_clear_or_quit(self) -> None:
        """Escape: a filter typed is cleared first, as lists that filter do (a walk's Escape, to clear a mistyped
        "backx", left the coach); with none, the coach quits."""
        box = self.query_one("#filter", Input)
        if box.value:
            box.value = ""
            box.focus()
        else:
            await self.app.action_quit()

    @on(Input.Changed, "#filter")
    def filter_changed(self, event: Input.Changed) -> None:
        self.fill(event.value)

    @on(Input.Submitted, "#filter")
    def filter_submitted(self) -> None:
        self.action_start()

    @on(OptionList.OptionHighlighted, "#programs")
    def highlighted(self) -> None:
        # Not the event's index: a burst of typing rebuilds the list while the highlights it caused are still
        # queued, so an event may speak of a list that is gone. What is shown is read from the list as it is now.
        self.show_highlighted()

    @on(OptionList.OptionSelected, "#programs")
    def selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(next(entry for entry in self.entries if entry.name == event.option_id))

    def fill(self, words: str) -> None:
        self.shown = [entry for entry in self.entries if entry.matches(words)]
        options = self.query_one("#programs", OptionList)
        options.clear_options()
        for entry in self.shown:
            mark = f" ({interface().gettext(entry.mark)})" if entry.mark else ""  # on the patient's shelf
            mark += in_language(entry)  # " (Español)": in a language other than the interface's
            options.add_option(
                Option(
                    label(f"{entry.program.title}{mark}  {format_clock(entry.timeline.length)}", entry.program.summary),
                    id=entry.name,
                )
            )
        if self.shown:
            options.highlighted = 0
        self.show_highlighted()

    def show_highlighted(self) -> None:
        index = self.query_one("#programs", OptionList).highlighted
        entry = self.shown[index] if self.shown and index is not None else None
        preview = self.query_one("#preview", CursorHere)
        preview.takes_cursor = entry is None  # the cursor goes where the answer is, as it goes to the highlight
        preview.update(describe(entry) if entry else interface().gettext("No program matches."))

    def action_move(self, by: int) -> None:
        options = self.query_one("#programs", ProgramList)
        if self.shown:
            options.move_highlight(max(0, min(len(self.shown) - 1, (options.highlighted or 0) + by)))

    def action_start(self) -> None:
        index = self.query_one("#programs", OptionList).highlighted
        if self.shown and index is not None:
            self.dismiss(self.shown[index])
