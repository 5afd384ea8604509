"""The questions asked together never contradict each other, at any level of evidence.

They run on the built-in dataset and on seeded generated graphs whose facts
carry every evidence level, and the answers of gaps, needs, checks,
recommend, hubs, untapped partners and the map's two industry views are
held against each other.
"""

from __future__ import annotations

import random

import networkx as nx
import pytest
from synthetic import sample_records

from graph.evidence import EVIDENCE_CHOICES, EVIDENCE_LEVELS, allowed_levels, graph_at
from graph.render import industry_subgraph
from graph.render_map import _node_industries
from loaders.builtin import builtin_records
from queries._examples import graph_from_records
from queries.checks import policy_checks, untapped_partners
from queries.gaps import coverage_pairs, industry_gaps
from queries.hubs import hub_scores, single_points_of_failure
from queries.needs import unmatched_needs
from queries.recommend import recommend_partners


def _mixed(seed: int) -> nx.MultiDiGraph:
    """A generated graph whose facts carry levels drawn with ``seed``: stated, reported, curated and user."""
    G = graph_from_records(*sample_records(scale=0.01, seed=seed))
    rng = random.Random(seed)
    levels = EVIDENCE_LEVELS[:4]
    for _, attrs in G.nodes(data=True):
        attrs["provenance"] = rng.choices(levels, weights=(6, 1, 3, 1))[0]
    for _, _, attrs in G.edges(data=True):
        attrs["provenance"] = rng.choices(levels, weights=(6, 1, 3, 1))[0]
    return G


GRAPHS = {
    "builtin": lambda: graph_from_records(*builtin_records()),
    "generated-1": lambda: _mixed(1),
    "generated-7": lambda: _mixed(7),
}


@pytest.fixture(scope="module", params=sorted(GRAPHS))
def graph(request) -> nx.MultiDiGraph:
    return GRAPHS[request.param]()


def _need_rows(G: nx.MultiDiGraph) -> set[tuple[str, str, str]]:
    rows = set()
    for unit, need, rel in G.edges(keys=True):
        if rel != "HAS_NEED":
            continue
        for _, industry, rel2 in G.out_edges(need, keys=True):
            if rel2 == "IN_FIELD" and G.nodes[industry].get("kind") == "Industry":
                rows.add((need, unit, industry))
    return rows


@pytest.mark.parametrize("evidence", ["stated", "curated", "all"])
def test_the_questions_agree(graph, evidence):
    gaps = industry_gaps(graph, evidence=evidence).set_index("industry_key")
    needs = unmatched_needs(graph, evidence=evidence)
    pairs = coverage_pairs(graph, evidence=evidence)
    checks = policy_checks(graph, evidence=evidence)
    untapped = untapped_partners(graph, evidence=evidence)
    recommendations = recommend_partners(graph, evidence=evidence)
    spof = single_points_of_failure(graph, evidence=evidence)
    H = graph_at(graph, evidence=evidence)
    unmatched = set(zip(needs["need_key"], needs["unit_key"], needs["industry_key"], strict=True))
    every_need = _need_rows(H)
    assert unmatched <= every_need
    covered_needs = every_need - unmatched

    # An industry that gaps calls uncovered has every one of its needs listed by needs.
    for industry, row in gaps.iterrows():
        of_industry = {n for n in every_need if n[2] == industry}
        if row["status"] == "uncovered":
            assert of_industry <= unmatched, industry
            assert row["n_partners"] == 0 and row["partners"] == []
        if row["status"] == "covered-via-subfield":
            assert row["via"], industry
            assert of_industry <= unmatched, industry  # no cooperation in the field itself
        # The partners of gaps are exactly the partners of the coverage table.
        assert sorted(pairs.loc[pairs["industry_key"] == industry, "partner_key"]) == row["partners"]

    # A need counted as covered is covered in its industry itself.
    for need, _, industry in covered_needs:
        assert gaps.loc[industry, "status"] in ("single-partner", "covered"), need

    # A need listed as unmatched is never counted as covered elsewhere.
    assert set(recommendations["need_key"]) <= set(needs["need_key"])
    stranded = set(zip(spof["need_key"], spof["unit_key"], spof["industry_key"], strict=True))
    assert not stranded & unmatched
    assert stranded <= covered_needs

    # A leading industry with a region or a park partner is not uncovered.
    for check in ("leading-industry-has-region", "leading-industry-has-park"):
        passed = checks[(checks["check"] == check) & checks["passed"]]
        assert all(gaps.loc[i, "status"] != "uncovered" for i in passed["subject_key"])

    # An untapped actor takes no part in the industry's live cooperations.
    for actor, industry in zip(untapped["actor_key"], untapped["industry_key"], strict=True):
        assert actor not in gaps.loc[industry, "partners"]

    # Recommendations never pair a need with a ministry department: departments support.
    assert "Department" not in set(recommendations["candidate_kind"])

    # Every row names a level admitted at the level asked, and names facts, not keys.
    allowed = set(allowed_levels(evidence))
    for frame in (gaps, needs, pairs, checks, untapped, recommendations, spof, hub_scores(graph, evidence=evidence)):
        assert set(frame["evidence"]) <= allowed
        assert not any(":" in chain.replace("：", "").split("（")[0] for chain in frame.get("chain_zh", []))


def test_more_evidence_never_loses_a_partner(graph):
    partners = {}
    for evidence in EVIDENCE_CHOICES:
        gaps = industry_gaps(graph, evidence=evidence)
        partners[evidence] = {(i, p) for i, ps in zip(gaps["industry_key"], gaps["partners"], strict=True) for p in ps}
    assert partners["stated"] <= partners["reported"] <= partners["curated"] <= partners["all"]


@pytest.mark.parametrize("evidence", ["stated", "all"])
def test_the_maps_industry_filter_equals_the_industry_view(graph, evidence):
    H = graph_at(graph, evidence=evidence)
    tagged = _node_industries(H)
    industries = sorted(k for k, kind in H.nodes(data="kind") if kind == "Industry")
    for industry in industries[:60]:
        assert {n for n, about in tagged.items() if industry in about} == set(industry_subgraph(H, industry))


def test_the_figures_the_issue_states_on_the_document_alone():
    G = graph_from_records(*builtin_records())
    stated = industry_gaps(G, evidence="stated").set_index("industry_zh")
    for name in ("旅游业", "现代服务业"):
        assert (stated.loc[name, "status"], stated.loc[name, "n_partners"]) == ("uncovered", 0)
    default = industry_gaps(G).set_index("industry_zh")
    for name in ("旅游业", "现代服务业"):
        assert (default.loc[name, "status"], default.loc[name, "evidence"]) == ("covered-via-subfield", "curated")
        assert default.loc[name, "via"]
