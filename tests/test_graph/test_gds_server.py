"""Hub measures inside Neo4j with Graph Data Science, held equal to the networkx answers.

The server is started with ``NEO4J_LOCAL_GDS=1`` (the ``gds_server`` fixture);
the networkx side is :func:`queries.hubs.hub_scores` and
:func:`queries.hubs.actor_projection` on the same store.
"""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest
from synthetic import sample_records

from graph.errors import HainetError
from graph.gds_server import GDS_COLUMNS, gds_version, hub_measures_in_server, numbered_groups
from loaders.builtin import builtin_records
from queries.hubs import actor_projection, hub_scores

#: GDS runs PageRank to its own convergence; networkx to tol 1e-12.
PAGERANK_TOLERANCE = 1e-6
#: Louvain in GDS and in networkx may settle on different partitions of about the same quality.
MODULARITY_TOLERANCE = 0.02


def _partition(frame: pd.DataFrame, column: str) -> set[frozenset[str]]:
    return {frozenset(group["actor_key"]) for _, group in frame.groupby(column)}


def _assert_parity(store: object, *, evidence: str = "all") -> pd.DataFrame:
    ours = hub_measures_in_server(evidence=evidence)
    theirs = hub_scores(store, evidence=evidence).set_index("actor_key")
    P = actor_projection(store, evidence=evidence)

    assert list(ours.columns) == GDS_COLUMNS
    assert sorted(ours["actor_key"]) == sorted(P.nodes())
    mine = ours.set_index("actor_key")
    theirs = theirs.reindex(mine.index)
    assert (mine["degree"] == theirs["degree"]).all()
    assert (mine["weighted_degree"] == theirs["weighted_degree"]).all()
    assert (mine["pagerank"] - theirs["pagerank"]).abs().max() < PAGERANK_TOLERANCE
    assert mine["pagerank"].sum() == pytest.approx(1.0)
    # Both frames are ordered by PageRank then key: the top ten agree.
    assert list(ours["actor_key"][:10]) == list(hub_scores(store, evidence=evidence)["actor_key"][:10])
    assert (mine["betweenness"] - theirs["betweenness"]).abs().max() < 1e-9

    assert _partition(ours, "component") == {frozenset(c) for c in nx.connected_components(P)}
    gds_q = nx.community.modularity(P, _partition(ours, "community"), weight="weight")
    nx_q = nx.community.modularity(P, _partition(theirs.reset_index(), "community"), weight="weight")
    assert abs(gds_q - nx_q) < MODULARITY_TOLERANCE, (gds_q, nx_q)
    return ours


@pytest.mark.neo4j
def test_the_server_has_graph_data_science(gds_store):
    assert (gds_version() or "").startswith("2.13.")


@pytest.mark.neo4j
def test_builtin_dataset_agrees_with_networkx(gds_store):
    gds_store.write(*builtin_records())
    ours = _assert_parity(gds_store)
    assert ours["actor_key"].iloc[0] == "dept:most"
    assert ours["actor_zh"].iloc[0] == "科学技术部"


@pytest.mark.neo4j
def test_builtin_dataset_at_the_document_alone(gds_store):
    gds_store.write(*builtin_records())
    stated = _assert_parity(gds_store, evidence="stated")
    everything = hub_measures_in_server()
    # The document alone has fewer ties than with the reported and curated facts.
    assert stated["weighted_degree"].sum() < everything["weighted_degree"].sum()


@pytest.mark.neo4j
def test_synthetic_sample_agrees_with_networkx(gds_store):
    gds_store.write(*sample_records(scale=0.01, seed=3))
    ours = _assert_parity(gds_store)
    assert len(ours) > 50
    assert ours["component"].nunique() >= 1


@pytest.mark.neo4j
def test_sampled_betweenness_is_scaled_to_all_sources(gds_store):
    gds_store.write(*builtin_records())
    exact = hub_measures_in_server().set_index("actor_key")["betweenness"]
    sampled = hub_measures_in_server(betweenness_sample=len(exact) // 2, seed=1).set_index("actor_key")["betweenness"]
    assert sampled.reindex(exact.index).corr(exact) > 0.9
    assert sampled.sum() == pytest.approx(exact.sum(), rel=0.5)


def test_inputs_are_checked_before_the_server_is_asked():
    with pytest.raises(HainetError, match="concurrency must be at least 1"):
        hub_measures_in_server("bolt://127.0.0.1:1", concurrency=0)
    with pytest.raises(HainetError, match="unknown evidence 'rumour'"):
        hub_measures_in_server("bolt://127.0.0.1:1", evidence="rumour")


def test_groups_are_numbered_largest_first():
    assert numbered_groups({"c": 5, "a": 5, "b": 9, "d": 1, "e": 1}) == {"a": 0, "c": 0, "d": 1, "e": 1, "b": 2}
    assert numbered_groups({}) == {}
