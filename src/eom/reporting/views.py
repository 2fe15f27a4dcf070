"""The mission's figures: process analysis of the checklists."""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import render

from eom.dataout.figures import page_or_download
from eom.dataout.pages import analysis_tables
from eom.missions.access import mission_page
from eom.missions.models import LEVEL_ORDER, Location
from eom.missions.permissions import sees_everything
from eom.observation.filters import SubmissionFilterForm, filter_form_for, filter_submissions
from eom.observation.models import Form
from eom.observation.permissions import submissions_listed_to

from .analysis import analyse, bars, levels_below, uncounted_questions
from .design import design_of_reports
from .indicators import form_indicator_figures
from .repeats import repeat_counts

# The filters of the submissions list that the analysis applies and carries into its links.
CARRIED = ("form", "region", "district", "location", "team", "sample", "flag", "observed_from",
           "observed_to")


def _filters(request, mission, forms) -> SubmissionFilterForm:
    """The submissions filters with the reader's choices (no sample field for a reader who may
    not see the quick count's sample)."""
    data = request.GET.copy()
    if not data.get("form") and forms:
        data["form"] = next((f.form_id for f in forms if f.form_id == "voting"),
                            forms[0].form_id)
    for ignored in ("question", "answer", "deleted"):  # the page's own, not filters
        data.pop(ignored, None)
    return filter_form_for(data, user=request.user, mission=mission)


def _trail(mission, scope) -> list[Location]:
    """The places from the top of the tree down to the scope, for walking back up."""
    if scope is None:
        return []
    above = Location.objects.filter(mission=mission, code__in=scope.ancestor_codes())
    return [*above.order_by("path"), scope]


@mission_page
def analysis(request, mission):
    forms = list(Form.objects.filter(mission=mission, current_version__isnull=False)
                 .select_related("current_version"))
    filters = _filters(request, mission, forms)
    context = {"forms": forms, "filter": filters, "result": None,
               "sees_all": sees_everything(request.user, mission)}
    if not filters.is_valid() or filters.cleaned_data["form"] is None:
        return render(request, "reporting/analysis.html", context)
    chosen = filters.cleaned_data
    scope = chosen["location"] or chosen["district"] or chosen["region"]
    levels = levels_below(scope)
    level = request.GET.get("level") if request.GET.get("level") in levels else levels[0]
    visible = submissions_listed_to(request.user, mission)  # as on the submissions list
    reports = filter_submissions(visible, **chosen)
    result = analyse(chosen["form"], reports, scope=scope, level=level)
    selected = result.question(request.GET.get("question", "")) or result.question(
        "assessment") or (result.questions[0] if result.questions else None)
    carried = {k: filters.data[k] for k in CARRIED if chosen.get(k) and filters.data.get(k)}
    context.update({
        "form": chosen["form"], "scope": scope, "level": level, "levels": levels,
        "next_level": dict(zip(LEVEL_ORDER, LEVEL_ORDER[1:], strict=False)).get(level),
        "result": result, "selected": selected, "sample": chosen.get("sample"),
        "design": design_of_reports(reports.filter(form=chosen["form"]), chosen.get("sample")),
        "indicators": form_indicator_figures(chosen["form"], reports,
                                             sample=chosen.get("sample")),
        "query": urlencode(carried),
        "area_query": urlencode({k: v for k, v in carried.items()
                                 if k not in ("region", "district", "location")}),
        "questions": [(q, bars(q.figures)) for q in result.questions],
        "repeats": repeat_counts(chosen["form"], reports),
        "area_rows": [(row, bars(row.figures)) for row in selected.areas] if selected else [],
        "trail": _trail(mission, scope), "uncounted": uncounted_questions(chosen["form"]),
    })
    return page_or_download(request, mission, "reporting/analysis.html", context,
                            page="analysis", tables=analysis_tables)
