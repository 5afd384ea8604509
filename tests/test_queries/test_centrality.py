"""PageRank from edge arrays is networkx's PageRank to the last bit."""

import random

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp

from queries._centrality import betweenness_of_edges, pagerank_of_edges


@pytest.mark.parametrize("trial", range(12))
def test_pagerank_of_edges_is_networkx_pagerank_exactly(trial):
    rng = random.Random(trial)
    n = rng.randint(1, 200)
    G = nx.Graph()
    G.add_nodes_from(range(n))  # some stay isolated: dangling nodes
    for _ in range(rng.randint(0, 3 * n)):
        u, v = sorted(rng.sample(range(n), 2)) if n > 1 else (0, 0)
        if u != v:
            G.add_edge(u, v, weight=rng.choice([1, 2, 5]))
    edges = list(G.edges(data="weight"))
    us = np.array([u for u, _, _ in edges], dtype=np.int64)
    vs = np.array([v for _, v, _ in edges], dtype=np.int64)
    ws = np.array([w for _, _, w in edges], dtype=np.int64)
    expected = nx.pagerank(G, alpha=0.85, weight="weight", tol=1e-12, max_iter=1000)
    assert pagerank_of_edges(n, us, vs, ws).tolist() == [expected[v] for v in G]


def plain_dependencies(A, sources):
    """Brandes by levels with every product taken: what betweenness_of_edges shortens."""
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
    return delta.sum(axis=1)


@pytest.mark.parametrize("trial", range(12))
def test_betweenness_of_edges_leaves_out_only_products_that_change_nothing(trial):
    rng = random.Random(trial)
    n = rng.randint(3, 400)
    pairs = {tuple(sorted(rng.sample(range(n), 2))) for _ in range(rng.randint(0, 2 * n))}
    us = np.array([u for u, _ in sorted(pairs)], dtype=np.int64)
    vs = np.array([v for _, v in sorted(pairs)], dtype=np.int64)
    sources = np.array(rng.sample(range(n), rng.randint(1, n)), dtype=np.int64)
    A = sp.csr_array((np.ones(2 * len(us)), (np.r_[us, vs], np.r_[vs, us])), shape=(n, n))
    expected = np.zeros(n)
    for start in range(0, len(sources), 256):
        expected += plain_dependencies(A, sources[start : start + 256])
    assert betweenness_of_edges(n, us, vs, sources).tolist() == expected.tolist()
