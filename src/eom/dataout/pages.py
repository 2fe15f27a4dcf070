"""The tables of the figure pages, built from the context the page renders (`figures`).

Each function takes the view's context and returns {name: FigureTable}, in the order the page
shows them; the titles are the page's own column titles, split where a page cell shows two
figures ("12 / 40", "3 (25.0 %)") into one column each.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .figures import FigureTable, one_decimal


def analysis_tables(context: dict) -> dict[str, FigureTable]:
    """Process analysis: every choice question's answers, the breakdown of the selected
    question by area, and the form's indicators."""
    result = context.get("result")
    if result is None:
        return {}
    questions = FigureTable("questions", [
        _("Question"), _("Answer"), _("Reports"), _("Answered"), _("Share (%)"),
        _("Lower bound (%)"), _("Upper bound (%)")])
    for q, _chart in context["questions"]:
        for f in q.figures:
            questions.rows.append([
                q.label, f.label, f.n_yes, f.n, one_decimal(f.percent),
                one_decimal(f.lower_percent) if f.n else None,
                one_decimal(f.upper_percent) if f.n else None])
    tables = {"questions": questions}
    selected = context.get("selected")
    if selected is not None:
        header = [_("Area"), _("Code"), _("Reports")]
        for f in selected.figures:
            header += [f.label, f"{f.label} (%)"]
        areas = FigureTable("areas", header)
        for row, _chart in context["area_rows"]:
            cells = [row.location.name, row.location.code, row.n]
            for f in row.figures:
                cells += [f.n_yes, one_decimal(f.percent)]
            areas.rows.append(cells)
        tables["areas"] = areas
    if context.get("indicators"):
        indicators = FigureTable("indicators", [
            _("Indicator"), _("Condition"), _("Base"), _("Count"), _("In the base"),
            _("Share (%)"), _("Lower bound (%)"), _("Upper bound (%)")])
        for f in context["indicators"]:
            indicators.rows.append([f.label, f.formula, f.base_formula, f.count, f.base,
                                    one_decimal(f.percent), one_decimal(f.low_percent),
                                    one_decimal(f.high_percent)])
        tables["indicators"] = indicators
    return tables


def coverage_tables(context: dict) -> dict[str, FigureTable]:
    """Coverage of a place: one row per place below it and the total, per stage the reports
    received, expected and their share (whole per cent, as the page rounds it; none for the
    total, as on the page)."""
    total = context.get("total")
    if total is None:
        return {}
    header = [_("Location"), _("Code"), _("Teams")]
    for st in total.stages:
        label = str(st.stage.label)
        header += [label, f"{label}: {_('expected')}", f"{label} (%)"]
    header += [_("Incidents"), _("Silent teams")]
    table = FigureTable("coverage", header)
    for row in [*context["rows"], None]:
        current = total if row is None else row
        cells = [_("Total") if row is None else row.location.name,
                 "" if row is None else row.location.code, current.n_teams]
        for st in current.stages:
            # the page gives the total's stages without their share
            shown = st.expected and row is not None
            cells += [st.received, st.expected, st.percent if shown else None]
        silent = (len(total.silent) if row is None
                  else ", ".join(t.code for t in row.silent))
        table.rows.append([*cells, current.n_incidents, silent])
    return {"coverage": table}


def protocols_tables(context: dict) -> dict[str, FigureTable]:
    """The protocols as filtered (every page of the list, in its order)."""
    found = context.get("found")
    if found is None:
        return {}
    from eom.results import checks  # the results app's labels of the law's checks

    table = FigureTable("protocols", [
        _("station"), _("source"), _("registered"), _("in the boxes"), _("valid"), _("invalid"),
        _("checks failed")])
    for p in found:
        table.rows.append([p.location.code, str(p.get_source_display()), p.n_registered,
                           p.n_in_boxes, p.n_valid, p.n_invalid,
                           "; ".join(str(checks.check_label(name)) for name in p.failed)])
    return {"protocols": table}


def discrepancies_tables(context: dict) -> dict[str, FigureTable]:
    """Observer copies against the official protocols: one row per differing line."""
    table = FigureTable("discrepancies", [
        _("station"), _("team"), _("largest difference"), _("line"), _("official"),
        _("observers")])
    for d in context.get("differing", []):
        team = d.observer.submission.team if d.observer.submission_id else None
        for diff in d.differences:
            table.rows.append([d.location.code, team.code if team else "", d.size,
                               str(diff.label), diff.official, diff.observer])
    return {"discrepancies": table}


def aggregation_tables(context: dict) -> dict[str, FigureTable]:
    """The sums of the official protocols at the places below a node, beside whether the
    published total there agrees; and the node's own lines that differ from its published
    total."""
    children = context.get("children")
    if children is None:
        return {}
    table = FigureTable("aggregation", [
        _("location"), _("Code"), _("protocols"), _("registered"), _("in the boxes"),
        _("valid"), _("invalid"), _("published"), _("lines that differ")])
    for row in children:
        lines = row.computed.lines if row.computed else {}
        published = (_("equal") if row.published and not row.n_differences
                     else _("differs") if row.published else "")
        table.rows.append([
            row.location.name, row.location.code,
            row.computed.n_protocols if row.computed else 0,
            lines.get("n_registered"), lines.get("n_in_boxes"), lines.get("n_valid"),
            lines.get("n_invalid"), published,
            row.n_differences or None if row.published else None])
    tables = {"aggregation": table}
    head = context.get("head")
    if head is not None and head.published:
        differences = FigureTable("published", [_("line"), _("sum of protocols"),
                                                _("published")])
        differences.rows = [[str(d.label), d.official, d.observer] for d in head.comparisons()]
        tables["published"] = differences
    return tables


def _yes_no(value: bool | None) -> str:
    return "" if value is None else _("yes") if value else _("no")


def quick_count_tables(context: dict) -> dict[str, FigureTable]:
    """The quick count: the estimates of each list (per cent, two decimals as on the page) and
    the strata with the stations sampled and reported."""
    page = context.get("page")
    if page is None:
        return {}
    tables = {}
    if page.result:
        estimates = FigureTable("estimates", [
            _("List"), _("Code"), _("Estimate (%)"), _("Margin (95 %)"), _("Margin (99 %)"),
            _("Official (%)"), _("Official inside the interval")])
        estimates.rows = [[row.name, row.code, one_decimal(row.percent, 2),
                           one_decimal(row.margin95_pct, 2), one_decimal(row.margin99_pct, 2),
                           one_decimal(row.official_pct, 2), _yes_no(row.inside95)]
                          for row in page.rows]
        tables["estimates"] = estimates
    strata = FigureTable("strata", [_("Stratum"), _("Code"), _("Polling stations"),
                                    _("Sampled"), _("Reported")])
    strata.rows = [[s.name, s.code, s.n_population, s.n_sampled, s.n_reported]
                   for s in page.strata]
    tables["strata"] = strata
    return tables


def seats_tables(context: dict) -> dict[str, FigureTable]:
    """Seat verification: votes and seats per party, recomputed beside announced; and how the
    seats follow from the votes (shares two decimals, remainders four, as on the page)."""
    verification = context.get("v")
    if verification is None or getattr(verification, "error", None):
        return {}
    seats = FigureTable("seats", [_("party"), _("Code"), _("votes (protocols)"),
                                  _("votes (announced)"), _("seats recomputed"),
                                  _("seats announced")])
    seats.rows = [[row.name, row.code, row.votes, row.announced_votes, row.recomputed,
                   row.announced] for row in verification.rows]
    allocation = FigureTable("allocation", [_("party"), _("votes"), _("share (%)"),
                                            _("threshold"), _("full quotas"), _("remainder"),
                                            _("seats")])
    allocation.rows = [[row["party"], row["votes"], one_decimal(row["share"], 2),
                        "" if row["passed"] is None else _("passed") if row["passed"]
                        else _("below"), row["full_quotas"], one_decimal(row["remainder"], 4),
                        row["seats"]] for row in context["explanation"]]
    return {"seats": seats, "allocation": allocation}


def capfirst(text) -> str:
    """`text` with its first letter in capitals, as the template's `capfirst` shows it."""
    text = str(text)
    return text[:1].upper() + text[1:]


def _share(value) -> float | None:
    """A media share as its page shows it (`percent`: per cent, one decimal)."""
    return None if value is None else round(float(value) * 100, 1)


def media_tables(context: dict) -> dict[str, FigureTable]:
    """Media monitoring: the share tables as one table (the outlets they cover: all, state or
    private, one outlet; the measure; each subject's volume, share and tones; each table's
    total), and each subject's share of the week's time or space, week by week (a column per
    week, named by its Monday; empty where the measure had no coverage that week)."""
    shares = [(_("All outlets"), t) for t, _chart in context["overall"]]
    shares += [(capfirst(label), t) for _o, label, t, _chart in context["ownership"]]
    shares += [(o.name, o.table) for o in context["outlets"]]
    figures = FigureTable("figures", [
        _("outlets"), _("measure"), _("subject"), _("volume"), _("share"), _("positive"),
        _("neutral"), _("negative")])
    for scope, table in shares:
        for row in table.rows:
            figures.rows.append([scope, table.measure_label, row.label, row.volume,
                                 _share(row.share),
                                 *(_share(row.tone_shares.get(tone)) for tone in
                                   ("positive", "neutral", "negative"))])
        figures.rows.append([scope, table.measure_label, _("total"), table.total, None, None,
                             None, None])
    tables = [t for t, _chart in context["weeks"]]
    mondays = sorted({week for t in tables for week in t.weeks})
    weeks = FigureTable("weeks", [_("measure"), _("subject"),
                                  *(week.isoformat() for week in mondays)])
    for table in tables:
        for week_row in table.rows:
            by_week = {week: share for week, (share, _query) in zip(table.weeks, week_row.cells,
                                                                   strict=True)}
            weeks.rows.append([table.measure_label, week_row.label,
                               *(_share(by_week.get(week)) for week in mondays)])
    return {"figures": figures, "weeks": weeks}


def _template(text: str) -> str:
    """`{% translate text %}` of a template, for a text with a per cent sign (the catalogue
    holds it as "%%")."""
    return _(text.replace("%", "%%")).replace("%%", "%")


def _check_label(name: str) -> str:
    return {"integer_percent": _("integer percentages"), "fingerprint": _("fingerprint"),
            "shpilkin": _("Shpilkin's estimate"), "benford": _("second digits")}.get(
        name, _("turnout slope"))


def _dropped_label(reason: str) -> str:
    return {"small": _("fewer than 100 registered voters (their percentages are coarse)"),
            "no_ballots": _("no ballot counted"),
            "over_registered": _("more ballots issued than registered voters")}.get(
        reason, _template("turnout or the leader's result above 99 % (100 % is a whole "
                          "percentage by itself)"))


def forensics_tables(context: dict) -> dict[str, FigureTable]:
    """Election forensics: the stations used and left out; the integer percentages check
    against its exact null and the stored Monte Carlo null (one decimal, as on the page; a
    spread "a ± b" in two columns); the observer effect (two decimals; a page cell "x / y" or
    "low … high" in two columns). None when the page shows no checks."""
    analysis = context.get("a")
    if analysis is None or not analysis.summary:
        return {}
    stations = FigureTable("stations", [_("stations"), _("how many"), _("left out of")])
    stations.rows.append([_("official protocols"), analysis.n_protocols, None])
    stations.rows.append([_("without registered voters, ballots issued, valid or invalid "
                            "ballots"), analysis.n_incomplete, _("every check")])
    for d in analysis.dropped:
        stations.rows.append([_dropped_label(d.reason), d.n,
                              ", ".join(_check_label(c) for c in d.checks)])
    stations.rows.append([_("vote counts under 10 (no second digit)"), analysis.n_small_counts,
                          _("second digits")])

    ip = analysis.summary.integer_percent
    stored = context.get("stored")
    check = stored.check if stored else None
    integer = FigureTable("integer_percent", [
        _("Integer percentages"), _("exact null"), _("exact null standard deviation"),
        _("Monte Carlo null"), _("Monte Carlo null standard deviation")])
    integer.rows = [
        [_("stations with a whole-percentage turnout or leader result"), ip.observed, None,
         ip.observed, None],
        [_("expected by chance (± standard deviation)"), one_decimal(ip.null_mean),
         one_decimal(ip.null_sd), one_decimal(check.null_mean) if check else None,
         one_decimal(check.null_sd) if check else None],
        [_("excess"), one_decimal(ip.excess), None,
         one_decimal(check.excess) if check else None, None],
        [_("excess in standard deviations"), one_decimal(ip.z_score), None, None, None]]
    tables = {"stations": stations, "integer_percent": integer}

    observer = context.get("observer")
    if observer is not None and not observer.problem:
        effect = FigureTable("observer_effect", [
            _("measure"), _template("observed stations, %"),
            _template("unobserved stations of the same strata, %"), _("difference (points)"),
            _("lower bound"), _("upper bound"), _("verdict"), _("stations observed"),
            _("stations unobserved"), _("strata used"), _("strata left out")])
        for r in observer.rows:
            label = (_("turnout (mean of the stations' turnouts)") if r.name == "turnout" else
                     _("%(code)s, the leader's share (mean of the stations' shares)")
                     % {"code": context.get("leader_name", "")})
            if r.difference is None:
                figures = [None, None, None, None, None,
                           _("no stratum has stations on both sides")]
            else:
                verdict = (_("no interval (no stratum side has two stations)") if r.low is None
                           else _("the interval excludes zero: a difference") if r.found
                           else _("the interval includes zero: no difference shown"))
                figures = [one_decimal(r.mean_observed, 2), one_decimal(r.mean_unobserved, 2),
                           one_decimal(r.difference, 2), one_decimal(r.low, 2),
                           one_decimal(r.high, 2), verdict]
            effect.rows.append([label, *figures, r.n_observed, r.n_unobserved, r.n_strata,
                                r.n_dropped])
        tables["observer_effect"] = effect
    return tables
