"""Structural holes and k-cores, held to networkx's implementations and to hand-worked examples."""

import math
import random

import networkx as nx
import pytest

from queries.structure import STRUCTURE_COLUMNS, structural_positions


def weighted(G, seed=1):
    G = nx.Graph(G)
    rng = random.Random(seed)
    for u, v in G.edges:
        G[u][v].setdefault("weight", rng.randint(1, 4))
    return G


@pytest.mark.parametrize(
    "G",
    [nx.karate_club_graph(), nx.florentine_families_graph(), nx.les_miserables_graph()],
    ids=["karate", "florentine", "les-miserables"],
)
def test_the_same_as_networkx_on_named_graphs(G):
    G = weighted(G)
    got = structural_positions(G).set_index("actor_key")
    constraint = nx.constraint(G, weight="weight")
    effective = nx.effective_size(G)
    coreness = nx.core_number(G)
    assert len(got) == G.number_of_nodes() > 10
    for node in G:
        assert got.at[node, "constraint"] == pytest.approx(constraint[node], abs=1e-12)
        assert got.at[node, "effective_size"] == pytest.approx(effective[node], abs=1e-12)
        assert got.at[node, "coreness"] == coreness[node]


def test_a_star_by_hand():
    # Burt: the centre of a star of 3 reaches 3 unconnected contacts, each taking a third
    # of its ties: constraint 3 * (1/3)^2 = 1/3, effective size 3; a leaf is fully constrained.
    got = structural_positions(nx.star_graph(["hub", "a", "b", "c"])).set_index("actor_key")
    assert got.at["hub", "constraint"] == pytest.approx(1 / 3)
    assert got.at["hub", "effective_size"] == 3
    assert got.at["a", "constraint"] == pytest.approx(1.0)
    assert got.at["a", "effective_size"] == 1


def test_a_closed_triangle_has_no_holes():
    # In a triangle each actor's two contacts know each other: effective size 2 - 2*1/2 = 1,
    # constraint 2 * (1/2 + 1/2 * 1/2)^2 = 1.125 (Burt's measure exceeds 1 in small dense groups).
    got = structural_positions(nx.complete_graph(["a", "b", "c"])).set_index("actor_key")
    assert got["effective_size"].tolist() == [1.0, 1.0, 1.0]
    assert got["constraint"].tolist() == pytest.approx([1.125] * 3)


def test_core_is_the_main_core_and_isolates_are_periphery():
    G = nx.Graph([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")])
    G.add_node("alone")
    got = structural_positions(G).set_index("actor_key")
    assert got["core"].to_dict() == {"a": True, "b": True, "c": True, "d": False, "alone": False}
    assert got["coreness"].to_dict() == {"a": 2, "b": 2, "c": 2, "d": 1, "alone": 0}
    assert math.isnan(got.at["alone", "constraint"]) and math.isnan(got.at["alone", "effective_size"])


def test_empty_graph_has_the_columns():
    assert list(structural_positions(nx.Graph()).columns) == STRUCTURE_COLUMNS
