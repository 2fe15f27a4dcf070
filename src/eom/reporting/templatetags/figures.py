"""`share|percent`: a share (0–1) as a percentage with one decimal, in the reader's format;
a dash for no share (None: nothing to divide by)."""

from __future__ import annotations

from django import template
from django.template.defaultfilters import floatformat

register = template.Library()


@register.filter
def percent(share: float | None) -> str:
    return "—" if share is None else floatformat(100 * share, 1)
