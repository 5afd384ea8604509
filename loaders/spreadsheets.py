"""Planners' spreadsheets: load CSV and XLSX files into a store, and export a store as them.

The files follow the templates of :mod:`loaders.templates`.  Loading reads
every file, checks every cell, resolves every reference (by key, or by name
through :mod:`loaders.names`) and collects *all* problems of *all* files;
only when there are none does it make its single ``store.write`` call, so a
load that fails writes nothing.  Rows become facts with ``provenance: user``
and ``document: <file name>`` unless their own provenance columns say
otherwise, which is how an exported file loads back unchanged.

CSV files may be UTF-8 (with or without a byte-order mark), GBK or GB18030;
anything else is refused with a message that names the file, never read as
garbled text.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

from graph.errors import HainetError, Problem, ValidationError
from graph.schema import (
    EDGE_ENDPOINTS,
    FIRST_MONITORING_YEAR,
    PROVENANCE_FIELDS,
    Edge,
    Node,
    NodeKind,
    Provenance,
    RelType,
    node_key,
)
from graph.store import Progress, Store, WriteReport
from graph.timeline import with_history
from loaders._validate import Where, check_records
from loaders.names import AliasTable, builtin_aliases, folded_name, slug_from_names
from loaders.templates import (
    BOOLEAN,
    CHOICE,
    CODE,
    DATE,
    EXCEL_ERRORS,
    INTEGER,
    KEY,
    LIST,
    NUMBER,
    README_SHEET,
    REFERENCE,
    TEMPLATES,
    TEXT,
    YEAR,
    Column,
    Template,
    write_csv_folder,
    write_workbook,
)

__all__ = [
    "export_csv_folder",
    "export_workbook",
    "load_csv_folder",
    "load_paths",
    "load_workbook",
    "records_from_paths",
    "tables_from_store",
]

_SPREADSHEET_SUFFIXES = {".csv", ".xlsx"}
_OTHER_SPREADSHEETS = {".xls", ".xlsm", ".xlsb", ".ods", ".numbers", ".et"}
_SCIENTIFIC = re.compile(r"[+-]?[0-9]+(\.[0-9]*)?[eE][+-]?[0-9]+")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_TRUE = frozenset({"true", "yes", "y", "1", "是", "对"})
_FALSE = frozenset({"false", "no", "n", "0", "否", "不是"})
_TABLES = {t.name: t for t in TEMPLATES}
#: What may follow the apostrophe that :func:`~loaders.templates.cell_text` adds.
_ESCAPED_LEADS = ("=", "+", "-", "@", "\t", "\r", "'")
_NODE_TEMPLATES = {t.kind: t for t in TEMPLATES if t.kind is not None}
_PARTY_ROLES = {RelType.PARTNER_IN: "partner", RelType.SUPPORTS: "supporter", RelType.SERVES: "served"}


class _BadCell:
    """A cell already reported as a problem (an error value, a merged cell, an uncalculated formula)."""

    def __init__(self, shown: str | None) -> None:
        self.shown = shown


@dataclass
class _Table:
    file: str
    sheet: str | None
    template: Template
    headers: list[Any]
    rows: list[tuple[int, list[Any]]]


@dataclass
class _Row:
    where: Where
    template: Template
    values: dict[str, Any]
    wrong: dict[str, str]  # the text of cells already reported as wrong, by column
    source_name: str


@dataclass
class _Entity:
    key: str
    kind: NodeKind
    name_zh: str
    name_en: str


@dataclass
class _Collected:
    """Everything read from the files, and every problem met so far."""

    problems: list[Problem] = field(default_factory=list)
    reported: set[tuple[str, str | None, int | None, str | None]] = field(default_factory=set)
    rows: list[_Row] = field(default_factory=list)
    files: dict[str, int] = field(default_factory=dict)
    sheets: dict[tuple[str, str | None], Template] = field(default_factory=dict)

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)
        self.reported.add((problem.file, problem.sheet, problem.row, problem.column))


# ---------------------------------------------------------------------------------------------- loading


def load_paths(
    store: Store,
    paths: Sequence[str | Path],
    *,
    progress: Progress | None = None,
    dry_run: bool = False,
    aliases: AliasTable | None = None,
) -> WriteReport:
    r"""Load planners' CSV and XLSX files and folders into ``store``, merging with what it holds.

    Every file is read and checked first; references may name entities in
    the files or already in the store.  When anything is wrong, one
    :class:`~graph.errors.ValidationError` lists every problem of every
    file and nothing is written.  Otherwise the records are written in one
    :meth:`Store.write <graph.store.Store.write>` call.

    Parameters
    ----------
    store
        The store to load into.
    paths
        CSV files, XLSX workbooks, and folders holding them (not searched
        recursively).  A CSV file's name is its table (``parks.csv``); a
        workbook's sheets are its tables, the ``README`` sheet aside.
    progress
        Called with the number of records written so far.
    dry_run
        Check everything and report what would change, without writing.
    aliases
        The alias table to start from; default :func:`~loaders.names.builtin_aliases`.
        ``aliases`` tables in the files extend it.

    Returns
    -------
    WriteReport
        Records added, updated and unchanged, per node kind and relationship type.

    Raises
    ------
    ValidationError
        With one :class:`~graph.errors.Problem` (file, sheet, row, column,
        value, reason) per problem found.

    Examples
    --------
    >>> import tempfile, os
    >>> from graph.store import open_store
    >>> with tempfile.TemporaryDirectory() as d:
    ...     _ = open(os.path.join(d, "regions.csv"), "w", encoding="utf-8").write(
    ...         "name_zh,name_en,code\n深圳市,Shenzhen,440300\n")
    ...     with open_store(os.path.join(d, "g.sqlite")) as store:
    ...         report = load_paths(store, [d])
    ...         node = next(store.iter_nodes())
    >>> dict(report.added), node.key, node.props["provenance"], node.props["document"]
    ({'Region': 1}, 'region:shenzhen', 'user', 'regions.csv')
    """
    nodes, edges = records_from_paths(paths, store=store, aliases=aliases)
    nodes = with_history(store.iter_nodes(NodeKind.COOPERATION), nodes)  # a changed status keeps its past
    return store.write(nodes, edges, progress=progress, dry_run=dry_run)


def load_workbook(
    store: Store, path: str | Path, *, progress: Progress | None = None, dry_run: bool = False
) -> WriteReport:
    """Load one XLSX workbook into ``store``; see :func:`load_paths`."""
    if Path(path).suffix.lower() != ".xlsx":
        msg = f"{path} is not an .xlsx workbook"
        raise HainetError(msg)
    return load_paths(store, [path], progress=progress, dry_run=dry_run)


def load_csv_folder(
    store: Store, path: str | Path, *, progress: Progress | None = None, dry_run: bool = False
) -> WriteReport:
    """Load every CSV file of one folder into ``store``; see :func:`load_paths`."""
    if not Path(path).is_dir():
        msg = f"{path} is not a folder"
        raise HainetError(msg)
    files = sorted(p for p in Path(path).iterdir() if p.suffix.lower() == ".csv" and not _skipped(p))
    if not files:
        msg = f"{path} holds no CSV file"
        raise HainetError(msg)
    return load_paths(store, files, progress=progress, dry_run=dry_run)


def records_from_paths(
    paths: Sequence[str | Path],
    *,
    store: Store | None = None,
    aliases: AliasTable | None = None,
) -> tuple[list[Node], list[Edge]]:
    """Return the nodes and relationships that planners' files hold, checked.

    This is :func:`load_paths` without the write: references may name
    entities of ``store``, when given.

    Returns
    -------
    (list of Node, list of Edge)
        In file and row order.

    Raises
    ------
    ValidationError
        Listing every problem of every file.
    """
    if not paths:
        msg = "no files to load: give CSV or XLSX files, or folders"
        raise HainetError(msg)
    collected = _Collected()
    for path in _expand(paths, collected):
        for table in _read_file(path, collected):
            collected.sheets.setdefault((table.file, table.sheet), table.template)
            collected.rows += _rows_of(table, collected)
    nodes, edges = _Resolver(collected, store, aliases or builtin_aliases()).records()
    if collected.problems:
        raise ValidationError(_ordered(collected))
    return nodes, edges


def _skipped(path: Path) -> bool:
    # Hidden files and the lock files Excel and WPS leave next to an open workbook.
    return path.name.startswith((".", "~$"))


def _expand(paths: Sequence[str | Path], collected: _Collected) -> list[Path]:
    files: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            inside = sorted(p for p in path.iterdir() if p.is_file() and not _skipped(p))
            chosen = [p for p in inside if p.suffix.lower() in _SPREADSHEET_SUFFIXES | _OTHER_SPREADSHEETS]
            if not chosen:
                collected.add(Problem(str(path), "the folder holds no .csv or .xlsx file"))
            files += chosen
        elif path.is_file():
            files.append(path)
        else:
            collected.add(Problem(str(path), "no such file or folder"))
    for path in files:
        collected.files.setdefault(str(path), len(collected.files))
    for path in files:
        if path.suffix.lower() not in _SPREADSHEET_SUFFIXES:
            collected.add(Problem(str(path), "only .csv and .xlsx files can be loaded: save it as .xlsx or CSV UTF-8"))
    return [p for p in files if p.suffix.lower() in _SPREADSHEET_SUFFIXES]


def _read_file(path: Path, collected: _Collected) -> list[_Table]:
    if path.suffix.lower() == ".csv":
        return _tables_from_csv(path, collected)
    return _tables_from_xlsx(path, collected)


def _table_template(name: str, file: str, sheet: str | None, collected: _Collected) -> Template | None:
    folded = unicodedata.normalize("NFKC", name).strip().casefold().replace(" ", "_").replace("-", "_")
    template = _TABLES.get(folded)
    if template is None:
        what = f"sheet {name!r}" if sheet else f"file name {name!r}"
        reason = f"{what} is not a table; the tables are {', '.join(_TABLES)}"
        collected.add(Problem(file, reason, sheet=sheet))
    return template


# ---------------------------------------------------------------------------------------------- CSV


def _decoded(data: bytes) -> str:
    """Return the text of a CSV file, or raise ValueError saying why it cannot be read.

    A strict cascade, because guessing from short text is unreliable: UTF-8
    (a byte-order mark settles it), then GB18030, of which GBK is a part.
    Text that decodes both ways is taken as GBK only when, read as UTF-8, it
    holds stray two-byte characters that no planner writes (``һ`` for the
    GBK bytes of ``一``) and, read as GB18030, it is plain Chinese.
    """
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        msg = "it is UTF-32 text; save it as CSV UTF-8"
        raise ValueError(msg)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        msg = "it is UTF-16 text; save it as CSV UTF-8"
        raise ValueError(msg)
    head = data[:4096]
    if head.count(0) * 20 > len(head):
        msg = "it holds NUL bytes: it is UTF-16 or UTF-32 text without a byte-order mark, or not text at all; " \
              "save it as CSV UTF-8"
        raise ValueError(msg)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    else:
        if data.startswith(codecs.BOM_UTF8) or not _stray_characters(text):
            return text
        try:
            chinese = data.decode("gb18030")
        except UnicodeDecodeError:
            return text
        return chinese if _plausible_chinese(chinese, strict=True) else text
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as e:
        msg = f"it is neither UTF-8 nor GBK/GB18030 text (byte {e.start}); save it as CSV UTF-8"
        raise ValueError(msg) from e
    if not _plausible_chinese(text):
        msg = "it is neither UTF-8 nor GBK/GB18030 text (read as GB18030 it gives unlikely characters); " \
              "save it as CSV UTF-8"
        raise ValueError(msg)
    return text


def _stray_characters(text: str) -> bool:
    """Tell whether UTF-8 text holds two-byte characters that are not part of a word.

    Accented Latin letters next to ASCII letters or digits (``Zürich``,
    ``25°``) and Latin-1 punctuation next to Chinese (``约翰·史密斯``) are
    words; anything else between U+0080 and U+07FF, or beyond U+FFFF, is
    most likely GBK bytes read as UTF-8.  (The caller still keeps UTF-8
    unless the GBK reading is plain Chinese, so an emoji stays an emoji.)
    """
    for i, char in enumerate(text):
        if char >= "\U00010000":
            return True  # beyond the BMP: four GBK bytes read as one character, or an emoji
        if not "\x80" <= char < "\u0800":
            continue
        neighbours = text[max(i - 1, 0):i] + text[i + 1:i + 2]
        if "\u00a0" <= char <= "\u024f" and any(n.isascii() and n.isalnum() for n in neighbours):
            continue
        if "\u00a0" <= char <= "\u00bf" and any(n >= "\u0800" for n in neighbours):
            continue
        return True
    return False


def _plausible_chinese(text: str, *, strict: bool = False) -> bool:
    """Tell whether text decoded as GB18030 reads as Chinese rather than as another encoding misread.

    Bytes of Shift-JIS, Big5 or Latin-1 text often decode as GB18030, but into
    rare characters outside GB2312, private-use characters or four-byte
    sequences; at most one character in ten may be such, none when ``strict``.
    """
    wide = rare = 0
    for char in text:
        if char < "\x80":
            continue
        wide += 1
        if not _common_chinese(char):
            rare += 1
    return rare == 0 if strict else rare * 10 <= wide


def _common_chinese(char: str) -> bool:
    if "\ue000" <= char <= "\uf8ff":
        return False
    try:
        char.encode("gb2312")
        return True
    except UnicodeEncodeError:
        pass
    if unicodedata.category(char)[0] in "PSZ":
        try:
            char.encode("gbk")
            return True
        except UnicodeEncodeError:
            return False
    return False


def _tables_from_csv(path: Path, collected: _Collected) -> list[_Table]:
    file = str(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        collected.add(Problem(file, f"cannot read the file: {e.strerror or e}"))
        return []
    try:
        text = _decoded(data)
    except ValueError as e:
        collected.add(Problem(file, f"cannot read the file: {e}"))
        return []
    template = _table_template(path.stem, file, None, collected)
    if template is None:
        return []
    records: list[list[str]] = []
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as e:
        collected.add(Problem(file, f"not a well-formed CSV file: {e}", row=len(records) + 1))
        return []
    if not records:
        collected.add(Problem(file, "the file is empty: its first row must hold the column names", row=1))
        return []
    headers: list[Any] = list(records[0])
    if len(headers) == 1 and any(sep in headers[0] for sep in (";", "\t")):
        reason = "the columns are not separated by commas; save the file as CSV (comma delimited)"
        collected.add(Problem(file, reason, row=1, value=headers[0]))
        return []
    rows: list[tuple[int, list[Any]]] = []
    for number, record in enumerate(records[1:], start=2):
        cells: list[Any] = []
        for index, value in enumerate(record):
            if value.strip() in EXCEL_ERRORS:
                column = _header_text(headers, index)
                collected.add(Problem(file, f"the cell holds the error {value.strip()}, not a value",
                                      row=number, column=column, value=value))
                cells.append(_BadCell(value))
            else:
                cells.append(value if value != "" else None)
        rows.append((number, cells))
    return [_Table(file, None, template, headers, rows)]


def _header_text(headers: Sequence[Any], index: int) -> str | None:
    if index < len(headers) and isinstance(headers[index], str) and headers[index].strip():
        return str(headers[index]).strip()
    return None


# ---------------------------------------------------------------------------------------------- XLSX


def _tables_from_xlsx(path: Path, collected: _Collected) -> list[_Table]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    file = str(path)
    try:
        values = openpyxl.load_workbook(path, data_only=True)
        formulas = openpyxl.load_workbook(path, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, ParseError, KeyError, ValueError, TypeError, OSError) as e:
        collected.add(Problem(file, f"cannot read the file as an .xlsx workbook: {e}"))
        return []
    tables = []
    for sheet in values.worksheets:
        if sheet.title.strip().casefold() == README_SHEET.casefold():
            continue
        template = _table_template(sheet.title, file, sheet.title, collected)
        if template is None:
            continue
        tables.append(_table_from_sheet(file, sheet, formulas[sheet.title], template, collected))
    return tables


def _table_from_sheet(file: str, sheet: Any, formula_sheet: Any, template: Template, collected: _Collected) -> _Table:
    grid: list[list[Any]] = []
    for value_row, formula_row in zip(sheet.iter_rows(), formula_sheet.iter_rows(), strict=True):
        grid.append([_sheet_value(v, f) for v, f in zip(value_row, formula_row, strict=True)])
    headers = list(grid[0]) if grid else []
    for merged in sorted(sheet.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col)):
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                if r - 1 < len(grid) and c - 1 < len(grid[r - 1]):
                    grid[r - 1][c - 1] = _BadCell(None)
        column = _header_text(headers, merged.min_col - 1) if merged.min_row > 1 else None
        reason = f"merged cells {merged.coord}: unmerge them and fill every cell"
        collected.add(Problem(file, reason, sheet=sheet.title, row=merged.min_row, column=column))
    for number, cells in enumerate(grid, start=1):
        for index, cell in enumerate(cells):
            if isinstance(cell, _Unreadable):
                column = _header_text(headers, index) if number > 1 else None
                problem = Problem(file, cell.reason, sheet=sheet.title, row=number, column=column, value=cell.shown)
                collected.add(problem)
                cells[index] = _BadCell(cell.shown)
    headers = list(grid[0]) if grid else []
    rows = [(number, cells) for number, cells in enumerate(grid[1:], start=2)]
    if not grid:
        collected.add(Problem(file, "the sheet is empty: its first row must hold the column names", sheet=sheet.title,
                              row=1))
    return _Table(file, sheet.title, template, headers, rows)


@dataclass
class _Unreadable:
    """A cell whose value cannot be had: an error value, or a formula never calculated."""

    shown: str
    reason: str


def _error_value(shown: str) -> _Unreadable:
    return _Unreadable(shown, f"the cell holds the error {shown}, not a value")


def _uncalculated(formula: str) -> _Unreadable:
    reason = "the formula has no calculated value: open and save the file in Excel or WPS, or type the value"
    return _Unreadable(formula, reason)


def _sheet_value(value_cell: Any, formula_cell: Any) -> Any:
    value = value_cell.value
    if value_cell.data_type == "e":
        return _error_value(str(value))
    if value is None and formula_cell.data_type == "f":
        formula = formula_cell.value
        return _uncalculated(formula if isinstance(formula, str) else str(getattr(formula, "text", formula)))
    if isinstance(value, str) and value == "":
        return None
    return value


# ---------------------------------------------------------------------------------------------- cells


def _rows_of(table: _Table, collected: _Collected) -> list[_Row]:
    template, file, sheet = table.template, table.file, table.sheet
    columns: dict[int, Column] = {}
    for index, header in enumerate(table.headers):
        if header is None or isinstance(header, _BadCell):
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
    if table.headers:
        for column in template.columns:
            if column.required and column.name not in present:
                collected.add(Problem(file, "required column is missing", sheet=sheet, row=1, column=column.name))
    rows = []
    source_name = Path(file).name
    for number, cells in table.rows:
        if all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells):
            continue
        where = Where(file, sheet, number)
        values: dict[str, Any] = {}
        wrong: dict[str, str] = {}
        for index, cell in enumerate(cells):
            spec = columns.get(index)
            if spec is None:
                if cell is not None and not isinstance(cell, _BadCell) and _header_text(table.headers, index) is None \
                        and str(cell).strip():
                    collected.add(where.problem("a value in a column without a header", None, cell))
                continue
            if isinstance(cell, _BadCell):
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
            if (column.required and column.name in present and column.name not in values
                    and column.name not in wrong):
                collected.add(where.problem("required value is missing", column.name))
        rows.append(_Row(where, template, values, wrong, source_name))
    return rows


def _cell_value(cell: Any, column: Column, where: Where, collected: _Collected) -> Any:
    """Return the value of one cell for ``column``, or None when it is empty or wrong (and reported)."""
    if column.type == DATE:
        return _date(cell, column, where, collected)
    if isinstance(cell, dt.datetime | dt.date | dt.time):
        collected.add(where.problem("a date or time where a value is expected; format the column as Text",
                                    column.name, cell.isoformat()))
        return None
    if column.type in (INTEGER, NUMBER, YEAR):
        return _number(cell, column, where, collected)
    if column.type == BOOLEAN:
        return _boolean(cell, column, where, collected)
    if column.type == CODE and not isinstance(cell, str):
        reason = "a code must be text, not a number: leading zeros may be lost; format the column as Text " \
                 "and type the code again"
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
            reason = "a code written as a number in scientific notation: its digits are lost; " \
                     "format the column as Text and type the code again"
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


def _date(cell: Any, column: Column, where: Where, collected: _Collected) -> str | None:
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


def _text(cell: Any, column: Column, where: Where, collected: _Collected) -> str | None:
    if isinstance(cell, bool):
        collected.add(where.problem("TRUE or FALSE where text is expected", column.name, cell))
        return None
    if isinstance(cell, int | float):
        return _number_text(cell)
    text = str(cell)
    if not text.strip():
        return None
    if column.type != TEXT:
        text = text.strip()  # free text is kept as typed; names of things are matched, not shown
    if text.startswith("'") and (text[1:2] in _ESCAPED_LEADS or text[1:].strip() in EXCEL_ERRORS):
        text = text[1:]  # the apostrophe that export puts before text a spreadsheet would misread
    allowed = "\n\t" if column.multiline else ""
    for char in text:
        if unicodedata.category(char) == "Cc" and char not in allowed:
            what = "a line break" if char == "\n" else f"the control character U+{ord(char):04X}"
            collected.add(where.problem(f"{what} is not allowed in {column.name}", column.name, text))
            return None
    return text


def _integer(cell: Any, column: Column, where: Where, collected: _Collected) -> int | None:
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


def _number(cell: Any, column: Column, where: Where, collected: _Collected) -> int | float | None:
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


def _boolean(cell: Any, column: Column, where: Where, collected: _Collected) -> bool | None:
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


# ---------------------------------------------------------------------------------------------- references


class _Resolver:
    """Turns checked rows into records: keys, references, relationships; reports what does not resolve."""

    def __init__(self, collected: _Collected, store: Store | None, aliases: AliasTable) -> None:
        self.collected = collected
        self.aliases = aliases.copy()
        self.stored: dict[str, _Entity] = {}
        if store is not None:
            for node in store.iter_nodes():
                self.stored[node.key] = _Entity(node.key, node.kind, node.name_zh, node.name_en)
        self.entities: dict[str, _Entity] = dict(self.stored)
        self.index: dict[str, set[str]] = defaultdict(set)

    # -- keys and names

    def records(self) -> tuple[list[Node], list[Edge]]:
        rows = self.collected.rows
        for row in rows:
            if row.template.name == "aliases" and "alias" in row.values and "canonical" in row.values:
                self.aliases.add(row.values["alias"], row.values["canonical"])
        entity_rows = [r for r in rows if r.template.kind not in (None, NodeKind.NEED, NodeKind.MONITORING)]
        self._index_entities(self.stored.values())
        keyed = [(row, self._entity_key(row)) for row in entity_rows]
        self._check_unkeyed_names(keyed)
        self._index_entities([self._entity(row, key) for row, key in keyed if key is not None])
        need_rows = [r for r in rows if r.template.kind is NodeKind.NEED]
        needs = [(row, self._need_key(row)) for row in need_rows]
        needs += [(row, self._monitoring_key(row)) for row in rows if row.template.kind is NodeKind.MONITORING]
        self._index_entities([self._entity(row, key) for row, key in needs if key is not None])

        nodes: list[tuple[Where, Node]] = []
        implied: dict[tuple[str, str, str], tuple[Where, Edge]] = {}
        explicit: list[tuple[Where, Edge]] = []
        for row, key in [*keyed, *needs]:
            if key is None:
                for column in row.template.columns:
                    if column.type == REFERENCE:
                        self._reference(row, column)  # to report every problem of the row
                continue
            nodes.append((row.where, self._node(row, key)))
            for edge in self._implied_edges(row, key):
                implied.setdefault(edge.triple, (row.where, edge))
        for row in rows:
            if row.template.rules:
                made = self._explicit_edge(row)
                if made is not None:
                    explicit.append((row.where, made))
        given = {edge.triple for _, edge in explicit}
        edges = [pair for triple, pair in implied.items() if triple not in given] + explicit
        existing = {key: e.kind for key, e in self.stored.items()}
        for problem in check_records(nodes, edges, existing=existing):
            if (problem.file, problem.sheet, problem.row, problem.column) not in self.collected.reported:
                self.collected.problems.append(problem)
        return [n for _, n in nodes], [e for _, e in edges]

    def _index_entities(self, entities: Iterable[_Entity]) -> None:
        """Add ``entities`` to the name index; a file's entity replaces the store's of the same key."""
        for entity in entities:
            replaced = self.entities.get(entity.key)
            if replaced is not None and replaced is not entity:
                for name in (replaced.name_zh, replaced.name_en):
                    self.index[folded_name(name)].discard(entity.key)
            self.entities[entity.key] = entity
            for name in (entity.name_zh, entity.name_en, entity.key):
                if name.strip():
                    self.index[folded_name(name)].add(entity.key)

    def _candidates(self, name: str, kinds: Iterable[NodeKind]) -> list[str]:
        allowed = set(kinds)
        keys: set[str] = set()
        for folded in self.aliases.equivalents(name):
            keys |= self.index.get(folded, set())
        return sorted(k for k in keys if self.entities[k].kind in allowed)

    def _entity_key(self, row: _Row) -> str | None:
        kind = row.template.kind
        assert kind is not None
        key = row.values.get("key")
        if key:
            return str(key)
        name_zh, name_en = row.values.get("name_zh", ""), row.values.get("name_en", "")
        if not name_zh and not name_en:
            return None  # reported as missing names
        known: set[str] = set()
        for name in (name_zh, name_en):
            if name:
                known |= set(self._candidates(name, [kind]))
        if len(known) == 1:
            return known.pop()
        if len(known) > 1:
            reason = f"the name matches several {kind.value} entities ({', '.join(sorted(known))}); give the key"
            self.collected.add(row.where.problem(reason, "key", name_zh or name_en))
            return None
        if not name_en:
            return None
        key = node_key(kind, slug_from_names(name_en, name_zh))
        taken = self.stored.get(key)
        if taken is not None:
            reason = f"the key {key} made from name_en already belongs to {taken.name_zh}; give another key"
            self.collected.add(row.where.problem(reason, "key", key))
            return None
        return key

    def _check_unkeyed_names(self, keyed: Sequence[tuple[_Row, str | None]]) -> None:
        seen: dict[tuple[NodeKind | None, str], _Row] = {}
        for row, _key in keyed:
            name = row.values.get("name_zh")
            if not name:
                continue
            mark = (row.template.kind, folded_name(name))
            first = seen.setdefault(mark, row)
            if first is not row and "key" not in row.values:
                where = first.where
                place = f"{where.file}" + (f", sheet {where.sheet}" if where.sheet else "") + f", row {where.row}"
                reason = f"another row has the same name ({place}); give each row its key, or remove one"
                self.collected.add(row.where.problem(reason, "name_zh", name))

    def _entity(self, row: _Row, key: str) -> _Entity:
        kind = row.template.kind
        assert kind is not None
        return _Entity(key, kind, row.values.get("name_zh", ""), row.values.get("name_en", ""))

    def _need_key(self, row: _Row) -> str | None:
        unit = self._reference(row, row.template.column("unit"))
        industry = self._reference(row, row.template.column("industry"))
        if unit is None or industry is None:
            return None
        key = node_key(NodeKind.NEED, f"{_slug_of(unit)}:{_slug_of(industry)}")
        given = row.values.get("key")
        if given and given != key:
            reason = f"a need's key is need:<unit slug>:<industry slug>, here {key}"
            self.collected.add(row.where.problem(reason, "key", given))
            return None
        return key

    def _monitoring_key(self, row: _Row) -> str | None:
        """Key a monitoring row by its cooperation and year, and name it after them."""
        cooperation = self._reference(row, row.template.column("cooperation"))
        year = row.values.get("year")
        if cooperation is None or year is None:
            return None
        key = node_key(NodeKind.MONITORING, f"{_slug_of(cooperation)}:{year}")
        given = row.values.get("key")
        if given and given != key:
            reason = f"a monitoring record's key is monitoring:<cooperation slug>:<year>, here {key}"
            self.collected.add(row.where.problem(reason, "key", given))
            return None
        entity = self.entities[cooperation]
        row.values["name_zh"] = f"{entity.name_zh}·{year}年度监测"
        row.values["name_en"] = f"{entity.name_en}: monitoring {year}"
        return key

    def _reference(self, row: _Row, column: Column, kinds: Iterable[NodeKind] | None = None) -> str | None:
        value = row.values.get(column.name)
        if not value:
            return None
        allowed = [k for k in column.refers_to if kinds is None or k in set(kinds)]
        names = " | ".join(k.value for k in allowed)
        direct = self.entities.get(str(value).strip())
        if direct is not None:
            if direct.kind in allowed:
                return direct.key
            reason = f"{direct.key} is a {direct.kind.value}; {column.name} must be a {names}"
            self.collected.add(row.where.problem(reason, column.name, value))
            return None
        found = self._candidates(value, allowed)
        if len(found) == 1:
            return found[0]
        if found:
            reason = f"ambiguous: the name matches {', '.join(found)}; write the key instead"
            self.collected.add(row.where.problem(reason, column.name, value))
            return None
        others = self._candidates(value, NodeKind)
        if others:
            kinds_found = ", ".join(sorted({self.entities[k].kind.value for k in others}))
            reason = f"names a {kinds_found}; {column.name} must be a {names}"
        else:
            reason = f"unknown reference: no {names} has this key or name in the files or the store"
        self.collected.add(row.where.problem(reason, column.name, value))
        return None

    # -- records

    def _provenance(self, row: _Row) -> dict[str, Any]:
        props = {name: row.values[name] for name in PROVENANCE_FIELDS if name in row.values}
        props.setdefault("provenance", Provenance.USER.value)
        if props["provenance"] == Provenance.USER.value:
            props.setdefault("document", row.source_name)
        for name in PROVENANCE_FIELDS:
            if name not in row.values and name in row.wrong:
                props[name] = row.wrong[name]  # a wrong value, already reported: keeps later checks quiet
        return props

    def _node(self, row: _Row, key: str) -> Node:
        template, kind = row.template, row.template.kind
        assert kind is not None
        props = self._provenance(row)
        for column in template.columns:
            if column.name in ("key", "name_zh", "name_en") or column.name in PROVENANCE_FIELDS:
                continue
            if column.type == REFERENCE:
                continue
            if column.name in row.values:
                props[column.name] = row.values[column.name]
            elif column.name in row.wrong:
                props[column.name] = row.wrong[column.name]
        name_zh = row.values.get("name_zh", row.wrong.get("name_zh", ""))
        name_en = row.values.get("name_en", row.wrong.get("name_en", ""))
        return Node(key, kind, name_zh, name_en, props)

    def _implied_edges(self, row: _Row, key: str) -> Iterator[Edge]:
        for column in row.template.columns:
            if column.type != REFERENCE or column.relationship is None:
                continue
            other = self._reference(row, column)
            if other is None:
                continue
            source, target = (other, key) if column.incoming else (key, other)
            yield Edge(source, column.relationship, target, self._provenance(row))

    def _explicit_edge(self, row: _Row) -> Edge | None:
        template = row.template
        selector = row.values.get(template.selector) if template.selector else ""
        if selector is None:
            return None
        rule = template.rule_for(selector)
        if rule is None:
            return None
        sources, targets = EDGE_ENDPOINTS[rule.type]
        source = self._reference(row, template.column(rule.source), sources)
        target = self._reference(row, template.column(rule.target), targets)
        if source is None or target is None:
            return None
        return Edge(source, rule.type, target, self._provenance(row))


def _slug_of(key: str) -> str:
    return key.split(":", 1)[1]


def _ordered(collected: _Collected) -> list[Problem]:
    """Return the problems without repeats, by file and sheet as read, then by row and column."""
    sheets = {where: rank for rank, where in enumerate(collected.sheets)}

    def rank(problem: Problem) -> tuple[int, int, int, int]:
        template = collected.sheets.get((problem.file, problem.sheet))
        headers = template.headers if template is not None else []
        return (
            collected.files.get(problem.file, -1),
            sheets.get((problem.file, problem.sheet), -1),
            problem.row or 0,
            headers.index(problem.column) if problem.column in headers else len(headers),
        )

    return sorted(dict.fromkeys(collected.problems), key=rank)


# ---------------------------------------------------------------------------------------------- export


def tables_from_store(store: Store) -> dict[str, list[dict[str, Any]]]:
    """Return the rows of every template, filled from ``store``.

    Each entity is a row of its kind's table; a relationship goes into the
    column of its entity's row when the templates have one and it shares the
    row's provenance, else into ``cooperation_parties``,
    ``cooperation_fields``, ``specialisations`` or ``links``.  References
    are written as keys.  Loading the rows into an empty store gives the
    same graph back.

    Returns
    -------
    dict
        Rows by template name, each row mapping column names to values.

    Raises
    ------
    HainetError
        When a node or relationship has a property that no column holds.
    """
    rows: dict[str, list[dict[str, Any]]] = {t.name: [] for t in TEMPLATES}
    nodes = {node.key: node for node in store.iter_nodes()}
    out_edges: dict[tuple[str, RelType], list[Edge]] = defaultdict(list)
    in_edges: dict[tuple[str, RelType], list[Edge]] = defaultdict(list)
    edges = list(store.iter_edges())
    for edge in edges:
        out_edges[(edge.source, edge.type)].append(edge)
        in_edges[(edge.target, edge.type)].append(edge)
        extra = set(edge.props) - set(PROVENANCE_FIELDS)
        if extra:
            msg = f"cannot export {' '.join(edge.triple)}: the templates have no column for {', '.join(sorted(extra))}"
            raise HainetError(msg)
    done: set[tuple[str, str, str]] = set()
    for node in nodes.values():
        template = _NODE_TEMPLATES[node.kind]
        columns = {c.name for c in template.columns}
        extra = set(node.props) - columns
        if extra:
            msg = f"cannot export {node.key}: the {template.name} template has no column for {', '.join(sorted(extra))}"
            raise HainetError(msg)
        for name, value in node.props.items():
            if isinstance(value, list) and any(";" in str(item) or "；" in str(item) for item in value):
                msg = f"cannot export {node.key}: an item of {name} holds ';', which separates the items of a list"
                raise HainetError(msg)
        row: dict[str, Any] = {"key": node.key, "name_zh": node.name_zh, "name_en": node.name_en, **node.props}
        shared = {k: node.props[k] for k in PROVENANCE_FIELDS if k in node.props}
        for column in template.columns:
            if column.relationship is None:
                continue
            pool = in_edges if column.incoming else out_edges
            candidates = [
                e for e in pool[(node.key, column.relationship)]
                if nodes[e.source if column.incoming else e.target].kind in column.refers_to
            ]
            if not candidates:
                continue
            chosen = next((e for e in candidates if e.props == shared), candidates[0])
            row[column.name] = chosen.source if column.incoming else chosen.target
            if chosen.props == shared:
                done.add(chosen.triple)
        rows[template.name].append(row)
    for edge in edges:
        if edge.triple in done:
            continue
        table, row = _edge_row(edge, nodes)
        rows[table].append({**row, **edge.props})
    return rows


def _edge_row(edge: Edge, nodes: Mapping[str, Node]) -> tuple[str, dict[str, Any]]:
    if edge.type in _PARTY_ROLES:
        cooperation, party = (edge.source, edge.target) if edge.type is RelType.SERVES else (edge.target, edge.source)
        return "cooperation_parties", {"cooperation": cooperation, "party": party, "role": _PARTY_ROLES[edge.type]}
    if edge.type is RelType.IN_FIELD and nodes[edge.source].kind is NodeKind.COOPERATION:
        return "cooperation_fields", {"cooperation": edge.source, "industry": edge.target}
    if edge.type is RelType.SPECIALISES_IN:
        return "specialisations", {"actor": edge.source, "industry": edge.target}
    return "links", {"from": edge.source, "type": edge.type.value, "to": edge.target}


def export_workbook(store: Store, path: str | Path) -> list[Path]:
    """Write ``store`` as one workbook of the templates (see :func:`tables_from_store`).

    Returns
    -------
    list of Path
        The workbook written.
    """
    return [write_workbook(tables_from_store(store), path)]


def export_csv_folder(store: Store, path: str | Path) -> list[Path]:
    """Write ``store`` as a folder with one template CSV file per table (see :func:`tables_from_store`).

    Returns
    -------
    list of Path
        The files written.
    """
    return write_csv_folder(tables_from_store(store), path)

