"""The pages of commitments and recommendations: the roll-up of evidence by commitment, one
commitment, tagging evidence, the recommendations with their status counts, one
recommendation and its assessment."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from eom.missions.access import readers_page
from eom.missions.models import Channel, Mission

from . import permissions, services
from .forms import AssessmentForm, CommitmentForm, FilterForm, RecommendationForm, TagForm
from .models import AssessmentStatus

standards_page = readers_page(permissions.can_read_standards,
                              gettext_lazy("You do not read the commitments and "
                                           "recommendations."))


def _writer(request, mission: Mission) -> None:
    if not permissions.can_write_standards(request.user, mission):
        raise PermissionDenied(_("Only the core team writes commitments, evidence and "
                                 "assessments."))


def _tag_form(request, mission: Mission, **initial):
    if not permissions.can_write_standards(request.user, mission):
        return None
    return TagForm(initial=initial, mission=mission)


@standards_page
def commitments(request, mission: Mission):
    form = FilterForm(request.GET or None, mission=mission)
    chosen = permissions.commitments_visible_to(request.user, mission)
    if form.is_bound and form.is_valid():
        if form.cleaned_data["source"]:
            chosen = chosen.filter(source=form.cleaned_data["source"])
        if form.cleaned_data["commitment"]:
            chosen = chosen.filter(pk=form.cleaned_data["commitment"].pk)
    elif form.is_bound:
        chosen = chosen.none()
    return render(request, "standards/commitments.html", {
        "form": form, "rolled": services.rollup(request.user, mission, chosen),
        "can_write": permissions.can_write_standards(request.user, mission),
        "tag_form": _tag_form(request, mission)})


@standards_page
def commitment_detail(request, mission: Mission, pk: int):
    commitments = permissions.commitments_visible_to(request.user, mission)
    commitment = get_object_or_404(commitments, pk=pk)
    rolled = services.rollup(request.user, mission, commitments.filter(pk=pk))[0]
    return render(request, "standards/commitment.html", {
        "commitment": commitment, "rolled": rolled,
        "can_write": permissions.can_write_standards(request.user, mission),
        "tag_form": _tag_form(request, mission, commitment=commitment)})


def _back_to(tagged_commitment, tagged_recommendation):
    if tagged_recommendation is not None:
        return redirect("standards:recommendation", pk=tagged_recommendation.pk)
    return redirect("standards:commitment", pk=tagged_commitment.pk)


@standards_page
def tag_create(request, mission: Mission):
    """The tag form (GET, filled from the query: `?kind=meeting&reference=12`), and the tag
    it posts."""
    _writer(request, mission)
    if request.method != "POST":
        form = TagForm(initial=request.GET.dict(), mission=mission)
        return render(request, "standards/tag_form.html", {"form": form})
    form = TagForm(request.POST, mission=mission)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.tag(actor=request.user, channel=Channel.PAGE, mission=mission,
                         kind=data["kind"], reference=data["reference"], note=data["note"],
                         commitment=None if data["recommendation"] else data["commitment"],
                         recommendation=data["recommendation"])
        except services.Rejected as refused:
            form.show_errors(refused.errors)
        else:
            messages.success(request, _("The evidence was tagged."))
            return _back_to(data["commitment"], data["recommendation"])
    return render(request, "standards/tag_form.html", {"form": form})


@require_POST
@standards_page
def tag_delete(request, mission: Mission, pk: int):
    _writer(request, mission)
    tagged = get_object_or_404(permissions.tags_visible_to(request.user, mission), pk=pk)
    commitment, recommendation = tagged.commitment, tagged.recommendation
    services.untag(actor=request.user, channel=Channel.PAGE, tag=tagged)
    messages.success(request, _("The tag was removed."))
    return _back_to(commitment, recommendation)


@standards_page
def recommendations(request, mission: Mission):
    visible = permissions.recommendations_visible_to(request.user, mission)
    status = request.GET.get("status", "")
    listed = services.with_status(visible, status) if status in AssessmentStatus.values else visible
    return render(request, "standards/recommendations.html", {
        "counts": services.status_counts(visible), "n": visible.count(),
        "status": status if status in AssessmentStatus.values else "",
        "recommendations": listed.select_related("assessment"),
        "can_write": permissions.can_write_standards(request.user, mission)})


@standards_page
def recommendation_detail(request, mission: Mission, pk: int):
    recommendation = get_object_or_404(permissions.recommendations_visible_to(
        request.user, mission).select_related("assessment", "mission"), pk=pk)
    assessment = getattr(recommendation, "assessment", None)
    form = None
    if request.method == "POST":
        _writer(request, mission)
        form = AssessmentForm(request.POST)
        if form.is_valid():
            try:
                services.assess(actor=request.user, channel=Channel.PAGE,
                                recommendation=recommendation, **form.cleaned_data)
            except services.Rejected as refused:
                form.show_errors(refused.errors)
            else:
                messages.success(request, _("The assessment was saved."))
                return redirect("standards:recommendation", pk=pk)
    elif permissions.can_write_standards(request.user, mission):
        form = AssessmentForm(initial={
            "status": recommendation.status,
            **{name: getattr(assessment, name) if assessment else ""
               for name in ("evidence", "evidence_ru", "evidence_kk")}})
    return render(request, "standards/recommendation.html", {
        "recommendation": recommendation, "assessment": assessment, "form": form,
        "groups": services.recommendation_evidence(request.user, recommendation),
        "can_write": permissions.can_write_standards(request.user, mission),
        "tag_form": _tag_form(request, mission, recommendation=recommendation)})


def _entry_page(request, mission: Mission, *, form_class, template_name: str, save, done: str,
                instance=None, initial=None):
    """A commitment's or recommendation's form (GET), and what it posts: saved through `save`
    (the service), or the form again with the reasons at the fields they name."""
    _writer(request, mission)
    if request.method != "POST":
        return render(request, template_name, {"form": form_class(initial=initial),
                                               "entry": instance})
    form = form_class(request.POST)
    if form.is_valid():
        try:
            saved = save(form.data_for_service())
        except services.Rejected as refused:
            form.show_errors(refused.errors)
        else:
            messages.success(request, done)
            return saved
    return render(request, template_name, {"form": form, "entry": instance})


def _saving(request, mission: Mission, instance, *, create, update, name: str):
    """What saves an entry's form: `create` a new one, else `update` `instance` (given as the
    keyword `name`); then to the entry's page (`standards:<name>`)."""
    def save(data):
        page = {"actor": request.user, "channel": Channel.PAGE, "data": data}
        made = (create(mission=mission, **page) if instance is None
                else update(**{name: instance}, **page))
        return redirect(f"standards:{name}", pk=made.pk)
    return save


COMMITMENT = {"create": services.create_commitment, "update": services.update_commitment,
              "name": "commitment"}
RECOMMENDATION = {"create": services.create_recommendation,
                  "update": services.update_recommendation, "name": "recommendation"}


@standards_page
def commitment_create(request, mission: Mission):
    return _entry_page(request, mission, form_class=CommitmentForm,
                       template_name="standards/commitment_form.html",
                       save=_saving(request, mission, None, **COMMITMENT),
                       done=_("The commitment was saved."))


@standards_page
def commitment_edit(request, mission: Mission, pk: int):
    commitment = get_object_or_404(permissions.commitments_visible_to(request.user, mission),
                                   pk=pk)
    return _entry_page(request, mission, form_class=CommitmentForm,
                       template_name="standards/commitment_form.html",
                       save=_saving(request, mission, commitment, **COMMITMENT),
                       done=_("The commitment was saved."), instance=commitment,
                       initial=vars(services.commitment_data(commitment)))


@standards_page
def recommendation_create(request, mission: Mission):
    return _entry_page(request, mission, form_class=RecommendationForm,
                       template_name="standards/recommendation_form.html",
                       save=_saving(request, mission, None, **RECOMMENDATION),
                       done=_("The recommendation was saved."))


@standards_page
def recommendation_edit(request, mission: Mission, pk: int):
    recommendation = get_object_or_404(
        permissions.recommendations_visible_to(request.user, mission), pk=pk)
    return _entry_page(request, mission, form_class=RecommendationForm,
                       template_name="standards/recommendation_form.html",
                       save=_saving(request, mission, recommendation, **RECOMMENDATION),
                       done=_("The recommendation was saved."), instance=recommendation,
                       initial=vars(services.recommendation_data(recommendation)))
