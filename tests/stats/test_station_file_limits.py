"""The statistics commands read a results file within limits given as an argument (eom.stats
stays pure): a zipped CSV that inflates a thousand times, too many rows, a quote left open or
too large a file is refused with the file and the reason."""

from __future__ import annotations

import dataclasses
import zipfile

import pytest

from eom.filelimits import MB, FileLimits
from eom.stats import StationFileError, read_station_results
from eom.stats.columns import read_table

HEADER = "region,registered,issued,invalid,valid,Leader\n"


def test_a_zipped_csv_bomb_is_refused_from_its_directory(tmp_path):
    path = tmp_path / "r.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("r.csv", HEADER.encode() + b"0" * (20 * MB))

    with pytest.raises(StationFileError, match=r"r\.csv unpacks to [\d,]+ times its packed size; "
                                                r"the limit is 100 \(a zip bomb\?\)"):
        read_station_results(path, "Leader")


def test_rows_over_the_limit_given_are_refused(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(HEADER + "A,100,50,1,49,30\n" * 10, encoding="utf-8")
    limits = dataclasses.replace(FileLimits(), max_rows=5)

    with pytest.raises(StationFileError, match=r"more than 5 rows \(the header included\)"):
        read_station_results(path, "Leader", limits=limits)
    assert len(read_station_results(path, "Leader").n_registered) == 10


def test_a_file_over_the_size_given_is_refused_unread(tmp_path):
    path = tmp_path / "r.csv"
    path.write_bytes(b"\x00" * (MB + 1))

    with pytest.raises(StationFileError, match=r"r\.csv is 1\.0 MB; the limit is 1\.0 MB"):
        read_table(path, dataclasses.replace(FileLimits(), max_file_bytes=MB))


def test_a_quote_left_open_is_refused_not_read_as_one_cell(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(HEADER + 'A,100,50,1,49,"30\nB,100,50,1,49,30\n', encoding="utf-8")

    with pytest.raises(StationFileError, match=r"row 2: not valid CSV .*a quote .* left open"):
        read_station_results(path, "Leader")
