"""The figures a report embeds, by key, and what each was computed from.

A section's text names a figure as `[[figure:KEY]]`. The key's first part names its provider:

- `indicator:FORM.NAME` — a named election-day indicator of a checklist (eom.reporting.indicators):
  the share of the reports of its base where it holds, with the count, the base and the 95 %
  interval ("Voting assessed negatively in 7.1 % of 1,201 reports (95 % interval 5.8–8.7 %)");
  counted over every live report of the mission, as the core team counts it;
- `seats` — the seats of the party-list contest recomputed from the official protocols under its
  law (eom.results.queries.verify_seats), beside the announced seats;
- `complaints:within_deadline` — the share of decided complaints decided within the legal
  deadline (eom.complaints.services.figures);
- `media:time` and `media:space` — each subject's share of broadcast time or of print and online
  space (eom.media.figures.share_table);
- `quickcount:SAMPLE.PARTY|turnout` and `forensics:benford|integer_percent|flags` — the quick
  count's estimates and the forensic checks (estimates.py).

Each provider computes a `Computed`: the value (plain JSON, what is frozen and compared), the
rows it read as (record kind, id, the values read) whose SHA-256 is the inputs' fingerprint, the
record kinds (for the audit trail), a description of the query and filters, and the time. A value
is written in a language by `text(key, value, language)` — numbers as that language writes
them — and shown as a table in the annex by `table(key, value, language)`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

import eom
from eom.missions.models import Mission

from .models import LANGUAGES

TOKEN = re.compile(r"\[\[figure:([a-z0-9_.:-]{1,100})\]\]")


class UnknownFigure(LookupError):
    """No provider knows the key, or its record (form, indicator, contest) does not exist."""


@dataclass
class Computed:
    key: str
    value: dict[str, Any]
    fingerprint: str
    n_inputs: int
    input_models: list[str]
    query: str
    computed_at: dt.datetime
    seed: int | None = None


@dataclass
class Choice:
    """A figure a section may embed: its key and what it is, in the reader's language."""

    key: str
    label: str


@dataclass
class Provider:
    prefix: str
    compute: Callable[[Mission, str], Computed]
    text: Callable[[dict, str], str]
    table: Callable[[dict, str], tuple[list[str], list[list[str]]]]
    choices: Callable[[Mission], list[Choice]]
    input_models: list[str] = field(default_factory=list)


def fingerprint(rows: Iterable[Iterable[Any]]) -> tuple[str, int]:
    """The SHA-256 (hex) of the rows read, each written as canonical JSON on its own line, in
    the order given (callers order them by kind and id); and how many."""
    digest, n = hashlib.sha256(), 0
    for row in rows:
        digest.update(json.dumps(list(row), sort_keys=True, ensure_ascii=True,
                                 separators=(",", ":"), default=str).encode())
        digest.update(b"\n")
        n += 1
    return digest.hexdigest(), n


def number(value: float | int | None, language: str, places: int = 0) -> str:
    """`value` as `language` writes it (grouping and decimal mark); a dash for None."""
    if value is None:
        return "–"
    with translation.override(language):
        return formats.number_format(round(value, places) if places else int(round(value)),
                                     decimal_pos=places or None, use_l10n=True,
                                     force_grouping=True)


def _git_describe() -> str:
    root = Path(eom.__file__).resolve().parent.parent.parent
    if not (root / ".git").exists():
        return ""
    try:
        found = subprocess.run(["git", "-C", str(root), "describe", "--always", "--dirty"],
                               capture_output=True, text=True, timeout=5, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return found.stdout.strip() if found.returncode == 0 else ""


def code_version() -> str:
    """eom's version, and the commit when running from a git checkout ("0.1.0+abc1234")."""
    described = _git_describe()
    return f"{eom.__version__}+{described}" if described else eom.__version__


def _per_language(make: Callable[[], Any]) -> dict[str, Any]:
    out = {}
    for language in LANGUAGES:
        with translation.override(language):
            out[language] = make()
    return out


# --- election-day indicators ---------------------------------------------------------------


def _indicator_compute(mission: Mission, rest: str) -> Computed:
    from eom.observation.models import Form, Submission
    from eom.reporting.indicators import form_indicator_figures

    form_id, _dot, name = rest.partition(".")
    form = (Form.objects.filter(mission=mission, form_id=form_id, current_version__isnull=False)
            .select_related("current_version").first())
    if form is None or not name:
        raise UnknownFigure(f"indicator:{rest}")
    reports = Submission.objects.filter(mission=mission)
    labels: dict[str, str] = {}
    figure = None
    for language in LANGUAGES:
        with translation.override(language):
            found = [f for f in form_indicator_figures(form, reports) if f.key == name]
            if not found:
                raise UnknownFigure(f"indicator:{rest}")
            figure = found[0]
            labels[language] = figure.label
    assert figure is not None
    rows = (Submission.objects.filter(mission=mission, form=form, deleted_at__isnull=True)
            .order_by("pk").values_list("pk", "answers"))
    digest, n = fingerprint(("observation.submission", pk, answers) for pk, answers in rows)
    value = {"label": labels, "count": figure.count, "base": figure.base,
             "share": figure.share, "low": figure.low, "high": figure.high,
             "unit": figure.unit, "scope": figure.scope, "design": figure.design}
    query = (f"checklist {form.form_id} (version {form.current_version.version}); "
             f"indicator {name}: {figure.formula}; base: {figure.base_formula}; "
             f"every live report of the mission; design: {figure.design}")
    return Computed(f"indicator:{rest}", value, digest, n, ["observation.submission"], query,
                    timezone.now())


def _indicator_text(value: dict, language: str) -> str:
    with translation.override(language):
        label = value["label"].get(language) or value["label"]["en"]
        if value["share"] is None:
            return _("%(label)s: no report in the base") % {"label": label}
        unit = _("reports") if value["unit"] == "reports" else _("sampled polling stations")
        return _("%(label)s in %(percent)s %% of %(base)s %(unit)s observed (95 %% interval "
                 "%(low)s–%(high)s %%)") % {
            "label": label, "percent": number(100 * value["share"], language, 1),
            "base": number(value["base"], language), "unit": unit,
            "low": number(100 * value["low"], language, 1),
            "high": number(100 * value["high"], language, 1)}


def _indicator_table(value: dict, language: str) -> tuple[list[str], list[list[str]]]:
    with translation.override(language):
        header = [_("indicator"), _("count"), _("base"), _("share (%)"), _("95 % interval")]
        share = value["share"]
        return header, [[value["label"].get(language) or value["label"]["en"],
                         number(value["count"], language), number(value["base"], language),
                         number(None if share is None else 100 * share, language, 1),
                         "–" if share is None else
                         f"{number(100 * value['low'], language, 1)}–"
                         f"{number(100 * value['high'], language, 1)}"]]


def _indicator_choices(mission: Mission) -> list[Choice]:
    from eom.observation.models import Form, localised

    out = []
    for form in (Form.objects.filter(mission=mission, current_version__isnull=False)
                 .select_related("current_version").order_by("pk")):
        for declared in form.current_version.definition.get("indicators") or []:
            out.append(Choice(f"indicator:{form.form_id}.{declared['name']}",
                              localised(declared.get("label"), declared["name"])))
    return out


# --- seats -----------------------------------------------------------------------------------


def _seats_compute(mission: Mission, rest: str) -> Computed:
    from eom.missions.models import AnnouncedResult
    from eom.results.models import Protocol, Source
    from eom.results.queries import verify_seats
    from eom.results.services import party_list_contest

    contest = party_list_contest(mission)
    if contest is None or rest:
        raise UnknownFigure("seats")
    verified = _per_language(lambda: verify_seats(contest, sensitivity=False))
    english = verified["en"]
    if english.error:
        raise UnknownFigure(f"seats: {english.error}")
    rows = [{"code": row.code, "name": {lang: v.rows[k].name for lang, v in verified.items()},
             "votes": row.votes, "seats": row.recomputed, "announced": row.announced}
            for k, row in enumerate(english.rows)]
    value = {"contest": _per_language(lambda: str(contest)), "n_protocols": english.n_protocols,
             "rows": rows}
    official = Protocol.objects.filter(contest=contest, source=Source.OFFICIAL).order_by("pk")
    lines = ["pk", "location_id", "n_registered", "n_issued", "n_in_boxes", "n_invalid",
             "n_valid", "n_against_all", "votes"]
    announced = AnnouncedResult.objects.filter(contest=contest).order_by("pk")
    digest, n = fingerprint([
        *(("results.protocol", *row) for row in official.values_list(*lines)),
        *(("missions.announcedresult", *row)
          for row in announced.values_list("pk", "party_id", "votes", "seats")),
    ])
    query = (f"contest {contest.pk} ({contest}), law {contest.rule}: the sum of the official "
             f"protocols ({english.n_protocols}) allocated under the law; announced seats")
    return Computed("seats", value, digest, n,
                    ["results.protocol", "missions.announcedresult"], query, timezone.now())


def _seats_text(value: dict, language: str) -> str:
    with translation.override(language):
        parts = [f"{row['name'].get(language) or row['name']['en']} "
                 f"{number(row['seats'], language)}" for row in value["rows"] if row["seats"]]
        return _("seats recomputed from %(n)s official protocols: %(seats)s") % {
            "n": number(value["n_protocols"], language), "seats": "; ".join(parts)}


def _seats_table(value: dict, language: str) -> tuple[list[str], list[list[str]]]:
    with translation.override(language):
        header = [_("party"), _("votes"), _("seats recomputed"), _("seats announced")]
        return header, [[row["name"].get(language) or row["name"]["en"],
                         number(row["votes"], language), number(row["seats"], language),
                         number(row["announced"], language)] for row in value["rows"]]


def _seats_choices(mission: Mission) -> list[Choice]:
    from eom.results.services import party_list_contest

    contest = party_list_contest(mission)
    return [Choice("seats", _("Seats of %(contest)s") % {"contest": contest})] if contest else []


# --- complaints ------------------------------------------------------------------------------


def _complaints_compute(mission: Mission, rest: str) -> Computed:
    from eom.complaints.models import Case
    from eom.complaints.services import figures

    if rest != "within_deadline":
        raise UnknownFigure(f"complaints:{rest}")
    cases = Case.objects.filter(mission=mission)
    found = figures(cases)
    share = found.share_within
    value = {"within": found.within_deadline, "decided": found.decided_with_deadline,
             "total": found.total, "share": None if share is None else float(share)}
    digest, n = fingerprint(("complaints.case", *row) for row in cases.order_by("pk").values_list(
        "pk", "filed", "decided", "deadline", "decision", "appeal_of_id"))
    query = ("every case of the register (complaints and appeals): decided with a legal "
             "deadline, and of those decided on or before it")
    return Computed("complaints:within_deadline", value, digest, n, ["complaints.case"], query,
                    timezone.now())


def _complaints_text(value: dict, language: str) -> str:
    with translation.override(language):
        return _("%(within)s of %(decided)s complaints and appeals decided were decided within "
                 "the legal deadline (%(percent)s %%)") % {
            "within": number(value["within"], language),
            "decided": number(value["decided"], language),
            "percent": number(None if value["share"] is None else 100 * value["share"],
                              language, 1)}


def _complaints_table(value: dict, language: str) -> tuple[list[str], list[list[str]]]:
    with translation.override(language):
        return ([_("cases"), _("decided with a deadline"), _("within the deadline"),
                 _("share (%)")],
                [[number(value["total"], language), number(value["decided"], language),
                  number(value["within"], language),
                  number(None if value["share"] is None else 100 * value["share"], language,
                         1)]])


def _complaints_choices(mission: Mission) -> list[Choice]:
    return [Choice("complaints:within_deadline",
                   _("Complaints decided within the legal deadline"))]


# --- media -----------------------------------------------------------------------------------


def _media_compute(mission: Mission, rest: str) -> Computed:
    from eom.media.figures import SPACE, TIME, counted, share_table
    from eom.media.models import Item

    if rest not in (TIME, SPACE):
        raise UnknownFigure(f"media:{rest}")
    items = Item.objects.filter(mission=mission)
    tables = _per_language(lambda: share_table(counted(items), rest))
    english = tables["en"]
    value = {"measure": rest, "total": english.total,
             "rows": [{"subject": row.subject,
                       "label": {lang: t.rows[k].label for lang, t in tables.items()},
                       "volume": row.volume, "share": float(row.share)}
                      for k, row in enumerate(english.rows)]}
    read = ("pk", "outlet_id", "date", "seconds", "cm2", "tone", "subject_kind", "party_id",
            "candidate_id", "subject_name")
    digest, n = fingerprint(("media.item", *row) for row in items.filter(
        second_coding=False).order_by("pk").values_list(*read))
    query = f"every first coding of the media monitoring, measure {rest}"
    return Computed(f"media:{rest}", value, digest, n, ["media.item"], query, timezone.now())


def _media_text(value: dict, language: str) -> str:
    with translation.override(language):
        top = [f"{row['label'].get(language) or row['label']['en']} "
               f"{number(100 * row['share'], language, 1)} %" for row in value["rows"][:3]]
        if value["measure"] == "time":
            whole = _("of %(total)s seconds of coverage monitored") % {
                "total": number(value["total"], language)}
        else:
            whole = _("of %(total)s cm² of coverage monitored") % {
                "total": number(value["total"], language)}
        return f"{'; '.join(top)} ({whole})"


def _media_table(value: dict, language: str) -> tuple[list[str], list[list[str]]]:
    with translation.override(language):
        return ([_("subject"), _("volume"), _("share (%)")],
                [[row["label"].get(language) or row["label"]["en"],
                  number(row["volume"], language), number(100 * row["share"], language, 1)]
                 for row in value["rows"]])


def _media_choices(mission: Mission) -> list[Choice]:
    return [Choice("media:time", _("Media: share of broadcast time")),
            Choice("media:space", _("Media: share of print and online space"))]


PROVIDERS = {
    "indicator": Provider("indicator", _indicator_compute, _indicator_text, _indicator_table,
                          _indicator_choices),
    "seats": Provider("seats", _seats_compute, _seats_text, _seats_table, _seats_choices),
    "complaints": Provider("complaints", _complaints_compute, _complaints_text,
                           _complaints_table, _complaints_choices),
    "media": Provider("media", _media_compute, _media_text, _media_table, _media_choices),
}


def providers() -> dict[str, Provider]:
    """Every provider: those above, and the quick count's and forensics' (estimates.py)."""
    from .estimates import PROVIDERS as ESTIMATES

    return {**PROVIDERS, **ESTIMATES}


def provider_of(key: str) -> tuple[Provider, str]:
    prefix, _colon, rest = key.partition(":")
    found = providers()
    if prefix not in found:
        raise UnknownFigure(key)
    return found[prefix], rest


def compute(mission: Mission, key: str) -> Computed:
    """The figure's current value and inputs; `UnknownFigure` when nothing answers to `key`."""
    provider, rest = provider_of(key)
    return provider.compute(mission, rest)


def text(key: str, value: dict, language: str) -> str:
    return provider_of(key)[0].text(value, language)


def table(key: str, value: dict, language: str) -> tuple[list[str], list[list[str]]]:
    return provider_of(key)[0].table(value, language)


def choices(mission: Mission) -> list[Choice]:
    """Every figure a section of the mission's reports may embed, for the editor's picker."""
    return [choice for provider in providers().values() for choice in provider.choices(mission)]


def keys_in(texts: Iterable[str]) -> list[str]:
    """The figure keys the texts name, in order of first appearance."""
    seen: dict[str, None] = {}
    for body in texts:
        for match in TOKEN.finditer(body):
            seen.setdefault(match.group(1))
    return list(seen)


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return float(f"{value:.12g}")
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value


def same(old: dict, new: dict) -> bool:
    """Whether two values are the same figure (floats to 12 significant digits)."""
    return _rounded(old) == _rounded(new)


def _flat(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        if set(value) == set(LANGUAGES):  # a text per language: a label, not a figure
            return {}
        out: dict[str, Any] = {}
        for k, v in value.items():
            out.update(_flat(v, f"{prefix}.{k}" if prefix else k))
        return out
    if isinstance(value, list):
        out = {}
        for k, v in enumerate(value):
            name = v.get("code") or v.get("subject") if isinstance(v, dict) else None
            out.update(_flat(v, f"{prefix}[{name or k}]"))
        return out
    return {prefix: value}


def differences(old: dict, new: dict) -> list[str]:
    """What changed between two values, one line per number: "count: 84 → 85 (+1)"."""
    before, after = _flat(_rounded(old)), _flat(_rounded(new))
    lines = []
    for name in sorted(set(before) | set(after)):
        a, b = before.get(name), after.get(name)
        if a == b:
            continue
        if isinstance(a, int | float) and isinstance(b, int | float) and not isinstance(
                a, bool):
            change = b - a
            shown = f"{change:+d}" if isinstance(change, int) else f"{change:+.4g}"
            lines.append(f"{name}: {a} → {b} ({shown})")
        else:
            lines.append(f"{name}: {a} → {b}")
    return lines


def source_url(key: str) -> str:
    """The page listing the records a figure was computed from."""
    from urllib.parse import urlencode

    from django.urls import reverse

    prefix, _colon, rest = key.partition(":")
    if prefix == "indicator":
        return reverse("reporting:analysis") + "?" + urlencode({"form": rest.partition(".")[0]})
    if prefix == "seats":
        return reverse("results:seats")
    if prefix == "complaints":
        return reverse("complaints:figures")
    if prefix == "media":
        return reverse("media:figures")
    if prefix == "quickcount":
        return reverse("reporting:quick_count")
    if prefix == "forensics":
        return reverse("results:forensics")
    return ""
