"""Who reads and writes long-term observers' reports. Pages and API ask these functions.

- A member of an LTO team (whatever its access level: LTOs are observers or coordinators)
  writes its team's reports, for the places the team is deployed to, while a report is a draft
  or the core team asked for follow-up; it reads its team's reports, drafts included.
- The core team reads every report that was submitted, reviews it (comments, asks for
  follow-up, accepts) and reads every confidential passage.
- Analysts and administrators read every submitted report, not the confidential passages;
  administrators manage reporting periods and report templates (in the admin).
- A coordinator reads the submitted reports on regions in its area, and its own team's.
- Observers (short-term) and everyone else: nothing.

A draft is the team's until it is submitted: the others see that it is missing, not its words.
A confidential passage is read by the core team and by the team that wrote it (the members of
the report's team, which reports on its own region), who may replace or remove it while the
report is in its hands. Other regions' teams, coordinators, analysts and administrators never
read it, nor its audit entries (those are the core team's).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from eom.missions.models import Access, Location, Mission, Team, TeamKind
from eom.missions.permissions import access_of, area_path, person_of

from .models import ConfidentialPassage, Report, ReportStatus

READ_ALL = {Access.CORE_TEAM, Access.ANALYST, Access.ADMINISTRATOR}


def lto_teams_of(user, mission: Mission) -> QuerySet[Team]:
    """The LTO teams the user's person belongs to, in this mission."""
    person = person_of(user)
    if person is None or access_of(user, mission) is Access.NONE:
        return Team.objects.none()
    return Team.objects.filter(mission=mission, kind=TeamKind.LTO, members=person)


def can_read_reports(user, mission: Mission) -> bool:
    """May open the LTO reports pages (what it sees there is `reports_visible_to`)."""
    access = access_of(user, mission)
    if access in READ_ALL or access is Access.COORDINATOR:
        return True
    return lto_teams_of(user, mission).exists()


def reports_visible_to(user, mission: Mission) -> QuerySet[Report]:
    access = access_of(user, mission)
    reports = Report.objects.filter(mission=mission)
    if access is Access.NONE:
        return reports.none()
    own = Q(team__in=lto_teams_of(user, mission))
    submitted = ~Q(status=ReportStatus.DRAFT)
    if access in READ_ALL:
        return reports.filter(submitted | own)
    if access is Access.COORDINATOR:
        prefix = area_path(user)
        in_area = Q(region__path__startswith=prefix) if prefix else Q(pk__in=[])
        return reports.filter((submitted & in_area) | own)
    return reports.filter(own)


def can_read_confidential(user, mission: Mission) -> bool:
    """Reads every confidential passage of the mission (the core team)."""
    return access_of(user, mission) is Access.CORE_TEAM


def can_read_passages(user, report: Report) -> bool:
    """Reads this report's confidential passages: the core team, and the members of the team
    that wrote it."""
    return (can_read_confidential(user, report.mission)
            or lto_teams_of(user, report.mission).filter(pk=report.team_id).exists())


def passages_visible_to(user, mission: Mission, reports: QuerySet[Report]
                        ) -> QuerySet[ConfidentialPassage]:
    """The confidential passages of `reports` the user reads: all for the core team, its own
    teams' for an LTO, none otherwise."""
    passages = ConfidentialPassage.objects.filter(report__in=reports)
    if can_read_confidential(user, mission):
        return passages
    return passages.filter(report__team__in=lto_teams_of(user, mission))


def can_review(user, mission: Mission) -> bool:
    return access_of(user, mission) is Access.CORE_TEAM


def can_see_status_board(user, mission: Mission) -> bool:
    """The table of which regions reported on time, late or not at all."""
    return access_of(user, mission) in READ_ALL or access_of(user, mission) is Access.COORDINATOR


def board_rows_for(user, mission: Mission, rows: list) -> list:
    """The rows of a period's board (`services.board`) the reader sees: every team's for those
    who read every report, the teams on its area for a coordinator."""
    if access_of(user, mission) in READ_ALL:
        return rows
    prefix = area_path(user)
    if access_of(user, mission) is not Access.COORDINATOR or prefix is None:
        return []
    return [row for row in rows if row.team.area_id and row.team.area.path.startswith(prefix)]


def can_write_for(user, team: Team) -> bool:
    """May start a report for this team (a member of an LTO team)."""
    return (team.kind == TeamKind.LTO
            and lto_teams_of(user, team.mission).filter(pk=team.pk).exists())


def can_edit_report(user, report: Report) -> bool:
    """May change the report's answers and sections, and submit it: a member of its team while
    the report is a draft or follow-up was asked for."""
    return report.is_open_for_team and can_write_for(user, report.team)


def regions_of(team: Team) -> QuerySet[Location]:
    """The places a team reports on: those it is deployed to."""
    return Location.objects.filter(deployments__team=team).distinct().order_by("path")


def can_manage_periods(user, mission: Mission) -> bool:
    return access_of(user, mission) is Access.ADMINISTRATOR
