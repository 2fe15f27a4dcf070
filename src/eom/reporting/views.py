"""The mission's figures: process analysis of the checklists."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render

from eom.missions.access import mission_page
from eom.observation.models import Form
from eom.observation.permissions import submissions_visible_to

from .analysis import analyse, choice_questions


@mission_page
def analysis(request, mission):
    forms = Form.objects.filter(mission=mission, current_version__isnull=False).select_related(
        "current_version"
    )
    form = get_object_or_404(forms, form_id=request.GET.get("form", "voting")) if forms else None
    questions = choice_questions(form) if form else []
    names = [q["name"] for q in questions]
    chosen = request.GET.get("question") or ("assessment" if "assessment" in names else "")
    fallback = questions[0] if questions else None
    question = next((q for q in questions if q["name"] == chosen), fallback)
    result = None
    if question is not None:
        result = analyse(form, question, submissions_visible_to(request.user, mission))
    context = {"forms": forms, "form": form, "questions": questions, "question": question,
               "result": result}
    return render(request, "reporting/analysis.html", context)
