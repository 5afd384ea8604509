"""A Neo4j store answers exactly as the graph read from it does, at every evidence level, on a real server.

On a Neo4j store the questions restrict the facts to the evidence level on
the server (``facts_at_level.cypher``) and apply the one coverage rule to
what comes back; on the graph read whole from the same store they restrict
it with :func:`graph.evidence.graph_at`.  The frames must be equal, row for
row, at ``stated``, ``curated`` and ``all``.
"""

import random

import pandas as pd
import pytest
from synthetic import sample_records

from graph.evidence import EVIDENCE_LEVELS, graph_at
from graph.schema import Edge, Node
from graph.store import graph_from_store
from loaders.builtin import builtin_records
from queries._facts import graph_at_level
from queries.checks import policy_checks, untapped_partners
from queries.gaps import coverage_matrix, coverage_pairs, industry_gaps, industry_partners
from queries.hubs import hub_scores, single_points_of_failure
from queries.needs import unmatched_needs
from queries.recommend import partner_candidates, recommend_partners

pytestmark = pytest.mark.neo4j

QUESTIONS = [
    industry_gaps,
    coverage_pairs,
    coverage_matrix,
    untapped_partners,
    policy_checks,
    unmatched_needs,
    recommend_partners,
    hub_scores,
    single_points_of_failure,
]

LEVELS = ("stated", "curated", "all")

#: The relationships the questions read; the others (STATED_IN, MEMBER_OF, SUCCEEDED_BY) stay on the server.
QUESTION_RELS = {
    "LOCATED_IN",
    "PART_OF",
    "SPECIALISES_IN",
    "HANDLES",
    "HAS_NEED",
    "IN_FIELD",
    "PARTNER_IN",
    "SUPPORTS",
    "SERVES",
}


def assert_same(on_server, in_memory):
    assert list(on_server.columns) == list(in_memory.columns)
    pd.testing.assert_frame_equal(on_server, in_memory, check_dtype=False)


def assert_parity(store, *, needs_sampled=None):
    G = graph_from_store(store)
    assert G.number_of_nodes() > 0
    for evidence in LEVELS:
        # The server's restriction holds exactly the question facts of the graph's own.
        on_server = graph_at_level(store, evidence)
        local = graph_at(G, evidence=evidence)
        wanted = {n for n, kind in local.nodes(data="kind") if kind not in ("Mechanism", "Source")}
        assert set(on_server.nodes) == wanted, evidence
        edges = {e for e in local.edges(keys=True) if e[0] in wanted and e[1] in wanted and e[2] in QUESTION_RELS}
        assert set(on_server.edges(keys=True)) == edges, evidence
        for question in QUESTIONS:
            assert_same(question(store, evidence=evidence), question(G, evidence=evidence))
        for industry in sorted(industry_gaps(G, evidence=evidence)["industry_key"]):
            assert_same(
                industry_partners(store, industry, evidence=evidence), industry_partners(G, industry, evidence=evidence)
            )
        needs = sorted(set(unmatched_needs(G, evidence=evidence)["need_key"]))
        covered = sorted(n for n, kind in local.nodes(data="kind") if kind == "Need" and n not in needs)
        chosen = needs[:needs_sampled] + covered[:5] if needs_sampled else needs + covered
        assert chosen
        for need in chosen:
            assert_same(
                partner_candidates(store, need, evidence=evidence), partner_candidates(G, need, evidence=evidence)
            )


def test_builtin_dataset(neo4j_store):
    neo4j_store.write(*builtin_records())
    assert_parity(neo4j_store)
    stated = industry_gaps(neo4j_store, evidence="stated").set_index("industry_zh")
    assert (stated.loc["旅游业", "status"], stated.loc["旅游业", "n_partners"]) == ("uncovered", 0)


def test_synthetic_sample_with_every_status_and_level(neo4j_store):
    nodes, edges = sample_records(scale=0.01, seed=3)
    rng = random.Random(3)
    levels = EVIDENCE_LEVELS[:4]

    def level() -> dict[str, str]:
        return {"provenance": rng.choices(levels, weights=(6, 1, 3, 1))[0]}

    # Every fact gets a level; one node carries none and one relationship a misspelt one: both count as user.
    nodes = [Node(n.key, n.kind, n.name_zh, n.name_en, {**n.props, **level()}) for n in nodes]
    edges = [Edge(e.source, e.type, e.target, {**e.props, **level()}) for e in edges]
    nodes[5] = Node(
        nodes[5].key,
        nodes[5].kind,
        nodes[5].name_zh,
        nodes[5].name_en,
        {k: v for k, v in nodes[5].props.items() if k != "provenance"},
    )
    edges[7] = Edge(edges[7].source, edges[7].type, edges[7].target, {**edges[7].props, "provenance": "Stated"})
    neo4j_store.write(nodes, edges)
    G = graph_from_store(neo4j_store)
    statuses = {status for _, status in G.nodes(data="status") if status}
    assert statuses == {"active", "planned", "stalled", "ended"}
    assert {a.get("provenance") for _, a in G.nodes(data=True)} >= {"stated", "reported", "curated", "user", None}
    assert set(unmatched_needs(G)["missing"]) >= {"cooperation-idle", "related-field-only"}
    assert_parity(neo4j_store, needs_sampled=25)
