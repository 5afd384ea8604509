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
time and memory proportional to the cells that hold something); cells are
checked by :mod:`loaders._rows`, references resolved by
:mod:`loaders._resolve`, and exports written by :mod:`loaders._export`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from graph.errors import HainetError, Problem, ValidationError
from graph.schema import Edge, Node, NodeKind
from graph.store import Progress, Store, WriteReport
from graph.timeline import with_history
from loaders._csv import decoded, table_from_csv_text
from loaders._evidence import write_keeping_user_data
from loaders._export import export_csv_folder, export_workbook, tables_from_store
from loaders._resolve import Resolver
from loaders._rows import Collected, Table, rows_of
from loaders.names import AliasTable, builtin_aliases
from loaders.templates import README_SHEET, TEMPLATES, Template

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
_TABLES = {t.name: t for t in TEMPLATES}


@dataclass
class LoadReport(WriteReport):
    """What a load of planners' files did: a :class:`~graph.store.WriteReport`, and notices.

    ``notices`` holds one line for each thing the load did that a planner
    should know of but that is not a problem, such as a hidden sheet loaded
    or skipped.
    """

    notices: list[str] = field(default_factory=list)


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
    report = write_keeping_user_data(store, nodes, edges, progress=progress, dry_run=dry_run)
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
    collected = Collected()
    for path in _expand(paths, collected):
        for table in _read_file(path, collected):
            collected.sheets.setdefault((table.raw.file, table.raw.sheet), table.template)
            collected.rows += rows_of(table, collected)
    nodes, edges = Resolver(collected, store, aliases or builtin_aliases(), override=override).records()
    if collected.problems:
        raise ValidationError(_ordered(collected))
    return nodes, edges, collected.notices


def _skipped(path: Path) -> bool:
    # Hidden files and the lock files Excel and WPS leave next to an open workbook.
    return path.name.startswith((".", "~$"))


def _expand(paths: Sequence[str | Path], collected: Collected) -> list[Path]:
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


def _read_file(path: Path, collected: Collected) -> list[Table]:
    if path.suffix.lower() == ".csv":
        return _tables_from_csv(path, collected)
    return _tables_from_xlsx(path, collected)


def _template_named(name: str) -> Template | None:
    return _TABLES.get(unicodedata.normalize("NFKC", name).strip().casefold().replace(" ", "_").replace("-", "_"))


def _table_template(name: str, file: str, sheet: str | None, collected: Collected) -> Template | None:
    template = _template_named(name)
    if template is None:
        what = f"sheet {name!r}" if sheet else f"file name {name!r}"
        reason = f"{what} is not a table; the tables are {', '.join(_TABLES)}"
        collected.add(Problem(file, reason, sheet=sheet))
    return template


def _tables_from_csv(path: Path, collected: Collected) -> list[Table]:
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
    return [] if table is None else [Table(table, template)]


def _tables_from_xlsx(path: Path, collected: Collected) -> list[Table]:
    from loaders._xlsx import read_workbook  # openpyxl only when a workbook is read

    file = str(path)
    content = read_workbook(
        path,
        lambda title: _template_named(title) is not None,
        skip=lambda title: title.strip().casefold() == README_SHEET.casefold(),
    )
    collected.notices += content.notices
    for title in content.unknown:
        _table_template(title, file, title, collected)
    for problem in content.problems:
        collected.add(problem)
    tables = []
    for table in content.tables:
        template = _template_named(table.sheet or "")
        assert template is not None  # read_workbook keeps only the sheets that are tables
        tables.append(Table(table, template))
    return tables


def _ordered(collected: Collected) -> list[Problem]:
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
