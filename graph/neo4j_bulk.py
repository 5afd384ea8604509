"""Bulk loading into an empty Neo4j database with Neo4j's own offline importer.

:func:`bulk_load` writes the records as the CSV files ``neo4j-admin
database import full`` reads, one file per node kind or relationship type
and per set of property names and types, then has ``scripts/neo4j-local
import`` replace the local server's database with the import: the server
shuts its database system down, runs the importer in its own JVM and starts
the database system again.  It is for the local server only (the importer writes the
store files directly), and only into an empty database: anything else is
refused with one line.

Nodes are numbered in the order they come (``--id-type=integer``: the
importer maps numbers faster than text keys, and the key is an ordinary
property), labels and types are named on the importer's command line
rather than in a column, and only the files with a line break inside a
value are read as multiline, the importer's slow way.  A relationship to a
node that is not loaded, or a key given twice, is refused while the files
are written, before the server stops.

The graph it leaves is the one an online load leaves: the same labels,
``key``, ``name_zh`` and ``name_en`` on every node, the same properties
with the same types, and the same uniqueness constraints on ``key``.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from graph.errors import StoreError
from graph.neo4j_store import Neo4jStore
from graph.schema import Edge, Node
from graph.store import Progress, WriteReport

__all__ = ["bulk_load", "local_server_script"]

#: Separates the items of a list property inside one CSV field (the unit separator, never in names).
_ARRAY_DELIMITER = "\x1f"

#: Rows of one file gathered before they are written.
_BUFFERED_ROWS = 4096

_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}


def local_server_script() -> Path:
    """Return the path of ``scripts/neo4j-local`` in the source tree hainet runs from.

    Raises
    ------
    StoreError
        When hainet does not run from a source tree that has it.
    """
    script = Path(__file__).resolve().parents[1] / "scripts" / "neo4j-local"
    if not script.is_file():
        msg = f"--bulk needs scripts/neo4j-local of a hainet source tree, and {script} does not exist"
        raise StoreError(msg)
    return script


def bulk_load(
    store: Neo4jStore,
    nodes: Iterable[Node],
    edges: Iterable[Edge],
    *,
    progress: Progress | None = None,
    timings: dict[str, float] | None = None,
) -> WriteReport:
    """Load ``nodes`` and ``edges`` into the empty database of ``store`` with the offline importer.

    The local server of ``store``'s port shuts its database system down,
    runs the importer in its own JVM and starts the database system again;
    ``store`` reconnects by itself.  A failed import leaves an empty
    database.  Given ``timings``, the seconds of each part are put in it:
    ``csv`` (reading the records and writing the files), ``stop``,
    ``import`` and ``start`` (as ``scripts/neo4j-local`` reports them) and
    ``constraints``.

    Returns
    -------
    WriteReport
        Every record counted as added.

    Raises
    ------
    StoreError
        The database is not empty, the server is not a local one, a
        property cannot be stored, a relationship names a node that is
        not loaded, a key comes twice, or the importer failed.
    """
    counts = store.counts()
    if counts.total_nodes or counts.total_edges:
        msg = (
            f"--bulk loads only into an empty database, and {store.location} holds {counts.total_nodes:,} "
            f"nodes and {counts.total_edges:,} relationships: clear it, or load without --bulk"
        )
        raise StoreError(msg)
    where = urlsplit(store.settings.uri)
    if where.hostname not in ("127.0.0.1", "localhost", "::1") or store.settings.database not in (None, "", "neo4j"):
        msg = f"--bulk imports only into the database neo4j of a local server (scripts/neo4j-local), not {where.netloc}"
        raise StoreError(msg)
    script = local_server_script()
    report = WriteReport()
    parts: dict[str, float] = {} if timings is None else timings
    with tempfile.TemporaryDirectory(prefix="hainet-bulk-") as folder:
        start = time.perf_counter()
        arguments = _write_files(Path(folder), nodes, edges, report, progress)
        parts["csv"] = time.perf_counter() - start
        environment = {
            **os.environ,
            "NEO4J_LOCAL_PORT": str(where.port or 7687),
            "NEO4J_LOCAL_PASSWORD": store.settings.password,
        }
        command = [
            "bash",
            str(script),
            "import",
            *arguments,
            f"--array-delimiter={_ARRAY_DELIMITER}",
            "--id-type=integer",
            # A bad record (a relationship to a missing node, a duplicate key) stops the import.
            "--bad-tolerance=0",
            "--high-parallel-io=on",
        ]
        done = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        msg = f"the offline import into {store.location} failed: {lines[-1] if lines else done.returncode}"
        raise StoreError(msg)
    parts.update(_script_timings(done.stderr))
    start = time.perf_counter()
    store.reconnect()
    store.ensure_constraints()
    parts["constraints"] = time.perf_counter() - start
    return report


def _script_timings(log: str) -> dict[str, float]:
    """Return the seconds of the parts ``scripts/neo4j-local`` reports as ``took PART SECONDS s``."""
    found = {}
    for line in log.splitlines():
        words = line.removeprefix("neo4j-local: ").split()
        if len(words) >= 3 and words[0] == "took":
            found[words[1]] = float(words[2])
    return found


def _write_files(
    folder: Path, nodes: Iterable[Node], edges: Iterable[Edge], report: WriteReport, progress: Progress | None
) -> list[str]:
    # One file per (kind or type, property names, Python types of the values); the
    # names are sorted already (records drop None and sort their properties).  Nodes
    # are numbered in the order they come: the importer maps integers faster than
    # strings, and a relationship to a node that is not there is found here, before
    # the server stops.
    node_files: dict[tuple[Any, ...], _CsvFile] = {}
    edge_files: dict[tuple[Any, ...], _CsvFile] = {}
    ids: dict[str, int] = {}
    try:
        _write_nodes(folder, nodes, node_files, ids, progress)
        _write_edges(folder, edges, edge_files, ids, progress)
    finally:
        for out in [*node_files.values(), *edge_files.values()]:
            out.close()
    files = [*node_files.values(), *edge_files.values()]
    for out in files:
        report.added[out.name] += out.rows
    if progress:
        progress(sum(out.rows for out in files), None)
    arguments = [f"--{out.what}={out.name}={out.path}" for out in files]
    multiline = [str(out.path) for out in files if out.multiline]
    if multiline:
        # Only the files with a line break in a value are read the slow way.
        arguments += ["--multiline-fields-format=v2", f"--multiline-fields={','.join(multiline)}"]
    return arguments


def _write_nodes(
    folder: Path,
    nodes: Iterable[Node],
    files: dict[tuple[Any, ...], _CsvFile],
    ids: dict[str, int],
    progress: Progress | None,
) -> None:
    fixed = [":ID", "key:string", "name_zh:string", "name_en:string"]
    for number, node in enumerate(nodes):
        props = node.props
        values = props.values()
        types = tuple(map(type, values))
        group = (node.kind, tuple(props), _types(props) if list in types else types)
        out = files.get(group)
        if out is None:
            out = files[group] = _CsvFile(folder, len(files), "nodes", node.kind.value, fixed, props)
        if ids.setdefault(node.key, number) != number:
            msg = f"--bulk got the node {node.key!r} twice, and a load gives each key one node"
            raise StoreError(msg)
        fields = (number, node.key, node.name_zh, node.name_en)
        out.add((*fields, *values) if out.simple else (*fields, *map(_value, values)))
        if progress and number % 100_000 == 99_999:
            progress(number + 1, None)


def _write_edges(
    folder: Path,
    edges: Iterable[Edge],
    files: dict[tuple[Any, ...], _CsvFile],
    ids: dict[str, int],
    progress: Progress | None,
) -> None:
    fixed = [":START_ID", ":END_ID"]
    for number, edge in enumerate(edges, start=len(ids)):
        props = edge.props
        values = props.values()
        types = tuple(map(type, values))
        group = (edge.type, tuple(props), _types(props) if list in types else types)
        out = files.get(group)
        if out is None:
            out = files[group] = _CsvFile(folder, len(files), "relationships", edge.type.value, fixed, props)
        try:
            ends = (ids[edge.source], ids[edge.target])
        except KeyError as e:
            msg = f"--bulk got {edge.source} -[{edge.type.value}]-> {edge.target}, and no node {e.args[0]!r}"
            raise StoreError(msg) from e
        out.add((*ends, *values) if out.simple else (*ends, *map(_value, values)))
        if progress and number % 100_000 == 99_999:
            progress(number + 1, None)


class _CsvFile:
    """One CSV file of the importer: records of one kind or type with the same property names and types.

    Text is always quoted (the importer reads an unquoted empty field as no
    value, a quoted one as ""), numbers never; booleans and lists are turned
    into the importer's text first.  The label or type is given with the
    file on the importer's command line, not in a column.
    """

    __slots__ = ("buffer", "handle", "multiline", "name", "path", "rows", "simple", "waiting", "what", "writer")

    def __init__(
        self, folder: Path, number: int, what: str, name: str, fixed: list[str], props: dict[str, Any]
    ) -> None:
        names = tuple(props)
        types = tuple(_type_of(name, props[name]) for name in names)
        self.what = what
        self.name = name
        self.path = folder / f"{what}-{number:04d}.csv"
        self.handle = self.path.open("w", encoding="utf-8", newline="")
        self.handle.write(",".join([*fixed, *_header(names, types)]) + "\n")
        # Rows are written a few thousand at a time into a buffer, and a line
        # break inside a value shows as more lines than rows there.
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")
        # Text and numbers go out as they are; booleans and lists need a conversion.
        self.simple = all(kind in ("string", "long", "double") for kind in types)
        self.waiting: list[tuple[Any, ...]] = []
        self.rows = 0
        self.multiline = False

    def add(self, row: tuple[Any, ...]) -> None:
        """Add one row: the fixed fields, then the property values in name order."""
        self.waiting.append(row)
        if len(self.waiting) == _BUFFERED_ROWS:
            self.flush()

    def flush(self) -> None:
        """Write the rows waiting to the file."""
        self.writer.writerows(self.waiting)
        text = self.buffer.getvalue()
        if not self.multiline and (text.count("\n") != len(self.waiting) or "\r" in text):
            self.multiline = True
        self.handle.write(text)
        self.buffer.seek(0)
        self.buffer.truncate()
        self.rows += len(self.waiting)
        self.waiting.clear()

    def close(self) -> None:
        """Write the rows waiting and close the file."""
        try:
            self.flush()
        finally:
            self.handle.close()


def _type_of(name: str, value: Any) -> str:
    if isinstance(value, list):
        kinds = {_TYPES.get(type(v)) for v in value}
        if len(kinds) != 1 or None in kinds:
            msg = f"property {name!r} holds a list that the offline importer cannot store: {value!r:.60}"
            raise StoreError(msg)
        return f"{kinds.pop()}[]"
    found = _TYPES.get(type(value))
    if found is None:
        msg = f"property {name!r} holds {type(value).__name__}, which Neo4j cannot store"
        raise StoreError(msg)
    return found


def _header(names: tuple[str, ...], types: tuple[str, ...]) -> list[str]:
    return [f"{name}:{kind}" for name, kind in zip(names, types, strict=True)]


def _types(props: dict[str, Any]) -> tuple[Any, ...]:
    """Return the Python types of the values, or the importer's types when a value is a list."""
    types = tuple(map(type, props.values()))
    if list in types:
        return tuple(_type_of(name, value) for name, value in props.items())
    return types


def _value(value: Any) -> Any:
    """Return ``value`` as the CSV writer should write it: lists joined, booleans as text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        items = [_item(v) for v in value]
        if any(_ARRAY_DELIMITER in item for item in items):
            msg = f"a list item holds the importer's array delimiter U+001F: {value!r:.60}"
            raise StoreError(msg)
        return _ARRAY_DELIMITER.join(items)
    return value


def _item(value: str | int | float | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, float) else str(value)
