"""Explanations as data: each sentence a check says, as a kind and the figures it cites.

The checks of :mod:`eom.stats` explain their figures in English (``explanation``, ``caveats``:
what the command line prints). They return the same sentences as :class:`Note` s too
(``explanation_notes``, ``caveat_notes``): a ``kind`` naming the sentence (e.g.
``"integer_percent"``, ``"shpilkin.caveat.real_support"``) and the ``figures`` it cites, as
plain numbers. A page words each kind in the reader's language and formats the figures as
that language does (``eom.results.forensics``); the English text is the note's ``text``,
made from the same figures, so the two cannot disagree. No formula here: the figures are the
checks' own (see each module's sources).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Note:
    """One sentence: its ``kind``, the ``figures`` it cites ((name, value) pairs: ints for
    counts, floats for estimates and percentages, bools for a yes/no) and its English
    ``text``."""

    kind: str
    figures: tuple[tuple[str, int | float | bool], ...]
    text: str

    def __getitem__(self, name: str) -> int | float | bool:
        """The figure named ``name``; KeyError names it when the note has none such."""
        for key, value in self.figures:
            if key == name:
                return value
        raise KeyError(f"{self.kind}: no figure {name!r}")

    def __str__(self) -> str:
        return self.text


def note(kind: str, english: str, **figures: int | float | bool) -> Note:
    """A :class:`Note` of ``kind`` whose English text is ``english.format(**figures)``."""
    return Note(kind, tuple(figures.items()), english.format(**figures))


def sentence(notes: tuple[Note, ...]) -> str:
    """The notes' English texts, one after the other (the checks' ``explanation``)."""
    return " ".join(n.text for n in notes)


# Fields holding notes: left out of the checks' JSON (`as_dict`), whose text fields say the same.
NOTE_FIELDS = frozenset({"explanation_notes", "caveat_notes", "fingerprint_notes"})
