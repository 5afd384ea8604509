"""Centralities that size the nodes of a map, and its force-directed layout."""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from typing import Any

import networkx as nx
import numpy as np

from graph.errors import HainetError
from graph.render_views import _META_KINDS

__all__ = ["SIZE_MEASURES", "node_centrality", "node_positions"]

#: Centrality measures that can size the nodes of a map.
SIZE_MEASURES = ("degree", "pagerank", "betweenness")

_SEED = 20201202


def _analysed_graph(G: nx.MultiDiGraph) -> nx.Graph:
    """Return the undirected simple graph of actors that centralities are computed on."""
    H = nx.Graph()
    H.add_nodes_from(sorted(n for n, a in G.nodes(data=True) if a.get("kind") not in _META_KINDS))
    H.add_edges_from((u, v) for u, v in G.edges() if u in H and v in H and u != v)
    return H


def node_centrality(G: nx.MultiDiGraph, measure: str = "pagerank", *, seed: int = _SEED) -> dict[str, float]:
    """Return a centrality of every node of ``G`` other than mechanisms and sources.

    Centralities are computed on the undirected simple graph of the other
    nodes: a mechanism ties every member to every other, and a source is
    bookkeeping.  ``degree`` counts neighbours; ``pagerank`` uses a damping
    of 0.85; ``betweenness`` is normalised, exact up to 1,000 nodes and
    estimated from 256 seeded sample sources above that.

    Parameters
    ----------
    G
        The graph.
    measure
        One of :data:`SIZE_MEASURES`.
    seed
        Seed of the betweenness sample.

    Returns
    -------
    dict[str, float]
        Node key to value, as Python floats.

    Examples
    --------
    >>> G = nx.MultiDiGraph([("a", "b"), ("a", "c")])
    >>> node_centrality(G, "degree")
    {'a': 2.0, 'b': 1.0, 'c': 1.0}
    """
    if measure not in SIZE_MEASURES:
        msg = f"unknown measure {measure!r}: choose one of {', '.join(SIZE_MEASURES)}"
        raise HainetError(msg)
    H = _analysed_graph(G)
    if H.number_of_nodes() == 0:
        return {}
    if measure == "degree":
        values: Mapping[Any, Any] = dict(H.degree())
    elif measure == "pagerank":
        values = nx.pagerank(H, alpha=0.85)
    else:
        sample = None if H.number_of_nodes() <= 1000 else 256
        values = nx.betweenness_centrality(H, k=sample, seed=seed)
    return {str(k): float(v) for k, v in sorted(values.items())}


def _iterations(n: int) -> int:
    """Return layout iterations for ``n`` nodes: 500 up to 2,000 nodes, then fewer, to keep large maps quick.

    Examples
    --------
    >>> _iterations(500), _iterations(20_000), _iterations(100_000)
    (500, 60, 60)
    """
    return 500 if n <= 2_000 else max(60, 1_000_000 // n)


def node_positions(G: nx.Graph, *, seed: int = _SEED) -> dict[str, tuple[float, float]]:
    """Return a deterministic force-directed layout of ``G`` in screen units.

    The layout is igraph's Fruchterman-Reingold (its grid variant above
    1,000 nodes; 500 iterations up to 2,000 nodes, fewer above, at least
    60), started from seeded random positions with igraph's random
    numbers seeded too, then scaled so that the drawing spans about
    ``max(600, 90 * sqrt(n))`` units, and rounded to 0.1.  The same graph
    and seed give the same positions.

    Parameters
    ----------
    G
        Any networkx graph; direction and parallel edges are ignored.
    seed
        Seed of the starting positions and of igraph's random numbers.

    Returns
    -------
    dict[str, tuple[float, float]]
        Node to ``(x, y)``, in the order of ``sorted(G)``.

    Examples
    --------
    >>> pos = node_positions(nx.path_graph(["a", "b", "c"]))
    >>> sorted(pos) == ["a", "b", "c"] and pos == node_positions(nx.path_graph(["a", "b", "c"]))
    True
    """
    import igraph as ig

    order = sorted(G, key=str)
    n = len(order)
    if n == 0:
        return {}
    if n == 1:
        return {order[0]: (0.0, 0.0)}
    index = {node: i for i, node in enumerate(order)}
    pairs = sorted({(min(index[u], index[v]), max(index[u], index[v])) for u, v in G.edges() if u != v})
    graph = ig.Graph(n=n, edges=pairs)
    start = np.random.default_rng(seed).uniform(-1.0, 1.0, size=(n, 2)) * math.sqrt(n)
    ig.set_random_number_generator(random.Random(seed))
    try:
        layout = graph.layout_fruchterman_reingold(seed=start.tolist(), niter=_iterations(n), grid="auto")
    finally:
        ig.set_random_number_generator(random)
    coords = np.asarray(layout.coords, dtype=float)
    coords -= (coords.max(axis=0) + coords.min(axis=0)) / 2
    span = float(np.abs(coords).max()) * 2 or 1.0
    coords *= max(600.0, 90.0 * math.sqrt(n)) / span
    return {str(node): (round(float(x), 1), round(float(y), 1)) for node, (x, y) in zip(order, coords, strict=True)}
