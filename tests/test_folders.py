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


def test_a_tilde_in_the_coach_s_own_variables_is_the_home_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A caregiver's walk set COACH_DATA_DIR="~/patient1" (quoted, so no shell made it a path): the coach made a
    folder named ~ where it ran, and from any other folder the history looked empty. As in the config file's
    `programs`, a leading ~ is the home folder, in COACH_DATA_DIR, COACH_CONFIG and COACH_CACHE_DIR."""
    from coach.config_file import config_path
    from coach.history.store import default_path
    from coach.program.shelf import shelf_dir
    from coach.speech.cache import cache_folder

    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("COACH_DATA_DIR", "~/patient1")
    monkeypatch.setenv("COACH_CONFIG", "~/care/config.toml")
    monkeypatch.setenv("COACH_CACHE_DIR", "~/voice")
    assert config_path() == str(tmp_path / "care" / "config.toml")
    assert default_path() == str(tmp_path / "patient1" / "history.sqlite3")
    assert shelf_dir() == str(tmp_path / "patient1" / "programs")
    assert cache_folder() == tmp_path / "voice"
