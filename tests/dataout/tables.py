"""Reading back what a figure page shows and what its download holds, to compare them."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from eom.tables import read_table

NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")
SEPARATORS = re.compile(r"[\s/()%–—;]+|,\s")


class _Tables(HTMLParser):
    """The rows of the tables marked data-table=NAME (tbody and tfoot; rowspans repeated)."""

    def __init__(self, name: str | None) -> None:
        super().__init__()
        self.name = name
        self.depth = 0  # inside a wanted table
        self.in_head = False
        self.rows: list[list[str]] = []
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.spans: dict[int, tuple[int, str]] = {}  # column -> (rows left, text)
        self.span = 1

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            if self.depth or self.name is None or attrs.get("data-table") == self.name:
                self.depth += 1
            return
        if not self.depth:
            return
        if tag == "thead":
            self.in_head = True
        elif tag == "tr" and not self.in_head:
            self.row = []
            self._fill_spans()
        elif tag in ("td", "th") and self.row is not None:
            if "empty" in (attrs.get("class") or "").split():  # "No … match." is no row
                self.row = None
                return
            self.cell = []
            self.span = int(attrs.get("rowspan") or 1)

    def _fill_spans(self) -> None:
        while len(self.row) in self.spans:
            column = len(self.row)
            left, text = self.spans[column]
            self.row.append(text)
            if left <= 1:
                del self.spans[column]
            else:
                self.spans[column] = (left - 1, text)

    def handle_endtag(self, tag):
        if not self.depth:
            return
        if tag == "table":
            self.depth -= 1
        elif tag == "thead":
            self.in_head = False
        elif tag in ("td", "th") and self.cell is not None and self.row is not None:
            text = " ".join("".join(self.cell).split())
            if self.span > 1:
                self.spans[len(self.row)] = (self.span - 1, text)
            self.row.append(text)
            self.cell = None
            self._fill_spans()
        elif tag == "tr" and self.row is not None:
            self.rows.append(self.row)
            self.row = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def page_rows(html: str, name: str | None) -> list[list[str]]:
    """The text of every body cell of the page's tables marked `data-table="name"` (of all its
    tables when `name` is None)."""
    parser = _Tables(name)
    parser.feed(html)
    return parser.rows


def file_rows(content, suffix: str, folder: Path) -> tuple[list[str], list[list[str]]]:
    """The header and rows of a downloaded CSV or XLSX (its bytes, or the response that streams
    them), read by eom's own table reader."""
    if not isinstance(content, bytes):
        content = b"".join(content.streaming_content)
    path = folder / f"download.{suffix}"
    path.write_bytes(content)
    table = read_table(path)
    return list(table.header), [list(row.cells) for row in table.rows]


def numbers(cells: list[str]) -> list[float]:
    """The numbers a row shows, in order (thousands separators, percent signs, slashes and
    brackets set aside): what 'the same numbers as the page' compares."""
    found = []
    for cell in cells:
        for token in SEPARATORS.split(THOUSANDS.sub("", cell)):
            if NUMBER.match(token):
                found.append(float(token))
    return found
