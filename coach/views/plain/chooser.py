"""Choosing a program with `coach` alone: the programs offered, and the plain chooser of plain mode.

The Textual picker and the plain chooser offer the same entries. The plain one
is for screen readers, braille and `TERM=dumb`: a numbered list, one line per
program, then a question answered with a line of text (the terminal's own line
editing, which every screen reader knows). A wrong answer is said in one line
that asks again; the end of input (Ctrl-D, an empty pipe) leaves without a
program. Nothing here imports Textual.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from coach.i18n import N_, base, folded, interface, interface_code, named
from coach.program import Program
from coach.timeline import Phrases, Timeline

# In the interface's language, as the picker is (a walk read these in English with LANGUAGE=fr).
ASK = N_("Type a number or a name, then Enter.")
NONE_CHOSEN = N_("No program chosen.")
NO_PROGRAMS = N_("There are no programs to choose from.")
LEAVE = {"q", "quit"}


@dataclass(frozen=True)
class Entry:
    name: str
    program: Program
    timeline: Timeline
    path: Path | None = None
    mark: str = ""  # "yours" for a program on the patient's shelf; "" for a bundled one or one in --dir

    def matches(self, words: str) -> bool:
        """Whether every word typed is in its name, title or summary, in any case and with or without accents: a
        walk's "demostracion" found nothing, typed as many do on a keyboard without them."""
        haystack = folded(f"{self.name} {self.program.title} {self.program.summary}")
        return all(word in haystack for word in folded(words).split())


def load_entries(
    paths: dict[str, Path],
    rate: int,
    *,
    marks: dict[str, str] | None = None,
    broken: list[str] | None = None,
    tones: bool = True,
) -> list[Entry]:
    """The programs that load, each with its mark from `marks` (by name), those in the interface's language
    first (a Spanish speaker finds `demo-es` at the top, an English one `demo`). A file that does not load
    cannot be offered, but is not hidden either: its first problem is added to `broken`, to be listed."""
    from coach.program import ProgramError, load_program
    from coach.timeline import compile_program

    entries = []
    for name, path in paths.items():
        try:
            program = load_program(path)
        except ProgramError as error:
            if broken is not None:
                broken.append(first_problem(error))
            continue
        mark = (marks or {}).get(name, "")
        entries.append(Entry(name, program, compile_program(program, rate=rate, tones=tones), path, mark))
    return sorted(entries, key=lambda entry: base(entry.program.language) != interface_code())  # stable


def first_problem(error: Exception) -> str:
    """A file's first problem, as `coach validate` prints it, and how many more there are."""
    problems = getattr(error, "problems", None)
    lines = [str(problem) for problem in problems] if problems else str(error).splitlines() or [""]
    more = len(lines) - 1
    return lines[0] + (f" (and {more} more: coach validate shows all)" if more else "")


def unoffered(broken: list[str]) -> list[str]:
    """The lines that tell of the files that could not be offered."""
    if not broken:
        return []
    told = interface().ngettext(
        "Not offered, {count} file with a problem:", "Not offered, {count} files with a problem:", len(broken)
    )
    return [told.format(count=len(broken)), *broken]


def choose(
    entries: list[Entry], answers: TextIO, write: Callable[[str], None], broken: Sequence[str] = ()
) -> Entry | None:
    """List `entries` (and after them the `broken` files, with their first problem), then read answers until
    one names a program; None at the end of input or on `q`."""
    words = interface()
    for line in [*listing(entries), *unoffered(list(broken))]:
        write(line)
    if not entries:
        write(words.gettext(NO_PROGRAMS))
        return None
    write(words.gettext(ASK))
    while True:
        answer = answers.readline()
        if not answer:  # the end of input: leave, and say so, for the person who pressed Ctrl-D
            write(words.gettext(NONE_CHOSEN))
            return None
        chosen = pick(entries, answer.strip())
        if isinstance(chosen, Entry):
            return chosen
        if chosen is None:
            write(words.gettext(NONE_CHOSEN))
            return None
        write(chosen)


def listing(entries: list[Entry]) -> list[str]:
    """One line per program: its number, title, length in words, and what it is for."""
    lines = []
    words = interface()
    for number, entry in enumerate(entries, start=1):
        length = Phrases(interface_code()).duration(int(entry.timeline.length))  # as `coach list` counts
        mark = f" ({words.gettext(entry.mark)})" if entry.mark else ""
        title = f"{entry.program.title}{mark}{in_language(entry)}"
        # The language's own commas and stops: a walk read "1. 示范, 1分钟22秒. 不到…" in Chinese.
        line = words.gettext("{number}. {title}, {length}. {summary}").format(
            number=number, title=title, length=length, summary=entry.program.summary
        )
        lines.append(line.rstrip())
    return lines


def in_language(entry: Entry) -> str:
    """ " (Español)" after a program in a language other than the interface's; nothing after one in it."""
    language = entry.program.language
    return "" if base(language) == interface_code() else f" ({named(language)})"


def pick(entries: list[Entry], answer: str) -> Entry | str | None:
    """The program an answer names; else the line that says what was wrong and asks again; None to leave."""
    count = len(entries)
    words = interface()
    again = words.gettext("Type a number from 1 to {count} or a name, then Enter.").format(count=count)
    if not answer:
        return again
    number = answer.rstrip(".")
    if number.isdigit():
        if 1 <= int(number) <= count:
            return entries[int(number) - 1]
        return words.gettext("There is no program {number}. {again}").format(number=number, again=again)
    if answer.lower() in LEAVE:
        return None
    for entry in entries:  # a name or a title, exactly: even if it is also part of another
        if answer.lower() in {entry.name.lower(), entry.program.title.lower()}:
            return entry
    found = [(number, entry) for number, entry in enumerate(entries, start=1) if entry.matches(answer)]
    if len(found) == 1:
        return found[0][1]
    if not found:
        return words.gettext('No program matches "{answer}". {again}').format(answer=answer, again=again)
    named = ", ".join(f"{number}. {entry.program.title}" for number, entry in found)
    told = words.gettext('{count} programs match "{answer}": {named}. {again}')
    return told.format(count=len(found), answer=answer, named=named, again=again)
