"""The facts of a graph are read once for all its questions, and read again when the graph changes."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Callable

import networkx as nx
import pandas as pd
import pytest

from queries._examples import example_graph
from queries._facts import facts_at, facts_shared
from queries.coverage import coverage_at
from queries.gaps import industry_gaps
from queries.hubs import single_points_of_failure
from queries.needs import unmatched_needs


def test_questions_of_one_graph_share_its_facts_and_coverage() -> None:
    G = example_graph()
    assert facts_at(G, "all") is facts_at(G, "all")
    assert coverage_at(G, "all") is coverage_at(G, "all")
    assert facts_at(G, "stated") is not facts_at(G, "all")
    assert sorted(facts_at(G, "stated").attrs) != sorted(facts_at(G, "all").attrs)


def test_a_copy_has_facts_of_its_own() -> None:
    G = example_graph()
    assert facts_at(G.copy(), "all") is not facts_at(G, "all")


def _status_ended(G: nx.MultiDiGraph) -> None:
    G.nodes["coop:tianfu-boao"]["status"] = "ended"


def _edge_weakened(G: nx.MultiDiGraph) -> None:
    G.edges["park:tianfu", "coop:tianfu-boao", "PARTNER_IN"]["provenance"] = "user"


def _edge_moved(G: nx.MultiDiGraph) -> None:
    # Same number of nodes and relationships, same attributes: only the structure differs.
    attrs = dict(G.edges["coop:tianfu-boao", "unit:boao", "SERVES"])
    G.remove_edge("coop:tianfu-boao", "unit:boao", key="SERVES")
    G.add_edge("coop:tianfu-boao", "unit:haikou-hitech", key="SERVES", **attrs)


def _name_changed(G: nx.MultiDiGraph) -> None:
    G.nodes["park:tianfu"]["name_zh"] = "天府新名"


@pytest.mark.parametrize("change", [_status_ended, _edge_weakened, _edge_moved, _name_changed])
@pytest.mark.parametrize("question", [industry_gaps, unmatched_needs, single_points_of_failure])
def test_a_graph_changed_in_place_gives_the_answers_of_the_changed_graph(
    change: Callable[[nx.MultiDiGraph], None], question: Callable[[nx.MultiDiGraph], pd.DataFrame]
) -> None:
    G = example_graph()
    before = question(G)
    change(G)
    after = question(G)
    pd.testing.assert_frame_equal(after, question(G.copy()))  # a copy is read afresh
    assert after.equals(before) == ((question, change) in _UNAFFECTED)


#: The changes that leave a question's answer as it was: every other one changes it.
_UNAFFECTED = {
    (industry_gaps, _edge_moved),  # the cooperation still serves a unit in the field
    (unmatched_needs, _name_changed),  # the park is named in no unmatched need
    (unmatched_needs, _edge_weakened),  # the partnership is in no unmatched need's chain
}


def test_a_change_shows_in_the_facts_at_every_level() -> None:
    G = example_graph()
    stated = facts_at(G, "stated")
    _status_ended(G)
    assert facts_at(G, "stated") is not stated
    assert facts_at(G, "all").status["coop:tianfu-boao"] == "ended"


def test_inside_facts_shared_the_graph_is_taken_as_unchanged() -> None:
    G = example_graph()
    with facts_shared(G):
        facts = facts_at(G, "all")
        assert facts_at(G, "all") is facts


def test_facts_first_read_inside_facts_shared_are_read_again_after_it() -> None:
    # Inside the block the graph is not compared; a change made after it must still show.
    G = example_graph()
    with facts_shared(G):
        inside = facts_at(G, "all")
        assert inside.status["coop:tianfu-boao"] != "ended"
    G.nodes["coop:tianfu-boao"]["status"] = "ended"
    after = facts_at(G, "all")
    assert after is not inside
    assert after.status["coop:tianfu-boao"] == "ended"
    assert facts_at(G, "all") is after


def test_facts_are_let_go_with_their_graph() -> None:
    G = example_graph()
    kept = weakref.ref(facts_at(G, "all"))
    del G
    gc.collect()
    assert kept() is None


def test_a_graph_view_is_read_every_time() -> None:
    G = example_graph()
    view = nx.subgraph_view(G, filter_node=lambda n: n != "park:zhangjiang")
    assert "park:zhangjiang" not in facts_at(view, "all").attrs
    assert facts_at(view, "all") is not facts_at(view, "all")


def test_a_value_that_cannot_be_compared_counts_as_changed() -> None:
    np = pytest.importorskip("numpy")
    G = example_graph()
    G.nodes["park:tianfu"]["position"] = np.array([1.0, 2.0])
    first = facts_at(G, "all")
    assert facts_at(G, "all") is first  # the same array: unchanged
    G.nodes["park:tianfu"]["position"] = np.array([1.0, 2.0])
    assert facts_at(G, "all") is not first
