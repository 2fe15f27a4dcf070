"""The access helper every page of the mission goes through."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import permissions, services
from .models import Mission


def mission_page(view):
    """Login required, a usable access level, and the current mission as `mission`."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        mission = services.current_mission()
        if mission is None:
            return render(request, "missions/no_mission.html", status=404)
        if not permissions.can_use(request.user, mission):
            raise PermissionDenied(_("Your login has no access to this mission."))
        return view(request, mission, *args, **kwargs)

    return wrapper


def readers_page(may_read, refusal):
    """A mission page for those `may_read(user, mission)` lets in: `@readers_page(can_read_x,
    gettext_lazy("You do not read x."))`; 403 with the refusal for everyone else."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, mission: Mission, *args, **kwargs):
            if not may_read(request.user, mission):
                raise PermissionDenied(str(refusal))
            return view(request, mission, *args, **kwargs)

        return mission_page(wrapper)

    return decorate


def mission_for(user, code: str | None) -> Mission:
    """The mission an API call names (`?mission=CODE`), else the current one; 404 when it does
    not exist or the caller's person belongs to another mission."""
    try:
        mission = services.mission_named(code)
    except services.NoSuchMission:
        mission = None
    person = permissions.person_of(user)
    if mission is None or (person is not None and person.mission_id != mission.pk):
        raise Http404(_("No mission %(code)s.") % {"code": code or _("(current)")})
    return mission
