"""The forms of the commitments and recommendations pages: the roll-up's filters, a tag, an
assessment."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from eom.missions.models import Mission

from . import services
from .models import AssessmentStatus, Commitment, EvidenceKind, Priority, Recommendation

EMPTY = [("", "—")]


class FilterForm(forms.Form):
    source = forms.ChoiceField(label=_("source"), required=False)
    commitment = forms.ModelChoiceField(label=_("commitment"), queryset=None, required=False)

    def __init__(self, *args, mission: Mission, **kwargs):
        super().__init__(*args, **kwargs)
        commitments = Commitment.objects.filter(mission=mission)
        sources = sorted(set(commitments.values_list("source", flat=True)))
        self.fields["source"].choices = EMPTY + [(s, s) for s in sources]
        self.fields["commitment"].queryset = commitments


class TagForm(forms.Form):
    commitment = forms.ModelChoiceField(label=_("commitment"), queryset=None, required=False)
    recommendation = forms.ModelChoiceField(label=_("recommendation"), queryset=None,
                                            required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("kind of evidence"), choices=EvidenceKind.choices)
    reference = forms.CharField(
        label=_("record"), max_length=200,
        help_text=_("A complaint's or meeting's number; an LTO passage as report:heading "
                    "(12:campaign_environment); an indicator as checklist:name."))
    note = forms.CharField(label=_("note"), required=False, max_length=services.MAX_NOTE,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, mission: Mission, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commitment"].queryset = Commitment.objects.filter(mission=mission)
        self.fields["recommendation"].queryset = Recommendation.objects.filter(mission=mission)

    def clean(self):
        data = super().clean()
        if not data.get("commitment") and not data.get("recommendation"):
            self.add_error("commitment", _("Choose the commitment this evidence concerns."))
        return data

    def show_errors(self, errors: dict[str, str]) -> None:
        for name, reason in errors.items():
            self.add_error(name if name in self.fields else None, reason)


class AssessmentForm(forms.Form):
    status = forms.ChoiceField(label=_("status"), choices=AssessmentStatus.choices)
    evidence = forms.CharField(label=_("evidence"), required=False,
                               widget=forms.Textarea(attrs={"rows": 4}))
    evidence_ru = forms.CharField(label=_("evidence (Russian)"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    evidence_kk = forms.CharField(label=_("evidence (Kazakh)"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("evidence", "evidence_ru", "evidence_kk"):
            self.fields[name].max_length = services.max_text_chars()

    def show_errors(self, errors: dict[str, str]) -> None:
        for name, reason in errors.items():
            self.add_error(name if name in self.fields else None, reason)


class _EntryForm(forms.Form):
    """A commitment's or recommendation's fields, as the service's data; the service's
    refusals shown at the fields they name."""

    def show_errors(self, errors: dict[str, str]) -> None:
        for name, reason in errors.items():
            self.add_error(name if name in self.fields else None, reason)


class CommitmentForm(_EntryForm):
    source = forms.CharField(label=_("source"), max_length=200,
                             help_text=_("The document, e.g. Copenhagen Document 1990."))
    reference = forms.CharField(label=_("reference"), max_length=60,
                                help_text=_("The paragraph or article, e.g. para 7.4."))
    title = forms.CharField(label=_("short title"), max_length=200)
    title_ru = forms.CharField(label=_("short title (Russian)"), max_length=200, required=False)
    title_kk = forms.CharField(label=_("short title (Kazakh)"), max_length=200, required=False)
    text = forms.CharField(label=_("text"), required=False,
                           widget=forms.Textarea(attrs={"rows": 4}))
    text_ru = forms.CharField(label=_("text (Russian)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    text_kk = forms.CharField(label=_("text (Kazakh)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    quoted = forms.BooleanField(
        label=_("quoted"), required=False,
        help_text=_("The text is the document's own words; otherwise a paraphrase."))
    source_url = forms.URLField(label=_("source address"), max_length=500, required=False,
                                 assume_scheme="https")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("text", "text_ru", "text_kk"):
            self.fields[name].max_length = services.max_text_chars()

    def data_for_service(self) -> services.CommitmentData:
        return services.CommitmentData(**self.cleaned_data)


class RecommendationForm(_EntryForm):
    report_name = forms.CharField(label=_("report"), max_length=300)
    report_year = forms.IntegerField(label=_("year"), min_value=1900, max_value=2100)
    number = forms.IntegerField(label=_("number"), min_value=1, max_value=1000)
    text = forms.CharField(label=_("text"), widget=forms.Textarea(attrs={"rows": 4}))
    text_ru = forms.CharField(label=_("text (Russian)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    text_kk = forms.CharField(label=_("text (Kazakh)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    priority = forms.ChoiceField(label=_("priority"), required=False,
                                 choices=EMPTY + list(Priority.choices))
    quoted = forms.BooleanField(
        label=_("quoted"), required=False,
        help_text=_("The text is the report's own words; otherwise the mission's wording."))
    source_url = forms.URLField(label=_("source address"), max_length=500, required=False,
                                 assume_scheme="https")
    synthetic = forms.BooleanField(label=_("synthetic"), required=False,
                                   help_text=_("Written for the demo, not a real text."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("text", "text_ru", "text_kk"):
            self.fields[name].max_length = services.max_text_chars()

    def data_for_service(self) -> services.RecommendationData:
        return services.RecommendationData(**self.cleaned_data)
