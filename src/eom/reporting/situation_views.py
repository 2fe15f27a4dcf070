"""The situation room: the page, the part it reloads, and the overview's summary of it."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from eom.missions.access import mission_page

from .permissions import can_view_situation_room
from .situation import key_figures, situation


def _context(request, mission, *, figures: bool = True) -> dict:
    if not can_view_situation_room(request.user, mission):
        raise PermissionDenied(_("The situation room is for the core team, administrators and "
                                 "the coordinators of an area."))
    found = situation(mission, request.user)
    if found is None:
        raise Http404(_("The mission has no locations yet."))
    context = {"situation": found, "refresh": settings.EOM_SITUATION_REFRESH_SECONDS}
    if figures:
        area = found.node if found.node.parent_id else None
        context["figures"] = key_figures(mission, request.user, area)
    return context


@mission_page
def room(request, mission):
    return render(request, "reporting/situation.html", _context(request, mission))


@mission_page
def live(request, mission):
    """The page's content, which the page fetches again every EOM_SITUATION_REFRESH_SECONDS."""
    return render(request, "reporting/_situation_live.html", _context(request, mission))


@mission_page
def summary(request, mission):
    """The overview's election-day section (no key figures), fetched and refreshed the same way."""
    return render(request, "reporting/_situation_summary.html",
                  _context(request, mission, figures=False))
