"""Filters of the submissions list, shared by the page and the API."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.db import connection
from django.db.models import BooleanField, Exists, OuterRef, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.fields.json import KeyTransform
from django.utils.translation import gettext_lazy as _

from eom.missions.models import Location, LocationLevel, Mission, Sample, SampledStation, Team
from eom.missions.permissions import teams_visible_to
from eom.missions.validators import check_moment
from eom.reporting.permissions import samples_visible_to
from eom.xlsform.coding import CHOICE_TYPES

from .models import Form, QAFlag, Severity, Submission, localised
from .rendering import answer_text

QUESTION_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")

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
    location = forms.ModelChoiceField(
        label=_("Location code"), queryset=Location.objects.none(), required=False,
        to_field_name="code", widget=forms.TextInput(attrs={"size": 10}),
        help_text=_("Any place of the tree: a region, a district, a polling station."),
    )
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False,
                                  to_field_name="code")
    sample = forms.ModelChoiceField(label=_("Sample"), queryset=Sample.objects.none(),
                                    required=False,
                                    help_text=_("Only reports from the sample's stations."))
    flag = forms.ChoiceField(label=_("QA flags"), choices=FLAG_CHOICES, required=False)
    observed_from = forms.DateTimeField(
        label=_("Observed from"), required=False, validators=[check_moment],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    observed_to = forms.DateTimeField(
        label=_("Observed until"), required=False, validators=[check_moment],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    question = forms.CharField(label=_("Question"), max_length=64, required=False,
                               widget=forms.TextInput(attrs={"size": 12}))
    answer = forms.CharField(label=_("Answer"), max_length=200, required=False,
                             widget=forms.TextInput(attrs={"size": 12}))
    deleted = forms.BooleanField(label=_("Deleted ones only"), required=False)
    asked: dict | None = None  # the choice question filtered on, once the form is clean

    def __init__(self, *args, mission: Mission, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        locations = Location.objects.filter(mission=mission)
        self.fields["form"].queryset = Form.objects.filter(mission=mission)
        self.fields["region"].queryset = locations.filter(level=LocationLevel.REGION)
        self.fields["district"].queryset = locations.filter(level=LocationLevel.DISTRICT)
        self.fields["location"].queryset = locations
        self.fields["team"].queryset = Team.objects.filter(mission=mission)
        self.fields["sample"].queryset = Sample.objects.filter(mission=mission)
        self._label_questions_and_answers(mission)

    def _label_questions_and_answers(self, mission: Mission) -> None:
        """The question and answer boxes as lists of labels in the reader's language (the
        codes are their values): the choice questions of the form chosen (of every checklist,
        by form, when none is), and the choices of the question chosen (of each of those
        questions, by question, when none is). What is posted is checked as typed text."""
        forms_shown = list(Form.objects.filter(mission=mission).select_related("current_version"))
        chosen_form = self.data.get("form", "") if self.is_bound else ""
        if any(f.form_id == chosen_form for f in forms_shown):
            forms_shown = [f for f in forms_shown if f.form_id == chosen_form]
        asked = [(f, q) for f in forms_shown if f.current_version
                 for s in f.current_version.definition.get("sections", [])
                 for q in s["questions"] if q["type"] in CHOICE_TYPES]
        chosen_question = self.data.get("question", "") if self.is_bound else ""
        if any(q["name"] == chosen_question for _f, q in asked):
            asked = [(f, q) for f, q in asked if q["name"] == chosen_question]
        questions: list = [("", _("any"))]
        for form in dict.fromkeys(f for f, _q in asked):
            questions.append((form.shown_title, [(q["name"], localised(q.get("label"), q["name"]))
                                                 for f, q in asked if f == form]))
        answers: list = [("", _("any"))]
        for _form, question in asked:
            answers.append((localised(question.get("label"), question["name"]), [
                (c["name"], localised(c.get("label"), c["name"]))
                for c in question.get("choices", [])]))
        if len(answers) == 2:
            answers = [answers[0], *answers[1][1]]
        self.fields["question"].widget = forms.Select(choices=questions)
        self.fields["answer"].widget = forms.Select(choices=answers)

    def clean(self):
        data = super().clean()
        name, form = data.get("question"), data.get("form")
        if data.get("answer") and not name:
            self.add_error("answer", _("Name the question this answer belongs to."))
        if not name:
            return data
        if form is None:
            self.add_error("question", _("Choose the form the question is in."))
            return data
        definition = form.current_version.definition if form.current_version else {}
        asked = next((q for s in definition.get("sections", []) for q in s["questions"]
                      if q["name"] == name and q["type"] in CHOICE_TYPES), None)
        if asked is None or not QUESTION_NAME.match(name):
            self.add_error("question", _("“%(question)s” is not a choice question of %(form)s.")
                           % {"question": name, "form": form.form_id})
        else:
            data["multiple"] = asked["type"] == "select_multiple"
            self.asked = asked
        return data

    def answer_shown(self) -> tuple[str, str] | None:
        """The question and answer filtered on, in the reader's language (labels, not codes)."""
        if self.asked is None or self.errors:
            return None
        answer = self.cleaned_data.get("answer", "")
        return (localised(self.asked.get("label"), self.asked["name"]),
                answer_text(self.asked, answer) if answer else "")


def filter_form_for(data, *, user, mission: Mission) -> SubmissionFilterForm:
    """The submissions filter with the reader's choices only: its teams, and the samples when
    it may see the quick count (a sample says which stations are drawn; no sample field else)."""
    form = SubmissionFilterForm(data, mission=mission)
    form.fields["team"].queryset = teams_visible_to(user, mission)
    samples = samples_visible_to(user, mission)
    if samples.exists():
        form.fields["sample"].queryset = samples
    else:
        del form.fields["sample"]
    return form


def filter_submissions(
    submissions: QuerySet[Submission],
    *,
    form: Form | None = None,
    region: Location | None = None,
    district: Location | None = None,
    location: Location | None = None,
    team: Team | None = None,
    sample: Sample | None = None,
    flag: str = "",
    observed_from: dt.datetime | None = None,
    observed_to: dt.datetime | None = None,
    question: str = "",
    answer: str = "",
    multiple: bool = False,
    deleted: bool = False,
) -> QuerySet[Submission]:
    """Submissions matching every given filter; deleted ones only when asked for.

    `location` keeps the reports from that place and everything under it; `sample` those from
    the sample's polling stations; `question` those that answered it, and with `answer` those
    that chose it (equal for a select_one, among the ticked ones when `multiple`). Every filter
    keeps or drops whole rows (no join that repeats them), so the result can be counted as is.
    """
    submissions = submissions.filter(deleted_at__isnull=not deleted)
    if form is not None:
        submissions = submissions.filter(form=form)
    for area in (region, district, location):
        if area is not None:
            submissions = submissions.filter(location__path__startswith=area.path)
    if team is not None:
        submissions = submissions.filter(team=team)
    if sample is not None:
        submissions = submissions.filter(
            location__in=SampledStation.objects.filter(sample=sample).values("location"))
    if flag == "any":
        submissions = submissions.filter(n_flags__gt=0)
    elif flag == "none":
        submissions = submissions.filter(n_flags=0)
    elif flag:
        submissions = submissions.filter(Exists(
            QAFlag.objects.filter(submission=OuterRef("pk"), severity=flag)))
    if observed_from:
        submissions = submissions.filter(observed_at__gte=observed_from)
    if observed_to:
        submissions = submissions.filter(observed_at__lte=observed_to)
    if question:
        submissions = _answering(submissions, question, answer, multiple)
    return submissions


def _answering(submissions: QuerySet[Submission], question: str, answer: str,
               multiple: bool) -> QuerySet[Submission]:
    if not answer:
        return submissions.filter(answers__has_key=question)
    given = submissions.alias(_answer=KeyTransform(question, "answers"))
    if not multiple:
        return given.filter(_answer=answer)
    if connection.vendor == "postgresql":
        return given.filter(_answer__contains=[answer])
    # SQLite has no JSON containment: look through the ticked choices.
    column = f'"{Submission._meta.db_table}"."answers"'
    ticked = RawSQL(
        f"EXISTS (SELECT 1 FROM json_each({column}, %s) WHERE json_each.value = %s)",
        (f'$."{question}"', answer), output_field=BooleanField(),
    )
    return submissions.filter(ticked)


class CoverageFilterForm(forms.Form):
    """The coverage page's one setting: how long a team may stay quiet before it is listed as
    silent (minutes; out-of-range values are brought to the nearest bound)."""

    MIN_SILENT, MAX_SILENT, DEFAULT_SILENT = 5, 24 * 60, 60

    silent = forms.IntegerField(label=_("Silent for more than (minutes)"), required=False)

    def minutes(self) -> int:
        value = self.cleaned_data.get("silent")
        if value is None:
            return self.DEFAULT_SILENT
        return max(self.MIN_SILENT, min(value, self.MAX_SILENT))
