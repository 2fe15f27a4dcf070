"""`eom seats`: law and method modes, JSON and table output, clear errors with exit code 2."""

from __future__ import annotations

import json

import pytest

# Votes from /work/shared/data/kz2023/results.json (party_list_results, against_all).
KZ2023_CSV = """name,votes
Amanat,3431510
Auyl,693938
Respublica,547154
Ak Zhol,535139
People's Party,432920
OSDP,331058
Baytaq,146431
against_all,248291
"""


def test_law_json_has_every_party_but_against_all(seats_cli, votes_csv):
    code, out, err = seats_cli(
        "--law", "kz-mazhilis-2023", "--votes", votes_csv(KZ2023_CSV), "--format", "json"
    )
    assert (code, err) == (0, "")
    payload = json.loads(out)
    assert payload["seats"] == {
        "Amanat": 40,
        "Auyl": 8,
        "Respublica": 6,
        "Ak Zhol": 6,
        "People's Party": 5,
        "OSDP": 4,
        "Baytaq": 0,
    }
    assert payload["law"] == "kz-mazhilis-2023"
    assert payload["tie"] is None
    assert payload["explanation"]["quota"]["fraction"] == "1990573/23"
    assert payload["explanation"]["threshold"]["base_votes"] == 6_366_441


def test_law_table_shows_quota_and_remainder_seats(seats_cli, votes_csv):
    code, out, _ = seats_cli("--law", "kz-mazhilis-2023", "--votes", votes_csv(KZ2023_CSV))
    assert code == 0
    assert "5,971,719 / 69 = 86,546.6522" in out
    assert "68  OSDP    remainder" in out
    assert "Total: 69 of 69 seats" in out


def test_method_with_threshold(seats_cli, votes_csv):
    path = votes_csv("name,votes\nA,100000\nB,80000\nC,30000\nD,20000\n")
    code, out, _ = seats_cli(
        "--method",
        "dhondt",
        "--seats",
        "8",
        "--threshold",
        "10",
        "--votes",
        path,
        "--format",
        "json",
    )
    assert code == 0
    # D (8.7 %) fails 10 %; D'Hondt over A B C: A 4, B 3, C 1.
    assert json.loads(out)["seats"] == {"A": 4, "B": 3, "C": 1, "D": 0}


def test_maslikhat_takes_the_council_size(seats_cli, votes_csv):
    code, out, _ = seats_cli(
        "--law",
        "kz-maslikhat-2023",
        "--council-seats",
        "30",
        "--votes",
        votes_csv(KZ2023_CSV),
        "--format",
        "json",
    )
    assert code == 0
    assert sum(json.loads(out)["seats"].values()) == 15


def test_registration_column_settles_a_tie(seats_cli, votes_csv):
    path = votes_csv("name,votes,registration\nFirst,100,2\nSecond,100,1\n")
    code, out, _ = seats_cli("--law", "kz-mazhilis-2023", "--votes", path, "--format", "json")
    assert code == 0
    assert json.loads(out)["seats"] == {"First": 34, "Second": 35}


def test_unsettled_tie_is_printed_as_a_tie(seats_cli, votes_csv):
    path = votes_csv("name,votes\nA,100\nB,100\n")
    code, out, _ = seats_cli("--method", "dhondt", "--seats", "1", "--votes", path)
    assert code == 0
    assert "UNRESOLVED TIE: 1 seat(s) in dispute among A, B" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("name,count\nA,1\n", "line 1: missing column 'votes'"),
        ("name,votes\nA,-5\n", "line 2, column 'votes': '-5' is negative"),
        ("name,votes\nA,12.5\n", "line 2, column 'votes': '12.5' is not a whole number"),
        ("name,votes\nA,1\nB,x\n", "line 3, column 'votes': 'x' is not a whole number"),
        ("name,votes\nA,1\nA,2\n", "line 3, column 'name': 'A' already appears on line 2"),
        ("name,votes\n,5\n", "line 2, column 'name': the name is empty"),
        ("", "the file is empty"),
        ("name,votes\n", "no rows after the header"),
        ("name,votes,colour\nA,1,red\n", "line 1: unknown column 'colour'"),
        ("name,votes\nagainst_all,5\n", "there is no party to give seats"),
    ],
)
def test_bad_votes_file_exits_2_naming_row_column_reason(seats_cli, votes_csv, content, message):
    code, out, err = seats_cli("--method", "dhondt", "--seats", "3", "--votes", votes_csv(content))
    assert (code, out) == (2, "")
    assert message in err


def test_unreadable_encoding_exits_2_naming_the_line(seats_cli, votes_csv):
    path = votes_csv(b"name,votes\nA,1\n" + b"B\xff,2\n")
    code, _, err = seats_cli("--method", "dhondt", "--seats", "3", "--votes", path)
    assert code == 2
    assert "line 3: not UTF-8 text (byte 0xff)" in err


def test_missing_file_exits_2(seats_cli, tmp_path):
    code, _, err = seats_cli(
        "--method", "dhondt", "--seats", "3", "--votes", str(tmp_path / "absent.csv")
    )
    assert code == 2
    assert "cannot read the file" in err


def test_more_seats_than_the_method_can_give_exits_2(seats_cli, votes_csv):
    path = votes_csv("name,votes\nA,5\nB,4\nC,3\n")
    code, _, err = seats_cli("--method", "huntington-hill", "--seats", "2", "--votes", path)
    assert code == 2
    assert "3 parties have votes but there are only 2 seats" in err


def test_unknown_method_exits_2(seats_cli, votes_csv):
    code, _, err = seats_cli(
        "--method", "borda", "--seats", "2", "--votes", votes_csv("name,votes\nA,1\n")
    )
    assert code == 2
    assert "invalid choice: 'borda'" in err


def test_seats_option_is_refused_with_a_law(seats_cli, votes_csv):
    code, _, err = seats_cli(
        "--law", "kz-mazhilis-2023", "--seats", "70", "--votes", votes_csv(KZ2023_CSV)
    )
    assert code == 2
    assert "--seats cannot be used with a law" in err


def test_method_needs_seats(seats_cli, votes_csv):
    code, _, err = seats_cli("--method", "hare", "--votes", votes_csv(KZ2023_CSV))
    assert code == 2
    assert "--seats is required" in err


def test_no_list_passing_threshold_exits_2(seats_cli, votes_csv):
    path = votes_csv("name,votes\nA,40\nB,35\nC,25\n")
    code, _, err = seats_cli(
        "--method", "hare", "--seats", "5", "--threshold", "50", "--votes", path
    )
    assert code == 2
    assert "no list reached the threshold" in err


def test_help_goes_to_the_given_stdout(seats_cli):
    code, out, _ = seats_cli("--help")
    assert code == 0
    assert "--law" in out
