"""Synthetic official results for the demo: one protocol per polling station for the Mazhilis
party lists, adding up exactly to the CEC's national figures (data/kz2023/results.json).

The per-station figures are not public, so they are generated (seeded, integer arithmetic only):
- ballots cast (= valid + invalid = the file's "ballots_received", 6,521,860) are split over the
  regions by registered voters × the region's election-night turnout (regions.csv), then over
  the stations of each region by registered voters × a random factor;
- invalid ballots (155,419) are split over the stations by ballots cast; each party's votes and
  against-all by the station's valid ballots left × a regional and a station factor, party after
  party, so that every station adds up and every national total is exact;
- registered voters are the station's; ballots issued = ballots in the boxes; received = the
  registered rounded up to ten plus twenty (as the simulator does); cancelled = the rest.
Five protocols are made to fail the arithmetic checks (at stations no team is deployed to, with
the national totals kept): see `_plant_failures`. After the simulated election day,
`plant_discrepancies` makes the official protocols of observed stations equal to the observers'
copies, then changes a few of them, compensating at unobserved stations.

The protocols are written as one import marked synthetic (`ImportBatch.synthetic`), so that the
pages that read them can say the figures are the demo's, not the commission's; after each of the
two steps the forensics' Monte Carlo check is computed and stored, as after a real import.
"""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Sequence

import numpy as np
from django.db import transaction
from django.utils import timezone

from eom.missions import bulk
from eom.missions.models import Deployment, Location, LocationLevel, Mission
from eom.results import forensics
from eom.results import services as results_services
from eom.results.checks import LINES
from eom.results.models import ImportBatch, MonteCarloTrigger, Protocol, Source

from .kz2023 import DATA, PARTY_CODES

SEED = 20230319
SOURCE = "CEC final results, 27 March 2023 (national); per-station figures synthetic"
BATCH_FILE = "demo results (synthetic)"
# Official figures changed at observed stations after the simulation: (AMANAT +n, other −n).
PLANTED_SHIFTS = ((60, "AUYL"), (40, "RESPUBLICA"), (25, "OSDP"), (12, "AKZHOL"))


def split(total: int, weights: np.ndarray) -> np.ndarray:
    """Integers proportional to integer `weights`, summing exactly to `total` (largest
    remainder, ties to the first). Integer arithmetic only."""
    weights = weights.astype(np.int64)
    weight_sum = int(weights.sum())
    if weight_sum == 0:
        return split(total, np.ones(len(weights), dtype=np.int64))
    products = [total * int(w) for w in weights]  # Python ints: no overflow
    parts = np.array([p // weight_sum for p in products], dtype=np.int64)
    remainders = np.array([p % weight_sum for p in products], dtype=np.int64)
    left = total - int(parts.sum())
    if left:
        order = np.lexsort((np.arange(len(weights)), -remainders))
        parts[order[:left]] += 1
    return parts


def national_figures() -> dict:
    results = json.loads((DATA / "results.json").read_text(encoding="utf-8"))
    turnout = results["turnout"]
    votes = {PARTY_CODES[row["party"]]: row["votes"] for row in results["party_list_results"]}
    return {
        "n_registered": turnout["registered_voters"],
        "n_in_boxes": turnout["ballots_received"],
        "n_valid": turnout["valid_incl_against_all"],
        "n_invalid": turnout["invalid_derived"],
        "n_against_all": results["against_all"]["votes"],
        "votes": votes,
    }


def _regional_turnout() -> dict[str, int]:
    """Election-night turnout per region, in hundredths of a per cent."""
    with (DATA / "regions.csv").open(encoding="utf-8", newline="") as handle:
        return {row["code"]: round(float(row["turnout_pct_election_night"]) * 100)
                for row in csv.DictReader(handle)}


def _observed_station_ids(mission: Mission) -> set[int]:
    return set(Deployment.objects.filter(team__mission=mission).values_list(
        "locations__id", flat=True))


def generate(stations: Sequence[tuple[int, str, int]], figures: dict, seed: int = SEED):
    """Per-station lines and votes from (id, path, registered) rows: returns (lines: {line:
    int64 array}, votes: {code: int64 array}) whose sums are the national `figures`."""
    rng = np.random.default_rng(seed)
    n = len(stations)
    registered = np.array([s[2] for s in stations], dtype=np.int64)
    regions = [s[1].split("/")[1] for s in stations]
    turnout = _regional_turnout()
    region_codes = sorted(set(regions))
    region_of = np.array([region_codes.index(r) for r in regions], dtype=np.int64)
    by_region = np.zeros(len(region_codes), dtype=np.int64)
    np.add.at(by_region, region_of, registered)
    weights = by_region * np.array([turnout.get(code, 5419) for code in region_codes])
    cast_by_region = split(figures["n_in_boxes"], weights)
    cast = np.zeros(n, dtype=np.int64)
    for k in range(len(region_codes)):
        members = np.flatnonzero(region_of == k)
        factor = rng.integers(80, 121, size=len(members))
        cast[members] = split(int(cast_by_region[k]), registered[members] * factor)
    assert (cast <= registered).all(), "a station would have more ballots than voters"
    invalid = split(figures["n_invalid"], cast)
    valid = cast - invalid
    assert (valid >= 0).all()
    categories = [*figures["votes"].items(), ("against_all", figures["n_against_all"])]
    regional = rng.integers(85, 116, size=(len(region_codes), len(categories)))
    left = valid.copy()
    votes: dict[str, np.ndarray] = {}
    for j, (code, total) in enumerate(categories):
        if j == len(categories) - 1:
            share = left.copy()
        else:
            factor = regional[region_of, j] * rng.integers(90, 111, size=n)
            share = split(total, left * factor)
            share = np.minimum(share, left)
            missing = total - int(share.sum())
            while missing:  # give back what the cap took, where there is room
                room = np.flatnonzero(left - share > 0)[:missing]
                share[room] += 1
                missing -= len(room)
        votes[code] = share
        left = left - share
    assert (left == 0).all() and int(votes["against_all"].sum()) == figures["n_against_all"]
    against = votes.pop("against_all")
    received = (registered // 10 + 2) * 10
    lines = {
        "n_registered": registered, "n_received": received, "n_issued": cast.copy(),
        "n_cancelled": received - cast, "n_in_boxes": cast, "n_invalid": invalid,
        "n_valid": valid, "n_against_all": against,
    }
    return lines, votes


def _plant_failures(lines, votes, candidates: list[int]) -> dict[str, int]:
    """Make five protocols fail checks while every published national total stays exact.
    Returns {what: index}."""
    a, b, c, d, e, f = candidates[:6]
    lines["n_issued"][a] -= 12  # 12 ballots more in the boxes than were issued …
    lines["n_cancelled"][a] += 12  # … and the ballot account still balances
    lines["n_cancelled"][b] -= 25  # 25 ballots neither issued nor cancelled
    votes["AMANAT"][c] += 30  # the votes exceed the valid ballots …
    votes["AMANAT"][d] -= 30  # … and fall short elsewhere: national Amanat unchanged
    shortfall = int(lines["n_registered"][e] - lines["n_in_boxes"][e]) + 9
    lines["n_registered"][e] -= shortfall  # 9 ballots more than voters on the list
    lines["n_registered"][f] += shortfall  # (national registered unchanged)
    lines["n_received"][f] += (shortfall // 10 + 1) * 10
    lines["n_cancelled"][f] = lines["n_received"][f] - lines["n_issued"][f]
    return {"stuffing": a, "unaccounted": b, "votes_up": c, "votes_down": d, "over_voting": e}


@transaction.atomic
def load_official_results(mission: Mission) -> dict[str, int]:
    """Create the official protocols of the party-list contest at every polling station, as one
    import marked synthetic, and the national PublishedTotal; then store the forensics' Monte
    Carlo check. Deterministic. Returns {"protocols": n, "failing": n, "planted": n}."""
    contest = results_services.party_list_contest(mission)
    figures = national_figures()
    stations = list(Location.objects.filter(mission=mission, level=LocationLevel.POLLING_STATION)
                    .order_by("path").values_list("pk", "path", "n_registered"))
    lines, votes = generate(stations, figures)
    observed = _observed_station_ids(mission)
    rng = random.Random(SEED)
    free = [i for i, s in enumerate(stations) if s[0] not in observed and s[2] > 300]
    planted = _plant_failures(lines, votes, rng.sample(free, 6))
    law = results_services.checks.load_checks(contest.rule)
    outcomes = results_services.checks.evaluate_columns(
        law, lines, sum(votes.values()))
    failed: list[list[str]] = [[] for _ in stations]
    for outcome in outcomes:
        for i in np.flatnonzero(outcome.failed):
            failed[i].append(outcome.check.name)
    batch = ImportBatch.objects.create(
        mission=mission, contest=contest, file_name=BATCH_FILE, preset="demo", synthetic=True,
        n_rows=len(stations), n_created=len(stations))
    codes = list(votes)
    vote_rows = np.stack([votes[code] for code in codes], axis=1).tolist()
    line_rows = np.stack([lines[line] for line in LINES], axis=1).tolist()
    rows = [
        {"mission_id": mission.pk, "contest_id": contest.pk, "location_id": pk,
         "source": Source.OFFICIAL, "batch_id": batch.pk,
         "votes": dict(zip(codes, vote_rows[i], strict=True)),
         "failed": failed[i], "n_failed": len(failed[i]),
         **dict(zip(LINES, line_rows[i], strict=True))}
        for i, (pk, _path, _registered) in enumerate(stations)
    ]
    now = timezone.now()
    bulk.insert_rows(Protocol, rows, {"imported_at": now, "updated_at": now})
    country = Location.objects.get(mission=mission, level=LocationLevel.COUNTRY)
    results_services.set_published_total(
        actor=None, channel="demo", contest=contest, location=country,
        figures=figures, source=SOURCE,
        note="Ballots in the boxes = the CEC's 'voters who took part' (6,521,860); invalid "
             "ballots derived as that minus the valid ballots including against all.",
    )
    forensics.store_monte_carlo(contest, trigger=MonteCarloTrigger.DEMO)
    return {"protocols": len(rows), "failing": sum(1 for r in rows if r["n_failed"]),
            "planted": len(planted)}


@transaction.atomic
def plant_discrepancies(mission: Mission) -> list[str]:
    """After the simulated election day: make the official protocol of every station with an
    observer copy equal to that copy, then change a few (PLANTED_SHIFTS: Amanat +n, another
    party −n), compensating every national total at stations without observers. Returns the
    codes of the stations whose official protocol now differs from the observers'. The
    forensics' Monte Carlo check is then computed again, on the figures as they now are."""
    contest = results_services.party_list_contest(mission)
    results_services.sync_observer_copies(mission, contest)
    official = {p.location_id: p for p in Protocol.objects.filter(
        contest=contest, source=Source.OFFICIAL).select_related("location")}
    copies: dict[int, Protocol] = {}
    for copy in Protocol.objects.filter(contest=contest, source=Source.OBSERVER).order_by("pk"):
        copies.setdefault(copy.location_id, copy)  # the first team's copy where two counted
    before = _totals(official.values())
    changed: dict[int, Protocol] = {}
    law = results_services.checks.load_checks(contest.rule)
    for location_id, copy in copies.items():
        protocol = official.get(location_id)
        if protocol is None or results_services.checks.failed_names(law, copy.figures()):
            continue  # a copy that does not add up is the observers' slip, not the commission's
        for line in LINES:
            value = getattr(copy, line)
            if value is not None:
                setattr(protocol, line, value)
        protocol.votes = {**protocol.votes, **copy.votes}
        changed[location_id] = protocol
    shifted = []
    candidates = iter(sorted(changed))
    for amount, other in PLANTED_SHIFTS:
        for location_id in candidates:
            protocol = changed[location_id]
            if protocol.votes.get(other, 0) >= amount:
                protocol.votes["AMANAT"] += amount
                protocol.votes[other] -= amount
                shifted.append(protocol.location.code)
                break
    after = _totals(official.values())
    observed = _observed_station_ids(mission) | set(copies)
    pool = sorted((p for lid, p in official.items() if lid not in observed and not p.failed),
                  key=lambda p: (-p.n_valid, p.location.code))[:800]
    _compensate(pool, {key: before[key] - after[key] for key in before})
    for protocol in [*changed.values(), *pool]:
        protocol.failed = results_services.checks.failed_names(law, protocol.figures())
        protocol.n_failed = len(protocol.failed)
    Protocol.objects.bulk_update([*changed.values(), *pool], [*LINES, "votes", "failed",
                                                               "n_failed"], batch_size=1000)
    assert _totals(official.values()) == before, "the national totals moved"
    forensics.store_monte_carlo(contest, trigger=MonteCarloTrigger.DEMO)
    return shifted


def _totals(protocols) -> dict[str, int]:
    totals: dict[str, int] = {}
    for p in protocols:
        for line in ("n_registered", "n_invalid", "n_valid", "n_in_boxes", "n_against_all"):
            totals[line] = totals.get(line, 0) + (getattr(p, line) or 0)
        for code, value in p.votes.items():
            totals[code] = totals.get(code, 0) + value
    return totals


def _compensate(pool: list[Protocol], delta: dict[str, int]) -> None:
    """Add `delta` to the national totals by changing the `pool` protocols, each kept consistent
    (votes + against all = valid; valid + invalid = in the boxes = issued ≤ registered)."""
    n = len(pool)
    for key in [*sorted(k for k in delta if k.isupper()), "n_against_all", "n_invalid"]:
        amount = delta.get(key, 0)
        if not amount:
            continue
        parts = split(abs(amount), np.ones(n, dtype=np.int64))
        for protocol, part in zip(pool, parts, strict=True):
            change = int(part) if amount > 0 else -int(part)
            if key.isupper():
                protocol.votes[key] = protocol.votes.get(key, 0) + change
            else:
                setattr(protocol, key, getattr(protocol, key) + change)
    for protocol in pool:
        protocol.n_valid = sum(protocol.votes.values()) + protocol.n_against_all
        protocol.n_in_boxes = protocol.n_issued = protocol.n_valid + protocol.n_invalid
        protocol.n_received = max(protocol.n_received, protocol.n_issued)
        protocol.n_cancelled = protocol.n_received - protocol.n_issued
        assert min(protocol.votes.values()) >= 0 and protocol.n_issued <= protocol.n_registered


__all__ = ["load_official_results", "plant_discrepancies", "national_figures"]
