"""Mission data in the reader's language: the banner, elections, contests, key dates, kinds of
place and commissions in Russian and Kazakh, English where a translation is missing."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import translation

from eom.missions.importers import import_locations
from eom.missions.languages import localised, place_kind
from eom.missions.models import AuditEntry, Election, KeyDate, Location, LocationLevel
from tests.factories import (
    make_api_token,
    make_election,
    make_protocol,
    make_results_contest,
    make_table_file,
)
from tests.missions.adminforms import admin_form_data

BANNER = re.compile(r'<p class="mission-name">(.*?)</p>')


@pytest.fixture
def mission_data(mission, tree):
    """The mission, an election with its contest, and a key date, in three languages except
    for the contest's Kazakh name (left empty: English is shown instead)."""
    mission.name_ru, mission.name_kk = "Миссия по наблюдению", "Бақылау миссиясы"
    mission.note, mission.note_ru = "Core team of 11.", "Основная группа из 11 человек."
    mission.save()
    election = make_election(mission, "Early election of deputies of the Mazhilis",
                             name_ru="Внеочередные выборы депутатов Мажилиса",
                             name_kk="Мәжіліс депутаттарының кезектен тыс сайлауы")
    election.contests.update(name="Mazhilis, nationwide party list",
                             name_ru="Мажилис, общенациональный партийный список")
    KeyDate.objects.create(mission=mission, date=dt.date(2023, 3, 20),
                           event="Statement of preliminary findings and conclusions",
                           event_ru="Заявление о предварительных результатах и выводах",
                           event_kk="Алдын ала тұжырымдар мен қорытындылар туралы мәлімдеме")
    tree["R1"].kind = "city"
    tree["R1"].save()
    return election


def read(client, user, url: str, language: str | None) -> str:
    if language:
        client.cookies["django_language"] = language
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_localised_picks_the_readers_language_and_falls_back_to_english(mission_data):
    contest = mission_data.contests.get()
    assert localised(mission_data, "name", "kk") == "Мәжіліс депутаттарының кезектен тыс сайлауы"
    assert localised(contest, "name", "ru") == "Мажилис, общенациональный партийный список"
    assert localised(contest, "name", "kk") == "Mazhilis, nationwide party list"
    assert localised(contest, "name", "de") == "Mazhilis, nationwide party list"
    with translation.override("ru"):
        assert str(mission_data) == "Внеочередные выборы депутатов Мажилиса"
    with translation.override("en"):
        assert str(mission_data) == "Early election of deputies of the Mazhilis"


@pytest.mark.parametrize("language, banner, election, contest, key_date, note", [
    ("ru", "Миссия по наблюдению", "Внеочередные выборы депутатов Мажилиса",
     "Мажилис, общенациональный партийный список",
     "Заявление о предварительных результатах и выводах", "Основная группа из 11 человек."),
    ("kk", "Бақылау миссиясы", "Мәжіліс депутаттарының кезектен тыс сайлауы",
     "Mazhilis, nationwide party list",
     "Алдын ала тұжырымдар мен қорытындылар туралы мәлімдеме", "Core team of 11."),
    ("en", "Test mission", "Early election of deputies of the Mazhilis",
     "Mazhilis, nationwide party list",
     "Statement of preliminary findings and conclusions", "Core team of 11."),
], ids=["ru", "kk", "en"])
def test_overview_shows_mission_data_in_the_readers_language(
        client, core_member, mission_data, language, banner, election, contest, key_date, note):
    page = read(client, core_member, reverse("missions:overview"), language)
    assert BANNER.findall(page) == [banner]
    assert f"<h3>{election} <small>" in page
    assert f"<li>{contest} — " in page
    assert f"</time> {key_date}</li>" in page
    assert f'<p class="note">{note}</p>' in page


def test_overview_without_a_language_chosen_shows_english(client, core_member, mission_data):
    page = read(client, core_member, reverse("missions:overview"), None)
    assert BANNER.findall(page) == ["Test mission"]
    assert "Early election of deputies of the Mazhilis" in page


@pytest.mark.parametrize("language, kind", [("ru", "город"), ("kk", "қала"), ("en", "city")])
def test_location_page_shows_a_known_kind_in_the_readers_language(
        client, analyst, mission_data, tree, language, kind):
    page = read(client, analyst, reverse("missions:location", args=[tree["R1"].pk]), language)
    assert f"<dd>{kind}</dd>" in page


def test_a_kind_eom_does_not_know_is_shown_as_entered():
    with translation.override("ru"):
        assert place_kind("aul") == "aul"
        assert place_kind("Rural") == "сельский"


@pytest.mark.parametrize("language, expected", [
    ("ru", "Окружная избирательная комиссия, district D1"),
    ("kk", "Округтік сайлау комиссиясы, district D1"),
    ("en", "District election commission, district D1"),
], ids=["ru", "kk", "en"])
def test_a_commission_is_named_after_its_level_in_the_readers_language(tree, language, expected):
    assert tree["D1"].level == LocationLevel.DISTRICT
    with translation.override(language):
        assert tree["D1"].commission_name == expected


@pytest.mark.parametrize("page", ["overview", "protocols", "seats"])
def test_results_pages_head_the_contest_in_the_readers_language(
        client, analyst, mission, tree, page):
    contest = make_results_contest(mission)
    contest.name_kk = "Мәжіліс, партиялық тізімдер"
    contest.save()
    make_protocol(contest, tree["01001"], votes={"AMANAT": 61, "AUYL": 20})
    url = reverse(f"results:{page}") + f"?contest={contest.pk}"
    assert "Мәжіліс, партиялық тізімдер" in read(client, analyst, url, "kk")
    assert "Мәжіліс, партиялық тізімдер" not in read(client, analyst, url, "en")
    assert contest.name in read(client, analyst, url, "en")


def test_api_answers_election_and_contest_names_in_the_readers_language(
        client, core_member, mission_data):
    token = make_api_token(core_member)
    headers = {"Authorization": f"Bearer {token}", "Accept-Language": "ru"}
    [election] = client.get("/api/elections", headers=headers).json()
    assert election["name"] == "Внеочередные выборы депутатов Мажилиса"
    assert (election["name_en"], election["name_kk"]) == (
        "Early election of deputies of the Mazhilis", "Мәжіліс депутаттарының кезектен тыс сайлауы")
    assert election["contests"][0]["name"] == "Мажилис, общенациональный партийный список"
    [mission] = client.get("/api/missions", headers={**headers, "Accept-Language": "kk"}).json()
    assert (mission["name"], mission["name_en"]) == ("Бақылау миссиясы", "Test mission")


def test_admin_saves_an_elections_russian_and_kazakh_names(client, administrator, mission):
    election = make_election(mission, "Mazhilis")
    url = reverse("admin:missions_election_change", args=[election.pk])
    client.force_login(administrator)
    data = admin_form_data(client, url, name_ru="Мажилис", name_kk="Мәжіліс",
                           note_kk="Ескертпе")
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    stored = Election.objects.get(pk=election.pk)
    assert (stored.name, stored.name_ru, stored.name_kk, stored.note_kk) == (
        "Mazhilis", "Мажилис", "Мәжіліс", "Ескертпе")
    entry = AuditEntry.objects.filter(model="missions.election").latest("pk")
    assert entry.changes["name_kk"] == ["", "Мәжіліс"]


def test_admin_refuses_a_russian_name_over_the_limit_naming_the_field(
        client, administrator, mission):
    election = make_election(mission, "Mazhilis")
    url = reverse("admin:missions_election_change", args=[election.pk])
    client.force_login(administrator)
    response = client.post(url, admin_form_data(client, url, name_ru="М" * 301))
    assert response.status_code == 200
    assert "name_ru" in response.context["adminform"].form.errors
    assert Election.objects.get(pk=election.pk).name_ru == ""


def test_location_import_with_language_columns_sets_the_translations(tmp_path, mission, tree):
    path = make_table_file(
        tmp_path / "names.csv", ["code", "level", "parent_code", "name_en", "name_ru", "name_kk"],
        [["D1", "district", "R1", "Single-member district No. 1",
          "Одномандатный избирательный округ № 1", "№ 1 бір мандатты сайлау округі"]])

    report = import_locations(mission, path, actor=None)

    assert (report.n_updated, report.errors) == (1, [])
    district = Location.objects.get(pk=tree["D1"].pk)
    assert (district.name_ru, district.name_kk) == (
        "Одномандатный избирательный округ № 1", "№ 1 бір мандатты сайлау округі")
    with translation.override("kk"):
        assert district.commission_name == (
            "Округтік сайлау комиссиясы, № 1 бір мандатты сайлау округі")


def test_location_import_refuses_a_kazakh_name_over_the_limit_naming_row_and_column(
        tmp_path, mission, tree):
    path = make_table_file(
        tmp_path / "names.csv", ["code", "level", "parent_code", "name_en", "name_kk"],
        [["D1", "district", "R1", "District 1", "Қ" * 301]])

    report = import_locations(mission, path, actor=None)

    assert [(e.row, e.column) for e in report.errors] == [(2, "name_kk")]
    assert "301" in report.errors[0].reason
    assert Location.objects.get(pk=tree["D1"].pk).name_kk == ""
