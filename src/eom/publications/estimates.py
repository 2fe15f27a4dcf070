"""The figures of a report that are estimates or tests: the quick count and the forensics.

- `quickcount:SAMPLE.PARTY` — a list's share of the valid votes estimated from the counting
  reports of the sampled polling stations, with its 95 % margin (eom.reporting.pvt,
  `quick_count_page`, over every live report of the mission as the core team counts it);
  `quickcount:SAMPLE.turnout` — the estimated turnout. SAMPLE is the sample's name as a slug
  ("pvt"), PARTY the list's code in lower case ("amanat", "against_all"). The sample's seed is
  frozen with the figure.
- `forensics:benford` — the second-digit test of the leader's votes (χ², p-value, mean second
  digit and its bootstrap interval; the bootstrap's seed is frozen);
  `forensics:integer_percent` — integer percentages of turnout and of the leader's share:
  observed, expected, excess and z; `forensics:flags` — which checks look closer (the
  forensics page's flags). All three read the official protocols of the party-list contest, the
  leader being the list with the most votes (eom.results.forensics `analyse`).
"""

from __future__ import annotations

import math
from typing import Any

from django.utils import formats, timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from eom.missions.models import Mission

from .figures import Choice, Computed, Provider, UnknownFigure, fingerprint, number
from .models import LANGUAGES

TURNOUT = "turnout"
CHECKS = ("integer_percent", "fingerprint", "shpilkin", "benford", "slope")


def _finite(value: Any) -> float | None:
    """A float JSON can store (PostgreSQL refuses NaN): None where there is no number."""
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _p_value(value: float | None, language: str) -> str:
    """A p-value to three significant digits with the language's decimal mark."""
    if value is None:
        return "–"
    with translation.override(language):
        return f"{value:.3g}".replace(".", formats.get_format("DECIMAL_SEPARATOR"))


# --- the quick count -------------------------------------------------------------------------


def _samples(mission: Mission) -> dict[str, Any]:
    from eom.missions.models import Sample

    found: dict[str, Any] = {}
    for sample in Sample.objects.filter(mission=mission).order_by("pk"):
        found.setdefault(slugify(sample.name)[:40], sample)
    found.pop("", None)
    return found


def _party_names(mission: Mission) -> dict[str, dict[str, str]]:
    """{code: {language: name}} of the party-list contest's lists, and "against all"."""
    from eom.missions.languages import localised
    from eom.reporting.pvt import AGAINST_ALL
    from eom.results.services import party_list_contest

    contest = party_list_contest(mission)
    names: dict[str, dict[str, str]] = {}
    if contest is not None:
        for party in contest.election.parties.order_by("registration_order"):
            names[party.code] = {lang: party.short_name or localised(party, "name", lang)
                                 for lang in LANGUAGES}
    names[AGAINST_ALL] = {}
    for lang in LANGUAGES:
        with translation.override(lang):
            names[AGAINST_ALL][lang] = _("Against all")
    return names


def _quick_count_compute(mission: Mission, rest: str) -> Computed:
    from eom.observation.models import Stage, Submission
    from eom.reporting.pvt import quick_count_page

    slug, _dot, what = rest.partition(".")
    sample = _samples(mission).get(slug)
    if sample is None or not what:
        raise UnknownFigure(f"quickcount:{rest}")
    with translation.override("en"):
        page = quick_count_page(sample, Submission.objects.filter(mission=mission))
    common = {"sample": sample.name, "seed": sample.seed, "n_sampled": page.n_sampled,
              "n_reported": page.n_reported,
              "design": page.design.kind if page.design else ""}
    result = page.result
    if what == TURNOUT:
        turnout = result.turnout if result else None
        official = page.official.turnout if page.official else None
        value = {**common, "measure": TURNOUT,
                 "share": None if turnout is None else _finite(turnout.share),
                 "margin95": None if turnout is None else _finite(turnout.margin95),
                 "official": _finite(official)}
    else:
        names = _party_names(mission)
        code = next((c for c in names if c.lower() == what), None)
        if code is None:
            raise UnknownFigure(f"quickcount:{rest}")
        row = next((r for r in page.rows if r.code == code), None)
        value = {**common, "measure": "share", "party": code, "name": names[code],
                 "share": None if row is None else _finite(row.share),
                 "margin95": None if row is None else _finite(row.margin95),
                 "margin99": None if row is None else _finite(row.margin99),
                 "official": None if row is None else _finite(row.official)}
    stations = sample.stations.order_by("pk").values_list("pk", "location_id", "stratum")
    reports = (Submission.objects.live()
               .filter(mission=mission, form__stage=Stage.COUNTING,
                       location_id__in=[location for _pk, location, _s in stations])
               .order_by("pk").values_list("pk", "location_id", "team_id", "answers"))
    digest, n = fingerprint([*(("missions.sampledstation", *row) for row in stations),
                             *(("observation.submission", *row) for row in reports)])
    query = (f"sample {sample.name} (seed {sample.seed}, {sample.size} stations, strata by "
             f"{sample.stratum_level}): the live counting reports of the sampled stations, one "
             f"per station (conflicts resolved or left out), {page.n_reported} of "
             f"{page.n_sampled} stations reported; design {common['design'] or '–'}")
    return Computed(f"quickcount:{rest}", value, digest, n,
                    ["observation.submission", "observation.conflictresolution",
                     "missions.sample"], query, timezone.now(), seed=sample.seed)


def _quick_count_text(value: dict, language: str) -> str:
    with translation.override(language):
        if value["share"] is None:
            return _("quick count of sample %(sample)s: no estimate yet (%(n)s of %(of)s "
                     "sampled polling stations reported)") % {
                "sample": value["sample"], "n": number(value["n_reported"], language),
                "of": number(value["n_sampled"], language)}
        figures = {"percent": number(100 * value["share"], language, 1),
                   "margin": number(100 * (value["margin95"] or 0), language, 1),
                   "n": number(value["n_reported"], language),
                   "of": number(value["n_sampled"], language)}
        if value["measure"] == TURNOUT:
            return _("turnout estimated at %(percent)s %% (± %(margin)s points at 95 %%) from "
                     "%(n)s of %(of)s sampled polling stations") % figures
        name = value["name"].get(language) or value["name"]["en"]
        return _("%(name)s estimated at %(percent)s %% of the valid votes (± %(margin)s "
                 "points at 95 %%) from %(n)s of %(of)s sampled polling stations") % {
            **figures, "name": name}


def _quick_count_table(value: dict, language: str) -> tuple[list[str], list[list[str]]]:
    with translation.override(language):
        header = ["", _("estimate (%)"), _("margin at 95 % (points)"), _("official (%)"),
                  _("stations reported"), _("seed")]
        label = (_("turnout") if value["measure"] == TURNOUT
                 else value["name"].get(language) or value["name"]["en"])

        def pct(x):
            return number(None if x is None else 100 * x, language, 1)

        return header, [[label, pct(value["share"]), pct(value["margin95"]),
                         pct(value["official"]),
                         f"{number(value['n_reported'], language)} / "
                         f"{number(value['n_sampled'], language)}", str(value["seed"])]]


def _quick_count_choices(mission: Mission) -> list[Choice]:
    samples = _samples(mission)
    if not samples:
        return []
    names = _party_names(mission)
    language = translation.get_language() or "en"
    out = []
    for slug, sample in samples.items():
        for code, name in names.items():
            out.append(Choice(f"quickcount:{slug}.{code.lower()}",
                              _("Quick count %(sample)s: %(name)s") % {
                                  "sample": sample.name,
                                  "name": name.get(language[:2]) or name["en"]}))
        out.append(Choice(f"quickcount:{slug}.{TURNOUT}",
                          _("Quick count %(sample)s: turnout") % {"sample": sample.name}))
    return out


# --- forensics -------------------------------------------------------------------------------


def _forensics_compute(mission: Mission, rest: str) -> Computed:
    from eom.results import forensics
    from eom.results.services import party_list_contest

    contest = party_list_contest(mission)
    if contest is None or rest not in ("benford", "integer_percent", "flags"):
        raise UnknownFigure(f"forensics:{rest}")
    protocols = forensics.official_protocols(contest)
    analysis = forensics.analyse(protocols)
    common = {"contest": str(contest), "leader": analysis.leader,
              "n_protocols": analysis.n_protocols, "n_used": analysis.n_used}
    summary, seed = analysis.summary, None
    if rest == "benford":
        benford = summary.benford if summary else None
        low, high = benford.mean_interval if benford else (None, None)
        value = {**common, "test": rest,
                 "n_counts": benford.n_counts if benford else 0,
                 "chi2": _finite(benford.chi2) if benford else None,
                 "p_value": _finite(benford.p_value) if benford else None,
                 "mean_digit": _finite(benford.mean_digit) if benford else None,
                 "expected_mean": _finite(benford.expected_mean) if benford else None,
                 "low": _finite(low), "high": _finite(high),
                 "flagged": bool(analysis.flag["benford"].anomalous) if summary else False}
        seed = forensics.SEED
    elif rest == "integer_percent":
        found = summary.integer_percent if summary else None
        value = {**common, "test": rest,
                 "stations_kept": found.stations_kept if found else 0,
                 "observed": found.observed if found else 0,
                 "expected": _finite(found.null_mean) if found else None,
                 "sd": _finite(found.null_sd) if found else None,
                 "excess": _finite(found.excess) if found else None,
                 "z": _finite(found.z_score) if found else None,
                 "flagged": bool(analysis.flag["integer_percent"].anomalous) if summary
                 else False}
    else:
        value = {**common, "test": rest, "n_checks": len(CHECKS),
                 "flagged": [f.name for f in analysis.anomalous]}
    digest, n = fingerprint(("results.protocol", *row) for row in protocols.order_by(
        "pk").values_list("pk", "location_id", "n_registered", "n_issued", "n_valid",
                          "n_invalid", "votes"))
    query = (f"contest {contest.pk} ({contest}): the official protocols giving registered "
             f"voters, ballots issued, valid and invalid ballots ({analysis.n_used} of "
             f"{analysis.n_protocols}); leader {analysis.leader} (the most votes); "
             f"check {rest}" + (f"; bootstrap seed {seed}" if seed is not None else ""))
    return Computed(f"forensics:{rest}", value, digest, n, ["results.protocol"], query,
                    timezone.now(), seed=seed)


def _fixed(value: float | None, language: str, places: int) -> str:
    return number(value, language, places) if value is not None else "–"


def _forensics_text(value: dict, language: str) -> str:
    with translation.override(language):
        if value["test"] == "benford":
            return _("second-digit test of the votes of %(leader)s in %(n)s stations: χ² = "
                     "%(chi2)s on 9 degrees of freedom, p = %(p)s; mean second digit %(mean)s "
                     "(95 %% interval %(low)s–%(high)s), Benford's law expects %(expected)s") % {
                "leader": value["leader"] or "–", "n": number(value["n_counts"], language),
                "chi2": _fixed(value["chi2"], language, 1),
                "p": _p_value(value["p_value"], language),
                "mean": _fixed(value["mean_digit"], language, 3),
                "low": _fixed(value["low"], language, 3),
                "high": _fixed(value["high"], language, 3),
                "expected": _fixed(value["expected_mean"], language, 3)}
        if value["test"] == "integer_percent":
            return _("%(observed)s integer percentages of turnout and of the share of "
                     "%(leader)s in %(n)s stations, where %(expected)s are expected (excess "
                     "%(excess)s, z = %(z)s)") % {
                "observed": number(value["observed"], language),
                "leader": value["leader"] or "–",
                "n": number(value["stations_kept"], language),
                "expected": _fixed(value["expected"], language, 1),
                "excess": _fixed(value["excess"], language, 1),
                "z": _fixed(value["z"], language, 2)}
        flagged = value["flagged"]
        return _("%(n)s of %(of)s forensic checks of %(stations)s official protocols call for "
                 "a closer look%(which)s") % {
            "n": number(len(flagged), language), "of": number(value["n_checks"], language),
            "stations": number(value["n_used"], language),
            "which": f" ({', '.join(flagged)})" if flagged else ""}


def _forensics_table(value: dict, language: str) -> tuple[list[str], list[list[str]]]:
    with translation.override(language):
        if value["test"] == "benford":
            return ([_("vote counts"), "χ²", _("p-value"), _("mean second digit"),
                     _("95 % interval"), _("expected")],
                    [[number(value["n_counts"], language), _fixed(value["chi2"], language, 1),
                      _p_value(value["p_value"], language),
                      _fixed(value["mean_digit"], language, 3),
                      f"{_fixed(value['low'], language, 3)}–"
                      f"{_fixed(value['high'], language, 3)}",
                      _fixed(value["expected_mean"], language, 3)]])
        if value["test"] == "integer_percent":
            return ([_("stations"), _("observed"), _("expected"), _("excess"), "z"],
                    [[number(value["stations_kept"], language),
                      number(value["observed"], language),
                      _fixed(value["expected"], language, 1),
                      _fixed(value["excess"], language, 1), _fixed(value["z"], language, 2)]])
        return ([_("check"), _("closer look")],
                [[name, _("yes") if name in value["flagged"] else _("no")] for name in CHECKS])


def _forensics_choices(mission: Mission) -> list[Choice]:
    from eom.results.services import party_list_contest

    if party_list_contest(mission) is None:
        return []
    return [Choice("forensics:benford", _("Forensics: second-digit test of the leader's votes")),
            Choice("forensics:integer_percent", _("Forensics: integer percentages")),
            Choice("forensics:flags", _("Forensics: checks calling for a closer look"))]


PROVIDERS = {
    "quickcount": Provider("quickcount", _quick_count_compute, _quick_count_text,
                           _quick_count_table, _quick_count_choices),
    "forensics": Provider("forensics", _forensics_compute, _forensics_text, _forensics_table,
                          _forensics_choices),
}
