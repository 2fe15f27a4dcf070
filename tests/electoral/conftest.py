"""Helpers for the electoral tests. Pure: nothing here (or in these tests) needs Django."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest

from eom.electoral.cli import run


@pytest.fixture
def seats_cli() -> Callable[..., tuple[int, str, str]]:
    """Run `eom seats` in process: returns (exit code, stdout, stderr)."""

    def call(*argv: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        code = run(list(argv), out, err)
        return code, out.getvalue(), err.getvalue()

    return call


@pytest.fixture
def votes_csv(tmp_path: Path) -> Callable[[str | bytes], str]:
    """Write a votes CSV (text or raw bytes) to a temporary file and return its path."""

    def write(content: str | bytes, name: str = "votes.csv") -> str:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return str(path)

    return write
