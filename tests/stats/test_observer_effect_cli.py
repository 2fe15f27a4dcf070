"""`eom forensics observer-effect`: the figures of eom.stats.observer_effect from a results
file with a 0/1 observed column, strata from the region column and size bands, and exit 2 with
the column named on bad input."""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import pytest

from eom.stats.cli import forensics
from eom.stats.observer_effect import cross, observer_effect, size_bands

HEADER = ["region", "uik", "registered", "issued", "invalid", "valid", "Party A", "Leader",
          "observed", "urban"]


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = forensics(["observer-effect", *map(str, argv)], out, err)
    return code, out.getvalue(), err.getvalue()


def write(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


@pytest.fixture
def stations():
    """600 stations in 3 regions; observed stations give the leader 10 points less."""
    rng = np.random.default_rng(5)
    rows = []
    for i in range(600):
        region = i % 3
        observed = int(rng.random() < 0.2)
        registered = int(rng.integers(200, 2500))
        issued = int(rng.binomial(registered, 0.5 + 0.05 * region))
        invalid = int(rng.binomial(issued, 0.02))
        valid = issued - invalid
        leader = int(rng.binomial(valid, 0.55 - 0.10 * observed))
        rows.append([f"R{region}", i + 1, registered, issued, invalid, valid, valid - leader,
                     leader, observed, "urban" if i % 2 else "rural"])
    return rows


def expected(rows, *label_columns):
    column = {name: np.array([r[HEADER.index(name)] for r in rows], dtype=np.int64)
              for name in ("registered", "issued", "invalid", "valid", "Leader", "observed")}
    bands, _ = size_bands(column["registered"], 4)
    labels = [[r[HEADER.index(name)] for r in rows] for name in label_columns]
    strata = cross(*labels, bands)
    return observer_effect(column["observed"], strata, column["registered"], column["issued"],
                           column["Leader"], column["invalid"] + column["valid"])


def test_observer_effect_json_gives_the_figures_of_eom_stats(tmp_path, stations):
    path = write(tmp_path / "results.csv", stations)
    code, out, err = run(path, "--leader", "Leader", "--observed-column", "observed",
                         "--format", "json")
    assert (code, err) == (0, "")
    figures = json.loads(out)
    result = expected(stations, "region")
    assert figures["strata"] == ["region", "4 size bands"]
    assert figures["n_observed"] == result.n_observed
    share = figures["leader_share"]
    assert share["difference"] == pytest.approx(result.leader_share.difference)
    assert share["interval"] == pytest.approx(list(result.leader_share.interval))
    assert share["found"] is True
    assert share["interval"][0] < -0.10 < share["interval"][1]
    assert len(share["strata_used"]) == 12
    assert figures["turnout"]["found"] is False
    assert figures["caveats"][0].startswith("The teams were not sent to stations at random")


def test_observer_effect_text_crosses_the_strata_columns_and_lists_the_caveats(
        tmp_path, stations):
    path = write(tmp_path / "results.csv", stations)
    code, out, _ = run(path, "--leader", "Leader", "--observed-column", "observed",
                       "--strata-column", "region", "urban", "--size-bands", "1")
    assert code == 0
    result = observer_effect(*_plain(stations, ("region", "urban")))
    share = result.leader_share
    assert "strata: region × urban" in out
    assert (f"leader %{100 * share.mean_observed:15.2f} {100 * share.mean_unobserved:10.2f} "
            f"{100 * share.difference:+10.2f}") in out
    assert f"{share.n_observed:,} / {share.n_unobserved:,}" in out
    assert "6 / 0" in out
    assert "Caveats:\n- The teams were not sent" in out
    assert "not proof of fraud" in out


def _plain(rows, names):
    column = {name: np.array([r[HEADER.index(name)] for r in rows], dtype=np.int64)
              for name in ("registered", "issued", "invalid", "valid", "Leader", "observed")}
    strata = cross(*([r[HEADER.index(n)] for r in rows] for n in names))
    return (column["observed"], strata, column["registered"], column["issued"],
            column["Leader"], column["invalid"] + column["valid"])


def test_a_stratum_seen_on_one_side_only_is_named_as_dropped(tmp_path, stations):
    for row in stations:
        if row[0] == "R2":
            row[HEADER.index("observed")] = 0
    path = write(tmp_path / "results.csv", stations)
    code, out, _ = run(path, "--leader", "Leader", "--observed-column", "observed",
                       "--size-bands", "1")
    assert code == 0
    assert "leader_share strata dropped (stations on one side only): R2" in out


@pytest.mark.parametrize(("cell", "column", "message"), [
    ("2", "observed", "row 5, column 'observed': 2 is not 0 or 1"),
    ("yes", "observed", "row 5, column 'observed': 'yes' is not a whole number"),
])
def test_a_bad_observed_cell_exits_2_naming_row_and_column(tmp_path, stations, cell, column,
                                                           message):
    stations[3][HEADER.index(column)] = cell
    path = write(tmp_path / "results.csv", stations)
    code, out, err = run(path, "--leader", "Leader", "--observed-column", column)
    assert (code, out) == (2, "")
    assert message in err


def test_a_missing_column_or_no_observed_station_exits_2_naming_the_column(tmp_path,
                                                                           stations):
    path = write(tmp_path / "results.csv", stations)
    code, _, err = run(path, "--leader", "Leader", "--observed-column", "visited")
    assert code == 2 and "no column whose header contains 'visited'" in err
    code, _, err = run(path, "--leader", "Leader", "--observed-column", "observed",
                       "--strata-column", "oblast")
    assert code == 2 and "no column whose header contains 'oblast'" in err
    for row in stations:
        row[HEADER.index("observed")] = 0
    write(path, stations)
    code, _, err = run(path, "--leader", "Leader", "--observed-column", "observed")
    assert code == 2 and "no row has 1 in column 'observed'" in err
    code, _, err = run(path, "--leader", "Leader", "--observed-column", "observed",
                       "--size-bands", "0")
    assert code == 2 and "--size-bands must be 1 or more" in err
