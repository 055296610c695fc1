"""Generated and mutated programs: the loader returns a program or raises ProgramError, nothing else."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.catalog import bundled
from coach.program import ProgramError, parse_program
from coach.timeline import compile_program

SEEDS = [path.read_bytes() for path in bundled().values()]
KEYS = [
    "kind",
    "title",
    "say",
    "hold",
    "reps",
    "rest",
    "sides",
    "cues",
    "duration",
    "timeout",
    "pace",
    "sets",
    "remind",
    "end_say",
    "progress",
    "hodl",
    "format",
    "program",
    "steps",
    "defaults",
]
SCALARS = st.one_of(
    st.integers(-5, 20000),
    st.floats(allow_nan=True),
    st.booleans(),
    st.text(max_size=30),
    st.sampled_from(["10s", "1m30s", "0s", "4h", "5h", "hold", "timed", "reps", "ready", "x" * 200]),
)
VALUES: st.SearchStrategy[Any] = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.sampled_from(KEYS), inner, max_size=5),
    max_leaves=20,
)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return (
            "nan"
            if value != value
            else ("inf" if value == float("inf") else ("-inf" if value == float("-inf") else repr(value)))
        )
    if isinstance(value, (int,)):
        return str(value)
    if isinstance(value, str):
        return '"' + "".join(ch if ch.isprintable() and ch not in '"\\' else f"\\u{ord(ch):04x}" for ch in value) + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    return "{" + ", ".join(f"{key} = {_toml_value(item)}" for key, item in value.items()) + "}"


def _check(data: bytes) -> None:
    try:
        program = parse_program(data)
    except ProgramError as error:
        assert error.problems
        return
    compile_program(program)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=8), max_size=4), VALUES)
def test_generated_programs(steps: list[dict[str, Any]], program: Any) -> None:
    body = ["format = 1", f"program = {_toml_value(program)}"]
    for step in steps:
        body.append("[[steps]]")
        body += [f"{key} = {_toml_value(value)}" for key, value in step.items()]
    _check("\n".join(body).encode())


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SEEDS), st.lists(st.tuples(st.integers(0, 10_000), st.binary(max_size=4)), max_size=4))
def test_mutated_bundled_programs(seed: bytes, edits: list[tuple[int, bytes]]) -> None:
    data = bytearray(seed)
    for position, replacement in edits:
        at = position % (len(data) + 1)
        data[at : at + len(replacement)] = replacement
    _check(bytes(data))
