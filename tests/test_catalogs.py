"""The translations are complete and true to the English: every message of the code in every catalog, its
placeholders and plural forms matching, the compiled catalogs what the `.po` files say, and each language's
typed words meaning one thing each."""

from __future__ import annotations

import re
import sys
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import read_mo
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from coach.i18n import LANGUAGES, LOCALE_DIR, translation
from coach.views.controls import typed_words
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
from catalogs import TEMPLATE, template

TRANSLATED = sorted(code for code in LANGUAGES if code != "en")
PLACEHOLDER = re.compile(r"\{(\w*)\}")


def read(code: str) -> Catalog:
    with (Path(LOCALE_DIR) / code / "LC_MESSAGES" / "coach.po").open("rb") as source:
        return read_po(source, locale=code)


def keyed(catalog: Catalog) -> dict[tuple[str | None, str], Message]:
    return {(message.context, _first(message.id)): message for message in catalog if message.id}


def _first(text: str | tuple[str, ...] | list[str]) -> str:
    return text if isinstance(text, str) else text[0]


def _forms(message: Message) -> tuple[str, ...]:
    string = message.string
    return (string or "",) if string is None or isinstance(string, str) else tuple(string)


def names(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


@cache
def code_template() -> Catalog:
    return template()


def test_the_template_holds_every_message_of_the_code() -> None:
    """`python tools/catalogs.py extract` was run after the last change of the coach's own words."""
    with TEMPLATE.open("rb") as source:
        written = read_po(source)
    assert set(keyed(written)) == set(keyed(code_template())), "run: python tools/catalogs.py extract, then update"


def test_the_three_languages_are_there() -> None:
    assert TRANSLATED == ["es", "fr", "zh"]
    assert sorted(path.name for path in Path(LOCALE_DIR).iterdir() if path.is_dir()) == TRANSLATED


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_message_is_translated_with_the_same_placeholders(code: str) -> None:
    english, translated = keyed(code_template()), keyed(read(code))
    assert set(translated) == set(english), "missing or left over: python tools/catalogs.py update"
    wrong = {}
    for key, message in translated.items():
        assert not message.fuzzy, key
        if isinstance(message.id, (tuple, list)):
            forms = list(_forms(message))
            allowed = names(message.id[1]) | names(message.id[0])
            required = names(message.id[0]) & names(message.id[1])  # the count itself may be said in words
            bad = [form for form in forms if not form or not (required <= names(form) <= allowed)]
        else:
            [form] = _forms(message)
            bad = [form] if not form or names(form) != names(_first(message.id)) else []
        if bad:
            wrong[key] = bad
    assert wrong == {}


@pytest.mark.parametrize("code", TRANSLATED)
def test_plural_forms_are_the_languages_own(code: str) -> None:
    catalog = read(code)
    expected = get_plural(code)
    assert (catalog.num_plurals, catalog.plural_expr) == (expected.num_plurals, expected.plural_expr)
    for message in catalog:
        if isinstance(message.id, (tuple, list)):
            assert len(_forms(message)) == expected.num_plurals, message.id


@pytest.mark.parametrize("code", TRANSLATED)
def test_the_compiled_catalog_is_the_po_file(code: str) -> None:
    """The build compiled what is in git, and gettext reads it: a message changed since is not lost."""
    with (Path(LOCALE_DIR) / code / "LC_MESSAGES" / "coach.mo").open("rb") as source:
        compiled = keyed(read_mo(source))
    assert {key: _forms(message) for key, message in compiled.items()} == {
        key: _forms(message) for key, message in keyed(read(code)).items()
    }, "rebuild: pip install -e . (or python tools/catalogs.py compile)"
    assert translation(code).pgettext("stopped", "Session stopped.") != "Session stopped."


@pytest.mark.parametrize("code", TRANSLATED)
def test_each_catalog_says_who_may_review_it_and_how(code: str) -> None:
    header = read(code).header_comment
    assert "natively may review" in header and "Poedit or Weblate" in header and "tests/test_catalogs.py" in header


@pytest.mark.parametrize("code", [*TRANSLATED, "en"])
def test_each_typed_word_means_one_thing(code: str) -> None:
    """A word a person types stands for one command or one number, in their language and in English."""
    from coach.i18n import folded

    meanings: dict[str, set[str]] = {}
    catalog = translation(code)
    for context, english in [
        (m.context, m.id) for m in code_template() if m.context in {"command word", "number word"}
    ]:
        assert isinstance(english, str)
        for word in [english, *catalog.pgettext(context, english).split(",")]:
            if word.strip():
                meanings.setdefault(folded(word), set()).add(english)
    clashes = {word: meant for word, meant in meanings.items() if len(meant) > 1}
    assert clashes == {}
    assert set(typed_words(code)) == set(meanings)


def test_the_catalog_files_are_where_the_package_finds_them() -> None:
    assert Path(LOCALE_DIR) == ROOT / "coach" / "i18n" / "locale"


def test_french_puts_a_no_break_space_before_its_high_punctuation() -> None:
    """French writes "séance ?" and "Ensuite : …" with a space before ? ! : ; that a line must never break at:
    plain mode wrapped the stop question at 40 columns with its "?" alone at the start of a line."""
    breakable = [
        form for message in read("fr") if message.id for form in _forms(message) if re.search(r" [?!:;]", form)
    ]
    assert breakable == []
    assert translation("fr").pgettext("stop_question", "Stop the session? y / n").startswith("Arrêter la séance\u00a0?")
