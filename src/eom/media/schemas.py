"""The shapes of the media monitoring API. Bounded like the rest (docs/security-limits.md):
texts by their columns' lengths, seconds up to a day, cm² up to 100,000; unknown kinds, tones
and languages answer 422 naming the field."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from ninja import Field, Schema

from eom.missions.validators import MAX_ID

from .models import Language, Ownership, SubjectKind, Tone
from .services import MAX_CM2, MAX_NOTE_CHARS, MAX_SECONDS


class OutletOut(Schema):
    id: int
    name: str = Field(examples=["Khabar"])
    kind: str = Field(examples=["tv"])
    ownership: str = Field(examples=["state"])
    ownership_assumed: bool
    language: str = Field(examples=["kk+ru"])


class ItemIn(Schema):
    outlet: int = Field(ge=1, le=MAX_ID, description="The outlet's id (GET /api/media/outlets).")
    date: dt.date = Field(examples=["2023-03-01"])
    programme: str = Field(max_length=200, examples=["Evening news"])
    seconds: int | None = Field(None, ge=1, le=MAX_SECONDS,
                                description="Television and radio: the item's time.")
    cm2: int | None = Field(None, ge=1, le=MAX_CM2,
                            description="Print and online: the item's space.")
    subject_kind: SubjectKind = Field(examples=["party"])
    party: str = Field("", max_length=32, description="The party's code, for a party.")
    candidate: int | None = Field(None, ge=1, le=MAX_ID, description="The candidate's id.")
    subject_name: str = Field("", max_length=200, description="An official or other subject.")
    tone: Tone = Field(examples=["neutral"])
    topic: str = Field("", max_length=32, description="The topic's code.")
    language: Language | None = Field(None, description="Else the outlet's.")
    coder: str = Field(max_length=100, examples=["M-04"])
    note: str = Field("", max_length=MAX_NOTE_CHARS)


class ItemPatch(Schema):
    """The fields of a coded item to change; those left out keep their stored values."""

    outlet: int | None = Field(None, ge=1, le=MAX_ID)
    date: dt.date | None = None
    programme: str | None = Field(None, max_length=200)
    seconds: int | None = Field(None, ge=1, le=MAX_SECONDS)
    cm2: int | None = Field(None, ge=1, le=MAX_CM2)
    subject_kind: SubjectKind | None = None
    party: str | None = Field(None, max_length=32)
    candidate: int | None = Field(None, ge=1, le=MAX_ID)
    subject_name: str | None = Field(None, max_length=200)
    tone: Tone | None = None
    topic: str | None = Field(None, max_length=32)
    language: Language | None = None
    coder: str | None = Field(None, max_length=100)
    note: str | None = Field(None, max_length=MAX_NOTE_CHARS)


class ItemOut(Schema):
    id: int
    outlet: str
    outlet_id: int
    date: dt.date
    programme: str
    seconds: int | None
    cm2: int | None
    subject_kind: str
    subject: str
    party: str | None
    candidate_id: int | None
    tone: str
    topic: str | None
    language: str
    coder: str
    note: str
    unit: str
    second_coding: bool
    synthetic: bool

    @staticmethod
    def resolve_outlet(obj) -> str:
        return obj.outlet.name

    @staticmethod
    def resolve_subject(obj) -> str:
        from .figures import subject_label

        return subject_label(obj)

    @staticmethod
    def resolve_party(obj) -> str | None:
        return obj.party.code if obj.party_id else None

    @staticmethod
    def resolve_topic(obj) -> str | None:
        return obj.topic.code if obj.topic_id else None


class ItemFiltersIn(Schema):
    outlet: int | None = Field(None, ge=1, le=MAX_ID)
    ownership: Ownership | None = None
    measure: str = Field("", pattern="^(time|space)?$")
    subject: str = Field("", max_length=300, examples=["party:3"])
    week: dt.date | None = Field(None, description="Any day of the week (Monday to Sunday).")
    counted: bool = Field(False, description="Only the items the figures count (first codings).")


def _exact(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}"


class ShareOut(Schema):
    subject: str = Field(examples=["party:3"])
    label: str
    volume: int
    share: str = Field(description="Exact, as a fraction.", examples=["3/5"])
    percent: float = Field(description="Rounded to one decimal.", examples=[60.0])
    tones: dict[str, int]
    tone_percent: dict[str, float]

    @staticmethod
    def resolve_share(obj) -> str:
        return _exact(obj.share)

    @staticmethod
    def resolve_percent(obj) -> float:
        return round(float(obj.share) * 100, 1)

    @staticmethod
    def resolve_tone_percent(obj) -> dict[str, float]:
        return {tone: round(float(v) * 100, 1) for tone, v in obj.tone_shares.items()}


class ShareTableOut(Schema):
    measure: str = Field(examples=["time"])
    total: int
    rows: list[ShareOut]


class OwnershipTableOut(ShareTableOut):
    ownership: str


class AlphaOut(Schema):
    variable: str
    level: str
    alpha: float | None
    n_units: int
    below: bool


class FiguresOut(Schema):
    overall: list[ShareTableOut]
    by_ownership: list[OwnershipTableOut]
    reliability: list[AlphaOut]
    alpha_threshold: float
