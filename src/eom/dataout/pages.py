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
