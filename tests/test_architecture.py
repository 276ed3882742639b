"""The layout the README promises: imports point down, modules stay small, commands start fast."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "newsgraph"
# Modules that need an optional dependency (ray) are imported only when chosen.
OPTIONAL_MODULES = ("newsgraph.batch.ray_engine",)
MAX_LINES = 800


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts)


def test_import_contracts_hold() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint), "--config", str(ROOT / "pyproject.toml")], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_no_module_is_over_800_lines() -> None:
    long = {
        str(p.relative_to(PACKAGE)): n
        for p in _modules()
        if (n := len(p.read_text().splitlines())) > MAX_LINES
    }
    assert not long, long


def _function_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for inner in ast.walk(node):
            if isinstance(inner, ast.ImportFrom) and inner.module and inner.level == 0:
                found.append(inner.module)
            elif isinstance(inner, ast.ImportFrom) and inner.level:
                found.append("." * inner.level + (inner.module or ""))
            elif isinstance(inner, ast.Import):
                found.extend(alias.name for alias in inner.names)
    return found


def test_no_newsgraph_import_inside_a_function_outside_the_cli() -> None:
    hidden = {}
    for path in _modules():
        if "cli" in path.relative_to(PACKAGE).parts:
            continue
        inside = [
            m
            for m in _function_imports(path)
            if m.startswith(("newsgraph", ".")) and m not in OPTIONAL_MODULES
        ]
        if inside:
            hidden[str(path.relative_to(PACKAGE))] = inside
    assert not hidden, hidden


@pytest.mark.parametrize("module", ["newsgraph.cli", "newsgraph.web", "newsgraph.query", "newsgraph.extract"])
def test_importing_does_not_load_spacy(module: str) -> None:
    code = f"import sys, {module}; print('spacy' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
