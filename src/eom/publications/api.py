"""The mission's reports in the JSON API: the list, and one report with its sections and the
figures they name — frozen as published, or computed now for a draft.

The same access as the pages (`permissions`): everyone in the mission reads the published
reports; the core team, analysts and administrators read drafts too; a report the caller may
not read answers 404, a caller outside the mission 403. Read-only: reports are written on the
pages and with `eom reports`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Path, Router, Schema

from eom.missions.access import mission_for
from eom.missions.api import ERRORS, MissionCode

from . import permissions, services
from .models import LANGUAGES, Report

router = Router(tags=["reports"])
ReportName = Annotated[str, Path(max_length=80, pattern=r"^[-a-zA-Z0-9_]+$",
                                 examples=["preliminary-statement"])]


class PublicationOut(Schema):
    name: str
    kind: str
    title: str
    title_ru: str
    title_kk: str
    state: str
    published_at: dt.datetime | None
    code_version: str
    synthetic: bool


class PublicationSectionOut(Schema):
    heading: str
    heading_label: str
    order: int
    text: str
    text_ru: str
    text_kk: str
    translation_ru: str
    translation_kk: str
    review: str
    author: str | None
    updated_at: dt.datetime
    n_versions: int


class PublicationFigureOut(Schema):
    key: str
    frozen: bool
    value: dict[str, Any] | None
    text: dict[str, str]
    fingerprint: str
    n_inputs: int
    query: str
    code_version: str
    seed: int | None
    computed_at: dt.datetime | None
    error: str


class PublicationDetailOut(PublicationOut):
    sections: list[PublicationSectionOut]
    figures: list[PublicationFigureOut]


def _readable(request: HttpRequest, code: str | None):
    mission = mission_for(request.auth, code)
    if not permissions.can_read_reports(request.auth, mission):
        raise PermissionDenied(_("You do not read the mission's reports."))
    return permissions.reports_visible_to(request.auth, mission)


def _report(report: Report) -> dict[str, Any]:
    return {name: getattr(report, name) for name in PublicationOut.model_fields}


@router.get("/publications", response={200: list[PublicationOut], **ERRORS})
def list_publications(request: HttpRequest, mission: MissionCode = None):
    """The mission's reports the caller may read: published ones, and drafts for the core
    team, analysts and administrators."""
    return [_report(r) for r in _readable(request, mission).order_by("name")]


@router.get("/publications/{name}", response={200: PublicationDetailOut, **ERRORS})
def get_publication(request: HttpRequest, name: ReportName, mission: MissionCode = None):
    """One report: its sections in the three languages and each figure they name, with its
    value (frozen when published), fingerprint, code version and seed."""
    report = get_object_or_404(_readable(request, mission), name=name)
    sections = []
    for s in (report.sections.select_related("author").annotate(n_versions=Count("versions"))
              .order_by("order", "pk")):
        sections.append(PublicationSectionOut(
            heading=s.heading, heading_label=s.get_heading_display(), order=s.order,
            text=s.text, text_ru=s.text_ru, text_kk=s.text_kk,
            translation_ru=s.translation_ru, translation_kk=s.translation_kk, review=s.review,
            author=s.author.get_username() if s.author else None, updated_at=s.updated_at,
            n_versions=s.n_versions))
    figures = [PublicationFigureOut(
        key=v.key, frozen=v.frozen, value=v.value,
        text={lang: v.text(lang) for lang in LANGUAGES}, fingerprint=v.fingerprint,
        n_inputs=v.n_inputs, query=v.query, code_version=v.code_version, seed=v.seed,
        computed_at=v.computed_at, error=v.error)
        for v in services.figure_values(report).values()]
    return PublicationDetailOut(**_report(report), sections=sections, figures=figures)
