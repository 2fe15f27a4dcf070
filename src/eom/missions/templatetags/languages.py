"""Mission data in the reader's language: `{{ election|localised:"name" }}` (see
`eom.missions.languages`)."""

from __future__ import annotations

from django import template

from eom.missions import languages

register = template.Library()


@register.filter
def localised(obj, field: str) -> str:
    """`obj`'s `field` in the reader's language, English where that text is empty."""
    if obj is None or obj == "":
        return ""
    return languages.localised(obj, field)
