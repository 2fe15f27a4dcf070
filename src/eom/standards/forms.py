"""The forms of the commitments and recommendations pages: the roll-up's filters, a tag, an
assessment."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from eom.missions.models import Mission

from . import services
from .models import AssessmentStatus, Commitment, EvidenceKind, Recommendation

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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].max_length = services.max_text_chars()

    def show_errors(self, errors: dict[str, str]) -> None:
        for name, reason in errors.items():
            self.add_error(name if name in self.fields else None, reason)
