"""TOML from a stranger, parsed safely and explained in a caregiver's words.

Two jobs around `tomllib`:

- Before it: a cheap scan refuses pathological nesting. tomllib's cost grows
  with the square of a dotted key's length (20,000 parts in 40 KB took 56 s
  and 2.4 GB) and deeply nested lists or inline tables end in a
  RecursionError. No program needs more than 4 levels, so more than
  `MAX_NESTING` is refused at once, whatever the file's size.
- After it: a syntax error becomes what is likely wrong, on its line:
  `title = Chin tucks` → text must be in quotes, like title = "Chin tucks".
  Where no rule fits, the parser's own words are kept.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

MAX_NESTING = 10  # parts of one dotted key, or lists and tables inside one another

_POSITION = re.compile(r"\s*\((?:at line (\d+), column (\d+)|at end of document)\)$")
_SPECIAL = re.compile(r"\"\"\"|'''|[\"'#\[\]{}.=,\n]")
_BASIC_REST = re.compile(r'(?:[^"\\\n]|\\.)*"')
_LITERAL_REST = re.compile(r"[^'\n]*'")
_MULTI_BASIC_END = re.compile(r'(?:[^"\\]|\\.|"(?!""))*""""{0,2}', re.DOTALL)
_MULTI_LITERAL_END = re.compile(r"(?:[^']|'(?!''))*''''{0,2}", re.DOTALL)
_STRING_ENDS = {'"': _BASIC_REST, "'": _LITERAL_REST, '"""': _MULTI_BASIC_END, "'''": _MULTI_LITERAL_END}
_KEY_VALUE = re.compile(r"^\s*([^=#]*?)\s*=\s*(.*?)\s*$")
_CURLY = "\u201c\u201d\u2018\u2019\u201e\u00ab\u00bb"


class TomlProblem(Exception):
    """Text that is not TOML a coach can read: `line` (when known) and a one-line reason."""

    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line


def parse_toml(text: str) -> dict[str, Any]:
    """The TOML document in `text`, or `TomlProblem` saying what is wrong and where."""
    too_deep = nesting_problem(text)
    if too_deep is not None:
        raise TomlProblem(*too_deep)
    try:
        document: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise TomlProblem(*explain(text, str(error))) from None
    except RecursionError:  # the scan above should make this unreachable; kept as the last guard
        raise TomlProblem(None, "values are nested too deeply") from None
    return document


def nesting_problem(text: str) -> tuple[int, str] | None:
    """(line, reason) where keys or values nest deeper than `MAX_NESTING`; None for a sane file.

    Linear in the file's length, and stops at the first excess.
    """
    depth, dots = 0, 0
    for token, line in _tokens(text):
        if token in "[{":
            depth, dots = depth + 1, 0
            if depth > MAX_NESTING:
                return line, (
                    f"nested too deeply: lists or tables more than {MAX_NESTING} levels inside one another "
                    "(a program needs at most 4)"
                )
        elif token in "]}":
            depth, dots = max(0, depth - 1), 0
        elif token == ".":
            dots += 1
            if dots >= MAX_NESTING:
                return line, (
                    f"nested too deeply: a key of more than {MAX_NESTING} dotted parts "
                    "(a program's longest is progress.hold.to)"
                )
        else:  # "=", "," or the end of a line
            dots = 0
    return None


def _tokens(text: str) -> Iterator[tuple[str, int]]:
    """The characters that shape TOML (brackets, dots, "=", ",", newlines), each with its line, outside
    strings and comments, which are skipped as TOML reads them; "unclosed" for a string that never closes."""
    line, at = 1, 0
    while True:
        found = _SPECIAL.search(text, at)
        if found is None:
            return
        token, at = found.group(), found.end()
        if token == "#":
            end = text.find("\n", at)
            at = len(text) if end < 0 else end
        elif token in _STRING_ENDS:
            closed = _STRING_ENDS[token].match(text, at)
            if closed is None:
                yield "unclosed", line
                end = text.find("\n", at)  # tomllib will say what is wrong; go on from the next line
                at = len(text) if end < 0 else end
            else:
                line += text.count("\n", at, closed.end())
                at = closed.end()
        else:
            yield token, line
            line += token == "\n"


def explain(text: str, error: str) -> tuple[int | None, str]:
    """(line, what is likely wrong) for tomllib's error message about `text`."""
    position = _POSITION.search(error)
    detail = error[: position.start()] if position else error
    lines = text.split("\n")
    if position and position.group(1):
        line, column = int(position.group(1)), int(position.group(2))
    else:  # "at end of document": an unclosed string or list; its opening line is the useful one
        line, column = _unclosed_line(text) or len(lines), 0
    source = lines[line - 1] if 0 < line <= len(lines) else ""
    hint = _hint(detail, source, column)
    if hint is None:
        where = f" (column {column})" if column else ""
        hint = detail[:1].lower() + detail[1:] + where
    return line, hint


def _hint(detail: str, source: str, column: int) -> str | None:
    pair = _KEY_VALUE.match(source)
    key, value = (pair.group(1), _without_comment(pair.group(2))) if pair else ("", "")
    if detail in {"Invalid value", "Expected newline or end of document after a statement"} and pair:
        return _value_hint(detail, key, value)
    if detail.startswith(("Illegal character '\\n'", "Unterminated string", "Expected \"'", "Expected '\"'")):
        quote = "'" if value.startswith("'") else '"'
        return f"the closing quote is missing: {key or 'title'} = {quote}{value.strip(quote) or '…'}{quote}"
    if detail == "Expected '=' after a key in a key/value pair":
        return _equals_hint(source)
    if detail == "Unclosed array":
        if re.search(r"[\"'0-9]\s+[\"'0-9]", source):
            return 'a comma is missing between the items of a list, like ["right leg", "left leg"]'
        return 'a list must end with "]" and have commas between its items, like ["right leg", "left leg"]'
    if detail == "Unclosed inline table":
        return 'a { … } table stays on one line, with commas between its items, like { to = "60s", by = "5s" }'
    if detail == "Cannot overwrite a value":
        name = key.strip().strip("\"'")
        return (
            f"{name} is given twice in the same table; keep one"
            " (if a new step starts here, put a [[steps]] line before it)"
        )
    if detail.startswith("Cannot declare") and "twice" in detail:
        return f"the table {source.strip()} is given twice; keep one and put all its keys under it"
    if detail == "Expected ']]' at the end of an array declaration":
        return "a step starts with [[steps]], two brackets on each side"
    if detail == "Expected ']' at the end of a table declaration":
        return 'a table name ends with "]", like [program]'
    if detail.startswith("Unescaped '\\'"):
        return r'a backslash in "…" starts an escape: write \\ for one, or use single quotes: \'C:\notes\''
    if detail in {"Invalid statement", "Invalid initial character for a key part"}:
        return "each line is key = value, a [table] or [[steps]] line, or a # comment"
    return None


def _value_hint(detail: str, key: str, value: str) -> str:
    if not value:
        return f"a value is missing after {key} ="
    if value[0] in _CURLY:
        inner = value.strip(_CURLY + " ")
        return f'use straight quotes, not curly ones from a word processor: {key} = "{inner}"'
    if value.lower() in {"true", "false", "yes", "no", "on", "off"}:
        meant = "true" if value.lower() in {"true", "yes", "on"} else "false"
        return f"write true or false, in small letters: {key} = {meant}"
    if value[0] == "'" and detail.startswith("Expected newline") and value.count("'") > 2:
        return f'an apostrophe ends text in single quotes: use double quotes, {key} = "{value[1:-1]}"'
    if value[0] in "\"'":
        return "one value per line: put all the text inside one pair of quotes, or start a # comment"
    if value[0] == "[" and detail.startswith("Invalid value"):
        return 'text in a list must be in quotes too, like ["right leg", "left leg"]'
    return f'text must be in quotes: {key} = "{value}"'


def _equals_hint(source: str) -> str:
    head = source.strip()
    key = re.match(r"[A-Za-z0-9_-]*", head)
    name = key.group() if key else ""
    after = head[len(name) :].lstrip()
    if after.startswith(":"):
        return f'use "=" between a key and its value, not ":": {name} = {after[1:].strip()}'
    if re.match(r"[A-Za-z0-9_-]+\s*=", after):
        joined = name + "_" + re.match(r"[A-Za-z0-9_-]+", after).group()  # type: ignore[union-attr]
        return f"a key is one word: join words with _, like {joined}"
    if after:
        return f'"=" is missing between {name or "the key"} and its value: {name} = {after}'
    return f'"=" and a value are missing after {name or "the key"}'


def _without_comment(value: str) -> str:
    """A value with a trailing `# comment` taken off, when the # is outside quotes (roughly)."""
    if "#" not in value or value[:1] in "\"'":
        return value
    return value.split("#", 1)[0].rstrip()


def _unclosed_line(text: str) -> int | None:
    """The line where a string opened that never closed, for errors tomllib places at the end."""
    return next((line for token, line in _tokens(text) if token == "unclosed"), None)
