"""Every code the questions use, as a column or a coded value, has a label in both languages."""

from __future__ import annotations

import networkx as nx
import pandas as pd

from graph.labels import CODED_COLUMNS, has_label
from loaders.builtin import builtin_records
from queries._examples import example_graph, graph_from_records
from queries.gaps import GAP_STATUSES, POLICY_CHECKS, coverage_pairs, industry_gaps, policy_checks, untapped_partners
from queries.hubs import hub_scores, single_points_of_failure
from queries.needs import NEED_MISSING, unmatched_needs
from queries.recommend import recommend_partners


def _results(G: nx.MultiDiGraph) -> list[pd.DataFrame]:
    return [
        industry_gaps(G),
        coverage_pairs(G),
        untapped_partners(G),
        policy_checks(G),
        hub_scores(G),
        single_points_of_failure(G),
        unmatched_needs(G),
        recommend_partners(G),
    ]


def test_declared_codes_have_labels() -> None:
    codes = [*GAP_STATUSES, *POLICY_CHECKS, *NEED_MISSING]
    assert [c for c in codes if not has_label(c)] == []


def test_columns_and_coded_values_of_every_result_have_labels() -> None:
    unlabelled: set[str] = set()
    for G in (example_graph(), graph_from_records(*builtin_records())):
        for frame in _results(G):
            assert len(frame.columns) > 0
            unlabelled |= {str(c) for c in frame.columns if not has_label(c)}
            for column in frame.columns:
                if column in CODED_COLUMNS - {"evidence"} or str(column).endswith("_kind"):
                    values = {v for v in frame[column].dropna() if not isinstance(v, list)}
                    unlabelled |= {f"{column}={v}" for v in values if not has_label(v)}
    assert sorted(unlabelled) == []
