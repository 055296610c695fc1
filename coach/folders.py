"""The coach's own folders (config, data, cache), where the platform keeps each person's.

On Linux and the other Unixes these are the XDG base directories, read here as
platformdirs reads them: importing platformdirs took longer than the whole of
`coach history`'s own work on a year of sessions, and every command needs a
folder. Elsewhere (macOS, Windows, Android) platformdirs says where.

The folders are strings, not `pathlib.Path`s: pathlib, with the `urllib.parse`
and `ipaddress` it imports, took 3.8 ms, a third of `python -c pass`, and the
quick commands (`coach history` at most 5 times that) need a folder but
nothing else of pathlib's.
"""

from __future__ import annotations

import os
import sys

APP = "coach"
_XDG = {"config": ("XDG_CONFIG_HOME", "~/.config"), "data": ("XDG_DATA_HOME", "~/.local/share")}
_XDG["cache"] = ("XDG_CACHE_HOME", "~/.cache")  # each: the variable, and the folder without it


def user_folder(kind: str) -> str:
    """The person's `kind` folder for the coach: "config", "data" or "cache"."""
    if sys.platform not in {"darwin", "win32", "cygwin", "ios"} and "ANDROID_DATA" not in os.environ:
        variable, default = _XDG[kind]
        base = os.environ.get(variable, "")  # the XDG spec: a relative path is to be ignored, as is none
        return os.path.join(base if os.path.isabs(base) else os.path.expanduser(default), APP)
    import platformdirs

    if kind == "config":
        return str(platformdirs.user_config_dir(APP))
    if kind == "cache":
        return str(platformdirs.user_cache_dir(APP))
    return str(platformdirs.user_data_dir(APP, appauthor=False))


def data_folder() -> str:
    """`COACH_DATA_DIR`, else the person's data folder: where the history and the shelf are. A leading ~ there is
    the home folder, as in the config file: a walk's quoted "~/patient1" made a folder named ~ where the coach ran,
    and the history looked empty from anywhere else."""
    named = os.environ.get("COACH_DATA_DIR")
    return os.path.expanduser(named) if named else user_folder("data")
