"""Keep the translation catalogs in step with the code, with Babel.

    python tools/catalogs.py extract   # write coach/i18n/locale/coach.pot from the code
    python tools/catalogs.py update    # merge it into every language's coach.po (new messages come empty)
    python tools/catalogs.py compile   # write the .mo files beside them (the build does this too)

The template holds every sentence the coach says or shows by itself: the
phrase table (each key its msgctxt), every `gettext`, `ngettext`, `pgettext`
and `N_` call with a literal in the `coach` package, and the command words and
number words a person may type in their language (contexts "command word" and
"number word": a comma-separated list of the ways to write it).
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "coach" / "i18n" / "locale"
TEMPLATE = LOCALE / "coach.pot"
WORD_CONTEXTS = {
    "command word": "A word a person types to do this (or says, where listening exists).",
    "number word": "A pain answer in words; digits always work too.",
}


def template() -> Catalog:
    """Every message of the code, as a template."""
    sys.path.insert(0, str(ROOT))
    from coach.timeline.phrases import ENGLISH, Plural
    from coach.views.controls import NUMBERS, TYPED

    catalog = Catalog(project="coach", domain="coach", charset="utf-8", fuzzy=False)
    for key, english in ENGLISH.items():
        where = [("coach/timeline/phrases.py", 0)]
        if isinstance(english, Plural):
            catalog.add((english.one, english.many), context=key, locations=where)
        else:
            catalog.add(english, context=key, locations=where)
    package = ROOT / "coach"
    for filename, lineno, message, comments, context in extract_from_dir(
        package, method_map=[("**.py", "python")], keywords=DEFAULT_KEYWORDS, comment_tags=("TRANSLATORS:",)
    ):
        catalog.add(message, locations=[(f"coach/{filename}", lineno)], auto_comments=comments, context=context)
    for context, english_words in (("command word", TYPED), ("number word", NUMBERS)):
        for word in english_words:
            catalog.add(word, context=context, auto_comments=[WORD_CONTEXTS[context]])
    return catalog


def catalogs() -> list[Path]:
    return sorted(LOCALE.glob("*/LC_MESSAGES/coach.po"))


def compile_all(locale: Path = LOCALE) -> list[Path]:
    """Compile every language's .po to its .mo; returns the .mo files."""
    made = []
    for po in sorted(locale.glob("*/LC_MESSAGES/coach.po")):
        with po.open("rb") as source:
            catalog = read_po(source, locale=po.parent.parent.name)
        mo = po.with_suffix(".mo")
        with mo.open("wb") as target:
            write_mo(target, catalog)
        made.append(mo)
    return made


def main(command: str) -> None:
    if command == "extract":
        with TEMPLATE.open("wb") as out:
            write_po(out, template(), omit_header=False, sort_output=False, width=110)
    elif command == "update":
        fresh = template()
        for po in catalogs():
            with po.open("rb") as source:
                catalog = read_po(source, locale=po.parent.parent.name)
            catalog.update(fresh, no_fuzzy_matching=True)
            with po.open("wb") as out:
                write_po(out, catalog, width=110, ignore_obsolete=True)
    elif command == "compile":
        for mo in compile_all():
            print(mo.relative_to(ROOT))
    else:
        raise SystemExit(f"expected extract, update or compile, got {command!r}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "")
