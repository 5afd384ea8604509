"""Louvain communities on arrays: networkx's ``louvain_communities``, the same partition, faster.

networkx 3.6 moves one node at a time, in an order shuffled with the seed,
into the neighbouring community of best modularity gain, and aggregates the
communities into nodes between levels.  This module runs the same steps on
compressed adjacency arrays and gives the same partition for the same seed:

* each level shuffles ``range(n)`` with the same :class:`random.Random`,
  so the visiting order is networkx's;
* a node's candidate communities are taken in the order in which its
  neighbours (in adjacency order) first reach them, and the first of the
  largest gains wins, only when it is above zero, as in networkx;
* the gains are computed with the same floating-point operations, in the
  same order;
* the aggregated graph's adjacency is built in the order networkx's
  ``_gen_graph`` adds its edges, and the levels stop on the same
  modularity test.

The speed comes from evaluating many nodes of the visiting order at once,
as if none of them moved, and keeping the answers up to the first node that
does move: until then the state the others read is unchanged, since a node
that stays leaves every community total as it was.  That last point holds
because every weight is an integer, so the sums are exact in any order;
graphs with other weights go to networkx.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np

__all__ = ["louvain_communities", "louvain_communities_of_edges"]

#: Modularity gain below which the levels stop (networkx's default).
THRESHOLD = 1e-7

#: Largest number of nodes evaluated together.
MOST_AT_ONCE = 4096


@dataclass
class _Level:
    """One level's graph: neighbours in adjacency order, self-loops apart."""

    n: int
    indptr: np.ndarray  # rows of the neighbours, self-loops left out
    neighbours: np.ndarray
    weights: np.ndarray  # float64 holding integers
    rows: np.ndarray  # every entry, self-loops included, in adjacency order
    cols: np.ndarray
    entry_weights: np.ndarray  # int64
    degree: np.ndarray  # int64, self-loops counted twice


def louvain_communities(G: nx.Graph, *, seed: int, weight: str = "weight") -> list[set[Any]]:
    """Return the communities networkx's ``louvain_communities(G, weight=weight, seed=seed)`` returns.

    Resolution 1 and threshold ``1e-7``, networkx's defaults.  The
    communities come as a list of sets in networkx's order.

    Parameters
    ----------
    G
        An undirected graph (not a multigraph).  Edges without ``weight``
        weigh 1.
    seed
        Seed of the visiting order, as in networkx.
    weight
        Edge attribute holding the weight.

    Examples
    --------
    >>> G = nx.barbell_graph(4, 0)
    >>> sorted(sorted(c) for c in louvain_communities(G, seed=1))
    [[0, 1, 2, 3], [4, 5, 6, 7]]
    """
    if G.is_directed() or G.is_multigraph():
        msg = f"louvain_communities takes an undirected simple graph, not a {type(G).__name__}"
        raise TypeError(msg)
    nodes = list(G)
    index = {v: i for i, v in enumerate(nodes)}
    triples = [(index[u], index[v], w) for u, v, w in G.edges(data=weight, default=1)]
    raw = [w for _, _, w in triples]
    if not all(isinstance(w, int | np.integer) or (isinstance(w, float) and w.is_integer()) for w in raw):
        return [set(c) for c in nx.community.louvain_communities(G, weight=weight, seed=seed)]
    us = np.array([u for u, _, _ in triples], dtype=np.int64)
    vs = np.array([v for _, v, _ in triples], dtype=np.int64)
    ws = np.array(raw, dtype=np.int64)
    labels = louvain_communities_of_edges(len(nodes), us, vs, ws, seed=seed)
    found: list[set[Any]] = [set() for _ in range(int(labels.max()) + 1 if len(labels) else 0)]
    for node, label in zip(nodes, labels.tolist(), strict=True):
        found[label].add(node)
    return found


def louvain_communities_of_edges(n: int, us: np.ndarray, vs: np.ndarray, ws: np.ndarray, *, seed: int) -> np.ndarray:
    """Return the community number of each of ``n`` nodes, numbered in networkx's order of communities.

    Parameters
    ----------
    n
        Number of nodes, ``0 .. n-1`` in the graph's node order.
    us, vs, ws
        The edges as ``G.edges(data="weight")`` yields them, in that order:
        each edge once, integer weights.
    seed
        Seed of the visiting order.
    """
    rng = random.Random(seed)
    if len(us) == 0:
        return np.arange(n, dtype=np.int64)
    level = _level_of_sequence(n, us, vs, ws)
    total = int(level.degree.sum())
    m = total / 2
    mod = _modularity(level, np.arange(n, dtype=np.int64), total)
    community, improved = _one_level(level, m, rng)
    of_node = _numbered(community)
    improved = True
    while improved:
        found = of_node.copy()
        new_mod = _modularity(level, community, total)
        if new_mod - mod <= THRESHOLD:
            return found
        mod = new_mod
        level = _aggregated(level, community)
        community, improved = _one_level(level, m, rng)
        of_node = _numbered(community)[of_node]
    return found


def _numbered(community: np.ndarray) -> np.ndarray:
    """Renumber communities ``0 ..`` in the order of their old numbers, the empty ones dropped."""
    used = np.zeros(len(community), dtype=bool)
    used[community] = True
    number = np.cumsum(used) - 1
    out: np.ndarray = number[community]
    return out


def _level_of_sequence(n: int, us: np.ndarray, vs: np.ndarray, ws: np.ndarray) -> _Level:
    """Return the graph networkx gets by adding the edges ``us, vs, ws`` one by one, in that order.

    An edge takes its place in both ends' adjacency when it is first added;
    the sequence holds each edge once.
    """
    position = np.arange(len(us), dtype=np.int64)
    loop = us == vs
    rows = np.concatenate([us, vs[~loop]])
    cols = np.concatenate([vs, us[~loop]])
    weights = np.concatenate([ws, ws[~loop]])
    order = np.lexsort((np.concatenate([position, position[~loop]]), rows))
    rows, cols, weights = rows[order], cols[order], weights[order]
    degree = np.bincount(rows, weights=weights, minlength=n).astype(np.int64)
    degree += np.bincount(rows[rows == cols], weights=weights[rows == cols], minlength=n).astype(np.int64)
    keep = rows != cols
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows[keep], minlength=n), out=indptr[1:])
    return _Level(
        n=n,
        indptr=indptr,
        neighbours=cols[keep],
        weights=weights[keep].astype(np.float64),
        rows=rows,
        cols=cols,
        entry_weights=weights,
        degree=degree,
    )


def _edge_sequence(level: _Level) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return the level's edges in the order ``G.edges()`` yields them: each once, from its lower end."""
    first = level.cols >= level.rows
    return level.rows[first], level.cols[first], level.entry_weights[first]


def _aggregated(level: _Level, community: np.ndarray) -> _Level:
    """Return the graph of the communities, built as networkx's ``_gen_graph`` builds it."""
    number = _numbered(community)
    us, vs, ws = _edge_sequence(level)
    a, b = number[us], number[vs]
    low, high = np.minimum(a, b), np.maximum(a, b)
    k = int(number.max()) + 1
    key = low * k + high
    unique, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    summed = np.bincount(inverse, weights=ws, minlength=len(unique)).astype(np.int64)
    # A pair's place is where it first appears, and it joins the graph the way round it first came.
    order = np.argsort(first, kind="stable")
    pick = first[order]
    return _level_of_sequence(k, a[pick], b[pick], summed[order])


def _modularity(level: _Level, community: np.ndarray, total: int) -> float:
    """Return networkx's ``modularity`` of ``community`` on the level, summed in the same order."""
    us, vs, ws = _edge_sequence(level)
    inside = community[us] == community[vs]
    k = len(community)
    internal = np.bincount(community[us[inside]], weights=ws[inside], minlength=k).astype(np.int64)
    degrees = np.bincount(community, weights=level.degree, minlength=k).astype(np.int64)
    used = np.zeros(k, dtype=bool)
    used[community] = True
    m = total / 2
    norm = 1 / total**2
    return float(
        sum(lc / m - d * d * norm for lc, d in zip(internal[used].tolist(), degrees[used].tolist(), strict=True))
    )


def _one_level(level: _Level, m: float, rng: random.Random) -> tuple[np.ndarray, bool]:
    """Move nodes between communities as networkx's ``_one_level`` does; return each node's community."""
    n = level.n
    shuffled = list(range(n))
    rng.shuffle(shuffled)
    order = np.array(shuffled, dtype=np.int64)
    visit = _visit(level, order)
    community = np.arange(n, dtype=np.int64)
    totals = level.degree.astype(np.float64)
    degree = level.degree.astype(np.float64)
    two_m2 = 2 * m**2
    improved = False
    moves = 1
    while moves > 0:
        moves = 0
        start, width = 0, 1
        while start < n:
            if width == 1:
                node = int(order[start])
                target = _target(level, node, community, totals, degree[node], m, two_m2)
                targets = np.array([target])
                batch = order[start : start + 1]
            else:
                batch = order[start : start + width]
                targets = _targets(visit, start, start + len(batch), community, totals, degree, m, two_m2)
            moved = np.flatnonzero(targets != community[batch])
            if len(moved) == 0:
                start += len(batch)
                width = min(2 * width, MOST_AT_ONCE)
                continue
            j = int(moved[0])
            node, target = int(batch[j]), int(targets[j])
            totals[community[node]] -= degree[node]
            totals[target] += degree[node]
            community[node] = target
            improved = True
            moves += 1
            start += j + 1
            width = max(1, 2 * j)
    return community, improved


def _target(
    level: _Level, node: int, community: np.ndarray, totals: np.ndarray, d: float, m: float, two_m2: float
) -> int:
    """Return the community ``node`` would move to (its own to stay): :func:`_targets` for one node."""
    start, end = level.indptr[node], level.indptr[node + 1]
    own = int(community[node])
    if start == end:
        return own
    near = community[level.neighbours[start:end]]
    into = np.bincount(near, weights=level.weights[start:end], minlength=level.n)
    totals[own] -= d  # as networkx does, and undone exactly below: the totals are integers
    remove_cost = -into[own] / m + (totals[own] * d) / two_m2
    gain = remove_cost + into[near] / m - (totals[near] * d) / two_m2
    totals[own] += d
    best = int(np.argmax(gain))
    return int(near[best]) if gain[best] > 0 else own


@dataclass
class _Visit:
    """A level's neighbours laid out in visiting order, so that a run of the order is one slice."""

    order: np.ndarray
    indptr: np.ndarray  # bounds of the neighbours of the node visited ``p``-th
    neighbours: np.ndarray
    weights: np.ndarray
    position: np.ndarray  # for each entry, the place in the order of the node it belongs to


def _visit(level: _Level, order: np.ndarray) -> _Visit:
    """Return the level's neighbour lists in the order ``order`` visits the nodes."""
    lengths = (level.indptr[1:] - level.indptr[:-1])[order]
    indptr = np.zeros(len(order) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    position = np.repeat(np.arange(len(order)), lengths)
    entries = np.arange(indptr[-1]) - indptr[position] + level.indptr[order][position]
    return _Visit(order, indptr, level.neighbours[entries], level.weights[entries], position)


def _targets(
    visit: _Visit,
    start: int,
    stop: int,
    community: np.ndarray,
    totals: np.ndarray,
    degree: np.ndarray,
    m: float,
    two_m2: float,
) -> np.ndarray:
    """Return the community each node visited from ``start`` to ``stop`` would move to (its own to stay).

    All of them are read from one state, as if none moved.
    """
    batch = visit.order[start:stop]
    own: np.ndarray = community[batch]
    lo, hi = int(visit.indptr[start]), int(visit.indptr[stop])
    total = hi - lo
    if total == 0:
        return own
    b = len(batch)
    lengths = visit.indptr[start + 1 : stop + 1] - visit.indptr[start:stop]
    first = visit.indptr[start:stop] - lo
    segment = visit.position[lo:hi] - start
    near = community[visit.neighbours[lo:hi]]
    weights = visit.weights[lo:hi]
    n = len(community)
    # Weight from each node into each neighbouring community: integers, so summed exactly in any order.
    _, inverse = np.unique(segment * n + near, return_inverse=True)
    into = np.bincount(inverse, weights=weights)
    own_near = near == own[segment]
    into_own = np.bincount(segment, weights=np.where(own_near, weights, 0.0), minlength=b)
    d = degree[batch]
    own_total = totals[own] - d
    remove_cost = -into_own / m + (own_total * d) / two_m2
    near_total = np.where(own_near, own_total[segment], totals[near])
    gain = remove_cost[segment] + into[inverse] / m - (near_total * d[segment]) / two_m2
    some = lengths > 0
    bounds = first[some]
    best = np.maximum.reduceat(gain, bounds)
    where_best = np.where(gain == np.repeat(best, lengths[some]), np.arange(total), total)
    pick = np.minimum.reduceat(where_best, bounds)
    targets: np.ndarray = own.copy()
    targets[some] = np.where(best > 0, near[np.minimum(pick, total - 1)], own[some])
    return targets
