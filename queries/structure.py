"""Brokers, core and periphery of the actor network: structural holes and k-cores.

Studies of regional innovation-cooperation networks read an actor's position
with a few standard measures, all taken here on the undirected actor
projection of :func:`queries.hubs.actor_projection`:

* Burt's *constraint* (Burt 1992): how much an actor's ties lead to actors
  that are tied to each other.  Low constraint means the actor spans
  structural holes (结构洞): it brokers between otherwise separate groups.
* Burt's *effective size*: the number of an actor's contacts minus their
  redundancy, in Borgatti's (1997) form for unweighted ties,
  ``n - 2t/n`` for ``n`` contacts with ``t`` ties among them.
* *Coreness* (k-core number, Seidman 1983): the largest ``k`` such that the
  actor belongs to a sub-network where everyone has at least ``k`` ties.
* A *core–periphery* split by the main core: an actor is in the core (核心)
  when its coreness is the highest in the network, else in the periphery
  (边缘).

The computations are igraph's (C, fast on national-scale graphs); the tests
hold them to networkx's implementations on small named graphs.
"""

from __future__ import annotations

from typing import Any

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd

__all__ = ["STRUCTURE_COLUMNS", "structural_positions", "structural_positions_of_edges"]

STRUCTURE_COLUMNS = ["actor_key", "constraint", "effective_size", "coreness", "core"]


def structural_positions(P: nx.Graph) -> pd.DataFrame:
    """Return Burt's constraint and effective size, coreness and core membership of every node of ``P``.

    Parameters
    ----------
    P
        An undirected graph whose ties may carry a ``weight`` (default 1),
        such as the actor projection.

    Returns
    -------
    pandas.DataFrame
        One row per node, in the order of ``P.nodes``, with columns:

        ``actor_key``
            The node.
        ``constraint``
            Burt's constraint over the weighted ties, between 0 and about
            1 (higher: more constrained, less of a broker); ``NaN`` for an
            actor without ties.
        ``effective_size``
            Burt's effective size over the ties taken unweighted
            (Borgatti's ``n - 2t/n``); ``NaN`` for an actor without ties.
        ``coreness``
            Its k-core number (0 for an actor without ties).
        ``core``
            ``True`` when it is in the main core (the k-core of the largest
            ``k``, when that ``k`` is at least 1), else ``False``: the
            periphery.

    Examples
    --------
    >>> star = nx.star_graph(["hub", "a", "b", "c"])
    >>> structural_positions(star).round(3).to_dict("list")["effective_size"]
    [3.0, 1.0, 1.0, 1.0]
    >>> structural_positions(nx.Graph([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")]))["core"].tolist()
    [True, True, True, False]
    """
    nodes = list(P.nodes())
    index = {v: i for i, v in enumerate(nodes)}
    triples = [(index[u], index[v], w) for u, v, w in P.edges(data="weight", default=1)]
    us = np.array([u for u, _, _ in triples], dtype=np.int64)
    vs = np.array([v for _, v, _ in triples], dtype=np.int64)
    return structural_positions_of_edges(nodes, us, vs, np.array([w for _, _, w in triples], dtype=float))


def structural_positions_of_edges(
    nodes: list[Any], us: np.ndarray, vs: np.ndarray, weights: np.ndarray
) -> pd.DataFrame:
    """Return :func:`structural_positions` of the graph of ``nodes`` whose edges, in ``G.edges()`` order, are given.

    Parameters
    ----------
    nodes
        The nodes; node ``i`` is ``nodes[i]``.
    us, vs, weights
        The ends (as indices into ``nodes``) and the weight of each edge.

    Returns
    -------
    pandas.DataFrame
        As :func:`structural_positions`.
    """
    if not nodes:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in STRUCTURE_COLUMNS})
    keep = us != vs
    g = ig.Graph(n=len(nodes), edges=np.column_stack([us[keep], vs[keep]]).tolist(), directed=False)
    g.es["weight"] = np.asarray(weights, dtype=float)[keep].tolist()
    degree = np.array(g.degree(), dtype=float)
    constraint = np.array(g.constraint(weights="weight"), dtype=float)
    # Ties among an actor's contacts: its triangles, from its local clustering.
    clustering = np.nan_to_num(np.array(g.transitivity_local_undirected(mode="zero"), dtype=float))
    ties_among = clustering * degree * (degree - 1) / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        effective = np.where(degree > 0, degree - 2 * ties_among / degree, np.nan)
    coreness = np.array(g.coreness(), dtype=int)
    top = int(coreness.max())
    frame = pd.DataFrame(
        {
            "actor_key": nodes,
            "constraint": np.where(degree > 0, constraint, np.nan),
            "effective_size": effective,
            "coreness": coreness,
            "core": (coreness == top) & (top > 0),
        }
    )
    frame["core"] = frame["core"].astype(bool)
    return frame[STRUCTURE_COLUMNS]
