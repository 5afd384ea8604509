"""PageRank from edge arrays is networkx's PageRank to the last bit."""

import random

import networkx as nx
import numpy as np
import pytest

from queries._centrality import pagerank_of_edges


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
