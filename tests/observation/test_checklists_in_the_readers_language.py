"""Checklists read in the reader's language: titles per language from the workbook (settings
`form_title::Russian (ru)` …) wherever a title appears, labels instead of codes in the
submissions filter, the channel and a refused resolution, and the workbook reader's problems."""

from pathlib import Path

import pytest
from django.urls import reverse

import eom.observation
from eom.observation.models import Form
from eom.xlsform.reader import read_xlsform
from tests.factories import load_checklist
from tests.observation.scene import send, set_up

CHECKLISTS = Path(eom.observation.__file__).parent / "checklists"
VOTING = {"en": "Voting (one per visit)", "ru": "Голосование (один на посещение)",
          "kk": "Дауыс беру (әр барғанда бір рет)"}


def test_the_shipped_checklists_carry_their_titles_in_three_languages():
    titles = {path.stem: read_xlsform(path).titles for path in sorted(CHECKLISTS.glob("*.xlsx"))}

    assert titles["voting"] == VOTING
    assert titles["opening"]["ru"] == "Открытие избирательного участка"
    assert titles["incident"]["kk"] == "Оқиға туралы хабарлама"
    assert {name: sorted(t) for name, t in titles.items()} == {
        name: ["en", "kk", "ru"] for name in titles}


def test_a_workbook_without_translated_titles_reads_its_english_title_in_every_language(
        xlsform, mission, client, core_member):
    path = xlsform([("type", "name", "label"), ("integer", "n", "N")],
                   settings=[("form_id", "form_title", "version", "stage"),
                             ("voting", "Voting", "1", "voting")])

    definition = read_xlsform(path)
    client.force_login(core_member)
    with path.open("rb") as workbook:
        client.post(reverse("observation:forms"), {"workbook": workbook})
    client.cookies["django_language"] = "ru"
    page = client.get(reverse("observation:forms")).content.decode()

    assert (definition.title, definition.titles) == ("Voting", {"en": "Voting"})
    assert "<td>Voting <small>" in page


def test_a_title_given_only_in_russian_is_the_english_one_too(xlsform):
    path = xlsform([("type", "name", "label"), ("integer", "n", "N")],
                   settings=[("form_id", "form_title::Russian (ru)", "version", "stage"),
                             ("voting", "Голосование", "1", "voting")])

    definition = read_xlsform(path)

    assert (definition.title, definition.titles) == ("Голосование", {"ru": "Голосование"})


@pytest.fixture
def voting_sent(mission, tree, observer, other_team):
    """A report sent through a web page, then the shipped voting checklist loaded."""
    set_up(mission, tree, observer, other_team)
    sent, _created = send(observer, mission, channel="page")
    load_checklist(mission, "voting")
    return sent


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_the_checklist_title_is_in_the_readers_language_on_every_page(
        client, mission, tree, observer, core_member, voting_sent, language):
    title = VOTING[language]
    client.cookies["django_language"] = language
    client.force_login(observer)
    pages = {
        "observe": client.get(reverse("observation:assignments")),
        "checklist": client.get(reverse("observation:checklist",
                                        args=[tree["01001"].pk, "voting"])),
        "mine": client.get(reverse("observation:mine")),
    }
    client.force_login(core_member)
    pages["submissions"] = client.get(reverse("observation:submissions"))
    pages["report"] = client.get(reverse("observation:submission", args=[voting_sent.uuid]))

    shown = {name: (title in page.content.decode(), VOTING["en"] in page.content.decode())
             for name, page in pages.items()}
    assert shown == {name: (True, False) for name in pages}
    assert f'data-form-title="{title}"' in pages["checklist"].content.decode()
    assert Form.objects.get(form_id="voting").titles == VOTING


def test_the_submissions_filter_lists_questions_answers_and_channels_as_labels(
        client, mission, core_member, voting_sent):
    client.cookies["django_language"] = "ru"
    client.force_login(core_member)

    page = client.get(reverse("observation:submissions"),
                      {"form": "voting", "question": "assessment"}).content.decode()

    assert '<option value="assessment" selected>Общая оценка процесса голосования</option>' in page
    assert '<option value="very_good">Очень хорошо</option>' in page
    assert f'<option value="voting" selected>{VOTING["ru"]}</option>' in page
    assert "<td data-label=\"Канал\">веб-страница</td>" in page


def test_a_refused_resolution_names_the_question_by_its_label_in_russian(
        client, mission, core_member, voting_sent, other_team, tree):
    client.cookies["django_language"] = "ru"
    client.force_login(core_member)

    response = client.post(reverse("observation:conflict_resolve"),
                           {"chosen": str(voting_sent.uuid), "question": "assessment"})

    page = response.content.decode()
    assert response.status_code == 422
    assert "Общая оценка процесса голосования" in page and "“assessment”" not in page


def test_the_workbook_readers_problems_are_shown_in_russian(xlsform, client, core_member):
    path = xlsform([("type", "name", "label"), ("integer", "n", "N"), ("integer", "2b", "B")],
                   settings=[("form_id", "version", "stage"), ("voting", "1", "polling")])
    client.cookies["django_language"] = "ru"
    client.force_login(core_member)

    with path.open("rb") as workbook:
        response = client.post(reverse("observation:forms"), {"workbook": workbook})

    page = response.content.decode()
    assert response.status_code == 422
    assert ("лист settings, строка 2, столбец «stage»: этап «polling» неизвестен; используйте "
            "один из этапов: opening, voting, counting, tabulation, incident, или оставьте пустым "
            "для общей формы") in page
    assert "лист survey, строка 3, столбец «name»: Сообщение pyxform, конвертера XLSForm: On " in (
        page.replace("&#x27;", "'").replace("&quot;", '"'))
