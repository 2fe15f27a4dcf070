"""The shapes of the LTO reports API. Bounded like the rest (docs/security-limits.md): a section
or passage holds at most EOM_MAX_LTO_SECTION_CHARS characters, a report at most one section
and one passage per heading; unknown headings, kinds and statuses answer 422 naming the field."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.conf import settings
from ninja import Field, Schema

from . import permissions, questions, validators
from .models import Heading, ReportKind, ReportStatus, ReviewNote

Tag = Annotated[str, Field(max_length=validators.MAX_TAG_CHARS)]
# A template's own questions take a number or a text; a form's also a decimal and a list of
# choices (select_multiple), bounded as a checklist's answers are (`clean_answers`).
Choice = Annotated[str, Field(max_length=validators.MAX_SHORT_TEXT)]
Answer = int | float | str | Annotated[list[Choice], Field(max_length=100)] | None


class PeriodOut(Schema):
    id: int
    number: int = Field(examples=[3])
    starts: dt.date = Field(examples=["2023-02-27"])
    ends: dt.date = Field(examples=["2023-03-05"])
    deadline: dt.datetime = Field(examples=["2023-03-06T18:00:00+06:00"])
    questions: list[dict] = Field(
        description="The template's own structured questions: name, type, label(s) (empty "
                    "when the template names a form).")
    form: str | None = Field(
        description="The form_id of the general form whose questions the reports answer "
                    "(its definition: /api/forms/{form_id}), or null.", examples=["lto_weekly"])

    @staticmethod
    def resolve_questions(obj) -> list[dict]:
        return obj.template.questions if obj.template_id else []

    @staticmethod
    def resolve_form(obj) -> str | None:
        template = obj.template
        return template.form.form_id if template is not None and template.form_id else None


class SectionIn(Schema):
    heading: Heading = Field(examples=["campaign_environment"])
    text: str = Field("", max_length=settings.EOM_MAX_LTO_SECTION_CHARS,
                      examples=["Rallies of three parties in the regional centre."])
    tags: list[Tag] = Field(default_factory=list, max_length=validators.MAX_TAGS,
                            examples=[["rallies", "women"]])


class PassageIn(Schema):
    heading: Heading = Field(examples=["security"])
    text: str = Field(max_length=settings.EOM_MAX_LTO_SECTION_CHARS,
                      description="Read by the core team only; \"\" removes the stored one.")


class ReportContentIn(Schema):
    title: str = Field("", max_length=200, description="A flash report's headline.")
    answers: dict[str, Answer] = Field(
        default_factory=dict, max_length=validators.MAX_QUESTIONS,
        description="Answers to the period's template questions by name.",
        examples=[{"n_meetings": 4, "campaign_visible": "yes"}])
    sections: list[SectionIn] = Field(default_factory=list, max_length=len(Heading.values))
    passages: list[PassageIn] = Field(
        default_factory=list, max_length=len(Heading.values),
        description="Confidential passages; a heading left out keeps its stored passage.")


class ReportIn(ReportContentIn):
    team: str = Field(min_length=1, max_length=32, description="Team code.", examples=["LTO-01"])
    period: int = Field(ge=1, le=32767, description="Period number.", examples=[3])
    kind: ReportKind = Field(ReportKind.WEEKLY, examples=["weekly"])
    region: str | None = Field(None, max_length=64, description="Location code; the team's "
                               "area when left out.")


class ReviewIn(Schema):
    kind: ReviewNote.Kind = Field(examples=["follow_up"])
    text: str = Field("", max_length=settings.EOM_MAX_LTO_SECTION_CHARS,
                      examples=["Say which parties' rallies were dispersed."])


class SectionOut(Schema):
    heading: Heading
    text: str
    tags: list[str]

    @staticmethod
    def resolve_tags(obj) -> list[str]:
        return obj.tag_list


class PassageOut(Schema):
    heading: Heading
    text: str


class NoteOut(Schema):
    kind: ReviewNote.Kind
    text: str
    by: str | None
    at: dt.datetime

    @staticmethod
    def resolve_by(obj) -> str | None:
        return obj.author.get_username() if obj.author_id else None


class ReportOut(Schema):
    id: int = Field(examples=[12])
    kind: ReportKind
    period: int = Field(description="Period number.", examples=[3])
    team: str = Field(examples=["LTO-01"])
    region: str = Field(description="Location code.", examples=["KZ-01"])
    title: str
    status: ReportStatus
    answers: dict
    form_version: str | None = Field(
        description="The version of the template's form the answers were checked against; "
                    "null for a template's own questions.")
    answers_in_words: list[list[str]] = Field(
        description="[question, answer] in the reader's language, as the report's page shows "
                    "them.")
    sections: list[SectionOut]
    passages: list[PassageOut] = Field(
        description="Confidential passages: for the core team and the team that wrote the "
                    "report (empty for others).")
    submitted_at: dt.datetime | None
    first_submitted_at: dt.datetime | None
    late_by_seconds: int | None = Field(
        description="How long after the deadline it was first submitted; null when on time.")
    notes: list[NoteOut]
    synthetic: bool

    @staticmethod
    def resolve_period(obj) -> int:
        return obj.period.number

    @staticmethod
    def resolve_team(obj) -> str:
        return obj.team.code

    @staticmethod
    def resolve_region(obj) -> str:
        return obj.region.code

    @staticmethod
    def resolve_form_version(obj) -> str | None:
        return obj.form_version.version if obj.form_version_id else None

    @staticmethod
    def resolve_answers_in_words(obj) -> list[list[str]]:
        return [[question, answer] for question, answer in questions.rows(obj)]

    @staticmethod
    def resolve_sections(obj) -> list:
        return list(obj.sections.all())

    @staticmethod
    def resolve_passages(obj, context) -> list:
        request = context["request"]
        if not permissions.can_read_passages(request.auth, obj):
            return []
        return list(obj.passages.all())

    @staticmethod
    def resolve_late_by_seconds(obj) -> int | None:
        late = obj.lateness
        return int(late.total_seconds()) if late else None

    @staticmethod
    def resolve_notes(obj) -> list:
        return list(obj.notes.all())


class ReportFilters(Schema):
    period: int | None = Field(None, ge=1, le=32767, description="Period number.")
    team: str | None = Field(None, max_length=32, description="Team code.")
    status: ReportStatus | None = None
    kind: ReportKind | None = None

