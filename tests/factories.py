"""make_* factories: small real records in the test database."""

from __future__ import annotations

import datetime as dt
import itertools

from django.contrib.auth import get_user_model

from eom.missions import services
from eom.missions.models import (
    Access,
    Location,
    LocationLevel,
    Meeting,
    Mission,
    Person,
    Team,
    TeamKind,
    TeamMembership,
)
from eom.missions.roles import ensure_roles

_numbers = itertools.count(1)


def make_mission(code: str = "test-mission", **fields) -> Mission:
    fields.setdefault("name", "Test mission")
    fields.setdefault("country", "KZ")
    fields.setdefault("deployment_start", dt.date(2023, 2, 7))
    return Mission.objects.create(code=code, **fields)


def make_location(mission: Mission, level: str, code: str, parent: Location | None = None,
                  **fields) -> Location:
    fields.setdefault("name_en", f"{level} {code}")
    path = f"{parent.path if parent else ''}{code}/"
    return Location.objects.create(
        mission=mission, level=level, code=code, parent=parent, path=path, **fields
    )


def make_tree(mission: Mission) -> dict[str, Location]:
    """KZ → two regions (R1, R2) → one district each (D1, D2) → two stations each."""
    country = make_location(mission, LocationLevel.COUNTRY, "KZ")
    tree = {"KZ": country}
    for r in (1, 2):
        region = make_location(mission, LocationLevel.REGION, f"R{r}", country)
        district = make_location(mission, LocationLevel.DISTRICT, f"D{r}", region)
        tree[f"R{r}"], tree[f"D{r}"] = region, district
        for s in (1, 2):
            code = f"0{r}00{s}"
            tree[code] = make_location(
                mission, LocationLevel.POLLING_STATION, code, district, n_registered=100 * r + s
            )
    services.recompute_totals(mission)
    return tree


def make_person(mission: Mission, *, access: str = Access.NONE, role: str = "sto",
                area: Location | None = None, login: bool = False, **fields) -> Person:
    number = next(_numbers)
    fields.setdefault("full_name", f"Person {number}")
    fields.setdefault("code", f"P{number:04d}")
    roles = ensure_roles()
    person = Person.objects.create(
        mission=mission, role=roles[role], access=access, area=area, **fields
    )
    if login:
        person.user = get_user_model().objects.create_user(
            f"user{number}", password="pw-for-tests"
        )
        person.save(update_fields=["user"])
    return person


def make_user(mission: Mission, access: str, area: Location | None = None, role: str = "sto"):
    """A login for a new person with the given access; returns the user."""
    return make_person(mission, access=access, area=area, role=role, login=True).user


def make_team(mission: Mission, code: str, members: list[Person], *, kind: str = TeamKind.STO,
              area: Location | None = None) -> Team:
    team = Team.objects.create(mission=mission, code=code, kind=kind, area=area)
    for i, person in enumerate(members):
        TeamMembership.objects.create(team=team, person=person, is_leader=i == 0)
    return team


def make_meeting(mission: Mission, *, actor, confidential: bool = False, **fields) -> Meeting:
    fields.setdefault("date", dt.date(2023, 2, 8))
    fields.setdefault("place", "Ministry of Foreign Affairs, Astana")
    data = services.MeetingData(confidential=confidential, **fields)
    return services.create_meeting(actor=actor, channel="page", mission=mission, data=data)


def core_user_for(mission: Mission):
    return make_user(mission, Access.CORE_TEAM, role="head_of_mission")


# --- API (appended for tests/missions/test_api_*.py) ---------------------------------------


def make_api_token(user, name: str = "tests") -> str:
    """A bearer token for `user` (issued by the user itself); returns the plain token."""
    return services.issue_token(actor=user, channel="command", user=user, name=name)[1]


def make_election(mission: Mission, name: str = "Mazhilis", **fields):
    """An election with one party-list contest of 69 seats."""
    from eom.missions.models import Contest, ContestKind, Election

    fields.setdefault("date", dt.date(2023, 3, 19))
    election = Election.objects.create(mission=mission, name=name, **fields)
    Contest.objects.create(
        election=election, kind=ContestKind.PARTY_LIST, name=f"{name}, party lists", seats=69,
        threshold_pct=5,
    )
    return election


def make_party(election, code: str, order: int, **fields):
    from eom.missions.models import Party

    fields.setdefault("name_en", f"Party {code}")
    return Party.objects.create(election=election, code=code, registration_order=order, **fields)


def make_deployment(team: Team, locations: list[Location], **fields):
    from eom.missions.models import Deployment

    fields.setdefault("starts", dt.date(2023, 2, 17))
    fields.setdefault("ends", dt.date(2023, 3, 22))
    deployment = Deployment.objects.create(team=team, **fields)
    deployment.locations.set(locations)
    return deployment


def make_table_file(path, header, rows, *, delimiter: str = ",", encoding: str = "utf-8",
                    sheet: str = "Sheet1"):
    """Write `header` and `rows` as a user's CSV (by `encoding`) or XLSX file, by the extension.

    XLSX cells keep their Python types: an int or float is a number cell, a str a text cell.
    """
    import csv
    from pathlib import Path

    import openpyxl

    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        workbook = openpyxl.Workbook()
        worksheet = workbook.active
        worksheet.title = sheet
        worksheet.append(list(header))
        for row in rows:
            worksheet.append(list(row))
        workbook.save(path)
        return path
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


# --- observation ------------------------------------------------------------------------------


def question(name: str, type: str = "integer", *, relevant: str = "", constraint: str = "",
             required: bool | str = False, choices: tuple[str, ...] = (), key: bool = False,
             constraint_message: str = "", label: str = "", reconcile: bool = False) -> dict:
    """A question of a form definition, with its expression trees, as the XLSForm reader
    writes it."""
    from eom.xlsform.expressions import parse, to_json

    def tree(text: str):
        return to_json(parse(text)) if text else None

    return {
        "name": name, "type": type, "label": {"en": label or name.replace("_", " ")}, "hint": {},
        "required": required, "required_message": {},
        "required_json": tree(required) if isinstance(required, str) else None,
        "relevant": relevant, "relevant_json": tree(relevant),
        "constraint": constraint, "constraint_json": tree(constraint),
        "constraint_message": {"en": constraint_message} if constraint_message else {},
        "choices": [{"name": c, "label": {"en": c}} for c in choices],
        "min": None, "max": None, "key": key, "reconcile": reconcile, "appearance": "",
        "default": None,
    }


def qa_rule(name: str, expression: str, severity: str = "high", message: str = "") -> dict:
    from eom.xlsform.expressions import parse, to_json

    return {"name": name, "expression": expression,
            "expression_json": to_json(parse(expression)), "severity": severity,
            "message": {"en": message or name}}


def indicator(name: str, expression: str, base: str = "", label: str = "") -> dict:
    """An indicator of a form definition, as the XLSForm reader writes it."""
    from eom.xlsform.expressions import parse, to_json

    return {"name": name, "label": {"en": label or name.replace("_", " ")},
            "expression": expression, "expression_json": to_json(parse(expression)),
            "base": base, "base_json": to_json(parse(base)) if base else None}


def make_form(mission: Mission, form_id: str, stage: str, questions: list[dict],
              qa: list[dict] = (), version: str = "1", indicators: list[dict] = ()):
    """A form with one version holding `questions` in one section, `qa` rules and
    `indicators` (see `indicator`)."""
    from eom.observation.models import Form, FormVersion

    definition = {
        "form_id": form_id, "title": form_id.title(), "version": version, "stage": stage,
        "languages": ["en"],
        "sections": [{"name": "", "label": {}, "relevant": "", "relevant_json": None,
                      "questions": questions}],
        "qa": list(qa),
        "indicators": list(indicators),
    }
    form, _created = Form.objects.get_or_create(
        mission=mission, form_id=form_id, defaults={"title": form_id.title(), "stage": stage}
    )
    form.current_version = FormVersion.objects.create(
        form=form, version=version, definition=definition, source=b"", source_name="test.xlsx"
    )
    form.save()
    return form


def voting_form(mission: Mission):
    """A small voting checklist: registered, voted (≤ registered), a yes/no with a follow-up
    asked only on 'no', an assessment (key answer), and two QA rules."""
    return make_form(mission, "voting", "voting", [
        question("registered", required=True, constraint=". >= 0"),
        question("voted", constraint=". <= ${registered}",
                 constraint_message="More voters than registered."),
        question("secrecy", "select_one", choices=("yes", "no"), required=True),
        question("secrecy_details", "text", relevant="${secrecy} = 'no'", required=True),
        question("problems", "select_multiple", choices=("queue", "crowding", "pressure")),
        question("assessment", "select_one", choices=("very_good", "good", "bad", "very_bad"),
                 key=True),
    ], qa=[
        qa_rule("negative", "${assessment} = 'bad' or ${assessment} = 'very_bad'", "medium"),
        qa_rule("over_list", "${voted} > ${location.n_registered}", "high",
                "More voters than on the station's list."),
    ])


# --- ODK Collect (appended for tests/observation/test_openrosa_*.py) ---------------------------


def load_checklist(mission: Mission, name: str):
    """Load a shipped checklist (`voting`, `incident`, …) into the mission; returns its
    FormVersion."""
    from pathlib import Path

    import eom.observation
    from eom.observation import services as observation_services

    path = Path(eom.observation.__file__).parent / "checklists" / f"{name}.xlsx"
    return observation_services.load_form(
        actor=None, channel="command", mission=mission, source=path.read_bytes(),
        filename=path.name,
    )


def basic_auth(user, password: str = "pw-for-tests") -> dict[str, str]:
    """The test client's keyword for an HTTP Basic `Authorization` header."""
    import base64

    token = base64.b64encode(f"{user.username}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


def fill_xform_instance(xform: bytes, values: dict[str, str], instance_id: str) -> bytes:
    """A filled instance document, as ODK Collect writes it: the XForm's primary `<instance>`
    without its repeats' templates (`jr:template`), `values` put into every leaf of those
    names (others stay empty) and `meta/instanceID` set to `uuid:<instance_id>`."""
    import copy
    import xml.etree.ElementTree as ET

    xforms = "{http://www.w3.org/2002/xforms}"
    model = ET.fromstring(xform).find(f".//{xforms}model")
    primary = next(i for i in model.findall(f"{xforms}instance") if i.get("id") is None)
    root = copy.deepcopy(next(iter(primary)))
    for parent in list(root.iter()):
        for child in [c for c in parent if c.get("{http://openrosa.org/javarosa}template") is not None]:
            parent.remove(child)
    unused = dict(values)
    for element in root.iter():
        element.tag = element.tag.rsplit("}", 1)[-1]  # Collect writes the data without namespace
        if len(element) == 0 and element.tag in values:
            element.text = str(values[element.tag])
            unused.pop(element.tag, None)
        elif element.tag == "instanceID":
            element.text = f"uuid:{instance_id}"
    assert not unused, f"not in the form: {sorted(unused)}"
    return b"<?xml version='1.0' encoding='UTF-8' ?>" + ET.tostring(root, encoding="utf-8",
                                                                   xml_declaration=False)


# --- results (appended for tests/results/) -----------------------------------------------------

KZ_PARTY_CODES = ("AMANAT", "AUYL", "RESPUBLICA", "AKZHOL", "QHP", "OSDP", "BAYTAQ")


def make_results_contest(mission: Mission, *, rule: str = "kz-mazhilis-2023",
                         parties: tuple[str, ...] = KZ_PARTY_CODES, name: str = "Mazhilis"):
    """A party-list contest of 69 seats under `rule`, with parties registered in that order."""
    election = make_election(mission, name=name)
    contest = election.contests.get()
    contest.rule = rule
    contest.save(update_fields=["rule"])
    for order, code in enumerate(parties, start=1):
        make_party(election, code, order, short_name=code.title())
    return contest


def make_protocol(contest, location: Location, source: str = "official", *,
                  votes: dict[str, int] | None = None, submission=None, **lines):
    """A protocol that adds up (unless `lines` say otherwise), with its failed checks stored.

    Defaults: votes {AMANAT: 60, AUYL: 20}, 5 against all, 3 invalid, 10 cancelled, everything
    issued found in the boxes, registered = the station's registered voters (at least those
    who voted)."""
    from eom.results.models import Protocol
    from eom.results.services import with_checks

    votes = {"AMANAT": 60, "AUYL": 20} if votes is None else votes
    against = lines.pop("n_against_all", 5)
    valid = lines.pop("n_valid", sum(votes.values()) + (against or 0))
    invalid = lines.pop("n_invalid", 3)
    in_boxes = lines.pop("n_in_boxes", valid + invalid)
    issued = lines.pop("n_issued", in_boxes)
    cancelled = lines.pop("n_cancelled", 10)
    received = lines.pop("n_received", issued + cancelled)
    registered = lines.pop("n_registered", max(location.n_registered, in_boxes))
    assert not lines, f"unknown lines: {sorted(lines)}"
    protocol = Protocol(
        mission=contest.election.mission, contest=contest, location=location, source=source,
        submission=submission, votes=votes, n_registered=registered, n_received=received,
        n_issued=issued, n_cancelled=cancelled, n_in_boxes=in_boxes, n_invalid=invalid,
        n_valid=valid, n_against_all=against,
    )
    with_checks(protocol, contest.rule).save()
    return protocol


def interlocutor_named(name: str):
    """The interlocutor of that name (names are encrypted in the database: compared here)."""
    from eom.missions.models import Interlocutor

    (found,) = [i for i in Interlocutor.objects.all() if i.name == name]
    return found


# --- file limits (appended for the tests/*/test_import_refuses_bombs.py) ---------------------

XLSX_SHEET = "xl/worksheets/sheet1.xml"


def make_workbook(path, sheet_xml: bytes, *, extra_members: int = 0):
    """A valid workbook (a path or a binary file) whose first sheet is `sheet_xml` (deflated),
    plus `extra_members` small files: zip bombs and huge cells for the import limits."""
    import io
    import zipfile

    import openpyxl

    buffer = io.BytesIO()
    book = openpyxl.Workbook()
    book.active.append(["code"])
    book.save(buffer)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            out.writestr(info.filename, sheet_xml if info.filename == XLSX_SHEET else source.read(info))
        for n in range(extra_members):
            out.writestr(f"customXml/item{n}.xml", b"<a/>")
    return path


def sheet_with_cell(text: bytes) -> bytes:
    """A worksheet's XML with one cell holding `text`."""
    return (b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
            + text + b"</t></is></c></row></sheetData></worksheet>")
