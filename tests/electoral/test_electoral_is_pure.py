"""eom.electoral never imports Django (or anything outside the standard library)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import eom.electoral

PACKAGE = Path(eom.electoral.__file__).parent
STDLIB = set(sys.stdlib_module_names)


def _imported_roots(path: Path) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_every_module_imports_only_stdlib_and_eom_electoral():
    for path in sorted(PACKAGE.rglob("*.py")):
        outside = _imported_roots(path) - STDLIB - {"eom"}
        assert (path.name, outside) == (path.name, set())


def test_eom_imports_are_only_from_eom_electoral():
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("eom"):
                assert node.module.startswith("eom.electoral"), (path.name, node.module)


def test_importing_electoral_and_its_cli_loads_no_django():
    src = str(PACKAGE.parents[1])
    env = {**os.environ, "PYTHONPATH": src}
    code = (
        "import sys, eom.electoral, eom.electoral.cli; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert result.stdout.strip() == "[]"
