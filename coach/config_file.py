"""Where the config file is: a fact the quick commands need too, without the settings' imports."""

from __future__ import annotations

import os
from pathlib import Path


def config_path() -> Path:
    named = os.environ.get("COACH_CONFIG")
    if named:
        return Path(named)
    from coach.folders import user_folder

    return user_folder("config") / "config.toml"
