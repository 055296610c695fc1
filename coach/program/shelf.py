"""The patient's shelf: programs a caregiver added with `coach add`, played by name like the bundled ones.

The shelf is a folder of program files: `programs/` in the user data
folder (beside the history, so `COACH_DATA_DIR` moves both), or the folder the
config file names with `programs = "…"`, for a caregiver who keeps it in sync
from afar (a shared folder). A program's name is its file's name without
`.toml`, and that name, not the file's path, is how the history knows it: a new
version added over the old one goes on from the old one's progression.

Nothing is put on the shelf that does not validate, and a name that is already
a bundled program's is refused, so `coach run NAME` always means one program.
A file is copied whole or not at all (a temporary file, then a rename), since
a half-copied program on a shared folder would be played half.
"""

from __future__ import annotations

import os
import re
import unicodedata

from coach.i18n import N_

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, nor pathlib, for `coach history`
if TYPE_CHECKING:
    from pathlib import Path

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
MARK = N_("yours")  # how the shelf's programs are told from the bundled ones in lists


def shelf_dir() -> str:
    """The `programs` folder of the config file, else `programs/` in the user data folder (a string: see
    coach.folders)."""
    from coach.config_file import config_path

    config = config_path()
    named = None
    if os.path.exists(config):  # no file: neither the settings nor their parser imported (`coach history` is quick)
        from coach.settings import load_config

        named = load_config(config).get("programs")
    if isinstance(named, str):
        folder = os.path.expanduser(named)
        return folder if os.path.isabs(folder) else os.path.join(os.path.dirname(config), folder)
    from coach.folders import data_folder

    return os.path.join(data_folder(), "programs")


def shelved(folder: str | os.PathLike[str] | None = None) -> dict[str, Path]:
    """The shelf's program files by name, in name order; {} when there is no shelf yet."""
    from pathlib import Path

    try:
        return {path.stem: path for path in sorted(Path(folder or shelf_dir()).glob("*.toml")) if path.is_file()}
    except OSError:
        return {}


def is_shelved(path: str | os.PathLike[str]) -> bool:
    """Whether `path` is a program on the shelf: its history is then kept under its name."""
    try:  # a broken config file is not caught: it is one line, rather than a history kept under another key
        return os.path.dirname(os.path.realpath(path)) == os.path.realpath(shelf_dir())
    except OSError:
        return False


def name_problem(name: str, bundled: dict[str, Path]) -> str | None:
    """Why `name` cannot stand on the shelf (a bundled program's name, or not a plain name), or None."""
    if not NAME.match(name):
        # Its own name made plain where it can be: "my knee" was offered neck-stretches.toml (a walk's); its accents
        # left off, not its letters ("ñandú" was offered "and").
        bare = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
        plain = re.sub(r"[^A-Za-z0-9_-]+", "-", bare).strip("-_")[:64].rstrip("-_") or "neck-stretches"
        return (
            f"{name!r} cannot be a program's name: rename the file to letters a to z, digits, - and _"
            f" (at most 64), ending in .toml, such as {plain}.toml"
        )
    # Names that differ only in case are one name to a person typing it: a walk's shelf "Demo" was played by
    # `coach run Demo`, while the chooser, given "Demo", played the bundled demo.
    same = next((taken for taken in bundled if taken.casefold() == name.casefold()), None)
    if same is not None:
        which = "the name of a bundled program" if same == name else f"the bundled program {same!r} but for case"
        return f"{name!r} is {which}: rename the file, for example to {suggestion(same, bundled)}.toml, then add it"
    return None


def suggestion(name: str, taken: dict[str, Path]) -> str:
    """A free name near `name`: `my-NAME`, then `my-NAME-2`, …"""
    candidate = f"my-{name}"
    number = 2
    while candidate in taken:
        candidate, number = f"my-{name}-{number}", number + 1
    return candidate


class Placed:
    """A program put on the shelf. (A plain class: `coach history` reads the shelf, and a dataclass or a named
    tuple cost it the import of `dataclasses` or `typing`, 3 to 6 ms of a 60 ms command.)"""

    __slots__ = ("name", "path", "replaced")

    def __init__(self, name: str, path: Path, replaced: bool) -> None:
        self.name, self.path, self.replaced = name, path, replaced


def place(data: bytes, name: str, into: str | os.PathLike[str] | None = None) -> Placed:
    """Put the bytes of a program (those that were validated) on the shelf as NAME.toml, whole or not at all.
    OSError when the folder cannot take it."""
    from pathlib import Path

    folder = Path(into or shelf_dir())
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{name}.toml"
    replaced = target.exists()
    import tempfile  # only here: `coach history` and `coach list` read the shelf and never write it

    handle, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=folder)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return Placed(name, target, replaced)
