"""PageRank and betweenness of an undirected graph given as edge arrays, equal to networkx's bit for bit.

The actor projection of :mod:`queries.hubs` comes as arrays: node ``i`` is
the ``i``-th actor, and the edges are listed as ``G.edges()`` would yield
them from the graph built in the same order.  These functions build the
same sparse matrices networkx builds from such a graph and run the same
arithmetic on them, so the numbers agree to the last bit without the graph.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

__all__ = ["betweenness_of_edges", "pagerank_of_edges"]


def pagerank_of_edges(
    n: int, us: np.ndarray, vs: np.ndarray, weights: np.ndarray, *, alpha: float = 0.85, tol: float = 1e-12
) -> np.ndarray:
    """Return ``networkx.pagerank(G, alpha, weight="weight", tol=tol, max_iter=1000)`` as an array in node order.

    ``G`` is the graph of ``n`` nodes whose ``G.edges(data="weight")`` are
    ``us, vs, weights`` (no self-loops): networkx's ``_pagerank_scipy``
    on the matrix ``to_scipy_sparse_array`` builds.

    Raises
    ------
    ValueError
        When the iteration has not converged after 1000 steps.
    """
    if n == 0:
        return np.zeros(0)
    data = np.asarray(weights, dtype=float)
    A = sp.coo_array(
        (np.concatenate([data, data]), (np.concatenate([us, vs]), np.concatenate([vs, us]))),
        shape=(n, n),
        dtype=float,
    ).asformat("csr")
    S = A.sum(axis=1)
    S[S != 0] = 1.0 / S[S != 0]
    Q = sp.dia_array((S.T, 0), shape=A.shape).tocsr()
    A = Q @ A
    x = np.repeat(1.0 / n, n)
    p = np.repeat(1.0 / n, n)
    is_dangling = np.where(S == 0)[0]
    for _ in range(1000):
        xlast = x
        x = alpha * (x @ A + sum(x[is_dangling]) * p) + (1 - alpha) * p
        err = np.absolute(x - xlast).sum()
        if err < n * tol:
            out: np.ndarray = x
            return out
    msg = "PageRank did not converge in 1000 iterations"
    raise ValueError(msg)


def betweenness_of_edges(n: int, us: np.ndarray, vs: np.ndarray, sources: np.ndarray) -> np.ndarray:
    """Return the raw Brandes betweenness (dependencies summed over ``sources``) of every node, ties unweighted.

    Parameters
    ----------
    n
        Number of nodes.
    us, vs
        The edges, each once, in ``G.edges()`` order.
    sources
        Indices of the source nodes.
    """
    loop = us == vs
    rows = np.concatenate([us[~loop], vs[~loop]])
    cols = np.concatenate([vs[~loop], us[~loop]])
    A = sp.csr_array((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    A.data[:] = 1.0  # a repeated pair must not count twice
    _, component = connected_components(A, directed=False)
    sizes = np.bincount(component)
    raw = np.zeros(n)
    width = max(1, min(256, 4_000_000 // n))
    for start in range(0, len(sources), width):
        chunk = sources[start : start + width]
        raw += _dependencies(A, chunk, sizes[component[chunk]])
    return raw


def _dependencies(A: sp.csr_array, sources: np.ndarray, reachable: np.ndarray) -> np.ndarray:
    """Return, per node, the sum of its Brandes dependencies over ``sources`` (one column each).

    ``reachable`` is the size of each source's component.  The products
    that cannot change the answer are left out: the first level is read
    from the sources' rows of ``A`` (0/1 and symmetric), the search stops
    once every node of a source's component is reached, and the last
    backward step, which only reaches the sources, is skipped.
    """
    n, width = A.shape[0], len(sources)
    columns = np.arange(width)
    sigma = np.zeros((n, width))
    sigma[sources, columns] = 1.0
    dist = np.full((n, width), -1, dtype=np.int32)
    dist[sources, columns] = 0
    found = np.ones(width, dtype=np.int64)
    frontier = sigma.copy()
    depth = 0
    while True:
        if depth == 0:
            reached = A[sources].toarray().T
        elif (found == reachable).all():
            break
        else:
            reached = A @ frontier
        new = (dist < 0) & (reached > 0)
        if not new.any():
            break
        depth += 1
        dist[new] = depth
        frontier = np.where(new, reached, 0.0)
        sigma += frontier
        found += new.sum(axis=0)
    delta = np.zeros((n, width))
    for level in range(depth, 1, -1):
        at = dist == level
        coefficient = np.where(at, (1.0 + delta) / np.where(at, sigma, 1.0), 0.0)
        delta += np.where(dist == level - 1, sigma * (A @ coefficient), 0.0)
    delta[sources, columns] = 0.0
    totals: np.ndarray = delta.sum(axis=1)
    return totals
