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

import operator
import re
import sys
from collections.abc import Callable
from typing import Any

from coach.program.text import escape

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

MAX_NESTING = 10  # parts of one dotted key, or lists and tables inside one another
MAX_TABLES = 2_000  # [table] and [[steps]] headers: 500 steps, each with [steps.progress], need 1,000
_HEADER = re.compile(r"^[ \t]*\[", re.MULTILINE)
MAX_VALUES = 20_000  # keys given a value; a program of 500 full steps needs about 10,000. tomllib takes ~50 µs each
_HINT_LENGTH = 200
NEW_STEP_HINT = " (if a new step starts here, put a [[steps]] line before it)"  # a program's; not a config file's

_POSITION = re.compile(r"\s*\((?:at line (\d+), column (\d+)|at end of document)\)$")
# Strings and comments, as TOML reads them; an unclosed string does not match and is left for tomllib.
# Multi-line strings are the capture group: they are blanked one by one, keeping their newlines; the rest
# (single-line strings and comments, the many) are dropped without a Python call per string, so the scan
# stays fast on a file of a million short strings. Possessive repeats (Python 3.11) make a string that
# never closes cost one pass, not a pass and a backtrack. Each string is a run of plain characters between
# its escapes (or lone quotes), not a choice made at every character: that took four times as long.
_ONCE = "*+" if sys.version_info >= (3, 11) else "*"
_MULTILINE = (
    rf'"""[^"\\]{_ONCE}(?:(?:\\.|"(?!""))[^"\\]{_ONCE}){_ONCE}"""(?:"{{1,2}})?'
    rf"|'''[^']{_ONCE}(?:'(?!'')[^']{_ONCE}){_ONCE}'''(?:'{{1,2}})?"
)
_ONE_LINE = rf'"[^"\\\n]{_ONCE}(?:\\.[^"\\\n]{_ONCE}){_ONCE}"' r"|'[^'\n]*'" r"|#[^\n]*"
_TEXT = re.compile(rf"({_MULTILINE})|{_ONE_LINE}", re.DOTALL)
_ONE_LINE_TEXT = re.compile(_ONE_LINE, re.DOTALL)  # where no multi-line string can be: one pass, nothing kept
_MULTILINE_TEXT = re.compile(_MULTILINE, re.DOTALL)
_KEEP_MULTILINE = operator.methodcaller("group", 1)  # a C-level callable: None (the string dropped) for the rest
_NEUTRAL = str.maketrans(dict.fromkeys("[]{}.=,\"'#", "x"))  # newlines kept: line numbers hold
_DOTTED = re.compile(rf"(?:\.[^.=,\[\]{{}}\n]*){{{MAX_NESTING}}}")  # MAX_NESTING dots: one part too many
_INNERMOST = re.compile(r"\[[^\[\]{}]*\]|\{[^\[\]{}]*\}")
_NOT_BRACKETS = re.compile(r"[^\[\]{}]+")
_OPENERS = re.compile(rf"(?:[\[{{][^\]}}]*){{{MAX_NESTING + 1}}}")  # opened, never closed
_KEY_VALUE = re.compile(r"([^=#]*)=(.*)")  # greedy and anchored: linear on any line; stripped after
_LIST_OPENS = re.compile(r"\s*([A-Za-z0-9_.-]+)\s*=\s*\[")  # the line a list begins on, and its key
_LONE_CR = re.compile(r"\r(?!\n|$)")  # a carriage return that ends no CRLF line
LONE_CR_HINT = (
    "a line ends with a carriage return alone (CR), as old Mac files end them; save the file with"
    " Unix (LF) or Windows (CRLF) line endings"
)
_CURLY = "\u201c\u201d\u2018\u2019\u201e\u00ab\u00bb"


class TomlProblem(Exception):
    """Text that is not TOML a coach can read: `line` (when known) and a one-line reason."""

    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line


def parse_toml(text: str) -> dict[str, Any]:
    """The TOML document in `text`, or `TomlProblem` saying what is wrong and where."""
    structure = _structure(text)
    too_deep = nesting_problem(structure) or _size_problem(structure)
    if too_deep is not None:
        raise TomlProblem(*too_deep)
    try:
        document: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise TomlProblem(*explain(text, str(error), structure)) from None
    except RecursionError:  # the scan above should make this unreachable; kept as the last guard
        raise TomlProblem(None, "values are nested too deeply") from None
    return document


def nesting_problem(structure: str) -> tuple[int, str] | None:
    """(line, reason) where keys or values nest deeper than `MAX_NESTING`; None for a sane file.

    `structure` is the file's text as `_structure` leaves it, with the same lines.

    A few passes of C-speed regular expressions over the file, whatever it holds: with strings and
    comments gone (dots and brackets inside text never count), a run of dotted parts is looked for,
    then innermost bracket pairs are blanked, one level per pass, at most `MAX_NESTING` passes.
    """
    dotted = _DOTTED.search(structure)
    if dotted is not None:
        return _line(structure, dotted.start()), (
            f"nested too deeply: a key of more than {MAX_NESTING} dotted parts"
            " (a program's longest is progress.hold.to)"
        )
    if not _too_deep(_NOT_BRACKETS.sub("", structure)):
        return None  # the common case, decided on the brackets alone: only a problem needs its line
    return _where_too_deep(structure)


def _where_too_deep(structure: str) -> tuple[int, str] | None:
    """(line, reason) where lists or tables nest deeper than `MAX_NESTING`, the pairs blanked in place."""
    deep = (
        f"nested too deeply: lists or tables more than {MAX_NESTING} levels inside one another"
        " (a program needs at most 4)"
    )
    structure, still = _unnested(structure, _blank)
    if still is not None:
        return _line(structure, still.start()), deep
    unclosed = _OPENERS.search(structure)  # tomllib would recurse into these before it finds them unclosed
    return (_line(structure, unclosed.start()), deep) if unclosed is not None else None


def _unnested(structure: str, blank: str | Callable[[re.Match[str]], str]) -> tuple[str, re.Match[str] | None]:
    """`structure` with its innermost bracket pairs blanked, one level per pass, and a pair still nested
    deeper than `MAX_NESTING`, if any."""
    for _ in range(MAX_NESTING):
        structure, blanked = _INNERMOST.subn(blank, structure)
        if not blanked:
            return structure, None
    return structure, _INNERMOST.search(structure)


def _too_deep(brackets: str) -> bool:
    """Whether brackets alone (a structure's, nothing else) nest deeper than `MAX_NESTING`."""
    rest, still = _unnested(brackets, "")
    return still is not None or _OPENERS.search(rest) is not None


def _size_problem(structure: str) -> tuple[int, str] | None:
    """(line, reason) when the file gives more values than any program could need: refused before tomllib,
    whose time grows with them (40,000 dotted keys took 2 s to parse, before a word of validation)."""
    if structure.count("=") > MAX_VALUES:
        position = -1
        for _ in range(MAX_VALUES + 1):
            position = structure.index("=", position + 1)
        return _line(structure, position), (
            f"too many values: more than {MAX_VALUES:,} keys are given one (a program of 500 steps needs about 10,000)"
        )
    headers = _HEADER.finditer(structure)
    for count, header in enumerate(headers, start=1):
        if count > MAX_TABLES:
            return _line(structure, header.start()), (
                f"too many tables: more than {MAX_TABLES:,} [headers] (a program of 500 steps needs at most 1,000)"
            )
    return None


def _structure(text: str) -> str:
    """`text` without its strings and comments, on the same lines: what TOML's brackets, dots and keys are."""
    if '"""' not in text and "'''" not in text:
        return _ONE_LINE_TEXT.sub("", text)
    return _MULTILINE_TEXT.sub(lambda found: found.group().translate(_NEUTRAL), _TEXT.sub(_KEEP_MULTILINE, text))


def _blank(found: re.Match[str]) -> str:
    return " " * (found.end() - found.start())


def _line(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def explain(text: str, error: str, structure: str) -> tuple[int | None, str]:
    """(line, what is likely wrong) for tomllib's error message about `text` (`structure`: see `_structure`)."""
    position = _POSITION.search(error)
    detail = error[: position.start()] if position else error
    lines = text.split("\n")
    if position and position.group(1):
        line, column = int(position.group(1)), int(position.group(2))
    else:  # "at end of document": an unclosed string or list; its opening line is the useful one
        line, column = _unclosed_line(structure) or len(lines), 0
    above = next((number for number in range(line - 1, 0, -1) if lines[number - 1].strip()), 0)
    if column == 1 and above and (detail == "Unclosed array" or lines[above - 1].rstrip().endswith((",", "["))):
        # The next key came while a list was still open: the mistake is the list's, on the line above. Told with
        # its own key: a caregiver's open `safety = [` was told "like sides = […]".
        opened = next(
            (found for number in range(above, 0, -1) if (found := _LIST_OPENS.match(lines[number - 1]))), None
        )
        key = opened.group(1) if opened else "sides"
        items = '"right leg", "left leg"' if key == "sides" else '"…", "…"'
        return above, f'this list is not closed: end it with "]", like {key} = [{items}]'
    source = lines[line - 1] if 0 < line <= len(lines) else ""
    if _LONE_CR.search(source):  # a walk's old-Mac file was told its whole text "must be in quotes"
        return line, LONE_CR_HINT
    hint = _hint(detail, source)
    if hint is not None and hint.endswith(NEW_STEP_HINT) and not _in_a_step(lines, line):
        hint = hint.removesuffix(NEW_STEP_HINT)  # a title given twice in [program] is not a step begun
    if hint is None:
        where = f" (column {column})" if column else ""
        hint = detail[:1].lower() + detail[1:] + where
    # The hint quotes the file's own text: escaped, as all program text in a message, and kept to one short line.
    return line, escape(hint if len(hint) <= _HINT_LENGTH else hint[: _HINT_LENGTH - 1] + "…")


def _in_a_step(lines: list[str], line: int) -> bool:
    """Whether `line` is under a [[steps]] header (the last header above it), where a key given twice may be a
    new step's."""
    header = next((lines[at].strip() for at in range(line - 2, -1, -1) if lines[at].lstrip().startswith("[")), "")
    return header.replace(" ", "").startswith("[[steps]]")


def _hint(detail: str, source: str) -> str | None:
    pair = _KEY_VALUE.match(source)
    key, value = (pair.group(1).strip(), _without_comment(pair.group(2).strip())) if pair else ("", "")
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
        return f"{name} is given twice in the same table; keep one{NEW_STEP_HINT}"
    if detail.startswith("Cannot declare") and "twice" in detail:
        return f"the table {source.strip()} is given twice; keep one and put all its keys under it"
    if detail == "Expected ']]' at the end of an array declaration":
        return "a step starts with [[steps]], two brackets on each side"
    if detail == "Expected ']' at the end of a table declaration":
        return 'a table name ends with "]", like [program]'
    if detail.startswith("Unescaped '\\'"):
        shown = f"{key} = '{value.strip(chr(34))}'" if value.startswith('"') else "'C:\\notes'"
        return f'a backslash in "…" starts an escape: write \\\\ for one, or use single quotes: {shown}'
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
    import difflib  # here: only a file with a mistake needs it

    # `plain = tru` was told to put it in quotes, and then that "tru" is not true or false (a caregiver's walk).
    if near := difflib.get_close_matches(value.lower(), ["true", "false"], n=1, cutoff=0.75):
        return f"write true or false: {key} = {near[0]}"
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


def _unclosed_line(structure: str) -> int | None:
    """The line where a string opened that never closed, for errors tomllib places at the end."""
    quote = re.search("[\"']", structure)  # a string that closed is gone from the structure
    return _line(structure, quote.start()) if quote is not None else None
