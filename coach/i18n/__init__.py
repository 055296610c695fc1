"""The coach's own words in the person's language: gettext catalogs, the form translators' tools know.

Every sentence the coach says or shows by itself has its English text in the
code (the phrase table, the key table, `_()` around the rest) and its
translations in `locale/<language>/LC_MESSAGES/coach.po`, compiled to `.mo`
when the package is built (`hatch_build.py`, with Babel) and read here with
the standard library's `gettext`. A session speaks its program's `language`;
what is shown outside a session follows `language` in the config file, else
the locale (`LANGUAGE`, `LC_ALL`, `LC_MESSAGES`, `LANG`), as gettext does.
"""

from __future__ import annotations

import gettext
import os
import unicodedata
from collections.abc import Mapping
from functools import cache

DOMAIN = "coach"
LOCALE_DIR = os.path.join(os.path.dirname(__file__), "locale")  # a string: see coach.folders
# The languages the coach speaks, by their own names (for `coach list` and the picker).
LANGUAGES: Mapping[str, str] = {"en": "English", "es": "Español", "fr": "Français", "zh": "中文"}
ENGLISH = gettext.NullTranslations()


def base(tag: str) -> str:
    """The language of a tag or locale name: "es" for "es-MX", "es_MX.UTF-8" and "es@euro"; "" for "C"."""
    code = tag.split(".")[0].split("@")[0].replace("_", "-").split("-")[0].lower()
    return "" if code in {"c", "posix"} else code


def named(tag: str) -> str:
    """A language by its own name ("Español"), or its tag where the coach has no words for it."""
    return LANGUAGES.get(base(tag), tag)


@cache
def translation(language: str) -> gettext.NullTranslations:
    """The catalog for `language` (a tag like "es-MX"); English, the source language, for any other."""
    code = base(language)
    if code == "en" or code not in LANGUAGES:
        return ENGLISH
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[code], fallback=True)


def interface_language(configured: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The language of what is shown outside a session: the config file's `language`, else the locale."""
    if configured:
        return configured
    environ = os.environ if environ is None else environ
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        for tag in environ.get(name, "").split(":"):
            code = base(tag)
            if code:
                return code
            if tag:  # "C" or "POSIX": plain English, whatever LANG says
                return "en"
    return "en"


def folded(word: str) -> str:
    """A typed word as it is compared: lower case, without accents ("Zéro", "zero"; "qī", "qi"), full-width
    digits as digits ("７"), and a typographic apostrophe as the typed one ("j’ai mal", "j'ai mal")."""
    decomposed = unicodedata.normalize("NFKD", word.strip().casefold().replace("’", "'").replace("‘", "'"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def cells(text: str) -> int:
    """Columns `text` takes in a terminal: two for a wide (East Asian) character, none for a combining mark."""
    if text.isascii():  # most of what is padded: `coach history` pads five cells on each of thousands of lines
        return len(text)
    return sum(
        0 if unicodedata.combining(char) else 2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text
    )


def pad(text: str, width: int, *, right: bool = False) -> str:
    """`text` padded with spaces to `width` terminal columns (to the left when `right`), as `:<` pads letters."""
    spaces = " " * max(0, width - cells(text))
    return spaces + text if right else text + spaces


def N_(message: str) -> str:
    """Mark `message` for the catalog where it is written; it is translated where it is shown."""
    return message


_interface = ["en"]  # what is shown outside a session; the command line sets it once, before anything is shown


def use_interface(language: str) -> None:
    _interface[0] = language


def interface() -> gettext.NullTranslations:
    """The catalog of what is shown outside a session: lists, history, reports."""
    return translation(_interface[0])


def interface_code() -> str:
    """The interface's language as a tag ("en", "es")."""
    return base(_interface[0]) or "en"


def list_separator() -> str:
    """Between the items of a list, in the interface's language: "、" in Chinese."""
    return interface().pgettext("list separator", ", ")


def decimal(value: float, spec: str = "g") -> str:
    """`value` as the interface's language writes it: "3.7", or "3,7" with a decimal comma (a walk read "3.7 de
    10")."""
    return format(value, spec).replace(".", interface().pgettext("decimal separator", "."))
