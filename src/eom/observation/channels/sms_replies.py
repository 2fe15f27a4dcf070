"""Replies to SMS reports, in the observer's language (English, Russian, Kazakh).

Each refusal has its own text naming the question tag and the reason, e.g. "AB: 12 is above the
maximum 5", "unknown form XY", "missing AC, AD"; an accepted report is answered with what was
stored ("received: VT 01001 AA0930 …"). The templates are written once, in English, below; the
Russian and Kazakh wording comes from the .po catalogues (src/eom/locale), and each reply is
made in the observer's language with `override`, whatever language the request runs in. Keep
the texts short: a reply should fit in one or two SMS.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, override

from eom.xlsform.sms_syntax import ParsedSms, SmsError, SmsErrorKind, summary

LANGUAGES = ("en", "ru", "kk")
MAX_REPLY = 320  # two SMS segments of Latin text


@dataclass(frozen=True)
class _Counted:
    """A template whose wording depends on a number: `count` names the value that chooses."""

    count: str
    text: Callable[[int], str]  # the template in the active language, for that number


_TEMPLATES: dict[str, Promise | _Counted] = {
    # parser (eom.xlsform.sms_syntax.SmsErrorKind)
    # Translators: replies to SMS reports, sent back by SMS; keep them short.
    "empty": _("empty message"),
    "too_long": _Counted("length", lambda n: ngettext(
        "the message is too long (%(length)s character, at most %(maximum)s)",
        "the message is too long (%(length)s characters, at most %(maximum)s)",
        n,
    )),
    "missing_form": _("begin with the form's letters: %(known)s"),
    "unknown_form": _("unknown form %(form)s (forms: %(known)s)"),
    "no_incident_form": _("the mission has no incident form"),
    "missing_code": _("%(form)s: your observer code is missing"),
    "bad_code": _("“%(code)s” is not an observer code"),
    "bad_station": _("“%(station)s” is not a station code"),
    "bad_character": _("the character “%(character)s” is not allowed here"),
    "stray_value": _("“%(value)s” has no question letters before it"),
    "unknown_tag": _("unknown question %(tag)s in %(form)s (write comments after @)"),
    "duplicate_tag": _("%(tag)s is given twice"),
    "missing_value": _("%(tag)s: the answer is missing"),
    "text_needs_at": _("%(tag)s: write text as @%(tag)s: …"),
    "no_comment": _("form %(form)s takes no comment"),
    "not_a_number": _("%(tag)s: “%(value)s” is not a whole number"),
    "not_a_decimal": _("%(tag)s: “%(value)s” is not a number"),
    "below_minimum": _("%(tag)s: %(value)s is below the minimum %(minimum)s"),
    "above_maximum": _("%(tag)s: %(value)s is above the maximum %(maximum)s"),
    "not_a_choice": _("%(tag)s: %(value)s is not a choice (1–%(n_choices)s)"),
    "one_choice_only": _("%(tag)s: one choice only"),
    "bad_time": _("%(tag)s: “%(value)s” is not a time (HHMM)"),
    "bad_date": _("%(tag)s: “%(value)s” is not a date (YYYY-MM-DD)"),
    "missing_answers": _("missing %(tags)s"),
    # the channel
    "unknown_number": _("this number is not registered with the mission"),
    "code_mismatch": _("the code %(code)s is not the one of this number"),
    "station_needed": _("name the station after your code: %(stations)s"),
    "unknown_station": _("unknown station %(station)s"),
    "not_deployed": _("you are not deployed to %(station)s on that day"),
    # Translators: an SMS reply refusing one answer: the question tag, then the reason.
    "answer": _("%(tag)s: %(reason)s"),
    "not_stored": _("not stored: %(reason)s"),
    "locked": _("too many errors from this number; try again after %(time)s"),
    "rate_limited": _("too many messages from this number; wait a few minutes"),
    # Translators: an SMS reply; "ref" is the first characters of the report's id.
    "accepted": _("received: %(summary)s (ref %(ref)s)"),
    "partial": _("received: %(summary)s; still missing %(tags)s"),
}


class _Texts(Mapping[str, dict[str, str]]):
    """TEXTS[key][language]: a reply template as the catalogues give it in that language.

    A template whose wording depends on a number is shown in its form for 5.
    """

    def __getitem__(self, key: str) -> dict[str, str]:
        entry = _TEMPLATES[key]
        texts = {}
        for language in LANGUAGES:
            with override(language):
                texts[language] = entry.text(5) if isinstance(entry, _Counted) else str(entry)
        return texts

    def __iter__(self) -> Iterator[str]:
        return iter(_TEMPLATES)

    def __len__(self) -> int:
        return len(_TEMPLATES)


TEXTS: Mapping[str, dict[str, str]] = _Texts()


def language_of(languages: str, default: str = "en") -> str:
    """The first of a person's languages ("ru, en") that replies exist in, else `default`."""
    codes = [code[:2].lower() for code in re.split(r"[\s,;/]+", languages or "") if code]
    first = codes[0] if codes else ""
    return first if first in LANGUAGES else default if default in LANGUAGES else "en"


def _plain(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def say(key: str, language: str, **values) -> str:
    """One reply text, filled in, in `language` (English if it is not one of LANGUAGES)."""
    entry = _TEMPLATES[key]
    with override(language if language in LANGUAGES else "en"):
        if isinstance(entry, _Counted):
            template = entry.text(int(values[entry.count]))
        else:
            template = str(entry)
    return template % {name: _plain(value) for name, value in values.items()}


def shorten(text: str) -> str:
    return text if len(text) <= MAX_REPLY else text[: MAX_REPLY - 1] + "…"


def error_text(error: SmsError, language: str) -> str:
    key = error.kind.value
    if error.kind is SmsErrorKind.NOT_A_NUMBER and error.details.get("kind") == "decimal":
        key = "not_a_decimal"
    values = {k: v for k, v in error.details.items() if k != "kind"}
    return say(key, language, **values)


def reply_for(result: ParsedSms | SmsError, language: str, ref: str = "") -> str:
    """The reply to a parsed message: every refusal named, or what was received."""
    if isinstance(result, SmsError):
        return shorten("; ".join(error_text(error, language) for error in result.all))
    return shorten(say("accepted", language, summary=summary(result), ref=ref))


def partial_reply(parsed: ParsedSms, missing: Iterable[str], language: str) -> str:
    return shorten(say("partial", language, summary=summary(parsed), tags=list(missing)))


def joined(parts: Iterable[str]) -> str:
    return shorten("; ".join(parts))
