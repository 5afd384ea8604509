"""Hubs, single points of failure and recommendations on Neo4j: one narrow query each, GDS where the server has it.

Without a server, the Cypher branch of each question runs on the recordings
(:class:`graph.runner.ReplayRunner`, see ``test_cypher_replay.py``): here,
how many queries each question asks and how much of the graph comes back.
On a server without Graph Data Science, ``hub_scores`` answers in networkx
(``test_cypher_parity.py`` holds every question there to the networkx
answers).  On a server with it (the ``gds_store`` fixture), PageRank,
betweenness and Louvain run in GDS and are held to networkx's answers on
the same store:

* PageRank within :data:`PAGERANK_TOLERANCE` (GDS stops at its own
  convergence; networkx runs to 1e-12);
* exact betweenness within 1e-9; sampled betweenness (above ``exact_below``
  actors) draws other sources than networkx's sample, so only its
  correlation with the exact values is asserted;
* Louvain: GDS and networkx may settle on different partitions of about the
  same quality, so their modularities must lie within
  :data:`MODULARITY_TOLERANCE` and ``community_size`` and ``brokerage``
  must follow from GDS's own partition;
* every other column is equal.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd
import pytest
from synthetic import sample_records

from graph.errors import HainetError, StoreError
from graph.runner import ReplayRunner
from graph.store import graph_from_store
from loaders.builtin import builtin_records
from queries._examples import example_graph
from queries._facts import cypher_text
from queries.hubs import HUB_COLUMNS, actor_projection, hub_scores, single_points_of_failure
from queries.recommend import recommend_partners

RECORDINGS = Path(__file__).parent / "recordings"
LEVELS = ("stated", "curated", "all")

#: GDS runs PageRank to its own convergence; networkx to tol 1e-12.
PAGERANK_TOLERANCE = 1e-6
#: Louvain in GDS and in networkx may settle on different partitions of about the same quality.
MODULARITY_TOLERANCE = 0.02
#: The columns GDS computes, or that follow from its communities.
FROM_GDS = ["pagerank", "betweenness", "community", "community_size", "brokerage"]


class CountingRunner:
    """A runner that passes queries on and keeps their texts, in order."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.queries: list[str] = []

    def run(self, cypher: str, parameters: Any = None) -> list[dict[str, Any]]:
        self.queries.append(cypher)
        return self.inner.run(cypher, parameters)


@pytest.mark.parametrize("evidence", LEVELS)
@pytest.mark.parametrize(
    ("question", "query"),
    [
        (hub_scores, "hub_facts.cypher"),
        (single_points_of_failure, "stranding_facts.cypher"),
        (recommend_partners, "facts_at_level.cypher"),
    ],
)
def test_each_question_asks_the_server_once(question, query, evidence):
    # recommend_partners asks one query for all needs; it reads almost every kind of fact (capabilities,
    # the industry tree, parks' locations), so it fetches the question facts whole.
    counting = CountingRunner(ReplayRunner(RECORDINGS / "builtin.json"))
    frame = question(counting, evidence=evidence)
    assert counting.queries == [cypher_text(query)]
    assert not frame.empty


@pytest.mark.parametrize("dataset", ["builtin", "sample"])
def test_the_narrow_queries_send_a_part_of_the_facts(dataset):
    recordings = ReplayRunner(RECORDINGS / f"{dataset}.json").recordings.values()
    rows = {
        (r["cypher"], tuple(r["parameters"]["levels"])): len(r["rows"])
        for r in recordings
        if "levels" in r["parameters"]
    }
    every = ("stated", "reported", "curated", "user", "example")
    whole = rows[cypher_text("facts_at_level.cypher"), every]
    hubs = rows[cypher_text("hub_facts.cypher"), every]
    stranding = rows[cypher_text("stranding_facts.cypher"), every]
    assert 0 < hubs < whole and 0 < stranding < whole, (hubs, stranding, whole)


def test_algorithms_are_checked():
    G = example_graph()
    with pytest.raises(HainetError, match="algorithms must be one of auto, gds, networkx, not 'igraph'"):
        hub_scores(G, algorithms="igraph")
    with pytest.raises(HainetError, match="algorithms='gds' needs a Neo4j store with Graph Data Science"):
        hub_scores(G, algorithms="gds")
    with pytest.raises(HainetError, match="needs a Neo4j store"):
        hub_scores(ReplayRunner(RECORDINGS / "builtin.json"), algorithms="gds")


def test_without_a_server_the_measures_run_in_networkx():
    replay = ReplayRunner(RECORDINGS / "builtin.json")
    assert hub_scores(replay).attrs["algorithms"] == "networkx"
    assert hub_scores(example_graph(), algorithms="auto").attrs["algorithms"] == "networkx"


@pytest.mark.neo4j
def test_a_server_without_gds_answers_in_networkx(neo4j_store):
    neo4j_store.write(*builtin_records())
    frame = hub_scores(neo4j_store, algorithms="auto")
    assert frame.attrs["algorithms"] == "networkx"
    assert hub_scores(neo4j_store).attrs["algorithms"] == "networkx"
    pd.testing.assert_frame_equal(frame, hub_scores(graph_from_store(neo4j_store)), check_dtype=False)
    with pytest.raises(StoreError, match="has no Graph Data Science"):
        hub_scores(neo4j_store, algorithms="gds")


def _partition(frame: pd.DataFrame) -> list[set[str]]:
    return [set(group["actor_key"]) for _, group in frame.groupby("community")]


def assert_gds_parity(store: Any, *, evidence: str = "all") -> pd.DataFrame:
    ours = hub_scores(store, evidence=evidence, algorithms="auto")
    theirs = hub_scores(graph_from_store(store), evidence=evidence)
    assert ours.attrs["algorithms"] == "gds" and theirs.attrs["algorithms"] == "networkx"
    assert list(ours.columns) == HUB_COLUMNS
    assert sorted(ours["actor_key"]) == sorted(theirs["actor_key"])
    mine, other = ours.set_index("actor_key"), theirs.set_index("actor_key").reindex(ours["actor_key"])
    same = [c for c in HUB_COLUMNS[1:] if c not in FROM_GDS]
    pd.testing.assert_frame_equal(mine[same], other[same], check_dtype=False)
    assert (mine["pagerank"] - other["pagerank"]).abs().max() < PAGERANK_TOLERANCE
    assert (mine["betweenness"] - other["betweenness"]).abs().max() < 1e-9

    P = actor_projection(store, evidence=evidence)
    gds_q = nx.community.modularity(P, _partition(ours), weight="weight")
    nx_q = nx.community.modularity(P, _partition(theirs), weight="weight")
    assert abs(gds_q - nx_q) < MODULARITY_TOLERANCE, (gds_q, nx_q)
    community = mine["community"].to_dict()
    assert (mine["community_size"] == mine.groupby("community")["community"].transform("size")).all()
    brokerage = {a: len({community[b] for b in P[a]} - {community[a]}) for a in P}
    assert mine["brokerage"].to_dict() == brokerage
    return ours


@pytest.mark.neo4j
@pytest.mark.parametrize("evidence", ["stated", "all"])
def test_gds_hub_scores_agree_with_networkx_on_the_builtin_data(gds_store, evidence):
    gds_store.write(*builtin_records())
    ours = assert_gds_parity(gds_store, evidence=evidence)
    assert ours["actor_key"].iloc[0] == "dept:most"
    assert hub_scores(gds_store, evidence=evidence).attrs["algorithms"] == "networkx"


@pytest.mark.neo4j
def test_gds_hub_scores_agree_with_networkx_on_a_synthetic_sample(gds_store):
    gds_store.write(*sample_records(scale=0.01, seed=3))
    ours = assert_gds_parity(gds_store)
    assert len(ours) > 50


@pytest.mark.neo4j
def test_gds_samples_betweenness_on_large_projections(gds_store):
    gds_store.write(*sample_records(scale=0.01, seed=3))
    exact = hub_scores(gds_store, algorithms="networkx").set_index("actor_key")["betweenness"]
    sampled = hub_scores(gds_store, exact_below=2, betweenness_k=len(exact) // 2, algorithms="auto")
    assert sampled.attrs["algorithms"] == "gds"
    assert sampled.set_index("actor_key")["betweenness"].reindex(exact.index).corr(exact) > 0.9
