"""The Cypher files answer exactly as the networkx code does, on a real Neo4j server.

Each question is asked twice of the same data: of the Neo4j store itself
(which runs the package's ``.cypher`` files) and of the graph read from it
(which runs the networkx code).  The frames must be equal, row for row.
"""


import pandas as pd
import pytest
from synthetic import sample_records

from graph.store import graph_from_store
from loaders.builtin import builtin_records
from queries.gaps import (
    coverage_matrix,
    coverage_pairs,
    industry_gaps,
    industry_partners,
    policy_checks,
    untapped_partners,
)
from queries.needs import unmatched_needs
from queries.recommend import partner_candidates, recommend_partners

pytestmark = pytest.mark.neo4j

QUESTIONS = [industry_gaps, coverage_pairs, coverage_matrix, untapped_partners, policy_checks, unmatched_needs,
             recommend_partners]


def assert_same(on_server, in_memory):
    assert list(on_server.columns) == list(in_memory.columns)
    pd.testing.assert_frame_equal(on_server, in_memory, check_dtype=False)


def assert_parity(store, *, needs_sampled=None):
    G = graph_from_store(store)
    assert G.number_of_nodes() > 0
    for question in QUESTIONS:
        assert_same(question(store), question(G))
    for industry in sorted(industry_gaps(G)["industry_key"]):
        assert_same(industry_partners(store, industry), industry_partners(G, industry))
    needs = sorted(set(unmatched_needs(G)["need_key"]))
    covered = sorted(n for n, kind in G.nodes(data="kind") if kind == "Need" and n not in needs)
    chosen = needs[:needs_sampled] + covered[:5] if needs_sampled else needs + covered
    assert chosen
    for need in chosen:
        assert_same(partner_candidates(store, need), partner_candidates(G, need))


def test_builtin_dataset(neo4j_store):
    neo4j_store.write(*builtin_records())
    assert_parity(neo4j_store)


def test_synthetic_sample_with_every_status(neo4j_store):
    nodes, edges = sample_records(scale=0.01, seed=3)
    neo4j_store.write(nodes, edges)
    G = graph_from_store(neo4j_store)
    statuses = {status for _, status in G.nodes(data="status") if status}
    assert statuses == {"active", "planned", "stalled", "ended"}
    assert set(unmatched_needs(G)["reason"]) >= {"cooperation-stalled-or-ended", "partners-not-linked-to-unit"}
    assert_parity(neo4j_store, needs_sampled=25)
