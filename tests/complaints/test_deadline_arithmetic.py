"""The legal deadline as the law counts days: calendar or working days, weekends, holidays."""

import datetime as dt

import pytest

from eom.complaints.deadlines import is_working_day, legal_deadline, within

WED = dt.date(2023, 3, 1)  # a Wednesday
FRI = dt.date(2023, 3, 3)


def test_calendar_days_count_every_day_after_the_day_of_filing():
    assert legal_deadline(WED, 5) == dt.date(2023, 3, 6)  # Monday
    assert legal_deadline(WED, 1) == dt.date(2023, 3, 2)


def test_a_calendar_deadline_on_a_saturday_moves_to_monday():
    assert legal_deadline(WED, 3) == dt.date(2023, 3, 6)  # Sat 4 March → Mon 6 March
    assert legal_deadline(WED, 4) == dt.date(2023, 3, 6)  # Sun 5 March → Mon 6 March


def test_an_election_period_rule_counts_every_day_and_does_not_move():
    assert legal_deadline(WED, 3, moves_off_weekends=False) == dt.date(2023, 3, 4)


def test_working_days_skip_the_weekend():
    assert legal_deadline(FRI, 1, "working") == dt.date(2023, 3, 6)
    assert legal_deadline(FRI, 3, "working") == dt.date(2023, 3, 8)
    assert legal_deadline(WED, 5, "working") == dt.date(2023, 3, 8)


def test_a_complaint_filed_on_a_saturday_counts_from_the_next_working_day():
    assert legal_deadline(dt.date(2023, 3, 4), 1, "working") == dt.date(2023, 3, 6)


def test_holidays_are_no_working_days():
    women_day = dt.date(2023, 3, 8)
    assert not is_working_day(women_day, {women_day})
    assert legal_deadline(dt.date(2023, 3, 6), 2, "working", holidays={women_day}) == \
        dt.date(2023, 3, 9)
    assert legal_deadline(dt.date(2023, 3, 5), 3, holidays={women_day}) == dt.date(2023, 3, 9)


def test_zero_days_is_the_day_of_filing_even_on_a_sunday():
    sunday = dt.date(2023, 3, 19)
    assert legal_deadline(sunday, 0) == sunday
    assert legal_deadline(sunday, 0, "working") == sunday


def test_bad_rules_are_refused():
    with pytest.raises(ValueError):
        legal_deadline(WED, -1)
    with pytest.raises(ValueError):
        legal_deadline(WED, 1, "lunar")


def test_within_the_deadline_includes_the_last_day():
    assert within(dt.date(2023, 3, 6), dt.date(2023, 3, 6)) is True
    assert within(dt.date(2023, 3, 7), dt.date(2023, 3, 6)) is False
    assert within(None, dt.date(2023, 3, 6)) is None
