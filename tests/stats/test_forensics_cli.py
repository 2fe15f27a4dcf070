"""`eom forensics ...` and `eom pvt ...` command lines: output, files written, exit codes."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from eom.stats.cli import forensics, pvt

HEADER = ["region", "uik", "Число избирателей, внесенных в список",
          "Число бюллетеней, выданных в помещении", "Число бюллетеней, выданных вне помещения",
          "Число недействительных бюллетеней", "Число действительных бюллетеней",
          "Партия А", "Единая Россия"]


def run(command, *argv):
    out, err = io.StringIO(), io.StringIO()
    code = command([str(a) for a in argv], out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def results_file(tmp_path):
    rng = np.random.default_rng(0)
    path = tmp_path / "results.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        for i in range(400):
            registered = int(rng.integers(100, 2000))
            inside = int(rng.binomial(registered, 0.55))
            outside = int(rng.binomial(registered - inside, 0.02))
            invalid = int(rng.binomial(inside + outside, 0.01))
            valid = inside + outside - invalid
            leader = int(rng.binomial(valid, 0.45))
            writer.writerow([f"R{i % 4}", i + 1, registered, inside, outside, invalid, valid,
                             valid - leader, leader])
    return path


def test_integer_percent_json_has_the_figures(results_file):
    code, out, err = run(forensics, "integer-percent", results_file, "--leader",
                         "единая россия", "--format", "json", "--draws", "50")
    assert (code, err) == (0, "")
    figures = json.loads(out)
    assert {"stations_kept", "observed", "null_mean", "null_sd", "excess", "mc_excess"} <= set(
        figures)
    assert figures["stations_kept"] == 400
    assert figures["excess"] == pytest.approx(figures["observed"] - figures["null_mean"])


def test_integer_percent_text_lists_the_figures(results_file):
    code, out, _ = run(forensics, "integer-percent", results_file, "--leader", "Единая",
                       "--draws", "0")
    assert code == 0
    assert "stations_kept: 400" in out


def test_fingerprint_writes_an_svg(results_file, tmp_path):
    target = tmp_path / "fp.svg"
    code, out, _ = run(forensics, "fingerprint", results_file, "--leader", "Единая",
                       "--out", target)
    assert code == 0
    assert ET.parse(target).getroot().tag == "{http://www.w3.org/2000/svg}svg"
    assert f"wrote {target}" in out


def test_summary_json_has_every_test(results_file):
    code, out, _ = run(forensics, "summary", results_file, "--leader", "Единая",
                       "--format", "json", "--draws", "20")
    assert code == 0
    figures = json.loads(out)
    assert {"headline", "integer_percent", "shpilkin", "benford", "slope",
            "fingerprint_stations"} <= set(figures)
    assert figures["headline"]["n_stations"] == 400


def test_summary_text_gives_turnout_and_leader_share(results_file):
    code, out, _ = run(forensics, "summary", results_file, "--leader", "Единая", "--draws", "0")
    assert code == 0
    assert "turnout: " in out and "leader share: " in out and "Shpilkin" in out


def test_unknown_leader_exits_2_naming_it(results_file):
    code, out, err = run(forensics, "summary", results_file, "--leader", "Nobody")
    assert (code, out) == (2, "")
    assert "'Nobody'" in err


def test_bad_cell_exits_2_naming_row_and_column(tmp_path):
    path = tmp_path / "bad.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([HEADER, ["R1", 1, 1000, 500, 0, 5, 495, 95, 400],
                                  ["R1", 2, "abc", 1, 0, 0, 1, 0, 1]])
    code, _, err = run(forensics, "integer-percent", path, "--leader", "Единая")
    assert code == 2
    assert "row 3" in err and "внесенных в список" in err and "'abc'" in err


def test_missing_leader_option_exits_2(results_file):
    code, _, err = run(forensics, "integer-percent", results_file)
    assert code == 2
    assert "--leader" in err


def test_help_exits_0_and_prints_usage():
    code, out, _ = run(forensics, "--help")
    assert code == 0
    assert "integer-percent" in out


def test_duma2011_integer_percent_json_reproduces_the_excess(duma2011_path):
    code, out, _ = run(forensics, "integer-percent", duma2011_path, "--leader", "Единая Россия",
                       "--format", "json", "--draws", "0")
    assert code == 0
    figures = json.loads(out)
    assert (figures["stations_kept"], figures["observed"]) == (86718, 17803)
    assert abs(figures["excess"] - 1003) <= 40


@pytest.fixture
def pvt_file(tmp_path):
    rng = np.random.default_rng(1)
    path = tmp_path / "pvt.csv"
    sample = set(rng.choice(600, 120, replace=False).tolist())
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["station", "region", "in_sample", "registered", "ballots", "valid",
                         "Amanat", "Auyl", "Respublica"])
        for i in range(600):
            registered = int(rng.integers(300, 1500))
            ballots = int(rng.binomial(registered, 0.55))
            votes = rng.multinomial(ballots, [0.6, 0.25, 0.15])
            writer.writerow([i, f"R{i % 3}", int(i in sample), registered, ballots, ballots,
                             *votes.tolist()])
    return path


def test_pvt_prints_shares_margins_and_verdict(pvt_file):
    code, out, err = run(pvt, pvt_file, "--sample-column", "in_sample", "--strata-column",
                         "region", "--party-columns", "Amanat", "Auyl", "Respublica",
                         "--counted-column", "valid", "--registered-column", "registered",
                         "--ballots-column", "ballots", "--steps", "20", "60", "120")
    assert (code, err) == (0, "")
    assert "120 of 600 stations sampled, stratified design" in out
    assert "statistically decided (99 %): yes" in out
    assert "after 120 reports" in out
    assert "turnout" in out


def test_pvt_json_gives_estimates(pvt_file):
    code, out, _ = run(pvt, pvt_file, "--sample-column", "in_sample", "--party-columns",
                       "Amanat", "Auyl", "--format", "json")
    assert code == 0
    figures = json.loads(out)
    assert figures["n_stations_sampled"] == 120
    assert figures["design"] == "simple random"
    assert [p["name"] for p in figures["parties"]] == ["Amanat", "Auyl"]
    assert figures["parties"][0]["margin95"] > 0


def test_pvt_sample_value_other_than_0_or_1_exits_2(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("in_sample,A,B\n1,10,5\n2,3,4\n", encoding="utf-8")
    code, _, err = run(pvt, path, "--sample-column", "in_sample", "--party-columns", "A", "B")
    assert code == 2
    assert "row 3" in err and "'in_sample'" in err and "not 0 or 1" in err


def test_pvt_missing_party_column_exits_2(pvt_file):
    code, _, err = run(pvt, pvt_file, "--sample-column", "in_sample", "--party-columns", "Nur")
    assert code == 2
    assert "'Nur'" in err


def test_pvt_with_one_sampled_station_per_region_names_the_collapsed_strata_and_decides_nothing(
        tmp_path):
    path = tmp_path / "thin.csv"
    rows = ["station,region,in_sample,A,B"]
    for i in range(30):
        rows.append(f"{i},R{i % 3},{int(i < 3)},{300 + 11 * i},{100 + 3 * i}")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    args = (path, "--sample-column", "in_sample", "--strata-column", "region",
            "--party-columns", "A", "B")
    code, out, err = run(pvt, *args)
    assert (code, err) == (0, "")
    assert "strata with one station collapsed for the margins: R0 + R1 + R2" in out
    assert "the result cannot be called decided" in out
    assert "statistically decided (99 %): no" in out
    code, out, _ = run(pvt, *args, "--format", "json")
    figures = json.loads(out)
    assert figures["strata_collapsed"] == [["R0", "R1", "R2"]]
    assert figures["decision_possible"] is False and figures["decided"] is False
    assert figures["parties"][0]["degrees_of_freedom"] is not None
