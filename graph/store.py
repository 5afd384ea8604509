"""The store interface, and the functions that read a whole graph from a store.

A :class:`Store` keeps :class:`~graph.schema.Node` and :class:`~graph.schema.Edge`
records.  Two backends implement it: :class:`graph.sqlite_store.SQLiteStore`,
embedded in one file (the default), and :class:`graph.neo4j_store.Neo4jStore`,
on a Neo4j server.  :func:`open_store` picks one from a location string.
"""

from __future__ import annotations

import gc
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

import networkx as nx

from graph.schema import Edge, Node, NodeKind, RelType
from graph.settings import is_neo4j_uri, store_location

__all__ = [
    "Counts",
    "Progress",
    "Store",
    "WriteReport",
    "collector_paused",
    "graph_from_rows",
    "graph_from_store",
    "open_store",
]

#: Called with (records written so far, records in all or None) during long work.
Progress = Callable[[int, "int | None"], None]


@dataclass
class Counts:
    """How many nodes of each kind and relationships of each type a store holds."""

    nodes: dict[str, int] = field(default_factory=dict)
    edges: dict[str, int] = field(default_factory=dict)

    @property
    def total_nodes(self) -> int:
        """Return the number of nodes."""
        return sum(self.nodes.values())

    @property
    def total_edges(self) -> int:
        """Return the number of relationships."""
        return sum(self.edges.values())


@dataclass
class WriteReport:
    """What one write did, per node kind and relationship type.

    Each counter maps a kind or type to a number of records.
    """

    added: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        """Tell whether the write added or updated anything."""
        return bool(+self.added) or bool(+self.updated)

    def merge(self, other: WriteReport) -> None:
        """Add the counts of ``other`` to this report."""
        self.added.update(other.added)
        self.updated.update(other.updated)
        self.unchanged.update(other.unchanged)

    def rows(self) -> list[tuple[str, int, int, int]]:
        """Return ``(kind or type, added, updated, unchanged)`` rows, sorted."""
        names = sorted(set(self.added) | set(self.updated) | set(self.unchanged))
        return [(n, self.added[n], self.updated[n], self.unchanged[n]) for n in names]


class Store(ABC):
    """A place that keeps the graph.

    Writes are upserts keyed by node key and by ``(source, type, target)``:
    a record's properties replace the stored ones, so writing the same
    records twice changes nothing.
    """

    #: Where the store is, as shown to users (never holds a password).
    location: str

    @abstractmethod
    def write(
        self,
        nodes: Iterable[Node],
        edges: Iterable[Edge],
        *,
        progress: Progress | None = None,
        dry_run: bool = False,
    ) -> WriteReport:
        """Upsert ``nodes`` then ``edges``; every edge endpoint must exist afterwards.

        With ``dry_run`` the report says what the write would do, and nothing
        is written.
        """

    @abstractmethod
    def iter_nodes(self, kind: NodeKind | None = None) -> Iterator[Node]:
        """Yield the nodes, of one kind if given, sorted by key."""

    @abstractmethod
    def iter_edges(self, rel_type: RelType | None = None) -> Iterator[Edge]:
        """Yield the edges, of one type if given, sorted by (source, type, target)."""

    def node_rows(self) -> list[tuple[str, dict[str, Any]]]:
        """Return ``(key, attributes)`` of every node, sorted by key.

        The attributes are those :func:`graph_from_store` gives a node:
        ``key``, ``kind`` (its label), ``name_zh``, ``name_en``, then the
        properties.  Backends override this to read all nodes at once.
        """
        return [(node.key, node.properties()) for node in self.iter_nodes()]

    def edge_rows(self) -> list[tuple[str, str, str, dict[str, Any]]]:
        """Return ``(source, target, type, attributes)`` of every edge, sorted by (source, type, target).

        The attributes are ``type`` then the properties.  Backends override
        this to read all edges at once.
        """
        return [(e.source, e.target, e.type.value, {"type": e.type.value, **e.props}) for e in self.iter_edges()]

    @abstractmethod
    def counts(self) -> Counts:
        """Return the number of nodes per kind and edges per type."""

    @abstractmethod
    def clear(self) -> None:
        """Remove every node and edge."""

    def close(self) -> None:  # noqa: B027 - optional hook, most stores need it
        """Release the store's connection."""

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def open_store(location: str | None = None, *, read_only: bool = False, adopt_empty: bool = False) -> Store:
    """Open the store at ``location``, else ``HAINET_STORE``, else the default file.

    A ``neo4j://`` or ``bolt://`` URI opens a :class:`graph.neo4j_store.Neo4jStore`
    with credentials from the ``NEO4J_*`` variables; anything else is a path to
    an embedded store, created on first use.  An existing file is opened only
    if it is a hainet store (an empty one only with ``adopt_empty``); a store
    of an older schema version is migrated as it is opened, unless
    ``read_only``.  A read-only store can be read and dry-run, not written.

    Examples
    --------
    >>> import tempfile, os
    >>> with tempfile.TemporaryDirectory() as d:
    ...     with open_store(os.path.join(d, "g.sqlite")) as store:
    ...         store.counts().total_nodes
    0
    """
    where = store_location(location)
    if is_neo4j_uri(where):
        from graph.neo4j_store import Neo4jStore

        store: Store = Neo4jStore(where, read_only=read_only)
        return store
    from graph.sqlite_store import SQLiteStore

    return SQLiteStore(where, read_only=read_only, adopt_empty=adopt_empty)


def graph_from_store(store: Store) -> nx.MultiDiGraph:
    """Return the whole graph of ``store`` as a networkx MultiDiGraph.

    Nodes are keyed by node key and carry every property (``kind`` as its
    label string).  Edges are keyed by relationship type and carry ``type``
    and their properties.  Nodes are added in key order, edges in
    (source, type, target) order.

    Examples
    --------
    >>> import tempfile, os
    >>> from graph.schema import Edge, Node, NodeKind, RelType
    >>> with tempfile.TemporaryDirectory() as d, open_store(os.path.join(d, "g.sqlite")) as store:
    ...     _ = store.write([Node("region:hainan", NodeKind.REGION, "海南省", "Hainan"),
    ...                      Node("park:boao", NodeKind.PARK, "博鳌", "Boao")],
    ...                     [Edge("park:boao", RelType.LOCATED_IN, "region:hainan", {"basis": "map"})])
    ...     G = graph_from_store(store)
    >>> G.nodes["park:boao"]["kind"], G.edges["park:boao", "region:hainan", "LOCATED_IN"]
    ('Park', {'type': 'LOCATED_IN', 'basis': 'map'})
    """
    with collector_paused():
        return graph_from_rows(store.node_rows(), store.edge_rows())


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a whole graph is read or analysed.

    Reading a graph and answering questions on it allocate millions of
    small containers (adjacency dicts, sets, row tuples) that form no
    reference cycles; the collector walks them again and again as they
    pile up, for nothing.  Measured on the 1M-relationship synthetic graph
    (``benchmarks/bench_analysis.py --collector on`` then ``paused``, back
    to back, CPU seconds): reading 13.7 s with the collector on against
    8.5 s paused, the eight questions 73.7 s against 54.8 s, 38 % more in
    all, far above the 5 % that would make it worth leaving on.  Python
    has no collector setting local to some code, so the pause is scoped to
    the reading or the question instead.  It is switched back on at the end
    only if it was on at the start, so nested uses are safe.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def graph_from_rows(
    nodes: Iterable[tuple[str, dict[str, Any]]], edges: Iterable[tuple[str, str, str, dict[str, Any]]]
) -> nx.MultiDiGraph:
    """Return the MultiDiGraph of rows as :meth:`Store.node_rows` and :meth:`Store.edge_rows` give them.

    The attribute dicts become the graph's own (they are not copied).  The
    graph is filled through networkx's documented adjacency dicts rather
    than ``add_edges_from``, which copies every attribute dict and checks
    every key: a third of the time at a million relationships.  An edge
    whose endpoint is not among ``nodes`` adds that node, bare, as
    ``add_edge`` would.
    """
    G = nx.MultiDiGraph()
    node, succ = G._node, G._succ
    pred: dict[str, dict[str, Any]] = G._pred
    for key, attrs in nodes:
        node[key] = attrs
        succ[key] = {}
        pred[key] = {}
    last: str | None = None
    out: dict[str, Any] = {}
    for source, target, rel, attrs in edges:
        if source != last:  # rows come sorted by source: look each one up once
            found = succ.get(source)
            out = _bare_node(G, source) if found is None else found
            last = source
        keyed = out.get(target)
        if keyed is None:
            into = pred.get(target)
            if into is None:
                _bare_node(G, target)
                into = pred[target]
            keyed = out[target] = into[source] = {}
        keyed[rel] = attrs
    return G


def _bare_node(G: nx.MultiDiGraph, key: str) -> dict[str, Any]:
    G._node[key] = {}
    G._pred[key] = {}
    out: dict[str, Any] = {}
    G._succ[key] = out
    return out
