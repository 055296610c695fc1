"""Where the config file is: a fact the quick commands need too, without the settings' imports."""

from __future__ import annotations

import os


def config_path() -> str:
    """`COACH_CONFIG`, else `config.toml` in the user config folder: a string, as `coach.folders` says why."""
    named = os.environ.get("COACH_CONFIG")
    if named:
        return named
    from coach.folders import user_folder

    return os.path.join(user_folder("config"), "config.toml")
