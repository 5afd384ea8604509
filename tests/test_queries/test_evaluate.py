"""hainet evaluate: scores from monitoring records, components, flags, groups and the fund reference."""

import json

import pytest
from click.testing import CliRunner

from graph.cli import cli
from graph.errors import HainetError
from graph.schema import MONITORING_MEASURES
from graph.sqlite_store import SQLiteStore
from queries.evaluate import (
    DEFAULT_WEIGHTS,
    EVALUATION_COLUMNS,
    GROUP_COLUMNS,
    Weights,
    evaluate,
    evaluation_by,
    fund_reference,
)

ZERO = dict.fromkeys(MONITORING_MEASURES, 0)


def monitoring(kit, cooperation, year, status="active", **measures):
    key = f"monitoring:{cooperation.split(':')[1]}:{year}"
    props = {"year": year, "status": status, **ZERO, **measures, "provenance": "example", "basis": "fictional"}
    return kit.records(
        kit.node(key, f"{year}监测", f"monitoring {year}", **props), kit.edge(key, "REPORTS_ON", cooperation)
    )


def world(kit):
    return kit.records(
        kit.node("region:shanghai", "上海市", "Shanghai"),
        kit.node("region:sichuan", "四川省", "Sichuan"),
        kit.node("dept:regional", "成果与区域司", "Regional department"),
        kit.node("unit:haikou", "海口", "Haikou", unit_type="city"),
        kit.node("unit:boao", "博鳌", "Boao"),
        kit.coop("coop:strong", partners=("region:shanghai",), supporters=("dept:regional",), serves=("unit:haikou",)),
        kit.coop("coop:weak", partners=("region:sichuan",), serves=("unit:boao",)),
        kit.coop("coop:idle", partners=("region:sichuan",), serves=("unit:boao",)),
        kit.coop("coop:forum", status="planned", year=2020, serves=("unit:haikou",)),
        kit.coop("coop:silent", partners=("region:shanghai",), serves=("unit:boao",)),
        kit.coop("coop:gone", partners=("region:shanghai",), status="ended"),
        monitoring(
            kit, "coop:strong", 2022, projects=4, funding_wan_yuan=800.0, talents=20, results_transferred=2, platforms=2
        ),
        monitoring(kit, "coop:weak", 2022, projects=1, funding_wan_yuan=200.0, talents=5, results_transferred=1),
        monitoring(kit, "coop:idle", 2021),
        monitoring(kit, "coop:idle", 2022, status="stalled"),
        monitoring(kit, "coop:forum", 2022, status="planned"),
        monitoring(kit, "coop:gone", 2022, status="ended", projects=1),
    )


@pytest.fixture
def G(kit):
    return kit.build(*world(kit))


def test_columns_and_components_add_up(G):
    frame = evaluate(G, year=2022)
    assert list(frame.columns) == EVALUATION_COLUMNS
    parts = frame[[f"c_{m}" for m in MONITORING_MEASURES]].sum(axis=1)
    assert (abs(parts - frame["score"]) < 1e-6).all()
    strong = frame.set_index("cooperation_key").loc["coop:strong"]
    assert strong["score"] == pytest.approx(sum(getattr(DEFAULT_WEIGHTS, m) for m in MONITORING_MEASURES))
    weak = frame.set_index("cooperation_key").loc["coop:weak"]
    assert weak["c_projects"] == pytest.approx(25 * 1 / 4)
    assert weak["c_funding_wan_yuan"] == pytest.approx(25 * 200 / 800)
    assert weak["c_platforms"] == 0
    assert frame["cooperation_key"].tolist()[:2] == ["coop:strong", "coop:weak"]
    assert frame["rank"].tolist()[:2] == [1, 2]


def test_weights_change_the_score(G):
    only_funding = evaluate(
        G,
        year=2022,
        weights={"projects": 0, "talents": 0, "results_transferred": 0, "platforms": 0, "funding_wan_yuan": 10},
    )
    weak = only_funding.set_index("cooperation_key").loc["coop:weak"]
    assert weak["score"] == pytest.approx(10 * 200 / 800)
    with pytest.raises(HainetError, match="no measure is called budget"):
        evaluate(G, year=2022, weights={"budget": 1})
    with pytest.raises(HainetError, match="at least 0"):
        Weights(projects=-1)
    with pytest.raises(HainetError, match="not all 0"):
        Weights(0, 0, 0, 0, 0)


def test_flags_with_reasons(G):
    flags = evaluate(G, year=2022).set_index("cooperation_key")["flag"].to_dict()
    assert flags == {
        "coop:strong": "",
        "coop:weak": "",
        "coop:idle": "no-progress-two-years",
        "coop:forum": "planned-never-started",
        "coop:silent": "no-report",
        "coop:gone": "ended",
    }
    frame = evaluate(G, year=2022).set_index("cooperation_key")
    assert frame.loc["coop:idle", "flag_zh"] == "连续两年无进展"
    assert frame.loc["coop:silent", "flag_en"] == "no monitoring record for the year"


def test_evidence_is_the_weakest_of_record_and_cooperation(G):
    frame = evaluate(G, year=2022).set_index("cooperation_key")
    assert frame.loc["coop:strong", "evidence"] == "example"
    assert frame.loc["coop:silent", "evidence"] == "curated"


def test_groups_add_up_the_scores(G):
    frame = evaluate(G, year=2022)
    partners = evaluation_by(frame, "partner")
    assert list(partners.columns) == GROUP_COLUMNS
    shanghai = partners.set_index("key").loc["region:shanghai"]
    assert shanghai["n_cooperations"] == 3 and shanghai["n_records"] == 2 and shanghai["n_flagged"] == 2
    strong_score = frame.set_index("cooperation_key").loc["coop:strong", "score"]
    gone_score = frame.set_index("cooperation_key").loc["coop:gone", "score"]
    assert shanghai["total_score"] == pytest.approx(strong_score + gone_score)
    assert evaluation_by(frame, "department")["key"].tolist() == ["dept:regional"]
    assert set(evaluation_by(frame, "unit")["key"]) == {"unit:haikou", "unit:boao"}
    with pytest.raises(HainetError):
        evaluation_by(frame, "industry")


def test_fund_reference_shares_add_to_one(G):
    funds = fund_reference(evaluate(G, year=2022))
    assert funds["fund_share"].sum() == pytest.approx(1.0, abs=1e-5)
    assert (funds["score"] > 0).all()
    assert set(funds["label"]) == {"参考 reference"}


def test_a_year_without_records_scores_nothing_and_flags_no_report(G):
    frame = evaluate(G, year=2024)
    assert (frame["score"] == 0).all() and (frame["fund_share"] == 0).all()
    assert set(frame["flag"]) >= {"no-report"}


def test_cli_json_and_views(kit, tmp_path):
    path = tmp_path / "g.sqlite"
    with SQLiteStore(path) as store:
        store.write(*world(kit))
    runner = CliRunner()
    result = runner.invoke(cli, ["--store", str(path), "evaluate", "--year", "2022", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert {"score", "c_projects", "c_funding_wan_yuan", "flag"} <= set(rows[0])
    weighted = runner.invoke(
        cli, ["--store", str(path), "evaluate", "--year", "2022", "--weight", "platforms=0", "--format", "json"]
    )
    assert json.loads(weighted.output)[0]["c_platforms"] == 0
    funds = runner.invoke(cli, ["--store", str(path), "evaluate", "--year", "2022", "--view", "funds"])
    assert "reference, not an allocation" in funds.output
    bad = runner.invoke(cli, ["--store", str(path), "evaluate", "--year", "2022", "--weight", "platforms"])
    assert bad.exit_code == 2 and "MEASURE=NUMBER" in bad.output


def test_monitoring_records_change_no_other_answer_and_stay_off_the_map(kit, G):
    from graph.render import network_map
    from queries.gaps import industry_gaps, policy_checks
    from queries.hubs import hub_scores
    from queries.needs import unmatched_needs

    bare = G.copy()
    bare.remove_nodes_from([n for n, kind in G.nodes(data="kind") if kind == "Monitoring"])
    for question in (industry_gaps, unmatched_needs, hub_scores, policy_checks):
        assert question(G).equals(question(bare)), question.__name__
    the_map = network_map(G)
    assert "monitoring:" not in the_map.html()


def test_export_as_of_a_date(kit, tmp_path):
    nodes, edges = kit.records(kit.node("region:a"), kit.node("region:b", valid_from="2025"))
    path = tmp_path / "g.sqlite"
    with SQLiteStore(path) as store:
        store.write(nodes, edges)
    runner = CliRunner()
    early = runner.invoke(cli, ["--store", str(path), "export", "--format", "node-link", "--as-of", "2024"])
    everything = runner.invoke(cli, ["--store", str(path), "export", "--format", "node-link"])
    assert [n["id"] for n in json.loads(early.output)["nodes"]] == ["region:a"]
    assert [n["id"] for n in json.loads(everything.output)["nodes"]] == ["region:a", "region:b"]
    refused = runner.invoke(
        cli, ["--store", str(path), "export", "--format", "xlsx", "--as-of", "2024", "-o", str(tmp_path / "x.xlsx")]
    )
    assert refused.exit_code == 2 and "keeps every fact" in refused.output
