"""The results pages in Russian and Kazakh: the seat allocation's explanation worded from the
electoral cores' phrases with numbers as each language writes them, and the arithmetic checks
under their translated names with the code beside them."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from eom.electoral import LargestRemainder, TieBreak
from eom.results import wording
from tests.factories import make_protocol, make_results_contest

ENGLISH_BEFORE = [
    "Hare quota, largest remainder", "threshold 5 % (at least)", "votes / seats",
    "1st largest remainder", "largest remainder no.", "valid ballots including against all",
]


def read(client, user, url: str, language: str) -> str:
    client.cookies["django_language"] = language
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    # Thousands are grouped with a (narrow) no-break space; compare with a plain one.
    return response.content.decode().replace("\xa0", " ").replace("\u202f", " ")


@pytest.fixture
def contest(mission, tree):
    contest = make_results_contest(mission)
    # 01001 does not add up: 500 votes + 5 against all ≠ 600 valid (votes_sum fails).
    make_protocol(contest, tree["01001"], votes={"AMANAT": 0, "AUYL": 500}, n_valid=600)
    for code in ("01002", "02001", "02002"):
        make_protocol(contest, tree[code], votes={"AMANAT": 412_000, "AUYL": 137_000},
                      n_registered=1_000_000)
    return contest


@pytest.mark.parametrize("language, expected", [
    ("ru", ["квота Хэйра, наибольший остаток",
            "порог 5 % (не менее) от 1 647 520 действительных бюллетеней, включая «против всех» "
            "= 82 376 голоса",
            "квота: голоса / мандаты = 1 647 500 / 69 = 23 876,8116",
            "Мандат 69: Amanat (наибольший остаток) — наибольший остаток № 1"]),
    ("kk", ["Хэйр квотасы, ең үлкен қалдық",
            "өту шегі: 1 647 520 жарамды бюллетеньдер, «бәріне қарсы» қоса алғанда ішінен 5 % "
            "(кемінде) = 82 376 дауыс",
            "квота: дауыстар / мандаттар = 1 647 500 / 69 = 23 876,8116",
            "69-мандат: Amanat (ең үлкен қалдық) — ең үлкен қалдық, № 1"]),
], ids=["ru", "kk"])
def test_seats_page_explains_the_allocation_in_the_readers_language(
        client, contest, core_member, language, expected):
    page = read(client, core_member, reverse("results:seats") + f"?contest={contest.pk}",
                language)
    for text in expected:
        assert text in page
    for text in ENGLISH_BEFORE:
        assert text not in page


def test_seats_page_in_english_keeps_the_cores_wording_with_the_quota_value(
        client, contest, core_member):
    page = read(client, core_member, reverse("results:seats") + f"?contest={contest.pk}", "en")
    assert "Hare quota, largest remainder<br>" in page
    assert "quota: votes / seats = 1,647,500 / 69 = 23,876.8116" in page
    assert "Seat 69: Amanat (largest remainder) — largest remainder no. 1" in page


@pytest.mark.parametrize("language, title, label", [
    ("ru", "Голоса за списки и «против всех» в сумме равны числу действительных бюллетеней",
     "сумма голосов"),
    ("kk", "Тізімдерге берілген дауыстар мен «бәріне қарсы» дауыстардың сомасы жарамды "
           "бюллетеньдер санына тең", "дауыстар сомасы"),
], ids=["ru", "kk"])
def test_protocol_pages_name_the_checks_in_the_readers_language_with_the_code_beside(
        client, contest, core_member, tree, language, title, label):
    failing = contest.protocols.get(location=tree["01001"])
    page = read(client, core_member, reverse("results:protocol", args=[failing.pk]), language)
    assert f"✗ {title}</strong>" in page
    assert '<code title="votes_sum">sum(votes) + n_against_all == n_valid</code>' in page
    assert "The votes for the lists and against all add up to the valid ballots" not in page
    assert "Valid and invalid ballots add up" not in page
    listing = read(client, core_member, reverse("results:protocols")
                   + f"?contest={contest.pk}&failed=any", language)
    assert f'<span class="badge confidential" title="votes_sum">{label}</span>' in listing
    assert f'<option value="votes_sum">{label}</option>' in listing
    assert ">votes_sum<" not in listing


def test_check_explanation_groups_thousands_as_the_language_does(contest, tree):
    from eom.results import checks

    check = next(c for c in checks.load_checks(contest.rule) if c.name == "over_voting")
    protocol = {"n_in_boxes": 1_234_567, "n_registered": 1_000_000}
    with translation.override("ru"):
        text = checks.evaluate(check, protocol).explanation.replace("\xa0", " ")
    assert "1 234 567" in text and "1 000 000" in text and "234,567" not in text
    with translation.override("en"):
        assert "1,234,567" in checks.evaluate(check, protocol).explanation


@pytest.mark.parametrize("language, expected", [
    ("ru", "Amanat, Auyl: равенство при значении 0,5000; спорные: 1 мандат по остатку; его "
           "получает Amanat, решено по правилу: более ранняя регистрация (в порядке: Amanat, "
           "Auyl)"),
    ("kk", "Amanat, Auyl: теңдік 0,5000 мәнімен; дау тудырған: қалдық бойынша 1 мандат; оны Amanat "
           "алады, шешілген ереже: ертерек тіркелу (тіркелу реті: Amanat, Auyl)"),
], ids=["ru", "kk"])
def test_a_tie_settled_by_the_law_is_worded_in_the_readers_language(language, expected):
    allocation = LargestRemainder("hare", TieBreak(("earlier_registration",))).allocate(
        {"A": 100, "B": 100}, 3, registration_order=["A", "B"])
    award = allocation.awards[0]
    assert award.note == (
        "A, B tied at 0.5000 for 1 remainder seat; A gets it, settled by earlier registration "
        "(A before B)")
    assert award.why.kind == "tie_break" and award.why["chosen"] == ("A",)
    with translation.override(language):
        assert wording.phrase(award.why, {"A": "Amanat", "B": "Auyl"}) == expected


def test_a_tie_the_law_leaves_open_is_worded_in_the_readers_language():
    allocation = LargestRemainder("hare").allocate({"A": 100, "B": 100}, 3)
    assert allocation.tie.reason == (
        "A, B tied at 0.5000 for 1 remainder seat; no tie rule of the law settles it")
    with translation.override("ru"):
        assert wording.phrase(allocation.tie.why) == (
            "A, B: равенство при значении 0,5000; спорные: 1 мандат по остатку; ни одно правило "
            "закона о равенстве его не решает")
