"""A plain, non-editable `pip install .` still finds the bundled programs."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.mark.slow
def test_wheel_install_ships_the_bundled_programs(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(wheels),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert build.returncode == 0, build.stderr
    target = tmp_path / "env"
    venv.create(target)  # no pip of its own (ensurepip was most of this test's time): ours installs into it
    python = target / "bin" / "python"
    wheel = next(wheels.glob("coach-*.whl"))
    install = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps", str(wheel)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert install.returncode == 0, install.stderr
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    # Installed with --no-deps: no platformdirs, so the folders `coach list` looks in for the config file and
    # the patient's shelf are named, as COACH_DATA_DIR already is for every test.
    env["COACH_CONFIG"] = str(tmp_path / "no-config.toml")
    result = subprocess.run(
        [str(target / "bin" / "coach"), "list"], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "low-back-relief" in result.stdout and "demo" in result.stdout
    where = subprocess.run(
        [str(python), "-c", "import coach.program.catalog as c; print(c.programs_dir())"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        check=True,
    ).stdout.strip()
    assert where.startswith(str(target)) and where.endswith("coach/programs")
    # The translations are compiled when the wheel is built (hatch_build.py) and ship in it: a Spanish program
    # is coached in Spanish by an installed coach, and the interface follows the locale.
    import zipfile

    shipped = {name for name in zipfile.ZipFile(wheel).namelist() if name.endswith(".mo")}
    assert shipped == {f"coach/i18n/locale/{code}/LC_MESSAGES/coach.mo" for code in ("es", "fr", "zh")}
    spanish = subprocess.run(
        [str(target / "bin" / "coach"), "preview", "demo-es"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**env, "LC_ALL": "fr_FR.UTF-8"},
        timeout=60,
    )
    assert spanish.returncode == 0, spanish.stderr
    assert "Paso 1 de 3. Rodilla al pecho." in spanish.stdout and "Total\u00a0: " in spanish.stdout
