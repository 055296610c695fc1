"""`coach schema`: the JSON Schema editors check program files with, against the loader's own verdicts."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from coach.program import ProgramError, load_program
from coach.program.catalog import bundled
from tests.conftest import PROGRAMS, ROOT, run_coach

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

GOOD = sorted((PROGRAMS / "good").glob("*.toml")) + sorted(bundled().values())
BAD = sorted((PROGRAMS / "bad").glob("*.toml"))
# What only the loader can tell: not TOML at all, or a rule across fields or beyond a pattern's reach.
LOADER_ONLY = {
    "not-utf8.toml": "not UTF-8, so there is no document to check",
    "toml-syntax.toml": "not TOML, so there is no document to check",
    "toml-unquoted.toml": "not TOML, so there is no document to check",
    "title-twice-in-program.toml": "not TOML (a key given twice), so there is no document to check",
    "duration-over-4h.toml": '"4h1s" has the form of a duration; only its value is too long',
    "progress-below-start.toml": "a raise aiming below the step's own hold compares two fields",
    "pace-too-short.toml": "whether a pace can fit its counts depends on how long the counts take to say",
    "session-too-long.toml": "the session's length multiplies fields",
    "session-too-many-sentences.toml": "the session's sentences multiply fields",
}


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    result = run_coach("schema")
    assert result.returncode == 0, result.stderr
    schema = json.loads(result.stdout)
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def document(path: Path) -> Any:
    return tomllib.loads(path.read_bytes().decode("utf-8-sig"))


@pytest.mark.parametrize("path", GOOD, ids=lambda path: path.name)
def test_every_good_and_bundled_program_passes(validator: jsonschema.protocols.Validator, path: Path) -> None:
    load_program(path)
    assert [error.message for error in validator.iter_errors(document(path))] == []


@pytest.mark.parametrize("path", BAD, ids=lambda path: path.name)
def test_the_bad_examples_the_loader_rejects_are_rejected(
    validator: jsonschema.protocols.Validator, path: Path
) -> None:
    with pytest.raises(ProgramError):
        load_program(path)
    if path.name in LOADER_ONLY:
        if "not TOML" not in LOADER_ONLY[path.name] and "not UTF-8" not in LOADER_ONLY[path.name]:
            assert validator.is_valid(document(path)), "the schema now catches this: take it off LOADER_ONLY"
        return
    assert not validator.is_valid(document(path))


@pytest.mark.parametrize(
    ("change", "valid"),
    [
        ({}, True),
        ({"hold": "1m30s"}, True),
        ({"hold": 0}, False),
        ({"hold": "0s"}, False),
        ({"hold": "ten seconds"}, False),
        ({"hold": "10 seconds"}, True),  # durations as people write them (issue 13.13)
        ({"hold": "1 minute 30 seconds"}, True),
        ({"hold": "1 minute, 30 seconds"}, True),
        ({"hold": "1.5 minutes"}, True),
        ({"hold": "5 Min"}, True),
        ({"hold": "2 mins"}, True),
        ({"hold": "30 sec"}, True),
        ({"hold": "0.25 hours"}, True),
        ({"hold": "1.5 seconds"}, False),  # not whole seconds
        ({"hold": "1.33 minutes"}, False),
        ({"hold": "20-30 seconds"}, False),
        ({"hold": "30 seconds 1 minute"}, False),
        ({"hold": "0 minutes"}, False),
        ({"hold": "90"}, False),
        ({"title": "\u200b\u200d"}, False),  # nothing visible (issue 15.15)
        ({"title": "A\u2028B"}, False),
        ({"sides": ["right", "\ufeff"]}, False),
        ({"duration": "5m"}, False),  # a timed step's field on a hold step
        ({"title": "Bridge\u202e"}, False),  # a bidirectional override
        ({"title": "Bridge\x1b[2J"}, False),
        ({"say": "Line one.\nLine two."}, True),
        ({"title": "   "}, False),
        ({"progress": {"hold": {"to": "60s", "by": "5s"}, "every": 2}}, True),
        ({"progress": {"hodl": {"to": "60s", "by": "5s"}}}, False),
        ({"kind": "reps", "reps": 5, "hold": None, "progress": {"hold": {"to": "20s", "by": "5s"}}}, False),
    ],
)
def test_a_step_is_judged_as_the_loader_judges_it(
    validator: jsonschema.protocols.Validator, tmp_path: Path, change: dict[str, Any], valid: bool
) -> None:
    step: dict[str, Any] = {"kind": "hold", "title": "Bridge", "hold": "10s"}
    step.update(change)
    step = {key: value for key, value in step.items() if value is not None}
    doc = {"format": 1, "program": {"title": "T"}, "steps": [step]}
    assert validator.is_valid(doc) is valid
    path = tmp_path / "step.toml"
    path.write_text(_toml(doc))
    try:
        load_program(path)
        loaded = True
    except ProgramError:
        loaded = False
    assert loaded is valid


def _toml(doc: dict[str, Any]) -> str:
    def value(item: Any) -> str:
        if isinstance(item, dict):
            return "{ " + ", ".join(f"{key} = {value(part)}" for key, part in item.items()) + " }"
        return json.dumps(item)  # a JSON string or number is a TOML basic string or integer

    step = "\n".join(f"{key} = {value(item)}" for key, item in doc["steps"][0].items())
    return f'format = 1\n[program]\ntitle = "T"\n[[steps]]\n{step}\n'


def test_a_field_from_defaults_need_not_be_repeated(validator: jsonschema.protocols.Validator) -> None:
    doc = {
        "format": 1,
        "program": {"title": "T"},
        "defaults": {"kind": "hold", "hold": "10s"},
        "steps": [{"title": "A"}, {"title": "B"}],
    }
    assert validator.is_valid(doc)
    doc["defaults"] = {"hold": "10s"}
    doc["steps"] = [{"title": "A", "kind": "hold"}]
    assert validator.is_valid(doc)
    del doc["defaults"]
    assert not validator.is_valid(doc)


def test_the_reference_page_shows_editors_where_the_schema_is() -> None:
    page = (ROOT / "docs" / "program-format.md").read_text()
    assert "coach schema > coach-program.schema.json" in page
    assert "#:schema ./coach-program.schema.json" in page


SHIPPED = ROOT / "programs" / "coach-program.schema.json"


def test_the_schema_file_shipped_with_the_programs_is_what_coach_schema_prints() -> None:
    """Issue 13.18: the bundled programs name a schema file; it exists, and it is today's schema."""
    printed = run_coach("schema")
    assert printed.returncode == 0
    assert json.loads(SHIPPED.read_text()) == json.loads(printed.stdout), (
        "the schema changed: run `coach schema > programs/coach-program.schema.json`"
    )


@pytest.mark.parametrize("path", sorted(bundled().values()), ids=lambda path: path.name)
def test_a_schema_a_bundled_program_names_is_a_file_that_exists(path: Path) -> None:
    first = path.read_text().splitlines()[0]
    if not first.startswith("#:schema "):
        return  # naming one is optional (the demo does not)
    named = (path.parent / first.removeprefix("#:schema ").strip()).resolve()
    assert named == SHIPPED.resolve() and named.is_file()
    validator = jsonschema.Draft7Validator(json.loads(named.read_text()))
    assert [error.message for error in validator.iter_errors(document(path))] == []
