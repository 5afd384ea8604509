"""Reading XLSX workbooks in time and memory proportional to what their cells hold.

A sheet's declared dimension (``A1:Z1048576``) says nothing about its
content: one formatted cell far down a sheet makes it a million rows.  The
sheets are therefore streamed, row element by row element, and only the
rows and cells that are present in the file and hold something are kept;
the rows in between are never made.  One pass gives both a cell's value and
its formula, so a formula without a calculated value is still caught.

Hidden sheets are loaded when they are a table and skipped otherwise;
"very hidden" sheets, which only a macro can show, are always skipped.
Either way a notice says so.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.worksheet._reader import FORMULA_TAG, INLINE_STRING, WorkSheetParser
from openpyxl.xml.constants import SHEET_MAIN_NS

from graph.errors import Problem
from loaders._tables import BadCell, RawTable, header_text

__all__ = ["Workbook", "read_workbook"]

#: Excel's last column: cells beyond it are not Excel's and are left out.
_LAST_COLUMN = 16384


@dataclass
class Workbook:
    """What one workbook holds: its tables, the problems met reading it, and notices.

    Attributes
    ----------
    tables
        One :class:`~loaders._tables.RawTable` per sheet to load, in sheet order.
    problems
        Cells that cannot be read (error values, uncalculated formulas,
        merged cells) and files that are not workbooks.
    notices
        One line per hidden sheet, saying whether it was loaded or skipped.
    unknown
        Titles of visible sheets that are not tables.
    rows_read
        Row elements read from the file: the rows present, not the declared dimension.
    """

    tables: list[RawTable] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    rows_read: int = 0


@dataclass
class _Unreadable:
    """A cell whose value cannot be had: an error value, or a formula never calculated."""

    shown: str
    reason: str


class _Parser(WorkSheetParser):  # type: ignore[misc]
    """openpyxl's streaming sheet parser, giving the calculated value and the formula of a cell at once."""

    def parse_cell(self, element: Any) -> dict[str, Any]:
        cell: dict[str, Any] = (
            self._inline_cell(element) if element.get("t") == "inlineStr" else super().parse_cell(element)
        )
        if element.find(FORMULA_TAG) is not None:
            formula = self.parse_formula(element)
            cell["formula"] = formula if isinstance(formula, str) else str(getattr(formula, "text", formula))
        return cell

    def _inline_cell(self, element: Any) -> dict[str, Any]:
        """Return an inline-string cell as openpyxl would, without building its rich-text objects.

        The text is that of the cell's runs, without phonetic guides, as in
        openpyxl's ``Text.content``; this is most of the time of reading
        the workbooks that openpyxl itself writes.
        """
        coordinate = element.get("r")
        if coordinate:
            row, column = coordinate_to_tuple(coordinate)
            self.col_counter = column
        else:
            self.col_counter += 1
            row, column = self.row_counter, self.col_counter
        value = None
        inline = element.find(INLINE_STRING)
        if inline is not None:
            parts = [child.text or "" for child in inline if child.tag == _T]
            parts += [run.findtext(_T) or "" for run in inline if run.tag == _RUN]
            value = "".join(parts)
        return {"row": row, "column": column, "value": value, "data_type": "s", "style_id": element.get("s", 0)}


_T = f"{{{SHEET_MAIN_NS}}}t"
_RUN = f"{{{SHEET_MAIN_NS}}}r"


def read_workbook(path: Path, is_table: Callable[[str], bool], *, skip: Callable[[str], bool]) -> Workbook:
    """Return the tables of the workbook at ``path``, read by streaming.

    Parameters
    ----------
    path
        The ``.xlsx`` file.
    is_table
        Tells whether a sheet title names a table.
    skip
        Tells whether a sheet is left out without a word (the README sheet).

    Returns
    -------
    Workbook
        Its tables, problems and notices.
    """
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    file = str(path)
    content = Workbook()
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, ParseError, KeyError, ValueError, TypeError, OSError) as e:
        content.problems.append(Problem(file, f"cannot read the file as an .xlsx workbook: {e}"))
        return content
    try:
        for sheet in book.worksheets:
            title, state = sheet.title, getattr(sheet, "sheet_state", "visible")
            if skip(title):
                continue
            if state == "veryHidden":
                content.notices.append(f"{file}: skipped the very hidden sheet {title!r}")
                continue
            if state == "hidden":
                if not is_table(title):
                    content.notices.append(f"{file}: skipped the hidden sheet {title!r}, which is not a table")
                    continue
                content.notices.append(f"{file}: loaded the hidden sheet {title!r}")
            elif not is_table(title):
                content.unknown.append(title)
                continue
            try:
                content.tables.append(_table_from_sheet(file, book, sheet, content))
            except (zipfile.BadZipFile, ParseError, KeyError, ValueError, TypeError, OSError) as e:
                content.problems.append(Problem(file, f"cannot read the sheet: {e}", sheet=title))
    finally:
        book.close()
    return content


def _table_from_sheet(file: str, book: Any, sheet: Any, content: Workbook) -> RawTable:
    title = sheet.title
    present: list[tuple[int, list[Any]]] = []
    with sheet._get_source() as source:
        parser = _Parser(
            source,
            sheet._shared_strings,
            data_only=True,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        for number, cells in _rows(parser):
            content.rows_read += 1
            if cells:
                present.append((number, cells))
        merged = parser.merged_cells
    headers: list[Any] = present[0][1] if present and present[0][0] == 1 else []
    grid = dict(present)
    for problem_row, index, cell in _unreadable_cells(present):
        column = header_text(headers, index) if problem_row > 1 else None
        content.problems.append(
            Problem(file, cell.reason, sheet=title, row=problem_row, column=column, value=cell.shown)
        )
        grid[problem_row][index] = BadCell(cell.shown)
    for ref in sorted(_merged_ranges(merged), key=lambda r: (r.min_row, r.min_col)):
        for r in range(ref.min_row, ref.max_row + 1):
            for c in range(ref.min_col, ref.max_col + 1):
                if r in grid and c - 1 < len(grid[r]):
                    grid[r][c - 1] = BadCell(None)
        column = header_text(headers, ref.min_col - 1) if ref.min_row > 1 else None
        reason = f"merged cells {ref.coord}: unmerge them and fill every cell"
        content.problems.append(Problem(file, reason, sheet=title, row=ref.min_row, column=column))
    if not headers:
        reason = "the sheet has no header row: its first row must hold the column names"
        if not present:
            reason = "the sheet is empty: its first row must hold the column names"
        content.problems.append(Problem(file, reason, sheet=title, row=1))
    rows = [(number, cells) for number, cells in present if number > 1]
    return RawTable(file, title, list(headers), rows)


def _rows(parser: _Parser) -> Iterator[tuple[int, list[Any]]]:
    """Yield ``(row number, cells)`` for each row element, cells dense up to the last one that holds something."""
    for number, parsed in parser.parse():
        cells: dict[int, Any] = {}
        for cell in parsed:
            value = _cell_value(cell)
            if value is not None and 1 <= cell["column"] <= _LAST_COLUMN:
                cells[cell["column"]] = value
        width = max(cells, default=0)
        yield number, [cells.get(c) for c in range(1, width + 1)]


def _cell_value(cell: dict[str, Any]) -> Any:
    value = cell["value"]
    if cell["data_type"] == "e":
        return _Unreadable(str(value), f"the cell holds the error {value}, not a value")
    if value is None and "formula" in cell:
        reason = "the formula has no calculated value: open and save the file in Excel or WPS, or type the value"
        return _Unreadable(cell["formula"], reason)
    if isinstance(value, str) and value == "":
        return None
    return value


def _unreadable_cells(present: list[tuple[int, list[Any]]]) -> Iterator[tuple[int, int, _Unreadable]]:
    for number, cells in present:
        for index, cell in enumerate(cells):
            if isinstance(cell, _Unreadable):
                yield number, index, cell


def _merged_ranges(merged: Any) -> list[Any]:
    if merged is None:
        return []
    from openpyxl.worksheet.cell_range import CellRange

    return [CellRange(m.ref) for m in getattr(merged, "mergeCell", [])]
