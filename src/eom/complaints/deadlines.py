"""The day by which a body must decide a complaint, as an election law counts days.

Pure (no Django import): `legal_deadline(filed, days, counting, …)` and `is_working_day`.

- Calendar days: the deadline is `days` days after the day of filing (the day of filing itself
  is not counted). When it falls on a Saturday, a Sunday or a holiday, it moves to the next
  working day if `moves_off_weekends` (the general rule of procedure); rules for the election
  period often count every day and do not move (`moves_off_weekends=False`).
- Working days: the deadline is the `days`-th working day after the day of filing (Saturdays,
  Sundays and the holidays given are skipped).
- Zero days ("immediately", "on the day"): the day of filing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

CALENDAR = "calendar"
WORKING = "working"
WEEKEND = (5, 6)  # Saturday, Sunday (date.weekday())


def is_working_day(day: dt.date, holidays: Collection[dt.date] = ()) -> bool:
    return day.weekday() not in WEEKEND and day not in holidays


def next_working_day(day: dt.date, holidays: Collection[dt.date] = ()) -> dt.date:
    """`day` itself when it is a working day, else the first working day after it."""
    while not is_working_day(day, holidays):
        day += dt.timedelta(days=1)
    return day


def legal_deadline(filed: dt.date, days: int, counting: str = CALENDAR, *,
                   holidays: Collection[dt.date] = (), moves_off_weekends: bool = True
                   ) -> dt.date:
    """The last day on which the body may decide a complaint filed on `filed`."""
    if days < 0:
        raise ValueError("days must be 0 or more")
    if counting == CALENDAR:
        day = filed + dt.timedelta(days=days)
        return next_working_day(day, holidays) if moves_off_weekends and days else day
    if counting == WORKING:
        day, left = filed, days
        while left:
            day += dt.timedelta(days=1)
            if is_working_day(day, holidays):
                left -= 1
        return day
    raise ValueError(f"unknown counting {counting!r}: calendar or working")


def within(decided: dt.date | None, deadline: dt.date | None) -> bool | None:
    """Whether a decision came by the deadline; None when either is unknown."""
    if decided is None or deadline is None:
        return None
    return decided <= deadline
