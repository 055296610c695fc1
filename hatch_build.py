"""The build compiles the translations: each language's `coach.po` becomes the `coach.mo` gettext reads.

The `.mo` files are made, not kept in git (.gitignore): a wheel gets them at
build time, and so does an editable install, which reads them from the tree.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CatalogsHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        sys.path.insert(0, str(Path(self.root) / "tools"))
        from catalogs import compile_all

        for mo in compile_all(Path(self.root) / "coach" / "i18n" / "locale"):
            relative = mo.relative_to(self.root).as_posix()
            build_data["force_include"][str(mo)] = relative
