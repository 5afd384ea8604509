import pandas as pd
import pytest

from graph.errors import HainetError
from queries.gaps import (
    COVERAGE_COLUMNS,
    GAP_COLUMNS,
    INDUSTRY_PARTNER_COLUMNS,
    POLICY_CHECK_COLUMNS,
    POLICY_CHECKS,
    UNTAPPED_COLUMNS,
    coverage_matrix,
    coverage_pairs,
    industry_gaps,
    industry_partners,
    policy_checks,
    untapped_partners,
)


def by_key(frame, column="industry_key"):
    return {row[column]: row for row in frame.to_dict("records")}


def test_every_frame_has_its_documented_columns(reasons_graph, empty_graph):
    assert GAP_COLUMNS == [
        "industry_key",
        "industry_zh",
        "industry_en",
        "is_leading",
        "n_needs",
        "n_cooperations",
        "n_partners",
        "partners",
        "partners_zh",
        "status",
        "via",
        "via_zh",
        "evidence",
        "chain_zh",
        "chain_en",
    ]
    assert COVERAGE_COLUMNS[-4:] == INDUSTRY_PARTNER_COLUMNS[-4:] == ["via", "evidence", "chain_zh", "chain_en"]
    assert POLICY_CHECK_COLUMNS == [
        "check",
        "subject_key",
        "subject_zh",
        "subject_en",
        "passed",
        "finding_zh",
        "finding_en",
        "evidence",
        "chain_zh",
        "chain_en",
    ]
    assert UNTAPPED_COLUMNS[10:13] == ["evidence", "chain_zh", "chain_en"]
    for G in (reasons_graph, empty_graph):
        assert list(industry_gaps(G).columns) == GAP_COLUMNS
        assert list(coverage_pairs(G).columns) == COVERAGE_COLUMNS
        assert list(untapped_partners(G).columns) == UNTAPPED_COLUMNS
        assert list(policy_checks(G).columns) == POLICY_CHECK_COLUMNS
    assert list(industry_partners(reasons_graph, "industry:bio").columns) == INDUSTRY_PARTNER_COLUMNS


def test_empty_graph_gives_empty_frames(empty_graph):
    assert industry_gaps(empty_graph).empty
    assert coverage_pairs(empty_graph).empty
    assert untapped_partners(empty_graph).empty
    assert coverage_matrix(empty_graph).shape == (0, 0)


def test_status_follows_the_number_of_partners(reasons_graph):
    gaps = by_key(industry_gaps(reasons_graph))
    assert gaps["industry:rice"]["status"] == "uncovered"
    assert gaps["industry:sea"]["status"] == "uncovered"  # its cooperations are stalled and ended
    assert gaps["industry:ai"]["status"] == "single-partner"
    assert gaps["industry:ai"]["partners"] == ["dept:hitech"]  # SUPPORTS makes a partner
    assert gaps["industry:bio"]["status"] == "covered"
    assert gaps["industry:bio"]["partners"] == ["park:zhangjiang", "region:shanghai"]
    assert gaps["industry:bio"]["partners_zh"] == ["张江高新区", "上海市"]
    assert gaps["industry:bio"]["via"] == ["industry:genomics"]  # Zhangjiang works in genomics only
    # High-tech has partners only through bio, genomics and AI: covered through sub-fields, named.
    assert gaps["industry:hightech"]["status"] == "covered-via-subfield"
    assert gaps["industry:hightech"]["via"] == ["industry:ai", "industry:bio", "industry:genomics"]
    assert gaps["industry:hightech"]["via_zh"] == ["人工智能", "生物医药", "基因组学"]


def test_one_partner_in_the_field_and_others_in_sub_fields_is_covered(make_graph, kit):
    G = make_graph(
        kit.node("industry:f", is_leading=True),
        kit.node("industry:sub"),
        kit.node("region:a"),
        kit.node("region:b"),
        kit.edge("industry:sub", "PART_OF", "industry:f"),
        kit.coop("coop:a", partners=("region:a",), fields=("industry:f",)),
        kit.coop("coop:b", partners=("region:b",), fields=("industry:sub",)),
    )
    row = by_key(industry_gaps(G))["industry:f"]
    assert (row["status"], row["n_partners"], row["via"]) == ("covered", 2, ["industry:sub"])
    G.remove_node("coop:a")
    assert by_key(industry_gaps(G))["industry:f"]["status"] == "covered-via-subfield"


def test_evidence_and_chain_name_the_facts(make_graph, kit):
    stated = {"provenance": "stated", "section": "二", "quote": "q", "basis": None}
    G = make_graph(
        kit.node("industry:tour", "旅游业", "Tourism", is_leading=True, **stated),
        kit.node("industry:med", "医疗旅游", "Medical tourism"),
        kit.node("park:t", "天府", "Tianfu", **stated),
        kit.edge("industry:med", "PART_OF", "industry:tour"),
        kit.node("coop:t", "天府—乐城合作", "Tianfu-Lecheng", mode="point-to-point", status="active", **stated),
        kit.edge("park:t", "PARTNER_IN", "coop:t", **stated),
        kit.edge("coop:t", "IN_FIELD", "industry:med"),
    )
    row = by_key(industry_gaps(G))["industry:tour"]
    assert (row["status"], row["evidence"]) == ("covered-via-subfield", "curated")
    assert row["chain_zh"] == (
        "旅游业 ← 医疗旅游（整理：医疗旅游属于旅游业）← 天府—乐城合作（整理：合作领域）← 天府（原文：合作方）"
    )
    assert row["chain_en"] == (
        "Tourism <- Medical tourism (curated: Medical tourism is part of Tourism) "
        "<- Tianfu-Lecheng (curated: field of the cooperation) <- Tianfu (stated: partner)"
    )
    stated_row = by_key(industry_gaps(G, evidence="stated"))["industry:tour"]
    assert (stated_row["status"], stated_row["n_partners"], stated_row["evidence"]) == ("uncovered", 0, "stated")
    assert stated_row["chain_zh"] == "旅游业（原文：主导产业）：没有合作方"


def test_needed_industries_are_the_leading_ones_and_those_with_needs(reasons_graph):
    gaps = industry_gaps(reasons_graph)
    assert set(gaps["industry_key"]) == {
        "industry:hightech",
        "industry:bio",
        "industry:rice",
        "industry:sea",
        "industry:ai",
    }
    assert "industry:genomics" not in set(gaps["industry_key"])  # no need, not leading
    assert by_key(gaps)["industry:hightech"]["is_leading"]
    assert by_key(gaps)["industry:bio"]["n_needs"] == 3


def test_sub_industries_count_for_their_parents(reasons_graph):
    gaps = by_key(industry_gaps(reasons_graph))
    # genomics is PART_OF bio is PART_OF hightech; ai is PART_OF hightech.
    assert gaps["industry:bio"]["n_cooperations"] == 2
    assert gaps["industry:hightech"]["n_cooperations"] == 3
    assert gaps["industry:hightech"]["partners"] == ["dept:hitech", "park:zhangjiang", "region:shanghai"]


def test_a_part_of_cycle_does_not_hang(make_graph, kit):
    G = make_graph(
        kit.node("industry:a", is_leading=True),
        kit.node("industry:b"),
        kit.edge("industry:a", "PART_OF", "industry:b"),
        kit.edge("industry:b", "PART_OF", "industry:a"),
        kit.node("region:x"),
        kit.coop("coop:x", partners=("region:x",), fields=("industry:b",)),
    )
    assert by_key(industry_gaps(G))["industry:a"]["partners"] == ["region:x"]


def test_gaps_sort_worst_first_then_leading_then_key(reasons_graph):
    gaps = industry_gaps(reasons_graph)
    assert list(gaps["status"]) == ["uncovered", "uncovered", "covered-via-subfield", "single-partner", "covered"]
    assert list(gaps["industry_key"]) == [
        "industry:rice",
        "industry:sea",
        "industry:hightech",
        "industry:ai",
        "industry:bio",
    ]


def test_coverage_pairs_count_active_and_planned(reasons_graph):
    pairs = coverage_pairs(reasons_graph)
    ai = pairs[(pairs["industry_key"] == "industry:ai")].to_dict("records")
    assert len(ai) == 1
    assert (ai[0]["partner_key"], ai[0]["n_active"], ai[0]["n_planned"]) == ("dept:hitech", 0, 1)
    assert ai[0]["cooperations"] == ["coop:ai-planned"]
    assert not (pairs["industry_key"] == "industry:sea").any()


def test_coverage_matrix_is_the_pivot_of_the_pairs_with_uncovered_rows(reasons_graph):
    pairs = coverage_pairs(reasons_graph)
    matrix = coverage_matrix(reasons_graph)
    assert int(matrix.to_numpy().sum()) == int(pairs["n_cooperations"].sum())
    assert list(matrix.index) == sorted(industry_gaps(reasons_graph)["industry_key"])
    assert matrix.loc["industry:rice"].sum() == 0
    assert matrix.loc["industry:hightech", "region:shanghai"] == 1
    assert matrix.index.name == "industry" and matrix.columns.name == "partner"


def test_coverage_matrix_labels_by_name_and_keeps_shared_names_apart(make_graph, kit):
    G = make_graph(
        kit.node("industry:a", "同名", "Same", is_leading=True),
        kit.node("industry:b", "同名", "Same", is_leading=True),
        kit.node("region:x", "甲", "X"),
        kit.coop("coop:x", partners=("region:x",), fields=("industry:a",)),
    )
    matrix = coverage_matrix(G, label="zh")
    assert list(matrix.index) == ["同名 [industry:a]", "同名 [industry:b]"]
    assert list(matrix.columns) == ["甲"]
    with pytest.raises(ValueError, match="label"):
        coverage_matrix(G, label="fr")


def test_industry_partners_resolves_names(reasons_graph):
    by_zh = industry_partners(reasons_graph, "生物医药")
    assert list(by_zh["partner_key"]) == ["park:zhangjiang", "region:shanghai"]
    pd.testing.assert_frame_equal(by_zh, industry_partners(reasons_graph, "biomedicine"))
    pd.testing.assert_frame_equal(by_zh, industry_partners(reasons_graph, "industry:bio"))


def test_industry_partners_rejects_unknown_and_ambiguous_names(reasons_graph):
    with pytest.raises(HainetError, match="no Industry is named"):
        industry_partners(reasons_graph, "旅游业")
    with pytest.raises(HainetError, match="names 3 Industry nodes"):
        industry_partners(reasons_graph, "ic")  # biomedICine, genomICs, hybrid rICe


def test_untapped_partners_are_able_but_not_working_in_the_field(reasons_graph):
    untapped = untapped_partners(reasons_graph)
    rows = {(r["actor_key"], r["industry_key"], r["capability"]): r for r in untapped.to_dict("records")}
    # Shanghai SPECIALISES_IN bio but already partners a live cooperation there: not untapped.
    assert set(rows) == {
        ("dept:hitech", "industry:bio", "HANDLES"),
        ("region:sichuan", "industry:bio", "SPECIALISES_IN"),
        ("region:sichuan", "industry:rice", "SPECIALISES_IN"),
    }
    assert rows["dept:hitech", "industry:bio", "HANDLES"]["tied_to_hainan"]  # it supports the AI cooperation
    sichuan = rows["region:sichuan", "industry:bio", "SPECIALISES_IN"]
    assert not sichuan["tied_to_hainan"]  # its only cooperation has ended
    assert (sichuan["provenance"], sichuan["section"]) == ("stated", "二(一)")
    assert sichuan["quote"] == "推动四川与海南开展生物医药领域等科技合作"
    assert sichuan["n_needs"] == 3
    assert list(untapped["industry_key"]) == sorted(untapped["industry_key"])


def test_a_partner_in_a_sub_industry_is_not_untapped_in_the_parent(make_graph, kit):
    G = make_graph(
        kit.node("industry:parent", is_leading=True),
        kit.node("industry:child"),
        kit.edge("industry:child", "PART_OF", "industry:parent"),
        kit.node("park:p"),
        kit.edge("park:p", "SPECIALISES_IN", "industry:parent"),
        kit.coop("coop:c", partners=("park:p",), fields=("industry:child",)),
    )
    assert untapped_partners(G).empty
    G.nodes["coop:c"]["status"] = "ended"
    assert list(untapped_partners(G)["actor_key"]) == ["park:p"]


def checks_by(frame):
    return {(r["check"], r["subject_key"]): r for r in frame.to_dict("records")}


def test_policy_checks_pass_and_fail_with_evidence(make_graph, kit):
    G = make_graph(
        kit.node("industry:tourism", is_leading=True),
        kit.node("industry:services", is_leading=True),
        kit.node("region:r"),
        kit.node("park:p"),
        kit.node("dept:d"),
        kit.node("unit:u"),
        kit.coop("coop:region", partners=("region:r",), fields=("industry:tourism",)),
        kit.coop(
            "coop:park", partners=("park:p",), fields=("industry:services",), section="二（四）", serves=("unit:u",)
        ),
        kit.coop("coop:one-sided", partners=("park:p",), section="二(四)"),
        kit.coop("coop:task", supporters=("dept:d",), section="二(五)"),
        kit.coop("coop:orphan-task", section="二 (五)"),
    )
    checks = checks_by(policy_checks(G))
    assert checks["leading-industry-has-region", "industry:tourism"]["passed"]
    assert checks["leading-industry-has-region", "industry:tourism"]["finding_en"] == "Region partners: R"
    assert checks["leading-industry-has-region", "industry:tourism"]["finding_zh"] == "地区合作方：r中"
    assert checks["leading-industry-has-region", "industry:tourism"]["evidence"] == "curated"
    assert not checks["leading-industry-has-region", "industry:services"]["passed"]
    assert not checks["leading-industry-has-park", "industry:tourism"]["passed"]
    assert checks["leading-industry-has-park", "industry:services"]["passed"]
    assert checks["key-task-has-department", "coop:task"]["passed"]
    assert not checks["key-task-has-department", "coop:orphan-task"]["passed"]  # "二 (五)" is 二(五)
    assert checks["pairing-has-both-sides", "coop:park"]["passed"]  # "二（四）" is 二(四)
    one_sided = checks["pairing-has-both-sides", "coop:one-sided"]
    assert not one_sided["passed"] and one_sided["finding_en"].endswith("missing a served unit")
    assert one_sided["finding_zh"].endswith("缺少服务对象")
    assert list(dict.fromkeys(policy_checks(G)["check"])) == list(POLICY_CHECKS)


def test_a_check_without_subjects_fails_once(make_graph, kit):
    checks = policy_checks(make_graph(kit.node("region:r")))
    assert list(checks["check"]) == list(POLICY_CHECKS)
    assert not checks["passed"].any()
    assert set(checks["subject_key"]) == {""}


def test_the_same_graph_built_in_another_order_gives_the_same_frames(kit):
    nodes, edges = kit.reasons_records()
    G, H = kit.build(nodes, edges), kit.build(nodes, edges, reverse=True)
    for question in (industry_gaps, coverage_pairs, untapped_partners, policy_checks, coverage_matrix):
        pd.testing.assert_frame_equal(question(G), question(H))
        pd.testing.assert_frame_equal(question(G), question(G))
