"""Mission data in the reader's language.

The mission's own data (its name and description, the names of its elections, contests, key
dates, locations, parties and roles) carry a text per language in columns side by side: the
English one (`name`, or `name_en` where the model has no plain `name` column) is required and is
the fallback; `<field>_ru` and `<field>_kk` are optional. `localised(obj, "name")` picks the
reader's (the active language of the request, set from the reader's choice or Accept-Language),
and English where that one is empty. Templates use the same through the `localised` filter of
`{% load languages %}`; the API answers it as `name` beside the per-language columns.

Words the software builds around the data (a kind of place such as "city", the kind of
commission at a level of the tree) are gettext messages, translated in `locale/`, not stored.
"""

from __future__ import annotations

from django.utils.translation import get_language, pgettext_lazy

# The languages mission data are stored in besides English, in the order the admin shows them.
# Adding one (a Georgian `ka`) is a column per translated field, a migration, and the
# language in settings.LANGUAGES with its interface translation (docs/languages.md).
DATA_LANGUAGES = ("ru", "kk")


def reader_language() -> str:
    """The active language's two-letter code (`en` outside a request)."""
    return (get_language() or "en")[:2].lower()


def localised(obj, field: str, language: str | None = None) -> str:
    """`obj`'s `field` in `language` (the reader's by default), else in English.

    The English text is `<field>_en` when the model has that column (locations, parties,
    roles), else `<field>` itself (missions, elections, contests, key dates)."""
    language = language or reader_language()
    if language in DATA_LANGUAGES:
        text = getattr(obj, f"{field}_{language}", "")
        if text:
            return text
    english = f"{field}_en"
    return getattr(obj, english) if hasattr(obj, english) else getattr(obj, field)


# Kinds of place a location file or the admin may give (`Location.kind` is free text): the
# ones eom knows are shown in the reader's language, others as they were entered.
PLACE_KINDS = {
    "country": pgettext_lazy("kind of place", "country"),
    "oblast": pgettext_lazy("kind of place", "oblast"),
    "region": pgettext_lazy("kind of place", "region"),
    "city": pgettext_lazy("kind of place", "city"),
    "district": pgettext_lazy("kind of place", "district"),
    "urban": pgettext_lazy("kind of place", "urban"),
    "rural": pgettext_lazy("kind of place", "rural"),
    "abroad": pgettext_lazy("kind of place", "abroad"),
}


def place_kind(kind: str) -> str:
    """A location's kind in the reader's language when eom knows it, else as entered."""
    label = PLACE_KINDS.get(kind.strip().lower())
    return str(label) if label is not None else kind
