"""The layers hold: `lint-imports` keeps pyproject.toml's contracts, and breaks on a deliberate bad import.

The run-time test beside it (test_cli.py::test_core_imports_neither_textual_nor_pyttsx3) checks what
a fresh interpreter really loads; these check every import written, lazy ones inside functions too.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(tree)}  # the `coach` package found first is the tree's own
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(tree / "pyproject.toml"), "--no-cache"],
        capture_output=True,
        text=True,
        cwd=tree,
        env=env,
        check=False,
    )


def test_the_tree_keeps_every_contract() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "bad_import", "contract"),
    [
        ("coach/session/engine.py", "import textual", "The core imports no UI, speech library or database"),
        ("coach/timeline/compile.py", "import coach.views.controls", "Layers: cli over plan"),
        ("coach/program/model.py", "import coach.history.store", "Layers: cli over plan"),
        ("coach/settings.py", "from coach.views.tui import themes", "Settings, plain mode, the key table"),
        ("coach/views/plain/play.py", "import textual.app", "Settings, plain mode, the key table"),
    ],
)
def test_a_deliberate_bad_import_breaks_its_contract(
    tmp_path: Path, module: str, bad_import: str, contract: str
) -> None:
    tree = tmp_path / "tree"
    shutil.copytree(ROOT / "coach", tree / "coach", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    source = tree / module
    text = source.read_text()
    head, _, rest = text.partition("from __future__ import annotations\n")
    source.write_text(f"{head}from __future__ import annotations\n\n{bad_import}  # deliberately wrong\n{rest}")
    result = lint_imports(tree)
    assert result.returncode != 0, result.stdout
    broken = result.stdout.split("Broken contracts", 1)[-1]
    assert contract in broken and "BROKEN" in result.stdout, result.stdout
