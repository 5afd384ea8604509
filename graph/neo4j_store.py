"""The Neo4j store: the graph on a Neo4j server, through the official driver.

Writes are batches of ``UNWIND $rows ... MERGE`` run in managed write
transactions (``execute_write`` retries transient errors).  Every batch is
idempotent, so a load is *idempotent rather than atomic*: a load stopped
half-way leaves the batches it finished, and running it again ends in
exactly the right graph, with no duplicates.

Labels and relationship types are written into Cypher only from the schema
enums; every value travels as a parameter.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
from itertools import groupby
from typing import Any, TypeVar

import neo4j
from neo4j import GraphDatabase
from neo4j.exceptions import AuthError, DriverError, Neo4jError, ServiceUnavailable, SessionExpired

from graph.errors import StoreError, StoreUnavailableError
from graph.schema import Edge, Node, NodeKind, RelType
from graph.settings import neo4j_settings
from graph.store import Counts, Progress, Store, WriteReport

__all__ = ["Neo4jStore", "kind_of_key"]

#: Rows sent in one write transaction.
BATCH_SIZE = 10_000

_KINDS_BY_PREFIX = {kind.prefix: kind for kind in NodeKind}

_R = TypeVar("_R", Node, Edge)

# Templates filled only with enum values (a label or a relationship type).
_CONSTRAINT = "CREATE CONSTRAINT hainet_{name}_key IF NOT EXISTS FOR (n:{label}) REQUIRE n.key IS UNIQUE"

_WRITE_NODES = """
UNWIND $rows AS row
OPTIONAL MATCH (old:{label} {{key: row.key}})
WITH row, properties(old) AS before
MERGE (n:{label} {{key: row.key}})
SET n = row.props
RETURN count(before) AS existing,
       count(CASE WHEN before IS NULL OR before <> row.props THEN null ELSE 1 END) AS unchanged,
       count(*) AS rows
"""

_DRY_NODES = """
UNWIND $rows AS row
OPTIONAL MATCH (old:{label} {{key: row.key}})
WITH row, properties(old) AS before
RETURN count(before) AS existing,
       count(CASE WHEN before IS NULL OR before <> row.props THEN null ELSE 1 END) AS unchanged,
       count(*) AS rows
"""

_WRITE_EDGES = """
UNWIND $rows AS row
MATCH (a:{source} {{key: row.source}})
MATCH (b:{target} {{key: row.target}})
OPTIONAL MATCH (a)-[old:{type}]->(b)
WITH a, b, row, properties(old) AS before
MERGE (a)-[e:{type}]->(b)
SET e = row.props
RETURN count(before) AS existing,
       count(CASE WHEN before IS NULL OR before <> row.props THEN null ELSE 1 END) AS unchanged,
       count(*) AS rows
"""

_DRY_EDGES = """
UNWIND $rows AS row
OPTIONAL MATCH (:{source} {{key: row.source}})-[old:{type}]->(:{target} {{key: row.target}})
WITH row, properties(old) AS before
RETURN count(before) AS existing,
       count(CASE WHEN before IS NULL OR before <> row.props THEN null ELSE 1 END) AS unchanged,
       count(*) AS rows
"""

_READ_NODES = "MATCH (n:{label}) RETURN properties(n) AS props ORDER BY n.key"
_READ_EDGES = (
    "MATCH (a)-[e:{type}]->(b) RETURN a.key AS source, b.key AS target, properties(e) AS props "
    "ORDER BY source, target"
)
_COUNT_NODES = "MATCH (n:{label}) RETURN count(n) AS n"
_COUNT_EDGES = "MATCH ()-[e:{type}]->() RETURN count(e) AS n"
_CLEAR = "MATCH (n:{label}) CALL (n) {{ DETACH DELETE n }} IN TRANSACTIONS OF 10000 ROWS"


def kind_of_key(key: str) -> NodeKind:
    """Return the node kind that a key's prefix names.

    Examples
    --------
    >>> kind_of_key("park:zhangjiang").value
    'Park'
    """
    kind = _KINDS_BY_PREFIX.get(key.partition(":")[0])
    if kind is None:
        msg = f"node key {key!r} does not start with a node kind's prefix"
        raise StoreError(msg)
    return kind


class Neo4jStore(Store):
    """The graph on the Neo4j server at ``uri``.

    Credentials and database come from ``NEO4J_USERNAME``, ``NEO4J_PASSWORD``
    and ``NEO4J_DATABASE`` (see :mod:`graph.settings`).

    Parameters
    ----------
    uri
        ``neo4j://``, ``bolt://`` or their ``+s``/``+ssc`` forms; default ``NEO4J_URI``.
    batch_size
        Rows per write transaction.
    """

    def __init__(self, uri: str | None = None, *, batch_size: int = BATCH_SIZE) -> None:
        self.settings = neo4j_settings(uri)
        self.batch_size = batch_size
        database = f" (database {self.settings.database})" if self.settings.database else ""
        self.location = self.settings.uri + database
        try:
            self._driver = GraphDatabase.driver(
                self.settings.uri,
                auth=(self.settings.username, self.settings.password),
                # Warnings such as "relationship type does not exist" on an empty
                # database are noise for hainet's fixed queries.
                notifications_min_severity="OFF",
            )
            self._driver.verify_connectivity()
        except AuthError as e:
            self._close_quietly()
            msg = f"Neo4j at {self.settings.uri} refused the credentials of user {self.settings.username!r}"
            raise StoreUnavailableError(msg) from e
        except (ServiceUnavailable, SessionExpired, OSError) as e:
            self._close_quietly()
            msg = f"cannot reach Neo4j at {self.settings.uri}: is the server running? ({_first_line(e)})"
            raise StoreUnavailableError(msg) from e
        except (DriverError, Neo4jError, ValueError) as e:
            self._close_quietly()
            msg = f"cannot open Neo4j at {self.settings.uri}: {_first_line(e)}"
            raise StoreError(msg) from e
        self._constraints_made = False

    def _close_quietly(self) -> None:
        driver = getattr(self, "_driver", None)
        if driver is not None:
            driver.close()

    def _session(self) -> neo4j.Session:
        return self._driver.session(database=self.settings.database)

    def ensure_constraints(self) -> None:
        """Create a uniqueness constraint on ``key`` for every node kind, if missing."""
        if self._constraints_made:
            return
        with self._errors(), self._session() as session:
            for kind in NodeKind:
                session.run(_CONSTRAINT.format(name=kind.prefix, label=kind.value)).consume()
        self._constraints_made = True

    def write(
        self,
        nodes: Iterable[Node],
        edges: Iterable[Edge],
        *,
        progress: Progress | None = None,
        dry_run: bool = False,
    ) -> WriteReport:
        """Upsert ``nodes`` then ``edges`` in batches; see :meth:`Store.write`.

        Each batch is its own idempotent transaction; rerunning a load that
        stopped part-way ends in exactly the right graph.
        """
        if not dry_run:
            self.ensure_constraints()
        report = WriteReport()
        with self._errors(), self._session() as session:
            done = self._write_nodes(session, nodes, report, progress, dry_run)
            self._write_edges(session, edges, report, progress, dry_run, done)
        return report

    def _write_nodes(
        self,
        session: neo4j.Session,
        nodes: Iterable[Node],
        report: WriteReport,
        progress: Progress | None,
        dry_run: bool,
    ) -> int:
        done = 0
        for batch in _batches(nodes, self.batch_size):
            for kind, group in groupby(sorted(batch, key=lambda n: n.kind.value), key=lambda n: n.kind):
                rows = [{"key": n.key, "props": _node_props(n)} for n in group]
                query = (_DRY_NODES if dry_run else _WRITE_NODES).format(label=kind.value)
                _tally(report, kind.value, self._write_rows(session, query, rows, dry_run))
            done += len(batch)
            if progress:
                progress(done, None)
        return done

    def _write_edges(
        self,
        session: neo4j.Session,
        edges: Iterable[Edge],
        report: WriteReport,
        progress: Progress | None,
        dry_run: bool,
        done: int,
    ) -> None:
        for batch in _batches(edges, self.batch_size):
            for (rel, source, target), group in groupby(sorted(batch, key=_edge_group), key=_edge_group):
                rows = [{"source": e.source, "target": e.target, "props": _check_props(e.props)} for e in group]
                query = (_DRY_EDGES if dry_run else _WRITE_EDGES).format(type=rel, source=source, target=target)
                counts = self._write_rows(session, query, rows, dry_run)
                if counts["rows"] != len(rows) and not dry_run:
                    msg = (f"{len(rows) - counts['rows']} {rel} relationships name a node that does "
                           f"not exist in {self.location}")
                    raise StoreError(msg)
                _tally(report, rel, counts)
            done += len(batch)
            if progress:
                progress(done, None)

    @staticmethod
    def _write_rows(session: neo4j.Session, query: str, rows: list[dict[str, Any]], dry_run: bool) -> dict[str, int]:
        def work(tx: neo4j.ManagedTransaction) -> dict[str, int]:
            record = tx.run(query, rows=rows).single(strict=True)
            return {"existing": record["existing"], "unchanged": record["unchanged"], "rows": record["rows"]}

        if dry_run:
            return session.execute_read(work)
        return session.execute_write(work)

    def iter_nodes(self, kind: NodeKind | None = None) -> Iterator[Node]:
        """Yield the nodes, of one kind if given, sorted by key."""
        kinds = [NodeKind(kind)] if kind is not None else list(NodeKind)
        streams = [self._stream_nodes(k) for k in kinds]
        yield from heapq.merge(*streams, key=lambda n: n.key)

    def _stream_nodes(self, kind: NodeKind) -> Iterator[Node]:
        with self._errors(), self._session() as session:
            for record in session.run(_READ_NODES.format(label=kind.value)):
                props = dict(record["props"])
                key = props.pop("key")
                zh, en = props.pop("name_zh", ""), props.pop("name_en", "")
                yield Node(key, kind, zh, en, props)

    def iter_edges(self, rel_type: RelType | None = None) -> Iterator[Edge]:
        """Yield the edges, of one type if given, sorted by (source, type, target)."""
        types = [RelType(rel_type)] if rel_type is not None else list(RelType)
        streams = [self._stream_edges(t) for t in types]
        yield from heapq.merge(*streams, key=lambda e: e.triple)

    def _stream_edges(self, rel: RelType) -> Iterator[Edge]:
        with self._errors(), self._session() as session:
            for record in session.run(_READ_EDGES.format(type=rel.value)):
                yield Edge(record["source"], rel, record["target"], dict(record["props"]))

    def counts(self) -> Counts:
        """Return the number of nodes per kind and edges per type."""
        nodes: dict[str, int] = {}
        edges: dict[str, int] = {}
        with self._errors(), self._session() as session:
            for kind in NodeKind:
                n = session.run(_COUNT_NODES.format(label=kind.value)).single(strict=True)["n"]
                if n:
                    nodes[kind.value] = n
            for rel in RelType:
                n = session.run(_COUNT_EDGES.format(type=rel.value)).single(strict=True)["n"]
                if n:
                    edges[rel.value] = n
        return Counts(nodes=dict(sorted(nodes.items())), edges=dict(sorted(edges.items())))

    def clear(self) -> None:
        """Remove every node of the schema's kinds, with their relationships."""
        with self._errors(), self._session() as session:
            for kind in NodeKind:
                session.run(_CLEAR.format(label=kind.value)).consume()

    def run(self, cypher: str, parameters: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run a read query with ``parameters`` and return its rows as dicts."""

        def work(tx: neo4j.ManagedTransaction) -> list[dict[str, Any]]:
            return tx.run(cypher, parameters or {}).data()

        with self._errors(), self._session() as session:
            return session.execute_read(work)

    def close(self) -> None:
        """Close the driver."""
        self._driver.close()

    def _errors(self) -> _ErrorTranslator:
        return _ErrorTranslator(self.location)


class _ErrorTranslator:
    """Context manager turning driver errors into hainet's errors."""

    def __init__(self, location: str) -> None:
        self.location = location

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: object) -> None:
        if exc is None or isinstance(exc, StoreError):
            return
        if isinstance(exc, AuthError):
            msg = f"Neo4j at {self.location} refused the credentials"
            raise StoreUnavailableError(msg) from exc
        if isinstance(exc, ServiceUnavailable | SessionExpired):
            msg = f"lost the connection to Neo4j at {self.location} ({_first_line(exc)})"
            raise StoreUnavailableError(msg) from exc
        if isinstance(exc, Neo4jError | DriverError):
            msg = f"Neo4j at {self.location} failed: {_first_line(exc)}"
            raise StoreError(msg) from exc


def _first_line(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]


def _edge_group(edge: Edge) -> tuple[str, str, str]:
    return (edge.type.value, kind_of_key(edge.source).value, kind_of_key(edge.target).value)


def _node_props(node: Node) -> dict[str, Any]:
    props = _check_props(node.props)
    return {**props, "key": node.key, "name_zh": node.name_zh, "name_en": node.name_en}


def _check_props(props: dict[str, Any]) -> dict[str, Any]:
    for name, value in props.items():
        if not _storable(value):
            msg = f"property {name!r} holds {type(value).__name__}, which Neo4j cannot store"
            raise StoreError(msg)
    return props


def _storable(value: Any) -> bool:
    if isinstance(value, str | int | float | bool):
        return True
    if isinstance(value, list):
        return len({type(v) for v in value}) <= 1 and all(isinstance(v, str | int | float | bool) for v in value)
    return False


def _tally(report: WriteReport, name: str, counts: dict[str, int]) -> None:
    added = counts["rows"] - counts["existing"]
    if added:
        report.added[name] += added
    if counts["existing"] - counts["unchanged"]:
        report.updated[name] += counts["existing"] - counts["unchanged"]
    if counts["unchanged"]:
        report.unchanged[name] += counts["unchanged"]


def _batches(records: Iterable[_R], size: int) -> Iterator[list[_R]]:
    batch: list[_R] = []
    for record in records:
        batch.append(record)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
