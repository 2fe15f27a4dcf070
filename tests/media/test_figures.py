"""Shares of time and space, tone, state versus private outlets and weeks, on known data:
exact fractions; each coding unit counted once."""

import datetime as dt
from fractions import Fraction

from eom.media import figures
from eom.media.models import Item
from tests.media.factories import DAY, code


def _counted(media):
    return figures.counted(Item.objects.filter(mission=media.mission))


def test_each_party_gets_its_exact_share_of_television_time(media):
    code(media, media.khabar, party="AMANAT", seconds=120, programme="News")
    code(media, media.khabar, party="AMANAT", seconds=60, programme="Evening")
    code(media, media.ktk, party="AUYL", seconds=120)
    table = figures.share_table(_counted(media), figures.TIME)
    assert table.total == 300
    assert [(r.label, r.volume, r.share) for r in table.rows] == [
        ("AMANAT", 180, Fraction(3, 5)), ("AUYL", 120, Fraction(2, 5))]


def test_time_and_space_are_never_added_together(media):
    code(media, media.khabar, party="AMANAT", seconds=100)
    code(media, media.paper, party="AUYL", cm2=250)
    data = _counted(media)
    assert [(r.label, r.share) for r in figures.share_table(data, figures.TIME).rows] == [
        ("AMANAT", 1)]
    assert [(r.label, r.volume) for r in figures.share_table(data, figures.SPACE).rows] == [
        ("AUYL", 250)]


def test_tone_is_the_share_of_the_subjects_own_time(media):
    code(media, media.khabar, tone="positive", seconds=90, programme="A")
    code(media, media.khabar, tone="negative", seconds=30, programme="B")
    code(media, media.khabar, tone="neutral", seconds=60, programme="C")
    row = figures.share_table(_counted(media), figures.TIME).rows[0]
    assert row.tones == {"positive": 90, "neutral": 60, "negative": 30}
    assert row.tone_shares == {"positive": Fraction(1, 2), "neutral": Fraction(1, 3),
                               "negative": Fraction(1, 6)}


def test_state_and_private_outlets_are_shown_apart(media):
    code(media, media.khabar, party="AMANAT", seconds=300)
    code(media, media.khabar, party="AUYL", seconds=100)
    code(media, media.ktk, party="AUYL", seconds=50)
    tables = {(o, t.measure): t for o, _label, t in figures.by_ownership(_counted(media))}
    state = tables[("state", "time")]
    assert [(r.label, r.share) for r in state.rows] == [("AMANAT", Fraction(3, 4)),
                                                        ("AUYL", Fraction(1, 4))]
    assert [(r.label, r.share) for r in tables[("private", "time")].rows] == [("AUYL", 1)]
    assert "ownership=state" in state.rows[0].query


def test_per_outlet_tables_measure_each_outlet_in_its_own_unit(media):
    code(media, media.khabar, seconds=30)
    code(media, media.paper, cm2=80)
    outlets = {o.name: o.table for o in figures.by_outlet(_counted(media))}
    assert (outlets["Khabar"].measure, outlets["Khabar"].total) == ("time", 30)
    assert (outlets["Vremya"].measure, outlets["Vremya"].total) == ("space", 80)


def test_weekly_shares_follow_the_campaign_week_by_week(media):
    code(media, media.khabar, party="AMANAT", seconds=100, date=DAY)
    code(media, media.khabar, party="AUYL", seconds=100, date=DAY + dt.timedelta(days=2))
    code(media, media.khabar, party="AUYL", seconds=40, date=DAY + dt.timedelta(days=7))
    table = figures.by_week(_counted(media), figures.TIME)
    assert table.weeks == [DAY, DAY + dt.timedelta(days=7)]
    assert table.totals == [200, 40]
    shares = {row.label: [share for share, _q in row.cells] for row in table.rows}
    assert shares == {"AUYL": [Fraction(1, 2), Fraction(1)], "AMANAT": [Fraction(1, 2), 0]}


def test_a_unit_coded_twice_counts_once_in_the_figures(media):
    code(media, media.khabar, seconds=100, coder="M1", tone="positive")
    second = code(media, media.khabar, seconds=90, coder="M2", tone="neutral")
    assert second.second_coding
    table = figures.share_table(_counted(media), figures.TIME)
    assert table.total == 100
    assert table.rows[0].tones["positive"] == 100
