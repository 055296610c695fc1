"""Where programs come from: the bundled ones by name, or a path to a file.

The bundled programs live in the repository's top-level `programs/` folder and
are copied into the wheel as `coach/programs/`, so an installed coach finds
them without the source tree.
"""

from __future__ import annotations

from pathlib import Path

from coach.program import Problem, ProgramError

_HERE = Path(__file__).resolve().parent.parent  # coach/, where the wheel keeps programs/


def programs_dir() -> Path:
    inside = _HERE / "programs"
    return inside if inside.is_dir() else _HERE.parent / "programs"


def bundled() -> dict[str, Path]:
    """Bundled program names (the file name without `.toml`) and their files."""
    return {path.stem: path for path in sorted(programs_dir().glob("*.toml"))}


def resolve(name: str) -> Path:
    """The file for PROGRAM as `coach run` takes it: a bundled name, or a path."""
    if name.endswith(".toml") or "/" in name or "\\" in name:
        return Path(name)
    found = bundled().get(name)
    if found is None:
        if Path(name).exists():
            return Path(name)
        known = ", ".join(bundled()) or "none"
        raise ProgramError(
            [
                Problem(
                    name,
                    None,
                    "",
                    "",
                    f"no bundled program of that name (bundled: {known}); give a path to a .toml file",
                )
            ]
        )
    return found


def program_key(path: Path) -> str:
    """How the history knows a program: a bundled one by its name, any other by its file's absolute path."""
    resolved = Path(path).resolve()
    if resolved.parent == programs_dir().resolve():
        return resolved.stem
    return str(resolved)
