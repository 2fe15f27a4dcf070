"""The quick-count page: estimates from the counting reports of the sampled polling stations."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from eom.dataout.figures import page_or_download
from eom.dataout.pages import quick_count_tables
from eom.missions.access import mission_page
from eom.observation.permissions import submissions_visible_to

from .permissions import can_view_quick_count, samples_visible_to
from .pvt import quick_count_page
from .pvt_chart import convergence_chart


@mission_page
def quick_count(request, mission):
    if not can_view_quick_count(request.user, mission):
        raise PermissionDenied(_("The quick count is for the core team and analysts."))
    samples = list(samples_visible_to(request.user, mission).order_by("name"))
    chosen = request.GET.get("sample", "")
    sample = next((s for s in samples if str(s.pk) == chosen), samples[0] if samples else None)
    page = chart = None
    if sample is not None:
        page = quick_count_page(sample, submissions_visible_to(request.user, mission))
        chart = convergence_chart(page)
    context = {"samples": samples, "sample": sample, "page": page, "chart": chart}
    return page_or_download(request, mission, "reporting/quick_count.html", context,
                            page="quick-count", tables=quick_count_tables)
