"""What the management commands share: the mission a command works on, the `--map` option's
column mapping and an import's report. Commands import these from here, never from one another."""

from __future__ import annotations

from django.core.management.base import CommandError

from eom import tables

from . import services
from .models import Mission


def command_mission(code: str | None) -> Mission:
    """The mission named by --mission, else the current one; CommandError when there is none."""
    try:
        return services.mission_named(code)
    except services.NoSuchMission:
        if not code:
            raise CommandError(
                "there is no mission yet; load one first (e.g. eom demo --no-serve)") from None
        known = ", ".join(Mission.objects.values_list("code", flat=True)) or "none"
        raise CommandError(f'no mission with code "{code}" (missions: {known})') from None


def parse_mapping(values: list[str]) -> dict[str, str]:
    """`code=Код,name_ru=Название` (the option may repeat) → {our column: their header}."""
    try:
        return tables.parse_mapping(values)
    except tables.MappingError as error:
        raise CommandError(
            f'--map: "{error.pair}" is not column=header (e.g. --map code=Код,name_ru=Название)'
        ) from None


def write_import_report(command, report, title: str) -> None:
    """An import's report on the command line: under `title` when the file was imported (or
    checked, in a dry run); else every error on stderr and the first as the CommandError."""
    if not report.ok:
        first, *errors = report.lines()
        for line in errors:
            command.stderr.write(line)
        raise CommandError(first)
    command.stdout.write(title)
    for line in report.lines():
        command.stdout.write(f"  {line}")
