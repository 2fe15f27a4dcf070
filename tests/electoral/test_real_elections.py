"""Real elections from other countries, each under another method, against the official seats.

The figures are in tests/data/<country>_<body>_<year>.csv; where each comes from (and any
simplification) is in tests/data/README.md. Kazakhstan 2016, 2021 and 2023 are in
test_laws_kz.py.

| election                                 | method                              | seats |
|------------------------------------------|-------------------------------------|-------|
| United States, House, 2020 census        | Huntington-Hill (equal proportions) | 435   |
| New Zealand, House, 2014                 | Sainte-Laguë, 5 % or one electorate | 120+1 |
| Czech Republic, European Parliament 2019 | D'Hondt, 5 %                        | 21    |
| Norway, Storting 2021, Oslo              | modified Sainte-Laguë (first 1.4)   | 19    |
"""

from __future__ import annotations

import csv
from pathlib import Path

from eom.electoral import Compensatory, DivisorMethod, Threshold, TieBreak

DATA = Path(__file__).resolve().parents[1] / "data"


def read_votes(file_name: str, column: str = "votes") -> dict[str, int]:
    """One column of a tests/data CSV (header name,votes[,district_seats]) by name."""
    with (DATA / file_name).open(encoding="utf-8", newline="") as handle:
        return {row["name"]: int(row[column]) for row in csv.DictReader(handle)}


def test_us_house_2020_huntington_hill_gives_the_census_apportionment():
    # U.S. Census Bureau, 2020 Census Apportionment Results, Table 1 (26 April 2021);
    # 2 U.S.C. 2a: method of equal proportions, every state at least one seat.
    population = read_votes("us_house_2020.csv")
    result = DivisorMethod("huntington-hill").allocate(population, 435)
    assert result.seats == {
        "Alabama": 7,
        "Alaska": 1,
        "Arizona": 9,
        "Arkansas": 4,
        "California": 52,
        "Colorado": 8,
        "Connecticut": 5,
        "Delaware": 1,
        "Florida": 28,
        "Georgia": 14,
        "Hawaii": 2,
        "Idaho": 2,
        "Illinois": 17,
        "Indiana": 9,
        "Iowa": 4,
        "Kansas": 4,
        "Kentucky": 6,
        "Louisiana": 6,
        "Maine": 2,
        "Maryland": 8,
        "Massachusetts": 9,
        "Michigan": 13,
        "Minnesota": 8,
        "Mississippi": 4,
        "Missouri": 8,
        "Montana": 2,
        "Nebraska": 3,
        "Nevada": 4,
        "New Hampshire": 2,
        "New Jersey": 12,
        "New Mexico": 3,
        "New York": 26,
        "North Carolina": 14,
        "North Dakota": 1,
        "Ohio": 15,
        "Oklahoma": 5,
        "Oregon": 6,
        "Pennsylvania": 17,
        "Rhode Island": 2,
        "South Carolina": 7,
        "South Dakota": 1,
        "Tennessee": 9,
        "Texas": 38,
        "Utah": 4,
        "Vermont": 1,
        "Virginia": 11,
        "Washington": 10,
        "West Virginia": 2,
        "Wisconsin": 8,
        "Wyoming": 1,
    }
    assert result.tie is None


def test_us_house_2020_last_seat_goes_to_minnesota_before_new_york():
    # The 435th seat was Minnesota's 8th; New York's 27th would have been the 436th.
    population = read_votes("us_house_2020.csv")
    result = DivisorMethod("huntington-hill").allocate(population, 435)
    assert result.awards[-1].party == "Minnesota"
    assert DivisorMethod("huntington-hill").allocate(population, 436).awards[-1].party == (
        "New York"
    )


# Electoral Act 1993 (NZ), s 191: a party qualifies with at least 5 % of all the party votes
# or at least one electorate seat; Sainte-Laguë over 120 seats (less electorate seats won by
# independents or non-qualifying parties); overhang seats are kept and the house grows.
# Equal quotients are drawn by lot; without a seed eom reports them as a Tie.
NZ_HOUSE_2014 = Compensatory(
    Threshold(
        DivisorMethod("sainte-lague", TieBreak(("lot",))),
        5,
        rule="at_least",
        base="party_votes",
        or_district_seats=1,
        source="Electoral Act 1993 (NZ), s 191",
    ),
    overhang_rule="keep",
)


def _nz_2014_electorates() -> dict[str, dict[str, int]]:
    """The 71 electorates as their published winners (who won, not by how much)."""
    won = read_votes("nz_house_2014.csv", "district_seats")
    winners = [party for party, n in won.items() for _ in range(n)]
    return {f"electorate {i}": {party: 1} for i, party in enumerate(winners, start=1)}


def test_nz_house_2014_mmp_with_the_electorate_alternative_and_an_overhang_seat():
    # Electoral Commission, official result of 4 October 2014.
    result = NZ_HOUSE_2014.allocate(
        read_votes("nz_house_2014.csv"), 120, district_votes=_nz_2014_electorates()
    )
    assert {party: n for party, n in result.seats.items() if n} == {
        "National Party": 60,
        "Labour Party": 32,
        "Green Party": 14,
        "New Zealand First Party": 11,
        "Māori Party": 2,
        "ACT New Zealand": 1,
        "United Future": 1,
    }
    assert result.overhang == {"United Future": 1}
    assert result.n_allocated == 121
    assert result.tie is None


def test_nz_house_2014_small_parties_pass_only_by_their_electorate_seat():
    result = NZ_HOUSE_2014.allocate(
        read_votes("nz_house_2014.csv"), 120, district_votes=_nz_2014_electorates()
    )
    report = result.list_allocation.threshold
    assert report.passed == (
        "National Party",
        "Labour Party",
        "Green Party",
        "New Zealand First Party",
        "Māori Party",
        "ACT New Zealand",
        "United Future",
    )
    rows = {row.party: row for row in report.rows}
    assert "won 1 district seats" in rows["Māori Party"].reason
    # Conservative: 3.97 % and no electorate, so no seat.
    assert rows["Conservative"].passed is False
    assert result.list_seats["Māori Party"] == 1


def test_cz_european_parliament_2019_dhondt_with_five_percent():
    # Czech Statistical Office (volby.cz), EP election of 24-25 May 2019; Act 62/2003 Coll.
    votes = read_votes("cz_ep_2019.csv")
    result = Threshold(DivisorMethod("dhondt"), 5, base="party_votes").allocate(votes, 21)
    assert {party: n for party, n in result.seats.items() if n} == {
        "ANO 2011": 6,
        "Občanská demokratická strana": 4,
        "Česká pirátská strana": 3,
        "Koalice STAN, TOP 09": 3,
        "Svoboda a přímá demokracie": 2,
        "KDU-ČSL": 2,
        "KSČM": 1,
    }
    # ČSSD had 3.95 % and no seat.
    assert "Česká strana sociálně demokratická" not in result.threshold.passed
    assert result.tie is None


def test_no_storting_2021_oslo_modified_sainte_lague_constituency_seats():
    # valgresultat.no (Valgdirektoratet), final count; Election Act (valgloven) s. 11-4:
    # constituency seats by Sainte-Laguë with first divisor 1.4, all lists, no threshold.
    # Oslo had 20 seats: 19 constituency seats and 1 levelling seat (Venstre's 3rd),
    # which is decided nationally and is not part of this calculation.
    result = DivisorMethod("modified-sainte-lague").allocate(
        read_votes("no_storting-oslo_2021.csv"), 19
    )
    assert {party: n for party, n in result.seats.items() if n} == {
        "Høyre": 5,
        "Arbeiderpartiet": 4,
        "SV - Sosialistisk Venstreparti": 3,
        "Venstre": 2,
        "Miljøpartiet De Grønne": 2,
        "Rødt": 2,
        "Fremskrittspartiet": 1,
    }
    assert result.tie is None
