"""A body and its level are named as one phrase, so that in Russian the adjective agrees with
the noun («центральная избирательная комиссия», «районный суд»), and a level standing alone
agrees with «уровень»."""

import pytest
from django.urls import reverse
from django.utils import translation

from eom.complaints.models import BodyLevel, body_label
from tests.complaints.factories import make_case

NAMES = {
    "en": {("commission", "central"): "Central Election Commission",
           ("commission", "precinct"): "precinct election commission",
           ("court", "central"): "Supreme Court", ("court", "district"): "district court"},
    "ru": {("commission", "central"): "Центральная избирательная комиссия",
           ("commission", "regional"): "областная или территориальная избирательная комиссия",
           ("commission", "district"): "районная или окружная избирательная комиссия",
           ("commission", "precinct"): "участковая избирательная комиссия",
           ("court", "central"): "Верховный суд", ("court", "regional"): "областной суд",
           ("court", "district"): "районный суд"},
    "kk": {("commission", "central"): "Орталық сайлау комиссиясы",
           ("court", "district"): "аудандық сот"},
}


@pytest.mark.parametrize("language", NAMES)
def test_each_body_is_named_with_its_level_in_agreement(language):
    with translation.override(language):
        found = {key: body_label(*key) for key in NAMES[language]}
    assert found == NAMES[language]


def test_a_level_standing_alone_agrees_with_the_word_level_in_russian():
    with translation.override("ru"):
        assert [str(label) for label in BodyLevel.labels] == [
            "центральный", "областной или территориальный", "районный или окружной",
            "участковый"]


def test_the_register_pages_name_the_central_commission_in_russian(client, mission,
                                                                   core_member):
    case = make_case(mission, core_member, body_level="central")
    client.force_login(core_member)
    client.cookies["django_language"] = "ru"
    for url in (reverse("complaints:cases"), reverse("complaints:case", args=[case.pk]),
                reverse("complaints:figures")):
        page = client.get(url).content.decode()
        assert "Центральная избирательная комиссия" in page, url
        assert "Избирательная комиссия, центральн" not in page, url
