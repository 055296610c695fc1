"""The program picker: `coach` with no arguments. Type to filter, arrows to choose, Enter to start.

Each program shows its title, length and summary; the steps of the one under
the cursor are listed beside it, so a person knows what they start.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from coach.program import Kind, Program
from coach.program.durations import format_clock
from coach.timeline import Timeline


@dataclass(frozen=True)
class Entry:
    name: str
    program: Program
    timeline: Timeline
    path: Path | None = None

    def matches(self, words: str) -> bool:
        haystack = f"{self.name} {self.program.title} {self.program.summary}".lower()
        return all(word in haystack for word in words.lower().split())


def describe(entry: Entry) -> str:
    """The steps of a program, one per line, as the preview shows them."""
    lines = [f"{entry.program.title}  ({format_clock(entry.timeline.length)})", ""]
    numbers = iter(range(1, len(entry.program.steps) + 1))
    for step in entry.program.steps:
        number = "  " if step.kind is Kind.REST else f"{next(numbers)}."  # a rest is not a numbered step
        lines.append(f"{number} {step.title} ({step.kind.value})")
    return "\n".join(lines)


class PickerScreen(Screen[Entry]):
    BINDINGS = [
        Binding("down", "move(1)", "Next program", show=False, id="picker-down"),
        Binding("up", "move(-1)", "Previous program", show=False, id="picker-up"),
        Binding("enter", "start", "Start", id="picker-start"),
        Binding("escape", "app.quit", "Quit", id="picker-quit"),
    ]

    def __init__(self, entries: list[Entry]) -> None:
        super().__init__()
        self.entries = entries
        self.shown: list[Entry] = []

    def compose(self) -> ComposeResult:
        yield Input(placeholder="Type to filter the programs", id="filter")
        with Horizontal(id="choice"):
            yield OptionList(id="programs")
            yield Static(id="preview", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.fill("")
        self.query_one("#filter", Input).focus()

    @on(Input.Changed, "#filter")
    def filter_changed(self, event: Input.Changed) -> None:
        self.fill(event.value)

    @on(Input.Submitted, "#filter")
    def filter_submitted(self) -> None:
        self.action_start()

    @on(OptionList.OptionHighlighted, "#programs")
    def highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.query_one("#preview", Static).update(describe(self.shown[event.option_index]))

    @on(OptionList.OptionSelected, "#programs")
    def selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.shown[event.option_index])

    def fill(self, words: str) -> None:
        self.shown = [entry for entry in self.entries if entry.matches(words)]
        options = self.query_one("#programs", OptionList)
        options.clear_options()
        for entry in self.shown:
            label = Text(f"{entry.program.title}  {format_clock(entry.timeline.length)}", style="bold")
            if entry.program.summary:
                label.append("\n" + entry.program.summary, style="")
            options.add_option(Option(label, id=entry.name))
        if self.shown:
            options.highlighted = 0
        else:
            self.query_one("#preview", Static).update("No program matches.")

    def action_move(self, by: int) -> None:
        options = self.query_one("#programs", OptionList)
        if self.shown:
            options.highlighted = max(0, min(len(self.shown) - 1, (options.highlighted or 0) + by))

    def action_start(self) -> None:
        index = self.query_one("#programs", OptionList).highlighted
        if self.shown and index is not None:
            self.dismiss(self.shown[index])


def load_entries(paths: dict[str, Path], rate: int) -> list[Entry]:
    """The programs that load; a broken file in --dir is left out (`coach validate` says why)."""
    from coach.program import ProgramError, load_program
    from coach.timeline import compile_program

    entries = []
    for name, path in paths.items():
        try:
            program = load_program(path)
        except ProgramError:
            continue
        entries.append(Entry(name, program, compile_program(program, rate=rate), path))
    return entries
