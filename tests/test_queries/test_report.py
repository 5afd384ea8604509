import re

import pandas as pd
import pytest
from click.testing import CliRunner

from graph.cli import cli
from graph.errors import HainetError
from graph.labels import label
from graph.sqlite_store import SQLiteStore
from queries._examples import example_graph, example_records
from queries.gaps import industry_gaps
from queries.needs import unmatched_needs
from queries.report import (
    DOCUMENT_NUMBER,
    annotated_network_map,
    data_version,
    highlight_sets,
    node_figures,
    report_html,
)

HOSTILE = "<img src=x onerror=alert(1)></script><script>alert(2)</script>"


@pytest.fixture
def G():
    return example_graph()


@pytest.fixture
def hostile_G():
    G = example_graph()
    G.nodes[unmatched_needs(G)["unit_key"].iloc[0]]["name_zh"] = HOSTILE
    G.nodes["region:shanghai"]["name_zh"] = HOSTILE
    return G


@pytest.fixture
def store_path(tmp_path):
    path = tmp_path / "g.sqlite"
    with SQLiteStore(path) as store:
        store.write(*example_records())
    return str(path)


def run(*args):
    return CliRunner().invoke(cli, list(args))


def test_highlight_sets_are_the_unmatched_needs_and_gaps(G):
    sets = highlight_sets(G)
    assert list(sets) == ["未覆盖需求", "产业缺口（无伙伴）", "单一伙伴产业"]
    assert sets["未覆盖需求"] == sorted(unmatched_needs(G)["need_key"])
    gaps = industry_gaps(G)
    assert sets["产业缺口（无伙伴）"] == sorted(gaps.loc[gaps["status"] == "uncovered", "industry_key"])
    assert sets["单一伙伴产业"] == sorted(gaps.loc[gaps["status"] == "single-partner", "industry_key"])
    assert sets["未覆盖需求"] and sets["产业缺口（无伙伴）"]


def test_node_figures_has_hub_gap_and_recommendation_columns(G):
    figures = node_figures(G, lang="en")
    assert list(figures.columns) == [
        "key",
        "live cooperations",
        "hub PageRank",
        "hub betweenness",
        "community",
        "industry coverage",
        "partners",
        "unmatched because",
        "evidence",
        "recommended partners",
    ]
    assert figures["key"].is_unique
    first = unmatched_needs(G).iloc[0]
    need = figures.set_index("key").loc[first["need_key"]]
    assert need["unmatched because"] == first["reason_en"]
    assert need["evidence"] in ("stated", "curated", "user data")
    assert need["recommended partners"].startswith("1. ") or need["recommended partners"] == "no candidate yet"
    gap = industry_gaps(G).iloc[0]
    assert figures.set_index("key").loc[gap["industry_key"], "industry coverage"] == label(gap["status"], "en")


def test_annotated_map_highlights_and_annotates(G):
    m = annotated_network_map(G)
    needs = unmatched_needs(G)
    assert m.flag_counts["未覆盖需求"] == len(needs) > 0
    need = next(n for n in m.data["nodes"] if n["id"] == needs["need_key"].iloc[0])
    assert need["flags"] == [0] and "未覆盖原因: " in need["title"] and "推荐伙伴: " in need["title"]
    plain = annotated_network_map(G, highlight=False)
    assert plain.flag_counts == {} and "未覆盖原因" not in plain.html()


def test_data_version_changes_with_the_data(G):
    before = data_version(G)
    G.nodes["unit:boao"]["name_en"] = "changed"
    assert data_version(G) != before and len(before) == 12


def test_report_holds_every_section_and_is_reproducible(G):
    page = report_html(G, date="2024-05-01")
    for ident in ("hn-findings", "hn-map", "hn-map-print", "hn-gaps", "hn-checks", "hn-needs", "hn-hubs"):
        assert f'id="{ident}"' in page
    assert DOCUMENT_NUMBER in page and "2024-05-01" in page
    assert page.index('id="hn-findings"') < page.index('id="hn-gaps"') < page.index('id="hn-map"')
    assert f"未覆盖需求 {len(unmatched_needs(G))} 项" in page
    assert page == report_html(example_graph(), date="2024-05-01")
    assert "<th>推荐伙伴（前三）</th>" in page and "1. " in page


def test_report_dates_the_data_instead_of_a_hash(G):
    page = report_html(G, date="2024-05-01")
    assert "数据截至" in page and data_version(G) not in page and "数据版本" not in page


def test_report_findings_come_first_with_evidence_and_a_next_step(G):
    page = report_html(G, date="2024-05-01")
    findings = page[page.index('id="hn-findings-list"') : page.index("</ol>")]
    items = findings.count("<li>")
    assert 3 <= items <= 5
    assert findings.count("建议下一步") == items and findings.count("证据：") == items


def test_zero_counts_are_not_alarms(G):
    page = report_html(G, date="2024-05-01")
    assert '<span class="hn-chip hn-chip-zero">无伙伴产业 0 个</span>' in page or "无伙伴产业 0 个" not in page
    chips = re.findall(r'<span class="(hn-chip[^"]*)">([^<]*)</span>', page)
    assert chips and all(("hn-chip-zero" in cls) == (" 0 " in text) for cls, text in chips)


def test_policy_check_evidence_names_nodes_not_keys(G):
    section = report_html(G, date="2024-05-01").split('id="hn-checks"')[1].split("</section>")[0]
    assert "region:" not in section and "park:" not in section and "依据（英文）" not in section


def test_scoped_reports(G):
    whole = report_html(G, date="2024-05-01")
    one = report_html(G, date="2024-05-01", industry="旅游业")
    assert "范围</strong>：旅游业" in one and "范围</strong>：全部数据" in whole
    needs = one.split('id="hn-needs"')[1].split("</section>")[0]
    assert "生物医药" not in needs
    unit = report_html(G, date="2024-05-01", unit="unit:boao")
    assert "范围</strong>：" in unit
    focus = report_html(G, date="2024-05-01", focus="上海市")
    assert "范围</strong>：上海市" in focus
    with pytest.raises(HainetError, match="one scope"):
        report_html(G, industry="旅游业", unit="unit:boao")


def test_report_in_english(G):
    page = report_html(G, lang="en", date="2024-05-01")
    assert '<html lang="en">' in page
    assert "<h2>Industry gaps</h2>" in page and "<h2>Policy checks</h2>" in page and "<h2>Findings</h2>" in page
    assert f"unmatched needs: {len(unmatched_needs(G))}" in page and "Next step:" in page
    scoped = report_html(G, lang="en", date="2024-05-01", industry="旅游业")
    assert "<strong>Scope</strong>: Tourism" in scoped


def test_report_escapes_all_data(hostile_G):
    page = report_html(hostile_G, date="2024-05-01")
    assert "<img" not in page
    assert len(re.findall(r"<script", page.replace('"<script>"', ""))) == 4
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_report_has_print_rules(G):
    page = report_html(G, date="2024-05-01")
    assert "@media print" in page and "table-header-group" in page and "page-break-inside: avoid" in page
    assert "size: A4" in page and "counter(page)" in page


def test_report_rejects_bad_options(G):
    with pytest.raises(HainetError, match="YYYY-MM-DD"):
        report_html(G, date="01/05/2024")
    with pytest.raises(HainetError, match="language"):
        report_html(G, lang="fr")


def test_report_date_defaults_to_source_date_epoch(G, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert "2023-11-14" in report_html(G)


def test_map_command_writes_a_map(store_path, tmp_path):
    out = tmp_path / "map.html"
    result = run("--store", store_path, "map", "-o", str(out))
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and f"未覆盖需求：{len(unmatched_needs(example_graph()))}" in page


@pytest.mark.parametrize(
    ("args", "expected_nodes"),
    [
        (["--industry", "Biomedicine", "--view", "full"], {"industry:biomedicine"}),
        (["--industry", "Biomedicine"], {"coop:tianfu-boao", "coop:zhangjiang-haikou"}),
        (["--focus", "上海市", "--radius", "1"], {"region:shanghai"}),
        (["--query", "unmatched-needs"], set(unmatched_needs(example_graph())["need_key"])),
    ],
)
def test_map_command_views(store_path, tmp_path, args, expected_nodes):
    out = tmp_path / "map.html"
    result = run("--store", store_path, "map", *args, "--lang", "en", "-o", str(out))
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    for key in expected_nodes:
        assert f'"id":"{key}"' in page


def test_map_command_reads_keys_from_csv(store_path, tmp_path):
    keys = tmp_path / "keys.csv"
    pd.DataFrame({"unit_key": ["unit:boao", "unit:hainan"]}).to_csv(keys, index=False)
    out = tmp_path / "map.html"
    result = run("--store", store_path, "map", "--keys", str(keys), "--no-highlight", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "2 个节点" in out.read_text(encoding="utf-8")


def test_map_command_errors_are_one_line(store_path, tmp_path):
    result = run("--store", store_path, "map", "--industry", "mining", "-o", str(tmp_path / "m.html"))
    assert result.exit_code == 1 and "Error: no Industry node has the key or name 'mining'" in result.output


def test_report_on_an_empty_store_loads_the_builtin_dataset_first(tmp_path):
    store = tmp_path / "empty.sqlite"
    out = tmp_path / "r.html"
    result = CliRunner().invoke(cli, ["--store", str(store), "report", "-o", str(out)])
    assert result.exit_code == 0, result.output
    said = [line for line in result.output.splitlines() if "内置数据集" in line]
    assert len(said) == 1 and str(store) in said[0]
    page = out.read_text(encoding="utf-8")
    assert "旅游业" in page and "建议下一步" in page
    again = CliRunner().invoke(cli, ["--store", str(store), "report", "-o", str(out)])
    assert "内置数据集" not in again.output


def test_report_command(store_path, tmp_path):
    out = tmp_path / "report.html"
    result = run("--store", store_path, "report", "--lang", "en", "--date", "2024-05-01", "-o", str(out))
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "meeting report" in page and "2024-05-01" in page
