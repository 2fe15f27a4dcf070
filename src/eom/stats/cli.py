"""Command-line front ends for ``eom forensics ...`` and ``eom pvt ...`` (argparse, no Django).

Each entry point takes ``argv`` (without the command word), and the streams to write to, and
returns an exit code: 0 on success, 2 on bad input (the message names the file, row, column and
reason).

``forensics integer-percent FILE --leader NAME [--format json] [--draws N] [--seed N]``
``forensics fingerprint FILE --leader NAME --out FILE.svg``
``forensics summary FILE --leader NAME [--format json] [--draws N] [--seed N]``
``forensics observer-effect FILE --leader NAME --observed-column COL [--strata-column COL ...]
    [--size-bands K] [--randomised] [--format json]``
(each also takes ``--preset NAME`` and ``--map FIELD=HEADER`` …, the results importer's
column mapping: see :mod:`eom.stats.columns`)
``pvt FILE --sample-column COL --party-columns COL [COL ...] [--strata-column COL]
    [--counted-column COL] [--registered-column COL --ballots-column COL [COL ...]]
    [--steps K ...]
    [--format json]``

FILE is a CSV (or a .zip holding one) with one row per polling station; columns are matched as
in the results importer's mapping (:func:`eom.stats.columns.match`: exact header, else the one
header containing the name; ``a + b`` adds columns, ``a | b`` takes the first present). For ``pvt``, every row is a station of the population and
the 0/1 sample column marks the stations in the quick-count sample; the rows give N (and N_h
per stratum), the sampled rows give the estimates, and their order in the file is taken as the
order in which the reports arrived (for ``--steps``).

For ``observer-effect``, the 0/1 observed column marks the stations the mission observed; the
strata are the ``--strata-column`` columns (default: the region column of the mapping, when
the file has one) crossed with size bands, ``--size-bands`` quantiles of registered voters
(default 4, quartiles; 1 for none). ``--randomised`` says the observed stations were drawn at
random (it changes the first caveat, not the figures). See :mod:`eom.stats.observer_effect`.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, NoReturn, TextIO

import numpy as np

from .columns import PRESETS, integer_column, parse_mapping, read_table
from .fingerprint import fingerprint, fingerprint_svg
from .forensics import summary
from .integer_percent import integer_percentages
from .observer_effect import cross, observer_effect, size_bands
from .quick_count import RatioEstimate, convergence, quick_count
from .stationfile import StationFileError, StationResults, column_index, read_station_results


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    """ArgumentParser that writes to the given streams and raises instead of exiting."""

    def __init__(self, *args: Any, out: TextIO, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._out = out

    def _print_message(self, message: str, file: object = None) -> None:  # `file` is ignored
        if message:
            self._out.write(message)

    def error(self, message: str) -> NoReturn:
        raise _UsageError(f"{self.prog}: {message}")

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        if message:
            self._out.write(message)
        raise _Exit(status)


class _Exit(Exception):
    def __init__(self, status: int):
        self.status = status


def _run(build: Callable[[TextIO], _Parser],
         handler: Callable[[argparse.Namespace, TextIO], int],
         argv: Iterable[str], stdout: TextIO, stderr: TextIO) -> int:
    parser = build(stdout)
    try:
        args = parser.parse_args(list(argv))
        return handler(args, stdout)
    except _Exit as done:
        return done.status
    except (_UsageError, StationFileError, ValueError) as exc:
        stderr.write(f"error: {exc}\n")
        return 2


def _forensics_parser(out: TextIO) -> _Parser:
    parser = _Parser(prog="eom forensics", out=out,
                     description="Statistical checks on per-polling-station official results.")
    sub = parser.add_subparsers(dest="test", required=True, parser_class=_Parser)
    for name, help_text in (
        ("integer-percent", "excess of integer turnout / leader percentages (Kobak et al. 2016)"),
        ("fingerprint", "turnout × leader-share histogram as SVG (Klimek et al. 2012)"),
        ("summary", "turnout, leader share and every test"),
        ("observer-effect", "observed against unobserved stations, within strata "
                            "(Enikolopov et al. 2013)"),
    ):
        p = sub.add_parser(name, help=help_text, out=out)
        p.add_argument("file", help="CSV or zipped CSV, one row per polling station")
        p.add_argument("--leader", required=True, help="substring of the leader's column header")
        p.add_argument("--preset", choices=sorted(PRESETS), default="generic",
                       help="column mapping of a known file format (default: generic)")
        p.add_argument("--map", action="append", default=[], metavar="FIELD=HEADER",
                       help="map a protocol line to a header, e.g. n_registered=Voters")
        if name == "fingerprint":
            p.add_argument("--out", required=True, help="where to write the SVG")
            p.add_argument("--title", default="", help="title printed above the chart")
        elif name == "observer-effect":
            p.add_argument("--observed-column", required=True,
                           help="0/1 column: 1 = a station the mission observed")
            p.add_argument("--strata-column", nargs="+", default=[], metavar="COL",
                           help="stratum label column(s), crossed (default: the region column)")
            p.add_argument("--size-bands", type=int, default=4,
                           help="size bands by quantiles of registered voters (1: none)")
            p.add_argument("--randomised", action="store_true",
                           help="the observed stations were drawn at random")
            p.add_argument("--format", choices=("text", "json"), default="text")
        else:
            p.add_argument("--format", choices=("text", "json"), default="text")
            p.add_argument("--draws", type=int, default=1000, help="Monte Carlo draws (0: none)")
            p.add_argument("--seed", type=int, default=20111204)
    return parser


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _forensics(args: argparse.Namespace, out: TextIO) -> int:
    if getattr(args, "draws", 0) < 0:
        raise ValueError("--draws must be 0 or more")
    data = read_station_results(args.file, args.leader, preset=args.preset,
                                mapping=parse_mapping(args.map))
    arrays = (data.n_registered, data.n_ballots, data.n_leader, data.n_counted)
    if args.test == "observer-effect":
        return _observer_effect(args, data, out)
    if args.test == "fingerprint":
        fp = fingerprint(*arrays)
        title = args.title or f"{Path(args.file).name}: {data.leader_column}"
        Path(args.out).write_text(fingerprint_svg(fp, title=title), encoding="utf-8")
        out.write(f"{fp.explanation}\nwrote {args.out}\n")
        return 0
    if args.test == "integer-percent":
        ip = integer_percentages(*arrays, n_draws=args.draws, seed=args.seed)
        if args.format == "json":
            out.write(json.dumps(ip.as_dict(), ensure_ascii=False, indent=2) + "\n")
        else:
            for key in ("stations_kept", "observed", "null_mean", "null_sd", "excess",
                        "mc_null_mean", "mc_null_sd", "mc_excess"):
                out.write(f"{key:>14}: {_fmt(getattr(ip, key))}\n")
            out.write(f"\n{ip.explanation}\n")
        return 0
    result = summary(*arrays, n_draws=args.draws, seed=args.seed)
    if args.format == "json":
        payload = {"file": str(args.file), "leader_column": data.leader_column}
        payload.update(result.as_dict())
        out.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return 0
    ip = result.integer_percent
    lines = [
        f"file: {args.file}",
        f"leader column: {data.leader_column}",
        f"polling stations: {result.headline.n_stations:,}",
        f"turnout: {result.headline.turnout_percent:.2f} %",
        f"leader share: {result.headline.leader_percent:.2f} %",
        f"integer percentages: observed {ip.observed:,} of {ip.stations_kept:,}; "
        f"null {ip.null_mean:,.1f} ± {ip.null_sd:,.1f} (exact), "
        + (f"{ip.mc_null_mean:,.1f} ± {ip.mc_null_sd:,.1f} (Monte Carlo, {ip.mc_draws} draws); "
           if ip.mc_null_mean is not None else "")
        + f"excess {ip.excess:,.1f} (exact)"
        + (f", {ip.mc_excess:,.1f} (Monte Carlo)" if ip.mc_excess is not None else ""),
        f"fingerprint: {result.fingerprint_stations:,} stations, "
        f"{100 * result.fingerprint_top_right_share:.1f} % above 90 % turnout and 90 % share",
        f"Shpilkin estimate: {result.shpilkin.anomalous_votes:,.0f} anomalous votes; "
        f"clean turnout {result.shpilkin.clean_turnout_percent:.1f} %, "
        f"clean leader share {result.shpilkin.clean_leader_percent:.1f} %",
        f"second-digit Benford: chi2 {result.benford.chi2:.1f} (p = {result.benford.p_value:.3g}),"
        f" mean {result.benford.mean_digit:.3f} "
        f"[{result.benford.mean_interval[0]:.3f}, {result.benford.mean_interval[1]:.3f}] "
        f"vs {result.benford.expected_mean:.3f}",
        f"turnout slope: leader {result.slope.leader_slope:.3f} "
        f"(se {result.slope.leader_slope_se:.4f}), others {result.slope.others_slope:.3f}",
        "",
    ]
    for part in (ip, result.shpilkin, result.benford, result.slope):
        lines.append(part.explanation)
    lines.append(result.fingerprint_explanation)
    out.write("\n".join(lines) + "\n")
    return 0


def _observer_effect(args: argparse.Namespace, data: StationResults, out: TextIO) -> int:
    if args.size_bands < 1:
        raise ValueError("--size-bands must be 1 or more")
    path = args.file
    header, rows = read_table(path)
    i = column_index(header, args.observed_column, path)
    observed = integer_column(rows, i, header, path)
    bad = np.flatnonzero(observed > 1)
    if bad.size:
        raise StationFileError(
            f"{path}: row {bad[0] + 2}, column {header[i]!r}: {observed[bad[0]]} is not 0 or 1")
    if not observed.any():
        raise StationFileError(f"{path}: no row has 1 in column {header[i]!r}")
    if observed.all():
        raise StationFileError(f"{path}: every row has 1 in column {header[i]!r}; "
                               "no unobserved station to compare with")
    parts = [[r[j] for r in rows] for j in (column_index(header, name, path)
                                            for name in args.strata_column)]
    strata_names = [header[column_index(header, name, path)] for name in args.strata_column]
    if not parts and any(data.regions):
        parts, strata_names = [list(data.regions)], ["region"]
    bands, edges = size_bands(data.n_registered, args.size_bands)
    if len(edges) > 2:
        ranges = [f"{edges[b]:,}–{edges[b + 1] - (b < len(edges) - 2):,} registered"
                  for b in range(len(edges) - 1)]
        parts.append([ranges[b] for b in bands])
        strata_names.append(f"{len(edges) - 1} size bands")
    strata = cross(*parts) if parts else ["all"] * data.n_stations
    result = observer_effect(observed, strata, data.n_registered, data.n_ballots,
                             data.n_leader, data.n_counted, randomised=args.randomised)
    if args.format == "json":
        payload = {"file": str(path), "leader_column": data.leader_column,
                   "observed_column": header[i], "strata": strata_names or ["none"]}
        payload.update(result.as_dict())
        out.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return 0
    lines = [
        f"file: {path}",
        f"leader column: {data.leader_column}",
        f"observed column: {header[i]}",
        f"strata: {' × '.join(strata_names) or 'none'}",
        f"polling stations: {result.n_stations:,} ({result.n_observed:,} observed)",
        f"{'':13} {'observed':>9} {'unobserved':>10} {'difference':>10} {'95 % interval':>17}"
        f" {'stations':>15} {'strata used/dropped':>19}",
    ]
    for m, name in ((result.turnout, "turnout %"), (result.leader_share, "leader %")):
        if m.difference is None or m.mean_observed is None or m.mean_unobserved is None:
            lines.append(f"{name:13} no stratum with stations on both sides")
            continue
        interval = ("—" if m.interval is None else
                    f"{100 * m.interval[0]:+.2f} to {100 * m.interval[1]:+.2f}")
        lines.append(
            f"{name:13} {100 * m.mean_observed:9.2f} {100 * m.mean_unobserved:10.2f} "
            f"{100 * m.difference:+10.2f} {interval:>17} "
            f"{f'{m.n_observed:,} / {m.n_unobserved:,}':>15} "
            f"{f'{len(m.strata_used)} / {len(m.strata_dropped)}':>19}")
    for m in result.measures:
        if m.strata_dropped:
            lines.append(f"{m.name} strata dropped (stations on one side only): "
                         + "; ".join(m.strata_dropped))
    lines += ["", result.explanation, "", "Caveats:", *(f"- {c}" for c in result.caveats)]
    out.write("\n".join(lines) + "\n")
    return 0


def forensics(argv: Iterable[str], stdout: TextIO, stderr: TextIO) -> int:
    """``eom forensics ...``: see the module docstring. Returns 0, or 2 on bad input."""
    return _run(_forensics_parser, _forensics, argv, stdout, stderr)


def _pvt_parser(out: TextIO) -> _Parser:
    parser = _Parser(prog="eom pvt", out=out,
                     description="Quick count (PVT) from a results file with a 0/1 sample column.")
    parser.add_argument("file", help="CSV or zipped CSV, one row per polling station")
    parser.add_argument("--sample-column", required=True, help="0/1 column: 1 = in the sample")
    parser.add_argument("--party-columns", nargs="+", required=True, metavar="COL")
    parser.add_argument("--strata-column", help="stratum label column (stratified design)")
    parser.add_argument("--counted-column",
                        help="denominator column (default: the sum of the party columns)")
    parser.add_argument("--registered-column", help="registered voters, for turnout")
    parser.add_argument("--ballots-column", nargs="+", metavar="COL",
                        help="ballots issued, for turnout (several columns are added up)")
    parser.add_argument("--steps", type=int, nargs="*", help="report counts for convergence")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    return parser


def _pvt(args: argparse.Namespace, out: TextIO) -> int:
    header, rows = read_table(args.file)
    if not rows:
        raise StationFileError(f"{args.file}: the file has no polling stations")
    path = args.file
    s_idx = column_index(header, args.sample_column, path)
    flags = integer_column(rows, s_idx, header, path)
    bad = np.flatnonzero(flags > 1)
    if bad.size:
        raise StationFileError(
            f"{path}: row {bad[0] + 2}, column {header[s_idx]!r}: {flags[bad[0]]} is not 0 or 1"
        )
    sampled = flags == 1
    if not sampled.any():
        raise StationFileError(f"{path}: no row has 1 in column {header[s_idx]!r}")
    votes = {}
    for name in args.party_columns:  # labelled as typed: headers can be long
        i = column_index(header, name, path)
        votes[name] = integer_column(rows, i, header, path)[sampled]
    counted = None
    if args.counted_column:
        i = column_index(header, args.counted_column, path)
        counted = integer_column(rows, i, header, path)[sampled]
    strata: list[str] | None = None
    sizes: dict[str, int] | None = None
    population = len(rows)
    if args.strata_column:
        i = column_index(header, args.strata_column, path)
        labels = [r[i] for r in rows]
        sizes = {}
        for label in labels:
            sizes[label] = sizes.get(label, 0) + 1
        strata = [label for label, s in zip(labels, sampled, strict=True) if s]
    reg = bal = None
    if bool(args.registered_column) != bool(args.ballots_column):
        raise ValueError("turnout needs both --registered-column and --ballots-column")
    if args.registered_column:
        i = column_index(header, args.registered_column, path)
        reg = integer_column(rows, i, header, path)[sampled]
        bal = sum(
            integer_column(rows, column_index(header, name, path), header, path)[sampled]
            for name in args.ballots_column
        )
    result = quick_count(votes, counted, strata=strata, stratum_sizes=sizes,
                         population_size=population, n_registered=reg, n_ballots=bal)
    steps = convergence(votes, counted, steps=args.steps, strata=strata, stratum_sizes=sizes,
                        population_size=population) if args.steps is not None else []
    if args.format == "json":
        def est(e: RatioEstimate | None) -> dict[str, Any] | None:
            return None if e is None else {
                "name": e.name, "share": e.share, "standard_error": e.standard_error,
                "margin95": e.margin95, "margin99": e.margin99,
                "degrees_of_freedom": e.degrees_of_freedom}
        payload = {
            "n_stations_population": population, "n_stations_sampled": result.n_stations,
            "design": result.design, "parties": [est(p) for p in result.parties],
            "lead": est(result.lead), "decided": result.decided, "turnout": est(result.turnout),
            "strata_missing": list(map(str, result.strata_missing)),
            "strata_collapsed": [list(map(str, g)) for g in result.strata_collapsed],
            "variance_estimable": result.variance_estimable,
            "decision_possible": result.decision_possible,
            "convergence": [{"n_reports": s.n_reports, "shares": s.shares,
                             "margins95": s.margins95,
                             "strata_missing": list(map(str, s.strata_missing))}
                            for s in steps],
        }
        out.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return 0
    out.write(f"quick count: {result.n_stations:,} of {population:,} stations sampled, "
              f"{result.design} design\n")
    extra = [result.lead, result.turnout]
    lines = [*result.parties, *(x for x in extra if x is not None)]
    width = max(len(e.name) for e in lines)
    out.write(f"{'':{width}} {'share %':>9} {'±95 %':>7} {'±99 %':>7}\n")
    for e in lines:
        out.write(f"{e.name:{width}} {100 * e.share:9.2f} {100 * e.margin95:7.2f} "
                  f"{100 * e.margin99:7.2f}\n")
    for group in result.strata_collapsed:
        out.write("strata with one station collapsed for the margins: "
                  + " + ".join(map(str, group)) + "\n")
    if not result.decision_possible:
        out.write("too few stations per stratum to estimate the margins: "
                  "the result cannot be called decided\n")
    if result.lead is not None:
        out.write("statistically decided (99 %): " + ("yes" if result.decided else "no") + "\n")
    for s in steps:
        shares = ", ".join(f"{k} {100 * v:.2f}±{100 * s.margins95[k]:.2f}"
                           for k, v in s.shares.items())
        gap = f" ({len(s.strata_missing)} strata not yet reporting)" if s.strata_missing else ""
        out.write(f"after {s.n_reports:,} reports{gap}: {shares}\n")
    return 0


def pvt(argv: Iterable[str], stdout: TextIO, stderr: TextIO) -> int:
    """``eom pvt ...``: see the module docstring. Returns 0, or 2 on bad input."""
    return _run(_pvt_parser, _pvt, argv, stdout, stderr)
