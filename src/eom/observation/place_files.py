"""What a form's expressions read of the place and the team, as files ODK Collect downloads
with the form (the web page and the server read the same values from the database:
`answers.place_env`).

A form that reads `${location.…}` or `${team.…}` declares `eom_places.csv` and/or
`eom_team.csv` (`eom.xlsform.xform`); the form's manifest lists them beside the form's own
files and `form_media` serves them, made afresh from the database on each request:

- `eom_places.csv`: every place of the mission (polling stations and the commissions above
  them): code, level, kind, n_registered. Registered voters are public data; so is the list.
- `eom_team.csv`: for the signed-in sender, the team the server would record for a report from
  each place (the first of the sender's teams, in code order, deployed there or below:
  `permissions.SubmitRights`): location, code, kind. Empty for a sender of no team.
"""

from __future__ import annotations

import csv
import hashlib
import io

from eom.missions.models import Location, Mission
from eom.xlsform.reader import PLACE_FILES, PLACES_FILE, TEAM_FILE

from .permissions import SubmitRights

_SOURCE = "jr://file-csv/"


def files_declared(xform: bytes) -> list[str]:
    """The place files (`eom_places.csv`, `eom_team.csv`) the XForm reads, in name order."""
    return [f"{name}.csv" for name in (PLACES_FILE, TEAM_FILE)
            if f'<instance id="{name}" src="{_SOURCE}{name}.csv"/>'.encode() in xform]


def place_file(name: str, user, mission: Mission) -> bytes:
    """The content of one place file (a name `files_declared` gives) for this sender."""
    rows: list[tuple]
    if name == f"{PLACES_FILE}.csv":
        rows = list(Location.objects.filter(mission=mission).order_by("path").values_list(
            "code", "level", "kind", "n_registered"))
    else:
        rows = _teams_by_place(user, mission)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(PLACE_FILES[name.removesuffix(".csv")])
    writer.writerows(["" if value is None else value for value in row] for row in rows)
    return out.getvalue().encode("utf-8")


def md5_of(data: bytes) -> str:
    return hashlib.md5(data, usedforsecurity=False).hexdigest()


def _teams_by_place(user, mission: Mission) -> list[tuple[str, str, str]]:
    """(place code, team code, team kind) for every place one of the sender's teams covers:
    a deployed place and every place above it, each with the team `SubmitRights.team_at`
    gives (the first team in code order deployed there or below)."""
    rights = SubmitRights(user, mission)
    paths = {p[4] for p in rights.places}
    covered = Location.objects.filter(mission=mission, path__in={
        "/".join(path.split("/")[:depth]) + "/"
        for path in paths for depth in range(1, path.count("/") + 1)})
    rows = []
    for place in covered.only("code", "path"):
        team = rights.team_at(place)
        if team is not None:
            rows.append((place.code, team.code, team.kind))
    return sorted(rows)
