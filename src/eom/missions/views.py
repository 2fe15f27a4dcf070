"""Pages of the mission: overview, locations, people, teams, meetings log."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from . import permissions, queries, services, validators
from .access import mission_page
from .forms import PARTICIPANT_GROUPS, MeetingFilterForm, MeetingForm
from .models import (
    Channel,
    Deployment,
    Location,
    Meeting,
    Mission,
    Role,
    Team,
    TeamKind,
    TeamMembership,
)


def meeting_for(request, mission: Mission, pk: int) -> Meeting:
    """The meeting if the reader may see it; 404 otherwise (its existence is not revealed)."""
    return get_object_or_404(permissions.meetings_visible_to(request.user, mission), pk=pk)


def _page(request, items, per_page: int = 50):
    return Paginator(items, per_page).get_page(request.GET.get("page"))


@mission_page
def overview(request, mission: Mission):
    user = request.user
    people = permissions.people_visible_to(user, mission)
    teams = permissions.teams_visible_to(user, mission)
    meetings = permissions.meetings_visible_to(user, mission)
    context = {
        "elections": mission.elections.prefetch_related("contests"),
        "key_dates": mission.key_dates.all(),
        "locations": services.location_totals(mission),
        "n_registered": services.registered_voters(mission),
        "people_by_group": queries.people_by_group(people),
        "n_people": people.count(),
        "teams_by_kind": queries.teams_by_kind(teams),
        "n_teams": teams.count(),
        "latest_meetings": queries.meetings_for_list(meetings)[:5],
        "n_meetings": meetings.count(),
    }
    return render(request, "missions/overview.html", context)


@mission_page
def locations(request, mission: Mission, pk: int | None = None):
    nodes = Location.objects.filter(mission=mission)
    node = get_object_or_404(nodes, pk=pk) if pk else nodes.filter(parent=None).first()
    query = request.GET.get("q", "").strip()
    if query:
        found = queries.search_locations(nodes, query).select_related("parent")
        context = {"query": query, "results": _page(request, found)}
        template = "missions/_location_search.html" if request.htmx else "missions/locations.html"
        return render(request, template, context)
    if node is None:
        return render(request, "missions/locations.html", {"node": None})
    ancestors = nodes.filter(code__in=node.ancestor_codes()).order_by("path")
    context = {
        "node": node,
        "ancestors": ancestors,
        "children": _page(request, node.children.order_by("path"), per_page=100),
        "deployed_teams": Team.objects.filter(deployments__locations=node)
        .filter(pk__in=permissions.teams_visible_to(request.user, mission))
        .distinct(),
    }
    return render(request, "missions/locations.html", context)


@mission_page
def people(request, mission: Mission):
    visible = permissions.people_visible_to(request.user, mission)
    group, query = request.GET.get("group", ""), request.GET.get("q", "").strip()
    if group:
        visible = visible.filter(role__group=group)
    if query:
        visible = visible.filter(Q(full_name__icontains=query) | Q(code__iexact=query))
    visible = visible.select_related("role", "area").prefetch_related(
        Prefetch("teams", queryset=Team.objects.only("pk", "code"))
    )
    context = {
        "people": _page(request, visible.order_by("role__order", "full_name")),
        "groups": Role.Group.choices,
        "group": group,
        "query": query,
    }
    return render(request, "missions/people.html", context)


@mission_page
def person_detail(request, mission: Mission, pk: int):
    person = get_object_or_404(
        permissions.people_visible_to(request.user, mission).select_related("role", "area"), pk=pk
    )
    teams = permissions.teams_visible_to(request.user, mission).filter(members=person)
    context = {
        "person": person,
        "teams": teams.select_related("area"),
        "can_manage": permissions.can_manage_person(request.user, person),
    }
    return render(request, "missions/person_detail.html", context)


@mission_page
def teams(request, mission: Mission):
    visible = permissions.teams_visible_to(request.user, mission)
    kind = request.GET.get("kind", "")
    if kind:
        visible = visible.filter(kind=kind)
    visible = visible.select_related("area").prefetch_related(
        Prefetch(
            "memberships",
            queryset=TeamMembership.objects.select_related("person__role").order_by("-is_leader"),
        ),
        Prefetch("deployments", queryset=Deployment.objects.prefetch_related("locations")),
    )
    context = {"teams": _page(request, visible), "kind": kind, "kinds": TeamKind.choices}
    return render(request, "missions/teams.html", context)


@mission_page
def team_detail(request, mission: Mission, pk: int):
    team = get_object_or_404(
        permissions.teams_visible_to(request.user, mission).select_related("area"), pk=pk
    )
    context = {
        "team": team,
        "memberships": team.memberships.select_related("person__role").order_by("-is_leader"),
        "deployments": team.deployments.prefetch_related("locations__parent"),
    }
    return render(request, "missions/team_detail.html", context)


@mission_page
def meetings(request, mission: Mission):
    form = MeetingFilterForm(request.GET or None, mission=mission)
    visible = permissions.meetings_visible_to(request.user, mission)
    if form.is_valid():
        visible = queries.filter_meetings(visible, **form.cleaned_data)
    items = _page(request, queries.meetings_for_list(visible), per_page=25)
    context = {"form": form, "meetings": items}
    template = "missions/_meeting_rows.html" if request.htmx else "missions/meetings.html"
    return render(request, template, context)


@mission_page
def meeting_detail(request, mission: Mission, pk: int):
    meeting = meeting_for(request, mission, pk)
    context = {
        "meeting": meeting,
        "follow_ups": meeting.follow_ups.select_related("owner"),
        "can_edit": permissions.can_edit_meeting(request.user, meeting),
    }
    return render(request, "missions/meeting_detail.html", context)


@mission_page
def meeting_create(request, mission: Mission):
    if not permissions.can_create_meeting(request.user):
        raise PermissionDenied(_("You may not record meetings."))
    form = MeetingForm(request.POST or None, mission=mission, user=request.user)
    if request.method == "POST" and form.is_valid():
        meeting = services.create_meeting(
            actor=request.user, channel=Channel.PAGE, mission=mission, data=form.to_data()
        )
        messages.success(request, _("The meeting was recorded."))
        return redirect("missions:meeting", pk=meeting.pk)
    return render(request, "missions/meeting_form.html", {"form": form})


@mission_page
def meeting_edit(request, mission: Mission, pk: int):
    meeting = meeting_for(request, mission, pk)
    if not permissions.can_edit_meeting(request.user, meeting):
        raise PermissionDenied(_("You may not edit this meeting."))
    initial = MeetingForm.initial_from(meeting)
    form = MeetingForm(request.POST or None, initial=initial, mission=mission, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.update_meeting(
            actor=request.user, channel=Channel.PAGE, meeting=meeting, data=form.to_data()
        )
        messages.success(request, _("The meeting was updated."))
        return redirect("missions:meeting", pk=meeting.pk)
    return render(request, "missions/meeting_form.html", {"form": form, "meeting": meeting})


# The meeting form's search parts: a match needs this many letters typed; at most so many are
# shown (more letters narrow them down).
MIN_LETTERS = 2
MAX_MATCHES = 20


def _matches(request, find, kind: str) -> HttpResponse:
    """The part listing the records (`kind`: people, interlocutors) that `find(text, limit)`
    returns for the typed text (`q`): nothing under MIN_LETTERS letters, at most MAX_MATCHES
    matches; 400 naming `q` for a search that cannot be run. For those who may record meetings
    only."""
    if not permissions.can_create_meeting(request.user):
        raise PermissionDenied(_("You may not record meetings."))
    typed = request.GET.get("q", "").strip()
    problem = validators.search_problem(typed)
    if problem:
        return HttpResponse(f"q: {problem}", status=400, content_type="text/plain; charset=utf-8")
    found = find(typed, MAX_MATCHES + 1) if len(typed) >= MIN_LETTERS else []
    context = {"kind": kind, "matches": found[:MAX_MATCHES], "more": len(found) > MAX_MATCHES,
               "typed": len(typed), "min_letters": MIN_LETTERS}
    return render(request, "missions/_meeting_matches.html", context)


@mission_page
def meeting_find_people(request, mission: Mission):
    """People the writer of a meeting may name as participants, found by part of the name."""
    people = permissions.people_visible_to(request.user, mission).filter(
        role__group__in=PARTICIPANT_GROUPS)
    return _matches(request, lambda text, limit: queries.people_named(people, text, limit),
                    "people")


@mission_page
def meeting_find_interlocutors(request, mission: Mission):
    """Interlocutors the writer of a meeting may see, found by part of a name, title or
    organisation (never one known only from confidential meetings, outside the core team)."""
    known = permissions.interlocutors_visible_to(request.user, mission)
    return _matches(request, lambda text, limit: queries.interlocutors_named(known, text, limit),
                    "interlocutors")
