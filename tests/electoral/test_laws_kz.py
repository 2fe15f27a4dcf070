"""Kazakhstan's Mazhilis and maslikhat laws against the official results.

Votes and seats copied from /work/shared/data/kz2023/results.json (CEC, 27 March 2023, and
its "earlier_elections" section for 2016 and 2021).
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from eom.electoral import ElectoralError, load_law

# /work/shared/data/kz2023/results.json: party_list_results and against_all.
KZ2023 = {
    "Amanat": 3_431_510,
    "Auyl": 693_938,
    "Respublica": 547_154,
    "Ak Zhol": 535_139,
    "People's Party": 432_920,
    "OSDP": 331_058,
    "Baytaq": 146_431,
    "against_all": 248_291,
}
# /work/shared/data/kz2023/results.json: earlier_elections, Mazhilis 2016-03-20.
KZ2016 = {
    "Nur Otan": 6_183_757,
    "Ak Zhol": 540_406,
    "Communist People's Party": 537_123,
    "Auyl": 151_285,
    "OSDP": 88_813,
    "Birlik": 21_484,
}
# /work/shared/data/kz2023/results.json: earlier_elections, Mazhilis 2021-01-10.
KZ2021 = {
    "Nur Otan": 5_148_074,
    "Ak Zhol": 792_828,
    "People's Party": 659_019,
    "Auyl": 383_023,
    "Adal": 258_618,
}


def test_kz_2023_official_list_seats():
    result = load_law("kz-mazhilis-2023").allocate(KZ2023)
    assert result.seats == {
        "Amanat": 40,
        "Auyl": 8,
        "Respublica": 6,
        "Ak Zhol": 6,
        "People's Party": 5,
        "OSDP": 4,
        "Baytaq": 0,
    }
    assert result.tie is None


def test_kz_2023_quotient_is_exact_hare_quota_of_qualifying_lists():
    result = load_law("kz-mazhilis-2023").allocate(KZ2023)
    assert result.quota == Fraction(5_971_719, 69)
    assert int(result.quota) == 86_546


def test_kz_2023_remainder_seats_go_to_osdp_then_amanat():
    result = load_law("kz-mazhilis-2023").allocate(KZ2023)
    assert [(a.seat, a.party, a.basis) for a in result.awards] == [
        (68, "OSDP", "remainder"),
        (69, "Amanat", "remainder"),
    ]
    rows = {row.party: row for row in result.rows}
    assert rows["OSDP"].full_quotas == 3
    assert rows["Amanat"].full_quotas == 39


def test_kz_2023_threshold_base_includes_against_all():
    report = load_law("kz-mazhilis-2023").allocate(KZ2023).threshold
    assert report.base_votes == 6_366_441
    assert report.votes_needed == Fraction(6_366_441, 20)
    assert report.passed == ("Amanat", "Auyl", "Respublica", "Ak Zhol", "People's Party", "OSDP")


def test_kz_2023_parallel_totals_with_published_district_winners():
    # results.json: SMD seats Amanat 22, OSDP 1, self-nominated 6 (DERIVED there).
    winners = ["Amanat"] * 22 + ["OSDP"] + [f"self-nominated {i}" for i in range(1, 7)]
    districts = {f"district {i + 1}": {w: 2, "runner-up": 1} for i, w in enumerate(winners)}
    result = load_law("kz-mazhilis-2023").allocate_mixed(KZ2023, districts)
    assert result.seats["Amanat"] == 62
    assert result.seats["OSDP"] == 5
    assert result.n_allocated == 98


def test_kz_2021_official_seats_seven_percent():
    result = load_law("kz-mazhilis-2021").allocate(KZ2021)
    assert result.seats == {
        "Nur Otan": 76,
        "Ak Zhol": 12,
        "People's Party": 10,
        "Auyl": 0,
        "Adal": 0,
    }


def test_kz_2016_official_seats_seven_percent():
    result = load_law("kz-mazhilis-2016").allocate(KZ2016)
    assert result.seats == {
        "Nur Otan": 84,
        "Ak Zhol": 7,
        "Communist People's Party": 7,
        "Auyl": 0,
        "OSDP": 0,
        "Birlik": 0,
    }


def test_kz_2023_tie_goes_to_list_registered_earlier():
    law = load_law("kz-mazhilis-2023")
    # Two equal lists share 69 seats: 34.5 quotas each, one remainder seat for two.
    votes = {"First": 100, "Second": 100}
    result = law.allocate(votes, registration_order=["Second", "First"])
    assert result.tie is None
    assert result.seats == {"First": 34, "Second": 35}


def test_kz_maslikhat_list_seats_are_half_of_the_council():
    law = load_law("kz-maslikhat-2023")
    result = law.allocate(KZ2023, council_seats=32)
    assert result.n_seats == 16
    assert sum(result.seats.values()) == 16


def test_kz_maslikhat_needs_the_council_size():
    with pytest.raises(ElectoralError) as error:
        load_law("kz-maslikhat-2023").allocate(KZ2023)
    assert "differs per council" in str(error.value)


def test_kz_maslikhat_odd_council_cannot_be_halved():
    with pytest.raises(ElectoralError) as error:
        load_law("kz-maslikhat-2023").allocate(KZ2023, council_seats=39)
    assert "not a whole number" in str(error.value)


def test_kz_2023_rejects_another_number_of_list_seats():
    with pytest.raises(ElectoralError) as error:
        load_law("kz-mazhilis-2023").allocate(KZ2023, 70)
    assert "69 list seats" in str(error.value)
