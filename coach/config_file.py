"""Where the config file is: a fact the quick commands need too, without the settings' imports."""

from __future__ import annotations

import os


def config_path() -> str:
    """`COACH_CONFIG`, else `config.toml` in the user config folder: a string, as `coach.folders` says why."""
    named = os.environ.get("COACH_CONFIG")
    if named:
        return os.path.expanduser(named)  # as COACH_DATA_DIR (coach.folders.data_folder)
    from coach.folders import user_folder

    return os.path.join(user_folder("config"), "config.toml")
