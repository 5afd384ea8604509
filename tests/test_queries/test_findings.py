"""One analysis per report, findings first, scoped reports, the data's date."""

from __future__ import annotations

import networkx as nx
import pytest

from loaders.builtin import builtin_records
from queries._examples import example_graph, graph_from_records
from queries.findings import (
    FINDING_COLUMNS,
    data_as_of,
    report_analysis,
    report_findings,
    scoped_analysis,
)


@pytest.fixture(scope="module")
def builtin():
    return graph_from_records(*builtin_records())


def test_findings_on_the_builtin_data_carry_evidence_and_a_next_step(builtin):
    findings = report_findings(report_analysis(builtin))
    assert list(findings.columns) == FINDING_COLUMNS
    assert 3 <= len(findings) <= 5
    assert set(findings["evidence"]) <= {"stated", "reported", "curated", "user", "example"}
    assert findings["next_step_zh"].str.startswith("建议下一步：").all()
    assert findings["next_step_en"].str.startswith("Next step:").all()
    assert not findings["finding_zh"].str.contains(r"\b(?:region|park|unit|industry|need):", regex=True).any()
    # tourism is a leading industry with one partner, and that rests on curated roll-ups
    about = findings[findings["finding"].str.startswith("industry-")]
    tourism = about[about["subject_key"] == "industry:tourism"]
    assert len(tourism) == 1 and tourism["evidence"].iloc[0] == "curated"
    assert "旅游业" in tourism["finding_zh"].iloc[0]


def test_a_finding_about_nothing_is_left_out():
    G = example_graph()
    analysis = report_analysis(G)
    empty = scoped_analysis(analysis, ["no:such-key"])
    assert len(empty.needs) == 0
    findings = report_findings(empty)
    assert "unmatched-needs" not in set(findings["finding"])
    assert not findings["finding_zh"].str.contains(" 0 项").any()


def test_scoped_analysis_keeps_only_rows_about_the_scope():
    analysis = report_analysis(example_graph())
    scoped = scoped_analysis(analysis, ["industry:biomedicine"])
    assert set(scoped.gaps["industry_key"]) == {"industry:biomedicine"}
    assert len(scoped.needs) < len(analysis.needs)
    assert set(scoped.needs["industry_key"]) <= {"industry:biomedicine"}


def test_data_as_of_is_the_latest_dated_fact_not_in_the_future():
    G = nx.MultiDiGraph()
    G.add_node("a", issued="2020-12-02")
    G.add_node("b", valid_from="2023")
    G.add_node("c", date="2999-01-01")
    G.add_edge("a", "b", key="X", status_history=[{"status": "active", "date": "2024-03-15"}])
    assert data_as_of(G) == "2024-03-15"


def test_one_analysis_gives_the_answers_each_question_gives_alone(builtin):
    from pandas.testing import assert_frame_equal

    from queries.gaps import industry_gaps, policy_checks
    from queries.hubs import hub_scores, single_points_of_failure
    from queries.needs import unmatched_needs
    from queries.recommend import recommend_partners

    analysis = report_analysis(builtin)
    alone = {
        "gaps": industry_gaps(builtin),
        "needs": unmatched_needs(builtin),
        "recommendations": recommend_partners(builtin, top=3),
        "hubs": hub_scores(builtin, seed=42),
        "spof": single_points_of_failure(builtin),
        "checks": policy_checks(builtin),
    }
    for name, frame in alone.items():
        shared = getattr(analysis, name)
        assert_frame_equal(shared[list(frame.columns)], frame, obj=name)
