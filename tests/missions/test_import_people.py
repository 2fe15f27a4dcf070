"""Importing people and teams from CSV and XLSX files."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from eom.missions.importers import PEOPLE_COLUMNS, RowError, import_people
from eom.missions.models import Access, AuditEntry, Person, Team, TeamMembership
from tests.factories import make_person, make_table_file, make_team

ROWS = [
    [
        "LTO01",
        "Anna Novak",
        "lto",
        "coordinator",
        "anna@example.org",
        "+7 701 555 0110",
        "at",
        "en, ru",
        "R1",
        "LTO-01",
        "lto",
        "yes",
    ],
    [
        "LTO02",
        "Lukas Berg",
        "Long-term observer",
        "coordinator",
        "",
        "",
        "SE",
        "en",
        "R1",
        "LTO-01",
        "lto",
        "no",
    ],
    [
        "INT01",
        "Aigerim Bekova",
        "Interpreter",
        "no access",
        "",
        "",
        "KZ",
        "kk, ru, en",
        "R1",
        "LTO-01",
        "",
        "0",
    ],
    [
        "STO001",
        "Sofia Rossi",
        "sto",
        "observer",
        "",
        "",
        "IT",
        "",
        "01001",
        "STO-001",
        "sto",
        "TRUE",
    ],
    ["STO002", "Jonas Weber", "STO", "observer", "", "", "DE", "", "01002", "STO-001", "", "false"],
    ["CT01", "Marta Costa", "head_of_mission", "core", "", "", "PT", "", "KZ", "", "", ""],
]


def _teams_of(code: str) -> list[tuple[str, bool]]:
    return sorted(
        TeamMembership.objects.filter(person__code=code).values_list("team__code", "is_leader")
    )


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_import_people_creates_people_and_teams(tmp_path, mission, tree, suffix):
    path = make_table_file(tmp_path / f"people{suffix}", PEOPLE_COLUMNS, ROWS)

    report = import_people(mission, path, actor=None)

    assert report.errors == []
    assert (report.n_created, report.n_updated, report.n_unchanged) == (6, 0, 0)
    assert (report.n_teams_created, report.n_teams_updated) == (2, 0)
    anna = Person.objects.get(mission=mission, code="LTO01")
    assert (anna.role.code, anna.access, anna.email) == ("lto", "coordinator", "anna@example.org")
    assert (anna.nationality, anna.languages, anna.area) == ("AT", "en, ru", tree["R1"])
    assert Person.objects.get(code="LTO02").role.code == "lto"
    assert Person.objects.get(code="INT01").access == Access.NONE
    assert Person.objects.get(code="CT01").access == Access.CORE_TEAM
    assert _teams_of("LTO01") == [("LTO-01", True)]
    assert _teams_of("INT01") == [("LTO-01", False)]
    assert _teams_of("STO001") == [("STO-001", True)]
    assert _teams_of("CT01") == []
    lto, sto = Team.objects.get(code="LTO-01"), Team.objects.get(code="STO-001")
    assert (lto.kind, lto.area) == ("lto", tree["R1"])
    assert (sto.kind, sto.area) == ("sto", tree["D1"])  # the smallest area holding both members


def test_import_people_writes_audit_entries(tmp_path, mission, tree, administrator):
    path = make_table_file(tmp_path / "people.csv", PEOPLE_COLUMNS, ROWS)

    import_people(mission, path, actor=administrator)

    entries = AuditEntry.objects.filter(channel="import", actor=administrator)
    assert entries.filter(model="missions.person", action="create").count() == 6
    assert entries.filter(model="missions.team", action="create").count() == 2
    anna = entries.get(object_repr="Anna Novak")
    assert anna.changes["teams"] == [None, ["LTO-01 (leader)"]]
    assert anna.changes["email"] == [None, "anna@example.org"]


def test_import_people_reimport_moves_person_to_another_team(tmp_path, mission, tree):
    path = make_table_file(tmp_path / "people.csv", PEOPLE_COLUMNS, ROWS)
    import_people(mission, path, actor=None)
    moved = [row[:] for row in ROWS]
    moved[4][9:12] = ["STO-002", "sto", "yes"]
    path = make_table_file(tmp_path / "moved.xlsx", PEOPLE_COLUMNS, moved)

    report = import_people(mission, path, actor=None)

    assert (report.n_created, report.n_updated, report.n_unchanged) == (0, 1, 5)
    assert (report.n_teams_created, report.n_teams_updated) == (1, 0)
    assert _teams_of("STO002") == [("STO-002", True)]
    assert _teams_of("STO001") == [("STO-001", True)]
    person = Person.objects.get(code="STO002")
    entry = AuditEntry.objects.get(object_id=str(person.pk), action="update")
    assert entry.changes == {"teams": [["STO-001"], ["STO-002 (leader)"]]}
    assert Person.objects.filter(mission=mission).count() == 6 + 0


def test_import_people_empty_team_code_removes_membership(tmp_path, mission, tree):
    person = make_person(mission, code="STO009", area=tree["D1"])
    make_team(mission, "STO-009", [person], area=tree["D1"])
    header = ["code", "full_name", "role", "team_code"]
    path = make_table_file(tmp_path / "p.csv", header, [["STO009", person.full_name, "sto", ""]])

    report = import_people(mission, path, actor=None)

    assert report.n_updated == 1
    assert _teams_of("STO009") == []


def test_import_people_without_team_columns_keeps_memberships(tmp_path, mission, tree):
    person = make_person(mission, code="STO009", area=tree["D1"])
    make_team(mission, "STO-009", [person], area=tree["D1"])
    header = ["code", "full_name", "role"]
    path = make_table_file(tmp_path / "p.csv", header, [["STO009", "New Name", "sto"]])

    report = import_people(mission, path, actor=None)

    assert report.n_updated == 1
    assert Person.objects.get(code="STO009").full_name == "New Name"
    assert _teams_of("STO009") == [("STO-009", True)]


def test_import_people_changes_team_kind(tmp_path, mission, tree):
    person = make_person(mission, code="X1")
    make_team(mission, "T1", [person])
    header = ["code", "full_name", "role", "team_code", "team_kind", "team_leader"]
    path = make_table_file(
        tmp_path / "p.csv", header, [["X1", person.full_name, "sto", "T1", "core", "yes"]]
    )

    report = import_people(mission, path, actor=None)

    assert (report.n_unchanged, report.n_teams_updated) == (1, 1)
    assert Team.objects.get(code="T1").kind == "core"


ERROR_CASES = {
    "unknown_role": (
        (2, "role"),
        "ambassador",
        "unknown role “ambassador”: use a code such as sto, lto or interpreter, or the English "
        "name",
    ),
    "unknown_access": (
        (3, "access"),
        "superuser",
        "unknown access “superuser”: use administrator, core, coordinator, observer, analyst or "
        "none",
    ),
    "bad_email": (
        (4, "email"),
        "anna(at)example.org",
        "not a valid e-mail address: “anna(at)example.org”",
    ),
    "unknown_area": (
        (5, "area_code"),
        "R9",
        "unknown area code “R9”: not a location of this mission",
    ),
    "unknown_team_kind": (
        (6, "team_kind"),
        "mobile",
        "unknown team kind “mobile”: use lto, sto or core",
    ),
    "bad_leader": ((4, "team_leader"), "maybe", "“maybe” is not yes or no"),
    "bad_nationality": (
        (7, "nationality"),
        "Kazakh",
        "“Kazakh” is not a two-letter country code (ISO 3166)",
    ),
}


@pytest.mark.parametrize("case", sorted(ERROR_CASES))
def test_import_people_bad_value_is_reported(tmp_path, mission, tree, case):
    (row, column), value, reason = ERROR_CASES[case]
    rows = [r[:] for r in ROWS]
    rows[row - 2][PEOPLE_COLUMNS.index(column)] = value
    path = make_table_file(tmp_path / "people.csv", PEOPLE_COLUMNS, rows)

    report = import_people(mission, path, actor=None)

    assert report.errors == [RowError(row, column, reason)]
    assert Person.objects.filter(mission=mission).count() == 0
    assert Team.objects.filter(mission=mission).count() == 0


def test_import_people_duplicate_codes(tmp_path, mission, tree):
    rows = ROWS + [["LTO02", "Someone Else", "lto", "", "", "", "", "", "", "", "", ""]]
    path = make_table_file(tmp_path / "people.xlsx", PEOPLE_COLUMNS, rows)

    report = import_people(mission, path, actor=None)

    assert report.errors == [RowError(8, "code", "duplicate code “LTO02”: already on row 3")]
    assert Person.objects.filter(mission=mission).count() == 0


def test_import_people_conflicting_team_kinds(tmp_path, mission, tree):
    rows = [r[:] for r in ROWS]
    rows[4][10] = "lto"
    path = make_table_file(tmp_path / "people.csv", PEOPLE_COLUMNS, rows)

    report = import_people(mission, path, actor=None)

    assert report.errors == [
        RowError(6, "team_kind", "team “STO-001” is given kind “sto” on row 5 and “lto” here")
    ]
    assert Team.objects.filter(mission=mission).count() == 0


def test_import_people_new_team_needs_kind(tmp_path, mission, tree):
    rows = [r[:] for r in ROWS]
    rows[0][10] = rows[1][10] = ""
    path = make_table_file(tmp_path / "people.csv", PEOPLE_COLUMNS, rows)

    report = import_people(mission, path, actor=None)

    assert report.errors == [
        RowError(2, "team_kind", "team “LTO-01” is new: give its kind (lto, sto or core)")
    ]


def test_import_people_coordinator_within_area(tmp_path, mission, tree, coordinator):
    rows = [row for row in ROWS if row[8] in {"R1", "01001", "01002"}]
    rows = [row[:3] + ["observer" if row[3] == "coordinator" else row[3]] + row[4:] for row in rows]
    path = make_table_file(tmp_path / "people.csv", PEOPLE_COLUMNS, rows)

    report = import_people(mission, path, actor=coordinator)

    assert report.errors == []
    assert report.n_created == 5


def test_import_people_coordinator_rows_outside_area_are_named(
    tmp_path, mission, tree, coordinator
):
    rows = [
        ["STO001", "Sofia Rossi", "sto", "observer", "", "", "", "", "01001", "", "", ""],
        ["STO003", "Jan Horvath", "sto", "observer", "", "", "", "", "02001", "", "", ""],
        ["STO004", "Eva Larsen", "sto", "observer", "", "", "", "", "", "", "", ""],
        ["STO005", "Ana Silva", "sto", "administrator", "", "", "", "", "D1", "", "", ""],
    ]
    path = make_table_file(tmp_path / "people.csv", PEOPLE_COLUMNS, rows)

    report = import_people(mission, path, actor=coordinator)

    outside = "outside your area: a coordinator imports only people whose area lies in its own"
    assert report.errors == [
        RowError(3, "area_code", outside),
        RowError(4, "area_code", outside),
        RowError(5, "access", "a coordinator may only give observer access or none"),
    ]
    assert Person.objects.filter(code__startswith="STO").count() == 0


def test_import_people_coordinator_cannot_take_over_people_elsewhere(
    tmp_path, mission, tree, coordinator, other_team
):
    person = other_team.members.first()
    rows = [[person.code, "Taken", "sto", "observer", "", "", "", "", "D1", "", "", ""]]
    path = make_table_file(tmp_path / "people.csv", PEOPLE_COLUMNS, rows)

    report = import_people(mission, path, actor=coordinator)

    assert report.errors == [
        RowError(
            2,
            "code",
            f"“{person.code}” is a person outside your area; only an administrator may change them",
        )
    ]
    assert Person.objects.get(pk=person.pk).full_name == person.full_name


@pytest.mark.parametrize("persona", ["observer", "analyst", "core_member", "outsider"])
def test_import_people_other_roles_are_refused(tmp_path, mission, tree, request, persona):
    actor = request.getfixturevalue(persona)
    path = make_table_file(tmp_path / "people.csv", PEOPLE_COLUMNS, ROWS)
    before = Person.objects.count()

    with pytest.raises(PermissionDenied):
        import_people(mission, path, actor=actor)

    assert Person.objects.count() == before
