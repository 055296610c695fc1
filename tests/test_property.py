"""Generated and mutated programs: the loader returns a program or raises ProgramError, nothing else."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.program import ProgramError, parse_program
from coach.timeline import compile_program
from tests.generated import KEYS, SEEDS, VALUES, toml_value


def _check(data: bytes) -> None:
    try:
        program = parse_program(data)
    except ProgramError as error:
        assert error.problems
        return
    compile_program(program)


@pytest.mark.slow  # 300 generated programs: about 10 s, a third of the fast subset's budget
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=8), max_size=4), VALUES)
def test_generated_programs(steps: list[dict[str, Any]], program: Any) -> None:
    body = ["format = 1", f"program = {toml_value(program)}"]
    for step in steps:
        body.append("[[steps]]")
        body += [f"{key} = {toml_value(value)}" for key, value in step.items()]
    _check("\n".join(body).encode())


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SEEDS), st.lists(st.tuples(st.integers(0, 10_000), st.binary(max_size=4)), max_size=4))
def test_mutated_bundled_programs(seed: bytes, edits: list[tuple[int, bytes]]) -> None:
    data = bytearray(seed)
    for position, replacement in edits:
        at = position % (len(data) + 1)
        data[at : at + len(replacement)] = replacement
    _check(bytes(data))
