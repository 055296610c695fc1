"""The tests' own house rules: shared code lives in helper modules, and the tools are held to known versions."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from packaging.requirements import Requirement

from tests.conftest import ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

TESTS = ROOT / "tests"


def imported_modules(path: Path) -> set[str]:
    """Every module `path` imports, at its top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def test_no_test_module_imports_another() -> None:
    """A test module imported by another runs its collection twice and ties the two together: helpers are shared."""
    test_modules = {f"tests.{path.stem}" for path in TESTS.glob("test_*.py")}
    crossing = {
        path.name: sorted(imported_modules(path) & test_modules)
        for path in sorted(TESTS.glob("*.py"))
        if imported_modules(path) & test_modules
    }
    assert crossing == {}


def test_every_test_tool_is_held_below_its_next_release_line() -> None:
    """A tool without a ceiling installs whatever was released last night, with its new rules and checks."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    unbounded = [
        spec
        for spec in project["project"]["optional-dependencies"]["test"]
        if not any(clause.operator in {"<", "<=", "==", "~="} for clause in Requirement(spec).specifier)
    ]
    assert unbounded == []


def test_mypy_is_strict_for_the_whole_package() -> None:
    """Not a list of strict modules, which a new module falls outside of until someone remembers to add it."""
    mypy = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mypy"]
    assert mypy["strict"] is True and "coach" in mypy["files"]
    assert not [override for override in mypy.get("overrides", []) if "strict" in override]
