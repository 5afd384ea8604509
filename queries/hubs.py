"""Who holds the network together: hub scores, communities, single points of failure.

The measures are taken on the *actor projection* (:func:`actor_projection`):
an undirected graph of the actors (regions, parks, departments and Hainan's
demand units) in which two actors are tied when they take part in the same
active or planned cooperation, as partners (``PARTNER_IN``, ``SUPPORTS``)
or as the unit it ``SERVES``; the weight of a tie is the number of such
cooperations they share.  Hierarchy (``LOCATED_IN``, ``PART_OF``), shared
capabilities and membership of the mechanism are *not* ties: every park
lies in some region and every actor is a member, so those would make the
administrative centres look like brokers of cooperation they take no part
in.  Stalled and ended cooperations are not ties either: the scores
describe the network as it works now.

On a Neo4j store the questions fetch only the sub-graph they read, with one
Cypher query each (``hub_facts.cypher``, ``stranding_facts.cypher``), and
answer on it with the same Python as on a whole graph.  Where the server
has Graph Data Science, :func:`hub_scores` runs PageRank, betweenness and
Louvain there (:func:`graph.gds_server.hub_measures_in_server`) instead of
in networkx.
"""

from __future__ import annotations

import heapq
import random
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from graph.errors import HainetError, StoreError
from graph.evidence import EVIDENCE_LEVELS, EVIDENCE_NAMES_ZH, fact_rank, weakest
from graph.gds_server import gds_version, hub_measures_in_server
from graph.schema import RelType
from graph.settings import Neo4jSettings
from graph.store import Store
from queries._centrality import betweenness_of_edges, pagerank_of_edges
from queries._facts import ACTOR_KINDS, Facts, facts_at, frame_from_rows, gc_paused
from queries._louvain import louvain_communities_of_edges
from queries.coverage import tidy_zh
from queries.structure import structural_positions_of_edges

__all__ = [
    "ALGORITHMS",
    "BETWEENNESS_K",
    "EXACT_BELOW",
    "HUB_COLUMNS",
    "SPOF_COLUMNS",
    "actor_projection",
    "betweenness_centrality",
    "hub_scores",
    "single_points_of_failure",
]

HUB_COLUMNS = [
    "actor_key",
    "actor_kind",
    "actor_zh",
    "actor_en",
    "n_cooperations",
    "degree",
    "weighted_degree",
    "betweenness",
    "pagerank",
    "community",
    "community_size",
    "brokerage",
    "constraint",
    "effective_size",
    "coreness",
    "core",
    "evidence",
    "chain_zh",
    "chain_en",
]

SPOF_COLUMNS = [
    "actor_key",
    "actor_kind",
    "actor_zh",
    "actor_en",
    "n_stranded",
    "need_key",
    "unit_key",
    "unit_zh",
    "unit_en",
    "industry_key",
    "industry_zh",
    "industry_en",
    "cooperations",
    "evidence",
    "chain_zh",
    "chain_en",
]

#: Projections with fewer actors than this get exact betweenness.
EXACT_BELOW = 3_000

#: Sample of source actors for approximate betweenness on larger projections.
BETWEENNESS_K = 512

#: Where :func:`hub_scores` computes PageRank, betweenness and communities.
ALGORITHMS = ("auto", "gds", "networkx")


def actor_projection(source: nx.MultiDiGraph | Store, *, evidence: str = "all") -> nx.Graph:
    """Return the undirected actor projection of ``source`` described in :mod:`queries.hubs`.

    Parameters
    ----------
    source
        The graph, or a store.
    evidence
        Project the facts at or above this level
        (:data:`graph.evidence.EVIDENCE_CHOICES`).

    Returns
    -------
    networkx.Graph
        Every actor is a node (isolated when it takes part in no live
        cooperation), with ``kind``, ``name_zh`` and ``name_en``; every tie
        has ``weight``, the number of live cooperations the two share.
        Nodes and edges are added in key order, so the same input always
        gives the same graph.

    Examples
    --------
    >>> from queries._examples import example_graph
    >>> P = actor_projection(example_graph())
    >>> sorted(P.edges(data="weight"))
    [('dept:regional', 'unit:hainan', 1), ('park:tianfu', 'unit:boao', 1)]
    """
    with gc_paused():
        return _projection(facts_at(source, evidence, query="hub_facts.cypher"))


@dataclass(frozen=True)
class _Ties:
    """The actor projection as arrays: actor ``i`` is ``actors[i]``; the ties in ``P.edges()`` order."""

    actors: list[str]
    us: np.ndarray
    vs: np.ndarray
    weights: np.ndarray


def _ties(facts: Facts) -> _Ties:
    """Return the ties of the actor projection, each pair once, lower key first, sorted by keys.

    Actors are numbered in key order, so the pairs sorted by number are the
    pairs sorted by key: the order in which :func:`_projection` adds them.
    """
    actors = sorted(k for k, kind in facts.kinds.items() if kind in ACTOR_KINDS)
    index = {a: i for i, a in enumerate(actors)}
    by_size: dict[int, list[list[int]]] = defaultdict(list)
    for coop in facts.status:
        if not facts.is_live(coop):
            continue
        members = facts.coop_partners.get(coop, set()) | facts.coop_units.get(coop, set())
        if len(members) > 1:
            by_size[len(members)].append(sorted(index[a] for a in members))
    n = len(actors)
    keys = [np.zeros(0, dtype=np.int64)]
    for size, groups in by_size.items():
        table = np.array(groups, dtype=np.int64)
        first, second = np.triu_indices(size, 1)
        keys.append((table[:, first] * n + table[:, second]).ravel())
    pairs, counts = np.unique(np.concatenate(keys), return_counts=True)
    return _Ties(actors, pairs // max(n, 1), pairs % max(n, 1), counts.astype(np.int64))


def _projection(facts: Facts) -> nx.Graph:
    ties = _ties(facts)
    P = nx.Graph()
    for key in ties.actors:
        P.add_node(key, kind=facts.kinds[key], name_zh=facts.name_zh(key), name_en=facts.name_en(key))
    actors = ties.actors
    P.add_weighted_edges_from(
        (actors[u], actors[v], w)
        for u, v, w in zip(ties.us.tolist(), ties.vs.tolist(), ties.weights.tolist(), strict=True)
    )
    return P


def hub_scores(
    source: nx.MultiDiGraph | Store,
    *,
    seed: int = 42,
    betweenness_k: int = BETWEENNESS_K,
    exact_below: int = EXACT_BELOW,
    evidence: str = "all",
    algorithms: str = "networkx",
) -> pd.DataFrame:
    """Return how central each actor is in the cooperation network, and its community.

    On a store that runs Cypher only the actors, the live cooperations and
    the relationships between them come back, in one query
    (``hub_facts.cypher``).

    Parameters
    ----------
    source
        The graph, or a store.
    seed
        Seed of the community detection and of the betweenness sample.
    betweenness_k
        On a projection of ``exact_below`` actors or more, betweenness is
        estimated from shortest paths out of this many actors drawn with
        ``seed`` (networkx's ``k``), which keeps national-scale graphs fast.
    exact_below
        Below this many actors, betweenness is exact.
    evidence
        Measure the network of the facts at or above this level
        (:data:`graph.evidence.EVIDENCE_CHOICES`).
    algorithms
        ``networkx`` computes every measure in Python.  ``gds`` runs
        PageRank, betweenness and Louvain inside a Neo4j store's server with
        Graph Data Science (:func:`graph.gds_server.hub_measures_in_server`,
        one thread); the other columns still come from the fetched
        sub-graph.  GDS agrees with networkx on PageRank (to about 1e-6) and
        exact betweenness; its Louvain may settle on another partition of
        about the same modularity, and its betweenness sample (above
        ``exact_below`` actors) draws other sources.  ``auto`` is ``gds`` on
        a Neo4j store whose server has Graph Data Science, else
        ``networkx``.  The default is ``networkx``: on the 1M-relationship
        synthetic graph it answered faster than GDS on two cores
        (``benchmarks/bench_hubs_neo4j.py``), and its communities are those
        of the same graph in the embedded store.

    Returns
    -------
    pandas.DataFrame
        One row per actor, by PageRank (highest first) then key, with
        columns as below; ``frame.attrs["algorithms"]`` says which of
        ``gds`` and ``networkx`` computed them.  Columns:

        ``actor_key``, ``actor_kind``, ``actor_zh``, ``actor_en``
            The region, park, department or demand unit.
        ``n_cooperations``
            Live cooperations it takes part in.
        ``degree``
            Actors it is tied to.
        ``weighted_degree``
            Sum of its tie weights: cooperations shared, counted per partner.
        ``betweenness``
            Normalised betweenness centrality over hop distances (ties
            unweighted): how often it lies on the shortest path between two
            other actors.
        ``pagerank``
            PageRank with damping 0.85 over the weighted ties (converged to 1e-12).
        ``community``
            Louvain community (networkx ``louvain_communities``'s partition,
            weighted, ``seed``, computed on arrays by :mod:`queries._louvain`;
            with ``gds``, GDS Louvain, weighted), numbered from 0
            by size, largest first, then by smallest member key.
        ``community_size``
            Actors in that community.
        ``brokerage``
            Communities other than its own that it has a tie into: a broker
            that bridges communities scores high even with few ties.
        ``constraint``, ``effective_size``
            Burt's structural-hole measures (中介/结构洞): low constraint
            and high effective size mark a broker
            (:func:`queries.structure.structural_positions`).
        ``coreness``, ``core``
            Its k-core number, and whether it is in the main core (核心) or
            the periphery (边缘), the core being the k-core of the largest k.
        ``evidence``
            The weakest level of its ties: the live cooperations it takes
            part in and its relationships to them (its own level when it has
            none).
        ``chain_zh``, ``chain_en``
            The actor and up to three of those cooperations, weakest first,
            by name.

    Raises
    ------
    ValueError
        When ``betweenness_k`` or ``exact_below`` is below 1.
    HainetError
        ``algorithms`` is not one of :data:`ALGORITHMS`, or is ``gds`` for a
        source that is not a Neo4j store.
    StoreError
        ``algorithms`` is ``gds`` and the server has no Graph Data Science.

    Examples
    --------
    >>> from queries._examples import example_graph
    >>> hubs = hub_scores(example_graph())
    >>> hubs[["actor_key", "degree", "community", "brokerage"]].head(2).to_dict("records")
    [{'actor_key': 'dept:regional', 'degree': 1, 'community': 0, 'brokerage': 0}, \
{'actor_key': 'park:tianfu', 'degree': 1, 'community': 1, 'brokerage': 0}]
    """
    with gc_paused():
        if betweenness_k < 1 or exact_below < 1:
            msg = f"betweenness_k and exact_below must be at least 1, not {betweenness_k} and {exact_below}"
            raise ValueError(msg)
        settings = _gds_settings(source, algorithms)
        facts = facts_at(source, evidence, query="hub_facts.cypher")
        ties = _ties(facts)
        actors = ties.actors
        n = len(actors)
        if n == 0:
            empty = frame_from_rows([], HUB_COLUMNS, ["actor_key"])
            empty.attrs["algorithms"] = "networkx" if settings is None else "gds"
            return empty
        k = None if n < exact_below else min(betweenness_k, n)
        if settings is None:
            betweenness = _betweenness(ties, k=k, seed=seed)
            pagerank = dict(zip(actors, pagerank_of_edges(n, ties.us, ties.vs, ties.weights).tolist(), strict=True))
            communities = _numbered_communities(ties, seed)
        else:
            pagerank, betweenness, communities = _measures_in_server(
                settings, actors, evidence=evidence, k=k, seed=seed
            )
        positions = structural_positions_of_edges(actors, ties.us, ties.vs, ties.weights)
        sizes: dict[int, int] = defaultdict(int)
        for c in communities.values():
            sizes[c] += 1
        coops: dict[str, int] = defaultdict(int)
        for coop in facts.status:
            if facts.is_live(coop):
                for actor in facts.coop_partners.get(coop, set()) | facts.coop_units.get(coop, set()):
                    coops[actor] += 1
        degree, weighted_degree, brokerage = _tie_counts(ties, communities)
        live_ranks = _live_ranks(facts)
        columns = zip(
            actors,
            degree.tolist(),
            weighted_degree.tolist(),
            brokerage.tolist(),
            positions["constraint"].tolist(),
            positions["effective_size"].tolist(),
            positions["coreness"].tolist(),
            positions["core"].tolist(),
            strict=True,
        )
        rows: list[dict[str, Any]] = []
        for actor, tied, weighed, brokered, constraint, effective, coreness, core in columns:
            own = communities[actor]
            rows.append(
                {
                    "actor_key": actor,
                    "actor_kind": facts.kinds[actor],
                    "actor_zh": facts.name_zh(actor),
                    "actor_en": facts.name_en(actor),
                    "n_cooperations": coops[actor],
                    "degree": tied,
                    "weighted_degree": weighed,
                    "betweenness": float(betweenness[actor]),
                    "pagerank": float(pagerank[actor]),
                    "community": own,
                    "community_size": sizes[own],
                    "brokerage": brokered,
                    "constraint": float(constraint),
                    "effective_size": float(effective),
                    "coreness": int(coreness),
                    "core": bool(core),
                    **_tie_evidence(facts, actor, live_ranks),
                    # Equal PageRanks may differ in the last bits; rounded, they sort by key.
                    "_rank": round(float(pagerank[actor]), 12),
                }
            )
        frame = frame_from_rows(rows, [*HUB_COLUMNS, "_rank"], ["_rank", "actor_key"], ascending=[False, True])
        frame = frame[HUB_COLUMNS]
        frame.attrs["algorithms"] = "networkx" if settings is None else "gds"
        return frame


def _gds_settings(source: object, algorithms: str) -> Neo4jSettings | None:
    """Return the settings of the server to run the measures in, or ``None`` to run them in networkx."""
    if algorithms not in ALGORITHMS:
        msg = f"algorithms must be one of {', '.join(ALGORITHMS)}, not {algorithms!r}"
        raise HainetError(msg)
    if algorithms == "networkx":
        return None
    # A Neo4j store carries the settings of its server; a graph, a SQLite store or a replay does not.
    settings = getattr(source, "settings", None)
    if not isinstance(settings, Neo4jSettings):
        if algorithms == "gds":
            msg = f"algorithms='gds' needs a Neo4j store with Graph Data Science, not {type(source).__name__}"
            raise HainetError(msg)
        return None
    if gds_version(settings) is None:
        if algorithms == "gds":
            msg = f"algorithms='gds': the server at {settings.uri} has no Graph Data Science"
            raise StoreError(msg)
        return None
    return settings


def _measures_in_server(
    settings: Neo4jSettings, actors: list[str], *, evidence: str, k: int | None, seed: int
) -> tuple[dict[str, float], dict[str, float], dict[str, int]]:
    """Return PageRank, betweenness and numbered communities of ``actors`` (the projection's), computed by GDS."""
    measures = hub_measures_in_server(settings, evidence=evidence, betweenness_sample=k, seed=seed).set_index(
        "actor_key"
    )
    if set(measures.index) != set(actors):
        msg = (
            f"Graph Data Science projected {len(measures)} actors where the fetched facts hold "
            f"{len(actors)}: the store changed during the question"
        )
        raise StoreError(msg)
    pagerank = {str(key): float(value) for key, value in measures["pagerank"].items()}
    betweenness = {str(key): float(value) for key, value in measures["betweenness"].items()}
    communities = {str(key): int(value) for key, value in measures["community"].items()}
    return pagerank, betweenness, communities


def betweenness_centrality(P: nx.Graph, *, k: int | None = None, seed: int = 42) -> dict[str, float]:
    """Return the normalised betweenness of every node of the undirected graph ``P``, ties unweighted.

    The same numbers as ``networkx.betweenness_centrality(P, k=k,
    normalized=True, seed=seed)``, the same ``k`` sources drawn the same
    way, but computed for many sources at once: Brandes' algorithm with the
    breadth-first search and the dependency accumulation done level by
    level as sparse matrix products.

    Parameters
    ----------
    P
        An undirected graph.
    k
        Sample this many source nodes with ``seed``; ``None`` for all (exact).
    seed
        Seed of the sample.

    Examples
    --------
    >>> path = nx.path_graph(["a", "b", "c"])
    >>> betweenness_centrality(path)
    {'a': 0.0, 'b': 1.0, 'c': 0.0}
    """
    nodes = list(P.nodes())
    index = {v: i for i, v in enumerate(nodes)}
    pairs = [(index[u], index[v]) for u, v in P.edges()]
    us = np.array([u for u, _ in pairs], dtype=np.int64)
    vs = np.array([v for _, v in pairs], dtype=np.int64)
    return _betweenness(_Ties(nodes, us, vs, np.ones(len(pairs), dtype=np.int64)), k=k, seed=seed)


def _betweenness(ties: _Ties, *, k: int | None, seed: int) -> dict[str, float]:
    """Return :func:`betweenness_centrality` of the projection held in ``ties``."""
    nodes = ties.actors
    n = len(nodes)
    if k is not None and k >= n:
        k = None
    sources = list(range(n)) if k is None else random.Random(seed).sample(range(n), k)
    if n < 3:
        return dict.fromkeys(nodes, 0.0)
    source_index = np.array(sources, dtype=np.int64)
    raw = betweenness_of_edges(n, ties.us, ties.vs, source_index)
    if k is None:
        scaled = raw / ((n - 1) * (n - 2))
    else:
        scale = np.full(n, 1 / (k * (n - 2)))
        scale[source_index] = 1 / ((k - 1) * (n - 2)) if k > 1 else np.nan
        scaled = raw * scale
    return dict(zip(nodes, scaled.tolist(), strict=True))


_TIE_RELS = (RelType.PARTNER_IN.value, RelType.SUPPORTS.value)


def _live_ranks(facts: Facts) -> dict[str, int]:
    """Return the evidence rank of every live cooperation, read once for all the actors tied through it."""
    attrs = facts.attrs
    return {coop: fact_rank(attrs[coop]) for coop in facts.live}


def _tie_evidence(facts: Facts, actor: str, live_ranks: dict[str, int]) -> dict[str, str]:
    """Return the evidence and chain of an actor's ties: its live cooperations and its relationships to them.

    ``live_ranks`` is :func:`_live_ranks` of ``facts``.
    """
    rank_of, get = facts.rank, facts.edge_attrs.get
    partner_in, supports = _TIE_RELS
    serves = RelType.SERVES.value
    ties = []
    for coop in facts.partner_coops.get(actor, set()) | facts.unit_coops.get(actor, set()):
        rank = live_ranks.get(coop)
        if rank is None:
            continue
        for attrs in (get((actor, partner_in, coop)), get((actor, supports, coop)), get((coop, serves, actor))):
            if attrs is not None:
                rank = max(rank, fact_rank(attrs))
        ties.append((rank, coop))
    own = facts.level(actor)
    level = EVIDENCE_LEVELS[max([rank_of(actor), *(t[0] for t in ties)])]
    shown = [(EVIDENCE_LEVELS[rank], coop) for rank, coop in heapq.nsmallest(3, ties, key=lambda t: (-t[0], t[1]))]
    more = len(ties) - len(shown)
    zh = f"{facts.name_zh(actor)}（{EVIDENCE_NAMES_ZH[own]}）"
    en = f"{facts.name_en(actor)} ({own})"
    if shown:
        zh += f" ← {len(ties)}项合作：" + "、".join(f"{facts.name_zh(c)}（{EVIDENCE_NAMES_ZH[lv]}）" for lv, c in shown)
        en += f" <- {len(ties)} cooperations: " + ", ".join(f"{facts.name_en(c)} ({lv})" for lv, c in shown)
        zh += "等" if more else ""
        en += ", ..." if more else ""
    return {"evidence": level, "chain_zh": tidy_zh(zh), "chain_en": en}


def _tie_counts(ties: _Ties, communities: dict[str, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return each actor's degree, weighted degree and brokerage (other communities it has a tie into)."""
    n = len(ties.actors)
    ends = np.concatenate([ties.us, ties.vs])
    others = np.concatenate([ties.vs, ties.us])
    degree = np.bincount(ends, minlength=n)
    weighted = np.bincount(ends, weights=np.concatenate([ties.weights, ties.weights]), minlength=n).astype(np.int64)
    number = np.array([communities[a] for a in ties.actors], dtype=np.int64)
    across = number[ends] != number[others]
    reached = np.unique(ends[across] * (number.max() + 1) + number[others[across]])
    brokerage = np.bincount(reached // (number.max() + 1), minlength=n)
    return degree, weighted, brokerage


def _numbered_communities(ties: _Ties, seed: int) -> dict[str, int]:
    labels = louvain_communities_of_edges(len(ties.actors), ties.us, ties.vs, ties.weights, seed=seed)
    found: dict[int, list[str]] = defaultdict(list)
    for actor, label in zip(ties.actors, labels.tolist(), strict=True):
        found[label].append(actor)
    ordered = sorted((sorted(c) for c in found.values()), key=lambda members: (-len(members), members[0]))
    return {actor: number for number, members in enumerate(ordered) for actor in members}


def single_points_of_failure(source: nx.MultiDiGraph | Store, *, evidence: str = "all") -> pd.DataFrame:
    """Return the partners whose withdrawal would leave covered needs uncovered.

    A need is covered by the live cooperations that serve its unit in its
    field.  A cooperation survives the withdrawal of one partner while it
    keeps another; one with no partner at all is not counted as depending
    on anyone.  A partner *strands* a need when every cooperation covering
    the need has that partner as its only partner.  Demand units are never
    listed: a unit that withdraws takes its needs with it.

    On a store that runs Cypher only the needs, their units and fields, the
    live cooperations serving them in those fields and those cooperations'
    partners come back, in one query (``stranding_facts.cypher``); the
    covering rule is still :meth:`queries._facts.Facts.covering`.

    Parameters
    ----------
    source
        The graph, or a store.
    evidence
        Answer on the facts at or above this level
        (:data:`graph.evidence.EVIDENCE_CHOICES`).

    Returns
    -------
    pandas.DataFrame
        One row per partner and need it would strand, by ``n_stranded``
        (highest first), then actor key and need key, with columns:

        ``actor_key``, ``actor_kind``, ``actor_zh``, ``actor_en``
            The region, park or department.
        ``n_stranded``
            How many needs it would strand (the same on each of its rows).
        ``need_key``, ``unit_key``, ``unit_zh``, ``unit_en``, ``industry_key``, ``industry_zh``, ``industry_en``
            A need it would strand.
        ``cooperations``
            The cooperations that cover that need now, all resting on it.
        ``evidence``
            The weakest level of the need, those cooperations and the
            partner's relationships to them.
        ``chain_zh``, ``chain_en``
            Those facts, need first, by name.

    Examples
    --------
    >>> from queries._examples import example_graph
    >>> spof = single_points_of_failure(example_graph())
    >>> spof[["actor_key", "need_key", "cooperations"]].to_dict("records")
    [{'actor_key': 'park:tianfu', 'need_key': 'need:boao:biomedicine', 'cooperations': ['coop:tianfu-boao']}]
    """
    with gc_paused():
        facts = facts_at(source, evidence, query="stranding_facts.cypher")
        stranded: dict[str, list[tuple[str, str, str, list[str]]]] = defaultdict(list)
        for need, unit, industry in facts.needs:
            covering = facts.covering(unit, industry)
            if not covering:
                continue
            sole = {frozenset(facts.coop_partners.get(c, set())) for c in covering}
            if len(sole) == 1:
                (partners,) = sole
                if len(partners) == 1:
                    (actor,) = partners
                    stranded[actor].append((need, unit, industry, covering))
        rows = []
        for actor, needs in stranded.items():
            for need, unit, industry, covering in needs:
                rows.append(
                    {
                        "actor_key": actor,
                        "actor_kind": facts.kinds[actor],
                        "actor_zh": facts.name_zh(actor),
                        "actor_en": facts.name_en(actor),
                        "n_stranded": len(needs),
                        "need_key": need,
                        "unit_key": unit,
                        "unit_zh": facts.name_zh(unit),
                        "unit_en": facts.name_en(unit),
                        "industry_key": industry,
                        "industry_zh": facts.name_zh(industry),
                        "industry_en": facts.name_en(industry),
                        "cooperations": covering,
                        **_stranded_evidence(facts, actor, need, unit, industry, covering),
                    }
                )
        order = ["n_stranded", "actor_key", "need_key"]
        return frame_from_rows(rows, SPOF_COLUMNS, order, ascending=[False, True, True])


def _stranded_evidence(
    facts: Facts, actor: str, need: str, unit: str, industry: str, covering: list[str]
) -> dict[str, str]:
    """Return the evidence and chain of a need that rests on one partner alone."""
    head = facts.path_level(
        [need, unit, industry], [(unit, RelType.HAS_NEED.value, need), (need, RelType.IN_FIELD.value, industry)]
    )
    levels = [head, facts.level(actor)]
    zh = f"{facts.name_zh(unit)}·{facts.name_zh(industry)}（{EVIDENCE_NAMES_ZH[head]}：需求）"
    en = f"{facts.name_en(unit)} · {facts.name_en(industry)} ({head}: need)"
    for coop in covering:
        rel = next(r for r in _TIE_RELS if (actor, r, coop) in facts.edge_attrs)
        level = facts.path_level(
            [coop], [(coop, RelType.SERVES.value, unit), (coop, RelType.IN_FIELD.value, industry), (actor, rel, coop)]
        )
        levels.append(level)
        zh += f" ← {facts.name_zh(coop)}（{EVIDENCE_NAMES_ZH[level]}：唯一合作方{facts.name_zh(actor)}）"
        en += f" <- {facts.name_en(coop)} ({level}: sole partner {facts.name_en(actor)})"
    return {"evidence": weakest(levels), "chain_zh": tidy_zh(zh), "chain_en": en}
