"""The array Louvain gives networkx's communities, set for set and in networkx's order."""

import random

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from queries._louvain import louvain_communities


def random_graph(trial: int) -> nx.Graph:
    """Up to 300 nodes added in shuffled order, some isolated, weights 1-3 with many ties, a few self-loops."""
    rng = random.Random(trial)
    n = rng.randint(1, 300)
    density = rng.choice([0.005, 0.02, 0.05, 0.2])
    G = nx.Graph()
    keys = [f"actor:{i:03d}" for i in range(n)]
    rng.shuffle(keys)
    G.add_nodes_from(keys)
    for _ in range(int(density * n * n / 2)):
        u, v = rng.choice(keys), rng.choice(keys)
        if u == v and rng.random() < 0.8:
            continue
        G.add_edge(u, v, weight=rng.choice([1, 1, 1, 2, 3]))
    return G


def as_lists(communities: list[set[str]]) -> list[list[str]]:
    return [sorted(c) for c in communities]


@pytest.mark.parametrize("trial", range(60))
def test_random_weighted_graphs_give_networkx_communities(trial):
    G = random_graph(trial)
    for seed in (0, 42, trial):
        expected = nx.community.louvain_communities(G, weight="weight", seed=seed)
        assert as_lists(louvain_communities(G, seed=seed)) == as_lists(expected)


edges = st.lists(
    st.tuples(st.integers(0, 29), st.integers(0, 29), st.integers(1, 3)),
    max_size=120,
)


@settings(max_examples=150, deadline=None)
@given(n=st.integers(1, 30), edges=edges, seed=st.integers(0, 2**32 - 1))
def test_small_graphs_give_networkx_communities(n, edges, seed):
    G = nx.Graph()
    G.add_nodes_from(range(n))
    G.add_weighted_edges_from((u % n, v % n, w) for u, v, w in edges)
    expected = nx.community.louvain_communities(G, weight="weight", seed=seed)
    assert as_lists(louvain_communities(G, seed=seed)) == as_lists(expected)


def test_edgeless_graphs_are_singletons():
    assert louvain_communities(nx.empty_graph(3), seed=1) == [{0}, {1}, {2}]
    assert louvain_communities(nx.Graph(), seed=1) == []


def test_weights_that_are_not_integers_still_give_networkx_communities():
    G = nx.karate_club_graph()
    for u, v in G.edges:
        G[u][v]["weight"] = (u * 7 + v) % 5 / 3 + 0.1
    expected = nx.community.louvain_communities(G, weight="weight", seed=3)
    assert as_lists(louvain_communities(G, seed=3)) == as_lists(expected)


def test_a_detail_that_matters_two_equal_gains_go_to_the_first_neighbour():
    # Node 2 gains as much from joining 0's community as 1's: networkx takes the one it reaches first.
    G = nx.Graph([(2, 1), (2, 0)])
    for seed in range(20):
        expected = nx.community.louvain_communities(G, seed=seed)
        assert as_lists(louvain_communities(G, seed=seed)) == as_lists(expected)
