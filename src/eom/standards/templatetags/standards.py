"""`{% standards_tag_link "meeting" meeting.pk %}` (an LTO passage:
`{% standards_tag_link "lto_section" report.pk section.heading %}`): on an evidence page, a link to tag the
record with a commitment, for those who tag (the core team); nothing for anyone else."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from eom.missions.services import current_mission
from eom.standards.permissions import can_write_standards

register = template.Library()


@register.simple_tag(takes_context=True)
def standards_tag_link(context, kind: str, *parts) -> str:
    """`parts` make the record's reference, joined by ":" (a report's id and a heading)."""
    request = context.get("request")
    mission = context.get("mission") or current_mission()
    if request is None or mission is None or not can_write_standards(request.user, mission):
        return ""
    query = urlencode({"kind": kind, "reference": ":".join(str(part) for part in parts)})
    return format_html('<a href="{}?{}">{}</a>', reverse("standards:tag"), query,
                       _("Tag with a commitment"))
