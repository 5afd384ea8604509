"""The Neo4j store: the graph on a Neo4j server, through the official driver.

Writes are batches of ``UNWIND $rows ... MERGE`` run in managed write
transactions (``execute_write`` retries transient errors such as
deadlocks).  Every batch is idempotent, so a load is *idempotent rather
than atomic*: a load stopped half-way leaves the batches it finished, and
running it again ends in exactly the right graph, with no duplicates.

A batch holds the records of one node kind, or of one relationship type
between two node kinds, sent as lists (not maps) with their distinct
property maps sent once per batch (see :mod:`graph.neo4j_batches`).  Two
background threads send the batches while the caller's thread builds the
next ones from the input stream, so the server never waits for Python and
a load of any size holds only a few batches in memory.  Batches are split
by a hash of their nodes' keys, and two batches that may lock the same node
never run at once, so the load's own transactions seldom wait for each
other; the rare deadlock left (on relationships two nodes' chains share) is
retried.  ``benchmarks/bench_neo4j_load.py`` measures it against
``LOAD CSV`` run inside the server.

Labels and relationship types are written into Cypher only from the schema
enums; every value travels as a parameter.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator, Mapping
from operator import itemgetter
from typing import Any

import neo4j
from neo4j import GraphDatabase
from neo4j.exceptions import AuthError, DriverError, Neo4jError, ServiceUnavailable, SessionExpired

from graph.errors import StoreError, StoreUnavailableError
from graph.neo4j_batches import Batch, Pipeline, part_of_key
from graph.neo4j_meta import open_schema
from graph.schema import Edge, Node, NodeKind, RelType
from graph.settings import neo4j_settings
from graph.store import Counts, Progress, Store, WriteReport

__all__ = ["Neo4jStore", "kind_of_key"]

#: Rows sent in one write transaction.
BATCH_SIZE = 10_000

_KINDS_BY_PREFIX = {kind.prefix: kind for kind in NodeKind}

#: Threads sending batches; batches that may lock the same nodes never run at once (see graph.neo4j_batches).
SENDERS = 2

# Templates filled only with enum values (a label or a relationship type).
_CONSTRAINT = "CREATE CONSTRAINT hainet_{name}_key IF NOT EXISTS FOR (n:{label}) REQUIRE n.key IS UNIQUE"

# A row of nodes is [key, index into $props, name_zh, name_en]; a row of relationships is
# [index into $sources, index into $targets, index into $props].  Rows of one batch share their distinct
# property maps through $props, which keeps the parameters small and cheap to pack.
# A MERGE that creates marks the record with _hainet_new, so that the report can tell
# added from updated; `SET x = props` replaces every property, the mark included, in the
# same transaction, so the mark is never stored.
_WRITE_NODES = """
UNWIND $rows AS row
WITH row, $props[row[1]] AS shared
WITH row, shared {{.*, key: row[0], name_zh: row[2], name_en: row[3]}} AS props
MERGE (n:{label} {{key: row[0]}})
  ON CREATE SET n._hainet_new = true
WITH n, props, properties(n) AS before
SET n = props
RETURN count(before._hainet_new) AS added,
       count(CASE WHEN before = props THEN 1 END) AS unchanged,
       count(*) AS rows
"""

_DRY_NODES = """
UNWIND $rows AS row
WITH row, $props[row[1]] AS shared
WITH row, shared {{.*, key: row[0], name_zh: row[2], name_en: row[3]}} AS props
OPTIONAL MATCH (old:{label} {{key: row[0]}})
WITH props, properties(old) AS before
RETURN count(CASE WHEN before IS NULL THEN 1 END) AS added,
       count(CASE WHEN before = props THEN 1 END) AS unchanged,
       count(*) AS rows
"""

# Each distinct endpoint of a relationship batch is looked up once, not once per row:
# $sources and $targets hold the distinct keys, and a row holds their positions.
# collect([n]) keeps a position for a key that matches no node (a null inside a list).
_WRITE_EDGES = """
UNWIND $sources AS key
OPTIONAL MATCH (a:{source} {{key: key}})
WITH collect([a]) AS starts
UNWIND $targets AS key
OPTIONAL MATCH (b:{target} {{key: key}})
WITH starts, collect([b]) AS ends
UNWIND $rows AS row
WITH starts[row[0]][0] AS a, ends[row[1]][0] AS b, $props[row[2]] AS props
WHERE a IS NOT NULL AND b IS NOT NULL
MERGE (a)-[e:{type}]->(b)
  ON CREATE SET e._hainet_new = true
WITH e, props, properties(e) AS before
SET e = props
RETURN count(before._hainet_new) AS added,
       count(CASE WHEN before = props THEN 1 END) AS unchanged,
       count(*) AS rows
"""

_DRY_EDGES = """
UNWIND $rows AS row
WITH $sources[row[0]] AS source, $targets[row[1]] AS target, $props[row[2]] AS props
OPTIONAL MATCH (:{source} {{key: source}})-[old:{type}]->(:{target} {{key: target}})
WITH props, properties(old) AS before
RETURN count(CASE WHEN before IS NULL THEN 1 END) AS added,
       count(CASE WHEN before = props THEN 1 END) AS unchanged,
       count(*) AS rows
"""

_READ_NODES = "MATCH (n:{label}) RETURN properties(n) AS props ORDER BY n.key"
_READ_EDGES = (
    "MATCH (a)-[e:{type}]->(b) RETURN a.key AS source, b.key AS target, properties(e) AS props ORDER BY source, target"
)
# The whole graph in two queries, as columns; the label of a node is the one of the schema's kinds it has.
# Rows are sorted in Python, by code point as the embedded store sorts (Neo4j orders strings by UTF-16 unit),
# and properties by name, as the embedded store keeps them (a Neo4j map has no order).
_ALL_NODES = """
MATCH (n) WHERE any(label IN labels(n) WHERE label IN $kinds)
RETURN n.key AS key, [label IN labels(n) WHERE label IN $kinds][0] AS kind, properties(n) AS props
"""
_ALL_EDGES = """
MATCH (a)-[e]->(b) WHERE type(e) IN $types
RETURN a.key AS source, b.key AS target, type(e) AS type, properties(e) AS props
"""
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
    senders
        Threads sending write transactions at once; batches that may lock
        the same nodes never run at the same time.
    read_only
        Neither migrate nor write; a dry run still works.

    Opening marks the database with hainet's schema version (see
    :mod:`graph.neo4j_meta`) and migrates data of an older version.
    """

    def __init__(
        self,
        uri: str | None = None,
        *,
        batch_size: int = BATCH_SIZE,
        senders: int = SENDERS,
        read_only: bool = False,
    ) -> None:
        self.settings = neo4j_settings(uri)
        self.read_only = read_only
        self.batch_size = batch_size
        self.senders = senders
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
        try:
            with self._errors(), self._session() as session:
                #: Schema version of the database, after any migration.
                self.schema_version = open_schema(session, self.location, read_only=read_only)
        except BaseException:
            self._close_quietly()
            raise

    def reconnect(self) -> None:
        """Drop the driver's connections and connect again, as after the server restarted."""
        self._driver.close()
        self._driver = GraphDatabase.driver(
            self.settings.uri,
            auth=(self.settings.username, self.settings.password),
            notifications_min_severity="OFF",
        )
        with self._errors():
            self._driver.verify_connectivity()
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

        Records are gathered per node kind and per (type, source kind, target
        kind) into batches of ``batch_size`` rows; each batch is its own
        idempotent transaction, sent by background threads while the next
        batches are built.  Rerunning a load that stopped part-way ends in
        exactly the right graph.  Records are streamed: besides one growing
        batch per group, at most a few batches wait to be sent.

        Raises
        ------
        StoreUnavailableError
            The server cannot be reached, or went away during the write.
        StoreError
            A relationship names a node that is not stored, a property holds
            a value Neo4j cannot keep, or the server refused a batch.
        """
        if self.read_only and not dry_run:
            msg = f"cannot write Neo4j at {self.location}: the store was opened read-only"
            raise StoreError(msg)
        if not dry_run:
            self.ensure_constraints()
        report = WriteReport()
        with self._errors():
            # Every node is stored before the first relationship is sent to match it.
            done = self._write_nodes(nodes, report, progress, dry_run)
            self._write_edges(edges, report, progress, dry_run, done)
        return report

    def _write_nodes(self, nodes: Iterable[Node], report: WriteReport, progress: Progress | None, dry_run: bool) -> int:
        with self._pipeline(report, progress) as pipeline:
            pending: dict[tuple[NodeKind, int], Batch] = {}
            for node in nodes:
                group = (node.kind, part_of_key(node.key))
                batch = pending.get(group)
                if batch is None:
                    name = NodeKind(node.kind).value
                    query = (_DRY_NODES if dry_run else _WRITE_NODES).format(label=name)
                    batch = pending[group] = Batch(
                        name, query, frozenset([(name, group[1])]), writes=not dry_run, check_endpoints=False
                    )
                batch.add_node(node)
                if len(batch.rows) >= self.batch_size:
                    pipeline.send(pending.pop(group))
            for batch in pending.values():
                pipeline.send(batch)
            pipeline.wait()
        return pipeline.done

    def _write_edges(
        self, edges: Iterable[Edge], report: WriteReport, progress: Progress | None, dry_run: bool, done: int
    ) -> None:
        # A relationship's transaction locks both its endpoints; batches are split by the parts of
        # their endpoints, so that batches locking different nodes can run at once.
        with self._pipeline(report, progress, done=done) as pipeline:
            pending: dict[tuple[str, str, str, int, int], Batch] = {}
            for edge in edges:
                # The key prefixes name the group; they are checked once, when the group is new.
                source, target = edge.source, edge.target
                group = (
                    edge.type,
                    source.partition(":")[0],
                    target.partition(":")[0],
                    part_of_key(source),
                    part_of_key(target),
                )
                batch = pending.get(group)
                if batch is None:
                    rel, start, end = _edge_group(edge)
                    query = (_DRY_EDGES if dry_run else _WRITE_EDGES).format(type=rel, source=start, target=end)
                    locks = frozenset([(start, group[3]), (end, group[4])])
                    batch = pending[group] = Batch(rel, query, locks, writes=not dry_run, check_endpoints=not dry_run)
                batch.add_edge(edge)
                if len(batch.rows) >= self.batch_size:
                    pipeline.send(pending.pop(group))
            for batch in pending.values():
                pipeline.send(batch)
            pipeline.wait()

    def _pipeline(self, report: WriteReport, progress: Progress | None, *, done: int = 0) -> Pipeline:
        return Pipeline(self._send, self.location, report, progress, senders=self.senders, done=done)

    def _send(self, batch: Batch) -> dict[str, int]:
        """Run one batch in its own managed transaction; return its counts."""

        def work(tx: neo4j.ManagedTransaction) -> dict[str, int]:
            record = tx.run(batch.query, batch.parameters()).single(strict=True)
            return {"added": record["added"], "unchanged": record["unchanged"], "rows": record["rows"]}

        with self._session() as session:
            if batch.writes:
                return session.execute_write(work)
            return session.execute_read(work)

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

    def node_rows(self) -> list[tuple[str, dict[str, Any]]]:
        """Return ``(key, attributes)`` of every node, sorted by key, in one query; see :meth:`Store.node_rows`."""
        with self._errors(), self._session() as session:
            rows = session.run(_ALL_NODES, {"kinds": [kind.value for kind in NodeKind]}).values()
        rows.sort(key=itemgetter(0))
        found = []
        for key, kind, props in rows:
            zh, en = props.pop("name_zh", ""), props.pop("name_en", "")
            del props["key"]
            found.append((key, {"key": key, "kind": kind, "name_zh": zh, "name_en": en, **dict(sorted(props.items()))}))
        return found

    def edge_rows(self) -> list[tuple[str, str, str, dict[str, Any]]]:
        """Return ``(source, target, type, attributes)`` of every edge, in one query; see :meth:`Store.edge_rows`."""
        with self._errors(), self._session() as session:
            rows = session.run(_ALL_EDGES, {"types": [rel.value for rel in RelType]}).values()
        rows.sort(key=itemgetter(0, 2, 1))
        return [
            (source, target, rel, {"type": rel, **dict(sorted(props.items()))}) for source, target, rel, props in rows
        ]

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
        """Remove every node of the schema's kinds, with their relationships; the meta node stays."""
        if self.read_only:
            msg = f"cannot clear Neo4j at {self.location}: the store was opened read-only"
            raise StoreError(msg)
        with self._errors(), self._session() as session:
            for kind in NodeKind:
                session.run(_CLEAR.format(label=kind.value)).consume()

    def run(self, cypher: str, parameters: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run a read query with ``parameters`` and return its rows as dicts (a :class:`~graph.runner.CypherRunner`)."""

        def work(tx: neo4j.ManagedTransaction) -> list[dict[str, Any]]:
            return tx.run(cypher, dict(parameters or {})).data()

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
        if isinstance(exc, UnicodeEncodeError):
            # Lone surrogates ("\ud800") are not Unicode text: Bolt sends UTF-8 only.
            bad = exc.object[exc.start : exc.end]
            msg = f"cannot send a text value to Neo4j at {self.location}: {exc.reason} ({bad!r})"
            raise StoreError(msg) from exc


def _first_line(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]


def _edge_group(edge: Edge) -> tuple[str, str, str]:
    return (edge.type.value, kind_of_key(edge.source).value, kind_of_key(edge.target).value)
