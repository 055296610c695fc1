"""Program files: load, validate, and the model the rest of coach plays.

No UI and no speech here: `coach validate` and `coach preview` stand on this
package alone and start fast.

The names below are imported when first used, not with the package: importing
`coach.program.errors` or `coach.program.text` alone (as `coach history` does,
for `ProgramError` and `escape`) would otherwise bring the loader, the
validator and the timeline estimates with it, most of that command's start-up.
"""

from __future__ import annotations

from importlib import import_module

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing for `coach history`
if TYPE_CHECKING:
    from coach.program.errors import Problem, ProgramError
    from coach.program.load import load_program, parse_program
    from coach.program.model import Kind, Program, Progress, Raise, Step

__all__ = ["Kind", "Problem", "Program", "ProgramError", "Progress", "Raise", "Step", "load_program", "parse_program"]

_WHERE = {
    "Problem": "errors",
    "ProgramError": "errors",
    "load_program": "load",
    "parse_program": "load",
    **dict.fromkeys(("Kind", "Program", "Progress", "Raise", "Step"), "model"),
}


def __getattr__(name: str) -> object:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{_WHERE[name]}"), name)
    globals()[name] = value  # once: the next use is a plain lookup
    return value
