"""A section's earlier versions beside its current text: a plain line diff per language."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from .models import LANGUAGES, Section, SectionVersion

FIELDS = {"en": "text", "ru": "text_ru", "kk": "text_kk"}
MAX_DIFF_LINES = 2_000


@dataclass
class Line:
    kind: str  # "same", "removed" (only in the version), "added" (only in the current text)
    text: str


def line_diff(old: str, new: str) -> list[Line]:
    """The lines of `old` and `new`, each marked same, removed or added (difflib's ndiff
    without its hints), at most MAX_DIFF_LINES."""
    kinds = {"  ": "same", "- ": "removed", "+ ": "added"}
    out = []
    for line in difflib.ndiff(old.splitlines(), new.splitlines()):
        kind = kinds.get(line[:2])
        if kind is None:  # "? " lines point at characters: left out
            continue
        out.append(Line(kind, line[2:]))
        if len(out) >= MAX_DIFF_LINES:
            break
    return out


def compared(version: SectionVersion, section: Section) -> list[tuple[str, str, list[Line]]]:
    """Per language: (language, the version's text, its diff against the current text)."""
    return [(lang, getattr(version, FIELDS[lang]),
             line_diff(getattr(version, FIELDS[lang]), getattr(section, FIELDS[lang])))
            for lang in LANGUAGES]
