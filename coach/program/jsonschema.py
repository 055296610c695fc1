"""The JSON Schema of format 1, for editors: Taplo (Even Better TOML) completes and checks with it.

Built from the same tables the loader walks (`schema.py`), so a key the
loader knows is a key the editor offers. The loader stays the judge: some
rules (a raise aiming below the step's start, a string duration over
4 hours, a `ready` step's "0s", a pace too short for its counts, the caps on
a whole session) are only checked by `coach validate`.
"""

from __future__ import annotations

from typing import Any

from coach.program import schema
from coach.program.durations import MAX_SECONDS, PATTERN
from coach.program.fields import MAX_COUNT, WEEKDAYS
from coach.program.model import Kind
from coach.program.text import INVISIBLE_BMP
from coach.program.validate import MAX_STEPS

SCHEMA_ID = "https://coach.invalid/schema/program-1.json"  # a name, not a place: `coach schema` prints it

# C0 and C1 controls, DEL and the bidirectional controls: as `coach.program.text` forbids them.
_OTHER_CONTROLS = "\\u007f-\\u009f\\u200e\\u200f\\u061c\\u202a-\\u202e\\u2066-\\u2069\\u2028\\u2029"
_PLAIN = "^[^\\u0000-\\u001f" + _OTHER_CONTROLS + "]*$"
_PLAIN_LINES = "^[^\\u0000-\\u0009\\u000b-\\u001f" + _OTHER_CONTROLS + "]*$"  # newline allowed
_NOT_ZERO = "[1-9]"
# Something a reader sees: not only spaces and zero-width characters (`coach.program.text.visible`).
_VISIBLE = "[^\\s" + "".join(char if char == "-" else f"\\u{ord(char):04x}" for char in INVISIBLE_BMP) + "]"


def _text(limit: int, description: str, *, required: bool = True, newline: bool = False) -> dict[str, Any]:
    checks: list[dict[str, Any]] = [{"pattern": _PLAIN_LINES if newline else _PLAIN}]
    if required:
        checks.append({"pattern": _VISIBLE})
    return {"type": "string", "maxLength": limit, "allOf": checks, "description": description}


def _texts(low: int, high: int, each: int, description: str) -> dict[str, Any]:
    return {
        "type": "array",
        "minItems": low,
        "maxItems": high,
        "items": _text(each, "one sentence"),
        "description": description,
    }


def _duration(description: str, *, allow_zero: bool = False) -> dict[str, Any]:
    return {
        "description": description
        + ' A whole number of seconds, or "45s", "1m30s", "20m", "1h", "5 minutes", "1 minute 30 seconds";'
        + " at most 4 hours.",
        "oneOf": [
            {"type": "integer", "minimum": 0 if allow_zero else 1, "maximum": MAX_SECONDS},
            {"type": "string", "allOf": [{"pattern": PATTERN}] + ([] if allow_zero else [{"pattern": _NOT_ZERO}])},
        ],
    }


def _count(description: str, low: int = 1, high: int = MAX_COUNT) -> dict[str, Any]:
    return {"type": "integer", "minimum": low, "maximum": high, "description": description}


def _raise(amount: dict[str, Any], example: str) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {"to": amount, "by": amount},
        "required": ["to", "by"],
        "additionalProperties": False,
        "description": f"Grow by `by` towards `to`, like {example}.",
    }


PROGRAM = {
    "title": _text(120, "The program's name, said first."),
    "summary": _text(500, "One or two sentences: what the program is for.", required=False, newline=True),
    "language": {
        "type": "string",
        "pattern": "^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$",
        "description": (
            'A language tag like "en" or "es-MX": the voice and the coach\'s own words (en, es, fr, zh; another'
            ' is coached in English). Default "en".'
        ),
    },
    "author": _text(120, "Who prescribed it."),
    "source": _text(500, "Where the exercises come from."),
    "safety": _texts(0, 20, 2000, "Shown and spoken before step 1, and again after a pain stop."),
    "check_in": {"type": "boolean", "description": 'Ask "pain now, 0 to 10?" before and after. Default true.'},
    "pain_stop": _count("A pain check-in at or above this ends the session.", 1, 10),
    "per_week": _count(
        "The prescription: sessions a week (or `days`, not both). coach history and coach report count against it.",
        1,
        schema.MAX_PER_WEEK,
    ),
    "days": {
        "type": "array",
        "minItems": 1,
        "maxItems": 7,
        "uniqueItems": True,
        "items": {"enum": list(WEEKDAYS)},
        "description": 'The prescription: the days of the week, like ["mon", "wed", "fri"] (or `per_week`).',
    },
}

STEP = {
    "kind": {"enum": [kind.value for kind in Kind], "description": "timed, ready, hold, reps or rest."},
    "title": _text(120, 'Said as "Step 2 of 6. Title."'),
    "say": _text(2000, "The instruction, said after the title.", required=False, newline=True),
    "cues": _texts(0, 50, 300, "Short sentences (breathing, form) said during the step where they fit."),
    "sides": _texts(1, 4, 120, 'Labels like ["right leg", "left leg"]: every repetition on one side, then the next.'),
    "duration": _duration("timed, rest: how long."),
    "remind": _duration("timed: seconds between time-left reminders (default: 15, 10, 5, 1 min; 30, 10 s)."),
    "end_say": _text(2000, 'timed: said when time is up, like "Remove the heating pad."', required=False, newline=True),
    "timeout": _duration(
        'ready: go on by itself after this long ("0s" waits for a key). Default "30s".', allow_zero=True
    ),
    "hold": _duration("hold: how long each repetition is held."),
    "reps": _count("hold, reps: repetitions (per set, per side)."),
    "rest": _duration(
        'hold: rest between repetitions (default "5s"); reps: rest between sets and sides (default "30s").'
    ),
    "pace": _duration('reps: seconds per repetition. Default "3s".'),
    "sets": _count("hold, reps: sets. Default 1."),
    "set_rest": _duration('hold: rest between sets, and between sides when there are sets. Default "30s".'),
    "progress": {
        "type": "object",
        "description": "hold, reps: how the step grows from session to session, from this machine's history.",
        "properties": {
            "hold": _raise(_duration("seconds"), '{ to = "60s", by = "5s" }'),
            "reps": _raise(_count("repetitions"), "{ to = 15, by = 1 }"),
            "every": _count("Completed sessions between raises. Default 1."),
            "max_pain": _count("Raise only if pain after the last session was at most this. Default 3.", 0, 10),
        },
        "additionalProperties": False,
    },
}


def json_schema() -> dict[str, Any]:
    """The whole schema, as a JSON-ready dict."""
    assert set(PROGRAM) == set(schema.PROGRAM_FIELDS) and set(STEP) == set(schema.STEP_FIELDS)
    assert set(STEP["progress"]["properties"]) == set(schema.PROGRESS_KEYS)
    by_kind = [
        {
            "if": {"properties": {"kind": {"const": kind.value}}, "required": ["kind"]},
            "then": {
                "propertyNames": {"enum": sorted(schema.KIND_FIELDS[kind])},
                **({} if kind is Kind.HOLD else {"properties": {"progress": {"not": {"required": ["hold"]}}}}),
            },
        }
        for kind in Kind
    ]
    # A field a step needs may come from [defaults]: required in every step only when the defaults lack it.
    needs: list[tuple[str, dict[str, Any]]] = [("title", {}), ("kind", {})] + [
        (field, {"properties": {"kind": {"const": kind.value}}, "required": ["kind"]})
        for kind, (field, _) in schema.REQUIRED.items()
    ]
    required = [
        {
            "if": {"properties": {"defaults": {"required": [field]}}, "required": ["defaults"]},
            "else": {
                "properties": {
                    "steps": {"items": {"if": when, "then": {"required": [field]}} if when else {"required": [field]}}
                }
            },
        }
        for field, when in needs
    ]
    defaults = {key: value for key, value in STEP.items() if key not in {"progress"}}
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": SCHEMA_ID,
        "title": "coach program, format 1",
        "description": "A home exercise program for coach: `coach validate FILE` is the full check.",
        "type": "object",
        "required": ["format", "program", "steps"],
        "additionalProperties": False,
        "allOf": required,
        "properties": {
            "format": {"const": 1, "description": "Always 1: the only format so far."},
            "program": {
                "type": "object",
                "required": ["title"],
                "additionalProperties": False,
                "properties": PROGRAM,
                "not": {"required": ["per_week", "days"]},
            },
            "defaults": {
                "type": "object",
                "additionalProperties": False,
                "properties": defaults,
                "description": "A default for any step field, used by the steps of the kinds it applies to.",
            },
            "steps": {
                "type": "array",
                "minItems": 1,
                "maxItems": MAX_STEPS,
                # At least one exercise: a program of rests alone has nothing to do.
                "contains": {"not": {"properties": {"kind": {"const": Kind.REST.value}}, "required": ["kind"]}},
                "items": {"type": "object", "additionalProperties": False, "properties": STEP, "allOf": by_kind},
            },
        },
    }
