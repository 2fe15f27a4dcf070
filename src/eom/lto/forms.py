"""The LTO reports' forms: the report itself (answers, sections, passages), the review, the
roll-up's filters."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from eom.missions.models import Location, LocationLevel, Mission
from eom.missions.validators import check_search
from eom.observation import rendering

from . import questions, services, validators
from .models import Heading, Period, QuestionType, Report, ReportKind, ReviewNote

YES_NO = [("", "—"), ("yes", _("yes")), ("no", _("no"))]


class StartForm(forms.Form):
    """Which team, period and kind a new report is for (the query of the new-report page)."""

    team = forms.ModelChoiceField(queryset=None, label=_("Team"))
    period = forms.ModelChoiceField(queryset=None, label=_("Period"))
    kind = forms.ChoiceField(choices=ReportKind.choices, label=_("Kind"))

    def __init__(self, *args, teams, mission: Mission, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["period"].queryset = Period.objects.filter(mission=mission)


class ReportForm(forms.Form):
    """A report's contents. Fields: `answer_<name>` per question of a template's own list, or,
    for a template that names a form, that form's questions under their own names, shown and
    checked as a checklist's (`structured_sections`, `logic`; `lto.questions`); `title` (flash);
    per heading `text_<heading>`, `tags_<heading>` and `passage_<heading>` (a confidential
    passage, filled in from what is stored: the form is for the report's own team, which reads
    its passages; written text replaces it, an emptied field removes it). A flash report has
    one heading, chosen in `heading`."""

    def __init__(self, *args, period: Period, kind: str,
                 report: Report | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.questions = period.template.questions if period.template else []
        version = questions.form_version_of(period.template)
        self.definition = version.definition if version else None
        self.region = report.region if report else None
        self.team = report.team if report else None
        self.answer_errors: dict[str, str] = {}
        if self.definition is not None:
            self.questions = []
            self.structured = (rendering.answers_from_post(self.definition, self.data)
                               if self.is_bound else dict(report.answers if report else {}))
        stored = {s.heading: s for s in report.sections.all()} if report else {}
        self.stored_passages = dict(report.passages.values_list("heading", "text")
                                    ) if report else {}
        limit = validators.max_section_chars()
        for question in self.questions:
            name, value = f"answer_{question['name']}", (report.answers if report else {})
            label = questions.question_label(question)
            if question["type"] == QuestionType.INTEGER:
                field = forms.IntegerField(label=label, required=False, min_value=0,
                                           max_value=validators.MAX_NUMBER)
            elif question["type"] == QuestionType.YES_NO:
                field = forms.ChoiceField(label=label, required=False, choices=YES_NO)
            else:
                field = forms.CharField(label=label, required=False,
                                        max_length=validators.MAX_SHORT_TEXT)
            field.initial = value.get(question["name"])
            self.fields[name] = field
        if kind == ReportKind.FLASH:
            self.fields["title"] = forms.CharField(
                label=_("Title"), max_length=200, initial=report.title if report else "")
            first = next(iter(stored), Heading.SECURITY)
            self.fields["heading"] = forms.ChoiceField(label=_("Heading"),
                                                       choices=Heading.choices, initial=first)
            self.headings = [("flash", _("Report"))]
        else:
            self.headings = list(Heading.choices)
        for code, label in self.headings:
            section = stored.get(next(iter(stored), "")) if kind == ReportKind.FLASH else (
                stored.get(code))
            self.fields[f"text_{code}"] = forms.CharField(
                label=label, required=False, max_length=limit,
                initial=section.text if section else "",
                widget=forms.Textarea(attrs={"rows": 4}))
            self.fields[f"tags_{code}"] = forms.CharField(
                label=_("Tags"), required=False, max_length=1000,
                initial=", ".join(section.tag_list) if section else "",
                help_text=_("Words separated by commas, e.g. rallies, women"))
            self.fields[f"passage_{code}"] = forms.CharField(
                label=_("Confidential passage (core team and your team only)"),
                required=False, max_length=limit, initial=self._stored_passage(code),
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("Only the core team and your team read it. Emptying it removes "
                            "the stored passage."))

    def _stored_passage(self, code: str) -> str:
        """The stored passage under the heading (a flash report's one, whatever its heading)."""
        if self.kind == ReportKind.FLASH:
            return next(iter(self.stored_passages.values()), "")
        return self.stored_passages.get(code, "")

    def clean(self):
        cleaned = super().clean()
        for code, _label in self.headings:
            for name in (f"text_{code}", f"passage_{code}"):
                problem = validators.section_text_problem(cleaned.get(name) or "")
                if problem:
                    self.add_error(name, problem)
            problem = validators.tags_problem(validators.parse_tags(
                cleaned.get(f"tags_{code}") or ""))
            if problem:
                self.add_error(f"tags_{code}", problem)
        return cleaned

    def section_rows(self):
        """(heading label, text field, tags field, passage field) per heading, for the
        template."""
        for code, label in self.headings:
            yield label, self[f"text_{code}"], self[f"tags_{code}"], self[f"passage_{code}"]

    def answer_fields(self):
        return [self[f"answer_{q['name']}"] for q in self.questions]

    def structured_sections(self) -> list:
        """The form's questions as the checklist template shows them (none without a form)."""
        if self.definition is None:
            return []
        return questions.sections_view(self.definition, self.structured, self.answer_errors,
                                       self.region, self.team)

    def logic(self) -> dict | None:
        """What the browser needs to check the form's answers as the server does."""
        return None if self.definition is None else rendering.logic(self.definition,
                                                                     self.region, self.team)

    def to_data(self) -> services.ReportData:
        data = self.cleaned_data
        answers = ({q["name"]: data.get(f"answer_{q['name']}") for q in self.questions}
                   if self.definition is None else self.structured)
        sections, passages = [], {}
        for code, _label in self.headings:
            heading = data["heading"] if code == "flash" else code
            sections.append(services.SectionData(heading, data.get(f"text_{code}") or "",
                                                 data.get(f"tags_{code}") or ""))
            written = (data.get(f"passage_{code}") or "").strip()
            if written:
                passages[heading] = written
            elif self._stored_passage(code):
                passages[heading] = ""  # emptied: removed
        return services.ReportData(answers=answers, sections=sections, passages=passages,
                                   title=data.get("title", ""))

    def show_errors(self, errors: dict[str, str]) -> None:
        """Put a service's refusal ({api field: reason}) on the form: a form question's at the
        question, the rest above the form."""
        for key, reason in errors.items():
            if self.definition is not None and key.startswith("answers."):
                self.answer_errors[key] = reason
            else:
                self.add_error(None, f"{key}: {reason}")


class ReviewForm(forms.Form):
    kind = forms.ChoiceField(label=_("Decision"), choices=ReviewNote.Kind.choices)
    text = forms.CharField(label=_("Note to the team"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))


class RollupForm(forms.Form):
    heading = forms.ChoiceField(label=_("Heading"), choices=Heading.choices, required=False)
    period = forms.ModelChoiceField(label=_("Period"), queryset=None, required=False,
                                    empty_label=_("every period"))
    region = forms.ModelChoiceField(label=_("Region"), queryset=None, required=False,
                                    empty_label=_("every region"))
    tag = forms.CharField(label=_("Tag"), required=False, max_length=validators.MAX_TAG_CHARS)
    q = forms.CharField(label=_("Words"), required=False, max_length=200,
                        validators=[check_search])

    def __init__(self, *args, mission: Mission, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = Period.objects.filter(mission=mission)
        regions = Location.objects.filter(mission=mission, level=LocationLevel.REGION)
        self.fields["region"].queryset = regions.order_by("path")
