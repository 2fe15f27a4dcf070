"""Dates and numbers as each language writes them: the month in the genitive in Russian
("24 февраля 2023"), year first and the month in lower case in Kazakh ("2023 жылғы 24 ақпан"),
thousands grouped with a space in both ("10 223") and with a comma in English ("10,223")."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.utils import formats, timezone, translation

from eom.missions.models import KeyDate, Sample

NBSP = "\xa0"
FEB_24 = dt.date(2023, 2, 24)
EVENING = timezone.make_aware(dt.datetime(2023, 3, 19, 21, 49, 7))


@pytest.mark.parametrize(("language", "date", "month_day", "day_month_time", "with_seconds"), [
    ("en", "24 February 2023", "24 February", "19 Mar 21:49", "19 March 2023, 21:49:07"),
    ("ru", "24 февраля 2023", "24 февраля", "19 марта 21:49", "19 марта 2023, 21:49:07"),
    ("kk", "2023 жылғы 24 ақпан", "24 ақпан", "19 наурыз 21:49",
     "2023 жылғы 19 наурыз, 21:49:07"),
])
def test_a_date_reads_as_the_language_writes_it(language, date, month_day, day_month_time,
                                                with_seconds):
    with translation.override(language), timezone.override("Asia/Almaty"):
        shown = (formats.date_format(FEB_24, "DATE_FORMAT"),
                 formats.date_format(FEB_24, "MONTH_DAY_FORMAT"),
                 formats.date_format(timezone.localtime(EVENING), "DAY_MONTH_TIME_FORMAT"),
                 formats.date_format(timezone.localtime(EVENING), "DATETIME_SECONDS_FORMAT"))
    assert shown == (date, month_day, day_month_time, with_seconds)


@pytest.mark.parametrize(("language", "shown", "not_shown"), [
    ("en", "20 March 2023", "20 Mar 2023"),
    ("ru", "20 марта 2023", "Март"),
    ("kk", "2023 жылғы 20 наурыз", "Наурыз"),
])
def test_the_overview_dates_the_key_dates_in_the_readers_language(client, core_member, mission,
                                                                  language, shown, not_shown):
    KeyDate.objects.create(mission=mission, date=dt.date(2023, 3, 20), event="Statement")
    client.cookies["django_language"] = language
    client.force_login(core_member)
    html = client.get("/").content.decode()
    assert f">{shown}</time> Statement" in html
    assert not_shown not in html


@pytest.mark.parametrize(("language", "sizes"), [
    ("en", ("1,201", "10,223")),
    ("ru", (f"1{NBSP}201", f"10{NBSP}223")),
    ("kk", (f"1{NBSP}201", f"10{NBSP}223")),
])
def test_the_quick_count_groups_the_sample_and_the_stations_in_thousands(client, core_member,
                                                                         mission, language,
                                                                         sizes):
    Sample.objects.create(mission=mission, name="pvt", seed=7, size=1201, population_size=10223)
    client.cookies["django_language"] = language
    client.force_login(core_member)
    html = client.get("/analysis/quick-count/").content.decode()
    assert all(size in html for size in sizes)
    assert "1201" not in html and "10223" not in html


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_every_language_defines_eoms_own_date_formats(language):
    """A format Django does not know is used as it is named: a language without eom's formats
    would print "DAY_MONTH_TIME_FORMAT" read as format characters."""
    with translation.override(language):
        named = {name: formats.get_format(name) for name in ("DAY_MONTH_TIME_FORMAT",
                                                             "DATETIME_SECONDS_FORMAT")}
    assert {name: value for name, value in named.items() if value == name} == {}
