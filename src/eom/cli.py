"""The `eom` command: `eom demo`, `eom serve`, `eom import …`, `eom seats …` and the rest.

Commands that need the database run through Django's command runner; the pure ones
(`seats`, `forensics`, `pvt`) run without it.
"""

from __future__ import annotations

import os
import sys

PURE_COMMANDS = {
    "seats": ("eom.electoral.cli", "run"),
    "forensics": ("eom.stats.cli", "forensics"),
    "pvt": ("eom.stats.cli", "pvt"),
}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in PURE_COMMANDS:
        import importlib

        module_name, function = PURE_COMMANDS[argv[0]]
        module = importlib.import_module(module_name)
        return int(getattr(module, function)(argv[1:], sys.stdout, sys.stderr) or 0)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eom.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["eom", *argv])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
