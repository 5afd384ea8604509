"""The embedded store: one SQLite file, every write one transaction.

A write that fails, or a process killed in the middle of one, leaves the
file as it was before the write: SQLite rolls the transaction back when
the file is next opened.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from graph.errors import StoreError
from graph.schema import Edge, Node, NodeKind, RelType
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


class SQLiteStore(Store):
    """The embedded store in the SQLite file at ``path``.

    Parameters
    ----------
    path
        The file; it and its folder are created on first use.

    Examples
    --------
    >>> import tempfile, os
    >>> from graph.schema import Node, NodeKind
    >>> with tempfile.TemporaryDirectory() as d:
    ...     with SQLiteStore(os.path.join(d, "g.sqlite")) as store:
    ...         report = store.write([Node("region:hainan", NodeKind.REGION, "海南省", "Hainan")], [])
    ...         dict(report.added), store.counts().nodes
    ({'Region': 1}, {'Region': 1})
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.location = str(self.path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # isolation_level=None: transactions are begun and ended here, explicitly.
            self._conn = sqlite3.connect(self.path, isolation_level=None)
            self._conn.execute("PRAGMA foreign_keys = ON")
            self._conn.execute("PRAGMA busy_timeout = 30000")
            self._conn.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as e:
            msg = f"cannot open the store {self.location}: {e}"
            raise StoreError(msg) from e

    def write(
        self,
        nodes: Iterable[Node],
        edges: Iterable[Edge],
        *,
        progress: Progress | None = None,
        dry_run: bool = False,
    ) -> WriteReport:
        """Upsert ``nodes`` and ``edges`` in one transaction; see :meth:`Store.write`."""
        report = WriteReport()
        conn = self._conn
        try:
            conn.execute("BEGIN IMMEDIATE")
            done = self._write_nodes(nodes, report, progress)
            self._write_edges(edges, report, progress, done)
            conn.execute("ROLLBACK" if dry_run else "COMMIT")
        except sqlite3.IntegrityError as e:
            conn.execute("ROLLBACK")
            msg = f"nothing written to {self.location}: an edge names a node that does not exist ({e})"
            raise StoreError(msg) from e
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        return report

    def _write_nodes(self, nodes: Iterable[Node], report: WriteReport, progress: Progress | None) -> int:
        done = 0
        for batch in _batches(nodes):
            marks = ",".join("?" * len(batch))
            sql = f"SELECT key, kind, name_zh, name_en, props FROM nodes WHERE key IN ({marks})"
            old = {row[0]: row[1:] for row in self._conn.execute(sql, [n.key for n in batch])}
            rows = [(n.key, n.kind.value, n.name_zh, n.name_en, n.props_json()) for n in batch]
            for row in rows:
                _count(report, row[1], old.get(row[0]), row[1:])
            self._conn.executemany(_UPSERT_NODE, rows)
            done += len(batch)
            if progress:
                progress(done, None)
        return done

    def _write_edges(self, edges: Iterable[Edge], report: WriteReport, progress: Progress | None, done: int) -> None:
        for batch in _batches(edges):
            values = ",".join(["(?,?,?)"] * len(batch))
            sql = f"SELECT source, type, target, props FROM edges WHERE (source, type, target) IN (VALUES {values})"
            old = {row[:3]: (row[3],) for row in self._conn.execute(sql, [v for e in batch for v in e.triple])}
            rows = [(*e.triple, e.props_json()) for e in batch]
            for row in rows:
                _count(report, row[1], old.get(row[:3]), row[3:])
            self._conn.executemany(_UPSERT_EDGE, rows)
            done += len(batch)
            if progress:
                progress(done, None)

    def iter_nodes(self, kind: NodeKind | None = None) -> Iterator[Node]:
        """Yield the nodes, of one kind if given, sorted by key."""
        sql = "SELECT key, kind, name_zh, name_en, props FROM nodes"
        args: tuple[str, ...] = ()
        if kind is not None:
            sql += " WHERE kind = ?"
            args = (NodeKind(kind).value,)
        for key, kind_, zh, en, props in self._conn.execute(sql + " ORDER BY key", args):
            yield Node(key, NodeKind(kind_), zh, en, json.loads(props))

    def iter_edges(self, rel_type: RelType | None = None) -> Iterator[Edge]:
        """Yield the edges, of one type if given, sorted by (source, type, target)."""
        sql = "SELECT source, type, target, props FROM edges"
        args: tuple[str, ...] = ()
        if rel_type is not None:
            sql += " WHERE type = ?"
            args = (RelType(rel_type).value,)
        for source, type_, target, props in self._conn.execute(sql + " ORDER BY source, type, target", args):
            yield Edge(source, RelType(type_), target, json.loads(props))

    def node_rows(self) -> list[tuple[str, dict[str, Any]]]:
        """Return ``(key, attributes)`` of every node, sorted by key; see :meth:`Store.node_rows`.

        One query, and the properties of all rows decoded as one JSON array.
        """
        rows = self._conn.execute("SELECT key, kind, name_zh, name_en, props FROM nodes ORDER BY key").fetchall()
        props = _decoded([row[4] for row in rows])
        return [
            (key, {"key": key, "kind": kind, "name_zh": zh, "name_en": en, **p})
            for (key, kind, zh, en, _), p in zip(rows, props, strict=True)
        ]

    def edge_rows(self) -> list[tuple[str, str, str, dict[str, Any]]]:
        """Return ``(source, target, type, attributes)`` of every edge, sorted; see :meth:`Store.edge_rows`.

        One query, and the properties of all rows decoded as one JSON array.
        """
        sql = "SELECT source, type, target, props FROM edges ORDER BY source, type, target"
        rows = self._conn.execute(sql).fetchall()
        props = _decoded([row[3] for row in rows])
        return [
            (source, target, rel, {"type": rel, **p}) for (source, rel, target, _), p in zip(rows, props, strict=True)
        ]

    def counts(self) -> Counts:
        """Return the number of nodes per kind and edges per type."""
        nodes = dict(self._conn.execute("SELECT kind, count(*) FROM nodes GROUP BY kind ORDER BY kind"))
        edges = dict(self._conn.execute("SELECT type, count(*) FROM edges GROUP BY type ORDER BY type"))
        return Counts(nodes=nodes, edges=edges)

    def clear(self) -> None:
        """Remove every node and edge, in one transaction."""
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            self._conn.execute("DELETE FROM edges")
            self._conn.execute("DELETE FROM nodes")
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()


def _decoded(texts: list[str]) -> list[dict[str, Any]]:
    # One parse of a JSON array costs half as much as a json.loads per row.
    decoded: list[dict[str, Any]] = json.loads("[" + ",".join(texts) + "]")
    return decoded


def _count(report: WriteReport, name: str, old: tuple[str, ...] | None, new: tuple[str, ...]) -> None:
    if old is None:
        report.added[name] += 1
    elif old != new:
        report.updated[name] += 1
    else:
        report.unchanged[name] += 1


def _batches(records: Iterable[_R]) -> Iterator[list[_R]]:
    batch: list[_R] = []
    for record in records:
        batch.append(record)
        if len(batch) == _BATCH:
            yield batch
            batch = []
    if batch:
        yield batch
