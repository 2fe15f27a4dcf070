"""What eom decides when it loads a workbook that leaves a setting out (form_id from the file
name, version from the upload time, no stage: a general form, the list column spelled another
way) is kept with the version and shown on the Forms page, in the reader's language."""

from __future__ import annotations

import datetime as dt
from io import StringIO

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from eom.observation.models import Form

SURVEY = [("type", "name", "label"), ("select_one yn", "crowded", "Crowded?")]
CHOICES = [("list name", "name", "label"), ("yn", "yes", "Yes"), ("yn", "no", "No")]
MOMENT = dt.datetime(2023, 3, 19, 4, 2, 11, tzinfo=dt.UTC)


def upload(client, path):
    with path.open("rb") as workbook:
        return client.post(reverse("observation:forms"), {"workbook": workbook})


def test_notes_of_a_workbook_without_settings_are_kept_with_its_version(
        xlsform, mission, client, core_member, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: MOMENT)
    client.force_login(core_member)

    upload(client, xlsform(SURVEY, name="rally.xlsx", choices=CHOICES, settings=None))

    version = Form.objects.get(mission=mission).current_version
    assert (version.version, version.definition["notes"]) == ("20230319040211", [
        'the settings give no form_id; it is "rally", from the file name, as pyxform takes it',
        "the settings give no version; it is 20230319040211, the time of the upload (UTC), as "
        "ODK Central gives one",
        "the settings give no stage: a general form of the mission, not an election-day "
        "checklist",
        'the choices sheet calls its list column "list name"; it is read as list_name, as '
        "pyxform reads it",
    ])


def test_forms_page_shows_the_notes_in_the_readers_language(
        xlsform, mission, client, core_member, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: MOMENT)
    client.force_login(core_member)
    upload(client, xlsform(SURVEY, name="rally.xlsx", choices=CHOICES, settings=None))

    english = client.get(reverse("observation:forms")).content.decode()
    client.cookies["django_language"] = "ru"
    russian = client.get(reverse("observation:forms")).content.decode()
    client.cookies["django_language"] = "kk"
    kazakh = client.get(reverse("observation:forms")).content.decode()

    assert "it is 20230319040211, the time of the upload (UTC)" in english
    assert "<li>в настройках нет form_id; это «rally» — из имени файла" in russian
    assert "это 20230319040211 — время загрузки (UTC)" in russian
    assert "баптауларда кезең жоқ: бұл миссияның жалпы пішіні" in kazakh
    assert "choices парағында тізім бағаны «list name» деп аталған" in kazakh


def test_stage_given_on_loading_replaces_the_general_form_note(xlsform, mission):
    path = xlsform(SURVEY, name="rally.xlsx", choices=CHOICES, settings=None)
    out = StringIO()

    call_command("forms", "load", str(path), "--stage", "incident", "--mission", mission.code,
                 stdout=out)

    notes = Form.objects.get(mission=mission).current_version.definition["notes"]
    assert notes[2] == "the settings give no stage; it is incident, as given when the form was loaded"
    assert "general form of the mission" not in out.getvalue()
    assert f"  {notes[2]}" in out.getvalue()


def test_workbook_with_every_setting_has_no_notes(xlsform, mission, client, core_member):
    client.force_login(core_member)
    upload(client, xlsform(SURVEY, name="voting.xlsx",
                           choices=[("list_name", "name", "label"), *CHOICES[1:]]))

    page = client.get(reverse("observation:forms")).content.decode()

    assert Form.objects.get(mission=mission).current_version.definition["notes"] == []
    assert 'class="load-notes"' not in page


def test_forms_page_reads_one_form_and_three_in_as_many_queries(
        xlsform, mission, client, core_member):
    client.force_login(core_member)
    counts = []
    for names in (["a.xlsx"], ["b.xlsx", "c.xlsx"]):
        for name in names:
            upload(client, xlsform(SURVEY, name=name, choices=CHOICES, settings=None))
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("observation:forms")).content.decode()
        counts.append((len(queries), page.count('class="load-notes"')))

    assert counts[0][0] == counts[1][0]
    assert [notes for _n, notes in counts] == [1, 3]
