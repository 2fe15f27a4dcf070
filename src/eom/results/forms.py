"""Forms of the results pages: protocol filters, the import of official results, and the
parameters of a recomputation of the forensics' Monte Carlo check."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from eom.missions.forms import MappingField
from eom.missions.models import Contest, Location, LocationLevel, Mission

from . import forensics
from .importers import PRESETS
from .models import Source


class ProtocolFilterForm(forms.Form):
    source = forms.ChoiceField(label=_("source"), choices=Source.choices, required=False)
    failed = forms.ChoiceField(label=_("checks"), required=False)
    region = forms.ModelChoiceField(label=_("region"), queryset=Location.objects.none(),
                                    required=False, to_field_name="code")
    q = forms.CharField(label=_("station code"), required=False, max_length=64)

    def __init__(self, *args, mission: Mission, regions, check_choices: list[tuple[str, str]],
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions.filter(level=LocationLevel.REGION)
        self.fields["failed"].choices = [
            ("", _("all")), ("any", _("failing any check")), ("none", _("passing every check")),
            *check_choices,
        ]


PRESET_LABELS = {
    "demo": _("eom's columns: location_code, n_registered … n_against_all, one column per "
              "party code"),
    "duma2011": _("Russian CEC per-station files, headers by part of their text"),
    "generic": _("Russian CEC files of any year, or English headers"),
}
"""The import formats in the reader's words (the key is what `eom results import` takes)."""


class ImportForm(forms.Form):
    contest = forms.ModelChoiceField(label=_("contest"), queryset=Contest.objects.none())
    file = forms.FileField(label=_("file"), help_text=_("CSV (UTF-8), XLSX, or a .zip holding "
                                                        "one CSV file"))
    preset = forms.ChoiceField(label=_("format"), choices=[(k, PRESET_LABELS.get(k, k)) for k in PRESETS])
    mapping = MappingField(
        label=_("column mapping"),
        help_text=_("One field=header per line (or comma-separated), e.g. n_registered=Voters; "
                    "a header may be part of a longer one; a + b sums columns."),
        message=_("“%(pair)s” is not field=header (e.g. n_registered=Voters)"),
    )
    create_locations = forms.BooleanField(label=_("create the stations the file names"),
                                          required=False)
    create_parties = forms.BooleanField(label=_("create the parties the file names"),
                                        required=False)
    dry_run = forms.BooleanField(label=_("dry run: check and count, write nothing"),
                                 required=False, initial=True)

    def __init__(self, *args, mission: Mission, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contest"].queryset = Contest.objects.filter(election__mission=mission)


class MonteCarloForm(forms.Form):
    """What the core team may choose when it asks for the Monte Carlo check again: the leader
    (a party code; empty: the most votes), the draws and the seed, each bounded."""

    leader = forms.CharField(label=_("leader"), required=False, max_length=64,
                             widget=forms.HiddenInput)
    draws = forms.IntegerField(label=_("draws"), min_value=forensics.MIN_DRAWS,
                               max_value=forensics.MAX_DRAWS)
    seed = forms.IntegerField(label=_("seed"), min_value=0, max_value=forensics.MAX_SEED)

