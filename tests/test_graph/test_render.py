import base64
import hashlib
import html
import json
import re

import networkx as nx
import pandas as pd
import pytest
from render_fixtures import HOSTILE, many_needs_graph, small_mechanism_graph

from graph.errors import HainetError
from graph.render import (
    KIND_STYLES,
    HtmlParts,
    aggregated_graph,
    ego_subgraph,
    html_document,
    industry_subgraph,
    keys_from,
    network_map,
    node_centrality,
    node_positions,
    script_json,
    subgraph_from_keys,
    table_html,
)


def full_map(G, **options):
    """Return the force-directed map of everything, the view these tests were written for."""
    return network_map(G, view="full", **options)


@pytest.fixture
def small_graph():
    return small_mechanism_graph()


@pytest.fixture
def hostile_graph():
    return small_mechanism_graph(hostile=True)


def data_of(page: str) -> dict:
    block = re.search(r'<script type="application/json" id="hn-data">(.*?)</script>', page, re.S)
    assert block is not None
    return json.loads(block.group(1))


def inline_scripts(page: str) -> list[str]:
    return re.findall(r"<script>(.*?)</script>", page, re.S)


# ----------------------------------------------------------------- views


def test_industry_subgraph_takes_sub_industries_cooperations_partners_units(small_graph):
    view = industry_subgraph(small_graph, "高新技术产业")
    assert set(view) == {
        "industry:hightech",
        "industry:biomedicine",
        "coop:sh-boao",
        "region:shanghai",
        "dept:regional",
        "unit:boao",
        "need:boao:biomedicine",
        "region:sichuan",
    }
    assert "coop:sc-haikou" not in view


def test_industry_subgraph_by_english_name_and_unknown_name(small_graph):
    assert "coop:sc-haikou" in industry_subgraph(small_graph, "tourism")
    with pytest.raises(HainetError, match="no Industry node"):
        industry_subgraph(small_graph, "mining")


def test_ego_subgraph_does_not_walk_through_the_mechanism(small_graph):
    view = ego_subgraph(small_graph, "region:shanghai", radius=2)
    assert "mech:coord" in view
    assert "region:sichuan" not in view  # only reachable through the mechanism
    assert {"coop:sh-boao", "unit:boao", "park:zhangjiang", "dept:regional"} <= set(view)
    assert set(ego_subgraph(small_graph, "上海市", radius=1)) < set(view)
    with pytest.raises(HainetError, match="radius"):
        ego_subgraph(small_graph, "region:shanghai", radius=0)


def test_keys_from_reads_key_columns_and_rejects_frames_without():
    frame = pd.DataFrame({"need_key": ["need:a"], "unit_key": ["unit:b"], "score": [1.0]})
    assert keys_from(frame) == ["need:a", "unit:b"]
    with pytest.raises(HainetError, match="no key column"):
        keys_from(pd.DataFrame({"name": ["x"]}))


def test_subgraph_from_keys_keeps_known_keys_and_their_edges(small_graph):
    view = subgraph_from_keys(small_graph, pd.DataFrame({"key": ["coop:sh-boao", "unit:boao", "unit:nowhere"]}))
    assert sorted(view) == ["coop:sh-boao", "unit:boao"]
    assert list(view.edges(keys=True)) == [("coop:sh-boao", "unit:boao", "SERVES")]
    with pytest.raises(HainetError, match="none of the keys"):
        subgraph_from_keys(small_graph, {"unit:nowhere"})


# ----------------------------------------------------------------- measures and layout


def test_centrality_leaves_out_mechanisms_and_sources(small_graph):
    degree = node_centrality(small_graph, "degree")
    assert "mech:coord" not in degree and "source:doc" not in degree
    assert degree["coop:sh-boao"] == 4.0  # shanghai, regional, boao, biomedicine
    assert all(type(v) is float for v in degree.values())
    pagerank = node_centrality(small_graph, "pagerank")
    assert sum(pagerank.values()) == pytest.approx(1.0)
    with pytest.raises(HainetError, match="unknown measure"):
        node_centrality(small_graph, "closeness")


def test_positions_are_deterministic_distinct_and_plain_floats(small_graph):
    first = node_positions(small_graph)
    assert first == node_positions(small_graph.copy())
    assert len(set(first.values())) == small_graph.number_of_nodes()
    assert all(type(x) is float and type(y) is float for x, y in first.values())
    assert first != node_positions(small_graph, seed=1)


# ----------------------------------------------------------------- aggregation


def test_aggregation_merges_needs_then_units_and_counts_edges():
    G = many_needs_graph(units=10, needs_per_unit=5)  # 63 nodes
    H, steps = aggregated_graph(G, max_nodes=40)
    assert steps == ["need"]
    assert H.number_of_nodes() == 13
    assert H.nodes["unit:u3"]["members"][0] == "unit:u3" and len(H.nodes["unit:u3"]["members"]) == 6
    assert H.edges["unit:u3", "industry:x", "IN_FIELD"]["count"] == 5
    H, steps = aggregated_graph(G, max_nodes=5)
    assert steps == ["need", "unit"]
    assert sorted(H) == ["group:unit:r0", "group:unit:r1", "industry:x", "region:r0", "region:r1"]
    assert len(H.nodes["group:unit:r0"]["members"]) == 30


def test_map_says_it_is_aggregated():
    G = many_needs_graph(units=10, needs_per_unit=5)
    m = full_map(G, max_nodes=40, highlight={"未覆盖需求": ["need:u3:0", "need:u3:1"]})
    assert m.aggregated and m.total_nodes == 63 and m.node_count == 13
    page = m.html()
    assert 'id="hn-aggregated"' in page and "需求并入其需求单位" in page
    assert m.flag_counts == {"未覆盖需求": 2}
    unit = next(n for n in m.data["nodes"] if n["id"] == "unit:u3")
    assert unit["flags"] == [0] and "×6" in unit["label"] and "未覆盖需求 ×2" in unit["title"]
    assert not network_map(G, view="full").aggregated


# ----------------------------------------------------------------- the map


def test_map_counts_styles_and_default_hides_the_source(small_graph):
    m = network_map(small_graph, view="full")
    assert m.node_count == small_graph.number_of_nodes() - 1
    assert m.edge_count == small_graph.number_of_edges() - 1
    ids = {n["id"] for n in m.data["nodes"]}
    assert "source:doc" not in ids
    shapes = {n["id"]: (n["shape"], n["color"]["background"]) for n in m.data["nodes"]}
    assert shapes["region:shanghai"] == KIND_STYLES["Region"]
    assert m.data["options"]["physics"] == {"enabled": False}
    assert all(8 <= n["size"] <= 40 for n in m.data["nodes"])
    sizes = {n["id"]: n["size"] for n in m.data["nodes"]}
    assert sizes["coop:sh-boao"] > sizes["park:zhangjiang"]


def test_size_by_changes_sizes(small_graph):
    by_degree = {n["id"]: n["size"] for n in full_map(small_graph, size_by="degree").data["nodes"]}
    by_between = {n["id"]: n["size"] for n in full_map(small_graph, size_by="betweenness").data["nodes"]}
    assert by_degree != by_between
    with pytest.raises(HainetError, match="size measure"):
        network_map(small_graph, view="full", size_by="eigenvector")


def test_tooltips_carry_facts_provenance_and_figures(small_graph):
    figures = pd.DataFrame({"key": ["coop:sh-boao"], "hub score": [0.123456]})
    m = network_map(small_graph, view="full", figures=figures)
    nodes = {n["id"]: n for n in m.data["nodes"]}
    coop = nodes["coop:sh-boao"]["title"]
    assert "沪琼生物医药合作" in coop and "Shanghai-Hainan biomedicine" in coop
    assert "状态: 进行中" in coop and "章节: 二(一)" in coop and "原文: 开展深远海" in coop
    assert "hub score: 0.1235" in coop and "PageRank" in coop
    assert "依据: a curated basis" in nodes["park:zhangjiang"]["title"]
    edge = next(e for e in m.data["edges"] if e["id"] == "region:sichuan|SPECIALISES_IN|industry:biomedicine")
    assert "依据: Sichuan's biomedicine cluster" in edge["title"] and edge.get("dashes") is True


def test_english_labels(small_graph):
    m = network_map(small_graph, view="full", lang="en")
    labels = {n["id"]: n["label"] for n in m.data["nodes"]}
    assert labels["region:shanghai"] == "Shanghai"
    page = m.html()
    assert '<html lang="en">' in page and "Find by name" in page
    labels = {n["id"]: n.get("label") or n["fullLabel"] for n in full_map(small_graph).data["nodes"]}
    assert labels["region:shanghai"] == "上海市"
    with pytest.raises(HainetError, match="language"):
        network_map(small_graph, view="full", lang="fr")


def test_views_pick_their_part(small_graph):
    assert network_map(small_graph, view="full", industry="industry:tourism").node_count == 5
    assert network_map(small_graph, view="full", focus="region:shanghai", radius=1).node_count == 4
    assert network_map(small_graph, view="full", keys={"coop:sh-boao", "unit:boao"}).edge_count == 1
    with pytest.raises(HainetError, match="one view"):
        network_map(small_graph, view="full", industry="industry:tourism", focus="region:shanghai")


def test_highlights_are_marked_counted_and_in_the_banner(small_graph):
    m = full_map(small_graph, highlight={"未覆盖需求": {"need:haikou:tourism"}, "产业缺口": ["industry:tourism"]})
    nodes = {n["id"]: n for n in m.data["nodes"]}
    assert nodes["need:haikou:tourism"]["flags"] == [0] and nodes["need:haikou:tourism"]["borderWidth"] == 5
    assert nodes["industry:tourism"]["flags"] == [1]
    assert nodes["need:boao:biomedicine"]["flags"] == [] and "borderWidth" not in nodes["need:boao:biomedicine"]
    page = m.html()
    assert "未覆盖需求：1" in page and "产业缺口：1" in page
    assert 'id="hn-flagged-only"' in page


def test_same_input_same_bytes(small_graph):
    first = network_map(small_graph, view="full").html()
    assert first == network_map(small_graph.copy(), view="full").html()
    shuffled = nx.MultiDiGraph()
    shuffled.add_nodes_from(reversed(list(small_graph.nodes(data=True))))
    shuffled.add_edges_from(reversed(list(small_graph.edges(keys=True, data=True))))
    assert network_map(shuffled, view="full").html() == first


def test_page_is_self_contained_with_a_strict_policy(small_graph):
    page = network_map(small_graph, view="full").html()
    head = page.split("</head>")[0]
    assert '<meta charset="utf-8">' in head
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', head).group(1)
    assert "default-src 'none'" in policy and "unsafe-inline" not in policy.split("style-src")[0]
    assert "http" not in policy
    for script in inline_scripts(page):
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy
    assert len(inline_scripts(page)) == 3  # vis-network, the side panel and the map's own script
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", page)
    assert "sourceMappingURL" not in page
    assert not any(host in page for host in ("cdnjs", "jsdelivr", "unpkg", "bootstrap"))


def test_hostile_text_is_escaped_everywhere(hostile_graph):
    hostile_text = HOSTILE
    m = full_map(hostile_graph, title=hostile_text, figures={"region:sichuan": {hostile_text: hostile_text}})
    page = m.html()
    assert "<img" not in page and "<a href" not in page
    assert page.count("\n<script") == 4 and page.count("</script>\n") == 4
    assert f"<title>{html.escape(hostile_text)}</title>" in page
    assert f"<h1>{html.escape(hostile_text)}</h1>" in page
    data = data_of(page)
    sichuan = next(n for n in data["nodes"] if n["id"] == "region:sichuan")
    assert sichuan["label"] == hostile_text and hostile_text in sichuan["title"]
    coop = next(n for n in data["nodes"] if n["id"] == "coop:sc-haikou")
    assert hostile_text in coop["title"]


def test_script_json_never_closes_the_element():
    text = script_json({"a": "</script>\u2028<!--&"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": "</script>\u2028<!--&"}


def test_save_writes_utf8(tmp_path, small_graph):
    path = network_map(small_graph).save(tmp_path / "map.html")
    raw = path.read_bytes()
    assert "海南开放创新合作网络".encode() in raw
    assert raw.decode("utf-8").startswith("<!DOCTYPE html>")


def test_notebook_display_is_an_escaped_srcdoc_iframe(small_graph):
    shown = network_map(small_graph)._repr_html_()
    assert shown.startswith("<iframe srcdoc=") and 'sandbox="allow-scripts"' in shown
    assert "<script" not in shown and "&lt;script" in shown
    srcdoc = re.search(r'srcdoc="([^"]*)"', shown).group(1)
    assert html.unescape(srcdoc) == network_map(small_graph).html()


# ----------------------------------------------------------------- page pieces


def test_table_html_escapes_and_formats():
    frame = pd.DataFrame({"name": ["<b>x</b>", "海南"], "n": [3, 1200], "share": [0.12345, None], "ok": [True, False]})
    out = table_html(frame, headers={"name": "名称", "n": "数量", "share": "比例"})
    assert "<th>名称</th><th>数量</th><th>比例</th>" in out and "ok" not in out
    assert "&lt;b&gt;x&lt;/b&gt;" in out and "<b>" not in out
    assert '<td class="hn-num">1,200</td>' in out and '<td class="hn-num">0.1235</td>' in out
    assert "<thead>" in out
    assert table_html(frame.iloc[0:0], empty="无") == '<p class="hn-empty">无</p>'


def test_html_document_refuses_a_script_that_would_end_early():
    with pytest.raises(HainetError, match="</script"):
        html_document([HtmlParts(body="", scripts=("a='</script>'",))], title="t")


def test_the_in_page_evidence_switch_follows_the_one_evidence_rule():
    from graph.evidence import allowed_levels

    G = small_mechanism_graph()
    G.nodes["region:sichuan"]["provenance"] = "rumour"  # not a level: a planner's own fact, as graph_at reads it
    m = network_map(G, view="full")
    assert m.data["evidenceAdmits"] == {c: list(allowed_levels(c)) for c in ("all", "curated", "stated")}
    levels = {n["id"]: n["evidence"] for n in m.data["nodes"]}
    assert levels["region:sichuan"] == "user" and levels["region:shanghai"] == "stated"
