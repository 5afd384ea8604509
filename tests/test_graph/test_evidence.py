"""The evidence levels and the graph restricted to a level and a date."""

from __future__ import annotations

import datetime as dt

import networkx as nx
import pytest

from graph.errors import HainetError
from graph.evidence import (
    EVIDENCE_CHOICES,
    EVIDENCE_LEVELS,
    allowed_levels,
    evidence_rank,
    graph_at,
    valid_on,
    weakest,
)
from graph.schema import Provenance


def test_levels_are_the_provenance_values_strongest_first():
    assert EVIDENCE_LEVELS == ("stated", "reported", "curated", "user", "example")
    assert set(EVIDENCE_LEVELS) == {p.value for p in Provenance}
    assert [evidence_rank(level) for level in EVIDENCE_LEVELS] == [0, 1, 2, 3, 4]
    assert EVIDENCE_CHOICES == ("stated", "reported", "curated", "all")


def test_weakest_is_the_lowest_ranked_level():
    assert weakest(["stated", "stated"]) == "stated"
    assert weakest(iter(["reported", "stated"])) == "reported"
    assert weakest(["curated", "user", "stated"]) == "user"
    assert weakest(["example", "stated"]) == "example"
    assert weakest([]) == "stated"


def test_unknown_levels_are_one_clear_error():
    with pytest.raises(HainetError, match="unknown evidence level 'rumour'"):
        evidence_rank("rumour")
    with pytest.raises(HainetError, match="unknown evidence 'user'; expected one of stated, reported, curated, all"):
        allowed_levels("user")
    with pytest.raises(HainetError, match="unknown evidence"):
        graph_at(nx.MultiDiGraph(), evidence="everything")


def test_each_choice_admits_itself_and_everything_stronger():
    assert allowed_levels("stated") == ("stated",)
    assert allowed_levels("reported") == ("stated", "reported")
    assert allowed_levels("curated") == ("stated", "reported", "curated")
    assert allowed_levels("all") == EVIDENCE_LEVELS


def _graph() -> nx.MultiDiGraph:
    G = nx.MultiDiGraph(name="test")
    for level in EVIDENCE_LEVELS:
        G.add_node(level, provenance=level, name_zh=level)
    G.add_node("unmarked")
    for u in EVIDENCE_LEVELS:
        for v in EVIDENCE_LEVELS:
            if u != v:
                G.add_edge(u, v, key="R", type="R", provenance=v)
    return G


@pytest.mark.parametrize("evidence", EVIDENCE_CHOICES)
def test_graph_at_keeps_facts_at_or_above_the_level(evidence):
    G = _graph()
    H = graph_at(G, evidence=evidence)
    allowed = set(allowed_levels(evidence))
    kept = {n for n in G if G.nodes[n].get("provenance", "user") in allowed}
    assert set(H.nodes) == kept
    for u, v, attrs in H.edges(data=True):
        assert attrs["provenance"] in allowed
        assert u in kept and v in kept
    expected_edges = {
        (u, v) for u, v, a in G.edges(data=True) if u in kept and v in kept and a["provenance"] in allowed
    }
    assert {(u, v) for u, v in H.edges()} == expected_edges
    assert H.graph == G.graph
    assert G.number_of_nodes() == 6  # the input is untouched


def test_a_fact_without_provenance_is_a_planners_own():
    G = _graph()
    G.add_node("misspelt", provenance="Stated")
    for key in ("unmarked", "misspelt"):
        assert key in graph_at(G, evidence="all")
        assert key not in graph_at(G, evidence="curated")


def test_a_relationship_of_a_dropped_endpoint_is_dropped():
    G = nx.MultiDiGraph()
    G.add_node("a", provenance="stated")
    G.add_node("b", provenance="curated")
    G.add_edge("a", "b", key="R", provenance="stated")
    H = graph_at(G, evidence="stated")
    assert list(H.nodes) == ["a"]
    assert H.number_of_edges() == 0


def test_graph_at_copies_attributes():
    G = _graph()
    H = graph_at(G)
    H.nodes["stated"]["name_zh"] = "changed"
    assert G.nodes["stated"]["name_zh"] == "stated"


@pytest.mark.parametrize(
    ("attrs", "as_of", "holds"),
    [
        ({}, "2020-01-01", True),
        ({"valid_from": "2021-03-01"}, "2021-02-28", False),
        ({"valid_from": "2021-03-01"}, "2021-03-01", True),
        ({"valid_from": "2021"}, "2020", False),
        ({"valid_from": "2021"}, "2021-01-01", True),
        ({"valid_to": "2022-06-30"}, "2022-06-30", True),
        ({"valid_to": "2022-06-30"}, "2022-07-01", False),
        ({"valid_to": "2022"}, "2022-12-31", True),
        ({"valid_to": "2022"}, "2023", False),
        ({"valid_from": "2020", "valid_to": "2022"}, dt.date(2021, 5, 5), True),
        ({"valid_from": 2023}, "2022", False),
        ({"valid_from": ""}, "2022", True),
        ({"valid_from": "2099"}, None, True),
    ],
)
def test_valid_on_follows_valid_from_and_valid_to(attrs, as_of, holds):
    assert valid_on(attrs, as_of) is holds


def test_graph_at_drops_facts_not_valid_on_the_date():
    G = nx.MultiDiGraph()
    G.add_node("old", provenance="stated", valid_to="2019")
    G.add_node("now", provenance="stated")
    G.add_node("later", provenance="stated", valid_from="2024-05-01")
    G.add_edge("now", "later", key="R", provenance="stated")
    G.add_edge("now", "now", key="S", provenance="stated", valid_from="2022")
    assert sorted(graph_at(G, as_of="2021").nodes) == ["now"]
    assert graph_at(G, as_of="2021").number_of_edges() == 0
    assert sorted(graph_at(G, as_of="2024-05-01").edges(keys=True)) == [("now", "later", "R"), ("now", "now", "S")]
    assert sorted(graph_at(G).nodes) == ["later", "now", "old"]


def test_a_bad_date_is_one_clear_error():
    G = nx.MultiDiGraph()
    G.add_node("a", provenance="stated", valid_from="spring")
    with pytest.raises(HainetError, match="not a date: 'spring'"):
        graph_at(G, as_of="2021")
    with pytest.raises(HainetError, match="not a date: '21-1-1'"):
        graph_at(nx.MultiDiGraph(), as_of="21-1-1")
