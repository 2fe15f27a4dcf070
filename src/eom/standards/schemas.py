"""The shapes of the commitments and recommendations API. Bounded (docs/security-limits.md):
texts as the model's columns, long texts at most EOM_MAX_COMPLAINT_TEXT_CHARS characters;
unknown choices answer 422 naming the field."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from ninja import Field, Schema

from eom.missions.validators import MAX_ID

from .models import AssessmentStatus, EvidenceKind, Priority

LONG = settings.EOM_MAX_COMPLAINT_TEXT_CHARS


class CommitmentIn(Schema):
    source: str = Field(min_length=1, max_length=200, examples=["Copenhagen Document 1990"])
    reference: str = Field(min_length=1, max_length=60, examples=["para 7.4"])
    title: str = Field(min_length=1, max_length=200, examples=["Secret ballot, honest count"])
    title_ru: str = Field("", max_length=200)
    title_kk: str = Field("", max_length=200)
    text: str = Field("", max_length=LONG)
    text_ru: str = Field("", max_length=LONG)
    text_kk: str = Field("", max_length=LONG)
    quoted: bool = Field(False, description="The English text is the document's own words "
                         "(a Russian or Kazakh text is the mission's translation).")
    source_url: str = Field("", max_length=500)


class EvidenceOut(Schema):
    tag_id: int
    kind: EvidenceKind
    label: str
    url: str
    excerpt: str
    note: str


class CommitmentOut(Schema):
    id: int
    source: str
    reference: str
    title: str
    title_ru: str
    title_kk: str
    text: str
    text_ru: str
    text_kk: str
    quoted: bool
    source_url: str
    evidence: list[EvidenceOut] = Field(
        description="What the caller may see of the evidence tagged with it.")


class TagIn(Schema):
    commitment: int | None = Field(None, ge=1, le=MAX_ID)
    recommendation: int | None = Field(None, ge=1, le=MAX_ID)
    kind: EvidenceKind = Field(examples=["meeting"])
    reference: str = Field(min_length=1, max_length=200, examples=["12"],
                           description="A complaint's or meeting's id; an LTO passage as "
                           "report_id:heading; an indicator as form_id:name.")
    note: str = Field("", max_length=1000)


class TagOut(Schema):
    id: int
    commitment: int | None = Field(alias="commitment_id")
    recommendation: int | None = Field(alias="recommendation_id")
    kind: EvidenceKind
    note: str


class RecommendationIn(Schema):
    report_name: str = Field(min_length=1, max_length=300)
    report_year: int = Field(ge=1900, le=2100, examples=[2021])
    number: int = Field(ge=1, le=1000, examples=[1])
    text: str = Field(min_length=1, max_length=LONG)
    text_ru: str = Field("", max_length=LONG)
    text_kk: str = Field("", max_length=LONG)
    priority: Priority | None = None
    quoted: bool = False
    source_url: str = Field("", max_length=500)
    synthetic: bool = False


class AssessmentIn(Schema):
    status: AssessmentStatus = Field(examples=["partly"])
    evidence: str = Field("", max_length=LONG)
    evidence_ru: str = Field("", max_length=LONG)
    evidence_kk: str = Field("", max_length=LONG)


class AssessmentOut(Schema):
    status: AssessmentStatus
    evidence: str
    evidence_ru: str
    evidence_kk: str
    synthetic: bool
    assessed_by: str | None
    assessed_at: dt.datetime | None


class RecommendationOut(Schema):
    id: int
    report_name: str
    report_year: int
    number: int
    text: str
    text_ru: str
    text_kk: str
    priority: str
    quoted: bool
    source_url: str
    synthetic: bool
    status: AssessmentStatus
    assessment: AssessmentOut | None
    evidence: list[EvidenceOut]


class StatusCountOut(Schema):
    status: AssessmentStatus
    label: str
    n: int


class RecommendationFiguresOut(Schema):
    n_recommendations: int
    by_status: list[StatusCountOut]
