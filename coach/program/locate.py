"""Line numbers for TOML keys, which tomllib does not report.

A message that says "line 14" saves a caregiver from hunting through a long
file. This scanner reads the text once and remembers where each table header
and each `key =` line stands, per `[[steps]]` occurrence. It is deliberately
simple: a line it misreads only costs a less precise line number.

A program without a problem needs no line but its steps' (`coach validate`
names them in its warnings), so the scan waits until a line is asked for, and
the steps' lines are found at C speed where no multi-line string could hide a
header: scanning every line took a sixth as long as parsing the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_STEP_HEADER = re.compile(r'^[^\S\n]*\[\[[^\S\n]*"?steps"?[^\S\n]*\]\]?[^\S\n]*(?:#[^\n]*)?$', re.MULTILINE)
_KEY = re.compile(r"^\s*([A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*')\s*=")


@dataclass
class Lines:
    """Where things are: tables by name, steps by index, keys within each."""

    tables: dict[str, int] = field(default_factory=dict)
    steps: list[int] = field(default_factory=list)
    keys: dict[tuple[str, int, str], int] = field(default_factory=dict)

    def of_table(self, table: str) -> int | None:
        return self.tables.get(table)

    def of_step(self, index: int) -> int | None:
        return self.steps[index] if 0 <= index < len(self.steps) else None

    def of_key(self, table: str, key: str, step: int = -1) -> int | None:
        """The line of `key` in `table` (for step tables, in step `step`), else the table's."""
        found = self.keys.get((table, step, key))
        if found is not None:
            return found
        if "." in key:  # `progress.hold`: its line in [steps.progress], else the line of progress = { … }
            inner, _, part = key.partition(".")
            nested = self.keys.get((f"{table}.{inner}" if table else inner, step, part))
            return nested if nested is not None else self.of_key(table, inner, step)
        if step >= 0:
            return self.of_step(step)
        # A top-level key may be a table header of its own: `[[step]]` is the key "step".
        return self.of_table(key) if not table and key in self.tables else self.of_table(table)


def locate(text: str) -> Lines:
    """Scan TOML text for table headers and keys."""
    lines = Lines()
    table, step = "", -1
    in_string: str | None = None
    # Only "\n" ends a line, as in TOML: splitlines() would also split at U+2028 and U+2029 inside a
    # string and shift every line number after it.
    for number, raw in enumerate(text.split("\n"), start=1):
        if in_string is not None:
            if raw.count(in_string) % 2 == 1:
                in_string = None
            continue
        header = _HEADER.match(raw)
        if header:
            table = header.group(2).replace(" ", "").replace('"', "")
            if header.group(1) == "[[" and table == "steps":
                lines.steps.append(number)
                step = len(lines.steps) - 1
            if not table.startswith("steps"):
                step = -1
            lines.tables.setdefault(table, number)
            continue
        key = _KEY.match(raw)
        if key:
            lines.keys.setdefault((table, step, key.group(1).strip("\"'")), number)
        for quote in ('"""', "'''"):
            if raw.count(quote) % 2 == 1:
                in_string = quote
                break
    return lines


class Located:
    """The lines of `text`, scanned when first asked for; the steps' alone, cheaply, where that is exact."""

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def lines(self) -> Lines:
        return locate(self.text)

    @cached_property
    def steps(self) -> list[int]:
        if '"""' in self.text or "'''" in self.text:  # a header-like line inside a string is no header
            return self.lines.steps
        found, line, position = [], 1, 0
        for header in _STEP_HEADER.finditer(self.text):
            line += self.text.count("\n", position, header.start())
            position = header.start()
            found.append(line)
        return found

    @property
    def last(self) -> int:
        """The file's last line (1 for an empty file): where a missing part is to be added."""
        return max(1, self.text.count("\n") + (0 if self.text.endswith("\n") else 1))

    def of_table(self, table: str) -> int | None:
        return self.lines.of_table(table)

    def of_step(self, index: int) -> int | None:
        return self.steps[index] if 0 <= index < len(self.steps) else None

    def of_key(self, table: str, key: str, step: int = -1) -> int | None:
        return self.lines.of_key(table, key, step)
