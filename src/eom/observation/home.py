"""The observer's home (the Observe page) and its "My submissions": the places it observes, with
their checklists in the order of the day and the reports received for each, and whom to call.

- Polling stations come first, each with the checklists observed there (every stage but
  tabulation), in the forms' order (`Form.order`: the workbook's, else the stage's place in the
  day), then the territorial commissions where the observer's teams observe tabulation (the
  parents of their polling stations, or a commission they are deployed to), with tabulation and
  incident checklists only.
- The checklist page says, before sending, when the time observed is not a day the observer's
  teams are deployed at the place (`deployment_days`): the server would refuse the report.
- Each place lists the reports the server received there from the observer's teams, oldest
  first; what waits or was refused on the phone is added by the page's script (observe.js).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from eom.missions.models import Location, LocationLevel, Mission, Person
from eom.missions.permissions import election_day_contacts, person_of

from . import permissions
from .models import Form, Stage, Submission

STATION_FORMS = (frozenset(Stage) - {Stage.TABULATION}) | {""}  # "": general forms
COMMISSION_FORMS = frozenset({Stage.TABULATION, Stage.INCIDENT})
MAX_MINE = 200  # reports listed on "My submissions", newest first


@dataclass
class Place:
    location: Location
    forms: list[Form]
    received: list[Submission] = field(default_factory=list)


@dataclass
class Home:
    teams: list
    stations: list[Place]
    commissions: list[Place]
    coordinators: list[Person]
    contacts: list[Person]

    @property
    def forms(self) -> dict[str, str]:
        """{form id: title} of every checklist on the page (for the page's script)."""
        return {f.form_id: f.shown_title for place in self.stations + self.commissions
                for f in place.forms}


def checklists(mission: Mission) -> list[Form]:
    """The mission's checklists that have a version, in the order of the day."""
    return list(Form.objects.filter(mission=mission, current_version__isnull=False)
                .select_related("current_version").order_by("order", "title", "form_id"))


def home(user, mission: Mission) -> Home:
    """What the Observe page shows the user (for a reader with no team: no places)."""
    places = permissions.assigned_locations(user, mission)
    stations = places.filter(level=LocationLevel.POLLING_STATION)
    commissions = Location.objects.filter(
        Q(pk__in=places.exclude(level=LocationLevel.POLLING_STATION).values("pk"))
        | Q(pk__in=stations.values("parent"))
    )
    forms = checklists(mission)
    found = {
        "stations": [Place(s, [f for f in forms if f.stage in STATION_FORMS])
                     for s in stations.select_related("parent").order_by("path")],
        "commissions": [Place(c, [f for f in forms if f.stage in COMMISSION_FORMS])
                        for c in commissions.order_by("path")],
    }
    by_pk = {p.location.pk: p for p in found["stations"] + found["commissions"]}
    received = permissions.submissions_visible_to(user, mission).live().filter(
        location__in=list(by_pk)).select_related("form", "observer").order_by("observed_at", "pk")
    for submission in received:
        by_pk[submission.location_id].received.append(submission)
    coordinators, contacts = election_day_contacts(user, mission)
    teams = permissions.observer_teams(user, mission).prefetch_related("members")
    return Home(list(teams), found["stations"], found["commissions"], coordinators, contacts)


def mine(user, mission: Mission) -> list[Submission]:
    """The reports the user sent that the server holds, newest first (at most MAX_MINE)."""
    person = person_of(user)
    if person is None:
        return []
    return list(permissions.submissions_visible_to(user, mission).filter(observer=person)
                .select_related("form", "location").order_by("-received_at", "-pk")[:MAX_MINE])


@dataclass(frozen=True)
class DeploymentDays:
    """The days an observer's teams are deployed at a place, for the checklist page: `spans`
    as `first/last` ISO dates (for its script), `text` for the observer, and whether `today`
    is none of them."""

    spans: str
    text: str
    off_today: bool


def _day(day: dt.date) -> str:
    return date_format(day, "DATE_FORMAT")


def deployment_days(days: list[tuple[dt.date, dt.date]] | None, today: dt.date
                    ) -> DeploymentDays | None:
    """None when the reader may report on any day (not an observer) or has no deployment there."""
    if not days:
        return None
    shown = [_day(first) if first == last else _("%(first)s to %(last)s") % {
        "first": _day(first), "last": _day(last)} for first, last in days]
    return DeploymentDays(
        spans=" ".join(f"{first.isoformat()}/{last.isoformat()}" for first, last in days),
        text="; ".join(shown),
        off_today=not any(first <= today <= last for first, last in days),
    )
