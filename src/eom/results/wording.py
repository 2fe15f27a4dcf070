"""The seat allocation's explanation in the reader's language.

`eom.electoral` returns its explanation as data: the method's key, the threshold report, the
quota's terms, and for each remainder seat or tie a `Phrase` (a kind and its values). Here
those are worded through gettext, with party names as the page shows them and numbers
written as the reader's language writes them (grouped thousands, its decimal mark). The
command line keeps the cores' English (`Phrase.english`, `eom.electoral.render`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from eom.electoral.core import Allocation, Phrase, ThresholdReport, decimal

METHODS = {
    "hare": gettext_lazy("Hare quota, largest remainder"),
    "droop": gettext_lazy("Droop quota, largest remainder"),
    "hagenbach-bischoff": gettext_lazy("Hagenbach-Bischoff quota, largest remainder"),
    "imperiali": gettext_lazy("Imperiali quota, largest remainder"),
    "dhondt": gettext_lazy("D'Hondt divisors"),
    "sainte-lague": gettext_lazy("Sainte-Laguë divisors"),
    "modified-sainte-lague": gettext_lazy("modified Sainte-Laguë divisors"),
    "danish": gettext_lazy("Danish divisors"),
    "imperiali-divisor": gettext_lazy("Imperiali divisors (2, 3, 4, …)"),
    "adams": gettext_lazy("Adams divisors"),
    "huntington-hill": gettext_lazy("Huntington-Hill divisors"),
    "plurality": gettext_lazy("plurality"),
}
"""Method keys of `eom.electoral.METHODS` (and plurality) to their names."""

QUOTA_WORDS = {
    "hare": gettext_lazy("votes / seats"),
    "droop": gettext_lazy("⌊votes / (seats + 1)⌋ + 1"),
    "hagenbach-bischoff": gettext_lazy("votes / (seats + 1)"),
    "imperiali": gettext_lazy("votes / (seats + 2)"),
}
"""Quota formulas in words; `quota_formula` fills in the figures."""

RULES = {"at least": gettext_lazy("at least"), "more than": gettext_lazy("more than")}
"""A threshold's comparison as `ThresholdReport.rule` words it."""
BASES = {
    "valid_incl_against_all": gettext_lazy("valid ballots including against all"),
    "party_votes": gettext_lazy("votes for parties (against all excluded)"),
}
TIE_RULES = {
    "more_votes": gettext_lazy("the party with more votes"),
    "earlier_registration": gettext_lazy("the list registered earlier"),
    "lot": gettext_lazy("drawing of lots"),
}


def number(value: int | Fraction, places: int = 4) -> str:
    """`value` as the reader's language writes it: an integer grouped by thousands, a fraction
    rounded exactly (half up) to `places` decimals."""
    if isinstance(value, int):
        return formats.number_format(value, use_l10n=True, force_grouping=True)
    if value.denominator == 1:
        return number(value.numerator)
    return formats.number_format(Decimal(decimal(value, places)), places, use_l10n=True,
                                 force_grouping=True)


def percent(share: Fraction, places: int = 4) -> str:
    """A share as a percentage, exact when it has few digits ("5 %"), else rounded."""
    value = Fraction(share) * 100
    digits = next((d for d in range(places + 1) if (value * 10**d).denominator == 1), places)
    shown = number(value.numerator) if digits == 0 else formats.number_format(
        Decimal(decimal(value, digits)), digits, use_l10n=True, force_grouping=True)
    return f"{shown} %"


def method(allocation: Allocation) -> str:
    """The method's name ("Hare quota, largest remainder"), English when the key is unknown."""
    label = METHODS.get(allocation.method_key)
    return str(label) if label is not None else allocation.method


def threshold(report: ThresholdReport) -> str:
    """"threshold 5 % (at least) of 6,149,384 valid ballots including against all = … votes"."""
    return _("threshold %(percent)s (%(rule)s) of %(base_votes)s %(base)s = %(needed)s votes") % {
        "percent": percent(report.share), "rule": RULES.get(report.rule, report.rule),
        "base_votes": number(report.base_votes), "base": BASES.get(report.base_name,
                                                                   report.base_name),
        "needed": number(report.votes_needed, 2),
    }


def quota_formula(allocation: Allocation) -> str:
    """"votes / seats = 5,971,719 / 69 = 86,546.6522" with the reader's words and numbers."""
    key, total, n = allocation.method_key, allocation.quota_votes, allocation.n_seats
    if allocation.quota is None or key not in QUOTA_WORDS or total is None:
        return allocation.quota_formula
    votes = number(total)
    figures = {
        "hare": f"{votes} / {number(n)}",
        "droop": f"⌊{votes} / {number(n + 1)}⌋ + 1",
        "hagenbach-bischoff": f"{votes} / {number(n + 1)}",
        "imperiali": f"{votes} / {number(n + 2)}",
    }[key]
    return f"{QUOTA_WORDS[key]} = {figures} = {number(allocation.quota)}"


def _names(parties, names: Mapping[str, str]) -> str:
    return ", ".join(names.get(party, party) for party in parties)


def _at(value: Fraction | None) -> str:
    return "" if value is None else " " + _("at %(value)s") % {"value": number(value)}


def _count(n: int, what: str) -> str:
    if what == "remainder seat":
        text = ngettext("%(n)s remainder seat", "%(n)s remainder seats", n)
    elif what == "seat to take back":
        text = ngettext("%(n)s seat to take back", "%(n)s seats to take back", n)
    else:
        text = ngettext("%(n)s seat", "%(n)s seats", n)
    return text % {"n": number(n)}


def _tie_break(p: dict[str, Any], names: Mapping[str, str]) -> str:
    text = _("%(parties)s tied%(at)s for %(seats)s") % {
        "parties": _names(p["contenders"], names), "at": _at(p["value"]),
        "seats": _count(p["n"], p["what"])}
    if p["chosen"]:
        verb = _("%(parties)s loses it") if p["worst"] else _("%(parties)s gets it")
        text += "; " + verb % {"parties": _names(p["chosen"], names)}
        if p["used"]:
            text += ", " + _("settled by %(rules)s") % {
                "rules": "; ".join(phrase(u, names) for u in p["used"])}
    if p["tie"] is not None:
        text += "; " + _("unresolved: %(reason)s") % {"reason": phrase(p["tie"], names)}
    return text


_WORDING: dict[str, Callable[[dict[str, Any], Mapping[str, str]], str]] = {
    "nth_remainder": lambda p, names: (
        _("largest remainder no. %(n)s") if p["largest"] else _("smallest remainder no. %(n)s")
    ) % {"n": number(p["n"])},
    "one_each_round": lambda p, names: _(
        "more seats to settle than parties: each party takes one this round"),
    "tied_seat_each": lambda p, names: _("%(parties)s tied at %(value)s; there is a seat for "
                                         "each") % {"parties": _names(p["parties"], names),
                                                    "value": number(p["value"])},
    "tied_each_receives": lambda p, names: _("%(parties)s tied at %(value)s; each receives a "
                                             "seat") % {"parties": _names(p["parties"], names),
                                                        "value": number(p["value"])},
    "kept_undecided": lambda p, names: _("%(tie)s; so %(n)s stay with one of %(parties)s, "
                                         "undecided") % {
        "tie": phrase(p["tie"], names), "n": _count(p["n_kept"], "seat"),
        "parties": _names(p["parties"], names)},
    "no_votes": lambda p, names: _("no party received any votes; every party is equally placed "
                                   "for every seat"),
    "tie_break": _tie_break,
    "by_more_votes": lambda p, names: _("more votes (%(votes)s)") % {"votes": ", ".join(
        f"{names.get(party, party)} {number(n)}" for party, n in p["votes"])},
    "by_registration": lambda p, names: _("earlier registration (in this order: %(order)s)") % {
        "order": _names(p["order"], names)},
    "by_lot": lambda p, names: _("lot drawn with seed %(seed)s (order %(order)s)") % {
        "seed": p["seed"], "order": _names(p["order"], names)},
    "unsettled": lambda p, names: _("%(parties)s tied%(at)s for %(seats)s; %(cause)s") % {
        "parties": _names(p["parties"], names), "at": _at(p["value"]),
        "seats": _count(p["n"], p["what"]), "cause": phrase(p["cause"], names)},
    "no_tie_rule": lambda p, names: _("no tie rule of the law settles it"),
    "still_equal": lambda p, names: _("still equal after %(rules)s") % {
        "rules": ", ".join(str(TIE_RULES.get(rule, rule)) for rule in p["rules"])},
    "no_registration_order": lambda p, names: _(
        "the law settles it by earlier registration, but no registration order was given for "
        "%(parties)s") % {"parties": _names(p["missing"], names)},
    "no_lot_seed": lambda p, names: _("the law settles it by lot, but no lot seed was given"),
}


def phrase(value: Phrase | None, names: Mapping[str, str] | None = None) -> str:
    """A `Phrase` of the electoral explanation in the reader's language ("" for None)."""
    if value is None:
        return ""
    wording = _WORDING.get(value.kind)
    if wording is None:
        return value.english()
    return wording(value.data, names or {})


def explanation(allocation: Allocation) -> list[str]:
    """The lines above the allocation table: the method, the threshold and the quota."""
    lines = [method(allocation)]
    if allocation.threshold is not None:
        lines.append(threshold(allocation.threshold))
    if allocation.quota is not None:
        lines.append(_("quota: %(formula)s") % {"formula": quota_formula(allocation)})
    return lines
