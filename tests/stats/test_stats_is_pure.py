"""eom.stats, eom.xlsform and eom.tables are pure cores: no module in them may import Django
(shared/DESIGN.md, "Layers"), and each imports only the libraries named here."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import eom.stats
import eom.tables
import eom.xlsform

STATS_DIR = Path(eom.stats.__file__).parent
XLSFORM_DIR = Path(eom.xlsform.__file__).parent
TABLES = Path(eom.tables.__file__)

# Each pure package, with the third-party libraries it may import besides the standard library,
# and the eom modules it may import (its own, and the pure eom.filelimits).
PURE = {
    "eom.stats": (STATS_DIR, {"numpy"}),
    "eom.xlsform": (XLSFORM_DIR, {"numpy", "openpyxl", "pyxform", "defusedxml", "xlrd"}),
    "eom.tables": (TABLES, {"openpyxl"}),
}
OWN_EOM = {
    "eom.stats": ("eom.stats", "eom.filelimits", "eom.tables"),
    "eom.xlsform": ("eom.xlsform", "eom.filelimits"),
    "eom.tables": ("eom.tables", "eom.filelimits"),
}


def modules_of(package: str) -> list[Path]:
    place = PURE[package][0]
    return [place] if place.is_file() else sorted(place.glob("*.py"))


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("package", sorted(PURE))
def test_no_module_of_a_pure_package_imports_django(package):
    offenders = {
        path.name: sorted(m for m in imported_modules(path) if m.split(".")[0] == "django")
        for path in modules_of(package)
    }
    assert {k: v for k, v in offenders.items() if v} == {}


@pytest.mark.parametrize("package", sorted(PURE))
def test_pure_modules_only_import_their_libraries_and_the_standard_library(package):
    libraries = PURE[package][1]
    allowed = set(sys.stdlib_module_names) | libraries | {"eom"}
    third_party = {
        path.name: sorted(m for m in imported_modules(path) if m.split(".")[0] not in allowed)
        for path in modules_of(package)
    }
    assert {k: v for k, v in third_party.items() if v} == {}


@pytest.mark.parametrize("package", sorted(PURE))
def test_pure_modules_import_no_django_side_eom_module(package):
    own = OWN_EOM[package]
    outside = {
        path.name: sorted(
            m for m in imported_modules(path)
            if m.split(".")[0] == "eom" and m != "eom" and not m.startswith(own)
        )
        for path in modules_of(package)
    }
    assert {k: v for k, v in outside.items() if v} == {}


@pytest.mark.parametrize("package", sorted(PURE))
def test_importing_every_module_of_a_pure_package_leaves_django_unloaded(package):
    folder = PURE[package][0]
    modules = ([package] if folder.is_file()
               else sorted(f"{package}.{p.stem}" for p in folder.glob("*.py")))
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))\n"
    )
    src = str(TABLES.parents[1])
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True,
        env={"PYTHONPATH": src, "PATH": "/usr/bin:/bin"},
    )
    assert done.stdout.strip() == "[]"
