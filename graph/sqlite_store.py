"""The embedded store: one SQLite file, every write one transaction.

A write that fails, or a process killed in the middle of one, leaves the
file as it was before the write: SQLite rolls the transaction back when
the file is next opened.

hainet writes only into a file it created (see :mod:`graph.sqlite_file`):
a path that does not exist becomes a new store; an existing file is opened
only if it is a hainet store, and one of an older schema version is
migrated in one transaction.  An empty file is adopted only when asked
(``adopt_empty``, the CLI's ``--adopt-empty``).  A store whose file cannot
be written is opened read-only, so reading commands still work.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from graph.errors import StoreError
from graph.schema import SCHEMA_VERSION, Edge, Node, NodeKind, RelType, reserved_property
from graph.settings import lock_timeout
from graph.sqlite_file import APPLICATION_ID, FileState, file_state, sqlite_errors
from graph.store import Counts, Progress, Store, WriteReport

__all__ = ["SQLiteStore"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS nodes (
    key     TEXT PRIMARY KEY,
    kind    TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    props   TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS nodes_kind ON nodes (kind);
CREATE TABLE IF NOT EXISTS edges (
    source TEXT NOT NULL REFERENCES nodes (key),
    type   TEXT NOT NULL,
    target TEXT NOT NULL REFERENCES nodes (key),
    props  TEXT NOT NULL,
    PRIMARY KEY (source, type, target)
);
CREATE INDEX IF NOT EXISTS edges_type ON edges (type);
CREATE INDEX IF NOT EXISTS edges_target ON edges (target);
"""

_UPSERT_NODE = """
INSERT INTO nodes (key, kind, name_zh, name_en, props) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (key) DO UPDATE SET
    kind = excluded.kind, name_zh = excluded.name_zh,
    name_en = excluded.name_en, props = excluded.props
"""

_UPSERT_EDGE = """
INSERT INTO edges (source, type, target, props) VALUES (?, ?, ?, ?)
ON CONFLICT (source, type, target) DO UPDATE SET props = excluded.props
"""

_BATCH = 5000
_R = TypeVar("_R", Node, Edge)

#: Statements run on every new connection; tests add ``PRAGMA max_page_count`` to fill the disk.
_PRAGMAS = ["PRAGMA foreign_keys = ON"]


class SQLiteStore(Store):
    """The embedded store in the SQLite file at ``path``.

    Parameters
    ----------
    path
        The file; it and its folder are created on first use.
    read_only
        Open without write access (a dry run needs no more); a missing file
        then reads as an empty store and is not created.
    adopt_empty
        Make an existing empty file (zero bytes, or an SQLite database with
        no tables) a store; without it such a file is refused.

    Raises
    ------
    StoreError
        The file is not a hainet store, is of a newer schema version, is
        damaged, or cannot be read or created.

    Examples
    --------
    >>> import tempfile, os
    >>> from graph.schema import Node, NodeKind
    >>> with tempfile.TemporaryDirectory() as d:
    ...     with SQLiteStore(os.path.join(d, "g.sqlite")) as store:
    ...         report = store.write([Node("region:hainan", NodeKind.REGION, "海南省", "Hainan")], [])
    ...         dict(report.added), store.counts().nodes, store.schema_version
    ({'Region': 1}, {'Region': 1}, 2)
    """

    def __init__(self, path: str | Path, *, read_only: bool = False, adopt_empty: bool = False) -> None:
        self.path = Path(path)
        self.location = str(self.path)
        self._timeout = lock_timeout()
        state = file_state(self.path)
        if state.kind in ("empty", "blank") and not adopt_empty:
            what = "an empty file" if state.kind == "empty" else "an SQLite database with no tables"
            msg = (
                f"{self.location} is {what}, not a hainet store; it was left as it is "
                f"(give --adopt-empty to make it a store)"
            )
            raise StoreError(msg)
        if state.kind == "not-sqlite":
            msg = f"{self.location} is not a hainet store (not an SQLite file); it was left as it is"
            raise StoreError(msg)
        if state.kind == "foreign":
            msg = f"{self.location} is another program's SQLite database ({state.detail}); it was left as it is"
            raise StoreError(msg)
        if state.version > SCHEMA_VERSION:
            msg = (
                f"{self.location} is a store of schema version {state.version}, written by a newer hainet; "
                f"this one reads versions up to {SCHEMA_VERSION}"
            )
            raise StoreError(msg)
        writable = not read_only and _writable(self.path, exists=state.kind != "missing")
        #: Schema version of the data as stored; below :data:`SCHEMA_VERSION` only when read-only.
        self.schema_version = state.version if state.kind == "hainet" else SCHEMA_VERSION
        self.read_only = not writable
        if writable and state.kind == "missing":
            self._create()
            self._conn = self._connect(self.path, create=False)
        elif writable:
            self._conn = self._connect(self.path, create=False)
            if self.schema_version < SCHEMA_VERSION or state.kind != "hainet":
                self._set_up(from_version=self.schema_version if state.kind == "hainet" else 0)
        elif state.kind in ("missing", "empty", "blank"):
            # Nothing to read: an empty store in memory, and the file is left alone.
            self._conn = self._connect(":memory:", create=True)
            self._set_up(from_version=0)
        else:
            self._conn = self._connect(f"{self.path.resolve().as_uri()}?mode=ro", create=False)

    def _create(self) -> None:
        """Create the store file whole: built beside it, then linked into place.

        A half-made file never appears at the path, so a second process
        starting at the same moment finds either nothing or a whole store,
        never an empty file it would refuse.
        """
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            msg = f"cannot create the store {self.location}: {e.strerror or e}"
            raise StoreError(msg) from e
        draft = self.path.with_name(f".{self.path.name}.{os.getpid()}.new")
        try:
            self._conn = self._connect(draft, create=True)
            self._set_up(from_version=0)
            self._conn.close()
            try:
                os.link(draft, self.path)
            except FileExistsError:
                # Another process made it first: use theirs, if it is a store of this version.
                if file_state(self.path) != FileState("hainet", SCHEMA_VERSION):
                    msg = f"{self.location} appeared while the store was being created, and is not a hainet store"
                    raise StoreError(msg) from None
        except OSError as e:
            msg = f"cannot create the store {self.location}: {e.strerror or e}"
            raise StoreError(msg) from e
        finally:
            with contextlib.suppress(OSError):
                draft.unlink()

    def _connect(self, target: str | Path, *, create: bool) -> sqlite3.Connection:
        action = "create" if create else "open"
        try:
            if create and target != ":memory:":
                Path(target).parent.mkdir(parents=True, exist_ok=True)
            # isolation_level=None: transactions are begun and ended here, explicitly.
            conn = sqlite3.connect(
                target, isolation_level=None, timeout=self._timeout, uri=str(target).startswith("file:")
            )
        except OSError as e:
            msg = f"cannot {action} the store {self.location}: {e.strerror or e}"
            raise StoreError(msg) from e
        except sqlite3.Error as e:
            msg = f"cannot {action} the store {self.location}: {e}"
            raise StoreError(msg) from e
        with sqlite_errors(self.path, action):
            for pragma in _PRAGMAS:
                conn.execute(pragma)
        return conn

    def _set_up(self, *, from_version: int) -> None:
        """Create the tables of a new store, or migrate one of ``from_version``, in one transaction."""
        conn = self._conn
        # executescript() would commit first: the statements run one by one inside the transaction.
        with self._transaction("migrate" if from_version else "create"):
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            for version in range(max(from_version, 1), SCHEMA_VERSION):
                _MIGRATIONS[version](conn)
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        self.schema_version = SCHEMA_VERSION

    @contextlib.contextmanager
    def _transaction(self, action: str, *, write: bool = True, commit: bool = True) -> Iterator[None]:
        """Run the body in one transaction, committed (or rolled back if not ``commit``) at the end.

        Any error rolls it back; SQLite's errors become one :class:`StoreError` line.
        """
        conn = self._conn
        try:
            with sqlite_errors(self.path, action, waited=self._timeout):
                conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
                yield
                conn.execute("COMMIT" if commit else "ROLLBACK")
        except StoreError as e:
            _roll_back(conn)
            if isinstance(e.__cause__, sqlite3.IntegrityError):
                msg = f"nothing written to {self.location}: an edge names a node that does not exist ({e.__cause__})"
                raise StoreError(msg) from e.__cause__
            raise
        except BaseException:
            _roll_back(conn)
            raise

    def write(
        self,
        nodes: Iterable[Node],
        edges: Iterable[Edge],
        *,
        progress: Progress | None = None,
        dry_run: bool = False,
    ) -> WriteReport:
        """Upsert ``nodes`` and ``edges`` in one transaction; see :meth:`Store.write`.

        A dry run reads only: it works on a read-only store.

        Raises
        ------
        StoreError
            A relationship names a node that does not exist, a property has a
            reserved name, the store is read-only, locked by another writer
            for longer than ``HAINET_LOCK_TIMEOUT``, or the disk is full.
        """
        if self.read_only and not dry_run:
            msg = f"cannot write the store {self.location}: it is read-only (check the permissions of the file)"
            raise StoreError(msg)
        report = WriteReport()
        # A dry run writes nothing at all: what it would have written waits in `pending`.
        pending = _Pending() if dry_run else None
        with self._transaction("read" if dry_run else "write", write=not dry_run, commit=not dry_run):
            done = self._write_nodes(nodes, report, progress, pending)
            self._write_edges(edges, report, progress, done, pending)
        return report

    def _write_nodes(
        self, nodes: Iterable[Node], report: WriteReport, progress: Progress | None, pending: _Pending | None
    ) -> int:
        done = 0
        for batch in _batches(nodes):
            for node in batch:
                self._check_names(f"node {node.key}", node.props, node=True)
            marks = ",".join("?" * len(batch))
            sql = f"SELECT key, kind, name_zh, name_en, props FROM nodes WHERE key IN ({marks})"
            old = {
                row[0]: (*row[1:4], self._upgraded(row[4])) for row in self._conn.execute(sql, [n.key for n in batch])
            }
            if pending is not None:
                old.update((n.key, pending.nodes[n.key]) for n in batch if n.key in pending.nodes)
            rows = [(n.key, n.kind.value, n.name_zh, n.name_en, n.props_json()) for n in batch]
            for row in rows:
                _count(report, row[1], old.get(row[0]), row[1:])
            if pending is None:
                self._conn.executemany(_UPSERT_NODE, rows)
            else:
                pending.nodes.update((row[0], row[1:]) for row in rows)
            done += len(batch)
            if progress:
                progress(done, None)
        return done

    def _write_edges(
        self, edges: Iterable[Edge], report: WriteReport, progress: Progress | None, done: int, pending: _Pending | None
    ) -> None:
        for batch in _batches(edges):
            for edge in batch:
                self._check_names(f"relationship {' '.join(edge.triple)}", edge.props, node=False)
            if pending is not None:
                self._check_endpoints(batch, pending)
            values = ",".join(["(?,?,?)"] * len(batch))
            sql = f"SELECT source, type, target, props FROM edges WHERE (source, type, target) IN (VALUES {values})"
            found = self._conn.execute(sql, [v for e in batch for v in e.triple])
            old: dict[tuple[str, ...], tuple[str, ...]] = {row[:3]: (self._upgraded(row[3]),) for row in found}
            if pending is not None:
                old.update((e.triple, pending.edges[e.triple]) for e in batch if e.triple in pending.edges)
            rows = [(*e.triple, e.props_json()) for e in batch]
            for row in rows:
                _count(report, row[1], old.get(row[:3]), row[3:])
            if pending is None:
                self._conn.executemany(_UPSERT_EDGE, rows)
            else:
                pending.edges.update((row[:3], row[3:]) for row in rows)
            done += len(batch)
            if progress:
                progress(done, None)

    def _check_names(self, what: str, props: dict[str, Any], *, node: bool) -> None:
        name = reserved_property(props, node=node)
        if name is not None:
            msg = (
                f"nothing written to {self.location}: {what} has a property named {name!r}, "
                f"a name reserved for the structure of the graph; rename it"
            )
            raise StoreError(msg)

    def _check_endpoints(self, batch: list[Edge], pending: _Pending) -> None:
        """Refuse, as the foreign keys of a real write would, an edge whose endpoint is nowhere."""
        wanted = sorted({k for e in batch for k in (e.source, e.target)} - pending.nodes.keys())
        known: set[str] = set()
        for part in _batches_of(wanted):
            sql = f"SELECT key FROM nodes WHERE key IN ({','.join('?' * len(part))})"
            known.update(row[0] for row in self._conn.execute(sql, part))
        for edge in batch:
            for key in (edge.source, edge.target):
                if key not in known and key not in pending.nodes:
                    msg = (
                        f"nothing written to {self.location}: the relationship {' '.join(edge.triple)} "
                        f"names the node {key}, which does not exist"
                    )
                    raise StoreError(msg)

    def _upgraded(self, props: str) -> str:
        # Rows of an older schema, read from a store that is read-only, as this version would have them.
        return _v2_props(props) if self.schema_version < SCHEMA_VERSION else props

    def _props(self, props: str) -> dict[str, Any]:
        value: dict[str, Any] = json.loads(self._upgraded(props))
        return value

    def _all_props(self, texts: list[str]) -> list[dict[str, Any]]:
        if self.schema_version < SCHEMA_VERSION:
            texts = [_v2_props(text) for text in texts]
        return _decoded(texts)

    def iter_nodes(self, kind: NodeKind | None = None) -> Iterator[Node]:
        """Yield the nodes, of one kind if given, sorted by key."""
        sql = "SELECT key, kind, name_zh, name_en, props FROM nodes"
        args: tuple[str, ...] = ()
        if kind is not None:
            sql += " WHERE kind = ?"
            args = (NodeKind(kind).value,)
        with sqlite_errors(self.path, "read", waited=self._timeout):
            for key, kind_, zh, en, props in self._conn.execute(sql + " ORDER BY key", args):
                yield Node(key, NodeKind(kind_), zh, en, self._props(props))

    def iter_edges(self, rel_type: RelType | None = None) -> Iterator[Edge]:
        """Yield the edges, of one type if given, sorted by (source, type, target)."""
        sql = "SELECT source, type, target, props FROM edges"
        args: tuple[str, ...] = ()
        if rel_type is not None:
            sql += " WHERE type = ?"
            args = (RelType(rel_type).value,)
        with sqlite_errors(self.path, "read", waited=self._timeout):
            for source, type_, target, props in self._conn.execute(sql + " ORDER BY source, type, target", args):
                yield Edge(source, RelType(type_), target, self._props(props))

    def node_rows(self) -> list[tuple[str, dict[str, Any]]]:
        """Return ``(key, attributes)`` of every node, sorted by key; see :meth:`Store.node_rows`.

        One query, and the properties of all rows decoded as one JSON array.
        """
        with sqlite_errors(self.path, "read", waited=self._timeout):
            rows = self._conn.execute("SELECT key, kind, name_zh, name_en, props FROM nodes ORDER BY key").fetchall()
        props = self._all_props([row[4] for row in rows])
        return [
            (key, {"key": key, "kind": kind, "name_zh": zh, "name_en": en, **p})
            for (key, kind, zh, en, _), p in zip(rows, props, strict=True)
        ]

    def edge_rows(self) -> list[tuple[str, str, str, dict[str, Any]]]:
        """Return ``(source, target, type, attributes)`` of every edge, sorted; see :meth:`Store.edge_rows`.

        One query, and the properties of all rows decoded as one JSON array.
        """
        sql = "SELECT source, type, target, props FROM edges ORDER BY source, type, target"
        with sqlite_errors(self.path, "read", waited=self._timeout):
            rows = self._conn.execute(sql).fetchall()
        props = self._all_props([row[3] for row in rows])
        return [
            (source, target, rel, {"type": rel, **p}) for (source, rel, target, _), p in zip(rows, props, strict=True)
        ]

    def counts(self) -> Counts:
        """Return the number of nodes per kind and edges per type."""
        with sqlite_errors(self.path, "read", waited=self._timeout):
            nodes = dict(self._conn.execute("SELECT kind, count(*) FROM nodes GROUP BY kind ORDER BY kind"))
            edges = dict(self._conn.execute("SELECT type, count(*) FROM edges GROUP BY type ORDER BY type"))
        return Counts(nodes=nodes, edges=edges)

    def clear(self) -> None:
        """Remove every node and edge, in one transaction."""
        if self.read_only:
            msg = f"cannot clear the store {self.location}: it is read-only (check the permissions of the file)"
            raise StoreError(msg)
        with self._transaction("clear"):
            self._conn.execute("DELETE FROM edges")
            self._conn.execute("DELETE FROM nodes")

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()


def _decoded(texts: list[str]) -> list[dict[str, Any]]:
    """Return the property dicts of ``texts``; equal texts of plain values share one dict.

    Each distinct text is parsed once, all of them as one JSON array (half
    the cost of a :func:`json.loads` per row).  Many relationships carry the
    same properties (one basis for a whole batch): on the 1M-relationship
    synthetic store this takes 0.1 s against 1.1 s.  Callers copy every dict
    they are given into the row they return, so only dicts whose values are
    all scalars are shared; a list inside one would be shared by the copies,
    so such a text is parsed again for each of its rows.
    """
    distinct = dict.fromkeys(texts)
    parsed: list[dict[str, Any]] = json.loads("[" + ",".join(distinct) + "]")
    shared = {
        text: value
        for text, value in zip(distinct, parsed, strict=True)
        if not any(isinstance(item, list | dict) for item in value.values())
    }
    get, loads = shared.get, json.loads
    return [value if (value := get(text)) is not None else loads(text) for text in texts]


class _Pending:
    """What a dry run would have written so far, as stored rows: the store itself is left alone."""

    def __init__(self) -> None:
        self.nodes: dict[str, tuple[str, ...]] = {}
        self.edges: dict[tuple[str, str, str], tuple[str, ...]] = {}


def _writable(path: Path, *, exists: bool) -> bool:
    """Tell whether a store at ``path`` can be written: the file, and its folder for SQLite's journal."""
    if not exists:
        return True
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK)


def _roll_back(conn: sqlite3.Connection) -> None:
    if conn.in_transaction:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")


def _v2_props(props: str) -> str:
    """Return version-1 props JSON in version 2: the provenance ``source`` is called ``document``."""
    value = json.loads(props)
    if "source" not in value:
        return props
    document = value.pop("source")
    if value.get("document", document) != document:
        msg = f"cannot migrate props {props}: both 'source' and 'document' are set, to different values"
        raise StoreError(msg)
    value["document"] = document
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _migrate_1_to_2(conn: sqlite3.Connection) -> None:
    """Rename the provenance property ``source`` to ``document`` in every node and edge."""
    for table in ("nodes", "edges"):
        rows = conn.execute(f"SELECT rowid, props FROM {table} WHERE json_type(props, '$.source') IS NOT NULL")
        updates = [(_v2_props(props), rowid) for rowid, props in rows.fetchall()]
        conn.executemany(f"UPDATE {table} SET props = ? WHERE rowid = ?", updates)


#: Migration from each schema version to the next, run in order in one transaction.
_MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _migrate_1_to_2}


def _count(report: WriteReport, name: str, old: tuple[str, ...] | None, new: tuple[str, ...]) -> None:
    if old is None:
        report.added[name] += 1
    elif old != new:
        report.updated[name] += 1
    else:
        report.unchanged[name] += 1


def _batches_of(keys: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(keys), _BATCH):
        yield keys[start : start + _BATCH]


def _batches(records: Iterable[_R]) -> Iterator[list[_R]]:
    batch: list[_R] = []
    for record in records:
        batch.append(record)
        if len(batch) == _BATCH:
            yield batch
            batch = []
    if batch:
        yield batch
