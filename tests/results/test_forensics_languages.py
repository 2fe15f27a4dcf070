"""The forensics page in Russian and Kazakh: eom.stats' explanations, caveats, verdicts and the
fingerprint chart in the reader's language, counts with the language's thousands separator
(a non-breaking space) and decimal comma; nothing of the English explanations left."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from tests.results.test_forensics_page import expected, honest  # noqa: F401 (fixture)

NBSP = "\xa0"

# Sentences of eom.stats' English explanations and of the chart: none may stay on the page.
ENGLISH = [
    "registered voters received a ballot",
    "ballots counted",
    "polling stations with at least 100 registered voters",
    "standard deviations",
    "Round percentages are what one expects",
    "An excess shows that some protocols",
    "sit in the corner where both exceed 90 %",
    "Most voters live where turnout is about",
    "Assumes only ballots for the leader were added",
    "An order-of-magnitude estimate",
    "Second digits of",
    "Benford's law expects",
    "Honest vote counts need not follow",
    "each additional voter turning out",
    "Ecological regression",
    "Compare regions separately",
    "Turnout, % of registered voters",
    "Leader's share, % of ballots counted",
    "(log scale)",
    "stations</title>",
]
# What may stay Latin in the page's content: party codes and names, the test contest's name
# (data given in English only), a journal's name, "eom.stats" and the p of a p-value.
NAMES = {"AMANAT", "AUYL", "OSDP", "Amanat", "Auyl", "Osdp", "Mazhilis", "party", "lists",
         "PNAS", "eom", "stats", "p", "CSV", "XLSX"}  # file formats are their names


def page_in(client, user, contest, language: str) -> str:
    client.force_login(user)
    client.cookies["django_language"] = language
    response = client.get(reverse("results:forensics"), {"contest": contest.pk})
    assert response.status_code == 200
    return response.content.decode()


def content(page: str) -> str:
    """The page's main content as text (the chart's tooltips included)."""
    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    main = re.sub(r"<(script|style)\b.*?</\1>", " ", main, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", main))


def grouped(n: int) -> str:
    return f"{n:,}".replace(",", NBSP)


@pytest.mark.parametrize("language, said", [
    ("ru", ["Бюллетень получили", "явка", "Прежде чем делать выводы, сравните регионы по отдельности.",
            "Это оценка порядка величины, а не подсчёт фальсифицированных бюллетеней.",
            "Явка, % избирателей в списке", "(логарифмическая шкала)", "ничего необычного",
            "по закону Бенфорда ожидается"]),
    ("kk", ["Тізімдегі сайлаушылар:", "Қорытынды жасамас бұрын өңірлерді жеке-жеке салыстырыңыз.",
            "Бұл бұрмаланған бюллетеньдердің саны емес, тек шаманың ретін бағалау.",
            "Сайлаушылардың келуі, тізімдегі сайлаушылардың %-ы", "(логарифмдік шкала)",
            "ерекше ештеңе жоқ", "Бенфорд заңы бойынша күтілетін мән"]),
])
def test_forensics_explanations_and_verdicts_are_in_the_readers_language_with_its_numbers(
        client, honest, analyst, language, said):  # noqa: F811
    contest, rows = honest
    result = expected(rows)
    page = page_in(client, analyst, contest, language)
    text = content(page)
    for phrase in said:
        assert phrase in text, phrase
    for sentence in ENGLISH:
        assert sentence not in text and sentence not in page, sentence
    # the headline's totals grouped by a non-breaking space, percentages with a decimal comma
    h = result.headline
    assert grouped(h.n_registered) in text and grouped(h.n_ballots) in text
    assert grouped(h.n_counted) in text and grouped(h.n_leader) in text
    assert f"{h.turnout_percent:.2f} %".replace(".", ",") in text
    assert f"{h.n_registered:,}" not in text and str(h.n_registered) not in text
    # the integer-percentage sentence cites the checks' own figures
    ip = result.integer_percent
    assert f"{ip.z_score:.1f}".replace(".", ",") in text
    # the fingerprint's tooltips: one per cell, in the reader's language
    titles = re.findall(r"<title>(.*?)</title>", page.split("<svg", 1)[1])
    assert titles and all(t.startswith(("явка ", "келу ")) for t in titles)
    # no English word left in the content but codes and names
    assert set(re.findall(r"[A-Za-z][A-Za-z']+", text)) <= NAMES


def test_forensics_plural_forms_follow_the_count_in_russian(client, honest, analyst):  # noqa: F811
    contest, _rows = honest
    text = content(page_in(client, analyst, contest, "ru"))
    # 240 stations: "240 участков"; the chart's cells hold one station or a few
    assert re.search(r"На 240 участках каждый дополнительно пришедший избиратель", text)
    cells = re.findall(r"доля \d+–\d+ %: (\d+) (участок|участка|участков)", text)
    assert cells
    for n, word in cells:
        n = int(n)
        form = ("участок" if n % 10 == 1 and n % 100 != 11 else
                "участка" if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14 else "участков")
        assert word == form, (n, word)


def test_forensics_page_in_english_keeps_the_checks_english_sentences(client, honest, analyst):  # noqa: F811
    contest, rows = honest
    result = expected(rows)
    text = content(page_in(client, analyst, contest, "en"))
    h = result.headline
    assert (f"{h.n_ballots:,} of {h.n_registered:,} registered voters received a ballot "
            f"(turnout {h.turnout_percent:.2f} %);") in text
    for caveat in (*result.shpilkin.caveats, *result.benford.caveats, *result.slope.caveats,
                   *result.integer_percent.caveats):
        assert caveat in text, caveat
