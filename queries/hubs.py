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
from collections import Counter, defaultdict
from itertools import combinations
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from graph.errors import HainetError, StoreError
from graph.evidence import EVIDENCE_LEVELS, EVIDENCE_NAMES_ZH, fact_rank, weakest
from graph.gds_server import gds_version, hub_measures_in_server
from graph.schema import RelType
from graph.settings import Neo4jSettings
from graph.store import Store
from queries._facts import ACTOR_KINDS, Facts, facts_at, frame_from_rows, gc_paused
from queries._louvain import louvain_communities
from queries.coverage import tidy_zh
from queries.structure import structural_positions

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


def _projection(facts: Facts) -> nx.Graph:
    weights: Counter[tuple[str, str]] = Counter()
    for coop in facts.status:
        if not facts.is_live(coop):
            continue
        members = sorted(facts.coop_partners.get(coop, set()) | facts.coop_units.get(coop, set()))
        weights.update(combinations(members, 2))
    P = nx.Graph()
    for key in sorted(k for k, kind in facts.kinds.items() if kind in ACTOR_KINDS):
        P.add_node(key, kind=facts.kinds[key], name_zh=facts.name_zh(key), name_en=facts.name_en(key))
    P.add_weighted_edges_from((u, v, w) for (u, v), w in sorted(weights.items()))
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
        P = _projection(facts)
        n = P.number_of_nodes()
        if n == 0:
            empty = frame_from_rows([], HUB_COLUMNS, ["actor_key"])
            empty.attrs["algorithms"] = "networkx" if settings is None else "gds"
            return empty
        k = None if n < exact_below else min(betweenness_k, n)
        if settings is None:
            betweenness = betweenness_centrality(P, k=k, seed=seed)
            pagerank = nx.pagerank(P, alpha=0.85, weight="weight", tol=1e-12, max_iter=1000)
            communities = _numbered_communities(P, seed)
        else:
            pagerank, betweenness, communities = _measures_in_server(settings, P, evidence=evidence, k=k, seed=seed)
        positions = {str(k): v for k, v in structural_positions(P).set_index("actor_key").to_dict("index").items()}
        sizes: dict[int, int] = defaultdict(int)
        for c in communities.values():
            sizes[c] += 1
        coops: dict[str, int] = defaultdict(int)
        for coop in facts.status:
            if facts.is_live(coop):
                for actor in facts.coop_partners.get(coop, set()) | facts.coop_units.get(coop, set()):
                    coops[actor] += 1
        rows: list[dict[str, Any]] = []
        for actor, attrs in P.nodes(data=True):
            own = communities[actor]
            rows.append(
                {
                    "actor_key": actor,
                    "actor_kind": attrs["kind"],
                    "actor_zh": attrs["name_zh"],
                    "actor_en": attrs["name_en"],
                    "n_cooperations": coops[actor],
                    "degree": int(P.degree(actor)),
                    "weighted_degree": int(P.degree(actor, weight="weight")),
                    "betweenness": float(betweenness[actor]),
                    "pagerank": float(pagerank[actor]),
                    "community": own,
                    "community_size": sizes[own],
                    "brokerage": len({communities[v] for v in P[actor]} - {own}),
                    "constraint": float(positions[actor]["constraint"]),
                    "effective_size": float(positions[actor]["effective_size"]),
                    "coreness": int(positions[actor]["coreness"]),
                    "core": bool(positions[actor]["core"]),
                    **_tie_evidence(facts, actor),
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
    settings: Neo4jSettings, P: nx.Graph, *, evidence: str, k: int | None, seed: int
) -> tuple[dict[str, float], dict[str, float], dict[str, int]]:
    """Return PageRank, betweenness and numbered communities of the actors of ``P``, computed by GDS."""
    measures = hub_measures_in_server(settings, evidence=evidence, betweenness_sample=k, seed=seed).set_index(
        "actor_key"
    )
    if set(measures.index) != set(P.nodes):
        msg = (
            f"Graph Data Science projected {len(measures)} actors where the fetched facts hold "
            f"{P.number_of_nodes()}: the store changed during the question"
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
    n = len(nodes)
    if k is not None and k >= n:
        k = None
    sources = nodes if k is None else random.Random(seed).sample(nodes, k)
    if n < 3:
        return dict.fromkeys(nodes, 0.0)
    index = {v: i for i, v in enumerate(nodes)}
    edges = np.array([(index[u], index[v]) for u, v in P.edges() if u != v], dtype=np.int64).reshape(-1, 2)
    rows = np.concatenate([edges[:, 0], edges[:, 1]])
    cols = np.concatenate([edges[:, 1], edges[:, 0]])
    A = sp.csr_array((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    A.data[:] = 1.0  # a repeated pair must not count twice
    raw = np.zeros(n)
    width = max(1, min(256, 4_000_000 // n))
    source_index = np.array([index[s] for s in sources], dtype=np.int64)
    for start in range(0, len(source_index), width):
        raw += _dependencies(A, source_index[start : start + width])
    if k is None:
        scaled = raw / ((n - 1) * (n - 2))
    else:
        scale = np.full(n, 1 / (k * (n - 2)))
        scale[source_index] = 1 / ((k - 1) * (n - 2)) if k > 1 else np.nan
        scaled = raw * scale
    return {v: float(scaled[i]) for i, v in enumerate(nodes)}


def _dependencies(A: sp.csr_array, sources: np.ndarray) -> np.ndarray:
    """Return, per node, the sum of its Brandes dependencies over ``sources`` (one column each)."""
    n, width = A.shape[0], len(sources)
    columns = np.arange(width)
    sigma = np.zeros((n, width))
    sigma[sources, columns] = 1.0
    dist = np.full((n, width), -1, dtype=np.int32)
    dist[sources, columns] = 0
    frontier = sigma.copy()
    depth = 0
    while True:
        reached = A @ frontier
        new = (dist < 0) & (reached > 0)
        if not new.any():
            break
        depth += 1
        dist[new] = depth
        frontier = np.where(new, reached, 0.0)
        sigma += frontier
    delta = np.zeros((n, width))
    for level in range(depth, 0, -1):
        at = dist == level
        coefficient = np.where(at, (1.0 + delta) / np.where(at, sigma, 1.0), 0.0)
        delta += np.where(dist == level - 1, sigma * (A @ coefficient), 0.0)
    delta[sources, columns] = 0.0
    totals: np.ndarray = delta.sum(axis=1)
    return totals


_TIE_RELS = (RelType.PARTNER_IN.value, RelType.SUPPORTS.value)


def _tie_evidence(facts: Facts, actor: str) -> dict[str, str]:
    """Return the evidence and chain of an actor's ties: its live cooperations and its relationships to them."""
    live, edge_attrs, rank_of = facts.live, facts.edge_attrs, facts.rank
    serves = RelType.SERVES.value
    ties = []
    for coop in facts.partner_coops.get(actor, set()) | facts.unit_coops.get(actor, set()):
        if coop not in live:
            continue
        rank = rank_of(coop)
        for attrs in (edge_attrs.get((actor, rel, coop)) for rel in _TIE_RELS):
            if attrs is not None:
                rank = max(rank, fact_rank(attrs))
        attrs = edge_attrs.get((coop, serves, actor))
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


def _numbered_communities(P: nx.Graph, seed: int) -> dict[str, int]:
    found = louvain_communities(P, seed=seed)
    ordered = sorted((sorted(c) for c in found), key=lambda members: (-len(members), members[0]))
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
