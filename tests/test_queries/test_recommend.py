import networkx as nx
import pandas as pd
import pytest
from synthetic import sample_records

from graph.errors import HainetError
from queries._examples import graph_from_records
from queries.needs import unmatched_needs
from queries.recommend import (
    CANDIDATE_COLUMNS,
    RECOMMENDATION_COLUMNS,
    Weights,
    partner_candidates,
    recommend_partners,
)


@pytest.fixture
def choice(make_graph, kit):
    """One unmatched need of unit:u in industry:f, and candidates that each hold different parts."""
    return make_graph(
        *(
            kit.node(k)
            for k in (
                "unit:u",
                "unit:v",
                "industry:f",
                "industry:g",
                "region:able",
                "region:home",
                "park:paired",
                "region:friend",
                "dept:handler",
                "region:old",
                "region:none",
            )
        ),
        kit.need("unit:u", "industry:f"),
        kit.edge("region:able", "SPECIALISES_IN", "industry:f"),  # capability only
        kit.edge("park:paired", "LOCATED_IN", "region:home"),
        kit.edge("region:home", "SPECIALISES_IN", "industry:f"),  # capability and a paired park in it
        kit.coop("coop:paired", partners=("park:paired",), serves=("unit:v",), fields=("industry:f",)),
        kit.coop(
            "coop:friend", partners=("region:friend", "dept:handler"), serves=("unit:u",), fields=("industry:g",)
        ),  # works with unit:u, beside the department that handles f
        kit.edge("region:friend", "SPECIALISES_IN", "industry:f"),
        kit.edge("dept:handler", "HANDLES", "industry:f"),
        kit.coop("coop:old", partners=("region:old",), serves=("unit:u",), fields=("industry:f",), status="ended"),
        kit.edge("region:none", "SPECIALISES_IN", "industry:g"),  # able elsewhere: not a candidate
    )


def test_columns_are_documented(choice, empty_graph):
    assert list(recommend_partners(choice).columns) == RECOMMENDATION_COLUMNS
    assert list(recommend_partners(empty_graph).columns) == RECOMMENDATION_COLUMNS
    assert list(partner_candidates(choice, "need:u:f").columns) == CANDIDATE_COLUMNS
    assert RECOMMENDATION_COLUMNS[7:9] == ["missing", "reason_zh"]
    assert CANDIDATE_COLUMNS[12:15] == ["works_in", "works_in_zh", "score"]
    assert [c for c in CANDIDATE_COLUMNS if c.startswith("points_")] == [
        "points_capability",
        "points_field_partner",
        "points_unit_tie",
        "points_hainan_ties",
        "points_park_in_field",
        "points_department_in_field",
        "points_revival",
    ]
    assert CANDIDATE_COLUMNS[-7:] == [
        "supporters",
        "supporters_zh",
        "explanation_zh",
        "explanation_en",
        "evidence",
        "chain_zh",
        "chain_en",
    ]


def test_candidates_and_their_parts(choice):
    cands = partner_candidates(choice, "need:u:f").set_index("candidate_key")
    # The department is a supporter, never a partner to pair with.
    assert set(cands.index) == {"region:able", "region:home", "park:paired", "region:friend", "region:old"}
    assert all(s == ["dept:handler"] for s in cands["supporters"])
    assert all(s == ["handler中"] for s in cands["supporters_zh"])
    # Scores are on 0-100: the sum of the weights (12) earns 100.
    assert cands.loc["region:able", "score"] == pytest.approx(100 * 3 / 12, abs=0.01)  # capability
    assert cands.loc["region:home", "parks_in_field"] == ["park:paired"]
    assert cands.loc["region:home", "score"] == pytest.approx(100 * 4 / 12, abs=0.01)  # capability + paired park
    assert cands.loc["park:paired", "field_partner"] and cands.loc["park:paired", "n_hainan_cooperations"] == 1
    assert cands.loc["park:paired", "score"] == pytest.approx(100 * (2 + 1 / 3 + 1) / 12, abs=0.01)
    friend = cands.loc["region:friend"]
    assert friend["unit_tie"] and friend["departments_in_field"] == ["dept:handler"]
    assert friend["score"] == pytest.approx(100 * (3 + 2 + 1 / 3 + 1) / 12, abs=0.01)
    points = [c for c in CANDIDATE_COLUMNS if c.startswith("points_")]
    for _, row in cands.iterrows():
        assert sum(row[points]) == pytest.approx(row["score"], abs=0.05)
    assert friend["points_capability"] == 25.0 and friend["points_revival"] == 0.0
    assert cands.loc["region:old", "revival"] and cands.loc["region:old", "score"] == pytest.approx(16.67)
    assert list(cands["rank"]) == [1, 2, 3, 4, 5]
    assert list(cands.index) == ["region:friend", "region:home", "park:paired", "region:able", "region:old"]
    assert cands.loc["park:paired", "works_in"] == ["industry:f"]
    assert cands.loc["region:able", "works_in"] == ["industry:f"]
    assert cands.loc["region:old", "works_in"] == []


def test_a_candidate_in_a_sub_field_says_which(make_graph, kit):
    G = make_graph(
        kit.node("unit:u"),
        kit.node("unit:v"),
        kit.node("industry:services", "现代服务业", "Modern services"),
        kit.node("industry:agri", "农业", "Agriculture"),
        kit.node("park:farm", "农业园", "Farm park"),
        kit.edge("industry:agri", "PART_OF", "industry:services"),
        kit.need("unit:u", "industry:services"),
        kit.coop("coop:farm", partners=("park:farm",), serves=("unit:v",), fields=("industry:agri",)),
    )
    row = recommend_partners(G).iloc[0]
    assert (row["candidate_key"], row["works_in"], row["works_in_zh"]) == ("park:farm", ["industry:agri"], ["农业"])
    assert "已在现代服务业与海南合作，但只在农业" in row["explanation_zh"]
    assert "but only in Agriculture" in row["explanation_en"]
    assert row["evidence"] == "curated"
    assert recommend_partners(G, evidence="stated").empty


def test_explanations_name_each_part(choice):
    friend = partner_candidates(choice, "need:u:f").set_index("candidate_key").loc["region:friend"]
    assert friend["explanation_en"] == (
        "specialises in or handles F; already works with U; partner in 1 active or planned cooperation with "
        "Hainan; a ministry department that handles F: Handler"
    )
    assert friend["explanation_zh"] == (
        "具备f中领域能力；已与u中合作；参与1项与海南的进行中或计划中合作；主管f中领域的部司：handler中"
    )
    old = partner_candidates(choice, "need:u:f").set_index("candidate_key").loc["region:old"]
    assert old["explanation_en"] == "partnered a stalled or ended cooperation that would cover this need"


def test_recommendations_keep_the_top_per_need_with_the_reason(choice):
    best = recommend_partners(choice, top=2)
    assert list(best["candidate_key"]) == ["region:friend", "region:home"]
    assert list(best["rank"]) == [1, 2]
    assert set(best["missing"]) == {"cooperation-idle"}


def test_weights_change_the_ranking(choice):
    revive_first = Weights(revival=10.0)
    assert recommend_partners(choice, top=1, weights=revive_first)["candidate_key"].tolist() == ["region:old"]
    flat = Weights(
        capability=0, field_partner=0, unit_tie=0, hainan_ties=0, park_in_field=0, department_in_field=0, revival=0
    )
    ranked = partner_candidates(choice, "need:u:f", weights=flat)
    assert set(ranked["score"]) == {0.0}
    assert list(ranked["candidate_key"]) == sorted(ranked["candidate_key"])  # ties go by key


def test_weights_are_checked():
    with pytest.raises(ValueError, match="capability=-1"):
        Weights(capability=-1)
    with pytest.raises(ValueError, match="ties_saturate_at=0"):
        Weights(ties_saturate_at=0)
    with pytest.raises(ValueError, match="revival=nan"):
        Weights(revival=float("nan"))
    with pytest.raises(ValueError, match="top"):
        recommend_partners(nx.MultiDiGraph(), top=0)


def test_unknown_need_is_an_error(choice):
    with pytest.raises(HainetError, match="no Need has the key 'need:x'"):
        partner_candidates(choice, "need:x")


@pytest.fixture(scope="module")
def sample():
    return graph_from_records(*sample_records(scale=0.03, seed=5))


@pytest.mark.parametrize("top", [1, 3, 7])
def test_the_fast_top_is_the_top_of_all_candidates(sample, top):
    best = recommend_partners(sample, top=top)
    needs = unmatched_needs(sample)
    assert len(needs) > 20
    assert set(best["need_key"]) <= set(needs["need_key"])
    for need in sorted(set(needs["need_key"]))[:40]:
        full = partner_candidates(sample, need)
        expected = full[full["rank"] <= top].reset_index(drop=True)
        got = best[best["need_key"] == need].drop(columns=["missing", "reason_zh"]).reset_index(drop=True)
        pd.testing.assert_frame_equal(got, expected)


def test_recommendations_are_deterministic(kit):
    nodes, edges = sample_records(scale=0.02, seed=9)
    nodes, edges = list(nodes), list(edges)
    first = recommend_partners(kit.build(nodes, edges))
    assert not first.empty
    pd.testing.assert_frame_equal(first, recommend_partners(kit.build(nodes, edges, reverse=True)))
