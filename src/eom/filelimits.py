"""Limits on the files eom reads, checked before a file is opened for reading.

A spreadsheet (XLSX) is a zip archive: one megabyte can unpack into a gigabyte of XML (a "zip
bomb") that a reader would hold in memory. `check_zip` reads only the archive's central
directory — the sizes it declares bound what Python's zipfile will ever unpack, since it stops
at the declared size — and refuses an archive with too many members, too many bytes once
unpacked, or a member that unpacks more than `max_ratio` times its packed size. For a workbook it
also refuses an XML part other than a sheet over `max_part_bytes` (openpyxl parses those whole;
it streams the sheets), and streams each large XML member once to refuse one whose text holds a
run longer than `max_cell_bytes` between two tags (one huge cell), before a parser builds it.

Pure (no Django): the XLSForm reader and the statistics commands use it with their defaults; the
Django importers pass the limits set in the environment (eom.settings, "Limits on files").
Problems are values (`ZipProblem`) with an English `message`; callers may word them in the
reader's language from `kind`, `member`, `size` and `limit`.
"""

from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO, BinaryIO

MB = 2**20
_CHUNK = MB


@dataclass(frozen=True)
class FileLimits:
    """How large a file eom reads may be. Sizes in bytes."""

    max_file_bytes: int = 64 * MB  # the file as uploaded
    max_unpacked_bytes: int = 512 * MB  # every member of a zip archive, unpacked
    max_ratio: int = 100  # unpacked / packed size of one member (larger than 1 MB unpacked)
    max_members: int = 1000  # members of a zip archive
    max_cell_bytes: int = MB  # text between two tags of a workbook's XML
    max_part_bytes: int = 64 * MB  # a workbook's XML other than its sheets, unpacked: shared
    # strings, styles, the workbook (parsed whole by openpyxl, where sheets are streamed)
    max_rows: int = 500_000  # rows of one sheet or CSV file, the header included
    max_columns: int = 200  # columns of one row


DEFAULT_LIMITS = FileLimits()
# An XLSForm is a few hundred rows: much lower limits (settings EOM_FORM_*).
FORM_LIMITS = FileLimits(max_file_bytes=10 * MB, max_unpacked_bytes=50 * MB, max_rows=10_000)

_RATIO_FROM = MB  # smaller members are not checked for their ratio: they cannot hurt


@dataclass(frozen=True)
class ZipProblem:
    """Why an archive is refused. `kind`: not_zip, members, unpacked, ratio, part, cell."""

    kind: str
    member: str = ""
    size: int = 0
    limit: int = 0

    @property
    def message(self) -> str:
        if self.kind == "not_zip":
            return "not a readable zip archive"
        if self.kind == "members":
            return f"the archive holds {self.size:,} files; the limit is {self.limit:,}"
        if self.kind == "unpacked":
            return (f"the archive unpacks to {self.size / MB:,.1f} MB; the limit is "
                    f"{self.limit / MB:,.1f} MB")
        if self.kind == "ratio":
            return (f"{self.member} unpacks to {self.size:,} times its packed size; the limit "
                    f"is {self.limit:,} (a zip bomb?)")
        if self.kind == "part":
            return (f"{self.member} unpacks to {self.size / MB:,.1f} MB; a workbook's part "
                    f"other than a sheet holds at most {self.limit / MB:,.1f} MB")
        return (f"{self.member} holds a text of more than {self.limit:,} bytes in one piece "
                "(one cell); a spreadsheet's cell holds at most 32,767 characters")


def check_zip(source: str | Path | BinaryIO, limits: FileLimits = DEFAULT_LIMITS, *,
              workbook: bool = False) -> ZipProblem | None:
    """The first reason to refuse the zip archive `source` (a path or a seekable binary file),
    or None. Reads the central directory only, and with `workbook` also the large XML members
    (once, in 1 MB pieces, stopping at the first cell over the limit)."""
    try:
        with zipfile.ZipFile(source) as archive:
            members = archive.infolist()
            if len(members) > limits.max_members:
                return ZipProblem("members", size=len(members), limit=limits.max_members)
            unpacked = sum(member.file_size for member in members)
            if unpacked > limits.max_unpacked_bytes:
                return ZipProblem("unpacked", size=unpacked, limit=limits.max_unpacked_bytes)
            for member in members:
                if member.file_size < _RATIO_FROM:
                    continue
                ratio = member.file_size // max(member.compress_size, 1)
                if ratio > limits.max_ratio:
                    return ZipProblem("ratio", member.filename, ratio, limits.max_ratio)
            if workbook:
                for member in members:
                    if (member.filename.endswith(".xml")
                            and not member.filename.startswith("xl/worksheets/")
                            and member.file_size > limits.max_part_bytes):
                        return ZipProblem("part", member.filename, member.file_size,
                                          limits.max_part_bytes)
                for member in members:
                    if (member.filename.endswith((".xml", ".rels"))
                            and member.file_size > limits.max_cell_bytes):
                        with archive.open(member) as stream:
                            if _longest_text_over(stream, limits.max_cell_bytes):
                                return ZipProblem("cell", member.filename,
                                                  limit=limits.max_cell_bytes)
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError, NotImplementedError,
            RuntimeError):  # damaged, or packed in a way zipfile cannot read, or encrypted
        return ZipProblem("not_zip")
    finally:
        if hasattr(source, "seek"):
            source.seek(0)
    return None


def _longest_text_over(stream: IO[bytes], limit: int) -> bool:
    """Whether the XML on `stream` has more than `limit` bytes between two "<"."""
    import numpy as np

    run = 0  # bytes since the last "<"
    while chunk := stream.read(_CHUNK):
        marks = np.flatnonzero(np.frombuffer(chunk, dtype=np.uint8) == ord("<"))
        if marks.size == 0:
            run += len(chunk)
        else:
            longest = run + int(marks[0])
            if marks.size > 1:
                longest = max(longest, int(np.diff(marks).max()) - 1)
            if longest > limit:
                return True
            run = len(chunk) - int(marks[-1]) - 1
        if run > limit:
            return True
    return False
