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
    """The lines of `old` and `new`, each marked same, removed or added (difflib's
    SequenceMatcher on whole lines: a changed line is the old one removed, then the new one
    added), at most MAX_DIFF_LINES."""
    before, after = old.splitlines(), new.splitlines()
    out: list[Line] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after).get_opcodes():
        if tag == "equal":
            out += [Line("same", line) for line in before[i1:i2]]
            continue
        out += [Line("removed", line) for line in before[i1:i2]]
        out += [Line("added", line) for line in after[j1:j2]]
    return out[:MAX_DIFF_LINES]


def compared(version: SectionVersion, section: Section) -> list[tuple[str, str, list[Line]]]:
    """Per language: (language, the version's text, its diff against the current text)."""
    return [(lang, getattr(version, FIELDS[lang]),
             line_diff(getattr(version, FIELDS[lang]), getattr(section, FIELDS[lang])))
            for lang in LANGUAGES]
