"""Which keys format 1 allows where, and the checker for each.

This table is the contract's program-format page in code: the loader walks it,
and `coach schema` (a later issue) can be generated from it.
"""

from __future__ import annotations

from coach.program import fields
from coach.program.model import Kind

TOP_KEYS = ("format", "program", "defaults", "steps")
MAX_PER_WEEK = 21  # three a day

PROGRAM_FIELDS: dict[str, fields.Checker] = {
    "title": fields.text(limit=120),
    "summary": fields.text(limit=500, required=False, newline=True),
    "language": fields.language,
    "author": fields.text(limit=120),
    "source": fields.text(limit=500),
    "safety": fields.texts(low=0, high=20, each=2000),
    "check_in": fields.boolean,
    "pain_stop": fields.count(1, 10),
    "per_week": fields.count(1, MAX_PER_WEEK),  # a prescription: sessions a week ...
    "days": fields.weekdays,  # ... or the days of the week; not both
}

STEP_FIELDS: dict[str, fields.Checker] = {
    "kind": lambda value: value,  # checked on its own, with a suggestion
    "title": fields.text(limit=120),
    "say": fields.text(limit=2000, required=False, newline=True),
    "cues": fields.texts(low=0, high=50, each=300),
    "sides": fields.texts(low=1, high=4, each=120),
    "duration": fields.duration(),
    "remind": fields.duration(),
    "end_say": fields.text(limit=2000, required=False, newline=True),
    "timeout": fields.duration(allow_zero=True),
    "hold": fields.duration(),
    "reps": fields.count(),
    "rest": fields.duration(),
    "pace": fields.duration(),
    "sets": fields.count(),
    "set_rest": fields.duration(),
    "progress": lambda value: value,  # a table, checked on its own
}

_COMMON = {"kind", "title", "say", "cues"}

KIND_FIELDS: dict[Kind, frozenset[str]] = {
    Kind.TIMED: frozenset(_COMMON | {"duration", "remind", "end_say"}),
    Kind.READY: frozenset(_COMMON | {"timeout"}),
    Kind.HOLD: frozenset(_COMMON | {"hold", "reps", "rest", "sets", "set_rest", "sides", "progress"}),
    Kind.REPS: frozenset(_COMMON | {"reps", "pace", "sets", "rest", "sides", "progress"}),
    Kind.REST: frozenset(_COMMON | {"duration"}),
}

REQUIRED: dict[Kind, tuple[str, str]] = {
    Kind.TIMED: ("duration", 'duration = "5m"'),
    Kind.HOLD: ("hold", 'hold = "10s"'),
    Kind.REPS: ("reps", "reps = 10"),
    Kind.REST: ("duration", 'duration = "30s"'),
}

# A field left out of a step takes these (before `[defaults]` and the step's own value).
KIND_DEFAULTS: dict[Kind, dict[str, int]] = {
    Kind.HOLD: {"rest": 5},
    Kind.REPS: {"rest": 30},
}

PROGRESS_KEYS = ("hold", "reps", "every", "max_pain")
