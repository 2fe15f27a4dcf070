"""The complaints register's forms: a case, the list's filters, a document, the import."""

from __future__ import annotations

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from eom.lto.permissions import reports_visible_to
from eom.missions.forms import CheckedModelMultipleChoiceField, MappingField
from eom.missions.languages import localised
from eom.missions.models import Location, LocationLevel, Mission
from eom.missions.permissions import meetings_visible_to
from eom.missions.validators import check_search

from . import permissions, services
from .models import BodyKind, BodyLevel, Case, Decision, FilerKind, Subject

EMPTY = [("", "—")]


class CaseForm(forms.Form):
    reference = forms.CharField(label=_("reference"), max_length=100, required=False)
    filer_kind = forms.ChoiceField(label=_("filed by"), choices=FilerKind.choices)
    filer_name = forms.CharField(label=_("filer's name"), max_length=300)
    against = forms.CharField(label=_("against"), max_length=500, required=False)
    body_kind = forms.ChoiceField(label=_("body"), choices=BodyKind.choices)
    body_level = forms.ChoiceField(label=_("level"), choices=BodyLevel.choices)
    body_location = forms.ModelChoiceField(label=_("body's location"), queryset=None,
                                           required=False)
    subject = forms.ModelChoiceField(label=_("subject"), queryset=None, required=False)
    summary = forms.CharField(label=_("summary"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    legal_basis = forms.CharField(label=_("legal basis"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    filed = forms.DateField(label=_("filed"), widget=forms.DateInput(attrs={"type": "date"}))
    decided = forms.DateField(label=_("decided"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))
    decision = forms.ChoiceField(label=_("decision"), choices=Decision.choices)
    reasons = forms.CharField(label=_("reasons"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    published = forms.BooleanField(label=_("decision published"), required=False)
    appeal_of = forms.ModelChoiceField(label=_("appeal of"), queryset=None, required=False)
    meetings = CheckedModelMultipleChoiceField(label=_("meetings"), queryset=None,
                                               required=False, max_items="EOM_MAX_COMPLAINT_LINKS")
    lto_reports = CheckedModelMultipleChoiceField(label=_("LTO reports"), queryset=None,
                                                  required=False,
                                                  max_items="EOM_MAX_COMPLAINT_LINKS")
    note = forms.CharField(label=_("Confidential note (core team only)"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, mission: Mission, case: Case | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        limit = services.max_text_chars()
        for name in ("summary", "legal_basis", "reasons", "note"):
            self.fields[name].max_length = limit
            self.fields[name].validators.append(MaxLengthValidator(limit))
        self.fields["body_location"].queryset = Location.objects.filter(
            mission=mission).exclude(level=LocationLevel.POLLING_STATION).order_by("path")
        self.fields["subject"].queryset = Subject.objects.filter(mission=mission)
        cases = permissions.cases_visible_to(user, mission)
        self.fields["appeal_of"].queryset = cases.exclude(pk=case.pk) if case else cases
        self.fields["meetings"].queryset = meetings_visible_to(user, mission)
        self.fields["lto_reports"].queryset = reports_visible_to(user, mission).exclude(
            status="draft").select_related("team", "period")
        if not permissions.can_read_confidential(user, mission):
            del self.fields["note"]
        if case is not None and not self.is_bound:
            for name in services.FIELDS:
                self.initial[name] = getattr(case, name)
            self.initial["meetings"] = list(case.meetings.values_list("pk", flat=True))
            self.initial["lto_reports"] = list(case.lto_reports.values_list("pk", flat=True))
            if "note" in self.fields and hasattr(case, "note"):
                self.initial["note"] = case.note.text

    def to_data(self) -> services.CaseData:
        data = self.cleaned_data
        values = {name: data.get(name) for name in services.FIELDS}
        for name in ("reference", "against", "summary", "legal_basis", "reasons"):
            values[name] = values[name] or ""
        values["decided"] = values["decided"] or None
        return services.CaseData(
            **values, meetings=[m.pk for m in data["meetings"]],
            lto_reports=[r.pk for r in data["lto_reports"]],
            note=data.get("note") if "note" in self.fields else None)

    def show_errors(self, errors: dict[str, str]) -> None:
        for key, reason in errors.items():
            self.add_error(key if key in self.fields else None, reason)


class FilterForm(forms.Form):
    body_kind = forms.ChoiceField(label=_("body"), choices=EMPTY + BodyKind.choices,
                                  required=False)
    body_level = forms.ChoiceField(label=_("level"), choices=EMPTY + BodyLevel.choices,
                                   required=False)
    subject = forms.CharField(label=_("subject"), required=False, max_length=20,
                              widget=forms.Select)
    decision = forms.ChoiceField(label=_("decision"), choices=EMPTY + Decision.choices,
                                 required=False)
    filer_kind = forms.ChoiceField(label=_("filed by"), choices=EMPTY + FilerKind.choices,
                                   required=False)
    appeal = forms.ChoiceField(label=_("appeals"), required=False, choices=EMPTY + [
        ("yes", _("appeals only")), ("no", _("complaints only"))])
    timing = forms.ChoiceField(label=_("legal deadline"), required=False, choices=EMPTY + [
        ("within", _("decided within the deadline")), ("late", _("decided late"))])
    region = forms.ModelChoiceField(label=_("region"), queryset=None, required=False)
    q = forms.CharField(label=_("Words"), required=False, max_length=200,
                        validators=[check_search])

    def __init__(self, *args, mission: Mission, **kwargs):
        super().__init__(*args, **kwargs)
        subjects = Subject.objects.filter(mission=mission)
        self.fields["subject"].widget.choices = EMPTY + [("none", _("no subject"))] + [
            (str(s.pk), localised(s, "name")) for s in subjects]
        self.valid_subjects = {"", "none"} | {str(s.pk) for s in subjects}
        self.fields["region"].queryset = Location.objects.filter(
            mission=mission, level=LocationLevel.REGION).order_by("path")

    def clean_subject(self):
        value = self.cleaned_data.get("subject") or ""
        if value not in self.valid_subjects:
            raise forms.ValidationError(_("No such subject."))
        return value


class DocumentForm(forms.Form):
    file = forms.FileField(label=_("file"))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("file"), help_text=_("CSV (UTF-8) or XLSX"))
    mapping = MappingField(
        label=_("column mapping"),
        help_text=_("One column=header per line (or comma-separated): eom's column, then the "
                    "file's header."),
        message=_("“%(pair)s” is not column=header."),
    )
    dry_run = forms.BooleanField(label=_("dry run: check and count, write nothing"),
                                 required=False)
