"""Line numbers for TOML keys, which tomllib does not report.

A message that says "line 14" saves a caregiver from hunting through a long
file. This scanner reads the text once and remembers where each table header
and each `key =` line stands, per `[[steps]]` occurrence. It is deliberately
simple: a line it misreads only costs a less precise line number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
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
