"""The main menu: the items a reader may open, and the one the current page belongs to.

Every page belongs to one section (`SECTIONS`, by `namespace:url_name`, else by namespace). The
menu holds only items whose page answers the reader (the same predicates the views ask), and
marks exactly one of them current: the page's section, or, where the reader's menu has no item
for it, the section that stands in for it (an observer's reports, conflicts and figures belong
to "Observe"; a coordinator's checklist page to "Submissions"). A page at an address that is no
page (a 404 before any view) belongs to no section.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from eom.complaints.permissions import can_read_cases
from eom.lto.permissions import can_read_reports
from eom.media.permissions import can_read_media
from eom.missions import permissions
from eom.missions.admin_site import ADMIN_READERS
from eom.missions.context_processors import mission as mission_context
from eom.missions.models import Access, Mission
from eom.observation.permissions import can_view_coverage
from eom.reporting.permissions import can_view_situation_room
from eom.results.permissions import can_read_results
from eom.standards.permissions import can_read_standards

# The section of each page: by "namespace:url_name" first, then by namespace.
SECTIONS = {
    "missions:overview": "overview",
    "missions:locations": "locations", "missions:location": "locations",
    "missions:people": "people", "missions:person": "people",
    "missions:teams": "teams", "missions:team": "teams",
    "missions": "meetings",
    "observation:assignments": "observe", "observation:checklist": "observe",
    "observation:sent": "observe", "observation:mine": "observe",
    "observation:conflicts": "conflicts",
    "observation:coverage": "coverage", "observation:coverage_node": "coverage",
    "observation:forms": "forms",
    "observation": "submissions",
    "reporting": "analysis",
    "situation": "situation",
    "results": "results",
    "sms": "sms",
    "lto": "lto",
    "complaints": "complaints",
    "media": "media",
    "standards": "standards",
    "publications": "reports",
    "account": "tokens",
    "admin": "admin",
}

# Where the reader's menu has no item for a page's section, the item that stands in for it.
STANDS_IN = {
    "observe": "submissions",
    "submissions": "observe", "conflicts": "observe", "forms": "observe",
    "analysis": "observe", "coverage": "observe", "results": "observe",
}


@dataclass(frozen=True)
class Item:
    section: str
    url: str
    label: str
    current: bool = False


def section_of(match) -> str:
    """The section of the page a resolver match names; "" for none."""
    if match is None:
        return ""
    namespace = match.namespace.split(":")[0] if match.namespace else ""
    return SECTIONS.get(f"{namespace}:{match.url_name}") or SECTIONS.get(namespace, "")


def items_for(user, mission: Mission | None) -> list[Item]:
    """The menu items the reader's pages answer, in menu order (none without a mission)."""
    if mission is None or not permissions.can_use(user, mission):
        return []
    access = permissions.access_of(user, mission)
    observer = access is Access.OBSERVER
    shown = [
        ("overview", "missions:overview", _("Overview"), True),
        ("locations", "missions:locations", _("Locations"), True),
        ("people", "missions:people", _("People"), True),
        ("teams", "missions:teams", _("Teams"), True),
        ("meetings", "missions:meetings", _("Meetings"), True),
        ("lto", "lto:reports", _("LTO reports"), can_read_reports(user, mission)),
        ("complaints", "complaints:cases", _("Complaints"), can_read_cases(user, mission)),
        ("media", "media:figures", _("Media monitoring"), can_read_media(user, mission)),
        ("standards", "standards:commitments", _("Commitments"),
         can_read_standards(user, mission)),
        ("observe", "observation:assignments", _("Observe"), observer),
        ("submissions", "observation:submissions", _("Submissions"), not observer),
        ("coverage", "observation:coverage", _("Coverage"), can_view_coverage(user, mission)),
        ("situation", "situation:room", _("Situation room"),
         can_view_situation_room(user, mission)),
        ("conflicts", "observation:conflicts", _("Conflicts"), not observer),
        ("forms", "observation:forms", _("Forms"), not observer),
        ("analysis", "reporting:analysis", _("Analysis"), not observer),
        ("results", "results:overview", _("Results"), can_read_results(user, mission)),
        ("reports", "publications:reports", pgettext_lazy("publications", "Reports"), True),
        ("sms", "sms:log", _("SMS"), permissions.can_use_sms_pages(user, mission)),
        ("admin", "admin:index", _("Admin"), access in ADMIN_READERS),
        ("tokens", "account:tokens", _("API tokens"), True),
    ]
    return [Item(section, reverse(name), label) for section, name, label, show in shown if show]


def menu_for(request, mission: Mission | None) -> list[Item]:
    """The reader's menu with the current page's item marked (at most one)."""
    items = items_for(request.user, mission)
    sections = {item.section for item in items}
    section = section_of(getattr(request, "resolver_match", None))
    if section not in sections:
        section = STANDS_IN.get(section, "")
    return [Item(i.section, i.url, i.label, current=i.section == section) for i in items]


def page(request) -> dict:
    """Context processor: the mission and what the reader may do (see
    `eom.missions.context_processors.mission`), and `menu`, the reader's main menu."""
    context = mission_context(request)
    if context:
        context["menu"] = menu_for(request, context["mission"])
    return context
