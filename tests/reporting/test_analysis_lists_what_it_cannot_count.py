"""The process analysis counts choice questions; it lists every other question of the form by
name and type with the reason it has no counts (free text, a file, a place on a map …), in the
reader's language."""

from __future__ import annotations

from django.urls import reverse

from eom.observation.services import load_form
from eom.reporting.analysis import uncounted_questions
from tests.observation.test_xlsform_corpus import workbook

SURVEY = [
    ("type", "name", "label", "calculation"),
    ("start", "start", "", ""),
    ("select_one yn", "queue", "Queue outside?", ""),
    ("select_multiple yn", "ticks", "Ticks", ""),
    ("text", "remarks", "Remarks", ""),
    ("integer", "n_voters", "Voters seen", ""),
    ("image", "photo", "Photo of the protocol", ""),
    ("geotrace", "route", "Route taken", ""),
    ("barcode", "seal", "Seal number", ""),
    ("note", "thanks", "Thank you", ""),
    ("calculate", "double", "", "${n_voters} * 2"),
    ("rank yn", "order", "Order", ""),
    ("date", "day", "Day", ""),
]
CHOICES = [("list_name", "name", "label"), ("yn", "yes", "Yes"), ("yn", "no", "No")]


def load(mission, tmp_path):
    path = workbook(tmp_path / "rally.xlsx", SURVEY, CHOICES)
    return load_form(actor=None, channel="command", mission=mission, source=path.read_bytes(),
                     filename=path.name).form


def test_every_question_that_is_no_choice_is_listed_with_its_reason(mission, tmp_path):
    form = load(mission, tmp_path)

    listed = [(q.name, q.type, q.reason) for q in uncounted_questions(form)]

    assert listed == [
        ("start", "start", "recorded by the phone, not asked"),
        ("remarks", "text", "free text"),
        ("n_voters", "integer", "a number: the analysis counts choices; an indicator can count it"),
        ("photo", "image", "a file"),
        ("route", "geotrace", "a place on a map"),
        ("seal", "barcode", "free text"),
        ("thanks", "note", "no answer: a text shown"),
        ("double", "calculate", "worked out from other answers, not asked"),
        ("order", "rank", "an order of choices"),
        ("day", "date", "a date or a time"),
    ]


def test_analysis_page_lists_them_in_the_readers_language(mission, tmp_path, client,
                                                           core_member):
    load(mission, tmp_path)
    client.force_login(core_member)

    english = client.get(reverse("reporting:analysis"), {"form": "rally"}).content.decode()
    client.cookies["django_language"] = "ru"
    russian = client.get(reverse("reporting:analysis"), {"form": "rally"}).content.decode()
    client.cookies["django_language"] = "kk"
    kazakh = client.get(reverse("reporting:analysis"), {"form": "rally"}).content.decode()

    section = english[english.index('id="uncounted"'):]
    assert section.count("<tr>") == 1 + 10  # the header and ten questions
    assert "Photo of the protocol <small><code>photo</code></small>" in section
    assert "<code>image</code></td><td data-label=\"Why it is not counted\">a file</td>" in section
    assert 'id="q-queue"' in english and 'id="q-ticks"' in english
    assert "Здесь не подсчитывается" in russian and "свободный текст" in russian
    assert "Мұнда саналмайды" in kazakh and "картадағы орын" in kazakh


def test_form_of_choices_only_has_no_such_list(mission, tmp_path, client, core_member):
    path = workbook(tmp_path / "short.xlsx", [SURVEY[0], SURVEY[2]], CHOICES)
    load_form(actor=None, channel="command", mission=mission, source=path.read_bytes(),
              filename=path.name)
    client.force_login(core_member)

    page = client.get(reverse("reporting:analysis"), {"form": "short"}).content.decode()

    assert 'id="q-queue"' in page
    assert 'id="uncounted"' not in page
