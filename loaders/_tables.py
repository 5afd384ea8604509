"""Raw tables as the readers hand them to the loader: headers, and cells by physical row."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["BadCell", "RawTable", "header_text"]


class BadCell:
    """A cell already reported as a problem (an error value, a merged cell, an uncalculated formula)."""

    def __init__(self, shown: str | None) -> None:
        self.shown = shown


@dataclass
class RawTable:
    """One CSV file or one sheet: its header row and its non-empty rows, numbered as in the file.

    ``rows`` holds ``(row number, cells)`` pairs; a row number is the
    physical row of the file or sheet (1 is the header row), and rows with
    no value at all are left out.  A cell is ``None`` when empty, a
    :class:`BadCell` when already reported, else its text (CSV) or value (XLSX).
    """

    file: str
    sheet: str | None
    headers: list[Any]
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)


def header_text(headers: Sequence[Any], index: int) -> str | None:
    """Return the stripped header of column ``index``, or None when it has none."""
    if index < len(headers) and isinstance(headers[index], str) and headers[index].strip():
        return str(headers[index]).strip()
    return None
