"""Mutated bundled programs, the fast subset's fuzz: the loader returns a program or a ProgramError only."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.program import ProgramError, parse_program
from coach.timeline import compile_program
from tests.generated import SEEDS, mutated


def _check(data: bytes) -> None:
    try:
        program = parse_program(data)
    except ProgramError as error:
        assert error.problems
        return
    compile_program(program)


# Generated programs (same strategy, 1,500 of them, the same check and more: no terminal control in an
# error or a preview) are tests/test_hostile.py::test_fuzzed_programs_give_a_program_or_the_typed_error;
# a 300-program copy here, slow as well, ran only where that one runs and proved nothing more.


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SEEDS), st.lists(st.tuples(st.integers(0, 10_000), st.binary(max_size=4)), max_size=4))
def test_mutated_bundled_programs(seed: bytes, edits: list[tuple[int, bytes]]) -> None:
    _check(mutated(seed, edits))
