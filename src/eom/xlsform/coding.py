"""Choice answers as fixed-width codes, so that figures over many reports are counted in numpy.

A form version's choice questions get a fixed layout of bytes (`layout(definition)`), in form
order:

- select_one: the chosen choice's position + 1, 0 when the question was not answered (not
  relevant, or left empty) and the largest value of the width (255, 65535, …) when the stored
  answer is not a choice of this version. One byte up to 254 choices, two up to 65,534, four
  beyond.
- select_multiple: a bitmask, little-endian over ⌈(choices + 1) / 8⌉ bytes; bit 0 says the
  question was answered, bit k + 1 that choice k was ticked. Any number of choices fits.

`encode(definition, answers)` gives one report's bytes; `decode(layout, blobs)` turns many
reports' bytes into a (reports × layout.width) uint8 matrix in one `np.frombuffer`. The stored
answers stay the record; the codes are derived from them and rebuilt whenever they change.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

CHOICE_TYPES = ("select_one", "select_multiple")


@dataclass(frozen=True)
class Column:
    """Where one choice question sits in a report's bytes."""

    name: str
    type: str
    choices: tuple[str, ...]
    offset: int
    width: int

    @property
    def other(self) -> int:
        """The select_one code of an answer that is not among the choices."""
        return (1 << (8 * self.width)) - 1


@dataclass(frozen=True)
class Layout:
    columns: tuple[Column, ...]
    width: int

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)


def _select_one_width(n_choices: int) -> int:
    for width in (1, 2, 4):
        if n_choices < (1 << (8 * width)) - 1:
            return width
    raise ValueError(f"a select_one question may have at most {2**32 - 2} choices")


def layout(definition: Mapping[str, Any]) -> Layout:
    """The fixed layout of a version's choice questions (see the module's docstring)."""
    return _layout(_choice_signature(definition))


def _choice_signature(definition: Mapping[str, Any]) -> tuple[Any, ...]:
    return tuple(
        (q["name"], q["type"], tuple(c["name"] for c in q.get("choices") or ()))
        for section in definition.get("sections", [])
        for q in section.get("questions", [])
        if q.get("type") in CHOICE_TYPES
    )


@lru_cache(maxsize=256)
def _layout(signature: tuple[Any, ...]) -> Layout:
    columns, offset = [], 0
    for name, kind, choices in signature:
        if kind == "select_one":
            width = _select_one_width(len(choices))
        else:
            width = (len(choices) + 1 + 7) // 8
        columns.append(Column(name, kind, choices, offset, width))
        offset += width
    return Layout(tuple(columns), offset)


def encode(definition: Mapping[str, Any] | Layout, answers: Mapping[str, Any]) -> bytes:
    """One report's choice answers as bytes of the version's layout."""
    shape = definition if isinstance(definition, Layout) else layout(definition)
    out = bytearray(shape.width)
    for column in shape.columns:
        if column.name not in answers or answers[column.name] in (None, "", []):
            continue
        value = answers[column.name]
        if column.type == "select_one":
            try:
                code = column.choices.index(value) + 1
            except ValueError:
                code = column.other
            out[column.offset:column.offset + column.width] = code.to_bytes(column.width,
                                                                            "little")
        else:
            ticked = value if isinstance(value, list | tuple) else str(value).split()
            mask = 1
            for choice in ticked:
                if choice in column.choices:
                    mask |= 1 << (column.choices.index(choice) + 1)
            out[column.offset:column.offset + column.width] = mask.to_bytes(column.width,
                                                                             "little")
    return bytes(out)


def decode(shape: Layout, blobs: Sequence[bytes | memoryview]) -> np.ndarray:
    """Many reports' codes (all of one version) as a (reports × width) uint8 matrix.

    Raises ValueError naming the first report (by position) whose bytes do not fit the layout.
    """
    joined = b"".join(blobs)
    if len(joined) != len(blobs) * shape.width:
        for position, blob in enumerate(blobs):
            if len(blob) != shape.width:
                raise ValueError(
                    f"report {position}: {len(blob)} bytes of choice codes, "
                    f"the layout has {shape.width}"
                )
    return np.frombuffer(joined, dtype=np.uint8).reshape(len(blobs), shape.width)


def select_one_codes(matrix: np.ndarray, column: Column) -> np.ndarray:
    """The select_one codes of a column: 0 unanswered, k + 1 for choice k, `column.other`."""
    part = matrix[:, column.offset:column.offset + column.width]
    if column.width == 1:
        first: np.ndarray = part[:, 0]
        return first
    codes: np.ndarray = np.ascontiguousarray(part).view(f"<u{column.width}")[:, 0]
    return codes


def answered(matrix: np.ndarray, column: Column) -> np.ndarray:
    """Whether each report answered the question (booleans)."""
    if column.type == "select_one":
        given: np.ndarray = select_one_codes(matrix, column) != 0
        return given
    return (matrix[:, column.offset] & 1).astype(bool)


def ticked(matrix: np.ndarray, column: Column, index: int) -> np.ndarray:
    """Whether each report chose the column's choice at `index` (booleans)."""
    if column.type == "select_one":
        chosen: np.ndarray = select_one_codes(matrix, column) == index + 1
        return chosen
    bit = index + 1
    return ((matrix[:, column.offset + bit // 8] >> (bit % 8)) & 1).astype(bool)


def decode_answers(shape: Layout, blob: bytes) -> dict[str, Any]:
    """One report's bytes back as answers (choice names; `None` for an answer that is not a
    choice of the version). Unanswered questions are left out."""
    row = decode(shape, [blob])
    answers: dict[str, Any] = {}
    for column in shape.columns:
        if not answered(row, column)[0]:
            continue
        if column.type == "select_one":
            code = int(select_one_codes(row, column)[0])
            answers[column.name] = None if code == column.other else column.choices[code - 1]
        else:
            answers[column.name] = [
                choice for k, choice in enumerate(column.choices) if ticked(row, column, k)[0]
            ]
    return answers
