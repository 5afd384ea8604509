"""Planners' spreadsheets: load CSV and XLSX files into a store, and export a store as them.

The files follow the templates of :mod:`loaders.templates`.  Loading reads
every file, checks every cell, resolves every reference (by key, or by name
through :mod:`loaders.names`) and collects *all* problems of *all* files;
only when there are none does it make its single ``store.write`` call, so a
load that fails writes nothing.  Rows become facts with ``provenance: user``
and ``document: <file name>`` unless their own provenance columns say
otherwise, which is how an exported file loads back unchanged.

Reading is done by :mod:`loaders._csv` (encodings, rows numbered as a
spreadsheet shows them) and :mod:`loaders._xlsx` (workbooks streamed, in
time and memory proportional to the cells that hold something).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.errors import HainetError, Problem, ValidationError
from graph.names import clean_name
from graph.schema import (
    EDGE_ENDPOINTS,
    FIRST_MONITORING_YEAR,
    Edge,
    Node,
    NodeKind,
    Provenance,
    RelType,
    node_key,
)
from graph.store import Progress, Store, WriteReport
from graph.timeline import with_history
from loaders._csv import decoded, table_from_csv_text
from loaders._evidence import STRONG_EVIDENCE, guarded_edge, guarded_node
from loaders._tables import BadCell, RawTable, header_text
from loaders._validate import HIERARCHY_TYPES, Where, check_records, hierarchy_problems
from loaders.names import AliasTable, builtin_aliases, folded_name, slug_from_names
from loaders.templates import (
    BOOLEAN,
    CHOICE,
    CODE,
    DATE,
    FACT_FIELDS,
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
    "LoadReport",
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
_NAME_COLUMNS = frozenset({"name_zh", "name_en"})
#: Numbers from a workbook are kept as text only below 10^15, where a cell holds every digit.
_EXACT_BELOW = 1e15
_NODE_TEMPLATES = {t.kind: t for t in TEMPLATES if t.kind is not None}
_PARTY_ROLES = {RelType.PARTNER_IN: "partner", RelType.SUPPORTS: "supporter", RelType.SERVES: "served"}


@dataclass
class LoadReport(WriteReport):
    """What a load of planners' files did: a :class:`~graph.store.WriteReport`, and notices.

    ``notices`` holds one line for each thing the load did that a planner
    should know of but that is not a problem, such as a hidden sheet loaded
    or skipped.
    """

    notices: list[str] = field(default_factory=list)


@dataclass
class _Table:
    raw: RawTable
    template: Template


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
    notices: list[str] = field(default_factory=list)

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
    override: bool = False,
) -> LoadReport:
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
    override
        Where a row differs from a ``stated`` or ``reported`` fact of the
        store, record the row's values beside the fact (its
        ``user_overrides``) instead of refusing the row.  A row that repeats
        such a fact changes nothing either way.

    Returns
    -------
    LoadReport
        Records added, updated and unchanged, per node kind and relationship
        type, and notices (hidden sheets loaded or skipped).

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
    nodes, edges, notices = _checked_records(paths, store=store, aliases=aliases, override=override)
    nodes = with_history(store.iter_nodes(NodeKind.COOPERATION), nodes)  # a changed status keeps its past
    report = store.write(nodes, edges, progress=progress, dry_run=dry_run)
    return LoadReport(report.added, report.updated, report.unchanged, notices=notices)


def load_workbook(
    store: Store, path: str | Path, *, progress: Progress | None = None, dry_run: bool = False
) -> LoadReport:
    """Load one XLSX workbook into ``store``; see :func:`load_paths`."""
    if Path(path).suffix.lower() != ".xlsx":
        msg = f"{path} is not an .xlsx workbook"
        raise HainetError(msg)
    return load_paths(store, [path], progress=progress, dry_run=dry_run)


def load_csv_folder(
    store: Store, path: str | Path, *, progress: Progress | None = None, dry_run: bool = False
) -> LoadReport:
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
    override: bool = False,
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
    nodes, edges, _ = _checked_records(paths, store=store, aliases=aliases, override=override)
    return nodes, edges


def _checked_records(
    paths: Sequence[str | Path], *, store: Store | None, aliases: AliasTable | None, override: bool
) -> tuple[list[Node], list[Edge], list[str]]:
    if not paths:
        msg = "no files to load: give CSV or XLSX files, or folders"
        raise HainetError(msg)
    collected = _Collected()
    for path in _expand(paths, collected):
        for table in _read_file(path, collected):
            collected.sheets.setdefault((table.raw.file, table.raw.sheet), table.template)
            collected.rows += _rows_of(table, collected)
    nodes, edges = _Resolver(collected, store, aliases or builtin_aliases(), override=override).records()
    if collected.problems:
        raise ValidationError(_ordered(collected))
    return nodes, edges, collected.notices


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


def _template_named(name: str) -> Template | None:
    return _TABLES.get(unicodedata.normalize("NFKC", name).strip().casefold().replace(" ", "_").replace("-", "_"))


def _table_template(name: str, file: str, sheet: str | None, collected: _Collected) -> Template | None:
    template = _template_named(name)
    if template is None:
        what = f"sheet {name!r}" if sheet else f"file name {name!r}"
        reason = f"{what} is not a table; the tables are {', '.join(_TABLES)}"
        collected.add(Problem(file, reason, sheet=sheet))
    return template


# ---------------------------------------------------------------------------------------------- reading


def _tables_from_csv(path: Path, collected: _Collected) -> list[_Table]:
    file = str(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        collected.add(Problem(file, f"cannot read the file: {e.strerror or e}"))
        return []
    try:
        text = decoded(data)
    except ValueError as e:
        collected.add(Problem(file, f"cannot read the file: {e}"))
        return []
    template = _table_template(path.stem, file, None, collected)
    if template is None:
        return []
    problems: list[Problem] = []
    table = table_from_csv_text(file, text, problems)
    for problem in problems:
        collected.add(problem)
    return [] if table is None else [_Table(table, template)]


def _tables_from_xlsx(path: Path, collected: _Collected) -> list[_Table]:
    from loaders._xlsx import read_workbook  # openpyxl only when a workbook is read

    file = str(path)
    content = read_workbook(path, lambda title: _template_named(title) is not None,
                            skip=lambda title: title.strip().casefold() == README_SHEET.casefold())
    collected.notices += content.notices
    for title in content.unknown:
        _table_template(title, file, title, collected)
    for problem in content.problems:
        collected.add(problem)
    tables = []
    for table in content.tables:
        template = _template_named(table.sheet or "")
        assert template is not None  # read_workbook keeps only the sheets that are tables
        tables.append(_Table(table, template))
    return tables


# ---------------------------------------------------------------------------------------------- cells


def _rows_of(table: _Table, collected: _Collected) -> list[_Row]:
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


def _number_as_text(number: int | float, column: Column, where: Where, collected: _Collected) -> str | None:
    """Return a number typed in a text column as the digits a cell shows, or None when they cannot be kept."""
    text = _number_text(number)
    if abs(number) >= _EXACT_BELOW or "e" in text.casefold() or text in ("nan", "inf", "-inf"):
        reason = "a number where text is expected, too long to keep digit for digit; " \
                 "format the column as Text and type it again"
        collected.add(where.problem(reason, column.name, repr(number)))
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

    def __init__(self, collected: _Collected, store: Store | None, aliases: AliasTable, *,
                 override: bool = False) -> None:
        self.collected = collected
        self.aliases = aliases.copy()
        self.store, self.override = store, override
        self.stored: dict[str, _Entity] = {}
        self.stored_nodes: dict[str, Node] = {}
        if store is not None:
            for node in store.iter_nodes():
                self.stored[node.key] = _Entity(node.key, node.kind, node.name_zh, node.name_en)
                if node.props.get("provenance") in STRONG_EVIDENCE:
                    self.stored_nodes[node.key] = node
        self.entities: dict[str, _Entity] = dict(self.stored)
        self.index: dict[str, set[str]] = defaultdict(set)
        self.hierarchy = [] if store is None else [e for t in HIERARCHY_TYPES for e in store.iter_edges(t)]
        self.edge_columns: dict[tuple[Where, tuple[str, str, str]], str] = {}

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
            nodes.append((row.where, self._guarded_node(row, self._node(row, key))))
            for edge in self._implied_edges(row, key):
                implied.setdefault(edge.triple, (row.where, edge))
        for row in rows:
            if row.template.rules:
                made = self._explicit_edge(row)
                if made is not None:
                    explicit.append((row.where, made))
        given = {edge.triple for _, edge in explicit}
        edges = self._guarded_edges([pair for triple, pair in implied.items() if triple not in given] + explicit)
        existing = {key: e.kind for key, e in self.stored.items()}
        names = {key: e.name_zh for key, e in self.entities.items()}
        found = check_records(nodes, edges, existing=existing)
        found += hierarchy_problems(edges, existing=self.hierarchy, names=names,
                                    column_of=lambda where, edge: self.edge_columns.get((where, edge.triple)))
        for problem in found:
            if (problem.file, problem.sheet, problem.row, problem.column) not in self.collected.reported:
                self.collected.problems.append(problem)
        return [n for _, n in nodes], [e for _, e in edges]

    def _guarded_node(self, row: _Row, node: Node) -> Node:
        """Return ``node``, or the stated or reported node of its key, unchanged or with the row's overrides."""
        stored = self.stored_nodes.get(node.key)
        if stored is None:
            return node
        kept, problems = guarded_node(row.where, node, stored, row.values, override=self.override,
                                      document=row.source_name)
        for problem in problems:
            self.collected.add(problem)
        return kept

    def _guarded_edges(self, edges: list[tuple[Where, Edge]]) -> list[tuple[Where, Edge]]:
        """Return ``edges`` with those that repeat a stated or reported relationship of the store guarded."""
        if self.store is None or not edges:
            return edges
        wanted = {edge.triple for _, edge in edges}
        types = sorted({edge.type for _, edge in edges})
        stored = {
            edge.triple: edge
            for rel_type in types
            for edge in self.store.iter_edges(rel_type)
            if edge.triple in wanted and edge.props.get("provenance") in STRONG_EVIDENCE
        }
        guarded = []
        for where, edge in edges:
            if edge.triple in stored:
                column = self.edge_columns.get((where, edge.triple))
                document = Path(where.file).name
                edge, problems = guarded_edge(where, edge, stored[edge.triple], override=self.override,
                                              document=document, column=column)
                for problem in problems:
                    self.collected.add(problem)
            guarded.append((where, edge))
        return guarded

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
        props = {name: row.values[name] for name in FACT_FIELDS if name in row.values}
        props.setdefault("provenance", Provenance.USER.value)
        if props["provenance"] == Provenance.USER.value:
            props.setdefault("document", row.source_name)
        for name in FACT_FIELDS:
            if name not in row.values and name in row.wrong:
                props[name] = row.wrong[name]  # a wrong value, already reported: keeps later checks quiet
        return props

    def _node(self, row: _Row, key: str) -> Node:
        template, kind = row.template, row.template.kind
        assert kind is not None
        props = self._provenance(row)
        for column in template.columns:
            if column.name in ("key", "name_zh", "name_en") or column.name in FACT_FIELDS:
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
            edge = Edge(source, column.relationship, target, self._provenance(row))
            self.edge_columns[(row.where, edge.triple)] = column.name
            yield edge

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
        edge = Edge(source, rule.type, target, self._provenance(row))
        self.edge_columns[(row.where, edge.triple)] = rule.target
        return edge


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
        extra = set(edge.props) - set(FACT_FIELDS)
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
        shared = {k: node.props[k] for k in FACT_FIELDS if k in node.props}
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

