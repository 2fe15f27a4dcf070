"""`eom sample size` answers in polling stations and says what it assumed: from a previous
election's per-station results, or from a stated design effect; bad input exits with code 2
naming the field."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from eom.missions.models import LocationLevel
from eom.missions.services import recompute_totals
from eom.stats.sampling import stations_from_design_effect
from tests.factories import make_location


@pytest.fixture
def stations(mission):
    """Two regions of 20 polling stations, 1,000 and 1,400 registered voters each."""
    country = make_location(mission, LocationLevel.COUNTRY, "KZ")
    for r in (1, 2):
        region = make_location(mission, LocationLevel.REGION, f"R{r}", country)
        district = make_location(mission, LocationLevel.DISTRICT, f"D{r}", region)
        for s in range(20):
            make_location(mission, LocationLevel.POLLING_STATION, f"{r}{s:04d}", district,
                          n_registered=600 + 400 * r)
    recompute_totals(mission)
    return mission


def run(*args) -> str:
    out = io.StringIO()
    call_command("sample", "size", *args, stdout=out)
    return out.getvalue()


def refused(*args) -> CommandError:
    with pytest.raises(CommandError) as caught:
        run(*args)
    assert caught.value.returncode == 2
    return caught.value


@pytest.fixture
def previous(tmp_path):
    """A previous election's results: 40 stations in two regions, Amanat's votes spread."""
    rows = ["Region,Valid ballots,Amanat,Other"]
    for i in range(40):
        valid = 400 + 10 * i
        amanat = valid * (30 + (i * 37) % 45) // 100
        rows.append(f"R{1 + i // 20},{valid},{amanat},{valid - amanat}")
    path = tmp_path / "previous.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_kazakhstan_two_points_is_answered_in_stations_with_the_assumption(db):
    text = run("--margin", "0.02", "--population", "12035578", "--voters-per-station", "1177",
               "--stations", "10223")
    assert "polling stations           98\n" in text  # the handbook said 3
    assert "polling stations           3\n" not in text
    assert "design effect 26 (the default" in text
    assert "voters if drawn one by one 2,401" in text


def test_one_point_needs_hundreds_of_stations_not_nine(db):
    data = json.loads(run("--margin", "0.01", "--population", "12035578",
                          "--voters-per-station", "1177", "--stations", "10223",
                          "--format", "json"))
    assert data["polling_stations"] == 379
    assert data["method"] == "design effect"
    assert data["voters_if_drawn_one_by_one"] == 9596


def test_the_missions_stations_and_voters_are_the_default(stations):
    data = json.loads(run("--margin", "0.03", "--deff", "10", "--turnout", "0.5",
                          "--format", "json"))
    expected = stations_from_design_effect(40, 1200.0, 0.03, design_effect=10, turnout=0.5)
    assert (data["polling_stations"], data["population_stations"]) == (
        expected.n_stations, 40)
    assert "design effect 10 (stated)" in data["assumption"]
    assert "1,200 registered voters per station × turnout 50 %" in data["assumption"]


def test_a_previous_results_file_gives_the_between_station_variance(db, previous):
    data = json.loads(run("--margin", "0.02", "--results", str(previous), "--party", "Amanat",
                          "--by", "region", "--format", "json"))
    assert data["method"] == "previous results"
    assert data["population_stations"] == 40
    assert 2 <= data["polling_stations"] <= 40
    assert "previous.csv (column “Amanat” over “Valid ballots”)" in data["assumption"]
    assert "strata: 2" in data["assumption"]


def test_a_missing_column_exits_with_code_2_naming_it(db, previous, tmp_path):
    error = refused("--margin", "0.02", "--results", str(previous), "--party", "Nur Otan")
    assert "'Nur Otan'" in str(error)
    no_valid = tmp_path / "no_valid.csv"
    no_valid.write_text("Region,Amanat\nR1,10\n", encoding="utf-8")
    error = refused("--margin", "0.02", "--results", str(no_valid), "--party", "Amanat")
    assert "valid ballots (n_valid)" in str(error)
    error = refused("--margin", "0.02", "--results", str(previous), "--party", "Amanat",
                    "--by", "district")
    assert "district (district)" in str(error)


def test_a_negative_margin_exits_with_code_2_naming_it(db):
    error = refused("--margin", "-0.02", "--population", "1000", "--voters-per-station", "10",
                    "--stations", "100")
    assert "margin must be a fraction" in str(error)


def test_an_empty_file_exits_with_code_2(db, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    assert "empty" in str(refused("--margin", "0.02", "--results", str(empty), "--party", "A"))
    header_only = tmp_path / "header.csv"
    header_only.write_text("region,valid,A\n", encoding="utf-8")
    assert "no polling stations" in str(
        refused("--margin", "0.02", "--results", str(header_only), "--party", "A"))


def test_a_file_without_a_party_exits_with_code_2_naming_the_option(db, previous):
    assert "--party" in str(refused("--margin", "0.02", "--results", str(previous)))
