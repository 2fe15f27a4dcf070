"""Checks of what the outside sends, shared by the forms, the API schemas and the ingestion.

Each `…_problem` function returns the reason a value is refused (a translated sentence
without the field's name, which the caller puts in front: forms and schemas name the field by
their own means), or None when the value is accepted; each `check_…` function is the same as a
Django form validator (raising ValidationError), and `Id` the same as a type of the API's
schemas. The limits are settings read from the environment (docs/security-limits.md); they are
read at each call, so a test may change them.

- Text: valid Unicode (no lone surrogate: only a JSON `\\ud800` escape can carry one) and no NUL
  character (PostgreSQL cannot store it), at most so many characters.
- Lists: at most so many items.
- Searches: at most so many words and characters (each word is one more condition).
- Times observed: inside the mission's observation period, and not in the future.
- Ids: what a 64-bit database column holds.
- Times compared in the database: convertible to UTC.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Annotated, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import Field

MAX_ID = 2**63 - 1  # the largest value of a 64-bit (bigint) column
# Observation times before this day are refused whatever the mission says: no mission used eom
# before it, and a date such as 0001-01-01 breaks time-zone arithmetic.
EARLIEST_DAY = dt.date(2000, 1, 1)
# A phone's clock may be ahead of the server's; later than this ahead is refused.
CLOCK_AHEAD = dt.timedelta(days=1)


def limit(name: str) -> int:
    """The limit of that name (`EOM_MAX_…`, `DATA_UPLOAD_MAX_…`) from the settings."""
    return getattr(settings, name)


# --- text ---------------------------------------------------------------------------------


def text_problem(value: str, *, max_chars: int | None = None) -> str | None:
    """Why this text cannot be stored, or None."""
    if "\x00" in value:
        return _("contains a NUL character, which a text may not hold")
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return _("is not valid Unicode (it holds a lone surrogate such as \\ud800)")
    if max_chars is not None and len(value) > max_chars:
        return _("is %(n)d characters long; at most %(max)d are allowed") % {
            "n": len(value), "max": max_chars}
    return None


def bad_texts(data: Any, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """(path, reason) of each key or string inside decoded JSON that is not valid text; the
    path is the keys and indexes from the top. Walks without recursion (any depth)."""
    stack = [(path, data)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, str):
            problem = text_problem(value)
            if problem:
                yield where, problem
        elif isinstance(value, dict):
            for key, item in value.items():
                problem = text_problem(key) if isinstance(key, str) else None
                if problem:
                    yield (*where, key), _("the name %(problem)s") % {"problem": problem}
                    continue
                stack.append(((*where, key), item))
        elif isinstance(value, list):
            stack.extend(((*where, index), item) for index, item in enumerate(value))


def printable_path(path: tuple) -> str:
    """`answers.comment`, `submissions[3].answers.comment`; a name that is not valid text is
    shown escaped."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            name = part if text_problem(part) is None else part.encode(
                "unicode_escape").decode("ascii")
            text += f".{name}" if text else name
    return text


# --- lists and searches -------------------------------------------------------------------


def count_problem(n: int, max_items: int) -> str | None:
    """Why a list of n items is too long, or None."""
    if n > max_items:
        return _("%(n)d items; at most %(max)d are allowed") % {"n": n, "max": max_items}
    return None


def search_problem(value: str) -> str | None:
    """Why a search cannot be run: too many words or characters (each word is one more
    condition of the query), or bad text."""
    problem = text_problem(value, max_chars=limit("EOM_MAX_SEARCH_CHARS"))
    if problem:
        return problem
    n_words = len(value.split())
    if n_words > limit("EOM_MAX_SEARCH_WORDS"):
        return _("a search of %(n)d words; at most %(max)d are allowed") % {
            "n": n_words, "max": limit("EOM_MAX_SEARCH_WORDS")}
    return None


def check_search(value: str) -> None:
    """A Django form validator for a search field."""
    problem = search_problem(value)
    if problem:
        raise ValidationError(problem, code="search")


# An id in the API: what a bigint column can hold.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


# --- times observed -----------------------------------------------------------------------


def observation_period(mission) -> tuple[dt.date | None, dt.date | None]:
    """The mission's first and last day of observation: its own setting, else its deployment."""
    first = mission.observation_starts or mission.deployment_start
    last = mission.observation_ends or mission.deployment_end
    return first, last


def observed_at_problem(mission, moment: dt.datetime, now: dt.datetime | None = None
                        ) -> str | None:
    """Why a report cannot have been observed at `moment` (aware): before the mission's first
    day of observation (or 2000), after its last day, or more than a day ahead of the server's
    clock. Days are those of the mission's time zone (TIME_ZONE)."""
    now = now or timezone.now()
    first, last = observation_period(mission)
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(max(first or EARLIEST_DAY, EARLIEST_DAY), dt.time(), zone)
    end = now + CLOCK_AHEAD
    if last is not None and last < dt.date.max:
        end = min(end, dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), zone))
    if start <= moment < end:
        return None
    shown = moment.isoformat(timespec="minutes")
    if moment >= now + CLOCK_AHEAD:
        return _("%(time)s is in the future") % {"time": shown}
    return _("%(time)s is outside the mission's observation period (%(first)s to %(last)s)") % {
        "time": shown, "first": (first or EARLIEST_DAY).isoformat(),
        "last": last.isoformat() if last else _("today")}


def parse_observed_at(raw: Any) -> dt.datetime | None:
    """A time sent as text (ISO 8601) or as a datetime, made aware in the mission's time zone;
    None when nothing was sent. Raises ValueError with the reason."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, dt.datetime):
        moment = raw
    else:
        text = str(raw).strip()
        try:
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(_("“%(value)s” is not a date and time such as 2023-03-19T10:42")
                             % {"value": text[:40]}) from None
    if timezone.is_naive(moment):
        try:
            moment = timezone.make_aware(moment)
        except (OverflowError, ValueError):
            raise ValueError(_("“%(value)s” is not a date and time such as 2023-03-19T10:42")
                             % {"value": str(raw)[:40]}) from None
    return moment


def check_moment(value: dt.datetime | None) -> None:
    """A Django form validator for a time the database compares with its own (in UTC): one
    within a day of the calendar's ends (years 1 and 9999) cannot be moved into UTC."""
    if value is None:
        return
    try:
        (value if timezone.is_aware(value) else timezone.make_aware(value)).astimezone(dt.UTC)
    except (OverflowError, ValueError):
        raise ValidationError(_("this time is out of range"), code="out_of_range") from None


def id_problem(value: Any) -> str | None:
    """Why a value sent as a record's id cannot be one (not a whole number within 64 bits)."""
    text = str(value).strip()
    if not text.isdigit() or len(text) > 19 or int(text) > MAX_ID:
        return _("“%(value)s” is not an id") % {"value": text[:40]}
    return None


# --- times of day -------------------------------------------------------------------------


def naive_time_problem(value: dt.time | None) -> str | None:
    """A meeting's time is a local time of day: one with a UTC offset (10:00+06:00, 10:00Z)
    cannot be stored."""
    if value is not None and value.tzinfo is not None:
        return _("give the local time without a time zone, such as 10:00")
    return None


def body_error(field: str | tuple, message: str, value: Any = None, kind: str = "invalid") -> dict:
    """One entry of a 422's `detail` naming a field of the request body, as django-ninja writes
    its own: `field` a dotted path (`sections.2.text`) or a tuple of its parts."""
    parts = field if isinstance(field, tuple) else tuple(
        int(part) if part.isdigit() else part for part in field.split("."))
    return {"type": kind, "loc": ["body", "payload", *parts], "msg": message, "input": value}
