"""The facts every question starts from, read from a graph in one pass.

:func:`facts_from_graph` walks the relationships of a graph once and keeps
what the questions need in plain dicts and sets: who partners which
cooperation, which units a cooperation serves, which fields it is in, the
industry hierarchy.  The questions then answer from these indexes instead
of scanning the graph once per need, which keeps them fast on
national-scale graphs.

The rules the questions share are written once here:

* a cooperation is *live* when its ``status`` is ``active`` or ``planned``
  (:data:`LIVE_STATUSES`), *idle* when it is ``stalled`` or ``ended``
  (:data:`IDLE_STATUSES`); a cooperation without a known status is neither;
* the *partners* of a cooperation are the sources of its ``PARTNER_IN`` and
  ``SUPPORTS`` relationships that are regions, parks or departments;
* a cooperation is *in the field* of an industry when it is ``IN_FIELD``
  that industry or one of its sub-industries (``Industry -[:PART_OF*]->
  Industry``); the *partners in a field* are the partners of the live
  cooperations in it;
* a *needed* industry is a leading industry (``is_leading`` is ``true``) or
  one that a ``Need`` is ``IN_FIELD``;
* a cooperation *covers* a need when it is live, has a partner, ``SERVES``
  the need's unit directly and is ``IN_FIELD`` the need's industry itself.

How a need or an industry is covered, and on what evidence, is decided in
:mod:`queries.coverage`; the industry roll-up is :mod:`graph.fields`.

On a Neo4j store the facts are restricted to an evidence level on the
server (``facts_at_level.cypher``) and the same rules apply to what comes
back; the parity tests hold the two paths to the same answers.
"""

from __future__ import annotations

import weakref
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from itertools import chain
from operator import itemgetter, methodcaller
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from graph.evidence import EVIDENCE_LEVELS, allowed_levels, fact_level, fact_rank, graph_at
from graph.fields import superfields_from_parents
from graph.names import folded, key_for_name
from graph.runner import CypherRunner
from graph.schema import PARTNER_KINDS, PROVENANCE_FIELDS, NodeKind, RelType
from graph.store import Store, collector_paused, graph_from_rows, graph_from_store

__all__ = [
    "ACTOR_KINDS",
    "IDLE_STATUSES",
    "LIVE_STATUSES",
    "PARTNER_LABELS",
    "CapabilityTable",
    "Facts",
    "codes_of",
    "column_from_codes",
    "cypher_text",
    "facts_at",
    "facts_from_graph",
    "facts_shared",
    "folded",
    "frame_from_columns",
    "frame_from_rows",
    "gc_paused",
    "graph_at_level",
    "graph_of",
    "key_for_name",
    "normalised_section",
    "runner_of",
    "store_has_time",
]

#: Statuses of a cooperation that covers needs.
LIVE_STATUSES = ("active", "planned")

#: Statuses of a cooperation that would cover a need but no longer does.
IDLE_STATUSES = ("stalled", "ended")

#: Labels of the kinds that can partner Hainan, as in the graph's ``kind`` attribute.
PARTNER_LABELS = frozenset(kind.value for kind in PARTNER_KINDS)

#: Labels of the actors of the network: the partners and Hainan's demand units.
ACTOR_KINDS = PARTNER_LABELS | {NodeKind.DEMAND_UNIT.value}

_PARTNER_RELS = frozenset({RelType.PARTNER_IN.value, RelType.SUPPORTS.value})
_CAPABILITY_RELS = frozenset({RelType.SPECIALISES_IN.value, RelType.HANDLES.value})


def graph_of(source: nx.MultiDiGraph | Store) -> nx.MultiDiGraph:
    """Return ``source`` itself when it is a graph, else the whole graph of the store."""
    if isinstance(source, nx.MultiDiGraph):
        return source
    if isinstance(source, Store):
        return graph_from_store(source)
    msg = f"expected a networkx MultiDiGraph or a hainet Store, not {type(source).__name__}"
    raise TypeError(msg)


def graph_at_level(source: nx.MultiDiGraph | Store, evidence: str, *, query: str | None = None) -> nx.MultiDiGraph:
    """Return the graph of ``source`` restricted to facts at or above ``evidence``.

    A store that runs Cypher (Neo4j) restricts on the server, with
    ``facts_at_level.cypher``, and sends only the facts the questions read:
    regions, parks, departments, industries, demand units, needs and
    cooperations, and the relationships between them.  Any other source is
    read whole and restricted with :func:`graph.evidence.graph_at`; at
    ``all`` a graph is returned as it is, not copied.

    Parameters
    ----------
    source
        The graph, or a store.
    evidence
        The weakest level kept (:data:`graph.evidence.EVIDENCE_CHOICES`).
    query
        On a store that runs Cypher, the Cypher file of this package that
        fetches only the facts one question reads (``hub_facts.cypher``,
        ``stranding_facts.cypher``), in the rows of
        ``facts_at_level.cypher``; it is also given ``$live``
        (:data:`LIVE_STATUSES`).  The question must answer on that
        sub-graph exactly as on the whole graph; the parity tests hold it
        to that.  Ignored for any other source.

    Raises
    ------
    HainetError
        ``evidence`` is not one of :data:`graph.evidence.EVIDENCE_CHOICES`.
    """
    levels = allowed_levels(evidence)
    runner = runner_of(source)
    if runner is not None:
        parameters: dict[str, Any] = {"levels": list(levels), "known": list(EVIDENCE_LEVELS)}
        if query is not None:
            parameters["live"] = list(LIVE_STATUSES)
        return _graph_from_rows(runner.run(cypher_text(query or "facts_at_level.cypher"), parameters))
    G = graph_of(source)
    return G if evidence == "all" else graph_at(G, evidence=evidence)


def _graph_from_rows(rows: Iterable[Mapping[str, Any]]) -> nx.MultiDiGraph:
    """Return the rows of ``facts_at_level.cypher`` as :func:`graph.store.graph_from_store` shapes a graph."""
    kinds = {kind.value for kind in NodeKind}
    nodes, edges = [], []
    for row in rows:
        props = dict(row["props"])
        if row["part"] == "node":
            kind = next(label for label in sorted(row["labels"]) if label in kinds)
            nodes.append((props["key"], {**props, "kind": kind}))
        else:
            rel = row["labels"][0]
            edges.append((row["source"], row["target"], rel, {"type": rel, **props}))
    return graph_from_rows(sorted(nodes, key=itemgetter(0)), sorted(edges, key=itemgetter(0, 2, 1)))


def runner_of(source: nx.MultiDiGraph | Store | CypherRunner) -> CypherRunner | None:
    """Return ``source`` when it runs Cypher (a server store, a replay), else ``None``.

    A source that runs Cypher (such as :class:`graph.neo4j_store.Neo4jStore`)
    answers the questions on the server with the package's Cypher files.
    """
    if isinstance(source, CypherRunner):
        return source
    if not isinstance(source, nx.MultiDiGraph | Store):
        msg = f"expected a networkx MultiDiGraph or a hainet Store, not {type(source).__name__}"
        raise TypeError(msg)
    return None


#: Pause the cyclic collector for the duration of a question (:func:`graph.store.collector_paused`).
gc_paused = collector_paused


@cache
def cypher_text(name: str) -> str:
    """Return the text of the Cypher file ``name`` shipped in this package."""
    return resources.files("queries").joinpath(name).read_text(encoding="utf-8")


def store_has_time(store: Store) -> bool:
    """Tell whether a server store holds any dated fact (``valid_from``, ``valid_to``, ``status_history``).

    A store without one is the same graph on every date, so its questions
    can be answered on the server as they are.
    """
    runner = runner_of(store)
    if runner is None:
        msg = "store_has_time needs a store that answers Cypher"
        raise TypeError(msg)
    rows = runner.run(cypher_text("time_facts.cypher"), {"fields": ["valid_from", "valid_to"]})
    return bool(rows and rows[0]["dated"])


def normalised_section(section: object) -> str:
    """Return a section label with full-width brackets made ASCII and spaces dropped.

    The Cypher files apply the same three replacements, so both sides
    compare sections alike.

    Examples
    --------
    >>> normalised_section("二（五） 3")
    '二(五)3'
    >>> normalised_section(None)
    ''
    """
    if not isinstance(section, str):
        return ""
    return section.replace("（", "(").replace("）", ")").replace(" ", "")


def frame_from_rows(
    rows: Iterable[Mapping[str, Any]], columns: list[str], sort_by: list[str], ascending: list[bool] | None = None
) -> pd.DataFrame:
    """Return a frame with exactly ``columns``, sorted stably by ``sort_by``, index 0..n-1."""
    frame = pd.DataFrame(list(rows), columns=columns)
    if frame.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    frame = frame.sort_values(sort_by, ascending=ascending if ascending is not None else True, kind="stable")
    return frame.reset_index(drop=True)


def frame_from_columns(rows: list[tuple[Any, ...]], columns: list[str]) -> pd.DataFrame:
    """Return the frame of ``rows``, tuples already in order, as :func:`frame_from_rows` would make it.

    For questions with many rows: a tuple per row, turned into one list per
    column, costs far less than a dict per row.
    """
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    return pd.DataFrame(dict(zip(columns, map(list, zip(*rows, strict=True)), strict=True)), columns=columns)


def column_from_codes(values: list[Any], codes: np.ndarray) -> Any:
    """Return the column ``[values[c] for c in codes]`` as :func:`frame_from_columns` would make it, built in C.

    pandas picks a column's type from the kinds of values in it, not from
    how often each occurs: the type is picked from the values the codes
    use, once each, and the rows are then taken from them.

    Examples
    --------
    >>> import numpy as np
    >>> column = column_from_codes(["a", None, 3], np.array([1, 0, 1]))
    >>> list(column), pd.DataFrame({"c": column})["c"].dtype == pd.DataFrame({"c": ["a", None]})["c"].dtype
    ([nan, 'a', nan], True)
    """
    used = np.flatnonzero(np.bincount(codes, minlength=len(values)))
    renumbered = np.zeros(len(values), dtype=np.intp)
    renumbered[used] = np.arange(len(used))
    return pd.Series([values[c] for c in used.tolist()]).array.take(renumbered[codes])


def codes_of(values: list[Any]) -> tuple[list[Any], np.ndarray]:
    """Return ``uniques, codes`` with ``values[n]`` equal to ``uniques[codes[n]]``, for :func:`column_from_codes`.

    Only strings and ``None`` are merged, each value once: values of other
    types can be equal without being alike (``1``, ``1.0`` and ``True``;
    ``0.0`` and ``-0.0``), so a list holding any is its own uniques.

    Examples
    --------
    >>> codes_of(["a", None, "a"])
    (['a', None], array([0, 1, 0]))
    >>> codes_of([1, True])
    ([1, True], array([0, 1]))
    """
    if not set(map(type, values)) <= {str, type(None)}:
        return values, np.arange(len(values))
    uniques = list(dict.fromkeys(values))
    position = dict(zip(uniques, range(len(uniques)), strict=True))
    return uniques, np.fromiter(map(position.__getitem__, values), dtype=np.intp, count=len(values))


@dataclass(frozen=True)
class CapabilityTable:
    """Every capability of a region, park or department as codes, in the order of :attr:`Facts.capabilities`.

    Row ``n`` is ``actors[actor[n]] -[rels[rel[n]]]-> industries[industry[n]]``
    with evidence rank ``rank[n]``; its provenance field ``name`` is
    ``values[codes[n]]`` for ``values, codes = provenance[name]``
    (:data:`graph.schema.PROVENANCE_FIELDS`).  The key lists are sorted, so
    codes sort as keys do.
    """

    actors: list[str]
    rels: list[str]
    industries: list[str]
    actor: np.ndarray
    rel: np.ndarray
    industry: np.ndarray
    rank: np.ndarray
    provenance: dict[str, tuple[list[Any], np.ndarray]]


def _key_codes(keys: list[str], values: Iterable[str], count: int) -> np.ndarray:
    position = dict(zip(keys, range(len(keys)), strict=True))
    return np.fromiter(map(position.__getitem__, values), dtype=np.intp, count=count)


def _table_of_capabilities(index: Mapping[tuple[str, str, str], dict[str, Any]]) -> tuple[CapabilityTable, list[Any]]:
    """Return the table of the capabilities in ``index`` and their keys, both sorted by key."""
    keys, attrs = list(index), list(index.values())
    actors, rels, industries = (sorted(set(part)) for part in zip(*keys, strict=True)) if keys else ([], [], [])
    n = len(keys)
    actor = _key_codes(actors, map(itemgetter(0), keys), n)
    rel = _key_codes(rels, map(itemgetter(1), keys), n)
    industry = _key_codes(industries, map(itemgetter(2), keys), n)
    order = np.lexsort((industry, rel, actor))
    # The attributes are read in the order of the graph, which is the order they lie in memory: several times faster.
    provenance = {name: codes_of(list(map(methodcaller("get", name), attrs))) for name in PROVENANCE_FIELDS}
    levels, codes = provenance["provenance"]
    rank = np.array([fact_rank({"provenance": level}) for level in levels], dtype=np.intp)[codes]
    table = CapabilityTable(
        actors,
        rels,
        industries,
        actor[order],
        rel[order],
        industry[order],
        rank[order],
        {name: (values, codes[order]) for name, (values, codes) in provenance.items()},
    )
    return table, list(map(keys.__getitem__, order.tolist()))


@dataclass
class Facts:
    """What the questions need from one graph, indexed once.

    Every mapping is keyed by node key; sets hold node keys.  The facts
    refer to the graph's own attribute dicts, not to the graph itself, so
    that a graph can be let go while its facts are kept for it.
    """

    #: Node -> its attribute dict (the graph's own, not a copy).
    attrs: dict[str, dict[str, Any]] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    industries: list[str] = field(default_factory=list)
    leading: set[str] = field(default_factory=set)
    #: Industry -> the industries it is PART_OF, itself included.
    superfields: dict[str, set[str]] = field(default_factory=dict)
    #: Need -> units that have it; need -> fields it is in.
    need_units: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    need_fields: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    status: dict[str, Any] = field(default_factory=dict)
    coop_fields: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    coop_units: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    coop_partners: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    #: Actor -> cooperations it partners (PARTNER_IN or SUPPORTS).
    partner_coops: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    #: Every SPECIALISES_IN and HANDLES as read, unchecked: (source, type, target, attributes).
    capability_edges: list[tuple[str, str, str, dict[str, Any]]] = field(default_factory=list)
    located_in: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    #: Industry -> the industries it is directly PART_OF.
    parents: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    #: Demand unit -> the units it is PART_OF or LOCATED_IN.
    unit_parents: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    #: (source, type, target) -> attributes of every relationship but the capabilities.
    edge_attrs: dict[tuple[str, str, str], dict[str, Any]] = field(default_factory=dict)
    #: What the questions derive from these facts, each made once (the coverage, the actor projection).
    derived: dict[str, Any] = field(default_factory=dict)

    # --- names and properties -------------------------------------------------
    def name_zh(self, key: str) -> Any:
        """Return the Chinese name of ``key``."""
        return self.attrs[key].get("name_zh")

    def name_en(self, key: str) -> Any:
        """Return the English name of ``key``."""
        return self.attrs[key].get("name_en")

    def provenance(self, attrs: Mapping[str, Any]) -> dict[str, Any]:
        """Return the provenance fields of a node's or edge's attributes, ``None`` for those it lacks."""
        return {name: attrs.get(name) for name in PROVENANCE_FIELDS}

    def level(self, key: str) -> str:
        """Return the evidence level of node ``key``."""
        return fact_level(self.attrs[key])

    def rank(self, key: str) -> int:
        """Return the rank of the evidence level of node ``key`` (:func:`graph.evidence.evidence_rank`)."""
        return self.node_ranks[key]

    @property
    def node_ranks(self) -> dict[str, int]:
        """Return node -> the rank of its evidence level, every node's worked out once, when first asked."""
        if self._node_ranks is None:
            self._node_ranks = {key: fact_rank(attrs) for key, attrs in self.attrs.items()}
        return self._node_ranks

    def edge_level(self, u: str, rel: str, v: str) -> str:
        """Return the evidence level of the relationship ``u -[rel]-> v``."""
        return EVIDENCE_LEVELS[self.edge_rank(u, rel, v)]

    def edge_rank(self, u: str, rel: str, v: str) -> int:
        """Return the rank of the evidence level of the relationship ``u -[rel]-> v``."""
        attrs = self.edge_attrs.get((u, rel, v))
        if attrs is None:
            attrs = self._capability_index()[u, rel, v]
        return fact_rank(attrs)

    def edge_basis(self, u: str, rel: str, v: str) -> str:
        """Return the quote or basis of the relationship ``u -[rel]-> v``, empty when it has none."""
        attrs = self.edge_attrs.get((u, rel, v)) or {}
        return str(attrs.get("quote") or attrs.get("basis") or "")

    def path_level(self, nodes: Iterable[str], edges: Iterable[tuple[str, str, str]]) -> str:
        """Return the weakest level of some nodes and relationships."""
        return EVIDENCE_LEVELS[self.path_rank(nodes, edges)]

    def path_rank(self, nodes: Iterable[str], edges: Iterable[tuple[str, str, str]]) -> int:
        """Return the rank of the weakest level of some nodes and relationships (0 for none)."""
        ranks, edge_rank = self.node_ranks, self.edge_rank
        worst = 0
        for n in nodes:
            rank = ranks[n]
            if rank > worst:
                worst = rank
        for u, rel, v in edges:
            rank = edge_rank(u, rel, v)
            if rank > worst:
                worst = rank
        return worst

    # --- the shared rules -------------------------------------------------------
    @property
    def live(self) -> set[str]:
        """Return the active and planned cooperations."""
        if self._live is None:
            self._live = {c for c, status in self.status.items() if status in LIVE_STATUSES}
        return self._live

    def is_live(self, coop: str) -> bool:
        """Tell whether ``coop`` is active or planned."""
        return coop in self.live

    def is_idle(self, coop: str) -> bool:
        """Tell whether ``coop`` is stalled or ended."""
        return self.status.get(coop) in IDLE_STATUSES

    @property
    def needed(self) -> list[str]:
        """Return the needed industries, sorted by key."""
        with_needs = {i for fields in self.need_fields.values() for i in fields}
        return sorted(self.leading | with_needs)

    @property
    def needs(self) -> list[tuple[str, str, str]]:
        """Return ``(need, unit, industry)`` for every unit and field of every need, sorted."""
        return sorted(
            (need, unit, industry)
            for need, units in self.need_units.items()
            for unit in units
            for industry in self.need_fields.get(need, ())
        )

    def live_coops_by_field(self) -> dict[str, set[str]]:
        """Return industry -> live cooperations in its field (sub-industries included)."""
        by_field: dict[str, set[str]] = defaultdict(set)
        live = self.live
        for coop, fields in self.coop_fields.items():
            if coop not in live:
                continue
            for f in fields:
                for up in self.superfields.get(f, (f,)):
                    by_field[up].add(coop)
        return by_field

    def partners_of(self, coops: Iterable[str]) -> set[str]:
        """Return the partners of ``coops``."""
        found: set[str] = set()
        for coop in coops:
            found |= self.coop_partners.get(coop, set())
        return found

    def covering(self, unit: str, industry: str, *, live: bool = True) -> list[str]:
        """Return the cooperations with a partner serving ``unit`` in ``industry`` itself, live or idle, sorted."""
        if self._covering is None:
            self._covering = self._covering_index()
        return list(self._covering.get((unit, industry, live), ()))

    def _covering_index(self) -> dict[tuple[str, str, bool], list[str]]:
        """Return (unit, industry, live) -> :meth:`covering`, for every unit and field at once."""
        index: dict[tuple[str, str, bool], list[str]] = defaultdict(list)
        live, partners, fields = self.live, self.coop_partners, self.coop_fields
        for coop, units in sorted(self.coop_units.items()):
            if not partners.get(coop):
                continue
            if coop in live:
                wanted = True
            elif self.is_idle(coop):
                wanted = False
            else:
                continue
            for unit in units:
                for industry in fields.get(coop, ()):
                    index[unit, industry, wanted].append(coop)
        return index

    @property
    def unit_coops(self) -> dict[str, set[str]]:
        """Return unit -> cooperations that serve it."""
        if self._unit_coops is None:
            index: dict[str, set[str]] = defaultdict(set)
            for coop, units in self.coop_units.items():
                for unit in units:
                    index[unit].add(coop)
            self._unit_coops = index
        return self._unit_coops

    _unit_coops: dict[str, set[str]] | None = None
    _live: set[str] | None = None
    _capabilities: list[tuple[str, str, str]] | None = None
    _capability_attrs: dict[tuple[str, str, str], dict[str, Any]] | None = None
    _node_ranks: dict[str, int] | None = None
    _covering: dict[tuple[str, str, bool], list[str]] | None = None
    _capability_table: CapabilityTable | None = None

    @property
    def capabilities(self) -> list[tuple[str, str, str]]:
        """Return (actor, relationship type, industry) of every capability of a region, park or department, sorted.

        Sorted only when first asked: most questions never need the
        capabilities, which are the bulk of a national graph's relationships.
        """
        if self._capabilities is None:
            self._capability_table, self._capabilities = _table_of_capabilities(self._capability_index())
        return self._capabilities

    @property
    def capability_table(self) -> CapabilityTable:
        """Return the capabilities as codes, in the order of :attr:`capabilities`, for questions with a row for each."""
        if self._capability_table is None:
            self._capability_table, self._capabilities = _table_of_capabilities(self._capability_index())
        return self._capability_table

    def has_capability(self, actor: str, rel: str, industry: str) -> bool:
        """Tell whether the capability relationship ``actor -[rel]-> industry`` is in the graph."""
        return (actor, rel, industry) in self._capability_index()

    def capability_attrs(self, actor: str, rel: str, industry: str) -> dict[str, Any]:
        """Return the attributes of the capability relationship ``actor -[rel]-> industry``."""
        return self._capability_index()[actor, rel, industry]

    def _capability_index(self) -> dict[tuple[str, str, str], dict[str, Any]]:
        if self._capability_attrs is None:
            kinds = self.kinds
            self._capability_attrs = {
                (u, rel, v): data
                for u, rel, v, data in self.capability_edges
                if kinds.get(u) in PARTNER_LABELS and kinds.get(v) == _INDUSTRY
            }
        return self._capability_attrs


_REGION, _PARK, _DEPARTMENT = NodeKind.REGION.value, NodeKind.PARK.value, NodeKind.DEPARTMENT.value
_INDUSTRY, _NEED, _UNIT, _COOP = (
    NodeKind.INDUSTRY.value,
    NodeKind.NEED.value,
    NodeKind.DEMAND_UNIT.value,
    NodeKind.COOPERATION.value,
)
_SPECIALISES_IN, _HANDLES, _IN_FIELD, _SERVES = (
    RelType.SPECIALISES_IN.value,
    RelType.HANDLES.value,
    RelType.IN_FIELD.value,
    RelType.SERVES.value,
)
_HAS_NEED, _PART_OF, _LOCATED_IN = RelType.HAS_NEED.value, RelType.PART_OF.value, RelType.LOCATED_IN.value


_SHARED: ContextVar[nx.MultiDiGraph | None] = ContextVar("hainet_shared_facts", default=None)


@contextmanager
def facts_shared(G: nx.MultiDiGraph) -> Iterator[None]:
    """Within the block, take ``G`` as unchanged: its facts are read once and not checked again.

    For an output that asks several questions of one graph (a report); the
    graph must not change inside the block.  Outside one, the facts of a
    graph are kept too, but checked against the graph at every question
    (:func:`facts_at`).  Facts first read inside the block are not compared
    with the graph (that comparison costs about a second at a million
    relationships), so the first question asked after the block reads them again.
    """
    token = _SHARED.set(G)
    try:
        yield
    finally:
        _SHARED.reset(token)


def facts_from_graph(G: nx.MultiDiGraph) -> Facts:
    """Return the :class:`Facts` of ``G``, read once while ``G`` stays as it is (see :func:`facts_at`)."""
    return facts_at(G, "all")


def facts_at(source: nx.MultiDiGraph | Store, evidence: str, *, query: str | None = None) -> Facts:
    """Return the :class:`Facts` of ``source`` at or above ``evidence`` (:func:`graph_at_level`).

    The facts of a graph are kept with it, one set per evidence level, so
    that the questions asked of one graph read it once.  Networkx graphs
    can be changed in place, so each time they are asked for, the graph is
    compared with what it held when they were read: its nodes,
    relationships and every attribute name and value, in order (a
    fraction of the time reading them takes).  Any difference and they are read again.  A
    change *inside* an attribute's value (appending to a list it holds) is
    not seen: replace the value instead.  A store is read anew every time;
    on a store that runs Cypher, ``query`` names the ``.cypher`` file that
    fetches only the sub-graph a question reads (:func:`graph_at_level`).

    Raises
    ------
    HainetError
        ``evidence`` is not one of :data:`graph.evidence.EVIDENCE_CHOICES`.
    """
    allowed_levels(evidence)
    if not isinstance(source, nx.MultiDiGraph):
        return _facts_of(graph_at_level(source, evidence, query=query))
    memo = _memo_of(source)
    if memo is None:
        return _facts_of(graph_at_level(source, evidence))
    if evidence not in memo.facts:
        memo.facts[evidence] = _facts_of(graph_at_level(source, evidence))
    return memo.facts[evidence]


@dataclass
class _Memo:
    """The facts kept for one graph, and what the graph held when they were read."""

    held: tuple[list[Any], ...] | None
    facts: dict[str, Facts] = field(default_factory=dict)


_MEMOS: weakref.WeakKeyDictionary[nx.MultiDiGraph, _Memo] = weakref.WeakKeyDictionary()


def _memo_of(G: nx.MultiDiGraph) -> _Memo | None:
    """Return the facts kept for ``G``, emptied when ``G`` has changed; ``None`` when ``G`` cannot be compared."""
    try:
        memo = _MEMOS.get(G)
    except TypeError:
        return None  # a graph class that is not hashable
    if _SHARED.get() is G:
        # Taken as unchanged inside the block; facts first read here are not compared outside it (held unknown).
        if memo is None:
            memo = _MEMOS[G] = _Memo(None)
        return memo
    held = _held(G)
    if held is None:
        return None
    if memo is not None and memo.held is not None and _same(held, memo.held):
        return memo
    memo = _MEMOS[G] = _Memo(held)
    return memo


def _same(now: tuple[list[Any], ...], then: tuple[list[Any], ...]) -> bool:
    """Tell whether a graph holds what it held; a value that cannot say whether it is equal (an array) differs."""
    try:
        return bool(now == then)
    except (TypeError, ValueError):
        return False


def _held(G: nx.MultiDiGraph) -> tuple[list[Any], ...] | None:
    """Return what ``G`` holds, in order, as flat lists: node keys and attributes, relationships and attributes.

    Every attribute dict is taken apart into its length, its names and its
    values, so that a later change to it shows without copying it.  Built
    with C-level iteration only (:func:`map`, :func:`itertools.chain`).
    ``None`` for a graph not held in plain dicts (a view), which is read
    anew every time.
    """
    nodes, succ = G._node, G._succ
    if type(nodes) is not dict or type(succ) is not dict:
        return None
    try:
        neighbours = list(succ.values())
        keyed = list(chain.from_iterable(map(dict.values, neighbours)))
        attrs = [*nodes.values(), *chain.from_iterable(map(dict.values, keyed))]
        return (
            list(nodes),
            list(succ),
            list(map(len, neighbours)),
            list(chain.from_iterable(neighbours)),
            list(map(len, keyed)),
            list(chain.from_iterable(keyed)),
            list(map(len, attrs)),
            list(chain.from_iterable(attrs)),
            list(chain.from_iterable(map(dict.values, attrs))),
        )
    except TypeError:
        # Not dicts all the way down (custom containers): nothing to compare with.
        return None


def _facts_of(G: nx.MultiDiGraph) -> Facts:
    facts = Facts()
    facts.attrs = nodes = dict(G.nodes(data=True))
    facts.kinds = kinds = {key: attrs.get("kind") for key, attrs in nodes.items()}
    facts.industries = sorted(k for k, kind in kinds.items() if kind == _INDUSTRY)
    facts.leading = {k for k in facts.industries if nodes[k].get("is_leading") is True}
    facts.status = {k: nodes[k].get("status") for k, kind in kinds.items() if kind == _COOP}
    partner_labels = PARTNER_LABELS
    coop_partners, partner_coops = facts.coop_partners, facts.partner_coops
    coop_fields, need_fields, coop_units = facts.coop_fields, facts.need_fields, facts.coop_units
    capability_edges = facts.capability_edges
    parents = facts.parents
    edge_attrs = facts.edge_attrs
    need_units, unit_parents, located_in = facts.need_units, facts.unit_parents, facts.located_in
    # The adjacency walked in the order of G.edges(keys=True, data=True), without its generator;
    # relationship types tested in the order of how common they are in large graphs.
    for u, nbrs in G._succ.items():
        ku = kinds.get(u)
        for v, keyed in nbrs.items():
            for rel, data in keyed.items():
                if rel in _CAPABILITY_RELS:
                    capability_edges.append((u, rel, v, data))
                    continue
                edge_attrs[u, rel, v] = data
                if rel in _PARTNER_RELS:
                    if ku in partner_labels and kinds.get(v) == _COOP:
                        coop_partners[v].add(u)
                        partner_coops[u].add(v)
                elif rel == _IN_FIELD:
                    if kinds.get(v) != _INDUSTRY:
                        continue
                    if ku == _COOP:
                        coop_fields[u].add(v)
                    elif ku == _NEED:
                        need_fields[u].add(v)
                elif rel == _SERVES:
                    if ku == _COOP and kinds.get(v) == _UNIT:
                        coop_units[u].add(v)
                elif rel == _HAS_NEED:
                    if ku == _UNIT and kinds.get(v) == _NEED:
                        need_units[v].add(u)
                elif rel == _PART_OF:
                    if ku == _INDUSTRY and kinds.get(v) == _INDUSTRY:
                        parents[u].add(v)
                    elif ku == _UNIT and kinds.get(v) == _UNIT:
                        unit_parents[u].add(v)
                elif rel == _LOCATED_IN:
                    located_in[u].add(v)
                    if ku == _UNIT and kinds.get(v) == _UNIT:
                        unit_parents[u].add(v)
    facts.superfields = superfields_from_parents(facts.industries, parents)
    return facts
