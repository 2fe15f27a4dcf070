"""Reading per-station results files: columns by header substring, zip, clear errors."""

from __future__ import annotations

import zipfile

import pytest

from eom.stats import StationFileError, read_station_results

HEADER_2011 = [
    "region", "tik", "uik",
    "Число избирателей, внесенных в список избирателей",
    "Число избирательных бюллетеней, выданных избирателям, проголосовавшим досрочно",
    "Число избирательных бюллетеней, выданных избирателям в помещении для голосования",
    "Число избирательных бюллетеней, выданных избирателям вне помещения для голосования",
    "Число недействительных избирательных бюллетеней",
    "Число действительных избирательных бюллетеней",
    '1. Политическая партия "ЯБЛОКО"',
    'Всероссийская политическая партия "ЕДИНАЯ РОССИЯ"',
]


def write_csv(path, header, rows):
    import csv

    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_reads_the_2011_headers_and_sums_ballots_issued(tmp_path):
    path = write_csv(tmp_path / "r.csv", HEADER_2011,
                     [["A", "1", "1", 1000, 10, 500, 40, 5, 545, 100, 445]])
    data = read_station_results(path, "Единая Россия")
    assert data.n_registered.tolist() == [1000]
    assert data.n_ballots.tolist() == [550]
    assert data.n_counted.tolist() == [550]
    assert data.n_leader.tolist() == [445]
    assert data.n_leader.dtype.name == "int64"
    assert data.regions == ("A",)


def test_other_years_say_included_in_the_list(tmp_path):
    header = ["Число избирателей, включенных в список избирателей", *HEADER_2011[4:]]
    path = write_csv(tmp_path / "r.csv", header, [[800, 0, 400, 0, 4, 396, 96, 300]])
    assert read_station_results(path, "ЕДИНАЯ").n_registered.tolist() == [800]


def test_english_headers_are_understood(tmp_path):
    header = ["registered", "ballots issued", "invalid", "valid", "Amanat"]
    path = write_csv(tmp_path / "r.csv", header, [[500, 300, 5, 295, 200]])
    data = read_station_results(path, "amanat")
    assert (data.n_ballots.tolist(), data.n_valid.tolist()) == ([300], [295])


def test_reads_the_csv_inside_a_zip(tmp_path):
    csv_path = write_csv(tmp_path / "r.csv", HEADER_2011,
                         [["A", "1", "1", 1000, 10, 500, 40, 5, 545, 100, 445]])
    zip_path = tmp_path / "r.csv.zip"
    with zipfile.ZipFile(zip_path, "w") as archive:
        archive.write(csv_path, "2011.csv")
    assert read_station_results(zip_path, "Единая Россия").n_stations == 1


def test_missing_column_is_named(tmp_path):
    path = write_csv(tmp_path / "r.csv", HEADER_2011[:3] + HEADER_2011[4:], [["A"] * 10])
    with pytest.raises(StationFileError, match="missing column for registered voters"):
        read_station_results(path, "Единая Россия")


def test_unknown_leader_is_named(tmp_path):
    path = write_csv(tmp_path / "r.csv", HEADER_2011,
                     [["A", "1", "1", 1000, 10, 500, 40, 5, 545, 100, 445]])
    with pytest.raises(StationFileError, match="'Путин'"):
        read_station_results(path, "Путин")


def test_bad_number_names_row_and_column(tmp_path):
    path = write_csv(tmp_path / "r.csv", HEADER_2011,
                     [["A", "1", "1", 1000, 10, 500, 40, 5, 545, 100, 445],
                      ["A", "1", "2", "12x", 10, 500, 40, 5, 545, 100, 445]])
    with pytest.raises(StationFileError, match=r"row 3, column 'Число избирателей, внесенных"):
        read_station_results(path, "Единая Россия")


def test_short_row_is_reported(tmp_path):
    path = write_csv(tmp_path / "r.csv", HEADER_2011, [["A", "1"]])
    with pytest.raises(StationFileError, match="row 2 has 2 fields"):
        read_station_results(path, "Единая Россия")


def test_missing_file_is_reported(tmp_path):
    with pytest.raises(StationFileError, match="no such file"):
        read_station_results(tmp_path / "nope.csv", "x")


def test_a_file_saved_with_semicolons_reads_as_the_imports_read_it(tmp_path):
    import csv

    path = tmp_path / "r.csv"  # what Excel writes as "CSV" where the comma is a decimal mark
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(HEADER_2011)
        writer.writerow(["A", "1", "1", 1000, 10, 500, 40, 5, 545, 100, 445])
    data = read_station_results(path, "Единая Россия")
    assert data.n_registered.tolist() == [1000]
    assert data.n_leader.tolist() == [445]


def test_binary_data_is_refused_naming_the_byte(tmp_path):
    path = tmp_path / "r.csv"
    path.write_bytes(b"region,registered\nA,1\x00\n")
    with pytest.raises(StationFileError, match=r"binary data \(a zero byte at byte offset 21\)"):
        read_station_results(path, "x")
