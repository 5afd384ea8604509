import igraph as ig
import networkx as nx
import pandas as pd
import pytest
from synthetic import sample_records

from queries._examples import graph_from_records
from queries.hubs import (
    HUB_COLUMNS,
    SPOF_COLUMNS,
    actor_projection,
    betweenness_centrality,
    hub_scores,
    single_points_of_failure,
)


@pytest.fixture
def two_clusters(make_graph, kit):
    """Two groups of partners around two units, joined by one region that partners both sides."""
    return make_graph(
        *(
            kit.node(k)
            for k in (
                "region:a1",
                "region:a2",
                "region:bridge",
                "park:b1",
                "park:b2",
                "unit:a",
                "unit:b",
                "region:idle",
            )
        ),
        kit.coop("coop:a1", partners=("region:a1", "region:a2"), serves=("unit:a",)),
        kit.coop("coop:a2", partners=("region:a1",), serves=("unit:a",)),
        kit.coop("coop:a3", partners=("region:bridge", "region:a2"), serves=("unit:a",)),
        kit.coop("coop:b1", partners=("park:b1", "park:b2"), serves=("unit:b",)),
        kit.coop("coop:b2", partners=("region:bridge", "park:b1"), serves=("unit:b",), status="planned"),
        kit.coop("coop:gone", partners=("region:idle", "park:b2"), serves=("unit:b",), status="ended"),
    )


def test_projection_ties_actors_that_share_live_cooperations(two_clusters):
    P = actor_projection(two_clusters)
    assert P["region:a1"]["unit:a"]["weight"] == 2  # coop:a1 and coop:a2
    assert P["region:a1"]["region:a2"]["weight"] == 1
    assert P.has_edge("region:bridge", "park:b1") and P.has_edge("region:bridge", "unit:a")
    assert P.degree("region:idle") == 0  # its only cooperation has ended
    assert not P.has_edge("region:idle", "park:b2")
    assert P.nodes["park:b1"]["kind"] == "Park"
    assert set(P) == {
        "region:a1",
        "region:a2",
        "region:bridge",
        "park:b1",
        "park:b2",
        "unit:a",
        "unit:b",
        "region:idle",
    }


def test_columns_and_empty_graph(two_clusters, empty_graph):
    assert list(hub_scores(two_clusters).columns) == HUB_COLUMNS
    assert list(hub_scores(empty_graph).columns) == HUB_COLUMNS
    assert list(single_points_of_failure(empty_graph).columns) == SPOF_COLUMNS
    assert hub_scores(empty_graph).empty


def test_the_bridge_is_the_broker(two_clusters):
    hubs = hub_scores(two_clusters).set_index("actor_key")
    assert hubs["betweenness"].idxmax() == "region:bridge"
    a_side = hubs.loc[["region:a1", "region:a2", "unit:a"], "community"]
    b_side = hubs.loc[["park:b1", "park:b2", "unit:b"], "community"]
    assert a_side.nunique() == 1 and b_side.nunique() == 1 and a_side.iloc[0] != b_side.iloc[0]
    assert hubs.loc["region:bridge", "brokerage"] == 1
    assert hubs.loc["region:a1", "brokerage"] == 0
    assert hubs.loc["region:a1", "weighted_degree"] == 3 and hubs.loc["region:a1", "degree"] == 2
    assert hubs.loc["region:a1", "n_cooperations"] == 2
    assert hubs.loc["region:idle", "community_size"] == 1


def test_hub_scores_name_the_bridge_a_broker(two_clusters):
    hubs = hub_scores(two_clusters).set_index("actor_key")
    tied = hubs[hubs["degree"] > 0]
    assert tied["constraint"].idxmin() == "region:bridge"
    assert tied["effective_size"].idxmax() == "region:bridge"
    assert hubs.loc["region:idle", "coreness"] == 0 and not hubs.loc["region:idle", "core"]
    assert hubs["core"].any() and not hubs["core"].all()


def igraph_of(P):
    nodes = list(P)
    index = {v: i for i, v in enumerate(nodes)}
    g = ig.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in P.edges()], directed=False)
    g.es["weight"] = [w for _, _, w in P.edges(data="weight")]
    return nodes, g


@pytest.fixture(scope="module")
def synthetic_sample():
    return graph_from_records(*sample_records(scale=0.03, seed=7))


@pytest.mark.parametrize("graph", ["two_clusters", "synthetic_sample"])
def test_centralities_agree_with_igraph(graph, request):
    G = request.getfixturevalue(graph)
    P = actor_projection(G)
    n = P.number_of_nodes()
    assert n > 5
    hubs = hub_scores(G).set_index("actor_key")
    nodes, g = igraph_of(P)
    raw = g.betweenness(directed=False)
    pagerank = g.pagerank(weights="weight", damping=0.85, directed=False)
    for i, v in enumerate(nodes):
        assert hubs.loc[v, "betweenness"] == pytest.approx(raw[i] * 2 / ((n - 1) * (n - 2)), abs=1e-9)
        assert hubs.loc[v, "pagerank"] == pytest.approx(pagerank[i], abs=1e-9)
        assert hubs.loc[v, "degree"] == g.degree(i)
        assert hubs.loc[v, "weighted_degree"] == g.strength(i, weights="weight")


def test_fast_betweenness_is_networkx_betweenness_exact_and_sampled(synthetic_sample):
    P = actor_projection(synthetic_sample)
    for k in (None, 1, 17, P.number_of_nodes()):
        ours = betweenness_centrality(P, k=k, seed=3)
        theirs = nx.betweenness_centrality(P, k=k, normalized=True, seed=3)
        assert ours.keys() == theirs.keys()
        for v in theirs:
            if pd.isna(theirs[v]):
                assert pd.isna(ours[v])
            else:
                assert ours[v] == pytest.approx(theirs[v], abs=1e-12)


def test_large_projections_sample_betweenness_with_the_seed(synthetic_sample):
    exact = hub_scores(synthetic_sample).set_index("actor_key")["betweenness"]
    sampled = hub_scores(synthetic_sample, exact_below=10, betweenness_k=40).set_index("actor_key")["betweenness"]
    again = hub_scores(synthetic_sample, exact_below=10, betweenness_k=40).set_index("actor_key")["betweenness"]
    other = hub_scores(synthetic_sample, exact_below=10, betweenness_k=40, seed=1).set_index("actor_key")
    pd.testing.assert_series_equal(sampled, again)
    assert not sampled.equals(exact)
    assert not sampled.equals(other["betweenness"].loc[sampled.index])
    P = actor_projection(synthetic_sample)
    expected = nx.betweenness_centrality(P, k=40, seed=42)
    assert sampled.to_dict() == pytest.approx(expected, abs=1e-12)


def test_hub_scores_are_deterministic_and_plain(kit):
    nodes, edges = sample_records(scale=0.02, seed=11)
    nodes, edges = list(nodes), list(edges)
    first = hub_scores(kit.build(nodes, edges))
    pd.testing.assert_frame_equal(first, hub_scores(kit.build(nodes, edges)))
    pd.testing.assert_frame_equal(first, hub_scores(kit.build(nodes, edges, reverse=True)))
    assert list(first["pagerank"]) == sorted(first["pagerank"], reverse=True)
    assert first["community"].min() == 0
    sizes = first.groupby("community")["actor_key"].count()
    assert list(sizes) == sorted(sizes, reverse=True)  # numbered by size, largest first


def test_hub_scores_reject_bad_sampling(two_clusters):
    with pytest.raises(ValueError, match="at least 1"):
        hub_scores(two_clusters, betweenness_k=0)


def test_a_sole_partner_strands_the_needs_it_alone_covers(make_graph, kit):
    G = make_graph(
        *(
            kit.node(k)
            for k in (
                "unit:u",
                "industry:f",
                "industry:g",
                "industry:h",
                "region:solo",
                "region:x",
                "region:y",
                "park:p",
            )
        ),
        kit.need("unit:u", "industry:f"),
        kit.need("unit:u", "industry:g"),
        kit.need("unit:u", "industry:h"),
        # f: two cooperations, both resting on region:solo only -> stranded by it.
        kit.coop("coop:f1", partners=("region:solo",), serves=("unit:u",), fields=("industry:f",)),
        kit.coop("coop:f2", partners=("region:solo",), serves=("unit:u",), fields=("industry:f",), status="planned"),
        # g: one cooperation with two partners -> nobody strands it.
        kit.coop("coop:g", partners=("region:x", "region:y"), serves=("unit:u",), fields=("industry:g",)),
        # h: two cooperations with different sole partners -> nobody strands it.
        kit.coop("coop:h1", partners=("park:p",), serves=("unit:u",), fields=("industry:h",)),
        kit.coop("coop:h2", partners=("region:x",), serves=("unit:u",), fields=("industry:h",)),
    )
    spof = single_points_of_failure(G)
    assert list(spof.columns) == SPOF_COLUMNS
    assert spof[["actor_key", "need_key", "n_stranded"]].to_dict("records") == [
        {"actor_key": "region:solo", "need_key": "need:u:f", "n_stranded": 1}
    ]
    assert spof.loc[0, "cooperations"] == ["coop:f1", "coop:f2"]


def test_a_partnerless_cooperation_covers_nothing_so_the_other_partner_is_alone(make_graph, kit):
    G = make_graph(
        kit.node("unit:u"),
        kit.node("industry:f"),
        kit.node("region:r"),
        kit.need("unit:u", "industry:f"),
        kit.coop("coop:bare", serves=("unit:u",), fields=("industry:f",)),
        kit.coop("coop:r", partners=("region:r",), serves=("unit:u",), fields=("industry:f",)),
    )
    spof = single_points_of_failure(G)
    assert list(spof["actor_key"]) == ["region:r"]
    assert spof.loc[0, "cooperations"] == ["coop:r"]
    assert spof.loc[0, "evidence"] == "curated"
    assert spof.loc[0, "chain_zh"] == "u中·f中（整理：需求）← r中（整理：唯一合作方r中）"


def test_spof_rows_sort_by_needs_stranded(reasons_graph, kit):
    nodes, edges = kit.records(
        kit.reasons_records(),
        kit.need("unit:lab", "industry:genomics"),
        kit.coop(
            "coop:sh-genomics", partners=("region:shanghai",), serves=("unit:lab",), fields=("industry:genomics",)
        ),
    )
    spof = single_points_of_failure(kit.build(nodes, edges))
    assert list(spof["actor_key"]) == ["region:shanghai", "region:shanghai", "dept:hitech"]
    assert list(spof["n_stranded"]) == [2, 2, 1]
    assert list(spof["need_key"])[:2] == ["need:lab:bio", "need:lab:genomics"]
