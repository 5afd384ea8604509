"""The Cypher branch of every question, tested without a server by replaying a real server's answers.

The recordings under ``recordings/`` are what a real Neo4j answered to the
package's Cypher files on two datasets, at the evidence levels stated,
curated and all.  Without a server, each question is asked of a
:class:`graph.runner.ReplayRunner` (so it takes its Cypher branch: the facts
restricted to the level on the server) and must answer exactly as the
networkx code does on the same records.  With a server (``-m neo4j``), the recordings must equal what the
server answers now; ``HAINET_RECORD_CYPHER=1`` writes them again after a
Cypher file changed.
"""

import os
import sys
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd
import pytest

from graph.errors import HainetError
from graph.runner import RecordingRunner, ReplayRunner
from graph.schema import Edge, Node
from loaders.builtin import builtin_records
from queries._examples import graph_from_records
from queries.checks import policy_checks, untapped_partners
from queries.gaps import coverage_matrix, coverage_pairs, industry_gaps
from queries.hubs import hub_scores, single_points_of_failure
from queries.needs import unmatched_needs
from queries.recommend import partner_candidates, recommend_partners

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from synthetic import sample_records

RECORDINGS = Path(__file__).parent / "recordings"


def records(dataset: str) -> tuple[list[Node], list[Edge]]:
    """The records of ``dataset``: the built-in one, or a 1000-node synthetic sample with every status."""
    nodes, edges = builtin_records() if dataset == "builtin" else sample_records(scale=0.01, seed=3)
    return list(nodes), list(edges)


DATASETS = ("builtin", "sample")
LEVELS = ("stated", "curated", "all")

ALL_QUESTIONS = [
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
#: On the sample, the questions whose answers depend on statuses; the long lists of pairs are
#: asked of the built-in dataset only, which keeps the recordings small.
QUESTIONS = {"builtin": ALL_QUESTIONS, "sample": [industry_gaps, unmatched_needs, hub_scores, single_points_of_failure]}


def chosen_needs(G: nx.MultiDiGraph) -> list[str]:
    """Needs to ask partner candidates for: some unmatched, some covered (few, to keep recordings small)."""
    unmatched = sorted(set(unmatched_needs(G)["need_key"]))
    covered = sorted(n for n, kind in G.nodes(data="kind") if kind == "Need" and n not in unmatched)
    return unmatched[:8] + covered[:3]


def answers(dataset: str, source: Any, needs: list[str]) -> dict[str, pd.DataFrame]:
    """The answers of the questions asked of ``dataset``, from ``source``, at every level, by name and level."""
    found = {}
    for level in LEVELS:
        for question in QUESTIONS[dataset]:
            found[f"{question.__name__} {level}"] = question(source, evidence=level)
        for need in needs:
            found[f"partner_candidates {need} {level}"] = partner_candidates(source, need, evidence=level)
    return found


@pytest.mark.parametrize("dataset", DATASETS)
def test_replayed_cypher_answers_as_networkx(dataset):
    G = graph_from_records(*records(dataset))
    replay = ReplayRunner(RECORDINGS / f"{dataset}.json")
    needs = chosen_needs(G)
    assert len(needs) > 3
    on_server, in_memory = answers(dataset, replay, needs), answers(dataset, G, needs)
    assert len(in_memory) == len(LEVELS) * (len(QUESTIONS[dataset]) + len(needs))
    for name, frame in in_memory.items():
        assert list(on_server[name].columns) == list(frame.columns), name
        pd.testing.assert_frame_equal(on_server[name], frame, check_dtype=False, obj=name)
    assert replay.asked == set(replay.recordings), "recordings no question asks any more: record them again"


def test_replay_refuses_a_query_it_never_saw():
    replay = ReplayRunner(RECORDINGS / "builtin.json")
    with pytest.raises(HainetError, match=r"no recorded answer .* record it again"):
        replay.run("MATCH (n) RETURN n.key AS key", {})


@pytest.mark.neo4j
@pytest.mark.parametrize("dataset", DATASETS)
def test_recordings_are_what_the_server_answers(neo4j_store, dataset):
    nodes, edges = records(dataset)
    neo4j_store.write(nodes, edges)
    recorder = RecordingRunner(neo4j_store)
    needs = chosen_needs(graph_from_records(nodes, edges))
    now = answers(dataset, recorder, needs)
    path = RECORDINGS / f"{dataset}.json"
    if os.environ.get("HAINET_RECORD_CYPHER") == "1":
        recorder.save(path)
    saved = ReplayRunner(path)
    assert sorted(saved.recordings) == sorted(recorder.recordings)
    # Compared as answers: the server may list collected values in any order, which the questions sort.
    for name, frame in answers(dataset, saved, needs).items():
        pd.testing.assert_frame_equal(frame, now[name], obj=name)
