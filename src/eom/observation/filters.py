"""Filters of the submissions list, shared by the page and the API."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from eom.missions.models import Location, LocationLevel, Mission, Team

from .models import Form, Severity, Submission

FLAG_CHOICES = [
    ("", _("any")),
    ("any", _("with QA flags")),
    ("none", _("without QA flags")),
    (Severity.HIGH, _("with a high-severity flag")),
    (Severity.MEDIUM, _("with a medium-severity flag")),
    (Severity.LOW, _("with a low-severity flag")),
]


class SubmissionFilterForm(forms.Form):
    form = forms.ModelChoiceField(label=_("Form"), queryset=Form.objects.none(), required=False,
                                  to_field_name="form_id")
    region = forms.ModelChoiceField(label=_("Region"), queryset=Location.objects.none(),
                                    required=False, to_field_name="code")
    district = forms.ModelChoiceField(label=_("District"), queryset=Location.objects.none(),
                                      required=False, to_field_name="code")
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False,
                                  to_field_name="code")
    flag = forms.ChoiceField(label=_("QA flags"), choices=FLAG_CHOICES, required=False)
    observed_from = forms.DateTimeField(
        label=_("Observed from"), required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    observed_to = forms.DateTimeField(
        label=_("Observed until"), required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    deleted = forms.BooleanField(label=_("Deleted ones only"), required=False)

    def __init__(self, *args, mission: Mission, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        locations = Location.objects.filter(mission=mission)
        self.fields["form"].queryset = Form.objects.filter(mission=mission)
        self.fields["region"].queryset = locations.filter(level=LocationLevel.REGION)
        self.fields["district"].queryset = locations.filter(level=LocationLevel.DISTRICT)
        self.fields["team"].queryset = Team.objects.filter(mission=mission)


def filter_submissions(
    submissions: QuerySet[Submission],
    *,
    form: Form | None = None,
    region: Location | None = None,
    district: Location | None = None,
    team: Team | None = None,
    flag: str = "",
    observed_from: dt.datetime | None = None,
    observed_to: dt.datetime | None = None,
    deleted: bool = False,
) -> QuerySet[Submission]:
    """Submissions matching every given filter; deleted ones only when asked for."""
    submissions = submissions.filter(deleted_at__isnull=not deleted)
    if form is not None:
        submissions = submissions.filter(form=form)
    for area in (region, district):
        if area is not None:
            submissions = submissions.filter(location__path__startswith=area.path)
    if team is not None:
        submissions = submissions.filter(team=team)
    if flag == "any":
        submissions = submissions.filter(n_flags__gt=0)
    elif flag == "none":
        submissions = submissions.filter(n_flags=0)
    elif flag:
        submissions = submissions.filter(flags__severity=flag).distinct()
    if observed_from:
        submissions = submissions.filter(observed_at__gte=observed_from)
    if observed_to:
        submissions = submissions.filter(observed_at__lte=observed_to)
    return submissions
