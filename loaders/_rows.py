"""Planners' tables into checked rows: headers matched to template columns, each cell read as its column's type.

Every problem found is added to a :class:`Collected`, with its file, sheet,
row and column; a wrong cell is left out of its row's values and its text
kept in ``wrong``, so that later checks do not report it again.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.errors import Problem
from graph.names import clean_name
from graph.schema import FIRST_MONITORING_YEAR
from loaders._tables import BadCell, RawTable, header_text
from loaders._validate import Where
from loaders.names import folded_name
from loaders.templates import BOOLEAN, CHOICE, CODE, DATE, INTEGER, KEY, LIST, NUMBER, TEXT, YEAR, Column, Template

__all__ = ["Collected", "Row", "Table", "rows_of"]

_SCIENTIFIC = re.compile(r"[+-]?[0-9]+(\.[0-9]*)?[eE][+-]?[0-9]+")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_TRUE = frozenset({"true", "yes", "y", "1", "是", "对"})
_FALSE = frozenset({"false", "no", "n", "0", "否", "不是"})
_NAME_COLUMNS = frozenset({"name_zh", "name_en"})
#: Numbers from a workbook are kept as text only below 10^15, where a cell holds every digit.
_EXACT_BELOW = 1e15


@dataclass
class Table:
    """One table read from a file: its cells, and the template its name chose."""

    raw: RawTable
    template: Template


@dataclass
class Row:
    """One row of a table with something in it: its checked values by column name."""

    where: Where
    template: Template
    values: dict[str, Any]
    wrong: dict[str, str]  # the text of cells already reported as wrong, by column
    source_name: str


@dataclass
class Collected:
    """Everything read from the files, and every problem met so far."""

    problems: list[Problem] = field(default_factory=list)
    reported: set[tuple[str, str | None, int | None, str | None]] = field(default_factory=set)
    rows: list[Row] = field(default_factory=list)
    files: dict[str, int] = field(default_factory=dict)
    sheets: dict[tuple[str, str | None], Template] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        """Add ``problem``, and mark its cell as reported."""
        self.problems.append(problem)
        self.reported.add((problem.file, problem.sheet, problem.row, problem.column))


def rows_of(table: Table, collected: Collected) -> list[Row]:
    """Return the rows of ``table`` that hold something, each cell checked; add every problem to ``collected``."""
    template, file, sheet = table.template, table.raw.file, table.raw.sheet
    columns: dict[int, Column] = {}
    for index, header in enumerate(table.raw.headers):
        if header is None or isinstance(header, BadCell):
            continue
        name = unicodedata.normalize("NFKC", str(header)).strip().casefold().replace(" ", "_")
        if not name:
            continue
        # An alias (an older header, such as ``source`` for ``document``) names its column.
        known = next((c for c in template.columns if name == c.name or name in c.aliases), None)
        if known is None:
            reason = f"unknown column; the {template.name} columns are {', '.join(template.headers)}"
            collected.add(Problem(file, reason, sheet=sheet, row=1, column=str(header).strip(), value=str(header)))
        elif known.name in {c.name for c in columns.values()}:
            collected.add(Problem(file, "the column appears twice", sheet=sheet, row=1, column=known.name))
        else:
            columns[index] = known
    present = {c.name for c in columns.values()}
    if table.raw.headers:
        for column in template.columns:
            if column.required and column.name not in present:
                collected.add(Problem(file, "required column is missing", sheet=sheet, row=1, column=column.name))
    rows = []
    source_name = Path(file).name
    for number, cells in table.raw.rows:
        if all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells):
            continue
        where = Where(file, sheet, number)
        values: dict[str, Any] = {}
        wrong: dict[str, str] = {}
        for index, cell in enumerate(cells):
            spec = columns.get(index)
            if spec is None:
                headed = header_text(table.raw.headers, index) is not None
                if cell is not None and not isinstance(cell, BadCell) and not headed and str(cell).strip():
                    collected.add(where.problem("a value in a column without a header", None, cell))
                continue
            if isinstance(cell, BadCell):
                if cell.shown is not None:
                    wrong[spec.name] = cell.shown
                continue
            if cell is None:
                continue
            reported = len(collected.problems)
            parsed = _cell_value(cell, spec, where, collected)
            if parsed is not None:
                values[spec.name] = parsed
            elif len(collected.problems) > reported:
                wrong[spec.name] = _number_text(cell) if isinstance(cell, int | float) else str(cell)
        for column in template.columns:
            if column.required and column.name in present and column.name not in values and column.name not in wrong:
                collected.add(where.problem("required value is missing", column.name))
        rows.append(Row(where, template, values, wrong, source_name))
    return rows


def _cell_value(cell: Any, column: Column, where: Where, collected: Collected) -> Any:
    """Return the value of one cell for ``column``, or None when it is empty or wrong (and reported)."""
    if column.type == DATE:
        return _date(cell, column, where, collected)
    if isinstance(cell, dt.datetime | dt.date | dt.time):
        collected.add(
            where.problem(
                "a date or time where a value is expected; format the column as Text", column.name, cell.isoformat()
            )
        )
        return None
    if column.type in (INTEGER, NUMBER, YEAR):
        return _number(cell, column, where, collected)
    if column.type == BOOLEAN:
        return _boolean(cell, column, where, collected)
    if column.type == CODE and not isinstance(cell, str):
        reason = (
            "a code must be text, not a number: leading zeros may be lost; format the column as Text "
            "and type the code again"
        )
        collected.add(where.problem(reason, column.name, _number_text(cell)))
        return None
    text = _text(cell, column, where, collected)
    if not text:
        return None
    if column.type == KEY and any(c.isspace() for c in text):
        collected.add(where.problem("a key has no spaces", column.name, text))
        return None
    if column.type == CODE:
        if _SCIENTIFIC.fullmatch(text):
            reason = (
                "a code written as a number in scientific notation: its digits are lost; "
                "format the column as Text and type the code again"
            )
            collected.add(where.problem(reason, column.name, text))
            return None
        if column.pattern and not re.fullmatch(column.pattern, text):
            reason = f"a {column.name} must match {column.pattern} (a leading zero may have been lost)"
            collected.add(where.problem(reason, column.name, text))
            return None
    if column.type == LIST:
        return [item.strip() for item in re.split("[;；]", text) if item.strip()] or None
    if column.type == CHOICE:
        chosen = _choice(text, column.choices)
        if chosen is None:
            collected.add(where.problem(f"must be one of {', '.join(column.choices)}", column.name, text))
            return None
        return chosen
    return text


def _date(cell: Any, column: Column, where: Where, collected: Collected) -> str | None:
    if isinstance(cell, dt.datetime) and cell.time() == dt.time():
        return cell.date().isoformat()
    if isinstance(cell, dt.date) and not isinstance(cell, dt.datetime):
        return cell.isoformat()
    if isinstance(cell, str):
        text = unicodedata.normalize("NFKC", cell).strip()
        try:
            if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
                return dt.date.fromisoformat(text).isoformat()
        except ValueError:
            pass
    collected.add(where.problem("must be a date written YYYY-MM-DD", column.name, cell))
    return None


def _number_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _text(cell: Any, column: Column, where: Where, collected: Collected) -> str | None:
    if isinstance(cell, bool):
        collected.add(where.problem("TRUE or FALSE where text is expected", column.name, cell))
        return None
    if isinstance(cell, int | float):
        return _number_as_text(cell, column, where, collected)
    text = str(cell)
    if not text.strip():
        return None
    if column.type != TEXT:
        text = clean_name(text)  # keys, codes, references: matched, so no invisible characters or end spaces
    if column.multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")  # a line break typed on Windows is CR+LF
    allowed = "\n\t" if column.multiline else ""
    for char in text:
        if unicodedata.category(char) == "Cc" and char not in allowed:
            what = "a line break" if char in "\r\n" else f"the control character U+{ord(char):04X}"
            collected.add(where.problem(f"{what} is not allowed in {column.name}", column.name, text))
            return None
    if column.name in _NAME_COLUMNS:
        text = clean_name(text)  # names are shown and matched: no zero-width characters, no end spaces
    return text or None


def _number_as_text(number: int | float, column: Column, where: Where, collected: Collected) -> str | None:
    """Return a number typed in a text column as the digits a cell shows, or None when they cannot be kept."""
    text = _number_text(number)
    if abs(number) >= _EXACT_BELOW or "e" in text.casefold() or text in ("nan", "inf", "-inf"):
        reason = (
            "a number where text is expected, too long to keep digit for digit; "
            "format the column as Text and type it again"
        )
        collected.add(where.problem(reason, column.name, repr(number)))
        return None
    return text


def _integer(cell: Any, column: Column, where: Where, collected: Collected) -> int | None:
    if isinstance(cell, bool):
        value: int | None = None
    elif isinstance(cell, int):
        value = cell
    elif isinstance(cell, float) and cell.is_integer():
        value = int(cell)
    elif isinstance(cell, str) and _INTEGER.fullmatch(unicodedata.normalize("NFKC", cell).strip()):
        value = int(unicodedata.normalize("NFKC", cell).strip())
    else:
        value = None
    if value is None:
        collected.add(where.problem("must be a whole number", column.name, cell))
    return value


def _number(cell: Any, column: Column, where: Where, collected: Collected) -> int | float | None:
    """Return a whole number, a decimal (``number`` columns) or a year, checked against its bounds."""
    value: int | float | None
    if column.type != NUMBER:
        value = _integer(cell, column, where, collected)
    elif isinstance(cell, int | float) and not isinstance(cell, bool):
        value = cell
    else:
        text = unicodedata.normalize("NFKC", str(cell)).strip().replace(",", "")
        try:
            value = float(text) if not isinstance(cell, bool) and text else None
        except ValueError:
            value = None
        if value is not None and value.is_integer() and _INTEGER.fullmatch(text):
            value = int(value)
        if value is None or value != value or value in (float("inf"), float("-inf")):
            collected.add(where.problem("must be a number", column.name, cell))
            return None
    if value is None:
        return None
    if column.type == YEAR:
        last = dt.date.today().year
        if not FIRST_MONITORING_YEAR <= value <= last:
            reason = f"the year must be from {FIRST_MONITORING_YEAR} (the mechanism) to {last} (this year)"
            collected.add(where.problem(reason, column.name, cell))
            return None
    if column.minimum is not None and value < column.minimum:
        collected.add(where.problem(f"must be at least {column.minimum:g}", column.name, cell))
        return None
    return value


def _boolean(cell: Any, column: Column, where: Where, collected: Collected) -> bool | None:
    if isinstance(cell, bool):
        return cell
    folded = folded_name(_number_text(cell) if isinstance(cell, int | float) else str(cell))
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    collected.add(where.problem("must be TRUE or FALSE", column.name, cell))
    return None


def _choice(text: str, choices: Sequence[str]) -> str | None:
    folded = folded_name(text)
    for choice in choices:
        if folded_name(choice) == folded:
            return choice
    return None
