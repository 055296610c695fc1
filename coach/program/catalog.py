"""Where programs come from: the bundled ones and those on the patient's shelf by name, or a path to a file.

The bundled programs live in the repository's top-level `programs/` folder and
are copied into the wheel as `coach/programs/`, so an installed coach finds
them without the source tree.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, nor pathlib, for `coach history`
if TYPE_CHECKING:
    from pathlib import Path

_HERE = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))  # coach/, where the wheel keeps programs/


def programs_dir() -> str:
    """The bundled programs' folder (a string: see coach.folders)."""
    inside = os.path.join(_HERE, "programs")
    return inside if os.path.isdir(inside) else os.path.join(os.path.dirname(_HERE), "programs")


def bundled() -> dict[str, Path]:
    """Bundled program names (the file name without `.toml`) and their files."""
    from pathlib import Path

    return {path.stem: path for path in sorted(Path(programs_dir()).glob("*.toml"), key=lambda path: path.stem)}


def named() -> dict[str, Path]:
    """Every program a name plays: the bundled ones, then the shelf's (a shelf file with a bundled name is not
    played by that name: the bundled one keeps it)."""
    from coach.program.shelf import shelved

    found = bundled()
    for name, path in shelved().items():
        found.setdefault(name, path)
    return found


def resolve(name: str) -> Path:
    """The file for PROGRAM as `coach run` takes it: a bundled name, a name on the shelf, or a path."""
    from pathlib import Path

    if name.endswith(".toml") or "/" in name or "\\" in name:
        return Path(name)
    found = named().get(name)
    if found is None:
        if name.strip() and Path(name).exists():  # "" would be the current folder
            return Path(name)
        from coach.program import Problem, ProgramError  # here: `coach history` finds programs, and raises none

        shown = name if name.strip() else repr(name)  # a blank name is quoted, not left as a bare colon
        raise ProgramError([Problem(shown, None, "", "", unknown(name))])
    return found


def unknown(name: str) -> str:
    """What to say of a name that is no program, in the interface's language: the names there are."""
    from coach.i18n import interface, list_separator
    from coach.program.shelf import shelved
    from coach.program.text import escape

    words, comma = interface(), list_separator()
    # A shelf kept in sync from afar may hold any file name: shown escaped, as every name from outside is.
    yours = comma.join(escape(name) for name in shelved())
    listed = (
        words.gettext("bundled: {bundled}; yours: {yours}") if yours else words.gettext("bundled: {bundled}")
    ).format(bundled=comma.join(bundled()) or words.gettext("none"), yours=yours)
    import difflib  # here: only a name that is no program needs it

    # The name nearest to one mistyped, first: a caregiver's walk's `coach run kne` listed every program but knee.
    if near := difflib.get_close_matches(name, [*bundled(), *shelved()], n=1, cutoff=0.6):
        listed = words.gettext("did you mean {name}?").format(name=escape(near[0])) + " " + listed
    told = words.gettext(
        "no program of that name ({listed}); give a path to a .toml file, or put it on the shelf with coach add"
    )
    return told.format(listed=listed)


def program_key(path: str | os.PathLike[str]) -> str:
    """How the history knows a program: a bundled one or one on the shelf by its name, any other by its
    file's absolute path. A shelf program's history follows its name, so a new version goes on from the old
    one; sessions recorded under a path before a program was shelved stay under that path."""
    from coach.program.shelf import is_shelved

    resolved = os.path.realpath(path)
    if os.path.dirname(resolved) == os.path.realpath(programs_dir()) or is_shelved(resolved):
        return os.path.splitext(os.path.basename(resolved))[0]
    return resolved
