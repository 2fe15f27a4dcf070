"""The media pages' forms: one coded item, a coding sheet upload, the items list's filters."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from eom.missions.models import Candidate, Mission, Party

from .models import Language, MonitoringPeriod, Outlet, Ownership, SubjectKind, Tone, Topic
from .services import MAX_CM2, MAX_NOTE_CHARS, MAX_SECONDS, ItemData


class ItemForm(forms.Form):
    outlet = forms.ModelChoiceField(label=_("outlet"), queryset=Outlet.objects.none())
    date = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date"}))
    programme = forms.CharField(label=_("programme or section"), max_length=200)
    seconds = forms.IntegerField(label=_("time (seconds)"), required=False, min_value=1,
                                 max_value=MAX_SECONDS,
                                 help_text=_("Television and radio."))
    cm2 = forms.IntegerField(label=_("space (cm²)"), required=False, min_value=1,
                             max_value=MAX_CM2, help_text=_("Print and online."))
    subject_kind = forms.ChoiceField(label=_("subject"), choices=SubjectKind.choices)
    party = forms.ModelChoiceField(label=_("party"), queryset=Party.objects.none(),
                                   required=False)
    candidate = forms.ModelChoiceField(label=_("candidate"), queryset=Candidate.objects.none(),
                                       required=False)
    subject_name = forms.CharField(label=_("subject name"), max_length=200, required=False,
                                   help_text=_("The official or other subject."))
    tone = forms.ChoiceField(label=_("tone"), choices=Tone.choices)
    topic = forms.ModelChoiceField(label=_("topic"), queryset=Topic.objects.none(),
                                   required=False)
    language = forms.ChoiceField(label=_("language"), required=False,
                                 choices=[("", _("the outlet's")), *Language.choices])
    coder = forms.CharField(label=_("monitor"), max_length=100)
    note = forms.CharField(label=_("note"), required=False, max_length=MAX_NOTE_CHARS,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, mission: Mission, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outlet"].queryset = Outlet.objects.filter(mission=mission)
        self.fields["party"].queryset = Party.objects.filter(election__mission=mission)
        self.fields["candidate"].queryset = Candidate.objects.filter(
            contest__election__mission=mission)
        self.fields["topic"].queryset = Topic.objects.filter(mission=mission)

    def to_data(self) -> ItemData:
        return ItemData(**self.cleaned_data)

    def show_errors(self, errors: dict[str, str]) -> None:
        for key, reason in errors.items():
            self.add_error(key if key in self.fields else None, reason)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("coding sheet"), help_text=_("XLSX or CSV (UTF-8)."))
    mapping = forms.CharField(
        label=_("column mapping"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One pair per line (or comma-separated): our column, “=”, the header in the "
                    "file."))
    dry_run = forms.BooleanField(label=_("dry run: check and count, write nothing"),
                                 required=False, initial=True)

    def clean_mapping(self) -> dict[str, str]:
        mapping: dict[str, str] = {}
        for pair in self.cleaned_data["mapping"].replace("\n", ",").split(","):
            if not pair.strip():
                continue
            ours, sep, theirs = pair.partition("=")
            if not sep or not ours.strip() or not theirs.strip():
                raise forms.ValidationError(_("“%(pair)s” is not column=header.") % {
                    "pair": pair.strip()})
            mapping[ours.strip()] = theirs.strip()
        return mapping


class ItemFilters(forms.Form):
    outlet = forms.ModelChoiceField(label=_("outlet"), queryset=Outlet.objects.none(),
                                    required=False)
    ownership = forms.ChoiceField(label=_("ownership"), required=False,
                                  choices=[("", "—"), *Ownership.choices])
    measure = forms.ChoiceField(label=_("measure"), required=False,
                                choices=[("", "—"), ("time", _("time")), ("space", _("space"))])
    subject = forms.CharField(label=_("subject"), required=False, max_length=300)
    week = forms.DateField(label=_("week from"), required=False,
                           widget=forms.DateInput(attrs={"type": "date"}))
    period = forms.ModelChoiceField(label=_("monitoring period"), required=False,
                                    queryset=MonitoringPeriod.objects.none())
    counted = forms.BooleanField(label=_("counted in the figures only"), required=False)

    def __init__(self, *args, mission: Mission, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outlet"].queryset = Outlet.objects.filter(mission=mission)
        self.fields["period"].queryset = MonitoringPeriod.objects.filter(mission=mission)
