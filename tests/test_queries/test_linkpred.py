"""Link prediction: the scorers, and the backtest that says whether they would have predicted anything."""

import pytest

from graph.store import graph_from_store, open_store
from loaders.builtin import load_builtin
from queries._examples import example_graph
from queries.linkpred import BACKTEST_COLUMNS, LINK_SCORE_COLUMNS, SCORERS, backtest, link_scores, partner_unit_links


@pytest.fixture(scope="module")
def builtin_graph(tmp_path_factory):
    with open_store(str(tmp_path_factory.mktemp("lp") / "s.sqlite")) as store:
        load_builtin(store)
        return graph_from_store(store)


def test_links_pair_partners_and_units_not_departments(builtin_graph):
    links = partner_unit_links(builtin_graph)
    assert len(links) >= 15
    assert all(p.split(":")[0] in ("region", "park") and u.startswith("unit:") for p, u in links)


def test_scores_cover_every_unlinked_pair_and_no_linked_one(builtin_graph):
    scores = link_scores(builtin_graph)
    assert list(scores.columns) == LINK_SCORE_COLUMNS
    pairs = set(zip(scores["partner_key"], scores["unit_key"], strict=True))
    assert not pairs & partner_unit_links(builtin_graph)
    assert len(pairs) == scores.shape[0] > 100
    assert (scores[list(SCORERS)] >= 0).all().all()


def test_a_shared_field_and_partner_raise_the_neighbourhood_scores():
    scores = link_scores(example_graph()).set_index(["partner_key", "unit_key"])
    # Tianfu works in biomedicine with Boao; Haikou's hi-tech zone needs biomedicine too.
    assert scores.loc[("park:tianfu", "unit:haikou-hitech"), "common_neighbours"] >= 1
    assert scores.loc[("park:tianfu", "unit:haikou-hitech"), "resource_allocation"] > 0


def test_backtest_columns_and_blended_beats_random_by_a_tenth(builtin_graph):
    result = backtest(builtin_graph, repeats=3)
    assert list(result.columns) == BACKTEST_COLUMNS
    assert list(result["scorer"]) == list(SCORERS)
    assert set(result["split"]) == {"random"}
    auc = result.set_index("scorer")["auc"]
    assert auc["blended"] >= auc["random"] + 0.1
    assert (result["n_test"] > 0).all()


def test_temporal_split_tests_only_the_links_made_later(builtin_graph):
    before = builtin_graph.copy()
    later = [c for c in before if c.startswith("coop:")][:4]
    before.remove_nodes_from(later)
    result = backtest(builtin_graph, repeats=1, temporal=(before, builtin_graph))
    temporal = result[result["split"] == "temporal"]
    expected = len(partner_unit_links(builtin_graph) - partner_unit_links(before))
    assert expected > 0
    assert set(temporal["n_test"]) == {expected}


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="holdout"):
        backtest(example_graph(), holdout=1.5)
