"""The shapes of the complaints API. Bounded (docs/security-limits.md): names and references as
the model's columns, the long texts at most EOM_MAX_COMPLAINT_TEXT_CHARS characters, at most 100
linked meetings or LTO reports; unknown choices and bad dates answer 422 naming the field."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from ninja import Field, Schema

from eom.missions.validators import MAX_ID

from . import permissions
from .models import BodyKind, BodyLevel, ConfidentialNote, Decision, FilerKind

LONG = settings.EOM_MAX_COMPLAINT_TEXT_CHARS
MAX_LINKS = 100


class CaseIn(Schema):
    reference: str = Field("", max_length=100, examples=["ЦИК-2023/017"])
    filer_kind: FilerKind = Field(examples=["party"])
    filer_name: str = Field(min_length=1, max_length=300, examples=["Party A"])
    against: str = Field("", max_length=500, examples=["District commission No. 12"])
    body_kind: BodyKind = Field(examples=["commission"])
    body_level: BodyLevel = Field(examples=["district"])
    body_location: str | None = Field(None, max_length=64, description="Location code.")
    subject: str | None = Field(None, max_length=40, description="Subject code.",
                                examples=["campaign"])
    summary: str = Field("", max_length=LONG)
    legal_basis: str = Field("", max_length=LONG)
    filed: dt.date = Field(examples=["2023-03-01"])
    decided: dt.date | None = Field(None, examples=["2023-03-04"])
    decision: Decision = Field(Decision.PENDING, examples=["rejected"])
    reasons: str = Field("", max_length=LONG)
    published: bool = False
    appeal_of: int | None = Field(None, ge=1, le=MAX_ID, description="Id of the case appealed.")
    note: str | None = Field(None, max_length=LONG, description="Confidential note (core team "
                             "only); null keeps the stored one, \"\" removes it.")
    meetings: list[int] | None = Field(None, max_length=MAX_LINKS,
                                       description="Ids of meetings that mention the case.")
    lto_reports: list[int] | None = Field(None, max_length=MAX_LINKS,
                                          description="Ids of LTO reports that mention it.")


class CaseOut(Schema):
    id: int
    reference: str
    filer_kind: FilerKind
    filer_name: str
    against: str
    body_kind: BodyKind
    body_level: BodyLevel
    body_location: str | None
    subject: str | None
    summary: str
    legal_basis: str
    filed: dt.date
    decided: dt.date | None
    deadline: dt.date | None = Field(description="The legal deadline from the mission's rules.")
    within_deadline: bool | None
    decision: Decision
    reasons: str
    published: bool
    appeal_of: int | None
    appeals: list[int]
    meetings: list[int]
    lto_reports: list[int]
    documents: list[str]
    note: str | None = Field(description="Confidential note: for the core team only.")
    synthetic: bool

    @staticmethod
    def resolve_body_location(obj) -> str | None:
        return obj.body_location.code if obj.body_location_id else None

    @staticmethod
    def resolve_subject(obj) -> str | None:
        return obj.subject.code if obj.subject_id else None

    @staticmethod
    def resolve_appeal_of(obj) -> int | None:
        return obj.appeal_of_id

    @staticmethod
    def resolve_appeals(obj) -> list[int]:
        return [a.pk for a in obj.appeals.all()]

    @staticmethod
    def resolve_meetings(obj, context) -> list[int]:
        from eom.missions.permissions import meetings_visible_to

        visible = meetings_visible_to(context["request"].auth, obj.mission)
        return sorted(visible.filter(complaints=obj).values_list("pk", flat=True))

    @staticmethod
    def resolve_lto_reports(obj, context) -> list[int]:
        from eom.lto.permissions import reports_visible_to

        visible = reports_visible_to(context["request"].auth, obj.mission)
        return sorted(visible.filter(complaints=obj).values_list("pk", flat=True))

    @staticmethod
    def resolve_documents(obj) -> list[str]:
        return [d.name for d in obj.documents.all()]

    @staticmethod
    def resolve_note(obj, context) -> str | None:
        if not permissions.can_read_confidential(context["request"].auth, obj.mission):
            return None
        try:
            return obj.note.text
        except ConfidentialNote.DoesNotExist:
            return None


class CaseFilters(Schema):
    body_kind: BodyKind | None = None
    body_level: BodyLevel | None = None
    decision: Decision | None = None
    filer_kind: FilerKind | None = None
    subject: str | None = Field(None, max_length=40, description="Subject code.")
    appeal: bool | None = Field(None, description="Appeals only (true) or complaints only.")
