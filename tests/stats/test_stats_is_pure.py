"""eom.stats is the pure core: no module in it may import Django (shared/DESIGN.md, "Layers")."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import eom.stats

STATS_DIR = Path(eom.stats.__file__).parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_no_stats_module_imports_django():
    offenders = {
        path.name: sorted(m for m in imported_modules(path) if m.split(".")[0] == "django")
        for path in sorted(STATS_DIR.glob("*.py"))
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_stats_modules_only_import_numpy_and_the_standard_library():
    allowed = set(sys.stdlib_module_names) | {"numpy", "eom"}
    third_party = {
        path.name: sorted(m for m in imported_modules(path) if m.split(".")[0] not in allowed)
        for path in sorted(STATS_DIR.glob("*.py"))
    }
    assert {k: v for k, v in third_party.items() if v} == {}


def test_importing_every_stats_module_leaves_django_unloaded():
    modules = sorted(f"eom.stats.{p.stem}" for p in STATS_DIR.glob("*.py"))
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))\n"
    )
    src = str(STATS_DIR.parents[1])
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True,
        env={"PYTHONPATH": src, "PATH": "/usr/bin:/bin"},
    )
    assert done.stdout.strip() == "[]"
