"""The coach's folders, read without platformdirs on Linux, are platformdirs' own, whatever XDG says."""

from __future__ import annotations

from pathlib import Path

import platformdirs
import pytest

from coach.folders import user_folder

EXPECTED = {
    "config": lambda: platformdirs.user_config_dir("coach"),
    "data": lambda: platformdirs.user_data_dir("coach", appauthor=False),
    "cache": lambda: platformdirs.user_cache_dir("coach"),
}


@pytest.mark.parametrize("kind", sorted(EXPECTED))
@pytest.mark.parametrize("xdg", ["unset", "blank", "set", "relative"])
def test_each_folder_is_platformdirs_own(kind: str, xdg: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    for variable in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        if xdg == "unset":
            monkeypatch.delenv(variable, raising=False)
        else:
            monkeypatch.setenv(variable, {"blank": "  ", "set": f"/srv/{variable}", "relative": "here"}[xdg])
    assert str(user_folder(kind)) == EXPECTED[kind]()
