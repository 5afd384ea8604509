"""Hub measures computed inside Neo4j by Graph Data Science (GDS), driven by ``graphdatascience``.

The actor projection of :mod:`queries.hubs` (actors tied when they share a
live cooperation, weight = the number they share) is built on the server by
``actor_projection.cypher`` as a GDS in-memory graph; PageRank,
betweenness, Louvain and weakly connected components run there, and only
one row per actor comes back.  The graph is dropped again afterwards.

The numbers are put on the scale networkx uses, so that they compare with
:func:`queries.hubs.hub_scores`:

* GDS PageRank scores sum to about the number of nodes (each starts at
  ``1 - damping``); divided by their sum they are networkx's PageRank, which
  on this graph (an isolated actor is its own dangling node) is the same
  linear system up to that factor;
* GDS betweenness on an undirected graph counts every pair once; times two
  over ``(n - 1)(n - 2)`` it is networkx's normalised betweenness;
* Louvain communities and components are numbered as :mod:`queries.hubs`
  numbers its communities: largest first, ties by their smallest key.

GDS is a server plugin (``NEO4J_LOCAL_GDS=1 scripts/neo4j-local start``
loads it into the local server; see ``scripts/neo4j/README.md``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from importlib import resources
from typing import Any

import pandas as pd
from neo4j import GraphDatabase
from neo4j.exceptions import ClientError, DriverError, Neo4jError

from graph.errors import HainetError, StoreError, StoreUnavailableError
from graph.evidence import EVIDENCE_LEVELS, allowed_levels
from graph.settings import Neo4jSettings, neo4j_settings

__all__ = [
    "GDS_COLUMNS",
    "LIVE_STATUSES",
    "gds_version",
    "hub_measures_in_server",
    "numbered_groups",
    "projection_cypher",
]

GDS_COLUMNS = [
    "actor_key",
    "actor_kind",
    "actor_zh",
    "actor_en",
    "degree",
    "weighted_degree",
    "pagerank",
    "betweenness",
    "community",
    "community_size",
    "component",
    "component_size",
]

#: Statuses of a cooperation that make it a tie (``queries._facts.LIVE_STATUSES``).
LIVE_STATUSES = ("active", "planned")

#: PageRank as :func:`queries.hubs.hub_scores` asks networkx for it.
DAMPING = 0.85

_KEYS = """
UNWIND $ids AS id
WITH id, gds.util.asNode(id) AS n
RETURN id AS node_id, n.key AS actor_key, labels(n)[0] AS actor_kind,
       n.name_zh AS actor_zh, n.name_en AS actor_en
"""


def projection_cypher() -> str:
    """Return the text of ``actor_projection.cypher``, the projection the measures run on.

    Examples
    --------
    >>> text = projection_cypher()
    >>> "gds.graph.project($graph_name" in text and "$levels" in text
    True
    """
    return resources.files("graph").joinpath("actor_projection.cypher").read_text(encoding="utf-8")


def numbered_groups(groups: Mapping[str, Any]) -> dict[str, int]:
    """Return a number for each key's group: the largest group is 0, ties by their smallest key.

    Parameters
    ----------
    groups
        Key to any label of its group (a GDS community or component id).

    Examples
    --------
    >>> numbered_groups({"b": 7, "a": 9, "c": 7})
    {'b': 0, 'c': 0, 'a': 1}
    """
    members: dict[Any, list[str]] = {}
    for key, label in groups.items():
        members.setdefault(label, []).append(key)
    ordered = sorted((sorted(m) for m in members.values()), key=lambda m: (-len(m), m[0]))
    return {key: number for number, group in enumerate(ordered) for key in group}


def gds_version(uri: str | Neo4jSettings | None = None) -> str | None:
    """Return the version of Graph Data Science in the server at ``uri``, or ``None`` without it.

    ``uri`` and the credentials come from :func:`graph.settings.neo4j_settings`,
    or ``uri`` is the settings themselves (a store's ``settings``).

    Raises
    ------
    StoreUnavailableError
        The server cannot be reached or refuses the credentials.
    """
    settings = _settings(uri)
    try:
        with GraphDatabase.driver(settings.uri, auth=(settings.username, settings.password)) as driver:
            records = driver.execute_query(
                "SHOW PROCEDURES YIELD name WHERE name = 'gds.version' RETURN count(*) AS n",
                database_=settings.database,
            ).records
            if records[0]["n"] == 0:
                return None
            version = driver.execute_query(
                "CALL gds.version() YIELD gdsVersion RETURN gdsVersion", database_=settings.database
            ).records
    except (DriverError, Neo4jError) as e:
        msg = f"cannot ask {settings.uri} for Graph Data Science: {e}"
        raise StoreUnavailableError(msg) from e
    return str(version[0]["gdsVersion"])


def _settings(uri: str | Neo4jSettings | None) -> Neo4jSettings:
    return uri if isinstance(uri, Neo4jSettings) else neo4j_settings(uri)


@contextmanager
def _client(settings: Neo4jSettings) -> Iterator[Any]:
    # Imported here: graphdatascience is the optional extra ``gds``.
    from graphdatascience import GraphDataScience

    try:
        gds = GraphDataScience(
            settings.uri,
            auth=(settings.username, settings.password),
            database=settings.database,
            arrow=False,
            show_progress=False,
        )
    except (DriverError, Neo4jError) as e:
        msg = f"cannot reach Graph Data Science at {settings.uri}: {e}"
        raise StoreUnavailableError(msg) from e
    try:
        yield gds
    finally:
        gds.close()


def hub_measures_in_server(
    uri: str | Neo4jSettings | None = None,
    *,
    evidence: str = "all",
    betweenness_sample: int | None = None,
    seed: int = 42,
    concurrency: int = 1,
) -> pd.DataFrame:
    """Return PageRank, betweenness, Louvain community and component of every actor, computed by GDS.

    Parameters
    ----------
    uri
        The Neo4j server, with Graph Data Science installed; with the
        credentials, from :func:`graph.settings.neo4j_settings`.  Or the
        settings themselves, such as a
        :class:`graph.neo4j_store.Neo4jStore`'s ``settings``, to measure
        the store's own database.
    evidence
        Project the facts at or above this level
        (:data:`graph.evidence.EVIDENCE_CHOICES`).
    betweenness_sample
        Estimate betweenness from this many source actors drawn by GDS with
        ``seed``; ``None`` for exact betweenness.
    seed
        Seed of the betweenness sample.
    concurrency
        Threads GDS uses.  With 1, Louvain gives the same communities on
        every run.

    Returns
    -------
    pandas.DataFrame
        One row per actor, by PageRank (highest first) then key, with
        columns:

        ``actor_key``, ``actor_kind``, ``actor_zh``, ``actor_en``
            The region, park, department or demand unit (its label is the kind).
        ``degree``
            Actors it is tied to.
        ``weighted_degree``
            Live cooperations summed over its ties.
        ``pagerank``
            Weighted PageRank (damping 0.85), summing to 1 over the actors.
        ``betweenness``
            Betweenness over hop distances, normalised as networkx does
            (by ``(n - 1)(n - 2) / 2`` pairs); estimated with ``betweenness_sample``.
        ``community``, ``community_size``
            Weighted Louvain community, numbered by :func:`numbered_groups`, and its size.
        ``component``, ``component_size``
            Weakly connected component, numbered the same way, and its size.

    Raises
    ------
    HainetError
        ``evidence`` is not a level, or ``betweenness_sample`` or ``concurrency`` is below 1.
    StoreUnavailableError
        The server cannot be reached.
    StoreError
        The server has no Graph Data Science, or a GDS call fails.

    Examples
    --------
    >>> hub_measures_in_server(betweenness_sample=0)
    Traceback (most recent call last):
    graph.errors.HainetError: betweenness_sample must be at least 1 (or None for exact), not 0
    """
    levels = allowed_levels(evidence)
    if betweenness_sample is not None and betweenness_sample < 1:
        msg = f"betweenness_sample must be at least 1 (or None for exact), not {betweenness_sample}"
        raise HainetError(msg)
    if concurrency < 1:
        msg = f"concurrency must be at least 1, not {concurrency}"
        raise HainetError(msg)
    settings = _settings(uri)
    if gds_version(settings) is None:
        msg = f"the server at {settings.uri} has no Graph Data Science (no procedure gds.version)"
        raise StoreError(msg)
    parameters = {
        "graph_name": f"hainet-actors-{uuid.uuid4().hex}",
        "live": list(LIVE_STATUSES),
        "levels": list(levels),
        "known": list(EVIDENCE_LEVELS),
    }
    with _client(settings) as gds:
        try:
            G, _ = gds.graph.project.cypher(projection_cypher(), **parameters)
        except (ClientError, ValueError) as e:
            msg = f"Graph Data Science could not project the actor network: {e}"
            raise StoreError(msg) from e
        try:
            return _measures(gds, G, betweenness_sample=betweenness_sample, seed=seed, concurrency=concurrency)
        except (DriverError, Neo4jError) as e:
            msg = f"Graph Data Science failed on the actor network: {e}"
            raise StoreError(msg) from e
        finally:
            gds.graph.drop(G, fail_if_missing=False)


def _measures(gds: Any, G: Any, *, betweenness_sample: int | None, seed: int, concurrency: int) -> pd.DataFrame:
    common = {"concurrency": concurrency, "log_progress": False}
    rank = gds.page_rank.stream(
        G,
        damping_factor=DAMPING,
        tolerance=1e-12,
        max_iterations=1000,
        relationship_weight_property="weight",
        **common,
    ).set_index("nodeId")["score"]
    between = gds.betweenness.stream(
        G,
        sampling_size=betweenness_sample,
        sampling_seed=None if betweenness_sample is None else seed,
        **common,
    ).set_index("nodeId")["score"]
    louvain = gds.louvain.stream(G, relationship_weight_property="weight", **common).set_index("nodeId")["communityId"]
    wcc = gds.wcc.stream(G, **common).set_index("nodeId")["componentId"]
    degree = gds.degree.stream(G, **common).set_index("nodeId")["score"]
    weighted = gds.degree.stream(G, relationship_weight_property="weight", **common).set_index("nodeId")["score"]

    ids = [int(i) for i in rank.index]
    keys = gds.run_cypher(_KEYS, params={"ids": ids}).set_index("node_id")
    key_of = keys["actor_key"].to_dict()
    n = len(ids)
    scale = 2 / ((n - 1) * (n - 2)) if n > 2 else 0.0
    if betweenness_sample is not None and betweenness_sample < n:
        # GDS sums the dependencies of the sampled sources only; scaled up to all n, as networkx does.
        scale *= n / betweenness_sample
    total = float(rank.sum()) or 1.0
    communities = numbered_groups({key_of[i]: int(louvain[i]) for i in ids})
    components = numbered_groups({key_of[i]: int(wcc[i]) for i in ids})
    community_size = pd.Series(communities).value_counts().to_dict()
    component_size = pd.Series(components).value_counts().to_dict()
    rows = []
    for i in ids:
        key = key_of[i]
        rows.append(
            {
                "actor_key": key,
                "actor_kind": str(keys.at[i, "actor_kind"]),
                "actor_zh": _text(keys.at[i, "actor_zh"]),
                "actor_en": _text(keys.at[i, "actor_en"]),
                "degree": int(degree[i]),
                "weighted_degree": round(float(weighted[i])),
                "pagerank": float(rank[i]) / total,
                "betweenness": float(between[i]) * scale,
                "community": communities[key],
                "community_size": int(community_size[communities[key]]),
                "component": components[key],
                "component_size": int(component_size[components[key]]),
            }
        )
    return _frame(rows)


def _text(value: Any) -> str:
    return "" if value is None or (isinstance(value, float) and value != value) else str(value)


def _frame(rows: Iterable[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(list(rows), columns=GDS_COLUMNS)
    frame["_rank"] = frame["pagerank"].round(12)
    frame = frame.sort_values(["_rank", "actor_key"], ascending=[False, True], kind="mergesort")
    return frame.drop(columns="_rank").reset_index(drop=True)
