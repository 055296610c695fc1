"""Generated programs for the property tests: the bundled files as seeds, the keys and values to mix, TOML to write."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from coach.program.catalog import bundled

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


def mutated(seed: bytes, edits: list[tuple[int, bytes]]) -> bytes:
    """`seed` with each edit's bytes written over it at its position (taken modulo the length, so any fits)."""
    data = bytearray(seed)
    for position, replacement in edits:
        at = position % (len(data) + 1)
        data[at : at + len(replacement)] = replacement
    return bytes(data)


def toml_value(value: Any) -> str:
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
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    return "{" + ", ".join(f"{key} = {toml_value(item)}" for key, item in value.items()) + "}"
